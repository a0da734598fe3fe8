/*
 * test_base_edges.c - edges of libsales/base that make mutate found no test
 * looking at (tests/mutate/REPORT.md): the growable string's limits and
 * boundaries, SOURCE_DATE_EPOCH's first digit and its reading once, and
 * ls_error_format() into the smallest buffer, keyset keys that share a hash,
 * SHA-256 fed in pieces across its 64-byte blocks and its file errors,
 * ls_read_file() past its first 64 KB block, its errors and its descriptors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <cmocka.h>

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "keyset.h"
#include "sha256.h"
#include "util.h"

/* A length no memory can hold is refused before anything is read or allocated; the text stays. */
static void
test_buf_too_long(void **state)
{
	struct ls_buf b = { 0 };
	const char *p;

	(void)state;
	assert_int_equal(ls_buf_puts(&b, "kept"), 0);
	p = b.p;
	assert_int_equal(ls_buf_put(&b, "x", SIZE_MAX - 5), LS_ENOMEM);
	assert_int_equal(ls_buf_put(&b, "x", SIZE_MAX / 2), LS_ENOMEM);
	assert_ptr_equal(b.p, p);
	assert_int_equal(b.n, 4);
	assert_string_equal(b.p, "kept");
	ls_buf_free(&b);
}

/* Whatever the length appended, the NUL after the text lies inside the capacity. */
static void
test_buf_room_for_nul(void **state)
{
	char src[600];

	(void)state;
	memset(src, 'a', sizeof(src));
	for (size_t n = 0; n <= sizeof(src); n++) {
		struct ls_buf b = { 0 };

		assert_int_equal(ls_buf_put(&b, src, n), 0);
		assert_int_equal(b.n, n);
		assert_true(b.cap > b.n);
		assert_int_equal(b.p[n], '\0');
		assert_memory_equal(b.p, src, n);
		/* and grown again from there, by its own text */
		assert_int_equal(ls_buf_put(&b, b.p, b.n), 0);
		assert_int_equal(b.n, 2 * n);
		assert_true(b.cap > b.n);
		assert_int_equal(b.p[2 * n], '\0');
		ls_buf_free(&b);
	}
}

/* printf-style text of each length around the stack buffer's (256), and of none. */
static void
test_buf_printf_lengths(void **state)
{
	char want[520];

	(void)state;
	for (size_t i = 0; i < sizeof(want) - 1; i++)
		want[i] = (char)('a' + i % 26);
	want[sizeof(want) - 1] = '\0';
	for (int n = 0; n < 519; n += n < 250 || n > 262 ? 50 : 1) {
		struct ls_buf b = { 0 };

		assert_int_equal(ls_buf_puts(&b, "<"), 0);
		assert_int_equal(ls_buf_printf(&b, "%.*s", n, want), 0);
		assert_int_equal(b.n, (size_t)n + 1);
		assert_memory_equal(b.p + 1, want, (size_t)n);
		assert_int_equal(b.p[b.n], '\0');
		ls_buf_free(&b);
	}
}

/* Text the C library cannot convert (a wide character outside the C locale) is LS_EUSAGE; the text stays. */
static void
test_buf_printf_unconvertible(void **state)
{
	static const wchar_t e_acute[] = { 0x00e9, 0 };
	struct ls_buf b = { 0 };

	(void)state;
	assert_int_equal(ls_buf_puts(&b, "kept"), 0);
	assert_int_equal(ls_buf_printf(&b, "%ls", e_acute), LS_EUSAGE);
	assert_int_equal(b.n, 4);
	assert_string_equal(b.p, "kept");
	ls_buf_free(&b);
}

/*
 * SOURCE_DATE_EPOCH=value in a child (the clock is process state, pinned for
 * good once set): its exit status is 0 when ls_clock_init() took it and
 * ls_clock_now() is that value, 1 when it was refused, 2 otherwise.
 */
