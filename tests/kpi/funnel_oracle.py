#!/usr/bin/python3
"""funnel_oracle.py - an independent check of kpi-report --report funnel.

usage: funnel_oracle.py KPI-REPORT DIR [NLEADS [SEED]]

Writes generated inputs into DIR (leads, calls and deals of several managers,
calls before and after assignment, repeated lead rows, calls and deals of
unknown leads, a calendar with a holiday, a lunch break, a shortened day and a
worked Saturday), runs KPI-REPORT over them in several ways, and compares every
cell of its CSV with figures computed here from the rules kpi-report(1) and
libsales-formats(5) state: the cohort is the leads whose first assigned_at row
falls in the period (kpi.yaml's zone); a step counts the cohort's leads with a
call at or after assigned_at (of a connected, an interested outcome) or a won
deal; speed to lead is business time over the calendar from assigned_at to the
first such call, median and 90th percentile by nearest rank, in minutes.

Standard library only; nothing here is shared with the C code.  Prints one
line per run and "ok" at the end; exits 1 naming the first cells that differ.
"""
import csv
import datetime as dt
import io
import random
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

KPI_ZONE = "Asia/Yekaterinburg"     # the cohort's days: kpi.yaml's timezone
CAL_ZONE = "Europe/Moscow"          # business time: the calendar's own zone
HOURS = {0: ("09:00", "18:00"), 1: ("09:00", "18:00"), 2: ("09:00", "18:00"),
         3: ("09:00", "18:00"), 4: ("09:00", "16:45")}   # Monday = 0; weekends off
LUNCH = ("13:00", "14:00")
HOLIDAYS = {dt.date(2026, 11, 4)}
WORKDAYS = {dt.date(2026, 11, 14)}       # a Saturday worked: Monday's hours
SHORTENED = {dt.date(2026, 11, 3)}       # an hour shorter, lunch kept
TARGET = 3600                            # speed_to_lead: 1h
MANAGERS = ["ivanov", "petrova", "sidorov", "popov", "orlov"]
TEAMS = {"moscow": ["ivanov", "petrova"], "regions": ["sidorov", "popov"]}   # orlov: no team
CONNECTED = ["not_interested", "callback", "Дозвон"]    # and the interested ones
INTERESTED = ["interested", "Интерес"]
NOT_CONNECTED = ["no_answer", "wrong_number"]
OUTCOMES = CONNECTED + INTERESTED + NOT_CONNECTED + ["do_not_call"]
START = dt.datetime(2026, 11, 2, tzinfo=ZoneInfo(KPI_ZONE))


def secs_of(hhmm):
    h, m = hhmm.split(":")
    return int(h) * 3600 + int(m) * 60


def spans(day):
    """The business spans of a local date of the calendar, as (start, end) local datetimes."""
    if day in WORKDAYS:
        fr, to = HOURS[0]
    elif day in HOLIDAYS or day.weekday() not in HOURS:
        return []
    else:
        fr, to = HOURS[day.weekday()]
    a, b = secs_of(fr), secs_of(to)
    if day in SHORTENED:
        b -= 3600
    la, lb = secs_of(LUNCH[0]), secs_of(LUNCH[1])
    cut = [(a, min(b, la)), (max(a, lb), b)] if la < b and lb > a else [(a, b)]
    z = ZoneInfo(CAL_ZONE)
    mid = dt.datetime(day.year, day.month, day.day, tzinfo=z)
    return [(mid + dt.timedelta(seconds=s), mid + dt.timedelta(seconds=e)) for s, e in cut if e > s]


def business(a, b):
    """Business seconds in [a, b)."""
    if b <= a:
        return 0
    z = ZoneInfo(CAL_ZONE)
    d, last, total = a.astimezone(z).date(), b.astimezone(z).date(), 0
    while d <= last:
        for s, e in spans(d):
            lo, hi = max(s, a), min(e, b)
            if hi > lo:
                total += int((hi - lo).total_seconds())
        d += dt.timedelta(days=1)
    return total


