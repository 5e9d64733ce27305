/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * wizard_test.c - the wizard without a terminal: the step machine and the
 * plan it fills, the rows of each step's list, the steps' jobs (the ui's
 * curses-free helpers are in ui_helpers_test.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "board.h"
#include "hostos.h"
#include "rpx.h"
#include "target.h"
#include "testdir.h"
#include "wizard.h"

/* A wizard whose toolchain search answered "found" (sysroot may be NULL). */
static void
wizard_found(struct wizard *w, const char *sysroot)
{
	struct toolchain tc = TOOLCHAIN_INIT;

	wizard_init(w);
	tc.rustc = xstrdup("/usr/bin/rustc");
	tc.version = xstrdup("rustc 1.95.0");
	tc.sysroot = sysroot ? xstrdup(sysroot) : xstrdup("/nonexistent-sysroot");
	wizard_set_toolchain(w, &tc, 0);
	assert_null(tc.rustc);	/* ownership moved */
}

static void
test_welcome_needs_a_toolchain(void **state)
{
	struct wizard w;
	struct toolchain none = TOOLCHAIN_INIT;
	const char *why = NULL;

	(void)state;
	wizard_init(&w);
	assert_int_equal(w.step, WIZ_WELCOME);
	assert_false(wizard_check(&w, &why));
	assert_non_null(strstr(why, "still looking"));
	assert_int_equal(wizard_next(&w), RPX_EINVAL);
	assert_int_equal(wizard_back(&w), RPX_EINVAL);
	wizard_set_toolchain(&w, &none, RPX_ENOTFOUND);
	assert_int_equal(w.tc_state, WIZ_TC_MISSING);
	assert_false(wizard_check(&w, &why));
	assert_non_null(strstr(why, "install Rust"));
	assert_int_equal(wizard_next(&w), RPX_EINVAL);
	assert_int_equal(w.step, WIZ_WELCOME);
	assert_int_equal(wizard_std_installed(&w), -1);
	wizard_release(&w);

	wizard_found(&w, NULL);
	assert_int_equal(w.tc_state, WIZ_TC_FOUND);
	assert_string_equal(w.plan.rustc, "/usr/bin/rustc");
	assert_true(wizard_check(&w, NULL));
	assert_int_equal(wizard_next(&w), 0);
	assert_int_equal(w.step, WIZ_BOARD);
	wizard_release(&w);
}

static void
test_board_step_needs_a_board(void **state)
{
	struct wizard w;
	const char *why = NULL;

	(void)state;
	wizard_found(&w, NULL);
	wizard_next(&w);
	assert_false(wizard_check(&w, &why));
	assert_string_equal(why, "choose a board first");
	assert_int_equal(wizard_next(&w), RPX_EINVAL);
	assert_int_equal(wizard_back(&w), 0);
	assert_int_equal(w.step, WIZ_WELCOME);
	wizard_next(&w);
	wizard_set_board(&w, board_find("pi4"));
	assert_int_equal(wizard_next(&w), 0);
	assert_int_equal(w.step, WIZ_OS);
	wizard_release(&w);
}

static void
test_zero_w_is_armv6_and_32_bit_only(void **state)
{
	struct wizard w;
	const char *why = NULL;

	(void)state;
	wizard_found(&w, NULL);
	wizard_set_board(&w, board_find("zerow"));
	assert_string_equal(w.plan.board->id, "zerow");
	assert_int_equal(w.plan.notes[PF_BOARD].src, PLAN_USER);
	assert_int_equal(w.plan.os_bits, 32);
	assert_int_equal(w.plan.notes[PF_BITS].src, PLAN_DEFAULT);
	assert_int_equal(w.plan.libc, LIBC_GNU);
	assert_string_equal(w.plan.target->triple, "arm-unknown-linux-gnueabihf");
	assert_int_equal(w.plan.notes[PF_TARGET].src, PLAN_DEFAULT);
	assert_non_null(strstr(w.plan.notes[PF_TARGET].why, "Illegal instruction"));
	assert_string_equal(w.plan.cpu, "arm1176jzf-s");
	assert_int_equal(w.plan.notes[PF_CPU].src, PLAN_DEFAULT);
	/* 64-bit is refused and nothing changes */
	assert_false(wizard_bits_allowed(&w, 64, &why));
	assert_string_equal(why, "this board's CPU is 32-bit only");
	assert_int_equal(wizard_set_bits(&w, 64), RPX_EINVAL);
	assert_int_equal(w.plan.os_bits, 32);
	assert_string_equal(w.plan.target->triple, "arm-unknown-linux-gnueabihf");
	assert_false(wizard_bits_allowed(&w, 48, NULL));
	/* musl keeps the ARMv6 baseline */
	wizard_set_libc(&w, LIBC_MUSL);
	assert_string_equal(w.plan.target->triple, "arm-unknown-linux-musleabihf");
	assert_int_equal(w.plan.notes[PF_LIBC].src, PLAN_USER);
	wizard_release(&w);
}

static void
test_pi4_bits_and_libc(void **state)
{
	struct wizard w;

	(void)state;
	wizard_found(&w, NULL);
	wizard_set_board(&w, board_find("pi4"));
	assert_int_equal(w.plan.os_bits, 64);
	assert_string_equal(w.plan.target->triple, "aarch64-unknown-linux-gnu");
	assert_string_equal(w.plan.cpu, "cortex-a72");
	assert_int_equal(wizard_set_bits(&w, 32), 0);
	assert_int_equal(w.plan.notes[PF_BITS].src, PLAN_USER);
	assert_string_equal(w.plan.target->triple, "armv7-unknown-linux-gnueabihf");
	wizard_set_libc(&w, LIBC_MUSL);
	assert_string_equal(w.plan.target->triple, "armv7-unknown-linux-musleabihf");
	assert_int_equal(wizard_set_bits(&w, 64), 0);
	assert_string_equal(w.plan.target->triple, "aarch64-unknown-linux-musl");
	/* choosing another board resets word size and libc to its defaults */
	wizard_set_board(&w, board_find("pi3"));
	assert_int_equal(w.plan.os_bits, 64);
	assert_int_equal(w.plan.libc, LIBC_GNU);
	assert_int_equal(w.plan.notes[PF_LIBC].src, PLAN_DEFAULT);
	assert_string_equal(w.plan.cpu, "cortex-a53");
	/* a Pi 2 v1.2 can run 64-bit, not officially: 32 by default */
	wizard_set_board(&w, board_find("pi2v12"));
	assert_int_equal(w.plan.os_bits, 32);
	assert_true(wizard_bits_allowed(&w, 64, NULL));
	assert_non_null(strstr(w.plan.notes[PF_BITS].why, "does not support"));
	wizard_release(&w);
}

static int
find_cpu(const struct wiz_cpu *c, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0)
			return i;
	return -1;
}

static void
test_cpu_choices_fit_the_target(void **state)
{
	struct wizard w;
	struct wiz_cpu c[8];
	int n;

	(void)state;
	wizard_found(&w, NULL);
	assert_int_equal(wizard_cpu_choices(&w, c, 8), 0);	/* no board */
	wizard_set_board(&w, board_find("pi4"));	/* aarch64 */
	n = wizard_cpu_choices(&w, c, 8);
	assert_string_equal(c[0].name, "cortex-a72");
	assert_true(c[0].board_core);
	assert_string_equal(c[1].name, "generic");
	assert_int_equal(find_cpu(c, n, "arm1176jzf-s"), -1);
	assert_int_equal(find_cpu(c, n, "cortex-a7"), -1);
	assert_true(c[find_cpu(c, n, "cortex-a53")].usable);
	assert_false(c[find_cpu(c, n, "cortex-a76")].usable);
	assert_non_null(strstr(c[find_cpu(c, n, "cortex-a76")].why,
			       "Illegal instruction"));
	/* armv7 on the same board: Cortex-A7 fits, ARM1176 does not */
	wizard_set_bits(&w, 32);
	n = wizard_cpu_choices(&w, c, 8);
	assert_true(c[find_cpu(c, n, "cortex-a7")].usable);
	assert_int_equal(find_cpu(c, n, "arm1176jzf-s"), -1);
	/* a Zero: its own core, and every newer one refused */
	wizard_set_board(&w, board_find("zero"));
	n = wizard_cpu_choices(&w, c, 8);
	assert_int_equal(n, 6);
	assert_string_equal(c[0].name, "arm1176jzf-s");
	for (int i = 2; i < n; i++)
		assert_false(c[i].usable);
	/* the limit is honoured */
	assert_int_equal(wizard_cpu_choices(&w, c, 2), 2);
	wizard_release(&w);
}

