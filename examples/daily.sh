#!/bin/sh
# daily.sh - the sales department's day, as one script (see crontab beside it):
#   qualify the cold base -> hand the qualified leads to managers -> render
#   invoices -> the manager approves -> release to the outbox -> support's
#   queue and overdue tickets -> the head of sales' KPI report.
#
#   sh daily.sh [OUT]      OUT: the day's folder (default $OUT, else a new
#                          temporary folder); its path is printed at the end.
#
# Three places, each named by a variable:
#   IN     today's inputs: base.csv, calls.csv, deals.csv, items.csv,
#          crm-deals.csv (default: this folder, the example department's);
#          an input that is not there skips its own stage, with a message,
#          and the KPI report counts what there is.
#   STATE  what outlives a day, the same folder every day (default OUT/state,
#          so that a one-off run keeps everything in OUT; cron names one):
#            team.state            lead-assign's rotation, loads, company owners
#                                  and each lead's first assigned_at
#            documents/            doc-render's manifest.csv, its approval
#                                  journal manifest.csv.journal, and the drafts:
#                                  a document waits for its approval across days
#            overdue.reported      the overdue tickets already mailed (overdue.sh)
#          and the invoice number counter when company.yaml gains one: name
#          it there by its path in STATE (/srv/sales/state/...), not beside
#          company.yaml, which is read from this folder.
#   OUT    only the day's outputs: qualified.csv, assigned.csv, release.csv and
#          outbox/ (what was released today), tickets, kpi.html, kpi.txt and
#          kpi.csv, and the tools' messages (*.log, also on standard error).
# The configs (rules.yaml, team.yaml, company.yaml, kpi.yaml, templates/) are
# read from this folder.
#
# Every stage runs whatever happened to the one before, unless it needs that
# stage's output.  A failure is told on standard error, where cron's mail has
# it, as "daily.sh: STAGE: failed (exit N)" after the tool's own message; the
# run then exits 1 naming the failed stages.  Re-running a day is safe: leads
# already dealt keep their manager, a deal already rendered is not rendered
# again, a released document is not released twice.
set -u
here=$(cd -P "$(dirname "$0")" && pwd)
OUT=${1:-${OUT:-$(mktemp -d)}}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
STATE=${STATE:-$OUT/state}
IN=${IN:-$here}
mkdir -p "$STATE/documents" || exit 1
STATE=$(cd "$STATE" && pwd)
IN=$(cd "$IN" && pwd) || exit 1
docs=$STATE/documents
cd "$here"
# the day the example data is about; a real cron job uses DAY=last-workday
# (kpi-report(1): the working day before today over kpi.yaml's calendar)
DAY=${DAY:-2026-12-01}
# lead-assign stamps each lead's assigned_at with the clock, and kpi-report
# counts leads_assigned on that day: for the example day the hand-off is
# replayed at 09:00 Moscow time on it (SOURCE_DATE_EPOCH), so the report of
# $DAY shows the leads dealt.  A real day (DAY=last-workday) uses the real
# clock.  The manager's approval is a person's act: only the example day
# plays it (APPROVE names the documents); a real day leaves it to managers.
case $DAY in
2026-12-01)
	assign_clock=${SOURCE_DATE_EPOCH:-1796104800}
	APPROVE=${APPROVE-D-0001 D-0002} ;;
*)
	assign_clock=${SOURCE_DATE_EPOCH:-}
	APPROVE=${APPROVE-} ;;
esac

failed=""
log() { echo "== $*" >&2; }
# fail STAGE STATUS: the stage named under the tool's message, in cron's mail
fail() {
	echo "daily.sh: $1: failed (exit $2)" >&2
	failed="$failed${failed:+, }$1"
}
skip() { echo "daily.sh: $1: skipped: $2" >&2; }
# have NAME: today's input NAME is there
have() { [ -f "$IN/$1" ]; }
# the rows of a CSV file (no header; those matching the pattern $2), 0 when it is absent
rows() { if [ -f "$1" ]; then awk -v re="${2:-.}" 'NR > 1 && $0 ~ re { n++ } END { print n + 0 }' "$1"; else echo 0; fi; }
# show LOG STATUS STAGE: a tool's messages, kept for the summary, go to cron's
# mail whatever the tool's status, and a failure is named after them
show() {
	cat "$1" >&2
	[ "$2" -eq 0 ] || fail "$3" "$2"
	return "$2"
}

