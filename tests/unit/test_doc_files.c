/*
 * test_doc_files.c - where doc-render writes (doc_files.c) called directly:
 * folder and name joined, a document written into the current folder, into
 * folders a name makes (empty parts skipped), and refused over a folder; the
 * rendered copy beside a draft whose folder is gone or is a file; the
 * release's staging folder when a file or a link stands in its place.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc_int.h"
#include "document.h"

static char dir[64], old[PATH_MAX];

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_doc_files.XXXXXX");
	if (mkdtemp(dir) == NULL || getcwd(old, sizeof(old)) == NULL || chdir(dir) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	if (chdir(old) != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *
slurp(const char *file)
{
	static char b[256];
	FILE *fp = fopen(file, "rb");
	size_t n;

	assert_non_null(fp);
	n = fread(b, 1, sizeof(b) - 1, fp);
	b[n] = '\0';
	fclose(fp);
	return b;
}

static void
test_join(void **state)
{
	static const struct { const char *dir, *name, *want; } t[] = {
		{ "out", "D-1.html", "out/D-1.html" },
		{ "out///", "D-1.html", "out/D-1.html" },
		{ ".", "D-1.html", "D-1.html" },
		{ ".//", "D-1.html", "D-1.html" },
		{ "/", "D-1.html", "/D-1.html" },
		{ "a/.", "x", "a/./x" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *p = ls_doc_join(t[i].dir, t[i].name);

		assert_non_null(p);
		assert_string_equal(p, t[i].want);
		free(p);
	}
}

static void
test_write(void **state)
{
	struct ls_error err = { 0 };
	char *path;
	int exists;

	(void)state;
	/* no folder: the current one */
	assert_int_equal(ls_doc_write(NULL, "D-1.html", "one", 3, 0, &path, &exists, &err), 0);
	assert_string_equal(path, "D-1.html");
	assert_string_equal(slurp("D-1.html"), "one");
	free(path);
	/* folders made for a name, an empty part skipped */
	assert_int_equal(mkdir("out", 0700), 0);
	assert_int_equal(ls_doc_write("out", "ivanov//2026/D-2.html", "two", 3, 0, &path, &exists, &err), 0);
	assert_string_equal(path, "out/ivanov//2026/D-2.html");
	assert_string_equal(slurp("out/ivanov/2026/D-2.html"), "two");
	free(path);
	/* a folder where the document goes: refused, with or without --force */
	assert_int_equal(mkdir("out/D-3.html", 0700), 0);
	assert_int_equal(ls_doc_write("out", "D-3.html", "x", 1, 1, &path, &exists, &err), LS_EDATA);
	assert_string_equal(err.msg, "out/D-3.html is not a regular file");
	assert_null(path);
	assert_int_equal(exists, 0);
	/* a file where a folder of the name goes */
	assert_int_equal(ls_doc_write("out", "D-1x/a.html", "x", 1, 0, &path, &exists, &err), 0);
	free(path);
	assert_int_equal(ls_doc_write("out", "D-1x/a.html/b.html", "x", 1, 0, &path, &exists, &err), LS_EDATA);
	assert_string_equal(err.msg, "document name 'D-1x/a.html/b.html': out/D-1x/a.html is not a folder");
	/* the folder itself gone: an I/O error naming it */
	assert_int_equal(ls_doc_write("gone", "a/b.html", "x", 1, 0, &path, &exists, &err), LS_EIO);
	assert_string_equal(err.file, "gone/a");
	assert_string_equal(err.msg, "No such file or directory");
}

static void
test_keep_rendered(void **state)
{
	struct ls_error err = { 0 };
	char *copy;

	(void)state;
	assert_int_equal(ls_doc_keep_rendered("D-1.html", "one", 3, &copy, &err), 0);
	assert_string_equal(copy, LS_DOC_RENDERED "/D-1.html");
	assert_string_equal(slurp(copy), "one");
	free(copy);
	/* the draft's folder gone: the copy's folder cannot be made */
	assert_int_equal(ls_doc_keep_rendered("gone/D-1.html", "one", 3, &copy, &err), LS_EIO);
	assert_string_equal(err.file, "gone/" LS_DOC_RENDERED);
	assert_string_equal(err.msg, "No such file or directory");
	assert_null(copy);
	/* a file, or a link, in the copies' folder's place */
	assert_int_equal(mkdir("f", 0700), 0);
	fclose(fopen("f/" LS_DOC_RENDERED, "w"));
	assert_int_equal(ls_doc_keep_rendered("f/D-1.html", "one", 3, &copy, &err), LS_EDATA);
	assert_string_equal(err.msg, "not a folder: refused");
	assert_int_equal(mkdir("l", 0700), 0);
	assert_int_equal(symlink("..", "l/" LS_DOC_RENDERED), 0);
	assert_int_equal(ls_doc_keep_rendered("l/D-1.html", "one", 3, &copy, &err), LS_EDATA);
	assert_string_equal(err.msg, "a symbolic link: refused");
	assert_int_equal(access("D-1.html", F_OK), -1);	/* nothing written through it */
}

static void
test_staged(void **state)
{
	struct ls_error err = { 0 };
	char *path;

	(void)state;
	/* the outbox not there: the staging folder cannot be made */
	assert_int_equal(ls_doc_put_staged("nobox", "D-1.html", "x", 1, &path, &err), LS_EIO);
	assert_string_equal(err.file, "nobox/" LS_DOC_STAGE);
	assert_null(path);
	/* a file in the staging folder's place: refused, and left for clean to leave alone */
	assert_int_equal(mkdir("box", 0700), 0);
	fclose(fopen("box/" LS_DOC_STAGE, "w"));
	assert_int_equal(ls_doc_put_staged("box", "D-1.html", "x", 1, &path, &err), LS_EDATA);
	assert_string_equal(err.msg, "not a folder: refused");
	assert_int_equal(ls_doc_stage_clean("box", 1, &err), 0);
	assert_int_equal(access("box/" LS_DOC_STAGE, F_OK), 0);
	assert_int_equal(unlink("box/" LS_DOC_STAGE), 0);
	/* a good one: the copy in the outbox, the staging folder emptied then removed */
	assert_int_equal(ls_doc_put_staged("box", "D-1.html", "x", 1, &path, &err), 0);
	assert_string_equal(path, "box/D-1.html");
	assert_string_equal(slurp(path), "x");
	free(path);
	fclose(fopen("box/" LS_DOC_STAGE "/D-2.html.tmp1a2b3c", "w"));
	assert_int_equal(ls_doc_stage_clean("box", 0, &err), 0);
	assert_int_equal(access("box/" LS_DOC_STAGE "/D-2.html.tmp1a2b3c", F_OK), -1);
	assert_int_equal(access("box/" LS_DOC_STAGE, F_OK), 0);
	assert_int_equal(ls_doc_stage_clean("box", 1, &err), 0);
	assert_int_equal(access("box/" LS_DOC_STAGE, F_OK), -1);
	/* the copy's name a folder in the staging folder: refused, the outbox untouched */
	assert_int_equal(mkdir("box/" LS_DOC_STAGE, 0700), 0);
	assert_int_equal(mkdir("box/" LS_DOC_STAGE "/D-3.html", 0700), 0);
	assert_int_not_equal(ls_doc_put_staged("box", "D-3.html", "x", 1, &path, &err), 0);
	assert_int_equal(access("box/D-3.html", F_OK), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_join),
		cmocka_unit_test_setup_teardown(test_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_rendered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_staged, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
