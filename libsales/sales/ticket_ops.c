/*
 * ticket_ops.c - appending checked events, replaying the log, importing a
 * CSV all or nothing.  See ticket_ops.h.
 */
#include <stdlib.h>
#include <string.h>

#include "lifecycle.h"
#include "rejects.h"
#include "ticket_int.h"
#include "util.h"

int
ls_ticket_ops_replay(struct ls_tlog *l, struct ls_queue *q, int strict, int64_t until,
    long long *nev, struct ls_error *err)
{
	struct ls_tlog_rec r;
	long long n = 0;
	int rc;

	while ((rc = ls_tlog_next(l, &r, err)) > 0) {
		n++;
		/* check: what a writer refuses now may still be in a log written before, or by hand */
		for (int k = LS_TC_CLIENT; strict && k <= LS_TC_SUBJECT; k++)
			if (k != LS_TC_PRIORITY && ls_ticket_ops_text(ls_tlog_columns[k], r.f[k].p, LS_EDATA,
			    err) != 0) {
				err->line = r.line;
				snprintf(err->file, sizeof(err->file), "%s", ls_tlog_path(l));
				return LS_EDATA;
			}
		if (until >= 0 && r.ts > until)
			continue;
		if (ls_queue_apply(q, &r, strict, ls_tlog_path(l), err) != 0)
			return err->status;
	}
	if (nev)
		*nev = n;
	return rc < 0 ? err->status : 0;
}

/* ls_ticket_ops_append() of an event for a ticket: the log replayed first, its tickets in time order. */
static int
append_replayed(const char *path, struct ls_tz *tz, const struct ls_tevent_req *e, long *id,
    struct ls_ticket_ops_cut *cut, struct ls_error *err)
{
	struct ls_queue *q;
	struct ls_tlog *l = NULL;
	struct ls_tcur t;
	int rc;

	if ((q = ls_queue_new(NULL, err)) == NULL)
		return err->status;
	if ((l = ls_tlog_open(path, LS_TLOG_WRITE, err)) == NULL ||
	    ls_ticket_ops_replay(l, q, 0, -1, NULL, err) != 0) {
		rc = err->status;
		goto done;
	}
	if ((rc = ls_ticket_ops_add(l, q, tz, ls_queue_count(q) + 1, ls_ticket_ops_cur(q, e, &t), e,
	    id, NULL, err)) != 0)
		goto done;
	ls_ticket_ops_torn(l, 1, cut);
	rc = ls_ticket_ops_commit(l, NULL, err);
done:
	ls_tlog_close(l);
	ls_queue_free(q);
	return rc;
}

int
ls_ticket_ops_append(const char *path, struct ls_tz *tz, const struct ls_tevent_req *e,
    long *id, struct ls_ticket_ops_cut *cut, struct ls_error *err)
{
	struct ls_tlog_rec last;
	struct ls_tlog *l;
	int rc;

	memset(cut, 0, sizeof(*cut));
	/*
	 * Only an opening can go by the log's tail (ls_tlog_find()): it needs the
	 * last id, nothing of a ticket's state.  Any other event needs the
	 * ticket's state at its time, and that is not its last row when an
	 * event was written late (dated before others of the ticket), which
	 * nothing short of the ticket's whole story tells.
	 */
	if (e->ev != LS_EV_OPEN)
		return append_replayed(path, tz, e, id, cut, err);
	if ((l = ls_tlog_open(path, LS_TLOG_CREATE, err)) == NULL)
		return err->status;
	if ((rc = ls_tlog_find(l, 0, &last, err)) < 0) {
		rc = err->status;
		goto done;
	}
	if ((rc = ls_ticket_ops_add(l, NULL, tz, rc == 1 ? last.id + 1 : 1, NULL, e, id, NULL,
	    err)) != 0)
		goto done;
	ls_ticket_ops_torn(l, 1, cut);
	rc = ls_ticket_ops_commit(l, NULL, err);
done:
	ls_tlog_close(l);
	return rc;
}

