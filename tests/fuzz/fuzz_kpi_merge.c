/*
 * fuzz_kpi_merge.c - libFuzzer target for kpi-report --merge: any bytes as
 * partials; whatever merges is made into a table and rendered in every format.
 * Each input follows a partial's first line and the config's own fingerprint
 * record, so that the fuzzer reaches the groups without guessing it: the
 * seeds (tests/fuzz/corpus/fuzz_kpi_merge/) start at the period record.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ls_kpi_config *cfg;

static void
load(void)
{
	static const char text[] = "timezone: Europe/Moscow\nteams: {t: [a, b]}\n"
	    "targets: {default: {calls: 3, win_rate: 0.5, revenue: 100}, a: {calls: 1}}\n";
	char path[] = "/tmp/fuzz_kpi.XXXXXX";
	int fd = mkstemp(path);
	struct ls_error err;

	if (fd < 0 || write(fd, text, sizeof(text) - 1) != (ssize_t)(sizeof(text) - 1))
		abort();
	close(fd);
	cfg = ls_kpi_config_load(path, &err);
	unlink(path);
	if (cfg == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_error err;
	struct ls_kpi *k;
	struct ls_kpi_table *t;
	char head[64], *buf;
	size_t n;

	if (cfg == NULL)
		load();
	snprintf(head, sizeof(head), "# kpi-partial v3\nconfig\t%016llx\n",
	    (unsigned long long)ls_kpi_config_fingerprint(cfg));
	n = strlen(head);
	if ((buf = malloc(n + size)) == NULL)
		return 0;
	memcpy(buf, head, n);
	memcpy(buf + n, data, size);
	k = ls_kpi_new_merge(cfg, &err);
	if (k != NULL && ls_kpi_merge(k, buf, n + size, "fuzz", &err) == 0 && ls_kpi_merged(k) > 0) {
		for (int by = 0; by < 2; by++) {
			if ((t = ls_kpi_table(k, (enum ls_kpi_by)by, &err)) == NULL)
				continue;
			for (int f = LS_KPI_CSV; f <= LS_KPI_HTML; f++) {
				struct ls_buf b = { 0 };

				(void)ls_kpi_render(t, (enum ls_kpi_format)f, &b, &err);
				free(b.p);
			}
			{
				struct ls_buf b = { 0 };

				struct ls_kpi_floors *fl;

				if (ls_kpi_floors_parse("calls=2,win_rate_pct=50", &fl, &err) == 0)
					(void)ls_kpi_floors_check(t, fl, &b, &err);
				ls_kpi_floors_free(fl);
				free(b.p);
			}
			ls_kpi_table_free(t);
		}
	}
	ls_kpi_free(k);
	free(buf);
	return 0;
}
