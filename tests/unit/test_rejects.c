/* test_rejects.c - rows of the rejects file stay UTF-8 and CSV. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rejects.h"
#include "writer.h"

static void
test_rows(void **state)
{
	char path[] = "/tmp/test_rejectsXXXXXX", buf[1024];
	struct ls_error err;
	struct ls_writer *w;
	struct ls_str f[3] = { { "a", 1 }, { "b,c", 3 }, { "say \"hi\"", 8 } };
	FILE *fp;
	size_t n;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	w = ls_rejects_open(path, &err);
	assert_non_null(w);
	assert_int_equal(ls_rejects_add(w, "ok,\xd0\xb8", 5, 2, "too many fields", "in.csv"), 0);
	assert_int_equal(ls_rejects_add(w, "x\xff\0y", 4, 3, "invalid UTF-8", "in.csv"), 0);
	/* a cut multi-byte sequence at the end */
	assert_int_equal(ls_rejects_add(w, "\xd0", 1, 4, "invalid UTF-8", NULL), 0);
	assert_int_equal(ls_rejects_add_fields(w, f, 3, 5, "bad value", "in.csv"), 0);
	assert_int_equal(ls_writer_commit(w, &err), 0);
	ls_writer_free(w);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	unlink(path);
	assert_string_equal(buf,
	    "raw,line,error,file\n"
	    "\"ok,\xd0\xb8\",2,too many fields,in.csv\n"
	    "x\\xFF\\x00y,3,invalid UTF-8,in.csv\n"
	    "\\xD0,4,invalid UTF-8,\n"
	    "\"a,\"\"b,c\"\",\"\"say \"\"\"\"hi\"\"\"\"\"\"\",5,bad value,in.csv\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
