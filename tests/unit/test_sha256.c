/* test_sha256.c - SHA-256 against the FIPS 180-4 vectors and sha256sum(1). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sha256.h"

/* Each test runs under both compressions (the setup's choice), where the CPU has the SHA extensions. */
static int
use_portable(void **state)
{
	(void)state;
	ls_sha256_force_portable(1);
	return 0;
}

static int
use_best(void **state)
{
	(void)state;
	ls_sha256_force_portable(0);
	return 0;
}

static void
test_vectors(void **state)
{
	static const struct { const char *in, *hex; } v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
		  "klmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	char hex[LS_SHA256_HEX];

	(void)state;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		ls_sha256_hex(v[i].in, strlen(v[i].in), hex);
		assert_string_equal(hex, v[i].hex);
	}
}

/* A million 'a' fed in uneven pieces: the buffering across block edges. */
/* Fed in pieces and finished as hex: the same digits as the one-call form (the approval journal's chain uses it). */
static void
test_final_hex(void **state)
{
	struct ls_sha256 s;
	char a[LS_SHA256_HEX], b[LS_SHA256_HEX];

	(void)state;
	ls_sha256_init(&s);
	ls_sha256_update(&s, "3:abc", 5);
	ls_sha256_update(&s, "2:de", 4);
	ls_sha256_final_hex(&s, a);
	ls_sha256_hex("3:abc2:de", 9, b);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), 64);
}

static void
test_million_a(void **state)
{
	struct ls_sha256 s;
	unsigned char d[32];
	char a[1000];
	size_t done = 0, step = 1;
	static const unsigned char want[32] = { 0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92,
		0x81, 0xa1, 0xc7, 0xe2, 0x84, 0xd7, 0x3e, 0x67, 0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97,
		0x20, 0x0e, 0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11, 0x2c, 0xd0 };

	(void)state;
	memset(a, 'a', sizeof a);
	ls_sha256_init(&s);
	while (done < 1000000) {
		size_t k = step < 1000000 - done ? step : 1000000 - done;

		if (k > sizeof a)
			k = sizeof a;

		ls_sha256_update(&s, a, k);
		done += k;
		step = step % 983 + 13;
	}
	ls_sha256_final(&s, d);
	assert_memory_equal(d, want, 32);
}

/* Files of lengths around the padding edges, against sha256sum when it is installed. */
static void
test_file_vs_sha256sum(void **state)
{
	char path[] = "/tmp/test_sha256.XXXXXX", cmd[128], hex[LS_SHA256_HEX], want[80];
	static const size_t lens[] = { 0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 65535, 65536, 100001 };
	int fd;

	(void)state;
	if (system("command -v sha256sum >/dev/null 2>&1") != 0) {
		printf("skipped: sha256sum not installed\n");
		skip();
	}
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		FILE *fp = fopen(path, "wb");
		FILE *p;

		for (size_t k = 0; k < lens[i]; k++)
			fputc((int)((k * 31 + i) & 0xff), fp);
		fclose(fp);
		assert_int_equal(ls_sha256_file(path, hex, NULL), 0);
		snprintf(cmd, sizeof cmd, "sha256sum %s", path);
		p = popen(cmd, "r");
		assert_non_null(p);
		assert_non_null(fgets(want, sizeof want, p));
		pclose(p);
		want[64] = '\0';
		assert_string_equal(hex, want);
	}
	unlink(path);
	assert_int_equal(ls_sha256_file("/nonexistent/x", hex, NULL), LS_EIO);
}

/*
 * The SHA extensions' digest against the portable code's, for every length
 * 0..1000 of pseudo-random bytes, whole and fed in two pieces at a random
 * cut (a block split between calls, several blocks in one call).  Skipped,
 * saying so, on a CPU without them (valgrind's CPU has none).
 */
static void
test_accelerated_vs_portable(void **state)
{
	unsigned char msg[1000];
	uint32_t x = 2463534242u;

	(void)state;
	ls_sha256_force_portable(0);
	if (!ls_sha256_accelerated()) {
		printf("skipped: this CPU has no SHA extensions (or LS_SCALAR/LS_SCAN=scalar is set)\n");
		skip();
	}
	for (size_t i = 0; i < sizeof msg; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;	/* xorshift32 */
		msg[i] = (unsigned char)x;
	}
	for (size_t n = 0; n <= sizeof msg; n++) {
		unsigned char fast[32], slow[32];
		struct ls_sha256 s;
		size_t cut;

		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		cut = n ? x % (n + 1) : 0;
		ls_sha256_force_portable(0);
		assert_true(ls_sha256_accelerated());
		ls_sha256_init(&s);
		ls_sha256_update(&s, msg, cut);
		ls_sha256_update(&s, msg + cut, n - cut);
		ls_sha256_final(&s, fast);
		ls_sha256_force_portable(1);
		assert_false(ls_sha256_accelerated());
		ls_sha256_init(&s);
		ls_sha256_update(&s, msg, n);
		ls_sha256_final(&s, slow);
		assert_memory_equal(fast, slow, 32);
	}
	ls_sha256_force_portable(0);
}

/* LS_SCALAR=1 and LS_SCAN=scalar choose the portable code, as for the byte scans. */
static void
test_env_switch(void **state)
{
	int best;

	(void)state;
	unsetenv("LS_SCALAR");
	unsetenv("LS_SCAN");
	ls_sha256_force_portable(0);
	best = ls_sha256_accelerated();
	setenv("LS_SCALAR", "1", 1);
	ls_sha256_force_portable(0);
	assert_false(ls_sha256_accelerated());
	unsetenv("LS_SCALAR");
	setenv("LS_SCAN", "scalar", 1);
	ls_sha256_force_portable(0);
	assert_false(ls_sha256_accelerated());
	unsetenv("LS_SCAN");
	setenv("LS_SCALAR", "0", 1);		/* "0" is off, as in io/scan.c */
	ls_sha256_force_portable(0);
	assert_int_equal(ls_sha256_accelerated(), best);
	unsetenv("LS_SCALAR");
	ls_sha256_force_portable(0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_vectors, use_best),
		cmocka_unit_test_setup(test_vectors, use_portable),
		cmocka_unit_test_setup(test_million_a, use_best),
		cmocka_unit_test_setup(test_million_a, use_portable),
		cmocka_unit_test_setup(test_final_hex, use_best),
		cmocka_unit_test_setup(test_file_vs_sha256sum, use_best),
		cmocka_unit_test_setup(test_file_vs_sha256sum, use_portable),
		cmocka_unit_test(test_accelerated_vs_portable),
		cmocka_unit_test(test_env_switch),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	ls_sha256_force_portable(0);
	return rc;
}
