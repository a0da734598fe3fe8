/* keyset.c - an arena-backed open-addressing set of keys with values. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "error.h"
#include "keyset.h"
#include "util.h"

#define TABLE_MIN	1024		/* slots */
#define RESERVE_MAX	((size_t)1 << 25)	/* keys: a wrong guess costs at most a 512 MB table */
#define CHUNK_SHIFT	21
#define CHUNK_SIZE	((size_t)1 << CHUNK_SHIFT)
#define CHUNKS_MAX	2048		/* chunk numbers fit the 11 top bits of a ref */
#define HUGE_KEYS	((size_t)1 << 16)	/* a set reserved for this many keys is big from the start */

/*
 * Eight bytes a slot keep a million keys' table at 16 MB.  The hash sits
 * in the slot so that a probe rejects most strangers without touching the
 * arena, where each entry is a cache miss; it also indexes the table, so
 * growing never reads the keys again.
 */
struct slot {
	uint32_t hash;
	uint32_t ref;		/* chunk << CHUNK_SHIFT | offset; 0: empty */
};

/*
 * Entries are packed in fixed-size chunks, never moved, so the values
 * handed out stay valid: the key's length as a base-128 varint (one byte
 * for keys under 128 bytes), the key, the value, a NUL.  An entry larger
 * than a chunk gets a chunk of its own.  Chunk 0 is never used, so that
 * ref 0 can mean empty.
 */
struct ls_keyset {
	struct slot *tab;
	size_t mask;		/* table size - 1 */
	size_t count;
	unsigned char **chunks;
	size_t nchunks, chunks_cap;
	size_t used;		/* bytes used in the last chunk */
	size_t arena_bytes;
	size_t huge_from;	/* chunks from this one on are asked to be huge pages */
};

#define K1	0x9e3779b97f4a7c15ULL
#define K2	0xff51afd7ed558ccdULL
#define K3	0xc4ceb9fe1a85ec53ULL

/*
 * Eight bytes a step, then a strong finish, so that keys differing in one
 * digit (phone numbers) spread over the whole table.  The length enters
 * first: a zero-padded tail alone would make "a" and "a\0" collide.
 */
static uint32_t
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
	return (uint32_t)h;
}

/*
 * Big tables are read at random, one cache line per lookup: with 4 KB pages
 * nearly every lookup also misses the TLB.  Ask for huge pages where the
 * kernel offers them on request (Linux THP in madvise mode).
 */
#define HUGE	((size_t)2 << 20)

static void *
big_alloc(size_t n, int huge)
{
	void *p;

	if (!huge || n < HUGE)
		return malloc(n);
	n = (n + HUGE - 1) & ~(HUGE - 1);
	if ((p = aligned_alloc(HUGE, n)) == NULL)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, n, MADV_HUGEPAGE);
#endif
	return p;
}

static const unsigned char *
entry(const struct ls_keyset *s, uint32_t ref)
{
	return s->chunks[ref >> CHUNK_SHIFT] + (ref & (CHUNK_SIZE - 1));
}

/* Decode the key length at e; returns the key's first byte. */
static const unsigned char *
entry_key(const unsigned char *e, size_t *klen)
{
	size_t n = 0;
	int shift = 0;

	do {
		n |= (size_t)(*e & 0x7f) << shift;
		shift += 7;
	} while (*e++ & 0x80);
	*klen = n;
	return e;
}

/* The value of the entry at ref, after its key. */
static const char *
entry_val(const struct ls_keyset *s, uint32_t ref)
{
	const unsigned char *k;
	size_t n;

	k = entry_key(entry(s, ref), &n);
	return (const char *)k + n;
}

/*
 * Stored key a equals b, both n bytes.  Ids and phone numbers are 8 to 16
 * bytes: two overlapping words compare them without a call to memcmp.
 */
static inline int
keq(const unsigned char *a, const unsigned char *b, size_t n)
{
	uint64_t x, y, u, v;

	if (n >= 8 && n <= 16) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		memcpy(&u, a + n - 8, 8);
		memcpy(&v, b + n - 8, 8);
		return ((x ^ y) | (u ^ v)) == 0;
	}
	return n == 0 || memcmp(a, b, n) == 0;
}

/* The slot holding key, or the empty slot where it would go. */
static struct slot *
find(const struct ls_keyset *s, const unsigned char *key, size_t klen, uint32_t h)
{
	const unsigned char *k;
	struct slot *sl;
	size_t i = h & s->mask, step = 1, n;

	/* Triangular steps visit every slot of a power-of-two table. */
	for (;; i = (i + step++) & s->mask) {
		sl = &s->tab[i];
		if (sl->ref == 0)
			return sl;
		if (sl->hash != h)
			continue;
		k = entry_key(entry(s, sl->ref), &n);
		if (n == klen && keq(k, key, klen))
			return sl;
	}
}

