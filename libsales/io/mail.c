/*
 * mail.c - a mail message parsed by GMime into mail.h's plain structs: the
 * only file that includes GMime, so that nothing else builds against glib.
 * The decisions GMime leaves to its caller are here: which part is the
 * body, what is an attachment, how loose to read what real mailers write,
 * and what text is clean enough for a log.  See mail.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "buf.h"
#include "mail.h"
#include "utf8.h"

static GMimeParserOptions *popts;

/* GMime's set-up, once: loose reading of encoded words and addresses, the fallback charsets. */
static int
init(void)
{
	static const char *fallback[] = { "utf-8", "windows-1251", NULL };

	if (popts != NULL)
		return 0;
	g_mime_init();
	if ((popts = g_mime_parser_options_new()) == NULL)
		return -1;
	/* Outlook splits a character across encoded words, Mail.ru puts them inside quotes */
	g_mime_parser_options_set_rfc2047_compliance_mode(popts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(popts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(popts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_fallback_charsets(popts, fallback);
	return 0;
}

/*
 * Clean text p[0..n) into b: CR LF and lone CR as LF, invalid UTF-8 as
 * U+FFFD, control characters but tab and line feed dropped (one_line: tab
 * and line feed as a space too), trailing blanks of each line dropped.  At
 * most max bytes, cut on a character's boundary.  0 or -1.
 */
static int
clean(struct ls_buf *b, const char *p, size_t n, int one_line, size_t max)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, line = b->n;	/* where the current line's text ends, blanks excluded */

	while (i < n && b->n < max) {
		unsigned c = s[i];
		size_t k = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
		    (c & 0xf8) == 0xf0 ? 4 : 0, bad;

		if (c == '\r' || c == '\n' || (one_line && c == '\t')) {
			if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
				i++;
			i++;
			b->n = line;	/* trailing blanks go */
			if (ls_buf_put(b, one_line ? " " : "\n", 1) != 0)
				return -1;
			line = b->n;
			continue;
		}
		if (k == 0 || i + k > n || ls_utf8_valid(s + i, k, &bad) != 1) {
			if (c != 0 && ls_buf_put(b, "\xef\xbf\xbd", 3) != 0)
				return -1;
			i++;
			line = b->n;
			continue;
		}
		/* C0 (tab aside), DEL, C1 */
		if ((k == 1 && ((c < 0x20 && c != '\t') || c == 0x7f)) ||
		    (k == 2 && c == 0xc2 && s[i + 1] < 0xa0)) {
			i += k;
			continue;
		}
		if (b->n + k > max)
			break;
		if (ls_buf_put(b, p + i, k) != 0)
			return -1;
		if (!(k == 1 && (c == ' ' || c == '\t')))
			line = b->n;
		i += k;
	}
	b->n = line;
	if (ls_buf_put(b, "", 0) != 0)
		return -1;
	return 0;
}

/* A malloc'ed clean copy of s (NULL: ""), trimmed; NULL when out of memory. */
static char *
dup_clean(const char *s, int one_line, size_t max)
{
	struct ls_buf b = { 0 };
	size_t a = 0;

	if (s == NULL)
		s = "";
	if (clean(&b, s, strlen(s), one_line, max) != 0 || ls_buf_put(&b, "", 0) != 0) {
		ls_buf_free(&b);
		return NULL;
	}
	/* leading blanks and blank lines, then trailing ones */
	while (a < b.n && (b.p[a] == ' ' || b.p[a] == '\n' || b.p[a] == '\t'))
		a++;
	while (b.n > a && (b.p[b.n - 1] == ' ' || b.p[b.n - 1] == '\n' || b.p[b.n - 1] == '\t'))
		b.n--;
	memmove(b.p, b.p + a, b.n - a);
	b.p[b.n - a] = '\0';
	return b.p;
}

/* Header name's value in o, trimmed and lower case (for the flags) or as it is; "" when missing. */
static char *
header(GMimeObject *o, const char *name, int lower)
{
	char *v = dup_clean(g_mime_object_get_header(o, name), 1, 998);

	for (char *q = v; lower && q && *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return v;
}

/* "type/subtype" of o, lower case, malloc'ed. */
static char *
mime_type(GMimeObject *o)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	char *t = ct ? g_mime_content_type_get_mime_type(ct) : NULL, *r;

	r = dup_clean(t ? t : "text/plain", 1, 255);
	g_free(t);
	for (char *q = r; q && *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return r;
}

/* format=flowed (RFC 3676) read back into paragraphs: a line ending in a space goes on. */
static char *
unflow(const char *t, int delsp)
{
	struct ls_buf b = { 0 };
	const char *p = t;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n > 0 && p[n - 1] == '\r')
			n--;
		/* space-stuffing: a line's first space was added by the sender */
		if (n > 0 && p[0] == ' ') {
			p++;
			n--;
		}
		int soft = n > 0 && p[n - 1] == ' ' && !(n == 3 && memcmp(p, "-- ", 3) == 0);

		if (ls_buf_put(&b, p, soft && delsp ? n - 1 : n) != 0 ||
		    (!soft && ls_buf_put(&b, "\n", 1) != 0))
			goto nomem;
		if (e == NULL)
			break;
		p = e + 1;
	}
	if (ls_buf_put(&b, "", 0) != 0)
		goto nomem;
	return b.p;
nomem:
	ls_buf_free(&b);
	return NULL;
}

/* What the walk over the parts found. */
struct walk {
	struct ls_mail *m;
	GMimeTextPart *plain, *html;	/* the body's candidates */
	size_t capatt;
	int nomem;
};

/* The decoded size of part's content. */
static size_t
decoded_size(GMimeObject *o)
{
	GMimeStream *ns = g_mime_stream_null_new();
	gint64 n = -1;

	if (ns == NULL)
		return 0;
	if (GMIME_IS_PART(o)) {
		GMimeDataWrapper *dw = g_mime_part_get_content(GMIME_PART(o));

		n = dw ? g_mime_data_wrapper_write_to_stream(dw, ns) : 0;
	} else
		n = g_mime_object_write_to_stream(o, NULL, ns);
	g_object_unref(ns);
	return n > 0 ? (size_t)n : 0;
}

static void
add_attachment(struct walk *w, GMimeObject *o)
{
	struct ls_mail *m = w->m;
	const char *fn = GMIME_IS_PART(o) ? g_mime_part_get_filename(GMIME_PART(o)) : NULL;
	struct ls_mail_attachment *a;

	if (m->nattachments == w->capatt) {
		size_t cap = w->capatt ? w->capatt * 2 : 4;

		if ((a = realloc(m->attachments, cap * sizeof(*a))) == NULL) {
			w->nomem = 1;
			return;
		}
		m->attachments = a;
		w->capatt = cap;
	}
	a = &m->attachments[m->nattachments];
	if ((a->name = dup_clean(fn, 1, 255)) == NULL) {
		w->nomem = 1;
		return;
	}
	a->size = decoded_size(o);
	m->nattachments++;
}

static void
walk_part(GMimeObject *parent, GMimeObject *o, gpointer data)
{
	struct walk *w = data;
	GMimeContentType *ct = g_mime_object_get_content_type(o);

	(void)parent;
	if (ct && g_mime_content_type_is_type(ct, "message", "delivery-status"))
		w->m->delivery_status = 1;
	if (GMIME_IS_MULTIPART(o)) {
		const char *rt = ct ? g_mime_content_type_get_parameter(ct, "report-type") : NULL;

		if (g_mime_content_type_is_type(ct, "multipart", "report") && rt &&
		    strcasecmp(rt, "delivery-status") == 0)
			w->m->delivery_status = 1;
		return;	/* g_mime_message_foreach() goes into it */
	}
	if (GMIME_IS_MESSAGE_PART(o)) {
		add_attachment(w, o);
		return;
	}
	if (!GMIME_IS_PART(o))
		return;
	/* a text part that is no attachment may be the body */
	if (GMIME_IS_TEXT_PART(o) && !g_mime_part_is_attachment(GMIME_PART(o)) &&
	    g_mime_part_get_filename(GMIME_PART(o)) == NULL) {
		if (w->plain == NULL && g_mime_content_type_is_type(ct, "text", "plain")) {
			w->plain = GMIME_TEXT_PART(o);
			return;
		}
		if (w->html == NULL && g_mime_content_type_is_type(ct, "text", "html")) {
			w->html = GMIME_TEXT_PART(o);
			return;
		}
	}
	add_attachment(w, o);
}

/* Every part, the top one included; an attached letter (message/rfc822) is one attachment, not walked into. */
static void
walk(GMimeMessage *msg, struct walk *w)
{
	g_mime_message_foreach(msg, walk_part, w);
}

/* The text of a body part, as UTF-8 (a part without a charset that is not UTF-8: windows-1251). */
static char *
part_text(GMimeTextPart *tp)
{
	const char *cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(tp), "charset");
	char *t = g_mime_text_part_get_text(tp), *r;
	size_t bad;

	if (t == NULL)
		return NULL;
	if (cs == NULL && ls_utf8_valid((const unsigned char *)t, strlen(t), &bad) == 0) {
		char *u = g_convert(t, -1, "UTF-8", "WINDOWS-1251", NULL, NULL, NULL);

		if (u != NULL) {
			g_free(t);
			t = u;
		}
	}
	r = malloc(strlen(t) + 1);
	if (r)
		memcpy(r, t, strlen(t) + 1);
	g_free(t);
	return r;
}

