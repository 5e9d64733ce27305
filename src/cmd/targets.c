/* targets.c - `rpi-cross targets`: Pi targets, fitting boards, std state. */
#include "cmd.h"

#include "json.h"
#include "strbuf.h"
#include "toolchain.h"

static const struct opt opts[] = {
	OPT_JSON_ENTRY,
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static const struct cmd_info info = {
	"targets",
	"rpi-cross targets [--json]",
	"List the Rust targets for a Raspberry Pi, the boards each fits, and\n"
	"whether its standard library is installed.",
	"The std state is read from the sysroot of the rustc that Cargo would\n"
	"use ($RUSTC, PATH, then $CARGO_HOME/bin).",
	opts,
};

/* Boards whose CPU runs the target with an OS of the target's bitness. */
static void
fitting_boards(const struct target *t, struct strbuf *sb, struct json *j)
{
	const struct board *all;
	int n;

	all = board_all(&n);
	for (int i = 0; i < n; i++) {
		if (!target_runs_on(t, all[i].isa, all[i].can64, t->bits, NULL))
			continue;
		if (j != NULL)
			json_str(j, all[i].id);
		else
			strbuf_addf(sb, "%s%s", sb->len ? " " : "", all[i].id);
	}
}

int
cmd_targets(int argc, char **argv, struct ctx *ctx)
{
	struct opt_parser p;
	struct toolchain tc = TOOLCHAIN_INIT;
	const struct target *all;
	bool json = false, have_tc;
	int n, id, ret = RPX_EXIT_OK;

	opt_init(&p, ctx, info.name, opts, argc, argv);
	while ((id = opt_next(&p)) != OPT_DONE) {
		switch (id) {
		case OPT_JSON:
			json = true;
			break;
		case OPT_HELP:
			cmd_print_help(ctx, &info);
			goto out;
		default:
			ret = RPX_EXIT_USAGE;
			goto out;
		}
	}
	if (p.npos > 0) {
		ret = rpx_usage_error(ctx, info.name, "unexpected argument '%s'",
				      p.pos[0]);
		goto out;
	}
	have_tc = toolchain_find(&tc) == 0;
	all = target_all(&n);
	if (json) {
		struct json j;

		json_init(&j, ctx->out);
		json_obj_begin(&j);
		json_key(&j, "toolchain");
		if (have_tc) {
			json_obj_begin(&j);
			json_kstr(&j, "rustc", tc.rustc);
			json_kstr(&j, "version", tc.version);
			json_kstr(&j, "sysroot", tc.sysroot);
			json_obj_end(&j);
		} else {
			json_null(&j);
		}
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
				json_bool(&j, toolchain_has_std(&tc, t->triple));
			else
				json_null(&j);
			json_key(&j, "boards");
			json_arr_begin(&j);
			fitting_boards(t, NULL, &j);
			json_arr_end(&j);
			json_kstr(&j, "summary", t->summary);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_obj_end(&j);
		goto out;
	}
	if (have_tc)
		fprintf(ctx->out, "Toolchain: %s (%s)\n\n", tc.version, tc.rustc);
	else
		fprintf(ctx->out, "Toolchain: no rustc found (install Rust from "
			"rustup.rs or your package manager); std state unknown\n\n");
	fprintf(ctx->out, "%s%-37s %-5s %-4s %-9s %s%s\n",
		rpx_sgr(ctx->color_out, SGR_BOLD), "TARGET", "BITS", "LIBC",
		"STD", "BOARDS", rpx_sgr(ctx->color_out, SGR_RESET));
	for (int i = 0; i < n; i++) {
		const struct target *t = &all[i];
		struct strbuf boards = STRBUF_INIT;
		const char *std;
		bool has = have_tc && toolchain_has_std(&tc, t->triple);

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
out:
	toolchain_release(&tc);
	opt_release(&p);
	return ret;
}