def stamp(t, rnd):
    """A timestamp as the inputs may write it: UTC, the calendar's offset, or local to kpi.yaml's zone."""
    k = rnd.randrange(3)
    if k == 0:
        return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if k == 1:
        return t.astimezone(ZoneInfo(CAL_ZONE)).isoformat()
    return t.astimezone(ZoneInfo(KPI_ZONE)).strftime("%Y-%m-%d %H:%M:%S")


def generate(d, nleads, seed):
    rnd = random.Random(seed)
    leads, calls, deals, truth = [], [], [], {}
    for i in range(nleads):
        lid = "L%06d" % i
        mgr = rnd.choice(MANAGERS)
        at = START + dt.timedelta(seconds=rnd.randrange(21 * 86400))
        shown = rnd.choice([mgr, mgr.upper(), " " + mgr + " "])   # one manager, however spelt
        leads.append((lid, shown, stamp(at, rnd), "weighted"))
        truth[lid] = (mgr, at)
        if rnd.random() < 0.1:   # repeated by a later run: the first row decides
            later = at + dt.timedelta(days=rnd.randrange(1, 5))
            leads.append((lid, shown, stamp(later, rnd), "already_assigned"))
        for _ in range(rnd.choice([0, 0, 1, 1, 2, 3, 4])):
            off = rnd.choice([rnd.randrange(-86400, 0), rnd.randrange(0, 600), rnd.randrange(0, 7200),
                              rnd.randrange(0, 4 * 86400), 0])
            calls.append((lid, mgr, stamp(at + dt.timedelta(seconds=off), rnd), rnd.randrange(0, 600),
                          rnd.choice(OUTCOMES)))
        r = rnd.random()
        if r < 0.15:
            deals.append(("D" + lid, lid, mgr, "won", "%d.%02d" % (rnd.randrange(1000, 900000), rnd.randrange(100)),
                          stamp(at + dt.timedelta(days=rnd.randrange(0, 40)), rnd)))
            if rnd.random() < 0.1:
                deals.append(("E" + lid, lid, mgr, "Выиграна", "%d" % rnd.randrange(100, 5000),
                              stamp(at + dt.timedelta(days=3), rnd)))
        elif r < 0.25:
            deals.append(("D" + lid, lid, mgr, "lost", "1", stamp(at + dt.timedelta(days=2), rnd)))
        elif r < 0.3:
            deals.append(("D" + lid, lid, mgr, "open", "", ""))
    # no lead of --leads: in no cohort
    for j in range(25):
        calls.append(("X%03d" % j, "ivanov", stamp(START + dt.timedelta(hours=j), rnd), 5, "interested"))
    calls.append(("", "ivanov", stamp(START, rnd), 5, "callback"))
    deals.append(("DX", "X999", "popov", "won", "100.00", stamp(START, rnd)))
    rnd.shuffle(calls)
    with open(d + "/leads.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["lead_id", "manager", "assigned_at", "assign_reason"])
        w.writerows(leads)
    with open(d + "/calls.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["lead_id", "manager", "started_at", "duration_s", "outcome"])
        w.writerows(calls)
    with open(d + "/deals.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["deal_id", "lead_id", "manager", "stage", "amount", "closed_at"])
        w.writerows(deals)
    ymd = lambda s: ", ".join(x.isoformat() for x in sorted(s))
    with open(d + "/calendar.yaml", "w") as f:
        f.write("timezone: %s\nhours: {mon-thu: \"09:00-18:00\", fri: \"09:00-16:45\"}\n"
                "lunch: \"13:00-14:00\"\nholidays: [%s]\nworkdays: [%s]\nshortened: [%s]\nshorten_by: 1h\n"
                % (CAL_ZONE, ymd(HOLIDAYS), ymd(WORKDAYS), ymd(SHORTENED)))
    base = ("timezone: %s\noutcomes: {connected: [%s], interested: [%s], not_connected: [%s]}\n"
            "stages: {won: [won, Выиграна], lost: [lost], open: [open]}\n"
            "teams: {moscow: [ivanov, petrova], regions: [sidorov, popov]}\n"
            % (KPI_ZONE, ", ".join(CONNECTED), ", ".join(INTERESTED), ", ".join(NOT_CONNECTED)))
    with open(d + "/kpi.yaml", "w") as f:
        f.write(base + "calendar: calendar.yaml\nspeed_to_lead: 1h\n")
    with open(d + "/kpi-wall.yaml", "w") as f:
        f.write(base)


def parse_time(s):
    if s.endswith("Z"):
        return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    if "T" in s:
        return dt.datetime.fromisoformat(s)
    return dt.datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZoneInfo(KPI_ZONE))


def ratio(num, den, dec):
    """num / den rounded half away from zero to dec decimals, as kpi-report prints it; "" for den 0."""
    if den == 0:
        return ""
    q = Fraction(num, den) * 10 ** dec
    n = q.numerator // q.denominator
    if (q - n) * 2 >= 1:
        n += 1
    s = str(n).rjust(dec + 1, "0")
    return s if dec == 0 else s[:-dec] + "." + s[-dec:]


def period_of(day, per):
    if per == "day":
        return day.isoformat()
    y, w, _ = day.isocalendar()
    return "%d-W%02d" % (y, w)


def period_start(day, per):
    return day if per == "day" else day - dt.timedelta(days=day.weekday())


def expected(d, per, by, lo, hi, calendar):
    kz = ZoneInfo(KPI_ZONE)
    leads = {}
    with open(d + "/leads.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["lead_id"] not in leads:
                leads[r["lead_id"]] = (r["manager"].strip().lower(), parse_time(r["assigned_at"]))
    first, conn, inter = {}, set(), set()
    with open(d + "/calls.csv", newline="") as f:
        for r in csv.DictReader(f):
            lid = r["lead_id"]
            if lid not in leads:
                continue
            t = parse_time(r["started_at"])
            if t < leads[lid][1]:
                continue
            if lid not in first or t < first[lid]:
                first[lid] = t
            if r["outcome"] in CONNECTED or r["outcome"] in INTERESTED:
                conn.add(lid)
            if r["outcome"] in INTERESTED:
                inter.add(lid)
    won, revenue = set(), {}
    with open(d + "/deals.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["stage"] in ("won", "Выиграна"):
                won.add(r["lead_id"])
                revenue[r["lead_id"]] = revenue.get(r["lead_id"], 0) + round(Decimal(r["amount"]) * 100)
    team_of = {m: t for t, ms in TEAMS.items() for m in ms}
    who = (lambda m: m) if by == "manager" else (lambda m: team_of.get(m, "(no team)"))
    rows = {}
    day = lo
    while day <= hi:
        p = period_start(day, per)
        for m in sorted(team_of):
            rows.setdefault((p, who(m)), [])
        rows.setdefault((p, None), [])
        day += dt.timedelta(days=1)
    for lid, (m, at) in leads.items():
        day = at.astimezone(kz).date()
        if day < lo or day > hi:
            continue
        p = period_start(day, per)
        for key in ((p, who(m)), (p, None)):
            rows.setdefault(key, []).append(lid)
    out = {}
    for (p, w), ids in rows.items():
        n = len(ids)
        called = [i for i in ids if i in first]
        waits = sorted(business(leads[i][1], first[i]) if calendar else
                       int((first[i] - leads[i][1]).total_seconds()) for i in called)
        c, cn, it, wn = len(called), sum(i in conn for i in ids), sum(i in inter for i in ids), sum(i in won for i in ids)
        rev = sum(revenue.get(i, 0) for i in ids)

        def pct(pc):
            return ratio(waits[-(-pc * len(waits) // 100) - 1], 60, 1) if waits else ""
        within = sum(1 for x in waits if x <= TARGET)
        cells = {
            "assigned": str(n), "called": str(c), "called_rate": ratio(c, n, 3),
            "connected": str(cn), "connected_rate": ratio(cn, c, 3), "connected_of_assigned": ratio(cn, n, 3),
            "interested": str(it), "interested_rate": ratio(it, cn, 3), "interested_of_assigned": ratio(it, n, 3),
            "won": str(wn), "won_rate": ratio(wn, it, 3), "won_of_assigned": ratio(wn, n, 3),
            "revenue": ratio(rev, 100, 2), "revenue_per_lead": ratio(rev, 100 * n, 2),
            "not_called": str(n - c), "speed_median_min": pct(50), "speed_p90_min": pct(90),
        }
        if calendar:
            cells["within_target"] = str(within)
            cells["within_target_rate"] = ratio(within, n, 3)
        out[(period_of(p, per), "TOTAL" if w is None else w)] = cells
    return out


def run(tool, d, cfg, per, by, lo, hi, calendar):
    cmd = [tool, "-c", d + "/" + cfg, "--report", "funnel", "--leads", d + "/leads.csv", "--calls",
           d + "/calls.csv", "--deals", d + "/deals.csv", "--period", per, "--by", by,
           "--from", lo.isoformat(), "--to", hi.isoformat()]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("%s: exit %d: %s" % (" ".join(cmd), p.returncode, p.stderr))
    got = list(csv.DictReader(io.StringIO(p.stdout)))
    want = expected(d, per, by, lo, hi, calendar)
    col = "manager" if by == "manager" else "team"
    bad, n = [], 0
    seen = set()
    for r in got:
        # a manager's id, however the report chose to spell it (kpi-report(1), COLUMNS: manager)
        key = (r["period"], r[col] if r[col] == "TOTAL" or by == "team" else r[col].lower())
        seen.add(key)
        if key not in want:
            bad.append("unexpected row %s" % (key,))
            continue
        extra = set(r) - set(want[key]) - {"period", col}
        if extra:
            bad.append("unexpected columns %s" % sorted(extra))
        for k, v in want[key].items():
            n += 1
            if r.get(k) != v:
                bad.append("%s %s %s: kpi-report %r, oracle %r" % (key[0], key[1], k, r.get(k), v))
    for key in want:
        if key not in seen:
            bad.append("missing row %s" % (key,))
    if bad:
        print("\n".join(bad[:20]))
        sys.exit("%s: %d of %d figures differ" % (" ".join(cmd[3:]), len(bad), n))
    print("%s %s %s %s: %d rows, %d figures agree" % (cfg, per, by, "calendar" if calendar else "wall clock",
                                                     len(got), n))
    return p.stderr


def main():
    tool, d = sys.argv[1], sys.argv[2]
    nleads = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 28
    generate(d, nleads, seed)
    lo, hi = dt.date(2026, 11, 2), dt.date(2026, 11, 22)
    err = run(tool, d, "kpi.yaml", "day", "manager", lo, hi, True)
    run(tool, d, "kpi.yaml", "week", "team", lo, hi, True)
    run(tool, d, "kpi.yaml", "day", "manager", dt.date(2026, 11, 4), dt.date(2026, 11, 16), True)
    run(tool, d, "kpi-wall.yaml", "week", "manager", lo, hi, False)
    # the calls and won deals of no lead of --leads: counted in kpi-report's warning
    known = set()
    with open(d + "/leads.csv", newline="") as f:
        known = {r["lead_id"] for r in csv.DictReader(f)}
    with open(d + "/calls.csv", newline="") as f:
        calls = [r["lead_id"] for r in csv.DictReader(f) if r["lead_id"] not in known]
    with open(d + "/deals.csv", newline="") as f:
        deals = [r["lead_id"] for r in csv.DictReader(f)
                 if r["stage"] in ("won", "Выиграна") and r["lead_id"] not in known]
    first = min(x for x in calls + deals if x)
    want = ("kpi-report: %d call%s and %d won deal%s name no assigned lead of --leads (first: '%s'): "
            "in no cohort, not in the funnel" % (len(calls), "" if len(calls) == 1 else "s", len(deals),
                                                 "" if len(deals) == 1 else "s", first))
    if err.strip() != want:
        sys.exit("warning: kpi-report %r, oracle %r" % (err.strip(), want))
    print("unmatched: %d calls, %d won deals, first %s" % (len(calls), len(deals), first))
    print("ok")


if __name__ == "__main__":
    main()
