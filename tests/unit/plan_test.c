/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* plan_test.c - defaults, reasons and contradictions of plan_complete(). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "plan.h"
#include "rpx.h"

#define assert_has(hay, needle) do { \
	if (strstr((hay), (needle)) == NULL) \
		fail_msg("'%s' lacks '%s'", (hay), (needle)); \
} while (0)

/* Complete a plan from a board id, bits (0: unset), libc (-1: unset)
 * and a target triple (NULL: unset); returns plan_complete()'s result. */
static int
complete(struct plan *p, const char *board, int bits, int libc,
	 const char *triple, struct rpx_err *err)
{
	plan_init(p);
	if (board != NULL) {
		p->board = board_find(board);
		assert_non_null(p->board);
		plan_note(p, PF_BOARD, PLAN_FLAG, "given");
	}
	if (bits != 0) {
		p->os_bits = bits;
		plan_note(p, PF_BITS, PLAN_FLAG, "given");
	}
	if (libc >= 0) {
		p->libc = (enum libc)libc;
		plan_note(p, PF_LIBC, PLAN_FLAG, "given");
	}
	if (triple != NULL) {
		p->target = target_find(triple);
		assert_non_null(p->target);
		plan_note(p, PF_TARGET, PLAN_PROFILE, "saved");
	}
	return plan_complete(p, err);
}

/* Every board x bits (unset/32/64) x libc (unset/gnu/musl). */
static void
test_every_board_bits_libc(void **state)
{
	const struct board *all;
	int n;

	(void)state;
	all = board_all(&n);
	for (int i = 0; i < n; i++) {
		const struct board *b = &all[i];

		for (int bits = 0; bits <= 64; bits += 32) {
			for (int libc = -1; libc <= LIBC_MUSL; libc++) {
				struct plan p;
				struct rpx_err err = RPX_ERR_INIT;
				int r = complete(&p, b->id, bits, libc, NULL,
						 &err);
				int want_bits = bits ? bits :
					(b->official64 ? 64 : 32);
				enum libc want_libc = libc < 0 ? LIBC_GNU :
					(enum libc)libc;

				if (bits == 64 && !b->can64) {
					assert_int_equal(r, RPX_EINVAL);
					assert_has(err.msg, "64-bit OS (flag)");
					assert_has(err.msg, "32-bit CPU");
					assert_has(err.msg, b->name);
					assert_has(err.msg, b->cpu->isa == ISA_ARMV6 ?
						   " arm-unknown-linux-" :
						   " armv7-unknown-linux-");
					assert_has(err.msg, want_libc == LIBC_MUSL ?
						   "-musleabihf" : "-gnueabihf");
					plan_release(&p);
					continue;
				}
				if (r != 0)
					fail_msg("%s/%d/%d: %s", b->id, bits,
						 libc, err.msg);
				assert_int_equal(p.os_bits, want_bits);
				assert_int_equal(p.libc, want_libc);
				assert_non_null(p.target);
				assert_int_equal(p.target->bits, want_bits);
				assert_int_equal(p.target->libc, want_libc);
				assert_true(p.target->pi_os);
				assert_true(target_runs_on(p.target, b->cpu->isa,
							   b->can64, want_bits,
							   NULL));
				/* ARMv6 boards get the arm- baseline, the
				 * others armv7 (32-bit) or aarch64. */
				if (want_bits == 64)
					assert_true(rpx_starts_with(
						p.target->triple, "aarch64-"));
				else if (b->cpu->isa == ISA_ARMV6)
					assert_true(rpx_starts_with(
						p.target->triple, "arm-"));
				else
					assert_true(rpx_starts_with(
						p.target->triple, "armv7-"));
				assert_string_equal(p.cpu, b->cpu->name);
				assert_int_equal(p.scope, PLAN_SCOPE_GLOBAL);
				assert_false(p.build_target);
				assert_false(p.runner);
				assert_non_null(p.linker);
				assert_string_equal(p.linker,
					want_libc == LIBC_MUSL ? "rust-lld" :
					(want_bits == 64 ? "aarch64-linux-gnu-gcc" :
					 "arm-linux-gnueabihf-gcc"));
				for (int f = 0; f < PF_COUNT; f++) {
					assert_int_not_equal(p.notes[f].src,
							     PLAN_UNSET);
					if (p.notes[f].why[0] == '\0')
						fail_msg("%s/%d/%d: no reason "
							 "for %s", b->id, bits,
							 libc,
							 plan_field_name(f));
				}
				if (bits == 0)
					assert_int_equal(p.notes[PF_BITS].src,
							 PLAN_DEFAULT);
				else
					assert_int_equal(p.notes[PF_BITS].src,
							 PLAN_FLAG);
				assert_int_equal(p.notes[PF_TARGET].src,
						 PLAN_DEFAULT);
				plan_release(&p);
			}
		}
	}
}

