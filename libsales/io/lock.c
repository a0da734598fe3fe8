/* lock.c - flock(2) beside a file, and replace-by-rename with fsync. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE		/* sync_file_range(2) */
#endif
#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"
#include "util.h"

struct ls_lock {
	int fd;			/* -1: a shared lock skipped (no lock file, read-only folder) */
};

/*
 * The temporaries that exist now, for ls_atomic_remove_all() in a signal
 * handler.  A list of slots that only grows: a slot is allocated here, in
 * ls_atomic_open(), never in the handler, and is never freed, only
 * emptied and used again, so that the list the handler walks never points
 * into freed memory.  (A fixed table of 32 used to drop the 33rd
 * temporary without a word: an interrupted run then left it behind.)
 *
 * The handler may stop the main thread between any two instructions, so
 * every change is one store of a pointer that leaves the list whole:
 *   - a new slot is filled in completely (its name, its next: the old
 *     head) and only then made the head;
 *   - a slot is emptied by storing NULL in its name before the name is
 *     freed, and filled again by storing the new name after it is written.
 * The compiler must not move the stores around, hence volatile and the
 * signal fences (no other thread writes the list: see lock.h).  This
 * holds for a handler that interrupts the thread changing the list.  One
 * that runs on another thread at the instant a name is emptied and freed
 * could still read the name's memory as it is freed: threads other than
 * the main one should block SIGINT, SIGTERM and SIGHUP, so that the
 * handler runs on the thread that changes the list (the reading thread of
 * readahead.c does not block them yet).
 */
struct live {
	struct live *volatile next;
	char *volatile tmp;		/* NULL: an empty slot */
};
static struct live *volatile live_head;

/* 0, or -1 when a new slot cannot be allocated (then the temporary must not be made). */
static int
live_add(char *p)
{
	struct live *l;

	atomic_signal_fence(memory_order_release);	/* p's text is written before it is seen */
	for (l = live_head; l != NULL; l = l->next)
		if (l->tmp == NULL) {
			l->tmp = p;
			return 0;
		}
	if ((l = malloc(sizeof(*l))) == NULL)
		return -1;
	l->tmp = p;
	l->next = live_head;
	atomic_signal_fence(memory_order_release);	/* the slot is whole before it is linked */
	live_head = l;
	return 0;
}

static void
live_remove(const char *p)
{
	for (struct live *l = live_head; l != NULL; l = l->next)
		if (l->tmp == p)
			l->tmp = NULL;
	atomic_signal_fence(memory_order_release);	/* emptied before the caller frees p */
}

void
ls_atomic_remove_all(void)
{
	for (struct live *l = live_head; l != NULL; l = l->next) {
		char *p = l->tmp;
		if (p != NULL)
			unlink(p);
	}
}

struct ls_atomic {
	FILE *fp;
	char *path, *tmp;
	int dfd;		/* LS_ATOMIC_NOFOLLOW: the folder, held open; else -1 */
	size_t base;		/* LS_ATOMIC_NOFOLLOW: where the name in that folder starts in path and tmp */
};

struct ls_lock *
ls_lock_acquire(const char *target, int mode, struct ls_error *err)
{
	struct ls_lock *l;
	char *path;
	int fd, op;

	if ((path = ls_concat(target, ".lock")) == NULL || (l = malloc(sizeof(*l))) == NULL) {
		free(path);
		ls_error_set(err, LS_ENOMEM, target, 0, 0, "out of memory");
		return NULL;
	}
	if ((mode & (LS_LOCK_EX | LS_LOCK_NOCREATE)) == LS_LOCK_NOCREATE) {
		fd = -1;
		errno = EACCES;
	} else
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	/* a shared lock where the lock file may not be made or written (a folder read only); no other failure */
	if (fd < 0 && !(mode & LS_LOCK_EX) && (errno == EACCES || errno == EROFS || errno == EPERM)) {
		int e = errno;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && (e == EACCES || e == EROFS || e == EPERM)) {
			free(path);
			l->fd = -1;
			return l;
		}
	}
	if (fd < 0) {
		ls_error_set(err, LS_EIO, path, 0, 0, "cannot open lock file: %s", strerror(errno));
		free(path);
		free(l);
		return NULL;
	}
	op = (mode & LS_LOCK_EX) ? LOCK_EX : LOCK_SH;
	if (mode & LS_LOCK_NB)
		op |= LOCK_NB;
	while (flock(fd, op) != 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK)
			ls_error_set(err, LS_EIO, path, 0, 0, "locked by another process");
		else
			ls_error_set(err, LS_EIO, path, 0, 0, "cannot lock: %s", strerror(errno));
		close(fd);
		free(path);
		free(l);
		return NULL;
	}
	free(path);
	l->fd = fd;
	return l;
}

