/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * keep_frame.c - the framed protocol between a command and the master of
 * a kept connection (keep.h): frame headers, numbers and strings, and the
 * two structured payloads, K_OPEN and K_INFO; and the one check both ends
 * make of the other, its user. No other I/O here.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE	/* struct ucred */
#endif
#include "keep.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "rpx.h"

size_t
keep_frame_begin(struct strbuf *sb, int type)
{
	size_t start = sb->len;

	strbuf_addch(sb, type);
	strbuf_add_be32(sb, 0);
	return start;
}

void
keep_frame_end(struct strbuf *sb, size_t start)
{
	uint32_t n = (uint32_t)(sb->len - start - KEEP_HDR);
	unsigned char *p = (unsigned char *)sb->buf + start + 1;

	p[0] = (unsigned char)(n >> 24);
	p[1] = (unsigned char)(n >> 16);
	p[2] = (unsigned char)(n >> 8);
	p[3] = (unsigned char)n;
}

void
keep_frame_put(struct strbuf *sb, int type, const void *p, size_t n)
{
	size_t start = keep_frame_begin(sb, type);

	strbuf_add(sb, p, n);
	keep_frame_end(sb, start);
}

void
keep_put_u32(struct strbuf *sb, uint32_t v)
{
	strbuf_add_be32(sb, v);
}

void
keep_put_str(struct strbuf *sb, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	strbuf_add_be32(sb, (uint32_t)n);
	strbuf_add(sb, s != NULL ? s : "", n);
}

int
keep_frame_next(const char *buf, size_t len, size_t *off, int *type,
		const unsigned char **payload, size_t *plen)
{
	const unsigned char *p = (const unsigned char *)buf + *off;
	size_t left = len - *off;
	uint32_t n;

	if (left < KEEP_HDR)
		return 0;
	n = strbuf_get_be32(p + 1);
	if (n > KEEP_FRAME_MAX)
		return -1;
	if (left - KEEP_HDR < n)
		return 0;
	*type = p[0];
	*payload = p + KEEP_HDR;
	*plen = n;
	*off += KEEP_HDR + n;
	return 1;
}

uint32_t
keep_get_u32(struct keep_rd *rd)
{
	uint32_t v;

	if (rd->bad || rd->n < 4) {
		rd->bad = true;
		return 0;
	}
	v = strbuf_get_be32(rd->p);
	rd->p += 4;
	rd->n -= 4;
	return v;
}

uint64_t
keep_get_u64(struct keep_rd *rd)
{
	uint64_t hi = keep_get_u32(rd);

	return hi << 32 | keep_get_u32(rd);
}

char *
keep_get_str(struct keep_rd *rd)
{
	uint32_t n = keep_get_u32(rd);
	char *s;

	if (rd->bad || rd->n < n) {
		rd->bad = true;
		return NULL;
	}
	s = xstrndup((const char *)rd->p, n);
	/* a NUL inside would cut the string short unseen */
	if (strlen(s) != n) {
		free(s);
		rd->bad = true;
		return NULL;
	}
	rd->p += n;
	rd->n -= n;
	return s;
}

void
keep_open_encode(struct strbuf *sb, const struct keep_open *o)
{
	size_t start = keep_frame_begin(sb, K_OPEN);

	keep_put_str(sb, o->cmd);
	keep_put_u32(sb, (uint32_t)o->nenv);
	for (size_t i = 0; i < o->nenv; i++)
		keep_put_str(sb, o->env[i]);
	strbuf_addch(sb, (o->term != NULL ? 1 : 0) | (o->subsystem ? 2 : 0));
	if (o->term != NULL) {
		keep_put_str(sb, o->term);
		keep_put_u32(sb, o->cols);
		keep_put_u32(sb, o->rows);
	}
	keep_frame_end(sb, start);
}

