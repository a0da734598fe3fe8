/*
 * fuzz_file.h - for the targets whose library loader takes a path, as the
 * tool calls it: each input is written to one file of this process, which
 * goes when the fuzzer exits.  Included by one target each (static).
 */
#ifndef FUZZ_FILE_H
#define FUZZ_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_path[96];

static void
fuzz_file_cleanup(void)
{
	unlink(fuzz_path);
}

/*
 * Write data[0..size) as the file named by the result (made once per
 * process), ending in ext: the loaders that tell formats by name see it.
 */
static inline const char *
fuzz_file_ext(const char *stem, const char *ext, const uint8_t *data, size_t size)
{
	FILE *fp;

	if (fuzz_path[0] == '\0') {
		const char *dir = getenv("TMPDIR");
		snprintf(fuzz_path, sizeof(fuzz_path), "%s/%s.%ld%s", dir && *dir ? dir : "/tmp", stem,
		    (long)getpid(), ext);
		atexit(fuzz_file_cleanup);
	}
	if ((fp = fopen(fuzz_path, "wb")) == NULL || fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
		abort();	/* the fuzzer's own file: nothing to learn from a failure */
	return fuzz_path;
}

/* The same for the YAML loaders. */
static inline const char *
fuzz_file(const char *stem, const uint8_t *data, size_t size)
{
	return fuzz_file_ext(stem, ".yaml", data, size);
}

#endif
