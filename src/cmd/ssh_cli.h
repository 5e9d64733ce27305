/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ssh_cli.h - what the SSH commands (detect, run) share: the --timeout and
 * --accept-new-host-key options, and the terminal side of remote.h's
 * callbacks. Questions go to /dev/tty, and only when stdin is a terminal;
 * otherwise no callback is set and remote refuses unknown host keys and
 * never asks for a password.
 */
#ifndef RPX_SSH_CLI_H
#define RPX_SSH_CLI_H

#include "cmd.h"
#include "remote.h"

struct ssh_cli {
	struct remote_opts ro;
	const struct ctx *ctx;
	bool interactive;	/* stdin is a terminal: may ask on /dev/tty */
	bool progress_shown;	/* a progress line is on the terminal */
	int progress_len;	/* its longest length, to blank it */
	const char *label;	/* file name shown with upload progress */
};

/* Defaults; callbacks when stdin is a terminal. */
void ssh_cli_init(struct ssh_cli *c, const struct ctx *ctx);
/*
 * Handle OPT_TIMEOUT, OPT_ACCEPT_NEW_HOST_KEY, OPT_NO_KEEP and
 * OPT_KEEP_TIME (ssh_cli_init set the kept connection's defaults from
 * RPI_CROSS_NO_KEEP and RPI_CROSS_KEEP_TIME): 1 when id was one of
 * them (consumed), 0 when not, OPT_ERROR on a bad value.
 */
int ssh_cli_option(struct ssh_cli *c, struct opt_parser *p, int id);
/* Blank the upload progress line, if one is shown (before a message). */
void ssh_cli_end_progress(struct ssh_cli *c);

#endif