/* The columns import reads (all optional but event). */
enum { IC_EVENT, IC_TS, IC_ID, IC_STATUS, IC_CLIENT, IC_AGENT, IC_PRIORITY, IC_TEXT,
	IC_SUBJECT, IC_CHANNEL, IC_REF, IC_COUNT };
static const char *const import_cols[IC_COUNT] = {
	"event", "ts", "ticket_id", "status", "client", "agent", "priority", "text",
	"subject", "channel", "ref"
};

/* A field of the rows: text[off..off + n), NUL-terminated. */
struct span {
	size_t off, n;
};

/* A row: fields [first, first + nf) of rows.f; a bad one has its raw text and the reader's message. */
struct row {
	size_t first, nf;
	long line;
	int bad;
};

/*
 * The import's rows, read whole before the log is locked (a slow pipe must
 * not hold every agent up), every field of each (a refused row goes to the
 * rejects file whole), one after the other in one buffer; with a rejects
 * file, the records the reader refused too, in their place: the rejects
 * file then lists the bad ones in the input's order.
 */
struct rows {
	char *text;
	size_t len, cap;
	struct span *f;
	size_t nf, capf;
	struct row *row;
	size_t nrows, caprow;
	long idx[IC_COUNT];	/* the input's column of each import column, -1 when it has none */
	struct ls_str *tmp;	/* one row's fields, for the rejects file */
	size_t captmp;
};

static int
rows_put(struct rows *r, const char *p, size_t n)
{
	if (ls_grow(&r->text, &r->cap, r->len + n + 1, 1) != 0 ||
	    ls_grow(&r->f, &r->capf, r->nf + 1, sizeof(*r->f)) != 0)
		return -1;
	if (n > 0)
		memcpy(r->text + r->len, p, n);
	r->text[r->len + n] = '\0';
	r->f[r->nf].off = r->len;
	r->f[r->nf++].n = n;
	r->len += n + 1;
	return 0;
}

/* A record as a row; bad: the reader refused it, with msg.  0, or -1 when out of memory. */
static int
rows_add(struct rows *r, const struct ls_record *rec, const char *msg)
{
	struct row *w;

	if (ls_grow(&r->row, &r->caprow, r->nrows + 1, sizeof(*r->row)) != 0)
		return -1;
	w = &r->row[r->nrows];
	w->first = r->nf;
	w->line = rec->line;
	w->bad = msg != NULL;
	if (msg) {
		if (rows_put(r, rec->raw.p, rec->raw.n) != 0 || rows_put(r, msg, strlen(msg)) != 0)
			return -1;
	} else
		for (size_t k = 0; k < rec->nfields; k++)
			if (rows_put(r, rec->fields[k].p, rec->fields[k].n) != 0)
				return -1;
	w->nf = r->nf - w->first;
	r->nrows++;
	return 0;
}

static void
rows_free(struct rows *r)
{
	free(r->text);
	free(r->f);
	free(r->row);
	free(r->tmp);
}

/* Field j of row i's fields as they are. */
static const char *
rfield(const struct rows *r, size_t i, size_t j)
{
	return r->text + r->f[r->row[i].first + j].off;
}

/* Import column k of row i ("" when the input lacks the column). */
static const char *
rcol(const struct rows *r, size_t i, int k)
{
	long at = r->idx[k];

	return at >= 0 && (size_t)at < r->row[i].nf ? rfield(r, i, (size_t)at) : "";
}

