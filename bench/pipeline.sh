#!/bin/sh
# pipeline.sh - the whole pipeline of make bench, as one command to time
# (/usr/bin/time sh bench/pipeline.sh ... sums the CPU of both stages).
#
#   sh bench/pipeline.sh ls BIN THREADS CALLS LEADS STATE
#       lead-qualify -r bench/rules.yaml --calls CALLS --threads THREADS LEADS |
#       lead-assign -c bench/team.yaml --state STATE --dry-run --threads THREADS
#   sh bench/pipeline.sh mlr QUALIFY.mlr CALLS LEADS
#       the same two stages in Miller: put -f QUALIFY.mlr (run.sh writes it),
#       then the round robin over bench/team.yaml's five managers; as
#       lead-assign does on a stream with a status column, only qualified
#       leads are dealt, the others get no manager and "skipped:STATUS"
#
# Output on standard output.  The exit status is the last stage's; a failed
# first stage shows as a short output (run.sh counts the rows).
set -u
# lead-assign stamps assigned_at from this clock (issue 28); Miller writes the
# same instant, so that the two outputs can be compared byte for byte
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1800000000}
export SOURCE_DATE_EPOCH
case ${1:-} in
ls)
	[ $# -eq 6 ] || { echo "usage: pipeline.sh ls BIN THREADS CALLS LEADS STATE" >&2; exit 2; }
	"$2/lead-qualify" -r bench/rules.yaml --calls "$4" --threads "$3" "$5" |
		"$2/lead-assign" -c bench/team.yaml --state "$6" --dry-run --threads "$3"
	;;
mlr)
	[ $# -eq 4 ] || { echo "usage: pipeline.sh mlr QUALIFY.mlr CALLS LEADS" >&2; exit 2; }
	mlr --icsv --ocsv put -f "$2" "$3" "$4" |
		mlr --icsv --ocsv put 'begin { @k = 0 }
		    if ($status == "qualified") {
		      $manager = ["ivanov","petrova","sidorov","lee","smith"][@k % 5 + 1]; @k += 1;
		      $assign_reason = "round_robin"; $assigned_at = sec2gmt(int(ENV["SOURCE_DATE_EPOCH"]));
		    } else {
		      $manager = ""; $assign_reason = "skipped:" . $status; $assigned_at = "";
		    }'
	;;
*)
	echo "usage: pipeline.sh ls BIN THREADS CALLS LEADS STATE | mlr QUALIFY.mlr CALLS LEADS" >&2
	exit 2
	;;
esac
