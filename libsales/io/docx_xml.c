/*
 * docx_xml.c - a .docx text part's XML as a Mustache template
 * (docx.h's ls_docx_prepare()): split tags joined into the run where they
 * start, and the tags of row and paragraph sections moved out around the
 * w:tr or w:p they repeat.  The XML is read by a small scanner that keeps
 * byte offsets (elements, the content of w:t), and the template is the
 * part's bytes with a list of edits applied; everything else is left as
 * written.  The container is docx.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "docx.h"
#include "util.h"

struct el {
	size_t start, end;		/* '<' of the start tag; after the end tag's '>' */
	const char *name;
	size_t nlen;
	long parent, tr;		/* element indices, -1: none (tr: the innermost enclosing w:tr) */
};

struct para {
	long el;
	long first, last;		/* its pieces, -1: none */
	size_t npieces;
};

struct piece {
	size_t gt;			/* the '>' of <w:t ...> */
	size_t cstart, cend;		/* its content */
	long para, next;
	size_t local;			/* its place among its paragraph's pieces */
	int preserve;			/* xml:space given */
	int gained;			/* a tag was moved into it */
};

enum tag_kind { T_VAR, T_OPEN, T_CLOSE };

struct tag {
	size_t src;			/* the '{' in the part */
	long para, piece;
	size_t cs, ce;			/* within the paragraph's joined text */
	size_t text, tn;		/* its text (entities read) in the pool */
	size_t name, nn;		/* its name, in the pool */
	enum tag_kind kind;
	int drop;			/* moved out of its paragraph */
};

struct edit {
	size_t start, end;		/* the part's bytes replaced */
	size_t seq;
	size_t text, tn;		/* in the pool */
};

struct px {
	const char *file, *part, *x;
	size_t n;
	struct ls_error *err;
	struct el *els;
	size_t nels, capels;
	struct para *paras;
	size_t nparas, capparas;
	struct piece *pieces;
	size_t npieces, cappieces;
	struct tag *tags;
	size_t ntags, captags;
	struct edit *edits;
	size_t nedits, capedits;
	struct ls_buf pool;
};

static int
nomem(struct px *p)
{
	return ls_error_set(p->err, LS_ENOMEM, NULL, 0, 0, "out of memory");
}

static int
bad(struct px *p, const char *what, size_t at)
{
	return ls_error_set(p->err, LS_ECONFIG, p->file, 0, 0, "%s: %s (byte %zu)", p->part, what, at);
}

static int
is(const struct el *e, const char *name)
{
	return e->nlen == strlen(name) && memcmp(e->name, name, e->nlen) == 0;
}

static const char *
find(const char *x, size_t n, size_t from, const char *s)
{
	size_t k = strlen(s);

	for (size_t i = from; i + k <= n; i++)
		if (x[i] == s[0] && memcmp(x + i, s, k) == 0)
			return x + i;
	return NULL;
}

/* ---- the scanner ---- */

