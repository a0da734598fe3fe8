/*
 * reader_split_body.h - the splitting loops of reader_split.c, which
 * includes this twice: once for the SSE2 and portable scans (inlined in
 * its callers), once built for AVX2 (LS_SCAN_X86 builds only).  Before
 * each inclusion it defines
 *   SPLIT_FN(name)       the form's name for a function
 *   SPLIT_ATTR           the form's attributes
 *   FIND2(p, e, lim, a, b), FIND_QUOTE(p, lim)
 *                        the form's searches (reader_split.c)
 * Not a header of its own: nothing else includes it.
 */

/* ls_rd_split_line()'s work: simd is ls_scan_simd() (unused by the AVX2 form). */
SPLIT_ATTR static inline long
SPLIT_FN(split_line)(struct ls_reader *r, char *s, size_t n, char sep, int simd)
{
	size_t nf = 0;
	char *p = s, *e = s + n;
	const char *lim = r->buf + r->end;

	(void)simd;
	for (;;) {
		char *d = FIND2(p, e, lim, sep, sep);
		if (nf == r->fcap && ls_grow(&r->f, &r->fcap, nf + 1, sizeof(*r->f)) < 0)
			return -1;
		r->f[nf].p = p;
		r->f[nf].n = (size_t)((d ? d : e) - p);
		nf++;
		if (d == NULL)
			break;
		p = d + 1;
	}
	return (long)nf;
}


/*
 * The split both readers share, the stream's (ls_rd_split_quoted()) and
 * the one in memory (ls_csv_split_record()), so that they cannot read a
 * record two ways.  s is the record's first line, n bytes long; a quoted
 * field may run on over line breaks as long as its closing quote is in
 * [s, st->limit).  Quoted fields are "...", a doubled quote inside being
 * text, then the delimiter or the line's end.  Fields go into *fp (grown,
 * *fcap its size) as views that exclude the quotes, so the closing quote is
 * where the caller puts the NUL; the bytes are not touched, so the stream
 * can still hand a refused record to libcsv.  Returns the field count, or
 * SPLIT_*: a quote in a bare field, text after a closing quote, a quote
 * that never closes (st->bad on the byte), SPLIT_MORE when bytes past
 * limit are needed to tell, SPLIT_OOM.  simd is ls_scan_simd() (unused by
 * the AVX2 form).  The SSE2 and portable form is inlined in each caller by
 * force: it is the stream's hot path, and gcc -O2 leaves it out of line,
 * with a call and the state spilled on every quoted record.  The AVX2 form
 * cannot be inlined into code built for any x86-64, so it is a call.  The fields are
 * written through *fp, not a local copy of it: the copy costs a spilled
 * register per field (valgrind counts 0.5% more instructions per record).
 */
SPLIT_ATTR static inline long
SPLIT_FN(split_quoted)(struct ls_str **fp, size_t *fcap, char *s, size_t n, char sep, struct split_state *st,
    int simd)
{
	size_t nf = 0;
	char *p = s, *e = s + n, *limit = st->limit;
	long br = 0;

	(void)simd;
	*st->nesc = 0;
	*st->escm = 0;
	for (;;) {
		if (nf == *fcap && ls_grow(fp, fcap, nf + 1, sizeof(**fp)) < 0)
			return SPLIT_OOM;
		if (p < e && *p == '"') {
			char *q = FIND_QUOTE(p + 1, limit);
			int esc = 0;

			/* most quoted fields: no "" inside, the delimiter right after, all on this line */
			if (q != NULL && q + 1 < e && q[1] == sep) {
				(*fp)[nf].p = p + 1;
				(*fp)[nf].n = (size_t)(q - p - 1);
				nf++;
				p = q + 2;
				continue;
			}
			/* "" inside: a quote, collapsed by ls_rd_unquote_field() once the record is known good */
			while (q != NULL && q + 1 < limit && q[1] == '"') {
				esc = 1;
				q = q + 2 < limit ? memchr(q + 2, '"', (size_t)(limit - q - 2)) : NULL;
			}
			/* what follows the closing quote must be there to be judged */
			if (q == NULL || (q + 1 == limit && !st->eof)) {
				st->bad = p;
				return st->eof ? SPLIT_OPEN : SPLIT_MORE;
			}
			if (q >= e) {
				/* the field runs on past the line: find the line its quote closes on */
				char *lf, *cr;
				br += count_breaks(e, q);
				lf = memchr(q + 1, '\n', (size_t)(limit - q - 1));
				cr = memchr(q + 1, '\r', (size_t)((lf ? lf : limit) - q - 1));
				e = cr ? cr : lf ? lf : limit;
				/* a CR as the last byte there is may be half of a CR LF */
				if ((e == limit || e + 1 == limit) && !st->eof)
					return SPLIT_MORE;
			}
			if (q + 1 < e && q[1] != sep) {
				st->bad = q + 1;
				return SPLIT_TEXT;
			}
			(*fp)[nf].p = p + 1;
			(*fp)[nf].n = (size_t)(q - p - 1);
			*st->nesc += esc;
			if (esc && nf < 64)
				*st->escm |= UINT64_C(1) << nf;
			nf++;
			if (q + 1 >= e)
				break;
			p = q + 2;
			continue;
		}
		char *d = FIND2(p, e, limit, sep, '"');
		if (d != NULL && *d == '"') {
			st->bad = d;
			return SPLIT_QUOTE;
		}
		char *fe = d ? d : e;
		(*fp)[nf].p = p;
		(*fp)[nf].n = (size_t)(fe - p);
		nf++;
		if (d == NULL)
			break;
		p = d + 1;
	}
	st->end = e;
	st->breaks = br;
	return (long)nf;
}
