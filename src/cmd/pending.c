/*
 * pending.c - the commands of the command-line contract whose work later
 * versions add. Each parses its whole option set now (so scripts can be
 * written against it) and then says it is not available, exit 1. A
 * command moves to its own file under src/cmd/ when it is implemented.
 */
#include "cmd.h"

#include <string.h>

#define BOARD_OPT { "board", 0, OPT_ARG, OPT_BOARD, "BOARD", \
	"board id (see 'rpi-cross boards') or model name" }
#define TARGET_OPT { "target", 0, OPT_ARG, OPT_TARGET, "TRIPLE", \
	"Rust target triple (see 'rpi-cross targets')" }
#define HOST_OPT { "host", 0, OPT_ARG, OPT_HOST, "[USER@]HOST[:PORT]", \
	"the Pi (also RPI_CROSS_HOST or the profile)" }
#define PROJECT_OPT { "project", 0, OPT_ARG, OPT_PROJECT, "DIR", \
	"the Cargo project folder" }

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
	"Builds the plan from the options, a profile or detection over SSH,\n"
	"installs the target's std when missing, shows the config diff, writes.",
	setup_opts,
};

int
cmd_setup(int argc, char **argv, struct ctx *ctx)
{
	return cmd_pending(argc, argv, ctx, &setup_info, 0, 0, false,
			   "planned: the plan, std install and config writing");
}

static const struct opt linkers_opts[] = {
	TARGET_OPT, OPT_JSON_ENTRY, OPT_HELP_ENTRY, OPT_END_TABLE,
};

static const struct cmd_info linkers_info = {
	"linkers",
	"rpi-cross linkers --target T [--json]",
	"Find the cross linkers on this host and check that each really links\n"
	"a program for the target.",
	NULL,
	linkers_opts,
};

int
cmd_linkers(int argc, char **argv, struct ctx *ctx)
{
	return cmd_pending(argc, argv, ctx, &linkers_info, 0, 0, false,
			   "planned: linker discovery and probe links");
}

static const struct opt cpus_opts[] = {
	TARGET_OPT, BOARD_OPT, OPT_JSON_ENTRY, OPT_HELP_ENTRY, OPT_END_TABLE,
};

static const struct cmd_info cpus_info = {
	"cpus",
	"rpi-cross cpus --target T [--board B] [--json]",
	"List the -C target-cpu values rustc knows for the target, the board's\n"
	"own core first.",
	NULL,
	cpus_opts,
};

int
cmd_cpus(int argc, char **argv, struct ctx *ctx)
{
	return cmd_pending(argc, argv, ctx, &cpus_info, 0, 0, false,
			   "planned: the rustc --print target-cpus list");
}

static const struct opt detect_opts[] = {
	OPT_JSON_ENTRY, OPT_SSH_ENTRIES, OPT_HELP_ENTRY, OPT_END_TABLE,
};

static const struct cmd_info detect_info = {
	"detect",
	"rpi-cross detect [USER@]HOST[:PORT] [--json]",
	"Probe a Pi over SSH: model, architecture, OS, glibc, and the advice\n"
	"that follows (target, CPU, gnu or musl).",
	NULL,
	detect_opts,
};

int
cmd_detect(int argc, char **argv, struct ctx *ctx)
{
	return cmd_pending(argc, argv, ctx, &detect_info, 1, 1, false,
			   "planned: board detection over SSH");
}

