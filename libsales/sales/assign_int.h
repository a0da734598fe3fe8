/*
 * assign_int.h - what the files of the assigner share, and nothing outside
 * them sees: the team as read (assign_team.c), the assigner's tables
 * (assign.c) and the state file that keeps them (assign_state.c).
 */
#ifndef LS_ASSIGN_INT_H
#define LS_ASSIGN_INT_H

#include <stdint.h>

#include "assign.h"
#include "config.h"
#include "date.h"
#include "expr.h"
#include "keyset.h"

#define MAX_WEIGHT	1000000.0	/* weights are kept in thousandths */
#define MAX_COUNT	1000000000000LL	/* loads and counts read from files */
#define MAX_CURRENT	1000000000000000LL

struct away {
	int64_t from, to;		/* days since 1970-01-01, inclusive */
};

struct manager {
	const char *id;
	long long weight;		/* thousandths, >= 1 */
	long long capacity;		/* -1: unlimited */
	int active;
	const struct ls_node *regions, *skills;	/* SEQ of scalars or NULL */
	struct away *away;
	size_t naway;
	struct ls_tz *tz;		/* timezone: of the member, or NULL (kpi-report's days) */
};

struct rule {
	char *reason;			/* "rule:NAME" */
	const struct ls_node *cond;	/* the if: scalar */
	unsigned char *in_pool;		/* [nmanagers] */
};

struct ls_team {
	struct ls_config *cfg;
	char *state_path;
	enum ls_strategy strategy;
	const char *sticky, *date_column, *region_column, *skill_column, *id_column;
	const struct ls_node *statuses;	/* SEQ of the statuses dealt, or NULL: [qualified] */
	int region_explicit;
	struct ls_tz *tz;
	int has_away, has_regions, has_skills;
	int tz_named;			/* timezone: given; else assigned_at is written in UTC */
	struct manager *m;
	size_t nm, mcap;		/* managers read; entries allocated */
	struct rule *r;
	size_t nr;
};

struct ls_assigner {
	const struct ls_team *t;
	char **ids;			/* team ids first, then ids only the state knows */
	long long *load, *assigned, *cur;
	size_t nids, capids;
	long cursor;			/* ids index of the last round_robin pick, -1 none */
	struct ls_keyset *owners;	/* normalised sticky value -> uint32_t ids index */
	struct ls_expr **cond;		/* compiled routing conditions */
	const struct ls_str *header;
	size_t ncols;
	long sticky_col, date_col, region_col, skill_col, mgr_col, reason_col;
	long from_idx;			/* team index of --reassign-from, -1 */
	const char *from_id;
	char *from_reason;
	int64_t today;
	unsigned char *cand;		/* [nm] scratch */
	long id_col, status_col;	/* the lead's id (already dealt?), its status (dealt at all?) */
	struct ls_keyset *dealt;	/* lead id -> struct dealt_val, every lead ever dealt */
	struct ls_reader *in;		/* ls_assigner_attach(): peeked at to prefetch dealt */
	char *skip_reason;		/* "skipped:STATUS" of the last row */
	size_t skip_cap;
	char *keybuf;			/* the sticky value, normalised */
	size_t keycap;
	struct ls_assign_stats st;
	unsigned long *dealt_now;	/* [nm] */
	int64_t now;			/* the run's instant: every lead dealt now is assigned_at it */
	long at_col;			/* the input's assigned_at (an assigned stream), -1 */
	char at_text[40];		/* the last result's assigned_at, formatted */
	char now_text[40];		/* now, formatted once (now_ok: it could be) */
	int now_ok;
};

/*
 * A lead's entry in the set of leads dealt: to whom (an ids index) and
 * when (LS_ASSIGN_NO_TIME when a state file of v1 did not say).  Kept as
 * bytes in the keyset; read and written with memcpy.
 */
struct dealt_val {
	uint32_t who;
	int64_t at;
};
#define DEALT_SIZE	(sizeof(uint32_t) + sizeof(int64_t))

#define STICKY_MAX	1024		/* longer sticky values are not kept: no company name is that long */


extern const char *const ls_assign_strategy_names[];

/* The team index of manager id, or -1. */
long ls_team_index(const struct ls_team *t, const char *id);

/* The ids index of id[0..n), or -1; ls_assign_id_add() adds it when missing (-1: no memory). */
long ls_assign_id_index(const struct ls_assigner *a, const char *id, size_t n);
long ls_assign_id_add(struct ls_assigner *a, const char *id, size_t n);

/* The sticky value v as compared and stored, in a->keybuf: 0, 1 for a value not kept, or LS_ENOMEM. */
int ls_assign_sticky_key(struct ls_assigner *a, struct ls_str v, struct ls_str *out);

/* Make ids[who] the owner of the normalised value p[0..n): 0 or LS_ENOMEM. */
int ls_assign_owner_set(struct ls_assigner *a, const char *p, size_t n, size_t who);

/* Lead id was dealt to ids[who] at instant at (LS_ASSIGN_NO_TIME: unknown): 0 or LS_ENOMEM. */
int ls_assign_remember(struct ls_assigner *a, struct ls_str id, long who, int64_t at);
/* The entry v of the set of leads dealt. */
void ls_assign_dealt_get(const void *v, struct dealt_val *out);

/* Forget everything a state file gave: loads, cursor, owners, leads dealt. */
void ls_assign_state_clear(struct ls_assigner *a);

#endif
