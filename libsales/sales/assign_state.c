/*
 * assign_state.c - the state file of lead-assign(1) (a record file, see
 * recfile.h): the rotation cursor, loads, sticky owners and every lead dealt;
 * and the load file of --load.  See assign.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "assign_int.h"
#include "lock.h"
#include "recfile.h"

#define MAX_INSTANT	253402300799LL	/* 9999-12-31T23:59:59Z: no lead is dealt later */

static int
parse_count(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	long long v;

	if (!((s[0] >= '0' && s[0] <= '9') || (s[0] == '-' && s[1] >= '0' && s[1] <= '9')))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int
ls_assigner_read_state(struct ls_assigner *a, const char *path, struct ls_error *err)
{
	struct ls_recfile_lines L = { 0 };
	struct ls_str f[6];
	char *line;
	size_t n;
	int rc = 0, nf, ver;

	if ((L.fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		return ls_error_set(err, LS_EIO, path, 0, 0, "cannot read state: %s", strerror(errno));
	}
	ls_assign_state_clear(a);
	while ((rc = ls_recfile_next(&L, &line, &n)) > 0) {
		rc = 0;
		if (memchr(line, '\0', n) != NULL) {
			rc = ls_error_set(err, LS_ECONFIG, path, L.line, 0, "malformed state file: NUL byte");
			break;
		}
		if (L.line == 1) {
			if (ls_recfile_head_check(line, n, LS_ASSIGN_STATE_PREFIX, LS_ASSIGN_STATE_VERSION,
			    "a lead-assign state file", path, &ver, err) != 0) {
				rc = LS_ECONFIG;
				if (err)
					err->status = LS_ECONFIG;
				break;
			}
			continue;
		}
		if (L.torn) {
			/* the file is replaced whole: a cut line is damage, not a writer at work */
			rc = ls_error_set(err, LS_ECONFIG, path, L.line, 0,
			    "malformed state file: the last line is cut short (no line end)");
			break;
		}
		if (line[0] == '#')
			continue;
		if ((nf = ls_tsv_split(line, n, f, 6)) < 0) {
			rc = ls_error_set(err, LS_ECONFIG, path, L.line, 0,
			    "malformed state file: bad escape or too many fields");
			break;
		}
		if (strcmp(f[0].p, "cursor") == 0 && nf == 2) {
			long i = ls_assign_id_add(a, f[1].p, f[1].n);
			if (i < 0)
				goto nomem;
			a->cursor = i;
		} else if (strcmp(f[0].p, "manager") == 0 && nf == 5) {
			long long l, s, c;
			long i;

			if (f[1].n == 0 || parse_count(f[2].p, 0, MAX_COUNT, &l) ||
			    parse_count(f[3].p, 0, MAX_COUNT, &s) ||
			    parse_count(f[4].p, -MAX_CURRENT, MAX_CURRENT, &c)) {
				rc = ls_error_set(err, LS_ECONFIG, path, L.line, 0,
				    "malformed state file: bad manager record");
				break;
			}
			if ((i = ls_assign_id_add(a, f[1].p, f[1].n)) < 0)
				goto nomem;
			a->load[i] = l;
			a->assigned[i] = s;
			a->cur[i] = c;
		} else if (strcmp(f[0].p, "sticky") == 0 && nf == 3 && f[2].n > 0) {
			long i = ls_assign_id_add(a, f[2].p, f[2].n);
			struct ls_str k;
			int r;
			/* an older file may hold a value as written: it joins its normalised twin */
			if (i < 0 || (r = ls_assign_sticky_key(a, f[1], &k)) < 0 ||
			    r == LS_ENOMEM || (r == 0 && ls_assign_owner_set(a, k.p, k.n, (size_t)i)))
				goto nomem;
		} else if (strcmp(f[0].p, "lead") == 0 && (nf == 3 || nf == 4) && f[1].n > 0 && f[2].n > 0) {
			/* v1 wrote no time: the lead's first deal is then of unknown date */
			long long at = LS_ASSIGN_NO_TIME;
			long i;

			if (nf == 4 && parse_count(f[3].p, -MAX_INSTANT, MAX_INSTANT, &at)) {
				rc = ls_error_set(err, LS_ECONFIG, path, L.line, 0,
				    "malformed state file: bad time of lead '%.40s'", f[1].p);
				break;
			}
			if ((i = ls_assign_id_add(a, f[2].p, f[2].n)) < 0 ||
			    ls_assign_remember(a, f[1], i, (int64_t)at))
				goto nomem;
		} else {
			rc = ls_error_set(err, LS_ECONFIG, path, L.line, 0,
			    "malformed state file: unknown record '%.40s' with %d fields", f[0].p, nf);
			break;
		}
	}
	if (rc < 0)
		rc = ls_error_set(err, LS_EIO, path, 0, 0, "cannot read state: %s", strerror(errno));
	if (rc == 0 && L.line == 0)
		rc = ls_error_set(err, LS_ECONFIG, path, 0, 0,
		    "not a lead-assign state file (empty; its first line should be '%s%d')",
		    LS_ASSIGN_STATE_PREFIX, LS_ASSIGN_STATE_VERSION);
	ls_recfile_lines_free(&L);
	fclose(L.fp);
	if (rc)
		ls_assign_state_clear(a);
	return rc;
nomem:
	ls_recfile_lines_free(&L);
	fclose(L.fp);
	ls_assign_state_clear(a);
	return ls_error_set(err, LS_ENOMEM, path, 0, 0, "out of memory");
}

/* A record of one or two escaped fields after its kind; the caller ends the line. */
static void
put_rec(FILE *fp, const char *kind, const char *p, size_t n, const char *q)
{
	fputs(kind, fp);
	putc('\t', fp);
	ls_tsv_put(fp, p, n);
	if (q) {
		putc('\t', fp);
		ls_tsv_put(fp, q, strlen(q));
	}
}

int
ls_assigner_write_state(const struct ls_assigner *a, FILE *fp, struct ls_error *err)
{
	const char *key, *val;
	size_t pos, klen;
	uint32_t w;

	fprintf(fp, "%s%d\n", LS_ASSIGN_STATE_PREFIX, LS_ASSIGN_STATE_VERSION);
	if (a->cursor >= 0) {
		put_rec(fp, "cursor", a->ids[a->cursor], strlen(a->ids[a->cursor]), NULL);
		putc('\n', fp);
	}
	for (size_t i = 0; i < a->nids; i++) {
		put_rec(fp, "manager", a->ids[i], strlen(a->ids[i]), NULL);
		fprintf(fp, "\t%lld\t%lld\t%lld\n", a->load[i], a->assigned[i], a->cur[i]);
	}
	for (pos = 0; ls_keyset_next(a->owners, &pos, &key, &klen, &val);) {
		memcpy(&w, val, sizeof(w));
		put_rec(fp, "sticky", key, klen, a->ids[w]);
		putc('\n', fp);
	}
	for (pos = 0; ls_keyset_next(a->dealt, &pos, &key, &klen, &val);) {
		struct dealt_val dv;

		ls_assign_dealt_get(val, &dv);
		put_rec(fp, "lead", key, klen, a->ids[dv.who]);
		if (dv.at != LS_ASSIGN_NO_TIME)
			fprintf(fp, "\t%lld", (long long)dv.at);
		putc('\n', fp);
	}
	if (fflush(fp) != 0 || ferror(fp))
		return ls_error_set(err, LS_EIO, NULL, 0, 0, "write error: %s", strerror(errno));
	return 0;
}

int
ls_assigner_save_state(const struct ls_assigner *a, const char *path, struct ls_error *err)
{
	struct ls_atomic *at = ls_atomic_open(path, err);
	int rc;

	if (at == NULL)
		return err ? err->status : LS_EIO;
	if ((rc = ls_assigner_write_state(a, ls_atomic_file(at), err)) != 0) {
		if (err) {
			/* the message moves into a record that also names the file */
			char msg[sizeof(err->msg)];
			memcpy(msg, err->msg, sizeof(msg));
			ls_error_set(err, LS_EIO, path, 0, 0, "%s", msg);
		}
		ls_atomic_free(at);
		return rc;
	}
	rc = ls_atomic_commit(at, err);
	ls_atomic_free(at);
	return rc;
}

int
ls_assigner_read_load(struct ls_assigner *a, const char *path, struct ls_error *err)
{
	struct ls_reader_opts o = { 0 };
	struct ls_reader *r = ls_reader_open(&path, 1, &o, err);
	struct ls_record rec;
	long mc, lc;
	int rc;

	if (r == NULL)
		return err ? err->status : LS_EIO;
	if ((mc = ls_reader_col(r, "manager")) < 0 || (lc = ls_reader_col(r, "open_leads")) < 0) {
		ls_reader_free(r);
		return ls_error_set(err, LS_ECONFIG, path, 1, 0,
		    "no column '%s' (a load file has columns manager,open_leads)",
		    mc < 0 ? "manager" : "open_leads");
	}
	for (size_t i = 0; i < a->nids; i++)
		a->load[i] = 0;
	while ((rc = ls_reader_next(r, &rec, err)) > 0) {
		const struct ls_str *m = &rec.fields[mc], *l = &rec.fields[lc];
		long long v;
		long i;

		if (parse_count(l->p, 0, MAX_COUNT, &v) || l->p[0] == '-') {
			rc = ls_error_set(err, LS_EDATA, rec.file, rec.line, 0,
			    "open_leads must be a whole number, not '%.40s'", l->p);
			break;
		}
		/* managers outside the team are someone else's business */
		if ((i = ls_assign_id_index(a, m->p, m->n)) >= 0 && (size_t)i < a->t->nm &&
		    (a->load[i] += v) > MAX_COUNT)
			a->load[i] = MAX_COUNT;
	}
	ls_reader_free(r);
	if (rc < 0)
		return err ? (int)err->status : LS_EDATA;
	return rc;
}

