/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* boards.c - `rpi-cross boards`: the models, their targets and CPU. */
#include "cmd.h"

#include <string.h>

#include "json.h"

struct boards_args {
	bool json;
};

static const struct opt opts[] = {
	OPT_JSON_F(struct boards_args, json),
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static const struct cmd_info info = {
	"boards",
	"rpi-cross boards [--json] [BOARD]",
	"List the Raspberry Pi models, their CPU and the Rust targets that fit them.",
	"With BOARD (an id such as pi4, or a model name), show that board in\n"
	"detail: every OS/libc combination and why its target fits.",
	opts,
};

/* main.c's command table holds it (--help's list, the completions). */
const struct cmd_info *
cmd_boards_info(void)
{
	return &info;
}

static void
json_board(struct json *j, const struct board *b)
{
	static const enum libc libcs[] = { LIBC_GNU, LIBC_MUSL };

	json_obj_begin(j);
	json_kstr(j, "id", b->id);
	json_kstr(j, "name", b->name);
	json_kstr(j, "soc", b->soc);
	json_kstr(j, "core", b->cpu->core);
	json_kstr(j, "cpu", b->cpu->name);
	json_kint(j, "cores", b->cores);
	json_kstr(j, "isa", isa_name(b->cpu->isa));
	json_kstr(j, "ram", b->ram);
	json_kbool(j, "can_run_64bit", b->can64);
	json_kbool(j, "official_64bit_os", b->official64);
	json_kint(j, "default_os_bits", board_default_bits(b));
	json_key(j, "compatible");
	json_str(j, b->compatible);
	json_key(j, "targets");
	json_arr_begin(j);
	for (int bits = 32; bits <= 64; bits += 32) {
		for (size_t l = 0; l < ARRAY_SIZE(libcs); l++) {
			const char *why = NULL;
			const struct target *t =
				board_recommend(b, bits, libcs[l], &why);

			json_obj_begin(j);
			json_kint(j, "os_bits", bits);
			json_kstr(j, "libc", libc_name(libcs[l]));
			json_key(j, "triple");
			json_str(j, t ? t->triple : NULL);
			json_kstr(j, "reason", why);
			json_obj_end(j);
		}
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void
print_detail(const struct ctx *ctx, const struct board *b)
{
	FILE *f = ctx->out;
	const char *bold = rpx_sgr(ctx->color_out, SGR_BOLD);
	const char *off = rpx_sgr(ctx->color_out, SGR_RESET);

	fprintf(f, "%s%s%s (%s)\n", bold, b->name, off, b->id);
	fprintf(f, "  SoC:        %s, %d x %s (%s)\n", b->soc, b->cores,
		b->cpu->core, isa_name(b->cpu->isa));
	fprintf(f, "  target-cpu: %s\n", b->cpu->name);
	fprintf(f, "  RAM:        %s\n", b->ram);
	fprintf(f, "  64-bit OS:  %s\n", !b->can64 ? "no (32-bit CPU)" :
		b->official64 ? "yes" : "the CPU can, but not officially supported");
	for (int bits = 32; bits <= 64; bits += 32) {
		for (int l = 0; l < 2; l++) {
			const char *why = NULL;
			const struct target *t = board_recommend(
				b, bits, l ? LIBC_MUSL : LIBC_GNU, &why);

			fprintf(f, "  %d-bit OS, %-4s  %s\n      %s\n", bits,
				l ? "musl" : "gnu", t ? t->triple : "-", why);
		}
	}
}

int
cmd_boards(int argc, char **argv, struct ctx *ctx)
{
	struct opt_parser p;
	struct boards_args a = { false };
	bool json;
	const struct board *one = NULL, *all;
	int n, id, ret = RPX_EXIT_OK;

	if ((id = cmd_parse(&p, ctx, &info, &a, argc, argv)) >= 0) {
		ret = id;
		goto out;
	}
	json = a.json;
	if (p.npos > 1) {
		ret = rpx_usage_error(ctx, info.name,
				      "too many arguments (one BOARD at most)");
		goto out;
	}
	if (p.npos == 1 && cmd_parse_board(&p, p.pos[0], &one) != 0) {
		ret = RPX_EXIT_USAGE;
		goto out;
	}
	all = board_all(&n);
	if (one != NULL) {
		all = one;
		n = 1;
	}
	if (json) {
		struct json j;

		json_init(&j, ctx->out);
		json_doc_begin(&j);
		json_key(&j, "boards");
		json_arr_begin(&j);
		for (int i = 0; i < n; i++)
			json_board(&j, &all[i]);
		json_arr_end(&j);
		json_doc_end(&j);
		goto out;
	}
	if (one != NULL) {
		print_detail(ctx, one);
		goto out;
	}
	fprintf(ctx->out, "%s%-9s %-35s %-13s %-8s %s%s\n",
		rpx_sgr(ctx->color_out, SGR_BOLD), "ID", "MODEL", "CPU", "ISA",
		"TARGETS (32-bit OS, 64-bit OS)",
		rpx_sgr(ctx->color_out, SGR_RESET));
	for (int i = 0; i < n; i++) {
		const struct board *b = &all[i];
		const struct target *t32 = board_recommend(b, 32, LIBC_GNU, NULL);
		const struct target *t64 = board_recommend(b, 64, LIBC_GNU, NULL);

		fprintf(ctx->out, "%-9s %-35s %-13s %-8s %s%s%s\n", b->id,
			b->name, b->cpu->name, isa_name(b->cpu->isa), t32->triple,
			t64 ? ", " : "", t64 ? t64->triple : "");
	}
out:
	opt_release(&p);
	return ret;
}
