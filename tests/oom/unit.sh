#!/bin/sh
# Allocation failures over the unit tests (make check-oom-unit; see tests/oom/inject.c).
# usage: tests/oom/unit.sh BUILD_DIR [PATTERN]
#
# Each unit test binary of BUILD_DIR/tests (built by INJECT=1: ASan, UBSan,
# inject.c; the test's own calls renamed to the C library's, so that only the
# library's allocations are counted) runs clean once, counting the library's
# allocations and noting where each was made; then again with the Nth failing
# (LS_FAIL_ALLOC=N), for
#   OOM_UNIT=sites (the default, CI's): each N that is the first call of its
#       allocation site (the call and its caller: LS_INJECT_SITES in inject.c).
#       Every site of the library the tests reach fails once: the whole loop
#       would take days (test_record alone allocates 880,000 times, 100 s a run);
#   OOM_UNIT=all: every N = 1, 2, ... up to the count (every INJECT_STRIDE-th;
#       INJECT_FIRST, INJECT_LAST as in run.sh): the long loop, not in CI.  A library call must then return its error
# (LS_ENOMEM) with nothing leaked, or cope; the test's own assertion failing
# on that error is what is expected.  So each run is one of
#   coped:    exit 0, every test passed (the failure was absorbed: a fallback,
#             or a retry);
#   asserted: a cmocka assertion failed.  With CMOCKA_TEST_ABORT=1 it calls
#             abort() at the assertion, where the test's frames still hold
#             what it would have freed; inject.c's SIGABRT handler runs
#             LeakSanitizer there (exit 88: a leak; 89: none);
#             (or cmocka's assert_string_equal() read the NULL the library
#             returned: ASan's SEGV at address 0 in strcmp() under _assert_*());
#   test-null: the test passed on a NULL the library returned (see testnull()
#             below): the test's weakness, not the library's; each is printed;
#   bad:      anything else: an ASan, UBSan or LSan report (a leak at the
#             assertion or at exit), a signal cmocka caught ("Test failed with
#             exception"), an assert() of the C library, a hang (OOM_TIMEOUT
#             seconds, 60), any other exit status.
# The binaries listed in tests/oom/unit-slow (with the reason: their clean run
# alone takes seconds to minutes) are left out unless OOM_UNIT_SLOW=1.
# A run's time limit is OOM_TIMEOUT seconds (60) or 3 times the clean run's.
# A test that runs the tools (their children) passes LS_FAIL_ALLOC on; a
# child that fails is judged only through the test's assertions.
# Prints a line per binary (allocations, runs, coped, asserted, seconds) and
# "N passed, N failed"; a bad run prints its output (the first 3 per binary).
set -u
LC_ALL=C.UTF-8
export LC_ALL
B=${1:?usage: unit.sh BUILD_DIR [PATTERN]}
only=${2:-*}
stride=${INJECT_STRIDE:-1}
first=${INJECT_FIRST:-1}
mode=${OOM_UNIT:-sites}
limit=${OOM_TIMEOUT:-60}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $B in
/*) ;;
*) B="$top/$B" ;;
esac
# ASan reports a SEGV itself, cmocka's handler does not take it (allow_user_segv_handler=0)
ASAN_OPTIONS=detect_leaks=1:exitcode=86:abort_on_error=0:handle_abort=0:allow_user_segv_handler=0
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87
LSAN_OPTIONS=exitcode=88
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
unset LS_FAIL_ALLOC LS_FAIL_IO LS_FAIL_WRITE LS_INJECT_REPORT LS_INJECT_UNIT CMOCKA_TEST_ABORT
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
run_timeout=""
command -v timeout >/dev/null && run_timeout="timeout -s KILL $limit"
pass=0
fail=0
failed=""
allpoints=0

# testnull: the run's report is a null pointer used (UBSan's "null pointer", ASan's SEGV in the
# zero page) by the test itself or by the library function the test called with it: frame #0
# or #1 in tests/unit/.  The test did not check what a constructor or ls_concat() returned
# (NULL, for want of memory) before passing it on; the library's own use of a NULL it made
# itself shows deeper frames and stays a failure.
testnull() {
	grep -q -e 'runtime error: .*null pointer' -e 'SEGV on unknown address 0x000000000[0-9a-f]\{3\} ' "$tmp/out" &&
	    grep -m 2 '^ *#[01] ' "$tmp/out" | grep -q ' tests/unit/'
}

# judge N: the run just made ($rc, $tmp/out); sets why (empty: fine) and counts coped, asserted
judge() {
	why=""
	if grep -q 'SEGV on unknown address 0x000000000000' "$tmp/out" &&
	    [ "$(grep -m 2 '^ *#[01] ' "$tmp/out" | grep -c -e ' in __interceptor_str' -e ' in __interceptor_mem' -e ' in _assert_')" = 2 ]; then
		# cmocka's assert_string_equal() or assert_memory_equal() read the NULL the library
		# returned (ls_concat() and the like say "out of memory" so): the assertion failed
		asserted=$((asserted + 1))
	elif testnull; then
		# the test handed on a NULL the library had returned for want of memory
		tnull=$((tnull + 1))
		echo "$name: allocation $n: the test used a NULL: $(grep -m 1 -e 'runtime error:' -e 'ERROR: AddressSanitizer' "$tmp/out" |
		    sed 's/^ *//; s/==[0-9]*==//'); $(grep -m 1 ' in .* tests/unit/' "$tmp/out" | sed 's/^ *#[0-9]* 0x[0-9a-f]* in //')"
	elif grep -q -e 'Sanitizer' -e 'runtime error:' "$tmp/out"; then
		why="sanitizer report"
	elif grep -q 'Test failed with exception' "$tmp/out"; then
		why="a signal (cmocka caught it)"
	elif grep -q 'Assertion .* failed' "$tmp/out"; then
		why="assert() failed"
	elif [ $rc = 0 ]; then
		coped=$((coped + 1))
	elif [ $rc = 89 ] && grep -q 'error: Failure!' "$tmp/out"; then
		asserted=$((asserted + 1))
	elif [ $rc = 88 ]; then
		why="leak at the failed assertion"
	elif [ $rc = 137 ]; then
		why="no end within ${run_timeout#timeout -s KILL } s"
	else
		why="exit $rc"
	fi
}