static const struct opt config_opts[] = {
	{ "global", 0, OPT_NOARG, OPT_GLOBAL, NULL, "the global $CARGO_HOME/config.toml" },
	PROJECT_OPT,
	{ "file", 0, OPT_ARG, OPT_FILE, "FILE", "this config file" },
	{ "dry-run", 'n', OPT_NOARG, OPT_DRY_RUN, NULL, "show the diff, write nothing" },
	{ "yes", 'y', OPT_NOARG, OPT_YES, NULL, "write without asking" },
	OPT_JSON_ENTRY,
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static const struct cmd_info config_info = {
	"config",
	"rpi-cross config show [--project DIR | --file F] [--json]\n"
	"rpi-cross config set [--global | --project DIR | --file F] [--dry-run] [--yes] KEY=VALUE...\n"
	"rpi-cross config unset [--global | --project DIR | --file F] [--dry-run] [--yes] KEY...\n"
	"rpi-cross config check FILE",
	"Show, change or check Cargo's config files without disturbing anything\n"
	"else in them.",
	"KEY is a dotted TOML key (target.armv7-unknown-linux-gnueabihf.linker);\n"
	"a VALUE that parses as a TOML value is taken as one, else as a string.",
	config_opts,
};

int
cmd_config(int argc, char **argv, struct ctx *ctx)
{
	static const char *const subs[] = { "show", "set", "unset", "check" };

	if (argc >= 2 && argv[1][0] != '-') {
		for (size_t i = 0; i < ARRAY_SIZE(subs); i++)
			if (strcmp(argv[1], subs[i]) == 0)
				return cmd_pending(argc - 1, argv + 1, ctx,
						   &config_info, 0, -1, false,
						   "planned: the format-preserving TOML editor");
		return rpx_usage_error(ctx, "config",
				       "unknown config action '%s' (show, set, unset or check)",
				       argv[1]);
	}
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "-h") == 0)) {
		cmd_print_help(ctx, &config_info);
		return RPX_EXIT_OK;
	}
	return rpx_usage_error(ctx, "config",
			       "missing action: show, set, unset or check");
}

static const struct opt run_opts[] = {
	HOST_OPT, OPT_SSH_ENTRIES, OPT_HELP_ENTRY, OPT_END_TABLE,
};

static const struct cmd_info run_info = {
	"run",
	"rpi-cross run [--host H] BINARY [ARGS...]",
	"Upload BINARY to the Pi and run it there with ARGS; usable as Cargo's\n"
	"runner. Exits with the remote program's status.",
	NULL,
	run_opts,
};

int
cmd_run(int argc, char **argv, struct ctx *ctx)
{
	return cmd_pending(argc, argv, ctx, &run_info, 1, -1, true,
			   "planned: upload and run over SSH");
}

static const struct opt test_opts[] = {
	HOST_OPT,
	{ "emulate", 0, OPT_NOARG, OPT_EMULATE, NULL, "run under qemu-user here, not on a Pi" },
	TARGET_OPT,
	PROJECT_OPT,
	OPT_SSH_ENTRIES,
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static const struct cmd_info test_info = {
	"test",
	"rpi-cross test [--host H | --emulate] [--target T] [--project DIR]",
	"The final test: build a hello-world (or the project) for the target,\n"
	"copy it to the Pi, run it there, and explain any failure.",
	NULL,
	test_opts,
};

int
cmd_test(int argc, char **argv, struct ctx *ctx)
{
	return cmd_pending(argc, argv, ctx, &test_info, 0, 0, false,
			   "planned: the build-copy-run test");
}

static const struct opt doctor_opts[] = {
	TARGET_OPT, HOST_OPT, PROJECT_OPT, OPT_JSON_ENTRY, OPT_SSH_ENTRIES,
	OPT_HELP_ENTRY, OPT_END_TABLE,
};

static const struct cmd_info doctor_info = {
	"doctor",
	"rpi-cross doctor [--target T] [--host H] [--project DIR] [--json]",
	"Check the whole chain (toolchain, std, linker, config, Pi) and say how\n"
	"to fix what fails. Exit 0 when nothing fails.",
	NULL,
	doctor_opts,
};

int
cmd_doctor(int argc, char **argv, struct ctx *ctx)
{
	return cmd_pending(argc, argv, ctx, &doctor_info, 0, 0, false,
			   "planned: the troubleshooting checks");
}
