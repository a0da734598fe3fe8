/*
 * cli_list.h - the comma lists that options take: `--status open,pending`,
 * `--only qualified,callback`.  One parser, so that every tool spells the
 * list, and the message for a word it does not know, the same way.
 */
#ifndef LS_CLI_LIST_H
#define LS_CLI_LIST_H

#include "error.h"

/*
 * Parse arg, words separated by commas, against names (a NULL-terminated
 * list of at most 32 words, compared exactly): *mask gets bit i for each
 * word equal to names[i].  Returns 0, or LS_EUSAGE with err->msg naming the
 * first unknown word and listing the known ones: "unknown status 'x'
 * (expected new, open, pending, solved or closed)" for what "status".  An
 * empty word (a doubled or trailing comma) is unknown too.  *mask is
 * unchanged on error.  The caller prefixes the option's name when it prints.
 */
int ls_cli_list_parse(const char *arg, const char *const *names, const char *what,
    unsigned *mask, struct ls_error *err);

#endif
