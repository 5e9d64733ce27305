/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * channel.c - one command on a session channel: feed its stdin (memory,
 * a file, or ours), deliver its output (gated until the script says the
 * program starts), pass on Ctrl-C and the run timeout, and collect the
 * exit status.
 */
#include "ssh_int.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void
sink_put(struct chan_state *st, struct sink *k, const char *p, size_t n)
{
	if (k->fd >= 0) {
		while (n > 0 && st->werrno == 0) {
			ssize_t w = write(k->fd, p, n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				st->werrno = errno;
				break;
			}
			p += w;
			n -= (size_t)w;
		}
	} else if (k->sb != NULL && !k->full) {
		if (k->sb->len + n > CAPTURE_MAX) {
			n = CAPTURE_MAX - k->sb->len;
			k->full = true;
		}
		strbuf_add(k->sb, p, n);
	}
}

/* The length of GATE_MARK at the start of the held stdout, else 0; a
 * pty not in raw mode (the cached copy's path) ends the line with \r\n. */
static size_t
gate_mark(const struct chan_state *st)
{
	const char *b = st->gate_out.buf;
	size_t m = strlen(GATE_MARK);

	if (st->gate_out.len >= m && strncmp(b, GATE_MARK, m) == 0)
		return m;
	if (st->pty && st->gate_out.len >= m + 1 &&
	    strncmp(b, GATE_MARK, m - 1) == 0 && strncmp(b + m - 1, "\r\n",
							 2) == 0)
		return m + 1;
	return 0;
}

static int
on_data(ssh_session session, ssh_channel channel, void *data, uint32_t len,
	int is_stderr, void *userdata)
{
	(void)session;
	(void)channel;
	remote_chan_data(userdata, data, len, is_stderr);
	return (int)len;
}

void
remote_chan_data(struct chan_state *st, const void *data, size_t len,
		 bool is_stderr)
{
	if (st->idle_from_data)
		st->last_data = rpx_now_ms();
	if (!st->gated || st->open) {
		sink_put(st, is_stderr ? &st->err : &st->out, data, len);
		return;
	}
	if (is_stderr) {
		if (st->gate_err.len < CAPTURE_MAX)
			strbuf_add(&st->gate_err, data, len);
		return;
	}
	if (st->gate_out.len < CAPTURE_MAX)
		strbuf_add(&st->gate_out, data, len);
	if (gate_mark(st) > 0) {
		size_t m = gate_mark(st);

		st->open = true;
		if (st->on_open != NULL)
			st->on_open(st->on_open_data);
		sink_put(st, &st->err, st->gate_err.buf, st->gate_err.len);
		sink_put(st, &st->out, st->gate_out.buf + m,
			 st->gate_out.len - m);
		strbuf_release(&st->gate_err);
		strbuf_release(&st->gate_out);
	}
}

static void
on_eof(ssh_session session, ssh_channel channel, void *userdata)
{
	(void)session;
	(void)channel;
	((struct chan_state *)userdata)->eof = true;
}

static void
on_close(ssh_session session, ssh_channel channel, void *userdata)
{
	(void)session;
	(void)channel;
	((struct chan_state *)userdata)->closed = true;
}

static void
on_exit_status(ssh_session session, ssh_channel channel, int status,
	       void *userdata)
{
	struct chan_state *st = userdata;

	(void)session;
	(void)channel;
	st->got_status = true;
	st->status = status;
}

