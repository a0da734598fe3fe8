/*
 * ticket_mail.h - ticket-log(1)'s mail gateway, the way RT's mail gateway
 * and osTicket's piping work: the letters of a Maildir (or one on standard
 * input) become events of the ticket log.  A new letter opens a ticket, a
 * reply is added to its ticket as the client's answer, each letter is
 * taken once by its Message-ID (the reference store, tlog_refs.h), and
 * auto-replies and bounces never open or reopen anything.  Parsing is
 * mail.h's; the events go through the same checks and the same one commit
 * as import's (ticket_int.h).
 *
 * Main thread only (mail.h initialises GMime on first use).
 */
#ifndef LS_TICKET_MAIL_H
#define LS_TICKET_MAIL_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "ticket_env.h"
#include "ticket_ops.h"

enum ls_tmail_action {
	LS_TMAIL_OPENED,	/* a new ticket */
	LS_TMAIL_ADDED,		/* the client's answer on a ticket */
	LS_TMAIL_DUPLICATE,	/* taken before: its Message-ID is known */
	LS_TMAIL_AUTO,		/* an auto-reply or a bounce: nothing done */
	LS_TMAIL_ERROR		/* not read or refused: nothing done */
};

/* What became of one letter. */
struct ls_tmail_item {
	char *file;		/* "new/NAME" or "cur/NAME" in the Maildir, or the stream's name */
	enum ls_tmail_action action;
	long id;		/* the ticket (opened, added, duplicate); 0 when none */
	char *detail;		/* added: the event ("note", "status open", "reopen"); auto: why;
				   error: the message (the file is file); else "" */
	/* the gateway's own */
	char *path;		/* the file's full path; NULL for a stream */
	struct ls_mail *m;
	char *ref;
	int64_t ts;
};

/* A run: what to read, and what came of it. */
struct ls_tmail_run {
	const struct ls_ticket_env *env;	/* the log, its zone, now */
	const char *maildir;		/* a Maildir; NULL: one message on standard input */
	const char *stdin_name;		/* its name in the report ("-") */
	const char *addressbook;	/* CSV of email and client columns; NULL: none */
	/* results, in the folder's order (new/ then cur/, each by name) */
	struct ls_tmail_item *items;
	size_t nitems;
	size_t nerrors;			/* items with LS_TMAIL_ERROR */
	size_t nmoved_failed;		/* new/ letters that could not be moved to cur/ */
	struct ls_ticket_ops_cut cut;	/* a torn tail of the log cut on the way */
};

/*
 * Read every letter (r->maildir's new/ and cur/, else one on standard input),
 * decide each as ticket-log(1) MAIL says, and append the events in one
 * commit, the references first (ticket_int.h).  Letters are taken in the
 * order of their Date (the clock's now when it is missing or unreadable),
 * so that a reply that came in the same batch as its letter finds it.
 * After the commit, the letters taken from new/ (all but errors) are
 * moved to cur/ with the Seen flag (":2,S"), as a mail reader would.
 *
 * A letter that cannot be read, parsed or added is an item with
 * LS_TMAIL_ERROR (r->nerrors); the others are still taken.  Returns 0
 * with r's results filled, or a status with err for what stops the whole
 * run: not a Maildir (LS_EUSAGE), a bad address book (LS_ECONFIG naming
 * its file and line), channel email not among the SLA file's channels
 * (LS_EUSAGE), the log's errors.  Free the results with
 * ls_ticket_mail_free() either way.
 */
int ls_ticket_mail(struct ls_tmail_run *r, struct ls_error *err);

/*
 * The report's line for it, without a line end, into buf: "FILE: opened
 * T-000001", "FILE: added to T-000001 (status open)", "FILE: duplicate of
 * T-000001", "FILE: auto-reply skipped (...)", "FILE: error: MESSAGE".
 * Returns buf.
 */
char *ls_ticket_mail_line(const struct ls_tmail_item *it, char *buf, size_t size);

/* Free r's results.  A zeroed r is a no-op. */
void ls_ticket_mail_free(struct ls_tmail_run *r);

#endif
