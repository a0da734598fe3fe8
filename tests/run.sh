#!/bin/sh
# Test runner: cmocka unit binaries, then the CLI cases under tests/cli/.
# usage: tests/run.sh BUILD_DIR [unit|cli|all] [PATTERN]
# PATTERN (a shell pattern, such as 'lead-qualify/*' or '*early-stop*')
# limits the run to the unit binaries and CLI cases whose names match it.
# A CLI case is a folder holding `cmd` (a sh script run in a fresh temp
# folder, with $DATA = tests/data and the built tools first on PATH), `expect`
# (stdout), and optionally `expect.err` (stderr) and `expect.status` (default 0).
# A case that cannot run here (a browser, GNU parallel, node missing) exits 77
# with the reason on stderr: it is counted as skipped, and named, not passed.
# COVERAGE=1 (make coverage) drops gcov's own messages from the cases' stderr.
set -u
LC_ALL=C.UTF-8
export LC_ALL
B=${1:?usage: run.sh BUILD_DIR [unit|cli]}
what=${2:-all}
only=${3:-*}
top=$(cd "$(dirname "$0")/.." && pwd)
case $B in
/*) ;;
*) B="$top/$B" ;;
esac
pass=0
fail=0
failed=""
skip=0
skipped=""
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ "$what" != cli ]; then
	for t in "$B"/tests/test_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		case $name in $only) ;; *) continue ;; esac
		"$t" >"$tmp/unit.out" 2>&1
		rc=$?
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$tmp/unit.out")
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$tmp/unit.out")
		pass=$((pass + ${p:-0}))
		fail=$((fail + ${f:-0}))
		if [ $rc -ne 0 ] || [ -n "$f" ]; then
			[ -z "$f" ] && fail=$((fail + 1))
			failed="$failed $name"
			cat "$tmp/unit.out"
		fi
		echo "unit $name: ${p:-0} passed, ${f:-0} failed"
	done
fi

if [ "$what" != unit ]; then
	PATH="$B/bin:$PATH"
	# cases name fixtures as $DATA/x: a relative link keeps messages free of the checkout's path
	DATA=data
	export PATH DATA
	for c in "$top"/tests/cli/*/*/; do
		[ -f "$c/cmd" ] || continue
		name=${c#"$top"/tests/cli/}
		name=${name%/}
		case $name in $only) ;; *) continue ;; esac
		w="$tmp/case"
		rm -rf "$w"
		mkdir -p "$w"
		ln -s "$top/tests/data" "$w/data"
		(cd "$w" && sh "$c/cmd" >"$tmp/out" 2>"$tmp/err" </dev/null)
		rc=$?
		# a coverage build (make coverage sets COVERAGE): the lines gcov's runtime prints
		# when it cannot write its counters (a case's ulimit -f) are the measurement's, not the tool's
		if [ -n "${COVERAGE:-}" ]; then
			sed '/^libgcov profiling error:/d; /^profiling:/d' "$tmp/err" >"$tmp/err.cov"
			mv "$tmp/err.cov" "$tmp/err"
		fi
		want=0
		[ -f "$c/expect.status" ] && want=$(cat "$c/expect.status")
		if [ "$rc" = 77 ] && [ "$want" != 77 ]; then
			skip=$((skip + 1))
			skipped="$skipped $name"
			echo "skip $name: $(head -n 1 "$tmp/err")"
			continue
		fi
		ok=1
		if [ "$rc" != "$want" ]; then
			echo "FAIL $name: status $rc, expected $want"
			ok=0
		fi
		if [ -f "$c/expect" ] && ! diff -u "$c/expect" "$tmp/out" >"$tmp/diff"; then
			echo "FAIL $name: stdout differs"
			cat "$tmp/diff"
			ok=0
		fi
		if [ -f "$c/expect.err" ] && ! diff -u "$c/expect.err" "$tmp/err" >"$tmp/diff"; then
			echo "FAIL $name: stderr differs"
			cat "$tmp/diff"
			ok=0
		fi
		if [ $ok = 1 ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			failed="$failed $name"
		fi
	done
fi

[ -n "$skipped" ] && echo "skipped ($skip, each said why above):$skipped"
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
