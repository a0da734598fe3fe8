/* cli_list.c - comma lists of names to bit masks; see cli_list.h. */
#include <stdio.h>
#include <string.h>

#include "cli_list.h"

/* "a, b or c" into buf: the known words, as the message lists them. */
static void
known(const char *const *names, char *buf, size_t size)
{
	size_t o = 0, n = 0;

	buf[0] = '\0';
	while (names[n] != NULL)
		n++;
	for (size_t i = 0; i < n && o < size; i++) {
		const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
		int w = snprintf(buf + o, size - o, "%s%s", sep, names[i]);

		if (w < 0)
			break;
		o += (size_t)w;
	}
}

int
ls_cli_list_parse(const char *arg, const char *const *names, const char *what,
    unsigned *mask, struct ls_error *err)
{
	unsigned m = 0;
	const char *p = arg;
	char list[384];

	for (;;) {
		size_t n = strcspn(p, ",");
		int i;

		for (i = 0; names[i] != NULL && i < 32; i++)
			if (strlen(names[i]) == n && memcmp(names[i], p, n) == 0)
				break;
		if (names[i] == NULL || i >= 32) {
			known(names, list, sizeof(list));
			return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "unknown %s '%.*s' (expected %s)",
			    what, n > 200 ? 200 : (int)n, p, list);
		}
		m |= 1u << i;
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	*mask = m;
	return 0;
}