void
ls_lock_release(struct ls_lock *l)
{
	if (l == NULL)
		return;
	if (l->fd >= 0)
		close(l->fd);	/* closing the only descriptor drops the flock */
	free(l);
}

/*
 * LS_ATOMIC_NOFOLLOW: open path's folder once, itself not through a link,
 * and check the name in it with fstatat(AT_SYMLINK_NOFOLLOW): a link, or
 * anything but a regular file, is refused.  *mode is the file's mode when
 * there is one, else -1.  0, or an error with errno set.
 */
static int
open_nofollow(struct ls_atomic *a, int *mode, struct ls_error *err)
{
	const char *slash = strrchr(a->path, '/'), *name;
	struct stat st;

	*mode = -1;
	if (slash == NULL) {
		a->dfd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		name = a->path;
	} else {
		char *dir = slash == a->path ? strdup("/") : strndup(a->path, (size_t)(slash - a->path));

		if (dir == NULL)
			return ls_error_set(err, LS_ENOMEM, a->path, 0, 0, "out of memory");
		/* O_NOFOLLOW: the folder's own last part must not be a link (the ones above it may) */
		a->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		free(dir);
		name = slash + 1;
	}
	if (a->dfd < 0)
		return ls_error_set(err, LS_EIO, a->path, 0, 0, "cannot open its folder%s: %s",
		    errno == ELOOP || errno == ENOTDIR ? " (a symbolic link?)" : "", strerror(errno));
	a->base = (size_t)(name - a->path);
	if (name[0] == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		errno = EISDIR;
		return ls_error_set(err, LS_EIO, a->path, 0, 0, "names a folder, not a file");
	}
	if (fstatat(a->dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			errno = ELOOP;
			return ls_error_set(err, LS_EIO, a->path, 0, 0, "a symbolic link: refused");
		}
		if (!S_ISREG(st.st_mode)) {
			errno = EINVAL;
			return ls_error_set(err, LS_EIO, a->path, 0, 0, "not a regular file: refused");
		}
		*mode = (int)(st.st_mode & 07777);
	} else if (errno != ENOENT)
		return ls_error_set(err, LS_EIO, a->path, 0, 0, "%s", strerror(errno));
	return 0;
}

struct ls_atomic *
ls_atomic_open(const char *path, struct ls_error *err)
{
	return ls_atomic_open_flags(path, 0, err);
}

/*
 * The temporary made and open for writing, its mode set: ls_atomic_open_flags()
 * and ls_atomic_put() in common.  *fdp gets its descriptor.
 */
