/*
 * inject.c - fail the Nth allocation or I/O call the project makes (make check-oom).
 *
 * Linked into the tools of build/oom only, with -Wl,--wrap=NAME for each
 * function below: the linker sends every call to NAME made from libsales or
 * cmd/ (the objects on the link line) here, and __real_NAME is the C
 * library's.  Calls made inside shared libraries (libcsv, libyaml, libzip,
 * expat, the C library's own stdio flushing) are not counted and never fail:
 * this tests the project's error paths, not its dependencies'.  A stdio
 * stream's write to the kernel happens inside the C library, so a failed
 * write is made to appear where the project sees it: fwrite(), fputs(),
 * fprintf(), fflush() or fclose() fail and set the stream's error flag.
 *
 * Environment (read once, before main()):
 *   LS_FAIL_ALLOC=N   the Nth malloc/calloc/realloc/strdup/strndup returns NULL (ENOMEM)
 *   LS_FAIL_IO=N      the Nth I/O call fails with EIO (open, openat, fopen, fdopen,
 *                     read, pread, fread, getline, write, pwrite, fwrite, fputs,
 *                     fputc, putc, fprintf, fflush, fclose, close, fsync,
 *                     fdatasync, sync_file_range, ftruncate, rename, renameat;
 *                     sync_file_range only starts a writeback, a hint whose
 *                     failure loses nothing: see tests/oom/run.sh)
 *   LS_FAIL_WRITE=N   the Nth call that writes (write, pwrite, fwrite, fputs, fputc,
 *                     putc, fprintf, fflush, fclose, fsync, fdatasync, ftruncate)
 *                     fails with ENOSPC
 *   LS_INJECT_STACK=1 print the stack of the call that is failed (ASan's
 *                     symbolizer), to find which line of the project made it
 *   LS_INJECT_REPORT=PATH  at exit, append "alloc=A io=I write=W" (the calls
 *                     counted) to PATH: the driver's loop ends past the last one
 *   LS_INJECT_SITES=PATH  write to PATH a line per allocation counted: where it
 *                     was called from and where that caller was (two offsets
 *                     into the program); tests/oom/unit.sh fails, of each such
 *                     pair, its first call only when a binary has too many
 *                     allocations to fail them all (an allocation made inside
 *                     a memory stream's write is named "0 0")
 *   LS_INJECT_UNIT=1  a unit test run with CMOCKA_TEST_ABORT=1 (tests/oom/unit.sh):
 *                     cmocka's failed assertion then calls abort() where it
 *                     failed, and the SIGABRT handler below looks for leaks
 *                     there, while the test's own frames (what it still holds
 *                     and would have freed had it gone on) are on the stack and
 *                     reachable; it exits 88 when LeakSanitizer found one, else
 *                     89 (the driver reads standard error to tell cmocka's
 *                     abort from another).  At the normal end of a run LSan's
 *                     own check at exit does the same.
 * What a stream is decides what its calls may fail with.  A stream the
 * project opened for reading only (fopen(), fdopen() with "r"): its fclose()
 * loses nothing, it is counted as "fclose-read" and never fails with ENOSPC.
 * A memory stream (open_memstream(), fmemopen()) does no I/O: its writes,
 * flushes and close can only fail for want of memory, so they are counted
 * with the allocations (LS_FAIL_ALLOC, ENOMEM) and never with the I/O calls;
 * reading one never fails.
 * Only the one numbered call fails; those after it succeed again (a
 * transient fault; the program must not depend on it lasting).  Standard
 * error is never failed or counted: the message about the fault goes there.
 * The counters are atomic: the reading thread allocates too (its calls then
 * interleave with the main thread's, so N may name another call from run to
 * run; each run still fails exactly one).
 */
