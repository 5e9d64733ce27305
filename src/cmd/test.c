/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * test.c - `rpi-cross test`: the final build-copy-run test (pitest.h).
 *
 * Resolves what to test and where: the host from --host, else
 * RPI_CROSS_HOST, else the profile; the target from --target, else the
 * profile, else the effective [build] target of the Cargo config, else
 * the recommendation for --board, else detection over SSH. Then runs the
 * test, printing each step as it ends (✓/✗ and its time), cargo's lines
 * on stderr, the Pi's output, and the verdict; on failure the step, the
 * tool's own message, the explanation and the fix.
 */
#include "cmd.h"

#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cargo_config.h"
#include "fleet.h"
#include "json.h"
#include "pitest.h"
#include "plan.h"
#include "profile.h"
#include "remote.h"
#include "ssh_cli.h"
#include "sysroot.h"
#include "sysroot_config.h"

struct test_args {
	const char *host;
	const char *host_src;
	bool fleet;		/* several hosts: fleet_run() tests each */
	char *group;		/* the hosts of --host @NAME (owned) */
	const struct target *target;
	const char *target_src;
	const struct board *board;
	const char *project;
	const char *bin;
	const char *profile;
	const char *rustc;
	bool emulate, keep, json;
	int run_timeout;
};

static int run_timeout_opt(struct opt_parser *p, const struct opt *o,
			   void *field);

#define TA struct test_args
static const struct opt test_opts[] = {
	HOST_OPT_F(TA, host),
	OPT_BOOL_F("emulate", 0, TA, emulate,
		   "run under qemu-user here, not on a Pi"),
	TARGET_OPT_F(TA, target),
	BOARD_OPT_F(TA, board),
	PROJECT_OPT_F(TA, project),
	OPT_STRING_F("bin", 0, TA, bin, "NAME",
		     "the project's binary to run (when it has several)"),
	OPT_STRING_F("profile", 0, TA, profile, "NAME",
		     "take host, target, board and rustc from a saved profile"),
	OPT_BOOL_F("keep", 0, TA, keep,
		   "keep the temporary crate and its build (prints where)"),
	OPT_CALL_F("run-timeout", TA, run_timeout, "SECONDS", run_timeout_opt,
		   "stop the program after this long (default 60)"),
	OPT_SSH_ENTRIES,
	OPT_JSON_F(TA, json),
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};
#undef TA

static const struct cmd_info test_info = {
	"test",
	"rpi-cross test [--host H | --emulate] [--target T] [--board B]\n"
	"      [--project DIR [--bin NAME]] [--profile NAME] [--keep] [--json]",
	"The final test: build a hello-world (or the project) for the target,\n"
	"copy it to the Pi, run it there, and explain any failure.",
	"Steps: prepare (a hello-world crate in a temporary folder, removed\n"
	"afterwards; or --project DIR), build (cargo build --release --target T\n"
	"with the Cargo config that applies in the current folder or DIR),\n"
	"connect (SSH; probes the board), check (the ELF against the board:\n"
	"architecture, float ABI, ARM level, loader, GLIBC versions), upload\n"
	"(~/.cache/rpi-cross on the Pi), run. The host comes from --host, else\n"
	"RPI_CROSS_HOST, else the profile; several (a,b,c) are tested at once,\n"
	"each line prefixed with its host, a summary at the end. The target comes from --target, else\n"
	"the profile, else [build] target in the Cargo config, else the\n"
	"recommendation for --board, else detection over SSH. --emulate runs\n"
	"the program here under qemu-user instead: emulation, not proof on the\n"
	"board. Exit status 0 when the program ran and exited 0, 1 when a step\n"
	"failed, 2 for a usage error, 130 when interrupted.",
	test_opts,
};

/* main.c's command table holds it (--help's list, the completions). */
const struct cmd_info *
cmd_test_info(void)
{
	return &test_info;
}


