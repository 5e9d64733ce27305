/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * linker_record.c - compile once, link many: rustc compiles the probe
 * once with a recorder as its linker, and each candidate replays the link
 * command it wrote down (see linker_int.h).
 */
#include "linker_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "rpx.h"

static const char RECORDER_SH[] =
	"#!/bin/sh\n"
	"# rpi-cross: writes down the link command rustc runs, NUL-separated:\n"
	"# the environment rustc set for the linker, an empty entry, the args\n"
	"{\n"
	"\t[ -z \"${PATH+x}\" ] || printf 'PATH=%s\\0' \"$PATH\"\n"
	"\t[ -z \"${LC_ALL+x}\" ] || printf 'LC_ALL=%s\\0' \"$LC_ALL\"\n"
	"\t[ -z \"${VSLANG+x}\" ] || printf 'VSLANG=%s\\0' \"$VSLANG\"\n"
	"\tprintf '\\0'\n"
	"\tprintf '%s\\0' \"$@\"\n"
	"} >\"$0.args\"\n";

/*
 * The class of link command rustc picks from a linker's file name (its
 * stem, as Rust's Path::file_stem, decides the linker flavor): "cc",
 * "ld", "rust-lld", else "cc": rustc then uses the target's default
 * flavor, which is gcc's for every Linux target.
 */
const char *
linker_flavor_class(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;
	char stem[256];
	size_t n;
	static const char *const cc[] = { "gcc", "g++", "clang", "clang++" };

	base = base != NULL ? base + 1 : path;
	dot = strrchr(base, '.');
	n = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
	if (n >= sizeof(stem))
		return NULL;
	memcpy(stem, base, n);
	stem[n] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(cc); i++) {
		size_t k = strlen(cc[i]);

		if (strcmp(stem, cc[i]) == 0 || (n > k &&
		    stem[n - k - 1] == '-' && strcmp(stem + n - k, cc[i]) == 0))
			return "cc";
	}
	if (strcmp(stem, "ld") == 0 || (n > 3 && strcmp(stem + n - 3, "-ld") == 0))
		return "ld";
	if (strcmp(stem, "rust-lld") == 0)
		return "rust-lld";
	return "cc";
}

/*
 * The command rustc gives an ld-like linker, from the one it gives a
 * cc-like one (rustc's GccLinker: linker_args() wraps in -Wl, only for a
 * compiler driver; -nodefaultlibs is a driver option): "-Wl,A,B" becomes
 * A B, "-Xlinker A" becomes A, -nodefaultlibs goes. rust-lld is also told
 * its flavor first. NULL-ended; the strings are cc's own.
 */
const char **
linker_ld_args_from_cc(const char *const *cc, bool rust_lld, char **buf)
{
	size_t n = 0, cap = 8, blen = 0;
	const char **v;
	char *b;

	for (int i = 0; cc[i] != NULL; i++) {
		cap += 1 + strlen(cc[i]) / 2;
		blen += strlen(cc[i]) + 1;
	}
	v = xcalloc(cap, sizeof(*v));
	b = *buf = xcalloc(blen + 1, 1);
	if (rust_lld) {
		v[n++] = "-flavor";
		v[n++] = "gnu";
	}
	for (int i = 0; cc[i] != NULL; i++) {
		const char *a = cc[i];

		if (strcmp(a, "-nodefaultlibs") == 0)
			continue;
		if (strcmp(a, "-Xlinker") == 0 && cc[i + 1] != NULL) {
			v[n++] = cc[++i];
			continue;
		}
		if (strncmp(a, "-Wl,", 4) != 0) {
			v[n++] = a;
			continue;
		}
		for (a += 4; *a != '\0';) {
			size_t len = strcspn(a, ",");

			memcpy(b, a, len);
			b[len] = '\0';
			v[n++] = b;
			b += len + 1;
			a += len;
			if (*a == ',')
				a++;
		}
	}
	v[n] = NULL;
	return v;
}

/* Split NUL-separated text: the entries up to the first empty one are the
 * environment, the rest the arguments. */
bool
linker_parse_recording(const char *buf, size_t len, struct recording *rc)
{
	struct strvec env = STRVEC_INIT, args = STRVEC_INIT;
	bool in_env = true;

	if (len == 0 || buf[len - 1] != '\0')
		return false;
	for (size_t i = 0; i < len;) {
		size_t n = strlen(buf + i);

		if (in_env && n == 0)
			in_env = false;
		else
			strvec_push_nodup(in_env ? &env : &args,
					  xstrndup(buf + i, n));
		i += n + 1;
	}
	if (in_env) {
		strvec_clear(&env);
		strvec_clear(&args);
		return false;
	}
	rc->env = strvec_detach(&env);
	rc->args = strvec_detach(&args);
	return true;
}

/*
 * Write a recording's folder, source and recorder script. Done before any
 * probe thread starts programs: a script being written while another
 * thread starts a program can be "busy" when rustc runs it.
 */
