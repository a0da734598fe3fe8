/*
 * test_tlog_chain.c - the ticket log's v2 hash chain (ticket.h over chain.h):
 * the codec's rows link with chain.c's record hash whatever the quoting, an
 * append links to the last record whether it read the log forward or from
 * its tail (CR LF saved too), ls_tlog_verify() names the line of an edit,
 * a removal and a swap, a v1 log stays v1 when appended to, and
 * ls_tlog_upgrade() rewrites it as v2 with its backup.  And the codec's
 * split (the library's, with its short way for a record without quotes),
 * with SSE2 and without, reads every record as the library's split with
 * the portable scans does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "record.h"
#include "scan.h"
#include "ticket.h"
#include "tlog_codec.h"
#include "util.h"

static char dir[64], path[128];

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_tlog_chain.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/tickets.csv", dir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct ls_str
S(const char *s)
{
	struct ls_str v = { s, strlen(s) };
	return v;
}

/* Row k of rows: an open of T-00000k+1 (k < 2), else a note on T-000001 with text. */
static void
row(struct ls_str *f, int k, const char *text)
{
	static char ids[4][16];

	for (int i = 0; i < LS_TC_NCOLS; i++)
		f[i] = S("");
	snprintf(ids[k & 3], sizeof(ids[0]), "T-%06d", k < 2 ? k + 1 : 1);
	f[LS_TC_TS] = S("2026-11-26T09:00:00Z");
	f[LS_TC_ID] = S(ids[k & 3]);
	f[LS_TC_EVENT] = S(k < 2 ? "open" : "note");
	f[LS_TC_STATUS] = S("new");
	f[LS_TC_CLIENT] = S(k == 1 ? "ООО \"Гамма\", Москва" : "c");
	f[LS_TC_PRIORITY] = S("normal");
	f[LS_TC_TEXT] = S(text);
	f[LS_TC_SUBJECT] = S(k < 2 ? "s" : "");
}

static void
put(const char *p, size_t n)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(p, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

static char *
slurp(const char *file, size_t *n)
{
	FILE *fp = fopen(file, "rb");
	char *b = malloc(1 << 20);

	assert_non_null(fp);
	assert_non_null(b);
	*n = fread(b, 1, (1 << 20) - 1, fp);
	b[*n] = '\0';
	fclose(fp);
	return b;
}

/* Read the log with the chain checked: the events read, or -1 with err (message and line). */
static long
verify(struct ls_error *err, char last[65])
{
	struct ls_tlog *l;
	struct ls_tlog_rec r;
	long n = 0;
	int rc;

	memset(err, 0, sizeof(*err));
	if ((l = ls_tlog_open(path, LS_TLOG_READ, err)) == NULL)
		return -1;
	ls_tlog_verify(l);
	while ((rc = ls_tlog_next(l, &r, err)) > 0)
		n++;
	if (rc == 0 && last)
		snprintf(last, 65, "%s", ls_tlog_last_hash(l) ? ls_tlog_last_hash(l) : "v1");
	ls_tlog_close(l);
	return rc < 0 ? -1 : n;
}

/* Write a log of format version with rows 0..n-1 (texts as given) in one commit of the codec. */
static void
write_log(int version, const char *const *texts, int n, char chain[65])
{
	struct ls_str f[8 * LS_TC_NCOLS];
	struct ls_tlog_codec_buf out;
	struct ls_error err;

	for (int k = 0; k < n; k++)
		row(f + k * LS_TC_NCOLS, k, texts[k]);
	memcpy(chain, ls_chain_zeros, 65);
	assert_int_equal(ls_tlog_codec_rows(version, 1, 1, f, (size_t)n, chain, &out, &err), 0);
	put(out.p, out.n);
	free(out.p);
}

static const char *const texts[] = { "", "", "say \"hi\", twice", "two\nlines", "plain" };

static void
test_codec_links(void **state)
{
	struct ls_str f[LS_TC_NCOLS + 1];
	struct ls_error err;
	char chain[65], last[65], h[65];
	struct ls_tlog *l;
	struct ls_tlog_rec r;

	(void)state;
	write_log(2, texts, 5, chain);
	assert_int_equal(verify(&err, last), 5);
	assert_string_equal(last, chain);
	/* the first record's hash, from its fields as given (quoting plays no part), is the second's prev */
	row(f, 0, "");
	f[LS_TC_SEQ] = S("1");
	f[LS_TC_BATCH] = S("1/5");	/* a commit of five */
	f[LS_TC_PREV] = S(ls_chain_zeros);
	ls_chain_hash(f, LS_TC_NCOLS + 1, h);
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_READ, &err));
	assert_int_equal(ls_tlog_version(l), 2);
	assert_int_equal(ls_tlog_next(l, &r, &err), 1);
	assert_string_equal(r.f[LS_TC_PREV].p, ls_chain_zeros);
	assert_int_equal(ls_tlog_next(l, &r, &err), 1);
	assert_string_equal(r.f[LS_TC_PREV].p, h);
	assert_true(ls_chain_follows(r.f, LS_TC_NCOLS + 1, h));
	assert_false(ls_chain_follows(r.f, LS_TC_NCOLS + 1, ls_chain_zeros));
	ls_tlog_close(l);
}