/* Linux signal numbers (the Pi's), by the names SSH uses. */
static int
signal_number(const char *name)
{
	static const char *const names[] = {
		"", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
		"KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
	};

	for (size_t i = 1; i < ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return 0;
}

static void
on_exit_signal(ssh_session session, ssh_channel channel, const char *signal,
	       int core, const char *errmsg, const char *lang, void *userdata)
{
	struct chan_state *st = userdata;
	int n = signal_number(signal);

	(void)session;
	(void)channel;
	(void)core;
	(void)errmsg;
	(void)lang;
	st->got_status = true;
	snprintf(st->signame, sizeof(st->signame), "%s", signal);
	st->status = 128 + (n > 0 ? n : 0);
}

int
remote_signal_number(const char *name)
{
	return signal_number(name);
}

const char *
remote_session_error(struct remote *r, char *buf, size_t bufsz)
{
	const char *e = ssh_get_error(r->conn->session);

	if (e != NULL && e[0] != '\0')
		return e;
	snprintf(buf, bufsz, "no answer within %d s", r->timeout_ms / 1000);
	return buf;
}

/*
 * Open a session channel. sshd sets TCP_NODELAY only once a program
 * runs: before that, its channel-open confirmation waits behind the
 * unacknowledged packet it sent just before (the host keys it announces
 * after the login), and the acknowledgement is ours to send, delayed by
 * up to 40 ms. So the open is driven without blocking, asking for
 * immediate acknowledgements while it waits (Linux; elsewhere this is a
 * plain open).
 */
int
remote_open_session(struct remote *r, ssh_channel ch)
{
	ssh_session s = r->conn->session;
	long long start = rpx_now_ms();
	socket_t fd = ssh_get_fd(s);
	int rc;
#ifdef TCP_QUICKACK
	int one = 1;
#endif

	ssh_set_blocking(s, 0);
	rc = ssh_channel_open_session(ch);
	while (rc == SSH_AGAIN && rpx_now_ms() - start < r->timeout_ms) {
		struct pollfd pfd = { fd, POLLIN, 0 };

#ifdef TCP_QUICKACK
		(void)setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one,
				 sizeof(one));
#endif
		if (r->stop != NULL && *r->stop)
			break;
		(void)poll(&pfd, 1, 100);
		rc = ssh_channel_open_session(ch);
	}
	ssh_set_blocking(s, 1);
	return rc;
}

static bool
probe_ended(const struct strbuf *sb)
{
	size_t m = strlen(PROBE_END);

	return sb->len >= m && strcmp(sb->buf + sb->len - m, PROBE_END) == 0;
}

/*
 * Poll until a gated channel's script has printed its probe (and waits
 * for our answer), opened the gate, or ended; the operation timeout bounds
 * silence.
 */
static int
wait_probe(struct remote *r, struct chan_state *st)
{
	ssh_session s = r->conn->session;
	ssh_event ev = ssh_event_new();
	long long last = rpx_now_ms();
	size_t seen = 0;
	int ret = 0;

	if (ev == NULL || ssh_event_add_session(ev, s) != SSH_OK) {
		remote_seterr(r, REMOTE_ERR_CHANNEL, "cannot wait for '%s'",
			      r->display);
		ret = RPX_EIO;
		goto out;
	}
	while (!st->open && !st->closed && !st->eof &&
	       !probe_ended(&st->gate_out)) {
		int rc;

		errno = 0;
		rc = ssh_event_dopoll(ev, 100);
		if ((rc == SSH_ERROR && errno != EINTR) ||
		    !ssh_is_connected(s)) {
			remote_seterr(r, REMOTE_ERR_LOST,
				      "lost the connection to '%s': %s",
				      r->display, ssh_get_error(s));
			ret = RPX_EIO;
			break;
		}
		if (r->stop != NULL && *r->stop) {
			remote_seterr(r, REMOTE_ERR_CANCELED, "interrupted");
			ret = RPX_ECANCELED;
			break;
		}
		if (st->gate_out.len + st->gate_err.len != seen) {
			seen = st->gate_out.len + st->gate_err.len;
			last = rpx_now_ms();
		}
		if (rpx_now_ms() - last > r->timeout_ms) {
			remote_seterr(r, REMOTE_ERR_TIMEOUT,
				      "no answer from '%s' within %d s",
				      r->display, r->timeout_ms / 1000);
			ret = RPX_ETIMEOUT;
			break;
		}
	}
out:
	if (ev != NULL) {
		ssh_event_remove_session(ev, s);
		ssh_event_free(ev);
	}
	return ret;
}

/* Our stdin passed on to a running program (remote.h, forward_stdin). */
struct pump {
	bool on;		/* forwarding (not yet at EOF) */
	bool watched;		/* fd 0 is in the event */
	char *buf;
};

static int
pump_wake(socket_t fd, int revents, void *userdata)
{
	(void)fd;
	(void)revents;
	(void)userdata;
	return 0;		/* only ends the poll; pump_move() reads */
}

/* Watch fd 0 in the poll, or not. */
static void
pump_set_watch(struct pump *p, ssh_event ev, bool on)
{
	if (on && !p->watched) {
		if (ssh_event_add_fd(ev, STDIN_FILENO, POLLIN, pump_wake,
				     NULL) == SSH_OK)
			p->watched = true;
	} else if (!on && p->watched) {
		ssh_event_remove_fd(ev, STDIN_FILENO);
		p->watched = false;
	}
}

