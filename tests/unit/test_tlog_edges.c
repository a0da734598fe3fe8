/*
 * test_tlog_edges.c - the ticket log's rarer paths (ticket.h): check
 * --repair and upgrade called where they must refuse (a log opened for
 * reading, one not read to its end, a v2 log, a torn v1 log, a backup that
 * cannot be made), a lone CR kept by the repair's rewrite, and the ticket
 * id's and record's checks a hand edit trips.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan.h"
#include "ticket.h"

static char dir[64], path[128], bak[160];

static const char head1[] = "# ticket-log v1\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\n";
static const char rec1[] = "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,a,s,,\n";
static const char rec2[] = "2,2026-11-26T09:05:00Z,T-000001,note,new,c,,normal,x,,,\n";

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_tlog_edges.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/tickets.csv", dir);
	snprintf(bak, sizeof(bak), "%s/tickets.csv.bak", dir);
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

static void
put(const char *a, const char *b, const char *c)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(a, fp);
	fputs(b, fp);
	fputs(c, fp);
	assert_int_equal(fclose(fp), 0);
}

static char *
slurp(const char *file)
{
	static char b[4096];
	FILE *fp = fopen(file, "rb");
	size_t n;

	assert_non_null(fp);
	n = fread(b, 1, sizeof(b) - 1, fp);
	b[n] = '\0';
	fclose(fp);
	return b;
}

/* Open path with mode and read it to its end; the number of records. */
static struct ls_tlog *
read_all(int mode, int *nrec)
{
	struct ls_error err = { 0 };
	struct ls_tlog_rec r;
	struct ls_tlog *l = ls_tlog_open(path, mode, &err);
	int rc;

	assert_non_null(l);
	*nrec = 0;
	while ((rc = ls_tlog_next(l, &r, &err)) > 0)
		++*nrec;
	assert_int_equal(rc, 0);
	return l;
}

/* check --repair: nothing to do is 0 and no backup; a read-only handle is refused; a bad backup path fails whole. */
static void
test_repair_refusals(void **state)
{
	struct ls_error err = { 0 };
	struct ls_tlog *l;
	char nodir[200];
	int n;

	(void)state;
	put(head1, rec1, rec2);
	l = read_all(LS_TLOG_WRITE, &n);
	assert_int_equal(n, 2);
	assert_int_equal(ls_tlog_repair(l, bak, &err), 0);
	assert_int_equal(access(bak, F_OK), -1);	/* a clean log: no backup made */
	ls_tlog_close(l);

	put(head1, rec1, "2,2026-11-26T09:05");	/* a torn tail */
	l = read_all(LS_TLOG_READ, &n);
	assert_int_equal(n, 1);
	assert_int_equal(ls_tlog_repair(l, bak, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "log not opened for writing");
	ls_tlog_close(l);

	/* the backup cannot be made: the log stays as it was, torn tail and all */
	snprintf(nodir, sizeof(nodir), "%s/no/such/dir/t.bak", dir);
	l = read_all(LS_TLOG_WRITE, &n);
	memset(&err, 0, sizeof(err));
	assert_int_not_equal(ls_tlog_repair(l, nodir, &err), 0);
	assert_int_equal(err.status, LS_EIO);
	ls_tlog_close(l);
	assert_string_equal(slurp(path), "# ticket-log v1\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\n"
	    "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,a,s,,\n2,2026-11-26T09:05");

	/* then with a good backup path: cut at the last whole record, the backup whole */
	l = read_all(LS_TLOG_WRITE, &n);
	assert_int_equal(ls_tlog_repair(l, bak, &err), 0);
	ls_tlog_close(l);
	assert_string_equal(slurp(path), "# ticket-log v1\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\n"
	    "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,a,s,,\n");
	assert_string_equal(slurp(bak), "# ticket-log v1\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\n"
	    "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,a,s,,\n2,2026-11-26T09:05");
}

/* A CR that ends no line (inside a quoted text) is data: the rewrite that drops CR LF keeps it. */
static void
test_repair_lone_cr(void **state)
{
	struct ls_error err = { 0 };
	struct ls_tlog *l;
	int n;

	(void)state;
	put(head1, "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,\"a\rb\",s,,\r\n",
	    "\n2,2026-11-26T09:05:00Z,T-000001,note,new,c,,normal,x,,,\n");
	l = read_all(LS_TLOG_WRITE, &n);
	assert_int_equal(n, 2);
	assert_int_equal(ls_tlog_repair(l, bak, &err), 0);
	ls_tlog_close(l);
	assert_string_equal(slurp(path), "# ticket-log v1\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\n"
	    "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,\"a\rb\",s,,\n"
	    "2,2026-11-26T09:05:00Z,T-000001,note,new,c,,normal,x,,,\n");
}

/* upgrade: only a v1 log read to its end, with a write lock, no torn tail, and a backup it can make. */
static void
test_upgrade_refusals(void **state)
{
	struct ls_error err = { 0 };
	struct ls_tlog_rec r;
	struct ls_tlog *l;
	char last[65], nodir[200];
	long long n = -1;
	int nrec;

	(void)state;
	put(head1, rec1, rec2);
	/* not read to its end */
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	assert_int_equal(ls_tlog_next(l, &r, &err), 1);
	assert_int_equal(ls_tlog_upgrade(l, bak, &n, last, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "log not read to its end for writing");
	assert_int_equal(n, 0);
	ls_tlog_close(l);
	/* read only */
	l = read_all(LS_TLOG_READ, &nrec);
	assert_int_equal(ls_tlog_upgrade(l, bak, &n, last, &err), LS_EUSAGE);
	ls_tlog_close(l);
	/* no backup: the log stays v1, byte for byte */
	snprintf(nodir, sizeof(nodir), "%s/no/such/dir/t.bak", dir);
	l = read_all(LS_TLOG_WRITE, &nrec);
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_tlog_upgrade(l, nodir, &n, last, &err), LS_EIO);
	ls_tlog_close(l);
	assert_string_equal(slurp(path), "# ticket-log v1\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\n"
	    "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,a,s,,\n"
	    "2,2026-11-26T09:05:00Z,T-000001,note,new,c,,normal,x,,,\n");
	/* a torn tail: named by its line, check --repair first */
	put(head1, rec1, "2,2026-11-26T09:05:00Z,T-0000");
	l = read_all(LS_TLOG_WRITE, &nrec);
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_tlog_upgrade(l, bak, &n, last, &err), LS_EDATA);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.msg, "torn tail: not upgraded (check --repair cuts it first)");
	ls_tlog_close(l);
	assert_int_equal(access(bak, F_OK), -1);
}

