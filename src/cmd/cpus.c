/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * cpus.c - `rpi-cross cpus`: the -C target-cpu values rustc knows for a
 * target, the board's own core first.
 */
#include "cmd.h"

#include <string.h>

#include "json.h"
#include "toolchain.h"

struct cpus_args {
	const struct target *target;
	const struct board *board;
	bool json;
};

static const struct opt cpus_opts[] = {
	TARGET_OPT_F(struct cpus_args, target),
	BOARD_OPT_F(struct cpus_args, board),
	OPT_JSON_F(struct cpus_args, json),
	OPT_HELP_ENTRY, OPT_END_TABLE,
};

static const struct cmd_info cpus_info = {
	"cpus",
	"rpi-cross cpus --target T [--board B] [--json]",
	"List the -C target-cpu values rustc knows for the target, the board's\n"
	"own core first.",
	"The list comes from 'rustc --target T --print target-cpus' of the\n"
	"rustc Cargo uses; when that rustc cannot list CPUs (a distro rustc\n"
	"built against a system LLVM may not), another rustc on this host is\n"
	"asked and named. With --board, the board's core comes first, marked\n"
	"'*'; the target's default CPU is marked 'default'.\n"
	"Exit status: 0 success, 1 no rustc or no list, 2 usage error.",
	cpus_opts,
};

/* main.c's command table holds it (--help's list, the completions). */
const struct cmd_info *
cmd_cpus_info(void)
{
	return &cpus_info;
}

/* List from Cargo's rustc, else from any other rustc that can. */
static int
get_list(const struct toolchain_list *all, const char *triple,
	 struct cpu_list *l, const struct toolchain **from, char *note,
	 size_t notesz, char *why, size_t whysz)
{
	const struct toolchain *first = toolchain_list_cargo(all);
	int r = RPX_ENOTFOUND, first_r = 0;

	note[0] = '\0';
	why[0] = '\0';
	*from = NULL;
	for (int i = -1; i < all->n; i++) {
		const struct toolchain *tc = i < 0 ? first : &all->v[i];
		char w[512];

		if (tc == NULL || (i >= 0 && tc == first))
			continue;
		r = toolchain_target_cpus(tc, triple, l, w, sizeof(w));
		if (r == 0) {
			*from = tc;
			if (tc != first && first == NULL)
				snprintf(note, notesz, "Cargo finds no rustc "
					 "on PATH");
			return 0;
		}
		if (first_r == 0) {
			first_r = r;
			snprintf(why, whysz, "%s", w);
			if (tc == first)
				snprintf(note, notesz, "%s", w);
		}
	}
	return first_r != 0 ? first_r : r;
}

