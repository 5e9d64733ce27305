/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * linker_probe.c - the probes of a scan: every candidate at once, one
 * thread each, about one program per CPU running at a time; rustc's probe
 * replays a recording (linker_record.c), the C probe links a C
 * hello-world; then the candidates are ranked (see linker.h).
 */
#include "linker_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rpx.h"

static void
get_version(struct linker *l)
{
	const char *gnu[] = { l->path, "--version", NULL };
	const char *lld[] = { l->path, "-flavor", "gnu", "--version", NULL };
	const char *zig[] = { l->path, "version", NULL };
	struct proc p = PROC_INIT;
	const char *line;

	p.argv = l->kind == LINKER_RUST_LLD ? lld :
		 l->kind == LINKER_ZIG ? zig : gnu;
	p.capture = true;
	p.timeout_ms = VERSION_TIMEOUT_MS;
	if (proc_run(&p) == 0 && proc_ok(&p)) {
		line = p.out.len ? p.out.buf : p.err.buf;
		if (line[0] != '\0')
			l->version = xstrndup(line, strcspn(line, "\n"));
	}
	proc_release(&p);
}

/* ARMv6 targets: compile C for ARMv6 so only the toolchain's own start-up
 * objects can raise the architecture of the result. */
static int
add_c_arch_flags(const struct target *t, const char **argv, int n)
{
	if (t->bits == 32 && t->min_isa == ISA_ARMV6) {
		argv[n++] = "-march=armv6";
		argv[n++] = "-marm";
		if (t->hard_float) {
			argv[n++] = "-mfpu=vfp";
			argv[n++] = "-mfloat-abi=hard";
		}
	}
	return n;
}

/* A compiler that makes an object file for t for a bare linker, or NULL. */
static char *
object_compiler(const struct linker *l, bool *is_clang)
{
	char *p;

	*is_clang = false;
	if (l->prefix != NULL) {
		const char *slash = strrchr(l->path, '/');

		p = xasprintf("%.*s/%sgcc", (int)(slash - l->path), l->path,
			      l->prefix);
		if (rpx_is_executable(p))
			return p;
		free(p);
		p = xasprintf("%sgcc", l->prefix);
		{
			char *found = rpx_which(p);

			free(p);
			if (found != NULL)
				return found;
		}
	}
	p = rpx_which("clang");
	*is_clang = p != NULL;
	return p;
}

