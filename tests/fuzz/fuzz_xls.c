/*
 * fuzz_xls.c - libFuzzer target for .xls inputs (xls.c over FreeXL),
 * through the path a tool opens: each input is written to a file named
 * .xls and read to its end as the reader would, data errors gone past as
 * --rejects does.  FreeXL itself is not instrumented (Debian's build), so
 * the guidance comes from xls.c and the record code above it, while
 * ASan catches what a hostile workbook does to either.  Seeds: the .xls
 * fixtures of the CLI cases.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "xlsx.h"

#define MAX_RECORDS	100000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file_ext("fuzz_xls", ".xls", data, size);
	struct ls_error err;
	struct ls_record rec;
	struct ls_xlsx *x = ls_xlsx_open(path, NULL, &err);
	int rc, k = 0;

	if (x == NULL) {
		if (err.msg[0] == '\0' || err.status == LS_OK)
			abort();
		return 0;
	}
	while ((rc = ls_xlsx_next(x, &rec, &err)) != 0 && k++ < MAX_RECORDS) {
		if (rc < 0) {
			if (err.msg[0] == '\0')
				abort();
			if (err.status != LS_EDATA)
				break;
			continue;
		}
		if (k > 1 && rec.nfields != ls_xlsx_ncols(x))
			abort();
		for (size_t i = 0; i < rec.nfields; i++)
			if (rec.fields[i].p[rec.fields[i].n] != '\0' || strlen(rec.fields[i].p) != rec.fields[i].n)
				abort();
	}
	ls_xlsx_free(x);
	return 0;
}
