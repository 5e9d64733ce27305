/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * linker_find.c - the candidates: GNU cross gcc and bare ld for every
 * known prefix of the target's family, clang and zig, on PATH and in the
 * usual folders; rust-lld in the toolchains' sysroots; one entry per real
 * file; each with the rustflags Cargo needs and advice (see linker.h).
 */
#include "linker_int.h"

#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "rpx.h"

/* GNU cross prefixes by family; a target's own prefixes come first. */
static const char *const gnu32hf[] = {
	"arm-linux-gnueabihf-", "arm-unknown-linux-gnueabihf-",
	"armv6-unknown-linux-gnueabihf-", "armv7-unknown-linux-gnueabihf-",
	"armv7a-unknown-linux-gnueabihf-", "arm-rpi-linux-gnueabihf-",
	"armv8-rpi3-linux-gnueabihf-", "arm-none-linux-gnueabihf-", NULL,
};
static const char *const musl32hf[] = {
	"arm-linux-musleabihf-", "arm-unknown-linux-musleabihf-",
	"armv6-linux-musleabihf-", "armv7-linux-musleabihf-",
	"armv7-unknown-linux-musleabihf-", "armv7l-linux-musleabihf-", NULL,
};
static const char *const gnu64[] = {
	"aarch64-linux-gnu-", "aarch64-unknown-linux-gnu-",
	"aarch64-rpi3-linux-gnu-", "aarch64-none-linux-gnu-", NULL,
};
static const char *const musl64[] = {
	"aarch64-linux-musl-", "aarch64-unknown-linux-musl-", NULL,
};
static const char *const gnu32sf[] = {
	"arm-linux-gnueabi-", "arm-unknown-linux-gnueabi-",
	"armv7-unknown-linux-gnueabi-", NULL,
};

static const char *const *
family(const struct target *t)
{
	if (t->bits == 64)
		return t->libc == LIBC_MUSL ? musl64 : gnu64;
	if (!t->hard_float)
		return gnu32sf;
	return t->libc == LIBC_MUSL ? musl32hf : gnu32hf;
}


static char *
real_path(const char *path)
{
	char buf[PATH_MAX];

	return xstrdup(realpath(path, buf) != NULL ? buf : path);
}

static void
add_dir(struct strvec *dirs, const char *d, size_t len)
{
	char *s = xstrndup(d, len);

	if (len == 0 || strvec_has(dirs, s) || !rpx_is_dir(s))
		free(s);
	else
		strvec_push_nodup(dirs, s);
}

static void
add_glob(struct strvec *dirs, const char *pattern)
{
	glob_t g;

	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++)
		add_dir(dirs, g.gl_pathv[i], strlen(g.gl_pathv[i]));
	globfree(&g);
}

/* PATH first, then the places cross toolchains are usually put. */
static void
search_dirs(struct strvec *dirs)
{
	const char *path = rpx_getenv("PATH");
	const char *home = rpx_getenv("HOME");
	const char *ch = rpx_getenv("CARGO_HOME");
	static const char *const fixed[] = {
		"/usr/bin", "/opt/homebrew/bin", "/usr/local/bin",
	};

	for (const char *s = path; s != NULL && *s != '\0';) {
		size_t len = strcspn(s, ":");

		add_dir(dirs, s, len);
		s += len;
		if (*s == ':')
			s++;
	}
	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		add_dir(dirs, fixed[i], strlen(fixed[i]));
	if (ch != NULL || home != NULL) {
		char *d = ch != NULL ? xasprintf("%s/bin", ch) :
				       xasprintf("%s/.cargo/bin", home);

		add_dir(dirs, d, strlen(d));
		free(d);
	}
	add_glob(dirs, "/opt/cross*/bin");
	add_glob(dirs, "/opt/*/bin");
	add_glob(dirs, "/opt/*/*/bin");
	/* zig's release archives hold the program at their top level */
	add_glob(dirs, "/opt/zig*");
	add_glob(dirs, "/usr/local/zig*");
	if (home != NULL) {
		char *pat = xasprintf("%s/x-tools/*/bin", home);
		char *local = xasprintf("%s/.local/bin", home);

		add_glob(dirs, pat);
		add_dir(dirs, local, strlen(local));
		free(pat);
		pat = xasprintf("%s/zig*", home);
		add_glob(dirs, pat);
		free(pat);
		free(local);
	}
}

struct finder {
	struct linker_scan *s;
	struct strvec reals;	/* realpath of every candidate so far */
};

static char **
flags_v(const char *a, const char *b, const char *c, const char *d)
{
	const char *in[] = { a, b, c, d };
	struct strvec v = STRVEC_INIT;

	for (int i = 0; i < 4; i++)
		if (in[i] != NULL)
			strvec_push(&v, in[i]);
	return strvec_detach(&v);
}

/* Cargo's linker value: the bare name when PATH finds this very file. */
static char *
cargo_name(const char *path, const char *real)
{
	const char *base = strrchr(path, '/');
	char *found, *rf;
	bool same;

	base = base != NULL ? base + 1 : path;
	found = rpx_which(base);
	if (found == NULL)
		return xstrdup(path);
	rf = real_path(found);
	same = strcmp(rf, real) == 0;
	free(found);
	free(rf);
	return xstrdup(same ? base : path);
}

