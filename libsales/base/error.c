/* error.c - the error record shared by every libsales module. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

int
ls_error_set(struct ls_error *err, enum ls_status status, const char *file,
    long line, long col, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return status;
	err->status = status;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return status;
}

const char *
ls_strerror(int status)
{
	switch (status) {
	case LS_OK:		return "success";
	case LS_EDATA:		return "bad input data";
	case LS_EIO:		return "input/output error";
	case LS_ENOMEM:		return "out of memory";
	case LS_ECONFIG:	return "configuration error";
	case LS_EUSAGE:		return "usage error";
	case LS_EPIPE:		return "output closed";
	}
	return "unknown error";
}

int
ls_exit_status(int status)
{
	switch (status) {
	case LS_OK:
	case LS_EPIPE:
		return 0;
	case LS_ECONFIG:
	case LS_EUSAGE:
		return 2;
	default:
		return 1;
	}
}

char *
ls_error_format(const struct ls_error *err, char *buf, size_t n)
{
	size_t off = 0;
	int k;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (err->file[0] != '\0') {
		if (err->line > 0 && err->col > 0)
			k = snprintf(buf, n, "%s:%ld:%ld: ", err->file, err->line, err->col);
		else if (err->line > 0)
			k = snprintf(buf, n, "%s:%ld: ", err->file, err->line);
		else
			k = snprintf(buf, n, "%s: ", err->file);
		off = k < 0 ? 0 : (size_t)k < n ? (size_t)k : n - 1;
	}
	snprintf(buf + off, n - off, "%s", err->msg[0] ? err->msg : ls_strerror(err->status));
	return buf;
}
