/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * setup.c - `rpi-cross setup`: configure Cargo for a Pi without the wizard.
 *
 * Builds the plan: a saved profile first (--profile), then the host from
 * RPI_CROSS_HOST, then the options (each overrides what came before);
 * with only a host to go on, the Pi is probed over SSH for its board,
 * OS word size and glibc; plan_complete() fills in the rest with its
 * reasons. The plan is printed
 * as a table (field, value, source, why); --save-profile saves the
 * answers. rustc checks the CPU and a probe link the linker while the
 * plan is completed (plan_hooks). Then the target's std is installed
 * when missing (rustup; a distro toolchain names its package and stops),
 * and the Cargo config edits of planconf are shown as a diff and written
 * with --yes or after one question at a terminal (never without either).
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "cargo_config.h"
#include "hostos.h"
#include "linker.h"
#include "plan.h"
#include "planconf.h"
#include "profile.h"
#include "remote.h"
#include "selfpath.h"
#include "ssh_cli.h"
#include "strbuf.h"
#include "strvec.h"
#include "sysroot.h"
#include "sysroot_config.h"
#include "toolchain.h"

/* Setup's answers from the command line, before they meet the profile. */
struct setup_args {
	const struct board *board;
	const struct target *target;
	int bits;			/* 0: not given */
	bool libc_given;
	enum libc libc;
	const char *linker;
	const char *cpu;
	bool global;
	const char *project;
	bool default_target;
	bool runner;
	const char *host;
	const char *profile;
	const char *save_profile;
	bool dry_run;
	bool yes;
	const char *sysroot;		/* --sysroot NAME|DIR */
	struct ssh_cli ssh;		/* --timeout, --accept-new-host-key */
};

static int setup_opt_libc(struct opt_parser *p, const struct opt *o,
			  void *field);

#define SA struct setup_args
static const struct opt setup_opts[] = {
	BOARD_OPT_F(SA, board),
	OPT_CALL_F("bits", SA, bits, "32|64", cmd_opt_bits, "the Pi's OS word size"),
	OPT_CALL_S("libc", "gnu|musl", setup_opt_libc, "C library to link against"),
	TARGET_OPT_F(SA, target),
	OPT_STRING_F("linker", 0, SA, linker, "LINKER", "cross linker to configure"),
	OPT_STRING_F("cpu", 0, SA, cpu, "CPU", "-C target-cpu value"),
	OPT_BOOL_F("global", 0, SA, global, "write $CARGO_HOME/config.toml (default)"),
	OPT_STRING_F("project", 0, SA, project, "DIR", "write DIR/.cargo/config.toml"),
	OPT_BOOL_F("default-target", 0, SA, default_target, "also set [build] target"),
	OPT_BOOL_F("runner", 0, SA, runner, "set the runner to 'rpi-cross run'"),
	HOST_OPT_F(SA, host),
	OPT_STRING_F("profile", 0, SA, profile, "NAME", "start from a saved profile"),
	OPT_STRING_F("save-profile", 0, SA, save_profile, "NAME", "save the answers as a profile"),
	OPT_BOOL_F("dry-run", 'n', SA, dry_run, "show the plan and diff, write nothing"),
	OPT_BOOL_F("yes", 'y', SA, yes, "write without asking"),
	OPT_STRING_F("sysroot", 0, SA, sysroot, "NAME|DIR", "link against a sysroot pulled from the Pi"),
	OPT_SSH_ENTRIES,
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};
#undef SA