static void
run_probe(struct job *j, const char *dir)
{
	struct linker *l = j->l;
	const struct target *t = j->t;
	const char *argv[32];
	char *src = NULL, *out = NULL, *obj = NULL, *cc = NULL, *ct = NULL;
	char *lflag = NULL, *tflag = NULL, *reason = NULL, *tmpenv = NULL;
	const char *env[2] = { NULL, NULL };
	struct proc p = PROC_INIT;
	int n = 0;
	int timeout = j->run->timeout_ms;

	out = xasprintf("%s/probe", dir);
	/* the tools' own temporary files go into the probe folder too, so a
	 * probe killed at its timeout leaves nothing behind */
	tmpenv = xasprintf("TMPDIR=%s", dir);
	env[0] = tmpenv;
	p.env = env;
	ct = linker_clang_triple(t);
	tflag = xasprintf("--target=%s", ct);
	if (l->kind == LINKER_ZIG && l->wrapper == NULL) {
		l->probe = LINKER_PROBE_NONE;
		linker_probe_fail(l, "%s", l->wrapper_why);
		goto out;
	}
	if (j->kind == LINKER_PROBE_RUSTC) {
		l->probe = LINKER_PROBE_RUSTC;
		src = xasprintf("%s/hello.rs", dir);
		if (linker_write_file(src, linker_hello_rs, 0600) != 0) {
			linker_probe_fail(l, "cannot write '%s': %s", src,
					  strerror(errno));
			goto out;
		}
		lflag = xasprintf("linker=%s", linker_program(l));
		argv[n++] = j->o->tc->rustc;
		argv[n++] = "--target";
		argv[n++] = t->triple;
		argv[n++] = "-C";
		argv[n++] = lflag;
		for (int i = 0; l->rustflags[i] != NULL; i++)
			argv[n++] = l->rustflags[i];
		argv[n++] = "-C";
		argv[n++] = "strip=debuginfo";
		argv[n++] = "-C";
		argv[n++] = "codegen-units=1";
		argv[n++] = "--crate-name";
		argv[n++] = "probe";
		argv[n++] = src;
		argv[n++] = "-o";
		argv[n++] = out;
	} else {
		l->probe = LINKER_PROBE_C;
		src = xasprintf("%s/hello.c", dir);
		if (linker_write_file(src, linker_hello_c, 0600) != 0) {
			linker_probe_fail(l, "cannot write '%s': %s", src,
					  strerror(errno));
			goto out;
		}
		switch (l->kind) {
		case LINKER_GCC:
			argv[n++] = l->path;
			n = add_c_arch_flags(t, argv, n);
			break;
		case LINKER_CLANG:
			argv[n++] = l->path;
			argv[n++] = tflag;
			argv[n++] = "-fuse-ld=lld";
			n = add_c_arch_flags(t, argv, n);
			break;
		case LINKER_ZIG:
			argv[n++] = l->wrapper;	/* as Cargo will run it */
			break;
		case LINKER_RUST_LLD:
		case LINKER_BARE_LD: {
			const char *cargv[16];
			bool is_clang;
			int m = 0;

			if (l->kind == LINKER_RUST_LLD &&
			    t->libc == LIBC_MUSL) {
				l->probe = LINKER_PROBE_NONE;
				linker_probe_fail(l, "cannot be checked "
						  "without the std for %s: "
						  "rust-lld links musl "
						  "programs with the crt "
						  "objects that come with it",
						  t->triple);
				goto out;
			}
			cc = object_compiler(l, &is_clang);
			if (cc == NULL) {
				l->probe = LINKER_PROBE_NONE;
				linker_probe_fail(l, "cannot be checked: no C "
						  "compiler for %s to make a "
						  "test object", t->triple);
				goto out;
			}
			obj = xasprintf("%s/hello.o", dir);
			cargv[m++] = cc;
			if (is_clang)
				cargv[m++] = tflag;
			m = add_c_arch_flags(t, cargv, m);
			cargv[m++] = "-c";
			cargv[m++] = src;
			cargv[m++] = "-o";
			cargv[m++] = obj;
			cargv[m] = NULL;
			p.argv = cargv;
			p.capture = true;
			p.timeout_ms = timeout;
			if (linker_run_slotted(j, &p) != 0 || !proc_ok(&p)) {
				l->probe = LINKER_PROBE_NONE;
				reason = linker_failure_line(p.err.buf);
				linker_probe_fail(l, "cannot be checked: the "
						  "test object did not compile "
						  "(%s)",
						  reason ? reason : p.why);
				goto out;
			}
			argv[n++] = l->path;
			if (l->kind == LINKER_RUST_LLD) {
				argv[n++] = "-flavor";
				argv[n++] = "gnu";
			}
			argv[n++] = obj;
			argv[n++] = "-lc";
			break;
		}
		}
		if (l->kind != LINKER_RUST_LLD && l->kind != LINKER_BARE_LD)
			argv[n++] = src;	/* the others link the object */
		argv[n++] = "-o";
		argv[n++] = out;
	}
	argv[n] = NULL;
	linker_link_and_check(j, argv, env, out);
out:
	proc_release(&p);
	free(src);
	free(out);
	free(obj);
	free(cc);
	free(ct);
	free(lflag);
	free(tflag);
	free(reason);
	free(tmpenv);
}

