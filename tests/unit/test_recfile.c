/* test_recfile.c - first lines, the tab escape, numbered lines of a stream or memory, appends, torn tails. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "recfile.h"

static void
test_head(void **state)
{
	struct ls_error err;
	int ver = 0;

	(void)state;
	assert_int_equal(ls_recfile_head_check("# x v1", 6, "# x v", 2, "an x file", "f", &ver, &err), 0);
	assert_int_equal(ver, 1);
	assert_int_equal(ls_recfile_head_check("# x v2", 6, "# x v", 2, "an x file", "f", &ver, &err), 0);
	assert_int_equal(ver, 2);
	assert_int_equal(ls_recfile_head_check("# x v3", 6, "# x v", 2, "an x file", "f", &ver, &err),
	    LS_EDATA);
	assert_string_equal(err.msg, "written by a newer version (format v3; this one reads up to v2)");
	assert_int_equal(err.line, 1);
	/* no digits, a leading zero, trailing bytes, another file: not one */
	static const char *const bad[] = { "# x v", "# x v01", "# x v1 ", "# x v1x", "# y v1", "", "lead_id,phone" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ls_recfile_head_check(bad[i], strlen(bad[i]), "# x v", 2, "an x file", "f",
		    &ver, &err), LS_EDATA);
		assert_string_equal(err.msg, "not an x file (its first line should be '# x v2')");
	}
	/* a huge version number does not overflow into a small one */
	assert_int_equal(ls_recfile_head_check("# x v99999999999999999999", 25, "# x v", 2, "an x file",
	    "f", &ver, &err), LS_EDATA);
}

static void
test_tsv_round_trip(void **state)
{
	static const char *const vals[] = { "", "plain", "a\tb", "line\nbreak", "cr\r", "back\\slash",
		"\\t literally", "Ромашка «ООО»", "\t\n\r\\" };
	char out[64], line[512];
	struct ls_str f[16];
	size_t n = 0, nv = sizeof(vals) / sizeof(vals[0]);

	(void)state;
	for (size_t i = 0; i < nv; i++) {
		size_t el = ls_tsv_escaped_len(vals[i], strlen(vals[i]));
		size_t w = ls_tsv_escape(out, vals[i], strlen(vals[i]));

		assert_int_equal(el, w);
		assert_null(memchr(out, '\t', w));
		assert_null(memchr(out, '\n', w));
		if (i)
			line[n++] = '\t';
		memcpy(line + n, out, w);
		n += w;
	}
	assert_int_equal(ls_tsv_split(line, n, f, 16), (int)nv);
	for (size_t i = 0; i < nv; i++) {
		assert_int_equal(f[i].n, strlen(vals[i]));
		assert_memory_equal(f[i].p, vals[i], f[i].n);
		assert_int_equal(f[i].p[f[i].n], '\0');
	}
	/* NUL inside a field survives with its length */
	memcpy(line, "a\0b\tc", 5);
	assert_int_equal(ls_tsv_split(line, 5, f, 16), 2);
	assert_int_equal(f[0].n, 3);
}

static void
test_tsv_bad(void **state)
{
	char a[] = "x\\q", b[] = "x\\", c[] = "1\t2\t3";
	struct ls_str f[2];

	(void)state;
	assert_int_equal(ls_tsv_split(a, strlen(a), f, 2), -1);
	assert_int_equal(ls_tsv_split(b, strlen(b), f, 2), -1);
	assert_int_equal(ls_tsv_split(c, strlen(c), f, 2), -2);
}

static void
test_tsv_put(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(fp);
	assert_int_equal(ls_tsv_put(fp, "a\tb\\c\n", 6), 0);
	fclose(fp);
	assert_string_equal(buf, "a\\tb\\\\c\\n");
	free(buf);
}

