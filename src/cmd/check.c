/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * check.c - `rpi-cross check FILE...`: on which Raspberry Pi OS release,
 * word size and board family each file runs, as a table, JSON or a
 * Markdown "which download for which Pi" table; --require gates a CI.
 *
 * The facts come from release.h's data and the verdict from
 * release_verdict(); this file only reads the files, parses the SPECs and
 * prints.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "json.h"
#include "release.h"

struct check_args {
	bool json;
	bool markdown;
	const char *require;
	const char *releases;
};

static const struct opt opts[] = {
	OPT_JSON_F(struct check_args, json),
	OPT_BOOL_F("markdown", 0, struct check_args, markdown,
		   "print a Markdown table: which file for which Pi"),
	OPT_STRING_F("require", 0, struct check_args, require, "SPEC,...",
		     "exit 1 unless a file runs on each SPEC: BOARD[-RELEASE]"
		     "[-32|-64]"),
	OPT_STRING_F("releases", 0, struct check_args, releases, "FILE",
		     "read the release data from FILE, not the built-in copy"),
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static const struct cmd_info info = {
	"check",
	"rpi-cross check [--json|--markdown] [--require SPEC,...] FILE...",
	"Tell on which Raspberry Pi OS release and board each program runs.",
	"For each ELF file, a table of the Raspberry Pi OS releases (32- and\n"
	"64-bit) by board family: runs, or why not (architecture, word size,\n"
	"ARMv7 code on ARMv6, float ABI, loader, GLIBC_x.y, library sonames,\n"
	"and a 32-bit file's time_t against the OS's libraries: trixie's\n"
	"32-bit OS has a 64-bit time_t).\n"
	"A SPEC is a board id ('rpi-cross boards'), optionally with a release\n"
	"and word size: zero, pi4-bookworm-32, pi5-trixie-64. It is met when\n"
	"some FILE runs on some variant it names.",
	opts,
};

/* One file read, and its verdicts: [release][0 32-bit, 1 64-bit][family]. */
struct checked {
	const char *path;
	bool ok;
	struct elf_info elf;
	struct rpx_err err;
	struct verdict_out out[REL_MAX][2][FAM_COUNT];
};

/* A parsed --require SPEC: release NULL or bits 0 mean any. */
struct spec {
	const char *text;
	const struct board *board;
	const struct pi_release *rel;
	int bits;
};

static void
judge(struct checked *c, const struct pi_releases *rs)
{
	for (int r = 0; r < rs->n; r++)
		for (int w = 0; w < 2; w++) {
			const struct rel_variant *v =
				release_variant(&rs->r[r], w ? 64 : 32);

			for (int f = 0; f < FAM_COUNT; f++) {
				struct verdict_out *o = &c->out[r][w][f];

				if (v == NULL) {
					o->v = VERDICT_NONE;
					snprintf(o->cell, sizeof(o->cell), "-");
					continue;
				}
				release_verdict(&c->elf, v,
						(enum board_family)f, o);
			}
		}
}

static const char *
float_abi(const struct elf_info *e)
{
	if (e->machine != ELF_EM_ARM)
		return "";
	return e->arm_hard_float ? ", hard-float" :
		e->arm_soft_float ? ", soft-float" : ", float ABI unknown";
}

static void
print_summary(FILE *f, const struct checked *c)
{
	const struct elf_info *e = &c->elf;
	char mbuf[32];

	fprintf(f, "%s: %s %d-bit%s%s%s", c->path,
		elf_machine_name(e->machine, mbuf, sizeof(mbuf)), e->bits,
		e->isa != ISA_UNKNOWN ? ", " : "",
		e->isa != ISA_UNKNOWN ? isa_name(e->isa) : "", float_abi(e));
	if (e->is_static)
		fprintf(f, ", static");
	else
		fprintf(f, ", loader %s", e->interp);
	if (e->glibc_max[0] != '\0')
		fprintf(f, ", needs GLIBC_%s", e->glibc_max);
	if (e->time_bits != 0)
		fprintf(f, ", %d-bit time_t (calls %s)", e->time_bits,
			e->time_sym);
	for (int i = 0; i < e->n_needed; i++)
		fprintf(f, "%s%s", i ? " " : ", libraries ", e->needed[i]);
	fprintf(f, "\n");
}

static void
print_table(const struct ctx *ctx, const struct checked *c,
	    const struct pi_releases *rs)
{
	FILE *f = ctx->out;
	const char *bold = rpx_sgr(ctx->color_out, SGR_BOLD);
	const char *off = rpx_sgr(ctx->color_out, SGR_RESET);
	int width = 8;
	const char *checked = NULL;

	for (int r = 0; r < rs->n; r++)
		for (int w = 0; w < 2; w++)
			for (int fa = 0; fa < FAM_COUNT; fa++) {
				int n = (int)strlen(c->out[r][w][fa].cell);

				if (n + 2 > width)
					width = n + 2;
			}
	print_summary(f, c);
	fprintf(f, "%s%-17s", bold, "OS");
	for (int fa = 0; fa < FAM_COUNT; fa++)
		fprintf(f, "%-*s", fa + 1 < FAM_COUNT ? width : 0,
			family_title((enum board_family)fa));
	fprintf(f, "%s\n", off);
	for (int r = 0; r < rs->n; r++)
		for (int w = 0; w < 2; w++) {
			char row[40];

			snprintf(row, sizeof(row), "%s %d-bit",
				 rs->r[r].name, w ? 64 : 32);
			fprintf(f, "%-17s", row);
			for (int fa = 0; fa < FAM_COUNT; fa++)
				fprintf(f, "%-*s", fa + 1 < FAM_COUNT ?
					width : 0, c->out[r][w][fa].cell);
			fprintf(f, "\n");
		}
	/* each distinct reason once, in table order */
	for (int i = 0; i < rs->n * 2 * FAM_COUNT; i++) {
		const struct verdict_out *o = &c->out[0][0][0] + i;
		bool seen = false;

		if (o->v == VERDICT_RUNS && checked == NULL)
			checked = o->checked;
		if (o->v != VERDICT_FAILS)
			continue;
		for (int k = 0; k < i && !seen; k++)
			seen = strcmp((&c->out[0][0][0] + k)->why, o->why) == 0;
		if (!seen)
			fprintf(f, "  %s: %s\n", o->cell, o->why);
	}
	if (checked != NULL)
		fprintf(f, "  runs: checked %s\n", checked);
	fprintf(f, "\n");
}

static void
json_file(struct json *j, const struct checked *c,
	  const struct pi_releases *rs)
{
	const struct elf_info *e = &c->elf;
	char mbuf[32];

	json_obj_begin(j);
	json_kstr(j, "path", c->path);
	if (!c->ok) {
		json_kstr(j, "error", c->err.msg);
		json_obj_end(j);
		return;
	}
	json_kstr(j, "machine", elf_machine_name(e->machine, mbuf,
						 sizeof(mbuf)));
	json_kint(j, "bits", e->bits);
	json_key(j, "isa");
	json_str(j, e->isa != ISA_UNKNOWN ? isa_name(e->isa) : NULL);
	json_key(j, "float_abi");
	json_str(j, e->machine != ELF_EM_ARM ? NULL : e->arm_hard_float ?
		 "hard" : e->arm_soft_float ? "soft" : NULL);
	json_kbool(j, "static", e->is_static);
	json_key(j, "interp");
	json_str(j, e->is_static ? NULL : e->interp);
	json_key(j, "glibc");
	json_str(j, e->glibc_max[0] ? e->glibc_max : NULL);
	json_key(j, "time_bits");
	if (e->time_bits != 0)
		json_int(j, e->time_bits);
	else
		json_null(j);
	json_key(j, "needed");
	json_arr_begin(j);
	for (int i = 0; i < e->n_needed; i++)
		json_str(j, e->needed[i]);
	json_arr_end(j);
	json_key(j, "variants");
	json_arr_begin(j);
	for (int r = 0; r < rs->n; r++)
		for (int w = 0; w < 2; w++) {
			const struct rel_variant *v =
				release_variant(&rs->r[r], w ? 64 : 32);

			if (v == NULL)
				continue;
			json_obj_begin(j);
			json_kstr(j, "release", rs->r[r].name);
			json_kint(j, "debian", rs->r[r].debian);
			json_kint(j, "bits", v->bits);
			json_kstr(j, "arch", v->arch);
			json_kstr(j, "glibc", v->glibc);
			json_key(j, "boards");
			json_arr_begin(j);
			for (int fa = 0; fa < FAM_COUNT; fa++) {
				const struct verdict_out *o = &c->out[r][w][fa];

				json_obj_begin(j);
				json_kstr(j, "family",
					  family_id((enum board_family)fa));
				json_key(j, "runs");
				if (o->v == VERDICT_NONE)
					json_null(j);
				else
					json_bool(j, o->v == VERDICT_RUNS);
				json_kstr(j, "cell", o->cell);
				json_kstr(j, "why", o->why);
				json_obj_end(j);
			}
			json_arr_end(j);
			json_obj_end(j);
		}
	json_arr_end(j);
	json_obj_end(j);
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static void
print_markdown(FILE *f, const struct checked *cs, int n,
	       const struct pi_releases *rs)
{
	fprintf(f, "| Raspberry Pi |");
	for (int r = 0; r < rs->n; r++)
		for (int w = 0; w < 2; w++)
			if (release_variant(&rs->r[r], w ? 64 : 32) != NULL)
				fprintf(f, " %s %d-bit |", rs->r[r].name,
					w ? 64 : 32);
	fprintf(f, "\n|---|");
	for (int r = 0; r < rs->n; r++)
		for (int w = 0; w < 2; w++)
			if (release_variant(&rs->r[r], w ? 64 : 32) != NULL)
				fprintf(f, "---|");
	fprintf(f, "\n");
	for (int fa = 0; fa < FAM_COUNT; fa++) {
		fprintf(f, "| %s |", family_boards((enum board_family)fa));
		for (int r = 0; r < rs->n; r++)
			for (int w = 0; w < 2; w++) {
				int found = 0;

				if (release_variant(&rs->r[r], w ? 64 : 32) ==
				    NULL)
					continue;
				if (!family_runs_bits((enum board_family)fa,
						      w ? 64 : 32)) {
					fprintf(f, " no %d-bit OS |",
						w ? 64 : 32);
					continue;
				}
				for (int i = 0; i < n; i++)
					if (cs[i].ok && cs[i].out[r][w][fa].v ==
					    VERDICT_RUNS)
						fprintf(f, "%s`%s`", found++ ?
							", " : " ",
							base_name(cs[i].path));
				fprintf(f, "%s |", found ? "" : " none");
			}
		fprintf(f, "\n");
	}
}

/* BOARD[-RELEASE][-32|-64], in any order after the board. */
static int
parse_spec(struct opt_parser *p, const struct pi_releases *rs, char *text,
	   struct spec *s)
{
	char *save = NULL;
	char *tok = strtok_r(text, "-", &save);

	if (tok == NULL || cmd_parse_board(p, tok, &s->board) != 0)
		return RPX_EINVAL;
	while ((tok = strtok_r(NULL, "-", &save)) != NULL) {
		if (strcmp(tok, "32") == 0 || strcmp(tok, "64") == 0)
			s->bits = atoi(tok);
		else if ((s->rel = release_find(rs, tok)) == NULL) {
			char names[REL_MAX * 26] = "";

			for (int i = 0; i < rs->n; i++)
				snprintf(names + strlen(names),
					 sizeof(names) - strlen(names), "%s%s",
					 i ? ", " : "", rs->r[i].name);
			rpx_usage_error(p->ctx, "check", "--require %s: '%s' "
					"is neither a release (%s) nor 32 or 64",
					s->text, tok, names);
			return RPX_EINVAL;
		}
	}
	if (s->bits == 64 &&
	    !family_runs_bits(board_family_of(s->board), 64)) {
		rpx_usage_error(p->ctx, "check", "--require %s: the %s has no "
				"64-bit Raspberry Pi OS", s->text,
				s->board->name);
		return RPX_EINVAL;
	}
	return 0;
}

/* Some file runs on some variant the spec names. */
static bool
spec_met(const struct spec *s, const struct checked *cs, int n,
	 const struct pi_releases *rs)
{
	enum board_family fa = board_family_of(s->board);

	for (int i = 0; i < n; i++)
		for (int r = 0; r < rs->n && cs[i].ok; r++)
			for (int w = 0; w < 2; w++)
				if ((s->rel == NULL || s->rel == &rs->r[r]) &&
				    (s->bits == 0 || s->bits == (w ? 64 : 32)) &&
				    cs[i].out[r][w][fa].v == VERDICT_RUNS)
					return true;
	return false;
}

/* Parse --require into specs (*nspecs); a usage error returns nonzero. */
static int
parse_require(struct opt_parser *p, const struct pi_releases *rs,
	      const char *require, char **copy, struct spec **specs,
	      int *nspecs)
{
	char *save = NULL, *item;

	*copy = xstrdup(require);
	*specs = xcalloc(strlen(require) + 1, sizeof(**specs));
	*nspecs = 0;
	for (item = strtok_r(*copy, ",", &save); item != NULL;
	     item = strtok_r(NULL, ",", &save)) {
		struct spec *s = &(*specs)[(*nspecs)++];
		char one[64];

		s->text = item;
		snprintf(one, sizeof(one), "%s", item);
		if (parse_spec(p, rs, one, s) != 0)
			return RPX_EINVAL;
	}
	if (*nspecs == 0)
		return rpx_usage_error(p->ctx, "check",
				       "--require needs at least one SPEC");
	return 0;
}

static int
report(struct ctx *ctx, const struct check_args *a, struct checked *cs,
       int n, const struct pi_releases *rs, const struct spec *specs,
       int nspecs)
{
	int ret = RPX_EXIT_OK;
	struct json j;

	for (int i = 0; i < n; i++)
		if (!cs[i].ok)
			ret = RPX_EXIT_FAIL;
	if (a->json) {
		json_init(&j, ctx->out);
		json_doc_begin(&j);
		json_key(&j, "files");
		json_arr_begin(&j);
		for (int i = 0; i < n; i++)
			json_file(&j, &cs[i], rs);
		json_arr_end(&j);
		json_key(&j, "require");
		json_arr_begin(&j);
	} else if (a->markdown) {
		print_markdown(ctx->out, cs, n, rs);
	} else {
		for (int i = 0; i < n; i++)
			if (cs[i].ok)
				print_table(ctx, &cs[i], rs);
	}
	for (int k = 0; k < nspecs; k++) {
		bool met = spec_met(&specs[k], cs, n, rs);

		if (!met)
			ret = RPX_EXIT_FAIL;
		if (a->json) {
			json_obj_begin(&j);
			json_kstr(&j, "spec", specs[k].text);
			json_kbool(&j, "met", met);
			json_obj_end(&j);
		} else if (!met) {
			rpx_errorf(ctx, "--require %s: no file runs there",
				   specs[k].text);
		}
	}
	if (a->json) {
		json_arr_end(&j);
		json_kbool(&j, "ok", ret == RPX_EXIT_OK);
		json_doc_end(&j);
	}
	return ret;
}

const struct cmd_info *
cmd_check_info(void)
{
	return &info;
}

int
cmd_check(int argc, char **argv, struct ctx *ctx)
{
	struct opt_parser p;
	struct check_args a = { false, false, NULL, NULL };
	struct pi_releases *rs = NULL;
	struct checked *cs = NULL;
	struct spec *specs = NULL;
	char *copy = NULL;
	struct rpx_err err;
	int id, nspecs = 0, ret = RPX_EXIT_OK;

	if ((id = cmd_parse(&p, ctx, &info, &a, argc, argv)) >= 0) {
		ret = id;
		goto out;
	}
	if (a.json && a.markdown) {
		ret = rpx_usage_error(ctx, info.name, "--json and --markdown "
				      "exclude each other");
		goto out;
	}
	if (p.npos == 0) {
		ret = rpx_usage_error(ctx, info.name, "no FILE to check");
		goto out;
	}
	rpx_err_clear(&err);
	if (release_load(a.releases, &rs, &err) != 0) {
		rpx_errorf(ctx, "release data: %s%s%s", err.path,
			   err.path[0] ? ": " : "", err.msg);
		if (err.line > 0)
			rpx_err_print(ctx->err, &err);
		ret = RPX_EXIT_FAIL;
		goto out;
	}
	if (a.require != NULL &&
	    parse_require(&p, rs, a.require, &copy, &specs, &nspecs) != 0) {
		ret = RPX_EXIT_USAGE;
		goto out;
	}
	cs = xcalloc((size_t)p.npos, sizeof(*cs));
	for (int i = 0; i < p.npos; i++) {
		cs[i].path = p.pos[i];
		rpx_err_clear(&cs[i].err);
		cs[i].ok = elf_read_file(p.pos[i], &cs[i].elf,
					 &cs[i].err) == 0;
		if (cs[i].ok)
			judge(&cs[i], rs);
		else
			rpx_errorf(ctx, "%s: %s", p.pos[i], cs[i].err.msg);
	}
	ret = report(ctx, &a, cs, p.npos, rs, specs, nspecs);
out:
	free(cs);
	free(specs);
	free(copy);
	release_free(rs);
	opt_release(&p);
	return ret;
}
