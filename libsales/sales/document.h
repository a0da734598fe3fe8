/*
 * document.h - what doc-render renders and guards: the context of one
 * document (its row, the context YAML, the invoice lines joined from an
 * items file with exact VAT maths), safe output names, and the manifest
 * with its approval gate.
 */
#ifndef LS_DOCUMENT_H
#define LS_DOCUMENT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "money.h"
#include "mustache.h"
#include "record.h"

/* ---- invoice maths ---- */

struct ls_invoice_line {
	int64_t price;		/* minor units, as written (with VAT when included) */
	int64_t qty;		/* at scale LS_INVOICE_QTY_SCALE */
	int64_t rate;		/* VAT percent at scale 2 (2200 is 22%) */
	int vat_none;		/* «Без НДС»: no VAT on this line */
	int64_t total;		/* out: qty × price, rounded half away from zero */
	int64_t vat;		/* out: its VAT, rounded per line */
};

#define LS_INVOICE_QTY_SCALE	3

/*
 * Work out every line's total and VAT and the document's sums: subtotal is
 * the amount without VAT, vat the VAT, total what the client pays, in both
 * modes (added: prices exclude VAT; included: they hold it).  Returns 0 or
 * LS_EDATA on overflow.
 */
int ls_invoice_compute(struct ls_invoice_line *lines, size_t n, enum ls_vat_mode mode,
    int64_t *subtotal, int64_t *vat, int64_t *total, struct ls_error *err);

/* ---- the document context ---- */

struct ls_doc_opts {
	const char *context_path;	/* -c YAML, or NULL */
	const char *items_path;		/* --items FILE, or NULL */
	const char *key;		/* --key COL: in the items and in the document rows */
	int64_t now;			/* seconds since the epoch: "today" for rows without a date */
};

struct ls_docs;

/*
 * Load the context YAML (its vat_mode, vat and date_column keys are
 * checked: LS_ECONFIG, exit 2) and the items file (every line's qty and
 * price parsed: LS_EDATA naming file and line).  Returns NULL with err
 * filled.  Free with ls_docs_free().
 */
struct ls_docs *ls_docs_open(const struct ls_doc_opts *o, struct ls_error *err);

/*
 * Check the document stream's header (the --key column must be there).
 * hdr is borrowed for the life of d.
 */
int ls_docs_header(struct ls_docs *d, const struct ls_str *hdr, size_t ncols,
    const char *file, struct ls_error *err);

/*
 * The context stack of the document in fields[0..n) (from file:line):
 * stack[0] the computed values (items, subtotal, vat_total, total, vat_rate,
 * vat_none, vat_mode, date, items_count), stack[1] the YAML, stack[2] the
 * row, looked at first.  Returns the depth (3), or -1 with err filled
 * (LS_EDATA: a date that does not parse, no VAT rate for the date,
 * overflow).  Values are valid until the next call.
 */
int ls_docs_row(struct ls_docs *d, const struct ls_str *fields, size_t n, const char *file,
    long line, struct ls_mval stack[3], struct ls_error *err);

/*
 * Item rows whose key no document row had, so far: their number, and the
 * file line and key of the first (for the warning).
 */
size_t ls_docs_unmatched(const struct ls_docs *d, long *first_line, const char **first_key);

void ls_docs_free(struct ls_docs *d);

/* ---- output names ---- */

/*
 * Write buf[0..n) as dir/name atomically (a temporary file renamed into
 * place; not fsynced: see ls_doc_sync()).  name must stay inside dir: not
 * empty, not absolute, no ".." part, no folder or file on the way that is
 * a symbolic link leading out (LS_EDATA "leaves DIR").  An existing file is
 * kept (LS_EDATA, *exists set) unless force.  *path_out (malloc'ed) gets
 * the file's path as written in the manifest.
 */
int ls_doc_write(const char *dir, const char *name, const void *buf, size_t n, int force,
    char **path_out, int *exists, struct ls_error *err);

/*
 * Make the documents at paths[0..n) durable: fsync each, and each folder
 * (once per run of equal folders).  ls_doc_write() leaves that to one call
 * at the end of a run.  0 or LS_EIO.
 */
int ls_doc_sync(char *const *paths, size_t n, struct ls_error *err);

/* ---- manifest ---- */

enum { LS_MF_DOC_ID, LS_MF_FILE, LS_MF_TEMPLATE, LS_MF_STATUS, LS_MF_SHA256,
	LS_MF_RENDERED_AT, LS_MF_APPROVED_BY, LS_MF_APPROVED_AT, LS_MF_NCOLS };

/* The manifest's columns, in order, NULL-terminated. */
extern const char *const ls_manifest_cols[];

struct ls_manifest_row {
	char *f[LS_MF_NCOLS];
	long line;
	int touched;		/* set by ls_manifest_approve() on the rows it approved */
};

struct ls_manifest {
	char *path;
	struct ls_manifest_row *rows;
	size_t n;
};

/*
 * Read and check the manifest at path: the header must hold the columns
 * above (in any order; others are refused), doc_id must be unique and
 * non-empty, status draft, approved or released, an approved or released
 * row needs approved_by, approved_at and a sha256 of 64 hex digits.  An
 * inconsistent manifest is LS_EDATA naming path:line.  Free with
 * ls_manifest_free().
 */
int ls_manifest_load(const char *path, struct ls_manifest *m, struct ls_error *err);

/* Write m to its path atomically (the caller holds the lock). */
int ls_manifest_save(const struct ls_manifest *m, struct ls_error *err);

void ls_manifest_free(struct ls_manifest *m);

/* Replace row field k with a copy of s.  0 or LS_ENOMEM. */
int ls_manifest_set(struct ls_manifest_row *r, int k, const char *s);

/*
 * Approve the rows named by ids[0..nids) (every draft when nids is 0): the
 * file's current sha256, approver by and time when are recorded and the
 * status becomes approved (again, for a row approved before).  A name not
 * in the manifest, a released row, or a file that cannot be read is
 * LS_EDATA and m is then not to be saved.  *napproved counts the rows.
 */
int ls_manifest_approve(struct ls_manifest *m, const char *by, char *const *ids, size_t nids,
    const char *when, size_t *napproved, struct ls_error *err);

/* What release did with one row. */
enum ls_release_result {
	LS_REL_RELEASED,	/* copied now */
	LS_REL_ALREADY,		/* released before and still in the outbox */
	LS_REL_UNAPPROVED,	/* refused: draft */
	LS_REL_CHANGED,		/* refused: the file's hash is not the approved one */
	LS_REL_MISSING,		/* refused: the file is gone */
	LS_REL_CONFLICT		/* refused: the outbox holds another file of that name */
};

/*
 * Copy every approved row's file, when its sha256 is still the approved
 * one, into outbox (created when missing; copies are atomic), and mark it
 * released.  results[i] (an array of m->n the caller gives) says what
 * happened to row i.  Returns 0 (look at results for refusals) or an
 * I/O error.  The caller saves the manifest afterwards.
 */
int ls_manifest_release(struct ls_manifest *m, const char *outbox,
    enum ls_release_result *results, struct ls_error *err);

#endif
