/*
 * config.c - YAML config files as a tree of ls_node (config.h), built from
 * libyaml's event stream with an explicit stack, in one arena.
 */
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "config.h"
#include "util.h"

#define CHUNK	8192

/* Keeps the data after the header aligned for any node or pointer. */
union chunk {
	struct {
		union chunk *next;
		size_t used, cap;
	} h;
	max_align_t align;
};

struct ls_config {
	union chunk *arena;
	char *file;
	struct ls_node *root;
};

/* A collection being read: its children, keys and values interleaved for a map. */
struct frame {
	struct ls_node *node;
	struct ls_node **kids;
	size_t n, cap;
};

struct builder {
	struct ls_config *c;
	struct frame *stack;
	size_t depth, cap;
	struct ls_error *err;
};

static void *
arena_alloc(struct ls_config *c, size_t n)
{
	union chunk *ch = c->arena;
	size_t a = sizeof(max_align_t), cap;
	void *p;

	n = (n + a - 1) / a * a;
	if (ch == NULL || ch->h.cap - ch->h.used < n) {
		cap = n > CHUNK ? n : CHUNK;
		if ((ch = malloc(sizeof(*ch) + cap)) == NULL)
			return NULL;
		ch->h.used = 0;
		ch->h.cap = cap;
		/* A big block gets its own chunk behind the current one, which keeps its room. */
		if (c->arena != NULL && n > CHUNK) {
			ch->h.next = c->arena->h.next;
			c->arena->h.next = ch;
		} else {
			ch->h.next = c->arena;
			c->arena = ch;
		}
	}
	p = (char *)(ch + 1) + ch->h.used;
	ch->h.used += n;
	return p;
}

static const char *
typename(enum ls_node_type t)
{
	switch (t) {
	case LS_NODE_SCALAR:	return "a scalar";
	case LS_NODE_SEQ:	return "a sequence";
	case LS_NODE_MAP:	return "a mapping";
	}
	return "?";
}

int
ls_node_error(const struct ls_config *c, const struct ls_node *n, struct ls_error *err,
    const char *fmt, ...)
{
	char msg[sizeof(err->msg)];
	va_list ap;

	if (err == NULL)
		return LS_ECONFIG;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ls_error_set(err, LS_ECONFIG, c ? c->file : NULL, n ? n->line : 0,
	    n ? n->col : 0, "%s", msg);
}

/* "expected WHAT, got 'text'" or "..., got a mapping". */
static int
wrong(const struct ls_config *c, const struct ls_node *n, struct ls_error *err, const char *what)
{
	if (n == NULL)
		return ls_node_error(c, n, err, "expected %s", what);
	if (n->type != LS_NODE_SCALAR)
		return ls_node_error(c, n, err, "expected %s, got %s", what, typename(n->type));
	return ls_node_error(c, n, err, "expected %s, got '%.*s'%s", what,
	    n->len > 60 ? 60 : (int)n->len, n->value, n->len > 60 ? "..." : "");
}

static int
syntax_error(struct builder *b, yaml_parser_t *yp, const char *buf, size_t len)
{
	const char *file = b->c->file;
	size_t i, off;
	long line = 1, col = 1;

	switch (yp->error) {
	case YAML_MEMORY_ERROR:
		return ls_error_set(b->err, LS_ENOMEM, file, 0, 0, "out of memory");
	case YAML_READER_ERROR:
		/* The reader reports a byte offset, not a mark. */
		off = yp->problem_offset < len ? yp->problem_offset : len;
		for (i = 0; i < off; i++) {
			if (buf[i] == '\n') {
				line++;
				col = 1;
			} else
				col++;
		}
		return ls_error_set(b->err, LS_ECONFIG, file, line, col, "%s",
		    yp->problem ? yp->problem : "cannot read the file");
	default:
		if (yp->context != NULL)
			return ls_error_set(b->err, LS_ECONFIG, file,
			    (long)yp->problem_mark.line + 1, (long)yp->problem_mark.column + 1,
			    "%s (%s at line %lu, column %lu)",
			    yp->problem ? yp->problem : "syntax error", yp->context,
			    (unsigned long)yp->context_mark.line + 1,
			    (unsigned long)yp->context_mark.column + 1);
		return ls_error_set(b->err, LS_ECONFIG, file,
		    (long)yp->problem_mark.line + 1, (long)yp->problem_mark.column + 1,
		    "%s", yp->problem ? yp->problem : "syntax error");
	}
}

