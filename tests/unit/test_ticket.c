/*
 * test_ticket.c - the ticket event log: round trip of awkward fields, 8
 * processes appending 500 events each at once (the hash chain whole after), a write cut by the file
 * size limit, torn tails and batches cut short, bad quoting told where it is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "queue.h"
#include "ticket.h"

#define WRITERS	8
#define EVENTS	500

static char dir[64], path[128];

/*
 * Logs live in /dev/shm when there is one: on a busy disk each fsync can
 * take milliseconds, and 4000 of them (the concurrent case) would make the
 * test slow without testing more of the locking.
 */
static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/dev/shm/test_ticket.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		strcpy(dir, "/tmp/test_ticket.XXXXXX");
		if (mkdtemp(dir) == NULL)
			return -1;
	}
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

/* Fill f for one event of ticket id. */
static void
fields(struct ls_str *f, const char *id, const char *event, const char *status, const char *client,
    const char *text)
{
	for (int i = 0; i < LS_TC_NCOLS; i++)
		f[i] = S("");
	f[LS_TC_TS] = S("2026-11-26T09:00:00Z");
	f[LS_TC_ID] = S(id);
	f[LS_TC_EVENT] = S(event);
	f[LS_TC_STATUS] = S(status);
	f[LS_TC_CLIENT] = S(client);
	f[LS_TC_PRIORITY] = S("normal");
	f[LS_TC_TEXT] = S(text);
}

/* Read the whole log into q (NULL: just read); returns the number of events, -1 on error. */
static long
replay(struct ls_tlog *l, struct ls_queue *q)
{
	struct ls_tlog_rec r;
	struct ls_error err;
	long n = 0;
	int rc;

	memset(&err, 0, sizeof(err));
	while ((rc = ls_tlog_next(l, &r, &err)) > 0) {
		if (q && ls_queue_apply(q, &r, 1, path, &err) != 0)
			return -1;
		n++;
	}
	if (rc < 0)
		fprintf(stderr, "replay: %s:%ld: %s\n", err.file, err.line, err.msg);
	return rc < 0 ? -1 : n;
}

static void
test_round_trip(void **state)
{
	static const char *const texts[] = {
		"plain", "a, b", "say \"hi\"", "two\nlines", "cr\r\nlf", "", " spaces kept ",
		"\"", ",", "ООО \"Гамма\", Москва"
	};
	struct ls_error err;
	struct ls_str f[LS_TC_NCOLS];
	struct ls_tlog *l;
	struct ls_tlog_rec r;
	size_t n = sizeof(texts) / sizeof(texts[0]);

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_CREATE, &err));
	assert_int_equal(replay(l, NULL), 0);
	fields(f, "T-000001", "open", "new", "c", texts[0]);
	f[LS_TC_SUBJECT] = S("s");
	assert_int_equal(ls_tlog_add(l, f, &err), 1);
	for (size_t i = 1; i < n; i++) {
		fields(f, "T-000001", "note", "new", "c", texts[i]);
		assert_int_equal(ls_tlog_add(l, f, &err), (long long)i + 1);
	}
	assert_int_equal(ls_tlog_commit(l, &err), 0);
	ls_tlog_close(l);
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_READ, &err));
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ls_tlog_next(l, &r, &err), 1);
		assert_int_equal(r.seq, (long long)i + 1);
		assert_string_equal(r.f[LS_TC_TEXT].p, texts[i]);
		assert_int_equal(r.f[LS_TC_TEXT].n, strlen(texts[i]));
		char b[16];
		snprintf(b, sizeof(b), "%zu/10", i + 1);
		assert_string_equal(r.f[LS_TC_BATCH].p, b);
	}
	assert_int_equal(ls_tlog_next(l, &r, &err), 0);
	assert_int_equal(ls_tlog_torn(l, NULL, NULL), 0);
	assert_int_equal(ls_tlog_seq(l), (long long)n);
	assert_int_equal(ls_tlog_maxid(l), 1);
	ls_tlog_close(l);
}

