#!/usr/bin/python3
"""plans_oracle.py - an independent check of kpi-report's plans per working day,
managers' own time zones and --compare.

usage: plans_oracle.py KPI-REPORT DIR [SEED]

Writes into DIR a calendar (Monday to Friday, two holidays, a worked Saturday),
lead-assign's team file (a manager away a week and a day, managers in
Vladivostok and New York, the latter across the end of DST), kpi.yaml naming
both, and two months of generated calls and deals with timestamps in every
spelling kpi-report reads; runs KPI-REPORT over them by week, month, month to
date (by team) and day, and compares every cell of the columns checked with
figures computed here from the rules kpi-report(1) states: a target is per
working day; a manager's plan is the target times the calendar's working days
of the period's window they are not away on (none: no plan); a rate's target is
not scaled; a team's and TOTAL's plan of a count is the sum of their managers';
the previous period's window is the period before, from as many days after its
start for as many days (for a day, the working day before it); it is in the data when the data's first day is no later
than that window's first working day.

Standard library only; nothing here is shared with the C code.  Prints one line
per run and "ok" at the end; exits 1 naming the first cells that differ.
"""
import csv
import datetime as dt
import io
import random
import subprocess
import sys
from fractions import Fraction
from zoneinfo import ZoneInfo

KPI_ZONE = "Europe/Moscow"
ZONES = {"lee": "Asia/Vladivostok", "kim": "America/New_York"}
MANAGERS = ["ivanov", "petrova", "lee", "kim", "popov"]
TEAMS = {"east": ["lee", "kim"]}            # the rest: (no team)
HOLIDAYS = {dt.date(2026, 11, 4), dt.date(2026, 12, 31)}
WORKDAYS = {dt.date(2026, 11, 14)}           # a Saturday worked
AWAY = {"petrova": [(dt.date(2026, 11, 16), dt.date(2026, 11, 20)), (dt.date(2026, 12, 7), dt.date(2026, 12, 7))]}
TARGET = {"calls": Fraction(20), "revenue": Fraction(100000), "connect_rate": Fraction(2, 5)}
TEAM_TARGET = {"east": {"calls": Fraction(15)}}
OWN_TARGET = {"kim": {"revenue": Fraction(50000)}}
CONNECTED = {"interested", "not_interested", "callback", "do_not_call"}
FIRST = dt.date(2026, 10, 26)                # data from here (New York leaves DST on 1 November)
LAST = dt.date(2026, 12, 31)


def workday(d):
    return d in WORKDAYS or (d.weekday() < 5 and d not in HOLIDAYS)


def away(who, d):
    return any(a <= d <= b for a, b in AWAY.get(who, []))


def target(who, kpi):
    if kpi in OWN_TARGET.get(who, {}):
        return OWN_TARGET[who][kpi]
    for team, ids in TEAMS.items():
        if who in ids and kpi in TEAM_TARGET.get(team, {}):
            return TEAM_TARGET[team][kpi]
    return TARGET.get(kpi)


def zone(who):
    return ZoneInfo(ZONES.get(who, KPI_ZONE))


def team_of(who):
    for team, ids in TEAMS.items():
        if who in ids:
            return team
    return "(no team)"


