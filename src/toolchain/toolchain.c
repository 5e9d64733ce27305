/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* toolchain.c - Rust toolchains: find, describe, std, CPUs (see toolchain.h). */
#include "toolchain.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cargo_config.h"
#include "strbuf.h"
#include "strvec.h"
#include "termtext.h"

#define RUSTC_TIMEOUT_MS 20000

const char *
toolchain_kind_name(enum toolchain_kind kind)
{
	switch (kind) {
	case TOOLCHAIN_RUSTUP: return "rustup";
	case TOOLCHAIN_DISTRO: return "distro";
	case TOOLCHAIN_HOMEBREW: return "homebrew";
	case TOOLCHAIN_STANDALONE: break;
	}
	return "standalone";
}

/* $CARGO_HOME, else ~/.cargo; malloc'd, or NULL without HOME. */
static char *
cargo_home(void)
{
	const char *h = rpx_getenv("CARGO_HOME");

	if (h != NULL)
		return xstrdup(h);
	h = rpx_getenv("HOME");
	return h != NULL ? xasprintf("%s/.cargo", h) : NULL;
}

static char *
rustup_home(void)
{
	const char *h = rpx_getenv("RUSTUP_HOME");

	if (h != NULL)
		return xstrdup(h);
	h = rpx_getenv("HOME");
	return h != NULL ? xasprintf("%s/.rustup", h) : NULL;
}

/* realpath() into a malloc'd string; a copy of path when it fails. */
static char *
real_path(const char *path)
{
	char buf[PATH_MAX];

	if (realpath(path, buf) != NULL)
		return xstrdup(buf);
	return xstrdup(path);
}

static char *
dir_of(const char *path)
{
	const char *s = strrchr(path, '/');

	if (s == NULL)
		return xstrdup(".");
	if (s == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(s - path));
}

/* The executable named `name` in $CARGO_HOME/bin, or NULL. */
static char *
in_cargo_home(const char *name)
{
	char *home = cargo_home(), *p = NULL;

	if (home == NULL)
		return NULL;
	p = xasprintf("%s/bin/%s", home, name);
	free(home);
	if (rpx_is_executable(p))
		return p;
	free(p);
	return NULL;
}

/*
 * The program a config value names, Cargo's way: a name without '/' on
 * PATH; an absolute path as is; a relative path from the parent of the
 * folder holding the file the value is set in (o), or from the current
 * folder for an environment variable.
 */
static char *
config_program(const char *value, const struct cargo_origin *o)
{
	char *dir, *base, *p;

	if (strchr(value, '/') == NULL)
		return rpx_which(value);
	if (value[0] == '/' || o == NULL || o->kind != CARGO_ORIGIN_FILE)
		return rpx_is_executable(value) ? xstrdup(value) : NULL;
	dir = dir_of(o->path);	/* .../.cargo */
	base = dir_of(dir);	/* the folder Cargo resolves against */
	p = xasprintf("%s/%s", base, value);
	free(dir);
	free(base);
	if (rpx_is_executable(p))
		return p;
	free(p);
	return NULL;
}

void
cargo_rustc_release(struct cargo_rustc *cr)
{
	free(cr->rustc);
	free(cr->given);
	free(cr->origin);
	free(cr->origin_where);
	free(cr->wrapper);
	free(cr->wrapper_origin);
	memset(cr, 0, sizeof(*cr));
}

