/*
 * fuzz_ticket.c - libFuzzer target for the ticket log: any bytes, after a
 * v1 or a v2 head or none, read forward (every record, torn tails; a v2
 * log's hash chain checked or not), read back from the end
 * (ls_tlog_find()), and replayed with SLA clocks.  And the codec's split
 * of the first line (the library's split, whose short way for a record
 * without quotes has an SSE2 and a portable form) with the scans in force
 * against the library's split of the same bytes with the portable scans:
 * the two must read every record alike.
 *
 * The first byte is not part of the file; it says what to do with the
 * rest (the seeds in tests/fuzz/corpus/fuzz_ticket/ start with it):
 *   bits 0-1  the head put before the rest: 0 none (the rest is a whole
 *             file), 1 v1's, 2 and 3 v2's
 *   bit 2     check the hash chain while reading (ls_tlog_verify())
 *   bit 3     replay strictly (the lifecycle checked)
 *   bit 4     the portable scans, not SSE2
 *   bits 5-7  the ticket ls_tlog_find() looks for (mod 5; 0 the newest)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "queue.h"
#include "record.h"
#include "scan.h"
#include "sla.h"
#include "ticket.h"
#include "tlog_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char head1[] =
    "# ticket-log v1\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\n";
static const char head2[] =
    "# ticket-log v2\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch,"
    "prev_hash\n";
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

/*
 * The codec's split of p[0..n) (a record's text, no line feed after it),
 * with the scans in force, as the library's split reads it with the
 * portable scans: the same field count or the same refusal, and the same
 * fields.  Aborts on a difference.
 */
static void
split_alike(const char *p, size_t n)
{
	struct ls_tlog_codec_scratch sc = { 0 };
	struct ls_tlog_rec r;
	struct ls_str *f = NULL;
	size_t fcap = 0, bad = 0, m = n;
	char *copy;
	long want;
	int got;

	if (m > 0 && p[m - 1] == '\r')
		m--;	/* the codec drops it first */
	if ((copy = malloc(m + 1)) == NULL)
		return;
	if (m > 0)
		memcpy(copy, p, m);
	int level = ls_scan_level();
	ls_scan_force(LS_SCAN_SCALAR);
	want = ls_csv_split_record(copy, m, ',', &f, &fcap, &bad);
	ls_scan_force(level);
	got = ls_tlog_codec_split(p, n, &sc, &r);
	if (want == LS_CSV_ENOMEM || got == -1)
		goto done;
	if (got != (int)want)
		abort();
	for (long i = 0; i < want && i <= LS_TC_PREV; i++)
		if (r.f[i].n != f[i].n || memcmp(r.f[i].p, f[i].p, f[i].n) != 0 ||
		    r.f[i].p[r.f[i].n] != '\0')
			abort();
	if (want >= 0 && want <= LS_TC_PREV && r.f[LS_TC_PREV].n != 0)
		abort();	/* a record short of prev_hash reads an empty one */
done:
	free(copy);
	free(f);
	ls_tlog_codec_scratch_free(&sc);
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
	const char *body;
	const uint8_t *nl;
	unsigned ctl;
	size_t n;
	int rc;

	if (path[0] == '\0') {
		snprintf(path, sizeof(path), "/tmp/fuzz_ticket.%ld.csv", (long)getpid());
		atexit(cleanup);
		sla = ls_sla_load_mem("sla.yaml", sla_text, strlen(sla_text), &err);
		if (sla == NULL)
			abort();
	}
	if (size == 0)
		return 0;
	ctl = data[0];
	body = (const char *)data + 1;
	n = size - 1;
	ls_scan_force_scalar((ctl & 16) != 0);
	/* the first line as one record, both ways, with the scans chosen and then with the others */
	nl = memchr(body, '\n', n);
	split_alike(body, nl ? (size_t)((const char *)nl - body) : n);
	ls_scan_force_scalar((ctl & 16) == 0);
	split_alike(body, nl ? (size_t)((const char *)nl - body) : n);
	ls_scan_force_scalar((ctl & 16) != 0);
	if ((fp = fopen(path, "wb")) == NULL)
		return 0;
	if (ctl & 3)
		fputs((ctl & 3) == 1 ? head1 : head2, fp);
	fwrite(body, 1, n, fp);
	fclose(fp);
	memset(&err, 0, sizeof(err));
	if ((l = ls_tlog_open(path, LS_TLOG_READ, &err)) != NULL) {
		if (ctl & 4)
			ls_tlog_verify(l);
		q = ls_queue_new(sla, NULL);
		while ((rc = ls_tlog_next(l, &r, &err)) > 0)
			if (q && ls_queue_apply(q, &r, (ctl & 8) != 0, path, &err) != 0)
				break;
		if (rc == 0 && (ctl & 4)) {
			const char *h = ls_tlog_last_hash(l);

			/* v2: 64 hex digits; v1: none */
			if ((h == NULL) != (ls_tlog_version(l) < 2) || (h && strlen(h) != 64))
				abort();
		}
		for (long id = 1; q && id <= ls_queue_count(q); id++) {
			struct ls_ticket_row row;
			struct ls_ticket *t = ls_queue_get(q, id);

			if (t)
				ls_queue_row(q, t, 1795690980, NULL, &row);
		}
		ls_queue_free(q);
		ls_tlog_close(l);
	}
	if ((l = ls_tlog_open(path, LS_TLOG_WRITE, &err)) != NULL) {
		(void)ls_tlog_find(l, (long)((ctl >> 5) % 5), &r, &err);
		ls_tlog_close(l);
	}
	ls_scan_force_scalar(0);
	return 0;
}
