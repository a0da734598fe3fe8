/*
 * ticket.h - ticket-log's event log: an append-only CSV file that is the
 * support desk's database.
 *
 *   # ticket-log v2
 *   seq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch,prev_hash
 *   1,2026-11-26T09:05:00+03:00,T-000001,open,new,ООО Ромашка,,normal,,Где мой заказ?,phone,,0000...0000
 *
 * The first line names the format and its version; the second is the CSV
 * header (the columns of the "ticket events" stream, then subject,
 * channel and batch).  batch is empty but on the records of a commit of
 * several records (an import), where it holds "I/N", the record's place
 * in the commit and their number: a reader hands out none of them unless
 * all N are there, so a writer killed in the middle of a big write leaves
 * nothing half-imported, even when the cut falls between two records; and
 * a writer reading back from the end (ls_tlog_find()) sees the same.  Each event row carries the ticket's state after the event
 * (status, client, agent, priority), so a ticket's last row says where it
 * stands.  seq counts events from 1; ticket ids are T-000001, T-000002 ...
 * in the order the tickets were opened.
 *
 * Concurrency: a reader holds a shared flock on LOG.lock (lock.h) while it
 * reads, a writer an exclusive one while it reads the log to its end,
 * appends, and fsyncs; the records of one commit go out in one write(2).
 * A write that fails part way (full disk, file size limit) is cut off
 * again before the lock is released.  A torn last record (a writer killed
 * in the middle of its write, a crash) is never handed out: readers stop
 * before it and report it with ls_tlog_torn(); a writer cuts it (saving the
 * bytes to LOG.torn) before appending, and ls_tlog_repair() does the same
 * after copying the whole log to a backup.
 *
 * v2 (the version new logs get) adds prev_hash, a hash chain (chain.h):
 * each record holds the hash of the record before it (64 zeros for the
 * first), ls_chain_hash() over that record's parsed fields, its own
 * prev_hash last; a CR LF save does not change them, an edit, a removal or
 * two records swapped break the link of the record after it
 * (ls_tlog_verify()).  An append takes the hash of the last whole record
 * under its lock, reading that record only.  A v1 log (no prev_hash) is
 * read as before, and appended to as v1, until ls_tlog_upgrade() rewrites
 * it as v2.
 *
 * The records are written by the library's CSV writer (tlog_codec.h), so
 * the log is quoted as every CSV the tools write.  An ls_tlog is used by
 * one thread at a time; ticket.c keeps no state outside it (the backup of
 * ls_tlog_repair() is an atomic file: lock.h says what that registers
 * process-wide).
 */
#ifndef LS_TICKET_H
#define LS_TICKET_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "lifecycle.h"
#include "record.h"
#include "sla.h"

#define LS_TLOG_VERSION	2	/* new logs; v1 logs are read and appended to as v1 */
#define LS_TLOG_MAGIC	"# ticket-log v"	/* followed by the version */

enum ls_tcol {
	LS_TC_SEQ, LS_TC_TS, LS_TC_ID, LS_TC_EVENT, LS_TC_STATUS, LS_TC_CLIENT,
	LS_TC_AGENT, LS_TC_PRIORITY, LS_TC_TEXT, LS_TC_SUBJECT, LS_TC_CHANNEL,
	LS_TC_BATCH, LS_TC_NCOLS
};
/* v2's last column, after the events stream's: the previous record's hash */
#define LS_TC_PREV	LS_TC_NCOLS

/* The column names of the events stream (v1's columns), in order, NULL-terminated. */
extern const char *const ls_tlog_columns[LS_TC_NCOLS + 1];
/* The name of v2's last column: "prev_hash". */
extern const char ls_tlog_prev_column[];

/*
 * A channel's name as the log may hold it: empty, or 1 to LS_CHANNEL_MAX
 * of a-z, 0-9, '_' and '-', a letter first.  Which channels a writer
 * accepts is the SLA file's (ls_sla_channel(), sla.h).  1 or 0.
 */
int ls_channel_valid(const char *p, size_t n);

/*
 * One event as read.  Fields are NUL-terminated views owned by the log,
 * valid until the next ls_tlog_next(); f[LS_TC_PREV] is the prev hash of a
 * v2 log's record (64 hex digits), empty in a v1 log.
 */
struct ls_tlog_rec {
	long long seq;
	int64_t ts;
	long id;			/* the ticket's number: 1 for T-000001 */
	enum ls_tevent event;
	enum ls_tstatus status;
	enum ls_priority priority;
	struct ls_str f[LS_TC_NCOLS + 1];
	long line;			/* physical line where the record starts */
};

/* Modes for ls_tlog_open(). */
enum {
	LS_TLOG_READ = 0,	/* shared lock; the log must exist */
	LS_TLOG_WRITE = 1,	/* exclusive lock; the log must exist */
	LS_TLOG_CREATE = 3	/* exclusive lock; a missing or empty log is started */
};

struct ls_tlog;

/*
 * Open the log at path with mode, taking the lock (waiting for it), and
 * check its first two lines: a foreign file, or a newer format version,
 * is LS_EDATA naming the line.  Returns NULL with err filled on failure.
 * The lock is held until ls_tlog_close().
 */
struct ls_tlog *ls_tlog_open(const char *path, int mode, struct ls_error *err);

/*
 * The next event: 1 with *r filled, 0 at the end of the committed
 * records, -1 with err filled (LS_EDATA naming file:line for a record that
 * does not parse: field count, seq, ts, id, event, status, priority; or
 * LS_EIO).  Ids are checked to be opened in order, and events to name
 * opened tickets.
 */
