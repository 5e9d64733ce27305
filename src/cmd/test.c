/*
 * test.c - `rpi-cross test`: the final build-copy-run test.
 *
 * Not in this version yet: the options are all parsed and checked, then
 * the command says it is not available (exit 1).
 */
#include "cmd.h"

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