int
toolchain_cargo_rustc(const char *project_dir, struct cargo_rustc *cr)
{
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct cargo_config_value v = CARGO_CONFIG_VALUE_INIT;
	char *home = cargo_config_home(NULL, NULL);
	const char *env = rpx_getenv("RUSTC");
	const char *wenv = getenv("RUSTC_WRAPPER");
	bool have_set;

	memset(cr, 0, sizeof(*cr));
		have_set = home != NULL && cargo_config_discover(&set,
		project_dir != NULL ? project_dir : ".", home) == 0;
	if (env != NULL) {
		cr->origin = xstrdup("$RUSTC");
		cr->given = xstrdup(env);
		cr->rustc = rpx_which(env);
	} else if (have_set &&
		   cargo_config_effective(&set, "build.rustc", &v) == 0 &&
		   v.type == CARGO_VALUE_STRING && v.str[0] != '\0') {
		cr->given = xstrdup(v.str);
		cr->origin = xstrdup("build.rustc");
		cr->origin_where = xstrdup(v.origin);
		cr->rustc = config_program(cr->given, v.norigins > 0 ?
					   &v.origins[0] : NULL);
	} else {
		cr->origin = xstrdup("PATH");
		cr->rustc = rpx_which("rustc");
		if (cr->rustc == NULL) {
			free(cr->origin);
			cr->origin = xstrdup("$CARGO_HOME/bin");
			cr->rustc = in_cargo_home("rustc");
		}
	}
	cargo_config_value_release(&v);
	/* Cargo: an empty RUSTC_WRAPPER turns the wrapper off */
	if (wenv != NULL) {
		if (wenv[0] != '\0') {
			cr->wrapper = xstrdup(wenv);
			cr->wrapper_origin = xstrdup("env RUSTC_WRAPPER");
		}
	} else if (have_set &&
		   cargo_config_effective(&set, "build.rustc-wrapper", &v) ==
		   0) {
		if (v.type == CARGO_VALUE_STRING && v.str[0] != '\0') {
			cr->wrapper = xstrdup(v.str);
			cr->wrapper_origin = xstrdup(v.origin);
		}
	}
	cargo_config_value_release(&v);
	cargo_config_set_release(&set);
	free(home);
	return cr->rustc != NULL ? 0 : RPX_ENOTFOUND;
}

/* Give tc (Cargo's rustc) what cr says about where it came from. */
static void
take_origin(struct toolchain *tc, struct cargo_rustc *cr)
{
	free(tc->origin);
	tc->origin = cr->origin;
	tc->origin_where = cr->origin_where;
	tc->wrapper = cr->wrapper;
	tc->wrapper_origin = cr->wrapper_origin;
	cr->origin = cr->origin_where = NULL;
	cr->wrapper = cr->wrapper_origin = NULL;
}

/* The value of "key: value" in rustc -vV output, or NULL. */
static char *
vv_field(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *s = text; *s != '\0';) {
		size_t len = strcspn(s, "\n");

		if (len > klen + 2 && strncmp(s, key, klen) == 0 &&
		    s[klen] == ':' && s[klen + 1] == ' ')
			return xstrndup(s + klen + 2, len - klen - 2);
		s += len;
		if (*s == '\n')
			s++;
	}
	return NULL;
}

static int
run_capture(struct proc *p, const char *const *argv)
{
	p->argv = argv;
	p->capture = true;
	p->timeout_ms = RUSTC_TIMEOUT_MS;
	return proc_run(p);
}

static bool
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return n > 0 && strncmp(path, dir, n) == 0 &&
	       (path[n] == '/' || path[n] == '\0');
}

static void
classify(struct toolchain *tc)
{
	char *rh = rustup_home(), *tdir = NULL, *rtdir = NULL, *rsys = NULL;
	char *own = NULL, *rown = NULL, *rrustc = NULL, *dir = NULL;

	rsys = real_path(tc->sysroot);
	if (rh != NULL) {
		tdir = xasprintf("%s/toolchains", rh);
		rtdir = real_path(tdir);
	}
	if (rtdir != NULL && under(rsys, rtdir)) {
		const char *base = strrchr(rsys, '/');

		tc->kind = TOOLCHAIN_RUSTUP;
		tc->rustup_name = xstrdup(base != NULL ? base + 1 : rsys);
	} else if (strcmp(rsys, "/usr") == 0) {
		tc->kind = TOOLCHAIN_DISTRO;
	} else if (under(rsys, "/opt/homebrew") ||
		   under(rsys, "/usr/local/Cellar") ||
		   under(rsys, "/home/linuxbrew/.linuxbrew")) {
		tc->kind = TOOLCHAIN_HOMEBREW;
	} else {
		tc->kind = TOOLCHAIN_STANDALONE;
	}
	/* a proxy is not the compiler that lives in the sysroot */
	own = xasprintf("%s/bin/rustc", tc->sysroot);
	rown = real_path(own);
	rrustc = real_path(tc->rustc);
	tc->proxy = strcmp(rown, rrustc) != 0 && tc->kind == TOOLCHAIN_RUSTUP;
	dir = dir_of(tc->rustc);
	free(own);
	own = xasprintf("%s/cargo", dir);
	if (rpx_is_executable(own)) {
		tc->cargo = own;
		own = NULL;
	}
	if (tc->kind == TOOLCHAIN_RUSTUP) {
		char *r = xasprintf("%s/rustup", dir);

		if (rpx_is_executable(r)) {
			tc->rustup = r;
		} else {
			free(r);
			tc->rustup = rpx_which("rustup");
			if (tc->rustup == NULL)
				tc->rustup = in_cargo_home("rustup");
		}
	}
	free(dir);
	free(own);
	free(rown);
	free(rrustc);
	free(rsys);
	free(tdir);
	free(rtdir);
	free(rh);
}

