/*
 * ticket_mail.c - ticket-log's mail gateway: letters in, events out.  Which
 * letters there are (a Maildir's, or one on a pipe), what each is (new,
 * reply, duplicate, auto-reply, bounce), which event a client's answer is,
 * and the move of the letters taken to cur/.  See ticket_mail.h.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "buf.h"
#include "keyset.h"
#include "mail.h"
#include "record.h"
#include "sha256.h"
#include "ticket_int.h"
#include "ticket_mail.h"
#include "util.h"

static char *
dup(const char *s)
{
	return ls_concat(s, "");
}

/* Append an item for file (path: its full path, NULL for a stream).  NULL when out of memory. */
static struct ls_tmail_item *
item_add(struct ls_tmail_run *r, size_t *cap, const char *file, const char *path)
{
	struct ls_tmail_item *it;

	if (ls_grow(&r->items, cap, r->nitems + 1, sizeof(*r->items)) != 0)
		return NULL;
	it = &r->items[r->nitems];
	memset(it, 0, sizeof(*it));
	if ((it->file = dup(file)) == NULL || (path && (it->path = dup(path)) == NULL)) {
		free(it->file);
		free(it->path);
		return NULL;
	}
	r->nitems++;
	return it;
}

/* A letter's fate as an error: err's message. */
static int
item_error(struct ls_tmail_run *r, struct ls_tmail_item *it, const struct ls_error *e)
{
	char msg[600];

	/* the file is the item's; a line, when there is one, goes with the message */
	if (e->line > 0)
		snprintf(msg, sizeof(msg), "line %ld: %s", e->line, e->msg);
	else
		snprintf(msg, sizeof(msg), "%s", e->msg);
	it->action = LS_TMAIL_ERROR;
	r->nerrors++;
	free(it->detail);
	return (it->detail = dup(msg)) == NULL ? -1 : 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The letters of sub ("new" or "cur") of dir, by name, as items.  A
 * missing sub is none; *found is set when it exists.  0 or LS_*.
 */
static int
list_sub(struct ls_tmail_run *r, size_t *cap, const char *sub, int *found, struct ls_error *err)
{
	struct ls_buf path = { 0 };
	char **names = NULL;
	size_t n = 0, capn = 0;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (ls_buf_printf(&path, "%s/%s", r->maildir, sub) != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((d = opendir(path.p)) == NULL) {
		rc = errno == ENOENT ? 0 : ls_error_set(err, LS_EIO, path.p, 0, 0, "cannot read: %s",
		    strerror(errno));
		ls_buf_free(&path);
		return rc;
	}
	*found = 1;
	while ((de = readdir(d)) != NULL) {
		/* dot files are a delivery agent's temporaries and the folder's own */
		if (de->d_name[0] == '.')
			continue;
		if (ls_grow(&names, &capn, n + 1, sizeof(*names)) != 0 || (names[n] = dup(de->d_name)) == NULL) {
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
		n++;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		struct ls_buf file = { 0 }, full = { 0 };
		struct stat st;

		if (ls_buf_printf(&file, "%s/%s", sub, names[i]) != 0 ||
		    ls_buf_printf(&full, "%s/%s", path.p, names[i]) != 0) {
			ls_buf_free(&file);
			ls_buf_free(&full);
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
		if (stat(full.p, &st) == 0 && S_ISREG(st.st_mode) &&
		    item_add(r, cap, file.p, full.p) == NULL)
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		ls_buf_free(&file);
		ls_buf_free(&full);
		if (rc != 0)
			goto done;
	}
done:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	ls_buf_free(&path);
	return rc;
}

/* The address book: lower-case email -> client.  NULL with err when it is bad. */
static struct ls_keyset *
addressbook(const char *path, struct ls_error *err)
{
	struct ls_reader_opts o = { 0 };
	struct ls_reader *rd;
	struct ls_keyset *ks = NULL;
	struct ls_record rec;
	long ce, cc;
	int rc;

	/* a missing or unreadable address book is the command's configuration: exit 2 */
	if ((rd = ls_reader_open(&path, 1, &o, err)) == NULL) {
		if (err->status != LS_ENOMEM)
			err->status = LS_ECONFIG;
		return NULL;
	}
	ce = ls_reader_col(rd, "email");
	cc = ls_reader_col(rd, "client");
	if (ce < 0 || cc < 0) {
		ls_error_set(err, LS_ECONFIG, path, 1, 0, "an address book needs the columns email and client");
		goto fail;
	}
	if ((ks = ls_keyset_create(err)) == NULL)
		goto fail;
	while ((rc = ls_reader_next(rd, &rec, err)) > 0) {
		char key[321];
		const struct ls_str *e = &rec.fields[ce], *c = &rec.fields[cc];
		size_t k;

		if ((size_t)ce >= rec.nfields || (size_t)cc >= rec.nfields)
			continue;
		if (e->n == 0 || e->n >= sizeof(key) || ls_ticket_ops_blank(c->p) ||
		    ls_ticket_ops_text("client", c->p, LS_ECONFIG, err) != 0) {
			char why[sizeof(err->msg)];

			/* copied first: err->msg is both the message and where it is written */
			snprintf(why, sizeof(why), "%s", err->msg[0] != '\0' ? err->msg :
			    "an address book row needs an email (at most 320 bytes) and a client");
			ls_error_set(err, LS_ECONFIG, path, rec.line, 0, "%s", why);
			goto fail;
		}
		for (k = 0; k < e->n; k++)
			key[k] = e->p[k] >= 'A' && e->p[k] <= 'Z' ? (char)(e->p[k] - 'A' + 'a') : e->p[k];
		if (ls_keyset_put(ks, key, k, c->p, c->n, NULL) != 0) {
			ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto fail;
		}
	}
	if (rc < 0) {
		if (err->status == LS_EDATA)
			err->status = LS_ECONFIG;
		goto fail;
	}
	ls_reader_free(rd);
	return ks;
fail:
	ls_reader_free(rd);
	ls_keyset_free(ks);
	return NULL;
}

/* Read and parse every item's letter; a failure is that item's error.  0, or -1 when out of memory. */
static int
parse_all(struct ls_tmail_run *r)
{
	for (size_t i = 0; i < r->nitems; i++) {
		struct ls_tmail_item *it = &r->items[i];
		struct ls_error e = { 0 };
		size_t len;
		char *buf = ls_read_file(it->path ? it->path : "-", &len, &e);

		if (buf == NULL) {
			if (e.status == LS_ENOMEM || item_error(r, it, &e) != 0)
				return -1;
			continue;
		}
		it->m = ls_mail_parse(buf, len, it->file, &e);
		if (it->m == NULL) {
			free(buf);
			if (e.status == LS_ENOMEM || item_error(r, it, &e) != 0)
				return -1;
			continue;
		}
		/* the letter's own reference: its Message-ID, else (a broken mailer's letter) its bytes' hash */
		if (it->m->message_id[0] != '\0') {
			struct ls_buf b = { 0 };

			if (ls_buf_printf(&b, "<%s>", it->m->message_id) != 0) {
				free(buf);
				return -1;
			}
			it->ref = b.p;
		} else {
			char hex[LS_SHA256_HEX];

			ls_sha256_hex(buf, len, hex);
			it->ref = ls_concat("sha256:", hex);
		}
		free(buf);
		it->ts = it->m->has_date ? it->m->date : r->env->now;
		if (it->ref == NULL)
			return -1;
	}
	return 0;
}

/*
 * Why m is an auto-reply or a bounce (a static string), or NULL when a
 * person wrote it: RFC 3834's Auto-Submitted, the Precedence that
 * vacation programs and lists set, a delivery-status report (RFC 3464),
 * the mailer daemon, and the X-Autoreply header some web mails set.
 */
static const char *
automatic(const struct ls_mail *m, char *why, size_t size)
{
	const char *at = strchr(m->from_addr, '@');
	size_t local = at ? (size_t)(at - m->from_addr) : strlen(m->from_addr);

	if (m->delivery_status) {
		snprintf(why, size, "bounce skipped (delivery-status report)");
		return why;
	}
	if ((local == 13 && strncasecmp(m->from_addr, "mailer-daemon", 13) == 0) ||
	    (local == 10 && strncasecmp(m->from_addr, "postmaster", 10) == 0)) {
		snprintf(why, size, "bounce skipped (from %.*s)", (int)local, m->from_addr);
		return why;
	}
	/* "no" (a person wrote it), perhaps with a comment after it */
	if (m->auto_submitted[0] != '\0' && !(strncmp(m->auto_submitted, "no", 2) == 0 &&
	    strchr(" ;(", m->auto_submitted[2]) != NULL)) {
		snprintf(why, size, "auto-reply skipped (Auto-Submitted: %.60s)", m->auto_submitted);
		return why;
	}
	if (strcmp(m->precedence, "bulk") == 0 || strcmp(m->precedence, "junk") == 0 ||
	    strcmp(m->precedence, "auto_reply") == 0) {
		snprintf(why, size, "auto-reply skipped (Precedence: %s)", m->precedence);
		return why;
	}
	if (m->autoreply[0] != '\0' && strcmp(m->autoreply, "no") != 0) {
		snprintf(why, size, "auto-reply skipped (X-Autoreply: %.60s)", m->autoreply);
		return why;
	}
	return NULL;
}

/* The ticket a reply belongs to: by In-Reply-To, References (newest first), then "[T-000123]" in the subject. */
static long
thread_of(const struct ls_mail *m, const struct ls_trefs *refs, struct ls_queue *q)
{
	struct ls_buf b = { 0 };
	long id = 0;
	const char *s;

	for (size_t i = 0; id == 0 && i <= m->nreferences; i++) {
		const char *mid = i == 0 ? m->in_reply_to : m->references[m->nreferences - i];

		b.n = 0;
		if (mid[0] != '\0' && ls_buf_printf(&b, "<%s>", mid) == 0)
			id = ls_trefs_get(refs, b.p, b.n);
	}
	ls_buf_free(&b);
	for (s = m->subject; id == 0 && (s = strstr(s, "[T-")) != NULL; s++) {
		const char *e = strchr(s, ']');
		long v;

		if (e && ls_ticket_id_parse(s + 1, (size_t)(e - s - 1), &v) == 0 && ls_queue_get(q, v))
			id = v;
	}
	return id;
}

/* The event's text: the body, the attachments by name and size; on a reply, who wrote it first. */
static int
event_text(const struct ls_mail *m, int reply, struct ls_buf *b)
{
	b->n = 0;
	if (reply && ls_buf_printf(b, "From: %s%s<%s>\n\n", m->from_name, m->from_name[0] ? " " : "",
	    m->from_addr) != 0)
		return -1;
	if (ls_buf_puts(b, m->body[0] ? m->body : "(no text)") != 0)
		return -1;
	for (size_t i = 0; i < m->nattachments; i++)
		if (ls_buf_printf(b, "%s[attachment: %s, %zu bytes]", i == 0 ? "\n\n" : "\n",
		    m->attachments[i].name[0] ? m->attachments[i].name : "(no name)",
		    m->attachments[i].size) != 0)
			return -1;
	return ls_buf_put(b, "", 0);
}

/* One letter, decided and queued.  0; -1 when out of memory (other failures are the item's). */
static int
take(struct ls_tmail_run *r, struct ls_tmail_item *it, struct ls_tlog *l, struct ls_queue *q,
    struct ls_trefs *refs, const struct ls_keyset *book, struct ls_buf *text)
{
	const struct ls_mail *m = it->m;
	struct ls_tevent_req e = { .ev = LS_EV_OPEN, .priority = LS_PRIO_NORMAL, .channel = "email" };
	struct ls_error err = { 0 };
	struct ls_tcur t;
	const char *what = "";
	char why[128], key[321];
	long long seq;
	long id;

	if ((id = ls_trefs_get(refs, it->ref, strlen(it->ref))) != 0) {
		it->action = LS_TMAIL_DUPLICATE;
		it->id = id;
		return (it->detail = dup("")) ? 0 : -1;
	}
	if (automatic(m, why, sizeof(why)) != NULL) {
		it->action = LS_TMAIL_AUTO;
		return (it->detail = dup(why)) ? 0 : -1;
	}
	e.ts = it->ts;
	if ((e.id = thread_of(m, refs, q)) != 0 && ls_ticket_ops_cur(q, &(struct ls_tevent_req){
	    .ev = LS_EV_NOTE, .id = e.id, .ts = e.ts }, &t) != NULL) {
		/* the client's answer: the event its ticket's status calls for (ticket-log(1) MAIL) */
		switch (t.status) {
		case LS_TS_PENDING:
			e.ev = LS_EV_STATUS;
			e.want = LS_TS_OPEN;
			what = "status open";
			break;
		case LS_TS_SOLVED:
		case LS_TS_CLOSED:
			e.ev = LS_EV_REOPEN;
			what = "reopen";
			break;
		default:
			e.ev = LS_EV_NOTE;
			what = "note";
			break;
		}
	} else {
		const char *client = NULL;
		size_t n = strlen(m->from_addr);

		if (book && n < sizeof(key)) {
			for (size_t k = 0; k <= n; k++)
				key[k] = m->from_addr[k] >= 'A' && m->from_addr[k] <= 'Z' ?
				    (char)(m->from_addr[k] - 'A' + 'a') : m->from_addr[k];
			client = ls_keyset_get(book, key, n);
		}
		e.client = client ? client : m->from_addr;
		e.subject = ls_ticket_ops_blank(m->subject) ? "(no subject)" : m->subject;
	}
	if (event_text(m, e.ev != LS_EV_OPEN, text) != 0)
		return -1;
	e.text = text->p;
	if (ls_ticket_ops_add(l, q, r->env->tz, ls_queue_count(q) + 1,
	    e.ev == LS_EV_OPEN ? NULL : &t, &e, &id, &seq, &err) != 0) {
		if (err.status == LS_ENOMEM)
			return -1;
		/* the log's check names the log's file; the letter is what was refused */
		err.line = 0;
		return item_error(r, it, &err);
	}
	if (ls_trefs_add(refs, it->ref, strlen(it->ref), seq, id, &err) != 0)
		return -1;
	it->action = e.ev == LS_EV_OPEN ? LS_TMAIL_OPENED : LS_TMAIL_ADDED;
	it->id = id;
	return (it->detail = dup(what)) ? 0 : -1;
}

/* An item's place in the order of taking: by time (then the folder's), a reply after its letter. */
struct slot {
	int64_t ts;
	size_t i;
};

static int
by_time(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	return x->ts < y->ts ? -1 : x->ts > y->ts ? 1 : x->i < y->i ? -1 : x->i > y->i;
}

/* Move the letters taken from new/ to cur/, Seen, as a mail reader does (Maildir's "info" ":2,S"). */
static void
mark_seen(struct ls_tmail_run *r)
{
	struct ls_buf cur = { 0 };

	/* every Maildir has cur/; one copied by hand (or by git) may lack the empty folder */
	if (ls_buf_printf(&cur, "%s/cur", r->maildir) == 0)
		(void)mkdir(cur.p, 0700);
	ls_buf_free(&cur);
	for (size_t i = 0; i < r->nitems; i++) {
		struct ls_tmail_item *it = &r->items[i];
		struct ls_buf to = { 0 };
		const char *name = it->file + 4;

		if (it->path == NULL || it->action == LS_TMAIL_ERROR || strncmp(it->file, "new/", 4) != 0)
			continue;
		/* a name with info already (a delivery agent that set it) gets S added */
		if (ls_buf_printf(&to, "%s/cur/%s%s", r->maildir, name,
		    strstr(name, ":2,") ? (strchr(strstr(name, ":2,"), 'S') ? "" : "S") : ":2,S") != 0 ||
		    rename(it->path, to.p) != 0)
			r->nmoved_failed++;
		ls_buf_free(&to);
	}
}

int
ls_ticket_mail(struct ls_tmail_run *r, struct ls_error *err)
{
	struct ls_keyset *book = NULL;
	struct ls_queue *q = NULL;
	struct ls_tlog *l = NULL;
	struct ls_trefs *refs = NULL;
	struct ls_buf text = { 0 };
	size_t cap = 0;
	struct slot *order = NULL;
	int rc, found = 0;

	r->items = NULL;
	r->nitems = r->nerrors = r->nmoved_failed = 0;
	memset(&r->cut, 0, sizeof(r->cut));
	if ((rc = ls_ticket_env_channel(r->env, "email", LS_EUSAGE, err)) != 0)
		return rc;
	if (r->maildir) {
		if ((rc = list_sub(r, &cap, "new", &found, err)) != 0 ||
		    (rc = list_sub(r, &cap, "cur", &found, err)) != 0)
			return rc;
		if (!found)
			return ls_error_set(err, LS_EUSAGE, r->maildir, 0, 0,
			    "not a Maildir (it has neither new/ nor cur/)");
	} else if (item_add(r, &cap, r->stdin_name, NULL) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if (r->addressbook && (book = addressbook(r->addressbook, err)) == NULL)
		return err->status;
	rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if (parse_all(r) != 0 || (order = calloc(r->nitems + 1, sizeof(*order))) == NULL)
		goto done;
	for (size_t i = 0; i < r->nitems; i++) {
		order[i].ts = r->items[i].ts;
		order[i].i = i;
	}
	qsort(order, r->nitems, sizeof(*order), by_time);
	memset(err, 0, sizeof(*err));
	/* the letters are read and parsed; only now the log is locked */
	if ((q = ls_queue_new(NULL, err)) == NULL ||
	    (l = ls_tlog_open(r->env->log, LS_TLOG_CREATE, err)) == NULL ||
	    ls_ticket_ops_replay(l, q, 0, -1, NULL, err) != 0 ||
	    (refs = ls_trefs_open(r->env->log, ls_tlog_seq(l), err)) == NULL) {
		rc = err->status;
		goto done;
	}
	for (size_t k = 0; k < r->nitems; k++) {
		struct ls_tmail_item *it = &r->items[order[k].i];

		if (it->action == LS_TMAIL_ERROR)
			continue;
		if (take(r, it, l, q, refs, book, &text) != 0) {
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
	}
	ls_ticket_ops_torn(l, 1, &r->cut);
	if ((rc = ls_ticket_ops_commit(l, refs, err)) != 0)
		goto done;
	if (r->maildir)
		mark_seen(r);
done:
	free(order);
	ls_buf_free(&text);
	ls_trefs_free(refs);
	ls_tlog_close(l);
	ls_queue_free(q);
	ls_keyset_free(book);
	return rc;
}

char *
ls_ticket_mail_line(const struct ls_tmail_item *it, char *buf, size_t size)
{
	static const char *const done[] = {
		[LS_TMAIL_OPENED] = "opened", [LS_TMAIL_ADDED] = "added to",
		[LS_TMAIL_DUPLICATE] = "duplicate of"
	};
	char id[16];
	const char *d = it->detail ? it->detail : "";

	ls_ticket_id_format(it->id, id, sizeof(id));
	if (it->action == LS_TMAIL_AUTO)
		snprintf(buf, size, "%s: %s", it->file, d);
	else if (it->action == LS_TMAIL_ERROR)
		snprintf(buf, size, "%s: error: %s", it->file, d);
	else
		snprintf(buf, size, "%s: %s %s%s%s%s", it->file, done[it->action], id, d[0] ? " (" : "", d,
		    d[0] ? ")" : "");
	return buf;
}

void
ls_ticket_mail_free(struct ls_tmail_run *r)
{
	for (size_t i = 0; i < r->nitems; i++) {
		free(r->items[i].file);
		free(r->items[i].path);
		free(r->items[i].detail);
		free(r->items[i].ref);
		ls_mail_free(r->items[i].m);
	}
	free(r->items);
	r->items = NULL;
	r->nitems = 0;
}
