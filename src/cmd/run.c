/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * run.c - `rpi-cross run`: upload a binary to the Pi and run it there;
 * usable as Cargo's runner. One SSH connection does everything: probe
 * (board, userland, glibc, and the hash of any earlier copy), the check of
 * the ELF file against the board, the upload (skipped when identical) and
 * the run, with stdout and stderr streamed separately. The exit status is
 * the remote program's (128+N when signal N ended it).
 */
#include "cmd.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "elf.h"
#include "release.h"
#include "remote.h"
#include "run_env.h"
#include "ssh_cli.h"

enum { OPT_RUN_TIMEOUT = 3000, OPT_RUN_ENV };

static const struct opt run_opts[] = {
	HOST_OPT, OPT_SSH_ENTRIES,
	OPT_ID_ENTRY("run-timeout", 0, OPT_ARG, OPT_RUN_TIMEOUT, "SECONDS",
		     "stop the program after this long (default: no limit)"),
	OPT_ID_ENTRY("env", 0, OPT_ARG, OPT_RUN_ENV, "NAME[=VALUE]",
		     "pass NAME to the program: VALUE, or NAME's value here "
		     "(nothing when unset); repeatable"),
	OPT_HELP_ENTRY, OPT_END_TABLE,
};

static const struct cmd_info run_info = {
	"run",
	"rpi-cross run [--host H] BINARY [ARGS...]",
	"Upload BINARY to the Pi and run it there with ARGS; usable as Cargo's\n"
	"runner. Exits with the remote program's status.",
	"Options end at BINARY: everything after it goes to the program, each\n"
	"argument single-quoted for the remote shell. The host comes from --host,\n"
	"else RPI_CROSS_HOST. Before uploading, the ELF header is checked against\n"
	"the board (architecture, float ABI, ARM level, glibc version). The file\n"
	"goes to ~/.cache/rpi-cross/ on the Pi (a temporary name, then renamed;\n"
	"skipped when the copy there is identical). Standard input is passed on\n"
	"to the program (EOF when it ends); Ctrl-C is passed on as SIGINT.\n"
	"The program gets the Pi's login environment plus RUST_LOG,\n"
	"RUST_BACKTRACE and RUST_LIB_BACKTRACE when set here, and what --env\n"
	"names; nothing else goes (no PATH, HOME or other variables). In\n"
	".cargo/config.toml (options before the binary, which Cargo appends):\n"
	"  [target.armv7-unknown-linux-gnueabihf]\n"
	"  runner = \"rpi-cross run --host pi --env RUST_LOG=debug\"",
	run_opts,
};

/* main.c's command table holds it (--help's list, the completions). */
const struct cmd_info *
cmd_run_info(void)
{
	return &run_info;
}

/* Ctrl-C / SIGTERM: the only mutable global, as STYLE allows. */
static volatile sig_atomic_t run_stop;

static void
on_signal(int sig)
{
	(void)sig;
	run_stop = 1;
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
	struct sigaction sa, old_int, old_term;
	const char *host = NULL, *binary, *name;
	struct run_check check;
	struct strvec env = STRVEC_INIT;
	char hex[65], why[512];
	unsigned long ul;
	bool ran = false, uploaded = false, handlers = false;
	int id, rc, status = 0, run_timeout = 0, ret = RPX_EXIT_USAGE;

	/* before anything is opened: a closed fd 0 would be taken */
	r.forward_stdin = stdin_usable();
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
	binary = p.pos[0];
	name = base_name(binary);
	ret = RPX_EXIT_FAIL;

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
	handlers = true;
	r.stop = &run_stop;
	r.env = env.v;

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
	ssh_cli_end_progress(&cli);
	if (rc == 0 && !ran) {
		const struct board *b = probe.ident.board;

		rpx_errorf(ctx, "'%s' cannot run on %s (%s%s%d-bit OS, "
			   "glibc %s): %s; not uploaded", binary, r.display,
			   b ? b->name : "", b ? ", " : "", probe.os_bits,
			   probe.glibc[0] ? probe.glibc : "unknown", check.why);
		goto out;
	}
	if (rc == RPX_ECANCELED) {
		rpx_errorf(ctx, "interrupted: '%s' on %s was sent SIGINT", name,
			   r.display);
		ret = status ? status : 130;
		goto out;
	}
	if (rc != 0) {
		rpx_errorf(ctx, "%s", r.err);
		ret = rc == RPX_ETIMEOUT ? 124 : RPX_EXIT_FAIL;
		goto out;
	}
	if (status == 128 + SIGILL)
		name_sigill(ctx, &r, &probe, uploaded, binary);
	ret = status;
out:
	if (handlers) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
	}
	remote_release(&r);
	opt_release(&p);
	strvec_clear(&env);
	return ret;
}