/* Ctrl-C / SIGTERM: the only mutable global, as STYLE allows. */
static volatile sig_atomic_t test_stop;

static void
on_signal(int sig)
{
	(void)sig;
	test_stop = 1;
}

/* What the printing callbacks need. */
struct printer {
	const struct ctx *ctx;
	struct pitest_result *r;
	bool json, utf8;
};

static const char *
status_name(enum pitest_status s)
{
	static const char *const names[] = {
		"pending", "running", "ok", "failed", "skipped",
	};

	return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "?";
}

static void
ev_step(void *data, enum pitest_step s, enum pitest_status st, long ms)
{
	struct printer *pr = data;
	const struct ctx *ctx = pr->ctx;
	bool ok = st == PT_OK;

	if (pr->json || st == PT_RUNNING || st == PT_PENDING)
		return;
	fprintf(ctx->out, "%s%s%s %-8s %6.2f s  %s\n",
		rpx_sgr(ctx->color_out, ok ? SGR_GREEN : SGR_RED),
		pr->utf8 ? (ok ? "\u2713" : "\u2717") : (ok ? "+" : "x"),
		rpx_sgr(ctx->color_out, SGR_RESET), pitest_step_title(s),
		ms / 1000.0, pr->r->detail[s][0] || ok ? pr->r->detail[s] :
		pitest_cause_name(pr->r->cause));
	fflush(ctx->out);
}

static void
ev_line(void *data, enum pitest_step s, const char *line)
{
	struct printer *pr = data;
	const struct ctx *ctx = pr->ctx;

	if (pr->json)
		return;
	if (s == PT_RUN) {
		fprintf(ctx->out, "  %s %s\n", pr->utf8 ? "\u2502" : "|", line);
		fflush(ctx->out);
	} else if (!ctx->quiet) {
		fprintf(ctx->err, "%s    %s%s\n",
			rpx_sgr(ctx->color_err, SGR_DIM), line,
			rpx_sgr(ctx->color_err, SGR_RESET));
	}
}

static bool
locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (rpx_strcasecmp(cs, "UTF-8") == 0 ||
			      rpx_strcasecmp(cs, "utf8") == 0);
}

/* --run-timeout: 1 to 86400 seconds */
static int
run_timeout_opt(struct opt_parser *p, const struct opt *o, void *field)
{
	unsigned long ul;

	if (opt_parse_uint(p, o->name, p->arg, 86400, &ul) != 0)
		return OPT_ERROR;
	if (ul == 0) {
		rpx_usage_error(p->ctx, p->cmd, "--run-timeout takes 1 to "
				"86400 seconds");
		return OPT_ERROR;
	}
	*(int *)field = (int)ul;
	return 0;
}

static int
parse_args(int argc, char **argv, struct ctx *ctx, struct test_args *a,
	   struct ssh_cli *cli, bool *help)
{
	struct opt_parser p;
	int id, ret = RPX_EXIT_USAGE;

	opt_init(&p, ctx, test_info.name, test_info.opts, argc, argv);
	p.dst = a;
	while ((id = opt_next(&p)) != OPT_DONE) {
		switch (id) {
		case OPT_ERROR:
			goto out;
		case OPT_HELP:
			cmd_print_help(ctx, &test_info);
			*help = true;
			ret = RPX_EXIT_OK;
			goto out;
		default:
			if (ssh_cli_option(cli, &p, id) == OPT_ERROR)
				goto out;
			break;
		}
	}
	if (a->host != NULL)
		a->host_src = "--host";
	if (a->target != NULL)
		a->target_src = "--target";
	if (p.npos > 0) {
		rpx_usage_error(ctx, test_info.name, "unexpected argument '%s'",
				p.pos[0]);
		goto out;
	}
	if (a->emulate && a->host != NULL) {
		rpx_usage_error(ctx, test_info.name, "--host and --emulate "
				"exclude each other: the program runs on the Pi "
				"or here under qemu-user");
		goto out;
	}
	if (a->bin != NULL && a->project == NULL) {
		rpx_usage_error(ctx, test_info.name, "--bin names a binary of "
				"--project DIR: give the project too");
		goto out;
	}
	if (a->project != NULL && !rpx_is_dir(a->project)) {
		rpx_usage_error(ctx, test_info.name, "--project '%s' is not a "
				"folder", a->project);
		goto out;
	}
	if (a->profile == NULL)
		a->profile = ctx->profile;
	ret = RPX_EXIT_OK;
out:
	opt_release(&p);
	return ret;
}