int
cmd_cpus(int argc, char **argv, struct ctx *ctx)
{
	struct opt_parser p;
	struct toolchain_list all = TOOLCHAIN_LIST_INIT;
	struct cpu_list l = CPU_LIST_INIT;
	const struct toolchain *from = NULL;
	const struct target *t = NULL;
	const struct board *b = NULL;
	const char *fit_why = NULL, *def = NULL;
	struct cpus_args a = { NULL, NULL, false };
	char why[512], note[512];
	bool json, board_known = false;
	int id, r, ret = RPX_EXIT_USAGE;

	if ((id = cmd_parse(&p, ctx, &cpus_info, &a, argc, argv)) >= 0) {
		ret = id;
		goto out;
	}
	t = a.target;
	b = a.board;
	json = a.json;
	if (p.npos > 0) {
		rpx_usage_error(ctx, cpus_info.name, "unexpected argument '%s'",
				p.pos[0]);
		goto out;
	}
	if (t == NULL) {
		rpx_usage_error(ctx, cpus_info.name, "--target is required "
				"(see 'rpi-cross targets')");
		goto out;
	}
	ret = RPX_EXIT_FAIL;
	all.trace = ctx;
	toolchain_scan(&all);
	if (all.n == 0) {
		rpx_errorf(ctx, "no rustc found on PATH, in $CARGO_HOME/bin or "
			   "in /usr/bin: install Rust (https://rustup.rs or "
			   "your package manager) to list CPUs for '%s'",
			   t->triple);
		goto out;
	}
	r = get_list(&all, t->triple, &l, &from, note, sizeof(note), why,
		     sizeof(why));
	if (r != 0) {
		rpx_errorf(ctx, "cannot list CPUs for '%s': %s", t->triple, why);
		goto out;
	}
	for (int i = 0; i < l.n; i++)
		if (l.v[i].is_default)
			def = l.v[i].name;
	if (b != NULL) {
		board_known = cpu_list_find(&l, b->cpu->name) >= 0;
		if (!target_runs_on(t, b->cpu->isa, b->can64, t->bits, &fit_why))
			rpx_warnf(ctx, "%s does not run %s code: %s", b->name,
				  t->triple, fit_why);
	}
	if (json) {
		struct json j;

		json_init(&j, ctx->out);
		json_doc_begin(&j);
		json_kstr(&j, "target", t->triple);
		json_kstr(&j, "board", b ? b->id : NULL);
		json_kstr(&j, "board_cpu", b ? b->cpu->name : NULL);
		json_key(&j, "board_cpu_known");
		if (b != NULL)
			json_bool(&j, board_known);
		else
			json_null(&j);
		json_kstr(&j, "rustc", from->rustc);
		json_kstr(&j, "version", from->version);
		json_kstr(&j, "note", note[0] ? note : NULL);
		json_kstr(&j, "default", def);
		json_key(&j, "cpus");
		json_arr_begin(&j);
		if (b != NULL && !board_known) {
			json_obj_begin(&j);
			json_kstr(&j, "name", b->cpu->name);
			json_kbool(&j, "default", false);
			json_kbool(&j, "native", false);
			json_kbool(&j, "board", true);
			json_kbool(&j, "known", false);
			json_kstr(&j, "description", NULL);
			json_obj_end(&j);
		}
		for (int pass = 0; pass < 2; pass++)
			for (int i = 0; i < l.n; i++) {
				bool mine = b != NULL &&
					    strcmp(l.v[i].name, b->cpu->name) == 0;

				if (mine != (pass == 0))
					continue;
				json_obj_begin(&j);
				json_kstr(&j, "name", l.v[i].name);
				json_kbool(&j, "default", l.v[i].is_default);
				json_kbool(&j, "native", l.v[i].is_native);
				json_kbool(&j, "board", mine);
				json_kbool(&j, "known", true);
				json_kstr(&j, "description", l.v[i].desc);
				json_obj_end(&j);
			}
		json_arr_end(&j);
		json_doc_end(&j);
		ret = RPX_EXIT_OK;
		goto out;
	}
	if (note[0])
		rpx_notef(ctx, "note: %s; using %s instead", note, from->rustc);
	fprintf(ctx->out, "CPUs for %s (%s, %s):\n", t->triple, from->version,
		from->rustc);
	if (b != NULL)
		fprintf(ctx->out, "* %-20s %s's core (%s)%s\n", b->cpu->name, b->name,
			b->cpu->core, board_known ? "" :
			": not known to this rustc for this target");
	for (int i = 0; i < l.n; i++) {
		if (b != NULL && strcmp(l.v[i].name, b->cpu->name) == 0)
			continue;
		if (l.v[i].is_default)
			fprintf(ctx->out, "  %-20s default\n", l.v[i].name);
		else if (l.v[i].is_native)
			fprintf(ctx->out, "  %-20s this host's CPU\n",
				l.v[i].name);
		else
			fprintf(ctx->out, "  %s\n", l.v[i].name);
	}
	if (b != NULL && board_known)
		fprintf(ctx->out, "\nFor %s: -C target-cpu=%s\n", b->name,
			b->cpu->name);
	ret = RPX_EXIT_OK;
out:
	cpu_list_release(&l);
	toolchain_list_release(&all);
	opt_release(&p);
	return ret;
}
