/*
 * config.h - YAML configuration files loaded into a small tree (libyaml).
 *
 * Every node remembers its line and column so that errors (syntax, wrong
 * type, unknown key) name file:line:col.  Anchors/aliases are refused, and
 * so are duplicate keys.  Errors are LS_ECONFIG (exit status 2).
 */
#ifndef LS_CONFIG_H
#define LS_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum ls_node_type { LS_NODE_SCALAR, LS_NODE_SEQ, LS_NODE_MAP };

struct ls_node {
	enum ls_node_type type;
	long line, col;			/* 1-based position of the node's first character */
	int quoted;			/* scalar was written '...' or "..." */
	const char *value;		/* SCALAR: NUL-terminated text */
	size_t len;			/* SCALAR: bytes in value; SEQ/MAP: number of items */
	struct ls_node **items;		/* SEQ: items; MAP: values */
	struct ls_node **keys;		/* MAP: keys (scalars), same order as in the file */
};

struct ls_config;

/*
 * Load path; NULL with err filled on failure.  The tree is owned by the config.
 * A file that cannot be opened or read is LS_ECONFIG too (exit status 2).
 * Positions are libyaml's: columns count characters, not bytes.  An empty
 * file, or one of comments or a bare "---", is an empty MAP; a second
 * document in the file is an error.
 */
struct ls_config *ls_config_load(const char *path, struct ls_error *err);
/* Same, from a buffer (name used in messages). */
struct ls_config *ls_config_load_mem(const char *name, const char *buf, size_t len,
    struct ls_error *err);
/* Root node (a MAP for every libsales config; an empty file gives an empty MAP). */
const struct ls_node *ls_config_root(const struct ls_config *c);
/* File name given at load, for messages. */
const char *ls_config_file(const struct ls_config *c);
/* Free; NULL is a no-op. */
void ls_config_free(struct ls_config *c);

/* Child of a MAP by key, or NULL (also NULL when map is NULL or not a map). */
const struct ls_node *ls_node_get(const struct ls_node *map, const char *key);

/*
 * Refuse keys of map not in the NULL-terminated list allowed:
 * "rules.yaml:3:5: unknown key 'treshold' (expected one of: threshold, rules, ...)".
 * A NULL map (an absent optional section) passes; a node that is not a map
 * is refused with "expected a mapping, got ...".
 */
int ls_node_check_keys(const struct ls_config *c, const struct ls_node *map,
    const char *const *allowed, struct ls_error *err);

/*
 * Typed getters.  Each returns 0 and stores the value, or LS_ECONFIG with err
 * naming the node's position and what was expected ("expected an integer,
 * got 'abc'", "expected a string, got a mapping").  A NULL node is refused.
 * Quoted scalars are accepted like plain ones ("42" is an integer).
 * int: decimal, optional sign, nothing else; overflow is "integer out of range".
 * num: decimal with '.' whatever the locale, optional exponent; no inf, nan, hex.
 * bool: true/false/yes/no, any case.
 */
int ls_node_str(const struct ls_config *c, const struct ls_node *n, const char **out, struct ls_error *err);
int ls_node_int(const struct ls_config *c, const struct ls_node *n, long long *out, struct ls_error *err);
int ls_node_num(const struct ls_config *c, const struct ls_node *n, double *out, struct ls_error *err);
int ls_node_bool(const struct ls_config *c, const struct ls_node *n, int *out, struct ls_error *err);	/* true/false/yes/no */
int ls_node_expect(const struct ls_config *c, const struct ls_node *n, enum ls_node_type t, struct ls_error *err);

/* Fill err with a message at node n's position; returns LS_ECONFIG. */
int ls_node_error(const struct ls_config *c, const struct ls_node *n, struct ls_error *err,
    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#endif
