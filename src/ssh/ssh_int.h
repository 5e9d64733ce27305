/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ssh_int.h - what the files of src/ssh/ that implement remote.h share:
 * the libssh state behind struct remote, the error setter, the channel
 * machinery and the few steps one file does for another. Private to
 * src/ssh/ (and remote_test.c); include/remote.h is the contract.
 *
 * The files, from the bottom up (each uses only those above it):
 *	ssh_util.c	the error setter and code names, wiping secrets,
 *			target parsing
 *	known_hosts.c	known_hosts lookup and the host-key check
 *	auth.c		authentication (agent, keys, keyboard, password)
 *	remote.c	connect and release: the struct remote lifetime
 *	channel.c	one exec on a channel: stdin feed, output, signals
 *	probe.c		the board probe script and its parser
 *	sftp.c		an upload over SFTP with pipelined writes
 *	board_cache.c	what a probe learnt, kept on this computer
 *	delta.c		a delta upload's plan and stream (delta.h), the
 *			copies of earlier uploads kept here
 *	upload.c	the run, cached-run and one-exec upload paths
 *	keep_*.c	the kept connection: its frames, the master that
 *			holds a session, a command's side of it (keep.h)
 *	sync.c		files of the project mirrored to the working folder
 */
#ifndef RPX_SSH_INT_H
#define RPX_SSH_INT_H

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "remote.h"
#include "sshconf.h"
#include "strbuf.h"

/* Everything run uploads lives under ~/.cache/rpi-cross on the Pi. */
#define REMOTE_DIR ".cache/rpi-cross"
#define CAPTURE_MAX (16u << 20)
#define CHUNK (64u << 10)

struct feed;
struct chan_state;
struct keep_link;

struct remote_conn {
	ssh_session session;
	struct ssh_callbacks_struct cbs;
	struct remote *r;
	char hostkey_fp[128];	/* SHA256:... of the server's key */
	struct sshconf_ids ids;	/* IdentitiesOnly, every IdentityFile */
	char *agent_sock;	/* IdentityAgent or $SSH_AUTH_SOCK; NULL: none */
	char *ssh_dir;
	char *alias;		/* the host as typed */
	/* Through a kept connection's master (keep_client.c): every
	 * channel then goes there instead; session stays unconnected. */
	struct keep_link *keep;
	int (*channel_run)(struct remote *r, const char *cmd,
			   struct feed *in, struct chan_state *st,
			   int run_timeout_ms, bool idle_timeout);
};

/* ---- ssh_util.c ---- */

/* A failure: its code into r->err_code, its message into r->err
 * (remote.h: lowercase, no full stop). */
void remote_seterr(struct remote *r, enum remote_err code, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));
/* Overwrite a secret; the volatile pointer keeps the stores. */
void remote_wipe(void *p, size_t n);

/* ---- known_hosts.c ---- */

/* Append "file:line" of each entry in path naming name (to sb). */
void remote_known_hosts_lines(const char *path, const char *name,
			      struct strbuf *sb);
/* The server's key against known_hosts (remote.h's trust rules). */
int remote_check_host_key(struct remote *r, bool accept_new);

/* ---- auth.c ---- */

/* libssh's passphrase question, passed on to r->cb.ask (userdata: r). */
int remote_auth_prompt(const char *prompt, char *buf, size_t len, int echo,
		       int verify, void *userdata);
int remote_authenticate(struct remote *r);

/* ---- channel.c ---- */

struct sink {
	int fd;			/* >= 0: write here */
	struct strbuf *sb;	/* else capture here (may be NULL: drop) */
	bool full;
};

/*
 * A gated channel starts closed: stdout and stderr are held in gate_out
 * and gate_err until stdout begins with GATE_MARK (the remote script's
 * "the program starts now"); then the held stderr is written out and both
 * streams pass through. When the marker never comes, the held text is the
 * script's own answer (a probe, or why an upload failed).
 */
#define GATE_MARK "rpx-go\n"