/*
 * One writer: EVENTS appends, each its own lock, read, append, fsync, the
 * way ticket-log does one (ls_tlog_find() from the end); every 5th opens
 * a ticket, the others note on the writer's last one.
 */
static int
writer(int w)
{
	char client[16], id[16] = "", text[32];
	long last = 0;

	snprintf(client, sizeof(client), "w%d", w);
	for (int i = 0; i < EVENTS; i++) {
		struct ls_error err;
		struct ls_str f[LS_TC_NCOLS];
		struct ls_tlog_rec r;
		struct ls_tlog *l;
		int rc;

		memset(&err, 0, sizeof(err));
		if ((l = ls_tlog_open(path, LS_TLOG_CREATE, &err)) == NULL)
			return 1;
		rc = ls_tlog_find(l, i % 5 == 0 ? 0 : last, &r, &err);
		if (rc < 0 || (i % 5 != 0 && (rc != 1 || strcmp(r.f[LS_TC_CLIENT].p, client) != 0)))
			return 2;
		snprintf(text, sizeof(text), "%s n%d", client, i);
		if (i % 5 == 0) {
			last = (rc == 1 ? r.id : 0) + 1;
			ls_ticket_id_format(last, id, sizeof(id));
			fields(f, id, "open", "new", client, text);
		} else
			fields(f, id, "note", "new", client, text);
		if (ls_tlog_add(l, f, &err) < 0 || ls_tlog_commit(l, &err) != 0)
			return 3;
		ls_tlog_close(l);
	}
	return 0;
}

static void
test_concurrent_appends(void **state)
{
	struct ls_error err;
	struct ls_tlog *l;
	struct ls_tlog_rec r;
	pid_t pids[WRITERS];
	long per_ticket[WRITERS * EVENTS / 5 + 1];
	char owner[WRITERS * EVENTS / 5 + 1][16];
	long n = 0, opens = 0;
	int rc;

	(void)state;
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		assert_true(pids[w] >= 0);
		if (pids[w] == 0)
			_exit(writer(w));
	}
	for (int w = 0; w < WRITERS; w++) {
		int st;
		assert_int_equal(waitpid(pids[w], &st, 0), pids[w]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	memset(per_ticket, 0, sizeof(per_ticket));
	memset(&err, 0, sizeof(err));
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_READ, &err));
	/* each writer took the last record's hash under its lock: the chain holds end to end */
	ls_tlog_verify(l);
	while ((rc = ls_tlog_next(l, &r, &err)) > 0) {
		n++;
		/* the reader checks seq = previous + 1 and ids opened in order, so none repeats */
		assert_int_equal(r.seq, n);
		assert_true(r.id >= 1 && r.id <= WRITERS * EVENTS / 5);
		per_ticket[r.id]++;
		if (r.event == LS_EV_OPEN) {
			opens++;
			snprintf(owner[r.id], sizeof(owner[r.id]), "%s", r.f[LS_TC_CLIENT].p);
		} else
			assert_string_equal(owner[r.id], r.f[LS_TC_CLIENT].p);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(ls_tlog_torn(l, NULL, NULL), 0);
	ls_tlog_close(l);
	assert_int_equal(n, WRITERS * EVENTS);
	assert_int_equal(opens, WRITERS * EVENTS / 5);
	for (long id = 1; id <= opens; id++)
		assert_int_equal(per_ticket[id], 5);
}

static void
slurp(const char *p, char **buf, size_t *n)
{
	FILE *fp = fopen(p, "rb");

	assert_non_null(fp);
	*buf = malloc(1 << 20);
	*n = fread(*buf, 1, 1 << 20, fp);
	fclose(fp);
}