static int
mark_error(struct builder *b, yaml_mark_t m, const char *msg)
{
	return ls_error_set(b->err, LS_ECONFIG, b->c->file, (long)m.line + 1,
	    (long)m.column + 1, "%s", msg);
}

static struct ls_node *
newnode(struct builder *b, enum ls_node_type t, yaml_mark_t m)
{
	struct ls_node *n;

	if ((n = arena_alloc(b->c, sizeof(*n))) == NULL) {
		ls_error_set(b->err, LS_ENOMEM, b->c->file, 0, 0, "out of memory");
		return NULL;
	}
	memset(n, 0, sizeof(*n));
	n->type = t;
	n->line = (long)m.line + 1;
	n->col = (long)m.column + 1;
	return n;
}

/* Hand a finished node to the collection being read, or make it the root. */
static int
attach(struct builder *b, struct ls_node *n)
{
	struct frame *f;
	struct ls_node **k;
	size_t ncap;

	if (b->depth == 0) {
		b->c->root = n;
		return 0;
	}
	f = &b->stack[b->depth - 1];
	if (f->node->type == LS_NODE_MAP && f->n % 2 == 0 && n->type != LS_NODE_SCALAR)
		return ls_node_error(b->c, n, b->err, "a mapping key must be a scalar, not %s",
		    typename(n->type));
	if (f->n == f->cap) {
		ncap = f->cap ? f->cap * 2 : 8;
		if ((k = realloc(f->kids, ncap * sizeof(*k))) == NULL)
			return ls_error_set(b->err, LS_ENOMEM, b->c->file, 0, 0, "out of memory");
		f->kids = k;
		f->cap = ncap;
	}
	f->kids[f->n++] = n;
	return 0;
}

static int
push(struct builder *b, struct ls_node *n)
{
	struct frame *s;
	size_t ncap;

	if (b->depth == b->cap) {
		ncap = b->cap ? b->cap * 2 : 16;
		if ((s = realloc(b->stack, ncap * sizeof(*s))) == NULL)
			return ls_error_set(b->err, LS_ENOMEM, b->c->file, 0, 0, "out of memory");
		b->stack = s;
		b->cap = ncap;
	}
	memset(&b->stack[b->depth], 0, sizeof(b->stack[0]));
	b->stack[b->depth++].node = n;
	return 0;
}

static int
keycmp(const void *x, const void *y)
{
	const struct ls_node *a = *(struct ls_node *const *)x, *b = *(struct ls_node *const *)y;
	size_t m = a->len < b->len ? a->len : b->len;
	int c;

	if ((c = memcmp(a->value, b->value, m)) != 0)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	/* Equal keys in file order, so the later of a pair is the duplicate. */
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return (a->col > b->col) - (a->col < b->col);
}

/*
 * Sorting a copy of the keys finds duplicates in n log n, so a large
 * generated file is no trap; the one reported is the first in the file.
 */
