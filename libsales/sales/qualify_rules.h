/*
 * qualify_rules.h - lead-qualify's rules file (lead-qualify(1)): the phone
 * countries, the renamed spec columns, the threshold and the scoring and
 * rejecting rules, read and checked once; qualify.h compiles the rules
 * against an input's header.
 *
 * A struct ls_rules is read-only once loaded: any number of qualifiers,
 * on any thread, may use it while it lives.
 */
#ifndef LS_QUALIFY_RULES_H
#define LS_QUALIFY_RULES_H

#include "error.h"

struct ls_rules;

/*
 * Load a rules file (keys: default_country, countries, columns, threshold,
 * rules).  path NULL gives the defaults: RU numbers, every known plan
 * checked, no rules, threshold 0.  A rule's expression is checked for
 * syntax here, so that a bad rule fails even on an empty input; its names
 * are resolved by ls_qualifier_new().  Errors are LS_ECONFIG naming
 * file:line:col.  Free with ls_rules_free(); NULL is a no-op.
 */
struct ls_rules *ls_rules_load(const char *path, struct ls_error *err);
void ls_rules_free(struct ls_rules *r);

/* The input column that plays the spec column name ("phone" -> "tel" after columns: {phone: tel}); owned by r. */
const char *ls_rules_column(const struct ls_rules *r, const char *spec_name);

#endif
