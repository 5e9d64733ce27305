/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* wizard.c - the wizard's step machine (see wizard.h). */
#include "wizard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cpu.h"
#include "hostos.h"
#include "strvec.h"

static const char *const step_names[WIZ_NSTEPS] = {
	[WIZ_WELCOME] = "Welcome",
	[WIZ_BOARD] = "Board",
	[WIZ_OS] = "OS and libc",
	[WIZ_LINKER] = "Linker",
	[WIZ_CPU] = "CPU",
	[WIZ_CONFIG] = "Config",
	[WIZ_TEST] = "Test",
	[WIZ_SUMMARY] = "Summary",
};

void
wizard_init(struct wizard *w)
{
	memset(w, 0, sizeof(*w));
	w->step = WIZ_WELCOME;
	w->tc_state = WIZ_TC_SEARCHING;
	w->plan.libc = LIBC_GNU;
	w->plan.scope = PLAN_SCOPE_GLOBAL;
}

void
wizard_release(struct wizard *w)
{
	/* plan.rustc points into w->tc */
	w->plan.rustc = NULL;
	plan_release(&w->plan);
	toolchain_release(&w->tc);
	cpu_list_release(&w->cpus);
	free(w->cpus_triple);
	w->cpus_triple = NULL;
	free(w->config_path);
	w->config_path = NULL;
	wizard_sysroots_release(w);
	free(w->cur_file);
	free(w->cur_linker);
	free(w->cur_cpu);
	w->cur_file = w->cur_linker = w->cur_cpu = NULL;
}

const char *
wizard_step_name(enum wiz_step s)
{
	if ((int)s < 0 || s >= WIZ_NSTEPS)
		return "?";
	return step_names[s];
}

bool
wizard_step_available(enum wiz_step s, const char **cmd)
{
	/* every step is in this version */
	(void)s;
	if (cmd != NULL)
		*cmd = NULL;
	return true;
}

bool
wizard_check(const struct wizard *w, const char **why)
{
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	*why = "";
	switch (w->step) {
	case WIZ_WELCOME:
		if (w->tc_state == WIZ_TC_SEARCHING) {
			*why = "still looking for the Rust toolchain";
			return false;
		}
		if (w->tc_state == WIZ_TC_MISSING) {
			*why = "install Rust first (see above), then run rpi-cross again";
			return false;
		}
		return true;
	case WIZ_BOARD:
		if (w->plan.board == NULL) {
			*why = "choose a board first";
			return false;
		}
		return true;
	case WIZ_OS:
		if (w->plan.target == NULL) {
			*why = "no target fits this choice: pick another word size";
			return false;
		}
		return true;
	case WIZ_CONFIG:
		if (!w->config_done) {
			*why = "show the changes and write them first (or go back)";
			return false;
		}
		return true;
	case WIZ_LINKER:
		if (w->plan.linker == NULL) {
			*why = "choose a linker that works first (or install one: see above)";
			return false;
		}
		return true;
	case WIZ_CPU:
		if (w->plan.cpu == NULL) {
			*why = "choose a CPU first";
			return false;
		}
		return true;
	default:
		return true;
	}
}

int
wizard_next(struct wizard *w)
{
	if (!wizard_check(w, NULL))
		return RPX_EINVAL;
	if (w->step == WIZ_SUMMARY) {
		w->finished = true;
		return 0;
	}
	w->step++;
	return 0;
}

int
wizard_back(struct wizard *w)
{
	if (w->step == WIZ_WELCOME)
		return RPX_EINVAL;
	w->step--;
	w->finished = false;
	return 0;
}

void
wizard_set_toolchain(struct wizard *w, struct toolchain *tc, int rc)
{
	toolchain_release(&w->tc);
	w->tc = *tc;
	/* every string moved to w->tc: leave nothing for the caller to free */
	memset(tc, 0, sizeof(*tc));
	w->tc_state = (rc == 0 && w->tc.rustc != NULL) ? WIZ_TC_FOUND
						       : WIZ_TC_MISSING;
	if (w->tc_state == WIZ_TC_FOUND) {
		w->plan.rustc = w->tc.rustc;
	} else {
		w->plan.rustc = NULL;
		toolchain_release(&w->tc);
	}
}

