/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* plan.c - the plan: defaults with reasons, contradictions (see plan.h). */
#include "plan.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "strvec.h"

static const char *const field_names[PF_COUNT] = {
	[PF_BOARD] = "board",
	[PF_BITS] = "bits",
	[PF_LIBC] = "libc",
	[PF_TARGET] = "target",
	[PF_TOOLCHAIN] = "toolchain",
	[PF_LINKER] = "linker",
	[PF_CPU] = "cpu",
	[PF_CONFIG] = "config",
	[PF_BUILD_TARGET] = "build-target",
	[PF_RUNNER] = "runner",
	[PF_HOST] = "host",
};

void
plan_init(struct plan *p)
{
	memset(p, 0, sizeof(*p));
	p->scope = PLAN_SCOPE_GLOBAL;
	p->libc = LIBC_GNU;
}

static void
free_args(char ***args)
{
	strvec_free_array(*args);
	*args = NULL;
}

void
plan_release(struct plan *p)
{
	free(p->rustc);
	free(p->linker);
	free_args(&p->link_args);
	free(p->cpu);
	free(p->project_dir);
	free(p->config_file);
	free(p->host);
	free(p->runner_prog);
	free(p->pi_glibc);
	free(p->toolchain_glibc);
	plan_init(p);
}

void
plan_set_str(char **dst, const char *s)
{
	char *copy = s ? xstrdup(s) : NULL;

	free(*dst);
	*dst = copy;
}

void
plan_note(struct plan *p, enum plan_field f, enum plan_src src,
	  const char *fmt, ...)
{
	va_list ap;

	if ((int)f < 0 || f >= PF_COUNT)
		return;
	p->notes[f].src = src;
	p->notes[f].why[0] = '\0';
	if (fmt == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(p->notes[f].why, sizeof(p->notes[f].why), fmt, ap);
	va_end(ap);
}

const char *
plan_src_name(enum plan_src src)
{
	switch (src) {
	case PLAN_UNSET: return "unset";
	case PLAN_DEFAULT: return "default";
	case PLAN_FLAG: return "flag";
	case PLAN_PROFILE: return "profile";
	case PLAN_DETECTED: return "detected";
	case PLAN_CONFIG: return "config";
	case PLAN_USER: return "chosen";
	case PLAN_ENV: return "environment";
	}
	return "unknown";
}

const char *
plan_field_name(enum plan_field f)
{
	if ((int)f < 0 || f >= PF_COUNT)
		return "unknown";
	return field_names[f];
}

const char *
plan_scope_name(enum plan_scope s)
{
	switch (s) {
	case PLAN_SCOPE_GLOBAL: return "global";
	case PLAN_SCOPE_PROJECT: return "project";
	case PLAN_SCOPE_FILE: return "file";
	}
	return "unknown";
}

int
plan_scope_parse(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "global") == 0)
		return PLAN_SCOPE_GLOBAL;
	if (strcmp(s, "project") == 0)
		return PLAN_SCOPE_PROJECT;
	if (strcmp(s, "file") == 0)
		return PLAN_SCOPE_FILE;
	return -1;
}

bool
plan_is_set(const struct plan *p, enum plan_field f)
{
	if ((int)f < 0 || f >= PF_COUNT)
		return false;
	if (p->notes[f].src != PLAN_UNSET)
		return true;
	switch (f) {
	case PF_BOARD: return p->board != NULL;
	case PF_BITS: return p->os_bits != 0;
	case PF_TARGET: return p->target != NULL;
	case PF_TOOLCHAIN: return p->rustc != NULL;
	case PF_LINKER: return p->linker != NULL;
	case PF_CPU: return p->cpu != NULL;
	case PF_HOST: return p->host != NULL;
	default: return false;
	}
}

