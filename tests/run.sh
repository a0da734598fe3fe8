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
#
# CHECK_JOBS (default: the number of CPUs) unit binaries and cases run at
# once, each in its own folder; each one's report is printed whole when it
# ends, and the summary counts them all in name order.  A case that must
# have the machine to itself (it times its kills against a normal run, or
# builds the checkout) is listed in tests/serial.list and runs after the
# others, alone.  CHECK_JOBS=1 runs everything one after the other.
set -u
LC_ALL=C.UTF-8
export LC_ALL

# the step the failing case was in: that of its first differing line of stdout, else of
# stderr, else (only the status differs) its last; $ct is the case's own folder
in_step() {
	for k in out err; do
		if [ $k = out ]; then col=1 want="$c/expect"; else col=2 want="$c/expect.err"; fi
		[ -f "$want" ] || continue
		line=$(cmp "$want" "$ct/$k" 2>/dev/null | sed -n 's/.* line \([0-9]*\).*/\1/p')
		if [ -z "$line" ] && ! cmp -s "$want" "$ct/$k"; then
			# one is the other cut short: the first line past the shorter
			a=$(wc -l <"$want") b=$(wc -l <"$ct/$k")
			line=$(((a < b ? a : b) + 1))
		fi
		[ -n "$line" ] || continue
		awk -v c=$col -v l="$line" '$c < l { s = $0; sub(/^[0-9]+ [0-9]+ /, "", s) } END { print (s == "" ? "(before the first step)" : s) }' "$ct/steps"
		return
	done
	tail -n 1 "$ct/steps" | sed 's/^[0-9]* [0-9]* //'
}

# run.sh --one TMP ITEM: one unit binary (u:NAME) or CLI case (c:TOOL/CASE), run by the pool
# below with the environment it exported; writes TMP/res/KEY (pass, fail or skip and the counts)
# and prints its report in one piece
if [ "${1:-}" = --one ]; then
	tmp=$2 item=$3
	key=$(echo "$item" | tr '/:' '__')
	ct="$tmp/run/$key"
	rm -rf "$ct"
	mkdir -p "$ct"
	log="$ct/log"
	: >"$log"
	case $item in
	u:*)
		name=${item#u:}
		"$B/tests/$name" >"$ct/unit.out" 2>&1
		rc=$?
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$ct/unit.out")
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$ct/unit.out")
		res=pass
		if [ $rc -ne 0 ] || [ -n "$f" ]; then
			[ -z "$f" ] && f=1
			res=fail
			cat "$ct/unit.out" >>"$log"
		fi
		echo "unit $name: ${p:-0} passed, ${f:-0} failed" >>"$log"
		echo "$res ${p:-0} ${f:-0}" >"$tmp/res/$key"
		;;
	c:*)
		name=${item#c:}
		c="$top/tests/cli/$name"
		w="$ct/case"
		mkdir -p "$w/data"
		for d in "$c/data" "${c%/*}/data" "$top/tests/cli/data"; do
			for f in "$d"/*; do
				[ -e "$f" ] && [ ! -e "$w/data/${f##*/}" ] && ln -s "$f" "$w/data/"
			done
		done
		: >"$ct/steps"
		LS_CASE_OUT=$ct/out LS_CASE_ERR=$ct/err LS_CASE_STEPS=$ct/steps
		export LS_CASE_OUT LS_CASE_ERR LS_CASE_STEPS
		(cd "$w" && sh "$c/cmd" >"$ct/out" 2>"$ct/err" </dev/null)
		rc=$?
		# a coverage build (make coverage sets COVERAGE): the lines gcov's runtime prints
		# when it cannot write its counters (a case's ulimit -f) are the measurement's, not the tool's
		if [ -n "${COVERAGE:-}" ]; then
			sed '/^libgcov profiling error:/d; /^profiling:/d' "$ct/err" >"$ct/err.cov"
			mv "$ct/err.cov" "$ct/err"
		fi
		want=0
		[ -f "$c/expect.status" ] && want=$(cat "$c/expect.status")
		if [ "$rc" = 77 ] && [ "$want" != 77 ]; then
			echo "skip $name: $(head -n 1 "$ct/err")" >>"$log"
			echo skip >"$tmp/res/$key"
		else
			ok=1
			if [ "$rc" != "$want" ]; then
				echo "FAIL $name: status $rc, expected $want" >>"$log"
				ok=0
			fi
			if [ -f "$c/expect" ] && ! diff -u "$c/expect" "$ct/out" >"$ct/diff"; then
				echo "FAIL $name: stdout differs" >>"$log"
				cat "$ct/diff" >>"$log"
				ok=0
			fi
			if [ -f "$c/expect.err" ] && ! diff -u "$c/expect.err" "$ct/err" >"$ct/diff"; then
				echo "FAIL $name: stderr differs" >>"$log"
				cat "$ct/diff" >>"$log"
				ok=0
			fi
			if [ $ok = 1 ]; then
				echo pass >"$tmp/res/$key"
			else
				[ -s "$ct/steps" ] && echo "FAIL $name: in step '$(in_step)'" >>"$log"
				echo fail >"$tmp/res/$key"
			fi
		fi
		;;
	esac
	[ -s "$log" ] && cat "$log"
	rm -rf "$ct"
	exit 0
