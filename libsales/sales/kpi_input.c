/*
 * kpi_input.c - what kpi-report's command line asks of the sums: the dates
 * counted (--date, --from, --to) and reading an input with its bad records
 * set aside.  See kpi.h.
 */
#include <string.h>

#include "kpi_int.h"
#include "rejects.h"

/* Monday to Friday: the working days when the config names no calendar. */
static int
weekday(int64_t dn)
{
	/* 1970-01-01 was a Thursday: (dn + 3) mod 7 is 0 on Monday */
	return (dn % 7 + 7 + 3) % 7 < 5;
}

/*
 * The working day before the local today: over the config's calendar when
 * it names one, else Monday to Friday.  Weekdays without a calendar rather
 * than a refusal: the morning report run from cron on a Monday then shows
 * Friday, which is what "yesterday" was meant to show all along; a holiday
 * needs the calendar.
 */
static int
last_workday(const struct ls_kpi_config *c, int64_t now, struct ls_date *d)
{
	struct ls_date today;
	int64_t dn;

	if (ls_tz_date(c->tz, now, &today) != 0)
		return LS_EDATA;
	dn = ls_date_to_days(&today);
	if (c->cal != NULL) {
		if (ls_cal_add_days(c->cal, dn, -1, &dn) != 0)
			return LS_EDATA;
	} else {
		do
			dn--;
		while (!weekday(dn));
	}
	return ls_date_from_days(dn, d);
}

int
ls_kpi_is_workday(const struct ls_kpi_config *c, const struct ls_date *d)
{
	int64_t dn = ls_date_to_days(d);

	return c->cal != NULL ? ls_cal_is_workday(c->cal, dn) : weekday(dn);
}

/* One of the command line's days: 0, or LS_EUSAGE naming the option. */
static int
day_arg(const char *what, const char *s, const struct ls_kpi_config *c, int64_t now,
    struct ls_date *d, struct ls_error *err)
{
	if (strcmp(s, "last-workday") == 0) {
		if (last_workday(c, now, d) != 0)
			return ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "%s: no working day before today within 100 years%s", what,
			    c->cal ? " in the calendar" : "");
		return 0;
	}
	if (ls_date_parse_rel(s, strlen(s), c->tz, now, d, NULL) != 0)
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
		    "%s: bad date '%s' (expected YYYY-MM-DD, today, yesterday, last-workday or -Nd)",
		    what, s);
	return 0;
}

int
ls_kpi_opts_dates(struct ls_kpi_opts *o, const struct ls_kpi_config *c, int64_t now,
    const char *date, const char *from, const char *to, struct ls_error *err)
{
	if (day_arg("--date", "today", c, now, &o->lead_day, err) != 0) {
		/* the clock out of the zone's range is not the user's typing: exit 1, not 2 */
		if (err)
			err->status = LS_EDATA;
		return LS_EDATA;
	}
	/* the month to date: the month of --date (today) up to that day, its plan pro-rated */
	if (o->mtd && (from != NULL || to != NULL))
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "--period mtd counts to --date D: not with --from/--to");
	if (o->mtd && date == NULL)
		date = "today";
	if (date != NULL) {
		struct ls_date d, first, next;

		if (day_arg("--date", date, c, now, &d, err) != 0)
			return LS_EUSAGE;
		/* the period's last day is the day before the next period's first */
		ls_period_days(o->period, &d, &first, &next);
		ls_date_from_days(ls_date_to_days(&next) - 1, &next);
		o->has_from = o->has_to = 1;
		o->from = first;
		o->to = o->mtd ? d : next;
		o->lead_day = d;
	}
	if (from != NULL) {
		if (day_arg("--from", from, c, now, &o->from, err) != 0)
			return LS_EUSAGE;
		o->has_from = 1;
	}
	if (to != NULL) {
		if (day_arg("--to", to, c, now, &o->to, err) != 0)
			return LS_EUSAGE;
		o->has_to = 1;
		o->lead_day = o->to;
	}
	if (o->has_from && o->has_to && ls_date_to_days(&o->from) > ls_date_to_days(&o->to))
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "--from is after --to");
	return 0;
}

int
ls_kpi_read(struct ls_kpi *k, enum ls_kpi_input in, const char *path,
    const struct ls_reader_opts *ro, struct ls_writer *rej, unsigned long *nrej,
    struct ls_error *err)
{
	struct ls_reader_opts o = *ro;
	struct ls_reader *r;
	struct ls_record rec;
	struct ls_error local;
	int rc, status = 0;

	/* a refused record's message is needed for the rejects file, whatever the caller wants */
	if (err == NULL)
		err = &local;
	if ((r = ls_reader_open(&path, 1, &o, err)) == NULL)
		return err->status;
	if (ls_reader_ncols(r) == 0)
		goto done;	/* an empty input: nothing happened */
	if ((status = ls_kpi_bind(k, in, ls_reader_header(r), ls_reader_ncols(r), ls_reader_file(r),
	    err)) != 0)
		goto done;
	for (;;) {
		rc = ls_reader_next(r, &rec, err);
		if (rc == 0)
			break;
		if (rc > 0 && (status = ls_kpi_add(k, in, &rec, err)) == 0)
			continue;
		if (err->status != LS_EDATA || rej == NULL) {
			status = err->status;
			goto done;
		}
		status = 0;
		/* a record refused here was split in place: its fields are joined again for raw */
		if (rc > 0)
			ls_rejects_add_fields(rej, rec.fields, rec.nfields, rec.line, err->msg, rec.file);
		else
			ls_rejects_add(rej, rec.raw.p, rec.raw.n, rec.line, err->msg, rec.file);
		(*nrej)++;
	}
done:
	ls_reader_free(r);
	return status;
}