int ls_tlog_next(struct ls_tlog *l, struct ls_tlog_rec *r, struct ls_error *err);

/* The log's format version: 1 or 2 (a new or empty log is 2). */
int ls_tlog_version(const struct ls_tlog *l);

/*
 * Before the first ls_tlog_next(): have it check the hash chain of a v2 log
 * as it reads (a v1 log has none: nothing is checked).  The first record
 * whose link is wrong is LS_EDATA: a record whose seq is not the next one
 * is named as removed or moved (its line), else the record before it as
 * edited (its line; or this record's prev hash edited, which the chain
 * cannot tell apart).  Costs a SHA-256 of every record: check's, not the
 * readers'.
 */
void ls_tlog_verify(struct ls_tlog *l);

/*
 * After ls_tlog_next() returned 0 with ls_tlog_verify(): the last whole
 * record's hash (64 hex digits and a NUL; 64 zeros for none), which a copy
 * kept elsewhere compares to.  Owned by l.  NULL for a v1 log.
 */
const char *ls_tlog_last_hash(const struct ls_tlog *l);

/*
 * For one append, instead of reading the whole log: right after
 * ls_tlog_open() in a write mode, find the last record of ticket id (id 0:
 * the last open, that is the newest ticket) by reading records back from
 * the end, and make the log ready for ls_tlog_add() as if read to its end.
 * Returns 1 with *r (fields owned by the log, valid until it is closed), 0
 * when there is no such record (no such ticket; no ticket at all), -1 with
 * err filled.  A log whose tail is not whole records in seq order (a torn
 * tail, a commit cut short) is read forward as ls_tlog_next() does.
 * Afterwards ls_tlog_seq() is exact, and ls_tlog_maxid() too when id was 0.
 */
int ls_tlog_find(struct ls_tlog *l, long id, struct ls_tlog_rec *r, struct ls_error *err);

/*
 * After ls_tlog_next() returned 0: 1 when a torn record follows the last
 * whole one, with its line and size; else 0.
 */
int ls_tlog_torn(const struct ls_tlog *l, long *line, size_t *bytes);

/* The last seq and the highest ticket number read so far (0 for none). */
long long ls_tlog_seq(const struct ls_tlog *l);
long ls_tlog_maxid(const struct ls_tlog *l);

/* The path given at open. */
const char *ls_tlog_path(const struct ls_tlog *l);

/*
 * Queue one event for the next ls_tlog_commit(), after every record has
 * been read (ls_tlog_next() returned 0) in a write mode.  f[LS_TC_SEQ] and
 * f[LS_TC_BATCH] are ignored: the log numbers the event and marks
 * batches.  The fields are copied.  Returns the event's seq, or -1 with err
 * filled.
 */
long long ls_tlog_add(struct ls_tlog *l, const struct ls_str f[LS_TC_NCOLS], struct ls_error *err);

/*
 * Write the queued events in one write(2) (with the log's first lines when
 * it is new) and fsync.  A torn tail is cut first (its bytes appended to
 * path + ".torn").  On failure the log is cut back to what it held and
 * LS_EIO returned; nothing queued is then on disk.  0 on success.
 */
int ls_tlog_commit(struct ls_tlog *l, struct ls_error *err);

/*
 * After reading to the end: how many lines ended in CR LF (the first two
 * lines of a log saved so included; its quoted fields are read with LF
 * line breaks too), and how many blank lines were skipped.  Both are what
 * a hand edit leaves; readers take the log as if they were not there.
 */
void ls_tlog_edits(const struct ls_tlog *l, long *crlf, long *blank);

/*
 * With a write mode, after reading to the end: copy the whole log to
 * backup (atomically) and cut the torn tail; when ls_tlog_edits() found
 * CR LF line ends or blank lines, the log is written again (atomically,
 * its whole records only) with LF line ends and without blank lines.  0
 * when done or when there was nothing to do.
 */
int ls_tlog_repair(struct ls_tlog *l, const char *backup, struct ls_error *err);

/*
 * With a write mode, on a v1 log read to its end (ls_tlog_next() returned
 * 0) with no torn tail: copy the log as it is to backup (atomically), then
 * write it again as v2 (atomically: a temporary file, fsync, rename, the
 * folder fsynced): every record as it was read (seq, batch and all; CR LF
 * ends and blank lines gone), each with its prev hash.  *n gets the records
 * written, last (65 bytes) the last one's hash.  0, or LS_* with err
 * filled and the log as it was.  Afterwards l is only for ls_tlog_close().
 */
int ls_tlog_upgrade(struct ls_tlog *l, const char *backup, long long *n, char last[65],
    struct ls_error *err);

/* Release the lock, close and free.  Queued, uncommitted events are dropped.  NULL is a no-op. */
void ls_tlog_close(struct ls_tlog *l);

/* Parse a ticket id "T-000001" (T- and 1 to 9 digits) into its number.  0, or -1. */
int ls_ticket_id_parse(const char *p, size_t n, long *id);
/* Format id as "T-000001" into buf (at least 16 bytes). */
void ls_ticket_id_format(long id, char *buf, size_t size);

/*
 * Parse a time given on the command line (list --at, import's ts): RFC
 * 3339; or a date (YYYY-MM-DD, DD.MM.YYYY, today, yesterday, -Nd) optionally
 * followed by a space and HH:MM[:SS], read as local time in tz (NULL: UTC).
 * A date alone is its local midnight.  now anchors the relative words.
 * 0 or LS_EDATA (err->msg only).
 */
int ls_tlog_parse_time(const char *s, struct ls_tz *tz, int64_t now, int64_t *t,
    struct ls_error *err);

#endif
