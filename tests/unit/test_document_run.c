/*
 * test_document_run.c - a rendering run (doc_render.c: unique ids and
 * names, the manifest's draft rows, kept documents), approval with the
 * pinned clock and release with its report (doc_manifest.c, doc_release.c).
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

#include "clock.h"
#include "document.h"

static char dir[64];

static const char *
at(const char *name)
{
	static char path[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
	return path[k];
}

static void
put(const char *name, const char *text)
{
	FILE *fp;

	assert_non_null(fp = fopen(at(name), "wb"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static char *
slurp(const char *path)
{
	static char buf[4096];
	FILE *fp;
	size_t n;

	assert_non_null(fp = fopen(path, "rb"));
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* A record of the row "id,amount" from rows.csv at line. */
struct row {
	struct ls_str f[2];
	struct ls_record rec;
};

static const struct ls_record *
row(struct row *r, const char *id, const char *amount, long line)
{
	r->f[0] = (struct ls_str){ id, strlen(id) };
	r->f[1] = (struct ls_str){ amount, strlen(amount) };
	r->rec = (struct ls_record){ .nfields = 2, .fields = r->f, .file = "rows.csv", .line = line };
	return &r->rec;
}

/* The rows' header, from a file: the run borrows the reader's. */
static struct ls_reader *
rows(void)
{
	struct ls_reader_opts ro = { 0 };
	const char *paths[1];
	struct ls_error e;
	struct ls_reader *in;

	put("rows.csv", "deal_id,amount\n");
	paths[0] = at("rows.csv");
	assert_non_null(in = ls_reader_open(paths, 1, &ro, &e));
	return in;
}

/* A run over a template in dir, writing its manifest to mf. */
static struct ls_render *
start(const char *name_pattern, const char *id_col, int force, FILE *mf, struct ls_writer **w,
    struct ls_reader **in)
{
	struct ls_render_opts o = { 0 };
	struct ls_writer_opts wo = { .format = LS_FMT_CSV };
	struct ls_error e = { 0 };
	struct ls_render *r;

	put("t.html", "<p>{{deal_id}} {{amount}}</p>\n");
	o.template_path = at("t.html");
	o.dir = at("out");
	o.name_pattern = name_pattern;
	o.id_col = id_col;
	o.force = force;
	o.mustache.escape = ls_escape_for_path(o.template_path);
	assert_non_null(r = ls_render_open(&o, &e));
	assert_non_null(*w = ls_writer_open(NULL, mf, &wo, &e));
	*in = rows();
	assert_int_equal(ls_render_start(r, *in, *w, &e), 0);
	return r;
}

static void
test_render_rows(void **state)
{
	struct ls_error e = { 0 };
	struct ls_writer *w;
	struct ls_reader *in;
	struct ls_render *r;
	struct row a;
	char *text, want[512];
	size_t n;
	FILE *mf;
	int kept;

	(void)state;
	setenv("TZ", "UTC", 1);
	ls_clock_set(1796000000);
	assert_non_null(mf = open_memstream(&text, &n));
	r = start(NULL, NULL, 0, mf, &w, &in);
	assert_int_equal(ls_render_row(r, row(&a, "D-1", "5 & 6", 2), &kept, &e), 0);
	assert_int_equal(kept, 0);
	/* the same doc_id again: refused naming both lines */
	assert_int_equal(ls_render_row(r, row(&a, "D-1", "7", 3), &kept, &e), LS_EDATA);
	assert_string_equal(e.file, "rows.csv");
	assert_int_equal(e.line, 3);
	assert_string_equal(e.msg, "doc_id 'D-1' repeats the one of line 2");
	assert_int_equal(ls_render_row(r, row(&a, "", "7", 4), &kept, &e), LS_EDATA);
	assert_string_equal(e.msg, "empty doc_id (column deal_id)");
	assert_int_equal(ls_render_sync(r, &e), 0);
	ls_writer_flush(w, NULL);
	ls_writer_free(w);
	fclose(mf);
	/* the draft row in ls_manifest_cols' order, the hash of the escaped document */
	snprintf(want, sizeof want, "doc_id,file,template,status,sha256,rendered_at,approved_by,approved_at\n"
	    "D-1,%s,%s,draft,%s,2026-11-30T00:53:20+00:00,,\n", at("out/D-1.html"), at("t.html"),
	    "a1b7c9e3ab8bdcd7df902579e95be47488d1912d2cc49812e82aa8d28c3e117f");
	assert_string_equal(text, want);
	free(text);
	ls_render_free(r);
	ls_reader_free(in);
	assert_string_equal(slurp(at("out/D-1.html")), "<p>D-1 5 &amp; 6</p>\n");
}

