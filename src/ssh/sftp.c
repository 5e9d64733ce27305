/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * sftp.c - the upload over SFTP, writes pipelined, on a second channel
 * beside the exec that runs the program.
 */
#include "ssh_int.h"
#include "keep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * libssh 0.10 has only a synchronous sftp_write (one round trip per
 * chunk), so the upload speaks SFTP version 3 itself on a "sftp"
 * subsystem channel: up to SFTP_WINDOW write requests are in flight (as
 * OpenSSH's sftp and scp keep several). On the Pi that is sshd's sftp-server, a
 * native program, where the exec path needs a cat (and mkdir, stat, chmod,
 * mv) started by the shell. Only what run needs: mkdir, open with mode
 * 0755, write, fstat (size check), close, rename over the old name.
 */
#define SFTP_CHUNK (32u << 10)
/* 512 KiB in flight. More does not help: the Pi's side (sshd and its
 * sftp-server) sets the pace, and a write that finds the channel's window
 * (OpenSSH gives 2 MiB) used up waits in libssh for the window adjust.
 * Measured with libssh 0.10 against the simulated Pi 4 (50 MB, mean of
 * 8): 8 requests 0.50 s, 16 0.54 s, 32 0.64 s, 64 0.87 s. */
#define SFTP_WINDOW 16
enum {
	FXP_INIT = 1, FXP_VERSION = 2, FXP_OPEN = 3, FXP_CLOSE = 4,
	FXP_WRITE = 6, FXP_FSTAT = 8, FXP_FSETSTAT = 10, FXP_REMOVE = 13,
	FXP_MKDIR = 14, FXP_RENAME = 18, FXP_STATUS = 101, FXP_HANDLE = 102,
	FXP_ATTRS = 105, FXP_EXTENDED = 200,
};
#define FXF_WRITE 0x02
#define FXF_CREAT 0x08
#define FXF_TRUNC 0x10
#define FILEXFER_ATTR_SIZE 0x01
#define FILEXFER_ATTR_PERMISSIONS 0x04

struct sftp_up {
	struct remote *r;
	ssh_channel ch;
	struct keep_stream *ks;	/* instead, through a kept connection */
	struct strbuf in;	/* received, not yet taken */
	struct strbuf pkt;	/* the packet being built or the one taken */
	uint32_t id;
	bool posix_rename;
	char why[256];		/* the server's words when it refused */
};

static void
put64(struct strbuf *sb, uint64_t v)
{
	strbuf_add_be32(sb, (uint32_t)(v >> 32));
	strbuf_add_be32(sb, (uint32_t)v);
}

/* Start a packet of type t (its length is filled in by sftp_send). */
static void
sftp_begin(struct sftp_up *u, int t)
{
	strbuf_reset(&u->pkt);
	strbuf_add_be32(&u->pkt, 0);
	strbuf_addch(&u->pkt, (char)t);
}

/* Start a request: type, then a fresh id. */
static void
sftp_request(struct sftp_up *u, int t)
{
	sftp_begin(u, t);
	strbuf_add_be32(&u->pkt, ++u->id);
}

static int
sftp_send(struct sftp_up *u)
{
	uint32_t n = (uint32_t)u->pkt.len - 4;
	unsigned char *b = (unsigned char *)u->pkt.buf;
	size_t off = 0;

	b[0] = (unsigned char)(n >> 24);
	b[1] = (unsigned char)(n >> 16);
	b[2] = (unsigned char)(n >> 8);
	b[3] = (unsigned char)n;
	if (u->ks != NULL)
		return keep_stream_write(u->ks, u->pkt.buf, u->pkt.len) == 0 ?
		       0 : RPX_EIO;
	while (off < u->pkt.len) {
		int w = ssh_channel_write(u->ch, u->pkt.buf + off,
					  (uint32_t)(u->pkt.len - off));

		if (w == SSH_ERROR)
			return RPX_EIO;
		off += (size_t)w;
	}
	return 0;
}

/*
 * Take the next packet into u->pkt (type first, then its body); its
 * length in *len. The operation timeout bounds the wait.
 */
static int
sftp_recv(struct sftp_up *u, int *type, size_t *len)
{
	char buf[16384];
	uint32_t n;

	while (u->in.len < 4 || u->in.len < 4 + (size_t)strbuf_get_be32(
		       (const unsigned char *)u->in.buf)) {
		int got;

		if (u->r->stop != NULL && *u->r->stop)
			return RPX_ECANCELED;
		if (u->ks != NULL) {
			bool eof;

			got = keep_stream_read(u->ks, buf, sizeof(buf),
					       u->r->timeout_ms, &eof);
			if (got < 0 || (got == 0 && eof))
				return RPX_EIO;
		} else {
			got = ssh_channel_read_timeout(u->ch, buf, sizeof(buf),
						       0, u->r->timeout_ms);
			if (got == SSH_ERROR ||
			    (got == 0 && ssh_channel_is_eof(u->ch)))
				return RPX_EIO;
		}
		if (got == 0)
			return RPX_ETIMEOUT;
		strbuf_add(&u->in, buf, (size_t)got);
		if (u->in.len >= 4 &&
		    strbuf_get_be32((const unsigned char *)u->in.buf) > (1u << 20))
			return RPX_EIO;	/* not SFTP */
	}
	n = strbuf_get_be32((const unsigned char *)u->in.buf);
	if (n < 1)
		return RPX_EIO;
	strbuf_reset(&u->pkt);
	strbuf_add(&u->pkt, u->in.buf + 4, n);
	memmove(u->in.buf, u->in.buf + 4 + n, u->in.len - 4 - n);
	u->in.len -= 4 + (size_t)n;
	u->in.buf[u->in.len] = '\0';
	*type = (unsigned char)u->pkt.buf[0];
	*len = n;
	return 0;
}

/* Wait for the answer to a request: 0 for STATUS OK (or, with want_type,
 * that packet type); RPX_EIO with u->why on a refusal. */
static int
sftp_answer(struct sftp_up *u, int want_type)
{
	const unsigned char *b;
	size_t len;
	int type, ret = sftp_recv(u, &type, &len);

	if (ret != 0)
		return ret;
	b = (const unsigned char *)u->pkt.buf;
	if (type == want_type)
		return 0;
	if (type == FXP_STATUS && len >= 9) {
		uint32_t code = strbuf_get_be32(b + 5), ml = 0;

		if (code == 0)
			return want_type == FXP_STATUS ? 0 : RPX_EIO;
		if (len >= 13)
			ml = strbuf_get_be32(b + 9);
		if (ml > len - 13)
			ml = 0;
		snprintf(u->why, sizeof(u->why), "%.*s (SFTP status %u)",
			 (int)ml, (const char *)b + 13, (unsigned)code);
		return RPX_EIO;
	}
	snprintf(u->why, sizeof(u->why), "unexpected SFTP answer %d", type);
	return RPX_EIO;
}

static int
sftp_open_session(struct sftp_up *u)
{
	const unsigned char *b;
	size_t len, off;
	int type, ret;

	rpx_verbosef(u->r->trace, 1, "ssh", "opening the sftp subsystem");
	/* a kept connection: the subsystem's bytes through the master */
	if (u->r->conn->channel_run != NULL) {
		u->ks = keep_stream_open(u->r, "sftp", u->why, sizeof(u->why));
		if (u->ks == NULL)
			return RPX_EIO;
	} else if ((u->ch = ssh_channel_new(u->r->conn->session)) == NULL ||
		   remote_open_session(u->r, u->ch) != SSH_OK ||
		   ssh_channel_request_subsystem(u->ch, "sftp") != SSH_OK) {
		char ebuf[64];

		snprintf(u->why, sizeof(u->why), "no SFTP: %s",
			 remote_session_error(u->r, ebuf, sizeof(ebuf)));
		return RPX_EIO;
	}
	sftp_begin(u, FXP_INIT);
	strbuf_add_be32(&u->pkt, 3);
	if ((ret = sftp_send(u)) != 0 || (ret = sftp_recv(u, &type, &len)) != 0)
		return ret;
	if (type != FXP_VERSION || len < 5)
		return RPX_EIO;
	b = (const unsigned char *)u->pkt.buf;
	for (off = 5; off + 4 <= len;) {
		uint32_t nl = strbuf_get_be32(b + off), dl;

		if (nl > len - off - 4)
			break;
		if (nl == 24 && memcmp(b + off + 4, "posix-rename@openssh.com",
				       24) == 0)
			u->posix_rename = true;
		off += 4 + nl;
		if (off + 4 > len)
			break;
		dl = strbuf_get_be32(b + off);
		if (dl > len - off - 4)
			break;
		off += 4 + dl;
	}
	return 0;
}

/*
 * Upload fd (size bytes) to dir/name over SFTP: dir made when missing,
 * the data written to tmp (mode 0755) with pipelined requests, its size
 * checked, then renamed over dir/name. 0, or an error with u->why.
 */
static int
sftp_upload(struct sftp_up *u, int fd, uint64_t size, const char *const *parts,
	    size_t nparts, const char *tmp, const char *path)
{
	struct remote *r = u->r;
	char *handle = NULL;
	size_t hlen = 0, len;
	uint64_t off = 0;
	long long last_progress = 0;
	unsigned char *buf = xmalloc(SFTP_CHUNK);
	int ret, inflight = 0;

	if ((ret = sftp_open_session(u)) != 0)
		goto out;
	/* mkdir -p, answers taken together: an existing folder fails */
	for (size_t i = 0; i < nparts; i++) {
		sftp_request(u, FXP_MKDIR);
		strbuf_add_sshstr(&u->pkt, parts[i], strlen(parts[i]));
		strbuf_add_be32(&u->pkt, FILEXFER_ATTR_PERMISSIONS);
		strbuf_add_be32(&u->pkt, 0755);
		if ((ret = sftp_send(u)) != 0)
			goto out;
	}
	sftp_request(u, FXP_OPEN);
	strbuf_add_sshstr(&u->pkt, tmp, strlen(tmp));
	strbuf_add_be32(&u->pkt, FXF_WRITE | FXF_CREAT | FXF_TRUNC);
	strbuf_add_be32(&u->pkt, FILEXFER_ATTR_PERMISSIONS);
	strbuf_add_be32(&u->pkt, 0755);
	if ((ret = sftp_send(u)) != 0)
		goto out;
	for (size_t i = 0; i < nparts; i++)
		if ((ret = sftp_answer(u, FXP_STATUS)) != 0 &&
		    ret != RPX_EIO)
			goto out;
	if ((ret = sftp_answer(u, FXP_HANDLE)) != 0)
		goto out;
	len = u->pkt.len;
	hlen = len >= 9 ? strbuf_get_be32((const unsigned char *)u->pkt.buf + 5) : 0;
	if (hlen == 0 || hlen > len - 9 || hlen > 256) {
		ret = RPX_EIO;
		goto out;
	}
	/* a handle is bytes, not a string: OpenSSH's start with NULs */
	handle = xmalloc(hlen);
	memcpy(handle, u->pkt.buf + 9, hlen);
	u->why[0] = '\0';
	rpx_verbosef(r->trace, 1, "ssh", "sftp: writing %s (%llu bytes)", tmp,
		     (unsigned long long)size);
	while (off < size || inflight > 0) {
		while (off < size && inflight < SFTP_WINDOW) {
			size_t want = size - off < SFTP_CHUNK ?
				      (size_t)(size - off) : SFTP_CHUNK;
			ssize_t n = pread(fd, buf, want, (off_t)off);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				snprintf(u->why, sizeof(u->why), "cannot read "
					 "the file to upload: %s", n < 0 ?
					 strerror(errno) : "it shrank");
				ret = RPX_EIO;
				goto out;
			}
			sftp_request(u, FXP_WRITE);
			strbuf_add_sshstr(&u->pkt, handle, hlen);
			put64(&u->pkt, off);
			strbuf_add_sshstr(&u->pkt, buf, (size_t)n);
			if ((ret = sftp_send(u)) != 0)
				goto out;
			off += (uint64_t)n;
			inflight++;
			if (r->cb.progress != NULL &&
			    (rpx_now_ms() - last_progress >= 100 || off == size)) {
				last_progress = rpx_now_ms();
				r->cb.progress(r->cb.data, off, size);
			}
		}
		if ((ret = sftp_answer(u, FXP_STATUS)) != 0)
			goto out;
		inflight--;
	}
	/* size check, the mode (against an odd umask) and close, sent
	 * together: one round trip, then the rename */
	sftp_request(u, FXP_FSTAT);
	strbuf_add_sshstr(&u->pkt, handle, hlen);
	if ((ret = sftp_send(u)) != 0)
		goto out;
	sftp_request(u, FXP_FSETSTAT);
	strbuf_add_sshstr(&u->pkt, handle, hlen);
	strbuf_add_be32(&u->pkt, FILEXFER_ATTR_PERMISSIONS);
	strbuf_add_be32(&u->pkt, 0755);
	if ((ret = sftp_send(u)) != 0)
		goto out;
	sftp_request(u, FXP_CLOSE);
	strbuf_add_sshstr(&u->pkt, handle, hlen);
	if ((ret = sftp_send(u)) != 0 || (ret = sftp_answer(u, FXP_ATTRS)) != 0)
		goto out;
	len = u->pkt.len;
	if (len < 17 || !(strbuf_get_be32((const unsigned char *)u->pkt.buf + 5) &
			  FILEXFER_ATTR_SIZE) ||
	    ((uint64_t)strbuf_get_be32((const unsigned char *)u->pkt.buf + 9) << 32 |
	     strbuf_get_be32((const unsigned char *)u->pkt.buf + 13)) != size) {
		snprintf(u->why, sizeof(u->why), "the Pi received another "
			 "size than %llu bytes", (unsigned long long)size);
		ret = RPX_EIO;
		goto out;
	}
	if ((ret = sftp_answer(u, FXP_STATUS)) != 0 ||
	    (ret = sftp_answer(u, FXP_STATUS)) != 0)
		goto out;
	rpx_verbosef(r->trace, 1, "ssh", "sftp: renaming it to %s", path);
	if (u->posix_rename) {
		sftp_request(u, FXP_EXTENDED);
		strbuf_add_sshstr(&u->pkt, "posix-rename@openssh.com", 24);
	} else {
		/* plain SFTP rename refuses an existing target: there is
		 * none unless an identical copy raced us in */
		sftp_request(u, FXP_RENAME);
	}
	strbuf_add_sshstr(&u->pkt, tmp, strlen(tmp));
	strbuf_add_sshstr(&u->pkt, path, strlen(path));
	if ((ret = sftp_send(u)) != 0 || (ret = sftp_answer(u, FXP_STATUS)) != 0)
		goto out;
out:
	if (ret != 0 && (u->ch != NULL || u->ks != NULL) && handle != NULL) {
		/* leave no temporary behind when we still can */
		rpx_verbosef(r->trace, 1, "ssh", "sftp: removing %s", tmp);
		sftp_request(u, FXP_REMOVE);
		strbuf_add_sshstr(&u->pkt, tmp, strlen(tmp));
		(void)sftp_send(u);
	}
	keep_stream_close(u->ks);
	u->ks = NULL;
	if (u->ch != NULL) {
		if (ssh_channel_is_open(u->ch))
			ssh_channel_close(u->ch);
		ssh_channel_free(u->ch);
		u->ch = NULL;
	}
	free(handle);
	free(buf);
	return ret;
}

int
remote_sftp_upload(struct remote *r, int fd, uint64_t size,
		   const char *const *parts, size_t nparts, const char *tmp,
		   const char *path, char *why, size_t whysz)
{
	struct sftp_up u;
	int ret;

	memset(&u, 0, sizeof(u));
	u.r = r;
	strbuf_init(&u.in);
	strbuf_init(&u.pkt);
	ret = sftp_upload(&u, fd, size, parts, nparts, tmp, path);
	snprintf(why, whysz, "%s", u.why);
	strbuf_release(&u.in);
	strbuf_release(&u.pkt);
	return ret;
}
