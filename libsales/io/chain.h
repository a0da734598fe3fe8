/*
 * chain.h - a hash chain of records: tamper evidence for the append-only
 * files the tools keep.  Two files use it: doc-render's approval journal,
 * a file of this module's own (below, in the record-file codec of
 * recfile.h), and the ticket log from its v2 on (ticket.h), a CSV file
 * with its own reader and writer, which takes the record hash and the link
 * check from here (ls_chain_hash(), ls_chain_follows()): one definition
 * of the hash for both.
 *
 * The file: a first line PREFIX followed by the version ("# doc-render
 * journal v1"), then one record per line, its fields TSV-escaped and
 * separated by tabs, the last field being the hash of the record before it
 * (64 hex digits; 64 zeros for the first record).  A record's hash is the
 * SHA-256 of its parsed (unescaped) fields, prev hash included, each as its
 * decimal length, ':' and its bytes: the same record escaped another way
 * hashes the same, and any field changed, a record removed or moved breaks
 * the link of the record after it, which ls_chain_open() reports by line.
 *
 * What a chain cannot show by itself: its last records cut off (the
 * shorter chain is valid), or the whole chain rewritten with new hashes.
 * A copy of ls_chain_last() kept elsewhere (another machine, a mail, a
 * printed receipt) shows both.
 *
 * Appends are durable and whole: records added with ls_chain_add() go to
 * the file in one write at the end of the last whole record, then fsync
 * (ls_recfile_append()); a failed one is cut back.  The file is opened
 * O_APPEND and held under an exclusive flock(2) on the file itself from
 * open to close, so concurrent writers take turns and every record links
 * to the one written before it.  One thread at a time per chain.
 */
#ifndef LS_CHAIN_H
#define LS_CHAIN_H

#include <stddef.h>

#include "error.h"
#include "record.h"

#define LS_CHAIN_MAXF	15	/* fields per record, the prev hash not counted */

enum {
	LS_CHAIN_WRITE = 1,	/* open for ls_chain_add(): created when missing, exclusive lock,
				 * a torn last line (a writer killed mid-record) saved to PATH.torn
				 * and cut off */
	LS_CHAIN_READ = 0	/* read only, shared lock; a missing file is an empty chain;
				 * a torn last line is not read */
};

struct ls_chain;

/*
 * Called by ls_chain_open() for each record in order: f[0..n) are its
 * fields without the prev hash (n is the nfields given), line its line in
 * the file.  The fields are valid during the call only.  A non-zero return
 * stops the reading and is returned (fill err).
 */
typedef int (*ls_chain_fn)(void *arg, const struct ls_str *f, size_t n, long line,
    struct ls_error *err);

/*
 * Open the chain at path (its first line prefix + "1"; what names the kind
 * of file in messages: "a doc-render journal"), take its lock, read and
 * check every record: nfields fields (at most LS_CHAIN_MAXF) and the hash
 * of the previous one; fn (may be NULL) sees each.  A record out of place
 * is LS_EDATA naming path:line.  Returns NULL with err filled on failure;
 * close with ls_chain_close().
 */
struct ls_chain *ls_chain_open(const char *path, const char *prefix, const char *what,
    size_t nfields, int mode, ls_chain_fn fn, void *arg, struct ls_error *err);

/*
 * Add a record of nfields fields f[0..nfields) to the pending batch (in
 * memory; its prev hash is the last record's, pending or not).  Fields must
 * not hold NUL bytes (LS_EUSAGE).  0, LS_ENOMEM or LS_EUSAGE.
 */
int ls_chain_add(struct ls_chain *c, const struct ls_str *f, struct ls_error *err);

/*
 * Write the pending batch at the end of the file in one write, then fsync.
 * On failure the file and ls_chain_last() are as before the batch, and the
 * batch is dropped.  0 or LS_EIO.
 */
int ls_chain_commit(struct ls_chain *c, struct ls_error *err);

/* The hash of the last record (committed or pending), 64 hex digits; 64 zeros for an empty chain.  Owned by c. */
const char *ls_chain_last(const struct ls_chain *c);

/* Records read and committed (pending ones not counted). */
long ls_chain_count(const struct ls_chain *c);

/* Drop a pending batch, unlock, close and free.  NULL is a no-op. */
void ls_chain_close(struct ls_chain *c);

/*
 * The hash of a record of fields f[0..n) into hex (lower case, NUL
 * terminated): SHA-256 over each field as its decimal length, ':' and its
 * bytes, the record's own prev hash being its last field f[n - 1].  What
 * the next record's prev field holds.
 */
void ls_chain_hash(const struct ls_str *f, size_t n, char hex[65]);

/*
 * 1 when the record of fields f[0..n) links to a record whose hash is
 * last (64 hex digits; 64 zeros: the record is the first): its last field
 * f[n - 1] is that hash; else 0.
 */
int ls_chain_follows(const struct ls_str *f, size_t n, const char *last);

/* 64 zeros: the prev hash of a chain's first record. */
extern const char ls_chain_zeros[65];

#endif
