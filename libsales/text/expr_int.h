/*
 * expr_int.h - what the two files of the condition language share, and
 * nothing outside them sees: the compiled form of an expression.
 *
 *   expr.c       tokenizer and recursive-descent parser: source to a flat
 *                array of nodes, literals in one pool, regexes compiled
 *   expr_eval.c  the evaluator (no allocation: lead-qualify runs it for
 *                every rule of every lead) and the number syntax both use
 *
 * A struct ls_expr is written only by the parser and only read after
 * ls_expr_parse() returns, so any number of threads may evaluate it.
 */
#ifndef LS_EXPR_INT_H
#define LS_EXPR_INT_H

#include <regex.h>
#include <stddef.h>

#include "expr.h"

enum op {
	OP_OR, OP_AND, OP_NOT,
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_IN, OP_NOTIN, OP_MATCH, OP_EMPTY, OP_NOTEMPTY
};

/* A literal, NUL-terminated in the pool, with its number parsed once. */
struct lit {
	size_t off, len;
	int isnum;
	double num;
};

struct node {
	enum op op;
	int rslot;		/* comparison: the right side is slot r, not literal a */
	long slot;		/* the name on the left */
	long r;
	size_t a, b;		/* or/and: children; not: a; comparison: literal a;
				   in: first literal a, count b; ~: regex a */
	int bytes;		/* == or != a word, or in a list of words: see leaf_bytes() */
};

struct ls_expr {
	struct node *nodes;
	size_t nnodes, capnodes;
	struct lit *lits;
	size_t nlits, caplits;
	char *pool;
	size_t npool, cappool;
	regex_t **res;
	size_t nres, capres;
	size_t root;
};

/*
 * Is s[0..n) a plain decimal number ([+-]digits[.digits][e[+-]digits])?
 * 1 with its value in *out, else 0 (expr_eval.c).  The parser reads its
 * literals with it, the evaluator the values, so that both agree on what
 * a number is.
 */
int ls_expr_num(const char *s, size_t n, double *out);

#endif