# a re-run of the day writes its outputs anew: none of an earlier run is taken for today's
rm -f "$OUT/qualified.csv" "$OUT/assigned.csv" "$OUT/kpi.html" "$OUT/kpi.csv" "$OUT/kpi.txt"
if ! have base.csv; then
	skip lead-qualify "no $IN/base.csv today"
else
	log "lead-qualify: clean the cold base (Excel: cp1251, ';'), de-duplicate, join calls, score"
	set -- --encoding cp1251 -r rules.yaml --rejects "$OUT/base-rejects.csv" -o "$OUT/qualified.csv"
	if have calls.csv; then
		set -- "$@" --calls "$IN/calls.csv"
	else
		skip "lead-qualify --calls" "no $IN/calls.csv today: leads are scored without the call sheet"
	fi
	lead-qualify -v "$@" "$IN/base.csv" 2>"$OUT/qualify.log"
	show "$OUT/qualify.log" $? lead-qualify
fi

if [ ! -f "$OUT/qualified.csv" ]; then
	skip lead-assign "no qualified leads today (lead-qualify did not run or failed)"
else
	log "lead-assign: hand the qualified leads to the managers (state kept in $STATE/team.state)"
	SOURCE_DATE_EPOCH=$assign_clock lead-assign -v -c team.yaml --state "$STATE/team.state" \
	    -o "$OUT/assigned.csv" "$OUT/qualified.csv" 2>"$OUT/assign.log"
	show "$OUT/assign.log" $? lead-assign
fi

# doc-render -m merges the day's deals into the kept manifest under its lock
# (the one approve and release take): a deal rendered before and unchanged
# is left alone with its approvals, a changed draft is replaced and needs a
# new approval, a released one is kept as released, a new one is added.
if ! have deals.csv || ! have items.csv; then
	skip doc-render "no $IN/$(have deals.csv && echo items.csv || echo deals.csv) today: no new invoices (approval and release go on)"
else
	log "doc-render: invoices for the day's deals, as drafts, merged into the manifest"
	before=$(rows "$docs/manifest.csv")
	doc-render -T "$here/templates/invoice_ru.html" -c "$here/company.yaml" --items "$IN/items.csv" \
	    --key deal_id -m "$docs/manifest.csv" -o "$docs/drafts" "$IN/deals.csv" || fail doc-render $?
	new=$(($(rows "$docs/manifest.csv") - before))
	if [ "$new" -eq 0 ]; then
		echo "daily.sh: doc-render: every deal in deals.csv already has its document" >&2
	else
		echo "daily.sh: doc-render: $new new document(s) in $docs/drafts" >&2
	fi
fi

if [ ! -f "$docs/manifest.csv" ]; then
	skip "doc-render release" "no documents rendered yet"
else
	if [ -n "$APPROVE" ]; then
		log "doc-render approve: the manager checks $APPROVE and approves them"
		# (on a re-run, only what is still a draft: approving twice is refused)
		drafts=$(awk -F, -v want=" $APPROVE " 'NR > 1 && index(want, " " $1 " ") && $4 == "draft" { print $1 }' "$docs/manifest.csv")
		[ -z "$drafts" ] || doc-render approve --by ivanov -c company.yaml "$docs/manifest.csv" $drafts >&2 ||
		    fail "doc-render approve" $?
	fi
	log "doc-render release: only approved, unchanged documents go to the outbox"
	doc-render release "$docs/manifest.csv" -o "$OUT/outbox" > "$OUT/release.csv" 2>"$OUT/release.log"
	s=$?
	cat "$OUT/release.log" >&2
	# exit 1 lists what was refused, each with its reason (release.csv): a draft
	# waiting for its approval is the day's normal; any other reason (changed
	# after its approval, the outbox, the journal) fails the stage
	if [ $s -eq 1 ] && ! grep ',refused,' "$OUT/release.csv" | grep -qv ',refused,not approved$'; then
		echo "daily.sh: doc-render release: drafts waiting for approval stay in $docs/drafts" >&2
	elif [ $s -ne 0 ]; then
		fail "doc-render release" $s
	fi
	# the journal's hash chain and the manifest agree; its last hash is what to keep elsewhere
	doc-render verify "$docs/manifest.csv" >&2 || fail "doc-render verify" $?