static struct linker *
add_linker(struct finder *f, enum linker_kind kind, const char *path,
	   const char *origin, const char *prefix)
{
	struct linker_scan *s = f->s;
	struct linker *l;
	char *real;

	if (!rpx_is_executable(path))
		return NULL;
	real = real_path(path);
	/* Debian's clang and gcc-N links resolve differently: keep kind in
	 * the key so a folded file is one candidate per kind */
	if (strvec_has(&f->reals, real)) {
		free(real);
		return NULL;
	}
	ALLOC_GROW(s->v, (size_t)s->n + 1, s->alloc);
	l = &s->v[s->n++];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->path = xstrdup(path);
	l->name = cargo_name(path, real);
	l->origin = xstrdup(origin);
	l->prefix = prefix != NULL ? xstrdup(prefix) : NULL;
	strvec_push_nodup(&f->reals, real);
	return l;
}

static void
find_in_dir(struct finder *f, const char *dir)
{
	const struct target *t = f->s->target;
	const char *const *fam = family(t);
	struct strvec prefixes = STRVEC_INIT;

	for (int i = 0; t->gnu_prefixes[i] != NULL; i++)
		if (!strvec_has(&prefixes, t->gnu_prefixes[i]))
			strvec_push(&prefixes, t->gnu_prefixes[i]);
	for (int i = 0; fam[i] != NULL; i++)
		if (!strvec_has(&prefixes, fam[i]))
			strvec_push(&prefixes, fam[i]);
	for (size_t i = 0; i < prefixes.n; i++) {
		char *gcc = xasprintf("%s/%sgcc", dir, prefixes.v[i]);
		char *ld = xasprintf("%s/%sld", dir, prefixes.v[i]);

		add_linker(f, LINKER_GCC, gcc, dir, prefixes.v[i]);
		add_linker(f, LINKER_BARE_LD, ld, dir, prefixes.v[i]);
		free(gcc);
		free(ld);
	}
	{
		char *clang = xasprintf("%s/clang", dir);
		char *zig = xasprintf("%s/zig", dir);

		add_linker(f, LINKER_CLANG, clang, dir, NULL);
		add_linker(f, LINKER_ZIG, zig, dir, NULL);
		free(clang);
		free(zig);
	}
	strvec_clear(&prefixes);
}

static void
find_rust_lld(struct finder *f, const struct toolchain *tc, bool active)
{
	char *p = toolchain_rust_lld(tc);
	struct linker *l;

	if (p == NULL)
		return;
	l = add_linker(f, LINKER_RUST_LLD, p, "sysroot", NULL);
	if (l != NULL) {
		free(l->origin);
		l->origin = xasprintf("sysroot of %s", tc->rustc);
		free(l->name);
		/* rustc puts its own sysroot's bin folder on the linker's
		 * PATH, so the bare name works only for that toolchain */
		l->name = xstrdup(active ? "rust-lld" : p);
	}
	free(p);
}

static bool
has_kind(const struct linker_scan *s, enum linker_kind kind)
{
	for (int i = 0; i < s->n; i++)
		if (s->v[i].kind == kind)
			return true;
	return false;
}

/* rust-lld of every toolchain, found without running any rustc */
static void
glob_rust_lld(struct finder *f)
{
	const char *rh = rpx_getenv("RUSTUP_HOME");
	const char *home = rpx_getenv("HOME");
	char *pats[5] = { NULL };
	int n = 0;

	if (rh != NULL)
		pats[n++] = xasprintf("%s/toolchains/*/lib/rustlib/*/bin/"
				      "rust-lld", rh);
	else if (home != NULL)
		pats[n++] = xasprintf("%s/.rustup/toolchains/*/lib/rustlib/*/"
				      "bin/rust-lld", home);
	pats[n++] = xstrdup("/usr/lib/rustlib/*/bin/rust-lld");
	pats[n++] = xstrdup("/usr/local/lib/rustlib/*/bin/rust-lld");
	pats[n++] = xstrdup("/opt/homebrew/lib/rustlib/*/bin/rust-lld");
	for (int i = 0; i < n; i++) {
		glob_t g;

		if (glob(pats[i], 0, NULL, &g) == 0) {
			/* one rust-lld per place is enough: prefer stable */
			size_t pick = 0;

			for (size_t k = 0; k < g.gl_pathc; k++)
				if (strstr(g.gl_pathv[k], "/stable-") != NULL) {
					pick = k;
					break;
				}
			for (size_t k = pick; k < g.gl_pathc && k == pick; k++) {
				struct linker *l = add_linker(f,
					LINKER_RUST_LLD, g.gl_pathv[k],
					"a toolchain's sysroot", NULL);

				if (l != NULL) {
					free(l->name);
					l->name = xstrdup(g.gl_pathv[k]);
				}
			}
			globfree(&g);
		}
		free(pats[i]);
	}
}