static void
note(struct wizard *w, enum plan_field f, enum plan_src src, const char *why)
{
	w->plan.notes[f].src = src;
	snprintf(w->plan.notes[f].why, sizeof(w->plan.notes[f].why), "%s",
		 why ? why : "");
}

static void
set_link_args(struct wizard *w, char **args)
{
	strvec_free_array(w->plan.link_args);
	w->plan.link_args = args;
}

static void
set_cpu_raw(struct wizard *w, const char *name, enum plan_src src,
	    const char *why);

/* The plan reached the target of the existing config: its values. */
static void
take_current(struct wizard *w)
{
	char why[256];

	snprintf(why, sizeof(why), "from %s", w->cur_file ? w->cur_file : "the Cargo config");
	if (w->cur_linker != NULL) {
		plan_set_str(&w->plan.linker, w->cur_linker);
		note(w, PF_LINKER, PLAN_CONFIG, why);
	}
	if (w->cur_cpu != NULL)
		set_cpu_raw(w, w->cur_cpu, PLAN_CONFIG, why);
	if (w->plan.notes[PF_RUNNER].src == PLAN_UNSET ||
	    w->plan.notes[PF_RUNNER].src == PLAN_CONFIG) {
		w->plan.runner = w->cur_runner;
		note(w, PF_RUNNER, PLAN_CONFIG, why);
	}
	if (w->plan.notes[PF_BUILD_TARGET].src == PLAN_UNSET ||
	    w->plan.notes[PF_BUILD_TARGET].src == PLAN_CONFIG) {
		w->plan.build_target = w->cur_build_target;
		note(w, PF_BUILD_TARGET, PLAN_CONFIG, why);
	}
}

static const struct wiz_cpu *
cpu_in_choices(const struct wiz_cpu *c, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0)
			return &c[i];
	return NULL;
}

static void
set_cpu_raw(struct wizard *w, const char *name, enum plan_src src,
	    const char *why)
{
	free(w->plan.cpu);
	w->plan.cpu = name ? xstrdup(name) : NULL;
	note(w, PF_CPU, name ? src : PLAN_UNSET, why);
}

/* Target from board, bits and libc; CPU back to the board's core when the
 * one chosen does not fit the new target. */
static void
retarget(struct wizard *w)
{
	const char *why = "";
	const struct target *old = w->plan.target;
	struct wiz_cpu c[8];
	int n;

	w->plan.target = board_recommend(w->plan.board, w->plan.os_bits,
					 w->plan.libc, &why);
	if (w->plan.target != old) {
		/* a linker proven for another target proves nothing here */
		plan_set_str(&w->plan.linker, NULL);
		set_link_args(w, NULL);
		note(w, PF_LINKER, PLAN_UNSET, NULL);
		if (w->plan.target != NULL && w->plan.target == w->cur_target)
			take_current(w);
	}
	note(w, PF_TARGET, w->plan.target ? PLAN_DEFAULT : PLAN_UNSET, why);
	n = wizard_cpu_choices(w, c, (int)ARRAY_SIZE(c));
	if (w->plan.target == NULL) {
		set_cpu_raw(w, NULL, PLAN_UNSET, NULL);
		return;
	}
	if (w->plan.cpu != NULL && (w->plan.notes[PF_CPU].src == PLAN_USER ||
				    w->plan.notes[PF_CPU].src == PLAN_CONFIG ||
				    w->plan.notes[PF_CPU].src == PLAN_PROFILE)) {
		const struct wiz_cpu *have = cpu_in_choices(c, n, w->plan.cpu);

		if (have != NULL && have->usable)
			return;
		if (have == NULL && w->plan.notes[PF_CPU].src != PLAN_USER)
			return;		/* rustc's name from the config/profile */
	}
	set_cpu_raw(w, w->plan.board->cpu->name, PLAN_DEFAULT,
		    "the board's own core: code tuned for it runs best there");
}