static struct ls_atomic *
begin(const char *path, int flags, int *fdp, struct ls_error *err)
{
	struct ls_atomic *a;
	struct stat st;
	int fd, mode = -1;

	/*
	 * Through a symbolic link, replace the file it names: renaming over the
	 * link would swap the link for a file, and writing through it in place
	 * would truncate the target (maybe our own input) before it is read.
	 * (Not with LS_ATOMIC_NOFOLLOW, whose callers want no link at all.)
	 */
	char *real = NULL;
	if (!(flags & LS_ATOMIC_NOFOLLOW) && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		real = realpath(path, NULL);
	if (real)
		path = real;
	a = calloc(1, sizeof(*a));
	if (a != NULL)
		a->dfd = -1;
	if (a == NULL || (a->path = ls_concat(path, "")) == NULL ||
	    (a->tmp = ls_concat(path, ".tmpXXXXXX")) == NULL) {
		ls_atomic_free(a);
		ls_error_set(err, LS_ENOMEM, path, 0, 0, "out of memory");
		free(real);
		return NULL;
	}
	free(real);
	path = a->path;
	if (flags & LS_ATOMIC_NOFOLLOW) {
		if (open_nofollow(a, &mode, err) != 0) {
			int e = errno;

			free(a->tmp);	/* not made yet: nothing to unlink */
			a->tmp = NULL;
			ls_atomic_free(a);
			errno = e;
			return NULL;
		}
	} else if (stat(path, &st) == 0)
		mode = (int)(st.st_mode & 07777);
	/*
	 * O_EXCL with mode 0666 lets the kernel apply the umask: no umask()
	 * round trip, which would change process-wide state under other threads.
	 */
	for (unsigned k = 0;; k++) {
		snprintf(a->tmp + strlen(path), sizeof(".tmpXXXXXX"), ".tmp%06x",
		    (unsigned)((unsigned)getpid() * 2654435761u + k) & 0xffffffu);
		/*
		 * Listed before it exists: a signal handled between the open()
		 * and the listing would leave the file behind (a run killed
		 * while it creates a file: a doc-render of small documents
		 * spends a quarter of its time in open()).
		 */
		if (live_add(a->tmp) != 0) {
			/* unlisted, an interrupted run would leave it behind: none at all, and say so */
			ls_error_set(err, LS_ENOMEM, path, 0, 0, "out of memory");
			free(a->tmp);
			a->tmp = NULL;
			ls_atomic_free(a);
			return NULL;
		}
		/* O_EXCL: never through a link someone left at the temporary's name either */
		if (a->dfd >= 0)
			fd = openat(a->dfd, a->tmp + a->base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			    O_CLOEXEC, 0666);
		else
			fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0)
			break;
		live_remove(a->tmp);
		if (errno != EEXIST || k > 1000) {
			ls_error_set(err, LS_EIO, path, 0, 0, "cannot create temporary file: %s", strerror(errno));
			free(a->tmp);
			a->tmp = NULL;
			ls_atomic_free(a);
			return NULL;
		}
	}
	if (mode >= 0 && fchmod(fd, (mode_t)mode) != 0) {
		ls_error_set(err, LS_EIO, path, 0, 0, "cannot write temporary file: %s", strerror(errno));
		close(fd);
		ls_atomic_free(a);
		return NULL;
	}
	*fdp = fd;
	return a;
}

struct ls_atomic *
ls_atomic_open_flags(const char *path, int flags, struct ls_error *err)
{
	struct ls_atomic *a;
	int fd;

	if ((a = begin(path, flags, &fd, err)) == NULL)
		return NULL;
	if ((a->fp = fdopen(fd, "w")) == NULL) {
		ls_error_set(err, LS_EIO, a->path, 0, 0, "cannot write temporary file: %s", strerror(errno));
		close(fd);
		ls_atomic_free(a);
		return NULL;
	}
	return a;
}

FILE *
ls_atomic_file(struct ls_atomic *a)
{
	return a->fp;
}

/* The folder of path, opened for fsync; -1 when it cannot be (then skipped). */
static int
open_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (slash == NULL)
		return open(".", O_RDONLY | O_CLOEXEC);
	if ((dir = malloc((size_t)(slash - path) + 2)) == NULL)
		return -1;
	if (slash == path)
		strcpy(dir, "/");
	else {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	fd = open(dir, O_RDONLY | O_CLOEXEC);
	free(dir);
	return fd;
}

