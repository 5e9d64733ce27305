/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * verdict.c - whether one ELF file runs on one Raspberry Pi OS variant on
 * one board family (release.h), and the board families themselves.
 *
 * The one place `rpi-cross check`, `run` and `test` decide; the cell text
 * is short enough for a table column, the sentence says what fails on the
 * Pi and why.
 */
#include "release.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *id, *title, *boards;
	enum isa isa;
	bool can64;
} families[FAM_COUNT] = {
	[FAM_ARMV6] = { "armv6", "ARMv6", "Pi 1/Zero/Zero W/CM1", ISA_ARMV6,
			false },
	[FAM_ARMV7] = { "armv7", "ARMv7", "Pi 2", ISA_ARMV7, false },
	[FAM_ARMV8] = { "armv8", "ARMv8", "Pi 2 v1.2/3/Zero 2 W/CM3",
			ISA_ARMV8, true },
	[FAM_PI4] = { "pi4", "Pi 4", "Pi 4/400/CM4", ISA_ARMV8, true },
	[FAM_PI5] = { "pi5", "Pi 5", "Pi 5/500/CM5", ISA_ARMV8_2, true },
};

const char *
family_id(enum board_family f)
{
	return families[f].id;
}

const char *
family_title(enum board_family f)
{
	return families[f].title;
}

const char *
family_boards(enum board_family f)
{
	return families[f].boards;
}

enum isa
family_isa(enum board_family f)
{
	return families[f].isa;
}

bool
family_runs_bits(enum board_family f, int bits)
{
	return bits == 32 || families[f].can64;
}

enum board_family
board_family_of(const struct board *b)
{
	/* by SoC: the BCM2837 boards and the RP3A0 share the ARMv8 column */
	if (strcmp(b->soc, "BCM2711") == 0)
		return FAM_PI4;
	if (strcmp(b->soc, "BCM2712") == 0)
		return FAM_PI5;
	switch (b->cpu->isa) {
	case ISA_ARMV6:
		return FAM_ARMV6;
	case ISA_ARMV7:
		return FAM_ARMV7;
	default:
		return FAM_ARMV8;
	}
}