static const char *
bits_reason(const struct board *b)
{
	if (b->official64)
		return "Raspberry Pi OS 64-bit supports this board: aarch64 code, more registers";
	if (b->can64)
		return "the CPU can run 64-bit, but Raspberry Pi OS 64-bit does not support this board";
	return "this board's CPU is 32-bit only";
}

void
wizard_set_board(struct wizard *w, const struct board *b)
{
	if (b == NULL)
		return;
	note(w, PF_BOARD, PLAN_USER, "chosen in the wizard");
	if (w->plan.board == b && w->plan.target != NULL)
		return;
	w->plan.board = b;
	w->plan.os_bits = board_default_bits(b);
	note(w, PF_BITS, PLAN_DEFAULT, bits_reason(b));
	w->plan.libc = LIBC_GNU;
	note(w, PF_LIBC, PLAN_DEFAULT,
	     "glibc, as Raspberry Pi OS ships: smaller binaries, faster allocator");
	if (w->cur_target != NULL &&
	    board_recommend(b, w->cur_target->bits, w->cur_target->libc, NULL) ==
	    w->cur_target) {
		char why[256];

		snprintf(why, sizeof(why), "from %s (target %s)",
			 w->cur_file ? w->cur_file : "the Cargo config",
			 w->cur_target->triple);
		w->plan.os_bits = w->cur_target->bits;
		note(w, PF_BITS, PLAN_CONFIG, why);
		w->plan.libc = w->cur_target->libc;
		note(w, PF_LIBC, PLAN_CONFIG, why);
	}
	set_cpu_raw(w, NULL, PLAN_UNSET, NULL);
	w->plan.target = NULL;
	retarget(w);
}

bool
wizard_bits_allowed(const struct wizard *w, int bits, const char **why)
{
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	*why = "";
	if (bits != 32 && bits != 64) {
		*why = "a Raspberry Pi OS is 32- or 64-bit";
		return false;
	}
	if (w->plan.board == NULL) {
		*why = "choose a board first";
		return false;
	}
	if (bits == 64 && !w->plan.board->can64) {
		*why = "this board's CPU is 32-bit only";
		return false;
	}
	return true;
}

int
wizard_set_bits(struct wizard *w, int bits)
{
	if (!wizard_bits_allowed(w, bits, NULL))
		return RPX_EINVAL;
	w->plan.os_bits = bits;
	if (bits == board_default_bits(w->plan.board))
		note(w, PF_BITS, PLAN_USER, bits_reason(w->plan.board));
	else if (bits == 64)
		note(w, PF_BITS, PLAN_USER,
		     "chosen: this board's CPU can run a 64-bit OS, though not officially supported");
	else
		note(w, PF_BITS, PLAN_USER,
		     "chosen: a 32-bit OS (armhf) on this board");
	retarget(w);
	return 0;
}

void
wizard_set_libc(struct wizard *w, enum libc libc)
{
	w->plan.libc = libc;
	note(w, PF_LIBC, PLAN_USER, libc == LIBC_MUSL ?
	     "musl: a static binary that runs whatever the Pi's glibc; often slower" :
	     "glibc: smaller and faster, but needs a glibc no newer than the Pi's");
	if (w->plan.board != NULL)
		retarget(w);
}

int
wizard_cpu_choices(const struct wizard *w, struct wiz_cpu *out, int max)
{
	const struct board *b = w->plan.board;
	const struct target *t = w->plan.target;
	const struct pi_cpu *cores;
	size_t ncores;
	int n = 0;

	if (b == NULL || t == NULL)
		return 0;
	cores = pi_cpu_all(&ncores);	/* the Pi cores, oldest first */
	/* the board's core first */
	if (n < max)
		out[n++] = (struct wiz_cpu){ b->cpu->name, b->cpu->label, true,
					     true, "this board's own core" };
	if (n < max)
		out[n++] = (struct wiz_cpu){
			"generic", "generic (the target's baseline)", false, true,
			"no tuning: runs on all"
		};
	for (size_t i = 0; i < ncores && n < max; i++) {
		const struct pi_cpu *c = &cores[i];
		bool fits = t->bits == 64 ? c->isa >= ISA_ARMV8 :
			    c->isa >= t->min_isa;

		if (!fits || c == b->cpu)
			continue;
		if (c->isa > b->cpu->isa)
			out[n++] = (struct wiz_cpu){
				c->name, c->label, false, false,
				"newer than this board: Illegal instruction"
			};
		else
			out[n++] = (struct wiz_cpu){
				c->name, c->label, false, true,
				"older core: runs here"
			};
	}
	return n;
}

