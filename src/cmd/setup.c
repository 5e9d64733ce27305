/*
 * setup.c - `rpi-cross setup`: configure Cargo for a Pi without the wizard.
 *
 * Builds the plan: a saved profile first (--profile), then the host from
 * RPI_CROSS_HOST, then the options (each overrides what came before), and
 * plan_complete() fills in the rest with its reasons. The plan is printed
 * as a table (field, value, source, why); --save-profile saves the
 * answers. Installing the std and writing the Cargo config come with the
 * modules that do them: until then setup says so and exits 1, except
 * with --dry-run, where showing the plan is the whole job.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan.h"
#include "profile.h"
#include "strbuf.h"

static const struct opt setup_opts[] = {
	BOARD_OPT,
	{ "bits", 0, OPT_ARG, OPT_BITS, "32|64", "the Pi's OS word size" },
	{ "libc", 0, OPT_ARG, OPT_LIBC, "gnu|musl", "C library to link against" },
	TARGET_OPT,
	{ "linker", 0, OPT_ARG, OPT_LINKER, "LINKER", "cross linker to configure" },
	{ "cpu", 0, OPT_ARG, OPT_CPU, "CPU", "-C target-cpu value" },
	{ "global", 0, OPT_NOARG, OPT_GLOBAL, NULL, "write $CARGO_HOME/config.toml (default)" },
	{ "project", 0, OPT_ARG, OPT_PROJECT, "DIR", "write DIR/.cargo/config.toml" },
	{ "default-target", 0, OPT_NOARG, OPT_DEFAULT_TARGET, NULL, "also set [build] target" },
	{ "runner", 0, OPT_NOARG, OPT_RUNNER, NULL, "set the runner to 'rpi-cross run'" },
	HOST_OPT,
	{ "profile", 0, OPT_ARG, OPT_PROFILE, "NAME", "start from a saved profile" },
	{ "save-profile", 0, OPT_ARG, OPT_SAVE_PROFILE, "NAME", "save the answers as a profile" },
	{ "dry-run", 'n', OPT_NOARG, OPT_DRY_RUN, NULL, "show the plan and diff, write nothing" },
	{ "yes", 'y', OPT_NOARG, OPT_YES, NULL, "write without asking" },
	OPT_SSH_ENTRIES,
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static const struct cmd_info setup_info = {
	"setup",
	"rpi-cross setup [--board B] [--bits 32|64] [--libc gnu|musl] [--target T]\n"
	"      [--linker L] [--cpu C] [--global | --project DIR] [--default-target]\n"
	"      [--runner] [--host [USER@]HOST[:PORT]] [--profile NAME]\n"
	"      [--save-profile NAME] [--dry-run] [--yes]",
	"Configure Cargo for a Raspberry Pi without the wizard.",
	"Builds the plan from a saved profile, then RPI_CROSS_HOST, then the\n"
	"options (each overrides the one before), fills in what is left with\n"
	"the recommended value and says why, and prints it. Contradictions\n"
	"(an armv7 target for a Pi Zero, a 64-bit OS on a 32-bit CPU, ...) are\n"
	"usage errors that explain the fix. Profiles live in\n"
	"$XDG_CONFIG_HOME/rpi-cross/profiles.yaml. In this version, writing the\n"
	"Cargo config is not available yet: setup shows the plan, saves the\n"
	"profile, and exits 1 (0 with --dry-run).",
	setup_opts,
};

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
};

/* Parse the options; RPX_EXIT_OK to go on, or the exit status. */
static int
parse_args(int argc, char **argv, struct ctx *ctx, struct setup_args *a,
	   bool *help)
{
	struct opt_parser p;
	unsigned long ul;
	int id, ret = RPX_EXIT_USAGE;

	opt_init(&p, ctx, setup_info.name, setup_opts, argc, argv);
	while ((id = opt_next(&p)) != OPT_DONE) {
		switch (id) {
		case OPT_ERROR:
			goto out;
		case OPT_HELP:
			cmd_print_help(ctx, &setup_info);
			*help = true;
			ret = RPX_EXIT_OK;
			goto out;
		case OPT_BOARD:
			if (cmd_parse_board(&p, p.arg, &a->board) != 0)
				goto out;
			break;
		case OPT_TARGET:
			if (cmd_parse_target(&p, p.arg, &a->target) != 0)
				goto out;
			break;
		case OPT_BITS:
			if (cmd_parse_bits(&p, p.arg, &a->bits) != 0)
				goto out;
			break;
		case OPT_LIBC:
			if (cmd_parse_libc(&p, p.arg, &a->libc) != 0)
				goto out;
			a->libc_given = true;
			break;
		case OPT_LINKER:
			a->linker = p.arg;
			break;
		case OPT_CPU:
			a->cpu = p.arg;
			break;
		case OPT_GLOBAL:
			a->global = true;
			break;
		case OPT_PROJECT:
			a->project = p.arg;
			break;
		case OPT_DEFAULT_TARGET:
			a->default_target = true;
			break;
		case OPT_RUNNER:
			a->runner = true;
			break;
		case OPT_HOST:
			a->host = p.arg;
			break;
		case OPT_PROFILE:
			a->profile = p.arg;
			break;
		case OPT_SAVE_PROFILE:
			a->save_profile = p.arg;
			break;
		case OPT_DRY_RUN:
			a->dry_run = true;
			break;
		case OPT_TIMEOUT:
			if (opt_parse_uint(&p, "timeout", p.arg, 3600, &ul) != 0)
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

int
cmd_setup(int argc, char **argv, struct ctx *ctx)
{
	struct setup_args a;
	struct plan plan;
	struct profiles ps = PROFILES_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	char *path = NULL;
	bool help = false;
	int r, ret;

	memset(&a, 0, sizeof(a));
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
	if (plan_complete(&plan, &err) != 0) {
		ret = rpx_usage_error(ctx, setup_info.name, "%s", err.msg);
		goto out;
	}
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
	if (a.dry_run) {
		fprintf(ctx->out, "Dry run: nothing written. The Cargo config "
			"diff will come with the config writer (not in this "
			"version yet).\n");
		ret = RPX_EXIT_OK;
		goto out;
	}
	rpx_errorf(ctx, "writing the Cargo config is not available in this "
		   "version yet: nothing was written (the plan above is what "
		   "it will write; --dry-run only shows it)");
out:
	profiles_release(&ps);
	plan_release(&plan);
	free(path);
	return ret;
}
