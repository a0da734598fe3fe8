/* test_lock.c - flock beside a file, and atomic replacement. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "lock.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_lock.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *
path(const char *name)
{
	static char buf[4][128];
	static int k;
	char *p = buf[k++ % 4];

	snprintf(p, 128, "%s/%s", dir, name);
	return p;
}

static void
slurp(const char *p, char *buf, size_t n)
{
	FILE *fp = fopen(p, "r");
	size_t got;

	assert_non_null(fp);
	got = fread(buf, 1, n - 1, fp);
	buf[got] = '\0';
	fclose(fp);
}

/* Files in dir, for spotting leftover temporaries. */
static int
nfiles(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* flock locks belong to the open file, so even one process sees its own locks conflict. */
static void
test_exclusive_excludes(void **state)
{
	struct ls_error err = { 0 };
	struct ls_lock *l1, *l2;

	(void)state;
	l1 = ls_lock_acquire(path("s"), LS_LOCK_EX, &err);
	assert_non_null(l1);
	assert_int_equal(access(path("s.lock"), F_OK), 0);
	assert_null(ls_lock_acquire(path("s"), LS_LOCK_EX | LS_LOCK_NB, &err));
	assert_int_equal(err.status, LS_EIO);
	assert_non_null(strstr(err.msg, "locked"));
	assert_null(ls_lock_acquire(path("s"), LS_LOCK_SH | LS_LOCK_NB, &err));
	ls_lock_release(l1);
	l2 = ls_lock_acquire(path("s"), LS_LOCK_EX | LS_LOCK_NB, &err);
	assert_non_null(l2);
	ls_lock_release(l2);
	ls_lock_release(NULL);
}

static void
test_shared_shares(void **state)
{
	struct ls_error err = { 0 };
	struct ls_lock *l1, *l2;

	(void)state;
	l1 = ls_lock_acquire(path("s"), LS_LOCK_SH, &err);
	l2 = ls_lock_acquire(path("s"), LS_LOCK_SH | LS_LOCK_NB, &err);
	assert_non_null(l1);
	assert_non_null(l2);
	assert_null(ls_lock_acquire(path("s"), LS_LOCK_EX | LS_LOCK_NB, &err));
	ls_lock_release(l1);
	ls_lock_release(l2);
	/* a reader that writes nothing: no lock file made, and none needed when it is missing */
	l1 = ls_lock_acquire(path("r"), LS_LOCK_SH | LS_LOCK_NOCREATE, &err);
	assert_non_null(l1);
	assert_int_equal(access(path("r.lock"), F_OK), -1);
	ls_lock_release(l1);
	l1 = ls_lock_acquire(path("s"), LS_LOCK_SH | LS_LOCK_NOCREATE, &err);
	assert_non_null(l1);
	assert_null(ls_lock_acquire(path("s"), LS_LOCK_EX | LS_LOCK_NB, &err));
	ls_lock_release(l1);
}

/* A waiting locker gets the lock once the holder dies, even by kill -9: no stale lock. */
static void
test_lock_dies_with_holder(void **state)
{
	struct ls_error err = { 0 };
	struct ls_lock *l;
	int fds[2], st;
	pid_t pid;
	char c;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		l = ls_lock_acquire(path("k"), LS_LOCK_EX, NULL);
		(void)!write(fds[1], "x", 1);
		pause();
		_exit(l ? 0 : 1);
	}
	assert_int_equal(read(fds[0], &c, 1), 1);
	assert_null(ls_lock_acquire(path("k"), LS_LOCK_EX | LS_LOCK_NB, &err));
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	l = ls_lock_acquire(path("k"), LS_LOCK_EX, &err);	/* would hang if the lock were stale */
	assert_non_null(l);
	ls_lock_release(l);
	close(fds[0]);
	close(fds[1]);
}

