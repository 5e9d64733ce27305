/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * main.c - rpi-cross: cross-compile Rust for a Raspberry Pi and prove it
 * runs there. Parses the global options and dispatches to one command.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "opt.h"
#include "rpx.h"
#include "suggest.h"
#include "version.h"

static const struct cmd_entry commands[] = {
	{ "setup", cmd_setup, "configure Cargo for a Pi from options, a profile or detection",
	  cmd_setup_info },
	{ "boards", cmd_boards, "list the Raspberry Pi models, their CPU and targets",
	  cmd_boards_info },
	{ "targets", cmd_targets, "list the Pi targets, their boards and std state",
	  cmd_targets_info },
	{ "linkers", cmd_linkers, "find cross linkers and check each one links",
	  cmd_linkers_info },
	{ "cpus", cmd_cpus, "list -C target-cpu values, the board's core first", cmd_cpus_info },
	{ "detect", cmd_detect, "probe a Pi over SSH and advise a target", cmd_detect_info },
	{ "config", cmd_config, "show, set, unset or check Cargo config keys", cmd_config_info },
	{ "run", cmd_run, "upload a binary to the Pi and run it (Cargo runner)", cmd_run_info },
	{ "test", cmd_test, "build a hello-world, copy it to the Pi, run it", cmd_test_info },
	{ "check", cmd_check, "tell on which Pi and OS release each program runs",
	  cmd_check_info },
	{ "doctor", cmd_doctor, "check the whole chain and explain failures", cmd_doctor_info },
	{ "connections", cmd_connections, "list or end the kept SSH connections to Pis",
	  cmd_connections_info },
	{ "sysroot", cmd_sysroot, "copy the Pi's headers and libraries here to link C libraries",
	  cmd_sysroot_info },
};

enum { OPT_THEME = 1, OPT_PROFILE_TOP };

