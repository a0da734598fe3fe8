/* intmap.c - open addressing of 64-bit keys with their values in the slot. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "intmap.h"
#include "util.h"

#define CAP_MIN		16		/* slots */
#define VSIZE_MAX	64
#define RESERVE_MAX	((size_t)1 << 28)

/*
 * A slot is the key (8 bytes) then the value, packed: a 4-byte value makes
 * 12-byte slots, not 16.  The slots are one zeroed block (ls_table_alloc(), util.h).
 */
struct ls_intmap {
	unsigned char *tab;
	size_t cap;			/* slots */
	size_t stride;			/* 8 + vsize */
	size_t vsize;
	size_t count;
};

/*
 * Phone numbers and packed ids differ in their low digits or bytes: a
 * multiply and a fold spread them over the 64 bits, whose top ones then
 * pick the slot (a multiply by the table's size, so any size works).
 */
static inline uint64_t
mix(uint64_t k)
{
	k ^= k >> 31;
	k *= 0x9e3779b97f4a7c15ULL;
	k ^= k >> 29;
	k *= 0xbf58476d1ce4e5b9ULL;
	k ^= k >> 32;
	return k;
}

static inline size_t
home(uint64_t key, size_t cap)
{
	/* the high 32 bits of a 32x32 product: [0, cap) for cap below 2^32 (RESERVE_MAX keeps it so) */
	return (size_t)(((mix(key) >> 32) * (uint64_t)cap) >> 32);
}

static inline uint64_t
slot_key(const unsigned char *s)
{
	uint64_t k;

	memcpy(&k, s, sizeof(k));
	return k;
}

/* The slot holding key, or the empty slot where it would go (the table is never full). */
static unsigned char *
find(const struct ls_intmap *m, uint64_t key)
{
	size_t i = home(key, m->cap);
	unsigned char *s = m->tab + i * m->stride;
	uint64_t k;

	for (;;) {
		k = slot_key(s);
		if (k == key || k == 0)
			return s;
		if (++i == m->cap) {
			i = 0;
			s = m->tab;
		} else {
			s += m->stride;
		}
	}
}

/* Move every key to a table of n slots (more than count * 4/3). */
static int
rehash(struct ls_intmap *m, size_t n)
{
	struct ls_intmap nm = *m;
	const unsigned char *s;
	size_t i;

	if (n > SIZE_MAX / m->stride || (nm.tab = ls_table_alloc(n * m->stride)) == NULL)
		return LS_ENOMEM;
	nm.cap = n;
	for (i = 0, s = m->tab; i < m->cap; i++, s += m->stride)
		if (slot_key(s) != 0)
			memcpy(find(&nm, slot_key(s)), s, m->stride);
	ls_table_free(m->tab, m->cap * m->stride);
	m->tab = nm.tab;
	m->cap = n;
	return 0;
}

/* Slots for n keys at most 3/4 full. */
static size_t
slots_for(size_t n)
{
	size_t c = n + n / 3 + 1;

	return c < CAP_MIN ? CAP_MIN : c;
}

struct ls_intmap *
ls_intmap_create(size_t vsize, struct ls_error *err)
{
	struct ls_intmap *m;

	if (vsize == 0 || vsize > VSIZE_MAX) {
		ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "intmap: value size %zu not in 1..%d",
		    vsize, VSIZE_MAX);
		return NULL;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->tab = ls_table_alloc(CAP_MIN * (8 + vsize))) == NULL) {
		free(m);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	m->cap = CAP_MIN;
	m->vsize = vsize;
	m->stride = 8 + vsize;
	return m;
}

int
ls_intmap_reserve(struct ls_intmap *m, size_t nkeys)
{
	size_t n;

	if (nkeys > RESERVE_MAX)
		nkeys = RESERVE_MAX;
	if (nkeys < m->count)
		nkeys = m->count;
	n = slots_for(nkeys);
	return n > m->cap ? rehash(m, n) : 0;
}

int
ls_intmap_fit(struct ls_intmap *m)
{
	size_t n = slots_for(m->count);

	return n < m->cap ? rehash(m, n) : 0;
}

void *
ls_intmap_upsert(struct ls_intmap *m, uint64_t key, int *created, int *status)
{
	unsigned char *s;

	*created = 0;
	if (key == 0) {
		*status = LS_EUSAGE;
		return NULL;
	}
	*status = 0;
	s = find(m, key);
	if (slot_key(s) == key)
		return s + 8;
	/* grow before filling, so that a failure leaves the map as it was */
	if ((m->count + 1) * 4 > m->cap * 3) {
		if (m->cap > (SIZE_MAX / 2) / m->stride || m->cap * 2 > (size_t)UINT32_MAX ||
		    rehash(m, m->cap * 2) != 0) {
			*status = LS_ENOMEM;
			return NULL;
		}
		s = find(m, key);
	}
	memcpy(s, &key, sizeof(key));
	memset(s + 8, 0, m->vsize);
	m->count++;
	*created = 1;
	return s + 8;
}

const void *
ls_intmap_get(const struct ls_intmap *m, uint64_t key)
{
	const unsigned char *s;

	if (m == NULL || key == 0)
		return NULL;
	s = find(m, key);
	return slot_key(s) == key ? s + 8 : NULL;
}

void
ls_intmap_prefetch(const struct ls_intmap *m, uint64_t key)
{
#if defined(__GNUC__)
	__builtin_prefetch(m->tab + home(key, m->cap) * m->stride);
#else
	(void)m;
	(void)key;
#endif
}

size_t
ls_intmap_count(const struct ls_intmap *m)
{
	return m != NULL ? m->count : 0;
}

size_t
ls_intmap_memory(const struct ls_intmap *m)
{
	return m != NULL ? sizeof(*m) + m->cap * m->stride : 0;
}

void
ls_intmap_free(struct ls_intmap *m)
{
	if (m == NULL)
		return;
	ls_table_free(m->tab, m->cap * m->stride);
	free(m);
}
