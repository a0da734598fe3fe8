/*
 * tlog_int.h - the ticket log's handle (ticket.h), shared by ticket.c
 * (opening, reading forward, appending), tlog_find.c (reading back from
 * the end for one append) and tlog_rewrite.c (repair and upgrade: the log
 * written again whole).  Not installed.
 */
#ifndef LS_TLOG_INT_H
#define LS_TLOG_INT_H

#include <sys/types.h>

#include "lock.h"
#include "ticket.h"
#include "tlog_codec.h"

#define LS_TLOG_CHUNK	65536

struct ls_tlog {
	char *path;
	int fd, mode;
	int created;			/* this open made the file: removed again when nothing was committed */
	struct ls_lock *lock;
	char *buf;			/* file bytes [off, off + len) */
	size_t cap, len, pos;		/* pos: next record's start in buf */
	int quoted;			/* find_end(): the record it found has a quote */
	off_t off;
	int eof;
	long line;			/* physical line at pos */
	off_t good_end;			/* file offset after the last whole record (or the header) */
	int torn;
	long torn_line;
	size_t torn_bytes;
	struct ls_tlog_codec_scratch sc;	/* the current record's fields, unquoted, NUL-terminated */
	long long seq;
	long maxid;
	int version;			/* 1 or 2 (ticket.h); an empty log is 2 */
	struct ls_tlog_codec_buf head[2];	/* v1's and v2's first two lines, as the codec writes them */
	int verify;			/* ls_tlog_verify(): check the chain while reading */
	char chain[65];			/* verify: the last whole record's hash */
	long last_line;			/* the line of the last whole record read (0: none) */
	off_t last_at;			/* its bytes in the file, its line feed not counted */
	size_t last_n;
	int tail_known;			/* tail holds the hash of the record before good_end */
	char tail[65];
	char *pend;			/* the queued events' fields, one after the other */
	size_t plen, pcap;
	size_t *pfld;			/* per queued event, LS_TC_NCOLS (offset, length) pairs into pend */
	size_t pfcap;
	size_t pcount;			/* events queued */
	int crlf_head;			/* the first lines end in CR LF: saved by a Windows editor */
	long ncrlf, nblank;		/* lines read that end in CR LF; blank lines skipped */
	int found_mode;			/* ls_tlog_find() read the tail only */
	char *found;			/* ls_tlog_find()'s record, kept */
	size_t fcap;
};

/* Back to the log's first byte, as if just opened: the head read again (ticket.c). */
int ls_tlog_rewind(struct ls_tlog *l, struct ls_error *err);

#endif
