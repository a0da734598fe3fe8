#!/bin/sh
# daily.sh - the sales department's day, as one script (see crontab beside it):
#   qualify the cold base -> hand the qualified leads to managers -> render
#   invoices -> the manager approves -> release to the outbox -> support's
#   queue and overdue tickets -> the head of sales' KPI report.
#
#   sh daily.sh [OUT]      OUT: the folder to write into (default $OUT, else a
#                          new temporary folder); its path is printed at the end.
#
# Safe to re-run on the same OUT: leads already dealt keep their manager
# (lead-assign remembers them), documents already rendered are not rendered
# again, a released document is not released twice.  The first error stops
# the run (set -e), and a failing stage of a pipeline fails it too.
set -eu
# pipefail where the shell has it (bash, ksh, zsh, dash >= 0.5.11)
(set -o pipefail) 2>/dev/null && set -o pipefail
here=$(cd -P "$(dirname "$0")" && pwd)
OUT=${1:-${OUT:-$(mktemp -d)}}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
cd "$here"
# the day the example data is about; a real cron job uses DAY=last-workday
# (kpi-report(1): the working day before today over kpi.yaml's calendar)
DAY=${DAY:-2026-12-01}
# lead-assign stamps each lead's assigned_at with the clock, and kpi-report
# counts leads_assigned on that day: for the example day the hand-off is
# replayed at 09:00 Moscow time on it (SOURCE_DATE_EPOCH), so the report of
# $DAY shows the leads dealt.  A real day (DAY=last-workday) uses the real clock.
case $DAY in
2026-12-01) assign_clock=${SOURCE_DATE_EPOCH:-1796104800} ;;
*) assign_clock=${SOURCE_DATE_EPOCH:-} ;;
esac
log() { echo "== $*" >&2; }

log "lead-qualify: clean the cold base (Excel: cp1251, ';'), de-duplicate, join calls, score"
lead-qualify -v --encoding cp1251 -r rules.yaml --calls calls.csv \
    --rejects "$OUT/base-rejects.csv" -o "$OUT/qualified.csv" base.csv 2>"$OUT/qualify.log"
cat "$OUT/qualify.log" >&2

log "lead-assign: hand the qualified leads to the managers (state kept in $OUT/team.state)"
[ -f "$OUT/team.yaml" ] || cp team.yaml "$OUT/team.yaml"
SOURCE_DATE_EPOCH=$assign_clock \
    lead-assign -v -c "$OUT/team.yaml" -o "$OUT/assigned.csv" "$OUT/qualified.csv" 2>"$OUT/assign.log"
cat "$OUT/assign.log" >&2

log "doc-render: invoices for the deals, as drafts"
if [ ! -f "$OUT/manifest.csv" ]; then
	# rendered from OUT: the manifest names its drafts relative to its own folder
	(cd "$OUT" && doc-render -T "$here/templates/invoice_ru.html" -c "$here/company.yaml" \
	    --items "$here/items.csv" --key deal_id -o drafts "$here/deals.csv") > "$OUT/manifest.tmp"
	mv "$OUT/manifest.tmp" "$OUT/manifest.csv"
fi
log "doc-render approve: the manager checks D-0001 and D-0002 and approves them (D-0003 waits)"
# (on a re-run, only what is still a draft: approving twice is refused)
drafts=$(awk -F, 'NR > 1 && ($1 == "D-0001" || $1 == "D-0002") && $4 == "draft" { print $1 }' "$OUT/manifest.csv")
[ -z "$drafts" ] || doc-render approve --by ivanov -c company.yaml "$OUT/manifest.csv" $drafts
log "doc-render release: only approved, unchanged documents go to the outbox"
# exit 1 lists what was refused: here the draft nobody approved, which is expected
doc-render release "$OUT/manifest.csv" -o "$OUT/outbox" > "$OUT/release.csv" 2>"$OUT/release.log" ||
    grep -q 'not approved' "$OUT/release.log"
cat "$OUT/release.log" >&2
# the journal's hash chain and the manifest agree; its last hash is what to keep elsewhere
doc-render verify "$OUT/manifest.csv" >&2

log "ticket-log: the support assistant's morning, then the overdue tickets cron would mail"
OUT="$OUT/support" sh support-morning.sh > "$OUT/support.log" 2>&1
TICKET_LOG="$OUT/support/demo-tickets.csv" TICKET_LOG_NOW=2026-12-30T17:00:00+03:00 \
    ticket-log list --overdue > "$OUT/overdue.csv"
TICKET_LOG="$OUT/support/demo-tickets.csv" TICKET_LOG_NOW=2026-12-30T17:00:00+03:00 \
    ticket-log list > "$OUT/tickets.csv"

log "kpi-report: the head of sales' report for $DAY"
kpi-report -c kpi.yaml --calls calls.csv --deals crm-deals.csv --leads "$OUT/assigned.csv" \
    --date "$DAY" --format html -o "$OUT/kpi.html"
kpi-report -c kpi.yaml --calls calls.csv --deals crm-deals.csv --leads "$OUT/assigned.csv" \
    --date "$DAY" --format table > "$OUT/kpi.txt"
cat "$OUT/kpi.txt" >&2

# the day in numbers (the tools' own -v lines, and counts of the files written)
rows() { if [ -f "$1" ]; then awk 'END { print (NR > 0 ? NR - 1 : 0) }' "$1"; else echo 0; fi; }
echo
echo "The day in $OUT:"
echo "  leads:      $(sed 's/^lead-qualify: //; s/; [0-9]* de-duplication.*//' "$OUT/qualify.log" | head -1)"
echo "  assigned:   $(sed 's/^lead-assign: //' "$OUT/assign.log" | head -1)"
echo "  documents:  $(rows "$OUT/manifest.csv") rendered into drafts/, $(grep -c ',approved,\|,released,' "$OUT/manifest.csv") approved, $(ls "$OUT/outbox" 2>/dev/null | wc -l) released to outbox/"
echo "  tickets:    $(rows "$OUT/tickets.csv") in the queue, $(rows "$OUT/overdue.csv") overdue (overdue.csv)"
echo "  KPI report: $OUT/kpi.html (and kpi.txt)"