static const struct cmd_info setup_info = {
	"setup",
	"rpi-cross setup [--board B] [--bits 32|64] [--libc gnu|musl] [--target T]\n"
	"      [--linker L] [--cpu C] [--global | --project DIR] [--default-target]\n"
	"      [--runner] [--host [USER@]HOST[:PORT]] [--profile NAME]\n"
	"      [--save-profile NAME] [--sysroot NAME|DIR] [--dry-run] [--yes]",
	"Configure Cargo for a Raspberry Pi without the wizard.",
	"Builds the plan from a saved profile, then RPI_CROSS_HOST, then the\n"
	"options (each overrides the one before); given only a host, it asks the\n"
	"Pi over SSH for its model, OS word size and glibc, as 'rpi-cross detect'\n"
	"does. It fills in what is left with the recommended value, says why, and\n"
	"prints the plan. Contradictions (an armv7 target for a Pi Zero, a 64-bit\n"
	"OS on a 32-bit CPU, ...) are usage errors that explain the fix; so are a\n"
	"--cpu rustc does not know for the target and a --linker that cannot link\n"
	"for it (a real probe link). Then setup installs the target's std when it\n"
	"is missing (rustup target add, its progress on stderr; for a\n"
	"distribution's rustc it names the package to install and stops), and\n"
	"shows the changes to the Cargo config as a diff: [target.T] linker,\n"
	"rustflags (target-cpu and the linker's link-args; your other flags are\n"
	"kept), runner with --runner, [build] target with --default-target.\n"
	"--dry-run stops there and writes nothing; --yes writes without asking;\n"
	"otherwise setup asks once at a terminal, and without a terminal writes\n"
	"nothing and exits 1. The file is written atomically, the old content\n"
	"kept as FILE.bak, comments and other settings untouched. A config that\n"
	"does not parse is left as it is (file:line:col, exit 1). Profiles live\n"
	"in $XDG_CONFIG_HOME/rpi-cross/profiles.yaml. --sysroot NAME|DIR also\n"
	"wires a sysroot ('rpi-cross sysroot pull') into the config: the linker\n"
	"links with --sysroot and the sysroot's library folders first, and [env]\n"
	"gets the pkg-config and cc crates' variables for the target alone.",
	setup_opts,
};

/* main.c's command table holds it (--help's list, the completions). */
const struct cmd_info *
cmd_setup_info(void)
{
	return &setup_info;
}


/* --libc gnu|musl, and that it was given (LIBC_GNU is also the default). */
static int
setup_opt_libc(struct opt_parser *p, const struct opt *o, void *field)
{
	struct setup_args *a = field;

	(void)o;
	if (cmd_parse_libc(p, p->arg, &a->libc) != 0)
		return OPT_ERROR;
	a->libc_given = true;
	return 0;
}

/* Parse the options; RPX_EXIT_OK to go on, or the exit status. */
static int
parse_args(int argc, char **argv, struct ctx *ctx, struct setup_args *a,
	   bool *help)
{
	struct opt_parser p;
	int id, ret = RPX_EXIT_USAGE;

	opt_init(&p, ctx, setup_info.name, setup_opts, argc, argv);
	p.dst = a;
	while ((id = opt_next(&p)) != OPT_DONE) {
		switch (id) {
		case OPT_ERROR:
			goto out;
		case OPT_HELP:
			cmd_print_help(ctx, &setup_info);
			*help = true;
			ret = RPX_EXIT_OK;
			goto out;
		case OPT_TIMEOUT:
		case OPT_ACCEPT_NEW_HOST_KEY:
		case OPT_NO_KEEP:
		case OPT_KEEP_TIME:
			if (ssh_cli_option(&a->ssh, &p, id) == OPT_ERROR)
				goto out;
			break;
		default:
			break;
		}
	}
	if (p.npos > 0) {
		rpx_usage_error(ctx, setup_info.name, "unexpected argument "
				"'%s'", p.pos[0]);
		goto out;
	}
	if (a->global && a->project != NULL) {
		rpx_usage_error(ctx, setup_info.name, "--global and --project "
				"exclude each other: the config goes in one "
				"place");
		goto out;
	}
	if (a->profile == NULL)
		a->profile = ctx->profile;
	ret = RPX_EXIT_OK;
out:
	opt_release(&p);
	return ret;
}

/* dir made absolute (malloc'd): resolved when it exists, else joined
 * to the current folder. */
