/*
 * test_zone.c - zones compiled from TZif files and POSIX TZ strings
 * (zone.h), checked against the C library as an oracle, and the parsers
 * fed broken input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "civil.h"
#include "date.h"
#include "zone.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define Y1900	INT64_C(-2208988800)
#define Y1970	INT64_C(0)
#define Y2100	INT64_C(4102444800)
#define Y2150	INT64_C(5680281600)
#define Y2500	INT64_C(16725225600)
#define Y0001	INT64_C(-62135596800)

/* Zones the oracle always covers, whatever else the system has. */
static const char *const must[] = {
	"Europe/Moscow", "Europe/Berlin", "America/New_York",
	"Australia/Lord_Howe",	/* half-hour DST */
	"Asia/Kolkata", "Pacific/Chatham",	/* +12:45/+13:45 */
	"America/Sao_Paulo", "Africa/Casablanca",	/* Ramadan changes to 2087 */
	"Europe/Dublin",	/* negative DST: winter is the "DST" */
	"Antarctica/Troll",	/* +00 and +02 */
	"America/Nuuk",		/* version 3: a change at -01:00 */
	"Asia/Gaza",		/* changes at 50:00 (day after, 02:00) */
};

static const char *
zonedir(void)
{
	const char *d = getenv("TZDIR");

	return d != NULL && d[0] != '\0' ? d : "/usr/share/zoneinfo";
}

struct oracle {
	long zones;
	long instants;		/* instants whose local time was compared */
	long changes;		/* offset changes found by the C library and ours */
	long roundtrips;	/* ls_tz_mktime() of a local time back to its instant */
	long gaps;		/* skipped local times moved forward */
};

/* The C library's local time at t in the zone in TZ. */
static void
libc_local(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;

	if (localtime_r(&tt, tm) == NULL)
		fail_msg("localtime_r(%lld) failed", (long long)t);
}

static int
same_state(const struct tm *a, const struct tm *b)
{
	return a->tm_gmtoff == b->tm_gmtoff && (a->tm_isdst > 0) == (b->tm_isdst > 0);
}

/* Compare one instant, and the local time's way back. */
static void
probe(const char *name, const struct ls_tz *z, int64_t t, struct oracle *o)
{
	struct tm a, b, c;
	int64_t u;
	long off;

	libc_local(t, &b);
	assert_int_equal(ls_tz_local(z, t, &a), 0);
	assert_int_equal(ls_tz_offset(z, t, &off), 0);
	if (a.tm_year != b.tm_year || a.tm_mon != b.tm_mon ||
	    a.tm_mday != b.tm_mday || a.tm_hour != b.tm_hour ||
	    a.tm_min != b.tm_min || a.tm_sec != b.tm_sec ||
	    a.tm_wday != b.tm_wday || a.tm_yday != b.tm_yday ||
	    a.tm_isdst != (b.tm_isdst > 0) || off != b.tm_gmtoff)
		fail_msg("%s at %lld: %d-%02d-%02d %02d:%02d:%02d off %ld dst %d, "
		    "libc %d-%02d-%02d %02d:%02d:%02d off %ld dst %d", name,
		    (long long)t, a.tm_year + 1900, a.tm_mon + 1, a.tm_mday,
		    a.tm_hour, a.tm_min, a.tm_sec, off, a.tm_isdst,
		    b.tm_year + 1900, b.tm_mon + 1, b.tm_mday, b.tm_hour,
		    b.tm_min, b.tm_sec, (long)b.tm_gmtoff, b.tm_isdst);
	o->instants++;
	/* Back: the same instant, or the earlier one of a repeated local time. */
	c = a;
	assert_int_equal(ls_tz_mktime(z, &c, &u), 0);
	if (u != t) {
		if (u > t || c.tm_year != a.tm_year || c.tm_yday != a.tm_yday ||
		    c.tm_hour != a.tm_hour || c.tm_min != a.tm_min || c.tm_sec != a.tm_sec)
			fail_msg("%s: mktime of local(%lld) gave %lld", name,
			    (long long)t, (long long)u);
	}
	o->roundtrips++;
}

/*
 * A change at T (the offset differs at T - 1): both sides, and when the
 * change skips local times, one of them is moved forward by the gap.
 */
static void
probe_change(const char *name, const struct ls_tz *z, int64_t T, struct oracle *o)
{
	struct tm before, after, tm;
	int64_t u, want;
	long gap;

	probe(name, z, T - 1, o);
	probe(name, z, T, o);
	probe(name, z, T + 1, o);
	o->changes++;
	libc_local(T - 1, &before);
	libc_local(T, &after);
	gap = (long)(after.tm_gmtoff - before.tm_gmtoff);
	if (gap <= 0)
		return;
	/* The local time half-way into the gap, written as the second after T - 1's. */
	assert_int_equal(ls_tz_local(z, T - 1, &tm), 0);
	tm.tm_sec += (int)(gap / 2) + 1;
	want = T + gap / 2;
	assert_int_equal(ls_tz_mktime(z, &tm, &u), 0);
	if (u != want)
		fail_msg("%s: skipped local time at %lld (gap %ld) gave %lld, want %lld",
		    name, (long long)T, gap, (long long)u, (long long)want);
	o->gaps++;
}

