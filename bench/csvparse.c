/*
 * csvparse - the "libcsv merely parsing" baseline of `make bench`.
 *
 *   csvparse [-d] FILE...
 *
 * Feeds each file to csv_parse() in 1 MiB blocks with callbacks that only
 * count, calls csv_fini(), and prints "FIELDS ROWS" (the header row
 * included) for all files together.  The parser is set up the way the
 * libsales reader sets it up (strict quotes, no space trimming: spaces are
 * data), so the only difference left is the work a tool does on top.
 *
 * -d: libcsv's default space handling instead (no space function: CSV_STRICT
 * alone).  libcsv then tests for a space inline rather than through an
 * indirect call per byte, about a fifth faster: the fastest libcsv a user
 * has, the anchor of issue 31's ratios.  The counts are the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#define BLOCK (1 << 20)

struct counts {
	unsigned long long fields, rows;
};

static void
on_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	((struct counts *)data)->fields++;
}

static void
on_row(int c, void *data)
{
	(void)c;
	((struct counts *)data)->rows++;
}

/* libcsv trims spaces and tabs around unquoted fields unless told otherwise. */
static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int
parse(const char *path, char *buf, int defaults, struct counts *n)
{
	struct csv_parser p;
	FILE *fp;
	size_t got;
	int rc = 0;

	if ((fp = fopen(path, "rb")) == NULL) {
		perror(path);
		return 1;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		fputs("csvparse: out of memory\n", stderr);
		fclose(fp);
		return 1;
	}
	if (!defaults)
		csv_set_space_func(&p, no_space);
	while ((got = fread(buf, 1, BLOCK, fp)) > 0) {
		if (csv_parse(&p, buf, got, on_field, on_row, n) != got) {
			fprintf(stderr, "csvparse: %s: %s\n", path, csv_strerror(csv_error(&p)));
			rc = 1;
			break;
		}
	}
	if (ferror(fp)) {
		perror(path);
		rc = 1;
	}
	if (rc == 0 && csv_fini(&p, on_field, on_row, n) != 0) {
		fprintf(stderr, "csvparse: %s: %s\n", path, csv_strerror(csv_error(&p)));
		rc = 1;
	}
	csv_free(&p);
	fclose(fp);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct counts n = { 0, 0 };
	char *buf;
	int i = 1, rc = 0, defaults = 0;

	if (argc > 1 && strcmp(argv[1], "-d") == 0) {
		defaults = 1;
		i++;
	}
	if (i >= argc) {
		fputs("usage: csvparse [-d] FILE...\n", stderr);
		return 2;
	}
	if ((buf = malloc(BLOCK)) == NULL) {
		fputs("csvparse: out of memory\n", stderr);
		return 1;
	}
	for (; i < argc && rc == 0; i++)
		rc = parse(argv[i], buf, defaults, &n);
	free(buf);
	if (rc == 0)
		printf("%llu %llu\n", n.fields, n.rows);
	return rc;
}
