/*
 * rejects.h - the rejects file of --rejects (libsales-formats(5)): a UTF-8
 * CSV with the columns raw, line, error, file, one row per bad record, that
 * the tools read back.  In raw, each byte that is not part of valid UTF-8,
 * and NUL, is written as \xHH, so the file stays text whatever came in.
 */
#ifndef LS_REJECTS_H
#define LS_REJECTS_H

#include "error.h"
#include "record.h"
#include "writer.h"

/*
 * Create the rejects file at path (atomically: it appears whole at
 * ls_writer_commit()) with its header row.  Returns the writer, owned by
 * the caller (ls_writer_free()), or NULL with err filled.
 */
struct ls_writer *ls_rejects_open(const char *path, struct ls_error *err);

/*
 * One row: the record's raw text raw[0..n) (escaped as above), its line,
 * the message and the input's name.  Returns 0, or the writer's error
 * status (LS_EIO, LS_ENOMEM).
 */
int ls_rejects_add(struct ls_writer *w, const char *raw, size_t n, long line, const char *msg,
    const char *file);

/*
 * The same for a record read well but refused later: its fields are joined
 * again as one CSV line (quoted where needed) for raw.
 */
int ls_rejects_add_fields(struct ls_writer *w, const struct ls_str *f, size_t nf, long line,
    const char *msg, const char *file);

#endif