static int
scan(struct px *p)
{
	const char *x = p->x;
	size_t n = p->n, i = 0;
	long *stack = NULL, cur_t = -1;
	size_t depth = 0, capstack = 0;
	int rc = 0;

	while (i < n) {
		const char *e;
		size_t j, k;
		int close, empty;

		if (x[i] != '<') {
			i++;
			continue;
		}
		if (i + 1 < n && x[i + 1] == '?') {
			if ((e = find(x, n, i + 2, "?>")) == NULL) {
				rc = bad(p, "unclosed processing instruction", i);
				goto out;
			}
			i = (size_t)(e - x) + 2;
			continue;
		}
		if (i + 3 < n && memcmp(x + i, "<!--", 4) == 0) {
			if ((e = find(x, n, i + 4, "-->")) == NULL) {
				rc = bad(p, "unclosed comment", i);
				goto out;
			}
			i = (size_t)(e - x) + 3;
			continue;
		}
		if (i + 8 < n && memcmp(x + i, "<![CDATA[", 9) == 0) {
			if ((e = find(x, n, i + 9, "]]>")) == NULL) {
				rc = bad(p, "unclosed CDATA section", i);
				goto out;
			}
			i = (size_t)(e - x) + 3;
			continue;
		}
		if (i + 1 < n && x[i + 1] == '!') {
			rc = bad(p, "a DOCTYPE or entity declaration: refused", i);
			goto out;
		}
		close = i + 1 < n && x[i + 1] == '/';
		j = i + 1 + (size_t)close;
		k = j;
		while (k < n && x[k] != '>' && x[k] != '/' && x[k] != ' ' && x[k] != '\t' &&
		    x[k] != '\r' && x[k] != '\n')
			k++;
		if (k == j) {
			rc = bad(p, "malformed XML: '<' not starting a tag", i);
			goto out;
		}
		/* to the tag's '>', past quoted attribute values (which may hold '>') */
		{
			size_t m = k;
			char q = 0;

			for (; m < n; m++) {
				if (q) {
					if (x[m] == q)
						q = 0;
				} else if (x[m] == '"' || x[m] == '\'')
					q = x[m];
				else if (x[m] == '>')
					break;
			}
			if (m >= n) {
				rc = bad(p, "malformed XML: unclosed tag", i);
				goto out;
			}
			empty = !close && x[m - 1] == '/';
			if (close) {
				struct el *el;

				if (depth == 0 || (el = &p->els[stack[depth - 1]])->nlen != k - j ||
				    memcmp(el->name, x + j, k - j) != 0) {
					rc = bad(p, "malformed XML: an end tag that closes no element", i);
					goto out;
				}
				el->end = m + 1;
				if (is(el, "w:t") && cur_t >= 0) {
					p->pieces[cur_t].cend = i;
					cur_t = -1;
				}
				depth--;
			} else {
				struct el *el;
				long idx = (long)p->nels, tr = -1, para = -1;

				if (ls_grow(&p->els, &p->capels, p->nels + 1, sizeof *p->els) != 0) {
					rc = nomem(p);
					goto out;
				}
				el = &p->els[p->nels++];
				el->start = i;
				el->end = m + 1;
				el->name = x + j;
				el->nlen = k - j;
				el->parent = depth ? stack[depth - 1] : -1;
				for (size_t d = depth; d-- > 0;) {
					if (tr < 0 && is(&p->els[stack[d]], "w:tr"))
						tr = stack[d];
					if (para < 0 && is(&p->els[stack[d]], "w:p"))
						para = stack[d];
				}
				el->tr = tr;
				if (is(el, "w:p")) {
					if (ls_grow(&p->paras, &p->capparas, p->nparas + 1, sizeof *p->paras) != 0) {
						rc = nomem(p);
						goto out;
					}
					p->paras[p->nparas++] = (struct para){ idx, -1, -1, 0 };
				} else if (is(el, "w:t") && !empty && para >= 0) {
					struct piece *pc;
					long pi = -1;

					for (size_t q2 = p->nparas; q2-- > 0;)
						if (p->paras[q2].el == para) {
							pi = (long)q2;
							break;
						}
					if (ls_grow(&p->pieces, &p->cappieces, p->npieces + 1,
					    sizeof *p->pieces) != 0) {
						rc = nomem(p);
						goto out;
					}
					cur_t = (long)p->npieces;
					pc = &p->pieces[p->npieces++];
					pc->gt = m;
					pc->cstart = pc->cend = m + 1;
					pc->para = pi;
					pc->next = -1;
					pc->preserve = find(x, m, i, "xml:space") != NULL;
					pc->gained = 0;
					/* not first + k: a text box's paragraph may sit among them */
					pc->local = p->paras[pi].npieces++;
					if (p->paras[pi].last >= 0)
						p->pieces[p->paras[pi].last].next = cur_t;
					else
						p->paras[pi].first = cur_t;
					p->paras[pi].last = cur_t;
				}
				if (!empty) {
					if (ls_grow(&stack, &capstack, depth + 1, sizeof *stack) != 0) {
						rc = nomem(p);
						goto out;
					}
					stack[depth++] = idx;
				}
			}
			i = m + 1;
		}
	}
	if (depth)
		rc = bad(p, "malformed XML: an element is not closed", p->els[stack[depth - 1]].start);
out:
	free(stack);
	return rc;
}