static bool
cpu_name_ok(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		      c == '_' || c == '+'))
			return false;
	}
	return true;
}

int
wizard_set_cpu(struct wizard *w, const char *name, enum plan_src src)
{
	struct wiz_cpu c[8];
	const struct wiz_cpu *have;
	char why[200];
	int n;

	if (w->plan.target == NULL || !cpu_name_ok(name))
		return RPX_EINVAL;
	n = wizard_cpu_choices(w, c, (int)ARRAY_SIZE(c));
	have = cpu_in_choices(c, n, name);
	if (have != NULL && !have->usable)
		return RPX_EINVAL;
	for (size_t i = 0; have == NULL && i < PI_NCORES; i++)
		if (strcmp(pi_cpus[i].name, name) == 0)
			return RPX_EINVAL;	/* a Pi core that does not fit */
	if (have != NULL) {
		set_cpu_raw(w, name, src, have->board_core ?
			    "the board's own core: code tuned for it runs best there" :
			    have->why);
		return 0;
	}
	if (wizard_have_cpus(w)) {
		if (cpu_list_find(&w->cpus, name) < 0)
			return RPX_ENOTFOUND;
		snprintf(why, sizeof(why),
			 "in rustc's list for %s; check that the board's CPU runs code for it",
			 w->plan.target->triple);
		set_cpu_raw(w, name, src, why);
		return 0;
	}
	set_cpu_raw(w, name, src,
		    "typed in: not checked, rustc could not list its CPUs");
	return 0;
}

void
wizard_set_cpus(struct wizard *w, const char *triple, struct cpu_list *l,
		const char *why)
{
	cpu_list_release(&w->cpus);
	free(w->cpus_triple);
	w->cpus_triple = triple ? xstrdup(triple) : NULL;
	w->cpus_why[0] = '\0';
	if (l != NULL) {
		w->cpus = *l;
		*l = (struct cpu_list)CPU_LIST_INIT;
	} else {
		snprintf(w->cpus_why, sizeof(w->cpus_why), "%s",
			 why ? why : "rustc did not list its CPUs");
	}
}

bool
wizard_have_cpus(const struct wizard *w)
{
	return w->cpus.n > 0 && w->cpus_triple != NULL &&
	       w->plan.target != NULL &&
	       strcmp(w->cpus_triple, w->plan.target->triple) == 0;
}

int
wizard_set_linker(struct wizard *w, const struct linker *l,
		  enum plan_src src)
{
	char why[256];

	if (w->plan.target == NULL || l == NULL || l->name == NULL)
		return RPX_EINVAL;
	plan_set_str(&w->plan.linker, l->name);
	set_link_args(w, linker_link_args(l->rustflags));
	if (l->works)
		snprintf(why, sizeof(why), "%s: it linked a test program for %s%s",
			 src == PLAN_USER ? "chosen" : "the best that works",
			 w->plan.target->triple,
			 l->probe == LINKER_PROBE_RUSTC ? " with rustc" : "");
	else
		snprintf(why, sizeof(why), "chosen although its probe failed: %s",
			 l->why ? l->why : "no reason given");
	note(w, PF_LINKER, src, why);
	return 0;
}

