/*
 * run.c - `rpi-cross run`: upload and run on the Pi.
 *
 * Not in this version yet: the options are all parsed and checked, then
 * the command says it is not available (exit 1).
 */
#include "cmd.h"

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