struct side_run {
	struct proc p;
	const char *const *argv;
	int r;
};

static void *
side_thread(void *arg)
{
	struct side_run *sr = arg;

	sr->r = run_capture(&sr->p, sr->argv);
	return NULL;
}

/*
 * The sysroot a rustc binary has by itself: the folder above the one
 * holding the real file (…/bin/rustc), when it has lib/rustlib. NULL for
 * anything else, such as rustup's proxy (…/.cargo/bin/rustc is rustup),
 * whose toolchain depends on overrides only it resolves.
 */
static char *
own_sysroot(const char *path)
{
	char *real = real_path(path), *bin = dir_of(real), *root = dir_of(bin);
	char *rl = xasprintf("%s/lib/rustlib", root);
	const char *base = strrchr(real, '/');
	bool ok = base != NULL && strcmp(base + 1, "rustc") == 0 &&
		  rpx_is_dir(rl);

	free(real);
	free(bin);
	free(rl);
	if (ok)
		return root;
	free(root);
	return NULL;
}

/*
 * rustc answers -vV and ignores any --print beside it (1.63 and 1.95
 * alike), so the sysroot takes its own run. For a rustc whose sysroot is
 * plain from where it lives (a distro's, a toolchain's own binary), -vV is
 * the only run: the host's std folder in that sysroot confirms it. For
 * anything else (rustup's proxy, a wrapper) the sysroot question runs
 * beside the version one: a proxy takes a while to start each time.
 */
static int
inspect(const char *path, const char *origin, struct toolchain *tc,
	const struct ctx *trace)
{
	const char *vv[] = { path, "-vV", NULL };
	const char *ver[] = { path, "--version", NULL };
	const char *sr_argv[] = { path, "--print", "sysroot", NULL };
	struct side_run sr = { PROC_INIT, NULL, 0 };
	struct proc p = PROC_INIT;
	pthread_t th;
	bool threaded = false, asked = false;
	char *own = NULL;
	int ret = RPX_ECHILD;

	memset(tc, 0, sizeof(*tc));
	if (!rpx_is_executable(path))
		return RPX_ENOTFOUND;
	sr.argv = sr_argv;
	sr.p.trace = trace;
	p.trace = trace;
	own = own_sysroot(path);
	if (own == NULL) {
		threaded = pthread_create(&th, NULL, side_thread, &sr) == 0;
		if (!threaded)
			side_thread(&sr);
		asked = true;
	}
	/* -vV names the host and release; a rustc (or wrapper) that does not
	 * understand it still has --version */
	if (run_capture(&p, vv) != 0 || !proc_ok(&p))
		(void)run_capture(&p, ver);
	if (threaded)
		pthread_join(th, NULL);
	if (!proc_ok(&p))
		goto out;
	tc->version = xstrndup(p.out.buf, strcspn(p.out.buf, "\n"));
	tc->release = vv_field(p.out.buf, "release");
	tc->host = vv_field(p.out.buf, "host");
	if (own != NULL && tc->host != NULL) {
		char *hl = xasprintf("%s/lib/rustlib/%s/lib", own, tc->host);

		if (rpx_is_dir(hl)) {
			tc->sysroot = own;
			own = NULL;
		}
		free(hl);
	}
	if (tc->sysroot == NULL && !asked)
		side_thread(&sr);	/* not confirmed: ask rustc after all */
	if (tc->sysroot == NULL) {
		if (sr.r != 0 || !proc_ok(&sr.p))
			goto out;
		strbuf_rtrim(&sr.p.out);
		if (sr.p.out.len == 0)
			goto out;
		tc->sysroot = xstrdup(sr.p.out.buf);
	}
	if (tc->version[0] == '\0')
		goto out;
	tc->rustc = xstrdup(path);
	tc->origin = xstrdup(origin);
	tc->trace = trace;
	classify(tc);
	ret = 0;
out:
	proc_release(&p);
	proc_release(&sr.p);
	free(own);
	if (ret != 0)
		toolchain_release(tc);
	return ret;
}

