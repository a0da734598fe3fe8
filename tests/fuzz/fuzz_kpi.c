/*
 * fuzz_kpi.c - libFuzzer target for kpi-report's config: any input through
 * ls_kpi_config_load() as the tool loads it; a config that loads (zone,
 * teams, targets, renamed columns, connected outcomes) sums a small day of
 * calls, deals, leads and tickets, and its tables are rendered.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "record.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const inputs[LS_KPI_NINPUTS] = {
	"lead_id,manager,started_at,duration_s,outcome,user,ts\n"
	"L1,ivanov,2026-11-26T09:00:00+03:00,120,interested,a,2026-11-26T09:00:00Z\n"
	"L2,petrova,2026-11-26T09:10:00+03:00,0,no_answer,b,2026-11-27T00:00:00Z\n"
	"L3,a,2026-11-30T23:59:59+03:00,30,talked,c,x\n",
	"deal_id,manager,stage,amount,closed_at,lead_id,currency\n"
	"D1,ivanov,won,\"500 000.00\",2026-11-26T16:00:00+03:00,L1,RUB\n"
	"D2,b,lost,1,2026-11-26T17:00:00+03:00,L2,RUB\n",
	"lead_id,company,created_at,manager,assign_reason\n"
	"L20,Alpha,2026-11-26T08:00:00+03:00,ivanov,weighted\n"
	"L21,Beta,,petrova,sticky\n",
	"ticket_id,client,subject,status,priority,agent,opened_at,first_response_at,updated_at,due_at,sla\n"
	"T-1,A,x,solved,normal,petrova,2026-11-25T10:00:00+03:00,2026-11-25T10:30:00+03:00,"
	"2026-11-26T11:00:00+03:00,2026-11-28T10:00:00+03:00,met\n",
};

static void
feed(struct ls_kpi *k, enum ls_kpi_input in)
{
	struct ls_reader_opts ro = { 0 };
	struct ls_reader *rd;
	struct ls_record rec;
	struct ls_error err;
	FILE *fp;

	if ((fp = fmemopen((void *)inputs[in], strlen(inputs[in]), "rb")) == NULL)
		abort();
	ro.format = LS_FMT_CSV;
	if ((rd = ls_reader_open_fp(fp, "in.csv", &ro, &err)) == NULL)
		abort();
	if (ls_kpi_bind(k, in, ls_reader_header(rd), ls_reader_ncols(rd), "in.csv", &err) == 0)
		while (ls_reader_next(rd, &rec, &err) > 0)
			(void)ls_kpi_add(k, in, &rec, &err);
	ls_reader_free(rd);
	fclose(fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_kpi_opts o = { 0 };
	struct ls_kpi_config *c;
	struct ls_kpi_table *t;
	struct ls_error err;
	struct ls_kpi *k;

	memset(&err, 0, sizeof(err));
	if ((c = ls_kpi_config_load(fuzz_file("fuzz_kpi", data, size), &err)) == NULL) {
		if (err.msg[0] == '\0' || err.status == 0)
			abort();
		return 0;
	}
	if (ls_kpi_config_tz(c) == NULL)
		abort();
	o.period = size > 0 ? (enum ls_period)(data[size - 1] % 3) : LS_PERIOD_DAY;
	o.tickets = 1;
	o.lead_day = (struct ls_date){ .year = 2026, .month = 11, .day = 26 };
	if ((k = ls_kpi_new(c, &o, &err)) != NULL) {
		for (int in = 0; in < LS_KPI_NINPUTS; in++)
			feed(k, (enum ls_kpi_input)in);
		{
			struct ls_buf pb = { 0 };

			(void)ls_kpi_write_partial(k, &pb, &err);
			ls_buf_free(&pb);
		}
		for (int by = 0; by < 2; by++) {
			if ((t = ls_kpi_table(k, (enum ls_kpi_by)by, &err)) == NULL)
				continue;
			for (int f = LS_KPI_CSV; f <= LS_KPI_HTML; f++) {
				struct ls_buf b = { 0 };

				(void)ls_kpi_render(t, (enum ls_kpi_format)f, &b, &err);
				free(b.p);
			}
			ls_kpi_table_free(t);
		}
		ls_kpi_free(k);
	}
	ls_kpi_config_free(c);
	return 0;
}