/* A commit the file size limit cuts short is taken back: the log is byte-identical. */
static void
test_write_limit(void **state)
{
	struct ls_error err;
	struct ls_str f[LS_TC_NCOLS];
	struct ls_tlog *l;
	char *before, *after;
	size_t nb, na;
	pid_t pid;
	int st;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_CREATE, &err));
	fields(f, "T-000001", "open", "new", "c", "first");
	ls_tlog_add(l, f, &err);
	assert_int_equal(ls_tlog_commit(l, &err), 0);
	ls_tlog_close(l);
	slurp(path, &before, &nb);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { (rlim_t)nb + 200, (rlim_t)nb + 200 };
		int rc;

		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0 || (l = ls_tlog_open(path, LS_TLOG_WRITE, &err)) == NULL ||
		    replay(l, NULL) != 1)
			_exit(10);
		for (int i = 0; i < 50; i++) {
			fields(f, "T-000001", "note", "new", "c", "a note of some length, to pass the limit");
			ls_tlog_add(l, f, &err);
		}
		rc = ls_tlog_commit(l, &err);
		_exit(rc == LS_EIO && strstr(err.msg, "write error") ? 0 : 11);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	slurp(path, &after, &na);
	assert_int_equal(na, nb);
	assert_memory_equal(after, before, nb);
	free(before);
	free(after);
	/* and the log goes on */
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	assert_int_equal(replay(l, NULL), 1);
	fields(f, "T-000001", "note", "new", "c", "after");
	assert_int_equal(ls_tlog_add(l, f, &err), 2);
	assert_int_equal(ls_tlog_commit(l, &err), 0);
	ls_tlog_close(l);
}

/* A torn tail is never handed out; a writer cuts it and goes on. */
static void
test_torn(void **state)
{
	struct ls_error err;
	struct ls_str f[LS_TC_NCOLS];
	struct ls_tlog *l;
	struct ls_tlog_rec r;
	long line;
	size_t bytes;
	FILE *fp;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_CREATE, &err));
	fields(f, "T-000001", "open", "new", "c", "");
	ls_tlog_add(l, f, &err);
	assert_int_equal(ls_tlog_commit(l, &err), 0);
	ls_tlog_close(l);
	/* a record cut inside a quoted field that holds a line break: ends with '\n', still torn */
	assert_non_null(fp = fopen(path, "a"));
	fputs("2,2026-11-26T09:00:00Z,T-000001,note,new,c,,normal,\"line one\n", fp);
	fclose(fp);
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_READ, &err));
	assert_int_equal(ls_tlog_next(l, &r, &err), 1);
	assert_int_equal(ls_tlog_next(l, &r, &err), 0);
	assert_int_equal(ls_tlog_torn(l, &line, &bytes), 1);
	assert_int_equal(line, 4);
	assert_int_equal(bytes, 61);
	ls_tlog_close(l);
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	assert_int_equal(replay(l, NULL), 1);
	fields(f, "T-000001", "note", "new", "c", "whole");
	assert_int_equal(ls_tlog_add(l, f, &err), 2);
	assert_int_equal(ls_tlog_commit(l, &err), 0);
	ls_tlog_close(l);
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_READ, &err));
	assert_int_equal(replay(l, NULL), 2);
	assert_int_equal(ls_tlog_torn(l, NULL, NULL), 0);
	ls_tlog_close(l);
}

/* Write text as the log's whole content after its first two lines. */
static void
put_log(const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fprintf(fp, "# ticket-log v1\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\n%s",
	    text);
	fclose(fp);
}

