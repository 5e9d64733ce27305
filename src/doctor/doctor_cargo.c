/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * doctor_cargo.c - the doctor's checks of the Cargo config: every file
 * parses, the effective linker links, the rustflags' target-cpu fits the
 * target and board, [build] target is sane, the runner is there.
 */
#include "doctor_int.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cargo_config.h"
#include "hostos.h"
#include "linker.h"
#include "proc.h"
#include "rpx.h"
#include "rustflags.h"
#include "strbuf.h"
#include "strvec.h"
#include "toml.h"
#include "toolchain.h"

/* The files Cargo reads for the input's project. 0, or -1 (r filled). */
static int
load_set(const struct doctor_input *in, struct cargo_config_set *set,
	 struct doctor_result *r)
{
	char *home = cargo_config_home(NULL, NULL);
	int rc;

		if (home == NULL) {
		doctor_set(r, DOCTOR_SKIP, NULL, "cannot find Cargo's home: "
			   "neither CARGO_HOME nor HOME is set");
		return -1;
	}
	rc = cargo_config_discover(set, in->project_dir ? in->project_dir :
				   ".", home);
	free(home);
	if (rc != 0) {
		doctor_set(r, DOCTOR_SKIP, NULL, "cannot list Cargo's config "
			   "files");
		return -1;
	}
	return 0;
}

static bool
needs_target(const struct doctor_input *in, struct doctor_result *r,
	     const char *what)
{
	if (in->target != NULL)
		return false;
	doctor_set(r, DOCTOR_SKIP, NULL, "no target given: use --target T to "
		   "check %s", what);
	return true;
}

/* The effective rustflags for t (target's, else build's) into flags;
 * *origin (may be NULL) gets where they are set, or NULL. */
static void
effective_rustflags(const struct cargo_config_set *set,
		    const struct target *t, struct strvec *flags,
		    char **origin)
{
	struct cargo_config_value v;
	char *key = xasprintf("target.%s.rustflags", t->triple);

	if (origin != NULL)
		*origin = NULL;
	if (cargo_config_effective(set, key, &v) == 0 && v.value == NULL) {
		cargo_config_value_release(&v);
		cargo_config_effective(set, "build.rustflags", &v);
	}
	if (v.value != NULL) {
		/* a value of another type holds no flags */
		(void)rustflags_from_value(flags, &v);
		if (origin != NULL)
			*origin = xstrdup(v.origin ? v.origin : "?");
	}
	cargo_config_value_release(&v);
	free(key);
}

char *
doctor_config_cpu(const struct doctor_input *in, const struct target *t,
		  char **origin)
{
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct doctor_result scratch;
	struct strvec flags = STRVEC_INIT;
	const char *cpu;
	char *ret = NULL;

	if (origin != NULL)
		*origin = NULL;
	if (load_set(in, &set, &scratch) != 0)
		goto out;
	effective_rustflags(&set, t, &flags, origin);
	cpu = rustflags_target_cpu(flags.v);
	if (cpu != NULL)
		ret = xstrdup(cpu);
out:
	strvec_clear(&flags);
	cargo_config_set_release(&set);
	return ret;
}

void
doctor_check_config_parse(const struct doctor_input *in,
			  struct doctor_result *r)
{
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	const struct cargo_config_file *bad = NULL;
	size_t nbad = 0, nok = 0;
	char fix[600];

	if (load_set(in, &set, r) != 0)
		goto out;
	for (size_t i = 0; i < set.nfiles; i++) {
		if (set.files[i].doc != NULL) {
			nok++;
			continue;
		}
		if (bad == NULL)
			bad = &set.files[i];
		nbad++;
	}
	if (bad != NULL) {
		const struct rpx_err *e = &bad->err;

		snprintf(fix, sizeof(fix), "correct %s at that place (rpi-cross "
			 "config check '%s' re-checks it): Cargo stops on it "
			 "for every build", bad->path, bad->path);
		if (e->line > 0)
			doctor_set(r, DOCTOR_FAIL, fix, "%s:%d:%d: %s%s",
				   e->path[0] ? e->path : bad->path, e->line,
				   e->col, e->msg, nbad > 1 ?
				   " (and more files)" : "");
		else
			doctor_set(r, DOCTOR_FAIL, fix, "%s: %s%s", bad->path,
				   e->msg[0] ? e->msg : "cannot be read",
				   nbad > 1 ? " (and more files)" : "");
		goto out;
	}
	if (nok == 0)
		doctor_set(r, DOCTOR_PASS, NULL, "no Cargo config files: Cargo's "
			   "defaults apply");
	else
		doctor_set(r, DOCTOR_PASS, NULL, "%zu file%s parse%s (%s%s)",
			   nok, nok == 1 ? "" : "s", nok == 1 ? "s" : "",
			   set.files[0].path, nok > 1 ? ", ..." : "");
out:
	cargo_config_set_release(&set);
}

