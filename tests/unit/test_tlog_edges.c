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
#include <unistd.h>

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_repair_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repair_lone_cr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_refusals, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
