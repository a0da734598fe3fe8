/*
 * doc_files.c - the documents on disk (document.h): names that stay inside
 * the output folder, atomic writes, and their sync at the end of a run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc_int.h"
#include "durable.h"
#include "lock.h"

char *
ls_doc_join(const char *dir, const char *name)
{
	size_t dn = strlen(dir);
	char *p;

	while (dn > 1 && dir[dn - 1] == '/')
		dn--;
	if (dn == 1 && dir[0] == '.')
		return strdup(name);
	/* the root: "/D-1.html", not "//D-1.html" (a leading // is the system's to interpret: POSIX) */
	if (dn == 1 && dir[0] == '/')
		dn = 0;
	if ((p = malloc(dn + strlen(name) + 2)) == NULL)
		return NULL;
	memcpy(p, dir, dn);
	p[dn] = '/';
	strcpy(p + dn + 1, name);
	return p;
}

/*
 * path's content replaced by buf[0..n) through lock.h's ls_atomic_put(): a
 * temporary written with one write(2), its writeback started, renamed into
 * place, so a reader sees the old file or the new one and a signal leaves
 * no temporary behind.  Not synced here: a run writes thousands of
 * documents, and ls_doc_sync() makes exactly those durable at the end
 * (durable.h).  Errors keep the "PATH: REASON" form doc-render has always
 * printed.
 *
 * lock.h's plain ls_atomic_open() replaces the file a symbolic link names;
 * here a link, a FIFO or a folder at path is refused instead: a link
 * planted in .rendered/ or in the outbox would otherwise have rendering or
 * release overwrite the file it points to (another document in the outbox,
 * say).  LS_ATOMIC_NOFOLLOW makes that lock.c's own check, on the folder
 * it holds open, and its rename relative to that folder, so a link swapped
 * in between a check here and lock.c's is never written through (lock.h);
 * its refusal ("a symbolic link: refused", "not a regular file: refused")
 * is the message doc-render has always printed.  Afterwards path must be
 * the very file written (same inode): a folder on the way swapped for a
 * link while it was written is an error naming it.
 */
static int
write_replace(const char *path, const void *buf, size_t n, struct ls_error *err)
{
	struct stat st, tmp;
	struct ls_error aerr = { 0 };
	int e;

	if (ls_atomic_put(path, LS_ATOMIC_NOFOLLOW, buf, n, &tmp, &aerr) != 0) {
		e = errno;
		if (e == ELOOP || e == EINVAL)	/* lock.c's refusal: a link or a non-file got there */
			return ls_error_set(err, LS_EDATA, path, 0, 0, "%s", aerr.msg);
		return ls_error_set(err, e == ENOMEM ? LS_ENOMEM : LS_EIO, path, 0, 0, "%s",
		    e == ENOMEM ? "out of memory" : strerror(e));
	}
	if (lstat(path, &st) != 0 || st.st_ino != tmp.st_ino || st.st_dev != tmp.st_dev)
		return ls_error_set(err, LS_EDATA, path, 0, 0, "swapped for a symbolic link or "
		    "another file while it was written: refused");
	return 0;
}

/*
 * Release's copies are written in OUTBOX/.doc-render-staging and renamed
 * into the outbox whole: a release killed while it writes (kill -9, a
 * power cut) leaves lock.h's temporary, half a document under a name such
 * as D-1.txt.tmp1a2b3c, in that hidden folder and never in the outbox that
 * something ships from.  rename(2) replaces a link at the name without
 * following it.  Whatever a killed release left there is removed first,
 * and the folder itself when a release ends well.
 */
