/*
 * doc_int.h - what the files of doc-render's library share, and nothing
 * outside them sees: the documents' state (struct ls_docs, filled by
 * document.c), the rate helpers of the invoice maths (doc_invoice.c), the
 * context stack's values (doc_values.c), the manifest as read
 * (doc_manifest.c, doc_release.c) and the output files' paths
 * (doc_files.c).  Single-threaded like the rest of the
 * module: one struct ls_docs is used by one thread at a time.
 */
#ifndef LS_DOC_INT_H
#define LS_DOC_INT_H

#include <stdint.h>
#include <sys/stat.h>

#include "calendar.h"
#include "date.h"
#include "document.h"
#include "keyset.h"

struct item {
	char *buf;		/* the fields' text, in f's allocation */
	struct ls_str *f;
	long line;
	int64_t qty, price, rate;
	int has_rate, vat_none;
	long next;		/* next item of the same key, or -1 */
	uint32_t group;		/* index into groups */
};

struct group {
	long head, tail;
	int used;
};

struct vat_step {
	int64_t from;		/* days since 1970 */
	int64_t rate;		/* scale 2 */
};

struct dline {
	const struct ls_docs *d;
	const struct item *it;
	char total[LS_MONEY_BUFSZ], vat[LS_MONEY_BUFSZ], with_vat[LS_MONEY_BUFSZ];
	char n[24], rate[LS_MONEY_BUFSZ];
	int vat_none;
};

/* A VAT group as a template sees it (vat_groups): the text of struct ls_vat_group. */
struct dgroup {
	char label[32 + LS_MONEY_BUFSZ];	/* «НДС 10%», «Без НДС» */
	char rate[LS_MONEY_BUFSZ];		/* "10"; empty when vat_none */
	char base[LS_MONEY_BUFSZ], vat[LS_MONEY_BUFSZ], total[LS_MONEY_BUFSZ];
	int vat_none;
};

struct row {
	const struct ls_str *hdr, *f;
	size_t n;
};

struct ls_docs {
	struct ls_config *cfg;
	const struct ls_node *root;
	enum ls_vat_mode mode;
	int vat_none;			/* vat: none */
	struct vat_step *vat;
	size_t nvat;
	const char *date_col;
	const char *key;
	struct ls_date today;
	struct ls_cal *cal;		/* the context's calendar:, owned (ls_docs_free()); or NULL */
	int64_t payment_days;		/* business days to pay; -1: no due date */

	char *items_file;
	struct ls_str *ihdr;
	char *ihdr_buf;
	size_t nicols;
	long icol_key, icol_qty, icol_price, icol_rate;
	struct item *items;
	size_t nitems;
	struct ls_keyset *index;	/* key -> group number */
	struct group *groups;
	size_t ngroups, capgroups;

	const struct ls_str *hdr;	/* the document stream's */
	size_t ncols;
	long col_key, col_date;

	/* the current document */
	struct row row;
	int has_items;
	struct dline *lines;
	struct ls_invoice_line *inv;
	size_t nlines, caplines, capinv;
	struct ls_vat_group *vg;	/* ls_invoice_groups()'s, capvg >= nlines */
	struct dgroup *groups_txt;
	size_t nvg, capvg, capgtxt;
	char subtotal[LS_MONEY_BUFSZ], vat_total[LS_MONEY_BUFSZ], total[LS_MONEY_BUFSZ];
	char rate[LS_MONEY_BUFSZ], date[LS_DATE_BUFSZ], count[24];
	char due[LS_DATE_BUFSZ];	/* due_date: date plus payment_days working days; "" without */
	int doc_vat_none;
	int64_t total_minor;		/* the total in kopecks */
	struct ls_doc_qr *qr;		/* payment_qr, made when a template asks (doc_payment.c) */
};

/* doc_invoice.c: a rate as people write it ("20", "10.5") into buf. */
void ls_invoice_rate_format(int64_t rate, char *buf, size_t size);
/* A percent 0..100 with point or comma at scale 2: 0 or LS_EDATA. */
int ls_invoice_rate_parse(const char *s, size_t n, int64_t *rate);
/* "none", "без ндс" or "-" in any case, blanks around: a line or context without VAT (1, else 0; -1 when out of memory). */
int ls_invoice_is_none(const char *s, size_t n);

/*
 * doc_payment.c: {{{payment_qr}}}, the current document's payment QR code
 * as inline SVG, made the first time a template asks for it; a failure
 * (a missing bank requisite) renders nothing and is kept for
 * ls_doc_payment_error(), which the renderer asks after each document.
 * ls_doc_payment_reset() forgets the last document's, at each row;
 * ls_doc_payment_new() makes d->qr at open (NULL: out of memory).
 */
struct ls_doc_qr *ls_doc_payment_new(void);
int ls_doc_payment_qr(const struct ls_docs *d, struct ls_mval *out);
void ls_doc_payment_reset(struct ls_docs *d);
int ls_doc_payment_error(const struct ls_docs *d, struct ls_error *err);
void ls_doc_payment_free(struct ls_docs *d);

/*
 * doc_requisites.c: the seller's INN, KPP, BIK and accounts in the company
 * config c, by text/requisites.h's rules, for a document with items made
 * from template_path (skipped when the config lists its file name under
 * requisites_unchecked).  0, or LS_ECONFIG naming the key and its
 * file:line:col.
 */
int ls_doc_requisites_check(const struct ls_config *c, const char *template_path, struct ls_error *err);
/* The scalar at seller.a (b NULL) or seller.a.b of the seller map, or NULL when absent or empty. */
const struct ls_node *ls_doc_seller_field(const struct ls_node *seller, const char *a, const char *b);

