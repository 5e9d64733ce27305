/*
 * detect.c - `rpi-cross detect`: probe a Pi over SSH.
 *
 * Not in this version yet: the options are all parsed and checked, then
 * the command says it is not available (exit 1).
 */
#include "cmd.h"

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
