/* test_mail.c - a mail message as mail.h's structs: headers decoded, the body chosen and cleaned, HTML's text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail.h"

static struct ls_mail *
parse(const char *text)
{
	struct ls_error err = { 0 };
	struct ls_mail *m = ls_mail_parse(text, strlen(text), "t.eml", &err);

	if (m == NULL)
		fail_msg("parse: %s", err.msg);
	return m;
}

static void
test_headers(void **state)
{
	struct ls_mail *m;

	(void)state;
	/* an mbox From line first; KOI8-R and windows-1251 encoded words; folded References */
	m = parse("From x@y Thu Nov 26 09:00:00 2026\n"
	    "From: =?windows-1251?Q?=CF=E5=F2=F0?= <Petr@Example.org>\n"
	    "Subject: =?KOI8-R?B?8NLJ18XU?= =?utf-8?Q?_=D0=BC=D0=B8=D1=80?=\n"
	    "Date: Wed, 26 Nov 2026 09:00:00 +0300\n"
	    "Message-ID: <a@b>\n"
	    "In-Reply-To: <c@d> <e@f>\n"
	    "References: <1@x>\n <2@x>\n"
	    "Auto-Submitted: Auto-Replied\n"
	    "Precedence: BULK\n\nhi\n");
	assert_string_equal(m->from_name, "Петр");
	assert_string_equal(m->from_addr, "Petr@Example.org");
	assert_string_equal(m->subject, "Привет мир");
	assert_string_equal(m->message_id, "a@b");
	assert_string_equal(m->in_reply_to, "c@d");
	assert_int_equal(m->nreferences, 2);
	assert_string_equal(m->references[0], "1@x");
	assert_string_equal(m->references[1], "2@x");
	assert_true(m->has_date);
	assert_int_equal(m->date, 1795672800);
	assert_string_equal(m->auto_submitted, "auto-replied");
	assert_string_equal(m->precedence, "bulk");
	assert_string_equal(m->content_type, "text/plain");
	assert_string_equal(m->body, "hi");
	ls_mail_free(m);
	/* no Date, a bad Date */
	m = parse("From: a@b\nSubject: s\n\nx\n");
	assert_false(m->has_date);
	assert_string_equal(m->message_id, "");
	ls_mail_free(m);
	m = parse("From: a@b\nDate: yesterday-ish\n\nx\n");
	assert_false(m->has_date);
	ls_mail_free(m);
}

static void
test_bodies(void **state)
{
	struct ls_mail *m;

	(void)state;
	/* multipart/alternative: the plain part, quoted-printable in windows-1251, CR LF */
	m = parse("From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=X\r\n\r\n"
	    "--X\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>html</p>\r\n"
	    "--X\r\nContent-Type: text/plain; charset=windows-1251\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n=C4=EE=E1=F0=FB=E9 =E4=E5=ED=FC  \r\nline 2\r\n"
	    "--X--\r\n");
	assert_string_equal(m->content_type, "multipart/alternative");
	assert_false(m->html);
	assert_string_equal(m->body, "Добрый день\nline 2");
	assert_int_equal(m->nattachments, 0);
	ls_mail_free(m);
	/* HTML only, base64 */
	m = parse("From: a@b\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
	    "PHA+0J/RgNC40LLQtdGCJm5ic3A7JmxhcXVvO9C80LjRgCZyYXF1bzs8L3A+PHA+MiAmbHQ7IDM8L3A+\n");
	assert_true(m->html);
	assert_string_equal(m->body, "Привет «мир»\n\n2 < 3");
	ls_mail_free(m);
	/* format=flowed with delsp, and an attachment by its RFC 2231 name */
	m = parse("From: a@b\nContent-Type: multipart/mixed; boundary=Y\n\n"
	    "--Y\nContent-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n\n"
	    "one two \nthree\n >quoted\n"
	    "--Y\nContent-Type: application/octet-stream\nContent-Disposition: attachment; "
	    "filename*=utf-8''%D0%90.bin\nContent-Transfer-Encoding: base64\n\nAAECAwQ=\n--Y--\n");
	assert_string_equal(m->body, "one twothree\n>quoted");
	assert_int_equal(m->nattachments, 1);
	assert_string_equal(m->attachments[0].name, "А.bin");
	assert_int_equal(m->attachments[0].size, 5);
	ls_mail_free(m);
	/* a delivery-status report */
	m = parse("From: MAILER-DAEMON@x\nContent-Type: multipart/report; report-type=delivery-status; "
	    "boundary=Z\n\n--Z\nContent-Type: text/plain\n\nfailed\n--Z\n"
	    "Content-Type: message/delivery-status\n\nAction: failed\n--Z--\n");
	assert_true(m->delivery_status);
	assert_string_equal(m->body, "failed");
	ls_mail_free(m);
	/* control characters go, tab stays; a part without charset that is not UTF-8 is windows-1251 */
	m = parse("From: a@b\nSubject: a\001b\tc\n\nx\033y\tz\r\n\xcf\xf0\xe8\xe2\xe5\xf2\n");
	assert_string_equal(m->subject, "ab c");
	assert_string_equal(m->body, "xy\tz\nПривет");
	ls_mail_free(m);
}

