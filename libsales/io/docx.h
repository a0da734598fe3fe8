/*
 * docx.h - a Word (.docx) template as a package of parts, and its text
 * parts turned into Mustache templates.  Owned here (docx.c): the zip
 * container (read with libzip within limits, written back deterministically)
 * and the XML work on word/document.xml, word/header*.xml and
 * word/footer*.xml.  Not here: rendering (the Mustache engine, text layer)
 * and what doc-render puts in the values (sales/doc_docx.c).
 *
 * ls_docx_prepare() is the XML step, after docxtemplater's idea: in each
 * paragraph (w:p) the text of its w:t elements is read as one string, the
 * tags found in it ({{...}}), and each tag's whole text moved into the w:t
 * where it starts (removed from the following ones: Word splits a tag over
 * runs, proofErr and bookmarks between them).  A section whose open and
 * close tags are in one paragraph stays where it is; one whose tags are in
 * one table row (w:tr) but different paragraphs has its tags moved out to
 * just before and after that row, which then repeats; otherwise its tags
 * go just before the paragraph of the open tag and just after the one of
 * the close tag (a paragraph holding nothing but the tag is replaced by it).
 * The result is a Mustache template whose plain text is the part's XML.
 * Nothing here prints or exits.
 */
#ifndef LS_DOCX_H
#define LS_DOCX_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

#define LS_DOCX_PART_MAX	((size_t)64 << 20)	/* uncompressed bytes of one part */
#define LS_DOCX_TOTAL_MAX	((size_t)256 << 20)	/* of the whole package */
#define LS_DOCX_PARTS_MAX	10000

struct ls_docx;

/*
 * Read the package at path, every part inflated into memory within the
 * limits above.  NULL with err filled (file path): LS_EIO when it cannot
 * be read, LS_ECONFIG when it is not a zip, holds no word/document.xml, a
 * part is too big (a zip bomb) or broken.
 */
struct ls_docx *ls_docx_open(const char *path, struct ls_error *err);
/* The same from memory (data is copied); name is used in messages. */
struct ls_docx *ls_docx_open_mem(const char *name, const void *data, size_t n,
    struct ls_error *err);

size_t ls_docx_nparts(const struct ls_docx *d);
const char *ls_docx_part_name(const struct ls_docx *d, size_t i);
/* Part i's bytes, as read. */
const char *ls_docx_part_data(const struct ls_docx *d, size_t i, size_t *n);
/* Whether part i holds tags to render: word/document.xml, word/header*.xml, word/footer*.xml. */
int ls_docx_part_templated(const struct ls_docx *d, size_t i);

/*
 * The XML of a text part (xml[0..n)) as a Mustache template, appended to
 * out.  file and part name the template in messages.  0, or LS_ECONFIG
 * naming file and part: malformed XML, a DOCTYPE or entity declaration, a
 * tag not closed by the end of its paragraph, a delimiter change, a section
 * not closed, closed by another name or closing none, a section whose tags
 * are in different containers (a table cell and outside it); LS_ENOMEM.
 */
int ls_docx_prepare(const char *file, const char *part, const char *xml, size_t n,
    struct ls_buf *out, struct ls_error *err);

/*
 * The package d with part i's bytes replaced by parts[i] where
 * ls_docx_part_templated(d, i) (others copied as read, in the same order),
 * as a zip appended to out; every entry is stamped with mtime (seconds
 * since the epoch), or with its own time as read when mtime is negative,
 * so that the same input makes the same bytes (times before 1980, which
 * zip cannot hold, become 1980-01-01).  0, LS_ENOMEM, or LS_EIO with libzip's words.
 */
int ls_docx_write(const struct ls_docx *d, const struct ls_buf *parts, int64_t mtime,
    struct ls_buf *out, struct ls_error *err);

/* NULL is a no-op. */
void ls_docx_free(struct ls_docx *d);

#endif