#define _GNU_SOURCE	/* O_TMPFILE, ssize_t pread() */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* the C library's own, and their wrappers here (declared: the linker makes them) */
void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
char *__real_strdup(const char *);
char *__real_strndup(const char *, size_t);
int __real_open(const char *, int, ...);
int __real_openat(int, const char *, int, ...);
FILE *__real_fopen(const char *, const char *);
FILE *__real_fdopen(int, const char *);
FILE *__real_open_memstream(char **, size_t *);
FILE *__real_fmemopen(void *, size_t, const char *);
ssize_t __real_read(int, void *, size_t);
ssize_t __real_pread(int, void *, size_t, off_t);
size_t __real_fread(void *, size_t, size_t, FILE *);
ssize_t __real_getline(char **, size_t *, FILE *);
ssize_t __real_write(int, const void *, size_t);
ssize_t __real_pwrite(int, const void *, size_t, off_t);
size_t __real_fwrite(const void *, size_t, size_t, FILE *);
int __real_fputs(const char *, FILE *);
int __real_fputc(int, FILE *);
int __real_putc(int, FILE *);
int __real_fflush(FILE *);
int __real_fclose(FILE *);
int __real_close(int);
int __real_fsync(int);
int __real_fdatasync(int);
int __real_sync_file_range(int, off_t, off_t, unsigned int);
int __real_ftruncate(int, off_t);
int __real_rename(const char *, const char *);
int __real_renameat(int, const char *, int, const char *);

void *__wrap_malloc(size_t);
void *__wrap_calloc(size_t, size_t);
void *__wrap_realloc(void *, size_t);
char *__wrap_strdup(const char *);
char *__wrap_strndup(const char *, size_t);
int __wrap_open(const char *, int, ...);
int __wrap_openat(int, const char *, int, ...);
FILE *__wrap_fopen(const char *, const char *);
FILE *__wrap_fdopen(int, const char *);
FILE *__wrap_open_memstream(char **, size_t *);
FILE *__wrap_fmemopen(void *, size_t, const char *);
ssize_t __wrap_read(int, void *, size_t);
ssize_t __wrap_pread(int, void *, size_t, off_t);
size_t __wrap_fread(void *, size_t, size_t, FILE *);
ssize_t __wrap_getline(char **, size_t *, FILE *);
ssize_t __wrap_write(int, const void *, size_t);
ssize_t __wrap_pwrite(int, const void *, size_t, off_t);
size_t __wrap_fwrite(const void *, size_t, size_t, FILE *);
int __wrap_fputs(const char *, FILE *);
int __wrap_fputc(int, FILE *);
int __wrap_putc(int, FILE *);
int __wrap_fprintf(FILE *, const char *, ...);
int __wrap_fflush(FILE *);
int __wrap_fclose(FILE *);
int __wrap_close(int);
int __wrap_fsync(int);
int __wrap_fdatasync(int);
int __wrap_sync_file_range(int, off_t, off_t, unsigned int);
int __wrap_ftruncate(int, off_t);
int __wrap_rename(const char *, const char *);
int __wrap_renameat(int, const char *, int, const char *);

static unsigned long fail_alloc, fail_io, fail_write;	/* 0: never */
static atomic_ulong n_alloc, n_io, n_write;
static const char *report;
static int stack;
void __sanitizer_print_stack_trace(void);	/* ASan's: the tools are built with it */
int __lsan_do_recoverable_leak_check(void);	/* LeakSanitizer's (part of ASan's runtime) */
static const char *volatile fired;	/* the call that was failed, for the report */

static unsigned long
env(const char *name)
{
	const char *s = getenv(name);

	return s ? strtoul(s, NULL, 10) : 0;
}

static void inject_report(void);

/* LS_INJECT_SITES: the lines, buffered (a run makes up to a million allocations) */
static int sites_fd = -1;
static char sites_buf[1 << 16];
static size_t sites_len;
static atomic_flag sites_lock = ATOMIC_FLAG_INIT;

static void
sites_flush(void)
{
	if (sites_len > 0 && __real_write(sites_fd, sites_buf, sites_len) < 0)
		sites_fd = -1;	/* the driver then finds the list short and says so */
	sites_len = 0;
}

static void
site_note(const void *at, const void *from)
{
	uintptr_t base = (uintptr_t)&inject_report;
	int n;

	while (atomic_flag_test_and_set(&sites_lock))
		;
	if (sites_fd >= 0) {
		if (sizeof(sites_buf) - sites_len < 64)
			sites_flush();
		n = snprintf(sites_buf + sites_len, 64, "%lx %lx\n",
		    at ? (unsigned long)((uintptr_t)at - base) : 0UL,
		    from ? (unsigned long)((uintptr_t)from - base) : 0UL);
		sites_len += (size_t)n;
	}
	atomic_flag_clear(&sites_lock);
}