static void
test_set_cpu(void **state)
{
	struct wizard w;

	(void)state;
	wizard_found(&w, NULL);
	assert_int_equal(wizard_set_cpu(&w, "cortex-a53", PLAN_USER), RPX_EINVAL);
	wizard_set_board(&w, board_find("pi4"));
	assert_int_equal(wizard_set_cpu(&w, "cortex-a76", PLAN_USER), RPX_EINVAL);
	assert_string_equal(w.plan.cpu, "cortex-a72");
	assert_int_equal(wizard_set_cpu(&w, "arm1176jzf-s", PLAN_USER), RPX_EINVAL);
	assert_int_equal(wizard_set_cpu(&w, "bad name!", PLAN_USER), RPX_EINVAL);
	assert_int_equal(wizard_set_cpu(&w, "", PLAN_USER), RPX_EINVAL);
	assert_int_equal(wizard_set_cpu(&w, "cortex-a53", PLAN_USER), 0);
	assert_string_equal(w.plan.cpu, "cortex-a53");
	assert_int_equal(w.plan.notes[PF_CPU].src, PLAN_USER);
	/* a user's CPU survives a change that it still fits */
	wizard_set_bits(&w, 32);
	assert_string_equal(w.plan.cpu, "cortex-a53");
	/* a typed name rustc may know */
	assert_int_equal(wizard_set_cpu(&w, "neoverse-n1", PLAN_USER), 0);
	assert_string_equal(w.plan.cpu, "neoverse-n1");
	assert_non_null(strstr(w.plan.notes[PF_CPU].why, "typed in"));
	/* another board: back to its own core */
	wizard_set_board(&w, board_find("zerow"));
	assert_string_equal(w.plan.cpu, "arm1176jzf-s");
	assert_int_equal(w.plan.notes[PF_CPU].src, PLAN_DEFAULT);
	wizard_release(&w);
}

/* Choose a linker as the Linker step does with a probed one. */
static void
set_test_linker(struct wizard *w, const char *name, char **rustflags)
{
	struct linker l;

	memset(&l, 0, sizeof(l));
	l.name = (char *)name;
	l.works = true;
	l.probe = LINKER_PROBE_C;
	l.rustflags = rustflags;
	assert_int_equal(wizard_set_linker(w, &l, PLAN_USER), 0);
}

static void
test_walk_every_step(void **state)
{
	static const char *const names[WIZ_NSTEPS] = {
		"Welcome", "Board", "OS and libc", "Linker", "CPU", "Config",
		"Test", "Summary",
	};
	struct wizard w;
	const char *cmd = NULL;

	(void)state;
	for (int i = 0; i < WIZ_NSTEPS; i++)
		assert_string_equal(wizard_step_name((enum wiz_step)i), names[i]);
	assert_string_equal(wizard_step_name(WIZ_NSTEPS), "?");
	assert_true(wizard_step_available(WIZ_LINKER, &cmd));
	assert_null(cmd);
	assert_true(wizard_step_available(WIZ_CONFIG, &cmd));
	assert_null(cmd);
	assert_true(wizard_step_available(WIZ_TEST, &cmd));
	assert_null(cmd);
	assert_true(wizard_step_available(WIZ_CPU, &cmd));
	assert_null(cmd);

	wizard_found(&w, NULL);
	wizard_next(&w);
	wizard_set_board(&w, board_find("zerow"));
	for (int s = WIZ_BOARD; s < WIZ_SUMMARY; s++) {
		const char *why = NULL;

		assert_int_equal(w.step, s);
		if (s == WIZ_LINKER) {
			/* no linker yet: Next refused, with the reason */
			assert_int_equal(wizard_next(&w), RPX_EINVAL);
			assert_false(wizard_check(&w, &why));
			assert_non_null(strstr(why, "linker"));
			set_test_linker(&w, "arm-linux-gnueabihf-gcc", NULL);
		}
		if (s == WIZ_CONFIG) {
			assert_int_equal(wizard_next(&w), RPX_EINVAL);
			assert_false(wizard_check(&w, &why));
			assert_non_null(strstr(why, "write"));
			wizard_config_done(&w, "/x/config.toml", true);
		}
		assert_int_equal(wizard_next(&w), 0);
	}
	assert_int_equal(w.step, WIZ_SUMMARY);
	assert_false(w.finished);
	assert_int_equal(wizard_back(&w), 0);
	assert_int_equal(w.step, WIZ_TEST);
	wizard_next(&w);
	assert_int_equal(wizard_next(&w), 0);
	assert_true(w.finished);
	assert_int_equal(w.step, WIZ_SUMMARY);
	wizard_release(&w);
}

static void
test_cargo_command_and_summary(void **state)
{
	struct wizard w;
	struct strbuf sb = STRBUF_INIT;
	struct wiz_summary lines = WIZ_SUMMARY_INIT;
	char *cmd;

	(void)state;
	wizard_found(&w, NULL);
	assert_null(wizard_cargo_command(&w));
	wizard_set_board(&w, board_find("zerow"));
	cmd = wizard_cargo_command(&w);
	assert_string_equal(cmd, "RUSTFLAGS=\"-C target-cpu=arm1176jzf-s\" "
			    "cargo build --release --target arm-unknown-linux-gnueabihf");
	free(cmd);
	wizard_set_cpu(&w, "generic", PLAN_USER);
	cmd = wizard_cargo_command(&w);
	assert_string_equal(cmd, "cargo build --release --target arm-unknown-linux-gnueabihf");
	free(cmd);
	wizard_summary(&w, &sb);
	assert_non_null(strstr(sb.buf, "Board:   Raspberry Pi Zero W (chosen)\n"));
	assert_non_null(strstr(sb.buf, "Target:  arm-unknown-linux-gnueabihf (recommended)"));
	assert_non_null(strstr(sb.buf, "Illegal instruction"));
	assert_non_null(strstr(sb.buf, "std:     not installed: rustup target add arm-unknown-linux-gnueabihf"));
	assert_non_null(strstr(sb.buf, "CPU:     generic (chosen)"));
	assert_non_null(strstr(sb.buf, "Linker:  not chosen"));
	assert_non_null(strstr(sb.buf, "Config:  nothing written"));
	assert_non_null(strstr(sb.buf, "Build:   cargo build --release --target arm-unknown-linux-gnueabihf\n"));
	strbuf_release(&sb);
	/* the same as lines: a label, its value, the build command marked */
	wizard_summary_lines(&w, &lines);
	assert_int_equal(lines.n, 9);	/* Board OS libc Target std CPU Linker Config Build */
	assert_string_equal(lines.v[0].label, "Board:");
	assert_string_equal(lines.v[0].value, "Raspberry Pi Zero W (chosen)");
	assert_false(lines.v[0].build);
	assert_string_equal(lines.v[4].label, "std:");
	assert_string_equal(lines.v[8].label, "Build:");
	assert_string_equal(lines.v[8].value,
			    "cargo build --release --target arm-unknown-linux-gnueabihf");
	assert_true(lines.v[8].build);
	for (size_t i = 0; i < 8; i++)
		assert_false(lines.v[i].build);
	wiz_summary_release(&lines);
	assert_int_equal(lines.n, 0);
	wizard_release(&w);
}

static void
test_std_installed_from_sysroot(void **state)
{
	char dir[] = "/tmp/rpx-sysroot-XXXXXX";
	struct wizard w;
	char *p;

	(void)state;
	assert_non_null(mkdtemp(dir));
	p = xasprintf("mkdir -p '%s/lib/rustlib/aarch64-unknown-linux-gnu/lib'", dir);
	assert_int_equal(system(p), 0);
	free(p);
	wizard_found(&w, dir);
	wizard_set_board(&w, board_find("pi5"));
	assert_int_equal(wizard_std_installed(&w), 1);
	wizard_set_bits(&w, 32);
	assert_int_equal(wizard_std_installed(&w), 0);
	wizard_release(&w);
	p = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
	free(p);
}

/* ---- list filtering ---------------------------------------------- */