/* ---- tags ---- */

/*
 * A tag must be in the text of a run (w:t).  One in an attribute or a field
 * code (w:instrText: HYPERLINK "{{url}}", MERGEFIELD) would be rendered with
 * the escaping of run text, where a newline becomes <w:br/>: the part's XML
 * would break.  Refused, naming where, rather than half supported.
 */
static int
outside_text(struct px *p)
{
	size_t pos = 0, pc = 0;
	const char *s;

	while ((s = find(p->x, p->n, pos, "{{")) != NULL) {
		size_t at = (size_t)(s - p->x);

		while (pc < p->npieces && p->pieces[pc].cend <= at)
			pc++;
		if (pc >= p->npieces || p->pieces[pc].cstart > at)
			return bad(p, "a tag outside the text of a run (in a field code or an "
			    "attribute): not supported", at);
		pos = at + 2;
	}
	return 0;
}

/* Append s[0..n) to the pool with the five XML entities read; its offset to *off. */
static int
pool_unescape(struct px *p, const char *s, size_t n, size_t *off, size_t *len)
{
	static const struct { const char *e; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' }
	};
	size_t start = p->pool.n;

	for (size_t i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < sizeof ents / sizeof ents[0]; k++) {
			size_t el = strlen(ents[k].e);

			if (n - i >= el && memcmp(s + i, ents[k].e, el) == 0)
				break;
		}
		if (k < sizeof ents / sizeof ents[0]) {
			if (ls_buf_put(&p->pool, &ents[k].c, 1) != 0)
				return nomem(p);
			i += strlen(ents[k].e) - 1;
		} else if (ls_buf_put(&p->pool, s + i, 1) != 0)
			return nomem(p);
	}
	*off = start;
	*len = p->pool.n - start;
	return 0;
}

/* The joined text of paragraph pa, and which piece each byte came from. */
static int
joined(struct px *p, const struct para *pa, struct ls_buf *txt, long **owner, size_t *cap)
{
	txt->n = 0;
	for (long pc = pa->first; pc >= 0; pc = p->pieces[pc].next) {
		const struct piece *c = &p->pieces[pc];
		size_t len = c->cend - c->cstart;

		if (ls_grow(owner, cap, txt->n + len + 1, sizeof **owner) != 0 ||
		    ls_buf_put(txt, p->x + c->cstart, len) != 0)
			return nomem(p);
		for (size_t k = 0; k < len; k++)
			(*owner)[txt->n - len + k] = pc;
	}
	return 0;
}