static void
test_atomic_replace(void **state)
{
	struct ls_error err = { 0 };
	struct ls_atomic *a;
	char buf[64];
	int before;

	(void)state;
	assert_int_equal(ls_atomic_write(path("f"), "old\n", 4, &err), 0);
	before = nfiles();
	slurp(path("f"), buf, sizeof(buf));
	assert_string_equal(buf, "old\n");
	/* written but not committed: the target is untouched and the temporary gone */
	a = ls_atomic_open(path("f"), &err);
	assert_non_null(a);
	fputs("half a new fi", ls_atomic_file(a));
	fflush(ls_atomic_file(a));
	assert_int_equal(nfiles(), before + 1);
	slurp(path("f"), buf, sizeof(buf));
	assert_string_equal(buf, "old\n");
	ls_atomic_free(a);
	assert_int_equal(nfiles(), before);
	slurp(path("f"), buf, sizeof(buf));
	assert_string_equal(buf, "old\n");
	/* committed: the new content */
	a = ls_atomic_open(path("f"), &err);
	assert_non_null(a);
	fputs("new\n", ls_atomic_file(a));
	assert_int_equal(ls_atomic_commit(a, &err), 0);
	ls_atomic_free(a);
	slurp(path("f"), buf, sizeof(buf));
	assert_string_equal(buf, "new\n");
	assert_int_equal(nfiles(), before);
	ls_atomic_free(NULL);
}