/* The C library's changes in [from, to), found by stepping and bisecting. */
static void
sweep(const char *name, const struct ls_tz *z, int64_t from, int64_t to,
    int64_t step, struct oracle *o)
{
	struct tm prev, cur, m;
	int64_t t, lo, hi, mid;

	libc_local(from, &prev);
	probe(name, z, from, o);
	for (t = from + step; t < to; t += step) {
		libc_local(t, &cur);
		probe(name, z, t, o);
		if (!same_state(&prev, &cur)) {
			for (lo = t - step, hi = t; hi - lo > 1; ) {
				mid = lo + (hi - lo) / 2;
				libc_local(mid, &m);
				if (same_state(&m, &prev))
					lo = mid;
				else
					hi = mid;
			}
			probe_change(name, z, hi, o);
		}
		prev = cur;
	}
}

/* Our own changes in [from, to), from the compiled table. */
static void
own_changes(const char *name, const struct ls_tz *z, const struct ls_zone *zz,
    int64_t from, int64_t to, struct oracle *o)
{
	struct ls_zone_span sp, prev;
	int64_t t = from;

	ls_zone_span(zz, t, &prev);
	while (prev.end < to) {
		t = prev.end;
		ls_zone_span(zz, t, &sp);
		assert_true(sp.start == t);
		if (sp.off != prev.off || sp.isdst != prev.isdst)
			probe_change(name, z, t, o);
		prev = sp;
	}
}

static void
oracle_zone(const char *name, int64_t step, int64_t end, struct oracle *o)
{
	char tzval[300], path[1024];
	struct ls_error err;
	struct ls_zone *zz;
	struct ls_tz *z;
	int64_t t;

	memset(&err, 0, sizeof(err));
	if ((z = ls_tz_open(name, &err)) == NULL)
		fail_msg("ls_tz_open(%s): %s", name, err.msg);
	snprintf(path, sizeof(path), "%s/%s", zonedir(), name);
	if ((zz = ls_zone_load(path, &err)) == NULL)
		fail_msg("ls_zone_load(%s): %s", path, err.msg);
	snprintf(tzval, sizeof(tzval), ":%s", name);
	setenv("TZ", tzval, 1);
	tzset();
	sweep(name, z, Y1900, Y2100, step, o);
	/* After the tables: the TZ string's rule, year by year. */
	sweep(name, z, Y2100, end, step * 3 + 86400, o);
	own_changes(name, z, zz, Y1900, end, o);
	/* Before 1900: local mean time and the first changes. */
	for (t = Y0001; t < Y1900; t += INT64_C(86400) * 3659 + 3607)
		probe(name, z, t, o);
	unsetenv("TZ");
	tzset();
	ls_zone_free(zz);
	ls_tz_free(z);
	o->zones++;
}

/* Zone files (TZif magic) under dir/rel, one name per file (links counted once). */
struct names {
	char **v;
	size_t n, cap;
	struct { dev_t dev; ino_t ino; } *seen;
};

static void
collect(const char *top, const char *rel, struct names *nm)
{
	char path[1024], sub[512], magic[4];
	struct dirent *de;
	struct stat st;
	size_t i;
	FILE *fp;
	DIR *d;

	snprintf(path, sizeof(path), "%s%s%s", top, rel[0] ? "/" : "", rel);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		/* right/ counts leap seconds (refused); posix/ repeats the rest. */
		if (rel[0] == '\0' && (strcmp(de->d_name, "right") == 0 ||
		    strcmp(de->d_name, "posix") == 0 || strcmp(de->d_name, "localtime") == 0))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
		snprintf(path, sizeof(path), "%s/%s", top, sub);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			collect(top, sub, nm);
			continue;
		}
		if ((fp = fopen(path, "rb")) == NULL)
			continue;
		i = fread(magic, 1, 4, fp);
		fclose(fp);
		if (i != 4 || memcmp(magic, "TZif", 4) != 0)
			continue;
		for (i = 0; i < nm->n; i++)
			if (nm->seen[i].dev == st.st_dev && nm->seen[i].ino == st.st_ino)
				break;
		if (i < nm->n)
			continue;
		if (nm->n == nm->cap) {
			nm->cap = nm->cap ? nm->cap * 2 : 256;
			nm->v = realloc(nm->v, nm->cap * sizeof(*nm->v));
			nm->seen = realloc(nm->seen, nm->cap * sizeof(*nm->seen));
			assert_non_null(nm->v);
			assert_non_null(nm->seen);
		}
		nm->seen[nm->n].dev = st.st_dev;
		nm->seen[nm->n].ino = st.st_ino;
		nm->v[nm->n] = strdup(sub);
		assert_non_null(nm->v[nm->n]);
		nm->n++;
	}
	closedir(d);
}

/*
 * Every zone of the system against the C library: the local time of
 * instants every month from 1900 to 2100 and every quarter to 2150
 * (every two days and every week to 2500 for the zones of must[]), both
 * sides of every change either finds, decades before 1900, each local
 * time back through ls_tz_mktime(), and skipped times.
 */
static void
test_oracle_all_zones(void **state)
{
	struct oracle o;
	struct names nm;
	size_t i;

	(void)state;
	memset(&o, 0, sizeof(o));
	memset(&nm, 0, sizeof(nm));
	for (i = 0; i < NELEM(must); i++)
		oracle_zone(must[i], INT64_C(86400) * 2 + 3607, Y2500, &o);
	collect(zonedir(), "", &nm);
	for (i = 0; i < nm.n; i++) {
		oracle_zone(nm.v[i], INT64_C(86400) * 31 + 3607, Y2150, &o);
		free(nm.v[i]);
	}
	free(nm.v);
	free(nm.seen);
	print_message("oracle: %ld zones (%zu files), %ld instants compared with "
	    "localtime_r, %ld changes, %ld mktime round trips, %ld skipped times\n",
	    o.zones, nm.n, o.instants, o.changes, o.roundtrips, o.gaps);
	assert_true(nm.n >= NELEM(must));
}