/* Host, target, board and rustc a profile holds (each only when unset). */
static int
apply_profile(const struct ctx *ctx, struct test_args *a, struct plan *pl)
{
	struct profiles ps = PROFILES_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	char *path = profile_default_path();
	int ret = RPX_EXIT_FAIL;

	if (path == NULL) {
		rpx_errorf(ctx, "cannot find the profiles file: neither "
			   "XDG_CONFIG_HOME nor HOME is set");
		goto out;
	}
	if (profiles_read(&ps, path, &err) != 0) {
		rpx_err_print(ctx->err, &err);
		goto out;
	}
	if (profile_apply(&ps, a->profile, pl, &err) != 0) {
		rpx_errorf(ctx, "%s", err.msg);
		goto out;
	}
	ret = RPX_EXIT_OK;
out:
	profiles_release(&ps);
	free(path);
	return ret;
}

/* The one target a [build] target value names: "T" or ["T"] (a list of
 * several has no single one to test). */
static const struct target *
config_target(const struct cargo_config_value *v)
{
	if (v->type == CARGO_VALUE_STRING)
		return target_find(v->str);
	if (v->type == CARGO_VALUE_LIST && v->list.n == 1)
		return target_find(v->list.v[0]);
	return NULL;
}

/* From the effective Cargo config of the folder the build uses. */
static int
target_from_config(const struct ctx *ctx, struct test_args *a,
		   char *why, size_t whysz)
{
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct cargo_config_value v = CARGO_CONFIG_VALUE_INIT;
	char *home = NULL;
	int ret = 0;

	home = cargo_config_home(NULL, NULL);
	if (home == NULL)
		goto out;
	cargo_config_discover(&set, a->project ? a->project : ".", home);
	if (cargo_config_effective(&set, "build.target", &v) != 0 ||
	    v.value == NULL)
		goto out;
	a->target = config_target(&v);
	if (a->target == NULL) {
		rpx_usage_error(ctx, test_info.name, "[build] target = %s (%s) "
				"is not one Raspberry Pi target: give --target "
				"(see 'rpi-cross targets')", v.value,
				v.origin ? v.origin : "config");
		ret = RPX_EXIT_USAGE;
		goto out;
	}
	snprintf(why, whysz, "[build] target in %s", v.origin ? v.origin :
		 "the Cargo config");
out:
	cargo_config_value_release(&v);
	cargo_config_set_release(&set);
	free(home);
	return ret;
}

/*
 * When the config links the board's gnu target through a sysroot, the
 * program needs no newer glibc than the sysroot's: the plan weighs that
 * glibc, not the cross toolchain's, against the Pi's (a bullseye Pi with
 * its own sysroot keeps gnu instead of being sent to musl).
 */
static void
sysroot_glibc(const struct test_args *a, struct plan *pl)
{
	const struct target *g;
	struct sysroot_meta m;
	struct rpx_err e = RPX_ERR_INIT;
	char *root;

	if (pl->board == NULL)
		return;
	g = board_recommend(pl->board, pl->os_bits ? pl->os_bits :
			    board_default_bits(pl->board), LIBC_GNU, NULL);
	root = g ? sysroot_config_find(a->project, g->triple, NULL) : NULL;
	if (root != NULL && sysroot_meta_read(root, &m, &e) == 0 &&
	    m.glibc[0] != '\0')
		plan_set_str(&pl->toolchain_glibc, m.glibc);
	free(root);
}

