/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * remote.h - the Pi over SSH (libssh): connect honouring ~/.ssh/config,
 * check the host key against known_hosts, authenticate, probe the board,
 * upload a file and run a program with streamed output.
 *
 * The module never touches the terminal. Whatever it must ask (trust an
 * unknown host key, a password, a key's passphrase) goes through struct
 * remote_callbacks, which the command layer or the wizard supplies; a NULL
 * callback means "cannot ask", and the answer is then "no".
 *
 * Trust rules (never relaxed by any option):
 *  - a known, matching key is accepted;
 *  - an unknown key is accepted only when accept_new_host_key is set or the
 *    confirm_host_key callback says yes, and is then recorded in OpenSSH's
 *    format in the user's known_hosts;
 *  - a changed key (or a known host offering a key of another type) is
 *    refused always, naming the known_hosts file:line of the old key and
 *    the ssh-keygen -R command that removes it.
 *
 * Calling sequence:
 *	struct remote r = REMOTE_INIT;
 *	struct remote_opts o = REMOTE_OPTS_INIT;
 *	o.target = "pi@raspberrypi.local";
 *	if (remote_connect(&r, &o) != 0)
 *		fprintf(stderr, "%s\n", r.err);
 *	... remote_probe(), remote_run_cached(), remote_upload_run() ...
 *	remote_release(&r);
 *
 * Errors: every function returns 0 or a negative RPX_E* code and, on
 * failure, leaves a lowercase message without a full stop in r->err (the
 * host-key messages span several lines) and what failed in r->err_code
 * (enum remote_err), which is what callers branch on. Secrets are never
 * stored in the struct nor logged; password buffers are wiped after use.
 *
 * The files of src/ssh/ behind this header: remote.c (connect, release),
 * known_hosts.c (the host-key check), auth.c (the login), channel.c (one
 * exec: stdin, output, signals, exit status), probe.c (the board probe),
 * upload.c (remote_run and the one-exec upload paths), sftp.c (the upload
 * over SFTP), delta.c (a rebuilt file sent as what changed), sync.c
 * (remote_sync), board_cache.c (a probe's findings kept on this
 * computer) and
 * ssh_util.c (the error setter, target parsing); ssh_int.h is what they
 * share.
 */
#ifndef RPX_REMOTE_H
#define RPX_REMOTE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "rpx.h"
#include "strbuf.h"

struct remote_callbacks {
	/*
	 * The server's key is not in known_hosts: may it be trusted (and
	 * recorded)? Return true for yes. host is "host" or "[host]:port".
	 */
	bool (*confirm_host_key)(void *data, const char *host,
				 const char *key_type, const char *fingerprint);
	/*
	 * Ask for a secret (password, passphrase, keyboard-interactive
	 * answer) or, when echo is true, a non-secret answer. Fill buf
	 * (NUL-terminated, at most bufsz bytes) and return 0, or return a
	 * negative value to decline.
	 */
	int (*ask)(void *data, const char *prompt, bool echo, char *buf,
		   size_t bufsz);
	/* Upload progress (bytes done of total); called at most ~10 times/s. */
	void (*progress)(void *data, uint64_t done, uint64_t total);
	void *data;
};

struct remote_opts {
	const char *target;		/* [USER@]HOST[:PORT], [v6]:PORT, alias */
	int timeout_s;			/* connect and per-operation; 0: 10 s */
	bool accept_new_host_key;
	const char *ssh_dir;		/* NULL: $HOME/.ssh */
	struct remote_callbacks cb;
	/* A kept connection (remote_keep_*): go through the host's master
	 * when one serves, else start one after the login; keep_time_s
	 * idle seconds before it ends (0: 600). Off in REMOTE_OPTS_INIT. */
	bool keep;
	int keep_time_s;
	/* -v: the SSH steps (connect, each login method, the commands run)
	 * on trace->err; -vv: libssh's own log too. NULL: nothing. */
	const struct ctx *trace;
};

#define REMOTE_OPTS_INIT { NULL, 0, false, NULL, { NULL, NULL, NULL, NULL }, \
	false, 0, NULL }

