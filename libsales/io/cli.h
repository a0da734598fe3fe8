/*
 * cli.h - plumbing shared by the five commands: the stream options every
 * tool takes, messages in the "prog: file:line: message" form, the rejects
 * file, and the final check of standard output.
 *
 * Unlike the rest of the library, this module prints to standard error: it
 * is the commands' voice.  It still never exits; commands return the status.
 */
#ifndef LS_CLI_H
#define LS_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "error.h"
#include "record.h"
#include "writer.h"

/* Long-only option codes; commands add their own from LS_OPT_TOOL on. */
enum {
	LS_OPT_ENCODING = 256,
	LS_OPT_REJECTS,
	LS_OPT_OCSV,
	LS_OPT_OTSV,
	LS_OPT_VERSION,
	LS_OPT_THREADS,
	LS_OPT_LAZY,
	LS_OPT_BOM,
	LS_OPT_OENCODING,
	LS_OPT_KEEP_FORMULAS,
	LS_OPT_SHEET,
	LS_OPT_HEADER_ROW,
	LS_OPT_TOOL = 300
};

/*
 * A command's options, declared once: getopt_long()'s table, its short
 * option string and the --help text all come from the same entries, so
 * they cannot drift apart.  A table ends with an entry whose help is NULL.
 */
struct ls_opt {
	const char *name;	/* long name, or NULL */
	int letter;		/* short option, or 0 */
	int val;		/* what ls_getopt_next() returns: letter when there is one */
	const char *arg;	/* argument's name in --help, or NULL for a flag */
	const char *help;	/* one line */
};

/*
 * The shared options of libsales-formats(5), as tables to list after a
 * command's own (ls_cli_stream_opt() handles every one of them):
 *   ls_input_options   -d -t --encoding --lazy-quotes --sheet --header-row --rejects: wherever a CSV/TSV is read
 *   ls_output_options  -o --ocsv --otsv --bom --oencoding: wherever a CSV/TSV is written
 *   ls_basic_options   -h --version: every command
 *   ls_stream_options  all of these and --threads, for the filters that read and write a stream
 */
extern const struct ls_opt ls_stream_options[];
extern const struct ls_opt ls_input_options[];
extern const struct ls_opt ls_output_options[];
extern const struct ls_opt ls_basic_options[];

/*
 * A tool's subcommand, declared once like an option (git's OPT_SUBCOMMAND):
 * the tool's --help lists name and summary, `TOOL NAME --help` the usage
 * line and every option of its tables.  A list ends with a NULL name.
 */
struct ls_subcmd {
	const char *name;
	const char *args;		/* the usage line after the name: "ID TEXT [--channel CH]" */
	const char *summary;		/* one line for the tool's --help */
	const struct ls_opt *const *tables;	/* its options, NULL-terminated (ls_basic_options last) */
	int (*run)(void *ctx, int argc, char **argv);	/* argv[0] is the name */
};

#define LS_GETOPT_MAX	64
#define LS_GETOPT_TABLES 8
struct ls_getopt {
	struct option longopts[LS_GETOPT_MAX + 1];
	char shortopts[2 * LS_GETOPT_MAX + 2];
	const struct ls_opt *tables[LS_GETOPT_TABLES + 1];
	const char *synopsis;		/* the usage line, without "usage: " */
	const struct ls_subcmd *cmds;	/* the tool's subcommands for its --help, or NULL */
	char line[512];			/* a subcommand's usage line (ls_getopt_subcmd()) */
};

/*
 * Build getopt_long()'s tables from the NULL-terminated list of option
 * tables (the command's own, then the shared ones it takes) and remember the
 * synopsis for --help and usage errors; getopt starts over (optind = 0).
 * The tables and synopsis must live as long as g (they are static in the
 * commands).  Returns 0, or LS_EUSAGE with err filled when there are more
 * than LS_GETOPT_MAX options or LS_GETOPT_TABLES tables (a mistake in a
 * command's declaration, caught by test_cli).
 */
int ls_getopt_init(struct ls_getopt *g, const struct ls_opt *const *tables,
    const char *synopsis, struct ls_error *err);
/*
 * The same for a subcommand of a tool: its usage line is "PREFIX NAME ARGS",
 * PREFIX being the tool's name and the options it takes before the
 * subcommand ("ticket-log [-f LOG] [--sla SLA.yaml]").
 */
int ls_getopt_subcmd(struct ls_getopt *g, const struct ls_subcmd *sub, const char *prefix,
    struct ls_error *err);