struct chan_state {
	struct sink out, err;
	bool gated, open;
	struct strbuf gate_out, gate_err;
	bool eof, closed, got_status;
	int status;		/* exit status or 128+signal */
	char signame[16];
	int werrno;		/* a local write failed */
	void (*on_open)(void *data);	/* the gate opened (r->on_start) */
	void *on_open_data;
	bool fwd_in;		/* the program may get our stdin */
	bool pty;		/* ask for r->pty_term's pty (remote.h) */
	/* remote_exec_stream(): the operation timeout counts silence (from
	 * the last output), not the whole run */
	bool idle_from_data;
	long long last_data;	/* rpx_now_ms() of the last output */
};

/*
 * How a channel's run is stopped and timed, whichever way the channel is
 * carried (channel.c's libssh poll, or a kept connection's master in
 * keep_client.c): both wait loops call remote_chan_tick() once a turn and
 * remote_chan_end() after.
 */
enum chan_stop { CHAN_STOP_NONE, CHAN_STOP_SIGNALLED, CHAN_STOP_TIMEOUT };
struct chan_clock {
	enum chan_stop stop;
	long long start;	/* the run began (rpx_now_ms()) */
	long long sig_at;	/* its stop signal went */
	long long last;		/* its last sign of life (operation timeout) */
};

/*
 * One turn of a wait loop at time t: a stop asked for (*r->stop) or the
 * run timeout passed sets c->stop and *send to the signal to send (else
 * NULL); our output failing (RPX_EIO) or no answer within r->timeout_ms
 * while one is due (RPX_ETIMEOUT) set r's error; 1 when a stopped program
 * has had its 2 s, else 0.
 */
int remote_chan_tick(struct remote *r, const struct chan_state *st,
		     struct chan_clock *c, long long t, int run_timeout_ms,
		     bool idle_timeout, const char **send);
/* After the loop: how the run ended (the stop's error, or a channel that
 * closed without an exit status), 0 when the program ended. */
int remote_chan_end(struct remote *r, struct chan_state *st,
		    enum chan_stop stop, int run_timeout_ms);

/* A script asking for a pty puts it in raw mode (8-bit clean, no echo)
 * for its probe, our answer and a shell upload, and PTY_COOKED back
 * just before the program (after GATE_MARK). Empty without a pty. */
#define PTY_RAW "rpx_tty=$(stty -g 2>/dev/null) && stty raw -echo\n"
#define PTY_COOKED "[ -z \"${rpx_tty-}\" ] || stty \"$rpx_tty\"\n"

/* What feeds the channel's stdin. */
struct feed {
	const void *mem;
	size_t memlen;
	int fd;			/* >= 0: then the whole file */
	uint64_t total;
	/*
	 * When set: nothing is sent until the script's probe has ended
	 * (PROBE_END on stdout; the script then waits for a line on stdin)
	 * or the gate opened (the cached copy runs). decide() gets the
	 * probe's text and returns the line to send (and whether the feed
	 * follows it), or NULL: then only EOF is sent (the script then ends
	 * without writing anything).
	 */
	const char *(*decide)(void *data, const char *text, size_t len,
			      bool *feed);
	void *data;
	bool decided;		/* out: decide() was asked */
	bool refused;		/* out: and said no */
};

/* libssh's last error, or what an empty one means here: a channel open
 * that had no answer within the operation timeout. */
const char *remote_session_error(struct remote *r, char *buf, size_t bufsz);
/* Open a session channel without waiting on a delayed ACK (channel.c). */
int remote_open_session(struct remote *r, ssh_channel ch);
/*
 * Run cmd; feed stdin; deliver output to the sinks; wait for the end.
 * op_timeout_ms bounds silence (no progress) for uploads and probes;
 * run_timeout_ms (> 0) bounds the whole run.
 */
int remote_channel_run(struct remote *r, const char *cmd, struct feed *in,
		       struct chan_state *st, int run_timeout_ms,
		       bool idle_timeout);

