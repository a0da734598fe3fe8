/* sla.c - the SLA file of sla.h; its business time is the calendar's (calendar.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "config.h"
#include "sla.h"
#include "ticket.h"


static const char *const prio_names[LS_PRIO_COUNT + 1] = { "low", "normal", "high", "urgent", NULL };

struct ls_sla {
	struct ls_cal *cal;
	unsigned pause;			/* bit per enum ls_tstatus */
	int at_risk;
	int64_t first[LS_PRIO_COUNT], resolution[LS_PRIO_COUNT];
	char (*channels)[LS_CHANNEL_MAX + 1];	/* NULL: the default three */
	size_t nchannels;
};

static const char *const default_channels[] = { "phone", "email", "chat", NULL };

const char *
ls_priority_name(enum ls_priority p)
{
	return (unsigned)p < LS_PRIO_COUNT ? prio_names[p] : NULL;
}

int
ls_priority_parse(const char *p, size_t n, enum ls_priority *pr)
{
	/* the first byte first, as lifecycle.c's lookup(): read for every record of the log */
	for (int i = 0; i < LS_PRIO_COUNT && n > 0; i++)
		if (prio_names[i][0] == p[0] && strlen(prio_names[i]) == n &&
		    memcmp(prio_names[i], p, n) == 0) {
			*pr = (enum ls_priority)i;
			return 0;
		}
	return -1;
}

static int
parse_duration(const struct ls_sla *s, const struct ls_config *c, const struct ls_node *n,
    int64_t *secs, struct ls_error *err)
{
	const char *str;
	int64_t days, rest;

	if (ls_node_str(c, n, &str, err))
		return LS_ECONFIG;
	if (ls_duration_split(str, strlen(str), &days, &rest, NULL) != 0)
		return ls_node_error(c, n, err,
		    "expected a duration such as 30m, 4h, 2d or 1d4h, got '%s'", str);
	*secs = days * ls_cal_day_length(s->cal) + rest;
	if (*secs <= 0)
		return ls_node_error(c, n, err, "a target must be longer than 0");
	return 0;
}

static int
parse_targets(struct ls_sla *s, const struct ls_config *c, const struct ls_node *n,
    struct ls_error *err)
{
	static const char *const keys[] = { "first_response", "resolution", NULL };

	if (ls_node_expect(c, n, LS_NODE_MAP, err) || ls_node_check_keys(c, n, prio_names, err))
		return LS_ECONFIG;
	for (size_t i = 0; i < n->len; i++) {
		const struct ls_node *t = n->items[i], *v;
		enum ls_priority p = LS_PRIO_LOW;

		ls_priority_parse(n->keys[i]->value, n->keys[i]->len, &p);
		if (ls_node_expect(c, t, LS_NODE_MAP, err) || ls_node_check_keys(c, t, keys, err))
			return LS_ECONFIG;
		if (((v = ls_node_get(t, "first_response")) &&
		    parse_duration(s, c, v, &s->first[p], err)) ||
		    ((v = ls_node_get(t, "resolution")) &&
		    parse_duration(s, c, v, &s->resolution[p], err)))
			return LS_ECONFIG;
	}
	return 0;
}

static int
parse_pause(struct ls_sla *s, const struct ls_config *c, const struct ls_node *n,
    struct ls_error *err)
{
	if (ls_node_expect(c, n, LS_NODE_SEQ, err))
		return LS_ECONFIG;
	s->pause = 0;
	for (size_t i = 0; i < n->len; i++) {
		const char *name;
		enum ls_tstatus st;

		if (ls_node_str(c, n->items[i], &name, err))
			return LS_ECONFIG;
		if (ls_tstatus_parse(name, strlen(name), &st) != 0)
			return ls_node_error(c, n->items[i], err,
			    "unknown status '%s' (expected new, open, pending, solved or closed)", name);
		s->pause |= 1u << st;
	}
	return 0;
}

static int
parse_at_risk(struct ls_sla *s, const struct ls_config *c, const struct ls_node *n,
    struct ls_error *err)
{
	const char *str;
	char *end;
	long v;

	if (ls_node_str(c, n, &str, err))
		return LS_ECONFIG;
	v = strtol(str, &end, 10);
	if (end == str || str[0] == '-' || str[0] == '+' || (*end != '\0' && strcmp(end, "%") != 0) ||
	    v > 100)
		return ls_node_error(c, n, err, "expected a percentage 0%% .. 100%%, got '%s'", str);
	s->at_risk = (int)v;
	return 0;
}

static int
parse_channels(struct ls_sla *s, const struct ls_config *c, const struct ls_node *n,
    struct ls_error *err)
{
	if (ls_node_expect(c, n, LS_NODE_SEQ, err))
		return LS_ECONFIG;
	if (n->len == 0)
		return ls_node_error(c, n, err, "channels: the list is empty (leave the key out for "
		    "phone, email and chat)");
	if ((s->channels = calloc(n->len, sizeof(*s->channels))) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < n->len; i++) {
		const char *name;
		size_t len;

		if (ls_node_str(c, n->items[i], &name, err))
			return LS_ECONFIG;
		len = strlen(name);
		/* the log must be able to hold it, and any reader to read it back */
		if (len == 0 || !ls_channel_valid(name, len))
			return ls_node_error(c, n->items[i], err, "bad channel name '%s' (1 to %d of a-z, "
			    "0-9, _ and -, a letter first)", name, LS_CHANNEL_MAX);
		if (ls_sla_channel(s, name, len))
			return ls_node_error(c, n->items[i], err, "channel '%s' listed twice", name);
		memcpy(s->channels[s->nchannels++], name, len + 1);
	}
	return 0;
}

