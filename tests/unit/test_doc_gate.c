/*
 * test_doc_gate.c - doc-render's gate (doc_gate.c) called directly: a
 * document read from inside the manifest's folder (ls_doc_read_in()'s
 * refusals: empty, absolute, "..", a name too long, not a regular file, a
 * folder that is not there), the rendered copy's name, who may approve
 * (company.yaml's approvers: as a list, as a mapping with and without
 * logins, and wrong), and the difference an approver is shown.
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

#include "buf.h"
#include "chain.h"
#include "doc_int.h"
#include "document.h"

static char dir[64], ctx[128];

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_doc_gate.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(ctx, sizeof(ctx), "%s/company.yaml", dir);
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
put(const char *name, const char *text)
{
	char p[256];
	FILE *fp;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_non_null(fp = fopen(p, "w"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void
test_read_in(void **state)
{
	struct ls_error err = { 0 };
	char *buf, longname[400], nodir[128];
	size_t len = 0;
	int missing;
	struct stat st;

	(void)state;
	put("a.html", "<p>1</p>\n");
	assert_int_equal(mkdir(strcat(strcpy(nodir, dir), "/sub"), 0700), 0);
	put("sub/b.html", "<p>2</p>\n");
	/* "." and empty parts are skipped: ./sub//b.html is sub/b.html */
	assert_int_equal(ls_doc_read_in(dir, "./sub//b.html", &buf, &len, &missing, &st, &err), 0);
	assert_int_equal(len, 9);
	assert_memory_equal(buf, "<p>2</p>\n", 9);
	assert_int_equal(st.st_size, 9);
	free(buf);
	assert_int_equal(ls_doc_read_in(dir, "a.html", &buf, &len, &missing, NULL, &err), 0);
	free(buf);
	/* refusals, each LS_EDATA with its words, nothing read */
	assert_int_equal(ls_doc_read_in(dir, "", &buf, &len, &missing, NULL, &err), LS_EDATA);
	assert_string_equal(err.msg, "the file name is empty");
	assert_null(buf);
	assert_int_equal(ls_doc_read_in(dir, "/etc/passwd", &buf, &len, &missing, NULL, &err), LS_EDATA);
	assert_int_equal(ls_doc_read_in(dir, "sub/../a.html", &buf, &len, &missing, NULL, &err), LS_EDATA);
	assert_string_equal(err.msg, "sub/../a.html holds '..': documents are named inside the manifest's folder");
	assert_int_equal(ls_doc_read_in(dir, "sub", &buf, &len, &missing, NULL, &err), LS_EDATA);
	assert_string_equal(err.msg, "sub is not a regular file: refused");
	assert_int_equal(missing, 0);
	assert_int_equal(ls_doc_read_in(dir, "a.html/x", &buf, &len, &missing, NULL, &err), LS_EDATA);
	assert_string_equal(err.msg, "a.html/x: a.html is a symbolic link or not a folder: refused");
	assert_int_equal(ls_doc_read_in(dir, "nope.html", &buf, &len, &missing, NULL, &err), LS_EDATA);
	assert_string_equal(err.msg, "nope.html: file missing");
	assert_int_equal(missing, 1);
	/* a name longer than the system's limit for one: the file's fault, not the system's */
	memset(longname, 'x', 300);
	strcpy(longname + 300, ".html");
	assert_int_equal(ls_doc_read_in(dir, longname, &buf, &len, &missing, NULL, &err), LS_EDATA);
	assert_non_null(strstr(err.msg, ": File name too long"));
	assert_int_equal(missing, 0);
	/* the manifest's folder itself gone: an I/O error naming it */
	snprintf(nodir, sizeof(nodir), "%s/gone", dir);
	assert_int_equal(ls_doc_read_in(nodir, "a.html", &buf, &len, &missing, NULL, &err), LS_EIO);
	assert_string_equal(err.file, nodir);
	assert_string_equal(err.msg, "No such file or directory");
}

static void
test_rendered_name(void **state)
{
	char *p;

	(void)state;
	assert_non_null(p = ls_doc_rendered_name("D-1.html"));
	assert_string_equal(p, LS_DOC_RENDERED "/D-1.html");
	free(p);
	assert_non_null(p = ls_doc_rendered_name("2026/12/D-1.html"));
	assert_string_equal(p, "2026/12/" LS_DOC_RENDERED "/D-1.html");
	free(p);
}

static int
check(const char *yaml, const char *by, const char *login, int *verified, struct ls_error *err)
{
	if (yaml)
		put("company.yaml", yaml);
	memset(err, 0, sizeof(*err));
	*verified = -1;
	return ls_approver_check(yaml ? ctx : NULL, by, login, verified, err);
}