static struct ls_str
S(const char *s)
{
	struct ls_str v = { s, strlen(s) };
	return v;
}

/* A new v2 log of T-000001's open and a note, each its own commit; its bytes. */
static char *
write_v2(void)
{
	struct ls_error err = { 0 };
	struct ls_str f[LS_TC_NCOLS];
	struct ls_tlog_rec r;
	struct ls_tlog *l;

	unlink(path);
	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < LS_TC_NCOLS; i++)
			f[i] = S("");
		f[LS_TC_TS] = S("2026-11-26T09:00:00Z");
		f[LS_TC_ID] = S("T-000001");
		f[LS_TC_EVENT] = S(k == 0 ? "open" : "note");
		f[LS_TC_STATUS] = S("new");
		f[LS_TC_CLIENT] = S("c");
		f[LS_TC_PRIORITY] = S("normal");
		f[LS_TC_TEXT] = S(k == 0 ? "" : "hi");
		f[LS_TC_SUBJECT] = S(k == 0 ? "s" : "");
		assert_non_null(l = ls_tlog_open(path, LS_TLOG_CREATE, &err));
		while (ls_tlog_next(l, &r, &err) > 0)
			;
		assert_true(ls_tlog_add(l, f, &err) > 0);
		assert_int_equal(ls_tlog_commit(l, &err), 0);
		ls_tlog_close(l);
	}
	return strdup(slurp(path));
}

/* Replace the first from in log by to and read it whole (the chain checked): the first refusal. */
static int
read_edited(const char *log, const char *from, const char *to, struct ls_error *err)
{
	const char *at = strstr(log, from);
	struct ls_tlog_rec r;
	struct ls_tlog *l;
	FILE *fp;
	int rc;

	assert_non_null(at);
	assert_non_null(fp = fopen(path, "w"));
	fwrite(log, 1, (size_t)(at - log), fp);
	fputs(to, fp);
	fputs(at + strlen(from), fp);
	assert_int_equal(fclose(fp), 0);
	memset(err, 0, sizeof(*err));
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_READ, err));
	ls_tlog_verify(l);
	while ((rc = ls_tlog_next(l, &r, err)) > 0)
		;
	ls_tlog_close(l);
	return rc;
}