/* Escaped into a buffer: the same bytes as ls_tsv_put(), after what the buffer held. */
static void
test_tsv_put_buf(void **state)
{
	static const char v[] = "a\tb\\c\n\rИва,нов 100%";
	struct ls_buf b = { 0 };
	char out[64];
	size_t w;

	(void)state;
	assert_int_equal(ls_buf_puts(&b, "g\t"), 0);
	assert_int_equal(ls_tsv_put_buf(&b, v, sizeof(v) - 1), 0);
	w = ls_tsv_escape(out, v, sizeof(v) - 1);
	assert_int_equal(b.n, 2 + w);
	assert_memory_equal(b.p + 2, out, w);
	assert_string_equal(b.p, "g\ta\\tb\\\\c\\n\\rИва,нов 100%");
	/* nothing to escape, and nothing at all */
	assert_int_equal(ls_tsv_put_buf(&b, "xy", 2), 0);
	assert_int_equal(ls_tsv_put_buf(&b, "", 0), 0);
	assert_int_equal(b.n, 2 + w + 2);
	assert_int_equal(b.p[b.n], '\0');
	ls_buf_free(&b);
}

/* Lines of bytes in memory: as of a stream, the bytes left as they were. */
static void
test_lines_memory(void **state)
{
	static const char text[] = "one\r\n\ntwo\0x\na\tb\\t\nlast";
	struct ls_recfile_lines L = { .mem = text, .memlen = sizeof(text) - 1 };
	struct ls_str f[4];
	char *p;
	size_t n;

	(void)state;
	assert_int_equal(ls_recfile_next(&L, &p, &n), 1);
	assert_int_equal(n, 4);			/* the CR is the format's to strip */
	assert_int_equal(L.line, 1);
	assert_int_equal(ls_recfile_next(&L, &p, &n), 1);
	assert_int_equal(n, 0);
	assert_string_equal(p, "");
	assert_int_equal(ls_recfile_next(&L, &p, &n), 1);
	assert_int_equal(n, 5);
	assert_non_null(memchr(p, '\0', n));
	assert_false(L.torn);
	/* the line is a copy: split in place, the input keeps its escape */
	assert_int_equal(ls_recfile_next(&L, &p, &n), 1);
	assert_int_equal(ls_tsv_split(p, n, f, 4), 2);
	assert_string_equal(f[1].p, "b\t");
	assert_memory_equal(text + 12, "a\tb\\t\n", 6);
	assert_int_equal(ls_recfile_next(&L, &p, &n), 1);
	assert_string_equal(p, "last");
	assert_int_equal(L.line, 5);
	assert_true(L.torn);
	assert_int_equal(ls_recfile_next(&L, &p, &n), 0);
	assert_int_equal(ls_recfile_next(&L, &p, &n), 0);
	ls_recfile_lines_free(&L);
	/* a line longer than any buffer so far; a last line with its LF is whole */
	{
		char big[5001];
		struct ls_recfile_lines M = { .mem = big, .memlen = sizeof(big) };

		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\n';
		assert_int_equal(ls_recfile_next(&M, &p, &n), 1);
		assert_int_equal(n, 5000);
		assert_false(M.torn);
		assert_int_equal(p[n], '\0');
		assert_int_equal(ls_recfile_next(&M, &p, &n), 0);
		assert_int_equal(M.line, 1);
		ls_recfile_lines_free(&M);
	}
	/* nothing at all, and no memory given */
	L = (struct ls_recfile_lines){ .mem = "", .memlen = 0 };
	assert_int_equal(ls_recfile_next(&L, &p, &n), 0);
	L = (struct ls_recfile_lines){ 0 };
	assert_int_equal(ls_recfile_next(&L, &p, &n), 0);
	assert_int_equal(L.line, 0);
}

static void
test_lines(void **state)
{
	static const char text[] = "one\r\n\ntwo\0x\nlast";
	FILE *fp = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct ls_recfile_lines L = { .fp = fp };
	char *p;
	size_t n;

	(void)state;
	assert_int_equal(ls_recfile_next(&L, &p, &n), 1);
	assert_int_equal(n, 4);			/* the CR is the format's to strip */
	assert_int_equal(L.line, 1);
	assert_int_equal(ls_recfile_next(&L, &p, &n), 1);
	assert_int_equal(n, 0);
	assert_int_equal(ls_recfile_next(&L, &p, &n), 1);
	assert_int_equal(n, 5);
	assert_non_null(memchr(p, '\0', n));
	assert_false(L.torn);
	assert_int_equal(ls_recfile_next(&L, &p, &n), 1);
	assert_string_equal(p, "last");
	assert_int_equal(L.line, 4);
	assert_true(L.torn);
	assert_int_equal(ls_recfile_next(&L, &p, &n), 0);
	ls_recfile_lines_free(&L);
	ls_recfile_lines_free(NULL);
	fclose(fp);
	/* a folder opens but cannot be read: an error, not a line */
	L.fp = fopen("/", "r");
	assert_non_null(L.fp);
	assert_int_equal(ls_recfile_next(&L, &p, &n), -1);
	ls_recfile_lines_free(&L);
	fclose(L.fp);
}

