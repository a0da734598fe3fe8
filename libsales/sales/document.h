/*
 * document.h - what doc-render renders and guards: the context of one
 * document (its row, the context YAML, the invoice lines joined from an
 * items file with exact VAT maths), safe output names, a rendering run,
 * and the manifest with its approval gate.  One module of several files
 * over the private doc_int.h: invoice maths (doc_invoice.c), context and
 * items (document.c), template values (doc_values.c), output files
 * (doc_files.c), the run (doc_render.c), .docx templates (doc_docx.c, over
 * io/docx.h), the manifest (doc_manifest.c) and release (doc_release.c).
 * Nothing here is thread-safe: each object is used
 * by one thread at a time, and the run reads the process's clock and TZ.
 */
#ifndef LS_DOCUMENT_H
#define LS_DOCUMENT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "money.h"
#include "mustache.h"
#include "record.h"
#include "writer.h"

/* ---- invoice maths (doc_invoice.c) ---- */

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

/* The lines of one VAT rate, as Russian invoices print them («в т.ч. НДС 10%»). */
struct ls_vat_group {
	int64_t rate;		/* percent at scale 2; 0 when vat_none */
	int vat_none;		/* «Без НДС»: lines without VAT (not the same as 0%) */
	int64_t base;		/* the lines' amount without VAT */
	int64_t vat;		/* their VAT: the sum of the lines' own, rounded per line */
	int64_t total;		/* base + vat */
	size_t nlines;
};

/*
 * Group lines[0..n) (after ls_invoice_compute()) by rate: groups in rate
 * order, 0% before 10%, «Без НДС» last.  g must hold n groups; *ng gets
 * their number.  The groups' base, vat and total add up to the document's
 * subtotal, vat and total exactly, since VAT is rounded per line.  0 or
 * LS_EDATA on overflow.
 */
int ls_invoice_groups(const struct ls_invoice_line *lines, size_t n, enum ls_vat_mode mode,
    struct ls_vat_group *g, size_t *ng, struct ls_error *err);

/* ---- the document context (document.c, doc_values.c) ---- */