/* Detection: connect once, probe, and take the plan's recommendation. */
static int
target_from_pi(const struct ctx *ctx, struct test_args *a,
	       struct ssh_cli *cli, char *why, size_t whysz)
{
	struct remote r = REMOTE_INIT;
	struct remote_probe probe;
	struct plan pl;
	struct rpx_err err = RPX_ERR_INIT;
	int ret = RPX_EXIT_FAIL;

	plan_init(&pl);
	cli->ro.target = a->host;
	if (remote_connect(&r, &cli->ro) != 0 ||
	    remote_probe(&r, NULL, &probe) != 0) {
		rpx_errorf(ctx, "cannot detect the target: %s", r.err);
		goto out;
	}
	pl.board = probe.ident.board;
	if (pl.board != NULL)
		plan_note(&pl, PF_BOARD, PLAN_DETECTED, "from the Pi");
	if (probe.os_bits != 0) {
		pl.os_bits = probe.os_bits;
		plan_note(&pl, PF_BITS, PLAN_DETECTED, "%s",
			  probe.bits_source);
	}
	if (probe.glibc[0])
		plan_set_str(&pl.pi_glibc, probe.glibc);
	if (pl.board == NULL) {
		/* an unknown board: its userland and ISA decide */
		pl.target = target_find(probe.os_bits == 64 ?
					"aarch64-unknown-linux-gnu" :
					probe.isa >= ISA_ARMV7 ?
					"armv7-unknown-linux-gnueabihf" :
					"arm-unknown-linux-gnueabihf");
		plan_note(&pl, PF_TARGET, PLAN_DETECTED, "unknown board");
	}
	sysroot_glibc(a, &pl);
	if (plan_complete(&pl, &err) != 0 || pl.target == NULL) {
		rpx_errorf(ctx, "cannot choose a target for %s: %s", r.display,
			   err.msg[0] ? err.msg : "none fits");
		goto out;
	}
	a->target = pl.target;
	snprintf(why, whysz, "recommended for %s (%d-bit OS, glibc %s)",
		 probe.ident.model[0] ? probe.ident.model : r.display,
		 probe.os_bits, probe.glibc[0] ? probe.glibc : "none");
	ret = RPX_EXIT_OK;
out:
	plan_release(&pl);
	remote_release(&r);
	return ret;
}

static void
print_json(const struct ctx *ctx, const struct test_args *a,
	   const struct pitest_result *r, int ret)
{
	struct json j;
	const struct board *b = r->probed && r->probe.ident.board ?
				r->probe.ident.board : a->board;

	json_init(&j, ctx->out);
	json_doc_begin(&j);
	json_kbool(&j, "ok", ret == 0);
	json_kstr(&j, "target", a->target->triple);
	json_kstr(&j, "target_source", a->target_src);
	json_key(&j, "host");
	json_str(&j, a->emulate ? NULL : a->host);
	json_kbool(&j, "emulated", r->emulated);
	json_key(&j, "board");
	json_str(&j, b ? b->id : NULL);
	json_key(&j, "steps");
	json_arr_begin(&j);
	for (int s = 0; s < PT_STEP_COUNT; s++) {
		json_obj_begin(&j);
		json_kstr(&j, "name", pitest_step_name((enum pitest_step)s));
		json_kstr(&j, "status", status_name(r->status[s]));
		json_kint(&j, "ms", r->ms[s]);
		json_kstr(&j, "detail", r->detail[s]);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "failed_step");
	json_str(&j, r->cause != PTC_NONE ?
		 pitest_step_name(r->failed_step) : NULL);
	json_kstr(&j, "cause", pitest_cause_name(r->cause));
	json_kstr(&j, "message", r->message);
	json_kstr(&j, "explain", r->explain);
	json_kstr(&j, "fix", r->fix);
	json_kstr(&j, "output", r->out.buf);
	json_kint(&j, "exit_status", r->exit_status);
	json_key(&j, "glibc");
	json_str(&j, r->probed && r->probe.glibc[0] ? r->probe.glibc : NULL);
	json_key(&j, "binary");
	json_str(&j, r->binary[0] ? r->binary : NULL);
	json_kstr(&j, "verdict", r->verdict);
	json_doc_end(&j);
}