static void
test_reasons(void **state)
{
	struct plan p;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	/* gnu by default, with the trade-off sentence. */
	assert_int_equal(complete(&p, "pi4", 0, -1, NULL, &err), 0);
	assert_string_equal(p.target->triple, "aarch64-unknown-linux-gnu");
	assert_has(p.notes[PF_LIBC].why, "needs a glibc no newer than the Pi's");
	assert_has(p.notes[PF_LIBC].why, "musl: static");
	assert_has(p.notes[PF_LIBC].why, "slower allocator");
	assert_has(p.notes[PF_BITS].why, "64-bit");
	assert_has(p.notes[PF_CPU].why, "Cortex-A72");
	assert_has(p.notes[PF_CONFIG].why, "global");
	assert_int_equal(p.nwarnings, 0);
	plan_release(&p);

	/* Pi Zero: 32-bit CPU, arm- target, the Illegal instruction warning
	 * about Debian's cross gcc. */
	assert_int_equal(complete(&p, "zero", 0, -1, NULL, &err), 0);
	assert_string_equal(p.target->triple, "arm-unknown-linux-gnueabihf");
	assert_has(p.notes[PF_BITS].why, "32-bit CPU");
	assert_has(p.notes[PF_TARGET].why, "Illegal instruction");
	assert_has(p.notes[PF_LINKER].why, "ARMv6");
	assert_string_equal(p.cpu, "arm1176jzf-s");
	plan_release(&p);

	/* Pi 2 v1.2: can run 64-bit, but no official OS: 32 by default. */
	assert_int_equal(complete(&p, "pi2v12", 0, -1, NULL, &err), 0);
	assert_int_equal(p.os_bits, 32);
	assert_has(p.notes[PF_BITS].why, "does not support this board");
	plan_release(&p);

	/* A target without a board: bits and libc follow the target, the
	 * CPU stays generic. */
	assert_int_equal(complete(&p, NULL, 0, -1,
				  "armv7-unknown-linux-musleabihf", &err), 0);
	assert_int_equal(p.os_bits, 32);
	assert_int_equal(p.libc, LIBC_MUSL);
	assert_null(p.cpu);
	assert_null(p.board);
	assert_has(p.notes[PF_CPU].why, "generic");
	assert_has(p.notes[PF_LIBC].why, "armv7-unknown-linux-musleabihf");
	assert_string_equal(p.linker, "rust-lld");
	assert_has(p.notes[PF_LINKER].why, "pure-Rust");
	plan_release(&p);
}

static void
test_old_pi_glibc_recommends_musl(void **state)
{
	struct plan p;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	plan_init(&p);
	p.board = board_find("pi4");
	plan_set_str(&p.pi_glibc, "2.31");
	plan_note(&p, PF_BOARD, PLAN_DETECTED, "probed");
	assert_int_equal(plan_complete(&p, &err), 0);
	assert_int_equal(p.libc, LIBC_MUSL);
	assert_string_equal(p.target->triple, "aarch64-unknown-linux-musl");
	assert_has(p.notes[PF_LIBC].why, "glibc 2.31");
	assert_has(p.notes[PF_LIBC].why, PLAN_TOOLCHAIN_GLIBC);
	assert_has(p.notes[PF_LIBC].why, "static");
	plan_release(&p);

	/* The same glibc as the toolchain: gnu. */
	plan_init(&p);
	p.board = board_find("pi4");
	plan_set_str(&p.pi_glibc, "2.36");
	assert_int_equal(plan_complete(&p, &err), 0);
	assert_int_equal(p.libc, LIBC_GNU);
	assert_int_equal(p.nwarnings, 0);
	plan_release(&p);

	/* An older toolchain (messense's 2.28) makes 2.31 fine. */
	plan_init(&p);
	p.board = board_find("pi3");
	plan_set_str(&p.pi_glibc, "2.31");
	plan_set_str(&p.toolchain_glibc, "2.28");
	assert_int_equal(plan_complete(&p, &err), 0);
	assert_int_equal(p.libc, LIBC_GNU);
	plan_release(&p);

	/* gnu chosen anyway: allowed, with a warning that explains. */
	plan_init(&p);
	p.board = board_find("pi4");
	plan_set_str(&p.pi_glibc, "2.28");
	p.libc = LIBC_GNU;
	plan_note(&p, PF_LIBC, PLAN_USER, NULL);
	assert_int_equal(plan_complete(&p, &err), 0);
	assert_int_equal(p.libc, LIBC_GNU);
	assert_int_equal(p.nwarnings, 1);
	assert_has(p.warnings[0], "2.28");
	assert_has(p.warnings[0], "GLIBC_2.x not found");
	plan_release(&p);
}