static const struct opt global_opts[] = {
	OPT_ID_ENTRY("theme", 0, OPT_ARG, OPT_THEME, "NAME",
		     "wizard colour theme (also RPI_CROSS_THEME)"),
	OPT_ID_ENTRY("profile", 0, OPT_ARG, OPT_PROFILE_TOP, "NAME",
		     "start the wizard from a saved profile"),
	OPT_QUIET_ENTRY,
	OPT_VERBOSE_ENTRY,
	OPT_ID_ENTRY("version", 'V', OPT_NOARG, OPT_VERSION, NULL,
		     "print the version and exit"),
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static void
usage(const struct ctx *ctx)
{
	FILE *f = ctx->out;

	fprintf(f,
		"Usage: rpi-cross [--theme NAME] [--profile NAME]\n"
		"       rpi-cross [--quiet] [--verbose] COMMAND [OPTIONS] [ARGS]\n"
		"\n"
		"Cross-compile Rust for a Raspberry Pi: pick the target, find a linker\n"
		"that really links, write Cargo's config, and prove the result runs on\n"
		"the board. Without a command, start the interactive wizard.\n"
		"\nCommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nOptions:\n");
	opt_print_help(f, global_opts);
	fprintf(f,
		"\nRun 'rpi-cross COMMAND --help' for a command's options.\n"
		"Shell completions: 'rpi-cross completions bash|zsh|fish'.\n"
		"Exit status: 0 success, 1 failure or failed check, 2 usage error.\n"
		"See rpi-cross(1) for details.\n");
}

/* "unknown command 'NAME'", with the closest command names as a hint. */
static int
unknown_command(const struct ctx *ctx, const char *name)
{
	struct suggest s;
	char *hint;
	int r;

	suggest_init(&s, name);
	for (size_t k = 0; k < ARRAY_SIZE(commands); k++)
		suggest_add(&s, commands[k].name);
	suggest_add(&s, "help");
	suggest_add(&s, "completions");
	hint = suggest_text(&s, NULL);
	r = rpx_usage_error_hint(ctx, NULL, hint, "unknown command '%s'", name);
	free(hint);
	suggest_release(&s);
	return r;
}

/* "unknown option 'ARG'" before the command, with the closest global
 * options as a hint (a = "--name" or "--name=value"). */
static int
unknown_global_option(const struct ctx *ctx, const char *a)
{
	struct suggest s;
	char *typed, *hint = NULL;
	int r;

	if (a[1] == '-') {
		typed = xstrndup(a + 2, strcspn(a + 2, "="));
		suggest_init(&s, typed);
		for (const struct opt *o = global_opts; o->name != NULL; o++)
			suggest_add(&s, o->name);
		hint = suggest_text(&s, "--");
		suggest_release(&s);
		free(typed);
	}
	r = rpx_usage_error_hint(ctx, NULL, hint, "unknown option '%s'", a);
	free(hint);
	return r;
}

/*
 * Cargo runs an external subcommand "cargo rpi ARGS" as "cargo-rpi rpi
 * ARGS": called through the cargo-rpi link, drop that "rpi" (only then,
 * so "cargo-rpi boards" works too). The messages keep saying rpi-cross:
 * the program is installed under that name beside the link, so a hint
 * such as "Try 'rpi-cross --help'" runs as printed.
 */
static void
cargo_subcommand_args(int *argc, char ***argv)
{
	const char *name, *slash;

	if (*argc < 2)
		return;
	slash = strrchr((*argv)[0], '/');
	name = slash != NULL ? slash + 1 : (*argv)[0];
	if (strcmp(name, "cargo-rpi") != 0 || strcmp((*argv)[1], "rpi") != 0)
		return;
	(*argv)[1] = (*argv)[0];
	(*argc)--;
	(*argv)++;
}

int
main(int argc, char **argv)
{
	/* the completion scripts are made from this file's tables */
	const struct cmd_cli cli = {
		commands, ARRAY_SIZE(commands), global_opts,
	};
	struct ctx ctx;
	int i;

	cargo_subcommand_args(&argc, &argv);
	setlocale(LC_ALL, "");
	ctx_init(&ctx, "rpi-cross");
	if (rpx_getenv("RPI_CROSS_THEME") != NULL)
		ctx.theme = rpx_getenv("RPI_CROSS_THEME");

	/* Global options come before the command; parse them by hand so that
	 * the first non-option word ends them. */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		const char *val = NULL;

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(&ctx);
			return RPX_EXIT_OK;
		}
		if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			ctx.quiet = true;
			continue;
		}
		if (strcmp(a, "--verbose") == 0) {
			ctx.verbose++;
			continue;
		}
		if (a[1] == 'v' && a[strspn(a + 1, "v") + 1] == '\0') {
			/* -v, -vv, ...: one more each */
			ctx.verbose += (int)strlen(a + 1);
			continue;
		}
		if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
			fprintf(ctx.out, "rpi-cross %s\n", rpx_version());
			return RPX_EXIT_OK;
		}
		if (strncmp(a, "--theme", 7) == 0 &&
		    (a[7] == '\0' || a[7] == '=')) {
			val = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : NULL);
			if (val == NULL)
				return rpx_usage_error(&ctx, NULL,
						       "option '--theme' needs a value");
			ctx.theme = val;
			continue;
		}
		if (strncmp(a, "--profile", 9) == 0 &&
		    (a[9] == '\0' || a[9] == '=')) {
			val = a[9] == '=' ? a + 10 : (i + 1 < argc ? argv[++i] : NULL);
			if (val == NULL)
				return rpx_usage_error(&ctx, NULL,
						       "option '--profile' needs a value");
			ctx.profile = val;
			continue;
		}
		return unknown_global_option(&ctx, a);
	}
	if (i >= argc)
		return cmd_wizard(argc - i, argv + i, &ctx);
	if (strcmp(argv[i], "completions") == 0)
		return cmd_completions(argc - i, argv + i, &ctx, &cli);
	if (strcmp(argv[i], "__complete") == 0)
		return cmd_complete(argc - i, argv + i, &ctx);
	for (size_t k = 0; k < ARRAY_SIZE(commands); k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			return commands[k].fn(argc - i, argv + i, &ctx);
	if (strcmp(argv[i], "help") == 0) {
		/* "rpi-cross help boards" is "rpi-cross boards --help" */
		if (i + 1 < argc) {
			char *hargv[] = { argv[i + 1], "--help", NULL };

			for (size_t k = 0; k < ARRAY_SIZE(commands); k++)
				if (strcmp(argv[i + 1], commands[k].name) == 0)
					return commands[k].fn(2, hargv, &ctx);
			if (strcmp(argv[i + 1], "completions") == 0)
				return cmd_completions(2, hargv, &ctx, &cli);
			return unknown_command(&ctx, argv[i + 1]);
		}
		usage(&ctx);
		return RPX_EXIT_OK;
	}
	return unknown_command(&ctx, argv[i]);
}