/* ls_tlog_find() from the end agrees with reading forward, quoted line breaks, batches and torn tails included. */
static void
test_find(void **state)
{
	static const char logtext[] =
	    "1,2026-11-26T09:00:00Z,T-000001,open,new,a,,normal,,s,,\n"
	    "2,2026-11-26T09:00:00Z,T-000002,open,new,b,,normal,,s,,\n"
	    /* a text whose second line looks like a record */
	    "3,2026-11-26T09:00:00Z,T-000001,note,new,a,,normal,\"x\n9,2026-11-26T09:00:00Z,T-000002,note,new,b,,normal,,,,\",,,\n"
	    "4,2026-11-26T09:00:00Z,T-000003,open,new,c,,high,,s,,1/2\n"
	    "5,2026-11-26T09:00:00Z,T-000001,reply,open,a,ivanov,normal,\"say \"\"hi\"\"\nand \"\"bye\"\"\",,,2/2\n";
	static const struct {
		long id;
		int found;
		long long seq;
		const char *client, *status;
	} cases[] = {
		{ 0, 1, 4, "c", "new" },	/* the newest ticket */
		{ 1, 1, 5, "a", "open" },
		{ 2, 1, 2, "b", "new" },	/* not the look-alike inside seq 3's text */
		{ 3, 1, 4, "c", "new" },
		{ 4, 0, 0, NULL, NULL },
	};
	struct ls_error err;

	(void)state;
	for (int torn = 0; torn < 3; torn++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct ls_tlog *l;
			struct ls_tlog_rec r;
			char buf[1024];
			int rc;

			/* torn 1: a record cut short; torn 2: a commit missing its last record */
			snprintf(buf, sizeof(buf), "%s%s", logtext,
			    torn == 1 ? "6,2026-11-26T09:00:00Z,T-000001,note,open,a,,normal,\"cut" :
			    torn == 2 ? "6,2026-11-26T09:00:00Z,T-000001,note,open,a,,normal,x,,,1/2\n" : "");
			put_log(buf);
			memset(&err, 0, sizeof(err));
			assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
			rc = ls_tlog_find(l, cases[i].id, &r, &err);
			assert_int_equal(rc, cases[i].found);
			assert_int_equal(ls_tlog_torn(l, NULL, NULL), torn != 0);
			assert_int_equal(ls_tlog_seq(l), 5);
			if (rc == 1) {
				assert_int_equal(r.seq, cases[i].seq);
				assert_string_equal(r.f[LS_TC_CLIENT].p, cases[i].client);
				assert_string_equal(r.f[LS_TC_STATUS].p, cases[i].status);
			}
			if (cases[i].id == 0)
				assert_int_equal(ls_tlog_maxid(l), 3);
			ls_tlog_close(l);
		}
	/* an append after a find goes on from the right seq, and the torn tail is cut */
	struct ls_str f[LS_TC_NCOLS];
	struct ls_tlog *l;
	struct ls_tlog_rec r;
	long n;

	memset(&err, 0, sizeof(err));
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	assert_int_equal(ls_tlog_find(l, 2, &r, &err), 1);
	fields(f, "T-000002", "reply", "open", "b", "after");
	assert_int_equal(ls_tlog_add(l, f, &err), 6);
	assert_int_equal(ls_tlog_commit(l, &err), 0);
	ls_tlog_close(l);
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_READ, &err));
	n = replay(l, NULL);
	assert_int_equal(n, 6);
	ls_tlog_close(l);
	/* an empty log: nothing found, seq 0 */
	put_log("");
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	assert_int_equal(ls_tlog_find(l, 0, &r, &err), 0);
	assert_int_equal(ls_tlog_seq(l), 0);
	ls_tlog_close(l);
}

