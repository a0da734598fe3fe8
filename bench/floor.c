/*
 * floor - the physical floor of `make bench`: the least any line-oriented
 * tool must do with a file already in the page cache.
 *
 *   floor FILE...
 *
 * read()s each file in 1 MiB blocks and counts its '\n' bytes with memchr(),
 * then prints "BYTES LINES" for all files together.  Beside `cat FILE >
 * /dev/null` (the copy out of the page cache alone), it is what a parser
 * could approach if understanding CSV cost nothing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK (1 << 20)

int
main(int argc, char *argv[])
{
	unsigned long long bytes = 0, lines = 0;
	char *buf;
	int i;

	if (argc < 2) {
		fputs("usage: floor FILE...\n", stderr);
		return 2;
	}
	if ((buf = malloc(BLOCK)) == NULL) {
		fputs("floor: out of memory\n", stderr);
		return 1;
	}
	for (i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		ssize_t got;

		if (fd < 0) {
			perror(argv[i]);
			return 1;
		}
		while ((got = read(fd, buf, BLOCK)) > 0) {
			const char *p = buf, *end = buf + got;

			bytes += (unsigned long long)got;
			while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
				lines++;
				p++;
			}
		}
		if (got < 0) {
			perror(argv[i]);
			return 1;
		}
		close(fd);
	}
	free(buf);
	printf("%llu %llu\n", bytes, lines);
	return 0;
}
