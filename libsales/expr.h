/*
 * expr.h - the condition language shared by every tool's config:
 *
 *     employees >= 50 and industry in [retail, logistics]
 *     not (phone empty) or email ~ "@example\.com$"
 *
 * Operands are names and literals.  A name is looked up with the caller's
 * resolver when the expression is compiled, and becomes a slot index: the
 * evaluator reads slot values from an array the caller fills per record
 * (record fields, then tool-provided fields such as call_outcome).
 * The left operand of a comparison, and the operand of empty / not empty,
 * must be a name the resolver knows (else "unknown column 'x'"); a bare word
 * on the right is a name when the resolver knows it, else a literal.  Quoted
 * strings, numbers and list items are always literals.
 *
 * Operators: == != < <= > >= (numeric when both sides parse as numbers,
 * else byte-wise string comparison), in [..], not in [..], ~ (POSIX
 * extended regex, compiled once), empty, not empty, and, or, not, ( ).
 * Precedence, loosest first: or, and, not, comparison.
 */
#ifndef LS_EXPR_H
#define LS_EXPR_H

#include <stddef.h>

#include "error.h"
#include "record.h"

/* Returns the slot index for name[0..len), or -1 when unknown. */
typedef long (*ls_expr_resolver)(void *ctx, const char *name, size_t len);

struct ls_expr;

/*
 * Compile src.  On error returns NULL with err filled: LS_ECONFIG, err->col
 * the 1-based byte column in src of the offending token, err->file and
 * err->line left empty/0 for the caller to fill (see ls_expr_parse_at).
 */
struct ls_expr *ls_expr_parse(const char *src, ls_expr_resolver resolve, void *ctx,
    struct ls_error *err);

/*
 * Same, for an expression found in file at line, starting at column col:
 * errors then name file:line:(col + offset).
 */
struct ls_expr *ls_expr_parse_at(const char *src, const char *file, long line, long col,
    ls_expr_resolver resolve, void *ctx, struct ls_error *err);

/* 1 when true, 0 when false.  slots[i] is the value of slot i; nslots bounds it (missing is empty). */
int ls_expr_eval(const struct ls_expr *e, const struct ls_str *slots, size_t nslots);

/* Free; NULL is a no-op. */
void ls_expr_free(struct ls_expr *e);

#endif
