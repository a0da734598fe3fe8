#!/bin/sh
# Run libFuzzer targets: tests/fuzz/run.sh SECONDS TARGET...
# Each target first replays its kept crashers (tests/fuzz/regress/NAME/*:
# every one must now pass), then fuzzes for SECONDS from a fresh corpus
# seeded from tests/fuzz/corpus/NAME/ and the project's own files of its
# kind (CSV for the reader, each tool's YAML for its config target,
# templates for Mustache, tests/fuzz/NAME.seeds/ for the zone target).  Crashes are kept in build/fuzz/artifacts/.
# The seed is fixed (FUZZ_SEED, default 1) so that CI replays what was run
# before the submission; set another to explore further.  FUZZ_KEEP=DIR
# keeps each target's corpus in DIR/NAME between runs (make fuzz-long).
set -u
secs=${1:?usage: run.sh SECONDS TARGET...}
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
art="$top/build/fuzz/artifacts"
mkdir -p "$art"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0
passed=0
# UBSan only prints unless told to stop; a report must fail the run
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# the targets' own files (fuzz_file.h) go to a folder that goes with the run
TMPDIR=$tmp
export UBSAN_OPTIONS TMPDIR

# seeds: the files of the kind each target reads, besides tests/fuzz/corpus/NAME/;
# the CLI cases' inputs are in tests/cli/data/, tests/cli/TOOL/data/ and
# tests/cli/TOOL/CASE/data/ (tests/run.sh)
fixtures() {
	for p in "$@"; do
		ls tests/cli/data/$p tests/cli/*/data/$p tests/cli/*/*/data/$p 2>/dev/null
	done
}
seeds() {
	case $1 in
	fuzz_reader) fixtures '*.csv' '*.tsv' ;;
	fuzz_config) echo examples/*.yaml; fixtures '*.yaml' ;;
	fuzz_rules) echo examples/rules.yaml; fixtures 'lq-rules*.yaml' ;;
	fuzz_team) echo examples/team.yaml; fixtures 'assign-*.yaml' ;;
	fuzz_sla) echo examples/sla.yaml ;;
	fuzz_calendar) echo examples/calendar.yaml; fixtures 'cal-*.yaml' ;;
	fuzz_kpi) echo examples/kpi.yaml; fixtures 'kpi-*.yaml' ;;
	fuzz_company) echo examples/company.yaml; fixtures dr-company.yaml ;;
	fuzz_mustache) echo examples/templates/*; fixtures 'dr-*.md' 'dr-*.html' 'dr-*.tex' 'dr-*.txt' ;;
	fuzz_xls) fixtures '*.xls' ;;
	fuzz_mail) find tests/cli/ticket-log/mail-*/data -type f ! -name '*.csv' ! -name '*.yaml' ;;
	esac
}

one() {
	t=$1
	name=$(basename "$t")
	corpus="$tmp/$name"
	# FUZZ_KEEP=DIR (make fuzz-long): the corpus lives on in DIR/NAME from one run to the next
	[ -n "${FUZZ_KEEP:-}" ] && corpus="$FUZZ_KEEP/$name"
	mkdir -p "$corpus"
	for f in $(cd "$top" && seeds "$name") tests/fuzz/corpus/"$name"/* tests/fuzz/"$name".seeds/*; do
		[ "${f##*/}" = README ] && continue
		[ -f "$top/$f" ] && cp "$top/$f" "$corpus/"
	done
	reg="$top/tests/fuzz/regress/$name"
	if [ -d "$reg" ] && [ -n "$(ls "$reg")" ]; then
		if ! "$t" -runs=1 "$reg"/* >"$tmp/$name.reg" 2>&1; then
			tail -40 "$tmp/$name.reg"
			echo "fuzz $name: FAILED replaying a kept crasher of $reg"
			echo fail >"$tmp/$name.res"
			return
		fi
		echo "fuzz $name: $(ls "$reg" | wc -l) kept crashers replayed, ok"
	fi
	"$t" -seed="${FUZZ_SEED:-1}" -max_total_time="$secs" -timeout=60 -rss_limit_mb=4096 \
	    -artifact_prefix="$art/$name-" "$corpus" >"$tmp/$name.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^#\([0-9]*\).*DONE.*/\1/p' "$tmp/$name.log" | tail -1)
	cov=$(sed -n 's/^#[0-9]*.*DONE *cov: \([0-9]*\).*/\1/p' "$tmp/$name.log" | tail -1)
	if [ $rc -ne 0 ]; then
		tail -40 "$tmp/$name.log"
		echo "fuzz $name: FAILED (exit $rc) after ${runs:-?} runs; artifacts in $art"
		echo fail >"$tmp/$name.res"
	else
		echo "fuzz $name: ok, ${runs:-?} runs in ${secs}s, $(ls "$corpus" | wc -l) inputs in corpus, cov ${cov:-?}"
		echo pass >"$tmp/$name.res"
	fi
}

# FUZZ_JOBS targets (default: the number of CPUs) fuzz at once, each on its own core; each
# one's report is printed when its batch ends, in the order given
jobs=${FUZZ_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
case $jobs in '' | *[!0-9]* | 0) jobs=1 ;; esac
batch=""
flush() {
	wait
	for n in $batch; do
		cat "$tmp/$n.out"
		if [ "$(cat "$tmp/$n.res" 2>/dev/null)" = pass ]; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
	done
	batch=""
}
k=0
for t in "$@"; do
	n=$(basename "$t")
	one "$t" >"$tmp/$n.out" 2>&1 &
	batch="$batch $n"
	k=$((k + 1))
	[ $((k % jobs)) = 0 ] && flush
done
flush
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]
