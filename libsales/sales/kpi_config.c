/*
 * kpi_config.c - kpi.yaml: zone, outcome and stage names, manager aliases,
 * teams, targets and column renames, checked once at load; how a manager
 * id is normalised; the plans a manager or team is held to.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "kpi_int.h"
#include "kpi_lang.h"
#include "money.h"
#include "util.h"

static const char *const col_names[NCOLS + 1] = {
	"manager", "started_at", "duration_s", "outcome", "stage", "amount", "closed_at",
	"created_at", "assign_reason", "agent", "status", "updated_at", "sla", "assigned_at",
	"lead_id", "currency", NULL
};

static uint64_t
fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int
file_fingerprint(const char *path, uint64_t *out, struct ls_error *err)
{
	FILE *fp = fopen(path, "rb");
	char buf[8192];
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t n;
	int e;

	if (fp == NULL)
		return ls_error_set(err, LS_ECONFIG, path, 0, 0, "cannot read the config: %s",
		    strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		h = fnv1a(buf, n, h);
	if (ferror(fp)) {
		e = errno;
		fclose(fp);
		return ls_error_set(err, LS_ECONFIG, path, 0, 0, "cannot read the config: %s",
		    strerror(e));
	}
	fclose(fp);
	*out = h;
	return 0;
}

static int norm_plain(const char *s, size_t n, struct ls_buf *out);

void
ls_kpi_trim(const char **s, size_t *n)
{
	const char *p = *s;
	size_t l = *n;

	/* exports pad ids with spaces, and Excel with no-break spaces (U+00A0) */
	for (;;) {
		if (l > 0 && (p[0] == ' ' || p[0] == '\t'))
			p++, l--;
		else if (l > 1 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
			p += 2, l -= 2;
		else
			break;
	}
	for (;;) {
		if (l > 0 && (p[l - 1] == ' ' || p[l - 1] == '\t'))
			l--;
		else if (l > 1 && (unsigned char)p[l - 2] == 0xC2 && (unsigned char)p[l - 1] == 0xA0)
			l -= 2;
		else
			break;
	}
	*s = p;
	*n = l;
}

/*
 * The normalised id of s[0..n), kept for the config's lifetime with the
 * config's first spelling of it; NULL when out of memory.
 */
static const char *
own_id(struct ls_kpi_config *kc, const char *s, size_t n)
{
	struct ls_buf b = { 0 }, lower = { 0 };
	struct spelling *sp;

	if (ls_kpi_norm_id(kc, s, n, &b) != 0 || ls_buf_put(&b, "", 0) != 0)
		goto oom;
	for (size_t i = 0; i < kc->nowned; i++)
		if (strcmp(kc->owned[i].id, b.p) == 0) {
			ls_buf_free(&b);
			return kc->owned[i].id;
		}
	if (ls_grow(&kc->owned, &kc->capowned, kc->nowned + 1, sizeof(*kc->owned)) != 0)
		goto oom;
	sp = &kc->owned[kc->nowned];
	/*
	 * shown as written, trimmed; an alias's id is registered with its
	 * spelling before any team or target names it, so this is the one.
	 */
	if (norm_plain(s, n, &lower) != 0)
		goto oom;
	ls_kpi_trim(&s, &n);
	if ((sp->shown = b.n == lower.n && (b.n == 0 || memcmp(b.p, lower.p, b.n) == 0) ? strndup(s, n) :
	    strdup(b.p)) == NULL)
		goto oom;
	ls_buf_free(&lower);
	sp->id = b.p;
	kc->nowned++;
	return sp->id;
oom:
	ls_buf_free(&b);
	ls_buf_free(&lower);
	return NULL;
}

/* A list of names (a SEQ of strings) into l, at most MAX_NAMES; what names it in messages. */
static int
load_names(const struct ls_config *c, const struct ls_node *n, const char *what, struct names *l,
    struct ls_error *err)
{
	const char *s;

