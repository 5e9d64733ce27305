/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * linkers.c - `rpi-cross linkers`: the cross linkers on this host for a
 * target, and whether each one really links a program for it.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "hostos.h"
#include "json.h"
#include "linker.h"
#include "strbuf.h"
#include "toolchain.h"

struct linkers_args {
	const struct target *target;
	const char *only;		/* --linker */
	int secs;			/* --probe-timeout */
	bool no_probe;
	bool json;
};

static int probe_timeout_opt(struct opt_parser *p, const struct opt *o,
			     void *field);

#define LA struct linkers_args
static const struct opt linkers_opts[] = {
	TARGET_OPT_F(LA, target),
	OPT_STRING_F("linker", 0, LA, only, "LINKER",
		     "check only this linker (a name on PATH, a path, or rust-lld)"),
	OPT_CALL_F("probe-timeout", LA, secs, "SECONDS", probe_timeout_opt,
		   "give each probe link this long (default 60)"),
	OPT_BOOL_F("no-probe", 0, LA, no_probe,
		   "only list the candidates, link nothing"),
	OPT_JSON_F(LA, json),
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};
#undef LA

static const struct cmd_info linkers_info = {
	"linkers",
	"rpi-cross linkers --target T [--linker L] [--probe-timeout SECONDS]\n"
	"                  [--no-probe] [--json]",
	"Find the cross linkers on this host and check that each really links\n"
	"a program for the target.",
	"Candidates: GNU cross gcc and bare ld for every known prefix of the\n"
	"target's family, clang with lld, rust-lld from each toolchain's\n"
	"sysroot, and zig, on PATH and in /usr/bin, /opt/homebrew/bin,\n"
	"/usr/local/bin, $CARGO_HOME/bin and /opt/*/bin. Each is probed in\n"
	"parallel: rustc links a hello-world with it when the target's std is\n"
	"installed, else it links a C hello-world. The result is read back:\n"
	"a linker that links the wrong machine, float ABI or ARM architecture\n"
	"for the target fails with that reason. The best working one is\n"
	"recommended with the Cargo settings it needs; when none works, the\n"
	"install command for this host is printed. With --linker, only that\n"
	"linker is checked (its kind told from its name). zig is run as\n"
	"'zig cc -target <zig's name>.2.17' through a script written into\n"
	"($XDG_DATA_HOME or ~/.local/share)/rpi-cross/zig/, which is what it\n"
	"probes and what Cargo's linker is set to.\n"
	"Exit status: 0 when one works, 1 when none does, 2 usage error.",
	linkers_opts,
};

/* main.c's command table holds it (--help's list, the completions). */
const struct cmd_info *
cmd_linkers_info(void)
{
	return &linkers_info;
}

