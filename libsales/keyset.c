/* keyset.c - an arena-backed open-addressing set of keys with values. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "keyset.h"

#define TABLE_MIN	1024		/* slots */
#define CHUNK_MIN	(64 * 1024)	/* bytes; small runs touch little memory */
#define CHUNK_MAX	(4 * 1024 * 1024)
#define HDR		4		/* the key's length, a uint32, before it */

/*
 * The hash sits in the slot so that a probe rejects most strangers
 * without touching the arena, where each entry is a cache miss.
 */
struct slot {
	uint64_t hash;
	const unsigned char *ent;	/* NULL: empty */
};

struct chunk {
	struct chunk *next;
	size_t used, cap;
	unsigned char data[];
};

struct ls_keyset {
	struct slot *tab;
	size_t mask;		/* table size - 1 */
	size_t count;
	struct chunk *chunks;	/* newest first */
	size_t chunk_next;	/* size of the next chunk */
	size_t arena_bytes;
};

#define K1	0x9e3779b97f4a7c15ULL
#define K2	0xff51afd7ed558ccdULL
#define K3	0xc4ceb9fe1a85ec53ULL

/*
 * Eight bytes a step, then a strong finish, so that keys differing in one
 * digit (phone numbers) spread over the whole table.  The length enters
 * first: a zero-padded tail alone would make "a" and "a\0" collide.
 */
static uint64_t
hash(const unsigned char *p, size_t n)
{
	uint64_t h = K1 ^ ((uint64_t)n * K2), w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h ^= w;
		h *= K1;
		h ^= h >> 29;
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, p, n);
		h ^= w;
		h *= K1;
		h ^= h >> 29;
	}
	h ^= h >> 33;
	h *= K2;
	h ^= h >> 33;
	h *= K3;
	h ^= h >> 33;
	return h;
}

/* Entries are packed without alignment, hence memcpy. */
static uint32_t
ent_klen(const unsigned char *ent)
{
	uint32_t v;

	memcpy(&v, ent, sizeof(v));
	return v;
}

/* The slot holding key, or the empty slot where it would go. */
static struct slot *
find(const struct ls_keyset *s, const unsigned char *key, size_t klen, uint64_t h)
{
	size_t i = (size_t)h & s->mask, step = 1;
	struct slot *sl;

	/* Triangular steps visit every slot of a power-of-two table. */
	for (;; i = (i + step++) & s->mask) {
		sl = &s->tab[i];
		if (sl->ent == NULL)
			return sl;
		if (sl->hash == h && ent_klen(sl->ent) == klen &&
		    (klen == 0 || memcmp(sl->ent + HDR, key, klen) == 0))
			return sl;
	}
}

static int
grow(struct ls_keyset *s)
{
	struct slot *old = s->tab, *nt;
	size_t oldn = s->mask + 1, n = oldn * 2, i, j, step;

	if (n > SIZE_MAX / sizeof(*nt))
		return LS_ENOMEM;
	if ((nt = calloc(n, sizeof(*nt))) == NULL)
		return LS_ENOMEM;
	for (i = 0; i < oldn; i++) {
		if (old[i].ent == NULL)
			continue;
		j = (size_t)old[i].hash & (n - 1);
		for (step = 1; nt[j].ent != NULL; j = (j + step++) & (n - 1))
			;
		nt[j] = old[i];
	}
	free(old);
	s->tab = nt;
	s->mask = n - 1;
	return 0;
}

static unsigned char *
arena_alloc(struct ls_keyset *s, size_t n)
{
	struct chunk *c = s->chunks;
	size_t cap;

	if (c == NULL || c->cap - c->used < n) {
		cap = s->chunk_next;
		if (cap < n)
			cap = n;
		if (cap > SIZE_MAX - sizeof(*c))
			return NULL;
		if ((c = malloc(sizeof(*c) + cap)) == NULL)
			return NULL;
		c->next = s->chunks;
		c->used = 0;
		c->cap = cap;
		s->chunks = c;
		s->arena_bytes += sizeof(*c) + cap;
		if (s->chunk_next < CHUNK_MAX)
			s->chunk_next *= 2;
	}
	c->used += n;
	return c->data + c->used - n;
}

struct ls_keyset *
ls_keyset_new(void)
{
	struct ls_keyset *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->tab = calloc(TABLE_MIN, sizeof(*s->tab))) == NULL) {
		free(s);
		return NULL;
	}
	s->mask = TABLE_MIN - 1;
	s->chunk_next = CHUNK_MIN;
	return s;
}

int
ls_keyset_put(struct ls_keyset *s, const void *key, size_t klen,
    const char *val, size_t vlen, const char **existing)
{
	struct slot *sl;
	unsigned char *ent;
	uint64_t h;
	uint32_t l;

	if (existing != NULL)
		*existing = NULL;
	if (klen > UINT32_MAX || vlen > UINT32_MAX - 1)
		return LS_EUSAGE;
	h = hash(key, klen);
	sl = find(s, key, klen, h);
	if (sl->ent != NULL) {
		if (existing != NULL)
			*existing = (const char *)sl->ent + HDR + klen;
		return 0;
	}
	/* Grow before filling so that a failure leaves the set as it was. */
	if ((s->count + 1) * 4 > (s->mask + 1) * 3) {
		if (grow(s) != 0)
			return LS_ENOMEM;
		sl = find(s, key, klen, h);
	}
	if ((ent = arena_alloc(s, HDR + klen + vlen + 1)) == NULL)
		return LS_ENOMEM;
	l = (uint32_t)klen;
	memcpy(ent, &l, sizeof(l));
	if (klen > 0)
		memcpy(ent + HDR, key, klen);
	if (vlen > 0)
		memcpy(ent + HDR + klen, val, vlen);
	ent[HDR + klen + vlen] = '\0';
	sl->hash = h;
	sl->ent = ent;
	s->count++;
	return 0;
}

const char *
ls_keyset_get(const struct ls_keyset *s, const void *key, size_t klen)
{
	const struct slot *sl;

	if (s == NULL || klen > UINT32_MAX)
		return NULL;
	sl = find(s, key, klen, hash(key, klen));
	return sl->ent != NULL ? (const char *)sl->ent + HDR + klen : NULL;
}

size_t
ls_keyset_count(const struct ls_keyset *s)
{
	return s != NULL ? s->count : 0;
}

size_t
ls_keyset_memory(const struct ls_keyset *s)
{
	if (s == NULL)
		return 0;
	return sizeof(*s) + (s->mask + 1) * sizeof(*s->tab) + s->arena_bytes;
}

void
ls_keyset_free(struct ls_keyset *s)
{
	struct chunk *c, *next;

	if (s == NULL)
		return;
	for (c = s->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(s->tab);
	free(s);
}
