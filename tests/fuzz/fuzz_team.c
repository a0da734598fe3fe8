/*
 * fuzz_team.c - libFuzzer target for lead-assign's team file: any input
 * through ls_team_load() as the tool loads it; a team that loads is bound
 * to a leads header (sticky, date, region and skill columns, routing
 * conditions), deals a small stream of leads, and writes its state.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "record.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char leads[] =
    "lead_id,company,region,industry,employees,created_at,status,manager,assign_reason\n"
    "L1,Acme,msk,retail,1200,2026-11-26,qualified,,\n"
    "L2,Beta,spb,logistics,20,2026-12-31T23:00:00+03:00,qualified,,\n"
    "L3,acme ,kzn,it,x,,qualified,,\n"
    "L4,Gamma,,,-1,2026-02-30,invalid,,\n"
    "L5,Beta,spb,logistics,20,,qualified,,\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct ls_reader_opts ro = { 0 };
	struct ls_assign_opts ao = { 0 };
	struct ls_assign_result res;
	struct ls_assigner *a;
	struct ls_reader *rd;
	struct ls_record rec;
	struct ls_error err;
	struct ls_team *t;
	FILE *fp;

	if (devnull == NULL && (devnull = fopen("/dev/null", "wb")) == NULL)
		abort();
	memset(&err, 0, sizeof(err));
	if ((t = ls_team_load(fuzz_file("fuzz_team", data, size), &err)) == NULL) {
		if (err.msg[0] == '\0' || err.status == 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < ls_team_nmanagers(t); i++)
		if (ls_team_manager_id(t, i) == NULL)
			abort();
	(void)ls_team_state_path(t);
	(void)ls_team_sticky(t);
	if ((fp = fmemopen((void *)leads, sizeof(leads) - 1, "rb")) == NULL)
		abort();
	ro.format = LS_FMT_CSV;
	if ((rd = ls_reader_open_fp(fp, "leads.csv", &ro, &err)) == NULL)
		abort();
	ao.now = 1795690980;	/* 2026-11-26T11:03:00Z */
	if ((a = ls_assigner_new(t, ls_reader_header(rd), ls_reader_ncols(rd), &ao, &err)) != NULL) {
		while (ls_reader_next(rd, &rec, &err) > 0)
			if (ls_assigner_next(a, &rec, &res, &err) == 0 && (res.manager == NULL || res.reason == NULL))
				abort();
		if (ls_assigner_write_state(a, devnull, &err) != 0)
			abort();
		ls_assigner_free(a);
	} else if (err.msg[0] == '\0') {
		abort();
	}
	ls_reader_free(rd);
	fclose(fp);
	ls_team_free(t);
	return 0;
}
