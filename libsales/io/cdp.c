/*
 * cdp.c - cdp.h: Chromium spawned once, spoken to over a socket pair on
 * its fds 3 and 4, one tab reused for every page of the batch.
 */
#define _XOPEN_SOURCE 700	/* nftw(3) */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cdp.h"
#include "json.h"

#define DEFAULT_TIMEOUT_MS	60000
#define GRACE_MS		5000	/* after Browser.close, before SIGKILL */

struct ls_cdp {
	pid_t pid;		/* 0: reaped */
	int fd;			/* our end of the socket pair; -1 once the browser failed */
	int timeout_ms;
	char *profile;		/* the fresh --user-data-dir, removed at the end */
	char *allow;		/* allow_dir + "/": the folder whose files a page may load */
	long next_id;
	struct ls_buf in;	/* bytes read, not yet a whole message */
	size_t used;		/* ... of which consumed */
	char session[128];	/* the tab's session, "" before the first page */
	int loaded;		/* Page.loadEventFired seen for the current navigation */
	int exited, status;	/* reaped before ls_cdp_stop(), and its waitpid status */
	struct ls_error dead;	/* why the browser failed (status 0: it did not) */
};

int
ls_cdp_file_url(struct ls_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[3] = { '%', hex[c >> 4], hex[c & 15] };

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("/-._~", c) != NULL)
			rc = ls_buf_put(b, (const char *)&s[i], 1);
		else
			rc = ls_buf_put(b, e, 3);
	}
	return rc ? LS_ENOMEM : 0;
}

static int
b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

int
ls_cdp_base64(struct ls_buf *b, const char *s, size_t n)
{
	if (n % 4 != 0)
		return LS_EDATA;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;
		char out[3];

		for (int k = 0; k < 4; k++) {
			v[k] = b64val(s[i + k]);
			if (s[i + k] == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
			} else if (v[k] < 0 || pad)
				return LS_EDATA;	/* a bad letter, or data after '=' */
		}
		out[0] = (char)(v[0] << 2 | v[1] >> 4);
		out[1] = (char)((v[1] & 15) << 4 | v[2] >> 2);
		out[2] = (char)((v[2] & 3) << 6 | v[3]);
		if (ls_buf_put(b, out, (size_t)(3 - pad)) != 0)
			return LS_ENOMEM;
	}
	return 0;
}