static void
test_render_manifest_row(void **state)
{
	struct ls_error e = { 0 };
	struct ls_writer *w;
	struct ls_reader *in;
	struct ls_render *r;
	struct row a;
	char *text, want[512];
	size_t n;
	FILE *mf;
	int kept;

	(void)state;
	setenv("TZ", "UTC", 1);
	ls_clock_set(1796000000);
	assert_non_null(mf = open_memstream(&text, &n));
	r = start("{{amount}}.txt", "deal_id", 1, mf, &w, &in);
	assert_int_equal(ls_render_row(r, row(&a, "A", "x", 2), &kept, &e), 0);
	/* a second row giving the same file name */
	assert_int_equal(ls_render_row(r, row(&a, "B", "x", 3), &kept, &e), LS_EDATA);
	assert_string_equal(e.msg, "document name 'x.txt' is the one of line 2");
	/* a name leaving the folder: the row is named after the reason */
	assert_int_equal(ls_render_row(r, row(&a, "C", "../y", 4), &kept, &e), LS_EDATA);
	assert_non_null(strstr(e.msg, "holds '..'"));
	assert_non_null(strstr(e.msg, " (row rows.csv:4)"));
	assert_int_equal(ls_render_sync(r, &e), 0);
	ls_writer_flush(w, NULL);
	ls_writer_free(w);
	fclose(mf);
	snprintf(want, sizeof want, "doc_id,file,template,status,sha256,rendered_at,approved_by,approved_at\n"
	    "A,%s,%s,draft,%s,2026-11-30T00:53:20+00:00,,\n", at("out/x.txt"), at("t.html"),
	    "15ab80d7a3f2c106e269191f726e140d8e9afe05b12f7518224aa734b6777e2a");
	assert_string_equal(text, want);
	free(text);
	ls_render_free(r);
	ls_reader_free(in);
}

static void
test_render_kept_and_refused(void **state)
{
	struct ls_render_opts o = { 0 };
	struct ls_error e = { 0 };
	struct ls_writer *w;
	struct ls_reader *in;
	struct ls_render *r;
	struct row a;
	char *text;
	size_t n;
	FILE *mf;
	int kept;

	(void)state;
	assert_non_null(mf = open_memstream(&text, &n));
	r = start("k.txt", NULL, 0, mf, &w, &in);
	put("out/k.txt", "old");
	assert_int_equal(ls_render_row(r, row(&a, "K", "1", 5), &kept, &e), 0);
	assert_int_equal(kept, 1);
	assert_int_equal(ls_render_kept(r), 1);
	assert_string_equal(e.file, "rows.csv");
	assert_int_equal(e.line, 5);
	assert_non_null(strstr(e.msg, "exists: kept (--force replaces it)"));
	assert_string_equal(slurp(at("out/k.txt")), "old");
	ls_writer_free(w);
	fclose(mf);
	free(text);
	ls_render_free(r);
	ls_reader_free(in);

	/* --id naming no column, a template that is not there, a folder that cannot be made */
	put("t.txt", "x");
	o.template_path = at("t.txt");
	o.id_col = "nope";
	assert_non_null(r = ls_render_open(&o, &e));
	in = rows();
	assert_int_equal(ls_render_start(r, in, NULL, &e), LS_EUSAGE);
	assert_string_equal(e.msg, "input has no column 'nope' (needed by --id)");
	ls_render_free(r);
	ls_reader_free(in);
	o.template_path = at("none.txt");
	assert_null(ls_render_open(&o, &e));
	assert_int_equal(ls_exit_status(e.status), 2);
	o.template_path = at("t.txt");
	o.dir = at("t.txt/sub");
	assert_null(ls_render_open(&o, &e));
	assert_int_equal(e.status, LS_EIO);
	ls_render_free(NULL);
}

/* sha256 of "A\n" and "B\n" */
#define SHA_A "06f961b802bc46ee168555f066d28f4f0e9afdf3f88174c1ee6f9de004fc30a0"
#define SHA_B "c0cde77fa8fef97d476c10aad3d2d54fcc2f336140d073651c2dcccf1e379fd6"

static const char drafts[] =
    "doc_id,file,template,status,sha256,rendered_at,approved_by,approved_at\n"
    "A,a.md,t,draft," SHA_A ",2026-11-26T10:00:00Z,,\n"
    "B,b.md,t,draft," SHA_B ",2026-11-26T10:00:00Z,,\n";

static int shown;

static void
count_change(void *arg, const char *id, const char *file, const char *old, size_t on,
    const char *now, size_t nn)
{
	(void)arg, (void)file, (void)old, (void)on, (void)now, (void)nn;
	assert_string_equal(id, "A");
	shown++;
}