static const char zeros[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* A v2 record's own fields a hand edit breaks: its prev_hash (read with SSE2 and without) and its seq. */
static void
test_v2_fields(void **state)
{
	struct ls_error err;
	char *log = write_v2(), bad[80];

	(void)state;
	/* the first record's prev_hash, still 64 hex digits, not zeros: the chain's first link */
	snprintf(bad, sizeof(bad), "%.63s1", zeros);
	assert_int_equal(read_edited(log, zeros, bad, &err), -1);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.msg, "hash chain broken: the first record's prev_hash is not 64 zeros: it was edited");
	for (int simd = 0; simd < 2; simd++) {
		ls_scan_force_scalar(!simd);
		/* an upper-case digit, a letter past f, at either end of the 64 */
		snprintf(bad, sizeof(bad), "A%.63s", zeros);
		assert_int_equal(read_edited(log, zeros, bad, &err), -1);
		assert_int_equal(err.line, 3);
		assert_non_null(strstr(err.msg, "bad prev_hash 'A000"));
		assert_non_null(strstr(err.msg, "(expected 64 hex digits)"));
		snprintf(bad, sizeof(bad), "%.63sg", zeros);
		assert_int_equal(read_edited(log, zeros, bad, &err), -1);
		assert_non_null(strstr(err.msg, "bad prev_hash"));
		snprintf(bad, sizeof(bad), "%.62s", zeros);	/* 62 digits */
		assert_int_equal(read_edited(log, zeros, bad, &err), -1);
		assert_non_null(strstr(err.msg, "bad prev_hash"));
		/* every hex digit once: a good link the chain then refuses, not the codec */
		assert_int_equal(read_edited(log, zeros, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		    &err), -1);
		assert_non_null(strstr(err.msg, "the first record's prev_hash is not 64 zeros"));
	}
	ls_scan_force_scalar(0);
	/* batch: a commit's k/n, each part digits */
	{
		static const char *const bad[] = { "1/x", "x/2", "1/", "/2", "1-2", "3/2", "0/2", "1/1", "1/2/3",
		    "1/1234567890123" };

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			char to[80], want[64];

			/* the open's empty batch (a commit of one) before its prev_hash */
			snprintf(to, sizeof(to), ",,%s,0000", bad[i]);
			assert_int_equal(read_edited(log, ",,,0000", to, &err), -1);
			snprintf(want, sizeof(want), "bad batch '%s'", bad[i]);
			if (strncmp(err.msg, want, strlen(want)) != 0)
				fail_msg("batch '%s': %s", bad[i], err.msg);
		}
	}
	/* seq: zero, not a number, 19 digits */
	assert_int_equal(read_edited(log, "\n1,2026", "\n0,2026", &err), -1);
	assert_string_equal(err.msg, "bad seq '0'");
	assert_int_equal(read_edited(log, "\n1,2026", "\nx,2026", &err), -1);
	assert_string_equal(err.msg, "bad seq 'x'");
	assert_int_equal(read_edited(log, "\n1,2026", "\n1000000000000000001,2026", &err), -1);
	assert_string_equal(err.msg, "bad seq '1000000000000000001'");
	assert_int_equal(read_edited(log, "\n1,2026", "\n,2026", &err), -1);
	assert_string_equal(err.msg, "bad seq ''");
	free(log);
}

/* list --at's and import's times: the date forms with a clock, and what is refused. */
static void
test_parse_time(void **state)
{
	static const struct { const char *s; int64_t want; } ok[] = {
		{ "2026-11-26T09:00:00Z", 1795683600 },
		{ "2026-11-26", 1795651200 },
		{ "26.11.2026 09:00", 1795683600 },
		{ "2026-11-26 09:00:30", 1795683630 },
	};
	static const char *const bad[] = {
		"26.11.2026 25:00", "26.11.2026 9", "2026-11-26 09:00 x", "31.02.2026", "soon", "",
	};
	struct ls_error err;
	int64_t t;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(&err, 0, sizeof(err));
		t = 0;
		assert_int_equal(ls_tlog_parse_time(ok[i].s, NULL, 0, &t, &err), 0);
		if (t != ok[i].want)
			fail_msg("'%s': %lld, not %lld", ok[i].s, (long long)t, (long long)ok[i].want);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[128];

		memset(&err, 0, sizeof(err));
		assert_int_equal(ls_tlog_parse_time(bad[i], NULL, 0, &t, &err), LS_EDATA);
		snprintf(want, sizeof(want), "bad time '%s' (expected RFC 3339, or a date and HH:MM)", bad[i]);
		assert_string_equal(err.msg, want);
	}
}