/* Turn an import row into a new event.  0, or LS_EDATA/LS_ENOMEM with err->msg. */
static int
import_row(const struct ls_ticket_env *env, const struct rows *rows, size_t row,
    const struct ls_trefs *refs, struct ls_tevent_req *e, struct ls_error *err)
{
	struct ls_tz *tz = env->tz;
	int64_t now = env->now;
	const char *v;

	memset(e, 0, sizeof(*e));
	v = rcol(rows, row, IC_EVENT);
	if (ls_tevent_parse(v, strlen(v), &e->ev) != 0)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0,
		    "unknown event '%s' (expected open, note, reply, status, assign, close, reopen "
		    "or priority)", v);
	e->ts = now;
	v = rcol(rows, row, IC_TS);
	if (v[0] != '\0' && ls_tlog_parse_time(v, tz, now, &e->ts, err) != 0)
		return LS_EDATA;
	v = rcol(rows, row, IC_PRIORITY);
	e->priority = LS_PRIO_NORMAL;
	if (v[0] != '\0' && ls_priority_parse(v, strlen(v), &e->priority) != 0)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0,
		    "unknown priority '%s' (expected low, normal, high or urgent)", v);
	e->channel = rcol(rows, row, IC_CHANNEL);
	if (ls_ticket_env_channel(env, e->channel, LS_EDATA, err) != 0)
		return LS_EDATA;
	e->text = rcol(rows, row, IC_TEXT);
	for (int k = IC_CLIENT; k <= IC_REF; k++)
		if (k != IC_PRIORITY && k != IC_CHANNEL && ls_ticket_ops_text(import_cols[k],
		    rcol(rows, row, k), LS_EDATA, err) != 0)
			return LS_EDATA;
	if (strlen(v = rcol(rows, row, IC_REF)) > LS_TREFS_MAX)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "ref: longer than %d bytes", LS_TREFS_MAX);
	v = rcol(rows, row, IC_ID);
	if (e->ev == LS_EV_OPEN) {
		e->client = rcol(rows, row, IC_CLIENT);
		e->subject = rcol(rows, row, IC_SUBJECT);
		e->agent = rcol(rows, row, IC_AGENT);
		if (ls_ticket_ops_blank(e->client))
			return ls_error_set(err, LS_EDATA, NULL, 0, 0, "open: the client is empty");
		if (ls_ticket_ops_blank(e->subject))
			return ls_error_set(err, LS_EDATA, NULL, 0, 0, "open: the subject is empty");
		return 0;
	}
	/* a T- id is the log's own; anything else a reference the store knows (tlog_refs.h) */
	if (ls_ticket_id_parse(v, strlen(v), &e->id) != 0 &&
	    (e->id = ls_trefs_get(refs, v, strlen(v))) == 0)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0,
		    "unknown ticket '%s' (a T-000001 id, the ticket_id of an open row or a ref "
		    "imported before)", v);
	switch (e->ev) {
	case LS_EV_STATUS:
		v = rcol(rows, row, IC_STATUS);
		if (ls_tstatus_parse(v, strlen(v), &e->want) != 0)
			return ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "unknown status '%s' (expected new, open, pending, solved or closed)", v);
		break;
	case LS_EV_PRIORITY:
		/* the one row whose priority is not the open's: required, not defaulted */
		v = rcol(rows, row, IC_PRIORITY);
		if (v[0] == '\0')
			return ls_error_set(err, LS_EDATA, NULL, 0, 0, "priority: the priority is empty");
		break;
	case LS_EV_ASSIGN:
		e->agent = rcol(rows, row, IC_AGENT);
		if (ls_ticket_ops_blank(e->agent))
			return ls_error_set(err, LS_EDATA, NULL, 0, 0, "assign: the agent is empty");
		break;
	case LS_EV_NOTE:
	case LS_EV_REPLY:
		if (ls_ticket_ops_blank(e->text))
			return ls_error_set(err, LS_EDATA, NULL, 0, 0, "%s: the text is empty",
			    ls_tevent_name(e->ev));
		break;
	default:
		break;
	}
	return 0;
}

/*
 * Row i, refused with err: into the rejects file when there is one and the
 * refusal is a data error (0), else the import's end (err's status, err
 * naming the input's line).
 */
static int
reject(struct ls_ticket_ops_import *im, struct ls_writer *rej, struct rows *rows, size_t i,
    struct ls_error *err)
{
	const struct row *w = &rows->row[i];
	int rc;