static void
test_atomic_keeps_mode(void **state)
{
	struct ls_error err = { 0 };
	struct stat st;

	(void)state;
	assert_int_equal(ls_atomic_write(path("m"), "1", 1, &err), 0);
	assert_int_equal(chmod(path("m"), 0640), 0);
	assert_int_equal(ls_atomic_write(path("m"), "2", 1, &err), 0);
	assert_int_equal(stat(path("m"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
}

static void
test_atomic_errors(void **state)
{
	struct ls_error err = { 0 };

	(void)state;
	assert_int_not_equal(ls_atomic_write(path("no/such/dir/f"), "x", 1, &err), 0);
	assert_int_equal(err.status, LS_EIO);
	assert_non_null(strstr(err.file, "no/such/dir/f"));
	/* renaming a file over a folder fails; the folder stays and no temporary is left */
	assert_int_equal(mkdir(path("d"), 0755), 0);
	{
		int before = nfiles();
		assert_int_equal(ls_atomic_write(path("d"), "x", 1, &err), LS_EIO);
		assert_int_equal(nfiles(), before);
	}
	assert_null(ls_lock_acquire(path("no/such/dir/f"), LS_LOCK_EX, &err));
	assert_int_equal(err.status, LS_EIO);
}

/*
 * LS_ATOMIC_NOFOLLOW: a regular file is replaced as by ls_atomic_open(),
 * its mode kept; a link at the name, or a folder that is a link, is
 * refused and what it points to is untouched.
 */
static void
test_atomic_nofollow(void **state)
{
	struct ls_error err = { 0 };
	struct ls_atomic *a;
	struct stat st;
	char buf[64], sub[256];
	int before;

	(void)state;
	assert_int_equal(ls_atomic_write(path("victim"), "victim\n", 7, &err), 0);
	assert_int_equal(ls_atomic_write(path("doc"), "old\n", 4, &err), 0);
	assert_int_equal(chmod(path("doc"), 0640), 0);
	before = nfiles();
	a = ls_atomic_open_flags(path("doc"), LS_ATOMIC_NOFOLLOW, &err);
	assert_non_null(a);
	fputs("new\n", ls_atomic_file(a));
	assert_int_equal(ls_atomic_commit(a, &err), 0);
	ls_atomic_free(a);
	slurp(path("doc"), buf, sizeof(buf));
	assert_string_equal(buf, "new\n");
	assert_int_equal(stat(path("doc"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(nfiles(), before);
	/* a new file in a folder given as a relative name works too */
	a = ls_atomic_open_flags(path("fresh"), LS_ATOMIC_NOFOLLOW, &err);
	assert_non_null(a);
	assert_int_equal(ls_atomic_commit(a, &err), 0);
	ls_atomic_free(a);
	assert_int_equal(lstat(path("fresh"), &st), 0);
	assert_true(S_ISREG(st.st_mode));

	/* a link at the name: refused, its target untouched, no temporary */
	assert_int_equal(symlink(path("victim"), path("link")), 0);
	before = nfiles();
	errno = 0;
	assert_null(ls_atomic_open_flags(path("link"), LS_ATOMIC_NOFOLLOW, &err));
	assert_int_equal(errno, ELOOP);
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(err.msg, "a symbolic link: refused");
	assert_int_equal(nfiles(), before);
	slurp(path("victim"), buf, sizeof(buf));
	assert_string_equal(buf, "victim\n");
	/* a dangling link too: O_EXCL alone would not stop a rename over it */
	assert_int_equal(symlink(path("nowhere"), path("dangling")), 0);
	assert_null(ls_atomic_open_flags(path("dangling"), LS_ATOMIC_NOFOLLOW, &err));
	assert_int_equal(lstat(path("nowhere"), &st), -1);
	/* the folder itself a link */
	assert_int_equal(mkdir(path("real"), 0755), 0);
	assert_int_equal(symlink(path("real"), path("dirlink")), 0);
	snprintf(sub, sizeof(sub), "%s/f", path("dirlink"));
	assert_null(ls_atomic_open_flags(sub, LS_ATOMIC_NOFOLLOW, &err));
	assert_int_equal(err.status, LS_EIO);
	/* a folder at the name */
	assert_null(ls_atomic_open_flags(path("real"), LS_ATOMIC_NOFOLLOW, &err));
	/* without the flag a link is still followed, as -o FILE documents */
	assert_int_equal(ls_atomic_write(path("link"), "through\n", 8, &err), 0);
	slurp(path("victim"), buf, sizeof(buf));
	assert_string_equal(buf, "through\n");
	assert_int_equal(lstat(path("link"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
}

/*
 * ls_atomic_put(): the whole buffer in one go, renamed into place, the
 * inode it reports the one the name holds; an existing file's mode kept;
 * an empty buffer makes an empty file; a link or a folder at the name is
 * refused as ls_atomic_open_flags() refuses it (errno ELOOP, EINVAL), its
 * target untouched, and no temporary is left either way.
 */
static void
test_atomic_put(void **state)
{
	struct ls_error err = { 0 };
	struct stat st, put;
	char big[70000], buf[160];
	int before;
	FILE *fp;

	(void)state;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	before = nfiles();
	assert_int_equal(ls_atomic_put(path("put"), LS_ATOMIC_NOFOLLOW, big, sizeof(big), &put, &err), 0);
	assert_int_equal(nfiles(), before + 1);
	assert_int_equal(lstat(path("put"), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_ino, put.st_ino);
	assert_int_equal(st.st_dev, put.st_dev);
	assert_int_equal(st.st_size, (off_t)sizeof(big));
	fp = fopen(path("put"), "rb");
	assert_non_null(fp);
	for (size_t i = 0; i < sizeof(big); i++)
		if (getc(fp) != big[i])
			fail_msg("byte %zu differs", i);
	assert_int_equal(getc(fp), EOF);
	fclose(fp);
	/* replaced: the new bytes, the old mode */
	assert_int_equal(chmod(path("put"), 0600), 0);
	assert_int_equal(ls_atomic_put(path("put"), 0, "short\n", 6, &put, &err), 0);
	slurp(path("put"), buf, sizeof(buf));
	assert_string_equal(buf, "short\n");
	assert_int_equal(stat(path("put"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(ls_atomic_put(path("empty"), LS_ATOMIC_NOFOLLOW, "", 0, &put, &err), 0);
	assert_int_equal(stat(path("empty"), &st), 0);
	assert_int_equal(st.st_size, 0);

	/* refusals: nothing written, nothing left */
	assert_int_equal(ls_atomic_write(path("target"), "target\n", 7, &err), 0);
	assert_int_equal(symlink(path("target"), path("putlink")), 0);
	assert_int_equal(mkdir(path("putdir"), 0755), 0);
	before = nfiles();
	errno = 0;
	assert_int_equal(ls_atomic_put(path("putlink"), LS_ATOMIC_NOFOLLOW, "x", 1, &put, &err), LS_EIO);
	assert_int_equal(errno, ELOOP);
	assert_string_equal(err.msg, "a symbolic link: refused");
	errno = 0;
	assert_int_equal(ls_atomic_put(path("putdir"), LS_ATOMIC_NOFOLLOW, "x", 1, &put, &err), LS_EIO);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(err.msg, "not a regular file: refused");
	/* a folder that is not there: the open fails, no file made */
	snprintf(buf, sizeof(buf), "%s/f", path("nodir"));
	assert_int_equal(ls_atomic_put(buf, LS_ATOMIC_NOFOLLOW, "x", 1, &put, &err), LS_EIO);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(nfiles(), before);
	slurp(path("target"), buf, sizeof(buf));
	assert_string_equal(buf, "target\n");
}

/*
 * The races: a link swapped in at the name after the open is refused at
 * the commit (the check lock.c repeats before renameat()); a folder
 * swapped for a link after the open does not redirect the write, which
 * lands in the folder held open.
 */
static void
test_atomic_nofollow_swapped(void **state)
{
	struct ls_error err = { 0 };
	struct ls_atomic *a;
	char buf[64], f[256], moved[128];
	int before;

	(void)state;
	assert_int_equal(ls_atomic_write(path("victim"), "victim\n", 7, &err), 0);
	assert_int_equal(ls_atomic_write(path("doc"), "old\n", 4, &err), 0);
	before = nfiles();
	a = ls_atomic_open_flags(path("doc"), LS_ATOMIC_NOFOLLOW, &err);
	assert_non_null(a);
	fputs("new\n", ls_atomic_file(a));
	assert_int_equal(unlink(path("doc")), 0);
	assert_int_equal(symlink(path("victim"), path("doc")), 0);
	errno = 0;
	assert_int_equal(ls_atomic_commit(a, &err), LS_EIO);
	assert_int_equal(errno, ELOOP);
	assert_string_equal(err.msg, "a symbolic link: refused");
	ls_atomic_free(a);
	assert_int_equal(nfiles(), before);
	slurp(path("victim"), buf, sizeof(buf));
	assert_string_equal(buf, "victim\n");

	/* the folder renamed away and a link to elsewhere put in its place */
	assert_int_equal(mkdir(path("out"), 0755), 0);
	assert_int_equal(mkdir(path("elsewhere"), 0755), 0);
	snprintf(f, sizeof(f), "%s/d.txt", path("out"));
	a = ls_atomic_open_flags(f, LS_ATOMIC_NOFOLLOW, &err);
	assert_non_null(a);
	fputs("doc\n", ls_atomic_file(a));
	snprintf(moved, sizeof(moved), "%s", path("out.moved"));
	assert_int_equal(rename(path("out"), moved), 0);
	assert_int_equal(symlink(path("elsewhere"), path("out")), 0);
	assert_int_equal(ls_atomic_commit(a, &err), 0);
	ls_atomic_free(a);
	snprintf(f, sizeof(f), "%s/d.txt", moved);
	slurp(f, buf, sizeof(buf));
	assert_string_equal(buf, "doc\n");
	snprintf(f, sizeof(f), "%s/d.txt", path("elsewhere"));
	assert_int_equal(access(f, F_OK), -1);
}

/*
 * A write that fails part way (a file-size limit, as a full disk) is an
 * error with the reason, at the write or at the commit, and the target
 * stays as it was, with no temporary left.
 */
static void
test_atomic_write_fails(void **state)
{
	struct ls_error err = { 0 };
	struct rlimit old, lim;
	struct ls_atomic *a;
	char big[20000];
	FILE *fp;
	int before;

	(void)state;
	memset(big, 'x', sizeof(big));
	assert_int_equal(ls_atomic_write(path("f"), "old\n", 4, &err), 0);
	before = nfiles();
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 4096;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(ls_atomic_write(path("f"), big, sizeof(big), &err), LS_EIO);
	assert_non_null(strstr(err.msg, "write error: File too large"));
	/* through the stream: the failure shows at the commit */
	assert_non_null(a = ls_atomic_open(path("f"), &err));
	fp = ls_atomic_file(a);
	for (int i = 0; i < 3; i++)
		(void)fwrite(big, 1, 2000, fp);
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_atomic_commit(a, &err), LS_EIO);
	assert_non_null(strstr(err.msg, "write error"));
	ls_atomic_free(a);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_int_equal(nfiles(), before);
	assert_non_null(fp = fopen(path("f"), "r"));
	assert_non_null(fgets(big, sizeof(big), fp));
	fclose(fp);
	assert_string_equal(big, "old\n");
}

/* What an interrupted run's handler calls: every temporary not yet committed goes. */
static void
test_atomic_remove_all(void **state)
{
	struct ls_error err = { 0 };
	struct ls_atomic *a, *b;
	int before;

	(void)state;
	before = nfiles();
	assert_non_null(a = ls_atomic_open(path("g"), &err));
	assert_non_null(b = ls_atomic_open(path("h"), &err));
	assert_int_equal(nfiles(), before + 2);
	ls_atomic_remove_all();
	assert_int_equal(nfiles(), before);
	ls_atomic_free(a);	/* its temporary is gone already: freeing is still right */
	ls_atomic_free(b);
	ls_atomic_free(NULL);
	assert_int_equal(nfiles(), before);
}

/* More temporaries than the old fixed table of 32 held: every one is listed, and removed. */
static void
test_atomic_remove_all_many(void **state)
{
	enum { N = 100 };
	struct ls_error err = { 0 };
	struct ls_atomic *a[N];
	char name[32];
	int before;

	(void)state;
	before = nfiles();
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "many%d", i);
		assert_non_null(a[i] = ls_atomic_open(path(name), &err));
	}
	assert_int_equal(nfiles(), before + N);
	/* a slot emptied by a commit is used again, and the list still holds the rest */
	fputs("x", ls_atomic_file(a[0]));
	assert_int_equal(ls_atomic_commit(a[0], &err), 0);
	ls_atomic_free(a[0]);
	assert_non_null(a[0] = ls_atomic_open(path("many0"), &err));
	assert_int_equal(nfiles(), before + N + 1);	/* many0 itself, and N temporaries */
	ls_atomic_remove_all();
	assert_int_equal(nfiles(), before + 1);
	for (int i = 0; i < N; i++)
		ls_atomic_free(a[i]);
	assert_int_equal(nfiles(), before + 1);
}

/*
 * LS_ATOMIC_NOFOLLOW with a bare name (doc-render with no -o writes its
 * documents so: the current folder), and names that are a folder's.
 */
static void
test_atomic_nofollow_bare_names(void **state)
{
	static const char *const folders[] = { "baresub/", "baresub/.", "baresub/..", "." };
	struct ls_error err = { 0 };
	struct ls_atomic *a;
	char buf[64], cwd[512];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(mkdir("baresub", 0755), 0);
	a = ls_atomic_open_flags("bare.txt", LS_ATOMIC_NOFOLLOW, &err);
	assert_non_null(a);
	fputs("here\n", ls_atomic_file(a));
	assert_int_equal(ls_atomic_commit(a, &err), 0);
	ls_atomic_free(a);
	slurp("bare.txt", buf, sizeof(buf));
	assert_string_equal(buf, "here\n");
	for (size_t i = 0; i < sizeof(folders) / sizeof(folders[0]); i++) {
		memset(&err, 0, sizeof(err));
		errno = 0;
		assert_null(ls_atomic_open_flags(folders[i], LS_ATOMIC_NOFOLLOW, &err));
		assert_int_equal(errno, EISDIR);
		assert_int_equal(err.status, LS_EIO);
		assert_string_equal(err.msg, "names a folder, not a file");
	}
	assert_int_equal(chdir(cwd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exclusive_excludes),
		cmocka_unit_test(test_shared_shares),
		cmocka_unit_test(test_lock_dies_with_holder),
		cmocka_unit_test(test_atomic_replace),
		cmocka_unit_test(test_atomic_keeps_mode),
		cmocka_unit_test(test_atomic_errors),
		cmocka_unit_test(test_atomic_nofollow),
		cmocka_unit_test(test_atomic_nofollow_bare_names),
		cmocka_unit_test(test_atomic_put),
		cmocka_unit_test(test_atomic_nofollow_swapped),
		cmocka_unit_test(test_atomic_write_fails),
		cmocka_unit_test(test_atomic_remove_all),
		cmocka_unit_test(test_atomic_remove_all_many),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
