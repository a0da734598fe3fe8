/*
 * keyset.h - a set of byte-string keys, each with a string value, for
 * de-duplication: the first lead to hold a phone or an e-mail keeps it, and
 * later ones learn its id ("duplicate_of=ID").
 *
 * Keys and values are copied into 2 MB arena chunks (no allocation per
 * key; at most 4 GB in all) and indexed by an open-addressing table of
 * 8-byte slots, a power of two in size and at most 3/4 full: a million
 * phone numbers with lead ids take 16 MB of table and 20 MB of arena.
 * Nothing is ever removed.
 *
 * Threads: no lock.  Any number of threads may read a set (get, hash,
 * prefetch) while none writes it -- lead-qualify's reading thread looks
 * leads up in the call index, filled before that thread starts; a set being
 * written (put, upsert, reserve) is its writer's alone.  Values returned by
 * get are views into the arena, valid until ls_keyset_free().
 */
#ifndef LS_KEYSET_H
#define LS_KEYSET_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct ls_keyset;

/*
 * A new empty set, or NULL with err (which may be NULL) filled: LS_ENOMEM,
 * "out of memory".  Free it with ls_keyset_free().
 */
struct ls_keyset *ls_keyset_create(struct ls_error *err);
/*
 * The same without the error record: NULL means out of memory.  Kept for
 * the callers not yet moved to ls_keyset_create() (document.c, kpi.c,
 * ticket_ops.c, doc-render.c); to go once they are.
 */
struct ls_keyset *ls_keyset_new(void);

/*
 * Insert key[0..klen) with the value val[0..vlen) unless the key is there.
 * Keys may hold any bytes, NUL included, and may be empty.  On return
 * *existing (when existing is not NULL) is NULL if the key was inserted, or
 * the value stored by the first put of that key, which is then left as it
 * was.  Returns 0, LS_ENOMEM (nothing inserted; also when the arena's
 * 4 GB are full), or LS_EUSAGE when a length exceeds 4 GB.  Stored values are NUL-terminated copies owned by the set
 * and valid until ls_keyset_free(); growth never moves them.
 */
int ls_keyset_put(struct ls_keyset *s, const void *key, size_t klen,
    const char *val, size_t vlen, const char **existing);

/*
 * For values kept up to date in place (a record per key): find key, or
 * insert it with vlen zero bytes, and return its value, which the caller
 * may overwrite (vlen bytes at most) until ls_keyset_free().  The value is
 * not aligned: copy structs in and out with memcpy.  *created tells a new
 * key; NULL is returned with *status LS_ENOMEM or LS_EUSAGE on failure.
 * A value stored here lives beside its key, so a lookup touches one entry.
 */
void *ls_keyset_upsert(struct ls_keyset *s, const void *key, size_t klen, size_t vlen,
    int *created, int *status);

/* The value stored for key[0..klen), or NULL when absent.  Owned by the set. */
const char *ls_keyset_get(const struct ls_keyset *s, const void *key, size_t klen);

/*
 * The hash a set files key[0..klen) under, the same for every set.  Worked
 * out once (on any thread), it saves the _h calls below hashing again;
 * they behave as the calls without _h, given h == ls_keyset_hash(key, klen).
 */
uint32_t ls_keyset_hash(const void *key, size_t klen);
int ls_keyset_put_h(struct ls_keyset *s, const void *key, size_t klen, uint32_t h,
    const char *val, size_t vlen, const char **existing);
const char *ls_keyset_get_h(const struct ls_keyset *s, const void *key, size_t klen, uint32_t h);
void *ls_keyset_upsert_h(struct ls_keyset *s, const void *key, size_t klen, uint32_t h,
    size_t vlen, int *created, int *status);

/*
 * Start loading the table slot of the key hashed h into the cache.  A
 * caller about to look up several keys in big sets prefetches them all
 * first, so that the memory waits overlap instead of adding up.  Changes
 * nothing.
 */
void ls_keyset_prefetch_h(const struct ls_keyset *s, uint32_t h);
/*
 * The second step of a prefetch: once the slot of h is in the cache
 * (ls_keyset_prefetch_h() a while before), start loading the key and
 * value it points to.  span is how many bytes of the entry the caller will
 * read, its key's length plus its value's (0: only the first cache line):
 * an entry that runs into a second cache line gets both loaded.  Changes
 * nothing.
 */
void ls_keyset_prefetch_value_h(const struct ls_keyset *s, uint32_t h, size_t span);

/*
 * Make room for nkeys keys in all (capped at 2^25) without the table
 * growing step by step as they come: each step allocates a new table and
 * moves every key.  A set reserved for 65536 keys or more also keeps its
 * keys on huge pages from the first (where the kernel gives them on
 * request).  Returns 0 or LS_ENOMEM (the set is unchanged).
 */
int ls_keyset_reserve(struct ls_keyset *s, size_t nkeys);

/*
 * Iterate: start with *pos = 0; each call gives one key (key[0..*klen))
 * and its value and returns 1, or returns 0 when every key was given.
 * The order is the table's: the same for the same puts in the same order.
 * No put may come between the first and the last call.
 */
int ls_keyset_next(const struct ls_keyset *s, size_t *pos, const char **key, size_t *klen,
    const char **val);

/* Number of keys held. */
size_t ls_keyset_count(const struct ls_keyset *s);

/* Bytes allocated for the table and the arena, for -v statistics and tests. */
size_t ls_keyset_memory(const struct ls_keyset *s);

/* Free the set and every value it handed out; NULL is a no-op. */
void ls_keyset_free(struct ls_keyset *s);

#endif
