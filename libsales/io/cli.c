/* cli.c - the commands' process set-up and messages: the program name, signals, prog: errors. */
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "lock.h"

static const char *progname = "libsales";

/* SIGINT, SIGTERM, SIGHUP: no temporary output left behind, then die of the signal as usual. */
static void
on_signal(int sig)
{
	ls_atomic_remove_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

void
ls_cli_init(const char *prog)
{
	const char *slash = strrchr(prog, '/');

	progname = slash ? slash + 1 : prog;
	setlocale(LC_ALL, "");
	/* numbers are read and written the C way whatever the user's locale */
	setlocale(LC_NUMERIC, "C");
	signal(SIGPIPE, SIG_IGN);
	/* a file-size limit (ulimit -f) is a write error (EFBIG) like a full
	 * disk, handled and cleaned up after, not a death that leaves temporary files */
	signal(SIGXFSZ, SIG_IGN);
	for (size_t i = 0; i < 3; i++) {
		static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
		struct sigaction sa, old;

		/* a signal ignored by whoever started us (nohup) stays ignored */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
}

int
ls_cli_clock(void)
{
	struct ls_error err;

	return ls_clock_init(&err) ? ls_cli_error(&err) : 0;
}

const char *
ls_cli_prog(void)
{
	return progname;
}

static void
vwarn(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
ls_cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

int
ls_cli_fail(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	return status;
}

int
ls_cli_error(const struct ls_error *err)
{
	char buf[1200];

	if (err->status == LS_EPIPE)
		return 0;
	/*
	 * One wording for memory, whichever call ran short (libsales-formats(5)):
	 * the file being read when it happened is not what is wrong with it.
	 */
	if (err->status == LS_ENOMEM) {
		fprintf(stderr, "%s: %s\n", progname, ls_strerror(LS_ENOMEM));
		return ls_exit_status(LS_ENOMEM);
	}
	fprintf(stderr, "%s: %s\n", progname, ls_error_format(err, buf, sizeof(buf)));
	return ls_exit_status(err->status);
}

int
ls_cli_version(void)
{
	printf("%s (libsales) %s\n", progname, LS_VERSION);
	return 0;
}
