/*
 * fuzz_company.c - libFuzzer target for doc-render's context file (-c
 * company.yaml): any input through ls_docs_open() as the tool opens it,
 * with an items file; a context that loads (vat_mode, the dated vat
 * table or "none", date_column, any other keys) gives each row of a small
 * deals stream its context stack, which renders a template that walks the
 * YAML (nested maps, lists) and the computed invoice values.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "mustache.h"
#include "record.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char deals[] =
    "deal_id,date,client,amount,when\n"
    "D-1,2026-11-26,Gamma,1234.56,2019-01-01\n"
    "D-2,2025-12-31,\"Smith & Sons <Ltd>\",99,\n"
    "D-3,,X,0,1900-02-29\n"
    "D-4,2026-02-30,Y,1,2026-01-01T10:00:00+03:00\n";
static const char items[] =
    "deal_id,name,qty,unit,price,vat_rate\n"
    "D-1,Shelf,2,pcs,1000.00,\n"
    "D-1,Tape,3.5,roll,890.40,\n"
    "D-1,Book,1,pcs,500,10\n"
    "D-2,Service,1,h,99,Без НДС\n"
    "D-9,Orphan,1,pcs,1,\n";
static const char tpl[] =
    "{{date}} {{vat_mode}} {{vat_rate}} {{#vat_none}}none{{/vat_none}} {{items_count}}\n"
    "{{#seller}}{{name}} {{inn}} {{#bank}}{{name}} {{bik}}{{/bank}}{{/seller}}\n"
    "{{#vat}}{{from}} {{rate}};{{/vat}} {{currency}} {{payment_days}} {{.}}\n"
    "{{#items}}{{name}} {{qty}} {{price | money}} {{total | money}} {{vat | money}}\n{{/items}}"
    "{{subtotal | money}} {{vat_total | money}} {{total | money}} {{client}} {{amount | money}}\n";

static char items_path[96];

static void
cleanup(void)
{
	unlink(items_path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ls_mustache *t;
	struct ls_mustache_opts mo = { 0 };
	struct ls_reader_opts ro = { 0 };
	struct ls_doc_opts o = { 0 };
	struct ls_mval stack[3];
	struct ls_reader *rd;
	struct ls_record rec;
	struct ls_error err;
	struct ls_docs *d;
	FILE *fp;

	if (t == NULL) {
		const char *dir = getenv("TMPDIR");
		snprintf(items_path, sizeof(items_path), "%s/fuzz_company_items.%ld.csv",
		    dir && *dir ? dir : "/tmp", (long)getpid());
		if ((fp = fopen(items_path, "wb")) == NULL || fputs(items, fp) < 0 || fclose(fp) != 0)
			abort();
		atexit(cleanup);
		if ((t = ls_mustache_parse("t.txt", tpl, sizeof(tpl) - 1, &mo, &err)) == NULL)
			abort();
	}
	memset(&err, 0, sizeof(err));
	o.context_path = fuzz_file("fuzz_company", data, size);
	o.items_path = items_path;
	o.key = "deal_id";
	o.now = 1795690980;	/* 2026-11-26T11:03:00Z */
	if ((d = ls_docs_open(&o, &err)) == NULL) {
		if (err.msg[0] == '\0' || err.status == 0)
			abort();
		return 0;
	}
	if ((fp = fmemopen((void *)deals, sizeof(deals) - 1, "rb")) == NULL)
		abort();
	ro.format = LS_FMT_CSV;
	if ((rd = ls_reader_open_fp(fp, "deals.csv", &ro, &err)) == NULL)
		abort();
	if (ls_docs_header(d, ls_reader_header(rd), ls_reader_ncols(rd), "deals.csv", &err) == 0)
		while (ls_reader_next(rd, &rec, &err) > 0) {
			struct ls_buf out = { 0 };

			if (ls_docs_row(d, rec.fields, rec.nfields, "deals.csv", rec.line, stack, &err) < 0)
				continue;
			(void)ls_mustache_render(t, stack, 3, &out, &err);
			ls_buf_free(&out);
		}
	ls_reader_free(rd);
	fclose(fp);
	ls_docs_free(d);
	return 0;
}