/* Bad records in the middle are errors naming the line. */
static void
test_bad_records(void **state)
{
	static const struct {
		const char *rec, *msg;
	} cases[] = {
		{ "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,,s,,\n1,2026-11-26T09:00:00Z,T-000001,note,new,c,,normal,,,,\n",
		  "seq 1 out of order (expected 2)" },
		{ "1,yesterday,T-000001,open,new,c,,normal,,s,,\n", "bad ts 'yesterday' (expected RFC 3339)" },
		{ "1,2026-11-26T09:00:00Z,T-000002,open,new,c,,normal,,s,,\n", "T-000002 opened out of order (expected T-000001)" },
		{ "1,2026-11-26T09:00:00Z,T-000001,note,new,c,,normal,,s,,\n", "event for T-000001, which was never opened" },
		{ "1,2026-11-26T09:00:00Z,T-000001,opened,new,c,,normal,,s,,\n", "unknown event 'opened'" },
		{ "1,2026-11-26T09:00:00Z,T-000001,open,fresh,c,,normal,,s,,\n", "unknown status 'fresh'" },
		{ "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,asap,,s,,\n", "unknown priority 'asap'" },
		{ "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,,s,Fax,\n", "bad channel 'Fax'" },
		{ "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,,s,tele gram,\n", "bad channel 'tele gram'" },
		{ "1,2026-11-26T09:00:00Z,#1,open,new,c,,normal,,s,,\n", "bad ticket id '#1'" },
		{ "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,,s,,3/2\n", "bad batch '3/2'" },
		{ "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,\"a\"b,s,,\n", "bad quoting" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ls_error err;
		struct ls_tlog *l;
		struct ls_tlog_rec r;
		FILE *fp;
		int rc;

		assert_non_null(fp = fopen(path, "w"));
		fprintf(fp, "# ticket-log v1\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\n%s",
		    cases[i].rec);
		fclose(fp);
		memset(&err, 0, sizeof(err));
		assert_non_null(l = ls_tlog_open(path, LS_TLOG_READ, &err));
		while ((rc = ls_tlog_next(l, &r, &err)) > 0)
			;
		assert_int_equal(rc, -1);
		assert_int_equal(err.status, LS_EDATA);
		assert_true(err.line >= 3);
		if (strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, err.msg, cases[i].msg);
		ls_tlog_close(l);
	}
	unlink(path);
}

/*
 * The log is read as the library reads CSV (ls_csv_split_record()): bad
 * quoting is told at the line and column of the byte at fault, a record
 * spanning lines included; a quote inside a bare field is no longer text.
 */
static void
test_bad_quoting_place(void **state)
{
	static const char pre[] = "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,";
	static const struct {
		const char *rest, *msg;
		long line, col;
	} cases[] = {
		{ "5\"x\",s,,\n", "bad quoting: a quote inside a field that is not quoted", 3, 2 },
		{ "\"a\nbb\"c,s,,\n", "bad quoting: text after a closing quote", 4, 4 },
		{ "a\rb,s,,\n", "a carriage return outside quotes", 3, 2 },
		{ "\"a\r\nb\",s\"x\",,\n", "bad quoting: a quote inside a field that is not quoted", 4, 5 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ls_error err;
		struct ls_tlog *l;
		struct ls_tlog_rec r;
		char buf[256];
		int rc;

		snprintf(buf, sizeof(buf), "%s%s", pre, cases[i].rest);
		put_log(buf);
		memset(&err, 0, sizeof(err));
		assert_non_null(l = ls_tlog_open(path, LS_TLOG_READ, &err));
		while ((rc = ls_tlog_next(l, &r, &err)) > 0)
			;
		assert_int_equal(rc, -1);
		assert_int_equal(err.status, LS_EDATA);
		if (strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, err.msg, cases[i].msg);
		assert_int_equal(err.line, cases[i].line);
		/* the column counts from the line's start: the record's prefix on its first line */
		assert_int_equal(err.col, cases[i].col + (cases[i].line == 3 ? (long)strlen(pre) : 0));
		ls_tlog_close(l);
	}
	unlink(path);
}

/* A hand edit's CR LF line ends and blank lines: read, counted, and written away by ls_tlog_repair(). */
static void
test_hand_edited(void **state)
{
	static const char crlf[] = "# ticket-log v1\r\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\r\n"
	    "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,\"a\r\nb\",s,,\r\n\r\n"
	    "2,2026-11-26T09:00:00Z,T-000001,note,new,c,,normal,x,,,\r\n\n";
	static const char lf[] = "# ticket-log v1\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\n"
	    "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,\"a\nb\",s,,\n"
	    "2,2026-11-26T09:00:00Z,T-000001,note,new,c,,normal,x,,,\n";
	struct ls_error err = { 0 };
	struct ls_tlog *l;
	struct ls_tlog_rec r;
	char back[160], got[512];
	long ncr, nblank;
	FILE *fp;
	size_t n;

	(void)state;
	assert_non_null(fp = fopen(path, "w"));
	fputs(crlf, fp);
	fclose(fp);
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_WRITE, &err));
	assert_int_equal(ls_tlog_next(l, &r, &err), 1);
	assert_string_equal(r.f[LS_TC_TEXT].p, "a\nb");
	assert_int_equal(r.f[LS_TC_TEXT].n, 3);
	assert_int_equal(ls_tlog_next(l, &r, &err), 1);
	assert_int_equal(r.seq, 2);
	assert_int_equal(r.line, 6);
	assert_int_equal(ls_tlog_next(l, &r, &err), 0);
	ls_tlog_edits(l, &ncr, &nblank);
	assert_int_equal(ncr, 5);
	assert_int_equal(nblank, 2);
	snprintf(back, sizeof(back), "%s.bak", path);
	assert_int_equal(ls_tlog_repair(l, back, &err), 0);
	ls_tlog_close(l);
	assert_non_null(fp = fopen(path, "r"));
	n = fread(got, 1, sizeof(got) - 1, fp);
	got[n] = '\0';
	fclose(fp);
	assert_string_equal(got, lf);
	assert_non_null(fp = fopen(back, "r"));
	n = fread(got, 1, sizeof(got) - 1, fp);
	got[n] = '\0';
	fclose(fp);
	assert_string_equal(got, crlf);
}

