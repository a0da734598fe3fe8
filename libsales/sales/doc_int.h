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
	char base[LS_MONEY_BUFSZ];		/* line_base: the line without VAT */
	char price_base[LS_MONEY_BUFSZ];	/* price_base: a unit's price without VAT */
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

/* The context's numbering: and the current document's number (doc_numbering.c). */
struct doc_num {
	struct ls_numbers *nb;		/* doc_number.h's counter file, owned */
	const char *series, *format;	/* the context's, owned by its config */
	const char *seller;		/* seller.inn: a series is per seller */
	const char *deal;		/* the current document's doc_id, borrowed until the next row */
	size_t dealn;
	int state;			/* 0: not looked up, 1: looked up, -1: failed (err) */
	long long value;
	char text[128];			/* as format prints it */
	struct ls_error err;
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
	int64_t proposal_days;		/* business days a proposal holds; -1: no valid_until */
	int upd_status;			/* the context's upd_status: 1 (the default) or 2 */

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
	long col_key, col_date, col_upd;

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
	char valid[LS_DATE_BUFSZ];	/* valid_until: date plus proposal_days working days; "" without */
	int doc_upd;			/* this document's УПД status: its row's upd_status, else the context's */
	int doc_vat_none;
	int64_t total_minor;		/* the total in kopecks */
	struct ls_doc_qr *qr;		/* payment_qr, made when a template asks (doc_payment.c) */
	struct doc_num *num;		/* numbering:, or NULL (doc_numbering.c) */
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

/*
 * doc_numbering.c: {{number}}.  ls_doc_number_config() reads the context's
 * numbering: map n (LS_ECONFIG naming its key) into d->num.  Per document:
 * ls_doc_number_begin() with its doc_id (borrowed until the next row);
 * ls_doc_number_get() looks the number up (doc_number.h's peek, taking the
 * counter file's lock at the first one) when a template first asks for it;
 * a failure renders nothing and is kept for ls_doc_number_error(), asked
 * after the document rendered.  ls_doc_number_commit() records a number
 * looked up (append and fsync) and is called once the document rendered
 * and before it is written: a document that fails takes no number.
 * ls_doc_number_text() is the number looked up, or NULL.  All are no-ops
 * without numbering:.
 */
int ls_doc_number_config(struct ls_docs *d, const struct ls_node *n, struct ls_error *err);
void ls_doc_number_begin(struct ls_docs *d, const char *deal, size_t n);
int ls_doc_number_get(const struct ls_docs *d, struct ls_mval *out);
int ls_doc_number_error(const struct ls_docs *d, struct ls_error *err);
int ls_doc_number_commit(struct ls_docs *d, const char *when, struct ls_error *err);
const char *ls_doc_number_text(const struct ls_docs *d);
void ls_doc_number_free(struct ls_docs *d);

/*
 * doc_docx.c: a .docx template (-T contract.docx): ls_doc_is_docx() by its
 * name; ls_doc_docx_open() reads the package and makes its document,
 * header and footer parts Mustache templates (io/docx.h), LS_ECONFIG
 * naming the file and part; ls_doc_docx_render() renders one document's
 * parts with stack and appends the .docx's bytes to out.
 */
struct ls_doc_docx;
int ls_doc_is_docx(const char *path);
struct ls_doc_docx *ls_doc_docx_open(const char *path, const struct ls_mustache_opts *o,
    struct ls_error *err);
int ls_doc_docx_render(struct ls_doc_docx *x, const struct ls_mval *stack, size_t depth,
    struct ls_buf *out, struct ls_error *err);
void ls_doc_docx_free(struct ls_doc_docx *x);

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
 * 0, or LS_ENOMEM or LS_EIO (err filled) when the zone cannot be had: a UTC time then
 * would differ from the run's other times without a word.
 */
int ls_doc_now_text(char buf[LS_TIME_BUFSZ], struct ls_error *err);

/* doc_gate.c: the approval journal, MANIFEST.journal (a chain.h chain). */
enum { LS_J_TIME, LS_J_EVENT, LS_J_DOC, LS_J_SHA, LS_J_BY, LS_J_LOGIN, LS_J_WHY, LS_J_NFIELDS };

/* One approval (approved or accepted) in the journal. */
struct ls_jappr {
	char *by;
	char sha[65];
};

/* What the journal says of one document. */
struct ls_jdoc {
	char *by;		/* the last approval's approver; NULL: never approved */
	char sha[65];		/* ... and the hash approved */
	long line;		/* ... and its journal line (0: added in this run) */
	int released;		/* a release recorded after that approval */
	char rel_sha[65];
	struct ls_jappr *appr;	/* every approval, in order (two by one person count once) */
	size_t nappr, capappr;
	char *terms;		/* the last "rendered" record's terms (doc_rules.c), or NULL: none */
	char terms_sha[65];	/* ... and the hash it rendered */
	long terms_line;
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
/*
 * Add a record (pending until ls_journal_commit()); event approved,
 * accepted, refused, released or rendered (why: the terms of
 * ls_doc_rules_terms()).
 */
int ls_journal_add(struct ls_journal *j, const char *when, const char *event, const char *id,
    const char *sha, const char *by, const char *login, const char *why, struct ls_error *err);
/* Write the pending records durably, at once. */
int ls_journal_commit(struct ls_journal *j, struct ls_error *err);
void ls_journal_close(struct ls_journal *j);

/*
 * doc_gate.c: whether the journal's approvals of doc d's approved hash
 * meet the terms its last "rendered" record fixed (doc_rules.c): 0 met,
 * 1 not met with *missing (cleared first) saying whose approval is
 * missing, -1 out of memory.  A document rendered without terms (no -m,
 * or no rules) needs one approval.
 */
int ls_journal_rules_missing(const struct ls_jdoc *d, struct ls_buf *missing);

/*
 * doc_rules.c: approval rules (doc-render(1), APPROVAL RULES).  Load
 * cfg's kinds: and approval_rules: (*out NULL when it has neither; the
 * strings borrowed from cfg, which must outlive *out); LS_ECONFIG naming
 * the key's file:line:col.  Free with ls_doc_rules_free() (NULL: no-op).
 */
struct ls_doc_rules;
int ls_doc_rules_load(const struct ls_config *cfg, struct ls_doc_rules **out, struct ls_error *err);
void ls_doc_rules_free(struct ls_doc_rules *r);
/* Whether r has at least one rule (rendering must then journal each document's terms). */
int ls_doc_rules_any(const struct ls_doc_rules *r);
/*
 * A document's terms into out (emptied first): "kind=K amount=A
 * approvals=N need=A,B" (kind and amount only when known, need only when
 * a rule names people), from the template's kind, the amount computed
 * (kopecks; has_amount 0 without items) and the rules that hold.  r may
 * be NULL: "approvals=1".  0 or LS_ENOMEM.
 */
int ls_doc_rules_terms(const struct ls_doc_rules *r, const char *template_path, int has_amount,
    int64_t amount, struct ls_buf *out);
/*
 * Whether the different approvers have[0..nhave) meet terms (NULL: one
 * approval): 0 met; 1 not, with out (emptied first) saying who is
 * missing ("approval by ivanov and 1 more approver (2 different people;
 * so far petrova)"); -1 out of memory.
 */
int ls_doc_terms_missing(const char *terms, const char *const *have, size_t nhave, struct ls_buf *out);

/*
 * doc_target.c: rendering into the manifest file at path (-m).  Open:
 * its lock taken (held until ls_doc_target_free()), the manifest as it
 * is read (none: a new one), the journal opened for writing, the new
 * manifest begun as a temporary (the rows are kept in memory until the
 * end).  rules (may be NULL)
 * is borrowed.
 * ls_doc_target_plan(): below.  ls_doc_target_row(): the draft row of a
 * document just written and its "rendered" journal record, with its
 * terms.  ls_doc_target_finish(), once the documents are synced: the
 * manifest's rows in their order, each one rendered again replaced by its
 * new draft row, then the new documents; the journal written, then the
 * manifest renamed into place.  ls_doc_target_free() without finishing leaves the
 * manifest and journal as they were.
 */
struct ls_doc_target;
struct ls_doc_target *ls_doc_target_open(const char *path, struct ls_doc_rules *rules,
    struct ls_error *err);
/*
 * What to do with document id rendered now as doc[0..n) (hash sha), to be
 * written as dir/name (file: the two joined, as rendering names it): LS_TGT_KEEP its row in the manifest has that hash
 * (row and approvals kept, nothing written); LS_TGT_RELEASED released
 * with another hash (kept as released: never rendered over);
 * LS_TGT_REPLACE written over (a draft or approved row of the manifest
 * whose approvals lapse with the hash, or a file it does not list with
 * these very bytes); LS_TGT_NEW as any new document.  Or LS_ENOMEM, or
 * LS_EIO when a file there could not be read.
 */
enum { LS_TGT_NEW = -1, LS_TGT_KEEP = -2, LS_TGT_RELEASED = -3, LS_TGT_REPLACE = -4 };
int ls_doc_target_plan(struct ls_doc_target *t, const char *id, size_t idn, const char *dir,
    const char *name, const char *file, const char *sha, const char *doc, size_t n,
    struct ls_error *err);
int ls_doc_target_row(struct ls_doc_target *t, const char *id, size_t idn, const char *file,
    const char *template_path, const char *sha, const char *rendered_at, int has_amount,
    int64_t amount, struct ls_error *err);
int ls_doc_target_finish(struct ls_doc_target *t, struct ls_error *err);
void ls_doc_target_free(struct ls_doc_target *t);

/*
 * doc_gate.c: read the document name (a file cell) from inside the folder
 * base: not absolute, no "..", no symbolic link on the way, a regular file
 * (openat + O_NOFOLLOW, fstat of the descriptor read).  0 with *buf
 * (malloc'ed) and *len (and the descriptor's fstat in *st, when not
 * NULL), or LS_EDATA with err naming the file and why (*missing set when
 * it does not exist; the file's own fault: a link, not a regular file,
 * permissions), LS_EIO (the system's fault: a failed open or read for
 * EIO, EMFILE and the like -- not a refusal: callers fail the run),
 * LS_ENOMEM.
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
/*
 * doc_files.c: remove what a killed release left in outbox/LS_DOC_STAGE; gone: the folder too.
 * 0, or LS_EIO (err filled; err may be NULL) when the folder is there but cannot be opened
 * (none, or a link in its place, is 0: ls_doc_put_staged() refuses a link), or LS_ENOMEM.
 */
int ls_doc_stage_clean(const char *outbox, int gone, struct ls_error *err);

/* doc_files.c: dir/name in a new string ("." as dir gives name alone); NULL when out of memory. */
char *ls_doc_join(const char *dir, const char *name);

#endif