/*
 * What failed, beside the message in r->err (as OpenSSH's SSH_ERR_*
 * codes): callers branch on the code, never on the words.
 */
enum remote_err {
	REMOTE_ERR_NONE,
	REMOTE_ERR_BAD_TARGET,		/* the target does not parse */
	REMOTE_ERR_SETUP,		/* libssh, ~/.ssh/config or the user
					 * name refused on this side */
	REMOTE_ERR_CONNECT,		/* no connection: the name does not
					 * resolve, refused, unreachable */
	REMOTE_ERR_PROXY,		/* the ProxyCommand (ProxyJump)
					 * failed */
	REMOTE_ERR_TIMEOUT,		/* no answer within the operation
					 * timeout (connect, channel, probe,
					 * a stalled upload) */
	REMOTE_ERR_HOSTKEY_UNKNOWN,	/* not in known_hosts, not accepted */
	REMOTE_ERR_HOSTKEY_CHANGED,	/* known_hosts has another key for the
					 * host (or one of another type) */
	REMOTE_ERR_HOSTKEY,		/* the key could not be read, checked
					 * against known_hosts or recorded */
	REMOTE_ERR_AUTH,		/* the login was refused or failed */
	REMOTE_ERR_LOST,		/* the connection broke */
	REMOTE_ERR_CHANNEL,		/* no channel, or no way to wait on
					 * it */
	REMOTE_ERR_EXEC,		/* the command was not started */
	REMOTE_ERR_PROTOCOL,		/* closed without an exit status */
	REMOTE_ERR_PROBE,		/* the probe's answer is not one */
	REMOTE_ERR_UPLOAD,		/* the Pi did not take the file (its
					 * own reason in r->err) */
	REMOTE_ERR_DISK_FULL,		/* the same, for want of space (No
					 * space left, Disk quota exceeded) */
	REMOTE_ERR_LOCAL,		/* a local file, or writing the
					 * program's output here, failed */
	REMOTE_ERR_INVALID,		/* a bad argument (remote file name) */
	REMOTE_ERR_RUN_TIMEOUT,		/* the program ran too long */
	REMOTE_ERR_CANCELED,		/* stopped through r->stop (Ctrl-C) */
	REMOTE_ERR_COUNT
};

/* The code's name: "connect", "hostkey-changed", ... ("?" when unknown). */
const char *remote_err_name(enum remote_err code);

struct remote_conn;			/* libssh state (src/ssh/ssh_int.h) */