	if (ls_node_expect(c, n, LS_NODE_SEQ, err) != 0)
		return LS_ECONFIG;
	if (n->len > MAX_NAMES)
		return ls_node_error(c, n, err, "too many %s (at most %d)", what, MAX_NAMES);
	l->n = 0;
	for (size_t i = 0; i < n->len; i++) {
		if (ls_node_str(c, n->items[i], &s, err) != 0)
			return LS_ECONFIG;
		l->v[l->n++] = s;
	}
	return 0;
}

static int
named(const struct names *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

int
ls_kpi_named(const struct names *l, const struct ls_str *v)
{
	for (size_t i = 0; i < l->n; i++)
		if (kpi_eq(v, l->v[i]))
			return 1;
	return 0;
}

/*
 * The lists of a section (outcomes: or stages:), keys[i] into *lists[i];
 * a name under two of them is an error: a deal cannot be both won and lost.
 */
static int
load_section(const struct ls_config *c, const struct ls_node *sec, const char *const *keys,
    struct names *const *lists, struct ls_error *err)
{
	char what[64];

	if (ls_node_check_keys(c, sec, keys, err) != 0)
		return LS_ECONFIG;
	for (size_t i = 0; keys[i] != NULL; i++) {
		const struct ls_node *n = ls_node_get(sec, keys[i]);

		snprintf(what, sizeof(what), "names under %s", keys[i]);
		if (n != NULL && load_names(c, n, what, lists[i], err) != 0)
			return LS_ECONFIG;
	}
	for (size_t i = 0; keys[i] != NULL; i++)
		for (size_t j = i + 1; keys[j] != NULL; j++)
			for (size_t q = 0; q < lists[j]->n; q++)
				if (named(lists[i], lists[j]->v[q])) {
					const struct ls_node *n = ls_node_get(sec, keys[j]);

					return ls_node_error(c, n->items[q], err, "'%s' is under both %s and %s",
					    lists[j]->v[q], keys[i], keys[j]);
				}
	return 0;
}

/* s[0..n) trimmed of spaces and lower-cased, appended to out: an id before its alias */
static int
norm_plain(const char *s, size_t n, struct ls_buf *out)
{
	ls_kpi_trim(&s, &n);
	return ls_fmt_case(out, s, n, 'L') != 0 ? LS_ENOMEM : 0;
}

/* aliases: {Иванов: ivanov}: both sides normalised; an alias to another alias is refused. */
static int
load_aliases(struct ls_kpi_config *kc, const struct ls_node *n, struct ls_error *err)
{
	const struct ls_config *c = kc->cfg;
	const char *s;

	if (n == NULL)
		return 0;
	if (ls_node_expect(c, n, LS_NODE_MAP, err) != 0)
		return LS_ECONFIG;
	if ((kc->aliases = calloc(n->len ? n->len : 1, sizeof(*kc->aliases))) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < n->len; i++) {
		struct ls_buf from = { 0 }, to = { 0 };

		if (ls_node_str(c, n->items[i], &s, err) != 0)
			return LS_ECONFIG;
		/* both sides as the data's ids will be, before any alias applies */
		if (norm_plain(n->keys[i]->value, n->keys[i]->len, &from) != 0 ||
		    norm_plain(s, strlen(s), &to) != 0 || ls_buf_put(&from, "", 0) != 0 ||
		    ls_buf_put(&to, "", 0) != 0) {
			ls_buf_free(&from);
			ls_buf_free(&to);
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		}
		kc->aliases[kc->naliases].from = from.p;
		kc->aliases[kc->naliases++].to = to.p;
		if (from.n == 0 || to.n == 0)
			return ls_node_error(c, from.n == 0 ? n->keys[i] : n->items[i], err,
			    "an alias needs a manager id on both sides");
	}
	for (size_t i = 0; i < kc->naliases; i++)
		for (size_t j = 0; j < kc->naliases; j++) {
			if (strcmp(kc->aliases[i].to, kc->aliases[j].from) == 0)
				return ls_node_error(c, n->items[i], err,
				    "alias '%s' names another alias: give the manager id it stands for",
				    n->items[i]->value);
			if (j > i && strcmp(kc->aliases[i].from, kc->aliases[j].from) == 0)
				return ls_node_error(c, n->keys[j], err, "alias '%s' is given twice",
				    n->keys[j]->value);
		}
	/* the report shows an aliased manager as the alias's value is written */
	for (size_t i = 0; i < n->len; i++)
		if (own_id(kc, n->items[i]->value, n->items[i]->len) == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

int
ls_kpi_norm_id(const struct ls_kpi_config *kc, const char *s, size_t n, struct ls_buf *out)
{
	size_t start = out->n;

	if (norm_plain(s, n, out) != 0)
		return LS_ENOMEM;
	for (size_t i = 0; i < kc->naliases; i++) {
		const struct alias *a = &kc->aliases[i];

		if (out->n - start == strlen(a->from) && memcmp(out->p + start, a->from, out->n - start) == 0) {
			out->n = start;
			return ls_buf_puts(out, a->to) != 0 ? LS_ENOMEM : 0;
		}
	}
	return 0;
}

static int
load_targets(struct ls_kpi_config *kc, const struct ls_node *tn, struct ls_error *err)
{
	static const char *allowed[LS_KPI_COUNT + 1];
	const struct ls_config *c = kc->cfg;

	for (int k = 0; k < LS_KPI_COUNT; k++)
		allowed[k] = ls_kpi_name(k);
	allowed[LS_KPI_COUNT] = NULL;
	if (tn == NULL)
		return 0;
	if (ls_node_expect(c, tn, LS_NODE_MAP, err))
		return LS_ECONFIG;
	if ((kc->targets = calloc(tn->len ? tn->len : 1, sizeof(*kc->targets))) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < tn->len; i++) {
		const struct ls_node *m = tn->items[i];
		struct target *t = &kc->targets[kc->ntargets++];

		t->who = tn->keys[i]->value;
		if (strcmp(t->who, "default") == 0)
			kc->def = (long)i;
		else if (ls_kpi_team_index(kc, t->who) < 0 &&
		    (t->who = own_id(kc, t->who, strlen(t->who))) == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		if (ls_node_check_keys(c, m, allowed, err))
			return LS_ECONFIG;
		if (ls_node_expect(c, m, LS_NODE_MAP, err))
			return LS_ECONFIG;
		for (size_t j = 0; j < m->len; j++) {
			const struct ls_node *v = m->items[j];
			int k = ls_kpi_lookup(m->keys[j]->value, m->keys[j]->len);
			int64_t p;

			if (ls_node_expect(c, v, LS_NODE_SCALAR, err))
				return LS_ECONFIG;
			if (ls_money_parse(v->value, v->len, PLAN_SCALE, LS_MONEY_ROUND, &p, NULL) != 0 || p < 0)
				return ls_node_error(c, v, err, "expected a plan (a number >= 0) for %s, got '%s'",
				    ls_kpi_name(k), v->value);
			t->plan[k] = p;
			t->has[k] = 1;
			kc->targeted[k] = 1;
		}
	}
	return 0;
}

/*
 * speed_to_lead: 1h, the funnel's target for the first call, in business
 * time over the calendar when there is one: "1d" is then a working day's
 * length (as an SLA's), else 24 hours.  -1 when not given.
 */
static int
load_speed_target(struct ls_kpi_config *kc, const struct ls_node *n, struct ls_error *err)
{
	const char *s;
	int64_t days, secs;

	kc->speed_target = -1;
	if (n == NULL)
		return 0;
	if (ls_node_str(kc->cfg, n, &s, err) != 0)
		return LS_ECONFIG;
	if (ls_duration_split(s, strlen(s), &days, &secs, NULL) != 0 || days * 86400 + secs <= 0)
		return ls_node_error(kc->cfg, n, err, "expected a duration such as 1h, 30m or 1h30m, got '%s'", s);
	kc->speed_target = days * (kc->cal ? ls_cal_day_length(kc->cal) : 86400) + secs;
	return 0;
}

/*
 * team: lead-assign's team file, relative to the config's folder, read by
 * lead-assign's own parser: each manager's away periods and timezone.
 */
static int
load_team(struct ls_kpi_config *kc, const struct ls_node *n, struct ls_error *err)
{
	const char *name, *file = ls_config_file(kc->cfg), *slash = strrchr(file, '/');
	char *path = NULL;
	size_t nm;

	if (n == NULL)
		return 0;
	if (ls_node_str(kc->cfg, n, &name, err) != 0)
		return LS_ECONFIG;
	if (name[0] == '\0')
		return ls_node_error(kc->cfg, n, err, "team: expected a file name (lead-assign's team.yaml)");
	if (name[0] == '/' || slash == NULL)
		path = strdup(name);
	else if ((path = malloc((size_t)(slash - file) + strlen(name) + 2)) != NULL)
		sprintf(path, "%.*s/%s", (int)(slash - file), file, name);
	if (path == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	kc->team = ls_team_load(path, err);
	free(path);
	if (kc->team == NULL)
		return err ? err->status : LS_ECONFIG;
	nm = ls_team_nmanagers(kc->team);
	if ((kc->members = calloc(nm ? nm : 1, sizeof(*kc->members))) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < nm; i++) {
		const char *id = ls_team_manager_id(kc->team, i);
		struct member *m = &kc->members[kc->nmembers++];

		/* the same manager as the data's and kpi.yaml's spellings of them */
		if ((m->id = own_id(kc, id, strlen(id))) == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		m->tz = ls_team_manager_tz(kc->team, i);
		m->ti = i;
		m->active = ls_team_manager_active(kc->team, i);
	}
	return 0;
}

struct ls_kpi_config *
ls_kpi_config_load(const char *path, struct ls_error *err)
{
	static const char *const keys[] = {
		"timezone", "connected_outcomes", "outcomes", "stages", "aliases", "teams", "targets",
		"columns", "currency", "calendar", "speed_to_lead", "lang", "team", NULL
	};
	static const char *const outcome_keys[] = { "connected", "interested", "not_connected", NULL };
	static const char *const stage_keys[] = { "won", "lost", "open", NULL };
	struct ls_kpi_config *kc;
	const struct ls_node *root, *n;
	const struct ls_config *c;
	const char *s;

	if ((kc = calloc(1, sizeof(*kc))) == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	kc->def = -1;
	memcpy(kc->col, col_names, sizeof(kc->col));
	if ((kc->cfg = ls_config_load(path, err)) == NULL)
		goto fail;
	c = kc->cfg;
	root = ls_config_root(c);
	if (file_fingerprint(path, &kc->fingerprint, err) != 0 ||
	    ls_node_check_keys(c, root, keys, err) != 0)
		goto fail;

	s = NULL;
	if ((n = ls_node_get(root, "timezone")) != NULL && ls_node_str(c, n, &s, err) != 0)
		goto fail;
	if ((kc->tz = ls_tz_open(s, err)) == NULL) {
		/* out of memory, a zone file unread stay so (exit 1): only a zone's own fault points into the config */
		if (n != NULL && err != NULL && err->status != LS_ENOMEM && err->status != LS_EIO) {
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			ls_node_error(c, n, err, "%s", msg);
		}
		goto fail;
	}

	/*
	 * Only a calendar file, not its keys inline: kpi.yaml's own timezone
	 * (the day a timestamp counts on) would read as the calendar's.
	 */
	if ((n = ls_node_get(root, "calendar")) != NULL &&
	    (kc->cal = ls_cal_config_file(c, n, err)) == NULL)
		goto fail;

	if (load_speed_target(kc, ls_node_get(root, "speed_to_lead"), err) != 0)
		goto fail;

	kc->currency = "RUB";
	if ((n = ls_node_get(root, "currency")) != NULL) {
		if (ls_node_str(c, n, &kc->currency, err) != 0)
			goto fail;
		if (kc->currency[0] == '\0') {
			ls_node_error(c, n, err, "currency must name one (RUB, EUR, ...)");
			goto fail;
		}
	}

	/* lang: the human formats' language (kpi_lang.c); the machine ones stay as they are */
	if ((n = ls_node_get(root, "lang")) != NULL) {
		enum ls_kpi_lang l;

		if (ls_node_str(c, n, &s, err) != 0)
			goto fail;
		if (ls_kpi_lang_parse(s, &l, NULL) != 0) {
			ls_node_error(c, n, err, "lang: expected en or ru, got '%s'", s);
			goto fail;
		}
		kc->lang = (int)l;
	}

	/* the default: every outcome but no_answer and wrong_number */
	for (size_t i = 0; i < NOUTCOMES; i++)
		if (strcmp(ls_kpi_outcomes[i], "no_answer") != 0 && strcmp(ls_kpi_outcomes[i], "wrong_number") != 0)
			kc->connected.v[kc->connected.n++] = ls_kpi_outcomes[i];
	kc->interested.v[kc->interested.n++] = "interested";
	if ((n = ls_node_get(root, "connected_outcomes")) != NULL) {
		if (ls_node_get(root, "outcomes") != NULL) {
			ls_node_error(c, n, err, "connected_outcomes and outcomes: do not go together "
			    "(outcomes: {connected: [...]} replaces it)");
			goto fail;
		}
		if (load_names(c, n, "connected_outcomes", &kc->connected, err) != 0)
			goto fail;
	}
	if ((n = ls_node_get(root, "outcomes")) != NULL) {
		struct names *const lists[] = { &kc->connected, &kc->interested, &kc->not_connected };

		/* a mapped "interested" outcome is a call that reached someone */
		kc->interested_connects = 1;
		if (load_section(c, n, outcome_keys, lists, err) != 0)
			goto fail;
	}
	kc->won.v[kc->won.n++] = "won";
	kc->lost.v[kc->lost.n++] = "lost";
	kc->open.v[kc->open.n++] = "open";
	if ((n = ls_node_get(root, "stages")) != NULL) {
		struct names *const lists[] = { &kc->won, &kc->lost, &kc->open };

		if (load_section(c, n, stage_keys, lists, err) != 0)
			goto fail;
	}
	if (load_aliases(kc, ls_node_get(root, "aliases"), err) != 0)
		goto fail;

	if ((n = ls_node_get(root, "teams")) != NULL) {
		if (ls_node_expect(c, n, LS_NODE_MAP, err) != 0)
			goto fail;
		if ((kc->teams = calloc(n->len ? n->len : 1, sizeof(*kc->teams))) == NULL) {
			ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto fail;
		}
		for (size_t i = 0; i < n->len; i++) {
			const struct ls_node *m = n->items[i];

			if (ls_node_expect(c, m, LS_NODE_SEQ, err) != 0)
				goto fail;
			struct team *t = &kc->teams[kc->nteams++];

			t->name = n->keys[i]->value;
			if ((t->ids = calloc(m->len ? m->len : 1, sizeof(*t->ids))) == NULL) {
				ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
				goto fail;
			}
			for (size_t j = 0; j < m->len; j++) {
				if (ls_node_str(c, m->items[j], &s, err) != 0)
					goto fail;
				if ((t->ids[t->nids++] = own_id(kc, s, strlen(s))) == NULL) {
					ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
					goto fail;
				}
			}
		}
	}

	if (load_targets(kc, ls_node_get(root, "targets"), err) != 0 ||
	    load_team(kc, ls_node_get(root, "team"), err) != 0)
		goto fail;
	/* a config that names neither keeps the older plans: a target per period as it stands */
	kc->per_workday = kc->cal != NULL || kc->team != NULL;

	if ((n = ls_node_get(root, "columns")) != NULL) {
		if (ls_node_check_keys(c, n, col_names, err) != 0)
			goto fail;
		for (size_t i = 0; i < n->len; i++) {
			for (int j = 0; j < NCOLS; j++)
				if (strcmp(n->keys[i]->value, col_names[j]) == 0 &&
				    ls_node_str(c, n->items[i], &kc->col[j], err) != 0)
					goto fail;
		}
	}
	return kc;
fail:
	ls_kpi_config_free(kc);
	return NULL;
}

void
ls_kpi_config_free(struct ls_kpi_config *kc)
{
	if (kc == NULL)
		return;
	ls_tz_free(kc->tz);
	ls_cal_free(kc->cal);
	ls_team_free(kc->team);
	free(kc->members);
	for (size_t i = 0; i < kc->nteams; i++)
		free(kc->teams[i].ids);
	for (size_t i = 0; i < kc->nowned; i++) {
		free(kc->owned[i].id);
		free(kc->owned[i].shown);
	}
	free(kc->owned);
	for (size_t i = 0; i < kc->naliases; i++) {
		free(kc->aliases[i].from);
		free(kc->aliases[i].to);
	}
	free(kc->aliases);
	free(kc->teams);
	free(kc->targets);
	ls_config_free(kc->cfg);
	free(kc);
}

struct ls_tz *
ls_kpi_config_tz(const struct ls_kpi_config *c)
{
	return c->tz;
}

uint64_t
ls_kpi_config_fingerprint(const struct ls_kpi_config *c)
{
	return c->fingerprint;
}

/* The first team listing manager id, or -1. */
long
ls_kpi_team_of(const struct ls_kpi_config *kc, const char *id)
{
	for (size_t i = 0; i < kc->nteams; i++)
		for (size_t j = 0; j < kc->teams[i].nids; j++)
			if (strcmp(kc->teams[i].ids[j], id) == 0)
				return (long)i;
	return -1;
}

const char *
ls_kpi_shown(const struct ls_kpi *k, const char *id)
{
	const char *v;
	uint32_t idx;

	for (size_t i = 0; i < k->kc->nowned; i++)
		if (strcmp(k->kc->owned[i].id, id) == 0)
			return k->kc->owned[i].shown;
	if ((v = ls_keyset_get(k->mset, id, strlen(id))) != NULL) {
		memcpy(&idx, v, sizeof(idx));
		if (k->m[idx].shown != NULL)
			return k->m[idx].shown;
	}
	return id;
}

/* The team named name, or -1. */
long
ls_kpi_team_index(const struct ls_kpi_config *kc, const char *name)
{
	for (size_t i = 0; i < kc->nteams; i++)
		if (strcmp(kc->teams[i].name, name) == 0)
			return (long)i;
	return -1;
}

const struct target *
ls_kpi_target_of(const struct ls_kpi_config *kc, const char *who)
{
	for (size_t i = 0; i < kc->ntargets; i++)
		if (strcmp(kc->targets[i].who, who) == 0)
			return &kc->targets[i];
	return NULL;
}

/* A manager's plan for KPI k: their own entry, else their team's, else default.  0 when none. */
int
ls_kpi_manager_plan(const struct ls_kpi_config *kc, const char *id, int k, int64_t *plan)
{
	const struct target *t;
	long team;

	if (strcmp(id, NO_MANAGER) == 0)
		return 0;
	if ((t = ls_kpi_target_of(kc, id)) != NULL && t->has[k])
		return *plan = t->plan[k], 1;
	if ((team = ls_kpi_team_of(kc, id)) >= 0 && (t = ls_kpi_target_of(kc, kc->teams[team].name)) != NULL &&
	    t->has[k])
		return *plan = t->plan[k], 1;
	if (kc->def >= 0 && kc->targets[kc->def].has[k])
		return *plan = kc->targets[kc->def].plan[k], 1;
	return 0;
}

