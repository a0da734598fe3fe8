/*
 * ticket_ops.h - the work behind ticket-log(1)'s commands: an event checked
 * against the lifecycle and appended to the log, the whole log replayed
 * into a queue, and an import that appends every row of a CSV or none.
 *
 * The log (ticket.h) is opened, locked, written and closed inside each
 * call: a caller never holds the lock between calls.  Each call is
 * single-threaded; calls on different logs may run on different threads.
 */
#ifndef LS_TICKET_OPS_H
#define LS_TICKET_OPS_H

#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "date.h"
#include "error.h"
#include "queue.h"
#include "record.h"
#include "ticket.h"
#include "ticket_env.h"
#include "writer.h"

/* One event to append, as a command or an import row asks for it.  Strings are the caller's. */
struct ls_tevent_req {
	enum ls_tevent ev;
	long id;			/* the ticket; not for open */
	enum ls_tstatus want;		/* status */
	enum ls_priority priority;	/* open, priority (the new one: refused when it is the ticket's) */
	const char *client, *subject;	/* open */
	const char *agent;		/* open, assign; NULL: keep */
	const char *channel, *text;	/* NULL: empty */
	int64_t ts;
};

/*
 * A torn tail that a write found and cut (saved to LOG.torn first), or that
 * a reader stopped before; line 0: none.  warning is what to tell the user
 * (file, line and message; status LS_OK), ls_error_format() prints it.
 */
struct ls_ticket_ops_cut {
	long line;
	size_t bytes;
	struct ls_error warning;
};

/*
 * Read the rest of l into q, skipping events after until when until >= 0;
 * strict: a record the lifecycle forbids, or whose client, agent, text or
 * subject ls_ticket_ops_text() refuses, is an error, not taken as it is.
 * *nev (when not NULL) gets the number of events read.  Returns 0 or the
 * LS_* status with err filled.
 */
int ls_ticket_ops_replay(struct ls_tlog *l, struct ls_queue *q, int strict, int64_t until,
    long long *nev, struct ls_error *err);

/*
 * Append e to the log at path (created for an open), stamped e->ts and
 * written in zone tz.  An open reads only the log's last opening (from its
 * end), so it costs about the same on a big log; any other event replays
 * the log (ls_queue_apply(): the ticket's state at e->ts), as import does.
 * On success
 * *id is the ticket's number (a new one for open).  *cut tells a torn tail
 * cut on the way, success or not.  Returns 0 or LS_* with err filled: no
 * such ticket, a move the lifecycle forbids, a write error (the log is then
 * as it was), an event dated before the ticket's opening or one that
 * breaks a later event of the ticket.
 */
int ls_ticket_ops_append(const char *path, struct ls_tz *tz, const struct ls_tevent_req *e,
    long *id, struct ls_ticket_ops_cut *cut, struct ls_error *err);

/* An import: what to read and where, and what came of it. */
struct ls_ticket_ops_import {
	const struct ls_ticket_env *env;	/* the log, its zone (times without one are read in it), now */
	struct ls_reader *in;		/* the input, the caller's (ls_ticket_ops_import_file() opens one) */
	const char *inname;		/* the input's name in messages ("stdin" for "-") */
	const char *rejects;		/* NULL: all or nothing; else the rejects file (rejects.h) */
	/* results */
	long *opened;			/* malloc'ed (the caller frees it), NULL when none */
	size_t nopened;			/* the numbers of the tickets opened */
	unsigned long nrejected;	/* rows written to the rejects file */
	unsigned long nskipped;		/* rows taken in before (their ref known): nothing added */
	int refused;			/* the input itself was refused: "nothing imported" */
	struct ls_ticket_ops_cut cut;	/* a torn tail cut on the way */
};