static void *
probe_thread(void *arg)
{
	struct job *j = arg;
	struct linker *l = j->l;
	struct probe_run *run = j->run;
	long long start = rpx_now_ms();
	char *dir = xasprintf("%s/c%d", run->dir, j->index);
	bool asked = false;

	if (mkdir(dir, 0700) != 0) {
		linker_probe_fail(l, "cannot make a temporary folder in '%s': "
				  "%s", run->dir, strerror(errno));
	} else if (j->rec >= 0) {
		struct recording *rc = &run->rec[j->rec];
		struct strvec largs = STRVEC_INIT;

		/* while rustc compiles on one core, ask the version on another */
		get_version(l);
		asked = true;
		pthread_mutex_lock(&run->mu);
		while (!rc->done)
			pthread_cond_wait(&run->cv, &run->mu);
		if (rc->heir == j->index && rc->slot) {
			j->own_slot = true;	/* rustc's slot, handed on */
			rc->slot = false;
		}
		pthread_mutex_unlock(&run->mu);
		if (rc->ok && rustflags_link_args(l->rustflags, &largs)) {
			linker_replay(j, dir, rc, &largs);
		} else if (rc->why != NULL) {
			l->probe = LINKER_PROBE_RUSTC;
			linker_probe_fail(l, "%s", rc->why);
		} else {
			run_probe(j, dir);
		}
		strvec_clear(&largs);
		linker_remove_tree(dir);
	} else {
		run_probe(j, dir);
		linker_remove_tree(dir);
	}
	free(dir);
	linker_slot_give(run, j->own_slot);	/* handed a slot it did not use */
	j->own_slot = false;
	/* a linker that hung is not asked anything more */
	if (!l->timed_out && !asked)
		get_version(l);
	l->probe_ms = rpx_now_ms() - start;
	return NULL;
}

void
linker_choose_probe(const struct target *t, const struct linker_opts *o,
	     struct linker_scan *s)
{
	s->probe = LINKER_PROBE_C;
	if (o->tc != NULL && toolchain_has_std(o->tc, t->triple))
		s->probe = LINKER_PROBE_RUSTC;
	else if (o->tc != NULL)
		s->probe_note = xasprintf(
			"the std for %s is not installed in %s (%s): each "
			"linker links a C program instead of Rust", t->triple,
			o->tc->sysroot, o->tc->version);
	else
		s->probe_note = xasprintf("no rustc found: each linker links "
					  "a C program instead of Rust");
}

/* The recording candidate l replays (there is one, made with a cc-like
 * name), or -1 when it is probed on its own: zig, the C probe, or flags
 * that only rustc itself takes. */
static int
recording_for(struct probe_run *run, const struct linker *l)
{
	struct strvec largs = STRVEC_INIT;
	bool replayable = rustflags_link_args(l->rustflags, &largs);
	const char *prog = linker_program(l);
	const char *base = strrchr(prog, '/');

	strvec_clear(&largs);
	if ((l->kind == LINKER_ZIG && l->wrapper == NULL) || !replayable)
		return -1;
	if (run->nrec == 0) {
		base = base != NULL ? base + 1 : prog;
		run->rec = xcalloc(1, sizeof(*run->rec));
		/* rustc is shown the first cc-like candidate's own name */
		run->rec->name = xstrdup(strcmp(linker_flavor_class(prog),
						"cc") == 0 ? base : "gcc");
		run->rec->dir = xasprintf("%s/r0", run->dir);
		run->rec->heir = -1;
		run->nrec = 1;
	}
	return 0;
}

/* Slow links first: GNU ld behind gcc, then lld behind clang. */
static int
link_prio(const struct linker *l)
{
	switch (l->kind) {
	case LINKER_GCC: return 1;
	case LINKER_CLANG: return 2;
	case LINKER_ZIG:
	case LINKER_RUST_LLD:
	case LINKER_BARE_LD: break;
	}
	return PRIO_LEVELS - 1;
}

static int
cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/*
 * Probe every candidate at once, one thread each (and one per recording),
 * with about one program per CPU running at a time; then rank them.
 */
