/*
 * fuzz_journal.c - libFuzzer target for doc-render's approval gate as
 * `doc-render verify` reads it: a manifest and its journal, any bytes, and
 * the check that every approved or released row agrees with the journal.
 *
 * A journal of random bytes stops at its first record: the fuzzer cannot
 * forge a SHA-256 link.  So the first byte chooses how the journal is made
 * (the seeds in tests/fuzz/corpus/fuzz_journal/ start with it):
 *   bit 0 clear  the journal part is the file, bytes as they come (the
 *                head, the escapes, torn and forged lines: the chain's
 *                reader);
 *   bit 0 set    the journal part is records, a line each, fields split at
 *                tabs, which this target writes through the chain's own
 *                writer (ls_chain_add(): the links are right), so that
 *                what a record says is what gets checked (events out of
 *                order, a release of a hash never approved, a printed
 *                record of another hash, an approval by someone else);
 *   bit 1 set    the manifest part is used as the manifest; clear, the
 *                fixed one below (three documents: released, approved,
 *                draft), as doc-render writes it.
 * The rest is the manifest part, a NUL byte, then the journal part; with
 * no NUL, all of it is the journal part.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "doc_int.h"
#include "document.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* what doc_gate.c writes as the journal's first line, without the version */
#define PREFIX	"# doc-render journal v"

static const char manifest_fixed[] =
    "doc_id,file,template,status,sha256,rendered_at,approved_by,approved_at\n"
    "D-1,drafts/D-1.md,invoice.md,released,83dc8f7ef1c8c8aa5879004e72fc9db2d3a39cf3c8c41f97f3f00b03dd57aae1,"
    "2026-11-30T00:53:20+00:00,ivanov,2026-11-30T01:53:20+00:00\n"
    "D-2,drafts/D-2.md,invoice.md,approved,0fd02a1be0005abe1b8ce9bf0eae2d2245837ea7369c16866d1ed7789cbc6007,"
    "2026-11-30T00:53:20+00:00,ivanov,2026-11-30T01:53:20+00:00\n"
    "D-4,drafts/D-4.md,invoice.md,draft,,2026-11-30T00:53:20+00:00,,\n";

static char dir[64], mpath[96], jpath[112];

static void
cleanup(void)
{
	static const char *const ext[] = { "", ".lock", ".journal", ".journal.torn" };
	char p[128];

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", mpath, ext[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void
put(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fwrite(p, 1, n, fp) != n || fclose(fp) != 0)
		abort();	/* the fuzzer's own file: nothing to learn from a failure */
}

/*
 * Write the records of p[0..n) (a line each, fields at tabs, missing ones
 * empty, extra ones joined to the last) through the chain's writer.  A
 * record the writer refuses (a NUL inside) is left out, as a tool could
 * not have written it.
 */
static void
rechain(const char *p, size_t n)
{
	struct ls_error err;
	struct ls_chain *c;
	struct ls_str f[LS_J_NFIELDS];
	const char *end = p + n;

	if ((c = ls_chain_open(jpath, PREFIX, "a doc-render journal", LS_J_NFIELDS, LS_CHAIN_WRITE,
	    NULL, NULL, &err)) == NULL)
		return;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *q;
		const char *le = nl ? nl : end;
		size_t k = 0;

		for (q = p; k < LS_J_NFIELDS; k++) {
			const char *tab = k + 1 < LS_J_NFIELDS ? memchr(q, '\t', (size_t)(le - q)) : NULL;
			const char *fe = tab ? tab : le;

			f[k].p = q;
			f[k].n = (size_t)(fe - q);
			q = tab ? tab + 1 : le;
		}
		(void)ls_chain_add(c, f, &err);
		p = nl ? nl + 1 : end;
	}
	(void)ls_chain_commit(c, &err);
	ls_chain_close(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_error err;
	const char *p, *nul, *jp;
	size_t jn;
	char last[65];
	long records;
	int how;

	if (dir[0] == '\0') {
		const char *t = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/fuzz_journal.XXXXXX", t && *t ? t : "/tmp");
		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(mpath, sizeof(mpath), "%s/manifest.csv", dir);
		snprintf(jpath, sizeof(jpath), "%s.journal", mpath);
		atexit(cleanup);
	}
	if (size == 0)
		return 0;
	how = data[0];
	p = (const char *)data + 1;
	size--;
	if ((nul = memchr(p, '\0', size)) != NULL) {
		jp = nul + 1;
		jn = size - (size_t)(jp - p);
	} else {
		jp = p;
		jn = size;
	}
	if ((how & 2) && nul != NULL)
		put(mpath, p, (size_t)(nul - p));
	else
		put(mpath, manifest_fixed, sizeof(manifest_fixed) - 1);
	unlink(jpath);
	if (how & 1)
		rechain(jp, jn);
	else
		put(jpath, jp, jn);
	if (ls_manifest_verify(mpath, last, &records, &err) == 0) {
		/* a verified chain: its last hash is 64 hex digits, its count what was read */
		if (strlen(last) != 64 || strspn(last, "0123456789abcdef") != 64 || records < 0)
			abort();
	} else if (err.status == 0 || err.msg[0] == '\0') {
		abort();	/* a refusal says why */
	}
	return 0;
}
