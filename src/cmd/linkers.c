/*
 * linkers.c - `rpi-cross linkers`: cross linkers and whether each links.
 *
 * Not in this version yet: the options are all parsed and checked, then
 * the command says it is not available (exit 1).
 */
#include "cmd.h"

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