	err->line = w->line;
	err->col = 0;
	snprintf(err->file, sizeof(err->file), "%s", im->inname);
	if (err->status != LS_EDATA || rej == NULL) {
		im->refused = err->status == LS_EDATA;
		return err->status;
	}
	if (w->bad)
		rc = ls_rejects_add(rej, rfield(rows, i, 0), rows->f[w->first].n, w->line, err->msg,
		    im->inname);
	else if (ls_grow(&rows->tmp, &rows->captmp, w->nf + 1, sizeof(*rows->tmp)) != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	else {
		for (size_t j = 0; j < w->nf; j++) {
			rows->tmp[j].p = rfield(rows, i, j);
			rows->tmp[j].n = rows->f[w->first + j].n;
		}
		rc = ls_rejects_add_fields(rej, rows->tmp, w->nf, w->line, err->msg, im->inname);
	}
	memset(err, 0, sizeof(*err));
	if (rc == 0) {
		im->nrejected++;
		return 0;
	}
	ls_writer_flush(rej, err);
	if (err->file[0] == '\0')
		snprintf(err->file, sizeof(err->file), "%s", im->rejects);
	return err->status ? err->status : LS_EIO;
}

/* Every record of im->in into rows; without a rejects file, the first the reader refuses ends it. */
static int
read_rows(struct ls_ticket_ops_import *im, struct rows *rows, struct ls_error *err)
{
	struct ls_record rec;
	int rc;

	for (int k = 0; k < IC_COUNT; k++)
		rows->idx[k] = ls_reader_col(im->in, import_cols[k]);
	if (rows->idx[IC_EVENT] < 0)
		return ls_error_set(err, LS_EUSAGE, im->inname, 0, 0,
		    "input has no column 'event' (needed by import)");
	while ((rc = ls_reader_next(im->in, &rec, err)) != 0) {
		if (rc < 0 && (err->status != LS_EDATA || im->rejects == NULL)) {
			im->refused = err->status == LS_EDATA;
			return err->status;
		}
		if (rows_add(rows, &rec, rc < 0 ? err->msg : NULL) != 0)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	return 0;
}

/*
 * Check every row against the replayed log and queue it in l; a bad row
 * goes through reject().  The tickets opened go to im->opened.
 */
/* The export's own name for the ticket an open row opens: a ticket_id that is not a T- id; else "". */
static const char *
open_name(const struct rows *rows, size_t i)
{
	const char *v = rcol(rows, i, IC_ID);
	long id;

	return v[0] != '\0' && ls_ticket_id_parse(v, strlen(v), &id) != 0 ? v : "";
}

/* 1 when reference s (not empty) is in refs. */
static int
known(const struct ls_trefs *refs, const char *s)
{
	return s[0] != '\0' && ls_trefs_get(refs, s, strlen(s)) != 0;
}

static int
queue_rows(struct ls_ticket_ops_import *im, struct ls_writer *rej, struct rows *rows,
    struct ls_tlog *l, struct ls_queue *q, struct ls_trefs *refs, struct ls_error *err)
{
	size_t capopened = 0;
	int rc;

	for (size_t i = 0; i < rows->nrows; i++) {
		struct ls_tevent_req e;
		struct ls_tcur t;
		const char *ref = "", *name = "";
		long long seq;
		long id;

		memset(err, 0, sizeof(*err));
		if (rows->row[i].bad)
			ls_error_set(err, LS_EDATA, NULL, 0, 0, "%s", rfield(rows, i, 1));
		else if (import_row(im->env, rows, i, refs, &e, err) == 0) {
			/* a row taken in before (its ref known), or a ticket opened before (its name): nothing */
			ref = rcol(rows, i, IC_REF);
			name = e.ev == LS_EV_OPEN ? open_name(rows, i) : "";
			if (known(refs, ref) || known(refs, name)) {
				im->nskipped++;
				continue;
			}
		}
		if (err->msg[0] != '\0' || ls_ticket_ops_add(l, q, im->env->tz, ls_queue_count(q) + 1,
		    ls_ticket_ops_cur(q, &e, &t), &e, &id, &seq, err) != 0) {
			if ((rc = reject(im, rej, rows, i, err)) != 0)
				return rc;
			continue;
		}
		if ((ref[0] != '\0' && ls_trefs_add(refs, ref, strlen(ref), seq, id, err) != 0) ||
		    (name[0] != '\0' && ls_trefs_add(refs, name, strlen(name), seq, id, err) != 0))
			return err->status;
		if (e.ev == LS_EV_OPEN) {
			if (ls_grow(&im->opened, &capopened, im->nopened + 1, sizeof(*im->opened)) != 0)
				return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			im->opened[im->nopened++] = id;
		}
	}
	return 0;
}

int
ls_ticket_ops_import(struct ls_ticket_ops_import *im, struct ls_error *err)
{
	struct ls_trefs *refs = NULL;
	struct ls_queue *q = NULL;
	struct ls_tlog *l = NULL;
	struct ls_writer *rej = NULL;
	struct rows rows = { 0 };
	int rc;

	im->opened = NULL;
	im->nopened = 0;
	im->refused = 0;
	im->nrejected = 0;
	im->nskipped = 0;
	memset(&im->cut, 0, sizeof(im->cut));
	if (im->rejects && (rej = ls_rejects_open(im->rejects, err)) == NULL)
		return err->status;
	/* an empty input imports nothing */
	if (ls_reader_ncols(im->in) > 0 && (rc = read_rows(im, &rows, err)) != 0)
		goto done;
	/* writers need no clocks: only statuses and ids */
	if (rows.nrows > 0 && (q = ls_queue_new(NULL, err)) == NULL) {
		rc = err->status;
		goto done;
	}
	/* every row is checked and queued first; the log is written once, or not at all */
	if (rows.nrows > 0 && ((l = ls_tlog_open(im->env->log, LS_TLOG_CREATE, err)) == NULL ||
	    ls_ticket_ops_replay(l, q, 0, -1, NULL, err) != 0 ||
	    (refs = ls_trefs_open(im->env->log, ls_tlog_seq(l), err)) == NULL ||
	    queue_rows(im, rej, &rows, l, q, refs, err) != 0)) {
		rc = err->status;
		goto done;
	}
	/* the rejects first: a log written without them would lose the bad rows' story */
	if (rej && (rc = ls_writer_commit(rej, err)) != 0) {
		if (err->file[0] == '\0')
			snprintf(err->file, sizeof(err->file), "%s", im->rejects);
		goto done;
	}
	rc = 0;
	if (l) {
		ls_ticket_ops_torn(l, 1, &im->cut);
		rc = ls_ticket_ops_commit(l, refs, err);
	}
done:
	rows_free(&rows);
	ls_trefs_free(refs);
	ls_tlog_close(l);
	ls_queue_free(q);
	ls_writer_free(rej);
	if (rc != 0) {
		free(im->opened);
		im->opened = NULL;
		im->nopened = 0;
	}
	return rc;
}

int
ls_ticket_ops_import_file(struct ls_ticket_ops_import *im, const char *path,
    const struct ls_reader_opts *ro, struct ls_error *err)
{
	int rc;

	if ((im->in = ls_reader_open(&path, 1, ro, err)) == NULL)
		return err->status;
	im->inname = strcmp(path, "-") == 0 ? "stdin" : path;
	rc = ls_ticket_ops_import(im, err);
	ls_reader_free(im->in);
	im->in = NULL;
	return rc;
}

int
ls_ticket_ops_list(const struct ls_ticket_env *env, const char *at,
    const struct ls_queue_filter *f, struct ls_writer *w, struct ls_ticket_ops_cut *torn,
    struct ls_error *err)
{
	struct ls_ticket_row row;
	struct ls_queue *q;
	struct ls_tlog *l = NULL;
	struct ls_error why = { 0 };
	int64_t now = env->now, until = -1;
	int rc = 0;

	memset(torn, 0, sizeof(*torn));
	if (at && ls_tlog_parse_time(at, env->tz, env->now, &until, &why) != 0)
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "--at: %s", why.msg);
	if (at)
		now = until;
	if ((q = ls_queue_new(env->sla, err)) == NULL)
		return LS_ENOMEM;
	if ((l = ls_tlog_open(env->log, LS_TLOG_READ, err)) == NULL ||
	    (rc = ls_ticket_ops_replay(l, q, 0, until, NULL, err)) != 0) {
		rc = l ? rc : (int)err->status;
		goto done;
	}
	ls_ticket_ops_torn(l, 0, torn);
	/* the lock is not needed for what is in memory */
	ls_tlog_close(l);
	l = NULL;
	for (int i = 0; ls_tickets_columns[i]; i++)
		ls_writer_cstr(w, ls_tickets_columns[i]);
	ls_writer_end(w);
	for (long id = 1; id <= ls_queue_count(q) && ls_writer_status(w) == 0; id++)
		if (ls_queue_select(q, id, f, now, env->tz, &row))
			ls_writer_row(w, row.f, LS_TK_NCOLS);
	rc = 0;
done:
	ls_tlog_close(l);
	ls_queue_free(q);
	return rc;
}

int
ls_ticket_ops_ids(char *const *args, int n, long **ids, struct ls_error *err)
{
	*ids = NULL;
	if (n > 0 && (*ids = calloc((size_t)n, sizeof(**ids))) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	for (int k = 0; k < n; k++)
		if (ls_ticket_id_parse(args[k], strlen(args[k]), &(*ids)[k]) != 0) {
			free(*ids);
			*ids = NULL;
			return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
			    "'%s' is not a ticket id (T-000001)", args[k]);
		}
	return 0;
}

int
ls_ticket_ops_show(const char *path, const long *ids, size_t nids, struct ls_writer *w,
    struct ls_ticket_ops_cut *torn, struct ls_error *err)
{
	struct ls_tlog_rec r;
	struct ls_tlog *l;
	long maxwant = 0;
	int rc = 0;

