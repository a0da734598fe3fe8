#!/usr/bin/python3
# cal_oracle.py - an independent reading of libsales-formats(5)'s CALENDAR
# rules, with Python's datetime and zoneinfo, for test_calendar.c.
#
#   /usr/bin/python3 tests/unit/cal_oracle.py [SEED] [CALENDARS] [QUERIES]
#
# Writes random calendars and queries with their answers, one a line:
#   CAL                       then the calendar's YAML lines, then END
#   W day workday             day numbers since 1970-01-01, workday 0 or 1
#   D day n result            the n-th working day after (before) day
#   B a b secs                business seconds in [a, b), Unix times
#   A a secs t                the instant secs business seconds after a
# The C side loads each calendar with ls_cal_load_mem() and checks every query.
# Nothing here is shared with calendar.c: days are walked one by one, local
# times turned into instants by zoneinfo (fold=0: a skipped time moves
# forward by the gap, a repeated one is the earlier), and an instant plus
# business seconds found by bisection over business().
import datetime as dt
import random
import sys
from zoneinfo import ZoneInfo

EPOCH = dt.date(1970, 1, 1)
UTC = dt.timezone.utc
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]  # date.weekday() order
ZONES = ["Europe/Moscow", "Europe/Berlin", "America/New_York", "UTC", "Asia/Vladivostok"]
Y0, Y1 = dt.date(2026, 1, 1), dt.date(2027, 12, 31)