void
linker_record_prepare(struct recording *rc)
{
	char *script = xasprintf("%s/%s", rc->dir, rc->name);
	char *src = xasprintf("%s/hello.rs", rc->dir);

	if (mkdir(rc->dir, 0700) != 0 ||
	    linker_write_file(src, linker_hello_rs, 0600) != 0 ||
	    linker_write_file(script, RECORDER_SH, 0700) != 0)
		rc->why = xasprintf("cannot write the probe into '%s': %s",
				    rc->dir, strerror(errno));
	free(script);
	free(src);
}

/* Have rustc compile the probe, calling the recorder as its linker. */
void
linker_record(struct probe_run *run, struct recording *rc, int prio)
{
	const struct target *t = run->t;
	char *script = xasprintf("%s/%s", rc->dir, rc->name);
	char *src = xasprintf("%s/hello.rs", rc->dir);
	char *out = xasprintf("%s/probe", rc->dir);
	char *argsfile = xasprintf("%s.args", script);
	char *lflag = xasprintf("linker=%s", script);
	char *mark = xstrdup("link-arg=" LINK_ARGS_MARK);
	char *tmpenv = xasprintf("TMPDIR=%s", rc->dir);
	const char *env[2] = { tmpenv, NULL };
	const char *argv[] = {
		run->o->tc->rustc, "--target", t->triple, "-C", lflag,
		"-C", mark, "-C", "save-temps", "-C", "strip=debuginfo",
		"-C", "codegen-units=1", "--crate-name", "probe", src,
		"-o", out, NULL,
	};
	struct proc p = PROC_INIT;
	char *reason = NULL, *text = NULL;
	size_t len = 0;
	int r;

	if (rc->why != NULL)		/* linker_record_prepare() failed */
		goto out;
	p.argv = argv;
	p.env = env;
	p.capture = true;
	p.timeout_ms = run->timeout_ms;
	if (run->o != NULL)
		p.trace = run->o->trace;
	/* the slot is kept: it passes to the first link (record_thread) */
	if (!rc->slot)
		rc->slot = linker_slot_take(run, prio);
	r = proc_run(&p);
	if (r == RPX_ETIMEOUT) {
		rc->timed_out = true;
		rc->why = xasprintf("rustc did not compile the probe within "
				    "%d s and was killed",
				    run->timeout_ms / 1000);
		goto out;
	}
	if (r != 0) {
		rc->why = xstrdup(p.why);
		goto out;
	}
	if (!proc_ok(&p)) {
		reason = linker_failure_line(p.err.buf);
		rc->why = xasprintf("the probe link failed: %s",
				    reason ? reason : p.why);
		goto out;
	}
	/* no recording (rustc ran no linker?): each candidate runs rustc */
	if (fsutil_read_file(argsfile, &text, &len) == 0)
		rc->ok = linker_parse_recording(text, len, rc);
out:
	proc_release(&p);
	free(script);
	free(src);
	free(out);
	free(argsfile);
	free(lflag);
	free(mark);
	free(tmpenv);
	free(reason);
	free(text);
}

void *
linker_record_thread(void *arg)
{
	struct job *j = arg;
	struct probe_run *run = j->run;
	struct recording *rc = &run->rec[j->rec];

	linker_record(run, rc, j->prio);
	pthread_mutex_lock(&run->mu);
	rc->done = true;
	if (rc->heir < 0 && rc->slot) {
		run->free_slots++;
		rc->slot = false;
	}
	pthread_cond_broadcast(&run->cv);
	pthread_mutex_unlock(&run->mu);
	return NULL;
}

/* Link with j's linker the way rustc linked with the recorder. */
void
linker_replay(struct job *j, const char *dir, const struct recording *rc,
       const struct strvec *largs)
{
	struct linker *l = j->l;
	struct strvec argv = STRVEC_INIT, env = STRVEC_INIT;
	char *out = xasprintf("%s/probe", dir);
	char *recout = xasprintf("%s/probe", rc->dir);
	char *buf = NULL;
	const char **args = (const char **)rc->args, **ldv = NULL;

	if (strcmp(j->flavor, "cc") != 0)
		args = ldv = linker_ld_args_from_cc(
			(const char *const *)rc->args,
			strcmp(j->flavor, "rust-lld") == 0, &buf);
	l->probe = LINKER_PROBE_RUSTC;
	strvec_push(&argv, linker_program(l));
	for (int i = 0; args[i] != NULL; i++) {
		const char *a = args[i];

		if (strcmp(a, LINK_ARGS_MARK) == 0)
			for (size_t k = 0; k < largs->n; k++)
				strvec_push(&argv, largs->v[k]);
		else
			strvec_push(&argv, strcmp(a, recout) == 0 ? out : a);
	}
	for (int i = 0; rc->env[i] != NULL; i++)
		if (strncmp(rc->env[i], "TMPDIR=", 7) != 0)
			strvec_push(&env, rc->env[i]);
	strvec_pushf(&env, "TMPDIR=%s", dir);
	linker_link_and_check(j, (const char *const *)argv.v,
		       (const char *const *)env.v, out);
	strvec_clear(&argv);
	strvec_clear(&env);
	free(out);
	free(recout);
	free(ldv);
	free(buf);
}