static void
print_rustflags(FILE *f, char **flags)
{
	fputc('[', f);
	for (int i = 0; flags[i] != NULL; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", flags[i]);
	fputc(']', f);
}

static void
print_text(const struct ctx *ctx, const struct linker_scan *s,
	   const struct toolchain *tc, bool probed, const struct strbuf *cmd,
	   const struct strbuf *note)
{
	FILE *f = ctx->out;
	int w = 24;
	const char *bold = rpx_sgr(ctx->color_out, SGR_BOLD);
	const char *reset = rpx_sgr(ctx->color_out, SGR_RESET);

	fprintf(f, "%sLinkers for %s%s\n", bold, s->target->triple, reset);
	if (!probed)
		fprintf(f, "Probe: none (--no-probe)\n");
	else if (s->probe == LINKER_PROBE_RUSTC)
		fprintf(f, "Probe: %s (%s, %s, from %s%s%s) links a Rust "
			"hello-world with each candidate\n", tc->version,
			tc->rustc, toolchain_kind_name(tc->kind), tc->origin,
			tc->origin_where ? " in " : "",
			tc->origin_where ? tc->origin_where : "");
	else
		fprintf(f, "Probe: a C hello-world linked directly (%s)\n",
			s->probe_note);
	if (tc != NULL && tc->wrapper != NULL)
		fprintf(f, "Cargo wraps rustc in %s (%s); the probes call rustc "
			"directly\n", tc->wrapper, tc->wrapper_origin);
	fputc('\n', f);
	for (int i = 0; i < s->n; i++) {
		int len = (int)strlen(s->v[i].name);

		if (len > w && len <= 40)
			w = len;
	}
	for (int i = 0; i < s->n; i++) {
		const struct linker *l = &s->v[i];
		struct strbuf what = STRBUF_INIT;
		const char *tag = !probed ? "  -  " : l->works ? " ok  " :
				  "FAIL ";
		const char *col = !probed ? "" : rpx_sgr(ctx->color_out,
			l->works ? SGR_GREEN : SGR_RED);

		if (l->works)
			linker_elf_summary(l, &what);
		else if (l->why != NULL)
			strbuf_adds(&what, l->why);
		fprintf(f, "%s%s%s %-*s %-8s", col, tag, reset, w, l->name,
			linker_kind_name(l->kind));
		if (probed)
			fprintf(f, " %3lld.%lld s  %s probe", l->probe_ms / 1000,
				l->probe_ms % 1000 / 100,
				linker_probe_name(l->probe));
		fputc('\n', f);
		if (what.len)
			fprintf(f, "      %s\n", what.buf);
		if (strcmp(l->name, l->path) != 0)
			fprintf(f, "      path: %s\n", l->path);
		if (l->rustflags[0] != NULL) {
			fputs("      rustflags: ", f);
			print_rustflags(f, l->rustflags);
			fputc('\n', f);
		}
		if (l->note != NULL)
			fprintf(f, "      %snote: %s%s\n",
				rpx_sgr(ctx->color_out, SGR_DIM), l->note,
				reset);
		strbuf_release(&what);
	}
	if (s->n == 0)
		fprintf(f, "No linker candidates found for %s.\n",
			s->target->triple);
	fputc('\n', f);
	if (s->recommended >= 0) {
		const struct linker *l = &s->v[s->recommended];

		fprintf(f, "%sRecommended:%s %s%s%s%s\n", bold, reset, l->name,
			l->version ? " (" : "", l->version ? l->version : "",
			l->version ? ")" : "");
		fprintf(f, "Cargo config ($CARGO_HOME/config.toml or "
			"<project>/.cargo/config.toml):\n");
		fprintf(f, "  [target.%s]\n  linker = \"%s\"\n",
			s->target->triple, l->name);
		if (l->rustflags[0] != NULL) {
			fputs("  rustflags = ", f);
			print_rustflags(f, l->rustflags);
			fputc('\n', f);
		}
	} else if (probed) {
		fprintf(f, "%sNo working linker for %s.%s\n", bold,
			s->target->triple, reset);
	}
	if (probed && s->recommended < 0 && (cmd->len || note->len)) {
		if (cmd->len)
			fprintf(f, "Install one: %s\n", cmd->buf);
		if (note->len)
			fprintf(f, "%s%s\n", cmd->len ? "  " : "Advice: ",
				note->buf);
	}
	if (probed)
		fprintf(f, "\nProbed %d candidate%s in %lld.%lld s.\n", s->n,
			s->n == 1 ? "" : "s", s->elapsed_ms / 1000,
			s->elapsed_ms % 1000 / 100);
}

static void
print_json(const struct ctx *ctx, const struct linker_scan *s,
	   const struct toolchain *tc, bool have_tc, bool probed,
	   const struct strbuf *cmd, const struct strbuf *note)
{
	struct json j;

	json_init(&j, ctx->out);
	json_doc_begin(&j);
	json_kstr(&j, "target", s->target->triple);
	json_key(&j, "toolchain");
	if (have_tc) {
		json_obj_begin(&j);
		json_kstr(&j, "rustc", tc->rustc);
		json_kstr(&j, "version", tc->version);
		json_kstr(&j, "kind", toolchain_kind_name(tc->kind));
		json_kstr(&j, "origin", tc->origin);
		json_kstr(&j, "origin_where", tc->origin_where);
		json_kstr(&j, "rustc_wrapper", tc->wrapper);
		json_kstr(&j, "rustc_wrapper_origin", tc->wrapper_origin);
		json_kbool(&j, "std_installed",
			   toolchain_has_std(tc, s->target->triple));
		json_obj_end(&j);
	} else {
		json_null(&j);
	}
	json_kbool(&j, "probed", probed);
	json_kstr(&j, "probe", probed ? linker_probe_name(s->probe) : "none");
	json_kstr(&j, "probe_note", s->probe_note);
	json_kint(&j, "elapsed_ms", s->elapsed_ms);
	json_key(&j, "candidates");
	json_arr_begin(&j);
	for (int i = 0; i < s->n; i++) {
		const struct linker *l = &s->v[i];
		char mbuf[32];

		json_obj_begin(&j);
		json_kstr(&j, "name", l->name);
		json_kstr(&j, "path", l->path);
		json_kstr(&j, "kind", linker_kind_name(l->kind));
		json_kstr(&j, "origin", l->origin);
		json_kstr(&j, "version", l->version);
		json_key(&j, "works");
		if (probed)
			json_bool(&j, l->works);
		else
			json_null(&j);
		json_kstr(&j, "probe", linker_probe_name(l->probe));
		json_kstr(&j, "reason", l->why);
		json_kstr(&j, "note", l->note);
		json_kstr(&j, "wrapper", l->wrapper);
		json_kint(&j, "probe_ms", l->probe_ms);
		json_kint(&j, "rank", l->rank);
		json_kbool(&j, "recommended", i == s->recommended);
		json_key(&j, "elf");
		if (l->have_elf) {
			json_obj_begin(&j);
			json_kstr(&j, "machine", elf_machine_name(l->elf.machine,
						 mbuf, sizeof(mbuf)));
			json_kint(&j, "bits", l->elf.bits);
			json_kstr(&j, "float_abi", l->elf.machine != ELF_EM_ARM ?
				  NULL : l->elf.arm_hard_float ? "hard" : "soft");
			json_kstr(&j, "isa", isa_name(l->elf.isa));
			json_kstr(&j, "interp", l->elf.interp);
			json_kbool(&j, "static", l->elf.is_static);
			json_kstr(&j, "glibc_max", l->elf.glibc_max);
			json_obj_end(&j);
		} else {
			json_null(&j);
		}
		json_key(&j, "cargo");
		json_obj_begin(&j);
		json_kstr(&j, "linker", l->name);
		json_key(&j, "rustflags");
		json_arr_begin(&j);
		for (int k = 0; l->rustflags[k] != NULL; k++)
			json_str(&j, l->rustflags[k]);
		json_arr_end(&j);
		json_obj_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_kstr(&j, "recommended", s->recommended >= 0 ?
		  s->v[s->recommended].name : NULL);
	json_key(&j, "install");
	json_obj_begin(&j);
	json_kstr(&j, "command", cmd->len ? cmd->buf : NULL);
	json_kstr(&j, "note", note->len ? note->buf : NULL);
	json_obj_end(&j);
	json_doc_end(&j);
}

/* --probe-timeout: 1 to 3600 seconds */
static int
probe_timeout_opt(struct opt_parser *p, const struct opt *o, void *field)
{
	unsigned long secs;

	if (opt_parse_uint(p, o->name, p->arg, 3600, &secs) != 0)
		return OPT_ERROR;
	if (secs == 0) {
		rpx_usage_error(p->ctx, p->cmd, "--probe-timeout must be at "
				"least 1 second");
		return OPT_ERROR;
	}
	*(int *)field = (int)secs;
	return 0;
}

int
cmd_linkers(int argc, char **argv, struct ctx *ctx)
{
	struct opt_parser p;
	const struct toolchain *tc = NULL;
	struct toolchain own = TOOLCHAIN_INIT;
	struct linker_scan s = LINKER_SCAN_INIT;
	struct linker_opts lo = { NULL, NULL, 0, true, NULL };
	struct strbuf cmd = STRBUF_INIT, note = STRBUF_INIT;
	struct host_os os;
	const struct target *t = NULL;
	unsigned long secs;
	struct linkers_args a = { NULL, NULL, 60, false, false };
	const char *only;
	bool json, have_tc;
	int id, ret = RPX_EXIT_USAGE;

	if ((id = cmd_parse(&p, ctx, &linkers_info, &a, argc, argv)) >= 0) {
		ret = id;
		goto out;
	}
	t = a.target;
	only = a.only;
	secs = (unsigned long)a.secs;
	lo.probe = !a.no_probe;
	json = a.json;
	if (p.npos > 0) {
		rpx_usage_error(ctx, linkers_info.name,
				"unexpected argument '%s'", p.pos[0]);
		goto out;
	}
	if (t == NULL) {
		rpx_usage_error(ctx, linkers_info.name,
				"--target is required (see 'rpi-cross "
				"targets')");
		goto out;
	}
	/* only Cargo's rustc is run; other toolchains' rust-lld are found
	 * by their folders */
	have_tc = toolchain_find_traced(&own, ctx) == 0;
	tc = have_tc ? &own : NULL;
	lo.tc = tc;
	lo.trace = ctx;
	lo.all = NULL;
	lo.timeout_ms = (int)secs * 1000;
	if (only != NULL) {
		if (linker_check(t, only, &lo, &s) != 0) {
			rpx_errorf(ctx, "cannot find linker '%s' (not on PATH "
				   "and not in a toolchain's sysroot)", only);
			ret = RPX_EXIT_FAIL;
			goto out;
		}
	} else {
		linker_scan(t, &lo, &s);
	}
	hostos_detect(&os);
	linker_install_hint(t, &os, &cmd, &note);
	if (json)
		print_json(ctx, &s, tc, have_tc, lo.probe, &cmd, &note);
	else
		print_text(ctx, &s, tc, lo.probe, &cmd, &note);
	if (!lo.probe)
		ret = s.n > 0 ? RPX_EXIT_OK : RPX_EXIT_FAIL;
	else
		ret = s.recommended >= 0 ? RPX_EXIT_OK : RPX_EXIT_FAIL;
out:
	strbuf_release(&cmd);
	strbuf_release(&note);
	linker_scan_release(&s);
	toolchain_release(&own);
	opt_release(&p);
	return ret;
}