static void
print_failure(const struct ctx *ctx, const struct pitest_result *r)
{
	FILE *f = ctx->err;
	const char *bold = rpx_sgr(ctx->color_err, SGR_BOLD);
	const char *off = rpx_sgr(ctx->color_err, SGR_RESET);
	const char *p = r->message;

	rpx_errorf(ctx, "the test failed at the %s step (%s)",
		   pitest_step_name(r->failed_step),
		   pitest_cause_name(r->cause));
	if (p[0]) {
		fprintf(f, "%sThe tool said:%s\n", bold, off);
		while (*p) {
			size_t n = strcspn(p, "\n");

			fprintf(f, "  %.*s\n", (int)n, p);
			p += n + (p[n] ? 1 : 0);
		}
	}
	if (r->explain[0])
		fprintf(f, "%sWhy:%s %s\n", bold, off, r->explain);
	if (r->fix[0])
		fprintf(f, "%sFix:%s %s\n", bold, off, r->fix);
}

/*
 * Where and what: the host from --host, RPI_CROSS_HOST or the profile;
 * the target from --target, the profile, [build] target, --board or
 * detection over SSH (why says which). RPX_EXIT_OK, or the exit status.
 */
static int
resolve_where_what(struct ctx *ctx, struct test_args *a, struct plan *prof,
		   struct ssh_cli *cli, char *why, size_t whysz)
{
	int ret;

	/* Where: --host, RPI_CROSS_HOST, the profile. */
	if (a->profile != NULL) {
		ret = apply_profile(ctx, a, prof);
		if (ret != RPX_EXIT_OK)
			return ret;
	}
	if (a->host == NULL && !a->emulate) {
		if ((a->host = rpx_getenv("RPI_CROSS_HOST")) != NULL)
			a->host_src = "RPI_CROSS_HOST";
		else if ((a->host = prof->host) != NULL)
			a->host_src = "profile";
	}
	a->host = fleet_host(a->host);
	if (!a->emulate && a->host != NULL && a->host[0] == '@' &&
	    (a->host = fleet_group(ctx, a->host, &a->group)) == NULL)
		return RPX_EXIT_USAGE;
	if (!a->emulate && fleet_several(a->host)) {
		a->fleet = true;
		return RPX_EXIT_OK;
	}
	if (a->board == NULL)
		a->board = prof->board;
	if (a->target == NULL && prof->target != NULL) {
		a->target = prof->target;
		snprintf(why, whysz, "profile '%s'", a->profile);
	}
	a->rustc = prof->rustc;
	if (!a->emulate && a->host == NULL) {
		ret = rpx_usage_error(ctx, test_info.name, "no Pi given: use "
				      "--host [USER@]HOST[:PORT], set "
				      "RPI_CROSS_HOST or a profile's host, or "
				      "--emulate to run under qemu-user here");
		return ret;
	}
	if (a->host != NULL && a->host[0] == '-') {
		ret = rpx_usage_error(ctx, test_info.name, "host '%s' starts "
				      "with '-': refusing it", a->host);
		return ret;
	}