static int
check_dups(struct builder *b, struct ls_node *map)
{
	struct ls_node **k, *dup = NULL, *first = NULL;
	size_t i;

	if (map->len < 2)
		return 0;
	if ((k = malloc(map->len * sizeof(*k))) == NULL)
		return ls_error_set(b->err, LS_ENOMEM, b->c->file, 0, 0, "out of memory");
	memcpy(k, map->keys, map->len * sizeof(*k));
	qsort(k, map->len, sizeof(*k), keycmp);
	for (i = 1; i < map->len; i++) {
		if (k[i]->len != k[i - 1]->len ||
		    memcmp(k[i]->value, k[i - 1]->value, k[i]->len) != 0)
			continue;
		if (dup == NULL || k[i]->line < dup->line ||
		    (k[i]->line == dup->line && k[i]->col < dup->col)) {
			dup = k[i];
			first = k[i - 1];
		}
	}
	free(k);
	if (dup == NULL)
		return 0;
	/* first is the previous equal key; walk back to the very first one. */
	for (i = 0; i < map->len; i++)
		if (map->keys[i]->len == dup->len &&
		    memcmp(map->keys[i]->value, dup->value, dup->len) == 0) {
			first = map->keys[i];
			break;
		}
	return ls_node_error(b->c, dup, b->err, "duplicate key '%.*s' (first at line %ld)",
	    dup->len > 60 ? 60 : (int)dup->len, dup->value, first->line);
}

/* Close the collection on top of the stack: its children move into the arena. */
static int
pop(struct builder *b)
{
	struct frame *f = &b->stack[b->depth - 1];
	struct ls_node *n = f->node;
	size_t i, half;
	int rc;

	if (n->type == LS_NODE_SEQ) {
		n->len = f->n;
		if (f->n > 0) {
			if ((n->items = arena_alloc(b->c, f->n * sizeof(*n->items))) == NULL)
				goto nomem;
			memcpy(n->items, f->kids, f->n * sizeof(*n->items));
		}
	} else {
		half = f->n / 2;
		n->len = half;
		if (half > 0) {
			n->keys = arena_alloc(b->c, half * sizeof(*n->keys));
			n->items = arena_alloc(b->c, half * sizeof(*n->items));
			if (n->keys == NULL || n->items == NULL)
				goto nomem;
			for (i = 0; i < half; i++) {
				n->keys[i] = f->kids[2 * i];
				n->items[i] = f->kids[2 * i + 1];
			}
		}
	}
	free(f->kids);
	f->kids = NULL;
	b->depth--;
	if (n->type == LS_NODE_MAP && (rc = check_dups(b, n)) != 0)
		return rc;
	return attach(b, n);
nomem:
	return ls_error_set(b->err, LS_ENOMEM, b->c->file, 0, 0, "out of memory");
}

static int
on_event(struct builder *b, yaml_event_t *ev, int *ndocs)
{
	struct ls_node *n;
	yaml_char_t *anchor = NULL;
	size_t len;
	char *v;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if ((*ndocs)++ > 0)
			return mark_error(b, ev->start_mark,
			    "a config file holds one YAML document, found a second");
		return 0;
	case YAML_ALIAS_EVENT:
		return mark_error(b, ev->start_mark, "aliases (*name) are not allowed in config files");
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return pop(b);
	default:
		return 0;
	}
	if (anchor != NULL)
		return mark_error(b, ev->start_mark, "anchors (&name) are not allowed in config files");
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if ((n = newnode(b, LS_NODE_SCALAR, ev->start_mark)) == NULL)
			return LS_ENOMEM;
		len = ev->data.scalar.length;
		if ((v = arena_alloc(b->c, len + 1)) == NULL)
			return ls_error_set(b->err, LS_ENOMEM, b->c->file, 0, 0, "out of memory");
		memcpy(v, ev->data.scalar.value, len);
		v[len] = '\0';
		n->value = v;
		n->len = len;
		n->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		    ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		return attach(b, n);
	case YAML_SEQUENCE_START_EVENT:
		if ((n = newnode(b, LS_NODE_SEQ, ev->start_mark)) == NULL)
			return LS_ENOMEM;
		return push(b, n);
	default:
		if ((n = newnode(b, LS_NODE_MAP, ev->start_mark)) == NULL)
			return LS_ENOMEM;
		return push(b, n);
	}
}

