#!/bin/sh
# bench/ticket-log.sh - ticket-log against sqlite3 on the same generated data.
# A benchmark, not a test: it prints figures and never fails on a slow one.
#
#   sh bench/ticket-log.sh BUILD_DIR EVENTS [APPENDS]
#
# Generates an EVENTS-event log over EVENTS/10 tickets (ten events a ticket:
# open, notes, replies, a pending spell, and for two tickets in three a
# solve) as a v1 log, makes the v2 log (with its hash chain) from it with
# ticket-log upgrade (timed), loads the same events into an sqlite3 table
# (not timed), then times:
#   - ticket-log list on the v2 log with the SLA file beside it, on the same
#     log without one (issue 29: at most 2x), and on the v1 log (what the
#     chain costs a reader); ticket-log check on both (what verifying costs);
#   - ticket-log list, against sqlite3 building the same rows (last state per
#     ticket, subject and opened_at from the open, first reply, last update);
#   - ticket-log list --overdue, against sqlite3 selecting unsolved tickets
#     past their resolution target in calendar time (sqlite3 has no business
#     calendar: ticket-log does more work here);
#   - appends: APPENDS (default 200) notes, one ticket-log process each with
#     its lock and fsync, on a fresh log and on the EVENTS-event log, against
#     sqlite3 in WAL mode with synchronous=FULL, one transaction per event, in
#     one process and with one sqlite3 process per event; and the same notes
#     on the v1 log (what taking the last record's hash costs an append).
# Figures: wall seconds, CPU seconds (user + system) and peak RSS, from
# /usr/bin/time.  Data goes to build/bench-data/tl/.
set -u
B=${1:?usage: sh bench/ticket-log.sh BUILD_DIR EVENTS [APPENDS]}
N=${2:?usage: sh bench/ticket-log.sh BUILD_DIR EVENTS [APPENDS]}
M=${3:-200}
case $N$M in
*[!0-9]*) echo "bench: EVENTS and APPENDS must be numbers" >&2; exit 2 ;;
esac
[ "$N" -ge 10 ] || { echo "bench: EVENTS must be at least 10" >&2; exit 2; }
TL=$B/bin/ticket-log
[ -x "$TL" ] || { echo "bench: no $TL (run make first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
D=build/bench-data/tl
rm -rf "$D"
mkdir -p "$D" || exit 1
export TZ=Europe/Moscow
say() { echo "bench: $*" >&2; }

T=$((N / 10))
say "generating $N events over $T tickets"
# ts: 2026-11-02T09:00:00+03:00 plus 2 s an event, written without strftime (mawk has none)
awk -v n="$N" -v t="$T" '
function ts(s,   d, z, era, doe, yoe, y, doy, mp, dd, m, h, mi, se) {
	s += 10800; d = int(s / 86400); s -= d * 86400
	z = d + 719468; era = int(z / 146097); doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153); dd = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
	h = int(s / 3600); mi = int((s % 3600) / 60); se = s % 60
	return sprintf("%04d-%02d-%02dT%02d:%02d:%02d+03:00", y, m, dd, h, mi, se)
}
BEGIN {
	print "# ticket-log v1"
	print "seq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch"
	split("low normal high urgent", pr, " ")
	base = 1793599200	# 2026-11-02T06:00:00Z
	seq = 0
	for (r = 0; r < 10; r++)
		for (k = 1; k <= t && seq < n; k++) {
			seq++
			id = sprintf("T-%06d", k); c = "Клиент " (k % 5000); a = "agent" (k % 20); p = pr[k % 4 + 1]
			ev = "note"; st = "open"; tx = "заметка " r; sj = ""; ch = ""
			if (r == 0) { ev = "open"; st = "new"; tx = ""; sj = "Вопрос по заказу " k; ch = "email" }
			else if (r == 1) { st = "new" }
			else if (r == 2 || r == 7) { ev = "reply"; tx = "ответ клиенту: пункт " r }
			else if (r == 3) { ev = "status"; st = "pending"; tx = "" }
			else if (r == 4) { ev = "status"; st = "open"; tx = "" }
			else if (r == 9 && k % 3 != 0) { ev = "status"; st = "solved"; tx = "" }
			printf "%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,\n", seq, ts(base + seq * 2), id, ev, st, c, a, p, tx, sj, ch
		}
}' >"$D/tickets.csv"
cat >"$D/sla.yaml" <<'EOF'
timezone: Europe/Moscow
business_hours: {days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00"}
holidays: [2026-11-04, 2026-12-31, 2027-01-01..2027-01-08]
targets:
  urgent: {first_response: 30m, resolution: 4h}
  high:   {first_response: 1h,  resolution: 1d}
  normal: {first_response: 4h,  resolution: 3d}
  low:    {first_response: 1d,  resolution: 10d}
EOF
last=$(tail -n 1 "$D/tickets.csv" | cut -d, -f2)
NOW=$last
export TICKET_LOG_NOW="$NOW"
"$TL" -f "$D/tickets.csv" check >&2 || exit 1
# the v1 log as generated is kept as v1.csv; tickets.csv becomes v2, the log every new run writes
cp "$D/tickets.csv" "$D/v1.csv"
mkdir -p "$D/nosla"

HAVE_SQLITE=0
if command -v sqlite3 >/dev/null 2>&1; then
	HAVE_SQLITE=1
	say "loading sqlite3 (not timed)"
	tail -n +3 "$D/tickets.csv" >"$D/events.csv"
	sqlite3 "$D/tickets.db" >/dev/null <<EOF
PRAGMA journal_mode=WAL;
CREATE TABLE events(seq INTEGER PRIMARY KEY, ts TEXT, ticket_id TEXT, event TEXT, status TEXT,
  client TEXT, agent TEXT, priority TEXT, text TEXT, subject TEXT, channel TEXT, batch TEXT);
.import --csv $D/events.csv events
CREATE INDEX events_ticket ON events(ticket_id, seq);
ANALYZE;
EOF
else
	say "sqlite3 is not installed: its rows are skipped (apt-get install sqlite3)"
fi

LIST_SQL="WITH last AS (SELECT ticket_id, max(seq) AS seq,
    min(CASE WHEN event = 'reply' THEN ts END) AS fr FROM events GROUP BY ticket_id)
