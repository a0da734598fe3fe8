/*
 * fuzz_ticket.c - libFuzzer target for the ticket log: any bytes after the
 * log's first two lines are read forward (every record, torn tails), read
 * back from the end (ls_tlog_find()), and replayed with SLA clocks.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "queue.h"
#include "sla.h"
#include "ticket.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char head[] =
    "# ticket-log v1\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\n";
static const char sla_text[] =
    "timezone: UTC\nbusiness_hours: {days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"18:00\"}\n"
    "holidays: [2026-12-31]\ntargets: {normal: {first_response: 4h, resolution: 3d}, urgent: {first_response: 30m}}\n";

static char path[64];

/* The log and the files made beside it go when the fuzzer exits. */
static void
cleanup(void)
{
	static const char *const ext[] = { "", ".lock", ".torn" };
	char p[80];

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, ext[i]);
		unlink(p);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ls_sla *sla;
	struct ls_error err;
	struct ls_tlog *l;
	struct ls_tlog_rec r;
	struct ls_queue *q;
	FILE *fp;
	int rc;

	if (path[0] == '\0') {
		snprintf(path, sizeof(path), "/tmp/fuzz_ticket.%ld.csv", (long)getpid());
		atexit(cleanup);
		sla = ls_sla_load_mem("sla.yaml", sla_text, strlen(sla_text), &err);
		if (sla == NULL)
			abort();
	}
	if ((fp = fopen(path, "wb")) == NULL)
		return 0;
	/* half the inputs get a right head, so that the records behind it are reached */
	if (size > 0 && (data[0] & 1))
		fputs(head, fp);
	fwrite(data, 1, size, fp);
	fclose(fp);
	memset(&err, 0, sizeof(err));
	if ((l = ls_tlog_open(path, LS_TLOG_READ, &err)) != NULL) {
		q = ls_queue_new(sla, NULL);
		while ((rc = ls_tlog_next(l, &r, &err)) > 0)
			if (q && ls_queue_apply(q, &r, size > 1 && (data[1] & 1), path, &err) != 0)
				break;
		for (long id = 1; q && id <= ls_queue_count(q); id++) {
			struct ls_ticket_row row;
			ls_queue_row(q, ls_queue_get(q, id), 1795690980, NULL, &row);
		}
		ls_queue_free(q);
		ls_tlog_close(l);
	}
	if ((l = ls_tlog_open(path, LS_TLOG_WRITE, &err)) != NULL) {
		(void)ls_tlog_find(l, size > 2 ? data[2] % 5 : 0, &r, &err);
		ls_tlog_close(l);
	}
	return 0;
}
