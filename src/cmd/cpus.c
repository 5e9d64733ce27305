/*
 * cpus.c - `rpi-cross cpus`: the -C target-cpu list.
 *
 * Not in this version yet: the options are all parsed and checked, then
 * the command says it is not available (exit 1).
 */
#include "cmd.h"

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
