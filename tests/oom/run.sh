#!/bin/sh
# Fault injection loop (make check-oom, make check-iofault; see tests/oom/inject.c).
# usage: tests/oom/run.sh BUILD_DIR alloc|io [PATTERN]
#
# Each case, tests/oom/cases/NAME, is a sh file that sets PROG (the tool it
# tests), may define setup() (run once, clean, to make the files the command
# finds) and defines run() (the one command faults are injected into; the
# tools are on PATH, the case's inputs in ./data as for the CLI cases).  The
# case runs clean once, counting its calls; then, for N = 1, 2, ... up to that
# count (every INJECT_STRIDE-th N), from the same files again with call N failing:
#   alloc: the Nth allocation (LS_FAIL_ALLOC=N);
#   io:    the Nth I/O call, with EIO (LS_FAIL_IO=N), then the Nth call that
#          writes, with ENOSPC (LS_FAIL_WRITE=N).
# Every run must
#   - make no sanitizer report (ASan, UBSan, LeakSanitizer: no leak either);
#   - alloc: exit 1 with "PROG: out of memory" as the last line of standard error;
#     io: exit 1 or 2 (a config that cannot be read is a config error) with the
#     last line "PROG: ...: Input/output error" (or "No space left on device");
#     (or "PROG: write error on standard output" when the call failed was a write
#     to standard output: inject.c names it fwrite-stdout and the like);
#     or exit 0 as the clean run did, its files and output the same, when the call
#     that failed is one whose failure changes nothing (a read, the close of a file
#     or stream read, the open and sync of a folder after a rename, the
#     sync_file_range that only starts a writeback: see inject.c);
#   - leave every file of the folder (the kept files, -o outputs) as it was before
#     the run or as the clean run left it, byte for byte: none torn, no temporary
#     left (lock files, which runs leave by design, excepted).
# Prints a line per case (how many points, how long) and "N passed, N failed".
# OOM_JOBS=N cases run at once (default: the number of CPUs).
set -u
LC_ALL=C.UTF-8
export LC_ALL
B=${1:?usage: run.sh BUILD_DIR alloc|io [PATTERN]}
mode=${2:?usage: run.sh BUILD_DIR alloc|io [PATTERN]}
only=${3:-*}
stride=${INJECT_STRIDE:-1}
# INJECT_FIRST=N, INJECT_LAST=N: only those points (to look at one again)
first=${INJECT_FIRST:-1}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $B in
/*) ;;
*) B="$top/$B" ;;
esac
# OOM_JOBS (default: the number of CPUs) cases at once, each by a run of this script of its own
# (its own folder); each case's lines are printed whole when it ends, then the sums
jobs=${OOM_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
case $jobs in '' | *[!0-9]* | 0) jobs=1 ;; esac
if [ -z "${OOM_ONE:-}" ] && [ "$jobs" -gt 1 ]; then
	par=$(mktemp -d)
	trap 'rm -rf "$par"' EXIT
	trap 'exit 1' INT TERM
	for c in "$top"/tests/oom/cases/*; do
		case ${c##*/} in $only) echo "${c##*/}" ;; esac
	done >"$par/cases"
	OOM_ONE=1 OOM_PAR=$par
	export OOM_ONE OOM_PAR
	[ -s "$par/cases" ] && xargs -P "$jobs" -n 1 sh -c \
	    'sh "$0" "$1" "$2" "$3" >"$OOM_PAR/$3.out" 2>&1; grep -v "^[0-9]* passed, [0-9]* failed\$" "$OOM_PAR/$3.out"' \
	    "$top/tests/oom/run.sh" "$B" "$mode" <"$par/cases"
	pass=0 fail=0 failed=""
	while read -r n; do
		p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$par/$n.out" 2>/dev/null)
		f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$par/$n.out" 2>/dev/null)
		[ -n "$p" ] || { p=0 f=1; echo "FAIL $n: its run ended without a verdict"; }
		pass=$((pass + p)) fail=$((fail + f))
		[ "$f" = 0 ] || failed="$failed $n"
	done <"$par/cases"
	[ -n "$failed" ] && echo "failed:$failed"
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
fi
PATH="$B/bin:$PATH"
# a leak is an error like any other; the exit codes tell a sanitizer's stop from the tool's
ASAN_OPTIONS=detect_leaks=1:exitcode=86:abort_on_error=0
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87
LSAN_OPTIONS=exitcode=88
DATA=data
TOP=$top
export PATH ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS DATA TOP
unset LS_FAIL_ALLOC LS_FAIL_IO LS_FAIL_WRITE LS_INJECT_REPORT
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
pass=0
fail=0
failed=""