/*
 * POSIX TZ strings as the process zone, against the C library reading the
 * same TZ, from 1970: before that, glibc works every year's changes out as
 * 1970's (compute_change() starts from 1970 for any earlier year), so it
 * has no DST at all then.  Earlier years are checked by hand below.
 */
static void
test_oracle_tz_strings(void **state)
{
	static const char *const rules[] = {
		"MSK-3", "<+03>-3", "EST5EDT,M3.2.0,M11.1.0", "CET-1CEST,M3.5.0,M10.5.0/3",
		"IST-1GMT0,M10.5.0,M3.5.0/1", "EET-2EEST,M3.4.4/50,M10.4.4/50",
		"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "<-04>4<-03>,M9.1.6/24,M4.1.6/24",
		"AEST-10AEDT,M10.1.0,M4.1.0/3", "NST3:30NDT,M3.2.0,M11.1.0",
		"<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", "<+00>0<+02>-2,M3.5.0/1,M10.5.0/3",
		"ACST-9:30ACDT,M10.1.0,M4.1.0/3", "EET-2EEST,M4.5.5/0,M10.5.4/24",
		"XXX3YYY,J60/2,J300/2", "XXX3YYY,59,299/1:30", "XXX-3:15YYY-5,J1/5,J365/23",
		"AAA+5BBB+4:30,M4.1.1/-5,M9.5.6/26", "EST5", "<-0930>9:30",
	};
	struct oracle o;
	struct ls_tz *z;
	size_t i;
	long off;

	(void)state;
	memset(&o, 0, sizeof(o));
	for (i = 0; i < NELEM(rules); i++) {
		setenv("TZ", rules[i], 1);
		tzset();
		z = ls_tz_open(NULL, NULL);
		assert_non_null(z);
		sweep(rules[i], z, Y1970, Y2500, INT64_C(86400) * 9 + 3607, &o);
		ls_tz_free(z);
		o.zones++;
	}
	/* 1900: DST from Sunday 11 March 02:00 EST to Sunday 4 November 02:00 EDT. */
	setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
	assert_non_null(z = ls_tz_open(NULL, NULL));
	assert_int_equal(ls_tz_offset(z, INT64_C(-2203002001), &off), 0);	/* 01:59:59 EST */
	assert_int_equal(off, -18000);
	assert_int_equal(ls_tz_offset(z, INT64_C(-2203002000), &off), 0);	/* 03:00:00 EDT */
	assert_int_equal(off, -14400);
	assert_int_equal(ls_tz_offset(z, INT64_C(-2182442401), &off), 0);	/* 01:59:59 EDT */
	assert_int_equal(off, -14400);
	assert_int_equal(ls_tz_offset(z, INT64_C(-2182442400), &off), 0);	/* 01:00:00 EST */
	assert_int_equal(off, -18000);
	ls_tz_free(z);
	/*
	 * DST that ends past its year: 2016's ends on Saturday 31 December at
	 * 26:00, 2017-01-01T06:30:00Z.  glibc looks only at the changes of
	 * t's own UTC year and already has standard time after midnight UTC.
	 */
	setenv("TZ", "AAA+5BBB+4:30,M1.1.1/-5,M12.5.6/26", 1);
	assert_non_null(z = ls_tz_open(NULL, NULL));
	assert_int_equal(ls_tz_offset(z, INT64_C(1483241835), &off), 0);
	assert_int_equal(off, -16200);
	assert_int_equal(ls_tz_offset(z, INT64_C(1483252199), &off), 0);
	assert_int_equal(off, -16200);
	assert_int_equal(ls_tz_offset(z, INT64_C(1483252200), &off), 0);
	assert_int_equal(off, -18000);
	ls_tz_free(z);
	unsetenv("TZ");
	tzset();
	print_message("TZ strings: %ld rules, %ld instants, %ld changes\n",
	    o.zones, o.instants, o.changes);
}

/* How the process zone reads TZ: names, ":Name", paths, strings, nothing. */
static void
test_process_zone(void **state)
{
	static const struct { const char *tz; long off; } c[] = {
		{ "Europe/Moscow", 10800 }, { ":Europe/Moscow", 10800 },
		{ "MSK-3", 10800 }, { "<+0530>-5:30", 19800 }, { "", 0 }, { ":", 0 },
		{ "America/New_York", -18000 }, { "Nowhere/Special", 0 },
		{ "EST5EDT,M3.2.0,M11.1.0", -18000 }, { "garbage!", 0 },
	};
	char path[1024];
	struct ls_tz *z;
	long off;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		setenv("TZ", c[i].tz, 1);
		assert_non_null(z = ls_tz_open(NULL, NULL));
		assert_int_equal(ls_tz_offset(z, INT64_C(1795690980), &off), 0);
		if (off != c[i].off)
			fail_msg("TZ='%s': offset %ld, want %ld", c[i].tz, off, c[i].off);
		assert_string_equal(ls_tz_name(z), "");
		/* Read once: a later TZ does not change an open zone. */
		setenv("TZ", "Asia/Tokyo", 1);
		assert_int_equal(ls_tz_offset(z, INT64_C(1795690980), &off), 0);
		assert_int_equal(off, c[i].off);
		ls_tz_free(z);
	}
	snprintf(path, sizeof(path), ":%s/Asia/Kolkata", zonedir());
	setenv("TZ", path, 1);
	assert_non_null(z = ls_tz_open(NULL, NULL));
	assert_int_equal(ls_tz_offset(z, INT64_C(1795690980), &off), 0);
	assert_int_equal(off, 19800);
	ls_tz_free(z);
	unsetenv("TZ");
	assert_non_null(z = ls_tz_open("", NULL));
	ls_tz_free(z);
}