static int
body(struct ls_mail *m, struct walk *w)
{
	char *t = NULL, *u;
	size_t len = 0;

	if (w->plain) {
		const char *fmt = g_mime_object_get_content_type_parameter(GMIME_OBJECT(w->plain), "format");
		const char *dsp = g_mime_object_get_content_type_parameter(GMIME_OBJECT(w->plain), "delsp");

		if ((t = part_text(w->plain)) == NULL)
			return -1;
		if (fmt && strcasecmp(fmt, "flowed") == 0) {
			u = unflow(t, dsp && strcasecmp(dsp, "yes") == 0);
			free(t);
			if ((t = u) == NULL)
				return -1;
		}
	} else if (w->html) {
		if ((u = part_text(w->html)) == NULL)
			return -1;
		m->html = 1;
		if (ls_mail_html_text(u, strlen(u), &t, &len) != 0) {
			free(u);
			return -1;
		}
		free(u);
	}
	m->body = dup_clean(t, 0, LS_MAIL_BODY_MAX);
	free(t);
	return m->body ? 0 : -1;
}

/* Ids of header name into *ids (malloc'ed), oldest first. */
static int
ids(GMimeObject *o, const char *name, char ***out, size_t *n)
{
	const char *v = g_mime_object_get_header(o, name);
	GMimeReferences *r;

	*out = NULL;
	*n = 0;
	if (v == NULL || (r = g_mime_references_parse(popts, v)) == NULL)
		return 0;
	int len = g_mime_references_length(r);

	if (len > 0 && (*out = calloc((size_t)len, sizeof(**out))) == NULL) {
		g_mime_references_free(r);
		return -1;
	}
	for (int i = 0; i < len; i++) {
		if (((*out)[*n] = dup_clean(g_mime_references_get_message_id(r, i), 1, 998)) == NULL) {
			g_mime_references_free(r);
			return -1;
		}
		if ((*out)[*n][0] != '\0')
			(*n)++;
		else
			free((*out)[*n]);
	}
	g_mime_references_free(r);
	return 0;
}