/* An event added before the log was read to its end, or to a log opened for reading: refused. */
static void
test_add_unread(void **state)
{
	struct ls_error err = { 0 };
	struct ls_str f[LS_TC_NCOLS];
	struct ls_tlog *l;
	int n;

	(void)state;
	put(head1, rec1, rec2);
	for (int i = 0; i < LS_TC_NCOLS; i++)
		f[i] = S("");
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	assert_int_equal(ls_tlog_add(l, f, &err), -1);
	assert_int_equal(err.status, LS_EUSAGE);
	assert_string_equal(err.msg, "log not read to its end for writing");
	ls_tlog_close(l);
	l = read_all(LS_TLOG_READ, &n);
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_tlog_add(l, f, &err), -1);
	assert_int_equal(err.status, LS_EUSAGE);
	ls_tlog_close(l);
}

/* ls_tlog_find() reading back from the end: what sends it the slow way, and that way's answer. */
static void
test_find_slow(void **state)
{
	struct ls_error err = { 0 };
	struct ls_tlog_rec r;
	struct ls_tlog *l;

	(void)state;
	put(head1, rec1, rec2);
	/* after reading: refused */
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	assert_int_equal(ls_tlog_next(l, &r, &err), 1);
	assert_int_equal(ls_tlog_find(l, 1, &r, &err), -1);
	assert_int_equal(err.status, LS_EUSAGE);
	assert_string_equal(err.msg, "ls_tlog_find() after reading");
	ls_tlog_close(l);
	/* a seq missing between the last two, the ticket before the gap: read forward, which names the gap's line */
	put(head1, rec1, "3,2026-11-26T09:05:00Z,T-000002,open,new,c,,normal,x,s,,\n");
	memset(&err, 0, sizeof(err));
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	assert_int_equal(ls_tlog_find(l, 1, &r, &err), -1);
	assert_int_equal(err.status, LS_EDATA);
	assert_int_equal(err.line, 4);
	ls_tlog_close(l);
	/* the last record does not parse (a hand edit): the same */
	put(head1, rec1, "2,2026-11-26T09:05,T-000001,note,new,c,,normal,x,,,\n");
	memset(&err, 0, sizeof(err));
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	assert_int_equal(ls_tlog_find(l, 1, &r, &err), -1);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.msg, "bad ts '2026-11-26T09:05' (expected RFC 3339)");
	ls_tlog_close(l);
	/* a quote left open in the tail: read forward, it is a torn tail, and the open before it is found */
	put(head1, rec1, "2,2026-11-26T09:05:00Z,T-000001,note,new,c,,normal,\"x,,,\n");
	memset(&err, 0, sizeof(err));
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	assert_int_equal(ls_tlog_find(l, 1, &r, &err), 1);
	assert_int_equal(r.seq, 1);
	{
		long tl;
		size_t tb;

		assert_int_equal(ls_tlog_torn(l, &tl, &tb), 1);
		assert_int_equal(tl, 4);
	}
	ls_tlog_close(l);
	/* no open read back to the header, and the first record not seq 1: forward says what is wrong */
	put(head1, "2,2026-11-26T09:00:00Z,T-000001,note,new,c,,normal,a,,,\n", "");
	memset(&err, 0, sizeof(err));
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	assert_int_equal(ls_tlog_find(l, 0, &r, &err), -1);
	assert_int_equal(err.status, LS_EDATA);
	assert_int_equal(err.line, 3);
	ls_tlog_close(l);
}

/* A folder where the log goes: "cannot open", for a reader and for a writer that would start one. */
static void
test_open_folder(void **state)
{
	struct ls_error err = { 0 };
	char sub[160];

	(void)state;
	snprintf(sub, sizeof(sub), "%s/log.d", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_null(ls_tlog_open(sub, LS_TLOG_CREATE, &err));
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(err.file, sub);
	assert_string_equal(err.msg, "cannot open: Is a directory");
	memset(&err, 0, sizeof(err));
	assert_null(ls_tlog_open(sub, LS_TLOG_READ, &err));
	assert_int_equal(err.status, LS_EIO);
	snprintf(sub, sizeof(sub), "%s/none.csv", dir);
	memset(&err, 0, sizeof(err));
	assert_null(ls_tlog_open(sub, LS_TLOG_WRITE, &err));
	assert_string_equal(err.msg, "no ticket log here (ticket-log open starts one)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_repair_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repair_lone_cr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v2_fields, setup, teardown),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test_setup_teardown(test_add_unread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_slow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_folder, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