struct rule_case {
	const char *s;
	long std, dst;
	int has_dst;
	char k1;
	int d1, w1, wd1;
	long s1;
	char k2;
	int d2, w2, wd2;
	long s2;
};

static const struct rule_case good_rules[] = {
	{ "MSK-3", 10800, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "<+03>-3", 10800, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "<-0930>9:30", -34200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "EST5EDT,M3.2.0,M11.1.0", -18000, -14400, 1, 'M', 3, 2, 0, 7200, 'M', 11, 1, 0, 7200 },
	{ "EST5EDT", -18000, -14400, 1, 'M', 3, 2, 0, 7200, 'M', 11, 1, 0, 7200 },
	{ "IST-1GMT0,M10.5.0,M3.5.0/1", 3600, 0, 1, 'M', 10, 5, 0, 7200, 'M', 3, 5, 0, 3600 },
	{ "<-02>2<-01>,M3.5.0/-1,M10.5.0/0", -7200, -3600, 1, 'M', 3, 5, 0, -3600, 'M', 10, 5, 0, 0 },
	{ "EET-2EEST,M3.4.4/50,M10.4.4/50", 7200, 10800, 1, 'M', 3, 4, 4, 180000, 'M', 10, 4, 4, 180000 },
	{ "XXX3YYY,J60/2,J300/2", -10800, -7200, 1, 'J', 60, 0, 0, 7200, 'J', 300, 0, 0, 7200 },
	{ "XXX3YYY,0/0,365/-167", -10800, -7200, 1, 'n', 0, 0, 0, 0, 'n', 365, 0, 0, -601200 },
	{ "NST3:30NDT,M3.2.0,M11.1.0", -12600, -9000, 1, 'M', 3, 2, 0, 7200, 'M', 11, 1, 0, 7200 },
	{ "ABC+1:02:03DEF-4:05:06,J1/1:02:03,J2/+167:59:59", -3723, 14706, 1, 'J', 1, 0, 0, 3723, 'J', 2, 0, 0, 604799 },
};

static void
test_rule_parse(void **state)
{
	const struct rule_case *c;
	struct ls_zone_rule r;
	struct ls_error err;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(good_rules); i++) {
		c = &good_rules[i];
		memset(&err, 0, sizeof(err));
		if (ls_zone_rule_parse(c->s, strlen(c->s), &r, &err) != 0)
			fail_msg("'%s': %s", c->s, err.msg);
		assert_int_equal(r.std_off, c->std);
		assert_int_equal(r.has_dst, c->has_dst);
		if (!c->has_dst)
			continue;
		assert_int_equal(r.dst_off, c->dst);
		assert_int_equal(r.start.kind, c->k1);
		assert_int_equal(r.start.day, c->d1);
		assert_int_equal(r.start.secs, c->s1);
		assert_int_equal(r.end.kind, c->k2);
		assert_int_equal(r.end.day, c->d2);
		assert_int_equal(r.end.secs, c->s2);
		if (c->k1 == 'M') {
			assert_int_equal(r.start.week, c->w1);
			assert_int_equal(r.start.wday, c->wd1);
			assert_int_equal(r.end.week, c->w2);
			assert_int_equal(r.end.wday, c->wd2);
		}
	}
}

static void
test_rule_parse_bad(void **state)
{
	static const struct { const char *s, *why; } c[] = {
		{ "", "expected a zone name of 3 letters or more" },
		{ "EST", "bad UTC offset" },
		{ "ES5", "expected a zone name of 3 letters or more" },
		{ "EST25", "bad UTC offset" },
		{ "EST5:60", "bad UTC offset" },
		{ "EST5EDT,M13.1.0,M11.1.0", "bad date of the change" },
		{ "EST5EDT,M3.6.0,M11.1.0", "bad date of the change" },
		{ "EST5EDT,M3.2.7,M11.1.0", "bad date of the change" },
		{ "EST5EDT,M3.2,M11.1.0", "bad date of the change" },
		{ "EST5EDT,J0,J365", "bad date of the change" },
		{ "EST5EDT,J1,J366", "bad date of the change" },
		{ "EST5EDT,0,366", "bad date of the change" },
		{ "EST5EDT,M3.2.0/168,M11.1.0", "bad time of the change" },
		{ "EST5EDT,M3.2.0", "expected ',' and the end of DST" },
		{ "EST5EDT,M3.2.0,M11.1.0x", "unexpected text after the rule" },
		{ "EST5 ", "expected a zone name of 3 letters or more" },
		{ "EST5EDT4x", "unexpected text after the rule" },
		{ "<AB>3", "zone name shorter than 3 characters" },
		{ "<+03-3", "unterminated <quoted> zone name" },
		{ "<+0 3>-3", "bad character in a <quoted> zone name" },
		{ "EST5EDT,", "bad date of the change" },
		{ "EST5EDT25", "bad DST offset" },
	};
	struct ls_zone_rule r;
	struct ls_error err;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		memset(&err, 0, sizeof(err));
		if (ls_zone_rule_parse(c[i].s, strlen(c[i].s), &r, &err) != LS_EDATA)
			fail_msg("'%s' accepted", c[i].s);
		if (strstr(err.msg, c[i].why) == NULL)
			fail_msg("'%s': message '%s', want '%s'", c[i].s, err.msg, c[i].why);
		assert_int_equal(err.status, LS_EDATA);
	}
	ls_zone_rule_parse("EST", 3, &r, &err);
	assert_string_equal(err.msg, "bad TZ string 'EST': bad UTC offset (expected [+-]hh[:mm[:ss]], hh up to 24)");
}