# the files of folder $1 (lock files and the run's own stdout/stderr left out), one a line
files() {
	(cd "$1" && find . \( -type f -o -type l \) ! -name '*.lock' ! -name '.stdout' ! -name '.stderr' | sort)
}

# same_as DIR W: every file of W and of DIR is in both, the same bytes
same_as() {
	files "$1" >"$tmp/l1"
	files "$2" >"$tmp/l2"
	cmp -s "$tmp/l1" "$tmp/l2" || return 1
	while read -r f; do
		cmp -s "$1/$f" "$2/$f" || return 1
	done <"$tmp/l1"
	return 0
}

# kept_ok: every file of the faulted run's folder is absent or as before or as after the clean
# run; one that is in neither is a temporary left, one that differs from both is torn
kept_ok() {
	{ files "$tmp/before"; files "$tmp/after"; files "$tmp/w"; } | sort -u >"$tmp/all"
	bad=""
	while read -r f; do
		for s in before after; do
			if [ -e "$tmp/w/$f" ]; then
				[ -e "$tmp/$s/$f" ] && cmp -s "$tmp/$s/$f" "$tmp/w/$f" && continue 2
			else
				[ -e "$tmp/$s/$f" ] || continue 2
			fi
		done
		if [ ! -e "$tmp/w/$f" ]; then
			bad="$bad $f(gone)"
		elif [ ! -e "$tmp/before/$f" ] && [ ! -e "$tmp/after/$f" ]; then
			bad="$bad $f(left)"
		else
			bad="$bad $f(torn)"
		fi
	done <"$tmp/all"
	[ -z "$bad" ]
}

# one run of the case's command in $tmp/w, from the files of $tmp/before
run_case() {
	rm -rf "$tmp/w"
	cp -a "$tmp/before" "$tmp/w"
	(cd "$tmp/w" && . "$c" && run >.stdout 2>.stderr </dev/null)
	rc=$?
}

# check KIND N: judge the run just made, failing call N of KIND (alloc, io, write)
check() {
	why=""
	last=$(tail -n 1 "$tmp/w/.stderr")
	fired=$(sed -n 's/.* failed=\([a-z-]*\).*/\1/p' "$tmp/report" 2>/dev/null | tail -n 1)
	if grep -q -e 'Sanitizer' -e 'runtime error:' "$tmp/w/.stderr"; then
		why="sanitizer report"
	elif [ $rc = 0 ]; then
		# a fault that changed nothing: allowed where losing the call loses nothing
		case $1:$fired in
		alloc:*) ok=" the run must fail" ;;
		# (sync_file_range only starts a writeback early: the fdatasync after it is the sync)
		*:close | *:fclose-read | *:fsync-dir | *:open-dir | *:openat-dir | *:read | *:pread | *:fread | *:getline | \
		    *:sync-file-range) ok="" ;;
		*) ok=" a lost write must fail the run" ;;
		esac
		if [ -n "$ok" ] && [ -n "$fired" ]; then
			# (no fault fired: the run made fewer calls this time, threads)
			cmp -s "$tmp/after/.stdout" "$tmp/w/.stdout" && same_as "$tmp/after" "$tmp/w" ||
			    why="exit 0 after a failed $fired, output differs"
			[ -z "$why" ] && case $1:$fired in alloc:*) ;; *) why="exit 0 after a failed $fired:$ok" ;; esac
		elif ! cmp -s "$tmp/after/.stdout" "$tmp/w/.stdout" || ! same_as "$tmp/after" "$tmp/w"; then
			why="exit 0 after a failed ${fired:-call}, but its output or files differ from the clean run's"
		fi
	elif [ $1 = alloc ]; then
		[ $rc = 1 ] || why="exit $rc, expected 1"
		[ -z "$why" ] && [ "$last" != "$PROG: out of memory" ] && why="last message: $last"
	else
		case $rc in 1 | 2) ;; *) why="exit $rc, expected 1 or 2" ;; esac
		if [ -z "$why" ]; then
			case $last:$fired in
			"$PROG: "*"Input/output error"*:* | "$PROG: "*"No space left on device"*:*) ;;
			# a stdio write to standard output that failed inside the C library leaves
			# only ferror() behind by the end (cli_stream.c, ls_finish_output): the
			# stream is named, its errno is gone
			"$PROG: write error on standard output":*-stdout) ;;
			*) why="last message: $last" ;;
			esac
		fi
	fi
	[ -z "$why" ] && ! kept_ok && why="files:$bad"
	if [ -n "$why" ]; then
		echo "FAIL $name: $1 $2 (${fired:-no fault}): $why"
		# INJECT_KEEP=DIR: the folder of each failing run, and the clean run's, kept there
		if [ -n "${INJECT_KEEP:-}" ]; then
			mkdir -p "$INJECT_KEEP"
			rm -rf "$INJECT_KEEP/$name-$1-$2" "$INJECT_KEEP/$name-clean"
			cp -a "$tmp/w" "$INJECT_KEEP/$name-$1-$2"
			cp -a "$tmp/after" "$INJECT_KEEP/$name-clean"
		fi
		[ "$cfail" -le 3 ] || [ -n "${INJECT_LAST:-}" ] && sed 's/^/    /' "$tmp/w/.stderr" | head -n 20
		return 1
	fi
	return 0
}