/* The SLA's own keys; the calendar's (calendar.h) may stand beside them. */
static const char *const sla_keys[] = { "pause_statuses", "at_risk", "targets", "channels", NULL };

static int
check_keys(const struct ls_config *c, const struct ls_node *root, struct ls_error *err)
{
	const char *keys[sizeof(sla_keys) / sizeof(sla_keys[0]) + 16];
	size_t n = 0;

	for (const char *const *k = ls_cal_keys; *k && n < 16; k++)
		keys[n++] = *k;
	for (const char *const *k = sla_keys; *k; k++)
		keys[n++] = *k;
	keys[n] = NULL;
	return ls_node_check_keys(c, root, keys, err);
}

static struct ls_sla *
build(struct ls_config *c, struct ls_error *err)
{
	const struct ls_node *root = ls_config_root(c), *v;
	struct ls_sla *s;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		ls_config_free(c);	/* build() owns c, whatever it returns */
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	s->pause = 1u << LS_TS_PENDING;
	s->at_risk = 20;
	for (int i = 0; i < LS_PRIO_COUNT; i++)
		s->first[i] = s->resolution[i] = -1;
	if (ls_node_expect(c, root, LS_NODE_MAP, err) || check_keys(c, root, err))
		goto fail;
	/* the calendar first: the targets' days are its working days' length */
	if ((s->cal = ls_cal_config(c, root, err)) == NULL ||
	    ((v = ls_node_get(root, "pause_statuses")) && parse_pause(s, c, v, err)) ||
	    ((v = ls_node_get(root, "at_risk")) && parse_at_risk(s, c, v, err)) ||
	    ((v = ls_node_get(root, "channels")) && parse_channels(s, c, v, err)) ||
	    ((v = ls_node_get(root, "targets")) && parse_targets(s, c, v, err)))
		goto fail;
	ls_config_free(c);
	return s;
fail:
	ls_config_free(c);
	ls_sla_free(s);
	return NULL;
}

struct ls_sla *
ls_sla_load(const char *path, struct ls_error *err)
{
	struct ls_config *c = ls_config_load(path, err);

	return c ? build(c, err) : NULL;
}

struct ls_sla *
ls_sla_load_mem(const char *name, const char *buf, size_t len, struct ls_error *err)
{
	struct ls_config *c = ls_config_load_mem(name, buf, len, err);

	return c ? build(c, err) : NULL;
}

void
ls_sla_free(struct ls_sla *s)
{
	if (s == NULL)
		return;
	ls_cal_free(s->cal);
	free(s->channels);
	free(s);
}

struct ls_tz *
ls_sla_tz(struct ls_sla *s)
{
	return ls_cal_tz(s->cal);
}

void
ls_sla_targets(const struct ls_sla *s, enum ls_priority p, int64_t *first_response,
    int64_t *resolution)
{
	int ok = (unsigned)p < LS_PRIO_COUNT;

	*first_response = ok ? s->first[p] : -1;
	*resolution = ok ? s->resolution[p] : -1;
}

int
ls_sla_pauses(const struct ls_sla *s, enum ls_tstatus st)
{
	return (unsigned)st < LS_TS_COUNT && (s->pause >> st & 1u);
}

int
ls_sla_at_risk(const struct ls_sla *s)
{
	return s->at_risk;
}

int64_t
ls_sla_business(struct ls_sla *s, int64_t a, int64_t b)
{
	return ls_cal_business(s->cal, a, b);
}

int64_t
ls_sla_add(struct ls_sla *s, int64_t a, int64_t secs)
{
	return ls_cal_add(s->cal, a, secs);
}

int
ls_sla_channel(const struct ls_sla *s, const char *p, size_t n)
{
	if (n == 0)
		return 1;
	if (s == NULL || s->channels == NULL) {
		for (int i = 0; default_channels[i]; i++)
			if (strlen(default_channels[i]) == n && memcmp(default_channels[i], p, n) == 0)
				return 1;
		return 0;
	}
	for (size_t i = 0; i < s->nchannels; i++)
		if (strlen(s->channels[i]) == n && memcmp(s->channels[i], p, n) == 0)
			return 1;
	return 0;
}

void
ls_sla_channel_list(const struct ls_sla *s, char *buf, size_t size)
{
	size_t k = s && s->channels ? s->nchannels : 3, o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < k && o < size; i++) {
		const char *name = s && s->channels ? s->channels[i] : default_channels[i];
		int w = snprintf(buf + o, size - o, "%s%s", i == 0 ? "" : i + 1 == k ? " or " : ", ",
		    name);

		if (w < 0)
			break;
		o += (size_t)w;
	}
}

int
ls_sla_channels_own(const struct ls_sla *s)
{
	return s != NULL && s->channels != NULL;
}
