/*
 * kpi_funnel.h - what the funnel's files share (kpi_funnel.c gathers,
 * kpi_funnel_table.c and kpi_speed.c make the table), and nothing else
 * sees: one entry per lead_id and the calls waiting for their lead's row.
 * Owned by the struct ls_kpi they hang from (k->fun), one thread at a time.
 */
#ifndef LS_KPI_FUNNEL_H
#define LS_KPI_FUNNEL_H

#include <stdint.h>

#include "kpi_int.h"

#define FL_NO_CALL	INT64_MAX	/* flead.first: no call at or after assigned_at */
#define FL_CONNECTED	0x01		/* a connected call at or after assigned_at */
#define FL_INTERESTED	0x02		/* an interested one */

struct flead {
	int64_t at;		/* assigned_at (Unix time), when assigned */
	int64_t first;		/* its first call at or after at, FL_NO_CALL */
	int64_t revenue;	/* its won deals' amounts, minor units, whenever closed */
	int32_t day;		/* at's local day (days since 1970): its cohort */
	uint32_t mgr;		/* index into k->m: the manager it was dealt to */
	uint32_t nwon;		/* its won deals */
	uint32_t pend;		/* head of its pending calls (index into pend), or UINT32_MAX */
	uint32_t npend;		/* how many: calls naming it while it has no assigned_at */
	unsigned char assigned;	/* a leads row gave at, day and mgr */
	unsigned char flags;	/* FL_CONNECTED | FL_INTERESTED */
};

/* A call read before its lead's row: kept until the row says when the lead was assigned. */
struct fpend {
	int64_t t;
	uint32_t next;
	unsigned char flags;
};

struct ls_kpi_funnel {
	struct ls_keyset *ids;		/* lead_id -> uint32_t index into lead */
	struct flead *lead;
	size_t nlead, caplead;
	struct fpend *pend;
	size_t npend, cappend;
	unsigned long calls_no_id, deals_no_id;	/* records with an empty lead_id */
};

/*
 * kpi_speed.c: the time a lead waited, from at to its first call t >= at,
 * in seconds of the calendar's business time (wall-clock without one), and
 * the nearest-rank p-th percentile (0 < p <= 100) of v[0..n) sorted, n > 0.
 */
int64_t ls_kpi_speed_secs(const struct ls_kpi_config *kc, int64_t at, int64_t t);
int64_t ls_kpi_percentile(const int64_t *v, size_t n, int p);

#endif
