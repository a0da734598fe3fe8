/*
 * cdp.h - one headless Chromium for a batch of pages printed to PDF, driven
 * over the DevTools protocol on a pipe (--remote-debugging-pipe: the
 * browser reads NUL-terminated JSON messages on its fd 3 and writes its
 * answers on fd 4; json.h reads them).  One browser process serves every
 * page of a batch: starting Chromium costs far more than printing a page.
 *
 * The browser runs in a fresh profile folder (made under TMPDIR, removed
 * by ls_cdp_stop()), in a process group of its own, with its network
 * switched off (a proxy that does not exist, every host name unresolved,
 * no background fetches), scripts disabled in the page, and every request
 * the page makes (its own, images, styles, frames) outside the folder
 * allow_dir refused through the Fetch domain.  Its standard input and
 * output are /dev/null; its standard error goes to stderr_path when
 * given (its chatter is not the tool's to show), else /dev/null.
 *
 * The process is the library's: ls_cdp_start() spawns it, ls_cdp_stop()
 * ends it (Browser.close, then SIGKILL to its group after a grace time)
 * and reaps it.  Nothing process-wide is touched: writes use
 * send(MSG_NOSIGNAL) on a socket pair, so a browser that died is an
 * error, not a SIGPIPE.  One thread at a time per struct ls_cdp.
 */
#ifndef LS_CDP_H
#define LS_CDP_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

struct ls_cdp_opts {
	const char *program;	/* the browser: a path, or a name looked up in PATH; NULL: "chromium" */
	const char *allow_dir;	/* an absolute folder: pages load only file:// URLs inside it (required) */
	int timeout_ms;		/* for the start and for each page's load and print; 0: 60 000 */
	const char *stderr_path;	/* where the browser's standard error goes, or NULL: /dev/null */
};

/*
 * Where program (NULL: "chromium") would be run from: a name with a slash
 * as it is, else the first executable regular file of that name in PATH.
 * 0 with *path (malloc'ed), or LS_ECONFIG when there is none (err says
 * which, and that apt install chromium provides it), LS_ENOMEM.
 */
int ls_cdp_find(const char *program, char **path, struct ls_error *err);

/*
 * Start the browser and wait until it answers.  NULL with err filled:
 * LS_ECONFIG (no such program, ls_cdp_find()), LS_EIO (it could not be
 * started, exited or did not answer in time), LS_ENOMEM.
 */
struct ls_cdp *ls_cdp_start(const struct ls_cdp_opts *o, struct ls_error *err);

/*
 * Load the file at path (absolute, inside allow_dir) as a file:// URL,
 * wait for its load event and print it to PDF: A4 unless the page's CSS
 * says its size, backgrounds printed, no header or footer.  The PDF's
 * bytes replace pdf's text.  0; LS_EDATA when the page could not be
 * loaded or printed (this page's fault: the browser goes on); LS_EIO when
 * the browser failed (it exited, broke the protocol or did not answer
 * within the timeout: it is stopped, and every later call fails the
 * same); LS_ENOMEM.
 */
int ls_cdp_print_pdf(struct ls_cdp *c, const char *path, struct ls_buf *pdf, struct ls_error *err);

/* End the browser (see above), remove its profile, free c.  NULL: no-op. */
void ls_cdp_stop(struct ls_cdp *c);

/*
 * s[0..n) as a file:// URL's path: bytes other than letters, digits and
 * "/-._~" percent-encoded.  0 or LS_ENOMEM.
 */
int ls_cdp_file_url(struct ls_buf *b, const char *s, size_t n);

/*
 * Whether url is a file:// URL naming a file inside the folder dir (an
 * absolute path ending in '/'), decoded (%XX) before comparing; a "." or
 * ".." segment or an escaped NUL is never inside; a query or fragment is
 * not part of the path.  1 or 0.
 */
int ls_cdp_url_inside(const char *url, const char *dir);

/* Decode base64 s[0..n) (RFC 4648, padding required, no blanks) into b.  0, LS_EDATA or LS_ENOMEM. */
int ls_cdp_base64(struct ls_buf *b, const char *s, size_t n);

#endif
