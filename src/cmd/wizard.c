/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* wizard.c - `rpi-cross` with no command: the interactive wizard. */
#include "cmd.h"
#include "ui.h"

#include <unistd.h>

int
cmd_wizard(int argc, char **argv, struct ctx *ctx)
{
	(void)argc;
	(void)argv;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		return rpx_usage_error_hint(ctx, NULL,
			"Without a terminal, use the commands: setup, boards, targets, linkers,\n"
			"cpus, detect, config, run, test, doctor.",
			"the wizard needs a terminal (stdin and stdout must both be one)");
	}
	return ui_wizard_run(ctx);
}