/* One note appended by a writer that reads forward (find 0) or from the tail (find 1). */
static void
append(int from_tail, const char *text)
{
	struct ls_str f[LS_TC_NCOLS];
	struct ls_error err;
	struct ls_tlog_rec r;
	struct ls_tlog *l;

	memset(&err, 0, sizeof(err));
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	if (from_tail)
		assert_int_equal(ls_tlog_find(l, 0, &r, &err), 1);
	else
		while (ls_tlog_next(l, &r, &err) > 0)
			;
	row(f, 2, text);
	assert_true(ls_tlog_add(l, f, &err) > 0);
	assert_int_equal(ls_tlog_commit(l, &err), 0);
	ls_tlog_close(l);
}

static void
test_append_links(void **state)
{
	struct ls_error err;
	char chain[65], last[65];
	size_t n;
	char *b, *crlf;

	(void)state;
	write_log(2, texts, 5, chain);
	append(0, "forward");
	append(1, "from the tail");
	append(1, "with \"quotes\", and\nlines");
	assert_int_equal(verify(&err, last), 8);
	/* saved with CR LF by an editor (the quoted line break too): the chain holds, appends link */
	b = slurp(path, &n);
	assert_non_null(crlf = malloc(2 * n + 1));
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (b[i] == '\n')
			crlf[o++] = '\r';
		crlf[o++] = b[i];
	}
	put(crlf, o);
	free(b);
	free(crlf);
	assert_int_equal(verify(&err, chain), 8);
	assert_string_equal(chain, last);
	append(1, "after the CR LF save");
	append(0, "and forward");
	assert_int_equal(verify(&err, last), 10);
}

/* Replace the file's bytes: the first occurrence of from by to. */
static void
edit(const char *from, const char *to)
{
	size_t n;
	char *b = slurp(path, &n), *at = strstr(b, from);
	FILE *fp;

	assert_non_null(at);
	assert_non_null(fp = fopen(path, "w"));
	fwrite(b, 1, (size_t)(at - b), fp);
	fputs(to, fp);
	fputs(at + strlen(from), fp);
	fclose(fp);
	free(b);
}

/* The opens in one commit, each note in one of its own (a record cut from a commit would be a torn commit). */
static void
write_notes(char chain[65])
{
	write_log(2, texts, 2, chain);
	for (int k = 2; k < 5; k++)
		append(1, texts[k]);
}

static void
test_verify_names_the_line(void **state)
{
	struct ls_error err;
	char chain[65], line4[512], line5[512];
	size_t n;
	char *b, *p;

	(void)state;
	/* lines: 3, 4 the opens; 5 "say hi"; 6-7 the two-line note; 8 "plain" */
	write_notes(chain);
	edit("twice", "thrice");
	assert_int_equal(verify(&err, NULL), -1);
	assert_int_equal(err.line, 5);
	assert_non_null(strstr(err.msg, "edited"));
	/* a record removed: the line after the gap */
	write_notes(chain);
	b = slurp(path, &n);
	p = strstr(b, "\n3,");
	edit(p + 1, strstr(p + 1, "\n4,") + 1);
	free(b);
	assert_int_equal(verify(&err, NULL), -1);
	assert_int_equal(err.line, 5);
	assert_non_null(strstr(err.msg, "removed"));
	/* the two opens swapped: the first of them */
	write_notes(chain);
	b = slurp(path, &n);
	p = strstr(b, "\n1,") + 1;
	snprintf(line4, sizeof(line4), "%.*s", (int)(strchr(p, '\n') - p + 1), p);
	p += strlen(line4);
	snprintf(line5, sizeof(line5), "%.*s", (int)(strchr(p, '\n') - p + 1), p);
	free(b);
	{
		char both[1024], swapped[1024];

		snprintf(both, sizeof(both), "%s%s", line4, line5);
		snprintf(swapped, sizeof(swapped), "%s%s", line5, line4);
		edit(both, swapped);
	}
	assert_int_equal(verify(&err, NULL), -1);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "moved"));
	/* the last record edited: the chain alone cannot tell, its last hash does */
	write_notes(chain);
	edit("plain", "plane");
	assert_int_equal(verify(&err, line4), 5);
	assert_string_not_equal(line4, chain);
}

