#!/bin/sh
# Run libFuzzer targets: tests/fuzz/run.sh SECONDS TARGET...
# Each target gets a fresh corpus seeded from tests/data/*.csv (and *.tsv)
# and its own tests/fuzz/TARGET.seeds/ when there is one,
# and runs for SECONDS; crashes are kept in build/fuzz/artifacts/.
# The seed is fixed (FUZZ_SEED, default 1) so that CI replays what was run
# before the submission; set another to explore further.
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
export UBSAN_OPTIONS
for t in "$@"; do
	name=$(basename "$t")
	corpus="$tmp/$name"
	mkdir -p "$corpus"
	for f in "$top"/tests/data/*.csv "$top"/tests/data/*.tsv "$top/tests/fuzz/$name.seeds"/*; do
		[ -f "$f" ] && [ "${f##*/}" != README ] && cp "$f" "$corpus/"
	done
	"$t" -seed="${FUZZ_SEED:-1}" -max_total_time="$secs" -timeout=60 -rss_limit_mb=4096 -artifact_prefix="$art/$name-" \
	    "$corpus" >"$tmp/$name.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^#\([0-9]*\).*DONE.*/\1/p' "$tmp/$name.log" | tail -1)
	if [ $rc -ne 0 ]; then
		tail -40 "$tmp/$name.log"
		echo "fuzz $name: FAILED (exit $rc) after ${runs:-?} runs; artifacts in $art"
		failed=$((failed + 1))
	else
		echo "fuzz $name: ok, ${runs:-?} runs in ${secs}s"
		passed=$((passed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]