/* doc_values.c: the context stack of d's current document (ls_docs_row()'s). */
void ls_doc_values_stack(struct ls_docs *d, struct ls_mval stack[3]);

/* The manifest as read (doc_manifest.c, doc_release.c). */
struct ls_manifest_row {
	char *f[LS_MF_NCOLS];
	long line;
	int touched;		/* approved (1) or refused (-1) by the last ls_manifest_approve() */
	enum ls_release_result rel;	/* what the last ls_manifest_release() did */
	char *why;		/* a refusal's words naming the file, or NULL */
};

struct ls_manifest {
	char *path;
	char *dir;			/* the manifest's folder: file cells are relative to it */
	struct ls_journal *journal;	/* ls_manifest_open()'s, beside the manifest */
	struct ls_lock *lock;		/* ls_manifest_open()'s, released by ls_manifest_free() */
	struct ls_manifest_row *rows;
	size_t n;
};

/* doc_manifest.c: replace row field k with a copy of s.  0 or LS_ENOMEM. */
int ls_manifest_row_set(struct ls_manifest_row *r, int k, const char *s);
/*
 * doc_manifest.c: now (clock.h) as an RFC 3339 time in the local zone (TZ), else UTC.
 * 0, or LS_ENOMEM (err filled) when the zone cannot be had: a UTC time then would
 * differ from the run's other times without a word.
 */
int ls_doc_now_text(char buf[LS_TIME_BUFSZ], struct ls_error *err);

/* doc_gate.c: the approval journal, MANIFEST.journal (a chain.h chain). */
enum { LS_J_TIME, LS_J_EVENT, LS_J_DOC, LS_J_SHA, LS_J_BY, LS_J_LOGIN, LS_J_WHY, LS_J_NFIELDS };

/* What the journal says of one document. */
struct ls_jdoc {
	char *by;		/* the last approval's approver; NULL: never approved */
	char sha[65];		/* ... and the hash approved */
	long line;		/* ... and its journal line (0: added in this run) */
	int released;		/* a release recorded after that approval */
	char rel_sha[65];
};

struct ls_journal {
	char *path;
	struct ls_chain *c;
	struct ls_jdoc *docs;
	size_t n, cap;
	struct ls_keyset *index;	/* doc_id -> index into docs */
};

/*
 * Open the journal of the manifest at manifest (write: created when
 * missing and locked exclusively until ls_journal_close(); else read with
 * a shared lock, a missing one empty), every record checked.  NULL with
 * err filled (LS_EDATA naming the journal's line).
 */
struct ls_journal *ls_journal_open(const char *manifest, int write, struct ls_error *err);
/* What the journal says of doc id, or NULL: nothing.  Valid until the next ls_journal_add(). */
const struct ls_jdoc *ls_journal_doc(const struct ls_journal *j, const char *id);
/* Add a record (pending until ls_journal_commit()); event approved, accepted, refused or released. */
int ls_journal_add(struct ls_journal *j, const char *when, const char *event, const char *id,
    const char *sha, const char *by, const char *login, const char *why, struct ls_error *err);
/* Write the pending records durably, at once. */
int ls_journal_commit(struct ls_journal *j, struct ls_error *err);
void ls_journal_close(struct ls_journal *j);

/*
 * doc_gate.c: read the document name (a file cell) from inside the folder
 * base: not absolute, no "..", no symbolic link on the way, a regular file
 * (openat + O_NOFOLLOW, fstat of the descriptor read).  0 with *buf
 * (malloc'ed) and *len (and the descriptor's fstat in *st, when not
 * NULL), or LS_EDATA with err naming the file and why (*missing set when
 * it does not exist), LS_EIO, LS_ENOMEM.
 */
int ls_doc_read_in(const char *base, const char *name, char **buf, size_t *len, int *missing,
    struct stat *st, struct ls_error *err);

/* The hidden folder beside each draft that keeps its bytes as rendered. */
#define LS_DOC_RENDERED	".rendered"
/* The name of file's rendered copy: DIR/.rendered/BASE (malloc'ed), NULL when out of memory. */
char *ls_doc_rendered_name(const char *file);

/*
 * doc_files.c: keep the bytes rendered as path in its rendered copy
 * (ls_doc_rendered_name(), the folder created), not synced; *copy_out
 * (malloc'ed) gets the copy's path for ls_doc_sync().
 */
int ls_doc_keep_rendered(const char *path, const void *buf, size_t n, char **copy_out,
    struct ls_error *err);

/* The hidden folder in the outbox where release writes before renaming into it. */
#define LS_DOC_STAGE	".doc-render-staging"
/*
 * doc_files.c: outbox/name replaced by buf[0..n): written whole in
 * outbox/LS_DOC_STAGE (no link followed), then renamed into the outbox;
 * not synced.  *path_out (malloc'ed) gets outbox/name.  LS_EDATA: a link
 * or other file planted in the staging folder; LS_EIO, LS_ENOMEM.
 */
int ls_doc_put_staged(const char *outbox, const char *name, const void *buf, size_t n,
    char **path_out, struct ls_error *err);
/* doc_files.c: remove what a killed release left in outbox/LS_DOC_STAGE; gone: the folder too. */
void ls_doc_stage_clean(const char *outbox, int gone);

/* doc_files.c: dir/name in a new string ("." as dir gives name alone); NULL when out of memory. */
char *ls_doc_join(const char *dir, const char *name);

#endif
