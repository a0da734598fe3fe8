#!/bin/sh
# overdue.sh - support's hourly check, from cron (see crontab beside it): the
# tickets that became overdue since the last check, and nothing at all on a
# day the department does not work.
#
#   sh overdue.sh          the log is ticket-log's: $TICKET_LOG, else ./tickets.csv
#
#   KPI      the config naming the department's one calendar (kpi.yaml's
#            calendar:, default: kpi.yaml beside this script): a weekend, a
#            holiday or any day it does not work, the check says nothing
#            (kpi-report --is-workday); a Saturday the decree makes a working
#            day is checked, so cron runs this every day, not only Monday to Friday
#   STATE    the folder keeping the ids already reported, overdue.reported
#            (default: the log's folder)
#   MAIL_TO  when set, the new ones are mailed there (mail -s), and remembered
#            only once mail took them; else they are printed, and remembered
#
# Prints (or mails) ticket-log list --overdue's header and the rows of tickets
# not reported before; nothing when there are none.  A ticket stays reported
# while it is overdue; solved and later overdue again, it is reported again.
# Errors go to standard error (cron's mail), exit status not 0.
set -u
here=$(cd -P "$(dirname "$0")" && pwd)
KPI=${KPI:-$here/kpi.yaml}
log=${TICKET_LOG:-tickets.csv}
STATE=${STATE:-$(dirname "$log")}

kpi-report -c "$KPI" --is-workday
case $? in
0) ;;
1) exit 0 ;;
*) echo "overdue.sh: cannot tell whether today is a working day (above)" >&2; exit 2 ;;
esac

mkdir -p "$STATE" || exit 1
seen=$STATE/overdue.reported
now=$STATE/overdue.now.$$
trap 'rm -f "$now" "$now.new"' EXIT
trap 'exit 1' INT TERM HUP
ticket-log -f "$log" list --overdue -o "$now" || exit 1
# the ticket id is the first column (ticket ids hold no comma)
[ -f "$seen" ] || : > "$seen"
awk -F, -v seen="$seen" 'FILENAME == seen { done[$1]; next } FNR == 1 || !($1 in done)' "$seen" "$now" > "$now.new" ||
    exit 1
n=$(awk 'END { print NR - 1 }' "$now.new")
if [ "$n" -gt 0 ]; then
	if [ -n "${MAIL_TO:-}" ]; then
		mail -s "overdue tickets: $n new" "$MAIL_TO" < "$now.new" || exit 1
	else
		cat "$now.new" || exit 1
	fi
fi
awk -F, 'FNR > 1 { print $1 }' "$now" > "$seen.tmp" && mv "$seen.tmp" "$seen"