struct remote {
	struct remote_conn *conn;
	char *user;			/* as resolved (target, config, login) */
	char *host;			/* HostName after ~/.ssh/config */
	int port;
	char *known_hosts;		/* the user's known_hosts file */
	char *display;			/* "user@host:port" for messages */
	int timeout_ms;
	struct remote_callbacks cb;
	/* Set (from a signal handler) to stop: upload aborts, a running
	 * program is sent SIGINT and then its channel closed. */
	volatile sig_atomic_t *stop;
	char err[2048];
	enum remote_err err_code;	/* what failed, with err */
	/* Called once when the program itself starts in remote_run_cached()
	 * or remote_upload_run() (after the upload, before its first
	 * output), so a caller can time the upload and the run apart. */
	void (*on_start)(void *data);
	void *on_start_data;
	/*
	 * When set, this process's standard input (fd 0) is passed on to the
	 * program's stdin while it runs in remote_run(), remote_run_cached()
	 * and remote_run_upload() (as `ssh host prog` does, never the
	 * terminal's settings changed), and EOF is sent when it ends. It is
	 * read only as fast as the channel's window allows, so output keeps
	 * streaming and a program that never reads still ends normally.
	 * Not for the shell's upload (remote_upload_run(), or the shell
	 * fallback of remote_run_upload()): that program's stdin is empty.
	 * Off in REMOTE_INIT: the program then gets EOF at once.
	 */
	bool forward_stdin;
	/*
	 * The program's environment beyond what the Pi's login gives it:
	 * "NAME=VALUE" strings (NULL-ended; the caller's), set by
	 * assignments before the program in every path that runs it
	 * (remote_run(), the cached copy, either upload). NULL: none.
	 */
	char *const *env;
	/*
	 * Delta uploads (remote_run_upload): when the Pi has an earlier
	 * version of the file's NAME and this computer kept a copy of it,
	 * only what changed is sent and the Pi joins it (split, gzip, tar,
	 * cat) and checks its SHA-256 before anything is replaced; a join
	 * that does not check out is followed by a full upload. Set to send
	 * whole files only (run's --no-delta; RPI_CROSS_UPLOAD=full too).
	 */
	bool no_delta;
	/* Out: what the last upload sent: "delta", "full", or "delta+full"
	 * (the join failed its check), NULL when nothing was sent; and the
	 * bytes of its payloads (the file, the delta's stream). */
	const char *sent_kind;
	uint64_t sent_bytes;
	const struct ctx *trace;	/* remote_opts' trace, from connect */
	/*
	 * A terminal on the Pi: when pty_term is set, the program's channel
	 * in remote_run() and remote_run_upload() asks for a pty of that
	 * TERM and pty_cols x pty_rows; the program's stdout and stderr then
	 * arrive merged on fd_out, and a stop (*stop holding SIGTERM or
	 * SIGHUP, else INT) is sent as that signal as without one. While it
	 * runs, a set *winch (a SIGWINCH handler's) is cleared and
	 * winsize(winsize_data) asked for the size to pass on. pty_granted
	 * says whether the Pi gave one (out; not asked: false).
	 */
	const char *pty_term;
	int pty_cols, pty_rows;
	volatile sig_atomic_t *winch;
	bool (*winsize)(void *data, int *cols, int *rows);
	void *winsize_data;
	bool pty_granted;
	/*
	 * The program's working folder, relative to the Pi's home (made
	 * when missing; the home folder when it cannot be). NULL: home.
	 */
	const char *workdir;
	/* Out: how the Pi joined the last delta ("runs" or "blocks",
	 * delta.h), NULL when none was sent. */
	const char *sent_join;
};

#define REMOTE_INIT { NULL, NULL, NULL, 0, NULL, NULL, 0, \
	{ NULL, NULL, NULL, NULL }, NULL, { 0 }, REMOTE_ERR_NONE, NULL, NULL, \
	false, NULL, false, NULL, 0, NULL, NULL, 0, 0, NULL, NULL, NULL, false, NULL, NULL }

/*
 * Split a target into user (or NULL), host and port (0 when absent).
 * Accepts "host", "user@host", "host:22", "user@host:22", "[::1]:22",
 * "[::1]", "::1" (a bare IPv6 address has no port). Rejects an empty
 * host, a host or user starting with '-', a bad port, spaces and control
 * characters: RPX_EINVAL with a message in err.
 */
int remote_parse_target(const char *target, char **user, char **host,
			int *port, char *err, size_t errsz);

/*
 * The command that removes r's host from its known_hosts, as the
 * host-key-changed message ends: "ssh-keygen -R 'NAME' -f 'FILE'" (NAME
 * "host" or "[host]:port"; r as remote_connect() left it). Appended to sb.
 */
void remote_forget_host_command(const struct remote *r, struct strbuf *sb);

/* Connect, check the host key, authenticate. */
int remote_connect(struct remote *r, const struct remote_opts *o);
/* Disconnect and free; r is REMOTE_INIT again afterwards. */
void remote_release(struct remote *r);


/*
 * Run a shell command; stdin gets in[0..inlen) then EOF; stdout and stderr
 * are captured (up to 16 MiB each). *status: exit status, or 128+signal.
 */
int remote_exec(struct remote *r, const char *cmd, const void *in,
		size_t inlen, struct strbuf *out, struct strbuf *err,
		int *status);