SELECT o.ticket_id, e.client, o.subject, e.status, e.priority, e.agent, o.ts, last.fr, e.ts
FROM last JOIN events e ON e.seq = last.seq
JOIN events o ON o.ticket_id = last.ticket_id AND o.event = 'open' ORDER BY o.seq;"
OVERDUE_SQL="WITH last AS (SELECT ticket_id, max(seq) AS seq FROM events GROUP BY ticket_id)
SELECT o.ticket_id, e.client, o.subject, e.status, e.priority, e.agent, o.ts
FROM last JOIN events e ON e.seq = last.seq
JOIN events o ON o.ticket_id = last.ticket_id AND o.event = 'open'
WHERE e.status NOT IN ('solved', 'closed') AND julianday('$NOW') - julianday(o.ts) >
  CASE e.priority WHEN 'urgent' THEN 4/24.0 WHEN 'high' THEN 1 WHEN 'normal' THEN 3 ELSE 10 END
ORDER BY o.seq;"

ROWS=""
# run NAME CMD...: time CMD (stdout to $D/NAME.out), add a table row
run() {
	name=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$D/time" "$@" >"$D/$name.out" 2>"$D/$name.err"
	rc=$?
	set -- $(tail -n 1 "$D/time")
	cpu=$(echo "$2 $3" | awk '{ printf "%.2f", $1 + $2 }')
	lines=$(wc -l <"$D/$name.out")
	ROWS="$ROWS| $name | $1 | $cpu | $(($4 / 1024)) | $lines | $rc |
"
}

say "upgrade to v2"
run "ticket-log upgrade (v1 to v2, $N events)" "$TL" -f "$D/tickets.csv" upgrade
rm -f "$D/tickets.csv.v1"
cp "$D/tickets.csv" "$D/nosla/tickets.csv"
say "list"
run "ticket-log list" "$TL" -f "$D/tickets.csv" list
run "ticket-log list --overdue" "$TL" -f "$D/tickets.csv" list --overdue
run "ticket-log list, no SLA file" "$TL" -f "$D/nosla/tickets.csv" list
run "ticket-log list, v1 log" "$TL" -f "$D/v1.csv" list
run "ticket-log list --overdue, v1 log" "$TL" -f "$D/v1.csv" list --overdue
run "ticket-log check (hash chain verified)" "$TL" -f "$D/tickets.csv" check
run "ticket-log check, v1 log (no chain)" "$TL" -f "$D/v1.csv" check
if [ $HAVE_SQLITE = 1 ]; then
	run "sqlite3 list" sqlite3 -csv "$D/tickets.db" "$LIST_SQL"
	run "sqlite3 overdue (calendar time)" sqlite3 -csv "$D/tickets.db" "$OVERDUE_SQL"
