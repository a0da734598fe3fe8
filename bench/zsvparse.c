/*
 * zsvparse - zsv's parser merely parsing: the SIMD anchor of `make bench`.
 *
 *   zsvparse FILE...
 *
 * Reads each file with zsv's public API (zsv_new() on the FILE, its own
 * fread() and buffer, zsv_parse_more() until the end, zsv_finish()), a row
 * handler that only counts the row and its cells, and prints "FIELDS ROWS"
 * (the header row included) for all files together, like csvparse.  Built
 * by bench/run.sh against the zsv sources in ZSV_SRC (liquidaty/zsv, never
 * copied here), with the SIMD flags zsv's own configure would pick on this
 * processor.
 */
#include <stdio.h>

#include <zsv.h>

struct counts {
	zsv_parser p;
	unsigned long long fields, rows;
};

static void
on_row(void *ctx)
{
	struct counts *n = ctx;

	n->fields += zsv_cell_count(n->p);
	n->rows++;
}

static int
parse(const char *path, struct counts *n)
{
	struct zsv_opts o = { 0 };
	enum zsv_status st;
	FILE *fp;
	int rc = 0;

	if ((fp = fopen(path, "rb")) == NULL) {
		perror(path);
		return 1;
	}
	o.row_handler = on_row;
	o.ctx = n;
	o.stream = fp;
	if ((n->p = zsv_new(&o)) == NULL) {
		fputs("zsvparse: zsv_new failed\n", stderr);
		fclose(fp);
		return 1;
	}
	while ((st = zsv_parse_more(n->p)) == zsv_status_ok)
		;
	if (st != zsv_status_no_more_input) {
		fprintf(stderr, "zsvparse: %s: %s\n", path, (const char *)zsv_parse_status_desc(st));
		rc = 1;
	}
	zsv_finish(n->p);
	zsv_delete(n->p);
	if (ferror(fp)) {
		perror(path);
		rc = 1;
	}
	fclose(fp);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct counts n = { NULL, 0, 0 };
	int i, rc = 0;

	if (argc < 2) {
		fputs("usage: zsvparse FILE...\n", stderr);
		return 2;
	}
	for (i = 1; i < argc && rc == 0; i++)
		rc = parse(argv[i], &n);
	if (rc == 0)
		printf("%llu %llu\n", n.fields, n.rows);
	return rc;
}
