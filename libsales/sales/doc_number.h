/*
 * doc_number.h - invoice numbers from one counter file (doc-render(1)
 * NUMBERING, libsales-formats(5) "doc-render numbers"): a series per
 * seller, series and year, every number issued recorded with the deal it
 * went to, so that numbers have no gaps, are never reused, and a deal
 * rendered again keeps its own.
 *
 * The file is a record file (recfile.h) appended to, never rewritten: one
 * line per number issued, added with one write and an fsync before the
 * number is used.  The first lookup takes the file's exclusive lock
 * (lock.h, FILE.lock, waiting for it) and holds it until
 * ls_numbers_free(): a run sees the series as no other run changes it, and
 * a number it looked up is still free when it records it.  The kernel
 * drops the lock of a killed run; a line a killed run left half-written was
 * never used (its fsync had not returned) and is cut off, kept in
 * FILE.torn.
 *
 * One thread at a time; nothing here prints or exits.
 */
#ifndef LS_DOC_NUMBER_H
#define LS_DOC_NUMBER_H

#include <stddef.h>

#include "error.h"

struct ls_numbers;

/* The counter file at path (copied); no I/O yet.  NULL when out of memory. */
struct ls_numbers *ls_numbers_new(const char *path);

/* What identifies a series and the document in it; the strings are borrowed for the call. */
struct ls_number_key {
	const char *seller;	/* the seller's INN */
	const char *series;	/* "" for none */
	int year;		/* of the document's date */
	const char *deal;	/* the deal (doc_id) */
	size_t dealn;
};

/*
 * The number of deal k->deal in its series: the one recorded for it
 * (*issued set), else the next one free (*issued 0), which stays free
 * while nb lives.  The first call locks and reads the file (a missing one
 * is empty): a file that is not a counter file, a number that does not
 * follow the one before in its series, a deal numbered twice in a series
 * are LS_EDATA naming the file's line.  0 or an error.
 */
int ls_numbers_peek(struct ls_numbers *nb, const struct ls_number_key *k, long long *number,
    int *issued, struct ls_error *err);

/*
 * Record the number ls_numbers_peek() gives for k, unless it is recorded
 * already: one line appended and fsynced (the file created with its first
 * line when missing), date (the document's, YYYY-MM-DD) and when (the
 * run's time) with it.  0 with *number set, or LS_EIO with the file as it
 * was.
 */
int ls_numbers_take(struct ls_numbers *nb, const struct ls_number_key *k, const char *date,
    const char *when, long long *number, struct ls_error *err);

/* Release the lock and free; NULL is a no-op. */
void ls_numbers_free(struct ls_numbers *nb);

/*
 * A number as the documents print it: fmt with %S the series, %Y the year,
 * %y its last two digits, %N the number, %4N (a width 1..9) the number
 * with zeros before it to that width, %% a percent sign.  0, or -1 with
 * *why set (static words) when fmt has another % sequence, or not exactly
 * one %N, or the result does not fit size.
 */
int ls_number_format(const char *fmt, const char *series, int year, long long n, char *buf,
    size_t size, const char **why);

#endif
