/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* targets.c - `rpi-cross targets`: Pi targets, fitting boards, std state. */
#include "cmd.h"

#include "hostos.h"
#include "json.h"
#include "strbuf.h"
#include "toolchain.h"

struct targets_args {
	bool json;
};

static const struct opt opts[] = {
	OPT_JSON_F(struct targets_args, json),
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static const struct cmd_info info = {
	"targets",
	"rpi-cross targets [--json]",
	"List the Rust targets for a Raspberry Pi, the boards each fits, and\n"
	"whether its standard library is installed.",
	"The std state is read from the sysroot of the rustc that Cargo would\n"
	"use here ($RUSTC, build.rustc in the Cargo config of the current\n"
	"folder, PATH, then $CARGO_HOME/bin); a RUSTC_WRAPPER or\n"
	"build.rustc-wrapper is shown. Every other rustc found\n"
	"(PATH, $CARGO_HOME/bin, /usr/bin, /opt/homebrew/bin, /usr/local/bin)\n"
	"is listed with its kind (rustup, distro, homebrew, standalone) and the\n"
	"Pi targets whose std it has. For a missing std the command that\n"
	"installs it is shown: 'rustup target add' for a rustup toolchain, the\n"
	"distribution's package for a distro one.",
	opts,
};

/* main.c's command table holds it (--help's list, the completions). */
const struct cmd_info *
cmd_targets_info(void)
{
	return &info;
}

/* Boards whose CPU runs the target with an OS of the target's bitness. */
static void
fitting_boards(const struct target *t, struct strbuf *sb, struct json *j)
{
	const struct board *all;
	int n;

	all = board_all(&n);
	for (int i = 0; i < n; i++) {
		if (!target_runs_on(t, all[i].cpu->isa, all[i].can64, t->bits, NULL))
			continue;
		if (j != NULL)
			json_str(j, all[i].id);
		else
			strbuf_addf(sb, "%s%s", sb->len ? " " : "", all[i].id);
	}
}

static void
json_toolchain(struct json *j, const struct toolchain *tc)
{
	json_obj_begin(j);
	json_kstr(j, "rustc", tc->rustc);
	json_kstr(j, "version", tc->version);
	json_kstr(j, "sysroot", tc->sysroot);
	json_kstr(j, "release", tc->release);
	json_kstr(j, "host", tc->host);
	json_kstr(j, "kind", toolchain_kind_name(tc->kind));
	json_kstr(j, "origin", tc->origin);
	json_kstr(j, "origin_where", tc->origin_where);
	json_kstr(j, "rustc_wrapper", tc->wrapper);
	json_kstr(j, "rustc_wrapper_origin", tc->wrapper_origin);
	json_kbool(j, "rustup_proxy", tc->proxy);
	json_kstr(j, "rustup_toolchain", tc->rustup_name);
	json_kstr(j, "cargo", tc->cargo);
	json_key(j, "pi_std");
	json_arr_begin(j);
	{
		const struct target *all;
		int n;

		all = target_all(&n);
		for (int i = 0; i < n; i++)
			if (toolchain_has_std(tc, all[i].triple))
				json_str(j, all[i].triple);
	}
	json_arr_end(j);
	json_obj_end(j);
}

/* "armv7-..., aarch64-..." or "none" */
static void
pi_std_list(const struct toolchain *tc, struct strbuf *sb)
{
	const struct target *all;
	int n;

	all = target_all(&n);
	for (int i = 0; i < n; i++)
		if (all[i].pi_os && toolchain_has_std(tc, all[i].triple))
			strbuf_addf(sb, "%s%s", sb->len ? ", " : "",
				    all[i].triple);
	if (sb->len == 0)
		strbuf_adds(sb, "none");
}

static void
describe_tc(const struct ctx *ctx, const struct toolchain *tc)
{
	struct strbuf sb = STRBUF_INIT;

	pi_std_list(tc, &sb);
	fprintf(ctx->out, "  %s  %s, %s%s%s%s\n", tc->version, tc->rustc,
		toolchain_kind_name(tc->kind),
		tc->rustup_name ? " (" : "",
		tc->rustup_name ? tc->rustup_name : "",
		tc->rustup_name ? ")" : "");
	fprintf(ctx->out, "    sysroot %s; Pi std: %s\n", tc->sysroot,
		sb.buf);
	strbuf_release(&sb);
}

/* The --json document: the toolchains, then every target. */
static void
print_json(const struct ctx *ctx, const struct toolchain_list *tl,
	   const struct toolchain *tcp, const struct host_os *os)
{
	const struct target *all;
	bool have_tc = tcp != NULL;
	struct json j;
	int n;

	all = target_all(&n);
	json_init(&j, ctx->out);
	json_doc_begin(&j);
	json_key(&j, "toolchain");
	if (have_tc)
		json_toolchain(&j, tcp);
	else
		json_null(&j);
	json_key(&j, "toolchains");
	json_arr_begin(&j);
	for (int i = 0; i < tl->n; i++)
		json_toolchain(&j, &tl->v[i]);
	json_arr_end(&j);
	json_kstr(&j, "cargo", tl->cargo);
	json_kstr(&j, "cargo_mismatch", tl->mismatch);
	json_key(&j, "targets");
	json_arr_begin(&j);
	for (int i = 0; i < n; i++) {
		const struct target *t = &all[i];

		json_obj_begin(&j);
		json_kstr(&j, "triple", t->triple);
		json_kstr(&j, "arch", t->arch);
		json_kint(&j, "bits", t->bits);
		json_kstr(&j, "libc", libc_name(t->libc));
		json_kstr(&j, "float_abi", t->hard_float ? "hard" : "soft");
		json_kstr(&j, "min_isa", isa_name(t->min_isa));
		json_kstr(&j, "tier", t->tier);
		json_kbool(&j, "static", t->libc == LIBC_MUSL);
		json_kbool(&j, "raspberry_pi_os", t->pi_os);
		json_key(&j, "std_installed");
		if (have_tc)
			json_bool(&j, toolchain_has_std(tcp, t->triple));
		else
			json_null(&j);
		json_key(&j, "install_std");
		if (have_tc && !toolchain_has_std(tcp, t->triple)) {
			struct std_install si = STD_INSTALL_INIT;

			toolchain_std_install(tcp, t, os, &si);
			json_obj_begin(&j);
			json_kbool(&j, "automatic", si.automatic);
			json_kstr(&j, "command", si.command);
			json_kstr(&j, "packages", si.packages);
			json_kstr(&j, "note", si.note);
			json_obj_end(&j);
			std_install_release(&si);
		} else {
			json_null(&j);
		}
		json_key(&j, "boards");
		json_arr_begin(&j);
		fitting_boards(t, NULL, &j);
		json_arr_end(&j);
		json_kstr(&j, "summary", t->summary);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_doc_end(&j);
}

/* Which toolchain Cargo uses, and the others found. */
static void
print_toolchains(const struct ctx *ctx, const struct toolchain_list *tl,
		 const struct toolchain *tcp)
{
	bool have_tc = tcp != NULL;

	if (have_tc) {
		fprintf(ctx->out, "Toolchain Cargo uses (%s%s%s):\n",
			tcp->origin, tcp->origin_where ? " in " : "",
			tcp->origin_where ? tcp->origin_where : "");
		describe_tc(ctx, tcp);
		if (tcp->wrapper != NULL)
			fprintf(ctx->out, "    wrapped by %s (%s)\n",
				tcp->wrapper, tcp->wrapper_origin);
		if (tl->n > 1)
			fprintf(ctx->out, "Other toolchains:\n");
		for (int i = 0; i < tl->n; i++)
			if (&tl->v[i] != tcp)
				describe_tc(ctx, &tl->v[i]);
		if (tl->cargo != NULL)
			fprintf(ctx->out, "cargo: %s\n", tl->cargo);
		if (tl->mismatch != NULL)
			rpx_warnf(ctx, "%s", tl->mismatch);
		fputc('\n', ctx->out);
	} else if (tl->n > 0) {
		fprintf(ctx->out, "Toolchain: no rustc found on PATH or in "
			"$CARGO_HOME/bin, where Cargo looks; std state unknown. "
			"Found elsewhere:\n");
		for (int i = 0; i < tl->n; i++)
			describe_tc(ctx, &tl->v[i]);
		fputc('\n', ctx->out);
	} else
		fprintf(ctx->out, "Toolchain: no rustc found (install Rust from "
			"rustup.rs or your package manager); std state unknown\n\n");
}

/* The table of targets, then how to install each missing std. */
static void
print_table(const struct ctx *ctx, const struct toolchain *tcp,
	    const struct host_os *os)
{
	const struct target *all;
	bool have_tc = tcp != NULL;
	int n;

	all = target_all(&n);
	fprintf(ctx->out, "%s%-37s %-5s %-4s %-9s %s%s\n",
		rpx_sgr(ctx->color_out, SGR_BOLD), "TARGET", "BITS", "LIBC",
		"STD", "BOARDS", rpx_sgr(ctx->color_out, SGR_RESET));
	for (int i = 0; i < n; i++) {
		const struct target *t = &all[i];
		struct strbuf boards = STRBUF_INIT;
		const char *std;
		bool has = have_tc && toolchain_has_std(tcp, t->triple);

		if (!have_tc)
			std = "?";
		else
			std = has ? "installed" : "missing";
		if (t->pi_os)
			fitting_boards(t, &boards, NULL);
		else
			strbuf_adds(&boards, "none: soft-float ABI, not for Raspberry Pi OS");
		fprintf(ctx->out, "%-37s %-5d %-4s %s%-9s%s %s\n", t->triple,
			t->bits, libc_name(t->libc),
			rpx_sgr(ctx->color_out, has ? SGR_GREEN : SGR_DIM), std,
			rpx_sgr(ctx->color_out, SGR_RESET), boards.buf);
		strbuf_release(&boards);
	}
	if (have_tc) {
		bool header = false;

		for (int i = 0; i < n; i++) {
			struct std_install si = STD_INSTALL_INIT;

			if (!all[i].pi_os || !all[i].preferred ||
			    toolchain_has_std(tcp, all[i].triple))
				continue;
			if (!header)
				fprintf(ctx->out, "\nTo install a missing std "
					"(%s toolchain):\n",
					toolchain_kind_name(tcp->kind));
			header = true;
			toolchain_std_install(tcp, &all[i], os, &si);
			fprintf(ctx->out, "  %-31s %s\n", all[i].triple,
				si.command ? si.command : si.note);
			if (si.command != NULL && si.note != NULL &&
			    !si.automatic)
				fprintf(ctx->out, "  %-31s (%s)\n", "", si.note);
			std_install_release(&si);
		}
	}
}

int
cmd_targets(int argc, char **argv, struct ctx *ctx)
{
	struct opt_parser p;
	struct targets_args a = { false };
	struct toolchain_list tl = TOOLCHAIN_LIST_INIT;
	const struct toolchain *tcp = NULL;
	struct host_os os;
	int id, ret = RPX_EXIT_OK;

	if ((id = cmd_parse(&p, ctx, &info, &a, argc, argv)) >= 0) {
		ret = id;
		goto out;
	}
	if (p.npos > 0) {
		ret = rpx_usage_error(ctx, info.name, "unexpected argument '%s'",
				      p.pos[0]);
		goto out;
	}
	tl.trace = ctx;
	toolchain_scan(&tl);
	tcp = toolchain_list_cargo(&tl);
	hostos_detect(&os);
	if (a.json) {
		print_json(ctx, &tl, tcp, &os);
	} else {
		print_toolchains(ctx, &tl, tcp);
		print_table(ctx, tcp, &os);
	}
out:
	toolchain_list_release(&tl);
	opt_release(&p);
	return ret;
}