int
toolchain_inspect(const char *path, const char *origin, struct toolchain *tc)
{
	return inspect(path, origin, tc, NULL);
}

int
toolchain_find(struct toolchain *tc)
{
	return toolchain_find_traced(tc, NULL);
}

int
toolchain_find_traced(struct toolchain *tc, const struct ctx *trace)
{
	struct cargo_rustc cr = CARGO_RUSTC_INIT;
	int r = RPX_ENOTFOUND;

	memset(tc, 0, sizeof(*tc));
	if (toolchain_cargo_rustc(NULL, &cr) == 0 &&
	    inspect(cr.rustc, cr.origin, tc, trace) == 0) {
		take_origin(tc, &cr);
		r = 0;
	}
	cargo_rustc_release(&cr);
	return r;
}

bool
toolchain_has_std(const struct toolchain *tc, const char *triple)
{
	char *dir;
	bool ok;

	if (tc->sysroot == NULL)
		return false;
	dir = xasprintf("%s/lib/rustlib/%s/lib", tc->sysroot, triple);
	ok = rpx_is_dir(dir);
	free(dir);
	return ok;
}

char *
toolchain_rust_lld(const struct toolchain *tc)
{
	char *p;

	if (tc->sysroot == NULL || tc->host == NULL)
		return NULL;
	p = xasprintf("%s/lib/rustlib/%s/bin/rust-lld", tc->sysroot, tc->host);
	if (rpx_is_executable(p))
		return p;
	free(p);
	return NULL;
}

void
toolchain_release(struct toolchain *tc)
{
	free(tc->rustc);
	free(tc->version);
	free(tc->sysroot);
	free(tc->release);
	free(tc->host);
	free(tc->origin);
	free(tc->origin_where);
	free(tc->wrapper);
	free(tc->wrapper_origin);
	free(tc->cargo);
	free(tc->rustup);
	free(tc->rustup_name);
	memset(tc, 0, sizeof(*tc));
}

/* Scanning ----------------------------------------------------------- */

struct cand {
	char *path;		/* NULL once folded into an earlier one */
	const char *origin;
	char *real;
	struct toolchain tc;
	int ret;
	const struct ctx *trace;
};

/* The rustc found so far, in the order they are looked for. */
struct cands {
	struct cand *v;
	int n;
	size_t alloc;
};

static void *
inspect_thread(void *arg)
{
	struct cand *c = arg;

	c->ret = inspect(c->path, c->origin, &c->tc, c->trace);
	return NULL;
}

/* Inspect every candidate at once: rustup's proxies are slow to start. */
static void
inspect_all(struct cand *c, int nc, const struct ctx *trace)
{
	pthread_t *th = xcalloc((size_t)nc + 1, sizeof(*th));
	bool *started = xcalloc((size_t)nc + 1, sizeof(*started));

	for (int i = 0; i < nc; i++) {
		c[i].ret = RPX_ENOTFOUND;
		c[i].trace = trace;
		if (c[i].path == NULL)
			continue;
		started[i] = pthread_create(&th[i], NULL, inspect_thread,
					    &c[i]) == 0;
		if (!started[i])
			inspect_thread(&c[i]);
	}
	for (int i = 0; i < nc; i++)
		if (started[i])
			pthread_join(th[i], NULL);
	free(th);
	free(started);
}