void
plan_reset_defaults(struct plan *p)
{
	for (int f = 0; f < PF_COUNT; f++) {
		if (p->notes[f].src != PLAN_DEFAULT)
			continue;
		switch ((enum plan_field)f) {
		case PF_BOARD: p->board = NULL; break;
		case PF_BITS: p->os_bits = 0; break;
		case PF_LIBC: p->libc = LIBC_GNU; break;
		case PF_TARGET: p->target = NULL; break;
		case PF_TOOLCHAIN: plan_set_str(&p->rustc, NULL); break;
		case PF_LINKER:
			plan_set_str(&p->linker, NULL);
			free_args(&p->link_args);
			break;
		case PF_CPU: plan_set_str(&p->cpu, NULL); break;
		case PF_CONFIG: p->scope = PLAN_SCOPE_GLOBAL; break;
		case PF_BUILD_TARGET: p->build_target = false; break;
		case PF_RUNNER: p->runner = false; break;
		case PF_HOST: plan_set_str(&p->host, NULL); break;
		case PF_COUNT: break;
		}
		plan_note(p, (enum plan_field)f, PLAN_UNSET, NULL);
	}
	p->nwarnings = 0;
}

int
plan_version_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL || !isdigit((unsigned char)*a) ||
	    !isdigit((unsigned char)*b))
		return 0;
	while (*a != '\0' || *b != '\0') {
		unsigned long x = 0, y = 0;

		while (isdigit((unsigned char)*a))
			x = x * 10 + (unsigned long)(*a++ - '0');
		while (isdigit((unsigned char)*b))
			y = y * 10 + (unsigned long)(*b++ - '0');
		if (x != y)
			return x < y ? -1 : 1;
		if (*a != '.' && *b != '.')
			break;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	return 0;
}

