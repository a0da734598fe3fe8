/* util.c - allocation helpers shared by the modules. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int
ls_grow(void *pp, size_t *cap, size_t need, size_t elem)
{
	void **p = pp;
	size_t n = *cap ? *cap : 8;
	void *q;

	if (need <= *cap)
		return 0;
	if (elem == 0 || need > SIZE_MAX / elem)
		return -1;
	/* doubling stops where n * elem would overflow: then exactly what is needed */
	while (n < need)
		n = n <= SIZE_MAX / elem / 2 ? n * 2 : need;
	if ((q = realloc(*p, n * elem)) == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

char *
ls_concat(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = malloc(na + nb + 1);

	if (s) {
		memcpy(s, a, na);
		memcpy(s + na, b, nb + 1);
	}
	return s;
}
