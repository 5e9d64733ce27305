/*
 * doctor.c - `rpi-cross doctor`: the troubleshooting checks.
 *
 * Not in this version yet: the options are all parsed and checked, then
 * the command says it is not available (exit 1).
 */
#include "cmd.h"

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