static void
test_linker_choice(void **state)
{
	char *flags[] = { "-C", "link-arg=--target=armv7-linux-gnueabihf", "-C",
			  "link-arg=-fuse-ld=lld", "-Clink-arg=-v", "-C",
			  "target-cpu=x", NULL };
	char **args;
	struct wizard w;
	struct strbuf sb = STRBUF_INIT;
	struct linker l;

	(void)state;
	args = linker_link_args(flags);
	assert_non_null(args);
	assert_string_equal(args[0], "--target=armv7-linux-gnueabihf");
	assert_string_equal(args[1], "-fuse-ld=lld");
	assert_string_equal(args[2], "-v");
	assert_null(args[3]);
	for (int i = 0; args[i] != NULL; i++)
		free(args[i]);
	free(args);
	assert_null(linker_link_args(NULL));

	wizard_found(&w, NULL);
	memset(&l, 0, sizeof(l));
	l.name = "clang";
	l.works = true;
	/* no target yet */
	assert_int_equal(wizard_set_linker(&w, &l, PLAN_USER), RPX_EINVAL);
	wizard_set_board(&w, board_find("pi4"));
	wizard_set_bits(&w, 32);
	set_test_linker(&w, "clang", flags);
	assert_string_equal(w.plan.linker, "clang");
	assert_string_equal(w.plan.link_args[1], "-fuse-ld=lld");
	assert_int_equal(w.plan.notes[PF_LINKER].src, PLAN_USER);
	assert_non_null(strstr(w.plan.notes[PF_LINKER].why,
			       "linked a test program for armv7-unknown-linux-gnueabihf"));
	wizard_summary(&w, &sb);
	assert_non_null(strstr(sb.buf, "Linker:  clang with link-args --target=armv7-linux-gnueabihf -fuse-ld=lld -v (chosen)"));
	strbuf_release(&sb);
	/* the same target again keeps it; another target forgets it */
	wizard_set_libc(&w, LIBC_GNU);
	assert_non_null(w.plan.linker);
	wizard_set_bits(&w, 64);
	assert_null(w.plan.linker);
	assert_null(w.plan.link_args);
	assert_int_equal(w.plan.notes[PF_LINKER].src, PLAN_UNSET);
	wizard_release(&w);
}

static void
test_cpus_from_rustc(void **state)
{
	struct wizard w;
	struct cpu_list l = CPU_LIST_INIT;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	wizard_found(&w, NULL);
	wizard_set_board(&w, board_find("pi4"));
	wizard_set_bits(&w, 64);
	assert_false(wizard_have_cpus(&w));
	/* no list: anything that looks like a name is taken */
	assert_int_equal(wizard_set_cpu(&w, "made-up-cpu", PLAN_USER), 0);
	assert_non_null(strstr(w.plan.notes[PF_CPU].why, "not checked"));
	assert_int_equal(toolchain_parse_cpus(
		"Available CPUs for this target:\n"
		"    native        - Select the CPU of the current host (currently znver3).\n"
		"    cortex-a53\n    cortex-a72\n    cortex-a76\n    neoverse-n1\n"
		"    generic       - This is the default target CPU for the current build target (currently aarch64-unknown-linux-gnu).\n",
		&l, &err), 0);
	wizard_set_cpus(&w, "aarch64-unknown-linux-gnu", &l, NULL);
	assert_int_equal(l.n, 0);	/* taken */
	assert_true(wizard_have_cpus(&w));
	assert_int_equal(wizard_set_cpu(&w, "neoverse-n1", PLAN_USER), 0);
	assert_non_null(strstr(w.plan.notes[PF_CPU].why, "in rustc's list"));
	assert_int_equal(wizard_set_cpu(&w, "made-up-cpu", PLAN_USER), RPX_ENOTFOUND);
	assert_string_equal(w.plan.cpu, "neoverse-n1");
	/* a Pi core newer than the board stays refused */
	assert_int_equal(wizard_set_cpu(&w, "cortex-a76", PLAN_USER), RPX_EINVAL);
	/* the list is for another target once the target changes */
	wizard_set_bits(&w, 32);
	assert_false(wizard_have_cpus(&w));
	/* no list, with the reason */
	wizard_set_cpus(&w, "armv7-unknown-linux-gnueabihf", NULL,
			"Target CPU help is not supported by this LLVM version.");
	assert_false(wizard_have_cpus(&w));
	assert_non_null(strstr(w.cpus_why, "not supported"));
	wizard_release(&w);
}

static void
probe_for(struct remote_probe *p, const char *model, int bits,
	  const char *glibc)
{
	memset(p, 0, sizeof(*p));
	board_from_model(model, strlen(model), &p->ident);
	snprintf(p->model_source, sizeof(p->model_source), "model");
	p->os_bits = bits;
	snprintf(p->glibc, sizeof(p->glibc), "%s", glibc);
	snprintf(p->os_pretty, sizeof(p->os_pretty), "Raspbian GNU/Linux 12 (bookworm)");
}

static void
test_apply_probe(void **state)
{
	struct wizard w;
	struct remote_probe p;
	char msg[300];

	(void)state;
	wizard_found(&w, NULL);
	probe_for(&p, "Raspberry Pi 4 Model B Rev 1.4", 32, "2.36");
	assert_int_equal(wizard_apply_probe(&w, "pi@10.0.0.2", &p, msg, sizeof(msg)), 0);
	assert_string_equal(w.plan.board->id, "pi4");
	assert_int_equal(w.plan.notes[PF_BOARD].src, PLAN_DETECTED);
	assert_int_equal(w.plan.os_bits, 32);
	assert_int_equal(w.plan.notes[PF_BITS].src, PLAN_DETECTED);
	assert_int_equal(w.plan.libc, LIBC_GNU);
	assert_string_equal(w.plan.target->triple, "armv7-unknown-linux-gnueabihf");
	assert_string_equal(w.plan.pi_glibc, "2.36");
	assert_string_equal(w.plan.host, "pi@10.0.0.2");
	assert_string_equal(w.plan.cpu, "cortex-a72");
	assert_non_null(strstr(msg, "Raspberry Pi 4 Model B, 32-bit"));
	/* an older glibc than the toolchain's: musl */
	probe_for(&p, "Raspberry Pi 5 Model B Rev 1.0", 64, "2.31");
	assert_int_equal(wizard_apply_probe(&w, "pi5", &p, msg, sizeof(msg)), 0);
	assert_int_equal(w.plan.libc, LIBC_MUSL);
	assert_string_equal(w.plan.target->triple, "aarch64-unknown-linux-musl");
	assert_non_null(strstr(w.plan.notes[PF_LIBC].why, "older"));
	/* a model it does not know: nothing taken but the host */
	probe_for(&p, "Banana Pi M5", 64, "2.36");
	assert_int_equal(wizard_apply_probe(&w, "banana", &p, msg, sizeof(msg)), RPX_ENOTFOUND);
	assert_string_equal(w.plan.board->id, "pi5");
	assert_non_null(strstr(msg, "does not know"));
	wizard_release(&w);
}

static void
test_ssh_aliases(void **state)
{
	char path[] = "/tmp/rpx-aliases-XXXXXX";
	int fd = mkstemp(path), n = -1;
	char **al;
	static const char text[] =
		"# comment\n"
		"Host pi4 pi4-alt\n  HostName 10.0.0.4\n"
		"Host *.lan !bad pi?\n"
		"  Host nested-indented\n"
		"host=lower # trailing comment\n"
		"Hostname notahost\n"
		"Host pi4\n"
		"Match host x\n";

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	al = wizard_ssh_aliases(path, &n);
	assert_int_equal(n, 4);
	assert_string_equal(al[0], "pi4");
	assert_string_equal(al[1], "pi4-alt");
	assert_string_equal(al[2], "nested-indented");
	assert_string_equal(al[3], "lower");
	assert_null(al[4]);
	for (int i = 0; i < n; i++)
		free(al[i]);
	free(al);
	unlink(path);
	al = wizard_ssh_aliases("/nonexistent/config", &n);
	assert_int_equal(n, 0);
	assert_null(al[0]);
	free(al);
}

static void
test_config_choices(void **state)
{
	struct wizard w;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	wizard_found(&w, NULL);
	wizard_set_board(&w, board_find("pi4"));
	wizard_set_bits(&w, 32);
	wizard_set_scope(&w, PLAN_SCOPE_PROJECT, "/home/me/blinky");
	assert_int_equal(w.plan.scope, PLAN_SCOPE_PROJECT);
	assert_string_equal(w.plan.project_dir, "/home/me/blinky");
	wizard_set_scope(&w, PLAN_SCOPE_GLOBAL, "/ignored");
	assert_null(w.plan.project_dir);
	wizard_set_options(&w, true, true);
	assert_true(w.plan.build_target);
	assert_int_equal(w.plan.notes[PF_RUNNER].src, PLAN_USER);
	w.step = WIZ_CONFIG;
	assert_false(wizard_check(&w, NULL));
	wizard_config_done(&w, "/h/.cargo/config.toml", true);
	assert_true(wizard_check(&w, NULL));
	wizard_summary(&w, &sb);
	assert_non_null(strstr(sb.buf, "Config:  /h/.cargo/config.toml (written"));
	assert_non_null(strstr(sb.buf, "Build:   cargo build --release\n"));
	assert_non_null(strstr(sb.buf, "Run:     cargo run --release\n"));
	strbuf_release(&sb);
	wizard_config_reset(&w);
	assert_false(wizard_check(&w, NULL));
	wizard_release(&w);
}