/* Move every key to a table of n slots (a power of two, bigger than now). */
static int
grow_to(struct ls_keyset *s, size_t n)
{
	struct slot *old = s->tab, *nt;
	size_t oldn = s->mask + 1, i, j, step;

	/* The stored hash has 32 bits to index with. */
	if (n > (size_t)UINT32_MAX + 1 || n > SIZE_MAX / sizeof(*nt))
		return LS_ENOMEM;
	if ((nt = ls_table_alloc(n * sizeof(*nt))) == NULL)
		return LS_ENOMEM;
	for (i = 0; i < oldn; i++) {
		if (old[i].ref == 0)
			continue;
		j = old[i].hash & (n - 1);
		for (step = 1; nt[j].ref != 0; j = (j + step++) & (n - 1))
			;
		nt[j] = old[i];
	}
	ls_table_free(old, oldn * sizeof(*old));
	s->tab = nt;
	s->mask = n - 1;
	return 0;
}

static int
grow(struct ls_keyset *s)
{
	return grow_to(s, (s->mask + 1) * 2);
}

int
ls_keyset_next(const struct ls_keyset *s, size_t *pos, const char **key, size_t *klen,
    const char **val)
{
	for (; *pos <= s->mask; (*pos)++) {
		const struct slot *sl = &s->tab[*pos];
		if (sl->ref == 0)
			continue;
		*key = (const char *)entry_key(entry(s, sl->ref), klen);
		*val = *key + *klen;
		(*pos)++;
		return 1;
	}
	return 0;
}

int
ls_keyset_reserve(struct ls_keyset *s, size_t nkeys)
{
	size_t n = s->mask + 1;

	if (nkeys > RESERVE_MAX)
		nkeys = RESERVE_MAX;
	if (nkeys >= HUGE_KEYS)
		s->huge_from = 1;
	while (nkeys * 4 > n * 3)
		n *= 2;
	return n > s->mask + 1 ? grow_to(s, n) : 0;
}

/* Room for n bytes; *ref gets its reference.  NULL when memory is short. */
static unsigned char *
arena_alloc(struct ls_keyset *s, size_t n, uint32_t *ref)
{
	unsigned char **nc, *c;
	size_t cap;

	if (s->nchunks > 1 && CHUNK_SIZE - s->used >= n) {
		*ref = (uint32_t)((s->nchunks - 1) << CHUNK_SHIFT | s->used);
		s->used += n;
		return s->chunks[s->nchunks - 1] + s->used - n;
	}
	if (s->nchunks == CHUNKS_MAX)
		return NULL;
	if (s->nchunks == s->chunks_cap) {
		cap = s->chunks_cap * 2;
		if ((nc = realloc(s->chunks, cap * sizeof(*nc))) == NULL)
			return NULL;
		s->chunks = nc;
		s->chunks_cap = cap;
	}
	cap = n > CHUNK_SIZE ? n : CHUNK_SIZE;
	/*
	 * Small sets stay on small pages: a huge page is resident as a whole.
	 * A set reserved big takes huge pages at once, since a first touch of
	 * a small page costs as much as copying it many times over.
	 */
	if ((c = big_alloc(cap, s->nchunks >= s->huge_from)) == NULL)
		return NULL;
	s->arena_bytes += cap;
	s->chunks[s->nchunks++] = c;
	/* A chunk of its own is full at once: the next entry opens another. */
	s->used = n > CHUNK_SIZE ? CHUNK_SIZE : n;
	*ref = (uint32_t)((s->nchunks - 1) << CHUNK_SHIFT);
	return c;
}

struct ls_keyset *
ls_keyset_create(struct ls_error *err)
{
	struct ls_keyset *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		goto oom;
	s->tab = calloc(TABLE_MIN, sizeof(*s->tab));
	s->chunks = calloc(16, sizeof(*s->chunks));
	if (s->tab == NULL || s->chunks == NULL) {
		free(s->tab);
		free(s->chunks);
		free(s);
		goto oom;
	}
	s->mask = TABLE_MIN - 1;
	s->huge_from = 8;
	s->chunks_cap = 16;
	s->nchunks = 1;		/* chunk 0 stays NULL: ref 0 is "empty" */
	return s;
oom:
	ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return NULL;
}

struct ls_keyset *
ls_keyset_new(void)
{
	return ls_keyset_create(NULL);
}

uint32_t
ls_keyset_hash(const void *key, size_t klen)
{
	return hash(key, klen);
}

/*
 * Insert key with hash h unless it is there.  *val_at gets the value of
 * the key's entry, new or old; *isnew tells which.
 */