static void
test_target_does_not_run_on_board(void **state)
{
	struct plan p;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	assert_int_equal(complete(&p, "zero", 0, -1,
				  "armv7-unknown-linux-gnueabihf", &err),
			 RPX_EINVAL);
	assert_has(err.msg, "does not run on the Raspberry Pi Zero");
	assert_has(err.msg, "Illegal instruction");
	assert_has(err.msg, "arm-unknown-linux-gnueabihf");
	assert_has(err.msg, "(profile)");
	plan_release(&p);

	assert_int_equal(complete(&p, "pi1b", 0, -1,
				  "aarch64-unknown-linux-gnu", &err),
			 RPX_EINVAL);
	assert_has(err.msg, "32-bit only");
	assert_has(err.msg, "arm-unknown-linux-gnueabihf");
	plan_release(&p);

	assert_int_equal(complete(&p, "pi4", 0, -1,
				  "arm-unknown-linux-gnueabi", &err),
			 RPX_EINVAL);
	assert_has(err.msg, "soft-float");
	plan_release(&p);

	/* The ARMv6 baseline runs everywhere. */
	assert_int_equal(complete(&p, "pi5", 0, -1,
				  "arm-unknown-linux-gnueabihf", &err), 0);
	assert_int_equal(p.os_bits, 32);
	plan_release(&p);
}

static void
test_64bit_os_on_32bit_board(void **state)
{
	struct plan p;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	assert_int_equal(complete(&p, "pi2", 64, -1, NULL, &err), RPX_EINVAL);
	assert_has(err.msg, "64-bit OS (flag) cannot run on the Raspberry Pi 2");
	assert_has(err.msg, "Cortex-A7");
	assert_has(err.msg, "armv7-unknown-linux-gnueabihf");
	plan_release(&p);
}

static void
test_bits_libc_disagree_with_target(void **state)
{
	struct plan p;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	assert_int_equal(complete(&p, "pi4", 64, -1,
				  "armv7-unknown-linux-gnueabihf", &err),
			 RPX_EINVAL);
	assert_has(err.msg, "64-bit OS (flag) disagrees with target "
		   "armv7-unknown-linux-gnueabihf (profile), which is 32-bit");
	assert_has(err.msg, "aarch64-unknown-linux-gnu");
	plan_release(&p);

	assert_int_equal(complete(&p, NULL, 32, -1,
				  "aarch64-unknown-linux-musl", &err),
			 RPX_EINVAL);
	assert_has(err.msg, "which is 64-bit");
	assert_has(err.msg, "armv7-unknown-linux-musleabihf");
	plan_release(&p);

	assert_int_equal(complete(&p, "pi3", 0, LIBC_MUSL,
				  "armv7-unknown-linux-gnueabihf", &err),
			 RPX_EINVAL);
	assert_has(err.msg, "libc musl (flag) disagrees with target");
	assert_has(err.msg, "which uses gnu");
	assert_has(err.msg, "armv7-unknown-linux-musleabihf");
	plan_release(&p);

	assert_int_equal(complete(&p, "zero", 0, LIBC_GNU,
				  "arm-unknown-linux-musleabihf", &err),
			 RPX_EINVAL);
	assert_has(err.msg, "arm-unknown-linux-gnueabihf");
	plan_release(&p);

	/* Agreeing answers are fine. */
	assert_int_equal(complete(&p, "pi4", 32, LIBC_GNU,
				  "armv7-unknown-linux-gnueabihf", &err), 0);
	plan_release(&p);
}