static void
test_start_from_profile_and_config(void **state)
{
	struct wizard w;
	struct plan src = PLAN_INIT;
	char *args[] = { "-fuse-ld=lld", NULL };

	(void)state;
	/* a profile's answers */
	wizard_found(&w, NULL);
	assert_int_equal(wizard_apply_plan(&w, &src), RPX_EINVAL);	/* no board */
	src.board = board_find("pi4");
	plan_note(&src, PF_BOARD, PLAN_PROFILE, "profile 'x'");
	src.os_bits = 32;
	plan_note(&src, PF_BITS, PLAN_PROFILE, "profile 'x'");
	plan_set_str(&src.cpu, "cortex-a53");
	plan_note(&src, PF_CPU, PLAN_PROFILE, "profile 'x'");
	plan_set_str(&src.linker, "clang");
	src.link_args = args;
	plan_note(&src, PF_LINKER, PLAN_PROFILE, "profile 'x'");
	plan_set_str(&src.host, "pi@example");
	plan_note(&src, PF_HOST, PLAN_PROFILE, "profile 'x'");
	src.runner = true;
	plan_note(&src, PF_RUNNER, PLAN_PROFILE, "profile 'x'");
	assert_int_equal(wizard_apply_plan(&w, &src), 0);
	src.link_args = NULL;
	plan_release(&src);
	assert_string_equal(w.plan.board->id, "pi4");
	assert_int_equal(w.plan.os_bits, 32);
	assert_string_equal(w.plan.target->triple, "armv7-unknown-linux-gnueabihf");
	assert_string_equal(w.plan.cpu, "cortex-a53");
	assert_int_equal(w.plan.notes[PF_CPU].src, PLAN_PROFILE);
	assert_string_equal(w.plan.linker, "clang");
	assert_string_equal(w.plan.link_args[0], "-fuse-ld=lld");
	assert_string_equal(w.plan.host, "pi@example");
	assert_true(w.plan.runner);
	wizard_release(&w);

	/* an existing config for aarch64: a Pi 4 starts 64-bit with its values */
	wizard_found(&w, NULL);
	wizard_set_current(&w, target_find("aarch64-unknown-linux-gnu"),
			   "/h/.cargo/config.toml", "clang", "cortex-a53", true, false);
	wizard_set_board(&w, board_find("pi4"));
	assert_string_equal(w.plan.target->triple, "aarch64-unknown-linux-gnu");
	assert_int_equal(w.plan.notes[PF_BITS].src, PLAN_CONFIG);
	assert_string_equal(w.plan.linker, "clang");
	assert_int_equal(w.plan.notes[PF_LINKER].src, PLAN_CONFIG);
	assert_string_equal(w.plan.cpu, "cortex-a53");
	assert_true(w.plan.runner);
	assert_non_null(strstr(w.plan.notes[PF_CPU].why, "/h/.cargo/config.toml"));
	/* another target: the config's values do not follow */
	wizard_set_bits(&w, 32);
	assert_null(w.plan.linker);
	assert_string_equal(w.plan.cpu, "cortex-a53");	/* still fits the board */
	wizard_release(&w);
	/* a board that cannot run the config's target starts from its own */
	wizard_found(&w, NULL);
	wizard_set_current(&w, target_find("aarch64-unknown-linux-gnu"),
			   "/h/.cargo/config.toml", "clang", "cortex-a53", false, false);
	wizard_set_board(&w, board_find("zerow"));
	assert_string_equal(w.plan.target->triple, "arm-unknown-linux-gnueabihf");
	assert_null(w.plan.linker);
	assert_string_equal(w.plan.cpu, "arm1176jzf-s");
	wizard_release(&w);
}

/* The row of rows with id, or NULL. */
static const struct wiz_row *
row_id(const struct wiz_rows *r, int id)
{
	for (int i = 0; i < r->n; i++)
		if (r->v[i].id == id)
			return &r->v[i];
	return NULL;
}

static void
test_board_rows(void **state)
{
	struct wizard w;
	struct wiz_rows r = WIZ_ROWS_INIT;
	int n;
	const struct board *all = board_all(&n);
	const struct board *pi4 = board_find("pi4");
	const struct wiz_row *x;

	(void)state;
	wizard_found(&w, NULL);
	wizard_board_rows(&w, &r);
	assert_int_equal(r.n, n + 1);
	assert_int_equal(r.v[0].id, WIZ_BOARD_DETECT);
	assert_string_equal(r.v[0].text, "Detect over SSH");
	assert_false(r.has_focus);	/* no board chosen yet */
	for (int i = 1; i < r.n; i++)
		assert_false(r.v[i].flags & WIZ_ROW_CHOSEN);
	wizard_set_board(&w, pi4);
	wizard_board_rows(&w, &r);	/* the old rows are freed first */
	assert_int_equal(r.n, n + 1);
	assert_true(r.has_focus);
	assert_int_equal(r.focus, (int)(pi4 - all));
	x = row_id(&r, r.focus);
	assert_non_null(x);
	assert_string_equal(x->text, pi4->name);
	assert_true(x->flags & WIZ_ROW_CHOSEN);
	assert_non_null(strstr(x->note, pi4->cpu->core));
	assert_non_null(strstr(x->note, "32/64-bit"));
	/* the filter matches the id and SoC, not the 32/64 column */
	assert_non_null(strstr(x->search, " pi4 "));
	assert_non_null(strstr(x->search, pi4->soc));
	assert_null(strstr(x->search, "32/64"));
	x = row_id(&r, (int)(board_find("zerow") - all));
	assert_non_null(strstr(x->note, "32-bit only"));
	wiz_rows_release(&r);
	assert_int_equal(r.n, 0);
	wizard_release(&w);
}

static void
test_os_rows_for_a_board(void **state)
{
	struct wizard w;
	struct wiz_rows r = WIZ_ROWS_INIT;
	const struct wiz_row *x;
	const char *why = NULL;

	(void)state;
	wizard_found(&w, NULL);
	wizard_set_board(&w, board_find("zerow"));
	wizard_os_rows(&w, &r);
	assert_int_equal(r.n, 6);
	assert_true(r.v[0].flags & WIZ_ROW_HEADER);
	assert_true(r.v[3].flags & WIZ_ROW_HEADER);
	x = row_id(&r, WIZ_OS_32);
	assert_true(x->flags & WIZ_ROW_CHOSEN);
	assert_string_equal(x->note, "the only OS this CPU runs");
	assert_string_equal(x->mark, "recommended");
	x = row_id(&r, WIZ_OS_64);
	assert_true(x->flags & WIZ_ROW_DISABLED);
	assert_string_equal(x->note, "not possible: this board's CPU is 32-bit only");
	assert_null(x->mark);
	assert_true(row_id(&r, WIZ_LIBC_GNU)->flags & WIZ_ROW_CHOSEN);
	assert_false(row_id(&r, WIZ_LIBC_MUSL)->flags & WIZ_ROW_CHOSEN);
	assert_int_equal(r.focus, WIZ_OS_32);
	/* the row that cannot be: refused with why, nothing changes */
	assert_int_equal(wizard_choose_os_row(&w, WIZ_OS_64, &why), RPX_EINVAL);
	assert_string_equal(why, "this board's CPU is 32-bit only");
	assert_int_equal(w.plan.os_bits, 32);
	/* musl from its row */
	assert_int_equal(wizard_choose_os_row(&w, WIZ_LIBC_MUSL, &why), 0);
	assert_string_equal(w.plan.target->triple, "arm-unknown-linux-musleabihf");

	/* a Pi 4: 64-bit recommended and chosen */
	wizard_set_board(&w, board_find("pi4"));
	wizard_os_rows(&w, &r);
	x = row_id(&r, WIZ_OS_64);
	assert_int_equal(x->flags, WIZ_ROW_CHOSEN);
	assert_string_equal(x->note, "aarch64: more registers, faster");
	assert_string_equal(x->mark, "recommended");
	assert_string_equal(row_id(&r, WIZ_OS_32)->note, "runs on every Pi");
	assert_null(row_id(&r, WIZ_OS_32)->mark);
	assert_int_equal(r.focus, WIZ_OS_64);
	/* choosing what is chosen keeps where it came from */
	assert_int_equal(wizard_choose_os_row(&w, WIZ_OS_64, &why), 0);
	assert_int_equal(w.plan.notes[PF_BITS].src, PLAN_DEFAULT);
	assert_int_equal(wizard_choose_os_row(&w, WIZ_OS_32, &why), 0);
	assert_int_equal(w.plan.notes[PF_BITS].src, PLAN_USER);
	assert_string_equal(w.plan.target->triple, "armv7-unknown-linux-gnueabihf");
	wizard_os_rows(&w, &r);
	assert_int_equal(r.focus, WIZ_OS_32);
	assert_true(row_id(&r, WIZ_OS_32)->flags & WIZ_ROW_CHOSEN);
	wiz_rows_release(&r);
	wizard_release(&w);
}

