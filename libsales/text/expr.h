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
 *
 * Details a config writer may need:
 * - A bare word is a run of letters, digits, _ . - @ + / : and any byte
 *   >= 0x80 (so UTF-8 words such as Москва need no quotes): retail,
 *   2026-01-01, -5, +79161234567.  and, or, not, in, empty are reserved
 *   and must be quoted to be used as values.
 * - Strings are '...' or "...".  Inside them only \" \' and \\ are
 *   unescaped; any other backslash is kept with the byte after it, so
 *   "@example\.com$" reaches regcomp as @example\.com$ (a literal
 *   backslash in a regex is written "\\\\").
 * - A number is [+-]digits[.digits][(e|E)[+-]digits] with nothing around
 *   it ("5", "-0.5", "1e3"; not " 5", "0x10", "inf"), read with '.' as the
 *   decimal point whatever the locale.  "50" == "50.0" is true; "10" > "9"
 *   is true even when quoted: quoting makes a literal, not a string type.
 *   Values of 64 bytes or more always compare as strings.
 * - Byte-wise comparison is memcmp order, a prefix sorting first.
 * - x in [a, b] is true when x == a or x == b with the rules of ==; items
 *   are always literals; [] is allowed (in is then false).
 * - The right side of ~ is always regex text, even a bare word that names
 *   a column.  Regexes are compiled with REG_EXTENDED | REG_NOSUB; a bad one
 *   is a compile error at its column.  Matching uses REG_STARTEND where the
 *   C library has it (glibc, BSD), so values need no terminating NUL;
 *   elsewhere values are copied to a 4 KB stack buffer, longer ones cut.
 * - empty means zero bytes: a value of spaces is not empty.
 * - Nesting of ( ) and not is limited to 64 levels.
 *
 * Files: expr.c (tokenizer, parser, ls_expr_free) and expr_eval.c (the
 * evaluator, which allocates nothing); expr_int.h is what they share.
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
 * errors then name file:line:(col + offset).  For a YAML scalar pass the
 * node's col, plus one when it was quoted; columns stay exact for a
 * one-line scalar without escapes before the error.
 */
struct ls_expr *ls_expr_parse_at(const char *src, const char *file, long line, long col,
    ls_expr_resolver resolve, void *ctx, struct ls_error *err);

/* 1 when true, 0 when false.  slots[i] is the value of slot i; nslots bounds it (missing is empty). */
int ls_expr_eval(const struct ls_expr *e, const struct ls_str *slots, size_t nslots);

/* Free; NULL is a no-op. */
void ls_expr_free(struct ls_expr *e);

#endif