static int
find_tags(struct px *p, long pi, const struct ls_buf *txt, const long *owner)
{
	const char *t = txt->p;

	for (size_t i = 0; i + 1 < txt->n; i++) {
		const char *end, *s;
		size_t ce, off;
		struct tag *tg;

		if (t[i] != '{' || t[i + 1] != '{')
			continue;
		if (i + 2 < txt->n && t[i + 2] == '{')
			end = find(t, txt->n, i + 3, "}}}");
		else
			end = find(t, txt->n, i + 2, "}}");
		if (end == NULL) {
			size_t show = txt->n - i > 40 ? 40 : txt->n - i;

			/* not in the middle of a UTF-8 character */
			while (show > 2 && i + show < txt->n && ((unsigned char)t[i + show] & 0xc0) == 0x80)
				show--;

			return ls_error_set(p->err, LS_ECONFIG, p->file, 0, 0, "%s: tag not closed by "
			    "the end of its paragraph: '%.*s'", p->part, (int)show, t + i);
		}
		ce = (size_t)(end - t) + (t[i + 2] == '{' ? 3 : 2);
		if (ls_grow(&p->tags, &p->captags, p->ntags + 1, sizeof *p->tags) != 0)
			return nomem(p);
		tg = &p->tags[p->ntags++];
		memset(tg, 0, sizeof *tg);
		tg->para = pi;
		tg->piece = owner[i];
		tg->cs = i;
		tg->ce = ce;
		off = 0;
		for (long pc = p->paras[pi].first; pc != owner[i]; pc = p->pieces[pc].next)
			off += p->pieces[pc].cend - p->pieces[pc].cstart;
		tg->src = p->pieces[owner[i]].cstart + (i - off);
		if (pool_unescape(p, t + i, ce - i, &tg->text, &tg->tn) != 0)
			return LS_ENOMEM;
		/*
		 * The sigil right after the braces, as the Mustache lexer reads it
		 * (mustache_lex.c): "{{ #a}}" is no section there, so not here
		 * either (it used to be moved out of its paragraph as one)
		 */
		s = p->pool.p + tg->text + 2;
		tg->kind = T_VAR;
		if (*s == '#' || *s == '^' || *s == '$' || *s == '<')
			tg->kind = T_OPEN;
		else if (*s == '/')
			tg->kind = T_CLOSE;
		else if (*s == '=')
			return ls_error_set(p->err, LS_ECONFIG, p->file, 0, 0, "%s: %.*s: delimiter "
			    "changes are not supported in .docx templates", p->part, (int)tg->tn,
			    p->pool.p + tg->text);
		else if (*s == '>')
			/* a partial is HTML or text, which would break the part's XML; and a
			 * partial rendering empty would drop a clause unseen */
			return ls_error_set(p->err, LS_ECONFIG, p->file, 0, 0, "%s: %.*s: partials "
			    "are not supported in .docx templates", p->part, (int)tg->tn,
			    p->pool.p + tg->text);
		if (tg->kind != T_VAR) {
			size_t a = (size_t)(s + 1 - p->pool.p), b = tg->text + tg->tn - 2;

			while (a < b && p->pool.p[a] == ' ')
				a++;
			while (b > a && p->pool.p[b - 1] == ' ')
				b--;
			tg->name = a;
			tg->nn = b - a;
		}
		i = ce - 1;
	}
	return 0;
}

static int
by_src(const void *a, const void *b)
{
	const struct tag *x = a, *y = b;

	return x->src < y->src ? -1 : x->src > y->src;
}

