/* util.c - allocation helpers shared by the modules. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "error.h"
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

char *
ls_read_file(const char *path, size_t *len, struct ls_error *err)
{
	int std = strcmp(path, "-") == 0;
	FILE *fp = std ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;
	int e;

	if (fp == NULL) {
		e = errno;
		ls_error_set(err, LS_EIO, path, 0, 0, "cannot open: %s", strerror(e));
		errno = e;
		return NULL;
	}
	do {
		/* room for a block and the NUL after the last byte */
		if (n + 65536 + 1 > cap) {
			size_t c = cap ? cap * 2 : 65536 + 1;
			char *b = c > cap ? realloc(buf, c) : NULL;

			if (b == NULL) {
				free(buf);
				if (!std)
					fclose(fp);
				ls_error_set(err, LS_ENOMEM, path, 0, 0, "out of memory");
				errno = ENOMEM;
				return NULL;
			}
			buf = b;
			cap = c;
		}
		errno = 0;
		got = fread(buf + n, 1, cap - n - 1, fp);
		n += got;
	} while (got > 0);
	if (ferror(fp)) {
		/* fread() failed last: its errno is still there */
		e = errno ? errno : EIO;
		free(buf);
		if (!std)
			fclose(fp);
		ls_error_set(err, LS_EIO, path, 0, 0, "cannot read: %s", strerror(e));
		errno = e;
		return NULL;
	}
	if (!std)
		fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

#define TABLE_BIG	((size_t)2 << 20)	/* a huge page */

void *
ls_table_alloc(size_t n)
{
	void *p;

	if (n < TABLE_BIG)
		return calloc(1, n);
	n = (n + TABLE_BIG - 1) & ~(TABLE_BIG - 1);
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, n, MADV_HUGEPAGE);
#endif
	return p;
}

void
ls_table_free(void *p, size_t n)
{
	if (n < TABLE_BIG)
		free(p);
	else if (p != NULL)
		munmap(p, (n + TABLE_BIG - 1) & ~(TABLE_BIG - 1));
}