/*
 * Import im->in: every record (read whole first, so that a slow pipe holds
 * no lock), each row an event (columns event, and optionally ts, ticket_id,
 * status, client, agent, priority, text, subject, channel, ref), checked
 * against the replayed log, then appended in one commit; a row without ts
 * is stamped env->now.  References (tlog_refs.h) make an import
 * idempotent: a row's ref, and an open row's ticket_id that is not a T-
 * id, are kept in the store beside the log with their ticket, in the same
 * critical section as the log's commit; a row whose ref (or open row whose
 * ticket_id) the store knows already is skipped (im->nskipped), and a
 * row's ticket_id may be any reference known, from this input or an
 * earlier one.  Without im->rejects, the first bad
 * record or row (LS_EDATA) stops the import and nothing is appended; with
 * it, each bad one (a record the reader refuses, a row the log refuses) is
 * a row of that file and the others are appended, in one commit still.
 * The rejects file is written (atomically, header only when nothing was
 * bad) before the log.  Fills im's results; returns 0 or LS_* with err
 * naming the input's file and line.
 */
int ls_ticket_ops_import(struct ls_ticket_ops_import *im, struct ls_error *err);

/*
 * ls_ticket_ops_import() of the file at path ("-": standard input, named
 * "stdin"), read with ro (the shared input options); im->in and
 * im->inname are set and the reader closed again.  0 or LS_*.
 */
int ls_ticket_ops_import_file(struct ls_ticket_ops_import *im, const char *path,
    const struct ls_reader_opts *ro, struct ls_error *err);

/*
 * ticket-log list: replay env's log (events up to at, a time as
 * ls_tlog_parse_time() reads it in env's zone; NULL: all) into a queue with
 * env's SLA clocks and write the tickets stream of those passing f as of at
 * (else env->now), header first, to w, times in env's zone.  The log is
 * unlocked before the first row goes out.  *torn tells a torn tail the
 * reading stopped before (line 0: none).  0, or LS_* with err filled (a bad
 * at is LS_EUSAGE, "--at: bad time ..."); w's own errors are left in w
 * (ls_writer_status()).
 */
int ls_ticket_ops_list(const struct ls_ticket_env *env, const char *at,
    const struct ls_queue_filter *f, struct ls_writer *w, struct ls_ticket_ops_cut *torn,
    struct ls_error *err);

/*
 * Ticket ids given as arguments, args[0..n), into *ids (malloc'ed, the
 * caller frees it; NULL when n is 0).  0, or LS_EUSAGE naming the first
 * that is not a ticket id, or LS_ENOMEM.
 */
int ls_ticket_ops_ids(char *const *args, int n, long **ids, struct ls_error *err);

/*
 * ticket-log show: write the log's records of the tickets ids[0..nids)
 * (all of them when nids is 0), header first, to w, as they are in the log.
 * An id above the log's last ticket is LS_EDATA, "no ticket T-000009",
 * after the rows.  *torn as for ls_ticket_ops_list().  0 or LS_*.
 */
int ls_ticket_ops_show(const char *path, const long *ids, size_t nids, struct ls_writer *w,
    struct ls_ticket_ops_cut *torn, struct ls_error *err);

/* What ls_ticket_ops_write() writes. */
struct ls_ticket_ops_query {
	int show;				/* 0: list's tickets stream; 1: show's events */
	const char *at;				/* list: as of at (NULL: now) */
	const struct ls_queue_filter *f;	/* list: the tickets wanted */
	const long *ids;			/* show: the tickets wanted (nids 0: all) */
	size_t nids;
};

/*
 * ls_ticket_ops_list() or ls_ticket_ops_show() as q says, into a writer
 * with wo on output (a path, replaced atomically; NULL or "-": fp),
 * committed only when all went well: a failed run leaves the path as it
 * was.  *torn as for ls_ticket_ops_list().  0, or LS_* with err filled
 * (LS_EPIPE: fp's reader went away).
 */
int ls_ticket_ops_write(const struct ls_ticket_env *env, const struct ls_ticket_ops_query *q,
    const char *output, FILE *fp, const struct ls_writer_opts *wo, struct ls_ticket_ops_cut *torn,
    struct ls_error *err);
/*
 * The same as an .xlsx workbook of one sheet, "tickets" or "events"
 * (ticket_xlsx.c, xlsx_write.h): times as date-times, every other cell of
 * the data a string.  Written whole, atomically to output, or to fp.
 */