static int
complete_cpu(struct plan *p, const char *board, const char *triple,
	     const char *cpu, const struct plan_hooks *hooks,
	     struct rpx_err *err)
{
	plan_init(p);
	if (board != NULL)
		p->board = board_find(board);
	p->target = target_find(triple);
	plan_set_str(&p->cpu, cpu);
	plan_note(p, PF_CPU, PLAN_FLAG, NULL);
	return plan_complete_with(p, hooks, err);
}

static void
test_cpu_contradictions(void **state)
{
	struct plan p;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	/* aarch64 has no 32-bit-only cores. */
	assert_int_equal(complete_cpu(&p, "pi4", "aarch64-unknown-linux-gnu",
				      "arm1176jzf-s", NULL, &err), RPX_EINVAL);
	assert_has(err.msg, "does not exist for target aarch64-unknown-linux-gnu");
	assert_has(err.msg, "cortex-a72");
	plan_release(&p);
	assert_int_equal(complete_cpu(&p, NULL, "aarch64-unknown-linux-musl",
				      "cortex-a7", NULL, &err), RPX_EINVAL);
	assert_has(err.msg, "Cortex-A7");
	plan_release(&p);

	/* Every Pi core exists for the 32-bit targets (rustc 1.95). */
	assert_int_equal(complete_cpu(&p, NULL, "armv7-unknown-linux-gnueabihf",
				      "cortex-a76", NULL, &err), 0);
	assert_int_equal(p.nwarnings, 0);
	plan_release(&p);

	/* A CPU newer than the board: Illegal instruction. */
	assert_int_equal(complete_cpu(&p, "zero", "arm-unknown-linux-gnueabihf",
				      "cortex-a53", NULL, &err), RPX_EINVAL);
	assert_has(err.msg, "newer than the Raspberry Pi Zero's ARM1176JZF-S");
	assert_has(err.msg, "Illegal instruction");
	assert_has(err.msg, "arm1176jzf-s");
	plan_release(&p);

	/* native is the build machine. */
	assert_int_equal(complete_cpu(&p, "pi5", "aarch64-unknown-linux-gnu",
				      "native", NULL, &err), RPX_EINVAL);
	assert_has(err.msg, "machine that builds");
	assert_has(err.msg, "cortex-a76");
	plan_release(&p);

	/* Older than the target's baseline: a warning only. */
	assert_int_equal(complete_cpu(&p, "pi4", "armv7-unknown-linux-gnueabihf",
				      "arm1176jzf-s", NULL, &err), 0);
	assert_int_equal(p.nwarnings, 1);
	assert_has(p.warnings[0], "below what target");
	plan_release(&p);

	/* Not a Pi core and no hook: accepted, unchecked, said so. */
	assert_int_equal(complete_cpu(&p, "pi4", "aarch64-unknown-linux-gnu",
				      "neoverse-n1", NULL, &err), 0);
	assert_int_equal(p.nwarnings, 1);
	assert_has(p.warnings[0], "not checked");
	plan_release(&p);
}

/* A hook that knows a fixed list and counts its calls. */
struct fake {
	int cpu_calls;
	int linker_calls;
	int linker_answer;
};

static int
fake_cpu_known(void *opaque, const struct target *t, const char *cpu,
	       char *why, size_t whysz)
{
	struct fake *f = opaque;

	f->cpu_calls++;
	if (strcmp(cpu, "cortex-a72") == 0 || strcmp(cpu, "generic") == 0)
		return 1;
	if (strcmp(cpu, "mystery") == 0)
		return RPX_ECHILD;
	snprintf(why, whysz, "not in the %s list", t->triple);
	return 0;
}

static int
fake_linker_links(void *opaque, const struct target *t, const char *linker,
		  char *why, size_t whysz)
{
	struct fake *f = opaque;

	(void)t;
	f->linker_calls++;
	if (f->linker_answer == 0)
		snprintf(why, whysz, "probe link of %s failed", linker);
	return f->linker_answer;
}