/* A TZif file built in memory. */
struct tzif {
	unsigned char b[4096];
	size_t n;
};

static void
put32(struct tzif *f, uint32_t v)
{
	f->b[f->n++] = (unsigned char)(v >> 24);
	f->b[f->n++] = (unsigned char)(v >> 16);
	f->b[f->n++] = (unsigned char)(v >> 8);
	f->b[f->n++] = (unsigned char)v;
}

static void
header(struct tzif *f, int version, uint32_t timecnt, uint32_t typecnt, uint32_t leapcnt)
{
	memcpy(f->b + f->n, "TZif", 4);
	f->n += 4;
	f->b[f->n++] = (unsigned char)version;
	memset(f->b + f->n, 0, 15);
	f->n += 15;
	put32(f, typecnt);	/* isutcnt */
	put32(f, typecnt);	/* isstdcnt */
	put32(f, leapcnt);
	put32(f, timecnt);
	put32(f, typecnt);
	put32(f, 4);		/* charcnt: "AB\0" + 1 */
}

/*
 * Two types, +1h standard and +2h DST, changing at times[]; v1 data, then
 * (version > 0) 64-bit data and footer.
 */
static void
build(struct tzif *f, int version, const int64_t *times, size_t nt, const char *footer)
{
	int pass, last = version == 0 ? 1 : 2;
	size_t i;

	f->n = 0;
	for (pass = 1; pass <= last; pass++) {
		header(f, version, (uint32_t)nt, 2, 0);
		for (i = 0; i < nt; i++) {
			if (pass == 2)
				put32(f, (uint32_t)((uint64_t)times[i] >> 32));
			put32(f, (uint32_t)(uint64_t)times[i]);
		}
		for (i = 0; i < nt; i++)
			f->b[f->n++] = (unsigned char)(i % 2 == 0 ? 1 : 0);
		put32(f, 3600);
		f->b[f->n++] = 0;
		f->b[f->n++] = 0;
		put32(f, 7200);
		f->b[f->n++] = 1;
		f->b[f->n++] = 1;
		memcpy(f->b + f->n, "AB\0\0", 4);
		f->n += 4;
		memset(f->b + f->n, 0, 4);	/* isstd, isut */
		f->n += 4;
	}
	if (version > 0) {
		f->b[f->n++] = '\n';
		memcpy(f->b + f->n, footer, strlen(footer));
		f->n += strlen(footer);
		f->b[f->n++] = '\n';
	}
}

static long
off_at(const struct ls_zone *z, int64_t t)
{
	struct ls_zone_span sp;

	ls_zone_span(z, t, &sp);
	assert_true(sp.start <= t && t < sp.end);
	return sp.off;
}

static void
test_tzif_built(void **state)
{
	static const int64_t times[] = { 1000, 2000, INT64_C(5000000000) };
	struct ls_error err;
	struct ls_zone *z;
	struct tzif f;

	(void)state;
	/* Version 1: 32-bit times only (the third does not fit and is cut by put32). */
	build(&f, 0, times, 2, "");
	assert_non_null(z = ls_zone_tzif(f.b, f.n, &err));
	assert_int_equal(off_at(z, 999), 3600);		/* type 0 before the first */
	assert_int_equal(off_at(z, 1000), 7200);
	assert_int_equal(off_at(z, 1999), 7200);
	assert_int_equal(off_at(z, 2000), 3600);
	assert_int_equal(off_at(z, INT64_C(9000000000)), 3600);	/* the last holds */
	ls_zone_free(z);
	/* Version 2: a 64-bit time, then the footer's rule. */
	build(&f, '2', times, 3, "<+04>-4");
	assert_non_null(z = ls_zone_tzif(f.b, f.n, &err));
	assert_int_equal(off_at(z, INT64_C(4999999999)), 3600);
	assert_int_equal(off_at(z, INT64_C(5000000000)), 7200);
	assert_int_equal(off_at(z, INT64_C(5000000001)), 14400);
	assert_int_equal(off_at(z, INT64_C(90000000000)), 14400);
	ls_zone_free(z);
	/* Version 3 with an empty footer: the last type holds for ever. */
	build(&f, '3', times, 3, "");
	assert_non_null(z = ls_zone_tzif(f.b, f.n, &err));
	assert_int_equal(off_at(z, INT64_C(90000000000)), 7200);
	ls_zone_free(z);
}

static void
expect_bad(const void *data, size_t n, const char *why)
{
	struct ls_error err;
	struct ls_zone *z;

	memset(&err, 0, sizeof(err));
	if ((z = ls_zone_tzif(data, n, &err)) != NULL) {
		ls_zone_free(z);
		fail_msg("accepted (want '%s')", why);
	}
	assert_int_equal(err.status, LS_EDATA);
	if (strstr(err.msg, why) == NULL)
		fail_msg("message '%s', want '%s'", err.msg, why);
}

