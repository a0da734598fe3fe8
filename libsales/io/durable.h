/*
 * durable.h - make a list of files, and their folders, durable: the files
 * a run wrote and renamed into place (lock.h's ls_atomic_put()), and
 * nothing else on the machine.
 *
 * Each file is opened by its path and fdatasync(2)ed (its bytes and what
 * reading them back needs, its size; not its times), from a few threads at
 * once: a file system flushes the disk's cache once for all the syncs that
 * wait at the same moment, where one sync after another costs a flush each
 * (4 ms a file on the machine doc-render was measured on: a minute for
 * 10 000 documents and their rendered copies, against a second or two from
 * eight threads).  Then each distinct folder of the list is fsync(2)ed
 * once, so that the names the renames gave are durable too.
 *
 * Unlike syncfs(2) (what doc-render did before), the cost is that of the
 * files listed: what other processes left dirty on the same file system
 * is not written out and not waited for.
 *
 * Fallbacks: where threads cannot be made the calling thread syncs the list
 * alone; a file system without fdatasync is asked for fsync; a folder that
 * cannot be read (no read permission) or whose file system refuses to sync
 * a folder (EINVAL, ENOTSUP) is left as it is, as fsync(2) of a folder is
 * then nothing that can be done.  The threads block SIGINT, SIGTERM and
 * SIGHUP (lock.h: the handler runs on the main thread) and allocate nothing.
 */
#ifndef LS_DURABLE_H
#define LS_DURABLE_H

#include <stddef.h>

#include "error.h"

/*
 * Sync paths[0..n) (regular files) and their folders as above.  0, or
 * LS_EIO with err naming the first file or folder whose sync failed (the
 * others are synced all the same), or LS_ENOMEM.  paths is only read.
 */
int ls_durable_sync(char *const *paths, size_t n, struct ls_error *err);

#endif
