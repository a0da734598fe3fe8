/*
 * mail.h - one Internet mail message (RFC 5322, MIME) as plain structs: the
 * headers a help desk needs, the body as UTF-8 text, the attachments by
 * name and size.  mail.c wraps GMime (only it includes GMime's headers);
 * mail_html.c turns an HTML-only letter's body into text.
 *
 * What is decoded: RFC 2047 encoded words in the subject and the sender's
 * name, in any charset iconv knows (UTF-8, KOI8-R, windows-1251 ...), also
 * when split or malformed as Outlook and Mail.ru write them; raw 8-bit
 * headers are read as UTF-8, else windows-1251.  Bodies in
 * quoted-printable or base64, in the charset their part names (a part
 * without one: UTF-8, else windows-1251); format=flowed joined again.
 * The body is text/plain when the letter has it (the first such part
 * outside attachments), else the text of its text/html part; invalid
 * UTF-8 becomes U+FFFD, CR LF becomes LF, other control characters but
 * tab go, and the text is cut at LS_MAIL_BODY_MAX bytes (on a character's
 * boundary).
 *
 * Threads: GMime is initialised on the first call, once per process, so
 * the first ls_mail_parse() must run on the main thread, before any other
 * thread could make one.  After that, calls on different messages may run
 * on different threads.
 */
#ifndef LS_MAIL_H
#define LS_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define LS_MAIL_BODY_MAX	65536	/* bytes of body text kept */

/* An attachment: its file name (decoded; "" when it has none) and decoded size in bytes. */
struct ls_mail_attachment {
	char *name;
	size_t size;
};

/*
 * A parsed message.  Every string is UTF-8, NUL-terminated, owned by the
 * message and never NULL ("" when the header is missing).  Message ids are
 * given without their angle brackets.
 */
struct ls_mail {
	char *from_name, *from_addr;	/* the first From mailbox */
	char *subject;
	char *message_id;
	char *in_reply_to;		/* the first id of In-Reply-To */
	char **references;		/* References' ids, oldest first */
	size_t nreferences;
	int has_date;			/* Date present and readable */
	int64_t date;			/* seconds since 1970, UTC */
	char *auto_submitted;		/* Auto-Submitted's value, e.g. "auto-replied" */
	char *precedence;		/* Precedence's value, e.g. "bulk" */
	char *autoreply;		/* X-Autoreply or X-Autorespond, as some mailers mark vacation replies */
	char *content_type;		/* the top part's, "type/subtype", lower case */
	int delivery_status;		/* a multipart/report of report-type delivery-status, or
					   a message/delivery-status part: a bounce (RFC 3464) */
	int html;			/* the body came from HTML */
	char *body;
	struct ls_mail_attachment *attachments;
	size_t nattachments;
};

/*
 * Parse the message buf[0..n) (as a file holds it: LF or CR LF line
 * ends, an mbox "From " line first is skipped); name is the message's
 * name in messages (its file).  Returns the message (free it with
 * ls_mail_free()), or NULL with err filled: LS_EDATA naming name when the
 * bytes are not a message (no header, no From address), LS_ENOMEM.
 */
struct ls_mail *ls_mail_parse(const char *buf, size_t n, const char *name, struct ls_error *err);

/* Free m.  NULL is a no-op. */
void ls_mail_free(struct ls_mail *m);

/*
 * The text of an HTML document p[0..n) (UTF-8), appended to *out (a
 * malloc'ed string, *len its length; *out may start NULL): tags dropped,
 * the contents of head, script and style dropped, entities decoded
 * (named ones a mail carries, &#N; and &#xH;), block elements (p, div,
 * br, li, tr, h1-h6, blockquote, table, hr ...) as line ends, runs of
 * white space as one space, at most one blank line in a row.  0, or -1
 * when out of memory.
 */
int ls_mail_html_text(const char *p, size_t n, char **out, size_t *len);

#endif