/* SIGABRT in a unit test run (LS_INJECT_UNIT): see the top; the destructors do not run after it */
static void
unit_abort(int sig)
{
	int leaked;

	(void)sig;
	inject_report();
	leaked = __lsan_do_recoverable_leak_check();
	_exit(leaked ? 88 : 89);
}

__attribute__((constructor)) static void
inject_init(void)
{
	fail_alloc = env("LS_FAIL_ALLOC");
	fail_io = env("LS_FAIL_IO");
	fail_write = env("LS_FAIL_WRITE");
	report = getenv("LS_INJECT_REPORT");
	stack = getenv("LS_INJECT_STACK") != NULL;
	if (getenv("LS_INJECT_SITES") != NULL)
		sites_fd = __real_open(getenv("LS_INJECT_SITES"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (getenv("LS_INJECT_UNIT") != NULL)
		signal(SIGABRT, unit_abort);
}

__attribute__((destructor)) static void
inject_report(void)
{
	char line[128];
	int fd, n;

	if (sites_fd >= 0) {
		while (atomic_flag_test_and_set(&sites_lock))
			;
		sites_flush();
		atomic_flag_clear(&sites_lock);
	}
	if (report == NULL)
		return;
	n = snprintf(line, sizeof(line), "alloc=%lu io=%lu write=%lu%s%s\n",
	    (unsigned long)n_alloc, (unsigned long)n_io, (unsigned long)n_write,
	    fired ? " failed=" : "", fired ? fired : "");
	if ((fd = __real_open(report, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666)) >= 0) {
		if (__real_write(fd, line, (size_t)n) < 0)
			n = 0;	/* the driver then finds no line and says so */
		__real_close(fd);
	}
}

/*
 * 1 when this allocation is the one to fail (errno is then ENOMEM, as malloc's).
 * at, from: the call's return address and its caller's, for LS_INJECT_SITES
 * (the project is built with frame pointers: one level up is safe to read).
 */
#pragma GCC diagnostic ignored "-Wframe-address"	/* safe here, as said above */
#define ALLOC_FAILS() alloc_fails(__builtin_return_address(0), __builtin_return_address(1))
static int
alloc_fails(const void *at, const void *from)
{
	if (sites_fd >= 0)
		site_note(at, from);
	if (atomic_fetch_add(&n_alloc, 1) + 1 != fail_alloc || fail_alloc == 0)
		return 0;
	fired = "alloc";
	if (stack)
		__sanitizer_print_stack_trace();
	errno = ENOMEM;
	return 1;
}

/*
 * 1 when this I/O call is the one to fail, errno set.  writes: the call
 * writes (it counts for LS_FAIL_WRITE too, and fails with ENOSPC there).
 */
static int
io_fails(int writes, const char *name)
{
	int hit = atomic_fetch_add(&n_io, 1) + 1 == fail_io && fail_io != 0;

	if (writes && atomic_fetch_add(&n_write, 1) + 1 == fail_write && fail_write != 0) {
		fired = name;
		if (stack)
			__sanitizer_print_stack_trace();
		errno = ENOSPC;
		return 1;
	}
	if (hit) {
		fired = name;
		if (stack)
			__sanitizer_print_stack_trace();
		errno = EIO;
	}
	return hit;
}

/*
 * The streams the project opened for reading only (ST_READ), and its memory
 * streams (ST_MEM written, ST_MEMREAD read): a table of addresses, a stream
 * in at most one, taken out at its fclose().  Any other stream (a file opened
 * for writing, stdout) is a file written to.  Lock-free: the reading thread
 * opens and closes streams too.
 */
enum { ST_FILE, ST_READ, ST_MEM, ST_MEMREAD };
#define NSTREAMS 512
static struct { _Atomic(FILE *) fp; atomic_int kind; } streams[NSTREAMS];

static int
stream_kind(FILE *fp)
{
	for (int i = 0; i < NSTREAMS; i++)
		if (atomic_load(&streams[i].fp) == fp)
			return atomic_load(&streams[i].kind);
	return ST_FILE;
}

/* fp is gone (closed): out of the table */
static void
stream_forget(FILE *fp)
{
	for (int i = 0; i < NSTREAMS; i++) {
		FILE *e = fp;

		if (atomic_compare_exchange_strong(&streams[i].fp, &e, NULL))
			return;
	}
}

/* fp was just opened, of kind: its address may be a stream's closed where this file does not see it */
static FILE *
stream_opened(FILE *fp, int kind)
{
	if (fp == NULL)
		return NULL;
	stream_forget(fp);
	if (kind == ST_FILE)
		return fp;
	for (int i = 0; i < NSTREAMS; i++) {
		FILE *e = NULL;

		if (atomic_load(&streams[i].fp) == NULL) {
			atomic_store(&streams[i].kind, kind);
			if (atomic_compare_exchange_strong(&streams[i].fp, &e, fp))
				return fp;
		}
	}
	return fp;	/* a full table: a file written to, the strict reading */
}

static int
reads_only(const char *mode)
{
	return strpbrk(mode, "wa+") == NULL;
}

/* a call on standard output is told apart in the report ("fwrite-stdout"): see tests/oom/run.sh */
static const char *
stdout_name(const char *name)
{
	static const char *const names[][2] = {
		{ "fwrite", "fwrite-stdout" }, { "fputs", "fputs-stdout" }, { "fputc", "fputc-stdout" },
		{ "putc", "putc-stdout" }, { "fprintf", "fprintf-stdout" }, { "fflush", "fflush-stdout" },
		{ "fclose", "fclose-stdout" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i][0]) == 0)
			return names[i][1];
	return name;
}

/* a stream's call fails: as the C library's own would, with the error flag set */
static int
stream_fails(FILE *fp, int writes, const char *name)
{
	int kind = fp == NULL ? ST_FILE : stream_kind(fp);

	if (fp == stdout)
		name = stdout_name(name);

	if (fp == stderr || kind == ST_MEMREAD)
		return 0;
	if (kind == ST_MEM) {
		if (!writes || !alloc_fails(NULL, NULL))
			return 0;
	} else if (kind == ST_READ && strcmp(name, "fclose") == 0) {
		if (!io_fails(0, "fclose-read"))
			return 0;
	} else if (!io_fails(writes, name))
		return 0;
	if (fp != NULL)
		fp->_flags |= 0x20;	/* glibc's _IO_ERR_SEEN: ferror() now says so, as after a failed write */
	return 1;
}

void *__wrap_malloc(size_t n) { return ALLOC_FAILS() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t k) { return ALLOC_FAILS() ? NULL : __real_calloc(n, k); }
void *__wrap_realloc(void *p, size_t n) { return ALLOC_FAILS() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return ALLOC_FAILS() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return ALLOC_FAILS() ? NULL : __real_strndup(s, n); }

/*
 * An open(), openat() of a folder, read only, is told apart in the report
 * ("open-dir"): the project opens folders to sync them after a rename, as
 * fsync-dir, and to empty its staging folders (see tests/oom/run.sh).
 */
static const char *
open_name(int dfd, const char *path, int flags, const char *name, const char *dir)
{
	struct stat st;

	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)) != 0)
		return name;
	if (flags & O_DIRECTORY)
		return dir;
	return fstatat(dfd, path, &st, 0) == 0 && S_ISDIR(st.st_mode) ? dir : name;
}