static void
test_tzif_malformed(void **state)
{
	static const int64_t times[] = { 1000, 2000, INT64_C(5000000000) };
	static const int64_t backwards[] = { 2000, 1000 };
	struct tzif f, g;
	size_t i;

	(void)state;
	build(&f, '2', times, 3, "<+04>-4");
	/* Every truncation fails with a message. */
	for (i = 0; i < f.n; i++) {
		struct ls_error err;
		struct ls_zone *z;

		memset(&err, 0, sizeof(err));
		if ((z = ls_zone_tzif(f.b, i, &err)) != NULL) {
			ls_zone_free(z);
			fail_msg("truncated at %zu of %zu: accepted", i, f.n);
		}
		assert_int_equal(err.status, LS_EDATA);
		assert_true(err.msg[0] != '\0');
	}
	expect_bad(f.b, 43, "truncated header");
	expect_bad(f.b, 60, "truncated data");
	expect_bad(f.b, f.n - 1, "missing or unterminated TZ string footer");
	g = f;
	memcpy(g.b, "TZIF", 4);
	expect_bad(g.b, g.n, "not a TZif file");
	g = f;
	g.b[4] = '1';
	expect_bad(g.b, g.n, "unknown TZif version");
	g = f;
	g.b[39] = 0;		/* typecnt 0 */
	expect_bad(g.b, g.n, "bad count of local time types");
	g = f;
	g.b[32] = 0x7f;		/* timecnt huge */
	expect_bad(g.b, g.n, "too many transitions");
	g = f;
	g.b[35] = 50;		/* timecnt larger than the data */
	expect_bad(g.b, g.n, "truncated");
	g = f;
	g.b[23] = 1;		/* isutcnt neither 0 nor typecnt */
	expect_bad(g.b, g.n, "bad count of standard/UT indicators");
	/* The 64-bit block's fields. */
	build(&g, '2', times, 3, "<+04>-4");
	i = g.n - 9 - 4 - 4 - 12 - 3;	/* first type index of the 64-bit block */
	g.b[i] = 7;
	expect_bad(g.b, g.n, "transition type index out of range");
	build(&g, '2', backwards, 2, "<+04>-4");
	expect_bad(g.b, g.n, "transition times out of order");
	build(&g, '2', times, 3, "<+04>-4");
	g.b[g.n - 9 - 8 - 2] = 2;	/* the second type's DST flag */
	expect_bad(g.b, g.n, "bad DST flag");
	build(&g, '2', times, 3, "<+04>-4");
	g.b[g.n - 9 - 8 - 6] = 0x7f;	/* the second type's offset, high byte */
	expect_bad(g.b, g.n, "UT offset out of range");
	build(&g, '2', times, 3, "<+04>-4");
	g.b[g.n - 9 - 8 - 1] = 9;	/* the second type's designation index */
	expect_bad(g.b, g.n, "designation index out of range");
	build(&g, '2', times, 3, "<+04>4x");
	expect_bad(g.b, g.n, "bad TZ string '<+04>4x'");
	/* Leap seconds: a right/ zone. */
	g.n = 0;
	header(&g, 0, 0, 1, 1);
	memset(g.b + g.n, 0, 6 + 4 + 8 + 2);
	g.b[g.n + 7] = 0;
	g.n += 6 + 4 + 8 + 2;
	expect_bad(g.b, g.n, "leap second");
	expect_bad("", 0, "truncated header");
}

/* A real file through every truncation and some flipped bytes: errors, never a crash. */
static void
test_tzif_real_mutations(void **state)
{
	char path[1024];
	unsigned char *buf;
	struct ls_error err;
	struct ls_zone *z;
	struct ls_zone_span sp;
	size_t n, i, bit;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "%s/Europe/Berlin", zonedir());
	assert_non_null(fp = fopen(path, "rb"));
	assert_non_null(buf = malloc(1 << 16));
	n = fread(buf, 1, 1 << 16, fp);
	fclose(fp);
	for (i = 0; i < n; i++) {
		memset(&err, 0, sizeof(err));
		if ((z = ls_zone_tzif(buf, i, &err)) != NULL)
			fail_msg("Europe/Berlin cut at %zu of %zu: accepted", i, n);
		assert_true(err.msg[0] != '\0');
	}
	for (i = 0; i < n; i += 7) {
		bit = 1u << (i % 8);
		buf[i] ^= (unsigned char)bit;
		if ((z = ls_zone_tzif(buf, n, &err)) != NULL) {
			ls_zone_span(z, INT64_C(1795690980), &sp);
			assert_true(sp.start <= INT64_C(1795690980) && INT64_C(1795690980) < sp.end);
			ls_zone_free(z);
		}
		buf[i] ^= (unsigned char)bit;
	}
	free(buf);
}

/* Named zones: the checks on names, and a broken file named in a config. */
static void
test_open_names(void **state)
{
	static const char *const bad[] = {
		"../../etc/passwd", "/etc/localtime", "Europe/../Europe/Berlin",
		"zone.tab", "MSK-3", "Europe/Berlin ", "right/Europe/Berlin", "Mars/Olympus",
	};
	struct ls_error err;
	struct ls_tz *z;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		memset(&err, 0, sizeof(err));
		if ((z = ls_tz_open(bad[i], &err)) != NULL) {
			ls_tz_free(z);
			fail_msg("'%s' accepted", bad[i]);
		}
		assert_int_equal(err.status, LS_ECONFIG);
	}
	ls_tz_open("zone.tab", &err);
	assert_string_equal(err.msg, "unknown time zone 'zone.tab' (not a TZif file)");
	ls_tz_open("right/Europe/Berlin", &err);
	if (strstr(err.msg, "unknown time zone 'right/Europe/Berlin'") == NULL)
		fail_msg("%s", err.msg);
}

/* Many threads converting with one zone at once get what one thread gets. */
#define NTHREAD	4
#define NPROBE	4000

struct job {
	const struct ls_tz *z;
	const int64_t *want;
	int bad;
};

static void *
convert(void *arg)
{
	struct job *j = arg;
	struct tm tm;
	int64_t t, u;
	int k, round;

	for (round = 0; round < 5; round++)
		for (k = 0; k < NPROBE; k++) {
			t = INT64_C(1735689600) + (int64_t)k * 7919 * 3;
			if (ls_tz_local(j->z, t, &tm) != 0 ||
			    ls_tz_mktime(j->z, &tm, &u) != 0 || u != j->want[k])
				j->bad++;
		}
	return NULL;
}

