/*
 * intmap.h - a map of 64-bit integer keys to fixed-size values, for the
 * big tables whose keys fit a word: lead-qualify's phone numbers (E.164
 * digits as a number) and its call index (short lead ids packed into a
 * word).  Where keyset.h keeps each key and value in an arena behind an
 * 8-byte slot, this keeps them in the slot itself: one slot is the key and
 * its value, nothing else, so a lookup reads one place in memory and a
 * million phones with 4-byte values take 16 MB in all.
 *
 * Open addressing with linear probing, at most 3/4 full; the table may be
 * any size (the hash is mapped onto it by a multiply, not a mask), so a
 * table reserved for n keys takes n * 4/3 slots, not the next power of two.
 * It doubles when full.  Nothing is ever removed.  Key 0 marks an empty
 * slot: callers encode their keys so that 0 never occurs (ls_intmap_upsert()
 * refuses it).
 *
 * Threads: no lock.  Any number of threads may read a map (get, prefetch)
 * while none writes it; a map being written (upsert, reserve) is its
 * writer's alone.  Values are views into the table: valid until the next
 * upsert or reserve (growing moves them), or ls_intmap_free().  They are
 * not aligned: copy structs in and out with memcpy.
 */
#ifndef LS_INTMAP_H
#define LS_INTMAP_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct ls_intmap;

/*
 * A new empty map whose values are vsize bytes (1 to 64), or NULL with err
 * (which may be NULL) filled: LS_ENOMEM, or LS_EUSAGE for a bad vsize.
 * Free it with ls_intmap_free().
 */
struct ls_intmap *ls_intmap_create(size_t vsize, struct ls_error *err);

/*
 * Find key, or insert it with a zeroed value; return its value (vsize
 * bytes the caller may overwrite).  *created tells a new key.  NULL with
 * *status LS_ENOMEM (the map is unchanged) or LS_EUSAGE (key 0).
 */
void *ls_intmap_upsert(struct ls_intmap *m, uint64_t key, int *created, int *status);

/* The value of key, or NULL when absent (and for key 0). */
const void *ls_intmap_get(const struct ls_intmap *m, uint64_t key);

/*
 * Start loading key's slot into the cache, for a caller about to look up
 * several keys in a big map.  Changes nothing.
 */
void ls_intmap_prefetch(const struct ls_intmap *m, uint64_t key);

/*
 * Make room for nkeys keys in all (capped at 2^28) at once, instead of the
 * table doubling as they come (each step allocates a new table and moves
 * every key).  Returns 0 or LS_ENOMEM (the map is unchanged).
 */
int ls_intmap_reserve(struct ls_intmap *m, size_t nkeys);

/*
 * Move the keys to a table just big enough for them (3/4 full), where a
 * reserve asked for more than came.  Returns 0 or LS_ENOMEM (the map is
 * unchanged).  Needs the old and the new table at once, for a moment.
 */
int ls_intmap_fit(struct ls_intmap *m);

/* Number of keys held. */
size_t ls_intmap_count(const struct ls_intmap *m);

/* Bytes allocated for the table, for -v statistics and tests. */
size_t ls_intmap_memory(const struct ls_intmap *m);

/* Free the map; NULL is a no-op. */
void ls_intmap_free(struct ls_intmap *m);

#endif