/* The first mailbox of From (a group's first member). */
static int
from(GMimeMessage *msg, struct ls_mail *m)
{
	InternetAddressList *l = g_mime_message_get_from(msg);
	InternetAddress *a = l && internet_address_list_length(l) > 0 ?
	    internet_address_list_get_address(l, 0) : NULL;
	const char *name = NULL, *addr = NULL;

	if (a && INTERNET_ADDRESS_IS_GROUP(a)) {
		InternetAddressList *g = internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a));

		a = g && internet_address_list_length(g) > 0 ? internet_address_list_get_address(g, 0) :
		    NULL;
	}
	if (a && INTERNET_ADDRESS_IS_MAILBOX(a)) {
		name = internet_address_get_name(a);
		addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
	}
	m->from_name = dup_clean(name, 1, 255);
	m->from_addr = dup_clean(addr, 1, 320);
	return m->from_name && m->from_addr ? 0 : -1;
}

static int
fill(GMimeMessage *msg, struct ls_mail *m)
{
	GMimeObject *o = GMIME_OBJECT(msg);
	GMimeObject *top = g_mime_message_get_mime_part(msg);
	GDateTime *dt = g_mime_message_get_date(msg);
	char **irt;
	size_t nirt;
	struct walk w = { m, NULL, NULL, 0, 0 };

	if (from(msg, m) != 0)
		return -1;
	if ((m->subject = dup_clean(g_mime_message_get_subject(msg), 1, 998)) == NULL ||
	    (m->message_id = dup_clean(g_mime_message_get_message_id(msg), 1, 998)) == NULL ||
	    (m->auto_submitted = header(o, "Auto-Submitted", 1)) == NULL ||
	    (m->precedence = header(o, "Precedence", 1)) == NULL ||
	    (m->autoreply = header(o, g_mime_object_get_header(o, "X-Autoreply") ? "X-Autoreply" :
	    "X-Autorespond", 1)) == NULL ||
	    (m->content_type = top ? mime_type(top) : dup_clean("text/plain", 1, 32)) == NULL)
		return -1;
	if (dt != NULL) {
		m->has_date = 1;
		m->date = g_date_time_to_unix(dt);
	}
	if (ids(o, "In-Reply-To", &irt, &nirt) != 0)
		return -1;
	m->in_reply_to = nirt > 0 ? irt[0] : dup_clean("", 1, 1);
	for (size_t i = 1; i < nirt; i++)
		free(irt[i]);
	free(irt);
	if (m->in_reply_to == NULL || ids(o, "References", &m->references, &m->nreferences) != 0)
		return -1;
	walk(msg, &w);
	if (w.nomem || body(m, &w) != 0)
		return -1;
	return 0;
}