	/* What: --target, profile, [build] target, --board, detection. */
	if (a->target == NULL) {
		ret = target_from_config(ctx, a, why, whysz);
		if (ret != RPX_EXIT_OK)
			return ret;
	}
	if (a->target == NULL && a->board != NULL) {
		const char *bwhy = NULL;

		a->target = board_recommend(a->board,
					    board_default_bits(a->board),
					    LIBC_GNU, &bwhy);
		snprintf(why, whysz, "recommended for --board %s",
			 a->board->id);
	}
	if (a->target == NULL && a->host != NULL && !a->emulate) {
		ret = target_from_pi(ctx, a, cli, why, whysz);
		if (ret != RPX_EXIT_OK)
			return ret;
	}
	if (a->target == NULL) {
		ret = rpx_usage_error(ctx, test_info.name, "no target: give "
				      "--target or --board, or set [build] "
				      "target in the Cargo config");
		return ret;
	}
	if (a->target_src == NULL)
		a->target_src = why;
	return RPX_EXIT_OK;
}

int
cmd_test(int argc, char **argv, struct ctx *ctx)
{
	struct test_args a;
	struct ssh_cli cli;
	struct plan prof;
	struct pitest_opts o;
	struct pitest_result r;
	struct printer pr;
	struct sigaction sa, ign, old_int, old_term, old_hup, old_pipe;
	char why[512] = "";
	bool help = false, handlers = false;
	int rc, ret;

	memset(&a, 0, sizeof(a));
	plan_init(&prof);
	pitest_result_init(&r);
	ssh_cli_init(&cli, ctx);
	ret = parse_args(argc, argv, ctx, &a, &cli, &help);
	if (ret != RPX_EXIT_OK || help)
		goto out;

	ret = resolve_where_what(ctx, &a, &prof, &cli, why, sizeof(why));
	if (ret != RPX_EXIT_OK)
		goto out;
	if (a.fleet) {
		/* one build a target: the first child of a target builds,
		 * the others of that target wait for it and reuse it */
		char *builds = pitest_builds_create();

		ret = fleet_run_builds(ctx, argc, argv, a.host, builds);
		pitest_builds_remove(builds);
		free(builds);
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	/* A closed output pipe (| head) must not kill us before the
	 * temporary folder is removed: writes then fail with EPIPE. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old_pipe);
	handlers = true;

	pitest_opts_init(&o);
	o.target = a.target;
	o.host = a.emulate ? NULL : a.host;
	o.project_dir = a.project;
	o.bin = a.bin;
	o.rustc = a.rustc;
	o.emulate = a.emulate;
	o.keep = a.keep;
	o.run_timeout_s = a.run_timeout;
	o.board = a.board;
	o.remote = cli.ro;
	o.trace = ctx;
	o.timeout_s = cli.ro.timeout_s;
	o.stop = &test_stop;
	o.shared_builds = a.emulate ? NULL : fleet_builds();
	pr.ctx = ctx;
	pr.r = &r;
	pr.json = a.json;
	pr.utf8 = locale_utf8();
	o.ev.step = ev_step;
	o.ev.line = ev_line;
	o.ev.data = &pr;
	cli.label = "the test program";

	if (!a.json) {
		if (a.emulate)
			fprintf(ctx->out, "Testing %s under qemu-user on this "
				"machine (target: %s)\n", a.target->triple,
				a.target_src);
		else
			fprintf(ctx->out, "Testing %s on %s (target: %s)\n",
				a.target->triple, a.host, a.target_src);
		fflush(ctx->out);
	}
	rc = pitest_run(&o, &r);
	if (a.json) {
		print_json(ctx, &a, &r, rc);
	} else {
		fprintf(ctx->out, "\n%s\n", r.verdict);
		if (r.binary[0] && a.keep)
			fprintf(ctx->out, "Kept: %s\n", r.binary);
	}
	if (rc == 0) {
		ret = RPX_EXIT_OK;
		goto out;
	}
	if (!a.json && r.cause != PTC_CANCELLED)
		print_failure(ctx, &r);
	ret = r.cause == PTC_CANCELLED ? 130 : RPX_EXIT_FAIL;
out:
	if (handlers) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
		sigaction(SIGPIPE, &old_pipe, NULL);
	}
	pitest_result_release(&r);
	free(a.group);
	plan_release(&prof);
	return ret;
}