int
__wrap_open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
	va_end(ap);
	return io_fails(0, open_name(AT_FDCWD, path, flags, "open", "open-dir")) ? -1 :
	    __real_open(path, flags, mode);
}

int
__wrap_openat(int dfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
	va_end(ap);
	return io_fails(0, open_name(dfd, path, flags, "openat", "openat-dir")) ? -1 :
	    __real_openat(dfd, path, flags, mode);
}

FILE *
__wrap_fopen(const char *p, const char *m)
{
	return io_fails(0, "fopen") ? NULL : stream_opened(__real_fopen(p, m), reads_only(m) ? ST_READ : ST_FILE);
}

FILE *
__wrap_fdopen(int fd, const char *m)
{
	return io_fails(0, "fdopen") ? NULL : stream_opened(__real_fdopen(fd, m), reads_only(m) ? ST_READ : ST_FILE);
}

/* memory: fails as an allocation does */
FILE *
__wrap_open_memstream(char **p, size_t *n)
{
	return ALLOC_FAILS() ? NULL : stream_opened(__real_open_memstream(p, n), ST_MEM);
}

FILE *
__wrap_fmemopen(void *b, size_t n, const char *m)
{
	return ALLOC_FAILS() ? NULL : stream_opened(__real_fmemopen(b, n, m), reads_only(m) ? ST_MEMREAD : ST_MEM);
}
ssize_t __wrap_read(int fd, void *b, size_t n) { return io_fails(0, "read") ? -1 : __real_read(fd, b, n); }
ssize_t __wrap_pread(int fd, void *b, size_t n, off_t o) { return io_fails(0, "pread") ? -1 : __real_pread(fd, b, n, o); }
size_t __wrap_fread(void *b, size_t s, size_t n, FILE *fp) { return stream_fails(fp, 0, "fread") ? 0 : __real_fread(b, s, n, fp); }
ssize_t __wrap_getline(char **l, size_t *n, FILE *fp) { return stream_fails(fp, 0, "getline") ? -1 : __real_getline(l, n, fp); }

