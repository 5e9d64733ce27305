/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * run.c - `rpi-cross run`: upload a binary to the Pi and run it there;
 * usable as Cargo's runner. One SSH connection does everything: probe
 * (board, userland, glibc, and the hash of any earlier copy), the check of
 * the ELF file against the board, the upload (skipped when identical) and
 * the run, with stdout and stderr streamed separately. The exit status is
 * the remote program's (128+N when signal N ended it); rpi-cross's own
 * failures exit RUN_EXIT_OWN (255, as ssh's do), so that a script can tell
 * them from the program's.
 */
#include "cmd.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf.h"
#include "fleet.h"
#include "fsutil.h"
#include "rawterm.h"
#include "release.h"
#include "remote.h"
#include "run_env.h"
#include "ssh_cli.h"
#include "toml.h"

enum { OPT_RUN_TIMEOUT = 3000, OPT_RUN_ENV, OPT_RUN_TTY, OPT_RUN_NO_TTY,
       OPT_RUN_SYNC, OPT_RUN_NO_DELTA };

/* rpi-cross's own failure (not an ELF file, cannot connect, host key,
 * login, refused binary, upload), as ssh's 255 */
enum { RUN_EXIT_OWN = 255, RUN_EXIT_TIMEOUT = 124 };

static const struct opt run_opts[] = {
	HOST_OPT, OPT_SSH_ENTRIES,
	OPT_ID_ENTRY("run-timeout", 0, OPT_ARG, OPT_RUN_TIMEOUT, "SECONDS",
		     "stop the program after this long (default: no limit)"),
	OPT_ID_ENTRY("env", 0, OPT_ARG, OPT_RUN_ENV, "NAME[=VALUE]",
		     "pass NAME to the program: VALUE, or NAME's value here "
		     "(nothing when unset); repeatable"),
	OPT_ID_ENTRY("no-delta", 0, OPT_NOARG, OPT_RUN_NO_DELTA, NULL,
		     "upload the whole file, not only what changed since "
		     "the Pi's version"),
	OPT_ID_ENTRY("sync", 0, OPT_ARG, OPT_RUN_SYNC, "PATH",
		     "mirror PATH of the project (a file or folder) into "
		     "the program's working folder first, changed files "
		     "only; repeatable"),
	OPT_ID_ENTRY("tty", 0, OPT_NOARG, OPT_RUN_TTY, NULL,
		     "a terminal (pty) on the Pi even when this is not one"),
	OPT_ID_ENTRY("no-tty", 0, OPT_NOARG, OPT_RUN_NO_TTY, NULL,
		     "plain pipes even at a terminal"),
	OPT_HELP_ENTRY, OPT_END_TABLE,
};

static const struct cmd_info run_info = {
	"run",
	"rpi-cross run [--host H] BINARY [ARGS...]",
	"Upload BINARY to the Pi and run it there with ARGS; usable as Cargo's\n"
	"runner. Exits with the remote program's status; 255 when rpi-cross\n"
	"itself fails (connect, host key, login, refused binary, upload).",
	"Options end at BINARY: everything after it goes to the program, each\n"
	"argument single-quoted for the remote shell. The host comes from --host,\n"
	"else RPI_CROSS_HOST; several, a,b,c (or @NAME, the hosts of saved\n"
	"profile NAME), run it on each at once (each line prefixed with its\n"
	"host, a summary at the end, the exit status the worst; stdin is not\n"
	"passed on then). Before uploading, the ELF\n"
	"header is checked against the board (architecture, float ABI, ARM\n"
	"level, glibc version). The file\n"
	"goes to ~/.cache/rpi-cross/ on the Pi (a temporary name, then renamed;\n"
	"skipped when the copy there is identical; after a rebuild only what\n"
	"changed since the Pi's version is sent, joined and checked there).\n"
	"RPI_CROSS_STATS=1 prints the bytes sent. Standard input is passed on\n"
	"to the program (EOF when it ends); Ctrl-C, SIGTERM and SIGHUP are\n"
	"passed on as that signal. When standard input and output are a\n"
	"terminal (or with --tty), the program gets a terminal on the Pi (a\n"
	"pty with this TERM and window size, and its changes): colours and\n"
	"full-screen programs work, keys go as they are typed (Ctrl-C too)\n"
	"and this terminal is in raw mode until the program ends, restored\n"
	"on every way out; --no-tty keeps plain pipes.\n"
	"The program runs in ~/.cache/rpi-cross/work/PROJECT on the Pi (the\n"
	"project: CARGO_MANIFEST_DIR, else the nearest folder from here up with\n"
	"a Cargo.toml; PROJECT its package name, else the folder's name; the\n"
	"home folder without one). --sync PATH mirrors PATH (relative to the\n"
	"project's folder) there first: files whose size or time differ are\n"
	"sent, files gone here are removed there, so assets/ or config.toml\n"
	"are found by the same relative path as with cargo run here.\n"
	"The program gets the Pi's login environment plus RUST_LOG,\n"
	"RUST_BACKTRACE and RUST_LIB_BACKTRACE when set here, and what --env\n"
	"names; nothing else goes (no PATH, HOME or other variables). In\n"
	".cargo/config.toml (options before the binary, which Cargo appends):\n"
	"  [target.armv7-unknown-linux-gnueabihf]\n"
	"  runner = \"rpi-cross run --host pi --env RUST_LOG=debug\"\n"
	"Exit status: the program's (128+N when signal N ended it); 130 when\n"
	"interrupted, 124 after --run-timeout; 255 when rpi-cross itself fails\n"
	"(not an ELF file, cannot connect, host key, login, a binary the board\n"
	"cannot run, upload); 2 for a usage error.",
	run_opts,
};

/* main.c's command table holds it (--help's list, the completions). */
const struct cmd_info *
cmd_run_info(void)
{
	return &run_info;
}

/* Ctrl-C, SIGTERM, SIGHUP (the signal's number, remote.h's stop) and
 * SIGWINCH: the only mutable globals, as STYLE allows. */
static volatile sig_atomic_t run_stop, run_winch;

static void
on_signal(int sig)
{
	run_stop = sig;
}

static void
on_winch(int sig)
{
	(void)sig;
	run_winch = 1;
}

/* The terminal side of a pty run. */
struct run_tty {
	struct rawterm raw;
	bool local;		/* our stdin is the terminal to make raw */
	struct ssh_cli *cli;
	bool winch_set;		/* on_winch is SIGWINCH's handler */
	struct sigaction old_winch;
};

static bool
tty_size(void *data, int *cols, int *rows)
{
	(void)data;
	return rawterm_size(STDOUT_FILENO, cols, rows) ||
	       rawterm_size(STDIN_FILENO, cols, rows);
}

/* The program starts: our keys go to it as they are typed. */
static void
tty_start(void *data)
{
	struct run_tty *t = data;

	struct sigaction sa;

	ssh_cli_end_progress(t->cli);
	if (t->local)
		(void)rawterm_enter(&t->raw, STDIN_FILENO);
	/* Resizes from now on: the program runs and the poll that passes
	 * them on takes an interrupted wait in its stride (libssh's
	 * blocking steps before need not); one during the upload is
	 * caught by asking once. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_winch;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (!t->winch_set && sigaction(SIGWINCH, &sa, &t->old_winch) == 0)
		t->winch_set = true;
	run_winch = 1;
}

/* The program ended (or never started): the terminal as it was. */
static void
tty_end(struct run_tty *t)
{
	rawterm_leave(&t->raw);
	if (t->winch_set)
		sigaction(SIGWINCH, &t->old_winch, NULL);
	t->winch_set = false;
}

static const char *
signal_name(int sig)
{
	return sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" :
	       "SIGINT";
}

/* The ELF check against the probed board, asked before any upload. */
struct run_check {
	const struct elf_info *elf;
	char why[512];
};

static bool
runs_on_board(void *data, const struct remote_probe *probe)
{
	struct run_check *c = data;
	struct verdict_out o;

	release_verdict_pi(c->elf, probe->os_codename, probe->os_bits,
			   probe->glibc, probe->ident.board, probe->isa, &o);
	snprintf(c->why, sizeof(c->why), "%s", o.why);
	return o.v != VERDICT_FAILS;
}

/*
 * Pass our stdin on to the program (as `ssh host prog` does)? Not when
 * it is closed, nor a terminal we do not own (a background job reading
 * it would be stopped). A terminal in the foreground is read as it is
 * set (line by line; Ctrl-D ends the input), never changed.
 */
static bool
stdin_usable(void)
{
	if (fcntl(STDIN_FILENO, F_GETFD) == -1)
		return false;
	if (isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) != getpgrp())
		return false;
	return true;
}

static const char *
local_env(const char *name, void *data)
{
	(void)data;
	return rpx_getenv(name);
}

/*
 * The program died of SIGILL (128+4): on an ARMv6 board (Pi 1, Zero) that
 * is ARMv7 code its ELF attributes did not own up to (e.g. Debian's
 * armhf start-up files, or an armv7 target's std). Asks the board when
 * the run used a cached copy (no probe then).
 */
static void
name_sigill(struct ctx *ctx, struct remote *r, struct remote_probe *probe,
	    bool probed, const char *binary)
{
	const struct board *b;

	if (!probed && remote_probe(r, NULL, probe) != 0)
		return;
	b = probe->ident.board;
	if (probe->isa != ISA_ARMV6)
		return;
	rpx_errorf(ctx, "'%s' was killed by SIGILL (\"Illegal instruction\") on "
		   "%s, an ARMv6 board: it contains ARMv7 code (build for "
		   "arm-unknown-linux-gnueabihf with an ARMv6 toolchain, or "
		   "musl)", binary, b ? b->name : r->display);
}

/* [package] name of root/Cargo.toml (malloc'd), or NULL. */
static char *
package_name(const char *root)
{
	char *path = xasprintf("%s/Cargo.toml", root), *buf = NULL, *n = NULL;
	struct rpx_err err = RPX_ERR_INIT;
	struct toml_doc *doc = NULL;
	size_t len = 0;
	const char *s;

	if (fsutil_read_file(path, &buf, &len) == 0 &&
	    toml_parse_take(&doc, buf, len, path, &err) == 0) {
		s = toml_node_cstr(toml_get_key(doc, "package.name"));
		if (s != NULL && s[0] != '\0')
			n = xstrdup(s);
		toml_doc_free(doc);
	}
	free(path);
	return n;
}

/*
 * The project: its folder (CARGO_MANIFEST_DIR, else the nearest from the
 * current folder up that holds a Cargo.toml) and its name
 * (CARGO_PKG_NAME, else its Cargo.toml's, else the folder's), as a name the Pi's shell and file
 * system take (letters, digits, '.', '_', '-'; others '_'). False when
 * there is none.
 */
static bool
find_project(char **root, char **name)
{
	const char *dir = rpx_getenv("CARGO_MANIFEST_DIR");
	const char *pkg = rpx_getenv("CARGO_PKG_NAME");
	char *cwd = NULL, *slash, *n;

	*root = *name = NULL;
	if (dir != NULL && dir[0] == '/') {
		*root = xstrdup(dir);
	} else if ((cwd = getcwd(NULL, 0)) != NULL) {
		for (;;) {
			char *toml = xasprintf("%s/Cargo.toml", cwd);
			bool there = access(toml, F_OK) == 0;

			free(toml);
			if (there) {
				*root = cwd;
				break;
			}
			slash = strrchr(cwd, '/');
			if (slash == NULL || slash == cwd) {
				free(cwd);
				break;
			}
			*slash = '\0';
		}
	}
	if (*root == NULL)
		return false;
	while (strlen(*root) > 1 && (*root)[strlen(*root) - 1] == '/')
		(*root)[strlen(*root) - 1] = '\0';
	slash = strrchr(*root, '/');
	if (pkg != NULL && pkg[0] != '\0')
		n = xstrdup(pkg);
	else if ((n = package_name(*root)) == NULL)
		n = xstrdup(slash ? slash + 1 : *root);
	for (char *c = n; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' ||
		      *c == '-'))
			*c = '_';
	if (n[0] == '\0' || n[0] == '.' || n[0] == '-')
		n[0] = '_';
	if (n[0] == '\0') {
		free(n);
		n = xstrdup("_");
	}
	*name = n;
	return true;
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int
cmd_run(int argc, char **argv, struct ctx *ctx)
{
	struct opt_parser p;
	struct ssh_cli cli;
	struct remote r = REMOTE_INIT;
	struct remote_probe probe;
	struct elf_info elf;
	struct rpx_err perr = RPX_ERR_INIT;
	struct sigaction sa, old_int, old_term, old_hup;
	struct run_tty tty;
	int want_tty = -1;	/* --tty 1, --no-tty 0, else by the terminal */
	const char *host = NULL, *binary, *name;
	struct run_check check;
	struct strvec env = STRVEC_INIT, sync = STRVEC_INIT;
	struct remote_sync_stats ss;
	char *proj_root = NULL, *proj_name = NULL, *workdir = NULL;
	char *group = NULL;
	char hex[65], why[512];
	unsigned long ul;
	bool ran = false, uploaded = false, handlers = false;
	int id, rc, status = 0, run_timeout = 0, ret = RPX_EXIT_USAGE;

	/* before anything is opened: a closed fd 0 would be taken */
	r.forward_stdin = stdin_usable();
	memset(&tty, 0, sizeof(tty));
	tty.raw = (struct rawterm)RAWTERM_INIT;
	ssh_cli_init(&cli, ctx);
	opt_init(&p, ctx, run_info.name, run_info.opts, argc, argv);
	p.stop_at_positional = true;
	run_env_defaults(&env, local_env, NULL);
	while ((id = opt_next(&p)) != OPT_DONE) {
		switch (id) {
		case OPT_ERROR:
			goto out;
		case OPT_HELP:
			cmd_print_help(ctx, &run_info);
			ret = RPX_EXIT_OK;
			goto out;
		case OPT_HOST:
			host = p.arg;
			break;
		case OPT_RUN_TIMEOUT:
			if (opt_parse_uint(&p, "run-timeout", p.arg, 86400,
					   &ul) != 0)
				goto out;
			run_timeout = (int)ul;
			break;
		case OPT_RUN_NO_DELTA:
			r.no_delta = true;
			break;
		case OPT_RUN_SYNC:
			if (p.arg[0] == '/' || p.arg[0] == '\0' ||
			    strcmp(p.arg, "..") == 0 ||
			    strncmp(p.arg, "../", 3) == 0 ||
			    strstr(p.arg, "/../") != NULL ||
			    (strlen(p.arg) >= 3 &&
			     strcmp(p.arg + strlen(p.arg) - 3, "/..") == 0)) {
				rpx_usage_error(ctx, run_info.name, "cannot sync "
						"'%s': not a path inside the "
						"project", p.arg);
				goto out;
			}
			strvec_push(&sync, p.arg);
			break;
		case OPT_RUN_TTY:
		case OPT_RUN_NO_TTY:
			want_tty = id == OPT_RUN_TTY;
			break;
		case OPT_RUN_ENV:
			if (run_env_add(&env, p.arg, local_env, NULL, why,
					sizeof(why)) != 0) {
				rpx_usage_error(ctx, run_info.name, "%s", why);
				goto out;
			}
			break;
		default:
			if (ssh_cli_option(&cli, &p, id) == OPT_ERROR)
				goto out;
			break;
		}
	}
	if (p.npos < 1) {
		rpx_usage_error(ctx, run_info.name, "missing argument BINARY (usage: "
				"rpi-cross run [--host H] BINARY [ARGS...])");
		goto out;
	}
	if (host == NULL)
		host = rpx_getenv("RPI_CROSS_HOST");
	host = fleet_host(host);
	if (host != NULL && host[0] == '@' &&
	    (host = fleet_group(ctx, host, &group)) == NULL)
		goto out;
	if (fleet_several(host)) {
		ret = fleet_run(ctx, argc, argv, host);
		goto out;
	}
	if (host == NULL) {
		rpx_usage_error(ctx, run_info.name, "no Pi given: use --host "
				"[USER@]HOST[:PORT] or set RPI_CROSS_HOST");
		goto out;
	}
	if (host[0] == '-') {
		rpx_usage_error(ctx, run_info.name, "host '%s' starts with "
				"'-': refusing it", host);
		goto out;
	}
	if (find_project(&proj_root, &proj_name))
		workdir = xasprintf(".cache/rpi-cross/work/%s", proj_name);
	if (sync.n > 0 && workdir == NULL) {
		rpx_usage_error(ctx, run_info.name, "--sync needs a project: "
				"run it from the folder of a Cargo.toml (or "
				"below), or through cargo run");
		goto out;
	}
	binary = p.pos[0];
	name = base_name(binary);
	ret = RUN_EXIT_OWN;

	/* Before connecting: is it an executable at all? */
	if (elf_read_file(binary, &elf, &perr) != 0) {
		rpx_errorf(ctx, "cannot run '%s': %s", binary,
			   perr.msg[0] ? perr.msg : "not an ELF executable");
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	handlers = true;
	r.stop = &run_stop;
	r.env = env.v;
	r.workdir = workdir;
	/* a terminal on the Pi when ours is one (in the foreground), as
	 * ssh does for a command with -t */
	if (want_tty < 0)
		want_tty = r.forward_stdin && isatty(STDIN_FILENO) &&
			   isatty(STDOUT_FILENO);
	if (want_tty) {
		const char *term = rpx_getenv("TERM");

		r.pty_term = term != NULL && term[0] ? term : "dumb";
		(void)tty_size(NULL, &r.pty_cols, &r.pty_rows);
		r.winch = &run_winch;
		r.winsize = tty_size;
		tty.local = r.forward_stdin && isatty(STDIN_FILENO);
		tty.cli = &cli;
		r.on_start = tty_start;
		r.on_start_data = &tty;
	}

	if (remote_sha256_file(binary, hex, NULL) != 0) {
		rpx_errorf(ctx, "cannot read '%s'", binary);
		goto out;
	}
	cli.ro.target = host;
	cli.label = name;
	rc = remote_connect(&r, &cli.ro);
	if (rc != 0) {
		rpx_errorf(ctx, "%s", r.err);
		goto out;
	}
	if (sync.n > 0) {
		rc = remote_sync(&r, proj_root, workdir, sync.v, &ss);
		if (rc != 0) {
			rpx_errorf(ctx, "%s", r.err);
			goto out;
		}
		if (ss.sent > 0 || ss.removed > 0)
			rpx_notef(ctx, "rpi-cross: synced to %s:~/%s: %u sent "
				  "(%llu bytes), %u removed, %u unchanged",
				  r.display, workdir, ss.sent,
				  (unsigned long long)ss.bytes, ss.removed,
				  ss.unchanged);
	}
	fflush(ctx->out);
	/* One exec: run the copy uploaded (and checked) earlier; else probe,
	 * check the ELF file against the board, upload and run. */
	check.elf = &elf;
	check.why[0] = '\0';
	memset(&probe, 0, sizeof(probe));
	rc = remote_run_upload(&r, binary, name, hex, p.npos - 1, p.pos + 1,
			       STDOUT_FILENO, STDERR_FILENO, run_timeout,
			       runs_on_board, &check, &probe, &ran, &uploaded,
			       &status);
	tty_end(&tty);
	ssh_cli_end_progress(&cli);
	if (r.sent_kind != NULL && rpx_getenv("RPI_CROSS_STATS") != NULL) {
		fprintf(ctx->err, "%s: sent %llu bytes (%s upload of %s%s%s)\n",
			ctx->progname, (unsigned long long)r.sent_bytes,
			r.sent_kind, name, r.sent_join != NULL ?
			", joined by " : "", r.sent_join != NULL ?
			r.sent_join : "");
	}
	if (rc == 0 && !ran) {
		const struct board *b = probe.ident.board;

		rpx_errorf(ctx, "'%s' cannot run on %s (%s%s%d-bit OS, "
			   "glibc %s): %s; not uploaded", binary, r.display,
			   b ? b->name : "", b ? ", " : "", probe.os_bits,
			   probe.glibc[0] ? probe.glibc : "unknown", check.why);
		goto out;
	}
	if (rc == RPX_ECANCELED) {
		rpx_errorf(ctx, "interrupted: '%s' on %s was sent %s", name,
			   r.display, signal_name(run_stop));
		ret = status ? status : 130;
		goto out;
	}
	if (rc != 0) {
		rpx_errorf(ctx, "%s", r.err);
		ret = r.err_code == REMOTE_ERR_RUN_TIMEOUT ? RUN_EXIT_TIMEOUT :
		      RUN_EXIT_OWN;
		goto out;
	}
	if (status == 128 + SIGILL)
		name_sigill(ctx, &r, &probe, uploaded, binary);
	ret = status;
out:
	tty_end(&tty);
	if (handlers) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
	}
	remote_release(&r);
	opt_release(&p);
	strvec_clear(&env);
	strvec_clear(&sync);
	free(proj_root);
	free(proj_name);
	free(workdir);
	free(group);
	return ret;
}
