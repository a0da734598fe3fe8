/* test_pipe.c - ls_pipe_grow(): a pipe's kernel buffer grows to 1 MB, nothing else is touched. */
#define _GNU_SOURCE		/* F_GETPIPE_SZ */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pipe.h"
#include "record.h"

#define MB	(1 << 20)

#if defined(F_SETPIPE_SZ) && defined(F_GETPIPE_SZ)
/* What the kernel lets this user have: 1 MB, or the pipe's size when it refuses. */
static int
allowed(void)
{
	int p[2], got;

	assert_int_equal(pipe(p), 0);
	(void)fcntl(p[0], F_SETPIPE_SZ, MB);
	got = fcntl(p[0], F_GETPIPE_SZ);
	close(p[0]);
	close(p[1]);
	return got;
}

/* Either end of a fresh pipe: grows (to what the kernel allows), and data still flows. */
static void
test_grows(void **state)
{
	int want = allowed();

	(void)state;
	for (int end = 0; end <= 1; end++) {
		int p[2];
		char c = 0;

		assert_int_equal(pipe(p), 0);
		assert_true(fcntl(p[0], F_GETPIPE_SZ) < MB);
		ls_pipe_grow(p[end]);
		assert_int_equal(fcntl(p[0], F_GETPIPE_SZ), want);
		assert_int_equal(write(p[1], "x", 1), 1);
		assert_int_equal(read(p[0], &c, 1), 1);
		assert_int_equal(c, 'x');
		/* twice is the same as once */
		ls_pipe_grow(p[end]);
		assert_int_equal(fcntl(p[0], F_GETPIPE_SZ), want);
		close(p[0]);
		close(p[1]);
	}
}

#endif

/* Not a pipe (a file, a socket, a closed or negative descriptor): nothing happens, nothing fails. */
static void
test_not_a_pipe(void **state)
{
	FILE *fp = tmpfile();
	int sv[2], flags;

	(void)state;
	assert_non_null(fp);
	flags = fcntl(fileno(fp), F_GETFL);
	ls_pipe_grow(fileno(fp));
	assert_int_equal(fcntl(fileno(fp), F_GETFL), flags);
	assert_int_equal(fputs("still writable\n", fp) >= 0, 1);
	fclose(fp);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ls_pipe_grow(sv[0]);
	assert_int_equal(write(sv[1], "y", 1), 1);
	close(sv[0]);
	close(sv[1]);
	ls_pipe_grow(-1);
	ls_pipe_grow(sv[0]);	/* closed */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#if defined(F_SETPIPE_SZ) && defined(F_GETPIPE_SZ)
		cmocka_unit_test(test_grows),
#endif
		cmocka_unit_test(test_not_a_pipe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