static void
add_cand(struct cands *cs, char *path, const char *origin)
{
	struct cand *c;

	if (path == NULL)
		return;
	ALLOC_GROW(cs->v, (size_t)cs->n + 1, cs->alloc);
	c = &cs->v[cs->n++];
	memset(c, 0, sizeof(*c));
	c->path = path;
	c->origin = origin;
}

static void
path_cands(struct cands *cs)
{
	const char *path = rpx_getenv("PATH");
	const char *s = path;

	while (s != NULL && *s != '\0') {
		size_t len = strcspn(s, ":");

		if (len > 0) {
			char *p = xasprintf("%.*s/rustc", (int)len, s);

			if (rpx_is_executable(p))
				add_cand(cs, p, "PATH");
			else
				free(p);
		}
		s += len;
		if (*s == ':')
			s++;
	}
}

static int
index_by_real(const struct toolchain_list *l, char *const *reals,
	      const char *path)
{
	char *r = real_path(path);
	int found = -1;

	for (int i = 0; i < l->n && found < 0; i++)
		if (strcmp(reals[i], r) == 0)
			found = i;
	free(r);
	return found;
}

int
toolchain_scan(struct toolchain_list *l)
{
	static const char *const known[] = {
		"/usr/bin/rustc", "/opt/homebrew/bin/rustc",
		"/usr/local/bin/rustc", "/home/linuxbrew/.linuxbrew/bin/rustc",
	};
	struct cands cs = { NULL, 0, 0 };
	struct cand *c;
	struct strvec reals = STRVEC_INIT;	/* realpath of each l->v[i].rustc */
	char *cargo_path = NULL;
	struct cargo_rustc cr = CARGO_RUSTC_INIT;
	int nc, own_idx = -1;

	l->v = NULL;
	l->n = 0;
	l->alloc = 0;
	l->cargo_uses = -1;
	l->cargo = NULL;
	l->mismatch = NULL;
	/* Cargo's own choice first, so it keeps its origin when folded */
	if (toolchain_cargo_rustc(NULL, &cr) == 0 &&
	    (strcmp(cr.origin, "$RUSTC") == 0 ||
	     strcmp(cr.origin, "build.rustc") == 0))
		add_cand(&cs, xstrdup(cr.rustc),
			 cr.origin[0] == '$' ? "$RUSTC" : "build.rustc");
	path_cands(&cs);
	add_cand(&cs, in_cargo_home("rustc"), "$CARGO_HOME/bin");
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (rpx_is_executable(known[i]))
			add_cand(&cs, xstrdup(known[i]), "known location");
	c = cs.v;
	nc = cs.n;

	/* fold symlinks and hard-coded duplicates before running anything */
	for (int i = 0; i < nc; i++) {
		char *r = real_path(c[i].path);

		for (int k = 0; k < i && c[i].path != NULL; k++)
			if (c[k].path != NULL && strcmp(c[k].real, r) == 0) {
				free(c[i].path);
				c[i].path = NULL;
			}
		c[i].real = r;
	}
	inspect_all(c, nc, l->trace);
	for (int i = 0; i < nc; i++) {
		bool dup = false;

		if (c[i].ret != 0)
			continue;
		for (int k = 0; k < l->n && !dup; k++)
			dup = strcmp(l->v[k].sysroot, c[i].tc.sysroot) == 0 &&
			      l->v[k].proxy == c[i].tc.proxy;
		if (dup) {
			toolchain_release(&c[i].tc);
			continue;
		}
		ALLOC_GROW(l->v, (size_t)l->n + 1, l->alloc);
		strvec_push(&reals, c[i].real);
		l->v[l->n++] = c[i].tc;
	}

	if (cr.rustc != NULL)
		l->cargo_uses = index_by_real(l, reals.v, cr.rustc);
	if (l->cargo_uses >= 0)
		take_origin(&l->v[l->cargo_uses], &cr);
	cargo_path = rpx_which("cargo");
	if (cargo_path == NULL)
		cargo_path = in_cargo_home("cargo");
	l->cargo = cargo_path;
	/* whose cargo is it? */
	for (int i = 0; cargo_path != NULL && i < l->n && own_idx < 0; i++) {
		char *a, *b;

		if (l->v[i].cargo == NULL)
			continue;
		a = real_path(l->v[i].cargo);
		b = real_path(cargo_path);
		if (strcmp(a, b) == 0)
			own_idx = i;
		free(a);
		free(b);
	}
	/* only when Cargo takes rustc from PATH: a set one is a choice */
	if (own_idx >= 0 && l->cargo_uses >= 0 && own_idx != l->cargo_uses &&
	    strcmp(l->v[l->cargo_uses].origin, "PATH") == 0) {
		const struct toolchain *mine = &l->v[own_idx];
		const struct toolchain *used = &l->v[l->cargo_uses];
		char *dir = dir_of(mine->rustc);

		l->mismatch = xasprintf(
			"'%s' belongs to %s (%s) but runs the first rustc on "
			"PATH, %s (%s): set RUSTC=%s, or put %s first on PATH",
			cargo_path, mine->rustc, mine->version, used->rustc,
			used->version, mine->rustc, dir);
		free(dir);
	}
	cargo_rustc_release(&cr);
	for (int i = 0; i < nc; i++) {
		free(c[i].path);
		free(c[i].real);
	}
	free(c);
	strvec_clear(&reals);
	return 0;
}