int
wizard_apply_probe(struct wizard *w, const char *host,
		   const struct remote_probe *p, char *msg, size_t msgsz)
{
	const struct board *b = p->ident.board;
	const char *tc_glibc = w->plan.toolchain_glibc ?
			       w->plan.toolchain_glibc : PLAN_TOOLCHAIN_GLIBC;
	char why[256];

	plan_set_str(&w->plan.host, host);
	note(w, PF_HOST, PLAN_USER, "detected over SSH");
	plan_set_str(&w->plan.pi_glibc, p->glibc[0] ? p->glibc : NULL);
	if (b == NULL) {
		snprintf(msg, msgsz,
			 "the Pi says it is '%s', a model rpi-cross does not know: choose the closest one from the list",
			 p->ident.model[0] ? p->ident.model : "nothing");
		return RPX_ENOTFOUND;
	}
	w->plan.board = b;
	snprintf(why, sizeof(why), "detected over SSH (%s)",
		 p->model_source[0] ? p->model_source : "probe");
	note(w, PF_BOARD, PLAN_DETECTED, why);
	if ((p->os_bits == 32 || p->os_bits == 64) &&
	    (p->os_bits == 32 || b->can64)) {
		w->plan.os_bits = p->os_bits;
		snprintf(why, sizeof(why), "detected: the Pi runs a %d-bit userland%s%s%s",
			 p->os_bits, p->os_pretty[0] ? " (" : "", p->os_pretty,
			 p->os_pretty[0] ? ")" : "");
		note(w, PF_BITS, PLAN_DETECTED, why);
	} else {
		w->plan.os_bits = board_default_bits(b);
		note(w, PF_BITS, PLAN_DEFAULT, bits_reason(b));
	}
	if (p->glibc[0] != '\0' && plan_version_cmp(p->glibc, tc_glibc) < 0) {
		w->plan.libc = LIBC_MUSL;
		snprintf(why, sizeof(why),
			 "the Pi's glibc %s is older than the cross toolchain's %s: a gnu binary would not start there; musl is static",
			 p->glibc, tc_glibc);
		note(w, PF_LIBC, PLAN_DETECTED, why);
	} else {
		w->plan.libc = LIBC_GNU;
		if (p->glibc[0] != '\0')
			snprintf(why, sizeof(why),
				 "the Pi has glibc %s, as new as the cross toolchain's %s: smaller binaries, faster allocator",
				 p->glibc, tc_glibc);
		else
			snprintf(why, sizeof(why), "%s",
				 "glibc, as Raspberry Pi OS ships (the Pi's version could not be read)");
		note(w, PF_LIBC, PLAN_DETECTED, why);
	}
	set_cpu_raw(w, NULL, PLAN_UNSET, NULL);
	w->plan.target = NULL;
	retarget(w);
	snprintf(msg, msgsz, "%s, %d-bit %s, glibc %s", b->name,
		 w->plan.os_bits, p->os_pretty[0] ? p->os_pretty : "Linux",
		 p->glibc[0] ? p->glibc : "unknown");
	return 0;
}

static bool
alias_plain(const char *s)
{
	return *s != '\0' && strpbrk(s, "*?!") == NULL;
}

char **
wizard_ssh_aliases(const char *path, int *n)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	struct strvec out = STRVEC_INIT;
	char line[1024];

	*n = 0;
	if (f == NULL)
		return strvec_detach(&out);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line, *save = NULL, *tok;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "host", 4) != 0 ||
		    (p[4] != ' ' && p[4] != '\t' && p[4] != '='))
			continue;
		p += 4;
		for (tok = strtok_r(p, " \t=\r\n", &save); tok != NULL;
		     tok = strtok_r(NULL, " \t=\r\n", &save)) {
			if (*tok == '#')
				break;
			if (alias_plain(tok) && !strvec_has(&out, tok))
				strvec_push(&out, tok);
		}
	}
	fclose(f);
	*n = (int)out.n;
	return strvec_detach(&out);
}

enum wiz_step
wizard_step_for_cause(enum pitest_cause c)
{
	switch (c) {
	case PTC_CONNECT:
	case PTC_HOST_KEY:
	case PTC_AUTH:
		return WIZ_BOARD;
	case PTC_STD_MISSING:
	case PTC_GLIBC_TOO_NEW:
	case PTC_WRONG_BITS:
	case PTC_NO_LOADER:
	case PTC_EXEC_FORMAT:
		return WIZ_OS;
	case PTC_LINKER_NOT_FOUND:
	case PTC_LINK_FAILED:
	case PTC_WRONG_LINKER:
		return WIZ_LINKER;
	case PTC_WRONG_ISA:
	case PTC_ILLEGAL_INSN:
		return WIZ_CPU;
	case PTC_BUILD_FAILED:
		return WIZ_CONFIG;
	default:
		return WIZ_TEST;
	}
}