static void
test_approvers(void **state)
{
	struct ls_error err;
	int v;

	(void)state;
	/* no context, or none configured: any name, unverified */
	assert_int_equal(check(NULL, "ivanov", "root", &v, &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(check("seller:\n  name: X\n", "ivanov", "root", &v, &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(check("", "ivanov", "root", &v, &err), 0);	/* an empty context */
	assert_int_equal(v, 0);
	assert_int_equal(check("- a\n- b\n", "ivanov", "root", &v, &err), LS_ECONFIG);
	assert_non_null(strstr(err.msg, "expected a mapping (key: value lines) at the top, got a sequence"));
	assert_int_equal(check(NULL, "iva\tnov", "root", &v, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "--by holds a control character");
	/* a list: listed names pass unverified, others are refused */
	assert_int_equal(check("approvers: [petrova, ivanov]\n", "ivanov", "root", &v, &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(check("approvers: [petrova, ivanov]\n", "sidorov", "root", &v, &err), LS_EUSAGE);
	assert_non_null(strstr(err.msg, "--by sidorov: not an approver in "));
	assert_int_equal(check("approvers: [petrova, {x: 1}]\n", "ivanov", "root", &v, &err), LS_ECONFIG);
	/* a mapping: a login to match, or none */
	assert_int_equal(check("approvers:\n  ivanov: {login: ivanov}\n  petrova: {}\n  sidorov: x\n",
	    "ivanov", "ivanov", &v, &err), 0);
	assert_int_equal(v, 1);
	assert_int_equal(check("approvers:\n  ivanov: {login: ivanov}\n", "ivanov", "root", &v, &err),
	    LS_EUSAGE);
	assert_string_equal(err.msg,
	    "--by ivanov: the approver's login is ivanov, and this is root's: approve as yourself");
	assert_int_equal(v, 0);
	assert_int_equal(check("approvers:\n  ivanov: {login: ivanov}\n  petrova: {}\n", "petrova", "root",
	    &v, &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(check("approvers:\n  ivanov: {login: ivanov}\n  sidorov: x\n", "sidorov", "root",
	    &v, &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(check("approvers:\n  ivanov: {login: [a]}\n", "ivanov", "root", &v, &err),
	    LS_ECONFIG);
	assert_int_equal(check("approvers:\n  ivanov: {login: ivanov}\n", "nobody", "root", &v, &err),
	    LS_EUSAGE);
	/* neither a list nor a mapping */
	assert_int_equal(check("approvers: ivanov\n", "ivanov", "root", &v, &err), LS_ECONFIG);
	assert_non_null(strstr(err.msg, "approvers: expected a list of names or a mapping of names to {login: LOGIN}"));
	assert_int_equal(err.line, 1);
	/* a file that is not YAML */
	assert_int_not_equal(check("approvers: [a\n", "a", "root", &v, &err), 0);
}

static char *
shown(const char *old, size_t on, const char *now, size_t nn)
{
	static char out[1024];
	FILE *fp = fmemopen(out, sizeof(out), "w");

	assert_non_null(fp);
	ls_approve_print_change(fp, "D-1", "D-1.html", old, on, now, nn);
	fclose(fp);
	return out;
}

static void
test_print_change(void **state)
{
	(void)state;
	assert_string_equal(shown("a\0b", 3, "ab", 2),
	    "--- D-1 (as rendered)\n+++ D-1.html (to approve)\nbinary file changed (3 bytes as rendered, 2 bytes to approve)\n");
	assert_string_equal(shown("ab", 2, "a\0c", 3),
	    "--- D-1 (as rendered)\n+++ D-1.html (to approve)\nbinary file changed (2 bytes as rendered, 3 bytes to approve)\n");
	/* the isolates U+2066..2069 and a DEL shown as what they are; U+2065 (unassigned) and U+2070 as they are */
	assert_non_null(strstr(shown("x\n", 2, "\xe2\x81\xa6" "1\xe2\x81\xa9\x7f\xe2\x81\xa5\xe2\x81\xb0\n", 15),
	    "+<U+2066>1<U+2069>\\x7f\xe2\x81\xa5\xe2\x81\xb0\n"));
}

static const char sha_a[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char sha_b[] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
static const char sha_p[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/* Append one record to the journal as the chain holds it, past the journal's own checks (another version's). */
static void
raw_record(const char *mf, const char *event, const char *sha, const char *why)
{
	const char *v[LS_J_NFIELDS] = { "2026-11-26T10:00:00Z", event, "D-1", sha, "ivanov", "root", why };
	struct ls_str f[LS_J_NFIELDS];
	struct ls_error err = { 0 };
	struct ls_journal *j = ls_journal_open(mf, 1, &err);

	assert_non_null(j);
	for (int i = 0; i < LS_J_NFIELDS; i++) {
		f[i].p = v[i];
		f[i].n = strlen(v[i]);
	}
	assert_int_equal(ls_chain_add(j->c, f, &err), 0);
	assert_int_equal(ls_chain_commit(j->c, &err), 0);
	ls_journal_close(j);
}

/*
 * The journal's records read back: a printed record only of the hash
 * released last and with its PDF's hash; a hash field of 64 digits; kinds
 * this version does not know kept and skipped.  Each refusal names its line.
 */
static void
test_journal_records(void **state)
{
	struct ls_error err = { 0 };
	struct ls_buf why = { 0 };
	struct ls_journal *j;
	const struct ls_jdoc *d;
	char mf[160], jp[180];

	(void)state;
	snprintf(mf, sizeof(mf), "%s/m.csv", dir);
	snprintf(jp, sizeof(jp), "%s.journal", mf);
	assert_int_equal(ls_journal_printed_why(&why, sha_p, "D-1.pdf"), 0);
	/* through ls_journal_add(): refused at once, before anything is committed */
	assert_non_null(j = ls_journal_open(mf, 1, &err));
	assert_int_equal(ls_journal_add(j, "t", "reviewed", "D-1", "x", "", "", "", &err), 0);
	assert_null(ls_journal_doc(j, "D-1"));	/* a kind not known: kept, nothing learnt */
	assert_int_equal(ls_journal_add(j, "t", "approved", "D-1", "abc", "ivanov", "root", "", &err), LS_EDATA);
	assert_string_equal(err.msg, "the sha256 field is not 64 hex digits");
	assert_int_equal(ls_journal_add(j, "t", "printed", "D-1", sha_a, "", "root", why.p, &err), LS_EDATA);
	assert_string_equal(err.msg, "D-1 printed from sha256 aaaaaaaaaaaa..., which the journal did not release last");
	ls_journal_close(j);
	/* approved, released, printed: what a release --pdf writes, read back */
	raw_record(mf, "approved", sha_a, "");
	raw_record(mf, "released", sha_a, "");
	raw_record(mf, "printed", sha_a, why.p);
	assert_non_null(j = ls_journal_open(mf, 0, &err));
	assert_non_null(d = ls_journal_doc(j, "D-1"));
	assert_true(d->released && d->printed);
	assert_string_equal(d->pdf_sha, sha_p);
	ls_journal_close(j);
	/* a printed record of another hash than the one released */
	raw_record(mf, "printed", sha_b, why.p);
	assert_null(ls_journal_open(mf, 0, &err));
	assert_int_equal(err.status, LS_EDATA);
	assert_string_equal(err.file, jp);
	assert_int_equal(err.line, 5);
	assert_string_equal(err.msg, "D-1 printed from sha256 bbbbbbbbbbbb..., which the journal did not release last");
	unlink(jp);
	/* a printed record whose why is not the PDF's hash */
	raw_record(mf, "released", sha_a, "");
	raw_record(mf, "printed", sha_a, "pdf_sha256=xyz file=D-1.pdf");
	assert_null(ls_journal_open(mf, 0, &err));
	assert_int_equal(err.line, 3);
	assert_string_equal(err.msg, "a printed record without 'pdf_sha256=' and 64 hex digits");
	unlink(jp);
	/* a hash field cut short */
	raw_record(mf, "released", "abc", "");
	assert_null(ls_journal_open(mf, 0, &err));
	assert_int_equal(err.line, 2);
	assert_string_equal(err.msg, "the sha256 field is not 64 hex digits");
	unlink(jp);
	ls_buf_free(&why);
}

/* verify: a row the manifest calls released needs the journal's release of its approved hash. */
static void
test_verify_release(void **state)
{
	struct ls_error err = { 0 };
	char mf[160], row[300], last[65];
	long nrec = -1;

	(void)state;
	snprintf(mf, sizeof(mf), "%s/m.csv", dir);
	snprintf(row, sizeof(row), "doc_id,file,template,status,sha256,rendered_at,approved_by,approved_at\n"
	    "D-1,D-1.html,t.html,released,%s,2026-11-26T09:00:00Z,ivanov,2026-11-26T10:00:00Z\n", sha_a);
	put("m.csv", row);
	raw_record(mf, "approved", sha_a, "");
	assert_int_equal(ls_manifest_verify(mf, last, &nrec, &err), LS_EDATA);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.msg, "D-1 is released in the manifest, and the journal has no release of it");
	/* a release of another hash is none either */
	raw_record(mf, "released", sha_b, "");
	assert_int_equal(ls_manifest_verify(mf, last, &nrec, &err), LS_EDATA);
	raw_record(mf, "approved", sha_a, "");
	raw_record(mf, "released", sha_a, "");
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_manifest_verify(mf, last, &nrec, &err), 0);
	assert_int_equal(nrec, 4);
	assert_int_equal(strlen(last), 64);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_in, setup, teardown),
		cmocka_unit_test(test_rendered_name),
		cmocka_unit_test_setup_teardown(test_approvers, setup, teardown),
		cmocka_unit_test(test_print_change),
		cmocka_unit_test_setup_teardown(test_journal_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_release, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
