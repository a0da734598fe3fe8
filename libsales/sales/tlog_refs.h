/*
 * tlog_refs.h - the ticket log's reference store: which outside references
 * (a mail's Message-ID, a telephony call id, a web form's id) the log has
 * taken in already, and the ticket each went to, so that an import read
 * twice, or a Maildir read every five minutes, adds nothing the second time
 * and a later reply finds its ticket.
 *
 * A record file (recfile.h) beside the log, LOG.refs:
 *
 *   # ticket-log refs v1
 *   <mail-777@example.ru>\t5\tT-000002
 *
 * one line per reference: the reference (escaped as recfile.h escapes),
 * the seq of the log's event that brought it in, the ticket.  It lives
 * beside the log rather than in it so that v1 logs, and every reader of
 * them, stay as they are.
 *
 * Consistency with the log, without a lock of its own: every call is made
 * under the log's lock (ticket.h), and a writer writes the store before
 * the log, under one exclusive lock.  A line whose seq is past the log's
 * last one is therefore a commit that never reached the log (a failed
 * write, a crash in between): readers ignore it and the log's next writer
 * cuts it off (ls_trefs_trim(), ls_trefs_commit()) before it appends, so a
 * reference is known exactly when its event is in the log.  A line cut
 * short (no line feed) is the same.  A missing store is an empty one.
 *
 * No state outside the handle; one thread at a time per handle.
 */
#ifndef LS_TLOG_REFS_H
#define LS_TLOG_REFS_H

#include <stddef.h>

#include "error.h"

#define LS_TREFS_MAGIC		"# ticket-log refs v"	/* followed by the version */
#define LS_TREFS_VERSION	1
#define LS_TREFS_MAX		998	/* bytes of a reference, as RFC 5322 limits a header line */

struct ls_trefs;

/*
 * The store beside the log at log (log + ".refs"), read whole, lines with
 * a seq past logseq (the log's last, ls_tlog_seq()) left out.  The caller
 * holds the log's lock, exclusive when it will ls_trefs_commit().  NULL
 * with err filled: LS_EDATA naming the store's file and line (not a refs
 * file, a bad line), LS_EIO, LS_ENOMEM.  Free with ls_trefs_free().
 */
struct ls_trefs *ls_trefs_open(const char *log, long long logseq, struct ls_error *err);

/* The ticket ref[0..n) went to, or 0 when the store does not know it (queued ones included). */
long ls_trefs_get(const struct ls_trefs *r, const char *ref, size_t n);

/*
 * Queue ref[0..n) as brought in by event seq of ticket id; ls_trefs_get()
 * knows it at once.  A reference already known is left as it was (0).
 * 0, or LS_EDATA (empty, longer than LS_TREFS_MAX, a NUL byte) or
 * LS_ENOMEM with err filled.
 */
int ls_trefs_add(struct ls_trefs *r, const char *ref, size_t n, long long seq, long id,
    struct ls_error *err);

/*
 * Write the queued references (the head first for a new store) after the
 * store's last line that counts, cutting what follows it, then fsync.
 * Call it before the log's commit, under its exclusive lock.  0 (also
 * when nothing was queued), or LS_EIO/LS_ENOMEM with err filled; the store
 * is then as it was.
 */
int ls_trefs_commit(struct ls_trefs *r, struct ls_error *err);

/*
 * After ls_trefs_commit() when the log's own commit failed: cut the lines
 * it wrote (remove the store when it made it), so that the store is the
 * old one, not one with lines no reader counts.  Best effort: what it
 * cannot cut is still left out by readers and cut by the next writer.
 */
void ls_trefs_undo(struct ls_trefs *r);

/*
 * For a writer of the log that brings no reference (ticket-log open, note
 * ...): cut the store beside log back to logseq, as ls_trefs_commit()
 * would, so that a line left by a failed commit cannot come to name the
 * event that takes its seq.  Costs one open when there is no store, and a
 * read of its last line when there is nothing to cut; a last line that is
 * not a whole reference line has the store read whole, so a bad line is
 * the writer's LS_EDATA as it is ls_trefs_open()'s.  0 or LS_* with err.
 */
int ls_trefs_trim(const char *log, long long logseq, struct ls_error *err);

/* The number of references known (read and queued). */
size_t ls_trefs_count(const struct ls_trefs *r);

/* Free; queued references not committed are dropped.  NULL is a no-op. */
void ls_trefs_free(struct ls_trefs *r);

#endif