static int
put(struct ls_keyset *s, const void *key, size_t klen, uint32_t h, const char *val, size_t vlen,
    char **val_at, int *isnew)
{
	unsigned char hdr[8], *e;
	struct slot *sl;
	size_t hl, k;
	uint32_t ref;

	if (klen > UINT32_MAX || vlen > UINT32_MAX || vlen > SIZE_MAX - klen - 8)
		return LS_EUSAGE;
	sl = find(s, key, klen, h);
	if (sl->ref != 0) {
		*val_at = (char *)entry_val(s, sl->ref);
		*isnew = 0;
		return 0;
	}
	/* Grow before filling so that a failure leaves the set as it was. */
	if ((s->count + 1) * 4 > (s->mask + 1) * 3) {
		if (grow(s) != 0)
			return LS_ENOMEM;
		sl = find(s, key, klen, h);
	}
	hl = 0;
	k = klen;
	do {
		hdr[hl++] = (unsigned char)((k & 0x7f) | (k > 0x7f ? 0x80 : 0));
		k >>= 7;
	} while (k > 0);
	if ((e = arena_alloc(s, hl + klen + vlen + 1, &ref)) == NULL)
		return LS_ENOMEM;
	memcpy(e, hdr, hl);
	if (klen > 0)
		memcpy(e + hl, key, klen);
	if (vlen > 0) {
		if (val != NULL)
			memcpy(e + hl + klen, val, vlen);
		else
			memset(e + hl + klen, 0, vlen);
	}
	e[hl + klen + vlen] = '\0';
	sl->hash = h;
	sl->ref = ref;
	s->count++;
	*val_at = (char *)e + hl + klen;
	*isnew = 1;
	return 0;
}

int
ls_keyset_put(struct ls_keyset *s, const void *key, size_t klen,
    const char *val, size_t vlen, const char **existing)
{
	return ls_keyset_put_h(s, key, klen, hash(key, klen), val, vlen, existing);
}

int
ls_keyset_put_h(struct ls_keyset *s, const void *key, size_t klen, uint32_t h,
    const char *val, size_t vlen, const char **existing)
{
	char *at = NULL;
	int isnew = 0, rc = put(s, key, klen, h, val, vlen, &at, &isnew);

	if (existing != NULL)
		*existing = rc == 0 && !isnew ? at : NULL;
	return rc;
}

void
ls_keyset_prefetch_h(const struct ls_keyset *s, uint32_t h)
{
#if defined(__GNUC__)
	__builtin_prefetch(&s->tab[h & s->mask]);
#else
	(void)s;
	(void)h;
#endif
}

void
ls_keyset_prefetch_value_h(const struct ls_keyset *s, uint32_t h, size_t span)
{
#if defined(__GNUC__)
	size_t i = h & s->mask, step = 1;
	const unsigned char *e;

	/* a few probes at most: this is a hint, and the slots came with the first prefetch */
	for (int k = 0; k < 4 && s->tab[i].ref != 0; k++, i = (i + step++) & s->mask)
		if (s->tab[i].hash == h) {
			e = entry(s, s->tab[i].ref);
			__builtin_prefetch(e);
			/* e + span: the value's last byte (one-byte key length); a second line only if reached */
			if (span > 0 && (((uintptr_t)e ^ (uintptr_t)(e + span)) & ~(uintptr_t)63) != 0)
				__builtin_prefetch(e + span);
			return;
		}
#else
	(void)s;
	(void)h;
	(void)span;
#endif
}

void *
ls_keyset_upsert(struct ls_keyset *s, const void *key, size_t klen, size_t vlen, int *created,
    int *status)
{
	return ls_keyset_upsert_h(s, key, klen, hash(key, klen), vlen, created, status);
}

void *
ls_keyset_upsert_h(struct ls_keyset *s, const void *key, size_t klen, uint32_t h, size_t vlen,
    int *created, int *status)
{
	char *at = NULL;

	*status = put(s, key, klen, h, NULL, vlen, &at, created);
	return *status == 0 ? at : NULL;
}

const char *
ls_keyset_get(const struct ls_keyset *s, const void *key, size_t klen)
{
	return ls_keyset_get_h(s, key, klen, hash(key, klen));
}

const char *
ls_keyset_get_h(const struct ls_keyset *s, const void *key, size_t klen, uint32_t h)
{
	const struct slot *sl;

	if (s == NULL || klen > UINT32_MAX)
		return NULL;
	sl = find(s, key, klen, h);
	return sl->ref != 0 ? entry_val(s, sl->ref) : NULL;
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
	return sizeof(*s) + (s->mask + 1) * sizeof(*s->tab) +
	    s->chunks_cap * sizeof(*s->chunks) + s->arena_bytes;
}

void
ls_keyset_free(struct ls_keyset *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 1; i < s->nchunks; i++)
		free(s->chunks[i]);
	free(s->chunks);
	ls_table_free(s->tab, (s->mask + 1) * sizeof(*s->tab));
	free(s);
}