/* Output of a channel into st: the gate, then the sinks (the callback
 * remote_channel_run's channel has; a kept connection's client too). */
void remote_chan_data(struct chan_state *st, const void *data, size_t len,
		      bool is_stderr);
/* What a stopped channel sends: *r->stop's signal by SSH's name ("TERM",
 * "HUP"), else "INT" (r->stop set). */
const char *remote_stop_signal(const struct remote *r);
/* Whether st's channel asks for a pty (r->pty_term), and its size
 * (r->pty_cols x r->pty_rows, 80x24 when unknown). */
bool remote_pty_wanted(const struct remote *r, const struct chan_state *st,
		       int *cols, int *rows);
/* A SIGWINCH seen (*r->winch, cleared here): true with the new size, now
 * r->pty_cols x r->pty_rows, when a granted pty's size changed. */
bool remote_winch_size(struct remote *r, int *cols, int *rows);
/*
 * -v: a channel's steps as "rpi-cross: ssh: ..." lines (ssh_util.c), the
 * same whichever way the channel is carried (channel.c on the session,
 * keep_client.c through a kept connection's master): the command (a
 * script by its first line and size), the pty and whether the Pi gave it,
 * a window change, a signal sent, how the program ended.
 */
void remote_trace_exec(const struct remote *r, const char *cmd);
void remote_trace_pty(const struct remote *r, int cols, int rows,
		      bool granted);
void remote_trace_winch(const struct remote *r, int cols, int rows);
void remote_trace_signal(const struct remote *r, const char *name);
void remote_trace_end(const struct remote *r, const struct chan_state *st);
/* Linux's number of the signal SSH names ("INT": 2), 0 when unknown. */
int remote_signal_number(const char *name);
/* The probe script's last line: it waits for our answer. */
#define PROBE_END "rpx-end=1\n"

/* ---- keep_master.c ---- */

/* Fork the master of a kept connection for r's connected session,
 * listening on path (replaced when there): 0 when it serves. */
int keep_master_start(struct remote *r, const char *path, int keep_time_s);

/* ---- keep_client.c ---- */

/*
 * In remote_connect(), once the target is resolved: through a master
 * that serves r's user@host:port, when one does (1: r is connected), else
 * 0 (its lock kept for remote_keep_start()). After a new connection's
 * login: start a master for it and go through it (on any failure the
 * connection stays direct).
 */
int remote_keep_attach(struct remote *r, const struct remote_opts *o);
void remote_keep_start(struct remote *r, const struct remote_opts *o);
void keep_link_free(struct keep_link *k);

/* ---- probe.c ---- */

/*
 * The probe script; want_df: free space in the home folder (detect shows
 * it; run does not need it, and each program started costs time on a
 * slow Pi).
 */
void remote_probe_script_df(struct strbuf *sb, const char *file,
			    bool want_df);

/* ---- sftp.c ---- */

/*
 * Upload fd (size bytes) to path over SFTP on a second channel: the
 * folders parts[0..nparts) made when missing, the data written to tmp
 * (mode 0755) with pipelined requests, its size checked, then renamed
 * over path. 0, or an error with the reason in why (RPX_ECANCELED when
 * r->stop was set).
 */
int remote_sftp_upload(struct remote *r, int fd, uint64_t size,
		       const char *const *parts, size_t nparts,
		       const char *tmp, const char *path, char *why,
		       size_t whysz);

/* ---- board_cache.c ---- */

/* This board's saved probe file (per host key and user), or NULL. */
char *remote_board_cache_path(struct remote *r);
/* The shell text that sets rpx_known=1 when the board reads as it did
 * for the cached probe; it always prints what it compared. */
void remote_known_board_script(struct strbuf *sb, const char *cached);
/* After a probe: a full one is saved; a known board's answer gets the
 * saved program-started lines. The text to parse (malloc'd). */
char *remote_board_cache_merge(struct remote *r, const char *text,
			       size_t len, const char *cached);

#endif