/* A relative linker path with a slash is relative to the folder that
 * holds the .cargo folder of the file that sets it (as Cargo does). */
static char *
resolve_linker(const char *linker, const struct cargo_origin *o)
{
	char *path, *slash;

	if (linker[0] == '/' || strchr(linker, '/') == NULL ||
	    o == NULL || o->kind != CARGO_ORIGIN_FILE)
		return xstrdup(linker);
	path = xstrdup(o->path);
	for (int up = 0; up < 2; up++) {
		slash = strrchr(path, '/');
		if (slash != NULL)
			*slash = '\0';
	}
	slash = xasprintf("%s/%s", path, linker);
	free(path);
	return slash;
}

static void
linker_fix(const struct target *t, char *fix, size_t fixsz)
{
	struct host_os os;
	struct strbuf cmd = STRBUF_INIT, note = STRBUF_INIT;

	memset(&os, 0, sizeof(os));
	hostos_detect(&os);
	linker_install_hint(t, &os, &cmd, &note);
	if (cmd.len > 0)
		snprintf(fix, fixsz, "install one (%s), then rpi-cross setup "
			 "--target %s --linker NAME", cmd.buf, t->triple);
	else
		snprintf(fix, fixsz, "rpi-cross linkers --target %s lists "
			 "what works here; then rpi-cross setup --target %s "
			 "--linker NAME", t->triple, t->triple);
	strbuf_release(&cmd);
	strbuf_release(&note);
}

void
doctor_check_linker(const struct doctor_input *in, struct doctor_result *r)
{
	const struct target *t = in->target;
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct cargo_config_value v;
	struct toolchain tc = TOOLCHAIN_INIT;
	struct linker_scan s = LINKER_SCAN_INIT;
	struct linker_opts lo = { NULL, NULL, 0, true, NULL };
	char **vals = NULL, *key = NULL, *path = NULL, fix[600];
	bool have_tc;
	int rc;

	memset(&v, 0, sizeof(v));
	if (needs_target(in, r, "its linker") || load_set(in, &set, r) != 0)
		goto out;
	key = xasprintf("target.%s.linker", t->triple);
	cargo_config_effective(&set, key, &v);
	if (v.value == NULL) {
		snprintf(fix, sizeof(fix), "rpi-cross setup --target %s (or "
			 "rpi-cross config set %s=NAME)", t->triple, key);
		doctor_set(r, DOCTOR_FAIL, fix, "no linker set for %s in the "
			   "Cargo config or CARGO_TARGET_*_LINKER: Cargo links "
			   "with the host's cc, which cannot link ARM code",
			   t->triple);
		goto out;
	}
	vals = cargo_config_value_words(&v, false);
	if (vals == NULL || vals[0] == NULL) {
		snprintf(fix, sizeof(fix), "set it to a program name or path: "
			 "rpi-cross config set %s=NAME", key);
		doctor_set(r, DOCTOR_FAIL, fix, "%s is %s (%s), not a string",
			   key, v.value, v.origin);
		goto out;
	}
	path = resolve_linker(vals[0], v.norigins > 0 ? &v.origins[0] : NULL);
	have_tc = toolchain_find_traced(&tc, in->trace) == 0;
	lo.tc = have_tc ? &tc : NULL;
	lo.trace = in->trace;
	rc = linker_check(t, path, &lo, &s);
	if (rc == RPX_ENOTFOUND || s.n == 0) {
		linker_fix(t, fix, sizeof(fix));
		doctor_set(r, DOCTOR_FAIL, fix, "linker '%s' (set at %s) is "
			   "not found (not on PATH, not a file)", vals[0],
			   v.origin);
		goto out;
	}
	if (rc != 0) {
		doctor_set(r, DOCTOR_WARN, "run rpi-cross linkers --target T "
			   "to see more", "cannot probe linker '%s' (set at "
			   "%s): %s", vals[0], v.origin, rpx_strerror(rc));
		goto out;
	}
	if (!s.v[0].works) {
		linker_fix(t, fix, sizeof(fix));
		doctor_set(r, DOCTOR_FAIL, fix, "linker '%s' (set at %s) "
			   "cannot link for %s: %s", vals[0], v.origin,
			   t->triple, s.v[0].why ? s.v[0].why : "probe failed");
		goto out;
	}
	doctor_set(r, DOCTOR_PASS, NULL, "%s (set at %s) links for %s "
		   "(%s probe)", s.v[0].path, v.origin, t->triple,
		   linker_probe_name(s.v[0].probe));
out:
	linker_scan_release(&s);
	toolchain_release(&tc);
	cargo_config_value_release(&v);
	cargo_config_set_release(&set);
	strvec_free_array(vals);
	free(key);
	free(path);
}