/* The temporary, written and closed, renamed over the target; 0 or LS_EIO with errno set. */
static int
place(struct ls_atomic *a, struct ls_error *err)
{
	if (a->dfd >= 0) {
		struct stat st;

		/*
		 * Checked again just before the rename, relative to the folder
		 * held open since ls_atomic_open_flags().  What remains: a link
		 * (or any file) put at the name between this check and the
		 * renameat() is replaced by the new file -- the link itself,
		 * not what it points to, as rename(2) never follows the last
		 * part of either name.  So nothing outside the folder is ever
		 * written; the one thing lost is the refusal, for a race of a
		 * few instructions.  A folder at the name fails the rename.
		 */
		if (fstatat(a->dfd, a->path + a->base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISREG(st.st_mode)) {
			errno = S_ISLNK(st.st_mode) ? ELOOP : EINVAL;
			return ls_error_set(err, LS_EIO, a->path, 0, 0, "%s: refused",
			    S_ISLNK(st.st_mode) ? "a symbolic link" : "not a regular file");
		}
		if (renameat(a->dfd, a->tmp + a->base, a->dfd, a->path + a->base) != 0)
			return ls_error_set(err, LS_EIO, a->path, 0, 0, "cannot rename into place: %s",
			    strerror(errno));
	} else if (rename(a->tmp, a->path) != 0)
		return ls_error_set(err, LS_EIO, a->path, 0, 0, "cannot rename into place: %s",
		    strerror(errno));
	live_remove(a->tmp);
	free(a->tmp);
	a->tmp = NULL;
	return 0;
}

int
ls_atomic_commit(struct ls_atomic *a, struct ls_error *err)
{
	FILE *fp = a->fp;
	int dfd, bad;

	a->fp = NULL;
	bad = fflush(fp) != 0 || ferror(fp) || fsync(fileno(fp)) != 0;
	if (fclose(fp) != 0)
		bad = 1;
	if (bad)
		return ls_error_set(err, LS_EIO, a->path, 0, 0, "write error: %s", strerror(errno));
	if (place(a, err) != 0)
		return LS_EIO;
	/* the rename itself is durable only once the folder is synced */
	if (a->dfd >= 0)
		fsync(a->dfd);
	else if ((dfd = open_dir(a->path)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

void
ls_atomic_free(struct ls_atomic *a)
{
	if (a == NULL)
		return;
	if (a->fp)
		fclose(a->fp);
	if (a->tmp) {
		live_remove(a->tmp);
		if (a->dfd >= 0)
			unlinkat(a->dfd, a->tmp + a->base, 0);
		else
			unlink(a->tmp);
	}
	if (a->dfd >= 0)
		close(a->dfd);
	free(a->tmp);
	free(a->path);
	free(a);
}

int
ls_atomic_put(const char *path, int flags, const void *buf, size_t n, struct stat *st,
    struct ls_error *err)
{
	const char *p = buf;
	struct ls_atomic *a;
	size_t left = n;
	int fd, e, rc = 0;

	if ((a = begin(path, flags, &fd, err)) == NULL)
		return err ? err->status : LS_EIO;
	/* one write(2) of the whole document; more only when the kernel takes less */
	while (left > 0) {
		ssize_t k = write(fd, p, left);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EIO;
			rc = ls_error_set(err, LS_EIO, a->path, 0, 0, "write error: %s", strerror(errno));
			break;
		}
		p += k;
		left -= (size_t)k;
	}
#ifdef __linux__
	/*
	 * Start the writeback now, while the next document is rendered, so
	 * that the caller's sync at the end of the run finds the data already
	 * on its way (a hint: a file system that refuses it is synced all the
	 * same, only later).
	 */
	if (rc == 0 && n > 0)
		(void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
	if (rc == 0 && fstat(fd, st) != 0)
		rc = ls_error_set(err, LS_EIO, a->path, 0, 0, "write error: %s", strerror(errno));
	e = errno;
	if (close(fd) != 0 && rc == 0) {
		e = errno;
		rc = ls_error_set(err, LS_EIO, a->path, 0, 0, "write error: %s", strerror(errno));
	}
	if (rc == 0 && place(a, err) != 0) {
		rc = LS_EIO;
		e = errno;
	}
	ls_atomic_free(a);
	errno = e;
	return rc;
}

int
ls_atomic_write(const char *path, const void *buf, size_t n, struct ls_error *err)
{
	struct ls_atomic *a = ls_atomic_open(path, err);
	int rc;

	if (a == NULL)
		return err ? err->status : LS_EIO;
	if (n > 0 && fwrite(buf, 1, n, a->fp) != n) {
		rc = ls_error_set(err, LS_EIO, path, 0, 0, "write error: %s", strerror(errno));
		ls_atomic_free(a);
		return rc;
	}
	rc = ls_atomic_commit(a, err);
	ls_atomic_free(a);
	return rc;
}