struct ls_config *
ls_config_load_mem(const char *name, const char *buf, size_t len, struct ls_error *err)
{
	struct builder b;
	struct ls_config *c;
	yaml_parser_t yp;
	yaml_event_t ev;
	yaml_mark_t start = { 0, 0, 0 };
	struct ls_node *r;
	int rc = 0, done = 0, ndocs = 0;
	size_t i;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->file = strdup(name ? name : "")) == NULL) {
		free(c);
		ls_error_set(err, LS_ENOMEM, name, 0, 0, "out of memory");
		return NULL;
	}
	memset(&b, 0, sizeof(b));
	b.c = c;
	b.err = err;
	if (!yaml_parser_initialize(&yp)) {
		ls_config_free(c);
		ls_error_set(err, LS_ENOMEM, name, 0, 0, "out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&yp, (const unsigned char *)(buf ? buf : ""), buf ? len : 0);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&yp, &ev)) {
			rc = syntax_error(&b, &yp, buf, len);
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(&b, &ev, &ndocs);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&yp);
	for (i = 0; i < b.depth; i++)
		free(b.stack[i].kids);
	free(b.stack);
	if (rc != 0) {
		ls_config_free(c);
		return NULL;
	}
	r = c->root;
	/* An empty file, or one with only "---" or comments, is an empty mapping. */
	if (r == NULL || (r->type == LS_NODE_SCALAR && r->len == 0 && !r->quoted)) {
		if ((c->root = newnode(&b, LS_NODE_MAP, start)) == NULL) {
			ls_config_free(c);
			return NULL;
		}
	} else if (r->type != LS_NODE_MAP) {
		ls_node_error(c, r, err, "expected a mapping (key: value lines) at the top, got %s",
		    typename(r->type));
		ls_config_free(c);
		return NULL;
	}
	return c;
}

struct ls_config *
ls_config_load(const char *path, struct ls_error *err)
{
	struct ls_config *c;
	size_t len;
	char *buf;

	if ((buf = ls_read_file(path, &len, err)) == NULL) {
		/* a config that cannot be read is a usage matter (exit 2), like a bad one */
		if (err && err->status == LS_EIO)
			err->status = LS_ECONFIG;
		return NULL;
	}
	c = ls_config_load_mem(path, buf, len, err);
	free(buf);
	return c;
}

const struct ls_node *
ls_config_root(const struct ls_config *c)
{
	return c ? c->root : NULL;
}

const char *
ls_config_file(const struct ls_config *c)
{
	return c ? c->file : NULL;
}

void
ls_config_free(struct ls_config *c)
{
	union chunk *ch, *next;

	if (c == NULL)
		return;
	for (ch = c->arena; ch != NULL; ch = next) {
		next = ch->h.next;
		free(ch);
	}
	free(c->file);
	free(c);
}

const struct ls_node *
ls_node_get(const struct ls_node *map, const char *key)
{
	size_t i, n;

	if (map == NULL || map->type != LS_NODE_MAP || key == NULL)
		return NULL;
	n = strlen(key);
	for (i = 0; i < map->len; i++)
		if (map->keys[i]->len == n && memcmp(map->keys[i]->value, key, n) == 0)
			return map->items[i];
	return NULL;
}

int
ls_node_check_keys(const struct ls_config *c, const struct ls_node *map,
    const char *const *allowed, struct ls_error *err)
{
	char list[400];
	const struct ls_node *k;
	size_t i, j, off;
	int w;

	if (map == NULL)
		return 0;
	if (map->type != LS_NODE_MAP)
		return wrong(c, map, err, "a mapping");
	for (i = 0; i < map->len; i++) {
		k = map->keys[i];
		for (j = 0; allowed != NULL && allowed[j] != NULL; j++)
			if (strlen(allowed[j]) == k->len && memcmp(allowed[j], k->value, k->len) == 0)
				break;
		if (allowed != NULL && allowed[j] != NULL)
			continue;
		list[0] = '\0';
		for (j = 0, off = 0; allowed != NULL && allowed[j] != NULL; j++) {
			/* Cut at a name boundary, keeping room for the ellipsis. */
			if (off + strlen(allowed[j]) + 2 + sizeof(", ...") > sizeof(list)) {
				snprintf(list + off, sizeof(list) - off, "%s...", j ? ", " : "");
				break;
			}
			w = snprintf(list + off, sizeof(list) - off, "%s%s", j ? ", " : "", allowed[j]);
			off += w > 0 ? (size_t)w : 0;
		}
		if (list[0] == '\0')
			return ls_node_error(c, k, err, "unknown key '%.*s' (no keys are allowed here)",
			    k->len > 60 ? 60 : (int)k->len, k->value);
		return ls_node_error(c, k, err, "unknown key '%.*s' (expected one of: %s)",
		    k->len > 60 ? 60 : (int)k->len, k->value, list);
	}
	return 0;
}