static void
test_hooks(void **state)
{
	struct fake fk = { 0, 0, 1 };
	struct plan_hooks hooks = { &fk, fake_cpu_known, fake_linker_links };
	struct plan p;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	assert_int_equal(complete_cpu(&p, "pi4", "aarch64-unknown-linux-gnu",
				      "cortex-a72", &hooks, &err), 0);
	assert_int_equal(fk.cpu_calls, 1);
	assert_int_equal(fk.linker_calls, 1);
	assert_int_equal(p.nwarnings, 0);
	plan_release(&p);

	assert_int_equal(complete_cpu(&p, "pi4", "aarch64-unknown-linux-gnu",
				      "neoverse-n1", &hooks, &err), RPX_EINVAL);
	assert_has(err.msg, "rustc does not know CPU 'neoverse-n1'");
	assert_has(err.msg, "not in the aarch64-unknown-linux-gnu list");
	plan_release(&p);

	assert_int_equal(complete_cpu(&p, "pi4", "aarch64-unknown-linux-gnu",
				      "mystery", &hooks, &err), 0);
	assert_int_equal(p.nwarnings, 1);
	assert_has(p.warnings[0], "could not ask rustc");
	plan_release(&p);

	/* A given linker that cannot link: a contradiction. */
	fk.linker_answer = 0;
	plan_init(&p);
	p.board = board_find("pi3");
	plan_set_str(&p.linker, "clang");
	plan_note(&p, PF_LINKER, PLAN_FLAG, NULL);
	assert_int_equal(plan_complete_with(&p, &hooks, &err), RPX_EINVAL);
	assert_has(err.msg, "linker clang (flag) cannot link for "
		   "aarch64-unknown-linux-gnu (gnu): probe link of clang failed");
	plan_release(&p);

	/* The recommended one failing is a warning, not a contradiction. */
	plan_init(&p);
	p.board = board_find("pi3");
	assert_int_equal(plan_complete_with(&p, &hooks, &err), 0);
	assert_int_equal(p.nwarnings, 1);
	assert_has(p.warnings[0], "recommended linker aarch64-linux-gnu-gcc");
	plan_release(&p);

	/* NULL hooks: no call at all. */
	fk.cpu_calls = fk.linker_calls = 0;
	assert_int_equal(complete_cpu(&p, "pi4", "aarch64-unknown-linux-gnu",
				      "cortex-a72", NULL, &err), 0);
	assert_int_equal(fk.cpu_calls + fk.linker_calls, 0);
	plan_release(&p);
}