int
ls_cdp_find(const char *program, char **path, struct ls_error *err)
{
	const char *name = program ? program : "chromium", *p = getenv("PATH");
	struct stat st;

	*path = NULL;
	if (strchr(name, '/') != NULL) {
		if (stat(name, &st) != 0 || !S_ISREG(st.st_mode) || access(name, X_OK) != 0)
			return ls_error_set(err, LS_ECONFIG, NULL, 0, 0,
			    "%s: not an executable file (Chromium: apt install chromium)", name);
		if ((*path = strdup(name)) == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return 0;
	}
	for (p = p ? p : "/usr/bin:/bin"; ; p++) {
		const char *e = strchr(p, ':');
		size_t dn;
		char *full;

		if (e == NULL)
			e = p + strlen(p);
		dn = (size_t)(e - p);
		full = malloc(dn + strlen(name) + 3);

		if (full == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		/* an empty entry of PATH is the current folder, as execvp(3) reads it */
		snprintf(full, dn + strlen(name) + 3, "%.*s/%s", (int)(dn ? dn : 1), dn ? p : ".", name);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0) {
			*path = full;
			return 0;
		}
		free(full);
		if (*e == '\0')
			break;
		p = e;
	}
	return ls_error_set(err, LS_ECONFIG, NULL, 0, 0,
	    "%s: not found in PATH (Chromium prints the PDFs: apt install chromium)", name);
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* The browser's process group killed and the browser reaped; its exit told in c->dead when it failed first. */
static void
reap(struct ls_cdp *c, int grace_ms)
{
	long until = now_ms() + grace_ms;
	int st;

	if (c->pid <= 0)
		return;
	while (waitpid(c->pid, &st, WNOHANG) == 0) {
		if (now_ms() >= until) {
			kill(-c->pid, SIGKILL);
			while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
				;
			break;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);
	}
	/* renderers and helpers left in its group go with it */
	kill(-c->pid, SIGKILL);
	c->pid = 0;
}

/* Reap the browser if it ends within ms; its status kept for the message. */
static void
wait_exit(struct ls_cdp *c, int ms)
{
	long until = now_ms() + ms;

	while (c->pid > 0) {
		pid_t got = waitpid(c->pid, &c->status, WNOHANG);

		if (got == c->pid) {
			c->exited = 1;
			kill(-c->pid, SIGKILL);	/* what it left in its group */
			c->pid = 0;
			return;
		}
		if (got < 0 || now_ms() >= until)
			return;
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	}
}

/* The browser failed: stopped, and every later call fails with err's words. */
static int
die(struct ls_cdp *c, struct ls_error *err, const char *fmt, const char *what)
{
	if (c->dead.status == 0) {
		char msg[400];
		size_t n;

		snprintf(msg, sizeof msg, fmt, what);
		n = strlen(msg);
		wait_exit(c, 0);
		if (c->exited && WIFEXITED(c->status))
			snprintf(msg + n, sizeof msg - n, " (chromium exited with status %d)",
			    WEXITSTATUS(c->status));
		else if (c->exited && WIFSIGNALED(c->status))
			snprintf(msg + n, sizeof msg - n, " (chromium was killed by signal %d)",
			    WTERMSIG(c->status));
		reap(c, 0);
		ls_error_set(&c->dead, LS_EIO, NULL, 0, 0, "%s", msg);
	}
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	if (err)
		*err = c->dead;
	return LS_EIO;
}

/*
 * A browser that is gone makes send() fail (EPIPE, or ECONNRESET when it
 * left our last command unread) or recv() see the end: which one comes
 * first is the scheduler's choice, so both say the same "chromium ended
 * (waiting for METHOD)", with how it exited.
 */
static int
ended(struct ls_cdp *c, struct ls_error *err, const char *what)
{
	wait_exit(c, 1000);	/* a moment to reap it and say how */
	return die(c, err, "chromium ended (waiting for %s)", what);
}

static int
send_all(struct ls_cdp *c, const char *p, size_t n, const char *what, long until, struct ls_error *err)
{
	while (n > 0) {
		struct pollfd pf = { .fd = c->fd, .events = POLLOUT };
		long left = until - now_ms();
		ssize_t k;

		if (left <= 0)
			return die(c, err, "chromium did not read its commands in time%s", "");
		if (poll(&pf, 1, (int)left) < 0 && errno != EINTR)
			return die(c, err, "poll: %s", strerror(errno));
		if ((k = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT)) < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == EPIPE || errno == ECONNRESET)
				return ended(c, err, what);
			return die(c, err, "writing to chromium: %s", strerror(errno));
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Send METHOD with params (a JSON object's text, or NULL) to the tab's session (or the browser's); *id its id. */
static int
command(struct ls_cdp *c, int to_tab, const char *method, const char *params, long *id, long until,
    struct ls_error *err)
{
	struct ls_buf b = { 0 };
	int rc;

	*id = ++c->next_id;
	rc = ls_buf_printf(&b, "{\"id\":%ld,\"method\":\"%s\"", *id, method);
	if (to_tab) {
		rc |= ls_buf_puts(&b, ",\"sessionId\":");
		rc |= ls_json_put_str(&b, c->session, strlen(c->session));
	}
	rc |= ls_buf_printf(&b, ",\"params\":%s}", params ? params : "{}");
	if (rc != 0 || ls_buf_put(&b, "", 1) != 0) {	/* the NUL that ends a message */
		ls_buf_free(&b);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	rc = send_all(c, b.p, b.n, method, until, err);
	ls_buf_free(&b);
	return rc;
}

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The browser may spell a byte escaped or not: the paths are compared decoded. */
int
ls_cdp_url_inside(const char *url, const char *dir)
{
	struct ls_buf d = { 0 };
	const char *p;
	int ok;

	if (strncmp(url, "file://", 7) != 0)
		return 0;
	for (p = url + 7; *p && *p != '?' && *p != '#'; p++) {
		char c = *p;

		if (c == '%') {
			int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);

			if (lo < 0 || (hi == 0 && lo == 0)) {
				ls_buf_free(&d);
				return 0;
			}
			c = (char)(hi << 4 | lo);
			p += 2;
		}
		if (ls_buf_put(&d, &c, 1) != 0) {
			ls_buf_free(&d);
			return 0;
		}
	}
	ok = d.n > strlen(dir) && strncmp(d.p, dir, strlen(dir)) == 0 && strstr(d.p, "/../") == NULL &&
	    strstr(d.p, "/./") == NULL && (d.n < 3 || strcmp(d.p + d.n - 3, "/..") != 0) &&
	    (d.n < 2 || strcmp(d.p + d.n - 2, "/.") != 0);
	ls_buf_free(&d);
	return ok;
}

/* A request the page makes: let through when it is a file inside allow_dir, else refused. */
static int
paused(struct ls_cdp *c, const struct ls_json *params, long until, struct ls_error *err)
{
	const char *rid = ls_json_str(ls_json_get(params, "requestId"));
	const char *url = ls_json_str(ls_json_get(ls_json_get(params, "request"), "url"));
	struct ls_buf p = { 0 };
	long id;
	int ok, rc;

	if (rid == NULL || url == NULL)
		return die(c, err, "chromium sent a request without its id or URL%s", "");
	ok = ls_cdp_url_inside(url, c->allow);
	rc = ls_buf_puts(&p, "{\"requestId\":");
	rc |= ls_json_put_str(&p, rid, strlen(rid));
	rc |= ls_buf_puts(&p, ok ? "}" : ",\"errorReason\":\"AccessDenied\"}");
	if (rc != 0) {
		ls_buf_free(&p);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	rc = command(c, 1, ok ? "Fetch.continueRequest" : "Fetch.failRequest", p.p, &id, until, err);
	ls_buf_free(&p);
	return rc;
}

/*
 * Read messages until the reply to id comes (*reply, freed by the caller)
 * or, with id 0, until the tab's load event; events on the way are handled.
 */
static int
await(struct ls_cdp *c, long id, struct ls_json_doc **reply, const char *what, long until,
    struct ls_error *err)
{
	for (;;) {
		char *nul = c->in.n > c->used ? memchr(c->in.p + c->used, '\0', c->in.n - c->used) : NULL;

		if (nul != NULL) {
			struct ls_error e = { 0 };
			size_t len = (size_t)(nul - (c->in.p + c->used));
			struct ls_json_doc *d = ls_json_parse(c->in.p + c->used, len, &e);
			const struct ls_json *r, *method;
			long long got = 0;

			c->used += len + 1;
			if (d == NULL) {
				if (e.status == LS_ENOMEM)
					return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
				return die(c, err, "chromium sent a message that is not JSON: %s", e.msg);
			}
			r = ls_json_root(d);
			method = ls_json_get(r, "method");
			if (method) {
				const char *m = ls_json_str(method);
				const char *s = ls_json_str(ls_json_get(r, "sessionId"));
				int ours = s && c->session[0] && !strcmp(s, c->session);
				int rc = 0;

				if (ours && m && !strcmp(m, "Fetch.requestPaused"))
					rc = paused(c, ls_json_get(r, "params"), until, err);
				else if (ours && m && !strcmp(m, "Page.loadEventFired"))
					c->loaded = 1;
				else if (m && !strcmp(m, "Inspector.targetCrashed"))
					rc = die(c, err, "chromium's page crashed%s", "");
				else if (ours && m && !strcmp(m, "Inspector.detached")) {
					/* the tab's renderer gone ("Render process gone."): nothing more will come */
					const char *why = ls_json_str(ls_json_get(ls_json_get(r, "params"), "reason"));

					rc = die(c, err, "chromium's page went away: %s", why ? why : "no reason given");
				}
				ls_json_free(d);
				if (rc != 0)
					return rc;
				if (id == 0 && c->loaded)
					return 0;
				continue;
			}
			if (id != 0 && ls_json_int(ls_json_get(r, "id"), &got) == 0 && got == id) {
				*reply = d;
				return 0;
			}
			ls_json_free(d);	/* the answer to a command not waited for */
			continue;
		}
		/* the consumed part dropped before reading more */
		if (c->used > 0) {
			memmove(c->in.p, c->in.p + c->used, c->in.n - c->used);
			c->in.n -= c->used;
			c->used = 0;
		}
		{
			struct pollfd pf = { .fd = c->fd, .events = POLLIN };
			long left = until - now_ms();
			char chunk[65536];
			ssize_t k;

			if (left <= 0)
				return die(c, err, "chromium did not answer in time (waiting for %s)", what);
			if (poll(&pf, 1, (int)left) < 0) {
				if (errno == EINTR)
					continue;
				return die(c, err, "poll: %s", strerror(errno));
			}
			if ((k = recv(c->fd, chunk, sizeof chunk, MSG_DONTWAIT)) < 0) {
				if (errno == EAGAIN || errno == EINTR)
					continue;
				if (errno == ECONNRESET)
					return ended(c, err, what);
				return die(c, err, "reading from chromium: %s", strerror(errno));
			}
			if (k == 0)	/* the pipe's end: the browser is gone */
				return ended(c, err, what);
			if (ls_buf_put(&c->in, chunk, (size_t)k) != 0)
				return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		}
	}
}

/* Send a command and wait for its reply; an error reply is LS_EDATA (this page's) with its message. */
static int
call(struct ls_cdp *c, int to_tab, const char *method, const char *params, struct ls_json_doc **out,
    struct ls_error *err)
{
	struct ls_json_doc *d = NULL;
	const struct ls_json *e;
	long id, until = now_ms() + c->timeout_ms;
	int rc;

	if ((rc = command(c, to_tab, method, params, &id, until, err)) != 0 ||
	    (rc = await(c, id, &d, method, until, err)) != 0)
		return rc;
	if ((e = ls_json_get(ls_json_root(d), "error")) != NULL) {
		const char *m = ls_json_str(ls_json_get(e, "message"));

		rc = ls_error_set(err, LS_EDATA, NULL, 0, 0, "chromium: %s: %s", method, m ? m : "failed");
		ls_json_free(d);
		return rc;
	}
	if (out)
		*out = d;
	else
		ls_json_free(d);
	return 0;
}

/*
 * A coverage build (make coverage defines LS_COVERAGE) writes the child's
 * gcov counters before execv() or _exit(), which skip them: the lines only
 * the child runs would otherwise count as never run (as in xls.c).
 */
#ifdef LS_COVERAGE
void __gcov_dump(void);
#define CHILD_COUNTERS() __gcov_dump()
#else
#define CHILD_COUNTERS() ((void)0)
#endif

/* The child's side of the fork: only async-signal-safe calls from here to exec. */
static _Noreturn void
child(int sock, const char *path, char *const argv[], const char *stderr_path)
{
	int hi, nul = open("/dev/null", O_RDWR);
	int errfd = stderr_path ? open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600) : nul;

	setpgid(0, 0);
	/* fds 3 and 4 may be sock itself: moved out of the way first */
	if ((hi = fcntl(sock, F_DUPFD_CLOEXEC, 10)) < 0 || nul < 0 || errfd < 0 ||
	    dup2(hi, 3) < 0 || dup2(hi, 4) < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 ||
	    dup2(errfd, 2) < 0) {
		CHILD_COUNTERS();
		_exit(126);
	}
	CHILD_COUNTERS();
	execv(path, argv);
	_exit(127);
}

struct ls_cdp *
ls_cdp_start(const struct ls_cdp_opts *o, struct ls_error *err)
{
	struct ls_cdp *c;
	struct ls_buf a = { 0 }, prof = { 0 }, u = { 0 };
	const char *tmp = getenv("TMPDIR");
	char *path = NULL;
	int sv[2] = { -1, -1 }, rc;

	if (o->allow_dir == NULL || o->allow_dir[0] != '/') {
		ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "ls_cdp_start: allow_dir must be an absolute folder");
		return NULL;
	}
	if (ls_cdp_find(o->program, &path, err) != 0)
		return NULL;
	if ((c = calloc(1, sizeof *c)) == NULL)
		goto nomem;
	c->fd = -1;
	c->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
	rc = ls_buf_puts(&u, o->allow_dir);
	if (u.n == 0 || u.p[u.n - 1] != '/')
		rc |= ls_buf_puts(&u, "/");
	rc |= ls_buf_printf(&prof, "%s/doc-render-chromium.XXXXXX", tmp && tmp[0] == '/' ? tmp : "/tmp");
	if (rc != 0)
		goto nomem;
	c->allow = u.p;
	u.p = NULL;
	if (mkdtemp(prof.p) == NULL) {
		ls_error_set(err, LS_EIO, prof.p, 0, 0, "%s", strerror(errno));
		ls_buf_free(&prof);
		goto fail;
	}
	c->profile = prof.p;
	prof.p = NULL;
	{
		/*
		 * No network: every host name unresolved and any proxy use sent
		 * to a port nothing listens on; no background fetches, updates,
		 * sync or first-run pages.  Chromium refuses to start as root
		 * with its sandbox on: only then is it turned off.
		 */
		const char *fixed[] = {
			"--headless", "--remote-debugging-pipe", "--no-first-run", "--no-default-browser-check",
			"--disable-gpu", "--disable-extensions", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--disable-default-apps",
			"--disable-domain-reliability", "--disable-breakpad", "--mute-audio",
			"--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
			"--proxy-bypass-list=<-loopback>",
		};
		char *argv[sizeof fixed / sizeof fixed[0] + 5];
		size_t k = 0;
		pid_t pid;

		rc = ls_buf_printf(&a, "--user-data-dir=%s", c->profile);
		if (rc != 0)
			goto nomem;
		argv[k++] = path;
		for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
			argv[k++] = (char *)fixed[i];
		argv[k++] = a.p;
		if (geteuid() == 0)
			argv[k++] = (char *)"--no-sandbox";
		argv[k++] = (char *)"about:blank";
		argv[k] = NULL;
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
			ls_error_set(err, LS_EIO, NULL, 0, 0, "socketpair: %s", strerror(errno));
			goto fail;
		}
		if ((pid = fork()) < 0) {
			ls_error_set(err, LS_EIO, NULL, 0, 0, "fork: %s", strerror(errno));
			goto fail;
		}
		if (pid == 0)
			child(sv[1], path, argv, o->stderr_path);
		c->pid = pid;
		close(sv[1]);
		sv[1] = -1;
		c->fd = sv[0];
		sv[0] = -1;
	}
	/* the first answer says it runs (an exec that failed ends the pipe: LS_EIO) */
	if (call(c, 0, "Browser.getVersion", NULL, NULL, err) != 0)
		goto fail;
	ls_buf_free(&a);
	free(path);
	return c;
nomem:
	ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	ls_buf_free(&a);
	ls_buf_free(&prof);
	ls_buf_free(&u);
	free(path);
	ls_cdp_stop(c);
	return NULL;
}

/* The tab every page is printed in: made, attached, its scripts off and its requests watched. */
static int
open_tab(struct ls_cdp *c, struct ls_error *err)
{
	struct ls_json_doc *d = NULL;
	const char *s;
	int rc;

	if ((rc = call(c, 0, "Target.createTarget", "{\"url\":\"about:blank\"}", &d, err)) != 0)
		return rc == LS_EDATA ? die(c, err, "%s", err->msg) : rc;
	s = ls_json_str(ls_json_get(ls_json_get(ls_json_root(d), "result"), "targetId"));
	{
		struct ls_buf p = { 0 };

		rc = s == NULL ? -1 : 0;
		if (rc == 0 && (ls_buf_puts(&p, "{\"targetId\":") != 0 || ls_json_put_str(&p, s, strlen(s)) != 0 ||
		    ls_buf_puts(&p, ",\"flatten\":true}") != 0))
			rc = LS_ENOMEM;
		ls_json_free(d);
		d = NULL;
		if (rc < 0)
			return die(c, err, "chromium made a tab without a targetId%s", "");
		if (rc == 0)
			rc = call(c, 0, "Target.attachToTarget", p.p, &d, err);
		ls_buf_free(&p);
		if (rc == LS_ENOMEM)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		if (rc != 0)
			return rc == LS_EDATA ? die(c, err, "%s", err->msg) : rc;
	}
	s = ls_json_str(ls_json_get(ls_json_get(ls_json_root(d), "result"), "sessionId"));
	if (s == NULL || strlen(s) >= sizeof c->session) {
		ls_json_free(d);
		return die(c, err, "chromium attached to the tab without a usable sessionId%s", "");
	}
	strcpy(c->session, s);
	ls_json_free(d);
	if ((rc = call(c, 1, "Page.enable", NULL, NULL, err)) != 0 ||
	    (rc = call(c, 1, "Emulation.setScriptExecutionDisabled", "{\"value\":true}", NULL, err)) != 0 ||
	    (rc = call(c, 1, "Fetch.enable", "{\"patterns\":[{\"urlPattern\":\"*\"}]}", NULL, err)) != 0) {
		c->session[0] = '\0';
		return rc == LS_EDATA ? die(c, err, "%s", err->msg) : rc;
	}
	return 0;
}

int
ls_cdp_print_pdf(struct ls_cdp *c, const char *path, struct ls_buf *pdf, struct ls_error *err)
{
	struct ls_buf p = { 0 };
	struct ls_json_doc *d = NULL;
	const char *data, *why;
	long until;
	int rc;

	if (c->fd < 0) {
		if (err)
			*err = c->dead;
		return LS_EIO;
	}
	if (c->session[0] == '\0' && (rc = open_tab(c, err)) != 0)
		return rc;
	rc = ls_buf_puts(&p, "{\"url\":\"file://");
	rc |= ls_cdp_file_url(&p, path, strlen(path));
	rc |= ls_buf_puts(&p, "\"}");
	if (rc != 0) {
		ls_buf_free(&p);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	c->loaded = 0;
	rc = call(c, 1, "Page.navigate", p.p, &d, err);
	ls_buf_free(&p);
	if (rc != 0)
		return rc;
	why = ls_json_str(ls_json_get(ls_json_get(ls_json_root(d), "result"), "errorText"));
	if (why != NULL) {
		rc = ls_error_set(err, LS_EDATA, NULL, 0, 0, "chromium could not load it: %s", why);
		ls_json_free(d);
		return rc;
	}
	ls_json_free(d);
	d = NULL;
	until = now_ms() + c->timeout_ms;
	if (!c->loaded && (rc = await(c, 0, NULL, "the page's load event", until, err)) != 0)
		return rc;
	/* A4 in inches, for a page whose CSS does not say its size */
	if ((rc = call(c, 1, "Page.printToPDF", "{\"printBackground\":true,\"preferCSSPageSize\":true,"
	    "\"displayHeaderFooter\":false,\"paperWidth\":8.2677,\"paperHeight\":11.6929,"
	    "\"transferMode\":\"ReturnAsBase64\"}", &d, err)) != 0)
		return rc;
	data = ls_json_str(ls_json_get(ls_json_get(ls_json_root(d), "result"), "data"));
	if (data == NULL) {
		ls_json_free(d);
		return die(c, err, "chromium printed without the PDF's data%s", "");
	}
	pdf->n = 0;
	rc = ls_cdp_base64(pdf, data, strlen(data));
	ls_json_free(d);
	if (rc == LS_ENOMEM)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if (rc != 0 || pdf->n < 5 || memcmp(pdf->p, "%PDF-", 5) != 0)
		return die(c, err, "chromium's PDF data is not a PDF%s", "");
	return 0;
}

void
ls_cdp_stop(struct ls_cdp *c)
{
	if (c == NULL)
		return;
	if (c->fd >= 0 && c->pid > 0) {
		static const char bye[] = "{\"id\":0,\"method\":\"Browser.close\"}";

		/* asked to close, without waiting for the answer; killed when it does not */
		(void)send(c->fd, bye, sizeof bye, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	reap(c, c->fd >= 0 ? GRACE_MS : 0);
	if (c->fd >= 0)
		close(c->fd);
	if (c->profile) {
		/* its files are the browser's; none is a link followed out (FTW_PHYS) */
		nftw(c->profile, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		free(c->profile);
	}
	ls_buf_free(&c->in);
	free(c->allow);
	free(c);
}