fi

# the example's support morning, replayed into OUT/support (a desk's real log
# lives with support, and overdue.sh is its hourly job)
log "ticket-log: the support assistant's morning, then the overdue tickets cron would mail"
if OUT="$OUT/support" sh support-morning.sh > "$OUT/support.log" 2>"$OUT/support.err"; then
	TICKET_LOG="$OUT/support/demo-tickets.csv" TICKET_LOG_NOW=2026-12-30T17:00:00+03:00 \
	    ticket-log list --overdue -o "$OUT/overdue.csv" || fail "ticket-log list --overdue" $?
	TICKET_LOG="$OUT/support/demo-tickets.csv" TICKET_LOG_NOW=2026-12-30T17:00:00+03:00 \
	    ticket-log list -o "$OUT/tickets.csv" || fail "ticket-log list" $?
else
	show "$OUT/support.err" $? ticket-log
fi

# the report counts whatever inputs there are today
set --
for f in calls:calls.csv deals:crm-deals.csv; do
	if have "${f#*:}"; then
		set -- "$@" "--${f%%:*}" "$IN/${f#*:}"
	else
		skip "kpi-report --${f%%:*}" "no $IN/${f#*:} today: the report has no ${f%%:*}"
	fi
done
if [ -f "$OUT/assigned.csv" ]; then
	set -- "$@" --leads "$OUT/assigned.csv"
else
	skip "kpi-report --leads" "no hand-off today: the report has no leads_assigned"
fi
if [ $# -eq 0 ]; then
	skip kpi-report "no calls, deals or leads today"
else
	log "kpi-report: the head of sales' report for $DAY"
	if kpi-report -c kpi.yaml "$@" --date "$DAY" --format html -o "$OUT/kpi.html" &&
	    kpi-report -c kpi.yaml "$@" --date "$DAY" -o "$OUT/kpi.csv" &&
	    kpi-report -c kpi.yaml "$@" --date "$DAY" --format table -o "$OUT/kpi.txt"; then
		cat "$OUT/kpi.txt" >&2
	else
		fail kpi-report $?
	fi
fi

# the day in numbers (the tools' own -v lines, and counts of the files written)
# rows FILE [ERE]: FILE's data rows (those matching ERE)
summary() { sed -n "s/^$1: \([0-9]* read: \)/\1/p" "$OUT/$2" | head -n 1; }
echo
echo "The day in $OUT:"
if [ -f "$OUT/qualified.csv" ]; then
	echo "  leads:      $(summary lead-qualify qualify.log | sed 's/; [0-9]* de-duplication.*//')"
else
	echo "  leads:      none qualified today"
fi
if [ -f "$OUT/assigned.csv" ]; then
	echo "  assigned:   $(summary lead-assign assign.log)"
else
	echo "  assigned:   none today"
fi
echo "  documents:  $(rows "$docs/manifest.csv") rendered (manifest in the state's documents/), $(rows "$docs/manifest.csv" ',approved,|,released,') approved, $(ls "$OUT/outbox" 2>/dev/null | wc -l) released to outbox/ today"
echo "  tickets:    $(rows "$OUT/tickets.csv") in the queue, $(rows "$OUT/overdue.csv") overdue (overdue.csv)"
if [ -f "$OUT/kpi.txt" ]; then
	echo "  KPI report: $OUT/kpi.html (and kpi.txt, kpi.csv), for $(awk 'NR == 2 { print $1 }' "$OUT/kpi.txt")"
else
	echo "  KPI report: none"
fi
echo "Kept for tomorrow in $STATE."
if [ -n "$failed" ]; then
	echo "daily.sh: FAILED: $failed (the messages above)" >&2
	exit 1
fi