static int
by_edit(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
add_edit(struct px *p, size_t start, size_t end, size_t seq, const char *s, size_t n)
{
	struct edit *e;

	if (ls_grow(&p->edits, &p->capedits, p->nedits + 1, sizeof *p->edits) != 0)
		return nomem(p);
	e = &p->edits[p->nedits++];
	e->start = start;
	e->end = end;
	e->seq = seq;
	e->text = p->pool.n;
	e->tn = n;
	if (ls_buf_put(&p->pool, s, n) != 0)
		return nomem(p);
	return 0;
}

/* Add the edit moving tag ti (seq its order) out before (!after) or after its paragraph. */
static int
move_out(struct px *p, size_t ti, int after)
{
	struct tag *t = &p->tags[ti];
	const struct para *pa = &p->paras[t->para];
	const struct el *el = &p->els[pa->el], *parent = el->parent >= 0 ? &p->els[el->parent] : NULL;
	size_t ntags = 0;
	int only = 1;
	char tb[4096];

	for (size_t k = 0; k < p->ntags; k++)
		ntags += p->tags[k].para == t->para;
	if (t->tn >= sizeof tb)
		return bad(p, "tag too long", t->src);
	memcpy(tb, p->pool.p + t->text, t->tn);
	/* a paragraph of nothing but the tag goes, unless a cell needs it or it holds the section's layout */
	if (ntags == 1 && parent && !is(parent, "w:tc") &&
	    find(p->x, el->end, el->start, "<w:sectPr") == NULL) {
		size_t pos = 0;

		for (long pc = pa->first; pc >= 0 && only; pc = p->pieces[pc].next) {
			const struct piece *c = &p->pieces[pc];

			for (size_t k = c->cstart; k < c->cend; k++, pos++)
				if ((pos < t->cs || pos >= t->ce) && p->x[k] != ' ')
					only = 0;
		}
	} else
		only = 0;
	t->drop = 1;
	if (only)
		return add_edit(p, el->start, el->end, ti + 1, tb, t->tn);
	return add_edit(p, after ? el->end : el->start, after ? el->end : el->start, ti + 1, tb, t->tn);
}

static int
sections(struct px *p)
{
	size_t *stack = NULL, depth = 0, cap = 0;
	int rc = 0;

	if (p->ntags)
		qsort(p->tags, p->ntags, sizeof *p->tags, by_src);
	for (size_t i = 0; i < p->ntags && rc == 0; i++) {
		struct tag *t = &p->tags[i], *o;
		const struct el *po, *pc;

		if (t->kind == T_OPEN) {
			if (ls_grow(&stack, &cap, depth + 1, sizeof *stack) != 0) {
				rc = nomem(p);
				break;
			}
			stack[depth++] = i;
			continue;
		}
		if (t->kind != T_CLOSE)
			continue;
		if (depth == 0) {
			rc = ls_error_set(p->err, LS_ECONFIG, p->file, 0, 0, "%s: %.*s closes no section",
			    p->part, (int)t->tn, p->pool.p + t->text);
			break;
		}
		o = &p->tags[stack[--depth]];
		if (o->nn != t->nn || memcmp(p->pool.p + o->name, p->pool.p + t->name, t->nn) != 0) {
			rc = ls_error_set(p->err, LS_ECONFIG, p->file, 0, 0, "%s: %.*s closes %.*s",
			    p->part, (int)t->tn, p->pool.p + t->text, (int)o->tn, p->pool.p + o->text);
			break;
		}
		if (o->para == t->para)
			continue;		/* inline: stays in its run */
		po = &p->els[p->paras[o->para].el];
		pc = &p->els[p->paras[t->para].el];
		if (po->tr >= 0 && pc->tr >= 0 &&
		    (po->tr == pc->tr || p->els[po->tr].parent == p->els[pc->tr].parent)) {
			/* the items table: the whole row repeats, or the rows from the
			 * open tag's to the close tag's (an item over two rows) */
			const struct el *ta = &p->els[po->tr], *tb = &p->els[pc->tr];

			o->drop = t->drop = 1;
			if (add_edit(p, ta->start, ta->start, stack[depth] + 1, p->pool.p + o->text, o->tn) != 0 ||
			    add_edit(p, tb->end, tb->end, i + 1, p->pool.p + t->text, t->tn) != 0)
				rc = LS_ENOMEM;
			continue;
		}
		if (po->parent != pc->parent) {
			rc = ls_error_set(p->err, LS_ECONFIG, p->file, 0, 0, "%s: section %.*s opens and "
			    "closes in different places (a table cell and outside it, or rows of two "
			    "tables): put its tags in rows of one table or in paragraphs side by side", p->part,
			    (int)o->tn, p->pool.p + o->text);
			break;
		}
		if ((rc = move_out(p, stack[depth], 0)) == 0)
			rc = move_out(p, i, 1);
	}
	if (rc == 0 && depth)
		rc = ls_error_set(p->err, LS_ECONFIG, p->file, 0, 0, "%s: section %.*s is not closed",
		    p->part, (int)p->tags[stack[depth - 1]].tn, p->pool.p + p->tags[stack[depth - 1]].text);
	free(stack);
	return rc;
}

/* The new content of each piece of paragraph pi: its own bytes, the tags that start in it whole. */
static int
rewrite(struct px *p, long pi, const struct ls_buf *txt, const long *owner, size_t t0, size_t t1,
    struct ls_buf *bufs, size_t nb)
{
	long first = p->paras[pi].first;
	size_t ti = t0;

	for (size_t k = 0; k < nb; k++)
		bufs[k].n = 0;
	for (size_t i = 0; i < txt->n;) {
		if (ti < t1 && p->tags[ti].cs == i) {
			struct tag *t = &p->tags[ti++];

			if (!t->drop) {
				if (ls_buf_put(&bufs[p->pieces[t->piece].local], p->pool.p + t->text, t->tn) != 0)
					return nomem(p);
				p->pieces[t->piece].gained = 1;
			}
			i = t->ce;
			continue;
		}
		if (ls_buf_put(&bufs[p->pieces[owner[i]].local], txt->p + i, 1) != 0)
			return nomem(p);
		i++;
	}
	for (long pc = first; pc >= 0; pc = p->pieces[pc].next) {
		struct piece *c = &p->pieces[pc];
		const struct ls_buf *b = &bufs[c->local];

		if (b->n != c->cend - c->cstart || (b->n && memcmp(b->p, p->x + c->cstart, b->n) != 0))
			if (add_edit(p, c->cstart, c->cend, 0, b->n ? b->p : "", b->n) != 0)
				return LS_ENOMEM;
		if (c->gained && !c->preserve &&
		    add_edit(p, c->gt, c->gt, 0, " xml:space=\"preserve\"", 21) != 0)
			return LS_ENOMEM;
	}
	return 0;
}

static int
by_para(const void *a, const void *b)
{
	const struct tag *x = a, *y = b;

	if (x->para != y->para)
		return x->para < y->para ? -1 : 1;
	return x->cs < y->cs ? -1 : x->cs > y->cs;
}

int
ls_docx_prepare(const char *file, const char *part, const char *xml, size_t n,
    struct ls_buf *out, struct ls_error *err)
{
	struct px p = { .file = file, .part = part, .x = xml, .n = n, .err = err };
	struct ls_buf txt = { 0 }, *bufs = NULL;
	long *owner = NULL;
	size_t capown = 0, capbufs = 0, cursor = 0, t0;
	int rc;

	if ((rc = scan(&p)) != 0 || (rc = outside_text(&p)) != 0)
		goto out;
	for (size_t i = 0; i < p.nparas; i++) {
		if ((rc = joined(&p, &p.paras[i], &txt, &owner, &capown)) != 0 ||
		    (rc = find_tags(&p, (long)i, &txt, owner)) != 0)
			goto out;
	}
	if ((rc = sections(&p)) != 0)
		goto out;
	/* back to paragraph order, to write each paragraph's pieces */
	if (p.ntags)
		qsort(p.tags, p.ntags, sizeof *p.tags, by_para);
	t0 = 0;
	for (size_t i = 0; i < p.nparas; i++) {
		size_t t1 = t0, nb = 0;

		while (t1 < p.ntags && p.tags[t1].para == (long)i)
			t1++;
		if (t1 > t0) {
			for (long pc = p.paras[i].first; pc >= 0; pc = p.pieces[pc].next)
				nb++;
			if (nb > capbufs) {
				struct ls_buf *nbufs = realloc(bufs, nb * sizeof *bufs);

				if (nbufs == NULL) {
					rc = nomem(&p);
					goto out;
				}
				memset(nbufs + capbufs, 0, (nb - capbufs) * sizeof *bufs);
				bufs = nbufs;
				capbufs = nb;
			}
			if ((rc = joined(&p, &p.paras[i], &txt, &owner, &capown)) != 0 ||
			    (rc = rewrite(&p, (long)i, &txt, owner, t0, t1, bufs, nb)) != 0)
				goto out;
		}
		t0 = t1;
	}
	if (p.nedits)
		qsort(p.edits, p.nedits, sizeof *p.edits, by_edit);
	for (size_t i = 0; i < p.nedits; i++) {
		const struct edit *e = &p.edits[i];

		if (e->start < cursor)
			continue;	/* inside a paragraph replaced whole */
		if (ls_buf_put(out, xml + cursor, e->start - cursor) != 0 ||
		    ls_buf_put(out, e->tn ? p.pool.p + e->text : "", e->tn) != 0) {
			rc = nomem(&p);
			goto out;
		}
		cursor = e->end;
	}
	if (ls_buf_put(out, xml + cursor, n - cursor) != 0)
		rc = nomem(&p);
out:
	for (size_t i = 0; i < capbufs; i++)
		ls_buf_free(&bufs[i]);
	free(bufs);
	free(owner);
	ls_buf_free(&txt);
	ls_buf_free(&p.pool);
	free(p.els);
	free(p.paras);
	free(p.pieces);
	free(p.tags);
	free(p.edits);
	return rc;
}