void
doctor_check_rustflags(const struct doctor_input *in, struct doctor_result *r)
{
	const struct target *t = in->target;
	const struct board *b = in->board;
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct toolchain tc = TOOLCHAIN_INIT;
	struct cpu_list cl = CPU_LIST_INIT;
	struct strvec flags = STRVEC_INIT;
	char *origin = NULL, why[256] = "", fix[400];
	const char *cpu;
	enum isa isa;
	int rc;

	if (needs_target(in, r, "its rustflags") || load_set(in, &set, r) != 0)
		goto out;
	effective_rustflags(&set, t, &flags, &origin);
	cpu = rustflags_target_cpu(flags.v);
	if (cpu == NULL) {
		doctor_set(r, DOCTOR_PASS, NULL, "%s: no -C target-cpu, so "
			   "rustc makes generic %s code", origin ? origin :
			   "no rustflags", t->arch);
		goto out;
	}
	if (rpx_strcasecmp(cpu, "native") == 0) {
		snprintf(fix, sizeof(fix), "use -C target-cpu=%s", b ? b->cpu->name :
			 "for the Pi's core (rpi-cross cpus --target T)");
		doctor_set(r, DOCTOR_FAIL, fix, "target-cpu=native (%s) means "
			   "the CPU of the machine that builds, not the Pi's",
			   origin);
		goto out;
	}
	rc = toolchain_find_traced(&tc, in->trace);
	if (rc == 0)
		rc = toolchain_target_cpus(&tc, t->triple, &cl, why,
					   sizeof(why));
	else
		snprintf(why, sizeof(why), "no rustc found");
	if (rc != 0 && pi_cpu_isa(cpu) == ISA_UNKNOWN) {
		doctor_set(r, DOCTOR_WARN, "check it with a rustc that lists "
			   "CPUs (rustup's): rustc --print target-cpus --target "
			   "TRIPLE", "target-cpu %s (%s) is not a Raspberry Pi "
			   "core and could not be checked: %s", cpu, origin,
			   why);
		goto out;
	}
	{
		if (rc == 0 && cpu_list_find(&cl, cpu) < 0) {
			snprintf(fix, sizeof(fix), "use a CPU rustc knows for "
				 "%s (rpi-cross cpus --target %s%s%s)",
				 t->triple, t->triple, b ? " --board " : "",
				 b ? b->id : "");
			doctor_set(r, DOCTOR_FAIL, fix, "rustc does not know "
				   "target-cpu %s for %s (%s): builds warn and "
				   "ignore it, or fail", cpu, t->triple,
				   origin);
			goto out;
		}
	}
	isa = pi_cpu_isa(cpu);
	if (b != NULL && isa != ISA_UNKNOWN && isa > b->cpu->isa) {
		snprintf(fix, sizeof(fix), "use -C target-cpu=%s", b->cpu->name);
		doctor_set(r, DOCTOR_FAIL, fix, "target-cpu %s (%s) is newer "
			   "than the %s's %s: code tuned for it dies with "
			   "\"Illegal instruction\" there", cpu, origin,
			   b->name, b->cpu->core);
		goto out;
	}
	if (isa != ISA_UNKNOWN && isa < t->min_isa) {
		doctor_set(r, DOCTOR_WARN, "use the Pi's own core, or none",
			   "target-cpu %s (%s) is %s, below what %s assumes",
			   cpu, origin, isa_name(isa), t->triple);
		goto out;
	}
	doctor_set(r, DOCTOR_PASS, NULL, "target-cpu %s (%s) fits %s%s%s",
		   cpu, origin, t->triple, b ? " and the " : "",
		   b ? b->name : "");
out:
	cpu_list_release(&cl);
	toolchain_release(&tc);
	strvec_clear(&flags);
	free(origin);
	cargo_config_set_release(&set);
}

