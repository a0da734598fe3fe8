/*
 * lock.h - advisory locks beside a file, and atomic replacement of a file.
 *
 * A lock on TARGET is an flock(2) on the file "TARGET.lock", created when
 * missing and never removed: removing a lock file while another process
 * waits on it would let two processes each hold "the" lock.  The kernel
 * drops an flock when its holder dies, so a crash (kill -9) never leaves a
 * stale lock behind.
 *
 * Atomic replacement writes a temporary file in the target's folder, and on
 * commit fsyncs it, renames it over the target and fsyncs the folder, so a
 * reader, or the target after a crash at any moment, holds either the old
 * content or the new one, never a mix.  A crash (kill -9) may leave a
 * temporary "TARGET.tmpXXXXXX" behind; it is never read.  The temporary is
 * created with mode 0666 less the umask (or the target's mode), without
 * touching the process's umask.
 *
 * Threads: a lock, and an atomic replacement, belong to the thread that
 * made them.  Every temporary not yet committed or freed is on one
 * process-wide clean-up list (for ls_atomic_remove_all() in a signal
 * handler) that has no lock: ls_atomic_open(), _commit(), _free() and
 * _write() must be called from one thread at a time -- the commands call
 * them on the main thread only.  The list holds any number of temporaries;
 * its slots are allocated by ls_atomic_open() (LS_ENOMEM when that fails,
 * and then no temporary is made) and never by the handler.
 */
#ifndef LS_LOCK_H
#define LS_LOCK_H

#include <stdio.h>
#include <sys/stat.h>

#include "error.h"

enum {
	LS_LOCK_SH = 0,		/* shared: readers */
	LS_LOCK_EX = 1,		/* exclusive: the one writer */
	LS_LOCK_NB = 2,		/* or'ed in: fail with LS_EIO (err->msg "locked") instead of waiting */
	LS_LOCK_NOCREATE = 4	/* or'ed in to LS_LOCK_SH: never create the lock file; no lock when it is missing */
};

struct ls_lock;

/*
 * Lock target (the lock file is target + ".lock") with mode LS_LOCK_SH or
 * LS_LOCK_EX, optionally | LS_LOCK_NB; waits for the lock otherwise.  A
 * shared lock whose lock file cannot be created (read-only folder), or
 * with LS_LOCK_NOCREATE (a reader that must write nothing, such as
 * lead-assign --dry-run), is taken on an existing lock file opened
 * read-only, or skipped when there is none: a file replaced atomically is
 * safe to read without it.  Returns the
 * held lock, or NULL with err filled (LS_EIO).  Release with
 * ls_lock_release().
 */
struct ls_lock *ls_lock_acquire(const char *target, int mode, struct ls_error *err);

/* Unlock and free; NULL is a no-op. */
void ls_lock_release(struct ls_lock *l);

struct ls_atomic;

/*
 * Start replacing path: a temporary file is created beside it (mode: the
 * existing file's, else 0666 minus the umask).  Write to the stream from
 * ls_atomic_file().  Returns NULL with err filled on failure.
 */
struct ls_atomic *ls_atomic_open(const char *path, struct ls_error *err);

/*
 * ls_atomic_open() for a caller that must never write through a symbolic
 * link (doc-render's documents and outbox).  flags is 0 (the same as
 * ls_atomic_open()) or LS_ATOMIC_NOFOLLOW: path's folder is opened once,
 * O_DIRECTORY | O_NOFOLLOW (its own last part may not be a link; the
 * folders above it may), the temporary is created in it with O_EXCL and
 * renamed into place with renameat() relative to it, and a link, or
 * anything but a regular file, at path is refused (LS_EIO, "a symbolic
 * link: refused"; errno ELOOP) both here and again just before the rename.
 * lock.c says what the race between that check and the rename still
 * allows: at most a link put there in that instant is replaced, never
 * written through.  A signal's ls_atomic_remove_all() unlinks the
 * temporary by its path name.
 */
enum { LS_ATOMIC_NOFOLLOW = 1 };
struct ls_atomic *ls_atomic_open_flags(const char *path, int flags, struct ls_error *err);

/* The stream to write the new content to; owned by a. */
FILE *ls_atomic_file(struct ls_atomic *a);

/*
 * Flush, fsync and close the temporary, rename it over the target and
 * fsync the folder.  Returns 0, or LS_EIO with err filled (a write error
 * such as a full disk included), the target then left as it was.  Free a
 * afterwards either way.
 */
int ls_atomic_commit(struct ls_atomic *a, struct ls_error *err);

/*
 * Replace path with buf[0..n) in one go, for a caller that writes many
 * files and makes them durable together afterwards (doc-render's documents:
 * durable.h): ls_atomic_open_flags()'s temporary (flags as there, its
 * refusals with the same errno), one write(2) of the whole buffer (more only
 * when the kernel takes less; no stdio buffer, no read-back), on Linux the
 * writeback started at once (sync_file_range(2) SYNC_FILE_RANGE_WRITE, a
 * hint whose failure is ignored), then renamed into place as
 * ls_atomic_commit_nosync() does.  Not synced.  *st gets the temporary's
 * fstat(2): the device and inode path names once this returns.  Returns 0,
 * or LS_EIO / LS_ENOMEM with err filled and errno set, the target then left
 * as it was and no temporary left.
 */
int ls_atomic_put(const char *path, int flags, const void *buf, size_t n, struct stat *st,
    struct ls_error *err);

/* Free; an uncommitted temporary is removed and the target left as it was.  NULL is a no-op. */
void ls_atomic_free(struct ls_atomic *a);

/*
 * Unlink every temporary not yet committed or freed.  Async-signal-safe:
 * for a SIGINT/SIGTERM/SIGHUP handler, so that an interrupted run leaves
 * no temporary behind (the handler then dies by the signal).  It allocates
 * nothing, and the list it walks is whole at every instant (lock.c says
 * how) for a handler that interrupts the thread using ls_atomic_*; other
 * threads should block those signals.
 */
void ls_atomic_remove_all(void);

/* Replace path with buf[0..n) atomically: open, write, commit, free. */
int ls_atomic_write(const char *path, const void *buf, size_t n, struct ls_error *err);

#endif