/*
 * Make g stop at the first argument that is not an option (getopt's leading
 * '+'): a tool's own options come before its subcommand, the subcommand's
 * after it.  Call after ls_getopt_init().
 */
void ls_getopt_stop_at_args(struct ls_getopt *g);
/* getopt_long() over g's tables: the option's val, '?' for an unknown one, -1 at the end. */
int ls_getopt_next(struct ls_getopt *g, int argc, char **argv);
/* The subcommand named name in cmds, or NULL. */
const struct ls_subcmd *ls_subcmd_find(const struct ls_subcmd *cmds, const char *name);

/*
 * --help, in the one layout of the five tools: "usage: SYNOPSIS", then for
 * a tool with subcommands (g->cmds) each one's name and summary, then every
 * option of g's tables with its one-line description.
 */
void ls_cli_help(FILE *fp, const struct ls_getopt *g);
/*
 * What a command's usage() does: status 0 prints the help on standard
 * output; any other prints "usage: SYNOPSIS" on standard error (and, for a
 * tool with subcommands, where to find them).  Returns status, for
 * exit(ls_cli_usage(&g, 2)).
 */
int ls_cli_usage(const struct ls_getopt *g, int status);

struct ls_stream_opts {
	struct ls_reader_opts in;
	enum ls_format oformat;		/* AUTO: follow the input */
	const char *output;		/* -o FILE, or NULL for stdout */
	const char *rejects;		/* --rejects FILE */
	int threads;			/* --threads N; 0: $LS_THREADS, else 1 */
	const char *oencoding;		/* --oencoding NAME */
	int bom;			/* --bom */
	int keep_formulas;		/* --keep-formulas: no formula guard with --bom/--oencoding */
};

/*
 * Whether inputs are read on a second thread: --threads N (N >= 2), else
 * LS_THREADS=N from the environment; off by default, because the reading
 * thread costs more CPU seconds than it saves wall seconds (make bench).
 */
int ls_cli_readahead(const struct ls_stream_opts *o);

/*
 * The one process set-up and signal policy of the five tools: remember the
 * program name, set the locale (numbers stay C), ignore SIGPIPE so that a
 * closed pipe is a write error we can end quietly on, and SIGXFSZ so that a
 * file-size limit is a write error (EFBIG) like a full disk; on SIGINT,
 * SIGTERM and SIGHUP remove every temporary file of lock.h's atomic writes
 * (ls_atomic_*) and die of the signal.  A command registers nothing else.
 */
void ls_cli_init(const char *prog);
/*
 * Read the clock's pin (clock.h: SOURCE_DATE_EPOCH).  0, or 2 after
 * printing the error: a mistyped pin must not silently become the real clock.
 */
int ls_cli_clock(void);
const char *ls_cli_prog(void);

/*
 * Handle one of the shared options.  Returns 1 when ch was one (stored in
 * o), 0 when it is the command's own, -1 after printing a usage error
 * (the command then calls its usage()).  -h and --version are left to the command.
 */
int ls_cli_stream_opt(int ch, const char *arg, struct ls_stream_opts *o);