static void
test_threads(void **state)
{
	static int64_t want[NPROBE];
	struct job jobs[NTHREAD];
	pthread_t th[NTHREAD];
	struct ls_tz *z;
	struct tm tm;
	int k;

	(void)state;
	assert_non_null(z = ls_tz_open("Europe/Berlin", NULL));
	for (k = 0; k < NPROBE; k++) {
		assert_int_equal(ls_tz_local(z, INT64_C(1735689600) + (int64_t)k * 7919 * 3, &tm), 0);
		assert_int_equal(ls_tz_mktime(z, &tm, &want[k]), 0);
	}
	for (k = 0; k < NTHREAD; k++) {
		jobs[k].z = z;
		jobs[k].want = want;
		jobs[k].bad = 0;
		assert_int_equal(pthread_create(&th[k], NULL, convert, &jobs[k]), 0);
	}
	for (k = 0; k < NTHREAD; k++) {
		pthread_join(th[k], NULL);
		assert_int_equal(jobs[k].bad, 0);
	}
	ls_tz_free(z);
}

/*
 * ls_tz_day(): the day number ls_tz_date() gives, and every instant of
 * the range it returns on that day at t's offset, around DST changes (a
 * 23 h and a 25 h day), in a zone whose offset changed without DST, in
 * UTC, and at the ends of the range.
 */
static void
test_tz_day(void **state)
{
	static const char *const names[] = { "Europe/Berlin", "America/New_York",
		"Europe/Moscow", "Australia/Lord_Howe", NULL };
	struct ls_tz *z;
	struct ls_date d;
	int64_t dn, lo, hi, dn2, lo2, hi2, t;
	long off, off2;
	int isdst;

	(void)state;
	for (int i = 0; names[i]; i++) {
		struct ls_error err = { 0 };

		if ((z = ls_tz_open(names[i], &err)) == NULL)
			fail_msg("ls_tz_open(%s): %s", names[i], err.msg);
		/* 2010-2012: Moscow's 2011 change to +04 for good; the DST changes of the others */
		for (t = INT64_C(1262304000); t < INT64_C(1356998400); t += 1799) {
			assert_int_equal(ls_tz_day(z, t, &dn, &lo, &hi), 0);
			assert_int_equal(ls_tz_date(z, t, &d), 0);
			assert_int_equal(dn, ls_date_to_days(&d));
			assert_true(lo <= t && t < hi && hi - lo <= 86400);
			assert_int_equal(ls_tz_at(z, t, &off, &isdst), 0);
			/* the range's ends are on that day at that offset, the instants past them not both */
			for (int k = 0; k < 2; k++) {
				int64_t u = k ? hi - 1 : lo;

				assert_int_equal(ls_tz_date(z, u, &d), 0);
				assert_int_equal(ls_date_to_days(&d), dn);
				assert_int_equal(ls_tz_at(z, u, &off2, &isdst), 0);
				assert_int_equal(off2, off);
			}
			assert_int_equal(ls_tz_day(z, lo - 1, &dn2, &lo2, &hi2), 0);
			assert_int_equal(ls_tz_at(z, lo - 1, &off2, &isdst), 0);
			assert_true(dn2 != dn || off2 != off);
			assert_int_equal(hi2, lo);
		}
		ls_tz_free(z);
	}
	/* UTC: whole days */
	assert_int_equal(ls_tz_day(NULL, 86400 * 3 + 5, &dn, &lo, &hi), 0);
	assert_int_equal(dn, 3);
	assert_int_equal(lo, 86400 * 3);
	assert_int_equal(hi, 86400 * 4);
	assert_int_equal(ls_tz_day(NULL, -1, &dn, &lo, &hi), 0);
	assert_int_equal(dn, -1);
	assert_int_equal(lo, -86400);
	assert_int_equal(hi, 0);
	/* outside date.h's range: refused, and a range never reaches past it */
	assert_int_equal(ls_tz_day(NULL, LS_CIVIL_TIME_MAX + 1, &dn, &lo, &hi), LS_EDATA);
	assert_int_equal(ls_tz_day(NULL, LS_CIVIL_TIME_MIN - 1, &dn, &lo, &hi), LS_EDATA);
	assert_int_equal(ls_tz_day(NULL, LS_CIVIL_TIME_MAX, &dn, &lo, &hi), 0);
	assert_int_equal(hi, LS_CIVIL_TIME_MAX + 1);
	assert_int_equal(ls_tz_day(NULL, LS_CIVIL_TIME_MIN, &dn, &lo, &hi), 0);
	assert_int_equal(lo, LS_CIVIL_TIME_MIN);
}

/*
 * The TZif and rule paths the oracles do not take: a v2 file whose second
 * header says version 1, a last transition at the end of time (no rule can
 * follow it), a rule whose DST never ends (its spans merged), instants far
 * beyond any rule's years, and ls_zone_load()'s files that are not zones.
 */
