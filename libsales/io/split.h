/*
 * split.h - the rows of a stream split by a key (a manager id) into one
 * file per key in a folder, CSV or TSV through writer.h, or into one .xlsx
 * workbook with a sheet per key (xlsx_write.h): lead-assign --split.
 *
 * A key becomes a file or sheet name made safe: no '/', '\', control
 * character, character Windows refuses or leading '.', so that no key can
 * reach outside the folder or hide a file; a sheet name by Excel's rules (ls_xlsxw_sheet_name());
 * two keys that come out alike (case aside) are told apart by "~2", "~3".
 * Every file is written to a temporary beside it and renamed into place by
 * ls_split_commit() (lock.h), one file after another: a crash between two
 * renames leaves some files new and some as they were, never one half
 * written.  Files of keys this run did not see are left alone.
 *
 * A split is used by one thread; its CSV files stay open (one descriptor
 * per key) until the commit, and with xlsx every row is kept in memory
 * until then.
 */
#ifndef LS_SPLIT_H
#define LS_SPLIT_H

#include <stddef.h>

#include "error.h"
#include "record.h"
#include "writer.h"
#include "xlsx_write.h"

struct ls_split_opts {
	const char *path;		/* the folder (made when missing, not its parents), or with xlsx the workbook */
	int xlsx;			/* one workbook at path, a sheet per key */
	struct ls_writer_opts wo;	/* the files' CSV or TSV (not xlsx) */
	const struct ls_xlsxw_col *types;	/* xlsx: typed columns by name (xlsx_write.h), or NULL */
};

struct ls_split;

/*
 * A split of rows of header hdr[0..ncols) (copied).  NULL with err filled
 * (the folder cannot be made).  Free with ls_split_free().
 */
struct ls_split *ls_split_new(const struct ls_split_opts *o, const struct ls_str *hdr, size_t ncols,
    struct ls_error *err);

/* Add row[0..ncols) to key[0..n)'s file.  0, or the status with err filled. */
int ls_split_row(struct ls_split *sp, const char *key, size_t n, const struct ls_str *row,
    struct ls_error *err);

/* Write every file in place.  0, or the status with err filled (files not yet renamed stay as they were). */
int ls_split_commit(struct ls_split *sp, struct ls_error *err);

/* The keys seen, in order of first row; the name key i's rows went to (a file, or a sheet); its rows. */
size_t ls_split_count(const struct ls_split *sp);
const char *ls_split_key(const struct ls_split *sp, size_t i);
const char *ls_split_name(const struct ls_split *sp, size_t i);
unsigned long ls_split_rows(const struct ls_split *sp, size_t i);

/* Free; files not committed are removed (their targets left as they were).  NULL is a no-op. */
void ls_split_free(struct ls_split *sp);

/*
 * A file name made of s[0..n): '/', '\', the characters Windows refuses
 * (<>:"|?*), control characters and a leading '.' become '_', an empty name "_", at most 200 bytes (whole UTF-8
 * characters), then ext (".csv"); "~2", "~3"... before ext when one of
 * used[0..nused) has it, case aside.  buf holds LS_SPLIT_NAME bytes.
 */
#define LS_SPLIT_NAME	256
void ls_split_file_name(const char *s, size_t n, const char *ext, const char *const *used,
    size_t nused, char *buf);

#endif