/* "prog: file:line:col: message" on stderr.  Returns the exit status for err. */
int ls_cli_error(const struct ls_error *err);
/* "prog: message" on stderr, printf-style.  Returns status (so: return ls_cli_fail(2, ...)). */
int ls_cli_fail(int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void ls_cli_warn(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/*
 * What a subcommand's option loop does with an option that is not its own:
 * -h prints its help (status 0), --version the version (0), anything else
 * its usage line (2).  Returns the exit status.
 */
int ls_cli_other_opt(const struct ls_getopt *g, int ch);

/* "prog (libsales) VERSION" on stdout; returns 0. */
int ls_cli_version(void);

/* How reading a stream ended (struct ls_stream's end). */
enum ls_stream_end {
	LS_STREAM_READING = 0,
	LS_STREAM_EOF,		/* every input record was read: counts are whole */
	LS_STREAM_CLOSED,	/* the output's reader went away (closed pipe): status 0, counts are not whole */
	LS_STREAM_FAILED	/* an error, already printed: status in s->status */
};

/*
 * A record stream: the reader over the inputs, the writer to stdout or -o,
 * and the rejects file.  ls_stream_next() returns 1 with a good record, 0 at
 * the end of the input, or -1 when reading stopped early: after a final
 * error (already printed; s->status is the exit status), or because the
 * output was closed (s->status 0).  s->end tells which.  A bad record is
 * either written to the rejects file and skipped, or printed and final.
 * A stop joins the reading thread at once (ls_reader_stop()).
 *
 * Callers read status, end and nrejected; the other fields are the
 * stream's own (reach the reader through ls_stream_reader(), commit
 * through ls_stream_close() or ls_stream_commit()).  They stay visible
 * only while commands still written against them move over.  A stream is
 * used by the thread that opened it.
 */
struct ls_stream {
	struct ls_reader *in;
	struct ls_writer *out;
	struct ls_writer *rej;
	const char *rejects;		/* its name, for messages */
	struct ls_error err;
	unsigned long nrejected;
	int status;			/* exit status after a failure */
	long *slot;			/* per input column: the extra value written there, or -1 */
	long *appended;			/* extra values appended after the input's columns */
	size_t nextra, nappended;
	size_t ncols;			/* the input's columns, as at ls_stream_header() */
	enum ls_stream_end end;
	struct ls_writer_opts wo;	/* how the output is written */
	/*
	 * ls_stream_row() writes the input's fields with ls_writer_span():
	 * for a tool whose rows are the records as read (lead-assign), where
	 * unquoted lines come out in one copy each.  Off: ls_writer_fields(),
	 * cheaper for rows with values of its own among them (lead-qualify).
	 */
	int spans;
	/*
	 * The values appended go out with ls_writer_tail(): for a tool whose
	 * appended values are mostly the same from row to row (lead-assign's
	 * manager, reason and time), written once and copied after.
	 */
	int same_tail;
};

/*
 * Open inputs (argv[0..argc) or stdin) and outputs.  Returns 0, or an exit
 * status after printing the error (2 for -o FILE.xlsx: these streams are
 * CSV or TSV).
 */
int ls_stream_open(struct ls_stream *s, const struct ls_stream_opts *o, char **argv, int argc);
int ls_stream_next(struct ls_stream *s, struct ls_record *rec);
/*
 * Write the header: the input's columns, then each of the extra column
 * names (a NULL-terminated list; may be NULL) that the input lacks.  A name
 * the input has already (a second run over a tool's own output, or an
 * assigned stream given to lead-assign again) is not repeated: its values
 * are replaced in place by ls_stream_row().
 */
int ls_stream_header(struct ls_stream *s, const char *const *extra);	/* 0, or an exit status after printing */

/* Write one row: fields[0..n) with the extra values (in ls_stream_header()'s order) put in place or appended. */
int ls_stream_row(struct ls_stream *s, const struct ls_str *fields, size_t n,
    const struct ls_str *extra);
/*
 * The row ls_stream_row() writes, as views into out[0..ls_stream_out_cols(s))
 * (fields and extra must outlive them), and likewise the header
 * ls_stream_header() wrote with extra: for a second output of the same rows
 * (lead-assign --split).  Call after ls_stream_header().
 */
size_t ls_stream_out_cols(const struct ls_stream *s);
/* The options the output is written with (its format, delimiter, encoding, BOM), for files like it. */
const struct ls_writer_opts *ls_stream_writer_opts(const struct ls_stream *s);
void ls_stream_out_row(const struct ls_stream *s, const struct ls_str *fields, size_t n,
    const struct ls_str *extra, struct ls_str *out);
void ls_stream_out_header(const struct ls_stream *s, const char *const *extra, struct ls_str *out);

/*
 * Flush and commit the outputs (the rejects file, then the output), and
 * say how many bad records went to the rejects file; returns the exit
 * status (0, or 1 after printing a write error; 0 on a closed pipe, with
 * s->end LS_STREAM_CLOSED).
 */
int ls_stream_close(struct ls_stream *s);
/*
 * The same commits, for a command that has work left once its rows are
 * out, and that must know they are (lead-assign saves its state only
 * then): returns the exit status as ls_stream_close() does, without the
 * count of rejects; the rows are in place only when it returns 0 and
 * s->end is still LS_STREAM_EOF (LS_STREAM_CLOSED: the output's reader
 * went away and took rows unread; LS_STREAM_FAILED: an error, printed).
 */
int ls_stream_commit(struct ls_stream *s);
/* The stream's reader (for its header, or to attach work to it); owned by s. */
struct ls_reader *ls_stream_reader(const struct ls_stream *s);
/* Free everything; uncommitted -o files are removed. */
void ls_stream_free(struct ls_stream *s);

/* fflush/ferror/fclose stdout: 0, or 1 after printing the write error (0 on a closed pipe). */
int ls_finish_output(void);

#endif
