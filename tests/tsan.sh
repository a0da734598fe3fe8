#!/bin/sh
# The threaded tests under ThreadSanitizer: the reader units (readahead
# lockstep, early stop, failing hooks), one zone shared by threads, and the
# early-stop CLI cases run with the reading thread on.
# usage: tests/tsan.sh BUILD_DIR
set -u
B=${1:?usage: tsan.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
case $B in /*) ;; *) B="$top/$B" ;; esac
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
LS_THREADS=2
export TSAN_OPTIONS LS_THREADS
pass=0 fail=0
# test_zone: one zone shared by four converting threads (the oracle alone would take minutes here)
for t in test_record test_qualify "test_zone test_threads"; do
	if $B/tests/$t >/tmp/tsan.$$ 2>&1; then
		pass=$((pass + 1)); echo "tsan $t: ok"
	else
		fail=$((fail + 1)); echo "tsan $t: FAILED"; cat /tmp/tsan.$$
	fi
done
w=$(mktemp -d)
trap 'rm -rf "$w" /tmp/tsan.$$' EXIT INT TERM
cd "$w" || exit 1
{ echo lead_id,phone,email,company; seq 200000 | awk '{printf "L%d,+7916%07d,u%d@ex.ru,Co %d\n",$1,$1,$1,$1%5000}'; } > big.csv
sed '150000s/$/,x/' big.csv > bad.csv
printf 'strategy: round_robin\nsticky: company\nmanagers:\n  - {id: a}\n  - {id: b}\n' > team.yaml
run() {
	name=$1; shift
	"$@" >/dev/null 2>err
	# the exit status is the case's own (a bad record gives 1): only a report fails it
	if ! grep -q 'ThreadSanitizer' err; then
		pass=$((pass + 1)); echo "tsan $name: ok"
	else
		fail=$((fail + 1)); echo "tsan $name: FAILED"; cat err
	fi
}
PATH="$B/bin:$PATH"
run lead-qualify-whole lead-qualify big.csv
run lead-qualify-bad lead-qualify bad.csv
run lead-qualify-pipe sh -c 'lead-qualify big.csv | head -1'
run lead-qualify-full sh -c 'lead-qualify big.csv > /dev/full'
run lead-assign-whole lead-assign -n -c team.yaml big.csv
run lead-assign-pipe sh -c 'lead-assign -n -c team.yaml big.csv | head -1'
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