static char *
absolute(const char *dir)
{
	char *real = realpath(dir, NULL);
	char cwd[4096];

	if (real != NULL)
		return real;
	if (dir[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return xstrdup(dir);
	return xasprintf("%s/%s", cwd, dir);
}

/* The command line's answers, over whatever the profile said. */
static void
apply_args(const struct setup_args *a, struct plan *p)
{
	const char *env_host = rpx_getenv("RPI_CROSS_HOST");

	if (a->board != NULL) {
		p->board = a->board;
		plan_note(p, PF_BOARD, PLAN_FLAG, "--board %s", a->board->id);
	}
	if (a->bits != 0) {
		p->os_bits = a->bits;
		plan_note(p, PF_BITS, PLAN_FLAG, "--bits %d", a->bits);
	}
	if (a->libc_given) {
		p->libc = a->libc;
		plan_note(p, PF_LIBC, PLAN_FLAG, "--libc %s",
			  libc_name(a->libc));
	}
	if (a->target != NULL) {
		p->target = a->target;
		plan_note(p, PF_TARGET, PLAN_FLAG, "--target %s",
			  a->target->triple);
	}
	if (a->linker != NULL) {
		plan_set_str(&p->linker, a->linker);
		plan_note(p, PF_LINKER, PLAN_FLAG, "--linker %s", a->linker);
	}
	if (a->cpu != NULL) {
		plan_set_str(&p->cpu, a->cpu);
		plan_note(p, PF_CPU, PLAN_FLAG, "--cpu %s", a->cpu);
	}
	if (a->global) {
		p->scope = PLAN_SCOPE_GLOBAL;
		plan_note(p, PF_CONFIG, PLAN_FLAG, "--global");
	} else if (a->project != NULL) {
		/* Absolute, so that a saved profile works from anywhere. */
		char *abs = absolute(a->project);

		p->scope = PLAN_SCOPE_PROJECT;
		plan_set_str(&p->project_dir, abs);
		plan_note(p, PF_CONFIG, PLAN_FLAG, "--project %s", a->project);
		free(abs);
	}
	if (a->default_target) {
		p->build_target = true;
		plan_note(p, PF_BUILD_TARGET, PLAN_FLAG, "--default-target");
	}
	if (a->runner) {
		p->runner = true;
		plan_note(p, PF_RUNNER, PLAN_FLAG, "--runner");
	}
	if (a->host != NULL) {
		plan_set_str(&p->host, a->host);
		plan_note(p, PF_HOST, PLAN_FLAG, "--host %s", a->host);
	} else if (env_host != NULL) {
		plan_set_str(&p->host, env_host);
		plan_note(p, PF_HOST, PLAN_ENV, "RPI_CROSS_HOST");
	}
}

/* The value column of field f, into sb. */
static void
field_value(const struct plan *p, enum plan_field f, struct strbuf *sb)
{
	const char *home;

	switch (f) {
	case PF_BOARD:
		if (p->board != NULL)
			strbuf_addf(sb, "%s (%s)", p->board->id, p->board->name);
		else
			strbuf_adds(sb, "-");
		break;
	case PF_BITS:
		strbuf_addf(sb, "%d-bit OS", p->os_bits);
		break;
	case PF_LIBC:
		strbuf_adds(sb, libc_name(p->libc));
		break;
	case PF_TARGET:
		strbuf_adds(sb, p->target ? p->target->triple : "-");
		break;
	case PF_TOOLCHAIN:
		strbuf_adds(sb, p->rustc ? p->rustc : "rustc");
		break;
	case PF_LINKER:
		strbuf_adds(sb, p->linker ? p->linker : "-");
		for (char **a = p->link_args; a != NULL && *a != NULL; a++)
			strbuf_addf(sb, " %s", *a);
		break;
	case PF_CPU:
		strbuf_adds(sb, p->cpu ? p->cpu : "generic");
		break;
	case PF_CONFIG:
		if (p->scope == PLAN_SCOPE_PROJECT) {
			strbuf_addf(sb, "%s/.cargo/config.toml", p->project_dir);
		} else if (p->scope == PLAN_SCOPE_FILE) {
			strbuf_adds(sb, p->config_file);
		} else if ((home = rpx_getenv("CARGO_HOME")) != NULL) {
			strbuf_addf(sb, "%s/config.toml", home);
		} else {
			home = rpx_getenv("HOME");
			strbuf_addf(sb, "%s/.cargo/config.toml",
				    home ? home : "~");
		}
		break;
	case PF_BUILD_TARGET:
		strbuf_adds(sb, p->build_target ? "yes" : "no");
		break;
	case PF_RUNNER:
		strbuf_adds(sb, p->runner ? "yes" : "no");
		break;
	case PF_HOST:
		strbuf_adds(sb, p->host ? p->host : "-");
		break;
	case PF_COUNT:
		break;
	}
}

static void
print_plan(const struct ctx *ctx, const struct plan *p)
{
	struct strbuf vals[PF_COUNT];
	const char *bold = rpx_sgr(ctx->color_out, SGR_BOLD);
	const char *dim = rpx_sgr(ctx->color_out, SGR_DIM);
	const char *off = rpx_sgr(ctx->color_out, SGR_RESET);
	int width = 5;

	for (int f = 0; f < PF_COUNT; f++) {
		strbuf_init(&vals[f]);
		field_value(p, (enum plan_field)f, &vals[f]);
		if ((int)vals[f].len > width)
			width = (int)vals[f].len;
	}
	if (width > 48)
		width = 48;
	fprintf(ctx->out, "%s%-12s  %-*s  %-11s  %s%s\n", bold, "FIELD", width,
		"VALUE", "SOURCE", "WHY", off);
	for (int f = 0; f < PF_COUNT; f++) {
		const struct plan_note *n = &p->notes[f];

		fprintf(ctx->out, "%-12s  %-*s  %s%-11s%s  %s\n",
			plan_field_name((enum plan_field)f), width, vals[f].buf,
			dim, plan_src_name(n->src), off, n->why);
		strbuf_release(&vals[f]);
	}
}

static void
print_profile_warnings(const struct ctx *ctx, const struct profiles *ps)
{
	for (size_t i = 0; i < ps->nwarnings; i++) {
		const struct rpx_err *w = &ps->warnings[i];

		fprintf(ctx->err, "%s:%d:%d: warning: %s\n", w->path, w->line,
			w->col, w->msg);
	}
}

/*
 * Only a host to plan from: ask the Pi which board it is, its OS word
 * size and glibc (remote_probe), as PLAN_DETECTED answers. RPX_EXIT_OK,
 * or RPX_EXIT_FAIL with the reason printed.
 */
static int
detect_board(const struct ctx *ctx, struct setup_args *a, struct plan *p)
{
	struct remote r = REMOTE_INIT;
	struct remote_probe probe;
	const struct board *b;
	int ret = RPX_EXIT_FAIL;

	memset(&probe, 0, sizeof(probe));
	a->ssh.ro.target = p->host;
	rpx_notef(ctx, "Detecting the Pi at %s...", p->host);
	if (remote_connect(&r, &a->ssh.ro) != 0 ||
	    remote_probe(&r, NULL, &probe) != 0) {
		rpx_errorf(ctx, "cannot detect the Pi at '%s': %s\n  give "
			   "--board (or --target) to plan without asking it",
			   p->host, r.err);
		goto out;
	}
	b = probe.ident.board;
	if (b == NULL) {
		rpx_errorf(ctx, "the Pi at '%s' says it is '%s', a model "
			   "rpi-cross does not know: give --board or --target",
			   p->host, probe.ident.model[0] ? probe.ident.model :
			   probe.machine);
		goto out;
	}
	p->board = b;
	plan_note(p, PF_BOARD, PLAN_DETECTED, "the Pi at %s says '%s'",
		  r.display, probe.ident.model[0] ? probe.ident.model :
		  b->name);
	if (probe.os_bits != 0 && !plan_is_set(p, PF_BITS)) {
		p->os_bits = probe.os_bits;
		plan_note(p, PF_BITS, PLAN_DETECTED, "%s on the Pi says %d%s",
			  probe.bits_source[0] ? probe.bits_source :
			  "the userland", probe.os_bits,
			  probe.os_bits == 32 &&
			  strcmp(probe.machine, "aarch64") == 0 ?
			  " (its kernel is 64-bit, its programs are not)" : "");
	}
	if (probe.glibc[0] != '\0')
		plan_set_str(&p->pi_glibc, probe.glibc);
	ret = RPX_EXIT_OK;
out:
	remote_release(&r);
	return ret;
}

/* Checks plan_complete_with() asks rustc and the linker module. */
struct setup_hooks {
	const struct toolchain *tc;	/* NULL: no rustc found */
	/* The last linker whose probe passed, what Cargo must be told to
	 * run for it (zig's script), and the link args it needs (clang's
	 * --target and -fuse-ld=lld). */
	char *checked;
	char *cargo_linker;
	char **link_args;
};

static void
setup_hooks_release_linker(struct setup_hooks *h)
{
	free(h->checked);
	free(h->cargo_linker);
	strvec_free_array(h->link_args);
	h->checked = h->cargo_linker = NULL;
	h->link_args = NULL;
}

/*
 * The plan's linker is the one the probe passed: take what its probe
 * used, so the config links as the probe did (a name alone would leave
 * clang linking for this machine and zig without its "cc -target").
 * Link args already in the plan (a profile's) are kept.
 */
static void
adopt_checked_linker(struct plan *p, struct setup_hooks *h)
{
	if (h->checked == NULL || p->linker == NULL ||
	    strcmp(p->linker, h->checked) != 0)
		return;
	if (h->cargo_linker != NULL && strcmp(h->cargo_linker, p->linker) != 0)
		plan_set_str(&p->linker, h->cargo_linker);
	if (p->link_args == NULL) {
		p->link_args = h->link_args;
		h->link_args = NULL;
	}
}

static int
hook_cpu_known(void *opaque, const struct target *t, const char *cpu,
	       char *why, size_t whysz)
{
	struct setup_hooks *h = opaque;
	struct cpu_list cl = CPU_LIST_INIT;
	int rc;

	if (h->tc == NULL) {
		snprintf(why, whysz, "no rustc found");
		return RPX_ENOTFOUND;
	}
	rc = toolchain_target_cpus(h->tc, t->triple, &cl, why, whysz);
	if (rc < 0)
		return rc;
	rc = cpu_list_find(&cl, cpu) >= 0;
	if (rc == 0)
		snprintf(why, whysz, "'rpi-cross cpus --target %s' lists the "
			 "ones it knows", t->triple);
	cpu_list_release(&cl);
	return rc;
}

static int
hook_linker_links(void *opaque, const struct target *t, const char *linker,
		  char *why, size_t whysz)
{
	struct setup_hooks *h = opaque;
	struct linker_opts lo = { NULL, NULL, 0, true, NULL };
	struct linker_scan s = LINKER_SCAN_INIT;
	int rc;

	lo.tc = h->tc;
	lo.trace = h->tc != NULL ? h->tc->trace : NULL;
	rc = linker_check(t, linker, &lo, &s);
	if (rc == RPX_ENOTFOUND || (rc == 0 && s.n == 0)) {
		snprintf(why, whysz, "'%s' is not found (not on PATH, not a "
			 "file, not in a toolchain's sysroot)", linker);
		rc = 0;
	} else if (rc == 0 && !s.v[0].works) {
		snprintf(why, whysz, "%s", s.v[0].why ? s.v[0].why :
			 "the probe link failed");
		rc = 0;
	} else if (rc == 0) {
		const struct linker *l = &s.v[0];

		rc = 1;
		setup_hooks_release_linker(h);
		h->checked = xstrdup(linker);
		h->cargo_linker = l->name ? xstrdup(l->name) : NULL;
		h->link_args = linker_link_args(l->rustflags);
	} else {
		snprintf(why, whysz, "%s", rpx_strerror(rc));
	}
	linker_scan_release(&s);
	return rc;
}

static void
on_progress(void *arg, enum proc_stream stream, const char *line, size_t len)
{
	const struct ctx *ctx = arg;

	(void)stream;
	rpx_notef(ctx, "  %.*s", (int)len, line);
}

/* rustup's bytes through the pty, as they come, to our terminal. */
static void
on_tty_bytes(void *arg, const char *buf, size_t len)
{
	const struct ctx *ctx = arg;

	fwrite(buf, 1, len, ctx->err);
	fflush(ctx->err);
}

/* rustup target add: on a terminal through a pty (its own progress bar,
 * as wide as ours), else its lines, indented. */
static int
run_rustup(const struct ctx *ctx, const struct toolchain *tc,
	   const struct target *t, char *why, size_t whysz)
{
	struct winsize ws;
	int fd = fileno(ctx->err);

	if (fd < 0 || !isatty(fd))
		return toolchain_install_std(tc, t->triple, on_progress,
					     (void *)ctx, NULL, why, whysz);
	memset(&ws, 0, sizeof(ws));
	if (ioctl(fd, TIOCGWINSZ, &ws) != 0)
		ws.ws_col = 80;
	return toolchain_install_std_tty(tc, t->triple, on_tty_bytes,
					 (void *)ctx, ws.ws_col, NULL, why,
					 whysz);
}

/*
 * Make sure the target's std is there: install it with rustup (progress
 * on stderr), or say which package holds it. RPX_EXIT_OK to go on.
 */
static int
ensure_std(const struct ctx *ctx, const struct toolchain *tc,
	   const struct target *t, bool dry_run)
{
	struct std_install si = STD_INSTALL_INIT;
	struct host_os os;
	char why[512] = "";
	int ret = RPX_EXIT_FAIL;

	if (tc == NULL) {
		if (dry_run) {
			rpx_warnf(ctx, "no rustc found: install Rust "
				  "(https://rustup.rs) before building");
			return RPX_EXIT_OK;
		}
		rpx_errorf(ctx, "no rustc found ($RUSTC, PATH, "
			   "$CARGO_HOME/bin): install Rust with rustup "
			   "(https://rustup.rs) or your distribution's rustc "
			   "and cargo, then run setup again; nothing was "
			   "written");
		return RPX_EXIT_FAIL;
	}
	if (toolchain_has_std(tc, t->triple))
		return RPX_EXIT_OK;
	if (tc->kind == TOOLCHAIN_RUSTUP && tc->rustup != NULL) {
		if (dry_run) {
			fprintf(ctx->out, "The std for %s is not installed: "
				"setup would run 'rustup target add%s%s %s'.\n",
				t->triple, tc->rustup_name ? " --toolchain " :
				"", tc->rustup_name ? tc->rustup_name : "",
				t->triple);
			return RPX_EXIT_OK;
		}
		rpx_notef(ctx, "Installing the std for %s with rustup...",
			  t->triple);
		if (run_rustup(ctx, tc, t, why, sizeof(why)) != 0) {
			rpx_errorf(ctx, "cannot install the std for %s: %s; "
				   "nothing was written", t->triple,
				   why[0] ? why : "rustup failed");
			return RPX_EXIT_FAIL;
		}
		fprintf(ctx->out, "Installed the std for %s.\n", t->triple);
		return RPX_EXIT_OK;
	}
	memset(&os, 0, sizeof(os));
	hostos_detect(&os);
	toolchain_std_install(tc, t, &os, &si);
	if (dry_run) {
		rpx_warnf(ctx, "the std for %s is not installed in %s and this "
			  "%s rustc cannot install it: %s%s%s", t->triple,
			  tc->sysroot, toolchain_kind_name(tc->kind),
			  si.command ? "install it with: " : "",
			  si.command ? si.command : "",
			  si.note && !si.command ? si.note : "");
		ret = RPX_EXIT_OK;
		goto out;
	}
	if (si.packages != NULL)
		rpx_errorf(ctx, "the std for %s is not installed in %s, and "
			   "this %s rustc cannot install it: install the "
			   "package %s (%s; %s), or use rustup "
			   "(https://rustup.rs); then run setup again. "
			   "Nothing was written", t->triple, tc->sysroot,
			   toolchain_kind_name(tc->kind), si.packages,
			   si.command ? si.command : "", si.note ? si.note :
			   "");
	else
		rpx_errorf(ctx, "the std for %s is not installed in %s, and "
			   "this %s rustc cannot install it: %s%s%s; then run "
			   "setup again. Nothing was written", t->triple,
			   tc->sysroot, toolchain_kind_name(tc->kind),
			   si.command ? si.command : "",
			   si.command && si.note ? "; " : "",
			   si.note ? si.note : "");
out:
	std_install_release(&si);
	return ret;
}

/* Print the diff and write it as asked. The exit status. */
static int
write_config(const struct ctx *ctx, const struct plan *plan,
	     const struct setup_args *a, const struct sysroot_wiring *sr)
{
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	struct strvec why = STRVEC_INIT;
	char *path = NULL;
	int r, ret = RPX_EXIT_FAIL;

	r = planconf_prepare_sysroot(plan, sr, NULL, NULL, &ch, &why, &err);
	if (r == RPX_EPARSE) {
		rpx_err_print(ctx->err, &err);
		rpx_errorf(ctx, "cannot edit '%s': it is not valid TOML; it "
			   "was left as it is (fix it, or move it away, then "
			   "run setup again)", ch.path ? ch.path : err.path);
		goto out;
	}
	if (r < 0) {
		rpx_errorf(ctx, "%s; nothing written", err.msg);
		goto out;
	}
	path = xstrdup(ch.path);
	if (!cargo_config_changed(&ch)) {
		fprintf(ctx->out, "\n%s is already up to date: nothing to "
			"change.\n", path);
		ret = RPX_EXIT_OK;
		goto out;
	}
	fprintf(ctx->out, "\nChanges to %s:\n", path);
	fputs(ch.diff, ctx->out);
	for (size_t i = 0; i < why.n; i++)
		fprintf(ctx->out, "  why: %s.\n", why.v[i]);
	fflush(ctx->out);
	if (a->dry_run) {
		fprintf(ctx->out, "Dry run: nothing written.\n");
		ret = RPX_EXIT_OK;
		goto out;
	}
	if (!cmd_may_write(ctx, path, a->yes))
		goto out;
	if (cargo_config_commit(&ch, &err) < 0) {
		rpx_errorf(ctx, "%s; nothing written", err.msg);
		goto out;
	}
	if (ch.backup != NULL)
		fprintf(ctx->out, "Wrote %s (the previous content is in "
			"%s).\n", path, ch.backup);
	else
		fprintf(ctx->out, "Wrote %s (a new file).\n", path);
	ret = RPX_EXIT_OK;
out:
	strvec_clear(&why);
	free(path);
	cargo_config_change_release(&ch);
	return ret;
}

/*
 * --sysroot: find it and read what it is; the plan links against its
 * glibc. A sysroot for another target than the plan's is refused.
 * RPX_EXIT_OK, else the exit status with the reason printed.
 */
static int
load_sysroot(const struct ctx *ctx, const char *arg, struct strbuf *root,
	     struct sysroot_meta *meta)
{
	struct rpx_err err = RPX_ERR_INIT;
	char why[512];

	if (sysroot_resolve(arg, root, NULL, why, sizeof(why)) != 0) {
		rpx_errorf(ctx, "%s; nothing written", why);
		return RPX_EXIT_FAIL;
	}
	if (sysroot_meta_read(root->buf, meta, &err) != 0) {
		rpx_err_print(ctx->err, &err);
		rpx_errorf(ctx, "cannot read the sysroot's metadata; nothing "
			   "written (pull it again: rpi-cross sysroot pull)");
		return RPX_EXIT_FAIL;
	}
	return RPX_EXIT_OK;
}

/* The sysroot's target against the plan's: RPX_EXIT_OK when they agree. */
static int
check_sysroot_target(const struct ctx *ctx, const struct plan *p,
		     const char *root, const struct sysroot_meta *m)
{
	const char *g = sysroot_gnu_triple(p->target->triple);

	if (g == NULL)
		return rpx_usage_error(ctx, "setup", "--sysroot is for a gnu "
				       "target: %s links %s's own C library, "
				       "not the Pi's", p->target->triple,
				       libc_name(p->libc));
	if (!sysroot_meta_fits(m, p->target->triple)) {
		rpx_errorf(ctx, "the sysroot %s is for %s (%s), the plan's "
			   "target is %s (%s): its libraries cannot link that "
			   "target. Pull a sysroot from a Pi running that OS, "
			   "or give --target %s; nothing written", root,
			   m->target[0] ? m->target : "?", m->gnu_triple,
			   p->target->triple, g, m->target[0] ? m->target :
			   "the sysroot's");
		return RPX_EXIT_FAIL;
	}
	return RPX_EXIT_OK;
}

int
cmd_setup(int argc, char **argv, struct ctx *ctx)
{
	struct setup_args a;
	struct plan plan;
	struct profiles ps = PROFILES_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	struct toolchain tc = TOOLCHAIN_INIT;
	struct setup_hooks sh = { 0 };
	struct plan_hooks hooks = { NULL, hook_cpu_known, hook_linker_links };
	struct strbuf sroot = STRBUF_INIT;
	struct sysroot_meta smeta;
	struct sysroot_wiring sw;
	char *path = NULL;
	bool help = false;
	int r, ret;

	memset(&a, 0, sizeof(a));
	memset(&smeta, 0, sizeof(smeta));
	memset(&sw, 0, sizeof(sw));
	ssh_cli_init(&a.ssh, ctx);
	plan_init(&plan);
	ret = parse_args(argc, argv, ctx, &a, &help);
	if (ret != RPX_EXIT_OK || help)
		goto out;
	ret = RPX_EXIT_FAIL;
	if (a.profile != NULL || a.save_profile != NULL) {
		path = profile_default_path();
		if (path == NULL) {
			rpx_errorf(ctx, "cannot find the profiles file: neither "
				   "XDG_CONFIG_HOME nor HOME is set");
			goto out;
		}
	}
	if (a.profile != NULL) {
		r = profiles_read(&ps, path, &err);
		print_profile_warnings(ctx, &ps);
		if (r != 0) {
			rpx_err_print(ctx->err, &err);
			goto out;
		}
		if (profile_apply(&ps, a.profile, &plan, &err) != 0) {
			rpx_errorf(ctx, "%s", err.msg);
			goto out;
		}
	}
	apply_args(&a, &plan);
	/* a runner Cargo can execute: the bare name only when PATH finds
	 * this very program */
	if (plan.runner)
		plan.runner_prog = selfpath_runner_for(ctx, "rpi-cross");
	if (plan.host != NULL && plan.board == NULL && plan.target == NULL) {
		ret = detect_board(ctx, &a, &plan);
		if (ret != RPX_EXIT_OK)
			goto out;
		ret = RPX_EXIT_FAIL;
	}
	if (a.sysroot != NULL) {
		ret = load_sysroot(ctx, a.sysroot, &sroot, &smeta);
		if (ret != RPX_EXIT_OK)
			goto out;
		ret = RPX_EXIT_FAIL;
		/* the program links against the sysroot's glibc */
		if (smeta.glibc[0] != '\0')
			plan_set_str(&plan.toolchain_glibc, smeta.glibc);
	}
	if (toolchain_find_traced(&tc, ctx) == 0)
		sh.tc = &tc;
	hooks.opaque = &sh;
	if (plan_complete_with(&plan, &hooks, &err) != 0) {
		ret = rpx_usage_error(ctx, setup_info.name, "%s", err.msg);
		goto out;
	}
	adopt_checked_linker(&plan, &sh);
	print_plan(ctx, &plan);
	for (int i = 0; i < plan.nwarnings; i++)
		rpx_warnf(ctx, "%s", plan.warnings[i]);
	if (a.save_profile != NULL) {
		r = profile_save(path, a.save_profile, &plan, &err);
		if (r != 0) {
			rpx_err_print(ctx->err, &err);
			goto out;
		}
		fprintf(ctx->out, "Saved profile '%s' in %s\n", a.save_profile,
			path);
	}
	fflush(ctx->out);
	ret = ensure_std(ctx, sh.tc, plan.target, a.dry_run);
	if (ret != RPX_EXIT_OK)
		goto out;
	if (a.sysroot != NULL) {
		ret = check_sysroot_target(ctx, &plan, sroot.buf, &smeta);
		if (ret != RPX_EXIT_OK)
			goto out;
		sysroot_wiring_for(&sw, sroot.buf, &smeta, plan.target->triple,
				   plan.linker);
	}
	ret = write_config(ctx, &plan, &a, a.sysroot ? &sw : NULL);
out:
	strbuf_release(&sroot);
	setup_hooks_release_linker(&sh);
	toolchain_release(&tc);
	profiles_release(&ps);
	plan_release(&plan);
	free(path);
	return ret;
}