void
wizard_test_done(struct wizard *w, bool passed, const char *note)
{
	w->test_state = passed ? 1 : -1;
	snprintf(w->test_note, sizeof(w->test_note), "%s", note ? note : "");
}

void
wizard_set_current(struct wizard *w, const struct target *t, const char *file,
		   const char *linker, const char *cpu, bool runner,
		   bool build_target)
{
	w->cur_target = t;
	plan_set_str(&w->cur_file, file);
	plan_set_str(&w->cur_linker, linker);
	plan_set_str(&w->cur_cpu, cpu && cpu_name_ok(cpu) ? cpu : NULL);
	w->cur_runner = runner;
	w->cur_build_target = build_target;
}

int
wizard_apply_plan(struct wizard *w, const struct plan *src)
{
	const struct plan_note *n = src->notes;
	const struct target *t = src->target;

	if (src->board == NULL)
		return RPX_EINVAL;
	w->plan.board = src->board;
	note(w, PF_BOARD, n[PF_BOARD].src, n[PF_BOARD].why);
	if (src->os_bits != 0) {
		w->plan.os_bits = src->os_bits;
		note(w, PF_BITS, n[PF_BITS].src, n[PF_BITS].why);
	} else if (t != NULL) {
		w->plan.os_bits = t->bits;
		note(w, PF_BITS, n[PF_TARGET].src, n[PF_TARGET].why);
	} else {
		w->plan.os_bits = board_default_bits(src->board);
		note(w, PF_BITS, PLAN_DEFAULT, bits_reason(src->board));
	}
	if (w->plan.os_bits == 64 && !src->board->can64) {
		w->plan.os_bits = 32;
		note(w, PF_BITS, PLAN_DEFAULT, bits_reason(src->board));
	}
	w->plan.libc = n[PF_LIBC].src != PLAN_UNSET ? src->libc :
		       t ? t->libc : LIBC_GNU;
	note(w, PF_LIBC, n[PF_LIBC].src != PLAN_UNSET ? n[PF_LIBC].src : PLAN_DEFAULT,
	     n[PF_LIBC].src != PLAN_UNSET ? n[PF_LIBC].why :
	     "glibc, as Raspberry Pi OS ships: smaller binaries, faster allocator");
	set_cpu_raw(w, NULL, PLAN_UNSET, NULL);
	w->plan.target = NULL;
	retarget(w);
	if (src->cpu != NULL)
		set_cpu_raw(w, src->cpu, n[PF_CPU].src, n[PF_CPU].why);
	if (src->linker != NULL && w->plan.target != NULL) {
		struct strvec args = STRVEC_INIT;

		plan_set_str(&w->plan.linker, src->linker);
		strvec_pushv(&args, (const char *const *)src->link_args);
		/* none: NULL, as a plan keeps it */
		set_link_args(w, args.n > 0 ? strvec_detach(&args) : NULL);
		note(w, PF_LINKER, n[PF_LINKER].src, n[PF_LINKER].why);
	}
	if (n[PF_CONFIG].src != PLAN_UNSET) {
		w->plan.scope = src->scope;
		plan_set_str(&w->plan.project_dir, src->project_dir);
		plan_set_str(&w->plan.config_file, src->config_file);
		note(w, PF_CONFIG, n[PF_CONFIG].src, n[PF_CONFIG].why);
	}
	if (n[PF_BUILD_TARGET].src != PLAN_UNSET) {
		w->plan.build_target = src->build_target;
		note(w, PF_BUILD_TARGET, n[PF_BUILD_TARGET].src, n[PF_BUILD_TARGET].why);
	}
	if (n[PF_RUNNER].src != PLAN_UNSET) {
		w->plan.runner = src->runner;
		note(w, PF_RUNNER, n[PF_RUNNER].src, n[PF_RUNNER].why);
	}
	if (src->host != NULL) {
		plan_set_str(&w->plan.host, src->host);
		note(w, PF_HOST, n[PF_HOST].src, n[PF_HOST].why);
	}
	return 0;
}