void
linker_probe_all(const struct linker_opts *o, struct linker_scan *s)
{
	struct probe_run run;
	struct job *jobs = NULL, *rjobs = NULL;
	pthread_t *th = NULL, *rth = NULL;
	bool *started = NULL, *rstarted = NULL;
	const char *tmp = rpx_getenv("TMPDIR");
	int ncpu = cpu_count();

	if (!o->probe || s->n == 0)
		return;
	memset(&run, 0, sizeof(run));
	pthread_mutex_init(&run.mu, NULL);
	pthread_cond_init(&run.cv, NULL);
	run.free_slots = ncpu < 2 ? 2 : ncpu;
	run.timeout_ms = o->timeout_ms > 0 ? o->timeout_ms :
					     DEFAULT_TIMEOUT_MS;
	run.t = s->target;
	run.o = o;
	run.dir = xasprintf("%s/rpi-cross-probe.XXXXXX",
			    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(run.dir) == NULL) {
		for (int i = 0; i < s->n; i++)
			linker_probe_fail(&s->v[i], "cannot make a temporary "
					  "folder in '%s': %s",
					  tmp != NULL ? tmp : "/tmp",
					  strerror(errno));
		goto out;
	}
	jobs = xcalloc((size_t)s->n, sizeof(*jobs));
	th = xcalloc((size_t)s->n, sizeof(*th));
	started = xcalloc((size_t)s->n, sizeof(*started));
	/* cc-like linkers first: theirs are the slow links */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < s->n; i++) {
			const char *cls =
				linker_flavor_class(linker_program(&s->v[i]));
			bool cc = strcmp(cls, "cc") == 0;

			if (cc != (pass == 0))
				continue;
			jobs[i] = (struct job){ &s->v[i], s->target, o,
						s->probe, &run, -1, i,
						link_prio(&s->v[i]), cls,
						false };
			if (s->probe == LINKER_PROBE_RUSTC)
				jobs[i].rec = recording_for(&run, &s->v[i]);
			if (jobs[i].rec >= 0) {
				struct recording *rc = &run.rec[jobs[i].rec];

				if (rc->heir < 0 ||
				    jobs[rc->heir].prio > jobs[i].prio)
					rc->heir = i;
			}
		}
	rjobs = xcalloc((size_t)run.nrec + 1, sizeof(*rjobs));
	rth = xcalloc((size_t)run.nrec + 1, sizeof(*rth));
	rstarted = xcalloc((size_t)run.nrec + 1, sizeof(*rstarted));
	/* the recordings take their slots in order, the cc-like one first */
	for (int i = 0; i < run.nrec && run.free_slots > 0; i++) {
		run.rec[i].slot = true;
		run.free_slots--;
	}
	for (int i = 0; i < run.nrec; i++)
		linker_record_prepare(&run.rec[i]);
	for (int i = 0; i < run.nrec; i++) {
		rjobs[i] = (struct job){ NULL, s->target, o, s->probe, &run,
					 i, -1, 0, "cc", false };
		rstarted[i] = pthread_create(&rth[i], NULL,
					     linker_record_thread,
					     &rjobs[i]) == 0;
		if (!rstarted[i])	/* no thread: in line */
			linker_record_thread(&rjobs[i]);
	}
	for (int i = 0; i < s->n; i++) {
		started[i] = pthread_create(&th[i], NULL, probe_thread,
					    &jobs[i]) == 0;
		if (!started[i])
			probe_thread(&jobs[i]);
	}
	for (int i = 0; i < s->n; i++)
		if (started[i])
			pthread_join(th[i], NULL);
	for (int i = 0; i < run.nrec; i++)
		if (rstarted[i])
			pthread_join(rth[i], NULL);
	linker_remove_tree(run.dir);
out:
	linker_rank(s);
	for (int i = 0; i < run.nrec; i++) {
		free(run.rec[i].name);
		free(run.rec[i].dir);
		free(run.rec[i].why);
		strvec_free_array(run.rec[i].env);
		strvec_free_array(run.rec[i].args);
	}
	free(run.rec);
	free(run.dir);
	pthread_mutex_destroy(&run.mu);
	pthread_cond_destroy(&run.cv);
	free(jobs);
	free(th);
	free(started);
	free(rjobs);
	free(rth);
	free(rstarted);
}