void
doctor_check_build_target(const struct doctor_input *in,
			  struct doctor_result *r)
{
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct cargo_config_value v;
	struct toolchain tc = TOOLCHAIN_INIT;
	const struct target *bt;
	const struct board *b = in->board;
	const char *why = NULL;
	char **vals = NULL, fix[300];

	memset(&v, 0, sizeof(v));
	if (load_set(in, &set, r) != 0)
		goto out;
	cargo_config_effective(&set, "build.target", &v);
	if (v.value == NULL) {
		doctor_set(r, DOCTOR_PASS, NULL, "not set: plain 'cargo build' "
			   "builds for this machine (use --target)");
		goto out;
	}
	vals = cargo_config_value_words(&v, false);
	if (vals == NULL || vals[0] == NULL) {
		doctor_set(r, DOCTOR_FAIL, "set it to one triple: rpi-cross "
			   "config set build.target=TRIPLE", "build.target is "
			   "%s (%s): not a target triple", v.value, v.origin);
		goto out;
	}
	if (vals[1] != NULL) {
		doctor_set(r, DOCTOR_WARN, NULL, "build.target lists %s and "
			   "more (%s): every build makes each target",
			   vals[0], v.origin);
		goto out;
	}
	bt = target_find(vals[0]);
	if (bt == NULL) {
		doctor_set(r, DOCTOR_WARN, "rpi-cross targets lists the Pi "
			   "targets", "build.target is %s (%s): not a "
			   "Raspberry Pi target", vals[0], v.origin);
		goto out;
	}
	if (b != NULL && !target_runs_on(bt, b->cpu->isa, b->can64, bt->bits,
					 &why)) {
		const struct target *alt = board_recommend(b, b->can64 ?
							   bt->bits : 32,
							   bt->libc, NULL);

		snprintf(fix, sizeof(fix), "rpi-cross config set "
			 "build.target=%s", alt ? alt->triple : "TRIPLE");
		doctor_set(r, DOCTOR_FAIL, fix, "build.target %s (%s) does not "
			   "run on the %s: %s", bt->triple, v.origin, b->name,
			   why);
		goto out;
	}
	if (in->target != NULL && in->target != bt) {
		doctor_set(r, DOCTOR_WARN, "give the same --target, or change "
			   "build.target", "build.target is %s (%s), not %s: "
			   "plain 'cargo build' builds for %s", bt->triple,
			   v.origin, in->target->triple, bt->triple);
		goto out;
	}
	if (toolchain_find_traced(&tc, in->trace) == 0 && !toolchain_has_std(&tc, bt->triple)) {
		snprintf(fix, sizeof(fix), "install its std (rpi-cross setup "
			 "--target %s), or unset build.target", bt->triple);
		doctor_set(r, DOCTOR_FAIL, fix, "build.target %s (%s), but its "
			   "std is not installed: every plain 'cargo build' "
			   "fails", bt->triple, v.origin);
		goto out;
	}
	doctor_set(r, DOCTOR_PASS, NULL, "%s (%s): plain 'cargo build' builds "
		   "for the Pi", bt->triple, v.origin);
out:
	toolchain_release(&tc);
	strvec_free_array(vals);
	cargo_config_value_release(&v);
	cargo_config_set_release(&set);
}

