/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * doctor.c - `rpi-cross doctor`: run the troubleshooting checks of
 * doctor.h and report them as text or JSON. Exit 0 when nothing failed.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "doctor.h"
#include "fleet.h"
#include "ssh_cli.h"

/* Independent checks run on this many threads at most. */
#define DOCTOR_THREADS 4

struct doctor_args {
	struct doctor_input in;
	struct ssh_cli sc;
	bool json;
	bool no_keep;
};

#define DA struct doctor_args
static const struct opt doctor_opts[] = {
	TARGET_OPT_F(DA, in.target),
	BOARD_OPT_F(DA, in.board),
	HOST_OPT_F(DA, in.host),
	PROJECT_OPT_F(DA, in.project_dir),
	OPT_JSON_F(DA, json),
	OPT_INT_F("timeout", DA, sc.ro.timeout_s, "SECONDS", 3600,
		  "SSH connect and operation timeout (default 10)"),
	OPT_BOOL_F("no-keep", 0, DA, no_keep, "connect afresh, neither using "
		   "nor keeping a connection (also RPI_CROSS_NO_KEEP=1)"),
	OPT_INT_F("keep-time", DA, sc.ro.keep_time_s, "SECONDS", 86400,
		  "keep the connection this long unused (default 600; also "
		  "RPI_CROSS_KEEP_TIME)"),
	OPT_HELP_ENTRY, OPT_END_TABLE,
};
#undef DA

static const struct cmd_info doctor_info = {
	"doctor",
	"rpi-cross doctor [--target T] [--board B] [--host H] [--project DIR]\n"
	"      [--timeout SECONDS] [--no-keep] [--keep-time SECONDS] [--json]",
	"Check the whole chain (toolchain, std, linker, config, Pi) and say how\n"
	"to fix what fails. Exit 0 when nothing fails.",
	"Each check passes, warns, fails or is skipped, with a one-line message\n"
	"and a fix. Checks that do not depend on each other run at the same\n"
	"time; the report keeps a fixed order. The Cargo config checks read the\n"
	"files Cargo reads for the project, and the environment. A target\n"
	"(--target, else the config's build.target when it names a Pi target)\n"
	"adds the std, linker (a real probe link), rustflags and runner checks.\n"
	"With a host (--host or RPI_CROSS_HOST), one SSH connection checks that\n"
	"the Pi answers, its host key is known (an unknown key is never trusted\n"
	"here: the fix says how to add it), login works, its board fits the\n"
	"target, its glibc is new enough and its home has space. Without a\n"
	"host, no network check runs. Several hosts (a,b,c) are checked at\n"
	"once, each line prefixed with its host, a summary at the end; the exit\n"
	"status is the worst.",
	doctor_opts,
};

/* main.c's command table holds it (--help's list, the completions). */
const struct cmd_info *
cmd_doctor_info(void)
{
	return &doctor_info;
}

int
cmd_doctor(int argc, char **argv, struct ctx *ctx)
{
	struct opt_parser p;
	struct doctor_args a;
	char *origin = NULL, *group = NULL;
	struct doctor_result *results = NULL;
	const struct doctor_check *checks;
	size_t n;
	int id, failed, ret = RPX_EXIT_USAGE;

	memset(&a, 0, sizeof(a));
	ssh_cli_init(&a.sc, ctx);
	if ((id = cmd_parse(&p, ctx, &doctor_info, &a, argc, argv)) >= 0) {
		ret = id;
		goto out;
	}
	if (p.npos > 0) {
		rpx_usage_error(ctx, doctor_info.name, "unexpected argument "
				"'%s'", p.pos[0]);
		goto out;
	}
	a.in.trace = ctx;
	if (a.in.host == NULL)
		a.in.host = rpx_getenv("RPI_CROSS_HOST");
	if (a.no_keep)
		a.sc.ro.keep = false;
	a.in.host = fleet_host(a.in.host);
	if (a.in.host != NULL && a.in.host[0] == '@' &&
	    (a.in.host = fleet_group(ctx, a.in.host, &group)) == NULL) {
		ret = RPX_EXIT_USAGE;
		goto out;
	}
	if (fleet_several(a.in.host)) {
		ret = fleet_run(ctx, argc, argv, a.in.host);
		goto out;
	}
	if (a.in.host != NULL) {
		a.sc.ro.target = a.in.host;
		a.in.conn = doctor_host_new(&a.sc.ro);
	}
	if (a.in.target == NULL) {
		a.in.target = doctor_config_target(a.in.project_dir, &origin);
		if (a.in.target != NULL && !a.json)
			fprintf(ctx->out, "Target %s (build.target, %s)\n",
				a.in.target->triple, origin);
	}
	checks = doctor_checks(&n);
	results = xcalloc(n, sizeof(*results));
	failed = doctor_run(checks, n, &a.in, DOCTOR_THREADS, results);
	if (a.json)
		doctor_print_json(ctx->out, checks, results, n);
	else
		doctor_print_text(ctx->out, checks, results, n,
				  doctor_locale_utf8(), ctx->color_out);
	ret = failed > 0 ? RPX_EXIT_FAIL : RPX_EXIT_OK;
out:
	free(group);
	free(origin);
	doctor_host_free(a.in.conn);
	free(results);
	opt_release(&p);
	return ret;
}