void
keep_open_release(struct keep_open *o)
{
	free(o->cmd);
	for (size_t i = 0; o->env != NULL && i < o->nenv; i++)
		free(o->env[i]);
	free(o->env);
	free(o->term);
	memset(o, 0, sizeof(*o));
}

int
keep_open_decode(const unsigned char *p, size_t n, struct keep_open *o)
{
	struct keep_rd rd = { p, n, false };
	uint32_t nenv;
	unsigned flags;

	memset(o, 0, sizeof(*o));
	o->cmd = keep_get_str(&rd);
	nenv = keep_get_u32(&rd);
	/* each string takes at least its 4-byte length */
	if (rd.bad || nenv > rd.n / 4)
		goto bad;
	o->env = xcalloc(nenv + 1, sizeof(*o->env));
	for (uint32_t i = 0; i < nenv && !rd.bad; i++) {
		o->env[i] = keep_get_str(&rd);
		o->nenv = i + 1;
	}
	if (rd.bad || rd.n < 1)
		goto bad;
	rd.n--;
	flags = *rd.p++;
	if (flags & ~3u)
		goto bad;
	o->subsystem = (flags & 2) != 0;
	if (flags & 1) {
		o->term = keep_get_str(&rd);
		o->cols = keep_get_u32(&rd);
		o->rows = keep_get_u32(&rd);
	}
	if (rd.bad || rd.n != 0)
		goto bad;
	return 0;
bad:
	keep_open_release(o);
	return RPX_EINVAL;
}

void
keep_info_encode(struct strbuf *sb, const struct keep_info *i)
{
	size_t start = keep_frame_begin(sb, K_INFO);

	keep_put_u32(sb, i->pid);
	keep_put_u32(sb, i->keep_time);
	keep_put_u32(sb, i->idle);
	keep_put_u32(sb, i->clients);
	keep_put_u32(sb, (uint32_t)(i->started >> 32));
	keep_put_u32(sb, (uint32_t)i->started);
	keep_put_str(sb, i->display);
	keep_put_str(sb, i->alias);
	keep_put_str(sb, i->fingerprint);
	keep_frame_end(sb, start);
}

void
keep_info_release(struct keep_info *i)
{
	free(i->display);
	free(i->alias);
	free(i->fingerprint);
	memset(i, 0, sizeof(*i));
}

int
keep_info_decode(const unsigned char *p, size_t n, struct keep_info *i)
{
	struct keep_rd rd = { p, n, false };

	memset(i, 0, sizeof(*i));
	i->pid = keep_get_u32(&rd);
	i->keep_time = keep_get_u32(&rd);
	i->idle = keep_get_u32(&rd);
	i->clients = keep_get_u32(&rd);
	i->started = keep_get_u64(&rd);
	i->display = keep_get_str(&rd);
	i->alias = keep_get_str(&rd);
	i->fingerprint = keep_get_str(&rd);
	if (rd.bad || rd.n != 0) {
		keep_info_release(i);
		return RPX_EINVAL;
	}
	return 0;
}

int
keep_peer_uid(int fd, uid_t *uid)
{
#ifdef SO_PEERCRED
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0)
		return -1;
	*uid = cr.uid;
	return 0;
#else
	gid_t gid;

	return getpeereid(fd, uid, &gid);
#endif
}

const char *
keep_type_name(int type)
{
	switch (type) {
	case K_OPEN: return "OPEN";
	case K_STDIN: return "STDIN";
	case K_EOF: return "EOF";
	case K_WINCH: return "WINCH";
	case K_SIGNAL: return "SIGNAL";
	case K_CLOSE: return "CLOSE";
	case K_STOP: return "STOP";
	case K_INFO: return "INFO";
	case K_OPENED: return "OPENED";
	case K_FAIL: return "FAIL";
	case K_STDOUT: return "STDOUT";
	case K_STDERR: return "STDERR";
	case K_REOF: return "REOF";
	case K_EXIT: return "EXIT";
	case K_CLOSED: return "CLOSED";
	case K_LOST: return "LOST";
	}
	return "?";
}