void
wizard_set_scope(struct wizard *w, enum plan_scope scope, const char *dir)
{
	w->plan.scope = scope;
	plan_set_str(&w->plan.project_dir,
		     scope == PLAN_SCOPE_PROJECT ? dir : NULL);
	note(w, PF_CONFIG, PLAN_USER, scope == PLAN_SCOPE_PROJECT ?
	     "chosen: only builds in this project use it" :
	     "chosen: every project of this user uses it");
}

void
wizard_set_options(struct wizard *w, bool build_target, bool runner)
{
	if (build_target != w->plan.build_target) {
		w->plan.build_target = build_target;
		note(w, PF_BUILD_TARGET, PLAN_USER, build_target ?
		     "cargo build builds for the Pi without --target" :
		     "cargo build keeps building for this machine");
	}
	if (runner != w->plan.runner) {
		w->plan.runner = runner;
		note(w, PF_RUNNER, PLAN_USER, runner ?
		     "cargo run copies the program to the Pi and runs it there" :
		     "cargo run is not set up for the Pi");
	}
}

void
wizard_config_done(struct wizard *w, const char *path, bool changed)
{
	w->config_done = true;
	w->config_changed = changed;
	free(w->config_path);
	w->config_path = path ? xstrdup(path) : NULL;
}

void
wizard_config_reset(struct wizard *w)
{
	w->config_done = false;
	w->config_changed = false;
	free(w->config_path);
	w->config_path = NULL;
}

int
wizard_std_installed(const struct wizard *w)
{
	if (w->tc_state != WIZ_TC_FOUND || w->plan.target == NULL)
		return -1;
	return toolchain_has_std(&w->tc, w->plan.target->triple) ? 1 : 0;
}

void
wizard_std_advice(const struct wizard *w, struct std_install *si)
{
	struct host_os os;

	memset(&os, 0, sizeof(os));
	hostos_detect(&os);
	toolchain_std_install(&w->tc, w->plan.target, &os, si);
}

const char *
wizard_src_label(enum plan_src src)
{
	/* a default: plan.h may grow sources the wizard never sets */
	switch (src) {
	case PLAN_UNSET: return "not set";
	case PLAN_DEFAULT: return "recommended";
	case PLAN_FLAG: return "from an option";
	case PLAN_PROFILE: return "from the profile";
	case PLAN_DETECTED: return "detected";
	case PLAN_CONFIG: return "from the Cargo config";
	case PLAN_USER: return "chosen";
	default: return "set outside the wizard";
	}
}

char *
wizard_cargo_command(const struct wizard *w)
{
	const char *t = w->plan.target ? w->plan.target->triple : NULL;
	const char *cpu = w->plan.cpu;

	if (t == NULL)
		return NULL;
	if (w->config_done && w->plan.build_target)
		return xstrdup("cargo build --release");
	if (w->config_done)
		return xasprintf("cargo build --release --target %s", t);
	if (cpu != NULL && strcmp(cpu, "generic") != 0)
		return xasprintf("RUSTFLAGS=\"-C target-cpu=%s\" cargo build --release --target %s",
				 cpu, t);
	return xasprintf("cargo build --release --target %s", t);
}

static void
add_line(struct wiz_summary *out, const char *label, bool build, char *value)
{
	ALLOC_GROW(out->v, out->n + 1, out->alloc);
	out->v[out->n].label = label;
	out->v[out->n].value = value;
	out->v[out->n].build = build;
	out->n++;
}

/* A field of the plan: its value, where it came from and why. */
static void
field(struct wiz_summary *out, const struct wizard *w, const char *label,
      enum plan_field f, const char *value)
{
	const struct plan_note *n = &w->plan.notes[f];
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, value);
	if (n->src != PLAN_UNSET)
		strbuf_addf(&sb, " (%s)", wizard_src_label(n->src));
	if (n->why[0] != '\0' && f != PF_BOARD)
		strbuf_addf(&sb, " \xe2\x80\x94 %s", n->why);
	add_line(out, label, false, strbuf_detach(&sb, NULL));
}

