/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * keep_client.c - a command's side of a kept connection (remote.h,
 * keep.h): where the sockets live, finding the master of a host (a stale
 * socket removed), starting one after a new login, and running a channel
 * through it as remote_channel_run() does on a session of its own:
 * stdin fed from memory, a file or ours, output through the same gate,
 * a pty and its size changes, Ctrl-C (or the stop's own signal) and the
 * run timeout passed on as signals, the exit status.
 * Also the list and the stop that `rpi-cross connections` shows.
 */
#include "keep.h"
#include "ssh_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fsutil.h"
#include "hash.h"

#define KEEP_TIME_DEFAULT 600

/* A connection to a master. */
struct keep_link {
	int fd;			/* the socket, -1 before it is dialled */
	int lock_fd;		/* the start lock, -1 when not held */
	char *path;
	struct strbuf in, out;
	size_t out_off;
	bool closed_seen;	/* the master said K_CLOSED */
	bool opened, failed;	/* K_OPENED / K_FAIL for this channel */
	bool lost;		/* the master or its connection is gone */
	char msg[512];		/* K_FAIL's or K_LOST's words */
	enum remote_err code;	/* K_FAIL's */
};

/* ---- where the sockets live ---- */

char *
keep_dir(char *err, size_t errsz)
{
	const char *run = rpx_getenv("XDG_RUNTIME_DIR");
	const char *home = rpx_getenv("HOME");
	struct stat sb;
	char *dir;

	if (run != NULL && run[0] == '/')
		dir = xasprintf("%s/rpi-cross", run);
	else if (home != NULL && home[0] == '/')
		dir = xasprintf("%s/.cache/rpi-cross/sockets", home);
	else {
		snprintf(err, errsz, "neither XDG_RUNTIME_DIR nor HOME is set");
		return NULL;
	}
	if (lstat(dir, &sb) != 0 && fsutil_mkdirs(dir, 0700) != 0) {
		snprintf(err, errsz, "cannot make '%s': %s", dir,
			 strerror(errno));
		free(dir);
		return NULL;
	}
	if (lstat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
	    sb.st_uid != geteuid()) {
		snprintf(err, errsz, "'%s' is not a folder of yours", dir);
		free(dir);
		return NULL;
	}
	if ((sb.st_mode & 077) != 0 && chmod(dir, 0700) != 0) {
		snprintf(err, errsz, "'%s' is open to others (chmod 700 it)",
			 dir);
		free(dir);
		return NULL;
	}
	return dir;
}

char *
keep_sock_path(const char *dir, const char *display, const char *known_hosts)
{
	struct sha256 c;
	unsigned char d[32];
	char hex[65];

	sha256_init(&c);
	sha256_update(&c, display, strlen(display));
	sha256_update(&c, "\n", 1);
	sha256_update(&c, known_hosts, strlen(known_hosts));
	sha256_final(&c, d);
	hash_hex(d, 32, hex);
	return xasprintf("%s/%.16s.sock", dir, hex);
}

/* ---- the socket ---- */

/* Write the pending output, waiting at most timeout_ms for room. */
static int
link_flush(struct keep_link *k, int timeout_ms)
{
	long long start = rpx_now_ms();

	while (k->out_off < k->out.len) {
		struct pollfd pf = { k->fd, POLLOUT, 0 };
		ssize_t w = send(k->fd, k->out.buf + k->out_off,
				 k->out.len - k->out_off, MSG_NOSIGNAL);

		if (w > 0) {
			k->out_off += (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		if (rpx_now_ms() - start > timeout_ms)
			return -1;
		(void)poll(&pf, 1, 100);
	}
	strbuf_reset(&k->out);
	k->out_off = 0;
	return 0;
}

/* Read until one whole frame is in k->in (or timeout_ms passes). */
static int
link_read_frame(struct keep_link *k, int timeout_ms, int *type,
		struct strbuf *payload)
{
	long long start = rpx_now_ms();

	for (;;) {
		size_t off = 0, plen;
		const unsigned char *p;
		char buf[4096];
		struct pollfd pf = { k->fd, POLLIN, 0 };
		int rc = keep_frame_next(k->in.buf, k->in.len, &off, type, &p,
					 &plen);
		ssize_t n;

		if (rc < 0)
			return -1;
		if (rc == 1) {
			strbuf_reset(payload);
			strbuf_add(payload, p, plen);
			memmove(k->in.buf, k->in.buf + off, k->in.len - off);
			k->in.len -= off;
			k->in.buf[k->in.len] = '\0';
			return 0;
		}
		if (rpx_now_ms() - start > timeout_ms)
			return -1;
		if (poll(&pf, 1, 100) <= 0)
			continue;
		n = recv(k->fd, buf, sizeof(buf), 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;
		strbuf_add(&k->in, buf, (size_t)n);
	}
}

static void
link_close(struct keep_link *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
	strbuf_reset(&k->in);
	strbuf_reset(&k->out);
	k->out_off = 0;
}

void
keep_link_free(struct keep_link *k)
{
	if (k == NULL)
		return;
	link_close(k);
	if (k->lock_fd >= 0)
		close(k->lock_fd);
	strbuf_release(&k->in);
	strbuf_release(&k->out);
	free(k->path);
	free(k);
}

/* Read into k->in until it holds at least need bytes. */
static int
link_fill(struct keep_link *k, size_t need, int timeout_ms)
{
	long long start = rpx_now_ms();

	while (k->in.len < need) {
		char buf[4096];
		struct pollfd pf = { k->fd, POLLIN, 0 };
		ssize_t n;

		if (rpx_now_ms() - start > timeout_ms)
			return -1;
		if (poll(&pf, 1, 100) <= 0)
			continue;
		n = recv(k->fd, buf, sizeof(buf), 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;
		strbuf_add(&k->in, buf, (size_t)n);
	}
	return 0;
}

/* Connect to path, check it is our own user's, and read its K_INFO:
 * 0, or -1 with errno (ENOENT, ECONNREFUSED: no master; EPERM: not
 * ours; EPROTO: it answered something else). */
static int
dial(struct keep_link *k, const char *path, struct keep_info *info,
     int timeout_ms)
{
	struct sockaddr_un sa;
	uid_t peer;
	struct stat sb;
	struct strbuf payload = STRBUF_INIT;
	char v = KEEP_VERSION;
	int type, fd, ret = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path));
	if (lstat(path, &sb) != 0)
		return -1;
	if (!S_ISSOCK(sb.st_mode) || sb.st_uid != geteuid()) {
		errno = EPERM;
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | KEEP_SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	/* the master is this user's too, or it is not ours to trust */
	if (keep_peer_uid(fd, &peer) != 0 || peer != geteuid()) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	k->fd = fd;
	strbuf_add(&k->out, &v, 1);
	errno = EPROTO;
	if (link_flush(k, timeout_ms) != 0 || link_fill(k, 1, timeout_ms) != 0 ||
	    k->in.buf[0] != KEEP_VERSION)
		goto out;
	memmove(k->in.buf, k->in.buf + 1, --k->in.len);
	k->in.buf[k->in.len] = '\0';
	if (link_read_frame(k, timeout_ms, &type, &payload) != 0 ||
	    type != K_INFO || keep_info_decode((const unsigned char *)
					       payload.buf, payload.len,
					       info) != 0)
		goto out;
	ret = 0;
out:
	if (ret != 0)
		link_close(k);
	strbuf_release(&payload);
	return ret;
}

static struct keep_link *
link_new(void)
{
	struct keep_link *k = xcalloc(1, sizeof(*k));

	k->fd = -1;
	k->lock_fd = -1;
	strbuf_init(&k->in);
	strbuf_init(&k->out);
	return k;
}

/* ---- a channel through the master ---- */

struct krun {
	struct remote *r;
	struct keep_link *k;
	struct chan_state *st;
	struct chan_clock clk;		/* the stop and the run timeout */
	long long last;			/* last progress either way */
	bool pumping;			/* our stdin goes to the program */
	bool draining;			/* done: the rest is dropped */
	bool pty_asked;			/* K_OPEN asked for a pty */
	int cols, rows;			/* its size */
};

/* -vv: a frame other than output or stdin, sent (">") or received. */
static void
kr_trace_frame(const struct krun *kr, const char *dir, int type)
{
	if (type != K_STDOUT && type != K_STDERR && type != K_STDIN)
		rpx_verbosef(kr->r->trace, 2, "keep", "%s %s", dir,
			     keep_type_name(type));
}

static void
kr_frame(struct krun *kr, int type, const unsigned char *p, size_t n)
{
	struct keep_link *k = kr->k;
	struct chan_state *st = kr->st;
	struct keep_rd rd = { p, n, false };
	char *s;

	kr_trace_frame(kr, "<", type);
	switch (type) {
	case K_OPENED:
		k->opened = true;
		/* the pty asked for (kr_open), unless the Pi refused it */
		if (kr->pty_asked) {
			kr->r->pty_granted = n == 0 || p[0] == 1;
			remote_trace_pty(kr->r, kr->cols, kr->rows,
					 kr->r->pty_granted);
		}
		break;
	case K_FAIL:
		k->failed = true;
		k->code = (enum remote_err)keep_get_u32(&rd);
		s = keep_get_str(&rd);
		snprintf(k->msg, sizeof(k->msg), "%s", s ? s : "?");
		free(s);
		break;
	case K_STDOUT:
	case K_STDERR:
		if (!kr->draining)
			remote_chan_data(st, p, n, type == K_STDERR);
		break;
	case K_REOF:
		st->eof = true;
		break;
	case K_EXIT:
		st->status = (int)keep_get_u32(&rd);
		s = keep_get_str(&rd);
		snprintf(st->signame, sizeof(st->signame), "%s", s ? s : "");
		free(s);
		st->got_status = !rd.bad;
		break;
	case K_CLOSED:
		st->closed = true;
		k->closed_seen = true;
		break;
	case K_LOST:
		k->lost = true;
		snprintf(k->msg, sizeof(k->msg), "%.*s", (int)n,
			 (const char *)p);
		break;
	default:
		k->lost = true;
		snprintf(k->msg, sizeof(k->msg), "the kept connection's "
			 "master answered something else");
		break;
	}
}

/* Our stdin, when it is readable: one frame of it, or its EOF. */
static void
kr_stdin(struct krun *kr)
{
	char buf[CHUNK];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		kr_trace_frame(kr, ">", K_EOF);
		keep_frame_put(&kr->k->out, K_EOF, NULL, 0);
		kr->pumping = false;
		return;
	}
	keep_frame_put(&kr->k->out, K_STDIN, buf, (size_t)n);
}

/* One round: write what is pending, read what came (handling its
 * frames), pass on our stdin; wait at most timeout_ms. -1 when the
 * master is gone. */
static int
kr_io(struct krun *kr, int timeout_ms)
{
	struct keep_link *k = kr->k;
	struct pollfd pf[2];
	nfds_t nf = 1;
	size_t off = 0, plen;
	const unsigned char *p;
	int type, rc;

	if (k->lost || k->fd < 0)
		return -1;
	pf[0].fd = k->fd;
	pf[0].events = POLLIN;
	pf[0].revents = 0;
	if (k->out.len > k->out_off)
		pf[0].events |= POLLOUT;
	if (kr->pumping && k->out.len - k->out_off < CHUNK) {
		pf[1].fd = STDIN_FILENO;
		pf[1].events = POLLIN;
		pf[1].revents = 0;
		nf = 2;
	}
	if (poll(pf, nf, timeout_ms) < 0)
		return errno == EINTR ? 0 : -1;
	if (pf[0].revents & POLLOUT) {
		ssize_t w = send(k->fd, k->out.buf + k->out_off,
				 k->out.len - k->out_off, MSG_NOSIGNAL);

		if (w < 0 && errno != EAGAIN && errno != EINTR)
			goto lost;
		if (w > 0) {
			k->out_off += (size_t)w;
			kr->last = rpx_now_ms();
		}
		if (k->out_off == k->out.len) {
			strbuf_reset(&k->out);
			k->out_off = 0;
		}
	}
	if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
		char buf[CHUNK];
		ssize_t n = recv(k->fd, buf, sizeof(buf), 0);

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			goto lost;
		if (n > 0) {
			strbuf_add(&k->in, buf, (size_t)n);
			kr->last = rpx_now_ms();
		}
		while ((rc = keep_frame_next(k->in.buf, k->in.len, &off,
					     &type, &p, &plen)) == 1)
			kr_frame(kr, type, p, plen);
		memmove(k->in.buf, k->in.buf + off, k->in.len - off);
		k->in.len -= off;
		k->in.buf[k->in.len] = '\0';
		if (rc < 0)
			goto lost;
	}
	if (nf == 2 && (pf[1].revents & (POLLIN | POLLHUP | POLLERR)))
		kr_stdin(kr);
	return k->lost ? -1 : 0;
lost:
	k->lost = true;
	if (k->msg[0] == '\0')
		snprintf(k->msg, sizeof(k->msg), "its kept connection's "
			 "master ended");
	return -1;
}

static int
kr_lost(struct krun *kr)
{
	remote_seterr(kr->r, REMOTE_ERR_LOST, "lost the connection to '%s': "
		      "%s", kr->r->display, kr->k->msg);
	return RPX_EIO;
}

static bool
kr_stopped(const struct krun *kr)
{
	return kr->r->stop != NULL && *kr->r->stop;
}

/* Until the master says the command started (or why not). */
static int
kr_open(struct krun *kr, const char *cmd)
{
	struct remote *r = kr->r;
	struct keep_link *k = kr->k;
	struct keep_open op;
	int cols, rows;

	memset(&op, 0, sizeof(op));
	op.cmd = (char *)cmd;
	/* as chan_start(): a pty when asked for; K_OPENED says if given */
	if (remote_pty_wanted(r, kr->st, &cols, &rows)) {
		op.term = (char *)r->pty_term;
		op.cols = (uint32_t)cols;
		op.rows = (uint32_t)rows;
		kr->pty_asked = true;
		kr->cols = cols;
		kr->rows = rows;
	}
	/* the lines a connection of its own shows (channel.c) */
	remote_trace_exec(r, cmd);
	kr_trace_frame(kr, ">", K_OPEN);
	keep_open_encode(&k->out, &op);
	while (!k->opened && !k->failed) {
		if (kr_io(kr, 100) != 0)
			return kr_lost(kr);
		if (kr_stopped(kr)) {
			remote_seterr(r, REMOTE_ERR_CANCELED, "interrupted");
			return RPX_ECANCELED;
		}
		if (rpx_now_ms() - kr->last > r->timeout_ms) {
			remote_seterr(r, REMOTE_ERR_TIMEOUT, "cannot open a "
				      "channel to '%s': no answer within %d s",
				      r->display, r->timeout_ms / 1000);
			return RPX_EIO;
		}
	}
	if (k->failed) {
		k->closed_seen = true;	/* nothing of it is left */
		remote_seterr(r, k->code, k->code == REMOTE_ERR_EXEC ?
			      "cannot run a command on '%s': %s" :
			      "cannot open a channel to '%s': %s", r->display,
			      k->msg);
		return RPX_EIO;
	}
	return 0;
}

static bool
probe_ended(const struct strbuf *sb)
{
	size_t m = strlen(PROBE_END);

	return sb->len >= m && strcmp(sb->buf + sb->len - m, PROBE_END) == 0;
}

/* As channel.c's chan_decide(): the probe, decide(), its line. */
static int
kr_decide(struct krun *kr, struct feed **inp)
{
	struct remote *r = kr->r;
	struct chan_state *st = kr->st;
	struct feed *in = *inp;
	const char *go;
	bool feed = false;

	while (!st->open && !st->closed && !st->eof &&
	       !probe_ended(&st->gate_out)) {
		if (kr_io(kr, 100) != 0)
			return kr_lost(kr);
		if (kr_stopped(kr)) {
			remote_seterr(r, REMOTE_ERR_CANCELED, "interrupted");
			return RPX_ECANCELED;
		}
		if (rpx_now_ms() - kr->last > r->timeout_ms) {
			remote_seterr(r, REMOTE_ERR_TIMEOUT,
				      "no answer from '%s' within %d s",
				      r->display, r->timeout_ms / 1000);
			return RPX_ETIMEOUT;
		}
	}
	if (st->open || st->closed) {
		*inp = NULL;
		return 0;
	}
	go = in->decide(in->data, st->gate_out.buf, st->gate_out.len, &feed);
	in->decided = true;
	in->refused = go == NULL;
	strbuf_reset(&st->gate_out);
	if (go != NULL)
		keep_frame_put(&kr->k->out, K_STDIN, go, strlen(go));
	if (go == NULL || !feed)
		*inp = NULL;
	return 0;
}

/* Wait until the pending output is under limit bytes. */
static int
kr_drain_to(struct krun *kr, size_t limit, const char *what)
{
	struct remote *r = kr->r;
	struct keep_link *k = kr->k;

	while (k->out.len - k->out_off > limit && !kr->st->closed) {
		if (kr_io(kr, 100) != 0)
			return kr_lost(kr);
		if (kr_stopped(kr)) {
			remote_seterr(r, REMOTE_ERR_CANCELED, "%s to '%s' "
				      "interrupted", what, r->display);
			return RPX_ECANCELED;
		}
		if (rpx_now_ms() - kr->last > r->timeout_ms) {
			remote_seterr(r, REMOTE_ERR_TIMEOUT, "%s to '%s' "
				      "stalled for %d s", what, r->display,
				      r->timeout_ms / 1000);
			return RPX_ETIMEOUT;
		}
	}
	return 0;
}

static int
kr_feed_mem(struct krun *kr, const struct feed *in)
{
	const char *p = in->mem;
	size_t left = in->memlen;
	int ret = 0;

	while (ret == 0 && left > 0 && !kr->st->closed) {
		size_t n = left > CHUNK ? CHUNK : left;

		keep_frame_put(&kr->k->out, K_STDIN, p, n);
		p += n;
		left -= n;
		ret = kr_drain_to(kr, 4 * CHUNK, "input");
	}
	return ret;
}

static int
kr_feed_file(struct krun *kr, const struct feed *in)
{
	struct remote *r = kr->r;
	char *buf = xmalloc(CHUNK);
	long long last_progress = 0;
	uint64_t done = 0;
	int ret = 0;

	while (ret == 0 && !kr->st->closed) {
		ssize_t n = read(in->fd, buf, CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			remote_seterr(r, REMOTE_ERR_LOCAL,
				      "cannot read the file to upload: %s",
				      strerror(errno));
			ret = RPX_EIO;
			break;
		}
		if (n == 0)
			break;
		keep_frame_put(&kr->k->out, K_STDIN, buf, (size_t)n);
		done += (uint64_t)n;
		ret = kr_drain_to(kr, 4 * CHUNK, "upload");
		if (ret == 0 && r->cb.progress != NULL &&
		    (rpx_now_ms() - last_progress >= 100 ||
		     done == in->total)) {
			last_progress = rpx_now_ms();
			r->cb.progress(r->cb.data, done, in->total);
		}
	}
	free(buf);
	return ret;
}

static void
kr_signal(struct krun *kr, const char *name)
{
	size_t start = keep_frame_begin(&kr->k->out, K_SIGNAL);

	kr_trace_frame(kr, ">", K_SIGNAL);

	keep_put_str(&kr->k->out, name);
	keep_frame_end(&kr->k->out, start);
	remote_trace_signal(kr->r, name);
}

/* As channel.c's pass_winch(): a window-size change to the pty. */
static void
kr_winch(struct krun *kr)
{
	int cols, rows;
	size_t start;

	if (!remote_winch_size(kr->r, &cols, &rows))
		return;
	kr_trace_frame(kr, ">", K_WINCH);
	start = keep_frame_begin(&kr->k->out, K_WINCH);
	keep_put_u32(&kr->k->out, (uint32_t)cols);
	keep_put_u32(&kr->k->out, (uint32_t)rows);
	keep_frame_end(&kr->k->out, start);
	remote_trace_winch(kr->r, cols, rows);
}

/* As channel.c's chan_wait(): until the program has ended. */
static int
kr_wait(struct krun *kr, int run_timeout_ms, bool idle_timeout)
{
	struct chan_state *st = kr->st;

	kr->clk.last = rpx_now_ms();
	while (!st->closed && !(st->eof && st->got_status)) {
		long long seen = kr->last;
		const char *send;
		int rc;

		if (kr->clk.stop != CHAN_STOP_NONE)
			kr->pumping = false;
		if (kr_io(kr, 100) != 0)
			return kr_lost(kr);
		if (kr->last != seen)
			kr->clk.last = kr->last;
		kr_winch(kr);
		rc = remote_chan_tick(kr->r, st, &kr->clk, rpx_now_ms(),
				      run_timeout_ms, idle_timeout, &send);
		if (send != NULL)
			kr_signal(kr, send);
		if (rc < 0)
			return rc;
		if (rc == 1)
			break;
	}
	return 0;
}

/* The channel closed on both sides before another may open; a master
 * that does not say so in time is given up (the next channel then
 * fails as lost rather than mixing two channels' frames). */
static void
kr_close(struct krun *kr)
{
	struct keep_link *k = kr->k;
	long long start = rpx_now_ms();

	kr->draining = true;
	kr->pumping = false;
	if (k->lost || k->closed_seen)
		return;
	kr_trace_frame(kr, ">", K_CLOSE);
	keep_frame_put(&k->out, K_CLOSE, NULL, 0);
	while (!k->closed_seen && rpx_now_ms() - start < 5000)
		if (kr_io(kr, 100) != 0)
			return;
	if (!k->closed_seen) {
		link_close(k);
		k->lost = true;
	}
}

static int
keep_channel_run(struct remote *r, const char *cmd, struct feed *in,
		 struct chan_state *st, int run_timeout_ms, bool idle_timeout)
{
	const struct feed *feed0 = in;
	struct keep_link *k = r->conn->keep;
	struct krun kr;
	int ret;

	memset(&kr, 0, sizeof(kr));
	kr.r = r;
	kr.k = k;
	kr.st = st;
	kr.clk.start = kr.last = rpx_now_ms();
	k->opened = k->failed = k->closed_seen = false;
	k->code = REMOTE_ERR_NONE;
	if (k->lost)
		return kr_lost(&kr);
	ret = kr_open(&kr, cmd);
	if (ret == 0 && in != NULL && in->decide != NULL)
		ret = kr_decide(&kr, &in);
	if (ret == 0 && in != NULL && in->mem != NULL)
		ret = kr_feed_mem(&kr, in);
	if (ret == 0 && in != NULL && in->fd >= 0)
		ret = kr_feed_file(&kr, in);
	if (ret == 0) {
		/* as remote_channel_run(): on a pty also after a shell
		 * upload, which took its size */
		kr.pumping = st->fwd_in && (in == NULL || st->pty) &&
			     !st->closed && !(feed0 != NULL && feed0->refused);
		if (!st->closed && !kr.pumping) {
			kr_trace_frame(&kr, ">", K_EOF);
			keep_frame_put(&k->out, K_EOF, NULL, 0);
		}
		ret = kr_wait(&kr, run_timeout_ms, idle_timeout);
	}
	if (ret == 0)
		remote_trace_end(r, st);
	if (ret == 0)
		ret = remote_chan_end(r, st, kr.clk.stop, run_timeout_ms);
	kr_close(&kr);
	return ret;
}

/* ---- a subsystem as a byte stream (sftp.c) ---- */

struct keep_stream {
	struct remote *r;
	struct keep_link *k;
	struct chan_state st;	/* its output lands in data */
	struct strbuf data;
	struct krun kr;
};

struct keep_stream *
keep_stream_open(struct remote *r, const char *name, char *why,
		 size_t whysz)
{
	struct keep_stream *ks = xcalloc(1, sizeof(*ks));
	struct keep_info info;
	struct keep_open op;

	why[0] = '\0';
	ks->r = r;
	ks->k = link_new();
	strbuf_init(&ks->data);
	ks->st.out.fd = -1;
	ks->st.out.sb = &ks->data;
	ks->st.err.fd = -1;
	ks->kr.r = r;
	ks->kr.k = ks->k;
	ks->kr.st = &ks->st;
	ks->kr.clk.start = ks->kr.last = rpx_now_ms();
	if (dial(ks->k, r->conn->keep->path, &info, r->timeout_ms) != 0) {
		snprintf(why, whysz, "no SFTP: the kept connection's master "
			 "did not answer");
		goto fail;
	}
	keep_info_release(&info);
	memset(&op, 0, sizeof(op));
	op.cmd = (char *)name;
	op.subsystem = true;
	kr_trace_frame(&ks->kr, ">", K_OPEN);
	keep_open_encode(&ks->k->out, &op);
	while (!ks->k->opened && !ks->k->failed) {
		if (kr_io(&ks->kr, 100) != 0 ||
		    rpx_now_ms() - ks->kr.last > r->timeout_ms) {
			snprintf(why, whysz, "no SFTP: %s", ks->k->msg[0] ?
				 ks->k->msg : "no answer from the master");
			goto fail;
		}
	}
	if (ks->k->failed) {
		snprintf(why, whysz, "no SFTP: %s", ks->k->msg);
		goto fail;
	}
	return ks;
fail:
	ks->k->closed_seen = true;
	keep_stream_close(ks);
	return NULL;
}

int
keep_stream_write(struct keep_stream *ks, const void *p, size_t n)
{
	keep_frame_put(&ks->k->out, K_STDIN, p, n);
	/* pipelined: wait only while much is still unsent */
	while (ks->k->out.len - ks->k->out_off > 4 * CHUNK) {
		if (kr_io(&ks->kr, 100) != 0 || ks->st.closed)
			return -1;
		if (rpx_now_ms() - ks->kr.last > ks->r->timeout_ms)
			return -1;
	}
	return 0;
}

int
keep_stream_read(struct keep_stream *ks, void *buf, size_t n,
		 int timeout_ms, bool *eof)
{
	long long start = rpx_now_ms();

	*eof = false;
	while (ks->data.len == 0) {
		if (ks->st.eof || ks->st.closed) {
			*eof = true;
			return 0;
		}
		if (rpx_now_ms() - start > timeout_ms)
			return 0;
		if (kr_io(&ks->kr, 100) != 0)
			return -1;
	}
	if (n > ks->data.len)
		n = ks->data.len;
	memcpy(buf, ks->data.buf, n);
	memmove(ks->data.buf, ks->data.buf + n, ks->data.len - n);
	ks->data.len -= n;
	ks->data.buf[ks->data.len] = '\0';
	return (int)n;
}

void
keep_stream_close(struct keep_stream *ks)
{
	if (ks == NULL)
		return;
	/* what is still unsent (a last REMOVE) goes first */
	while (!ks->k->lost && ks->k->fd >= 0 &&
	       ks->k->out.len > ks->k->out_off &&
	       rpx_now_ms() - ks->kr.last < 2000)
		if (kr_io(&ks->kr, 100) != 0)
			break;
	kr_close(&ks->kr);
	keep_link_free(ks->k);
	strbuf_release(&ks->data);
	free(ks);
}

/* ---- attach, start ---- */

/* The start lock beside the socket: one command at a time finds no
 * master and makes one; the others wait for it (up to the operation
 * timeout) and then use it. */
static void
take_lock(struct keep_link *k, int timeout_ms)
{
	char *lock = xasprintf("%s.lock", k->path);
	long long start = rpx_now_ms();

	k->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(lock);
	if (k->lock_fd < 0)
		return;
	while (flock(k->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK || rpx_now_ms() - start > timeout_ms) {
			close(k->lock_fd);
			k->lock_fd = -1;
			return;
		}
		usleep(20000);
	}
}

static void
drop_lock(struct keep_link *k)
{
	if (k->lock_fd >= 0)
		close(k->lock_fd);
	k->lock_fd = -1;
}

static void
use_master(struct remote *r, struct keep_link *k, struct keep_info *info)
{
	snprintf(r->conn->hostkey_fp, sizeof(r->conn->hostkey_fp), "%s",
		 info->fingerprint);
	keep_info_release(info);
	drop_lock(k);
	r->conn->keep = k;
	r->conn->channel_run = keep_channel_run;
}

int
remote_keep_attach(struct remote *r, const struct remote_opts *o)
{
	struct keep_info info;
	struct keep_link *k;
	char err[256];
	char *dir;

	if (!o->keep)
		return 0;
	dir = keep_dir(err, sizeof(err));
	if (dir == NULL)
		return 0;
	k = link_new();
	k->path = keep_sock_path(dir, r->display, r->known_hosts);
	free(dir);
	take_lock(k, r->timeout_ms);
	if (dial(k, k->path, &info, r->timeout_ms) == 0) {
		use_master(r, k, &info);
		return 1;
	}
	if (errno == EPERM || k->lock_fd < 0) {
		/* not ours, or another command is making it: direct */
		keep_link_free(k);
		return 0;
	}
	/* a master that died left its socket: the new one replaces it */
	(void)unlink(k->path);
	r->conn->keep = k;
	return 0;
}

void
remote_keep_start(struct remote *r, const struct remote_opts *o)
{
	struct keep_link *k = r->conn->keep;
	struct keep_info info;
	char *proxy = NULL;
	int keep_time = o->keep_time_s > 0 ? o->keep_time_s :
			KEEP_TIME_DEFAULT;

	if (k == NULL)
		return;
	/* libssh ends a ProxyCommand (ProxyJump) with the session it
	 * belongs to: this process's copy could not be let go */
	if (ssh_options_get(r->conn->session, SSH_OPTIONS_PROXYCOMMAND,
			    &proxy) == SSH_OK) {
		ssh_string_free_char(proxy);
		goto direct;
	}
	if (keep_master_start(r, k->path, keep_time) != 0)
		goto direct;
	/* the master has the session now: this copy goes without a word
	 * on the wire (ssh_free() only closes its descriptor) */
	ssh_free(r->conn->session);
	r->conn->session = ssh_new();
	if (dial(k, k->path, &info, r->timeout_ms) == 0) {
		use_master(r, k, &info);
		return;
	}
	/* it died at once: its connection is gone too */
	k->lost = true;
	snprintf(k->msg, sizeof(k->msg), "the kept connection's master "
		 "did not start");
	drop_lock(k);
	r->conn->channel_run = keep_channel_run;
	return;
direct:
	r->conn->keep = NULL;
	keep_link_free(k);
}

bool
remote_is_kept(const struct remote *r)
{
	return r->conn != NULL && r->conn->channel_run != NULL;
}

/* ---- connections: list, stop ---- */

static int
cmp_entry(const void *a, const void *b)
{
	const struct remote_keep_entry *x = a, *y = b;

	return strcmp(x->display, y->display);
}

int
remote_keep_list(struct remote_keep_entry **list, size_t *n, char *err,
		 size_t errsz)
{
	char *dir = keep_dir(err, errsz);
	struct dirent *e;
	DIR *d;
	size_t cap = 0;

	*list = NULL;
	*n = 0;
	if (dir == NULL)
		return RPX_EIO;
	d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errsz, "cannot read '%s': %s", dir,
			 strerror(errno));
		free(dir);
		return RPX_EIO;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		struct keep_link *k;
		struct keep_info info;
		struct remote_keep_entry *x;

		if (len < 6 || strcmp(e->d_name + len - 5, ".sock") != 0)
			continue;
		k = link_new();
		k->path = xasprintf("%s/%s", dir, e->d_name);
		if (dial(k, k->path, &info, 5000) != 0) {
			/* a dead master's (not another user's) */
			if (errno == ECONNREFUSED)
				(void)unlink(k->path);
			keep_link_free(k);
			continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*list = xrealloc(*list, cap * sizeof(**list));
		}
		x = &(*list)[(*n)++];
		x->socket = k->path;
		k->path = NULL;
		x->display = info.display;
		x->alias = info.alias;
		x->fingerprint = info.fingerprint;
		x->pid = (long)info.pid;
		x->keep_time = (int)info.keep_time;
		x->idle = (int)info.idle;
		x->clients = (int)info.clients;
		x->started = (long long)info.started;
		keep_link_free(k);
	}
	closedir(d);
	free(dir);
	if (*n > 1)
		qsort(*list, *n, sizeof(**list), cmp_entry);
	return 0;
}

void
remote_keep_list_free(struct remote_keep_entry *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].socket);
		free(list[i].display);
		free(list[i].alias);
		free(list[i].fingerprint);
	}
	free(list);
}

int
remote_keep_stop(const char *socket)
{
	struct keep_link *k = link_new();
	struct keep_info info;
	long long start;
	int ret = RPX_EIO;

	if (dial(k, socket, &info, 5000) != 0) {
		keep_link_free(k);
		return RPX_ENOTFOUND;
	}
	keep_info_release(&info);
	keep_frame_put(&k->out, K_STOP, NULL, 0);
	if (link_flush(k, 5000) != 0)
		goto out;
	/* it has gone when its end of the socket closes */
	start = rpx_now_ms();
	while (rpx_now_ms() - start < 5000) {
		char buf[4096];
		struct pollfd pf = { k->fd, POLLIN, 0 };
		ssize_t r;

		if (poll(&pf, 1, 100) <= 0)
			continue;
		r = recv(k->fd, buf, sizeof(buf), 0);
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
			ret = 0;
			break;
		}
	}
out:
	keep_link_free(k);
	return ret;
}