/* Our input ended: so does the program's. */
static void
pump_eof(struct pump *p, ssh_event ev, ssh_channel ch)
{
	pump_set_watch(p, ev, false);
	ssh_channel_send_eof(ch);
	p->on = false;
}

/* After a poll: pass on what stdin has now, at most the window; never
 * wait for it. End of input (or an error reading it) sends EOF. */
static int
pump_move(struct pump *p, ssh_event ev, ssh_channel ch)
{
	uint32_t room = ssh_channel_window_size(ch);
	struct pollfd pf = { STDIN_FILENO, POLLIN, 0 };
	ssize_t n;

	if (room == 0 || poll(&pf, 1, 0) <= 0 || pf.revents == 0)
		return 0;
	if (p->buf == NULL)
		p->buf = xmalloc(CHUNK);
	n = read(STDIN_FILENO, p->buf, room < CHUNK ? room : CHUNK);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		pump_eof(p, ev, ch);
		return 0;
	}
	if (ssh_channel_write(ch, p->buf, (uint32_t)n) == SSH_ERROR)
		return RPX_EIO;
	return 0;
}

/* One remote_channel_run(): the channel, its poll, how it is stopped. */
struct chan_run {
	struct remote *r;
	struct chan_state *st;
	ssh_channel ch;
	ssh_event ev;
	struct ssh_channel_callbacks_struct cbs;
	struct pump pump;
	struct chan_clock clk;
};

/* Open the channel, st's callbacks on it, and start cmd. */
static int
chan_start(struct chan_run *cr, const char *cmd)
{
	struct remote *r = cr->r;
	ssh_session s = r->conn->session;
	char ebuf[64];
	int cols, rows;

	memset(&cr->cbs, 0, sizeof(cr->cbs));
	cr->cbs.userdata = cr->st;
	cr->cbs.channel_data_function = on_data;
	cr->cbs.channel_eof_function = on_eof;
	cr->cbs.channel_close_function = on_close;
	cr->cbs.channel_exit_status_function = on_exit_status;
	cr->cbs.channel_exit_signal_function = on_exit_signal;
	ssh_callbacks_init(&cr->cbs);

	cr->ch = ssh_channel_new(s);
	if (cr->ch == NULL || remote_open_session(r, cr->ch) != SSH_OK) {
		const char *e = remote_session_error(r, ebuf, sizeof(ebuf));
		/* no error from libssh: the open had no answer in time */
		enum remote_err code = e != ebuf ? REMOTE_ERR_CHANNEL :
				       r->stop != NULL && *r->stop ?
				       REMOTE_ERR_CANCELED : REMOTE_ERR_TIMEOUT;

		remote_seterr(r, code, "cannot open a channel to '%s': %s",
			      r->display, e);
		return RPX_EIO;
	}
	ssh_set_channel_callbacks(cr->ch, &cr->cbs);
	remote_trace_exec(r, cmd);
	/* no pty (a Pi that refuses one): the program runs on pipes, as
	 * ssh -t does after its warning */
	if (remote_pty_wanted(r, cr->st, &cols, &rows)) {
		r->pty_granted = ssh_channel_request_pty_size(cr->ch,
				r->pty_term, cols, rows) == SSH_OK;
		remote_trace_pty(r, cols, rows, r->pty_granted);
	}
	if (ssh_channel_request_exec(cr->ch, cmd) != SSH_OK) {
		remote_seterr(r, REMOTE_ERR_EXEC,
			      "cannot run a command on '%s': %s", r->display,
			      ssh_get_error(s));
		return RPX_EIO;
	}
	return 0;
}

/*
 * A feed with decide(): wait for the script's probe, let decide() answer
 * and send its line. *inp becomes NULL when nothing follows on stdin
 * (the cached copy runs, the script ended, or decide() said so).
 */
static int
chan_decide(struct chan_run *cr, struct feed **inp)
{
	struct remote *r = cr->r;
	struct chan_state *st = cr->st;
	struct feed *in = *inp;
	const char *go;
	bool feed = false;
	int ret;

	ret = wait_probe(r, st);
	if (ret != 0)
		return ret;
	if (st->open || st->closed) {
		*inp = NULL;	/* the cached copy runs, or it ended */
		return 0;
	}
	go = in->decide(in->data, st->gate_out.buf, st->gate_out.len, &feed);
	in->decided = true;
	in->refused = go == NULL;
	/* the gate now waits for the upload's GATE_MARK */
	strbuf_reset(&st->gate_out);
	if (go != NULL && ssh_channel_write(cr->ch, go,
					   (uint32_t)strlen(go)) == SSH_ERROR) {
		remote_seterr(r, REMOTE_ERR_LOST,
			      "lost the connection to '%s': %s", r->display,
			      ssh_get_error(r->conn->session));
		return RPX_EIO;
	}
	if (go == NULL || !feed)
		*inp = NULL;
	return 0;
}