struct ls_doc_opts {
	const char *context_path;	/* -c YAML, or NULL */
	const char *items_path;		/* --items FILE, or NULL */
	const char *key;		/* --key COL: in the items and in the document rows */
	int64_t now;			/* seconds since the epoch: "today" for rows without a date */
	const char *template_path;	/* with items: the seller's requisites are checked unless the
					 * context lists this file's name under requisites_unchecked */
	int lazy_quotes;		/* --lazy-quotes: the items file is read with it too (a 1C
					 * export holds both); its delimiter is found from its own
					 * header, whatever -d says */
	const char *items_encoding;	/* --items-encoding: the items file's iconv name, or NULL:
					 * UTF-8 (--encoding is the rows'); its errors name this option */
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
 * stack[0] the computed values (items, vat_groups, subtotal, vat_total,
 * total, vat_rate, vat_none, vat_mode, date, items_count), stack[1] the
 * YAML, stack[2] the row, looked at first.  Returns the depth (3), or -1
 * with err filled (LS_EDATA: a date that does not parse, no VAT rate for
 * the date, overflow; with items, a document without lines or whose total
 * is not above zero, naming the row's key).  Values are valid until the
 * next call.
 */
int ls_docs_row(struct ls_docs *d, const struct ls_str *fields, size_t n, const char *file,
    long line, struct ls_mval stack[3], struct ls_error *err);

/*
 * Item rows whose key no document row had, so far: their number, and the
 * file line and key of the first (for the warning).
 */
size_t ls_docs_unmatched(const struct ls_docs *d, long *first_line, const char **first_key);

void ls_docs_free(struct ls_docs *d);

/* ---- output files (doc_files.c) ---- */

/*
 * Write buf[0..n) as dir/name atomically (lock.h's ls_atomic_put(): a
 * temporary written in one write(2), renamed into place, removed by
 * ls_cli_init()'s signal policy on SIGINT/TERM/HUP; not synced: see
 * ls_doc_sync()).  name must stay inside dir: not
 * empty, not absolute, no ".." part, no folder or file on the way that is
 * a symbolic link leading out (LS_EDATA "leaves DIR").  An existing file is
 * kept (LS_EDATA, *exists set) unless force.  *path_out (malloc'ed) gets
 * the file's path as written in the manifest.
 */
int ls_doc_write(const char *dir, const char *name, const void *buf, size_t n, int force,
    char **path_out, int *exists, struct ls_error *err);

/*
 * Make the documents at paths[0..n) durable, and nothing else: an
 * fdatasync(2) of each, a few at once, then an fsync(2) of each distinct
 * folder (durable.h).  ls_doc_write() leaves that to one call at the end of
 * a run.  0, LS_EIO (err names the file or folder) or LS_ENOMEM.
 */
int ls_doc_sync(char *const *paths, size_t n, struct ls_error *err);

/* ---- manifest (doc_manifest.c) ---- */

enum { LS_MF_DOC_ID, LS_MF_FILE, LS_MF_TEMPLATE, LS_MF_STATUS, LS_MF_SHA256,
	LS_MF_RENDERED_AT, LS_MF_APPROVED_BY, LS_MF_APPROVED_AT, LS_MF_NCOLS };

/* The manifest's columns, in order, NULL-terminated. */
extern const char *const ls_manifest_cols[];

/* A manifest read into memory; opaque.  One thread at a time. */
struct ls_manifest;

/*
 * Read and check the manifest at path: the header must hold the columns
 * above (in any order; others are refused), doc_id must be unique and
 * non-empty, status draft, approved or released, an approved or released
 * row needs approved_by, approved_at and a sha256 of 64 hex digits.  An
 * inconsistent manifest is LS_EDATA naming path:line.  Returns NULL with
 * err filled on failure; the caller frees the result with
 * ls_manifest_free().
 */
struct ls_manifest *ls_manifest_load(const char *path, struct ls_error *err);

/*
 * What approve and release start with: check that path can be read and
 * written (LS_EIO "PATH: REASON" otherwise), take its exclusive lock
 * (lock.h: PATH.lock, waiting for it), ls_manifest_load(), and open its
 * journal PATH.journal (created when missing, locked, every record
 * checked).  The locks are held until ls_manifest_free().  NULL with err filled on failure.
 */
struct ls_manifest *ls_manifest_open(const char *path, struct ls_error *err);

/* Write m to its path atomically (lock.h; hold the lock: ls_manifest_open()). */
int ls_manifest_save(const struct ls_manifest *m, struct ls_error *err);

/* Free m and release its lock, if any.  NULL is a no-op. */
void ls_manifest_free(struct ls_manifest *m);

/* The number of rows. */
size_t ls_manifest_count(const struct ls_manifest *m);
/* Row i's field k (LS_MF_*), owned by m until the next ls_manifest_set() of it; NULL out of range. */
const char *ls_manifest_get(const struct ls_manifest *m, size_t i, int k);
/* Replace row i's field k with a copy of s.  0, LS_ENOMEM, or LS_EUSAGE out of range. */
int ls_manifest_set(struct ls_manifest *m, size_t i, int k, const char *s);

/* How to approve (ls_manifest_approve()). */
struct ls_approve_opts {
	const char *by;		/* --by: the approver's name (ls_approver_check() first) */
	const char *login;	/* the Unix login running it (ls_doc_login()), recorded beside */
	int accept_changes;	/* approve drafts whose bytes differ from the rendered ones */
	/*
	 * With accept_changes: called for each such draft before it is
	 * approved, with the rendered bytes (rn 0 when no copy was kept) and
	 * the bytes to approve, so that the approver is shown the difference.
	 * The buffers are valid during the call only.
	 */
	void (*show_change)(void *arg, const char *doc_id, const char *file, const char *rendered,
	    size_t rn, const char *now, size_t nn);
	void *arg;
};

/*
 * Approve the rows named by ids[0..nids) (every draft when nids is 0).
 * Each draft is read once from inside the manifest's folder
 * (ls_doc_read_in()'s refusals: absolute, "..", symbolic link, not a
 * regular file) and compared with its rendered copy (DIR/.rendered/BASE)
 * and the manifest's sha256: a draft that differs is refused as changed
 * unless o->accept_changes (show_change() is called, and the record says
 * "accepted").  Every approval and refusal is appended to the journal
 * (MANIFEST.journal: time, event, doc_id, sha256, approver, login, why) in
 * one durable write; approved rows get status approved, the hash, the
 * approver and the time.  A name not in the manifest or a released row is
 * LS_EDATA before anything is recorded, and m is then not to be saved.
 * Refused rows do not stop the others: *nrefused counts them and
 * ls_manifest_refusal() gives each one's words.  A draft or rendered copy
 * that cannot be read (an I/O error, not the file's fault) is no refusal:
 * LS_EIO, nothing recorded, and m is then not to be saved.  m must come
 * from ls_manifest_open().
 */
/*
 * A show_change for ls_approve_opts that writes to the FILE * arg: the
 * "--- DOC (as rendered)" and "+++ FILE (to approve)" lines, then one hunk
 * (text/diff.h) of what changed, or "binary file changed" and both sizes
 * when either holds a NUL byte (a .docx).
 */
void ls_approve_print_change(void *fp, const char *doc_id, const char *file, const char *rendered,
    size_t rn, const char *now, size_t nn);
int ls_manifest_approve(struct ls_manifest *m, const struct ls_approve_opts *o, char *const *ids,
    size_t nids, size_t *napproved, size_t *nrefused, struct ls_error *err);
/* Why the last ls_manifest_approve() refused row i, or NULL when it did not.  Owned by m. */
const char *ls_manifest_refusal(const struct ls_manifest *m, size_t i);

/*
 * Who may approve: company.yaml's approvers: (context_path, or NULL: none
 * configured), either a list of names (any login may use them: not
 * verified) or a mapping of names to { login: LOGIN } (the name must be
 * used by that Unix login: *verified set) or to {} (not verified).  A name
 * not listed, or used by another login, is LS_EUSAGE; a bad approvers:
 * LS_ECONFIG.  Without approvers: any name passes, unverified.  A name
 * holding a control character is refused (LS_EUSAGE) first.
 */
int ls_approver_check(const char *context_path, const char *by, const char *login, int *verified,
    struct ls_error *err);
/* The Unix login of the effective user (getpwuid(geteuid())), or "uid N", into buf. */
void ls_doc_login(char buf[64]);

/*
 * doc-render verify: check the manifest at path and its journal: every
 * journal record follows the one before (an edited, removed or reordered
 * line is LS_EDATA naming the journal's line), and every approved or
 * released manifest row agrees with the journal's last approval of it
 * (hash and approver; a release recorded) -- else LS_EDATA naming the
 * manifest's line.  On success last holds the journal's last hash (to be
 * kept elsewhere) and *records its number of records.
 */
int ls_manifest_verify(const char *path, char last[65], long *records, struct ls_error *err);

/* Whether row i was approved by the last ls_manifest_approve(). */
int ls_manifest_approved_now(const struct ls_manifest *m, size_t i);

/*
 * The manifest as a stream, as doc-render writes it: the header line, then
 * a draft row per document (approver and approval time empty).  Both return
 * ls_writer_status(w).
 */
int ls_manifest_write_header(struct ls_writer *w);
int ls_manifest_write_draft(struct ls_writer *w, const char *id, size_t idn, const char *file,
    const char *template, const char *sha256, const char *rendered_at);

/* ---- release (doc_release.c) ---- */

/* What release did with one row. */
enum ls_release_result {
	LS_REL_RELEASED,	/* copied now */
	LS_REL_ALREADY,		/* released before and still in the outbox */
	LS_REL_UNAPPROVED,	/* refused: draft */
	LS_REL_CHANGED,		/* refused: the file's hash is not the approved one */
	LS_REL_MISSING,		/* refused: the file is gone */
	LS_REL_CONFLICT,	/* refused: the outbox holds another file of that name */
	LS_REL_UNSAFE,		/* refused: not a regular file inside the manifest's folder */
	LS_REL_UNJOURNALED,	/* refused: approved in the manifest, not in the journal */
	LS_REL_RULES		/* refused: the approval rules want another approver (the why names them) */
};

/*
 * Copy every approved row's file into outbox (created when missing; copies
 * are atomic, and made durable together: an fdatasync(2) per copy and an
 * fsync(2) of the outbox, durable.h) and mark it released, when the journal holds
 * its approval (the manifest's status and approver cells alone are not
 * trusted) and the bytes read once from inside the manifest's folder have
 * the approved hash; each release is added to the journal.  ls_manifest_release_result() then says what happened to each
 * row.  Returns 0 (look at the results for refusals) or an I/O error.  The
 * caller saves the manifest afterwards.
 */
int ls_manifest_release(struct ls_manifest *m, const char *outbox, struct ls_error *err);
/* What the last ls_manifest_release() did with row i. */
enum ls_release_result ls_manifest_release_result(const struct ls_manifest *m, size_t i);
/* A refusal's words for row i, naming its file (owned by m), or ls_release_reason()'s. */
const char *ls_manifest_release_why(const struct ls_manifest *m, size_t i);

/* Whether r is a refusal (not released now, not released before). */
int ls_release_refused(enum ls_release_result r);
/*
 * What the last release did: the report (ls_release_write_report()) as CSV
 * on out, and the documents it refused, a line each ("PATH: ID refused:
 * WHY") then "N documents refused", appended to warn; N in *refused.  0, or
 * LS_ENOMEM when the report or a line of warn could not be made (a report
 * cut short must not pass for one with nothing in it).
 */
int ls_release_report(const struct ls_manifest *m, const char *path, FILE *out, struct ls_buf *warn,
    size_t *refused);
/*
 * What the last ls_manifest_approve() did: "approved ID SHA256" on out for
 * each document approved, "PATH: ID refused: WHY" lines appended to warn,
 * and "PATH: ID awaits approval by NAME ..." for each approved one whose
 * approval rules want more; returns how many await.
 */
size_t ls_approve_report(const struct ls_manifest *m, const char *path, FILE *out, struct ls_buf *warn);
/* r in words, for people: "not approved", "file missing"...  Static text. */
const char *ls_release_reason(enum ls_release_result r);
/*
 * Release's report: doc_id,file,result,reason, one row per manifest row;
 * result is released, already_released or refused, reason a refusal's
 * words.  After ls_manifest_print(), two more columns: pdf (printed,
 * already_printed, skipped, not_printed, or empty: not released) and
 * pdf_reason.  Returns ls_writer_status(w).
 */
int ls_release_write_report(struct ls_writer *w, const struct ls_manifest *m);

/* ---- printing the released HTML to PDF (doc_pdf.c) ---- */

/* What ls_manifest_print() did with one row. */
enum ls_pdf_result {
	LS_PDF_NONE,		/* not released: nothing to print */
	LS_PDF_PRINTED,		/* printed now */
	LS_PDF_ALREADY,		/* printed before: the outbox holds the PDF the journal recorded */
	LS_PDF_SKIPPED,		/* not an HTML document (.docx, .txt ...): not printed */
	LS_PDF_FAILED		/* not printed; the report's pdf_reason and ls_print_report() say why */
};

struct ls_pdf_opts {
	const char *chromium;	/* the browser (cdp.h's program): NULL is "chromium" in PATH */
	int timeout_ms;		/* per page (cdp.h); 0: its default */
};

/*
 * After ls_manifest_release() on the same outbox: print every released
 * HTML document of m (released now or before) to PDF beside its outbox
 * copy (D-0001.html to D-0001.pdf), through one headless Chromium for the
 * whole batch (cdp.h), started only when there is something to print.
 * The page printed is the outbox copy, after checking it holds the
 * released bytes.  A document is printed when the journal holds no
 * "printed" record of its released hash, or when the PDF recorded is gone
 * from the outbox; a PDF name in the outbox holding other bytes than the
 * one recorded is not written over (LS_PDF_FAILED).  Each PDF is written
 * in the staging folder and renamed into the outbox; all are made durable
 * at once, then a "printed" record per PDF (the HTML's hash, the PDF's)
 * is added to the journal in one write.  The browser failing mid-batch
 * (exit, crash, timeout) leaves the PDFs before it printed and recorded,
 * and the rest LS_PDF_FAILED naming why.  Returns 0 (look at the results)
 * or an I/O or memory error that stopped the run.
 */
int ls_manifest_print(struct ls_manifest *m, const char *outbox, const struct ls_pdf_opts *o,
    struct ls_error *err);
/* r as the report's pdf column says it: printed, already_printed, skipped, not_printed, "".  Static. */
const char *ls_pdf_word(enum ls_pdf_result r);
/*
 * The printing's lines for people appended to warn: "PATH: NAME not
 * printed: WHY" and "PATH: NAME skipped: WHY" per document, then "N PDFs
 * not printed" when any; the count not printed in *failed.  0 or LS_ENOMEM.
 */
int ls_print_report(const struct ls_manifest *m, const char *path, struct ls_buf *warn,
    size_t *failed);

/* ---- a rendering run (doc_render.c) ---- */

struct ls_render_opts {
	const char *template_path;	/* -T: the document template */
	const char *dir;		/* -o: the documents' folder (created), or NULL: the current one */
	const char *name_pattern;	/* --name: a Mustache file name, or NULL: doc_id + the template's extension */
	const char *id_col;		/* --id: doc_id's column, or NULL: the first */
	int force;			/* replace documents that exist */
	struct ls_mustache_opts mustache;	/* the template's escaping, locale, strictness, partials */
	struct ls_doc_opts doc;		/* context, items and key; its now is taken from clock.h */
};

struct ls_render;

/*
 * Start a run: create dir, load the template (LS_ECONFIG on a syntax error),
 * parse the name pattern, open the context and items (ls_docs_open()).
 * The time of the run (rendered_at) is read from clock.h here.  o's
 * strings are borrowed for the life of the run.  NULL with err filled on
 * failure; free with ls_render_free().
 */
struct ls_render *ls_render_open(const struct ls_render_opts *o, struct ls_error *err);

/*
 * Start reading the rows of in: check its header (--key's and --id's
 * columns: LS_ECONFIG or LS_EUSAGE, exit 2) and write the manifest's header
 * to manifest.  in's header and manifest are borrowed for the run.
 */
int ls_render_start(struct ls_render *r, struct ls_reader *in, struct ls_writer *manifest,
    struct ls_error *err);

/*
 * Render the row rec: its doc_id must be new and not empty, its file name
 * new; the document is written (ls_doc_write(), not yet synced) and its
 * draft row written to the manifest.  An existing document without force
 * is kept: *kept is set, err holds the warning (naming the row) and 0 is
 * returned.  Otherwise 0, or an error naming the row; the run should stop.
 */
int ls_render_row(struct ls_render *r, const struct ls_record *rec, int *kept,
    struct ls_error *err);

/*
 * Make the documents written so far durable (ls_doc_sync()); called before
 * the manifest's last rows are flushed, so that what it lists is on disk.
 */
int ls_render_sync(struct ls_render *r, struct ls_error *err);

/*
 * Render into the manifest file at path (doc-render -m) rather than the
 * writer given to ls_render_start(); call before it.  The manifest's lock
 * is held until ls_render_free(); each document's hash and approval terms
 * (the context's kinds: and approval_rules:) go to its journal; a
 * document the manifest calls released is kept, not rendered over.
 * ls_render_commit(), after ls_render_sync(): the journal written, then
 * the manifest replaced atomically, the rows of documents not rendered
 * now kept after the new ones.  Without it the manifest stays as it was.
 */
int ls_render_into(struct ls_render *r, const char *path, struct ls_error *err);
int ls_render_commit(struct ls_render *r, struct ls_error *err);

/* Documents kept because they existed. */
/*
 * The end of a run in words, appended to out a line each: items that matched
 * no document (items_path and key name them), documents kept rather than
 * replaced.  Returns 1 when documents were kept (the run's status is then 1),
 * 0, or -1 when out of memory.
 */
int ls_render_summary(const struct ls_render *r, const char *items_path, const char *key,
    struct ls_buf *out);
unsigned long ls_render_kept(const struct ls_render *r);
/* ls_docs_unmatched() of the run's items. */
size_t ls_render_unmatched(const struct ls_render *r, long *first_line, const char **first_key);

/* NULL is a no-op. */
void ls_render_free(struct ls_render *r);

#endif
