#!/bin/sh
# support-morning.sh - a support assistant's morning with ticket-log(1): the overnight
# mail comes in, the phone rings, clients get answers, and the queue is checked.
# Run from anywhere; the log goes into $OUT (default: a temporary folder), with the
# Russian business calendar of sla.yaml beside it.  TICKET_LOG_NOW fixes "now" so
# that the SLA columns come out the same on every run.
set -eu
here=$(cd -P "$(dirname "$0")" && pwd)
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
cp "$here/sla.yaml" "$OUT/sla.yaml"
export TICKET_LOG="$OUT/demo-tickets.csv"
rm -f "$TICKET_LOG" "$OUT/overdue.reported"	# a fresh log on every run: the ids below are its
at() { TICKET_LOG_NOW="2026-12-30T$1:00+03:00"; export TICKET_LOG_NOW; }

echo "== 09:00 the mailbox's overnight export goes in, all or nothing" >&2
cat >"$OUT/mailbox.csv" <<'CSV'
ts,ticket_id,event,client,subject,priority,channel,text
2026-12-29T19:40:00+03:00,m1,open,ООО Ромашка,Где заказ 4711?,normal,email,"Заказ оплачен 25.12, где он?"
2026-12-30T07:15:00+03:00,m2,open,ИП Сидоров,"Счёт на оплату, срочно",urgent,email,Нужен счёт до обеда
CSV
at 09:00
ticket-log import "$OUT/mailbox.csv"

echo "== 09:10 a call: delivery question, answered on the phone" >&2
at 09:10
call=$(ticket-log open --client "ООО Гамма" --subject "Доставка в Казань" --channel phone --agent petrova)
ticket-log reply --channel phone "$call" "Отгрузка 11 января, после праздников"
ticket-log status "$call" solved

echo "== 09:20 answers to the mail" >&2
at 09:20
ticket-log assign T-000002 ivanov
ticket-log reply T-000002 "Счёт во вложении, оплата по реквизитам"
ticket-log reply T-000001 "Заказ у перевозчика, уточняем дату; напишите, если адрес менялся"
ticket-log status T-000001 pending     # waiting for the client: the clocks stop

echo "== 10:00 the queue" >&2
at 10:00
ticket-log list -t | cut -f1,2,4,5,10,11
# overdue.sh is the hourly cron job: the tickets newly overdue, on working days
# of kpi.yaml's calendar; its clock here is the morning's (SOURCE_DATE_EPOCH)
echo "== 17:00 what the hourly job (overdue.sh) mails: T-000002's reply was due at 13:00" >&2
at 17:00
SOURCE_DATE_EPOCH=1798639200 STATE="$OUT" sh "$here/overdue.sh"
echo "== 18:00 the hourly job again: nothing newly overdue, nothing mailed" >&2
at 18:00
SOURCE_DATE_EPOCH=1798642800 STATE="$OUT" sh "$here/overdue.sh"
echo "== 18:00 ticket T-000002, and a check of the log" >&2
ticket-log show -t T-000002 | cut -f1,2,4,5,9
ticket-log check
echo "== log in $TICKET_LOG" >&2