static void
test_refused(void **state)
{
	static const char *const bad[] = { "", "no header here\n", "\n\nFrom: a@b\n", ": x\n" };
	struct ls_error err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(ls_mail_parse(bad[i], strlen(bad[i]), "t.eml", &err));
		assert_int_equal(err.status, LS_EDATA);
		assert_string_equal(err.file, "t.eml");
	}
	assert_null(ls_mail_parse("Subject: x\n\nbody\n", 17, "t.eml", &err));
	assert_string_equal(err.msg, "no sender: the From header has no address");
}

static void
test_html(void **state)
{
	static const struct {
		const char *html, *text;
	} cases[] = {
		{ "<html><head><title>T</title><style>p{}</style></head><body>a</body></html>", "a" },
		{ "a<br>b<br/>c", "a\nb\nc" },
		{ "<p>a</p><p>b</p>", "a\n\nb" },
		{ "<div>a\n  b</div><div>c</div>", "a b\nc" },
		{ "&amp;&lt;&gt;&quot;&#39;&#x416;&#1078;&mdash;&unknown;", "&<>\"'Жж—&unknown;" },
		{ "<script>alert(1)</script>x<!-- hidden -->y", "xy" },
		{ "1 < 2 and <3", "1 < 2 and <3" },
		{ "<ul><li>one</li><li>two</li></ul>", "one\ntwo" },
		{ "&#0;&#xD800;&#99999999;", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "", "" },
		/* four bytes of UTF-8; &nbsp; and &#160; as spaces; a lone "&" and "&#;" as text */
		{ "&#x1F600;&#128512;a&nbsp;b&#160;c &amp d & e &#;", "\xf0\x9f\x98\x80\xf0\x9f\x98\x80" "a b c & d & e &#;" },
		/* a <style/> that closes itself hides nothing; an unclosed comment or tag ends the text */
		{ "<style/>shown<p>x</p>", "shown\n\nx" },
		{ "a<!-- never closed", "a" },
		{ "a<b", "a" },
		/* <pre>'s line ends kept, two at most in a row */
		{ "<pre>x\n\n\n\ny</pre> z", "x\n\ny\nz" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = NULL;
		size_t len = 0;

		assert_int_equal(ls_mail_html_text(cases[i].html, strlen(cases[i].html), &out, &len), 0);
		if (strcmp(out, cases[i].text) != 0)
			fail_msg("case %zu: '%s', want '%s'", i, out, cases[i].text);
		assert_int_equal(len, strlen(out));
		free(out);
	}
	/* appended to what *out holds; an HTML without text leaves it as it was */
	{
		char *out = strdup("first");
		size_t len = 5;

		assert_non_null(out);
		assert_int_equal(ls_mail_html_text("<p>second</p>", 13, &out, &len), 0);
		assert_string_equal(out, "firstsecond");
		assert_int_equal(len, 11);
		assert_int_equal(ls_mail_html_text("<br><!-- -->", 12, &out, &len), 0);
		assert_string_equal(out, "firstsecond");
		assert_int_equal(len, 11);
		free(out);
	}
}

/* A From group's first member; X-Autorespond as the vacation flag, lower case; an empty In-Reply-To. */
static void
test_group_and_flags(void **state)
{
	struct ls_mail *m;

	(void)state;
	m = parse("From: Sales team: Ivan Petrov <ivan@x.ru>, petr@x.ru;\n"
	    "X-Autorespond: Vacation\n"
	    "In-Reply-To: <>\n\nx\n");
	assert_string_equal(m->from_name, "Ivan Petrov");
	assert_string_equal(m->from_addr, "ivan@x.ru");
	assert_string_equal(m->autoreply, "vacation");
	assert_string_equal(m->in_reply_to, "");
	assert_int_equal(m->nreferences, 0);
	ls_mail_free(m);
	/* a group with no members has no sender */
	{
		struct ls_error err = { 0 };
		const char *t = "From: Undisclosed recipients:;\n\nx\n";

		assert_null(ls_mail_parse(t, strlen(t), "t.eml", &err));
		assert_string_equal(err.msg, "no sender: the From header has no address");
	}
}

/*
 * Text cleaned character by character: C1 controls and DEL dropped, a
 * 4-byte character kept, a lone CR a line end, a line's trailing blanks
 * dropped.  (Invalid UTF-8 never reaches the cleaning through GMime, which
 * converts every part and header to UTF-8 first.)
 */
static void
test_clean_text(void **state)
{
	struct ls_mail *m;

	(void)state;
	m = parse("From: a@b\nSubject: x\xc2\x85y\nContent-Type: text/plain; charset=utf-8\n\n"
	    "d\xc2\x85" "e\xf0\x9f\x99\x82" "f\rg  \n  \nh\x7f\n");
	assert_string_equal(m->subject, "xy");
	assert_string_equal(m->body, "de\xf0\x9f\x99\x82" "f\ng\n\nh");
	ls_mail_free(m);
}

/*
 * Attachments: more than the first table holds (four), an attached letter
 * as one attachment of its size (not walked into: its text is not the
 * body), a second plain part and a second HTML part attachments too, a
 * file name cleaned.
 */
static void
test_attachments(void **state)
{
	struct ls_mail *m;

	(void)state;
	m = parse("From: a@b\nContent-Type: multipart/mixed; boundary=B\n\n"
	    "--B\nContent-Type: text/plain\n\nthe body\n"
	    "--B\nContent-Type: text/plain\n\nsecond text\n"
	    "--B\nContent-Type: text/html\n\n<p>one</p>\n"
	    "--B\nContent-Type: text/html\n\n<p>two</p>\n"
	    "--B\nContent-Type: application/pdf; name=\"a.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERg==\n"
	    "--B\nContent-Type: image/png\nContent-Disposition: attachment; filename=\"Счёт\x01.png\"\n\nPNG\n"
	    "--B\nContent-Type: message/rfc822\n\nFrom: c@d\nSubject: inner\n\ninner body\n"
	    "--B--\n");
	assert_string_equal(m->body, "the body");
	assert_false(m->html);
	assert_int_equal(m->nattachments, 5);
	assert_string_equal(m->attachments[0].name, "");
	assert_int_equal(m->attachments[0].size, strlen("second text"));
	assert_int_equal(m->attachments[1].size, strlen("<p>two</p>"));
	assert_string_equal(m->attachments[2].name, "a.pdf");
	assert_int_equal(m->attachments[2].size, 4);	/* "%PDF" decoded */
	assert_string_equal(m->attachments[3].name, "Счёт.png");
	assert_string_equal(m->attachments[4].name, "");
	assert_true(m->attachments[4].size > strlen("inner body"));
	ls_mail_free(m);
	/* format=flowed with delsp=yes: the soft line's last space goes; the signature line stays */
	m = parse("From: a@b\nContent-Type: text/plain; format=flowed; delsp=yes\n\n"
	    "Добрый \n день\n-- \nsig\n");
	assert_string_equal(m->body, "Добрыйдень\n--\nsig");
	ls_mail_free(m);
}

/*
 * The limits and the trimming of what a letter says: a display name cut
 * at 255 bytes on a character's boundary, an encoded subject's leading
 * line break and blanks dropped, a media type in capitals in lower case,
 * a flowed line's space-stuffing taken off before its paragraph is joined.
 */
static void
test_trimmed(void **state)
{
	char msg[1000], name[300];
	struct ls_mail *m;

	(void)state;
	memset(name, 'a', 254);
	strcpy(name + 254, "Ж");	/* bytes 255 and 256: not whole within 255 */
	snprintf(msg, sizeof msg, "From: \"%s\" <x@y>\nSubject: =?utf-8?Q?=0A__Hello?=\n"
	    "Content-Type: TEXT/PLAIN; format=flowed\n\n >quoted \nnext\n", name);
	m = parse(msg);
	name[254] = '\0';
	assert_string_equal(m->from_name, name);
	assert_string_equal(m->subject, "Hello");
	assert_string_equal(m->content_type, "text/plain");
	assert_string_equal(m->body, ">quoted next");
	ls_mail_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_group_and_flags),
		cmocka_unit_test(test_clean_text),
		cmocka_unit_test(test_attachments),
		cmocka_unit_test(test_trimmed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