const struct toolchain *
toolchain_list_cargo(const struct toolchain_list *l)
{
	return l->cargo_uses >= 0 ? &l->v[l->cargo_uses] : NULL;
}

void
toolchain_list_release(struct toolchain_list *l)
{
	for (int i = 0; i < l->n; i++)
		toolchain_release(&l->v[i]);
	free(l->v);
	free(l->cargo);
	free(l->mismatch);
	l->v = NULL;
	l->n = 0;
	l->alloc = 0;
	l->cargo_uses = -1;
	l->cargo = NULL;
	l->mismatch = NULL;
}

/* Installing a std ---------------------------------------------------- */

void
toolchain_std_install(const struct toolchain *tc, const struct target *t,
		      const struct host_os *os, struct std_install *si)
{
	memset(si, 0, sizeof(*si));
	switch (tc->kind) {
	case TOOLCHAIN_RUSTUP:
		si->automatic = tc->rustup != NULL;
		si->command = xasprintf("rustup target add%s%s %s",
					tc->rustup_name ? " --toolchain " : "",
					tc->rustup_name ? tc->rustup_name : "",
					t->triple);
		if (tc->rustup == NULL)
			si->note = xstrdup("rustup itself was not found on "
					   "PATH or in $CARGO_HOME/bin");
		return;
	case TOOLCHAIN_DISTRO:
		if (os->pm == PKG_APT && t->debian_std != NULL) {
			const char *arch = strchr(t->debian_std, ':');

			si->packages = xstrdup(t->debian_std);
			si->command = xasprintf(
				"sudo dpkg --add-architecture %s && sudo "
				"apt-get update && sudo apt-get install %s",
				arch != NULL ? arch + 1 : "", t->debian_std);
			si->note = xasprintf(
				"the package must be the same version as "
				"rustc (%s); when apt refuses it for version "
				"skew, 'apt-get download %s', unpack it with "
				"'dpkg -x' and copy its usr/lib/rustlib/%s "
				"into %s/lib/rustlib/",
				tc->release ? tc->release : "?", t->debian_std,
				t->triple, tc->sysroot);
			return;
		}
		si->note = xasprintf(
			"%s's rustc has no package with the std for %s: "
			"install Rust with rustup (https://rustup.rs) and run "
			"'rustup target add %s'",
			os->name[0] ? os->name : "this system", t->triple,
			t->triple);
		return;
	case TOOLCHAIN_HOMEBREW:
		si->command = xasprintf("brew install rustup && rustup-init "
					"&& rustup target add %s", t->triple);
		si->note = xstrdup("Homebrew's rust formula carries only the "
				   "host's std: use rustup for cross targets");
		return;
	case TOOLCHAIN_STANDALONE:
		break;
	}
	si->note = xasprintf("put the std for %s into %s/lib/rustlib/%s, or "
			     "install Rust with rustup (https://rustup.rs)",
			     t->triple, tc->sysroot, t->triple);
}

