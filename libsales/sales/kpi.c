/*
 * kpi.c - what a KPI is: its column name, decimals, whether plans add up,
 * and its exact value as a ratio of sums (kpi_int.h).  The config is
 * kpi_config.c's, the sums kpi_sums.c's, partials kpi_partial.c's, the
 * table kpi_table.c's and its formats kpi_format.c's.
 */
#include <string.h>

#include "kpi_int.h"

const char *const ls_kpi_outcomes[NOUTCOMES] = {
	"interested", "not_interested", "no_answer", "callback", "wrong_number", "do_not_call"
};

static const struct {
	const char *name;
	int decimals;
	int additive;		/* a TOTAL's or team's plan is the sum of its managers' */
	enum ls_kpi_input input;	/* counted from this input: without it, no plan */
} kpis[LS_KPI_COUNT] = {
	[LS_KPI_CALLS] = { "calls", 0, 1, LS_KPI_IN_CALLS },
	[LS_KPI_CONNECTED] = { "connected", 0, 1, LS_KPI_IN_CALLS },
	[LS_KPI_CONNECT_RATE] = { "connect_rate", 3, 0, LS_KPI_IN_CALLS },
	[LS_KPI_TALK_TIME] = { "talk_time_s", 0, 1, LS_KPI_IN_CALLS },
	[LS_KPI_AVG_CALL] = { "avg_call_s", 1, 0, LS_KPI_IN_CALLS },
	[LS_KPI_INTERESTED] = { "interested", 0, 1, LS_KPI_IN_CALLS },
	[LS_KPI_LEADS] = { "leads_assigned", 0, 1, LS_KPI_IN_LEADS },
	[LS_KPI_WON] = { "deals_won", 0, 1, LS_KPI_IN_DEALS },
	[LS_KPI_LOST] = { "deals_lost", 0, 1, LS_KPI_IN_DEALS },
	[LS_KPI_WIN_RATE] = { "win_rate", 3, 0, LS_KPI_IN_DEALS },
	[LS_KPI_REVENUE] = { "revenue", 2, 1, LS_KPI_IN_DEALS },
	[LS_KPI_AVG_DEAL] = { "avg_deal", 2, 0, LS_KPI_IN_DEALS },
	[LS_KPI_TICKETS] = { "tickets_handled", 0, 1, LS_KPI_IN_TICKETS },
	[LS_KPI_SLA_MET] = { "sla_met_pct", 1, 0, LS_KPI_IN_TICKETS },
};

enum ls_kpi_input
ls_kpi_input_of(enum ls_kpi_id k)
{
	return kpis[k].input;
}

const char *
ls_kpi_name(enum ls_kpi_id k)
{
	return kpis[k].name;
}

int
ls_kpi_decimals(enum ls_kpi_id k)
{
	return kpis[k].decimals;
}

int
ls_kpi_additive(enum ls_kpi_id k)
{
	return kpis[k].additive;
}

int
ls_kpi_lookup(const char *name, size_t n)
{
	for (int k = 0; k < LS_KPI_COUNT; k++)
		if (strlen(ls_kpi_name(k)) == n && memcmp(ls_kpi_name(k), name, n) == 0)
			return k;
	return -1;
}

/*
 * A KPI as the exact ratio *num / *den of sums; 0 when the denominator is
 * empty.  The formulas of kpi-report(1)'s COLUMNS section.
 */
int
ls_kpi_value(int k, const int64_t *s, i128 *num, i128 *den)
{
	*den = 1;
	switch (k) {
	case LS_KPI_CALLS: *num = s[S_CALLS]; break;
	case LS_KPI_CONNECTED: *num = s[S_CONNECTED]; break;
	case LS_KPI_CONNECT_RATE: *num = s[S_CONNECTED]; *den = s[S_CALLS]; break;
	case LS_KPI_TALK_TIME: *num = s[S_TALK]; break;
	case LS_KPI_AVG_CALL: *num = s[S_TALK]; *den = s[S_CALLS]; break;
	case LS_KPI_INTERESTED: *num = s[S_INTERESTED]; break;
	case LS_KPI_LEADS: *num = s[S_LEADS]; break;
	case LS_KPI_WON: *num = s[S_WON]; break;
	case LS_KPI_LOST: *num = s[S_LOST]; break;
	case LS_KPI_WIN_RATE: *num = s[S_WON]; *den = (i128)s[S_WON] + s[S_LOST]; break;
	case LS_KPI_REVENUE: *num = s[S_REVENUE]; *den = 100; break;
	case LS_KPI_AVG_DEAL: *num = s[S_REVENUE]; *den = (i128)s[S_WON] * 100; break;
	case LS_KPI_TICKETS: *num = s[S_TICKETS]; break;
	case LS_KPI_SLA_MET: *num = (i128)s[S_SLA_MET] * 100; *den = s[S_TICKETS]; break;
	default: return 0;
	}
	return *den != 0;
}

/* num / den rounded half away from zero to dec decimals, written as text into buf. */
void
ls_kpi_ratio(i128 num, i128 den, int dec, char *buf, size_t size)
{
	i128 q, r, scale = 1;
	int neg = 0;
	char digits[64];
	size_t nd = 0, o = 0;

	for (int i = 0; i < dec; i++)
		scale *= 10;
	if (den < 0) {
		num = -num;
		den = -den;
	}
	if (num < 0) {
		neg = 1;
		num = -num;
	}
	num *= scale;
	q = num / den;
	r = num % den;
	if (r * 2 >= den)
		q++;
	if (q == 0)
		neg = 0;
	do {
		digits[nd++] = (char)('0' + (int)(q % 10));
		q /= 10;
	} while (q > 0 || nd <= (size_t)dec);
	if (neg && o + 1 < size)
		buf[o++] = '-';
	while (nd > 0 && o + 2 < size) {
		if (nd == (size_t)dec)
			buf[o++] = '.';
		buf[o++] = digits[--nd];
	}
	buf[o] = '\0';
}