static void
test_linker_contradictions(void **state)
{
	static const struct {
		const char *board, *linker, *want;
	} cases[] = {
		{ "pi4", "aarch64-linux-gnu-gcc", NULL },
		{ "pi2", "aarch64-linux-gnu-gcc", "links 64-bit aarch64 code" },
		{ "pi4", "/usr/bin/arm-linux-gnueabihf-gcc", "links 32-bit ARM code" },
		{ "pi2", "arm-linux-gnueabihf-ld", "is a bare ld" },
		{ "pi2", "arm-linux-gnueabihf-gcc", NULL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct plan p;
		struct rpx_err err = RPX_ERR_INIT;
		int r;

		plan_init(&p);
		p.board = board_find(cases[i].board);
		plan_set_str(&p.linker, cases[i].linker);
		r = plan_complete(&p, &err);
		if (cases[i].want == NULL) {
			assert_int_equal(r, 0);
		} else {
			assert_int_equal(r, RPX_EINVAL);
			assert_has(err.msg, cases[i].want);
			assert_has(err.msg, "use ");
		}
		plan_release(&p);
	}
}

static void
test_nothing_to_plan_and_scope(void **state)
{
	struct plan p;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	plan_init(&p);
	assert_int_equal(plan_complete(&p, &err), RPX_EINVAL);
	assert_has(err.msg, "nothing to plan from");
	plan_release(&p);

	plan_init(&p);
	p.board = board_find("pi4");
	p.scope = PLAN_SCOPE_PROJECT;
	plan_note(&p, PF_CONFIG, PLAN_FLAG, NULL);
	assert_int_equal(plan_complete(&p, &err), RPX_EINVAL);
	assert_has(err.msg, "no project folder");
	plan_set_str(&p.project_dir, "/tmp/x");
	assert_int_equal(plan_complete(&p, &err), 0);
	assert_int_equal(p.scope, PLAN_SCOPE_PROJECT);
	plan_release(&p);

	plan_init(&p);
	p.board = board_find("pi4");
	p.build_target = true;
	plan_note(&p, PF_BUILD_TARGET, PLAN_FLAG, NULL);
	p.runner = true;
	plan_note(&p, PF_RUNNER, PLAN_FLAG, NULL);
	assert_int_equal(plan_complete(&p, &err), 0);
	assert_int_equal(p.nwarnings, 2);
	assert_has(p.warnings[0], "every project");
	assert_has(p.warnings[1], "needs a Pi");
	plan_release(&p);
}

static void
test_reset_and_recomplete(void **state)
{
	struct plan p;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	assert_int_equal(complete(&p, "pi4", 0, -1, NULL, &err), 0);
	/* Completing again changes nothing. */
	assert_int_equal(plan_complete(&p, &err), 0);
	assert_string_equal(p.target->triple, "aarch64-unknown-linux-gnu");
	/* The wizard changes the board: defaults must follow. */
	p.board = board_find("zero");
	assert_int_equal(plan_complete(&p, &err), RPX_EINVAL);
	plan_reset_defaults(&p);
	assert_null(p.target);
	assert_null(p.cpu);
	assert_int_equal(p.os_bits, 0);
	assert_int_equal(p.notes[PF_BOARD].src, PLAN_FLAG);
	assert_int_equal(plan_complete(&p, &err), 0);
	assert_string_equal(p.target->triple, "arm-unknown-linux-gnueabihf");
	assert_string_equal(p.cpu, "arm1176jzf-s");
	plan_release(&p);
}

static void
test_names_and_versions(void **state)
{
	struct plan p;

	(void)state;
	assert_string_equal(plan_field_name(PF_BOARD), "board");
	assert_string_equal(plan_field_name(PF_HOST), "host");
	assert_string_equal(plan_field_name(PF_COUNT), "unknown");
	assert_string_equal(plan_src_name(PLAN_FLAG), "flag");
	assert_string_equal(plan_src_name(PLAN_PROFILE), "profile");
	assert_string_equal(plan_src_name(PLAN_ENV), "environment");
	assert_int_equal(plan_scope_parse("project"), PLAN_SCOPE_PROJECT);
	assert_int_equal(plan_scope_parse("nope"), -1);
	assert_string_equal(plan_scope_name(PLAN_SCOPE_FILE), "file");
	assert_true(plan_version_cmp("2.31", "2.36") < 0);
	assert_true(plan_version_cmp("2.36", "2.36") == 0);
	assert_true(plan_version_cmp("2.4", "2.36") < 0);
	assert_true(plan_version_cmp("2.41", "2.36") > 0);
	assert_true(plan_version_cmp("3", "2.99") > 0);
	assert_true(plan_version_cmp("x", "2.36") == 0);

	plan_init(&p);
	plan_set_str(&p.host, "pi@pi4");
	plan_set_str(&p.host, "pi@pi5");
	assert_string_equal(p.host, "pi@pi5");
	plan_set_str(&p.host, NULL);
	assert_null(p.host);
	plan_note(&p, PF_HOST, PLAN_ENV, "from %s", "RPI_CROSS_HOST");
	assert_string_equal(p.notes[PF_HOST].why, "from RPI_CROSS_HOST");
	p.link_args = xcalloc(2, sizeof(char *));
	p.link_args[0] = xstrdup("-fuse-ld=lld");
	plan_release(&p);
	assert_null(p.link_args);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_board_bits_libc),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_old_pi_glibc_recommends_musl),
		cmocka_unit_test(test_target_does_not_run_on_board),
		cmocka_unit_test(test_64bit_os_on_32bit_board),
		cmocka_unit_test(test_bits_libc_disagree_with_target),
		cmocka_unit_test(test_cpu_contradictions),
		cmocka_unit_test(test_hooks),
		cmocka_unit_test(test_linker_contradictions),
		cmocka_unit_test(test_nothing_to_plan_and_scope),
		cmocka_unit_test(test_reset_and_recomplete),
		cmocka_unit_test(test_names_and_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