static enum verdict
say(struct verdict_out *o, enum verdict v, const char *cell,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum verdict
say(struct verdict_out *o, enum verdict v, const char *cell,
    const char *fmt, ...)
{
	va_list ap;

	o->v = v;
	snprintf(o->cell, sizeof(o->cell), "%s", cell);
	va_start(ap, fmt);
	vsnprintf(o->why, sizeof(o->why), fmt, ap);
	va_end(ap);
	return v;
}

/* The soname's stem: "libssl.so.3" -> "libssl". */
static void
soname_stem(const char *soname, char *buf, size_t bufsz)
{
	const char *so = strstr(soname, ".so");
	size_t n = so ? (size_t)(so - soname) : strlen(soname);

	snprintf(buf, bufsz, "%.*s", (int)n, soname);
}

static const struct rel_lib *
lib_find(const struct rel_variant *v, const char *stem)
{
	for (int i = 0; i < v->n_libs; i++)
		if (strcmp(v->libs[i].stem, stem) == 0)
			return &v->libs[i];
	return NULL;
}

static bool
loader_present(const struct rel_variant *v, const char *interp)
{
	for (int i = 0; i < v->n_loaders; i++)
		if (strcmp(v->loaders[i], interp) == 0)
			return true;
	return false;
}

/*
 * A 32-bit ARM file's time_t against the variant's, for each library it
 * needs whose interface holds a time_t: glibc has entry points for both
 * sizes, those libraries only one (the sonames stayed the same).
 */
static enum verdict
time_verdict(const struct elf_info *info, const struct rel_variant *v,
	     struct verdict_out *o)
{
	int os_time = v->time64 ? 64 : 32;

	if (info->machine != ELF_EM_ARM || v->bits != 32 ||
	    info->time_bits == 0 || info->time_bits == os_time)
		return VERDICT_RUNS;
	for (int i = 0; i < info->n_needed; i++) {
		char stem[64], cell[24];

		soname_stem(info->needed[i], stem, sizeof(stem));
		for (int k = 0; k < v->n_time_libs; k++) {
			if (strcmp(v->time_libs[k], stem) != 0)
				continue;
			snprintf(cell, sizeof(cell), "%d-bit time_t",
				 info->time_bits);
			return say(o, VERDICT_FAILS, cell, "it was built with "
				   "a %d-bit time_t (it calls %s) and needs "
				   "%s, which this %s OS builds with a %d-bit "
				   "time_t: every time_t passed to or from it "
				   "(alone or in a struct) is read wrong",
				   info->time_bits, info->time_sym,
				   info->needed[i], v->arch, os_time);
		}
	}
	return VERDICT_RUNS;
}

/* The dynamic-linking checks: loader, glibc, libraries, time_t. */
static enum verdict
dynamic_verdict(const struct elf_info *info, const struct rel_variant *v,
		struct verdict_out *o)
{
	if (v->n_loaders > 0 && !loader_present(v, info->interp))
		return say(o, VERDICT_FAILS, "no loader",
			   "it needs the loader %s, which the %s OS lacks: "
			   "\"No such file or directory\"", info->interp,
			   v->arch);
	if (info->glibc_max[0] != '\0' && v->glibc[0] != '\0' &&
	    elf_version_cmp(info->glibc_max, v->glibc) > 0) {
		char cell[24];

		snprintf(cell, sizeof(cell), "GLIBC_%s", info->glibc_max);
		return say(o, VERDICT_FAILS, cell, "it needs GLIBC_%s, the "
			   "release has glibc %s: \"GLIBC_%s not found\"",
			   info->glibc_max, v->glibc, info->glibc_max);
	}
	for (int i = 0; i < info->n_needed; i++) {
		char stem[64];
		const struct rel_lib *l;
		bool found = false;

		soname_stem(info->needed[i], stem, sizeof(stem));
		l = lib_find(v, stem);
		if (l == NULL)
			continue;	/* not in the data: not judged */
		for (int k = 0; k < l->n_sonames; k++)
			if (strcmp(l->sonames[k], info->needed[i]) == 0)
				found = true;
		if (!found) {
			char cell[24];

			snprintf(cell, sizeof(cell), "no %.20s",
				 info->needed[i]);
			return say(o, VERDICT_FAILS, cell, "it needs %s, the "
				   "release ships %s: \"cannot open shared "
				   "object file\"", info->needed[i],
				   l->sonames[0]);
		}
	}
	return time_verdict(info, v, o);
}

enum verdict
release_verdict(const struct elf_info *info, const struct rel_variant *v,
		enum board_family f, struct verdict_out *o)
{
	enum isa cpu = families[f].isa;
	char buf[32];

	memset(o, 0, sizeof(*o));
	if (!family_runs_bits(f, v->bits))
		return say(o, VERDICT_NONE, "-", "no %d-bit Raspberry Pi OS "
			   "for the %s", v->bits, families[f].boards);
	if (info->machine != ELF_EM_ARM && info->machine != ELF_EM_AARCH64)
		return say(o, VERDICT_FAILS, "not ARM", "it is built for %s: "
			   "\"Exec format error\"",
			   elf_machine_name(info->machine, buf, sizeof(buf)));
	if (info->machine == ELF_EM_AARCH64 && v->bits == 32)
		return say(o, VERDICT_FAILS, "64-bit", "a 64-bit program on a "
			   "32-bit OS: \"Exec format error\" or \"No such "
			   "file or directory\"");
	if (info->machine == ELF_EM_ARM && info->isa != ISA_UNKNOWN &&
	    info->isa > cpu) {
		snprintf(buf, sizeof(buf), "%s code", isa_name(info->isa));
		return say(o, VERDICT_FAILS, buf, "it contains %s code, the "
			   "%s have %s CPUs: \"Illegal instruction\"",
			   isa_name(info->isa), families[f].boards,
			   isa_name(cpu));
	}
	/* on a 64-bit OS the missing loader says it better */
	if (info->machine == ELF_EM_ARM && !info->is_static &&
	    !info->arm_hard_float && v->bits == 32)
		return say(o, VERDICT_FAILS, "soft-float", "a soft-float "
			   "(armel) program: the hard-float OS has no %s "
			   "loader or libraries for it", "armel");
	if (info->is_static) {
		snprintf(o->checked, sizeof(o->checked), "machine, word "
			 "size%s (static: no loader, glibc or libraries "
			 "needed)", info->machine == ELF_EM_ARM ? ", ISA" : "");
		return say(o, VERDICT_RUNS, "runs", "static: runs without "
			   "the OS's loader or libraries");
	}
	if (dynamic_verdict(info, v, o) != VERDICT_RUNS)
		return o->v;
	snprintf(o->checked, sizeof(o->checked), "machine, word size,%s "
		 "loader, glibc %s, libraries%s", info->machine == ELF_EM_ARM ?
		 " ISA, float ABI," : "", v->glibc, info->machine ==
		 ELF_EM_ARM && v->bits == 32 && info->time_bits != 0 ?
		 (info->time_bits == 64 ? ", time_t (64-bit)" :
		  ", time_t (32-bit)") : "");
	return say(o, VERDICT_RUNS, "runs", "runs (checked: %s)", o->checked);
}

/* The family of a Pi whose board is unknown: by its CPU. */
static enum board_family
family_of_cpu(enum isa cpu, int bits)
{
	switch (cpu) {
	case ISA_ARMV6:
		return FAM_ARMV6;
	case ISA_ARMV7:
		return bits == 64 ? FAM_ARMV8 : FAM_ARMV7;
	case ISA_ARMV8:
		return FAM_ARMV8;
	default:
		return FAM_PI5;	/* unknown: no ISA is too new */
	}
}

/* What to build instead, after the sentence of a failed row. */
static void
add_fix(const struct elf_info *info, const struct rel_variant *v,
	enum board_family f, struct verdict_out *o)
{
	const char *fix = NULL;
	char buf[96];

	if (strcmp(o->cell, "64-bit") == 0)
		fix = "build for armv7-unknown-linux-gnueabihf";
	else if (info->machine == ELF_EM_ARM && v->bits == 64 &&
		 strcmp(o->cell, "no loader") == 0)
		fix = "build for aarch64-unknown-linux-gnu, or link statically";
	else if (strstr(o->cell, " code") != NULL && f == FAM_ARMV6)
		fix = "build for arm-unknown-linux-gnueabihf with an ARMv6 "
		      "toolchain, or musl";
	else if (strncmp(o->cell, "GLIBC_", 6) == 0) {
		snprintf(buf, sizeof(buf), "build against glibc <= %s, e.g. "
			 "with musl or the Pi's sysroot", v->glibc);
		fix = buf;
	} else if (strstr(o->cell, "time_t") != NULL) {
		snprintf(buf, sizeof(buf), "build with a %d-bit time_t, as "
			 "the Pi's libraries", v->time64 ? 64 : 32);
		fix = buf;
	}
	if (fix != NULL)
		snprintf(o->why + strlen(o->why), sizeof(o->why) -
			 strlen(o->why), " (%s)", fix);
}

enum verdict
release_verdict_pi(const struct elf_info *info, const char *codename,
		   int os_bits, const char *glibc, const struct board *board,
		   enum isa cpu, struct verdict_out *o)
{
	struct pi_releases *rs = NULL;
	struct rel_variant *row = xcalloc(1, sizeof(*row));
	const struct rel_variant *known = NULL;
	enum board_family f;
	struct rpx_err err;
	int bits = os_bits == 32 || os_bits == 64 ? os_bits : info->bits;

	rpx_err_clear(&err);
	if (codename != NULL && codename[0] != '\0' &&
	    release_load(NULL, &rs, &err) == 0 &&
	    release_find(rs, codename) != NULL)
		known = release_variant(release_find(rs, codename), bits);
	if (known != NULL) {
		*row = *known;
	} else {
		/* only what the Pi told: no loader or library to judge */
		row->bits = bits;
		snprintf(row->arch, sizeof(row->arch), "%s",
			 bits == 64 ? "arm64" : "armhf");
	}
	snprintf(row->glibc, sizeof(row->glibc), "%s", glibc ? glibc : "");
	f = board != NULL ? board_family_of(board) : family_of_cpu(cpu, bits);
	if (!family_runs_bits(f, bits))
		f = FAM_ARMV8;	/* the Pi runs it: its board says otherwise */
	if (release_verdict(info, row, f, o) == VERDICT_FAILS)
		add_fix(info, row, f, o);
	release_free(rs);
	free(row);
	return o->v;
}