fi

B=${1:?usage: run.sh BUILD_DIR [unit|cli]}
what=${2:-all}
only=${3:-*}
top=$(cd "$(dirname "$0")/.." && pwd)
case $B in
/*) ;;
*) B="$top/$B" ;;
esac
jobs=${CHECK_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
case $jobs in '' | *[!0-9]* | 0) jobs=1 ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/res" "$tmp/run" "$tmp/bin"

# what runs, in name order: unit binaries first, then the CLI cases
: >"$tmp/items"
if [ "$what" != cli ]; then
	for t in "$B"/tests/test_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		case $name in $only) ;; *) continue ;; esac
		echo "u:$name" >>"$tmp/items"
	done
fi
if [ "$what" != unit ]; then
	for c in "$top"/tests/cli/*/*/; do
		[ -f "$c/cmd" ] || continue
		name=${c#"$top"/tests/cli/}
		name=${name%/}
		case $name in $only) ;; *) continue ;; esac
		echo "c:$name" >>"$tmp/items"
	done
fi
# the cases that must run alone (tests/serial.list: NAME, then why) go last
sed -n 's/^\([^#][^ ]*\) .*/c:\1/p' "$top/tests/serial.list" 2>/dev/null | sort -u >"$tmp/serial.all"
grep -Fx -f "$tmp/serial.all" "$tmp/items" >"$tmp/serial" || true
grep -Fvx -f "$tmp/serial.all" "$tmp/items" >"$tmp/parallel" || true

# step NAME: a command, so that it works wherever the case calls it; it notes how many
# lines the case had written to stdout and stderr when the step began
cat >"$tmp/bin/step" <<'EOF'
#!/bin/sh
printf '%s %s %s\n' "$(wc -l <"$LS_CASE_OUT")" "$(wc -l <"$LS_CASE_ERR")" "$*" >>"$LS_CASE_STEPS"
EOF
chmod +x "$tmp/bin/step"
PATH="$B/bin:$tmp/bin:$PATH"
DATA=data
TOP=$top
export PATH DATA TOP B top
self="$top/tests/run.sh"
[ -s "$tmp/parallel" ] && xargs -P "$jobs" -n 1 sh "$self" --one "$tmp" <"$tmp/parallel"
[ -s "$tmp/serial" ] && xargs -P 1 -n 1 sh "$self" --one "$tmp" <"$tmp/serial"

pass=0
fail=0
failed=""
skip=0
skipped=""
while read -r item; do
	name=${item#?:}
	key=$(echo "$item" | tr '/:' '__')
	if [ ! -f "$tmp/res/$key" ]; then
		echo "FAIL $name: no result (the runner was interrupted)"
		set -- fail 0 1
	else
		set -- $(cat "$tmp/res/$key")
	fi
	case $item in
	u:*)
		pass=$((pass + ${2:-0}))
		fail=$((fail + ${3:-0}))
		[ "$1" = fail ] && failed="$failed $name"
		;;
	*)
		case $1 in
		pass) pass=$((pass + 1)) ;;
		skip) skip=$((skip + 1)) skipped="$skipped $name" ;;
		*) fail=$((fail + 1)) failed="$failed $name" ;;
		esac
		;;
	esac
done <"$tmp/items"

[ -n "$skipped" ] && echo "skipped ($skip, each said why above):$skipped"
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
