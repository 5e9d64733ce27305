/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * keep.h - the kept connection's private parts, shared by keep_frame.c
 * (the framed protocol between a command and the master), keep_master.c
 * (the background process that holds the authenticated session) and
 * keep_client.c (a command's side: find the master, run a channel through
 * it). Private to src/ssh/ (and keep_test.c); remote.h is the contract.
 *
 * The protocol, over a Unix stream socket of the user's own: the client
 * sends one version byte (KEEP_VERSION), the master answers the same byte
 * and a K_INFO frame, then frames both ways. A frame is a type byte, a
 * 32-bit big-endian payload length (at most KEEP_FRAME_MAX) and the
 * payload. Numbers in payloads are 32-bit big-endian, strings a 32-bit
 * length and the bytes. One channel at a time per client connection:
 * K_OPEN, then K_STDIN/K_EOF/K_WINCH/K_SIGNAL from the client and
 * K_OPENED (or K_FAIL), K_STDOUT/K_STDERR/K_REOF/K_EXIT from the master,
 * until K_CLOSED (the channel is gone; another K_OPEN may follow).
 */
#ifndef RPX_KEEP_H
#define RPX_KEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "strbuf.h"

#define KEEP_VERSION 1

/* A socket's close-on-exec flag at creation where the system has it
 * (Linux); elsewhere (macOS) fcntl() sets it right after socket(). */
#ifdef SOCK_CLOEXEC
#define KEEP_SOCK_CLOEXEC SOCK_CLOEXEC
#else
#define KEEP_SOCK_CLOEXEC 0
#endif
#define KEEP_FRAME_MAX (1u << 20)
#define KEEP_HDR 5

enum keep_type {
	/* client to master */
	K_OPEN = 1,	/* struct keep_open */
	K_STDIN,	/* bytes for the program's stdin */
	K_EOF,		/* its stdin ends */
	K_WINCH,	/* u32 cols, u32 rows: the pty's size changed */
	K_SIGNAL,	/* str name ("INT", "TERM", "HUP") */
	K_CLOSE,	/* close the channel now (the client gives up) */
	K_STOP,		/* the master ends (connections --stop) */
	/* master to client */
	K_INFO = 20,	/* struct keep_info */
	K_OPENED,	/* the command started; byte 1: with its pty (none
			 * when the Pi refused it; an empty payload from
			 * an older master: as asked) */
	K_FAIL,		/* u32 remote_err, str message: it did not */
	K_STDOUT,	/* the program's output */
	K_STDERR,
	K_REOF,		/* its output ended */
	K_EXIT,		/* u32 status (128+N for signal N), str signal */
	K_CLOSED,	/* the channel closed; nothing more of it comes */
	K_LOST,		/* str message: the master lost the connection */
};

/* What K_OPEN carries: the command (or a subsystem), its environment
 * (sent as SSH env requests, which sshd's AcceptEnv may refuse) and a pty
 * when term is not NULL. On the wire after the environment: a flags byte
 * (1: a pty, its term, cols and rows follow; 2: a subsystem). */
struct keep_open {
	char *cmd;		/* the command, or the subsystem's name */
	bool subsystem;
	char **env;		/* "NAME=VALUE", NULL-ended, or NULL */
	size_t nenv;
	char *term;		/* pty wanted: $TERM; NULL: none */
	uint32_t cols, rows;
};

/* What K_INFO tells about a master. */
struct keep_info {
	uint32_t pid;
	uint32_t keep_time;	/* idle seconds before it ends */
	uint32_t idle;		/* seconds since its last use ended */
	uint32_t clients;	/* commands using it now (not a listing) */
	uint64_t started;	/* epoch seconds */
	char *display;		/* user@host[:port] */
	char *alias;		/* the host as first typed */
	char *fingerprint;	/* SHA256:... of the Pi's host key */
};

/* ---- keep_frame.c ---- */

/* Start a frame of type in sb (its length filled by keep_frame_end). */
size_t keep_frame_begin(struct strbuf *sb, int type);
void keep_frame_end(struct strbuf *sb, size_t start);
/* A frame whose payload is p[0..n). */
void keep_frame_put(struct strbuf *sb, int type, const void *p, size_t n);
void keep_put_u32(struct strbuf *sb, uint32_t v);
/* A frame type's name for -vv ("OPEN", "EXIT"), "?" when unknown. */
const char *keep_type_name(int type);
void keep_put_str(struct strbuf *sb, const char *s);

/*
 * The next whole frame in buf[*off..len): 1 (type, payload, plen set and
 * *off past it), 0 when more bytes are needed, -1 when the length is
 * over KEEP_FRAME_MAX (the peer is not one of ours).
 */
int keep_frame_next(const char *buf, size_t len, size_t *off, int *type,
		    const unsigned char **payload, size_t *plen);

/* Reading a payload: a short one sets bad and yields 0 / NULL. */
struct keep_rd {
	const unsigned char *p;
	size_t n;
	bool bad;
};

uint32_t keep_get_u32(struct keep_rd *rd);
uint64_t keep_get_u64(struct keep_rd *rd);
char *keep_get_str(struct keep_rd *rd);	/* malloc'd, NUL-ended */

void keep_open_encode(struct strbuf *sb, const struct keep_open *o);
int keep_open_decode(const unsigned char *p, size_t n, struct keep_open *o);
void keep_open_release(struct keep_open *o);
void keep_info_encode(struct strbuf *sb, const struct keep_info *i);
int keep_info_decode(const unsigned char *p, size_t n, struct keep_info *i);
void keep_info_release(struct keep_info *i);

/* The uid of the process at the other end of the Unix socket fd
 * (SO_PEERCRED, getpeereid): 0, or -1. */
int keep_peer_uid(int fd, uid_t *uid);

/* ---- keep_client.c ---- */

/*
 * The folder of the sockets: $XDG_RUNTIME_DIR/rpi-cross when that is set,
 * else ~/.cache/rpi-cross/sockets; made 0700 when missing. NULL (with the
 * reason in err) when it is not the user's own or is open to others.
 */
char *keep_dir(char *err, size_t errsz);
/* The socket for display (user@host:port) and known_hosts under dir. */
char *keep_sock_path(const char *dir, const char *display,
		     const char *known_hosts);

struct remote;
struct keep_stream;
/*
 * A subsystem ("sftp") on a channel of r's kept connection, as a byte
 * stream, for sftp.c (SFTP does not go through the master as such: its
 * bytes do, on a connection of their own). open: NULL with the reason in
 * why. write: all of it, 0 or -1. read: up to n bytes within timeout_ms;
 * 0 on a timeout (*eof set when the stream ended), -1 when the master is
 * gone.
 */
struct keep_stream *keep_stream_open(struct remote *r, const char *name,
				     char *why, size_t whysz);
int keep_stream_write(struct keep_stream *ks, const void *p, size_t n);
int keep_stream_read(struct keep_stream *ks, void *buf, size_t n,
		     int timeout_ms, bool *eof);
void keep_stream_close(struct keep_stream *ks);

#endif
