/*
 * ticket_xlsx.c - ticket-log list and show as an .xlsx workbook (--format
 * xlsx): the stream ls_ticket_ops_list() or _show() writes, made in memory
 * as TSV and turned into a sheet by xlsx_write.h, its times as date-times
 * and seq as a number; every other cell (a client named "=HYPERLINK(...)")
 * a string.  See ticket_ops.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ticket_ops.h"
#include "xlsx_write.h"

/* The typed columns of the tickets stream and of the log's events (libsales-formats(5)). */
static const struct ls_xlsxw_col types[] = {
	{ "opened_at", LS_XLSXW_DATETIME, 0 },
	{ "first_response_at", LS_XLSXW_DATETIME, 0 },
	{ "updated_at", LS_XLSXW_DATETIME, 0 },
	{ "due_at", LS_XLSXW_DATETIME, 0 },
	{ "ts", LS_XLSXW_DATETIME, 0 },
	{ "seq", LS_XLSXW_NUMBER, 0 },
	{ NULL, LS_XLSXW_TEXT, 0 }
};

int
ls_ticket_ops_write_xlsx(const struct ls_ticket_env *env, const struct ls_ticket_ops_query *q,
    const char *output, FILE *fp, struct ls_ticket_ops_cut *torn, struct ls_error *err)
{
	struct ls_writer_opts wo = { .format = LS_FMT_TSV };
	struct ls_buf xlsx = { 0 };
	char *tsv = NULL;
	size_t n = 0;
	FILE *mem;
	int rc;

	memset(torn, 0, sizeof(*torn));
	if ((mem = open_memstream(&tsv, &n)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	rc = ls_ticket_ops_write(env, q, NULL, mem, &wo, torn, err);
	if (fclose(mem) != 0 && rc == 0)
		rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if (rc == 0)
		rc = ls_xlsxw_table(q->show ? "events" : "tickets", tsv, n, types, &xlsx, err);
	if (rc == 0)
		rc = ls_xlsxw_output(output, fp, xlsx.p, xlsx.n, err);
	ls_buf_free(&xlsx);
	free(tsv);
	return rc;
}
