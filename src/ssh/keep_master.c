/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * keep_master.c - the master of a kept connection (remote.h, keep.h): a
 * background process, forked once the first command to a host has
 * connected, checked the host key and logged in, that holds that libssh
 * session and serves later commands of the same user over a Unix socket,
 * one SSH channel per request, until it has had no client for its keep
 * time, is told to stop, or loses the connection (then its socket goes
 * with it).
 *
 * It is detached (its own session, stdio on /dev/null, every other
 * inherited descriptor closed: Cargo's pipes never stay open behind it)
 * and refuses a client of another user (SO_PEERCRED). The session runs
 * without blocking: channels open, ask for a pty and their environment
 * and start their command as the answers come, while other clients'
 * channels stream.
 */
#include "keep.h"
#include "ssh_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A stdin backlog beyond this stops reading the client (its writes then
 * block: the channel's window paces the upload end to end). */
#define STDIN_HIGH (1u << 20)

/*
 * The other way: a client that reads slowly or not at all (its output a
 * full pipe, the command stopped with ^Z) must not make the master buffer
 * the program's output without end. Past OUT_HIGH bytes queued for the
 * client the channel's data is left unread in libssh's buffer, which then
 * stops opening the channel's window: the Pi's sshd stops sending and the
 * program blocks on its write, as behind OpenSSH's ControlMaster. Reading
 * resumes once the queue is under OUT_LOW. 1 MiB: about one window of
 * libssh's (1.28 MB), so a client that keeps up never meets the bound,
 * and one frame at most (KEEP_FRAME_MAX); a stalled client then costs
 * the master that and what libssh holds (its window, at most twice when
 * a read reopens it): a few MB, not the output. Only its own channel
 * waits: the other clients' channels go on.
 */
#define OUT_HIGH KEEP_FRAME_MAX
#define OUT_LOW (OUT_HIGH / 4)
#define HELD_OUT 1u
#define HELD_ERR 2u

enum kc_state { KC_IDLE, KC_OPENING, KC_PTY, KC_ENV, KC_EXEC, KC_RUN };

struct master;

/* One client connection and its channel. */
struct kclient {
	struct master *m;
	int fd;
	short events;			/* registered in the event */
	short revents;			/* what the poll saw */
	struct strbuf in, out;
	size_t out_off;
	struct strbuf tail;		/* K_REOF/K_EXIT behind held output */
	unsigned held;			/* HELD_OUT/HELD_ERR: left in libssh */
	bool draining;			/* reading the held bytes back now */
	enum kc_state state;
	struct keep_open op;
	size_t env_i;
	ssh_channel ch;
	struct ssh_channel_callbacks_struct cbs;
	struct strbuf stdin_buf;
	bool versioned, stdin_eof, eof_sent, chan_closed, gone;
	bool used;			/* it ran something: not idle */
	bool pty;			/* the Pi gave the pty asked for */
	struct kclient *next;
};

struct master {
	struct remote *r;
	ssh_session s;
	ssh_event ev;
	int lfd;
	short lrevents;
	const char *path;
	struct kclient *clients;
	int keep_time_s;
	long long idle_since;
	time_t started;
	bool stop;
};

/* SIGTERM/SIGHUP: the only mutable global, as STYLE allows. */
static volatile sig_atomic_t master_term;

static void
on_term(int sig)
{
	(void)sig;
	master_term = 1;
}

/* ---- frames to a client ---- */

static void
kc_frame(struct kclient *c, int type, const void *p, size_t n)
{
	keep_frame_put(&c->out, type, p, n);
}

static void
kc_fail(struct kclient *c, enum remote_err code, const char *msg)
{
	size_t start = keep_frame_begin(&c->out, K_FAIL);

	keep_put_u32(&c->out, (uint32_t)code);
	keep_put_str(&c->out, msg);
	keep_frame_end(&c->out, start);
}

/* Write what is pending, as much as the socket takes now. */
static void
kc_flush(struct kclient *c)
{
	while (!c->gone && c->out_off < c->out.len) {
		ssize_t w = send(c->fd, c->out.buf + c->out_off,
				 c->out.len - c->out_off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (w <= 0) {
			c->gone = true;
			break;
		}
		c->out_off += (size_t)w;
	}
	if (c->out_off == c->out.len) {
		strbuf_reset(&c->out);
		c->out_off = 0;
	} else if (c->out_off >= OUT_LOW) {
		/* a client that never quite catches up: the sent part goes,
		 * or the buffer would grow by what it lags each round */
		memmove(c->out.buf, c->out.buf + c->out_off,
			c->out.len - c->out_off);
		c->out.len -= c->out_off;
		c->out.buf[c->out.len] = '\0';
		c->out_off = 0;
	}
}

static size_t
kc_queued(const struct kclient *c)
{
	return c->out.len - c->out_off;
}

/* A frame that must come after the output still held in libssh. */
static struct strbuf *
kc_after_output(struct kclient *c)
{
	return c->held != 0 || c->tail.len > 0 ? &c->tail : &c->out;
}

/* ---- the channel's callbacks ---- */

static int
ch_data(ssh_session session, ssh_channel channel, void *data, uint32_t len,
	int is_stderr, void *userdata)
{
	struct kclient *c = userdata;
	unsigned bit = is_stderr ? HELD_ERR : HELD_OUT;
	size_t queued = kc_queued(c), n = len;

	(void)session;
	(void)channel;
	/* over the bound (or kc_release() is reading it back in order):
	 * libssh keeps the rest, and its window stays shut meanwhile */
	if (c->draining || queued >= OUT_HIGH) {
		c->held |= bit;
		return 0;
	}
	if (n > OUT_HIGH - queued)
		n = OUT_HIGH - queued;
	kc_frame(c, is_stderr ? K_STDERR : K_STDOUT, data, n);
	if (n < len)
		c->held |= bit;
	else
		c->held &= ~bit;
	return (int)n;
}

static void
ch_eof(ssh_session session, ssh_channel channel, void *userdata)
{
	(void)session;
	(void)channel;
	keep_frame_put(kc_after_output(userdata), K_REOF, NULL, 0);
}

static void
ch_close(ssh_session session, ssh_channel channel, void *userdata)
{
	(void)session;
	(void)channel;
	((struct kclient *)userdata)->chan_closed = true;
}

static void
kc_exit(struct kclient *c, int status, const char *sig)
{
	struct strbuf *sb = kc_after_output(c);
	size_t start = keep_frame_begin(sb, K_EXIT);

	keep_put_u32(sb, (uint32_t)status);
	keep_put_str(sb, sig);
	keep_frame_end(sb, start);
}

static void
ch_exit_status(ssh_session session, ssh_channel channel, int status,
	       void *userdata)
{
	(void)session;
	(void)channel;
	kc_exit(userdata, status, "");
}

static void
ch_exit_signal(ssh_session session, ssh_channel channel, const char *signal,
	       int core, const char *errmsg, const char *lang, void *userdata)
{
	int n = remote_signal_number(signal);

	(void)session;
	(void)channel;
	(void)core;
	(void)errmsg;
	(void)lang;
	kc_exit(userdata, 128 + (n > 0 ? n : 0), signal);
}

/* ---- the channel's life ---- */

static void
kc_chan_free(struct kclient *c)
{
	if (c->ch != NULL) {
		/* libssh keeps a freed channel until the Pi's close comes,
		 * and would call its callbacks (c->cbs, freed with c) */
		if (c->state != KC_OPENING)
			ssh_remove_channel_callbacks(c->ch, &c->cbs);
		if (ssh_channel_is_open(c->ch))
			ssh_channel_close(c->ch);
		ssh_channel_free(c->ch);
		c->ch = NULL;
	}
	keep_open_release(&c->op);
	strbuf_reset(&c->stdin_buf);
	strbuf_reset(&c->tail);
	c->held = 0;
	c->state = KC_IDLE;
	c->env_i = 0;
	c->stdin_eof = c->eof_sent = c->chan_closed = c->pty = false;
}

static void
kc_open(struct kclient *c, const unsigned char *p, size_t n)
{
	if (c->state != KC_IDLE) {
		kc_fail(c, REMOTE_ERR_PROTOCOL, "a channel is open already");
		return;
	}
	if (keep_open_decode(p, n, &c->op) != 0) {
		kc_fail(c, REMOTE_ERR_PROTOCOL, "a bad open request");
		return;
	}
	c->ch = ssh_channel_new(c->m->s);
	if (c->ch == NULL) {
		kc_fail(c, REMOTE_ERR_CHANNEL, ssh_get_error(c->m->s));
		keep_open_release(&c->op);
		return;
	}
	c->state = KC_OPENING;
	c->used = true;
}

/* One step of a channel being set up, as far as the answers allow. */
static void
kc_advance(struct kclient *c)
{
	ssh_session s = c->m->s;
	int rc;

	for (;;) {
		switch (c->state) {
		case KC_OPENING:
			rc = ssh_channel_open_session(c->ch);
			if (rc == SSH_AGAIN)
				return;
			if (rc != SSH_OK) {
				kc_fail(c, REMOTE_ERR_CHANNEL,
					ssh_get_error(s));
				kc_chan_free(c);
				return;
			}
			memset(&c->cbs, 0, sizeof(c->cbs));
			c->cbs.userdata = c;
			c->cbs.channel_data_function = ch_data;
			c->cbs.channel_eof_function = ch_eof;
			c->cbs.channel_close_function = ch_close;
			c->cbs.channel_exit_status_function = ch_exit_status;
			c->cbs.channel_exit_signal_function = ch_exit_signal;
			ssh_callbacks_init(&c->cbs);
			ssh_set_channel_callbacks(c->ch, &c->cbs);
			c->state = c->op.term != NULL ? KC_PTY : KC_ENV;
			break;
		case KC_PTY:
			rc = ssh_channel_request_pty_size(c->ch, c->op.term,
							  (int)c->op.cols,
							  (int)c->op.rows);
			if (rc == SSH_AGAIN)
				return;
			/* refused: the program runs on pipes, as on a
			 * connection of its own (K_OPENED says which) */
			c->pty = rc == SSH_OK;
			c->state = KC_ENV;
			break;
		case KC_ENV:
			if (c->env_i < c->op.nenv) {
				char *name = xstrdup(c->op.env[c->env_i]);
				char *eq = strchr(name, '=');

				if (eq != NULL)
					*eq = '\0';
				rc = ssh_channel_request_env(c->ch, name,
							     eq ? eq + 1 : "");
				free(name);
				if (rc == SSH_AGAIN)
					return;
				/* refused (AcceptEnv): not an error */
				c->env_i++;
				break;
			}
			c->state = KC_EXEC;
			break;
		case KC_EXEC:
			rc = c->op.subsystem ?
			     ssh_channel_request_subsystem(c->ch, c->op.cmd) :
			     ssh_channel_request_exec(c->ch, c->op.cmd);
			if (rc == SSH_AGAIN)
				return;
			if (rc != SSH_OK) {
				kc_fail(c, REMOTE_ERR_EXEC, ssh_get_error(s));
				kc_chan_free(c);
				return;
			}
			kc_frame(c, K_OPENED, c->pty ? "\1" : "\0", 1);
			c->state = KC_RUN;
			return;
		default:
			return;
		}
	}
}

/* The client's stdin bytes into the channel, as its window allows. */
static void
kc_feed(struct kclient *c)
{
	size_t done = 0;

	if (c->state != KC_RUN || c->chan_closed)
		return;
	while (done < c->stdin_buf.len) {
		uint32_t room = ssh_channel_window_size(c->ch);
		size_t n = c->stdin_buf.len - done;
		int w;

		if (room == 0)
			break;
		if (n > room)
			n = room;
		if (n > CHUNK)
			n = CHUNK;
		w = ssh_channel_write(c->ch, c->stdin_buf.buf + done,
				      (uint32_t)n);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (done > 0) {
		memmove(c->stdin_buf.buf, c->stdin_buf.buf + done,
			c->stdin_buf.len - done);
		c->stdin_buf.len -= done;
		c->stdin_buf.buf[c->stdin_buf.len] = '\0';
	}
	if (c->stdin_eof && !c->eof_sent && c->stdin_buf.len == 0) {
		ssh_channel_send_eof(c->ch);
		c->eof_sent = true;
	}
}

/* Output held in libssh while the client lagged, read back in order once
 * its queue is low again (which opens the channel's window anew); then
 * what waited behind it (K_REOF, K_EXIT). */
static void
kc_release(struct kclient *c)
{
	char buf[CHUNK];

	if (c->held != 0 && c->ch != NULL && kc_queued(c) < OUT_LOW) {
		c->draining = true;
		for (int err = 0; err < 2; err++) {
			unsigned bit = err ? HELD_ERR : HELD_OUT;

			while ((c->held & bit) && kc_queued(c) < OUT_HIGH) {
				size_t room = OUT_HIGH - kc_queued(c);
				int n = ssh_channel_read_nonblocking(c->ch,
					buf, (uint32_t)(room < sizeof(buf) ?
					room : sizeof(buf)), err);

				if (n <= 0) {
					c->held &= ~bit;
					break;
				}
				kc_frame(c, err ? K_STDERR : K_STDOUT, buf,
					 (size_t)n);
			}
		}
		c->draining = false;
	}
	if (c->held == 0 && c->tail.len > 0) {
		strbuf_add(&c->out, c->tail.buf, c->tail.len);
		strbuf_reset(&c->tail);
	}
}

static void
kc_frame_in(struct kclient *c, int type, const unsigned char *p, size_t n)
{
	struct keep_rd rd = { p, n, false };
	char *sig;
	uint32_t cols, rows;

	switch (type) {
	case K_OPEN:
		kc_open(c, p, n);
		break;
	case K_STDIN:
		if (c->state != KC_IDLE && !c->stdin_eof)
			strbuf_add(&c->stdin_buf, p, n);
		break;
	case K_EOF:
		c->stdin_eof = true;
		break;
	case K_WINCH:
		cols = keep_get_u32(&rd);
		rows = keep_get_u32(&rd);
		if (!rd.bad && c->state == KC_RUN && c->pty)
			ssh_channel_change_pty_size(c->ch, (int)cols,
						    (int)rows);
		break;
	case K_SIGNAL:
		sig = keep_get_str(&rd);
		if (sig != NULL && c->state == KC_RUN)
			ssh_channel_request_send_signal(c->ch, sig);
		free(sig);
		break;
	case K_CLOSE:
		/* answered once per channel: none left, nothing to say */
		if (c->state != KC_IDLE) {
			kc_chan_free(c);
			kc_frame(c, K_CLOSED, NULL, 0);
		}
		break;
	case K_STOP:
		c->m->stop = true;
		break;
	default:
		c->gone = true;	/* not one of ours */
		break;
	}
}

/* Read what the client sent and act on its whole frames. */
static void
kc_read(struct kclient *c)
{
	char buf[CHUNK];
	size_t off = 0;
	ssize_t n;
	int type, rc;
	const unsigned char *p;
	size_t plen;

	n = recv(c->fd, buf, sizeof(buf), 0);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		c->gone = true;
		return;
	}
	strbuf_add(&c->in, buf, (size_t)n);
	/* the version byte leads: a client of another version is shut */
	if (!c->versioned) {
		if (c->in.buf[0] != KEEP_VERSION) {
			c->gone = true;
			return;
		}
		c->versioned = true;
		off = 1;
	}
	while ((rc = keep_frame_next(c->in.buf, c->in.len, &off, &type, &p,
				     &plen)) == 1)
		kc_frame_in(c, type, p, plen);
	if (rc < 0)
		c->gone = true;
	memmove(c->in.buf, c->in.buf + off, c->in.len - off);
	c->in.len -= off;
	c->in.buf[c->in.len] = '\0';
}

/* ---- clients ---- */

static int
on_fd(socket_t fd, int revents, void *userdata)
{
	struct kclient *c = userdata;

	(void)fd;
	c->revents |= (short)revents;
	return 0;
}

static int
on_listen(socket_t fd, int revents, void *userdata)
{
	struct master *m = userdata;

	(void)fd;
	m->lrevents |= (short)revents;
	return 0;
}

static void
master_info(struct master *m, struct strbuf *sb)
{
	struct keep_info i;
	size_t n = 0;
	long long now = rpx_now_ms();

	/* a client that only asks (connections) is not a use */
	for (struct kclient *c = m->clients; c != NULL; c = c->next)
		n += c->used;
	memset(&i, 0, sizeof(i));
	i.pid = (uint32_t)getpid();
	i.keep_time = (uint32_t)m->keep_time_s;
	i.idle = n > 0 ? 0 : (uint32_t)((now - m->idle_since) / 1000);
	i.clients = (uint32_t)n;
	i.started = (uint64_t)m->started;
	i.display = m->r->display;
	i.alias = m->r->conn->alias;
	i.fingerprint = m->r->conn->hostkey_fp;
	keep_info_encode(sb, &i);
}

static void
master_accept(struct master *m)
{
	uid_t peer;
	struct kclient *c;
	char v = KEEP_VERSION;
	int fd;

	fd = accept(m->lfd, NULL, NULL);
	if (fd < 0)
		return;
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	/* the socket is 0600 in a 0700 folder; root passes those: the
	 * peer's uid decides */
	if (keep_peer_uid(fd, &peer) != 0 || peer != geteuid()) {
		close(fd);
		return;
	}
	/* the host key as remote_connect() checks it: a key removed from
	 * known_hosts (or changed there) since ends the master, and the
	 * client connects afresh and hears why */
	if (ssh_session_is_known_server(m->s) != SSH_KNOWN_HOSTS_OK) {
		close(fd);
		m->stop = true;
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->fd = fd;
	strbuf_init(&c->in);
	strbuf_init(&c->out);
	strbuf_init(&c->stdin_buf);
	strbuf_init(&c->tail);
	c->next = m->clients;
	m->clients = c;
	strbuf_add(&c->out, &v, 1);
	master_info(m, &c->out);
}

static void
kc_free(struct master *m, struct kclient *c)
{
	if (c->events != 0)
		ssh_event_remove_fd(m->ev, c->fd);
	/* its command went away (killed) while the program runs: a hangup,
	 * as its terminal closing would be, rather than a program left
	 * running on the Pi */
	if (c->state == KC_RUN && !c->chan_closed)
		ssh_channel_request_send_signal(c->ch, "HUP");
	kc_chan_free(c);
	close(c->fd);
	strbuf_release(&c->in);
	strbuf_release(&c->out);
	strbuf_release(&c->stdin_buf);
	strbuf_release(&c->tail);
	free(c);
}

/* Watch each client for what it may do now. */
static void
master_watch(struct master *m)
{
	for (struct kclient *c = m->clients; c != NULL; c = c->next) {
		short want = 0;

		if (c->stdin_buf.len < STDIN_HIGH)
			want |= POLLIN;
		if (c->out.len > c->out_off)
			want |= POLLOUT;
		if (want == c->events)
			continue;
		if (c->events != 0)
			ssh_event_remove_fd(m->ev, c->fd);
		c->events = 0;
		if (want != 0 && ssh_event_add_fd(m->ev, c->fd, want, on_fd,
						  c) == SSH_OK)
			c->events = want;
	}
}

static void
master_lost(struct master *m)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "the kept connection to '%s' broke: %s",
		 m->r->display, ssh_get_error(m->s));
	for (struct kclient *c = m->clients; c != NULL; c = c->next) {
		keep_frame_put(&c->out, K_LOST, msg, strlen(msg));
		kc_flush(c);
	}
}

/* Is any channel still being set up (its answer awaited)? */
static bool
master_opening(const struct master *m)
{
	for (const struct kclient *c = m->clients; c != NULL; c = c->next)
		if (c->state != KC_IDLE && c->state != KC_RUN)
			return true;
	return false;
}

static void
master_loop(struct master *m)
{
	m->idle_since = rpx_now_ms();
	for (;;) {
		struct kclient **pp;
		bool opening = master_opening(m);
		int rc;
#ifdef TCP_QUICKACK
		int one = 1;

		/* as remote_open_session(): sshd's answer to a channel
		 * open may wait for our delayed acknowledgement */
		if (opening)
			(void)setsockopt(ssh_get_fd(m->s), IPPROTO_TCP,
					 TCP_QUICKACK, &one, sizeof(one));
#endif
		master_watch(m);
		errno = 0;
		rc = ssh_event_dopoll(m->ev, opening ? 50 : 1000);
		if ((rc == SSH_ERROR && errno != EINTR) ||
		    !ssh_is_connected(m->s)) {
			master_lost(m);
			return;
		}
		if (m->lrevents != 0) {
			m->lrevents = 0;
			master_accept(m);
		}
		for (struct kclient *c = m->clients; c != NULL; c = c->next) {
			if (c->revents & (POLLIN | POLLHUP | POLLERR))
				kc_read(c);
			c->revents = 0;
			if (c->state != KC_IDLE && c->state != KC_RUN)
				kc_advance(c);
			kc_feed(c);
			kc_flush(c);
			kc_release(c);
			/* closed once what it sent is all out of libssh */
			if (c->chan_closed && c->state != KC_IDLE &&
			    c->held == 0) {
				kc_chan_free(c);
				kc_frame(c, K_CLOSED, NULL, 0);
			}
			kc_flush(c);
		}
		for (pp = &m->clients; *pp != NULL;) {
			struct kclient *c = *pp;

			if (c->gone) {
				*pp = c->next;
				if (c->used)
					m->idle_since = rpx_now_ms();
				kc_free(m, c);
			} else {
				pp = &c->next;
			}
		}
		if (m->stop || master_term)
			return;
		if (m->clients == NULL && rpx_now_ms() - m->idle_since >
		    (long long)m->keep_time_s * 1000)
			return;
	}
}

/* Close every descriptor but 0-2 and keep[0..n): nothing the command
 * had open (Cargo's pipes, a terminal) stays open behind the master. */
static void
close_others(const int *keep, size_t nkeep)
{
	int fds[1024];
	size_t n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (d != NULL) {
		while ((e = readdir(d)) != NULL && n < ARRAY_SIZE(fds))
			if (e->d_name[0] != '.')
				fds[n++] = atoi(e->d_name);
		closedir(d);
	} else {
		for (int fd = 3; fd < 1024; fd++)
			fds[n++] = fd;
	}
	for (size_t i = 0; i < n; i++) {
		bool kept = fds[i] < 3;

		for (size_t j = 0; j < nkeep; j++)
			kept = kept || fds[i] == keep[j];
		if (!kept)
			close(fds[i]);
	}
}

static void
detach(const int *keep, size_t nkeep)
{
	struct sigaction sa;
	sigset_t none;
	int null;

	(void)setsid();
	if (chdir("/") != 0)
		return;
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		if (null > 2)
			close(null);
	}
	close_others(keep, nkeep);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The grandchild: serve until idle, stopped or cut off; never returns. */
static void
master_run(struct remote *r, int lfd, const char *path, int keep_time_s,
	   const struct stat *bound)
{
	struct master m;
	struct stat now;
	int keep[2];

	keep[0] = lfd;
	keep[1] = ssh_get_fd(r->conn->session);
	detach(keep, 2);
	memset(&m, 0, sizeof(m));
	m.r = r;
	m.s = r->conn->session;
	m.lfd = lfd;
	m.path = path;
	m.keep_time_s = keep_time_s;
	m.started = time(NULL);
	r->stop = NULL;
	memset(&r->cb, 0, sizeof(r->cb));
	ssh_set_blocking(m.s, 0);
	m.ev = ssh_event_new();
	if (m.ev != NULL && ssh_event_add_session(m.ev, m.s) == SSH_OK &&
	    ssh_event_add_fd(m.ev, lfd, POLLIN, on_listen, &m) == SSH_OK)
		master_loop(&m);
	/* the socket goes first (only ours: a later master may have
	 * replaced it), so no client reaches a master that is ending */
	if (stat(path, &now) == 0 && now.st_ino == bound->st_ino &&
	    now.st_dev == bound->st_dev)
		unlink(path);
	close(lfd);
	while (m.clients != NULL) {
		struct kclient *c = m.clients;

		m.clients = c->next;
		kc_flush(c);
		kc_free(&m, c);
	}
	if (ssh_is_connected(m.s))
		ssh_disconnect(m.s);
	_exit(0);
}

int
keep_master_start(struct remote *r, const char *path, int keep_time_s)
{
	struct sockaddr_un sa;
	struct stat bound;
	mode_t old;
	pid_t pid;
	int lfd, st = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		return RPX_EINVAL;
	memcpy(sa.sun_path, path, strlen(path));
	lfd = socket(AF_UNIX, SOCK_STREAM | KEEP_SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return RPX_EIO;
	(void)fcntl(lfd, F_SETFD, FD_CLOEXEC);
	(void)unlink(path);	/* a stale one: the caller holds the lock */
	old = umask(077);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		umask(old);
		close(lfd);
		return RPX_EIO;
	}
	umask(old);
	if (chmod(path, 0600) != 0 || stat(path, &bound) != 0 ||
	    listen(lfd, 16) != 0) {
		unlink(path);
		close(lfd);
		return RPX_EIO;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		unlink(path);
		close(lfd);
		return RPX_EIO;
	}
	if (pid == 0) {
		/* twice, so the master is nobody's child to wait for */
		if (fork() != 0)
			_exit(0);
		master_run(r, lfd, path, keep_time_s, &bound);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	close(lfd);
	return 0;
}
