/*
 * error.h - status codes and the error record every libsales call fills.
 *
 * The library never prints and never exits.  A failing call returns a
 * non-zero enum ls_status and, when the caller passed a struct ls_error,
 * fills it with the file, line, column and a message; the command prints it
 * once with ls_cli_error() (cli.h) as "prog: file:line:col: message".
 */
#ifndef LS_ERROR_H
#define LS_ERROR_H

#include <stddef.h>

enum ls_status {
	LS_OK = 0,
	LS_EDATA,	/* bad input record: field count, quoting, UTF-8 */
	LS_EIO,		/* read or write failed; errno-derived message */
	LS_ENOMEM,
	LS_ECONFIG,	/* bad YAML, unknown key, bad expression */
	LS_EUSAGE,	/* bad arguments given to a library call */
	LS_EPIPE	/* output closed by the reader: end quietly */
};

struct ls_error {
	enum ls_status status;
	char file[512];		/* empty when no file is concerned */
	long line;		/* 1-based physical line, 0 when unknown */
	long col;		/* 1-based column, 0 when unknown */
	char msg[512];
};

/*
 * Fill err (which may be NULL) and return status, so that callers can write
 * "return ls_error_set(err, LS_EDATA, path, line, 0, "expected %zu fields", n);".
 * file may be NULL.
 */
int ls_error_set(struct ls_error *err, enum ls_status status, const char *file,
    long line, long col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* A static description of a status code. */
const char *ls_strerror(int status);

/* The documented exit status for a status code: 0, 1 (data, I/O) or 2 (config, usage). */
int ls_exit_status(int status);

/*
 * Format err as "file:line:col: msg" (parts that are unknown left out) into
 * buf of size n; returns buf.
 */
char *ls_error_format(const struct ls_error *err, char *buf, size_t n);

#endif