	memset(torn, 0, sizeof(*torn));
	for (size_t k = 0; k < nids; k++)
		if (ids[k] > maxwant)
			maxwant = ids[k];
	if ((l = ls_tlog_open(path, LS_TLOG_READ, err)) == NULL)
		return err->status;
	for (int k = 0; ls_tlog_columns[k]; k++)
		ls_writer_cstr(w, ls_tlog_columns[k]);
	ls_writer_end(w);
	while (ls_writer_status(w) == 0 && (rc = ls_tlog_next(l, &r, err)) > 0) {
		int want = nids == 0;

		for (size_t k = 0; k < nids && !want; k++)
			want = ids[k] == r.id;
		if (want)
			ls_writer_row(w, r.f, LS_TC_NCOLS);
	}
	if (rc >= 0)
		ls_ticket_ops_torn(l, 0, torn);
	if (rc < 0)
		rc = err->status;
	else if (maxwant > ls_tlog_maxid(l))
		rc = ls_error_set(err, LS_EDATA, path, 0, 0, "no ticket T-%06ld", maxwant);
	else
		rc = 0;
	ls_tlog_close(l);
	return rc;
}

int
ls_ticket_ops_write(const struct ls_ticket_env *env, const struct ls_ticket_ops_query *q,
    const char *output, FILE *fp, const struct ls_writer_opts *wo, struct ls_ticket_ops_cut *torn,
    struct ls_error *err)
{
	struct ls_writer *w;
	int rc;