for t in "$B"/tests/test_*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	case $t in *.o | *.d) continue ;; esac
	name=${t##*/}
	case $name in $only) ;; *) continue ;; esac
	if [ -z "${OOM_UNIT_SLOW:-}" ] && grep -q "^$name " "$top/tests/oom/unit-slow"; then
		echo "$name: left out (tests/oom/unit-slow; OOM_UNIT_SLOW=1 runs it)"
		continue
	fi
	start=$(date +%s)
	rm -f "$tmp/report" "$tmp/sites"
	# (the clean run: no limit; it sets the faulted runs')
	(cd "$top" && LS_INJECT_REPORT=$tmp/report LS_INJECT_SITES=$tmp/sites "$t" >"$tmp/out" 2>&1 </dev/null)
	rc=$?
	# the largest count: a test that runs children has their lines too
	alloc=$(sed -n 's/^alloc=\([0-9]*\).*/\1/p' "$tmp/report" 2>/dev/null | sort -n | tail -n 1)
	if [ $rc != 0 ] || [ -z "$alloc" ]; then
		echo "FAIL $name: the clean run: exit $rc"
		tail -n 20 "$tmp/out"
		fail=$((fail + 1)) failed="$failed $name"
		continue
	fi
	if [ "$mode" = sites ]; then
		awk '!seen[$0]++ { print NR }' "$tmp/sites" >"$tmp/points"
		what="$(wc -l <"$tmp/points") sites"
	else
		awk -v a="$alloc" -v f="$first" -v l="${INJECT_LAST:-$alloc}" -v s="$stride" \
		    'BEGIN { for (n = f; n <= a && n <= l; n += s) print n }' >"$tmp/points"
		what="every $stride"
	fi
	took=$(($(date +%s) - start))
	[ -n "$run_timeout" ] && [ $((3 * took)) -gt $limit ] && run_timeout="timeout -s KILL $((3 * took))"
	points=0 coped=0 asserted=0 bad=0 tnull=0
	while read -r n; do
		rm -f "$tmp/report"
		(cd "$top" && LS_FAIL_ALLOC=$n LS_INJECT_REPORT=$tmp/report LS_INJECT_UNIT=1 CMOCKA_TEST_ABORT=1 \
		    $run_timeout "$t" >"$tmp/out" 2>&1 </dev/null)
		rc=$?
		judge
		points=$((points + 1))
		if [ -n "$why" ]; then
			bad=$((bad + 1))
			echo "FAIL $name: allocation $n: $why"
			[ $bad -le 3 ] || [ -n "${INJECT_LAST:-}" ] && grep -v '^\[ \(RUN\|      OK\) ' "$tmp/out" | tail -n 40 | sed 's/^/    /'
		fi
	done <"$tmp/points"
	allpoints=$((allpoints + points))
	[ -n "$run_timeout" ] && run_timeout="timeout -s KILL $limit"
	echo "$name: $points runs (allocations $alloc, $what): $coped coped, $asserted asserted, $tnull test-null, $bad bad, $(($(date +%s) - start)) s"
	if [ $bad = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed="$failed $name"
	fi
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$allpoints allocation points; $pass passed, $fail failed"
[ "$fail" = 0 ]