int
ls_doc_put_staged(const char *outbox, const char *name, const void *buf, size_t n,
    char **path_out, struct ls_error *err)
{
	char *stage = ls_doc_join(outbox, LS_DOC_STAGE), *sp = NULL, *target = NULL;
	struct stat st;
	int rc = 0, sfd = -1;

	*path_out = NULL;
	if (stage == NULL || (sp = ls_doc_join(stage, name)) == NULL ||
	    (target = ls_doc_join(outbox, name)) == NULL) {
		rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	if (mkdir(stage, 0777) != 0 && errno != EEXIST) {
		rc = ls_error_set(err, LS_EIO, stage, 0, 0, "%s", strerror(errno));
		goto out;
	}
	st.st_mode = 0;
	if (lstat(stage, &st) != 0 || !S_ISDIR(st.st_mode)) {
		rc = ls_error_set(err, LS_EDATA, stage, 0, 0, "%s: refused",
		    S_ISLNK(st.st_mode) ? "a symbolic link" : "not a folder");
		goto out;
	}
	/*
	 * Held open from here on, not through a link, and the copy renamed
	 * out of it by that descriptor: the folder swapped for a link after
	 * the write would otherwise have rename(2) move whatever file the
	 * link's folder holds under that name into the outbox.
	 */
	if ((sfd = open(stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		/* a link or no folder (swapped since the lstat) is refused; an I/O error fails the run */
		if (errno == ELOOP || errno == ENOTDIR)
			rc = ls_error_set(err, LS_EDATA, stage, 0, 0, "%s: refused", strerror(errno));
		else
			rc = ls_error_set(err, LS_EIO, stage, 0, 0, "%s", strerror(errno));
		goto out;
	}
	if ((rc = write_replace(sp, buf, n, err)) != 0)
		goto out;
	if (renameat(sfd, name, AT_FDCWD, target) != 0) {
		rc = ls_error_set(err, LS_EIO, target, 0, 0, "%s", strerror(errno));
		unlinkat(sfd, name, 0);
		goto out;
	}
	*path_out = target;
	target = NULL;
out:
	if (sfd >= 0)
		close(sfd);
	free(stage);
	free(sp);
	free(target);
	return rc;
}

/* Empty outbox's staging folder; gone: an empty one is removed (rmdir fails on one in use). */
int
ls_doc_stage_clean(const char *outbox, int gone, struct ls_error *err)
{
	char *stage = ls_doc_join(outbox, LS_DOC_STAGE);
	struct dirent *de;
	DIR *d;
	int fd, rc = 0;

	if (stage == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	/* not through a link: one planted there would have us empty the folder it names */
	if ((fd = open(stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 &&
	    errno != ENOENT && errno != ELOOP && errno != ENOTDIR)
		rc = ls_error_set(err, LS_EIO, stage, 0, 0, "%s", strerror(errno));
	if (fd >= 0 && (d = fdopendir(fd)) == NULL)
		close(fd);
	else if (fd >= 0) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.')
				unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	if (gone)
		rmdir(stage);
	free(stage);
	return rc;
}

int
ls_doc_keep_rendered(const char *path, const void *buf, size_t n, char **copy_out,
    struct ls_error *err)
{
	char *copy = ls_doc_rendered_name(path), *slash;
	struct stat st;
	int rc;

	*copy_out = NULL;
	if (copy == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	slash = strrchr(copy, '/');
	*slash = '\0';
	if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
		rc = ls_error_set(err, LS_EIO, copy, 0, 0, "%s", strerror(errno));
		free(copy);
		return rc;
	}
	/* a link in its place would have the copies written wherever it points */
	st.st_mode = 0;
	if (lstat(copy, &st) != 0 || !S_ISDIR(st.st_mode)) {
		rc = ls_error_set(err, LS_EDATA, copy, 0, 0, "%s: refused",
		    S_ISLNK(st.st_mode) ? "a symbolic link" : "not a folder");
		free(copy);
		return rc;
	}
	*slash = '/';
	if ((rc = write_replace(copy, buf, n, err)) != 0) {
		free(copy);
		return rc;
	}
	*copy_out = copy;
	return 0;
}

/*
 * Exactly the files written, each fdatasync(2)ed (their writeback started as
 * each was written), and each of their folders once: durable.h.  This used
 * to be one syncfs(2) of the whole file system, which also wrote out and
 * waited for whatever any other process had left dirty on it.
 */
int
ls_doc_sync(char *const *paths, size_t n, struct ls_error *err)
{
	return ls_durable_sync(paths, n, err);
}

/*
 * The folders a document name holds ("ivanov/D-1.html" from --name
 * '{{manager}}/{{deal_id}}.html'), made inside dir where missing.  A
 * symbolic link met on the way is not followed to make anything: the
 * caller's check of where the name resolves decides about it.
 */
static int
make_folders(const char *dir, const char *name, struct ls_error *err)
{
	const char *slash;
	struct stat st;
	int rc = 0;

	for (slash = strchr(name, '/'); slash != NULL && rc == 0; slash = strchr(slash + 1, '/')) {
		char *prefix, *sub;

		if (slash == name || slash[-1] == '/')
			continue;
		prefix = strndup(name, (size_t)(slash - name));
		sub = prefix ? ls_doc_join(dir, prefix) : NULL;
		free(prefix);
		if (sub == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		if (lstat(sub, &st) == 0) {
			if (S_ISLNK(st.st_mode)) {
				free(sub);
				break;
			}
			if (!S_ISDIR(st.st_mode))
				rc = ls_error_set(err, LS_EDATA, NULL, 0, 0,
				    "document name '%s': %s is not a folder", name, sub);
		} else if (errno != ENOENT || (mkdir(sub, 0777) != 0 && errno != EEXIST)) {
			rc = ls_error_set(err, LS_EIO, sub, 0, 0, "%s", strerror(errno));
		}
		free(sub);
	}
	return rc;
}

int
ls_doc_write(const char *dir, const char *name, const void *buf, size_t n, int force,
    char **path_out, int *exists, struct ls_error *err)
{
	char rdir[PATH_MAX], rparent[PATH_MAX], *path, *parent, *slash;
	const char *c;
	struct stat st;
	int rc;

	*path_out = NULL;
	*exists = 0;
	if (dir == NULL)
		dir = ".";
	if (name[0] == '\0')
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "the document name is empty");
	if (name[0] == '/')
		return ls_error_set(err, LS_EDATA, NULL, 0, 0,
		    "document name '%s' is absolute: it would leave %s", name, dir);
	for (c = name; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "document name '%s' holds a control character", name);
	for (c = name; c; c = strchr(c, '/')) {
		if (*c == '/')
			c++;
		if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == '\0'))
			return ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "document name '%s' holds '..': it would leave %s", name, dir);
	}
	if (name[strlen(name) - 1] == '/')
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "document name '%s' names a folder", name);
	if ((path = ls_doc_join(dir, name)) == NULL || (parent = strdup(path)) == NULL) {
		free(path);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	/* a name with a folder in it: that folder must resolve inside dir */
	if (strchr(name, '/') != NULL) {
		if ((rc = make_folders(dir, name, err)) != 0)
			goto out;
		if (realpath(dir, rdir) == NULL) {
			rc = ls_error_set(err, LS_EIO, dir, 0, 0, "%s", strerror(errno));
			goto out;
		}
		slash = strrchr(parent, '/');
		*slash = '\0';
		if (realpath(parent[0] ? parent : "/", rparent) == NULL) {
			rc = ls_error_set(err, LS_EIO, NULL, 0, 0, "%s: %s", parent, strerror(errno));
			goto out;
		}
		if (strcmp(rparent, rdir) != 0 &&
		    !(strncmp(rparent, rdir, strlen(rdir)) == 0 &&
		    (rparent[strlen(rdir)] == '/' || strcmp(rdir, "/") == 0))) {
			rc = ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "document name '%s' leads out of %s through a symbolic link", name, dir);
			goto out;
		}
	}
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			rc = ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "%s is a symbolic link: refused", path);
			goto out;
		}
		if (!S_ISREG(st.st_mode)) {
			rc = ls_error_set(err, LS_EDATA, NULL, 0, 0, "%s is not a regular file", path);
			goto out;
		}
		if (!force) {
			*exists = 1;
			rc = ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "%s exists: kept (--force replaces it)", path);
			goto out;
		}
	}
	if ((rc = write_replace(path, buf, n, err)) != 0)
		goto out;
	*path_out = path;
	path = NULL;
out:
	free(path);
	free(parent);
	return rc;
}