	memset(torn, 0, sizeof(*torn));
	if ((w = ls_writer_open(output, fp, wo, err)) == NULL)
		return err->status;
	rc = q->show ? ls_ticket_ops_show(env->log, q->ids, q->nids, w, torn, err) :
	    ls_ticket_ops_list(env, q->at, q->f, w, torn, err);
	/* the writer's own error (a full disk, a closed pipe) when the run went well */
	if (rc == 0)
		rc = ls_writer_commit(w, err);
	ls_writer_free(w);
	return rc;
}

int
ls_ticket_ops_check(const char *path, int repair, struct ls_ticket_ops_check *res,
    struct ls_error *err)
{
	struct ls_queue *q;
	struct ls_tlog *l = NULL;
	struct ls_trefs *refs;
	char *backup = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	if ((q = ls_queue_new(NULL, err)) == NULL)
		return LS_ENOMEM;
	if ((l = ls_tlog_open(path, repair ? LS_TLOG_WRITE : LS_TLOG_READ, err)) == NULL) {
		rc = err->status;
		goto done;
	}
	ls_tlog_verify(l);
	res->version = ls_tlog_version(l);
	if (ls_ticket_ops_replay(l, q, 1, -1, &res->nevents, err) != 0) {
		rc = err->status;
		goto done;
	}
	res->ntickets = ls_queue_count(q);
	if (ls_tlog_last_hash(l) != NULL)
		memcpy(res->last, ls_tlog_last_hash(l), 65);
	ls_tlog_edits(l, &res->crlf, &res->blank);
	/* the reference store beside the log is read as a writer would read it: a bad line is named */
	if ((refs = ls_trefs_open(path, ls_tlog_seq(l), err)) == NULL) {
		rc = err->status;
		goto done;
	}
	ls_trefs_free(refs);
	rc = 0;
	if (ls_tlog_torn(l, &res->torn.line, &res->torn.bytes) && !repair)
		rc = ls_error_set(err, LS_EDATA, path, res->torn.line, 0,
		    "torn tail (%zu bytes of a write cut short; check --repair cuts it)",
		    res->torn.bytes);
	else if (repair && (res->torn.line > 0 || res->crlf > 0 || res->blank > 0)) {
		if ((backup = ls_concat(path, ".bak")) == NULL)
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		else if ((rc = ls_tlog_repair(l, backup, err)) == 0)
			res->repaired = 1;
		free(backup);
	}
done:
	ls_tlog_close(l);
	ls_queue_free(q);
	return rc;
}

int
ls_ticket_ops_upgrade(const char *path, struct ls_ticket_ops_upgrade *res, struct ls_error *err)
{
	struct ls_queue *q;
	struct ls_tlog *l = NULL;
	struct ls_trefs *refs;
	char *backup = NULL;
	long line;
	int rc;

	memset(res, 0, sizeof(*res));
	if ((q = ls_queue_new(NULL, err)) == NULL)
		return LS_ENOMEM;
	/* what check refuses is not upgraded: a chain over a bad record would vouch for it */
	if ((l = ls_tlog_open(path, LS_TLOG_WRITE, err)) == NULL) {
		rc = err->status;
		goto done;
	}
	if (ls_tlog_version(l) != 1) {
		rc = ls_error_set(err, LS_EDATA, path, 1, 0, "already v%d: nothing to upgrade",
		    ls_tlog_version(l));
		goto done;
	}
	if (ls_ticket_ops_replay(l, q, 1, -1, &res->nevents, err) != 0) {
		rc = err->status;
		goto done;
	}
	if (ls_tlog_torn(l, &line, NULL)) {
		rc = ls_error_set(err, LS_EDATA, path, line, 0,
		    "torn tail: not upgraded (check --repair cuts it first)");
		goto done;
	}
	if ((refs = ls_trefs_open(path, ls_tlog_seq(l), err)) == NULL) {
		rc = err->status;
		goto done;
	}
	ls_trefs_free(refs);
	res->ntickets = ls_queue_count(q);
	if ((backup = ls_concat(path, ".v1")) == NULL) {
		rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	rc = ls_tlog_upgrade(l, backup, &res->nevents, res->last, err);
done:
	free(backup);
	ls_tlog_close(l);
	ls_queue_free(q);
	return rc;
}