static void
test_approve_release(void **state)
{
	struct ls_error e = { 0 };
	struct ls_writer_opts wo = { .format = LS_FMT_CSV };
	struct ls_approve_opts ivanov = { .by = "ivanov", .login = "ivanov" };
	struct ls_approve_opts petrov = { .by = "petrov", .login = "petrov", .show_change = count_change };
	struct ls_manifest *m;
	struct ls_writer *w;
	char *report, b_id[] = "B", z_id[] = "Z", *ids[] = { b_id }, *unknown[] = { z_id };
	size_t n, nr, len;
	FILE *fp;

	(void)state;
	setenv("TZ", "UTC", 1);
	ls_clock_set(1796000000);
	put("a.md", "A\n");
	put("b.md", "B\n");
	mkdir(at(".rendered"), 0777);
	put(".rendered/a.md", "A\n");
	put(".rendered/b.md", "B\n");
	put("m.csv", drafts);
	assert_non_null(m = ls_manifest_open(at("m.csv"), &e));
	assert_int_equal(ls_manifest_approve(m, &ivanov, unknown, 1, &n, &nr, &e), LS_EDATA);
	assert_string_equal(e.msg, "no document 'Z' in the manifest");
	assert_int_equal(ls_manifest_approve(m, &ivanov, ids, 1, &n, &nr, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(nr, 0);
	assert_int_equal(ls_manifest_approved_now(m, 0), 0);
	assert_int_equal(ls_manifest_approved_now(m, 1), 1);
	assert_string_equal(ls_manifest_get(m, 1, LS_MF_STATUS), "approved");
	assert_string_equal(ls_manifest_get(m, 1, LS_MF_APPROVED_BY), "ivanov");
	/* the time is the clock's, pinned, in the zone of TZ */
	assert_string_equal(ls_manifest_get(m, 1, LS_MF_APPROVED_AT), "2026-11-30T00:53:20+00:00");
	assert_string_equal(ls_manifest_get(m, 1, LS_MF_SHA256), SHA_B);
	assert_int_equal(ls_manifest_save(m, &e), 0);

	assert_int_equal(ls_manifest_release(m, at("outbox"), &e), 0);
	assert_int_equal(ls_manifest_release_result(m, 0), LS_REL_UNAPPROVED);
	assert_int_equal(ls_manifest_release_result(m, 1), LS_REL_RELEASED);
	assert_true(ls_release_refused(LS_REL_CHANGED));
	assert_false(ls_release_refused(LS_REL_ALREADY));
	assert_string_equal(ls_release_reason(LS_REL_CHANGED), "changed after approval (sha256 differs)");
	assert_string_equal(ls_release_reason(LS_REL_CONFLICT), "the outbox holds another file of that name");
	assert_string_equal(ls_release_reason((enum ls_release_result)99), "?");
	assert_string_equal(slurp(at("outbox/b.md")), "B\n");
	assert_non_null(fp = open_memstream(&report, &len));
	assert_non_null(w = ls_writer_open(NULL, fp, &wo, &e));
	assert_int_equal(ls_release_write_report(w, m), 0);
	ls_writer_flush(w, NULL);
	ls_writer_free(w);
	fclose(fp);
	assert_string_equal(report, "doc_id,file,result,reason\nA,a.md,refused,not approved\nB,b.md,released,\n");
	free(report);
	/* A edited before approval: refused, recorded, not approved */
	put("a.md", "A, edited\n");
	assert_int_equal(ls_manifest_approve(m, &petrov, NULL, 0, &n, &nr, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(nr, 1);
	assert_non_null(strstr(ls_manifest_refusal(m, 0), "a.md changed since it was rendered"));
	assert_int_equal(shown, 0);
	/* ... unless the approver accepts the changes, after being shown them */
	petrov.accept_changes = 1;
	assert_int_equal(ls_manifest_approve(m, &petrov, NULL, 0, &n, &nr, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(shown, 1);
	assert_int_equal(ls_manifest_approved_now(m, 0), 1);
	/* then edited again after approval: release refuses it */
	put("a.md", "A, edited twice\n");
	assert_int_equal(ls_manifest_release(m, at("outbox"), &e), 0);
	assert_int_equal(ls_manifest_release_result(m, 0), LS_REL_CHANGED);
	assert_int_equal(ls_manifest_release_result(m, 1), LS_REL_ALREADY);
	/* a released document cannot be approved again */
	assert_int_equal(ls_manifest_approve(m, &petrov, ids, 1, &n, &nr, &e), LS_EDATA);
	assert_string_equal(e.msg, "B is released already");
	ls_manifest_free(m);
	/* approve and release start by locking: a manifest that is not there */
	assert_null(ls_manifest_open(at("none.csv"), &e));
	assert_int_equal(e.status, LS_EIO);
	assert_string_equal(e.msg, "No such file or directory");
}

static int
setup(void **state)
{
	char p[96];

	(void)state;
	strcpy(dir, "/tmp/test_document_run.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(p, sizeof p, "%s/out", dir);
	return mkdir(p, 0777);
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_rows),
		cmocka_unit_test(test_render_manifest_row),
		cmocka_unit_test(test_render_kept_and_refused),
		cmocka_unit_test(test_approve_release),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