/*
 * remote_exec() for a long output: stdout is written to fd_out as it
 * arrives (a pipe to a reader, no size limit; a failed write ends the run
 * with REMOTE_ERR_LOCAL), stderr captured in err. Silence longer than the
 * operation timeout is an error; r->stop sends the command SIGINT.
 */
int remote_exec_stream(struct remote *r, const char *cmd, const void *in,
		       size_t inlen, int fd_out, struct strbuf *err,
		       int *status);

/* What the board probe found. */
struct remote_probe {
	struct board_ident ident;	/* model/compatible/cpuinfo */
	char model_source[16];		/* "model", "model+revision",
					   "compatible", "cpuinfo", "" */
	char machine[32];		/* uname -m (the kernel's) */
	int os_bits;			/* userland: 32 or 64, 0 unknown */
	char bits_source[32];		/* "getconf LONG_BIT", ... */
	char dpkg_arch[32];		/* "armhf", "arm64", "" */
	char os_id[32];			/* os-release ID */
	char os_pretty[128];		/* os-release PRETTY_NAME */
	char os_codename[32];		/* VERSION_CODENAME */
	char glibc[16];			/* "2.36", "" when unknown (musl?) */
	char home[256];			/* $HOME on the Pi */
	long long home_free_kb;		/* -1 unknown */
	bool has_sha256sum;
	char file_sha256[65];		/* of the probed file, "" if none */
	long long file_size;		/* -1 when the file is absent */
	enum isa isa;			/* board's ISA, else from uname */
};

/*
 * The probe script (one exec, POSIX sh: dash or busybox) and its parser.
 * When file is not NULL (a path inside ~/.cache/rpi-cross), its size and
 * SHA-256 (sha256sum on the Pi) are reported too.
 */
void remote_probe_script(struct strbuf *sb, const char *file);
int remote_probe_parse(const char *text, size_t len, struct remote_probe *p);
int remote_probe(struct remote *r, const char *file, struct remote_probe *p);

/*
 * Run path with argv (each single-quoted) in the remote home; stdout and
 * stderr are written to fd_out and fd_err as they arrive. *status gets the
 * exit status, or 128+N when signal N ended it. run_timeout_s > 0 stops
 * the program after that many seconds (RPX_ETIMEOUT).
 */
int remote_run(struct remote *r, const char *path, int argc,
	       char *const *argv, int fd_out, int fd_err, int run_timeout_s,
	       int *status);

/*
 * The one-exec paths `run` uses. Files live in
 * ~/.cache/rpi-cross/HASH16/NAME, HASH16 the first 16 hex digits of their
 * SHA-256 (hex), so an identical copy is recognised without hashing on
 * the Pi and the program still sees its own name.
 *
 * remote_run_cached: when that file is there (uploaded, hence checked,
 * earlier), run it at once (*ran = true, *status as remote_run);
 * otherwise probe the board in the same exec (*ran = false, probe
 * filled) so the caller can check the ELF and upload.
 *
 * remote_upload_run: put local into the cache (temporary name, size
 * check, mode 0755, rename; stale temporaries and older versions of NAME
 * removed) and run it in the same exec, without probing the board: the
 * upload goes as remote_run_upload's does (SFTP beside the exec, else
 * through the shell). The program's stdin is empty. On an upload failure
 * the error names the Pi's reason (e.g. "No space left on device").
 */
int remote_run_cached(struct remote *r, const char *name, const char *hex,
		      int argc, char *const *argv, int fd_out, int fd_err,
		      int run_timeout_s, struct remote_probe *probe, bool *ran,
		      int *status);
int remote_upload_run(struct remote *r, const char *local, const char *name,
		      const char *hex, int argc, char *const *argv, int fd_out,
		      int fd_err, int run_timeout_s, int *status);