static int
pin_in_child(const char *value, int64_t want)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		struct ls_error err;

		setenv("SOURCE_DATE_EPOCH", value, 1);
		if (ls_clock_init(&err) != 0)
			_exit(1);
		_exit(ls_clock_pinned() && ls_clock_now() == want ? 0 : 2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* ls_clock_set() in a child, before anything read the clock: 0 when it pinned the clock at t. */
static int
set_in_child(int64_t t)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		unsetenv("SOURCE_DATE_EPOCH");
		ls_clock_set(t);
		_exit(ls_clock_pinned() && ls_clock_now() == t ? 0 : 2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* A command's own pin holds on its own, with no SOURCE_DATE_EPOCH read before it. */
static void
test_clock_set_alone(void **state)
{
	(void)state;
	assert_int_equal(set_in_child(77), 0);
	assert_int_equal(set_in_child(0), 0);
}

/* Every digit may start the number: 0 (the epoch itself) and 9 are whole seconds too. */
static void
test_clock_first_digit(void **state)
{
	(void)state;
	assert_int_equal(pin_in_child("0", 0), 0);
	assert_int_equal(pin_in_child("9", 9), 0);
	assert_int_equal(pin_in_child("09", 9), 0);
	assert_int_equal(pin_in_child("1764151200", 1764151200), 0);
	assert_int_equal(pin_in_child("+9", 9), 1);
	assert_int_equal(pin_in_child("a9", 9), 1);
}

/* The environment is read at the first ls_clock_init(), not again at each ls_clock_now(). */
static void
test_clock_read_once(void **state)
{
	struct ls_error err;
	time_t before = time(NULL);

	(void)state;
	/* a refused value names neither a file nor a place in one: it is the environment's */
	setenv("SOURCE_DATE_EPOCH", "x", 1);
	assert_int_equal(ls_clock_init(&err), LS_EUSAGE);
	assert_string_equal(err.file, "");
	assert_int_equal(err.line, 0);
	assert_int_equal(err.col, 0);
	unsetenv("SOURCE_DATE_EPOCH");
	assert_int_equal(ls_clock_init(&err), 0);
	setenv("SOURCE_DATE_EPOCH", "5", 1);
	assert_false(ls_clock_pinned());
	assert_true(ls_clock_now() >= before);
	unsetenv("SOURCE_DATE_EPOCH");
}

/* A buffer of one byte gets the empty string, and nothing is written past it. */
static void
test_error_format_one_byte(void **state)
{
	struct ls_error err;
	char buf[3] = { 'x', '#', '#' };

	(void)state;
	ls_error_set(&err, LS_EDATA, "f.csv", 3, 4, "bad");
	assert_ptr_equal(ls_error_format(&err, buf, 1), buf);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], '#');
	assert_ptr_equal(ls_error_format(&err, buf + 2, 0), buf + 2);
	assert_int_equal(buf[2], '#');
}

/* Key number at of length len: all 'k' but its byte at, an 'x' (the empty key when len is 0). */
static void
key_of(char *key, size_t len, size_t at)
{
	memset(key, 'k', len);
	if (len > 0)
		key[at] = 'x';
}

/*
 * Keys of every length class (empty, under 8, the two-word compare of 8 to
 * 16 bytes, longer, and past 127 bytes: a two-byte length) that differ in
 * one byte, any of the first 20, and share one hash (ls_keyset_put_h) stay
 * distinct keys; the key of only 'k's, never put, is not found.
 */
static void
test_keyset_same_hash(void **state)
{
	static const size_t lens[] = { 0, 1, 7, 8, 9, 12, 15, 16, 17, 24, 127, 128, 200, 300 };
	struct ls_keyset *s = ls_keyset_new();
	char key[300], val[32];
	size_t n = 0;

	(void)state;
	assert_non_null(s);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			size_t len = lens[i], ndiff = len == 0 ? 1 : len < 20 ? len : 20;

			for (size_t at = 0; at < ndiff; at++) {
				key_of(key, len, at);
				snprintf(val, sizeof(val), "%zu/%zu", len, at);
				if (pass == 0) {
					assert_int_equal(ls_keyset_put_h(s, key, len, 42, val, strlen(val), NULL), 0);
					n++;
				} else {
					assert_non_null(ls_keyset_get_h(s, key, len, 42));
					assert_string_equal(ls_keyset_get_h(s, key, len, 42), val);
				}
			}
			memset(key, 'k', len);
			if (pass == 1 && len > 0)
				assert_null(ls_keyset_get_h(s, key, len, 42));
		}
	}
	assert_int_equal(ls_keyset_count(s), n);
	ls_keyset_free(s);
}