void
doctor_check_runner(const struct doctor_input *in, struct doctor_result *r)
{
	const struct target *t = in->target;
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct cargo_config_value v;
	struct proc p = PROC_INIT;
	char **vals = NULL, *key = NULL, *prog = NULL, fix[400];
	const char *base;
	bool ours, has_host = false;

	memset(&v, 0, sizeof(v));
	if (needs_target(in, r, "its runner") || load_set(in, &set, r) != 0)
		goto out;
	key = xasprintf("target.%s.runner", t->triple);
	cargo_config_effective(&set, key, &v);
	if (v.value == NULL) {
		if (in->host != NULL) {
			snprintf(fix, sizeof(fix), "rpi-cross setup --target "
				 "%s --runner --host %s", t->triple, in->host);
			doctor_set(r, DOCTOR_WARN, fix, "not set: 'cargo run' "
				   "cannot run %s programs on the Pi",
				   t->triple);
		}
		else
			doctor_set(r, DOCTOR_PASS, NULL, "not set: 'cargo "
				   "run' does not run on a Pi (optional)");
		goto out;
	}
	vals = cargo_config_value_words(&v, true);
	if (vals == NULL || vals[0] == NULL) {
		doctor_set(r, DOCTOR_FAIL, "rpi-cross setup --runner",
			   "%s is %s (%s): not a command", key, v.value,
			   v.origin);
		goto out;
	}
	base = strrchr(vals[0], '/') ? strrchr(vals[0], '/') + 1 : vals[0];
	ours = strcmp(base, "rpi-cross") == 0 && vals[1] != NULL &&
	       strcmp(vals[1], "run") == 0;
	prog = rpx_which(vals[0]);
	if (prog == NULL) {
		if (ours)
			snprintf(fix, sizeof(fix), "put rpi-cross on PATH, or "
				 "give its full path in the runner (rpi-cross "
				 "setup --runner, run by that path, writes it)");
		else
			snprintf(fix, sizeof(fix), "install %s, or change %s",
				 vals[0], key);
		doctor_set(r, DOCTOR_FAIL, fix, "runner %s (%s): %s is not "
			   "found%s", v.value, v.origin, vals[0],
			   strchr(vals[0], '/') ? "" : " on PATH");
		goto out;
	}
	if (ours) {
		const char *argv[] = { prog, "--version", NULL };

		p.argv = argv;
		p.capture = true;
		p.timeout_ms = 10000;
		p.trace = in->trace;
		if (proc_run(&p) != 0 || !proc_ok(&p) ||
		    !rpx_starts_with(p.out.buf, "rpi-cross")) {
			doctor_set(r, DOCTOR_FAIL, "reinstall rpi-cross",
				   "runner %s (%s): %s does not run "
				   "(%s)", v.value, v.origin, prog,
				   p.why[0] ? p.why : "no version");
			goto out;
		}
		for (size_t i = 2; vals[i] != NULL; i++)
			if (rpx_starts_with(vals[i], "--host"))
				has_host = true;
		if (!has_host && rpx_getenv("RPI_CROSS_HOST") == NULL) {
			doctor_set(r, DOCTOR_WARN, "add --host HOST to the "
				   "runner (rpi-cross setup --runner --host "
				   "HOST), or set RPI_CROSS_HOST",
				   "runner %s (%s) names no Pi and "
				   "RPI_CROSS_HOST is not set", v.value,
				   v.origin);
			goto out;
		}
	}
	doctor_set(r, DOCTOR_PASS, NULL, "%s (%s): %s", v.value, v.origin,
		   prog);
out:
	proc_release(&p);
	free(prog);
	free(key);
	strvec_free_array(vals);
	cargo_config_value_release(&v);
	cargo_config_set_release(&set);
}

const struct target *
doctor_config_target(const char *project_dir, char **origin)
{
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct cargo_config_value v;
	struct doctor_input in;
	struct doctor_result scratch;
	const struct target *t = NULL;
	char **vals = NULL;

	*origin = NULL;
	memset(&in, 0, sizeof(in));
	memset(&v, 0, sizeof(v));
	in.project_dir = project_dir;
	if (load_set(&in, &set, &scratch) != 0)
		goto out;
	cargo_config_effective(&set, "build.target", &v);
	vals = cargo_config_value_words(&v, false);
	if (vals != NULL && vals[0] != NULL && vals[1] == NULL)
		t = target_find(vals[0]);
	if (t != NULL)
		*origin = xstrdup(v.origin ? v.origin : "?");
out:
	strvec_free_array(vals);
	cargo_config_value_release(&v);
	cargo_config_set_release(&set);
	return t;
}