/*
 * remote_run_upload: remote_run_cached and remote_upload_run in one exec,
 * a round trip fewer for a program not on the Pi yet. When the cached
 * copy is there it runs at once (*ran = true, *uploaded = false).
 * Otherwise the board is probed in the same exec and check(data, probe)
 * decides: true streams local into the cache as remote_upload_run does
 * and runs it (*ran = *uploaded = true); false ends the exec with nothing
 * written on the Pi and returns 0 with *ran = false (the caller says why;
 * probe holds what was found). The upload goes over SFTP (pipelined
 * writes, mode 0755, size check, rename) on a second channel of the same
 * connection; when that fails it is sent again through the shell as
 * remote_upload_run does, whose error names the Pi's reason (SFTP only
 * says "Failure"). RPI_CROSS_UPLOAD=exec uses only the shell, =sftp only
 * SFTP. What the probe learns by starting programs on the Pi (uname -m,
 * getconf) is saved under ~/.cache/rpi-cross/boards/ on this computer
 * (per host key and user) and reused while the Pi's /proc/version and
 * /etc/os-release read the same, so a known board costs no programs.
 * A NULL check probes nothing and always uploads (remote_upload_run).
 */
typedef bool remote_upload_check(void *data, const struct remote_probe *p);
int remote_run_upload(struct remote *r, const char *local, const char *name,
		      const char *hex, int argc, char *const *argv,
		      int fd_out, int fd_err, int run_timeout_s,
		      remote_upload_check *check, void *data,
		      struct remote_probe *probe, bool *ran, bool *uploaded,
		      int *status);

/*
 * Kept connections (in the manner of OpenSSH's ControlMaster and
 * ControlPersist): with remote_opts.keep, the first remote_connect() to a
 * user@host:port forks a master that holds the authenticated session and
 * listens on a socket (0600) in $XDG_RUNTIME_DIR/rpi-cross, else
 * ~/.cache/rpi-cross/sockets (0700, the user's own; another user's client
 * is refused by its uid). Later connects go through it: every channel
 * (remote_exec, remote_run, the cached run, both uploads: SFTP's bytes
 * on a subsystem channel of their own) is relayed without a handshake.
 * The master checks the host key against known_hosts again on each
 * connect, ends after keep_time_s without clients or when it loses its
 * connection (its socket removed), and a socket left by a dead master is
 * removed and replaced.
 */
struct remote_keep_entry {
	char *socket;			/* its path */
	char *display;			/* user@host[:port] */
	char *alias;			/* the host as first typed */
	char *fingerprint;		/* the Pi's host key, SHA256:... */
	long pid;
	int keep_time;			/* idle seconds before it ends */
	int idle;			/* seconds without a client */
	int clients;			/* other commands using it now */
	long long started;		/* epoch seconds */
};

/*
 * Every master of this user (sockets of dead ones removed on the way),
 * in *list (n entries; free with remote_keep_list_free). RPX_EIO with the
 * reason in err when the socket folder is not usable.
 */
int remote_keep_list(struct remote_keep_entry **list, size_t *n, char *err,
		     size_t errsz);
void remote_keep_list_free(struct remote_keep_entry *list, size_t n);
/* End the master on socket, waiting (up to 5 s) until it has gone. */
int remote_keep_stop(const char *socket);
/* Whether r goes through a kept connection's master. */
bool remote_is_kept(const struct remote *r);

/*
 * Mirror paths (NULL-ended, relative to the local folder root, files or
 * folders) into ~/workdir on the Pi: a file whose size or modification
 * time differs from the Pi's copy is sent (over SFTP; its time and mode
 * then set as here), a file the Pi has under those paths that is gone
 * here is removed. One exec lists the Pi's side. A path that is absolute
 * or climbs out with ".." is refused (REMOTE_ERR_INVALID).
 */
struct remote_sync_stats {
	unsigned sent, removed, unchanged;
	uint64_t bytes;			/* of the files sent */
};
int remote_sync(struct remote *r, const char *root, const char *workdir,
		char *const *paths, struct remote_sync_stats *stats);

/* SHA-256 of a local file as 64 lowercase hex digits. */
int remote_sha256_file(const char *path, char hex[65], long long *size);

#endif