def clock(s):
    return "%02d:%02d" % (s // 3600, s % 3600 // 60)


class Cal:
    def __init__(self, rnd):
        self.zone = rnd.choice(ZONES)
        self.tz = ZoneInfo(self.zone)
        self.hours = {}  # weekday (0 Monday) -> (from, to) seconds
        self.lunch = None
        self.alltime = rnd.random() < 0.12
        self.holidays, self.workdays, self.shortened = set(), set(), set()
        self.shorten = 3600
        self.before = False
        lines = ["timezone: " + self.zone]
        if not self.alltime:
            if rnd.random() < 0.4:
                days = sorted(rnd.sample(range(7), rnd.randint(1, 6)))
                f = rnd.randrange(6 * 4, 11 * 4) * 900
                t = f + rnd.randrange(4 * 4, 11 * 4) * 900
                for d in days:
                    self.hours[d] = (f, t)
                key = rnd.choice(["business_hours", "hours"])
                lines.append('%s: {days: [%s], from: "%s", to: "%s"}' % (
                    key, ", ".join(DAYS[d] for d in days), clock(f), clock(t)))
            else:
                lines.append("hours:")
                d = rnd.randrange(3)
                while d < 7:
                    e = min(6, d + rnd.randrange(4))
                    f = rnd.randrange(6 * 4, 11 * 4) * 900
                    t = f + rnd.randrange(2 * 4, 11 * 4) * 900
                    for k in range(d, e + 1):
                        self.hours[k] = (f, t)
                    name = DAYS[d] if d == e else DAYS[d] + "-" + DAYS[e]
                    lines.append('  %s: "%s-%s"' % (name, clock(f), clock(t)))
                    d = e + 1 + rnd.randrange(3)
                if not self.hours:
                    self.hours[0] = (9 * 3600, 18 * 3600)
                    lines.append('  mon: "09:00-18:00"')
            if rnd.random() < 0.6:
                f = rnd.randrange(11 * 4, 15 * 4) * 900
                self.lunch = (f, f + rnd.choice([1800, 2700, 3600]))
                lines.append('lunch: "%s-%s"' % (clock(self.lunch[0]), clock(self.lunch[1])))
        for key, into in (("holidays", self.holidays), ("workdays", self.workdays),
                          ("shortened", self.shortened)):
            items = []
            for _ in range(rnd.randrange(12)):
                a = Y0 + dt.timedelta(rnd.randrange((Y1 - Y0).days))
                if rnd.random() < 0.3:
                    b = a + dt.timedelta(rnd.randrange(1, 10))
                    items.append("%s..%s" % (a, b))
                    for k in range((b - a).days + 1):
                        into.add(a + dt.timedelta(k))
                else:
                    items.append(str(a))
                    into.add(a)
            lines.append("%s: [%s]" % (key, ", ".join(items)))
        if rnd.random() < 0.5:
            self.shorten = rnd.choice([1800, 3600, 7200])
            lines.append("shorten_by: %dm" % (self.shorten // 60))
        if rnd.random() < 0.4:
            self.before = True
            lines.append("shorten_before_holidays: yes")
        if not self.alltime and not self.hours and not self.workdays:
            self.hours[0] = (9 * 3600, 18 * 3600)
        self.yaml = lines

    def workday(self, d):
        if self.alltime or d in self.workdays:
            return True
        return d.weekday() in self.hours and d not in self.holidays

    def spans(self, d):
        """The day's business time as local (from, to) seconds after midnight."""
        if self.alltime:
            return [(0, 86400)]
        if not self.workday(d):
            return []
        wd = d.weekday()
        if wd not in self.hours:
            wd = min(self.hours)  # Monday on: the first weekday with hours
        f, t = self.hours[wd]
        if d in self.shortened or (self.before and d + dt.timedelta(1) in self.holidays):
            t = max(f, t - self.shorten)
        if self.lunch is None or self.lunch[1] <= f or self.lunch[0] >= t:
            return [(f, t)] if t > f else []
        out = []
        if self.lunch[0] > f:
            out.append((f, self.lunch[0]))
        if self.lunch[1] < t:
            out.append((self.lunch[1], t))
        return out

    def instant(self, d, secs):
        local = dt.datetime(d.year, d.month, d.day, tzinfo=self.tz) + dt.timedelta(seconds=secs)
        # wall-clock arithmetic: datetime + timedelta keeps the wall time
        return int(local.timestamp())

    def date_of(self, t):
        return dt.datetime.fromtimestamp(t, self.tz).date()

    def business(self, a, b):
        if b <= a:
            return 0
        total = 0
        d = self.date_of(a) - dt.timedelta(1)
        end = self.date_of(b) + dt.timedelta(1)
        while d <= end:
            for f, t in self.spans(d):
                lo, hi = max(a, self.instant(d, f)), min(b, self.instant(d, t))
                if hi > lo:
                    total += hi - lo
            d += dt.timedelta(1)
        return total

    def add(self, a, secs):
        if secs <= 0:
            return a
        lo, hi = a, a + 86400
        while self.business(a, hi) < secs:
            lo, hi = hi, hi + 2 * (hi - a)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.business(a, mid) >= secs:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def add_days(self, d, n):
        step = 1 if n > 0 else -1
        while n != 0:
            d += dt.timedelta(step)
            if self.workday(d):
                n -= step
        return d


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 29
    ncal = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    nq = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    rnd = random.Random(seed)
    out = sys.stdout
    t0 = int(dt.datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    t1 = int(dt.datetime(2027, 12, 1, tzinfo=UTC).timestamp())
    for _ in range(ncal):
        c = Cal(rnd)
        out.write("CAL\n" + "\n".join(c.yaml) + "\nEND\n")
        for _ in range(nq):
            d = Y0 + dt.timedelta(rnd.randrange((Y1 - Y0).days))
            out.write("W %d %d\n" % ((d - EPOCH).days, c.workday(d)))
            n = rnd.randint(-25, 25)
            out.write("D %d %d %d\n" % ((d - EPOCH).days, n, (c.add_days(d, n) - EPOCH).days))
            a = rnd.randrange(t0, t1)
            if rnd.random() < 0.3:  # on a boundary: a day's start, lunch, end
                a -= a % 900
            b = a + rnd.choice([rnd.randrange(4 * 3600), rnd.randrange(20 * 86400),
                                rnd.randrange(300 * 86400)])  # long: the summed days
            out.write("B %d %d %d\n" % (a, b, c.business(a, b)))
            s = rnd.choice([rnd.randrange(1, 8 * 3600), rnd.randrange(1, 30 * 3600),
                            rnd.randrange(1, 4) * 3600])
            out.write("A %d %d %d\n" % (a, s, c.add(a, s)))


main()