static void
plan_warn(struct plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
plan_warn(struct plan *p, const char *fmt, ...)
{
	va_list ap;

	if (p->nwarnings >= PLAN_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(p->warnings[p->nwarnings], sizeof(p->warnings[0]), fmt, ap);
	va_end(ap);
	p->nwarnings++;
}

/* A contradiction: the sentence goes to err->msg; returns RPX_EINVAL. */
static int
contradiction(struct rpx_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
contradiction(struct rpx_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return RPX_EINVAL;
	rpx_err_clear(err);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return RPX_EINVAL;
}

/* "(flag)", "(profile)": where a value came from, for messages. */
static const char *
src_of(const struct plan *p, enum plan_field f)
{
	return plan_src_name(p->notes[f].src == PLAN_UNSET ? PLAN_DEFAULT :
			     p->notes[f].src);
}

/* The GNU cross driver for a target, e.g. "arm-linux-gnueabihf-gcc". */
static char *
gnu_driver(const struct target *t)
{
	return xasprintf("%sgcc", t->gnu_prefixes[0]);
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The 32-bit sibling triple for a message ("aarch64-unknown-linux-gnu"
 * -> "armv7-unknown-linux-gnueabihf"), chosen for the board when known. */
static const struct target *
sibling(const struct plan *p, int bits, enum libc libc)
{
	const struct target *t = NULL;

	if (p->board != NULL)
		t = board_recommend(p->board, bits, libc, NULL);
	if (t == NULL)
		t = target_find(bits == 64 ?
				(libc == LIBC_MUSL ? "aarch64-unknown-linux-musl" :
				 "aarch64-unknown-linux-gnu") :
				(libc == LIBC_MUSL ? "armv7-unknown-linux-musleabihf" :
				 "armv7-unknown-linux-gnueabihf"));
	return t;
}

/* Contradictions among the answers given, before anything is filled. */
static int
check_answers(struct plan *p, struct rpx_err *err)
{
	const struct board *b = p->board;
	const struct target *t = p->target;
	bool bits_set = plan_is_set(p, PF_BITS);
	bool libc_set = plan_is_set(p, PF_LIBC);
	const char *why = NULL;

	if (bits_set && p->os_bits != 32 && p->os_bits != 64)
		return contradiction(err, "the OS word size is %d bits: a "
				     "Raspberry Pi OS is 32- or 64-bit",
				     p->os_bits);
	if (b == NULL && t == NULL)
		return contradiction(err, "nothing to plan from: choose a "
				     "board (e.g. pi4; 'rpi-cross boards' "
				     "lists them) or a target triple");
	if (t != NULL && !t->pi_os)
		return contradiction(err, "target %s (%s) does not fit "
				     "Raspberry Pi OS: %s", t->triple,
				     src_of(p, PF_TARGET),
				     "its soft-float ABI does not match the "
				     "hard-float OS (use an -eabihf target)");
	if (t != NULL && bits_set && t->bits != p->os_bits) {
		const struct target *alt = sibling(p, p->os_bits, t->libc);

		return contradiction(err, "a %d-bit OS (%s) disagrees with "
				     "target %s (%s), which is %d-bit: drop "
				     "one of them, or use %s for a %d-bit OS",
				     p->os_bits, src_of(p, PF_BITS), t->triple,
				     src_of(p, PF_TARGET), t->bits,
				     alt->triple, p->os_bits);
	}
	if (t != NULL && libc_set && t->libc != p->libc) {
		const struct target *alt = sibling(p, t->bits, p->libc);

		return contradiction(err, "libc %s (%s) disagrees with target "
				     "%s (%s), which uses %s: drop one of "
				     "them, or use %s for %s",
				     libc_name(p->libc), src_of(p, PF_LIBC),
				     t->triple, src_of(p, PF_TARGET),
				     libc_name(t->libc), alt->triple,
				     libc_name(p->libc));
	}
	if (b != NULL && t != NULL &&
	    !target_runs_on(t, b->cpu->isa, b->can64, t->bits, &why)) {
		const struct target *alt =
			board_recommend(b, b->can64 ? t->bits : 32, t->libc,
					NULL);

		if (strstr(why, "use ") != NULL || alt == NULL)
			return contradiction(err, "target %s (%s) does not run "
					     "on the %s (%s, %s): %s",
					     t->triple, src_of(p, PF_TARGET),
					     b->name, b->cpu->core,
					     isa_name(b->cpu->isa), why);
		return contradiction(err, "target %s (%s) does not run on the "
				     "%s (%s, %s): %s; use %s", t->triple,
				     src_of(p, PF_TARGET), b->name, b->cpu->core,
				     isa_name(b->cpu->isa), why, alt->triple);
	}
	if (b != NULL && bits_set && p->os_bits == 64 && !b->can64) {
		const struct target *alt = board_recommend(
			b, 32, libc_set ? p->libc : LIBC_GNU, NULL);

		return contradiction(err, "a 64-bit OS (%s) cannot run on the "
				     "%s: its %s (%s) is a 32-bit CPU; use a "
				     "32-bit OS and target %s",
				     src_of(p, PF_BITS), b->name, b->cpu->core,
				     isa_name(b->cpu->isa), alt->triple);
	}
	if (plan_is_set(p, PF_CONFIG)) {
		if (p->scope == PLAN_SCOPE_PROJECT && p->project_dir == NULL)
			return contradiction(err, "the config scope is "
					     "'project' but no project folder "
					     "is given");
		if (p->scope == PLAN_SCOPE_FILE && p->config_file == NULL)
			return contradiction(err, "the config scope is 'file' "
					     "but no config file is given");
	}
	return 0;
}

static void
fill_bits_libc_target(struct plan *p)
{
	const struct board *b = p->board;
	const struct target *t = p->target;
	const char *tc_glibc = p->toolchain_glibc ? p->toolchain_glibc :
			       PLAN_TOOLCHAIN_GLIBC;

	if (!plan_is_set(p, PF_BITS)) {
		if (t != NULL) {
			p->os_bits = t->bits;
			plan_note(p, PF_BITS, PLAN_DEFAULT, "target %s is "
				  "%d-bit", t->triple, t->bits);
		} else if (!b->can64) {
			p->os_bits = 32;
			plan_note(p, PF_BITS, PLAN_DEFAULT, "the %s's %s is a "
				  "32-bit CPU: only a 32-bit OS runs on it",
				  b->name, b->cpu->core);
		} else if (board_default_bits(b) == 64) {
			p->os_bits = 64;
			plan_note(p, PF_BITS, PLAN_DEFAULT, "Raspberry Pi OS "
				  "64-bit supports the %s: aarch64 code is "
				  "faster and can use all the RAM (choose 32 "
				  "if the Pi runs the 32-bit OS)", b->name);
		} else {
			p->os_bits = 32;
			plan_note(p, PF_BITS, PLAN_DEFAULT, "the %s's %s can "
				  "run 64-bit code, but Raspberry Pi OS "
				  "64-bit does not support this board",
				  b->name, b->cpu->core);
		}
	}
	if (!plan_is_set(p, PF_LIBC)) {
		if (t != NULL) {
			p->libc = t->libc;
			plan_note(p, PF_LIBC, PLAN_DEFAULT, "target %s uses %s",
				  t->triple, libc_name(t->libc));
		} else if (p->pi_glibc != NULL &&
			   plan_version_cmp(p->pi_glibc, tc_glibc) < 0) {
			p->libc = LIBC_MUSL;
			plan_note(p, PF_LIBC, PLAN_DEFAULT, "the Pi's glibc %s "
				  "is older than the cross toolchain's %s, so "
				  "a gnu binary would fail there ('GLIBC_2.x "
				  "not found'); musl is static and runs "
				  "whatever the Pi's glibc (often slower "
				  "allocator)", p->pi_glibc, tc_glibc);
		} else {
			p->libc = LIBC_GNU;
			plan_note(p, PF_LIBC, PLAN_DEFAULT, "gnu: smaller "
				  "binaries and a faster allocator, but it "
				  "needs a glibc no newer than the Pi's; "
				  "musl: static, runs whatever the Pi's "
				  "glibc, often slower allocator");
		}
	}
	if (p->libc == LIBC_GNU && p->pi_glibc != NULL &&
	    plan_version_cmp(p->pi_glibc, tc_glibc) < 0)
		plan_warn(p, "the Pi's glibc %s is older than the cross "
			  "toolchain's %s: a gnu binary linked with it fails "
			  "there ('GLIBC_2.x not found'); link against a "
			  "sysroot with glibc %s or older, or use musl",
			  p->pi_glibc, tc_glibc, p->pi_glibc);
	if (!plan_is_set(p, PF_TARGET)) {
		const char *why = NULL;

		p->target = board_recommend(b, p->os_bits, p->libc, &why);
		plan_note(p, PF_TARGET, PLAN_DEFAULT, "%s", why);
	}
}

static int
check_cpu(struct plan *p, const struct plan_hooks *hooks,
	  struct rpx_err *err)
{
	const struct target *t = p->target;
	const struct board *b = p->board;
	const struct pi_cpu *c = pi_cpu_find(p->cpu);
	char why[200] = "";
	int r;

	if (rpx_strcasecmp(p->cpu, "native") == 0)
		return contradiction(err, "CPU 'native' (%s) means the CPU of "
				     "the machine that builds, not the Pi's: "
				     "use %s", src_of(p, PF_CPU),
				     b ? b->cpu->name : "generic");
	if (c != NULL && !pi_cpu_known_for(c, t->bits))
		return contradiction(err, "CPU %s (%s) does not exist for "
				     "target %s: the %s is a 32-bit-only core "
				     "that %s code cannot run on; use %s",
				     c->name, src_of(p, PF_CPU), t->triple,
				     c->core, t->arch,
				     b && b->can64 ? b->cpu->name : "cortex-a53, "
				     "cortex-a72 or cortex-a76");
	if (c != NULL && b != NULL && c->isa > b->cpu->isa)
		return contradiction(err, "CPU %s (%s) is newer than the %s's "
				     "%s: code tuned for it uses %s "
				     "instructions and dies with \"Illegal "
				     "instruction\" there; use %s",
				     c->name, src_of(p, PF_CPU), b->name,
				     b->cpu->core, isa_name(c->isa), b->cpu->name);
	if (c != NULL && c->isa < t->min_isa)
		plan_warn(p, "CPU %s is %s, below what target %s assumes "
			  "(%s): the code still needs %s", c->name,
			  isa_name(c->isa), t->triple, isa_name(t->min_isa),
			  isa_name(t->min_isa));
	if (hooks != NULL && hooks->cpu_known != NULL) {
		r = hooks->cpu_known(hooks->opaque, t, p->cpu, why,
				     sizeof(why));
		if (r == 0)
			return contradiction(err, "rustc does not know CPU "
					     "'%s' (%s) for target %s%s%s",
					     p->cpu, src_of(p, PF_CPU),
					     t->triple, why[0] ? ": " : "",
					     why);
		if (r < 0)
			plan_warn(p, "could not ask rustc whether it knows CPU "
				  "'%s' for %s%s%s", p->cpu, t->triple,
				  why[0] ? ": " : "", why);
	} else if (c == NULL && rpx_strcasecmp(p->cpu, "generic") != 0) {
		plan_warn(p, "CPU '%s' is not a Raspberry Pi core; it was not "
			  "checked against rustc's list for %s", p->cpu,
			  t->triple);
	}
	return 0;
}

static void
fill_cpu(struct plan *p)
{
	const struct board *b = p->board;
	const struct target *t = p->target;

	if (b == NULL) {
		plan_note(p, PF_CPU, PLAN_DEFAULT, "no board chosen: rustc's "
			  "generic CPU for %s runs on every board the target "
			  "fits", t->triple);
		return;
	}
	plan_set_str(&p->cpu, b->cpu->name);
	if (b->cpu->isa > t->min_isa)
		plan_note(p, PF_CPU, PLAN_DEFAULT, "rustc tunes for the %s's "
			  "%s and may use its %s instructions (the binary "
			  "then needs this CPU; leave it unset to keep %s "
			  "code generic)", b->name, b->cpu->core, isa_name(b->cpu->isa),
			  t->arch);
	else
		plan_note(p, PF_CPU, PLAN_DEFAULT, "rustc schedules "
			  "instructions for the %s's %s", b->name, b->cpu->core);
}

static int
check_linker(struct plan *p, const struct plan_hooks *hooks,
	     struct rpx_err *err)
{
	const struct target *t = p->target;
	const char *base = base_name(p->linker);
	bool given = p->notes[PF_LINKER].src != PLAN_DEFAULT;
	size_t n = strlen(base);
	char why[200] = "";
	int r;

	if (given && t->bits == 32 && rpx_starts_with(base, "aarch64-"))
		return contradiction(err, "linker %s (%s) links 64-bit aarch64 "
				     "code, not 32-bit target %s: use %sgcc",
				     p->linker, src_of(p, PF_LINKER),
				     t->triple, t->gnu_prefixes[0]);
	if (given && t->bits == 64 && (rpx_starts_with(base, "arm-") ||
				      rpx_starts_with(base, "armv")))
		return contradiction(err, "linker %s (%s) links 32-bit ARM "
				     "code, not 64-bit target %s: use %sgcc",
				     p->linker, src_of(p, PF_LINKER),
				     t->triple, t->gnu_prefixes[0]);
	if (given && t->libc == LIBC_GNU && n >= 3 &&
	    strcmp(base + n - 3, "-ld") == 0)
		return contradiction(err, "linker %s (%s) is a bare ld: for "
				     "gnu target %s it lacks the start-up "
				     "files, libc paths and dynamic loader "
				     "the gcc driver adds (it fails with "
				     "'cannot find -lgcc_s'); use %sgcc",
				     p->linker, src_of(p, PF_LINKER),
				     t->triple, t->gnu_prefixes[0]);
	if (hooks == NULL || hooks->linker_links == NULL)
		return 0;
	r = hooks->linker_links(hooks->opaque, t, p->linker, why,
				sizeof(why));
	if (r == 0 && given)
		return contradiction(err, "linker %s (%s) cannot link for %s "
				     "(%s)%s%s", p->linker,
				     src_of(p, PF_LINKER), t->triple,
				     libc_name(t->libc), why[0] ? ": " : "",
				     why);
	if (r == 0)
		plan_warn(p, "the recommended linker %s cannot link for %s "
			  "here%s%s: install it or choose another", p->linker,
			  t->triple, why[0] ? ": " : "", why);
	else if (r < 0)
		plan_warn(p, "could not check whether linker %s links for "
			  "%s%s%s", p->linker, t->triple, why[0] ? ": " : "",
			  why);
	return 0;
}

static void
fill_linker(struct plan *p)
{
	const struct target *t = p->target;

	if (t->libc == LIBC_MUSL) {
		plan_set_str(&p->linker, "rust-lld");
		plan_note(p, PF_LINKER, PLAN_DEFAULT, "rustc's own lld links "
			  "pure-Rust programs with the musl start-up files it "
			  "ships; C dependencies need a musl cross gcc");
		return;
	}
	p->linker = gnu_driver(t);
	if (t->min_isa == ISA_ARMV6)
		plan_note(p, PF_LINKER, PLAN_DEFAULT, "the GNU cross gcc adds "
			  "the start-up files, libc and loader; but Debian's "
			  "and Ubuntu's links ARMv7 start-up code that dies "
			  "on ARMv6 with \"Illegal instruction\": use an "
			  "ARMv6 toolchain (or musl)");
	else
		plan_note(p, PF_LINKER, PLAN_DEFAULT, "the GNU cross gcc adds "
			  "the start-up files, libc paths and dynamic loader "
			  "that a bare ld lacks");
}

static void
fill_rest(struct plan *p)
{
	if (!plan_is_set(p, PF_TOOLCHAIN))
		plan_note(p, PF_TOOLCHAIN, PLAN_DEFAULT, "the rustc Cargo "
			  "finds: $RUSTC, else the first on PATH");
	if (!plan_is_set(p, PF_CONFIG)) {
		p->scope = PLAN_SCOPE_GLOBAL;
		plan_note(p, PF_CONFIG, PLAN_DEFAULT, "global: every project "
			  "on this machine can build for the Pi with --target "
			  "%s; a project config limits it to one project",
			  p->target->triple);
	}
	if (!plan_is_set(p, PF_BUILD_TARGET)) {
		p->build_target = false;
		plan_note(p, PF_BUILD_TARGET, PLAN_DEFAULT, "plain 'cargo "
			  "build' keeps building for this machine; set it to "
			  "make the Pi the default");
	}
	if (p->build_target && p->scope == PLAN_SCOPE_GLOBAL)
		plan_warn(p, "[build] target in the global config makes every "
			  "project on this machine build for the Pi by "
			  "default");
	if (!plan_is_set(p, PF_RUNNER)) {
		p->runner = false;
		if (p->host != NULL)
			plan_note(p, PF_RUNNER, PLAN_DEFAULT, "not set: turn "
				  "it on to make 'cargo run' run on %s",
				  p->host);
		else
			plan_note(p, PF_RUNNER, PLAN_DEFAULT, "not set: it "
				  "needs a Pi to run on");
	}
	if (p->runner && p->host == NULL)
		plan_warn(p, "the runner needs a Pi: give a host (or set "
			  "RPI_CROSS_HOST) before 'cargo run'");
	if (!plan_is_set(p, PF_HOST))
		plan_note(p, PF_HOST, PLAN_DEFAULT, "no Pi given: the final "
			  "test and the runner need one");
}

int
plan_complete(struct plan *p, struct rpx_err *err)
{
	return plan_complete_with(p, NULL, err);
}

int
plan_complete_with(struct plan *p, const struct plan_hooks *hooks,
		   struct rpx_err *err)
{
	int r;

	if (err != NULL)
		rpx_err_clear(err);
	p->nwarnings = 0;
	r = check_answers(p, err);
	if (r != 0)
		goto out;
	if (p->board == NULL && !plan_is_set(p, PF_BOARD))
		plan_note(p, PF_BOARD, PLAN_DEFAULT, "no board chosen: the "
			  "plan follows target %s", p->target->triple);
	fill_bits_libc_target(p);
	if (p->target == NULL) {
		/* check_answers() rules this out; keep the promise anyway. */
		r = contradiction(err, "%s", p->notes[PF_TARGET].why);
		goto out;
	}
	if (plan_is_set(p, PF_CPU) && p->cpu != NULL) {
		r = check_cpu(p, hooks, err);
		if (r != 0)
			goto out;
	} else if (!plan_is_set(p, PF_CPU)) {
		fill_cpu(p);
	}
	if (!plan_is_set(p, PF_LINKER))
		fill_linker(p);
	if (p->linker != NULL) {
		r = check_linker(p, hooks, err);
		if (r != 0)
			goto out;
	}
	fill_rest(p);
out:
	return r;
}
