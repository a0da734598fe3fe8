/*
 * ticket_args.c - what ticket-log checks before it reads anything: a
 * command's arguments for each event, and the text a log may hold (a
 * command line's or an import row's).  Kept apart from ticket_ops.c, the
 * work on the log itself.  See ticket_ops.h.
 */
#include <string.h>

#include "ticket_ops.h"
#include "utf8.h"

int
ls_ticket_ops_blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

int
ls_ticket_ops_text(const char *what, const char *s, int status, struct ls_error *err)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, bad;

	if (s == NULL)
		return 0;
	n = strlen(s);
	if (ls_utf8_valid(p, n, &bad) != 1)
		return ls_error_set(err, status, NULL, 0, 0, "%s: not UTF-8 (byte %zu is 0x%02x)", what,
		    bad + 1, p[bad]);
	/* the log escapes tabs and line feeds; any other control character is a terminal's or a pasted binary's */
	for (size_t i = 0; i < n; i++) {
		unsigned c = p[i];

		if (c == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
			c = p[i + 1];
		else if ((c >= 0x20 && c != 0x7f) || c == '\t' || c == '\n')
			continue;
		return ls_error_set(err, status, NULL, 0, 0,
		    "%s: control character U+%04X at byte %zu", what, c, i + 1);
	}
	return 0;
}

int
ls_ticket_ops_args(struct ls_tevent_req *e, const char *priority, char *const *args, int n,
    struct ls_buf *text, struct ls_error *err)
{
	/* arguments before the text: at least, and where the text starts */
	static const int want[LS_EV_COUNT][2] = {
		[LS_EV_OPEN] = { 0, 0 }, [LS_EV_NOTE] = { 2, 1 }, [LS_EV_REPLY] = { 2, 1 },
		[LS_EV_STATUS] = { 2, 2 }, [LS_EV_ASSIGN] = { 2, 2 }, [LS_EV_CLOSE] = { 1, 1 },
		[LS_EV_REOPEN] = { 1, 1 }, [LS_EV_PRIORITY] = { 2, 2 }
	};
	const char *name = ls_tevent_name(e->ev);

	/* the options' values first: they were told before the arguments */
	e->priority = LS_PRIO_NORMAL;
	if (priority && ls_priority_parse(priority, strlen(priority), &e->priority) != 0)
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
		    "unknown priority '%s' (expected low, normal, high or urgent)", priority);
	if ((unsigned)e->ev >= LS_EV_COUNT || n < want[e->ev][0] || (e->ev == LS_EV_ASSIGN && n != 2))
		return -1;
	if (e->ev != LS_EV_OPEN && ls_ticket_id_parse(args[0], strlen(args[0]), &e->id) != 0)
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "'%s' is not a ticket id (T-000001)", args[0]);
	if (e->ev == LS_EV_STATUS && ls_tstatus_parse(args[1], strlen(args[1]), &e->want) != 0)
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
		    "unknown status '%s' (expected new, open, pending, solved or closed)", args[1]);
	if (e->ev == LS_EV_PRIORITY &&
	    ls_priority_parse(args[1], strlen(args[1]), &e->priority) != 0)
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
		    "unknown priority '%s' (expected low, normal, high or urgent)", args[1]);
	if (e->ev == LS_EV_ASSIGN && ls_ticket_ops_blank(e->agent = args[1]))
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "assign: the agent is empty");
	if (e->ev == LS_EV_OPEN && ls_ticket_ops_blank(e->client))
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "open: --client must name the client");
	if (e->ev == LS_EV_OPEN && ls_ticket_ops_blank(e->subject))
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
		    "open: --subject must say what the ticket is about");
	if (ls_ticket_ops_text("--client", e->client, LS_EUSAGE, err) != 0 ||
	    ls_ticket_ops_text("--subject", e->subject, LS_EUSAGE, err) != 0 ||
	    ls_ticket_ops_text(e->ev == LS_EV_ASSIGN ? "the agent" : "--agent", e->agent, LS_EUSAGE,
	    err) != 0)
		return LS_EUSAGE;
	e->text = NULL;
	for (int i = want[e->ev][1]; i < n; i++) {
		if (ls_ticket_ops_text("the text", args[i], LS_EUSAGE, err) != 0)
			return LS_EUSAGE;
		if ((i > want[e->ev][1] && ls_buf_puts(text, " ") != 0) || ls_buf_puts(text, args[i]) != 0)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		e->text = text->p;
	}
	if ((e->ev == LS_EV_NOTE || e->ev == LS_EV_REPLY) && ls_ticket_ops_blank(e->text))
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "%s: the text is empty", name);
	return 0;
}