static void
test_tzif_edges(void **state)
{
	static const int64_t times[] = { 1000, 2000, INT64_C(5000000000) };
	static const int64_t forever[] = { 1000, INT64_MAX };
	struct ls_zone_span sp;
	struct ls_error err;
	struct ls_zone *z;
	struct tzif g;
	char path[5000];
	FILE *fp;

	(void)state;
	/* The 64-bit block's header: after the v1 header (44) and its block (35 bytes here). */
	build(&g, '2', times, 3, "<+04>-4");
	assert_int_equal(g.b[44 + 35 + 4], '2');
	g.b[44 + 35 + 4] = 0;
	expect_bad(g.b, g.n, "bad TZif data: second header is version 1");
	/* The footer's rule is not used once the last transition is at INT64_MAX. */
	build(&g, '2', forever, 2, "<+04>-4");
	assert_non_null(z = ls_zone_tzif(g.b, g.n, &err));
	assert_int_equal(off_at(z, INT64_C(90000000000)), 7200);
	ls_zone_free(z);
	/* DST from 1 January 00:00 to 31 December 25:00 is DST all year, one span over the years. */
	assert_non_null(z = ls_zone_posix("EST5EDT,0/0,J365/25", 19, &err));
	ls_zone_span(z, INT64_C(1796000000), &sp);	/* 2026 */
	assert_int_equal(sp.off, -14400);
	assert_int_equal(sp.isdst, 1);
	assert_true(sp.start < INT64_C(1577836800) && sp.end > INT64_C(2524608000));	/* 2020..2050 */
	ls_zone_free(z);
	/* Far instants keep the state at the edge of the rule's range: one span to each end of time. */
	assert_non_null(z = ls_zone_posix("EST5EDT,M3.2.0,M11.1.0", 22, &err));
	ls_zone_span(z, INT64_MAX, &sp);
	assert_int_equal(sp.end, INT64_MAX);
	assert_true(sp.start <= INT64_MAX && sp.start > INT64_C(1) << 44);
	ls_zone_span(z, INT64_MIN, &sp);
	assert_int_equal(sp.start, INT64_MIN);
	assert_true(sp.end < -(INT64_C(1) << 44));
	ls_zone_free(z);
	/* An offset's seconds go up to 59. */
	assert_null(ls_zone_posix("EST5:00:60", 10, &err));
	assert_int_equal(err.status, LS_EDATA);
	assert_non_null(strstr(err.msg, "bad UTC offset"));
	/* A directory opens but cannot be read: an I/O error naming the file. */
	assert_null(ls_zone_load("/", &err));
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(err.file, "/");
	assert_string_equal(err.msg, "cannot read the zone file: Is a directory");
	/* A name too long to open is an I/O error too, not "no such zone file". */
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	assert_null(ls_zone_load(path, &err));
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(err.msg, "cannot read the zone file: File name too long");
	/* A file over 1 MiB is refused before it is parsed. */
	snprintf(path, sizeof(path), "tzbig.%ld", (long)getpid());
	assert_non_null(fp = fopen(path, "wb"));
	build(&g, '2', times, 3, "<+04>-4");
	assert_int_equal(fwrite(g.b, 1, g.n, fp), g.n);
	assert_int_equal(fseek(fp, (1L << 20) - (long)g.n, SEEK_CUR), 0);
	assert_int_equal(fputc('\n', fp), '\n');
	assert_int_equal(fclose(fp), 0);
	assert_null(ls_zone_load(path, &err));
	assert_int_equal(err.status, LS_EDATA);
	assert_string_equal(err.msg, "bad TZif data: file larger than 1 MiB");
	/* and a zone named by TZ that cannot be read is that I/O error too */
	assert_int_equal(setenv("TZ", ":/", 1), 0);
	assert_null(ls_tz_open(NULL, &err));
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(err.msg, "cannot read the zone file: Is a directory");
	unsetenv("TZ");
	unlink(path);
}

/* Days at the ends of date.h's range are cut at them, whichever side of UTC the zone is. */
static void
test_tz_day_range_ends(void **state)
{
	int64_t dn, lo, hi;
	struct ls_tz *z;
	long off;

	(void)state;
	/* 9999-12-31 19:00 in New York: its local day began that morning UTC, and would end past the range */
	assert_non_null(z = ls_tz_open("America/New_York", NULL));
	assert_int_equal(ls_tz_offset(z, LS_CIVIL_TIME_MAX, &off), 0);
	assert_true(off < 0);
	assert_int_equal(ls_tz_day(z, LS_CIVIL_TIME_MAX, &dn, &lo, &hi), 0);
	assert_int_equal(hi, LS_CIVIL_TIME_MAX + 1);
	assert_int_equal(lo, LS_CIVIL_TIME_MAX + 1 - 86400 - off);
	ls_tz_free(z);
	/* 0001-01-01 09:18 in Tokyo: its local day began before the range */
	assert_non_null(z = ls_tz_open("Asia/Tokyo", NULL));
	assert_int_equal(ls_tz_offset(z, LS_CIVIL_TIME_MIN, &off), 0);
	assert_true(off > 0);
	assert_int_equal(ls_tz_day(z, LS_CIVIL_TIME_MIN, &dn, &lo, &hi), 0);
	assert_int_equal(lo, LS_CIVIL_TIME_MIN);
	assert_int_equal(hi, LS_CIVIL_TIME_MIN + 86400 - off);
	ls_tz_free(z);
}

/* An argument names the tests to run (a cmocka pattern): tests/tsan.sh runs test_threads alone. */
int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_parse),
		cmocka_unit_test(test_rule_parse_bad),
		cmocka_unit_test(test_tzif_built),
		cmocka_unit_test(test_tzif_malformed),
		cmocka_unit_test(test_tzif_real_mutations),
		cmocka_unit_test(test_open_names),
		cmocka_unit_test(test_process_zone),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_tz_day),
		cmocka_unit_test(test_tzif_edges),
		cmocka_unit_test(test_tz_day_range_ends),
		cmocka_unit_test(test_oracle_tz_strings),
		cmocka_unit_test(test_oracle_all_zones),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