ssize_t
__wrap_write(int fd, const void *b, size_t n)
{
	return fd != 2 && io_fails(1, "write") ? -1 : __real_write(fd, b, n);
}

ssize_t __wrap_pwrite(int fd, const void *b, size_t n, off_t o) { return io_fails(1, "pwrite") ? -1 : __real_pwrite(fd, b, n, o); }
size_t __wrap_fwrite(const void *b, size_t s, size_t n, FILE *fp) { return stream_fails(fp, 1, "fwrite") ? 0 : __real_fwrite(b, s, n, fp); }
int __wrap_fputs(const char *s, FILE *fp) { return stream_fails(fp, 1, "fputs") ? EOF : __real_fputs(s, fp); }
int __wrap_fputc(int c, FILE *fp) { return stream_fails(fp, 1, "fputc") ? EOF : __real_fputc(c, fp); }
int __wrap_putc(int c, FILE *fp) { return stream_fails(fp, 1, "putc") ? EOF : __real_putc(c, fp); }

int
__wrap_fprintf(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (stream_fails(fp, 1, "fprintf"))
		return -1;
	va_start(ap, fmt);
	n = vfprintf(fp, fmt, ap);
	va_end(ap);
	return n;
}

int __wrap_fflush(FILE *fp) { return stream_fails(fp, 1, "fflush") ? EOF : __real_fflush(fp); }

/* a failed fclose() still closes the stream (as the C library's does): no descriptor leaks */
int
__wrap_fclose(FILE *fp)
{
	int e;

	if (!stream_fails(fp, 1, "fclose")) {
		stream_forget(fp);
		return __real_fclose(fp);
	}
	stream_forget(fp);
	e = errno;
	__real_fclose(fp);
	errno = e;
	return EOF;
}

/* likewise close(): the descriptor is gone whatever it returns (Linux) */
int
__wrap_close(int fd)
{
	int e;

	if (fd == 2 || !io_fails(0, "close"))
		return __real_close(fd);
	e = errno;
	__real_close(fd);
	errno = e;
	return -1;
}

/* a folder's sync (after a rename) is told apart in the report ("fsync-dir"): see tests/oom/run.sh */
int
__wrap_fsync(int fd)
{
	struct stat st;

	return io_fails(1, fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) ? "fsync-dir" : "fsync") ? -1 :
	    __real_fsync(fd);
}
int __wrap_fdatasync(int fd) { return io_fails(1, "fdatasync") ? -1 : __real_fdatasync(fd); }

int
__wrap_sync_file_range(int fd, off_t off, off_t n, unsigned int flags)
{
	return io_fails(0, "sync-file-range") ? -1 : __real_sync_file_range(fd, off, n, flags);
}
int __wrap_ftruncate(int fd, off_t n) { return io_fails(1, "ftruncate") ? -1 : __real_ftruncate(fd, n); }
int __wrap_rename(const char *a, const char *b) { return io_fails(0, "rename") ? -1 : __real_rename(a, b); }

int
__wrap_renameat(int da, const char *a, int db, const char *b)
{
	return io_fails(0, "renameat") ? -1 : __real_renameat(da, a, db, b);
}
