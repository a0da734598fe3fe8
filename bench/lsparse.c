/*
 * lsparse - the libsales reader merely parsing, beside csvparse.
 *
 *   lsparse FILE...
 *
 * Reads each file with the libsales reader (one stream per file, its
 * header included, --threads 1) and prints "FIELDS ROWS" like csvparse,
 * so that the two count the same.  Nothing is written: this is the parse
 * alone, the figure issue 14's "parse at 2x raw libcsv's speed" is about.
 * LS_SCALAR=1 in the environment forces the reader's portable scans,
 * LS_SCAN=sse2 its SSE2 ones (libsales-formats(5)).
 */
#include <stdio.h>

#include "record.h"

int
main(int argc, char **argv)
{
	unsigned long long fields = 0, rows = 0;

	for (int i = 1; i < argc; i++) {
		struct ls_error err;
		struct ls_record rec;
		struct ls_reader *r = ls_reader_open((const char *const *)&argv[i], 1, NULL, &err);
		int rc;

		if (r == NULL) {
			fprintf(stderr, "lsparse: %s: %s\n", argv[i], err.msg);
			return 1;
		}
		fields += ls_reader_ncols(r);
		rows++;
		while ((rc = ls_reader_next(r, &rec, &err)) != 0) {
			if (rc < 0) {
				fprintf(stderr, "lsparse: %s:%ld: %s\n", argv[i], err.line, err.msg);
				if (err.status != LS_EDATA)
					return 1;
				continue;
			}
			fields += rec.nfields;
			rows++;
		}
		ls_reader_free(r);
	}
	printf("%llu %llu\n", fields, rows);
	return 0;
}
