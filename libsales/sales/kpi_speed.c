/*
 * kpi_speed.c - speed to lead: how long a lead waited for its first call,
 * in business time over kpi.yaml's calendar:, and the percentiles the
 * funnel prints of it.  See kpi_funnel.h.
 */
#include "calendar.h"
#include "kpi_funnel.h"

/*
 * A lead dealt on Friday at 17:50 and called on Monday at 09:10 waited 20
 * business minutes, not three days: the managers were not at work.  Without
 * a calendar nobody knows the hours, and the wall clock is all there is.
 */
int64_t
ls_kpi_speed_secs(const struct ls_kpi_config *kc, int64_t at, int64_t t)
{
	if (t <= at)
		return 0;
	if (kc->cal != NULL)
		return ls_cal_business(kc->cal, at, t);
	return t - at;
}

/*
 * The nearest rank: the smallest value that at least p% of the values are
 * not above, v[ceil(p * n / 100) - 1].  No interpolation: every percentile
 * printed is one lead's real wait, and an exact integer any other program
 * can check; the median of an even count is the lower middle value.
 */
int64_t
ls_kpi_percentile(const int64_t *v, size_t n, int p)
{
	size_t rank = ((size_t)p * n + 99) / 100;

	return v[rank > 0 ? rank - 1 : 0];
}