int ls_ticket_ops_write_xlsx(const struct ls_ticket_env *env, const struct ls_ticket_ops_query *q,
    const char *output, FILE *fp, struct ls_ticket_ops_cut *torn, struct ls_error *err);

/* What ls_ticket_ops_check() found. */
struct ls_ticket_ops_check {
	long long nevents;
	long ntickets;
	struct ls_ticket_ops_cut torn;	/* line 0: no torn tail */
	long crlf, blank;		/* lines read with CR LF ends, blank lines skipped (ls_tlog_edits()) */
	int repaired;			/* the torn tail was cut and/or the line ends and blank lines
					   mended; the log as it was is in path + ".bak" */
	int version;			/* the log's format: 1 (no hash chain) or 2 */
	char last[65];			/* v2: the last record's hash (64 zeros: none) */
};

/*
 * ticket-log check: replay the whole log strictly (every status the one
 * the lifecycle gives, a v2 log's hash chain: ls_tlog_verify()), and read
 * the reference store beside it
 * (tlog_refs.h; a bad line is LS_EDATA naming it).  A torn tail is LS_EDATA naming its line, unless
 * repair: then the log is copied to path + ".bak" (atomically) and the tail
 * cut.  CR LF line ends and blank lines are read (and counted in *res);
 * with repair the log is written again without them (ls_tlog_repair()).
 * 0 with *res filled, or LS_* with err filled.
 */
int ls_ticket_ops_check(const char *path, int repair, struct ls_ticket_ops_check *res,
    struct ls_error *err);

/* What ls_ticket_ops_upgrade() did. */
struct ls_ticket_ops_upgrade {
	long long nevents;
	long ntickets;
	char last[65];		/* the last record's hash */
};

/*
 * ticket-log upgrade: under the log's exclusive lock, check the v1 log at
 * path as ls_ticket_ops_check() does (a bad record, a torn tail or a bad
 * reference store refuse it, LS_EDATA), copy it to path + ".v1", then
 * write it again as v2 (ls_tlog_upgrade()).  A v2 log is LS_EDATA
 * ("already v2").  0 with *res filled, or LS_* with err filled and the log
 * as it was.
 */
int ls_ticket_ops_upgrade(const char *path, struct ls_ticket_ops_upgrade *res,
    struct ls_error *err);

/*
 * A command line's arguments args[0..n) after the options, for event e->ev
 * (open: TEXT...; note, reply: ID TEXT...; status: ID STATUS [TEXT...];
 * assign: ID AGENT; close, reopen: ID [TEXT...]; priority: ID PRIORITY
 * [TEXT...]), into e; priority (NULL: normal; the option's) into
 * e->priority, unless the event names one itself; for open, e->client and
 * e->subject (set from the options) must not be blank.  e->channel is not
 * looked at: which channels there are is the SLA file's
 * (ls_ticket_env_channel(), once it is loaded).  The
 * text is the words joined by spaces, kept in text (the caller's, freed
 * with ls_buf_free()); e->text points into it.  0; -1 for the wrong number
 * of arguments (the caller prints its usage line); or LS_EUSAGE (a bad id,
 * status or priority, an empty agent, client, subject or note, text that is not
 * ls_ticket_ops_text()'s) or LS_ENOMEM with err filled.
 */
int ls_ticket_ops_args(struct ls_tevent_req *e, const char *priority, char *const *args, int n,
    struct ls_buf *text, struct ls_error *err);

/* 1 when s is NULL or holds only spaces, tabs and line ends: no client, no text. */
int ls_ticket_ops_blank(const char *s);

/*
 * 0 when s (NULL: none) is text a log may hold: UTF-8 without control
 * characters, tab and line feed aside (C0, DEL and C1; a carriage return
 * too).  Else status (LS_EUSAGE for an argument, LS_EDATA for a field)
 * with err->msg naming what ("--client", "text") and the byte, counted
 * from 1.
 */
int ls_ticket_ops_text(const char *what, const char *s, int status, struct ls_error *err);

#endif
