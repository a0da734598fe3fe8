/*
 * fuzz_rules.c - libFuzzer target for lead-qualify's rules file: any input
 * through ls_rules_load() as the tool loads it; a rules file that loads is
 * compiled against the leads header and every lead of a small stream is
 * qualified with it (the rules' expressions run on real fields).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qualify.h"
#include "record.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char leads[] =
    "lead_id,company,contact_name,phone,email,region,industry,employees,source,created_at,tel,mail\n"
    "L1,Acme,Ivan,+7 (916) 123-45-67, Ivan@Acme.RU ,msk,retail,120,exhibition,2026-11-20T10:15:00+03:00,,\n"
    "L2,Beta,Anna,8 495 765-43-21,anna@beta.ru,spb,it,-3,web,,+49 30 1234567,x@y.de\n"
    "L3,,,,,,,,,,,\n"
    "L4,Acme,Ivan,+79161234567,ivan@acme.ru,msk,retail,99999999999999999999,x,2026-13-40,0,@\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_reader_opts ro = { 0 };
	struct ls_qualifier *q;
	struct ls_reader *rd;
	struct ls_record rec;
	struct ls_lead lead;
	struct ls_error err;
	struct ls_rules *r;
	FILE *fp;

	memset(&err, 0, sizeof(err));
	if ((r = ls_rules_load(fuzz_file("fuzz_rules", data, size), &err)) == NULL) {
		if (err.msg[0] == '\0' || err.status == 0)
			abort();	/* every refusal says why */
		return 0;
	}
	if ((fp = fmemopen((void *)leads, sizeof(leads) - 1, "rb")) == NULL)
		abort();
	ro.format = LS_FMT_CSV;
	if ((rd = ls_reader_open_fp(fp, "leads.csv", &ro, &err)) == NULL)
		abort();
	if ((q = ls_qualifier_new(r, ls_reader_header(rd), ls_reader_ncols(rd), &err)) != NULL) {
		while (ls_reader_next(rd, &rec, &err) > 0)
			if (ls_qualify(q, &rec, &lead, &err) != 0)
				break;
		ls_qualifier_free(q);
	} else if (err.msg[0] == '\0') {
		abort();
	}
	ls_reader_free(rd);
	fclose(fp);
	ls_rules_free(r);
	return 0;
}
