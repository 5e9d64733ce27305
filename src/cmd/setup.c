/*
 * setup.c - `rpi-cross setup`: configure Cargo for a Pi without the wizard.
 *
 * Not in this version yet: the options are all parsed and checked, then
 * the command says it is not available (exit 1).
 */
#include "cmd.h"

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
