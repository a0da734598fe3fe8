#!/usr/bin/python3
"""funnel_big.py - inputs for measuring kpi-report --report funnel at size.

usage: funnel_big.py DIR [NLEADS [CALLS_PER_LEAD]]   (default 1000000 leads, 2 calls a lead)

Writes DIR/leads.csv, DIR/calls.csv, DIR/deals.csv and DIR/kpi.yaml (with
examples/calendar.yaml's rules inline in DIR/calendar.yaml): leads assigned
over November 2026 to 50 managers, calls from an hour before to two days after,
a won deal for one lead in ten.  Deterministic (a fixed seed).
"""
import random
import sys

d = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000000
per = int(sys.argv[3]) if len(sys.argv) > 3 else 2
rnd = random.Random(31)
T0 = 1793480400   # 2026-11-01T00:00:00+03:00
OUT = ["interested", "not_interested", "no_answer", "callback", "wrong_number"]


def ts(t):
    """RFC 3339 in +03:00, without the datetime module's cost per row (November and December 2026)."""
    days, s = divmod(t + 3 * 3600, 86400)
    day = days - 20758          # 2026-11-01 is day 20758 since 1970
    month, mday = (11, day + 1) if day < 30 else (12, day - 29)
    return "2026-%02d-%02dT%02d:%02d:%02d+03:00" % (month, mday, s // 3600, s // 60 % 60, s % 60)


with open(d + "/leads.csv", "w") as lf, open(d + "/calls.csv", "w") as cf, open(d + "/deals.csv", "w") as df:
    lf.write("lead_id,manager,assign_reason,assigned_at\n")
    cf.write("lead_id,manager,started_at,duration_s,outcome\n")
    df.write("deal_id,lead_id,manager,stage,amount,closed_at\n")
    for i in range(n):
        m = "m%02d" % rnd.randrange(50)
        at = T0 + 3600 + rnd.randrange(28 * 86400)
        lf.write("L%07d,%s,weighted,%s\n" % (i, m, ts(at)))
        for _ in range(per):
            cf.write("L%07d,%s,%s,%d,%s\n" % (i, m, ts(at + rnd.randrange(-3600, 2 * 86400)), rnd.randrange(600),
                                             OUT[rnd.randrange(5)]))
        if rnd.randrange(10) == 0:
            df.write("D%07d,L%07d,%s,won,%d.00,%s\n" % (i, i, m, rnd.randrange(1000, 100000), ts(at + 86400)))
with open(d + "/calendar.yaml", "w") as f:
    f.write('timezone: Europe/Moscow\nhours: {mon-fri: "09:00-18:00"}\nlunch: "13:00-14:00"\n'
            'holidays: [2026-11-04]\n')
with open(d + "/kpi.yaml", "w") as f:
    f.write("timezone: Europe/Moscow\ncalendar: calendar.yaml\nspeed_to_lead: 1h\n")
