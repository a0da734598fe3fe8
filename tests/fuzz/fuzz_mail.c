/*
 * fuzz_mail.c - libFuzzer target for the mail module (io/mail.c over GMime,
 * io/mail_html.c): any bytes parsed as a letter, and when it parses, what
 * the gateway writes to the log must be text a log holds: every string
 * valid UTF-8 without control characters (the body may keep tab and line
 * feed, one-line headers neither), the body at most LS_MAIL_BODY_MAX.
 * The same bytes go through the HTML-to-text reading, whose output must be
 * valid UTF-8 when its input was.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort() unless s is clean text: valid UTF-8, no C0 (but tab and line feed when multi), DEL or C1. */
static void
clean(const char *s, int multi)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), bad;

	if (ls_utf8_valid(p, n, &bad) != 1)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (p[i] == 0x7f || (p[i] < 0x20 && !(multi && (p[i] == '\t' || p[i] == '\n'))))
			abort();
		if (p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_error err;
	struct ls_mail *m = ls_mail_parse((const char *)data, size, "fuzz.eml", &err);
	char *out = NULL;
	size_t len = 0, bad;

	if (m != NULL) {
		const char *one[] = { m->from_name, m->from_addr, m->subject, m->message_id,
			m->in_reply_to, m->auto_submitted, m->precedence, m->autoreply, m->content_type };

		for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++)
			clean(one[i], 0);
		if (m->from_addr[0] == '\0')
			abort();
		for (size_t i = 0; i < m->nreferences; i++)
			clean(m->references[i], 0);
		for (size_t i = 0; i < m->nattachments; i++)
			clean(m->attachments[i].name, 0);
		clean(m->body, 1);
		if (strlen(m->body) > LS_MAIL_BODY_MAX)
			abort();
		ls_mail_free(m);
	} else if (err.status != LS_EDATA && err.status != LS_ENOMEM)
		abort();
	if (ls_mail_html_text((const char *)data, size, &out, &len) != 0)
		return 0;
	if (strlen(out) != len && memchr(data, 0, size) == NULL)
		abort();
	if (ls_utf8_valid(data, size, &bad) == 1 && ls_utf8_valid((unsigned char *)out, len, &bad) != 1)
		abort();
	free(out);
	return 0;
}