void
wizard_summary_lines(const struct wizard *w, struct wiz_summary *out)
{
	const struct plan *p = &w->plan;
	char buf[96];
	char *cmd;
	int std;

	wiz_summary_release(out);
	field(out, w, "Board:", PF_BOARD, p->board ? p->board->name : "not chosen");
	snprintf(buf, sizeof(buf), "%d-bit Raspberry Pi OS", p->os_bits);
	field(out, w, "OS:", PF_BITS, p->os_bits ? buf : "not chosen");
	field(out, w, "libc:", PF_LIBC, p->board ? libc_name(p->libc) : "not chosen");
	field(out, w, "Target:", PF_TARGET,
	      p->target ? p->target->triple : "none fits");
	std = wizard_std_installed(w);
	if (p->target != NULL && std > 0)
		add_line(out, "std:", false, xstrdup("installed"));
	else if (p->target != NULL && std == 0) {
		struct std_install si = STD_INSTALL_INIT;

		wizard_std_advice(w, &si);
		add_line(out, "std:", false, xasprintf("not installed: %s",
			 si.command ? si.command : si.note ? si.note : "?"));
		std_install_release(&si);
	}
	else if (p->target != NULL)
		add_line(out, "std:", false,
			 xstrdup("unknown (no Rust toolchain found)"));
	field(out, w, "CPU:", PF_CPU, p->cpu ? p->cpu : "not chosen");
	if (p->linker != NULL) {
		struct strbuf v = STRBUF_INIT;

		strbuf_adds(&v, p->linker);
		for (char **a = p->link_args; a != NULL && *a != NULL; a++)
			strbuf_addf(&v, "%s%s", a == p->link_args ?
				    " with link-args " : " ", *a);
		field(out, w, "Linker:", PF_LINKER, v.buf);
		strbuf_release(&v);
	} else {
		add_line(out, "Linker:", false, xstrdup("not chosen"));
	}
	if (w->sysroot != NULL)
		add_line(out, "Sysroot:", false, xasprintf("%s (%s): C libraries link against the Pi's own libraries and glibc",
			 w->sysroot, w->sysroot_root));
	else if (w->config_done && p->target != NULL &&
		 wizard_sysroot_possible(w, NULL))
		add_line(out, "Sysroot:", false, xstrdup("none (pure Rust: no C libraries of the Pi wired)"));
	if (w->config_done && w->config_changed) {
		/* a new file has no backup: say which it was */
		char *bak = xasprintf("%s.bak", w->config_path);

		add_line(out, "Config:", false, access(bak, F_OK) == 0 ?
			 xasprintf("%s (written; the old one kept as %s)",
				   w->config_path, bak) :
			 xasprintf("%s (written: a new file)", w->config_path));
		free(bak);
	} else if (w->config_done)
		add_line(out, "Config:", false, xasprintf("%s %s",
			 w->config_path, "(already right: not changed)"));
	else
		add_line(out, "Config:", false, xstrdup("nothing written"));
	if (p->host != NULL)
		field(out, w, "Host:", PF_HOST, p->host);
	if (w->test_state != 0)
		add_line(out, "Test:", false, xasprintf("%s%s%s",
			 w->test_state > 0 ? "passed" : "failed",
			 w->test_note[0] ? ": " : "", w->test_note));
	cmd = wizard_cargo_command(w);
	if (cmd == NULL)
		return;
	add_line(out, "Build:", true, cmd);	/* out owns it now */
	if (w->config_done && p->runner)
		add_line(out, "Run:", false, xasprintf("cargo run --release%s%s",
			 p->build_target ? "" : " --target ",
			 p->build_target ? "" : p->target->triple));
}

void
wiz_summary_release(struct wiz_summary *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].value);
	free(s->v);
	s->v = NULL;
	s->n = s->alloc = 0;
}

void
wizard_summary(const struct wizard *w, struct strbuf *sb)
{
	struct wiz_summary lines = WIZ_SUMMARY_INIT;

	wizard_summary_lines(w, &lines);
	for (size_t i = 0; i < lines.n; i++)
		strbuf_addf(sb, "%-8s %s\n", lines.v[i].label,
			    lines.v[i].value);
	wiz_summary_release(&lines);
}
