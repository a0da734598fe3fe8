#!/bin/sh
# Test runner: cmocka unit binaries, then the CLI cases under tests/cli/.
# usage: tests/run.sh BUILD_DIR [unit|cli|all] [PATTERN]
# PATTERN (a shell pattern, such as 'lead-qualify/*' or '*early-stop*')
# limits the run to the unit binaries and CLI cases whose names match it.
#
# The CLI cases and their inputs:
#   tests/cli/TOOL/CASE/cmd          a sh script, run in a fresh temp folder with
#                                    the built tools first on PATH
#   tests/cli/TOOL/CASE/expect       its stdout; expect.err its stderr (optional),
#                                    expect.status its exit status (default 0)
#   tests/cli/TOOL/CASE/data/        inputs only this case reads
#   tests/cli/TOOL/data/             inputs several cases of TOOL read
#   tests/cli/data/                  inputs cases of several TOOLs read
# (TOOL is a tool's name, or shared/ for the cases every tool passes, or
# daily/ for the whole checkout's.)  The case sees them all in one folder,
# ./data, as $DATA=data: each file linked from the nearest of the three
# (a relative name keeps the checkout's path out of messages:
# "data/lq-base.csv:3: ...").  $TOP is the checkout, for cases that read
# examples/ or run make.
#
# A case names its parts with `step NAME` (a command on PATH): when it fails,
# the runner says in which step its first differing line (or its exit) was.
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
# the step the failing case was in: that of its first differing line of stdout, else of
# stderr, else (only the status differs) its last
in_step() {
	for k in out err; do
		if [ $k = out ]; then col=1 want="$c/expect"; else col=2 want="$c/expect.err"; fi
		[ -f "$want" ] || continue
		line=$(cmp "$want" "$tmp/$k" 2>/dev/null | sed -n 's/.* line \([0-9]*\).*/\1/p')
		if [ -z "$line" ] && ! cmp -s "$want" "$tmp/$k"; then
			# one is the other cut short: the first line past the shorter
			a=$(wc -l <"$want") b=$(wc -l <"$tmp/$k")
			line=$(((a < b ? a : b) + 1))
		fi
		[ -n "$line" ] || continue
		awk -v c=$col -v l="$line" '$c < l { s = $0; sub(/^[0-9]+ [0-9]+ /, "", s) } END { print (s == "" ? "(before the first step)" : s) }' "$tmp/steps"
		return
	done
	tail -n 1 "$tmp/steps" | sed 's/^[0-9]* [0-9]* //'
}
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
	# step NAME: a command, so that it works wherever the case calls it; it notes how many
	# lines the case had written to stdout and stderr when the step began
	mkdir -p "$tmp/bin"
	cat >"$tmp/bin/step" <<'EOF'
#!/bin/sh
printf '%s %s %s\n' "$(wc -l <"$LS_CASE_OUT")" "$(wc -l <"$LS_CASE_ERR")" "$*" >>"$LS_CASE_STEPS"
EOF
	chmod +x "$tmp/bin/step"
	PATH="$B/bin:$tmp/bin:$PATH"
	DATA=data
	TOP=$top
	LS_CASE_OUT=$tmp/out LS_CASE_ERR=$tmp/err LS_CASE_STEPS=$tmp/steps
	export PATH DATA TOP LS_CASE_OUT LS_CASE_ERR LS_CASE_STEPS
	for c in "$top"/tests/cli/*/*/; do
		[ -f "$c/cmd" ] || continue
		name=${c#"$top"/tests/cli/}
		name=${name%/}
		case $name in $only) ;; *) continue ;; esac
		w="$tmp/case"
		rm -rf "$w"
		mkdir -p "$w"
		mkdir "$w/data"
		for d in "$c/data" "${c%/*/}/data" "$top/tests/cli/data"; do
			for f in "$d"/*; do
				[ -e "$f" ] && [ ! -e "$w/data/${f##*/}" ] && ln -s "$f" "$w/data/"
			done
		done
		: >"$tmp/steps"
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
			[ -s "$tmp/steps" ] && echo "FAIL $name: in step '$(in_step)'"
			fail=$((fail + 1))
			failed="$failed $name"
		fi
	done
fi

[ -n "$skipped" ] && echo "skipped ($skip, each said why above):$skipped"
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