fi

say "appends: $M each"
cat >"$D/append.sh" <<'EOF'
# append.sh LOG M ID: M notes on ID (or M opens when ID is "open"), one ticket-log process each
i=0
while [ $i -lt "$2" ]; do
	if [ "$3" = open ]; then
		"$TL" -f "$1" open --client c --subject "append $i" >/dev/null || exit 1
	else
		"$TL" -f "$1" note "$3" "append $i" || exit 1
	fi
	i=$((i + 1))
done
EOF
export TL
unset TICKET_LOG_NOW
"$TL" -f "$D/fresh.csv" open --client c --subject s >/dev/null
run "ticket-log: $M notes, fresh log" sh "$D/append.sh" "$D/fresh.csv" "$M" T-000001
A=$((M / 10 > 0 ? M / 10 : 1))
run "ticket-log: $A opens (the first reads back $((N - N / 10)) events), $N-event log" sh "$D/append.sh" "$D/tickets.csv" "$A" open
run "ticket-log: $A notes on the newest ticket, $N-event log" sh "$D/append.sh" "$D/tickets.csv" "$A" "$(printf 'T-%06d' "$T")"
run "ticket-log: $A notes on the oldest ticket (the first reads back $((N / 10)) events), $N-event log" sh "$D/append.sh" "$D/tickets.csv" "$A" T-000001
run "ticket-log: $A notes on the newest ticket, $N-event v1 log" sh "$D/append.sh" "$D/v1.csv" "$A" "$(printf 'T-%06d' "$T")"
if [ $HAVE_SQLITE = 1 ]; then
	sqlite3 "$D/app.db" "PRAGMA journal_mode=WAL; CREATE TABLE events(seq INTEGER PRIMARY KEY, ts TEXT, ticket_id TEXT, event TEXT, status TEXT, client TEXT, agent TEXT, priority TEXT, text TEXT, subject TEXT, channel TEXT, batch TEXT);" >/dev/null
	awk -v m="$M" 'BEGIN { print "PRAGMA journal_mode=WAL;"; print "PRAGMA synchronous=FULL;"
		for (i = 0; i < m; i++) printf "INSERT INTO events(ts, ticket_id, event, status, client, agent, priority, text) VALUES (strftime(\"%%Y-%%m-%%dT%%H:%%M:%%SZ\"), \"T-000001\", \"note\", \"new\", \"c\", \"\", \"normal\", \"append %d\");\n", i }' >"$D/inserts.sql"
	run "sqlite3: $M inserts, 1 process, WAL, synchronous=FULL" sqlite3 "$D/app.db" ".read $D/inserts.sql"
	cat >"$D/insert.sh" <<'EOF'
i=0
while [ $i -lt "$2" ]; do
	sqlite3 "$1" "PRAGMA synchronous=FULL; INSERT INTO events(ts, ticket_id, event, status, client, agent, priority, text) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ'), 'T-000001', 'note', 'new', 'c', '', 'normal', 'append $i');" >/dev/null || exit 1
	i=$((i + 1))
done
EOF
	run "sqlite3: $M inserts, 1 process each, WAL, synchronous=FULL" sh "$D/insert.sh" "$D/app.db" "$M"
fi

echo "## ticket-log: $N events, $T tickets ($(du -k "$D/tickets.csv" | cut -f1) KiB log), $(date -u +%Y-%m-%d)"
echo
echo "| task | wall s | CPU s | peak RSS MiB | output lines | exit |"
echo "|---|---:|---:|---:|---:|---:|"
printf '%s' "$ROWS"
echo
echo "Appends per second = appends / wall s.  sqlite3's overdue query uses calendar time, not the business calendar."