static void
test_cpu_rows_board_core_first(void **state)
{
	struct wizard w;
	struct wiz_rows r = WIZ_ROWS_INIT;
	struct cpu_list l = CPU_LIST_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	const struct wiz_row *x;
	int neo = -1;

	(void)state;
	wizard_found(&w, NULL);
	wizard_set_board(&w, board_find("pi4"));
	/* no rustc list: the Pi cores, the board's first, no headers */
	wizard_cpu_rows(&w, true, &r);
	assert_int_equal(r.v[0].id, 0);
	assert_false(r.v[0].flags & WIZ_ROW_HEADER);
	assert_true(rpx_starts_with(r.v[0].text, "cortex-a72 "));
	assert_string_equal(r.v[0].mark, "this board");
	assert_true(r.v[0].flags & WIZ_ROW_CHOSEN);
	assert_int_equal(r.focus, 0);
	for (int i = 1; i < r.n; i++)
		assert_null(r.v[i].mark);
	x = &r.v[r.n - 1];
	assert_int_equal(x->id, WIZ_CPU_TYPE);
	assert_string_equal(x->text, "Type another CPU name\xe2\x80\xa6");
	wizard_cpu_rows(&w, false, &r);
	assert_string_equal(r.v[r.n - 1].text, "Type another CPU name...");
	/* the Pi 5's core is newer than the board's: shown, not usable */
	for (int i = 0; i < r.n; i++)
		if (strstr(r.v[i].text, "cortex-a76") != NULL)
			x = &r.v[i];
	assert_true(x->flags & WIZ_ROW_DISABLED);

	/* a name typed in */
	assert_int_equal(wizard_set_cpu(&w, "made-up-cpu", PLAN_USER), 0);
	wizard_cpu_rows(&w, true, &r);
	x = row_id(&r, WIZ_CPU_TYPED);
	assert_non_null(x);
	assert_true(rpx_starts_with(x->text, "made-up-cpu "));
	assert_non_null(strstr(x->text, "(typed in)"));
	assert_string_equal(x->note, "not checked: rustc gave no list");
	assert_int_equal(r.focus, WIZ_CPU_TYPED);

	/* rustc's list: after the Pi cores, without them */
	assert_int_equal(toolchain_parse_cpus(
		"Available CPUs for this target:\n"
		"    native        - Select the CPU of the current host (currently znver3).\n"
		"    cortex-a53\n    cortex-a72\n    cortex-a76\n    neoverse-n1\n"
		"    generic       - This is the default target CPU for the current build target (currently aarch64-unknown-linux-gnu).\n",
		&l, &err), 0);
	wizard_set_cpus(&w, "aarch64-unknown-linux-gnu", &l, NULL);
	wizard_set_cpu(&w, "cortex-a72", PLAN_USER);
	wizard_cpu_rows(&w, true, &r);
	assert_true(r.v[0].flags & WIZ_ROW_HEADER);
	assert_string_equal(r.v[0].text, "Raspberry Pi cores");
	assert_string_equal(r.v[1].mark, "this board");
	assert_true(rpx_starts_with(r.v[1].text, "cortex-a72 "));
	assert_int_equal(r.focus, r.v[1].id);
	x = row_id(&r, -21);
	assert_string_equal(x->text, "Every CPU rustc knows for aarch64-unknown-linux-gnu");
	for (int i = 0; i < r.n; i++) {
		if (r.v[i].id < WIZ_CPU_RUSTC)
			continue;
		/* the Pi cores and generic are not listed twice */
		assert_false(rpx_starts_with(r.v[i].text, "cortex-"));
		assert_string_not_equal(r.v[i].text, "generic");
		if (strcmp(r.v[i].text, "native") == 0)
			assert_string_equal(r.v[i].note, "this host's CPU: not a Pi's");
		if (strcmp(r.v[i].text, "neoverse-n1") == 0)
			neo = r.v[i].id;
	}
	assert_true(neo >= WIZ_CPU_RUSTC);
	assert_string_equal(w.cpus.v[neo - WIZ_CPU_RUSTC].name, "neoverse-n1");
	/* its row chooses it */
	wizard_choose_cpu_row(&w, neo);
	assert_string_equal(w.plan.cpu, "neoverse-n1");
	assert_int_equal(w.plan.notes[PF_CPU].src, PLAN_USER);
	wizard_cpu_rows(&w, true, &r);
	assert_int_equal(r.focus, neo);
	/* and a Pi core's row chooses that */
	wizard_choose_cpu_row(&w, 0);
	assert_string_equal(w.plan.cpu, "cortex-a72");
	wizard_choose_cpu_row(&w, WIZ_CPU_TYPE);	/* not a CPU */
	assert_string_equal(w.plan.cpu, "cortex-a72");
	wiz_rows_release(&r);
	wizard_release(&w);
}

/* Two linkers for armv7: clang works (with a link-arg), gcc fails. */
static void
scan_for(struct linker_scan *sc, struct linker *v, char **flags)
{
	memset(v, 0, 2 * sizeof(*v));
	*sc = (struct linker_scan)LINKER_SCAN_INIT;
	sc->target = target_find("armv7-unknown-linux-gnueabihf");
	sc->v = v;
	sc->n = 2;
	sc->recommended = 0;
	v[0].name = "clang";
	v[0].path = "/usr/bin/clang";
	v[0].works = true;
	v[0].probe = LINKER_PROBE_C;
	v[0].rustflags = flags;
	v[1].name = "arm-linux-gnueabihf-gcc";
	v[1].path = "/usr/bin/arm-linux-gnueabihf-gcc";
	v[1].why = "cannot find crt1.o";
}

