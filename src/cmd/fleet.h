/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * fleet.h - one command on several Pis at once: `--host a,b,c` for run,
 * test, detect and doctor. The command runs again, in parallel, once a
 * host (this program in a child process, its one host in
 * RPI_CROSS_FLEET_HOST), each line of their output prefixed with the host,
 * a summary table at the end; one failure does not stop the others.
 */
#ifndef RPX_FLEET_H
#define RPX_FLEET_H

#include <stdbool.h>

#include "cmd.h"

/*
 * A group: "@NAME" is the host of saved profile NAME (profile.h), which
 * may name several (a,b,c); *owned holds it (free it). Anything else is
 * returned as it is. NULL, with the error printed, when there is no such
 * profile or it has no host.
 */
const char *fleet_group(const struct ctx *ctx, const char *hosts,
			char **owned);
/* In a fleet's child: its one host; else hosts as given (may be NULL). */
const char *fleet_host(const char *hosts);
/* Does hosts name several Pis (a comma)? */
bool fleet_several(const char *hosts);
/*
 * Run the command (argv[0] its name, as main passes it) once per host of
 * hosts in parallel child processes, stdin /dev/null; their output lines
 * as "HOST | line" on ctx's out and err; then the summary on err. Returns
 * the worst (highest) exit status.
 */
int fleet_run(const struct ctx *ctx, int argc, char **argv,
	      const char *hosts);
/* The same, with builds (a folder, may be NULL) handed to every child:
 * fleet_builds() there returns it (test: one build a target). */
int fleet_run_builds(const struct ctx *ctx, int argc, char **argv,
		     const char *hosts, const char *builds);
/* In a fleet's child: the folder of fleet_run_builds(), else NULL. */
const char *fleet_builds(void);

#endif