void
std_install_release(struct std_install *si)
{
	free(si->command);
	free(si->packages);
	free(si->note);
	memset(si, 0, sizeof(*si));
}

/* The first line starting with "error" in text, into why. */
static bool
error_line(const char *text, char *why, size_t whysz)
{
	for (const char *s = text; *s != '\0';) {
		size_t len = strcspn(s, "\n");

		if (strncmp(s, "error", 5) == 0) {
			snprintf(why, whysz, "%.*s", (int)len, s);
			return true;
		}
		s += len;
		if (*s == '\n')
			s++;
	}
	return false;
}

/* The first "error..." line of a terminal's output (escapes dropped). */
static bool
tty_error_line(const char *text, char *why, size_t whysz)
{
	struct termtext tt = TERMTEXT_INIT;
	bool found = false;

	termtext_feed(&tt, text, strlen(text));
	for (size_t i = 0; i < tt.lines.n && !found; i++) {
		if (strncmp(tt.lines.v[i], "error", 5) == 0) {
			snprintf(why, whysz, "%s", tt.lines.v[i]);
			found = true;
		}
	}
	termtext_release(&tt);
	return found;
}

/* `rustup target add` through pipes (on_line) or a pty (on_data). */
static int
install_std(const struct toolchain *tc, const char *triple, struct proc *p,
	    char *why, size_t whysz)
{
	const char *env[] = { "RUST_BACKTRACE=0", NULL };
	const char *argv[8];
	int n = 0, r;

	why[0] = '\0';
	if (tc->kind != TOOLCHAIN_RUSTUP || tc->rustup == NULL) {
		snprintf(why, whysz, "'%s' is a %s toolchain: rustup cannot "
			 "add targets to it", tc->rustc,
			 toolchain_kind_name(tc->kind));
		return RPX_EUNSUPPORTED;
	}
	argv[n++] = tc->rustup;
	argv[n++] = "target";
	argv[n++] = "add";
	if (tc->rustup_name != NULL) {
		argv[n++] = "--toolchain";
		argv[n++] = tc->rustup_name;
	}
	argv[n++] = triple;
	argv[n] = NULL;
	p->argv = argv;
	p->env = env;
	p->capture = true;
	p->timeout_ms = 30 * 60 * 1000;
	p->trace = tc->trace;
	r = proc_run(p);
	if (r != 0) {
		snprintf(why, whysz, "%s", p->why);
	} else if (!proc_ok(p)) {
		if (p->pty ? !tty_error_line(p->out.buf, why, whysz) :
		    !error_line(p->err.buf, why, whysz) &&
		    !error_line(p->out.buf, why, whysz))
			snprintf(why, whysz, "%s", p->why);
		r = RPX_ECHILD;
	}
	p->argv = NULL;
	p->env = NULL;
	proc_release(p);
	return r;
}

int
toolchain_install_std(const struct toolchain *tc, const char *triple,
		      proc_line_fn *on_line, void *cb_arg,
		      const volatile sig_atomic_t *cancel, char *why,
		      size_t whysz)
{
	struct proc p = PROC_INIT;

	p.on_line = on_line;
	p.cb_arg = cb_arg;
	p.cancel = cancel;
	return install_std(tc, triple, &p, why, whysz);
}

int
toolchain_install_std_tty(const struct toolchain *tc, const char *triple,
			  proc_data_fn *on_data, void *cb_arg, int cols,
			  const volatile sig_atomic_t *cancel, char *why,
			  size_t whysz)
{
	struct proc p = PROC_INIT;

	p.pty = true;
	p.pty_cols = (unsigned short)(cols > 20 && cols < 1000 ? cols : 80);
	p.on_data = on_data;
	p.cb_arg = cb_arg;
	p.cancel = cancel;
	return install_std(tc, triple, &p, why, whysz);
}

/* CPUs ----------------------------------------------------------------- */

static const char CPU_HEADER[] = "Available CPUs for this target:";

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
			    (*s)[*len - 1] == '\r'))
		(*len)--;
}