def write_inputs(d, rng):
    with open(f"{d}/calendar.yaml", "w") as f:
        f.write('timezone: Europe/Moscow\nhours: {mon-fri: "09:00-18:00"}\n'
                "holidays: [2026-11-04, 2026-12-31]\nworkdays: [2026-11-14]\n")
    with open(f"{d}/team.yaml", "w") as f:
        f.write("timezone: Europe/Moscow\nmanagers:\n"
                "  - {id: ivanov}\n"
                "  - {id: petrova, away: [2026-11-16..2026-11-20, 2026-12-07]}\n"
                "  - {id: lee, timezone: Asia/Vladivostok}\n"
                "  - {id: kim, timezone: America/New_York}\n"
                "  - {id: popov}\n")
    with open(f"{d}/kpi.yaml", "w") as f:
        f.write("timezone: Europe/Moscow\ncalendar: calendar.yaml\nteam: team.yaml\n"
                "teams: {east: [lee, kim]}\n"
                "targets:\n  default: {calls: 20, revenue: 100000, connect_rate: 0.4}\n"
                "  east: {calls: 15}\n  kim: {revenue: 50000}\n")
    calls, deals = [], []
    day = FIRST
    while day <= LAST:
        for who in MANAGERS:
            for _ in range(rng.randrange(0, 7)):
                # an instant near the manager's day, so that zones matter at both ends
                local = dt.datetime.combine(day, dt.time(0), zone(who)) + dt.timedelta(minutes=rng.randrange(-120, 26 * 60))
                calls.append((who, local, rng.choice(sorted(CONNECTED) + ["no_answer", "wrong_number"])))
            if rng.random() < 0.3:
                local = dt.datetime.combine(day, dt.time(12), zone(who)) + dt.timedelta(minutes=rng.randrange(-900, 900))
                deals.append((who, local, rng.choice(["won", "won", "lost"]), rng.randrange(1000, 300000) * 100 + rng.randrange(100)))
        day += dt.timedelta(days=1)
    rng.shuffle(calls)

    def spelt(who, t):
        """The instant t written one of four ways; a local time is the manager's own."""
        k = rng.randrange(4)
        if k == 0:
            return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        if k == 1:
            return t.astimezone(ZoneInfo(KPI_ZONE)).isoformat()
        local = t.astimezone(zone(who))
        return local.strftime("%Y-%m-%d %H:%M:%S") if k == 2 else local.strftime("%d.%m.%Y %H:%M")

    # the instants as written: the Russian spelling drops the seconds, so the figures use what was written
    out_calls, out_deals = [], []
    with open(f"{d}/calls.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["manager", "started_at", "duration_s", "outcome"])
        for who, t, outcome in calls:
            t = t.replace(second=0)
            w.writerow([who, spelt(who, t), 60, outcome])
            out_calls.append((who, t.astimezone(zone(who)).date(), outcome))
    with open(f"{d}/deals.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["manager", "stage", "amount", "closed_at"])
        for who, t, stage, minor in deals:
            t = t.replace(second=0)
            w.writerow([who, stage, f"{minor // 100}.{minor % 100:02d}", spelt(who, t)])
            out_deals.append((who, t.astimezone(zone(who)).date(), stage, minor))
    return out_calls, out_deals


def period_start(kind, d):
    if kind == "day":
        return d
    if kind == "week":
        return d - dt.timedelta(days=d.weekday())
    return d.replace(day=1)


def period_next(kind, s):
    if kind == "day":
        return s + dt.timedelta(days=1)
    if kind == "week":
        return s + dt.timedelta(days=7)
    return (s.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def period_key(kind, s):
    if kind == "day":
        return s.isoformat()
    if kind == "week":
        y, w, _ = s.isocalendar()
        return f"{y}-W{w:02d}"
    return s.strftime("%Y-%m")


def fmt(x, dec):
    """x rounded half away from zero to dec decimals."""
    q = abs(x) * 10 ** dec
    n = q.numerator // q.denominator
    if (q - n) * 2 >= 1:
        n += 1
    s = str(n).rjust(dec + 1, "0")
    s = s[:-dec] + "." + s[-dec:] if dec else s
    return ("-" if x < 0 and n else "") + s


def sums(calls, deals, who_of, lo, hi):
    """Per row name: calls, connected, won, revenue (minor units) of records on days lo..hi."""
    out = {}
    for who, day, outcome in calls:
        if lo <= day <= hi:
            s = out.setdefault(who_of(who), [0, 0, 0, 0])
            s[0] += 1
            s[1] += outcome in CONNECTED
    for who, day, stage, minor in deals:
        if lo <= day <= hi and stage == "won":
            s = out.setdefault(who_of(who), [0, 0, 0, 0])
            s[2] += 1
            s[3] += minor
    return out


def values(s):
    calls, conn, won, minor = s
    return {"calls": Fraction(calls), "connected": Fraction(conn),
            "connect_rate": Fraction(conn, calls) if calls else None,
            "deals_won": Fraction(won), "revenue": Fraction(minor, 100)}


DEC = {"calls": 0, "connected": 0, "connect_rate": 3, "deals_won": 0, "revenue": 2}


def expected(calls, deals, kind, lo, hi, by):
    """The cells kpi-report should print: {(period, row): {column: text}}."""
    who_of = (lambda w: w) if by == "manager" else team_of
    days = [c[1] for c in calls] + [x[1] for x in deals]
    first_day = min(days)
    if lo is None:      # no --from: the periods start where the data do
        lo = dt.date.min
        start = period_start(kind, min(x for x in days if x <= hi))
    else:
        start = period_start(kind, lo)
    end = period_start(kind, hi)
    rows = {}
    s = start
    while s <= end:
        nxt = period_next(kind, s)
        wlo, whi = max(s, lo), min(nxt - dt.timedelta(days=1), hi)
        ps = period_start(kind, s - dt.timedelta(days=1))
        plo, phi = ps + (wlo - s), min(ps + (whi - s), s - dt.timedelta(days=1))
        if kind == "day":   # a day is held against the working day before it
            plo = s - dt.timedelta(days=1)
            while not workday(plo):
                plo -= dt.timedelta(days=1)
            phi = plo
        first_work = plo
        while first_work < phi and not workday(first_work):
            first_work += dt.timedelta(days=1)
        covered = first_day <= first_work
        cur = sums(calls, deals, who_of, wlo, whi)
        prev = sums(calls, deals, who_of, plo, phi)
        names = {who_of(m) for m in MANAGERS} | set(cur) | set(prev)
        plans = {}
        for m in MANAGERS:
            days = sum(1 for i in range((whi - wlo).days + 1)
                       if workday(wlo + dt.timedelta(days=i)) and not away(m, wlo + dt.timedelta(days=i)))
            if days == 0:
                continue
            p = plans.setdefault(who_of(m), {"workers": 0, "calls": Fraction(0), "revenue": Fraction(0)})
            p["workers"] += 1
            p["calls"] += target(m, "calls") * days
            p["revenue"] += target(m, "revenue") * days
            p["connect_rate"] = target(m, "connect_rate")
        total_plan = {"workers": 0, "calls": Fraction(0), "revenue": Fraction(0)}
        for p in plans.values():
            for k in ("workers", "calls", "revenue"):
                total_plan[k] += p[k]
        if total_plan["workers"]:
            total_plan["connect_rate"] = TARGET["connect_rate"]
        for name in sorted(names) + ["TOTAL"]:
            if name == "TOTAL":
                v = values([sum(x[i] for x in cur.values()) for i in range(4)])
                pv = values([sum(x[i] for x in prev.values()) for i in range(4)])
                plan = total_plan
            else:
                v = values(cur.get(name, [0, 0, 0, 0]))
                pv = values(prev.get(name, [0, 0, 0, 0]))
                plan = plans.get(name, {"workers": 0})
                if by == "team" and plan.get("workers"):
                    plan = dict(plan, connect_rate=TARGET["connect_rate"])
            cells = {}
            for k in DEC:
                cells[k] = fmt(v[k], DEC[k]) if v[k] is not None else ""
                cells["prev_" + k] = fmt(pv[k], DEC[k]) if covered and pv[k] is not None else ""
                ch = ""
                if covered and v[k] is not None and pv[k] is not None and pv[k] != 0:
                    ch = fmt(100 * (v[k] - pv[k]) / pv[k], 1)
                cells[k + "_change_pct"] = ch
            for k in ("calls", "revenue", "connect_rate"):
                p = plan.get(k) if plan.get("workers") else None
                cells["plan_" + k] = fmt(p, DEC[k]) if p is not None else ""
                cells[k + "_pct"] = fmt(100 * v[k] / p, 1) if p and v[k] is not None else ""
            rows[(period_key(kind, s), name)] = cells
        s = nxt
    return rows


def check(kpi_report, d, label, args, kind, lo, hi, by, calls, deals):
    out = subprocess.run([kpi_report, "-c", f"{d}/kpi.yaml", "--calls", f"{d}/calls.csv",
                          "--deals", f"{d}/deals.csv", "--compare", "--by", by] + args,
                         capture_output=True, text=True)
    if out.returncode != 0:
        print(f"{label}: kpi-report exited {out.returncode}: {out.stderr}")
        sys.exit(1)
    got = list(csv.DictReader(io.StringIO(out.stdout)))
    want = expected(calls, deals, kind, lo, hi, by)
    bad = 0
    if len(got) != len(want):
        print(f"{label}: {len(got)} rows, expected {len(want)}")
        bad += 1
    n = 0
    for row in got:
        key = (row["period"], row[by])
        if key not in want:
            print(f"{label}: unexpected row {key}")
            bad += 1
            continue
        for col, text in want[key].items():
            n += 1
            if row.get(col) != text:
                bad += 1
                if bad <= 10:
                    print(f"{label}: {key} {col}: kpi-report {row.get(col)!r}, expected {text!r}")
    if bad:
        sys.exit(1)
    print(f"{label}: {len(got)} rows, {n} figures agree")


def main():
    kpi_report, d = sys.argv[1], sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 28)
    calls, deals = write_inputs(d, rng)
    check(kpi_report, d, "week by manager", ["--period", "week", "--from", "2026-11-02", "--to", "2026-12-31"],
          "week", dt.date(2026, 11, 2), dt.date(2026, 12, 31), "manager", calls, deals)
    check(kpi_report, d, "month by team", ["--period", "month", "--from", "2026-11-01", "--to", "2026-12-31"],
          "month", dt.date(2026, 11, 1), dt.date(2026, 12, 31), "team", calls, deals)
    check(kpi_report, d, "month to 9 December by manager", ["--period", "mtd", "--date", "2026-12-09"],
          "month", dt.date(2026, 12, 1), dt.date(2026, 12, 9), "manager", calls, deals)
    check(kpi_report, d, "days of a week with a worked Saturday", ["--period", "day", "--from", "2026-11-09", "--to", "2026-11-22"],
          "day", dt.date(2026, 11, 9), dt.date(2026, 11, 22), "manager", calls, deals)
    check(kpi_report, d, "weeks from the data's first", ["--period", "week", "--to", "2026-11-15"],
          "week", None, dt.date(2026, 11, 15), "manager", calls, deals)
    print("ok")


if __name__ == "__main__":
    main()