/* A message fed in pieces of any size, across the 64-byte blocks, hashes as fed at once. */
static void
test_sha256_pieces(void **state)
{
	static const size_t sizes[] = { 1, 3, 55, 56, 63, 64, 65, 127, 130 };
	unsigned char msg[300];
	char whole[LS_SHA256_HEX], got[LS_SHA256_HEX];

	(void)state;
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)(i * 7 + 1);
	ls_sha256_hex(msg, sizeof(msg), whole);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct ls_sha256 s;

		ls_sha256_init(&s);
		for (size_t at = 0; at < sizeof(msg); at += sizes[k])
			ls_sha256_update(&s, msg + at, sizeof(msg) - at < sizes[k] ? sizeof(msg) - at : sizes[k]);
		ls_sha256_final_hex(&s, got);
		assert_string_equal(got, whole);
		/* and a first piece that leaves the buffer partly filled, then the rest */
		ls_sha256_init(&s);
		ls_sha256_update(&s, msg, sizes[k]);
		ls_sha256_update(&s, msg + sizes[k], sizeof(msg) - sizes[k]);
		ls_sha256_final_hex(&s, got);
		assert_string_equal(got, whole);
	}
}

/* A file that cannot be opened, or read (a folder), is LS_EIO naming the file only, no line. */
static void
test_sha256_file_errors(void **state)
{
	struct ls_error err;
	char hex[LS_SHA256_HEX], msg[600];

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_sha256_file("/nonexistent/x.docx", hex, &err), LS_EIO);
	assert_string_equal(ls_error_format(&err, msg, sizeof(msg)), "/nonexistent/x.docx: No such file or directory");
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_sha256_file("/", hex, &err), LS_EIO);
	assert_string_equal(ls_error_format(&err, msg, sizeof(msg)), "/: Is a directory");
}

/* The lowest free descriptor: the same before and after a call that must close what it opened. */
static int
lowest_fd(void)
{
	int fd = open("/dev/null", O_RDONLY);

	assert_true(fd >= 0);
	close(fd);
	return fd;
}

/* A file of three 64 KB blocks and more is read whole, NUL after it; the file is closed. */
static void
test_read_file_big(void **state)
{
	char path[] = "/tmp/test_base_edges.XXXXXX", *got;
	size_t n = 3 * 65536 + 123, len = 0;
	char *want = malloc(n);
	struct ls_error err;
	int fd, before;

	(void)state;
	assert_non_null(want);
	for (size_t i = 0; i < n; i++)
		want[i] = (char)('A' + i % 23);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, want, n), (ssize_t)n);
	close(fd);
	before = lowest_fd();
	got = ls_read_file(path, &len, &err);
	assert_non_null(got);
	assert_int_equal(len, n);
	assert_memory_equal(got, want, n);
	assert_int_equal(got[n], '\0');
	assert_int_equal(lowest_fd(), before);
	free(got);
	unlink(path);
	free(want);
}

/* A file that cannot be opened, or read (a folder): NULL, errno kept, the file named without a line. */
static void
test_read_file_errors(void **state)
{
	struct ls_error err;
	char msg[600];
	size_t len;
	int before = lowest_fd();

	(void)state;
	memset(&err, 0, sizeof(err));
	errno = 0;
	assert_null(ls_read_file("/nonexistent/f.yaml", &len, &err));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(ls_error_format(&err, msg, sizeof(msg)),
	    "/nonexistent/f.yaml: cannot open: No such file or directory");
	memset(&err, 0, sizeof(err));
	errno = 0;
	assert_null(ls_read_file("/", &len, &err));
	assert_int_equal(errno, EISDIR);
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(ls_error_format(&err, msg, sizeof(msg)), "/: cannot read: Is a directory");
	assert_int_equal(lowest_fd(), before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_too_long),
		cmocka_unit_test(test_buf_room_for_nul),
		cmocka_unit_test(test_buf_printf_lengths),
		cmocka_unit_test(test_buf_printf_unconvertible),
		cmocka_unit_test(test_clock_first_digit),
		cmocka_unit_test(test_clock_set_alone),
		cmocka_unit_test(test_clock_read_once),
		cmocka_unit_test(test_error_format_one_byte),
		cmocka_unit_test(test_keyset_same_hash),
		cmocka_unit_test(test_sha256_pieces),
		cmocka_unit_test(test_sha256_file_errors),
		cmocka_unit_test(test_read_file_big),
		cmocka_unit_test(test_read_file_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