static char *
slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *b = calloc(1, 4096);

	*n = fp ? fread(b, 1, 4095, fp) : 0;
	if (fp)
		fclose(fp);
	return b;
}

static void
test_append_and_torn(void **state)
{
	char dir[] = "/tmp/test_recfileXXXXXX", path[64], torn[80];
	struct ls_error err;
	size_t n;
	char *b;
	int fd, ro;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log", dir);
	snprintf(torn, sizeof(torn), "%s/log.torn", dir);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ls_recfile_append(fd, 0, "head\nr1\n", 8, path, &err), 0);
	/* a writer died in the middle of a record */
	assert_int_equal(pwrite(fd, "r2 half", 7, 8), 7);
	assert_int_equal(ls_recfile_cut_torn(fd, 8, 7, path, &err), 0);
	b = slurp(path, &n);
	assert_int_equal(n, 8);
	assert_memory_equal(b, "head\nr1\n", 8);
	free(b);
	b = slurp(torn, &n);
	assert_string_equal(b, "r2 half\n");	/* kept, not lost */
	free(b);
	assert_int_equal(ls_recfile_append(fd, 8, "r2\n", 3, path, &err), 0);
	/* a write that fails leaves the file as it was */
	ro = open(path, O_RDONLY);
	assert_int_equal(ls_recfile_append(ro, 11, "r3\n", 3, path, &err), LS_EIO);
	assert_non_null(strstr(err.msg, "write error"));
	assert_string_equal(err.file, path);
	close(ro);
	b = slurp(path, &n);
	assert_int_equal(n, 11);
	assert_memory_equal(b, "head\nr1\nr2\n", 11);
	free(b);
	ls_recfile_sync_dir(path);
	ls_recfile_sync_dir("relative-name");
	close(fd);
	unlink(path);
	unlink(torn);
	rmdir(dir);
}

/*
 * A write cut short half-way (the file size limit, RLIMIT_FSIZE, reached
 * in the middle of the record): the part written is cut off again, the
 * file holds what it held.  A .torn file that cannot be written: the
 * torn record stays where it was, named in the message.
 */
static void
test_partial_write(void **state)
{
	char dir[] = "/tmp/test_recfileXXXXXX", path[64], torn[80], big[200];
	struct ls_error err = { 0 };
	struct rlimit old, lim;
	void (*was)(int);
	size_t n;
	char *b;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log", dir);
	snprintf(torn, sizeof(torn), "%s/log.torn", dir);
	assert_true((fd = open(path, O_RDWR | O_CREAT, 0600)) >= 0);
	assert_int_equal(ls_recfile_append(fd, 0, "head\n", 5, path, &err), 0);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\n';
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 100;	/* 95 of the record's 200 bytes go in, then EFBIG */
	was = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(ls_recfile_append(fd, 5, big, sizeof big, path, &err), LS_EIO);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, was);
	assert_string_equal(err.file, path);
	assert_string_equal(err.msg, "write error: File too large");
	b = slurp(path, &n);
	assert_int_equal(n, 5);
	assert_memory_equal(b, "head\n", 5);
	free(b);

	/* the torn tail cannot be saved (a folder has its .torn name): nothing is cut */
	assert_int_equal(pwrite(fd, "r2 half", 7, 5), 7);
	assert_int_equal(mkdir(torn, 0700), 0);
	assert_int_equal(ls_recfile_cut_torn(fd, 5, 7, path, &err), LS_EIO);
	assert_string_equal(err.file, torn);
	assert_string_equal(err.msg, "cannot save the torn record: Is a directory");
	b = slurp(path, &n);
	assert_int_equal(n, 12);
	assert_memory_equal(b, "head\nr2 half", 12);
	free(b);
	close(fd);
	rmdir(torn);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_tsv_round_trip),
		cmocka_unit_test(test_tsv_bad),
		cmocka_unit_test(test_tsv_put),
		cmocka_unit_test(test_tsv_put_buf),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_lines_memory),
		cmocka_unit_test(test_append_and_torn),
		cmocka_unit_test(test_partial_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
