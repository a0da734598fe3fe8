/*
 * assign_split.c - lead-assign --split: the assigned stream's rows split by
 * manager (split.h), into a CSV (or TSV) per manager in a folder, or, for a
 * name ending in .xlsx, into one workbook with a sheet per manager.  See
 * assign.h.
 */
#include "assign.h"
#include "split.h"
#include "xlsx_write.h"

/*
 * The columns typed in the workbook: the times lead-assign and the CRM
 * write.  Everything else, phones (+79161234567) and company names
 * ("=HYPERLINK(...)") included, is a string.
 */
static const struct ls_xlsxw_col types[] = {
	{ "assigned_at", LS_XLSXW_DATETIME, 0 },
	{ "created_at", LS_XLSXW_DATETIME, 0 },
	{ NULL, LS_XLSXW_TEXT, 0 }
};

struct ls_split *
ls_assign_split_new(const char *path, const struct ls_writer_opts *wo, const struct ls_str *hdr,
    size_t ncols, struct ls_error *err)
{
	struct ls_split_opts o = { .path = path, .xlsx = ls_xlsxw_path(path), .types = types };

	o.wo = *wo;
	return ls_split_new(&o, hdr, ncols, err);
}