static void
test_v1_append_and_upgrade(void **state)
{
	struct ls_error err;
	struct ls_tlog_rec r;
	struct ls_tlog *l;
	char chain[65], last[65], bak[160];
	long long n;
	size_t n1, n2;
	char *before, *kept;

	(void)state;
	write_log(1, texts, 5, chain);
	append(1, "v1 from the tail");
	append(0, "v1 forward");
	assert_int_equal(verify(&err, last), 7);
	assert_string_equal(last, "v1");	/* no chain to check, none made up */
	before = slurp(path, &n1);
	assert_non_null(strstr(before, "v1 forward,,,\n"));	/* 12 fields: no prev_hash */
	memset(&err, 0, sizeof(err));
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	assert_int_equal(ls_tlog_version(l), 1);
	while (ls_tlog_next(l, &r, &err) > 0)
		;
	snprintf(bak, sizeof(bak), "%s.v1", path);
	assert_int_equal(ls_tlog_upgrade(l, bak, &n, chain, &err), 0);
	ls_tlog_close(l);
	assert_int_equal(n, 7);
	kept = slurp(bak, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, kept, n1);
	assert_int_equal(verify(&err, last), 7);
	assert_string_equal(last, chain);
	/* a v2 log is not upgraded again */
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	while (ls_tlog_next(l, &r, &err) > 0)
		;
	assert_int_not_equal(ls_tlog_upgrade(l, bak, &n, chain, &err), 0);
	ls_tlog_close(l);
	free(before);
	free(kept);
}

/*
 * Records the short way takes (no quote, CR or LF: fields of every length
 * around the 16-byte steps, empty ones, a last field a step long, UTF-8)
 * and ones it leaves to the full split (quotes, a CR, a LF in quotes, bad
 * quoting, a bare CR): the same count or refusal, fields and NULs as
 * ls_csv_split_record() with the portable scans on the same bytes; a
 * trailing CR dropped.
 */
static void
test_split_paths(void **state)
{
	static const char *const recs[] = {
		"1,2026-11-26T09:00:00+00:00,T-000001,open,new,ООО Ромашка,,normal,,Где?,phone,,"
		    "0000000000000000000000000000000000000000000000000000000000000000",
		"1,2,3", "", ",", ",,,,,,,,,,,,", "abcdefghijklmnop", "abcdefghijklmno,",
		"abcdefghijklmnopq,r", "0123456789abcdef0123456789abcdef,0123456789abcdef",
		"a,\"b,c\",d", "a,\"\"\"x\"\"\",d", "a,\"x\ny\",z", "a,b\r", "a,b\rc",
		"a,b\"c", "a,\"b\"c,d", "a,\"open", "x\r\r", NULL
	};
	char buf[256];

	(void)state;
	for (int simd = 0; simd < 2; simd++) {
		ls_scan_force_scalar(!simd);
		for (int i = 0; recs[i]; i++) {
			struct ls_tlog_codec_scratch sc = { 0 };
			struct ls_tlog_rec r;
			struct ls_str *f = NULL;
			size_t fcap = 0, bad = 0, n = strlen(recs[i]), m = n;
			long want;
			int got;

			if (m > 0 && recs[i][m - 1] == '\r')
				m--;
			memcpy(buf, recs[i], m);
			ls_scan_force_scalar(1);
			want = ls_csv_split_record(buf, m, ',', &f, &fcap, &bad);
			ls_scan_force_scalar(!simd);
			got = ls_tlog_codec_split(recs[i], n, &sc, &r);
			assert_int_equal(got, want);
			for (long k = 0; k < want && k <= LS_TC_PREV; k++) {
				assert_int_equal(r.f[k].n, f[k].n);
				assert_memory_equal(r.f[k].p, f[k].p, f[k].n);
				assert_int_equal(r.f[k].p[r.f[k].n], '\0');
			}
			if (want >= 0 && want <= LS_TC_PREV)
				assert_int_equal(r.f[LS_TC_PREV].n, 0);
			free(f);
			ls_tlog_codec_scratch_free(&sc);
		}
	}
	ls_scan_force_scalar(0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_codec_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_names_the_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v1_append_and_upgrade, setup, teardown),
		cmocka_unit_test(test_split_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