/* A channel's name as the log holds it: any well-formed one is read, whatever the SLA file lists. */
static void
test_channels(void **state)
{
	static const struct {
		const char *name;
		int ok;
	} cases[] = {
		{ "", 1 }, { "phone", 1 }, { "telegram", 1 }, { "whatsapp", 1 }, { "vk-chat_2", 1 },
		{ "abcdefghijklmnopqrstuvwxyz012345", 1 }, { "abcdefghijklmnopqrstuvwxyz0123456", 0 },
		{ "Phone", 0 }, { "2gis", 0 }, { "-x", 0 }, { "tele gram", 0 }, { "чат", 0 },
	};
	struct ls_error err;
	struct ls_tlog *l;
	struct ls_tlog_rec r;
	FILE *fp;
	int n = 0, rc;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (ls_channel_valid(cases[i].name, strlen(cases[i].name)) != cases[i].ok)
			fail_msg("'%s': want %d", cases[i].name, cases[i].ok);
	/* a log written with a channel an SLA file allowed reads back without that file */
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp, "# ticket-log v1\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\n"
	    "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,,s,telegram,\n"
	    "2,2026-11-26T09:10:00Z,T-000001,priority,new,c,,urgent,,,,\n"
	    "3,2026-11-26T09:20:00Z,T-000001,reply,open,c,,urgent,ok,,whatsapp,\n");
	fclose(fp);
	memset(&err, 0, sizeof(err));
	assert_non_null(l = ls_tlog_open(path, LS_TLOG_READ, &err));
	while ((rc = ls_tlog_next(l, &r, &err)) > 0) {
		n++;
		if (n == 1)
			assert_string_equal(r.f[LS_TC_CHANNEL].p, "telegram");
		if (n == 2) {
			assert_int_equal(r.event, LS_EV_PRIORITY);
			assert_int_equal(r.priority, LS_PRIO_URGENT);
		}
	}
	if (rc != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(n, 3);
	ls_tlog_close(l);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_appends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_quoting_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hand_edited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channels, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
