#!/bin/sh
# The CLI cases with every tool run under valgrind's memcheck (make
# check-valgrind).  usage: tests/valgrind.sh BUILD_DIR [PATTERN]
#
# Wrappers named like the tools (and ls-cat) stand first on PATH and run
# the built binaries under memcheck, each process logging to a file of its
# own: any error (invalid read or write, use of uninitialised memory, a bad
# free, a file descriptor passed to a call unopened) or a definitely lost
# block there fails the case, whatever the case's own status and output say
# (a tool writing into `| head` hides its status).  Memory still reachable
# at exit is not an error.  The case's own expectations are checked as in
# `make check`: memcheck writes nothing into them (-q, logs to files).
#
# Cases listed in tests/valgrind.skip (NAME, then the reason) are not run,
# and each is printed with its reason: those whose hundreds of thousands of
# rows take minutes under memcheck's slowdown of 20 to 50 times, and those
# that kill a tool at timed moments.  VALGRIND_JOBS (default 2) cases run at
# once.  The last line is "N passed, N failed".
set -u
if [ "${1:-}" = --one ]; then
	# one case, run by the loop below: $2 the work folder, $3 the case
	w=$2 name=$3
	top=$(cd "$(dirname "$0")/.." && pwd)
	key=$(echo "$name" | tr / _)
	VG_LOGS="$w/logs/$key"
	export VG_LOGS
	mkdir -p "$VG_LOGS"
	start=$(date +%s)
	sh "$top/tests/run.sh" "$w" cli "$name" >"$w/res/$key.out" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	bad=""
	for l in "$VG_LOGS"/*.log; do
		[ -s "$l" ] && bad="$bad $l"
	done
	if [ $rc -ne 0 ] || [ -n "$bad" ]; then
		{
			echo "FAIL $name (${secs}s)"
			grep -v 'passed, .* failed$' "$w/res/$key.out"
			for l in $bad; do
				echo "--- memcheck: $(basename "$l")"
				head -80 "$l"
			done
		} >"$w/res/$key.fail"
		cat "$w/res/$key.fail"
	else
		echo "ok $name (${secs}s)"
		: >"$w/res/$key.pass"
	fi
	exit 0
fi

B=${1:?usage: valgrind.sh BUILD_DIR [PATTERN]}
only=${2:-*}
top=$(cd "$(dirname "$0")/.." && pwd)
case $B in /*) ;; *) B="$top/$B" ;; esac
command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)" >&2; exit 1; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT INT TERM
mkdir -p "$w/bin" "$w/logs" "$w/res"
for t in "$B"/bin/*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	# the tool is named as found on PATH, so that its argv[0] (in getopt's messages) is its
	# name, as without valgrind, not the path valgrind was given
	cat >"$w/bin/$n" <<WRAP
#!/bin/sh
PATH="$B/bin:\$PATH" exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \\
    --errors-for-leak-kinds=definite --log-file="\$VG_LOGS/$n.%p.log" $n "\$@"
WRAP
	chmod +x "$w/bin/$n"
done

skip=0
: >"$w/cases"
for c in "$top"/tests/cli/*/*/; do
	[ -f "$c/cmd" ] || continue
	name=${c#"$top"/tests/cli/}
	name=${name%/}
	case $name in $only) ;; *) continue ;; esac
	why=$(awk -v n="$name" '$1 == n { $1 = ""; sub(/^ /, ""); print; exit }' "$top/tests/valgrind.skip")
	if [ -n "$why" ]; then
		echo "skip $name: $why"
		skip=$((skip + 1))
		continue
	fi
	echo "$name" >>"$w/cases"
done
start=$(date +%s)
xargs -P "${VALGRIND_JOBS:-2}" -n 1 sh "$0" --one "$w" <"$w/cases"
pass=$(ls "$w/res" | grep -c '\.pass$')
fail=$(ls "$w/res" | grep -c '\.fail$')
echo "valgrind: $(wc -l <"$w/cases") cases in $(($(date +%s) - start))s, $skip skipped (listed above, each with its reason)"
[ "$fail" = 0 ] || echo "failed under valgrind:$(ls "$w/res" | sed -n 's/\.fail$//p' | tr '\n' ' ')"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