int
ls_node_expect(const struct ls_config *c, const struct ls_node *n, enum ls_node_type t,
    struct ls_error *err)
{
	if (n != NULL && n->type == t)
		return 0;
	return wrong(c, n, err, typename(t));
}

int
ls_node_str(const struct ls_config *c, const struct ls_node *n, const char **out,
    struct ls_error *err)
{
	if (n == NULL || n->type != LS_NODE_SCALAR)
		return wrong(c, n, err, "a string");
	*out = n->value;
	return 0;
}

int
ls_node_int(const struct ls_config *c, const struct ls_node *n, long long *out,
    struct ls_error *err)
{
	const char *s;
	char *end;
	long long v;
	size_t i;

	if (n == NULL || n->type != LS_NODE_SCALAR)
		return wrong(c, n, err, "an integer");
	s = n->value;
	/* strtoll would skip blanks and stop at a NUL inside a quoted "1\0x". */
	i = (s[0] == '+' || s[0] == '-') ? 1 : 0;
	if (n->len <= i || s[i] < '0' || s[i] > '9' || strlen(s) != n->len)
		return wrong(c, n, err, "an integer");
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0')
		return wrong(c, n, err, "an integer");
	if (errno == ERANGE)
		return ls_node_error(c, n, err, "integer out of range: '%.*s'",
		    n->len > 60 ? 60 : (int)n->len, n->value);
	*out = v;
	return 0;
}

int
ls_node_num(const struct ls_config *c, const struct ls_node *n, double *out,
    struct ls_error *err)
{
	locale_t cl, old;
	const char *s;
	char *end;
	double v;
	size_t i;
	int e;

	if (n == NULL || n->type != LS_NODE_SCALAR)
		return wrong(c, n, err, "a number");
	s = n->value;
	i = (s[0] == '+' || s[0] == '-') ? 1 : 0;
	/* Plain decimal only: no blanks, inf, nan, hex; and no NUL inside. */
	if (n->len <= i || !((s[i] >= '0' && s[i] <= '9') || s[i] == '.') ||
	    strspn(s, "0123456789+-.eE") != n->len)
		return wrong(c, n, err, "a number");
	/* Config files write 1.5 whatever LC_NUMERIC the tool runs under. */
	if ((cl = newlocale(LC_ALL_MASK, "C", (locale_t)0)) == (locale_t)0)
		return ls_error_set(err, LS_ENOMEM, c ? c->file : NULL, n->line, n->col,
		    "out of memory");
	old = uselocale(cl);
	errno = 0;
	v = strtod(s, &end);
	e = errno;
	uselocale(old);
	freelocale(cl);
	if (*end != '\0')
		return wrong(c, n, err, "a number");
	if (e == ERANGE && (v > 1 || v < -1))
		return ls_node_error(c, n, err, "number out of range: '%.*s'",
		    n->len > 60 ? 60 : (int)n->len, n->value);
	*out = v;
	return 0;
}

int
ls_node_bool(const struct ls_config *c, const struct ls_node *n, int *out,
    struct ls_error *err)
{
	static const char *const t[] = { "true", "yes" }, *const f[] = { "false", "no" };
	size_t i;

	if (n != NULL && n->type == LS_NODE_SCALAR) {
		for (i = 0; i < 2; i++) {
			if (strcasecmp(n->value, t[i]) == 0) {
				*out = 1;
				return 0;
			}
			if (strcasecmp(n->value, f[i]) == 0) {
				*out = 0;
				return 0;
			}
		}
	}
	return wrong(c, n, err, "true or false");
}