# loop KIND VAR COUNT: every N of KIND up to COUNT
loop() {
	n=$first
	while [ $n -le "${INJECT_LAST:-$3}" ] && [ $n -le "$3" ]; do
		rm -f "$tmp/report"
		(
			export "$2=$n"
			LS_INJECT_REPORT=$tmp/report
			export LS_INJECT_REPORT
			run_case
			check "$1" $n
		) || cfail=$((cfail + 1))
		points=$((points + 1))
		n=$((n + stride))
	done
}

for c in "$top"/tests/oom/cases/*; do
	name=${c##*/}
	case $name in $only) ;; *) continue ;; esac
	start=$(date +%s)
	rm -rf "$tmp/before" "$tmp/w" "$tmp/after"
	mkdir -p "$tmp/w/data"
	for d in "$top"/tests/cli/data "$top"/tests/cli/*/data; do
		for f in "$d"/*; do
			[ -e "$tmp/w/data/${f##*/}" ] || ln -s "$f" "$tmp/w/data/"
		done
	done
	if ! (cd "$tmp/w" && . "$c" && if command -v setup >/dev/null; then setup; fi) >"$tmp/setup.out" 2>&1; then
		echo "FAIL $name: setup failed"
		cat "$tmp/setup.out"
		fail=$((fail + 1)) failed="$failed $name"
		continue
	fi
	rm -rf "$tmp/before"
	mv "$tmp/w" "$tmp/before"
	PROG=$(. "$c"; echo "$PROG")
	rm -f "$tmp/report"
	LS_INJECT_REPORT=$tmp/report run_case
	counts=$(tail -n 1 "$tmp/report" 2>/dev/null)
	if [ $rc != 0 ] || [ -z "$counts" ]; then
		echo "FAIL $name: the clean run: exit $rc"
		cat "$tmp/w/.stderr"
		fail=$((fail + 1)) failed="$failed $name"
		continue
	fi
	mv "$tmp/w" "$tmp/after"
	alloc=${counts#*alloc=} alloc=${alloc%% *}
	io=${counts#*io=} io=${io%% *}
	wr=${counts#*write=} wr=${wr%% *}
	points=0
	cfail=0
	if [ "$mode" = alloc ]; then
		loop alloc LS_FAIL_ALLOC "$alloc"
	else
		loop io LS_FAIL_IO "$io"
		loop write LS_FAIL_WRITE "$wr"
	fi
	echo "$name: $mode: $points runs (allocations $alloc, I/O calls $io, writes $wr; every $stride), $cfail failed, $(($(date +%s) - start)) s"
	if [ $cfail = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed="$failed $name"
	fi
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