struct ls_mail *
ls_mail_parse(const char *buf, size_t n, const char *name, struct ls_error *err)
{
	GMimeStream *st = NULL;
	GMimeParser *pr = NULL;
	GMimeMessage *msg = NULL;
	struct ls_mail *m = NULL;
	const char *nl;

	if (init() != 0)
		goto nomem;
	/* an mbox's "From " line (procmail hands one on) is not a header */
	if (n >= 5 && memcmp(buf, "From ", 5) == 0 && (nl = memchr(buf, '\n', n)) != NULL) {
		n -= (size_t)(nl + 1 - buf);
		buf = nl + 1;
	}
	/* a message starts with a header: "Name:" before any line end */
	size_t k = 0;

	while (k < n && buf[k] > ' ' && buf[k] < 0x7f && buf[k] != ':')
		k++;
	if (k == 0 || k >= n || buf[k] != ':') {
		ls_error_set(err, LS_EDATA, name, 1, 0, "not a mail message (it should start with a header)");
		return NULL;
	}
	if ((st = g_mime_stream_mem_new_with_buffer(buf, n)) == NULL ||
	    (pr = g_mime_parser_new_with_stream(st)) == NULL)
		goto nomem;
	g_mime_parser_set_format(pr, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(pr, popts);
	g_object_unref(pr);
	g_object_unref(st);
	if (msg == NULL) {
		ls_error_set(err, LS_EDATA, name, 0, 0, "not a mail message (GMime could not parse it)");
		return NULL;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL || fill(msg, m) != 0) {
		g_object_unref(msg);
		ls_mail_free(m);
		ls_error_set(err, LS_ENOMEM, name, 0, 0, "out of memory");
		return NULL;
	}
	g_object_unref(msg);
	if (m->from_addr[0] == '\0') {
		ls_mail_free(m);
		ls_error_set(err, LS_EDATA, name, 0, 0, "no sender: the From header has no address");
		return NULL;
	}
	return m;
nomem:
	if (pr)
		g_object_unref(pr);
	if (st)
		g_object_unref(st);
	ls_error_set(err, LS_ENOMEM, name, 0, 0, "out of memory");
	return NULL;
}

void
ls_mail_free(struct ls_mail *m)
{
	if (m == NULL)
		return;
	free(m->from_name);
	free(m->from_addr);
	free(m->subject);
	free(m->message_id);
	free(m->in_reply_to);
	for (size_t i = 0; i < m->nreferences; i++)
		free(m->references[i]);
	free(m->references);
	free(m->auto_submitted);
	free(m->precedence);
	free(m->autoreply);
	free(m->content_type);
	free(m->body);
	for (size_t i = 0; i < m->nattachments; i++)
		free(m->attachments[i].name);
	free(m->attachments);
	free(m);
}