static bool
valid_cpu_name(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == '.' || c == '+'))
			return false;
	}
	return true;
}

int
toolchain_parse_cpus(const char *text, struct cpu_list *l,
		     struct rpx_err *err)
{
	struct cpu_list out = CPU_LIST_INIT;
	const char *s = text;
	int lineno = 0, ret = RPX_EPARSE;
	bool header = false;

	while (*s != '\0') {
		size_t len = strcspn(s, "\n");
		const char *line = s, *dash, *name, *desc = NULL;
		size_t nlen, dlen = 0;

		s += len;
		if (*s == '\n')
			s++;
		lineno++;
		name = line;
		nlen = len;
		trim(&name, &nlen);
		if (nlen == 0)
			continue;
		if (!header) {
			if (nlen == sizeof(CPU_HEADER) - 1 &&
			    strncmp(name, CPU_HEADER, nlen) == 0) {
				header = true;
				continue;
			}
			rpx_err_set(err, NULL, lineno, 1, "not a CPU list: "
				    "'%.*s'", (int)(nlen > 200 ? 200 : nlen),
				    name);
			goto out;
		}
		if (line[0] != ' ' && line[0] != '\t')
			break;	/* something after the list */
		dash = NULL;
		for (size_t i = 0; i + 1 < nlen; i++)
			if (name[i] == ' ' && name[i + 1] == '-' &&
			    (i + 2 == nlen || name[i + 2] == ' ')) {
				dash = name + i;
				break;
			}
		if (dash != NULL) {
			desc = dash + 2;
			dlen = nlen - (size_t)(desc - name);
			nlen = (size_t)(dash - name);
			trim(&name, &nlen);
			trim(&desc, &dlen);
		}
		if (!valid_cpu_name(name, nlen)) {
			rpx_err_set(err, NULL, lineno,
				    (int)(name - line) + 1,
				    "malformed CPU name '%.*s'",
				    (int)(nlen > 80 ? 80 : nlen), name);
			goto out;
		}
		ALLOC_GROW(out.v, (size_t)out.n + 1, out.alloc);
		out.v[out.n].name = xstrndup(name, nlen);
		out.v[out.n].desc = dlen ? xstrndup(desc, dlen) : NULL;
		out.v[out.n].is_native = nlen == 6 &&
					 strncmp(name, "native", 6) == 0;
		out.v[out.n].is_default = out.v[out.n].desc != NULL &&
			strstr(out.v[out.n].desc, "default target CPU") != NULL;
		out.n++;
	}
	if (!header) {
		rpx_err_set(err, NULL, lineno ? lineno : 1, 1, "empty CPU list "
			    "(no '%s' line)", CPU_HEADER);
		goto out;
	}
	*l = out;
	out.v = NULL;
	out.n = 0;
	out.alloc = 0;
	ret = 0;
out:
	cpu_list_release(&out);
	return ret;
}

int
toolchain_target_cpus(const struct toolchain *tc, const char *triple,
		      struct cpu_list *l, char *why, size_t whysz)
{
	const char *argv[] = { tc->rustc, "--target", triple, "--print",
			       "target-cpus", NULL };
	struct proc p = PROC_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	int r;

	why[0] = '\0';
	p.trace = tc->trace;
	r = run_capture(&p, argv);
	if (r != 0) {
		snprintf(why, whysz, "%s", p.why);
		r = RPX_ECHILD;
		goto out;
	}
	if (!proc_ok(&p)) {
		if (!error_line(p.err.buf, why, whysz))
			snprintf(why, whysz, "%s", p.why);
		r = RPX_ECHILD;
		goto out;
	}
	r = toolchain_parse_cpus(p.out.buf, l, &err);
	if (r != 0) {
		snprintf(why, whysz, "%s (%s) cannot list CPUs: %s", tc->rustc,
			 tc->version, err.msg);
		r = RPX_EUNSUPPORTED;
	}
out:
	proc_release(&p);
	return r;
}

int
cpu_list_find(const struct cpu_list *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return i;
	return -1;
}

void
cpu_list_release(struct cpu_list *l)
{
	for (int i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].desc);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
	l->alloc = 0;
}