static void
set_advice(const struct target *t, struct linker *l)
{
	char *ct;

	switch (l->kind) {
	case LINKER_CLANG:
		ct = linker_clang_triple(t);
		{
			char *a = xasprintf("link-arg=--target=%s", ct);

			l->rustflags = flags_v("-C", a, "-C",
					       "link-arg=-fuse-ld=lld");
			free(a);
		}
		free(ct);
		break;
	case LINKER_ZIG: {
		char *text = linker_zig_wrapper_text(t, l->path);
		char *wp = linker_zig_wrapper_path(t, l->path);
		char why[PATH_MAX + 128] = "no HOME: nowhere to put it";

		l->rustflags = flags_v(NULL, NULL, NULL, NULL);
		if (wp != NULL &&
		    linker_zig_wrapper_write(wp, text, why, sizeof(why)) == 0) {
			l->wrapper = wp;
			wp = NULL;
			free(l->name);
			l->name = xstrdup(l->wrapper);
		} else {
			l->wrapper_why = xasprintf("no wrapper script for "
						   "'zig cc': %s", why);
		}
		l->note = xstrdup(
			"Cargo's linker is one program and 'zig cc' is two "
			"words, so Cargo runs zig through a script rpi-cross "
			"writes (the name above); zig brings its own glibc "
			"stubs (GLIBC_" ZIG_GLIBC ": the program runs on "
			"every Raspberry Pi OS) and its own musl; ranked "
			"after gcc and clang because it depends on that "
			"script and its first link for each target builds "
			"zig's caches (seconds to minutes)");
		free(text);
		free(wp);
		break;
	}
	case LINKER_RUST_LLD:
		l->rustflags = flags_v(NULL, NULL, NULL, NULL);
		l->note = xstrdup(t->libc == LIBC_MUSL ?
			"rust-lld links musl programs with the crt objects "
			"of the target's std (self-contained); C dependencies "
			"that need -lm or other C libraries fail" :
			"rust-lld does not know where the target's glibc, "
			"libgcc and crt objects are: it needs them added by "
			"hand (a sysroot); prefer a cross gcc or clang");
		break;
	case LINKER_BARE_LD:
		l->rustflags = flags_v(NULL, NULL, NULL, NULL);
		l->note = xstrdup(linker_bare_ld_advice());
		break;
	case LINKER_GCC:
		l->rustflags = flags_v(NULL, NULL, NULL, NULL);
		break;
	}
}

static enum linker_kind
kind_from_name(const char *base)
{
	size_t n = strlen(base);

	if (strstr(base, "rust-lld") != NULL)
		return LINKER_RUST_LLD;
	if (strstr(base, "clang") != NULL)
		return LINKER_CLANG;
	if (strcmp(base, "zig") == 0)
		return LINKER_ZIG;
	if (strcmp(base, "ld") == 0 || (n > 3 && strcmp(base + n - 3, "-ld") == 0))
		return LINKER_BARE_LD;
	return LINKER_GCC;
}

void
linker_find_all(const struct linker_opts *o, struct linker_scan *s)
{
	struct finder f = { s, STRVEC_INIT };
	struct strvec dirs = STRVEC_INIT;

	search_dirs(&dirs);
	for (size_t i = 0; i < dirs.n; i++)
		find_in_dir(&f, dirs.v[i]);
	if (o->tc != NULL)
		find_rust_lld(&f, o->tc, true);
	for (int i = 0; o->all != NULL && i < o->all->n; i++)
		find_rust_lld(&f, &o->all->v[i], false);
	if (o->all == NULL && !has_kind(s, LINKER_RUST_LLD))
		glob_rust_lld(&f);
	for (int i = 0; i < s->n; i++)
		set_advice(s->target, &s->v[i]);
	strvec_clear(&dirs);
	strvec_clear(&f.reals);
}

void
linker_find_named(const char *linker, const struct linker_opts *o,
		  struct linker_scan *s)
{
	struct finder f = { s, STRVEC_INIT };
	const char *base = strrchr(linker, '/');
	char *path = rpx_which(linker);
	enum linker_kind kind;

	base = base != NULL ? base + 1 : linker;
	kind = kind_from_name(base);
	if (path == NULL && kind == LINKER_RUST_LLD) {
		/* rustc finds rust-lld in its own sysroot */
		if (o->tc != NULL)
			find_rust_lld(&f, o->tc, true);
		for (int i = 0; o->all != NULL && i < o->all->n && s->n == 0;
		     i++)
			find_rust_lld(&f, &o->all->v[i], false);
	} else if (path != NULL) {
		char *dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
		size_t plen = strlen(base) > 3 ? strlen(base) - 3 : 0;
		char *prefix = NULL;

		/* "<prefix>gcc" / "<prefix>ld" keep their GNU prefix */
		if (kind == LINKER_BARE_LD || (plen > 0 &&
		    strcmp(base + plen, "gcc") == 0 && base[plen - 1] == '-'))
			prefix = xstrndup(base, strlen(base) -
					  (kind == LINKER_BARE_LD ? 2 : 3));
		add_linker(&f, kind, path, dir, prefix);
		free(prefix);
		free(dir);
	}
	if (s->n > 0)
		set_advice(s->target, &s->v[0]);
	free(path);
	strvec_clear(&f.reals);
}