/* The feed's bytes in memory, all of them (unless the channel closed). */
static int
feed_mem(struct chan_run *cr, const struct feed *in)
{
	struct remote *r = cr->r;
	const char *p = in->mem;
	size_t left = in->memlen;

	while (left > 0 && !cr->st->closed) {
		int w = ssh_channel_write(cr->ch, p, (uint32_t)(left > CHUNK ?
							       CHUNK : left));

		if (w == SSH_ERROR) {
			remote_seterr(r, REMOTE_ERR_LOST,
				      "lost the connection to '%s': %s",
				      r->display,
				      ssh_get_error(r->conn->session));
			return RPX_EIO;
		}
		p += w;
		left -= (size_t)w;
	}
	return 0;
}

/* The feed's file, to its end, with progress; a write that makes no
 * headway for the operation timeout is a stalled upload. */
static int
feed_file(struct chan_run *cr, const struct feed *in)
{
	struct remote *r = cr->r;
	ssh_session s = r->conn->session;
	char *buf = xmalloc(CHUNK);
	long long last = cr->clk.start, last_progress = 0;
	uint64_t done = 0;
	int ret = RPX_EIO;

	for (;;) {
		ssize_t n = read(in->fd, buf, CHUNK);
		size_t off = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			remote_seterr(r, REMOTE_ERR_LOCAL,
				      "cannot read the file to upload: %s",
				      strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		while (off < (size_t)n && !cr->st->closed) {
			int w;

			if (r->stop != NULL && *r->stop) {
				remote_seterr(r, REMOTE_ERR_CANCELED,
					      "upload to '%s' interrupted",
					      r->display);
				ret = RPX_ECANCELED;
				goto out;
			}
			w = ssh_channel_write(cr->ch, buf + off,
					      (uint32_t)((size_t)n - off));
			if (w == SSH_ERROR) {
				remote_seterr(r, REMOTE_ERR_LOST,
					      "lost the connection to '%s' "
					      "during the upload (%llu of "
					      "%llu bytes sent): %s",
					      r->display,
					      (unsigned long long)done,
					      (unsigned long long)in->total,
					      ssh_get_error(s));
				goto out;
			}
			if (w == 0) {
				if (rpx_now_ms() - last > r->timeout_ms) {
					remote_seterr(r, REMOTE_ERR_TIMEOUT,
						      "upload to '%s' stalled "
						      "for %d s", r->display,
						      r->timeout_ms / 1000);
					ret = RPX_ETIMEOUT;
					goto out;
				}
				continue;
			}
			last = rpx_now_ms();
			off += (size_t)w;
			done += (uint64_t)w;
		}
		if (cr->st->closed)
			break;
		if (r->cb.progress != NULL &&
		    (rpx_now_ms() - last_progress >= 100 ||
		     done == in->total)) {
			last_progress = rpx_now_ms();
			r->cb.progress(r->cb.data, done, in->total);
		}
	}
	ret = 0;
out:
	free(buf);
	return ret;
}

/* The signal a stop sends: what *r->stop holds (a handler's signal
 * number), INT for anything else. */
const char *
remote_stop_signal(const struct remote *r)
{
	switch (*r->stop) {
	case SIGTERM:
		return "TERM";
	case SIGHUP:
		return "HUP";
	default:
		return "INT";
	}
}

bool
remote_pty_wanted(const struct remote *r, const struct chan_state *st,
		  int *cols, int *rows)
{
	*cols = r->pty_cols > 0 ? r->pty_cols : 80;
	*rows = r->pty_rows > 0 ? r->pty_rows : 24;
	return st->pty && r->pty_term != NULL;
}

bool
remote_winch_size(struct remote *r, int *cols, int *rows)
{
	if (r->winch == NULL || !*r->winch)
		return false;
	*r->winch = 0;
	if (!r->pty_granted || r->winsize == NULL ||
	    !r->winsize(r->winsize_data, cols, rows) ||
	    (*cols == r->pty_cols && *rows == r->pty_rows))
		return false;
	r->pty_cols = *cols;
	r->pty_rows = *rows;
	return true;
}

/* A window-size change (SIGWINCH) passed on to the pty. */
static void
pass_winch(struct chan_run *cr)
{
	int cols, rows;

	if (remote_winch_size(cr->r, &cols, &rows)) {
		remote_trace_winch(cr->r, cols, rows);
		ssh_channel_change_pty_size(cr->ch, cols, rows);
	}
}

/*
 * Poll until the program has ended (EOF and its exit status, or the
 * channel closed), passing on our stdin, a stop (SIGINT) and the run
 * timeout (SIGTERM); a program that does not end within 2 s of its
 * signal ends the loop too. 0 then; an error when the connection, our
 * output or the operation timeout failed.
 */
static int
chan_wait(struct chan_run *cr, int run_timeout_ms, bool idle_timeout)
{
	struct remote *r = cr->r;
	struct chan_state *st = cr->st;
	ssh_session s = r->conn->session;

	cr->ev = ssh_event_new();
	if (cr->ev == NULL || ssh_event_add_session(cr->ev, s) != SSH_OK) {
		remote_seterr(r, REMOTE_ERR_CHANNEL, "cannot wait for '%s'",
			      r->display);
		return RPX_EIO;
	}
	cr->clk.last = rpx_now_ms();
	while (!st->closed && !(st->eof && st->got_status)) {
		const char *send;
		int rc;
		long long t;
		/* not before the program starts: the script reads stdin */
		bool pumping = cr->pump.on && cr->clk.stop == CHAN_STOP_NONE &&
			       (!st->gated || st->open);

		/* fd 0 wakes the poll only while the window has room (a
		 * program that does not read must not make us spin or
		 * block), and not once it is being stopped */
		pump_set_watch(&cr->pump, cr->ev, pumping &&
			       ssh_channel_window_size(cr->ch) > 0);
		errno = 0;
		rc = ssh_event_dopoll(cr->ev, 100);
		if (pumping && !st->closed &&
		    pump_move(&cr->pump, cr->ev, cr->ch) != 0) {
			remote_seterr(r, REMOTE_ERR_LOST,
				      "lost the connection to '%s': %s",
				      r->display, ssh_get_error(s));
			return RPX_EIO;
		}
		t = rpx_now_ms();
		/* A signal (Ctrl-C) interrupts the poll: not an error. */
		if ((rc == SSH_ERROR && errno != EINTR) ||
		    !ssh_is_connected(s)) {
			remote_seterr(r, REMOTE_ERR_LOST,
				      "lost the connection to '%s': %s",
				      r->display, ssh_get_error(s));
			return RPX_EIO;
		}
		pass_winch(cr);
		/* Probes, uploads and the start of a gated run must answer
		 * within the operation timeout; a running program need not. */
		if (st->idle_from_data && st->last_data > cr->clk.last)
			cr->clk.last = st->last_data;
		rc = remote_chan_tick(r, st, &cr->clk, t, run_timeout_ms,
				      idle_timeout, &send);
		if (send != NULL) {
			remote_trace_signal(r, send);
			ssh_channel_request_send_signal(cr->ch, send);
		}
		if (rc < 0)
			return rc;
		/* The program did not end on the signal: close the channel. */
		if (rc == 1)
			break;
	}
	return 0;
}

int
remote_chan_tick(struct remote *r, const struct chan_state *st,
		 struct chan_clock *c, long long t, int run_timeout_ms,
		 bool idle_timeout, const char **send)
{
	*send = NULL;
	if (st->werrno != 0) {
		remote_seterr(r, REMOTE_ERR_LOCAL,
			      "cannot write the program's output: %s",
			      strerror(st->werrno));
		return RPX_EIO;
	}
	if (c->stop == CHAN_STOP_NONE && r->stop != NULL && *r->stop) {
		c->stop = CHAN_STOP_SIGNALLED;
		c->sig_at = t;
		*send = remote_stop_signal(r);
	} else if (c->stop == CHAN_STOP_NONE && run_timeout_ms > 0 &&
		   t - c->start > run_timeout_ms) {
		c->stop = CHAN_STOP_TIMEOUT;
		c->sig_at = t;
		*send = "TERM";
	}
	if (c->stop == CHAN_STOP_NONE && (idle_timeout ||
	    (st->gated && !st->open)) && t - c->last > r->timeout_ms) {
		remote_seterr(r, REMOTE_ERR_TIMEOUT,
			      "no answer from '%s' within %d s",
			      r->display, r->timeout_ms / 1000);
		return RPX_ETIMEOUT;
	}
	return c->stop != CHAN_STOP_NONE && t - c->sig_at > 2000;
}

int
remote_chan_end(struct remote *r, struct chan_state *st, enum chan_stop stop,
		int run_timeout_ms)
{
	if (stop == CHAN_STOP_TIMEOUT) {
		remote_seterr(r, REMOTE_ERR_RUN_TIMEOUT, "the program on '%s' "
			      "ran longer than %d s: stopped", r->display,
			      run_timeout_ms / 1000);
		return RPX_ETIMEOUT;
	}
	if (stop == CHAN_STOP_SIGNALLED) {
		remote_seterr(r, REMOTE_ERR_CANCELED, "interrupted");
		if (!st->got_status) {
			st->got_status = true;
			st->status = 130;
		}
		return RPX_ECANCELED;
	}
	if (!st->got_status) {
		remote_seterr(r, REMOTE_ERR_PROTOCOL,
			      "'%s' closed the channel without an exit status",
			      r->display);
		return RPX_EIO;
	}
	return 0;
}

/* The steps: start, answer a probe, feed stdin, wait, see how it ended. */
int
remote_channel_run(struct remote *r, const char *cmd, struct feed *in,
		   struct chan_state *st, int run_timeout_ms,
		   bool idle_timeout)
{
	const struct feed *feed0 = in;
	struct chan_run cr;
	int ret;

	/* through a kept connection's master (keep_client.c) */
	if (r->conn->channel_run != NULL)
		return r->conn->channel_run(r, cmd, in, st, run_timeout_ms,
					    idle_timeout);
	memset(&cr, 0, sizeof(cr));
	cr.r = r;
	cr.st = st;
	cr.clk.stop = CHAN_STOP_NONE;
	cr.clk.start = rpx_now_ms();
	ret = chan_start(&cr, cmd);
	if (ret == 0 && in != NULL && in->decide != NULL)
		ret = chan_decide(&cr, &in);
	if (ret == 0 && in != NULL && in->mem != NULL)
		ret = feed_mem(&cr, in);
	if (ret == 0 && in != NULL && in->fd >= 0)
		ret = feed_file(&cr, in);
	if (ret == 0) {
		/* the program's stdin: ours while it runs, else empty (also
		 * when the check said no: the waiting script then ends); on
		 * a pty also after a shell upload, which took its size */
		cr.pump.on = st->fwd_in && (in == NULL || st->pty) &&
			     !st->closed && !(feed0 != NULL && feed0->refused);
		if (!st->closed && !cr.pump.on)
			ssh_channel_send_eof(cr.ch);
		ret = chan_wait(&cr, run_timeout_ms, idle_timeout);
	}
	if (ret == 0)
		remote_trace_end(r, st);
	if (ret == 0)
		ret = remote_chan_end(r, st, cr.clk.stop, run_timeout_ms);
	if (cr.ev != NULL) {
		pump_set_watch(&cr.pump, cr.ev, false);
		ssh_event_remove_session(cr.ev, r->conn->session);
		ssh_event_free(cr.ev);
	}
	if (cr.ch != NULL) {
		if (ssh_channel_is_open(cr.ch))
			ssh_channel_close(cr.ch);
		ssh_channel_free(cr.ch);
	}
	free(cr.pump.buf);
	return ret;
}

int
remote_exec(struct remote *r, const char *cmd, const void *in, size_t inlen,
	    struct strbuf *out, struct strbuf *err, int *status)
{
	struct chan_state st;
	struct feed feed = { in, inlen, -1, inlen, NULL, NULL, false, false };
	int ret;

	memset(&st, 0, sizeof(st));
	st.out.fd = -1;
	st.out.sb = out;
	st.err.fd = -1;
	st.err.sb = err;
	ret = remote_channel_run(r, cmd, in ? &feed : NULL, &st, 0, true);
	*status = st.status;
	return ret;
}

int
remote_exec_stream(struct remote *r, const char *cmd, const void *in,
		   size_t inlen, int fd_out, struct strbuf *err, int *status)
{
	struct chan_state st;
	struct feed feed = { in, inlen, -1, inlen, NULL, NULL, false, false };
	int ret;

	memset(&st, 0, sizeof(st));
	st.out.fd = fd_out;
	st.err.fd = -1;
	st.err.sb = err;
	st.idle_from_data = true;
	ret = remote_channel_run(r, cmd, in ? &feed : NULL, &st, 0, true);
	*status = st.status;
	return ret;
}