static void
test_linker_preselect(void **state)
{
	char *flags[] = { "-C", "link-arg=-fuse-ld=lld", NULL };
	struct linker v[2];
	struct linker_scan sc;
	struct wizard w;
	struct wiz_rows r = WIZ_ROWS_INIT;
	char msg[400] = "";

	(void)state;
	scan_for(&sc, v, flags);
	/* nothing chosen: the recommended one */
	wizard_found(&w, NULL);
	wizard_set_board(&w, board_find("pi4"));
	wizard_set_bits(&w, 32);
	assert_int_equal(wizard_preselect_linker(&w, &sc, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "");
	assert_string_equal(w.plan.linker, "clang");
	assert_int_equal(w.plan.notes[PF_LINKER].src, PLAN_DEFAULT);
	assert_string_equal(w.plan.link_args[0], "-fuse-ld=lld");
	/* the rows: verdicts, the recommended mark, the choice focused */
	wizard_linker_rows(&w, &sc, true, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.focus, 0);
	assert_true(r.v[0].flags & WIZ_ROW_CHOSEN);
	assert_string_equal(r.v[0].mark, "recommended");
	assert_true(rpx_starts_with(r.v[0].note, "\xe2\x9c\x93 works  "));
	assert_string_equal(r.v[1].note, "\xe2\x9c\x97 fails  cannot find crt1.o");
	assert_null(r.v[1].mark);
	wizard_linker_rows(&w, &sc, false, &r);
	assert_string_equal(r.v[1].note, "x fails  cannot find crt1.o");
	wizard_release(&w);

	/* the Cargo config's linker fails here: said, and replaced */
	wizard_found(&w, NULL);
	wizard_set_current(&w, sc.target, "/h/.cargo/config.toml",
			   "arm-linux-gnueabihf-gcc", NULL, false, false);
	wizard_set_board(&w, board_find("pi4"));
	assert_string_equal(w.plan.target->triple, "armv7-unknown-linux-gnueabihf");
	assert_int_equal(w.plan.notes[PF_LINKER].src, PLAN_CONFIG);
	assert_int_equal(wizard_preselect_linker(&w, &sc, msg, sizeof(msg)), 1);
	assert_true(rpx_starts_with(msg, "arm-linux-gnueabihf-gcc ("));
	assert_non_null(strstr(msg, ") does not link for armv7-unknown-linux-gnueabihf here: the recommended one is preselected"));
	assert_string_equal(w.plan.linker, "clang");
	assert_int_equal(w.plan.notes[PF_LINKER].src, PLAN_DEFAULT);
	wizard_release(&w);

	/* the config names a working one by its path: kept, link-args added */
	wizard_found(&w, NULL);
	wizard_set_current(&w, sc.target, "/h/.cargo/config.toml",
			   "/usr/bin/clang", NULL, false, false);
	wizard_set_board(&w, board_find("pi4"));
	assert_null(w.plan.link_args);
	msg[0] = '\0';
	assert_int_equal(wizard_preselect_linker(&w, &sc, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "");
	assert_string_equal(w.plan.linker, "/usr/bin/clang");
	assert_int_equal(w.plan.notes[PF_LINKER].src, PLAN_CONFIG);
	assert_string_equal(w.plan.link_args[0], "-fuse-ld=lld");
	assert_null(w.plan.link_args[1]);
	wizard_release(&w);
	/* none works: nothing preselected */
	v[0].works = false;
	sc.recommended = -1;
	wizard_found(&w, NULL);
	wizard_set_board(&w, board_find("pi4"));
	wizard_set_bits(&w, 32);
	assert_int_equal(wizard_preselect_linker(&w, &sc, msg, sizeof(msg)), 0);
	assert_null(w.plan.linker);
	wizard_linker_rows(&w, &sc, true, &r);
	assert_int_equal(r.focus, -1);
	assert_null(r.v[0].mark);
	wiz_rows_release(&r);
	wizard_release(&w);
}

/* A sysroot.yaml (and an empty root/) under DATA/rpi-cross/sysroots. */
static void
put_sysroot(const char *data, const char *name, const char *target,
	    const char *triple, const char *pulled)
{
	char *dir = xasprintf("%s/rpi-cross/sysroots/%s/root", data, name);
	char *yaml = xasprintf("%s/rpi-cross/sysroots/%s/sysroot.yaml", data,
			       name);
	char *text = xasprintf("name: %s\nhost: 127.0.0.1\nuser: pi\nport: 22\n"
			       "target: %s\ngnu_triple: %s\nos_codename: bookworm\n"
			       "os_pretty: Raspbian 12 (bookworm)\nglibc: \"2.36\"\n"
			       "pulled: \"%s\"\n", name, target, triple, pulled);

	assert_int_equal(fsutil_mkdirs(dir, 0755), 0);
	assert_int_equal(atomic_write(yaml, text, strlen(text)), 0);
	free(dir);
	free(yaml);
	free(text);
}

/* C libraries: the sysroots of the target (newest first), none, the pull
 * with a host; the choice into the Config step's change and the Summary;
 * musl told why not. */
static void
test_sysroot_choice(void **state)
{
	const char *dir = *state;
	char *data = xasprintf("%s/data", dir), *home = xasprintf("%s/cargo", dir);
	char *old_data = getenv("XDG_DATA_HOME") ? xstrdup(getenv("XDG_DATA_HOME")) : NULL;
	char *old_home = getenv("CARGO_HOME") ? xstrdup(getenv("CARGO_HOME")) : NULL;
	struct wizard w;
	struct wiz_rows r = WIZ_ROWS_INIT;
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	struct strvec why = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;
	const struct wiz_row *row;
	char msg[256];
	char *want;

	setenv("XDG_DATA_HOME", data, 1);
	setenv("CARGO_HOME", home, 1);
	put_sysroot(data, "old-armhf", "armv7-unknown-linux-gnueabihf",
		    "arm-linux-gnueabihf", "2026-01-01T10:00:00Z");
	put_sysroot(data, "new-armhf", "armv7-unknown-linux-gnueabihf",
		    "arm-linux-gnueabihf", "2026-02-01T10:00:00Z");
	put_sysroot(data, "pi5-arm64", "aarch64-unknown-linux-gnu",
		    "aarch64-linux-gnu", "2026-03-01T10:00:00Z");
	wizard_found(&w, NULL);
	wizard_set_board(&w, board_find("pi4"));
	assert_int_equal(wizard_set_bits(&w, 32), 0);
	plan_set_str(&w.plan.linker, "arm-linux-gnueabihf-gcc");
	assert_int_equal(wizard_load_sysroots(&w, msg, sizeof(msg)), 0);
	/* the arm64 one does not fit armv7; newest pull first */
	assert_int_equal(w.nsysroots, 2);
	assert_string_equal(w.sysroots[0].name, "new-armhf");
	assert_string_equal(w.sysroots[1].name, "old-armhf");
	assert_string_equal(w.sysroots[0].about,
			    "from 127.0.0.1, Raspbian 12 (bookworm), glibc 2.36, pulled 2026-02-01");
	assert_null(w.sysroot);
	wizard_config_rows(&w, false, &r);
	assert_string_equal(row_id(&r, WIZ_CFG_SR_NONE)->text, "(*) none (pure Rust)");
	row = row_id(&r, WIZ_CFG_SR + 1);
	assert_string_equal(row->text, "( ) use sysroot old-armhf");
	assert_string_equal(row->note, "from 127.0.0.1, Raspbian 12 (bookworm), "
			    "glibc 2.36, pulled 2026-01-01");
	assert_null(row_id(&r, WIZ_CFG_SR_PULL));	/* no host: no pull */
	assert_int_equal(r.focus, WIZ_CFG_SHOW);
	/* Summary: none said for a gnu target, once the config is done */
	wizard_summary(&w, &sb);
	assert_null(strstr(sb.buf, "Sysroot:"));
	strbuf_reset(&sb);
	wizard_config_done(&w, "/h/config.toml", true);
	wizard_summary(&w, &sb);
	assert_non_null(strstr(sb.buf, "Sysroot: none (pure Rust"));
	strbuf_reset(&sb);
	wizard_config_reset(&w);
	/* none: the change is planconf's alone */
	assert_int_equal(wizard_config_prepare(&w, &ch, &why, &err), 0);
	assert_null(strstr(ch.diff, "sysroot"));
	assert_int_equal(why.n, 0);
	cargo_config_change_release(&ch);

	/* chosen */
	assert_true(wizard_choose_sysroot_row(&w, WIZ_CFG_SR + 1));
	assert_string_equal(w.sysroot, "old-armhf");
	assert_false(wizard_choose_sysroot_row(&w, WIZ_CFG_SHOW));
	plan_set_str(&w.plan.host, "pi@raspberrypi");
	wizard_config_rows(&w, true, &r);
	assert_true(rpx_starts_with(row_id(&r, WIZ_CFG_SR + 1)->text,
				    "(\xe2\x80\xa2) use sysroot old-armhf"));
	assert_string_equal(row_id(&r, WIZ_CFG_SR_NONE)->text, "( ) none (pure Rust)");
	assert_string_equal(row_id(&r, WIZ_CFG_SR_PULL)->text,
			    "Pull a sysroot from the Pi now (pi@raspberrypi)\xe2\x80\xa6");
	assert_int_equal(wizard_config_prepare(&w, &ch, &why, &err), 0);
	want = xasprintf("link-arg=--sysroot=%s/rpi-cross/sysroots/old-armhf/root", data);
	assert_non_null(strstr(ch.diff, want));
	free(want);
	assert_non_null(strstr(ch.diff, "+PKG_CONFIG_SYSROOT_DIR_armv7_unknown_linux_gnueabihf"));
	assert_non_null(strstr(ch.diff, "+CC_armv7_unknown_linux_gnueabihf"));
	assert_true(why.n > 0);
	cargo_config_change_release(&ch);
	strvec_clear(&why);
	wizard_summary(&w, &sb);
	assert_non_null(strstr(sb.buf, "Sysroot: old-armhf ("));
	strbuf_reset(&sb);

	/* reloaded: the choice kept; gone from disk: forgotten */
	assert_int_equal(wizard_load_sysroots(&w, msg, sizeof(msg)), 0);
	assert_string_equal(w.sysroot, "old-armhf");
	assert_int_equal(wizard_set_sysroot(&w, "pi5-arm64"), RPX_ENOTFOUND);
	assert_string_equal(w.sysroot, "old-armhf");
	assert_int_equal(sysroot_clean("old-armhf", msg, sizeof(msg)), 0);
	assert_int_equal(wizard_load_sysroots(&w, msg, sizeof(msg)), 0);
	assert_null(w.sysroot);
	assert_int_equal(w.nsysroots, 1);

	/* 64-bit: the arm64 one; musl: none at all, and why */
	assert_int_equal(wizard_set_bits(&w, 64), 0);
	assert_int_equal(wizard_load_sysroots(&w, msg, sizeof(msg)), 0);
	assert_int_equal(w.nsysroots, 1);
	assert_string_equal(w.sysroots[0].name, "pi5-arm64");
	assert_int_equal(wizard_set_sysroot(&w, "pi5-arm64"), 0);
	wizard_set_libc(&w, LIBC_MUSL);
	assert_int_equal(wizard_load_sysroots(&w, msg, sizeof(msg)), 0);
	assert_int_equal(w.nsysroots, 0);
	assert_null(w.sysroot);
	wizard_config_rows(&w, false, &r);
	row = row_id(&r, WIZ_CFG_SR_NONE);
	assert_true(row->flags & WIZ_ROW_DISABLED);
	assert_non_null(strstr(row->note, "a sysroot is for gnu targets"));
	assert_null(row_id(&r, WIZ_CFG_SR_PULL));
	assert_false(wizard_choose_sysroot_row(&w, WIZ_CFG_SR));
	wizard_summary(&w, &sb);
	assert_null(strstr(sb.buf, "Sysroot:"));

	strbuf_release(&sb);
	wiz_rows_release(&r);
	wizard_release(&w);
	if (old_data)
		setenv("XDG_DATA_HOME", old_data, 1);
	else
		unsetenv("XDG_DATA_HOME");
	if (old_home)
		setenv("CARGO_HOME", old_home, 1);
	else
		unsetenv("CARGO_HOME");
	free(old_data);
	free(old_home);
	free(data);
	free(home);
}

static void
test_config_and_test_rows(void **state)
{
	struct wizard w;
	struct wiz_rows r = WIZ_ROWS_INIT;
	char *old = getenv("CARGO_HOME") ? xstrdup(getenv("CARGO_HOME")) : NULL;

	(void)state;
	setenv("CARGO_HOME", "/h/.cargo", 1);
	wizard_found(&w, NULL);
	wizard_set_board(&w, board_find("pi4"));
	wizard_config_rows(&w, false, &r);
	assert_int_equal(r.focus, WIZ_CFG_SHOW);
	assert_string_equal(row_id(&r, WIZ_CFG_GLOBAL)->text,
			    "(*) Global: /h/.cargo/config.toml");
	assert_string_equal(row_id(&r, WIZ_CFG_PROJECT)->text,
			    "( ) One project: a folder...");
	assert_string_equal(row_id(&r, WIZ_CFG_BUILD)->text,
			    "[ ] [build] target = \"aarch64-unknown-linux-gnu\"");
	assert_true(rpx_starts_with(row_id(&r, WIZ_CFG_RUNNER)->text, "[ ] runner = \""));
	assert_string_equal(row_id(&r, WIZ_CFG_SHOW)->text, "Show the changes ->");
	wizard_set_scope(&w, PLAN_SCOPE_PROJECT, "/home/me/blinky");
	wizard_set_options(&w, true, false);
	wizard_config_rows(&w, true, &r);
	assert_string_equal(row_id(&r, WIZ_CFG_GLOBAL)->text,
			    "( ) Global: /h/.cargo/config.toml");
	assert_string_equal(row_id(&r, WIZ_CFG_PROJECT)->text,
			    "(\xe2\x80\xa2) Project: /home/me/blinky/.cargo/config.toml");
	assert_true(rpx_starts_with(row_id(&r, WIZ_CFG_BUILD)->text, "[x] "));
	assert_string_equal(row_id(&r, WIZ_CFG_SHOW)->text, "Show the changes \xe2\x86\x92");

	/* the test's ways: on the plan's Pi when it has one */
	wizard_test_rows(&w, false, &r);
	assert_null(row_id(&r, WIZ_PT_ON_HOST));
	assert_int_equal(r.focus, WIZ_PT_EMULATE);
	assert_string_equal(row_id(&r, WIZ_PT_BY_ADDRESS)->text,
			    "Run it on a Pi at an address...");
	plan_set_str(&w.plan.host, "pi@raspberrypi");
	wizard_test_rows(&w, true, &r);
	assert_int_equal(r.v[0].id, WIZ_PT_ON_HOST);
	assert_string_equal(r.v[0].text, "Run it on the Pi: pi@raspberrypi");
	assert_int_equal(r.focus, WIZ_PT_ON_HOST);
	assert_int_equal(r.n, 4);
	wiz_rows_release(&r);
	wizard_release(&w);
	if (old != NULL)
		setenv("CARGO_HOME", old, 1);
	else
		unsetenv("CARGO_HOME");
	free(old);
}

/* Write text to dir/name (folders made as needed). */
static void
write_at(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *slash = strrchr(path, '/');
	FILE *f;

	*slash = '\0';
	mkdir(path, 0700);
	*slash = '/';
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static void
test_read_current(void **state)
{
	char tmpl[] = "/tmp/rpx-wizard-XXXXXX";
	char *dir = mkdtemp(tmpl), *home, *proj, *expect;
	char cwd[4096], real[4096];
	char *old = getenv("CARGO_HOME") ? xstrdup(getenv("CARGO_HOME")) : NULL;
	struct wiz_tc_job j;

	(void)state;
	assert_non_null(dir);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	home = xasprintf("%s/cargo-home", dir);
	proj = xasprintf("%s/proj", dir);
	assert_int_equal(mkdir(home, 0700), 0);
	assert_int_equal(mkdir(proj, 0700), 0);
	setenv("CARGO_HOME", home, 1);
	/* a project that sets up a Pi 4 (and, first, a PC target) */
	write_at(proj, ".cargo/config.toml",
		 "[target.x86_64-unknown-linux-gnu]\n"
		 "linker = \"cc\"\n"
		 "\n"
		 "[target.aarch64-unknown-linux-gnu]\n"
		 "linker = \"aarch64-linux-gnu-gcc\"\n"
		 "rustflags = [\"-C\", \"target-cpu=cortex-a72\"]\n"
		 "runner = \"rpi-cross run --host pi@raspberrypi\"\n"
		 "\n"
		 "[build]\n"
		 "target = \"aarch64-unknown-linux-gnu\"\n");
	assert_int_equal(chdir(proj), 0);
	memset(&j, 0, sizeof(j));
	wizard_read_current(&j);
	assert_non_null(realpath(".", real));
	expect = xasprintf("%s/.cargo/config.toml", real);
	assert_ptr_equal(j.cur, target_find("aarch64-unknown-linux-gnu"));
	assert_string_equal(j.cur_linker, "aarch64-linux-gnu-gcc");
	assert_string_equal(j.cur_file, expect);
	assert_string_equal(j.cur_cpu, "cortex-a72");
	assert_true(j.cur_runner);
	assert_true(j.cur_build);
	wizard_tc_job_release(&j);
	assert_null(j.cur_file);
	free(expect);

	/* linker only: no CPU, runner or [build] target */
	write_at(proj, ".cargo/config.toml",
		 "[target.armv7-unknown-linux-gnueabihf]\n"
		 "linker = 'clang'\n"
		 "[build]\n"
		 "target = \"x86_64-unknown-linux-gnu\"\n");
	memset(&j, 0, sizeof(j));
	wizard_read_current(&j);
	assert_ptr_equal(j.cur, target_find("armv7-unknown-linux-gnueabihf"));
	assert_non_null(j.cur_linker);
	assert_null(j.cur_cpu);
	assert_false(j.cur_runner);
	assert_false(j.cur_build);
	wizard_tc_job_release(&j);

	/* no Pi target: nothing */
	write_at(proj, ".cargo/config.toml",
		 "[target.x86_64-unknown-linux-gnu]\nlinker = \"cc\"\n");
	memset(&j, 0, sizeof(j));
	wizard_read_current(&j);
	assert_null(j.cur);
	assert_null(j.cur_linker);
	wizard_tc_job_release(&j);

	assert_int_equal(chdir(cwd), 0);
	if (old != NULL)
		setenv("CARGO_HOME", old, 1);
	else
		unsetenv("CARGO_HOME");
	free(old);
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);

		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	free(home);
	free(proj);
}

/* A struct wiz_report that keeps what a job said. */
struct said {
	struct strbuf log;
	int num, den, calls;
};

static void
said_log(void *data, const char *line)
{
	struct said *s = data;

	strbuf_addf(&s->log, "%s\n", line);
}

static void
said_progress(void *data, int num, int den)
{
	struct said *s = data;

	s->num = num;
	s->den = den;
	s->calls++;
}

/* Set name to value (NULL: unset); the old value into *old (malloc'd). */
static void
swap_env(const char *name, const char *value, char **old)
{
	if (old != NULL)
		*old = getenv(name) ? xstrdup(getenv(name)) : NULL;
	if (value != NULL)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

static void
test_jobs_headless(void **state)
{
	char tmpl[] = "/tmp/rpx-wizjob-XXXXXX";
	char *dir = mkdtemp(tmpl), *rustc, *std, *script, *cmd;
	char *old_rustc, *old_xdg, *old_home, *old_path;
	struct said said = { STRBUF_INIT, 0, 0, 0 };
	struct wiz_report rep = { said_log, said_progress, &said };
	struct wiz_tc_job j;
	struct wiz_cpu_job cj;
	int n, pis = 0;
	const struct target *all = target_all(&n);

	(void)state;
	assert_non_null(dir);
	/* a rustc that knows its version, its sysroot (with one std) and
	 * the CPUs of aarch64 only */
	rustc = xasprintf("%s/rustc", dir);
	std = xasprintf("mkdir -p '%s/sysroot/lib/rustlib/arm-unknown-linux-gnueabihf/lib'", dir);
	assert_int_equal(system(std), 0);
	script = xasprintf(
		"#!/bin/sh\n"
		"case \"$*\" in\n"
		"\"--version\") echo \"rustc 9.9.9 (fake)\";;\n"
		"\"--print sysroot\") echo \"%s/sysroot\";;\n"
		"\"--target aarch64-unknown-linux-gnu --print target-cpus\")\n"
		"  printf 'Available CPUs for this target:\\n    cortex-a72\\n    neoverse-n1\\n';;\n"
		"*) echo 'error: no such target' >&2; exit 1;;\n"
		"esac\n", dir);
	write_at(dir, "rustc", script);
	assert_int_equal(chmod(rustc, 0755), 0);
	swap_env("RUSTC", rustc, &old_rustc);
	swap_env("XDG_CONFIG_HOME", dir, &old_xdg);	/* no profiles there */
	swap_env("CARGO_HOME", dir, &old_home);

	memset(&j, 0, sizeof(j));
	assert_int_equal(wizard_job_toolchain(&j, &rep), 0);
	assert_int_equal(j.rc, 0);
	assert_string_equal(j.tc.rustc, rustc);
	assert_int_equal(j.ps.n, 0);
	assert_true(rpx_starts_with(said.log.buf,
		"Looking for rustc: $RUSTC, then PATH, then $CARGO_HOME/bin\n"));
	cmd = xasprintf("Found %s\nVersion: rustc 9.9.9 (fake)\n", rustc);
	assert_non_null(strstr(said.log.buf, cmd));
	free(cmd);
	assert_non_null(strstr(said.log.buf, "  arm-unknown-linux-gnueabihf"));
	assert_non_null(strstr(said.log.buf, " std installed\n"));
	assert_non_null(strstr(said.log.buf, "  aarch64-unknown-linux-gnu            std not installed\n"));
	for (int i = 0; i < n; i++)
		pis += all[i].pi_os;
	assert_int_equal(said.num, pis);	/* the last progress: all done */
	assert_int_equal(said.den, pis);
	assert_int_equal(said.calls, pis + 1);

	/* rustc's CPU list, and why there is none */
	memset(&cj, 0, sizeof(cj));
	cj.tc = &j.tc;
	cj.t = target_find("aarch64-unknown-linux-gnu");
	assert_int_equal(wizard_job_cpus(&cj), 0);
	assert_int_equal(cj.l.n, 2);
	assert_string_equal(cj.l.v[1].name, "neoverse-n1");
	cpu_list_release(&cj.l);
	cj.t = target_find("armv7-unknown-linux-gnueabihf");
	assert_int_not_equal(wizard_job_cpus(&cj), 0);
	assert_int_equal(cj.rc, wizard_job_cpus(&cj));
	assert_non_null(strstr(cj.why, "no such target"));
	cpu_list_release(&cj.l);

	/* no rustc at all */
	strbuf_reset(&said.log);
	wizard_tc_job_release(&j);
	memset(&j, 0, sizeof(j));
	setenv("RUSTC", "/nonexistent/rustc", 1);
	swap_env("PATH", "/nonexistent", &old_path);
	assert_int_not_equal(wizard_job_toolchain(&j, &rep), 0);
	swap_env("PATH", old_path, NULL);
	free(old_path);
	assert_non_null(strstr(said.log.buf, "No working rustc was found.\n"));
	wizard_tc_job_release(&j);
	/* a job without a report says nothing and still works */
	memset(&j, 0, sizeof(j));
	setenv("RUSTC", rustc, 1);
	assert_int_equal(wizard_job_toolchain(&j, NULL), 0);
	wizard_tc_job_release(&j);

	swap_env("RUSTC", old_rustc, NULL);
	swap_env("XDG_CONFIG_HOME", old_xdg, NULL);
	swap_env("CARGO_HOME", old_home, NULL);
	free(old_rustc);
	free(old_xdg);
	free(old_home);
	strbuf_release(&said.log);
	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(script);
	free(std);
	free(rustc);
}

static void
test_step_for_cause(void **state)
{
	(void)state;
	assert_int_equal(wizard_step_for_cause(PTC_AUTH), WIZ_BOARD);
	assert_int_equal(wizard_step_for_cause(PTC_HOST_KEY), WIZ_BOARD);
	assert_int_equal(wizard_step_for_cause(PTC_GLIBC_TOO_NEW), WIZ_OS);
	assert_int_equal(wizard_step_for_cause(PTC_STD_MISSING), WIZ_OS);
	assert_int_equal(wizard_step_for_cause(PTC_LINKER_NOT_FOUND), WIZ_LINKER);
	assert_int_equal(wizard_step_for_cause(PTC_WRONG_LINKER), WIZ_LINKER);
	assert_int_equal(wizard_step_for_cause(PTC_ILLEGAL_INSN), WIZ_CPU);
	assert_int_equal(wizard_step_for_cause(PTC_BUILD_FAILED), WIZ_CONFIG);
	assert_int_equal(wizard_step_for_cause(PTC_RUN_FAILED), WIZ_TEST);
	assert_int_equal(wizard_step_for_cause(PTC_CANCELLED), WIZ_TEST);
}

/* How the std comes: rustup adds it itself; a distro rustc's package is
 * named (on an apt host) in the advice and the Summary. */
static void
test_std_advice(void **state)
{
	struct wizard w;
	struct toolchain tc = TOOLCHAIN_INIT;
	struct std_install si = STD_INSTALL_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct host_os os;

	(void)state;
	wizard_init(&w);
	tc.kind = TOOLCHAIN_RUSTUP;
	tc.rustc = xstrdup("/home/u/.rustup/toolchains/stable-x/bin/rustc");
	tc.sysroot = xstrdup("/nonexistent-sysroot");
	tc.rustup = xstrdup("/home/u/.cargo/bin/rustup");
	tc.rustup_name = xstrdup("stable-x");
	wizard_set_toolchain(&w, &tc, 0);
	wizard_set_board(&w, board_find("pi2"));
	assert_int_equal(wizard_std_installed(&w), 0);
	wizard_std_advice(&w, &si);
	assert_true(si.automatic);
	assert_string_equal(si.command,
			    "rustup target add --toolchain stable-x armv7-unknown-linux-gnueabihf");
	std_install_release(&si);
	wizard_release(&w);

	wizard_init(&w);
	tc = (struct toolchain)TOOLCHAIN_INIT;
	tc.kind = TOOLCHAIN_DISTRO;
	tc.rustc = xstrdup("/usr/bin/rustc");
	tc.sysroot = xstrdup("/nonexistent-sysroot");
	wizard_set_toolchain(&w, &tc, 0);
	wizard_set_board(&w, board_find("pi2"));
	wizard_std_advice(&w, &si);
	assert_false(si.automatic);
	wizard_summary(&w, &sb);
	memset(&os, 0, sizeof(os));
	hostos_detect(&os);
	if (os.pm == PKG_APT) {
		assert_string_equal(si.packages, "libstd-rust-dev:armhf");
		assert_non_null(strstr(sb.buf, "std:     not installed: sudo dpkg "
				       "--add-architecture armhf"));
		assert_non_null(strstr(sb.buf, "apt-get install libstd-rust-dev:armhf"));
	} else {
		assert_non_null(si.note);
		assert_non_null(strstr(sb.buf, "std:     not installed: "));
	}
	strbuf_release(&sb);
	std_install_release(&si);
	wizard_release(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_welcome_needs_a_toolchain),
		cmocka_unit_test(test_board_step_needs_a_board),
		cmocka_unit_test(test_zero_w_is_armv6_and_32_bit_only),
		cmocka_unit_test(test_pi4_bits_and_libc),
		cmocka_unit_test(test_cpu_choices_fit_the_target),
		cmocka_unit_test(test_set_cpu),
		cmocka_unit_test(test_walk_every_step),
		cmocka_unit_test(test_cargo_command_and_summary),
		cmocka_unit_test(test_std_advice),
		cmocka_unit_test(test_std_installed_from_sysroot),
		cmocka_unit_test(test_linker_choice),
		cmocka_unit_test(test_cpus_from_rustc),
		cmocka_unit_test(test_apply_probe),
		cmocka_unit_test(test_ssh_aliases),
		cmocka_unit_test(test_config_choices),
		cmocka_unit_test(test_start_from_profile_and_config),
		cmocka_unit_test(test_step_for_cause),
		cmocka_unit_test(test_board_rows),
		cmocka_unit_test(test_os_rows_for_a_board),
		cmocka_unit_test(test_cpu_rows_board_core_first),
		cmocka_unit_test(test_linker_preselect),
		cmocka_unit_test(test_config_and_test_rows),
		cmocka_unit_test_setup_teardown(test_sysroot_choice, testdir_setup,
						testdir_teardown),
		cmocka_unit_test(test_read_current),
		cmocka_unit_test(test_jobs_headless),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "en_US.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
