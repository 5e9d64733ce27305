/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * sysroot_config.c - a Pi's sysroot as Cargo config edits (linker flags,
 * the pkg-config and cc crates' target-scoped variables), its metadata,
 * and where a sysroot named on the command line lives; see
 * sysroot_config.h.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "rustflags.h"
#include "sysroot_config.h"

const char *
sysroot_gnu_triple(const char *target)
{
	if (target == NULL)
		return NULL;
	if (rpx_starts_with(target, "aarch64-") && strstr(target, "-linux-gnu"))
		return "aarch64-linux-gnu";
	if (strstr(target, "-linux-gnueabihf") != NULL &&
	    (rpx_starts_with(target, "arm") || rpx_starts_with(target, "thumb")))
		return "arm-linux-gnueabihf";
	if (strstr(target, "-linux-gnueabi") != NULL &&
	    rpx_starts_with(target, "arm"))
		return "arm-linux-gnueabi";
	return NULL;
}

enum sysroot_cc
sysroot_cc_kind(const char *linker)
{
	const char *base;

	if (linker == NULL)
		return SYSROOT_CC_GCC;
	base = strrchr(linker, '/');
	base = base != NULL ? base + 1 : linker;
	if (strstr(base, "zig") != NULL)
		return SYSROOT_CC_ZIG;
	if (strstr(base, "clang") != NULL)
		return SYSROOT_CC_CLANG;
	return SYSROOT_CC_GCC;
}

char *
sysroot_env_name(const char *var, const char *target)
{
	char *s = xasprintf("%s_%s", var, target);

	for (char *p = s + strlen(var); *p != '\0'; p++)
		if (*p == '-')
			*p = '_';
	return s;
}

/* The first two numbers of a codename we know, in release order. */
static int
codename_rank(const char *c)
{
	static const char *const names[] = {
		"stretch", "buster", "bullseye", "bookworm", "trixie", "forky",
		"duke",
	};

	for (size_t i = 0; c != NULL && i < sizeof(names) / sizeof(names[0]);
	     i++)
		if (strcmp(c, names[i]) == 0)
			return (int)i;
	return -1;
}

/* "2.41" against "2.31": <0, 0, >0 (numbers compared one by one). */
static int
version_cmp(const char *a, const char *b)
{
	while (*a != '\0' || *b != '\0') {
		long x = strtol(a, (char **)&a, 10);
		long y = strtol(b, (char **)&b, 10);

		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if ((*a != '\0' && !isdigit((unsigned char)*a)) ||
		    (*b != '\0' && !isdigit((unsigned char)*b)))
			break;
	}
	return 0;
}

bool
sysroot_needs_time64(const char *target, const char *glibc,
		     const char *os_codename)
{
	const char *g = sysroot_gnu_triple(target);
	int rank;

	if (g == NULL || strcmp(g, "aarch64-linux-gnu") == 0)
		return false;
	rank = codename_rank(os_codename);
	if (rank >= 0)
		return rank >= codename_rank("trixie");
	return glibc != NULL && glibc[0] != '\0' &&
	       version_cmp(glibc, "2.41") >= 0;
}

static const char *
triple_of(const struct sysroot_wiring *w)
{
	return w->gnu_triple != NULL ? w->gnu_triple :
	       sysroot_gnu_triple(w->target);
}

void
sysroot_link_args(const struct sysroot_wiring *w, struct strvec *out)
{
	const char *g = triple_of(w);
	enum sysroot_cc kind = sysroot_cc_kind(w->linker);

	if (kind != SYSROOT_CC_ZIG)
		strvec_pushf(out, "--sysroot=%s", w->root);
	strvec_pushf(out, "-L%s/usr/lib/%s", w->root, g);
	strvec_pushf(out, "-L%s/lib/%s", w->root, g);
	if (kind == SYSROOT_CC_ZIG)	/* zig 0.11: "unsupported linker arg" */
		return;
	strvec_pushf(out, "-Wl,-rpath-link,%s/usr/lib/%s", w->root, g);
	strvec_pushf(out, "-Wl,-rpath-link,%s/lib/%s", w->root, g);
}

/* Does path end in /usr/lib/<g> or /lib/<g> below some other folder? */
static bool
sysroot_lib_dir(const char *path, const char *g)
{
	static const char *const gs[] = {
		"arm-linux-gnueabihf", "aarch64-linux-gnu", "arm-linux-gnueabi",
	};
	size_t n = strlen(path);

	for (size_t i = 0; i < sizeof(gs) / sizeof(gs[0]); i++) {
		const char *t = g != NULL ? g : gs[i];
		char *tail = xasprintf("/lib/%s", t);
		size_t k = strlen(tail);
		bool hit = n > k && strcmp(path + n - k, tail) == 0;

		free(tail);
		/* "/lib/<g>" or "/usr/lib/<g>" alone is the host's own */
		if (hit && n - k > 0 && strncmp(path, "/usr", n - k) != 0)
			return true;
		if (g != NULL)
			break;
	}
	return false;
}

bool
sysroot_is_link_arg(const char *arg, const char *gnu_triple)
{
	if (rpx_starts_with(arg, "--sysroot="))
		return true;
	if (rpx_starts_with(arg, "-L"))
		return sysroot_lib_dir(arg + 2, gnu_triple);
	if (rpx_starts_with(arg, "-Wl,-rpath-link,"))
		return sysroot_lib_dir(arg + strlen("-Wl,-rpath-link,"),
				       gnu_triple);
	return false;
}

char *
sysroot_from_rustflags(char *const *flags)
{
	struct strvec args = STRVEC_INIT;
	char *root = NULL;

	if (flags == NULL)
		return NULL;
	(void)rustflags_link_args(flags, &args);
	for (size_t i = 0; i < args.n && root == NULL; i++)
		if (rpx_starts_with(args.v[i], "--sysroot="))
			root = xstrdup(args.v[i] + strlen("--sysroot="));
	for (size_t i = 0; i < args.n && root == NULL; i++) {
		const char *a = args.v[i];
		const char *u;

		if (!rpx_starts_with(a, "-L") || !sysroot_lib_dir(a + 2, NULL))
			continue;
		u = NULL;
		for (const char *q = strstr(a + 2, "/usr/lib/"); q != NULL;
		     q = strstr(q + 1, "/usr/lib/"))
			u = q;
		if (u != NULL && u > a + 2)
			root = xstrndup(a + 2, (size_t)(u - (a + 2)));
	}
	strvec_clear(&args);
	return root;
}

char *
sysroot_config_find(const char *dir, const char *target, char **origin)
{
	struct cargo_config_set set = CARGO_CONFIG_SET_INIT;
	struct cargo_config_value v = CARGO_CONFIG_VALUE_INIT;
	struct strvec flags = STRVEC_INIT;
	char *home = cargo_config_home(NULL, NULL);
	char *key = xasprintf("target.%s.rustflags", target);
	char *root = NULL;

	if (origin != NULL)
		*origin = NULL;
	if (home != NULL &&
	    cargo_config_discover(&set, dir ? dir : ".", home) == 0 &&
	    cargo_config_effective(&set, key, &v) == 0 &&
	    rustflags_from_value(&flags, &v) == 0) {
		root = sysroot_from_rustflags(flags.v);
		if (root != NULL && origin != NULL && v.origin != NULL)
			*origin = xstrdup(v.origin);
	}
	strvec_clear(&flags);
	cargo_config_value_release(&v);
	cargo_config_set_release(&set);
	free(key);
	free(home);
	return root;
}

struct edits {
	struct cargo_config_edit *v;
	size_t n, alloc;
};

static void
edits_add(struct edits *e, char *key, char *value)
{
	ALLOC_GROW(e->v, e->n + 1, e->alloc);
	e->v[e->n].key = key;
	e->v[e->n].value = value;
	e->n++;
}

static void
edits_release(struct edits *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free((char *)e->v[i].key);
		free((char *)e->v[i].value);
	}
	free(e->v);
}

/* env.NAME = "value", unless the document says exactly that. */
static void
set_env(struct edits *e, const struct toml_doc *cur, const char *name,
	const char *value)
{
	char *key = xasprintf("env.%s", name);
	const char *now = cur ? toml_node_cstr(toml_get_key(cur, key)) : NULL;

	if (now != NULL && strcmp(now, value) == 0) {
		free(key);
		return;
	}
	edits_add(e, key, toml_quote_string(value, strlen(value)));
}

static void
set_target_env(struct edits *e, const struct toml_doc *cur, const char *var,
	       const char *target, const char *value)
{
	char *name = sysroot_env_name(var, target);

	set_env(e, cur, name, value);
	free(name);
}

/* The rustflags: the user's own kept, an earlier wiring's link-args
 * dropped, this one's appended. */
static void
set_rustflags(const struct sysroot_wiring *w, const struct toml_doc *cur,
	      struct edits *e)
{
	char *key = xasprintf("target.%s.rustflags", w->target);
	const struct toml_node *node = cur ? toml_get_key(cur, key) : NULL;
	struct strvec old = STRVEC_INIT, want = STRVEC_INIT, args = STRVEC_INIT;
	bool string_form = false;
	size_t width;

	(void)rustflags_from_toml(&old, node, &string_form);
	for (size_t i = 0; i < old.n; i += width) {
		const char *o = rustflags_codegen(old.v, i, &width);

		if (o != NULL && rpx_starts_with(o, "link-arg=") &&
		    sysroot_is_link_arg(o + strlen("link-arg="), NULL))
			continue;
		for (size_t k = 0; k < width; k++)
			strvec_push(&want, old.v[i + k]);
	}
	sysroot_link_args(w, &args);
	for (size_t i = 0; i < args.n; i++) {
		strvec_push(&want, "-C");
		strvec_pushf(&want, "link-arg=%s", args.v[i]);
	}
	if (node != NULL && strvec_equal(&old, &want))
		free(key);
	else
		edits_add(e, key, rustflags_toml(&want, string_form));
	strvec_clear(&old);
	strvec_clear(&want);
	strvec_clear(&args);
}

/* clang's name for the target: the Rust triple less its vendor. */
static char *
clang_target(const char *target)
{
	const char *u = strstr(target, "-unknown-");

	if (u == NULL)
		return xstrdup(target);
	return xasprintf("%.*s%s", (int)(u - target), target,
			 u + strlen("-unknown"));
}

/* The cc crate's compiler, flags and archiver for this linker. */
static void
set_cc(const struct sysroot_wiring *w, const char *linker,
       const struct toml_doc *cur, struct edits *e, struct strvec *why)
{
	const char *g = triple_of(w);
	enum sysroot_cc kind = sysroot_cc_kind(linker);
	char *cflags, *ar = NULL, *ct, *cc = NULL;

	switch (kind) {
	case SYSROOT_CC_CLANG:
		ct = clang_target(w->target);
		cflags = xasprintf("--target=%s --sysroot=%s", ct, w->root);
		free(ct);
		ar = rpx_which("llvm-ar");
		if (ar == NULL)
			ar = xasprintf("%s-ar", g);
		else {
			free(ar);
			ar = xstrdup("llvm-ar");
		}
		break;
	case SYSROOT_CC_ZIG:
		/* zig 0.11 refuses the cc crate's -march=armv7-a ("unknown
		 * CPU: 'armv7'"): C code is compiled by the GNU cross gcc
		 * against the sysroot's headers, and zig links */
		strvec_pushf(why, "zig cc takes neither headers nor glibc from "
			     "a --sysroot: it links its own glibc stubs, so "
			     "only the sysroot's library folders are added; "
			     "pin zig's glibc to the sysroot's (-target "
			     "%s.%s) so the program runs on the Pi; C code "
			     "is compiled by %s-gcc (zig refuses the cc "
			     "crate's -march=armv7-a)", g,
			     w->glibc != NULL && w->glibc[0] ? w->glibc :
			     "<the Pi's glibc>", g);
		linker = NULL;
		/* fall through */
	case SYSROOT_CC_GCC:
	default:
		cflags = xasprintf("--sysroot=%s -isystem %s/usr/include/%s "
				   "-isystem %s/usr/include", w->root,
				   w->root, g, w->root);
		ar = xasprintf("%s-ar", g);
		break;
	}
	if (linker == NULL)
		cc = xasprintf("%s-gcc", g);
	set_target_env(e, cur, "CC", w->target, cc ? cc : linker);
	free(cc);
	set_target_env(e, cur, "CFLAGS", w->target, cflags);
	if (ar != NULL)
		set_target_env(e, cur, "AR", w->target, ar);
	free(cflags);
	free(ar);
}

int
sysroot_config_apply(const struct sysroot_wiring *w,
		     struct cargo_config_change *ch, struct strvec *why,
		     struct rpx_err *err)
{
	const struct toml_doc *cur = ch->doc;
	struct edits e = { NULL, 0, 0 };
	const char *g = triple_of(w);
	char *key, *linker, *pc;
	const char *now;
	int r;

	rpx_err_clear(err);
	if (g == NULL)
		return rpx_err_set(err, NULL, 0, 0, "a sysroot is for a Linux "
				   "gnu ARM target; '%s' is not one", w->target),
		       RPX_EINVAL;
	if (w->root == NULL || w->root[0] != '/' ||
	    w->root[strcspn(w->root, " \t\n\r\"'")] != '\0')
		return rpx_err_set(err, NULL, 0, 0, "the sysroot's path '%s' "
				   "must be absolute and without spaces or "
				   "quotes (CFLAGS and pkg-config split on "
				   "them): move it, or pull it with --name into "
				   "a plain folder", w->root ? w->root : ""),
		       RPX_EINVAL;
	key = xasprintf("target.%s.linker", w->target);
	now = cur ? toml_node_cstr(toml_get_key(cur, key)) : NULL;
	free(key);
	linker = xstrdup(w->linker != NULL ? w->linker :
			 now != NULL ? now : "");
	if (linker[0] == '\0') {
		free(linker);
		linker = xasprintf("%s-gcc", g);
	}
	{
		struct sysroot_wiring w2 = *w;

		w2.linker = linker;
		set_rustflags(&w2, cur, &e);
		set_cc(&w2, linker, cur, &e, why);
	}
	pc = xasprintf("%s/usr/lib/%s/pkgconfig:%s/usr/share/pkgconfig",
		       w->root, g, w->root);
	set_target_env(&e, cur, "PKG_CONFIG_SYSROOT_DIR", w->target, w->root);
	set_target_env(&e, cur, "PKG_CONFIG_LIBDIR", w->target, pc);
	set_target_env(&e, cur, "PKG_CONFIG_PATH", w->target, pc);
	free(pc);
	if (sysroot_cc_kind(linker) != SYSROOT_CC_ZIG)
		strvec_pushf(why, "%s links against the sysroot's libraries "
			     "and glibc%s%s%s: its library folders come before "
			     "the cross compiler's own (Debian's cross gcc "
			     "otherwise takes its own glibc)", w->target,
			     w->glibc ? " (glibc " : "", w->glibc ? w->glibc :
			     "", w->glibc ? ")" : "");
	strvec_pushf(why, "pkg-config and the cc crate find the sysroot's C "
		     "libraries and headers for %s only (the variables end in "
		     "the target's name), so build scripts and proc-macros, "
		     "built for this machine, are untouched", w->target);
	if (sysroot_needs_time64(w->target, w->glibc, w->os_codename)) {
		set_env(&e, cur, "RUST_LIBC_UNSTABLE_GNU_TIME_BITS", "64");
		strvec_pushf(why, "RUST_LIBC_UNSTABLE_GNU_TIME_BITS = \"64\": "
			     "this is a 32-bit %s userland%s%s%s, whose C "
			     "libraries use a 64-bit time_t; Rust's libc crate "
			     "still defaults to 32-bit (rust-lang/libc#5507), "
			     "so a time value passed to C would be misread",
			     w->os_codename ? w->os_codename : "trixie",
			     w->glibc ? " (glibc " : "",
			     w->glibc ? w->glibc : "", w->glibc ? ")" : "");
	}
	free(linker);
	r = cargo_config_apply(ch, e.v, e.n, err);
	edits_release(&e);
	return r;
}

int
sysroot_config_write(const struct sysroot_wiring *w, const char *config_path,
		     bool dry_run, FILE *out, struct rpx_err *err)
{
	struct cargo_config_change ch = CARGO_CONFIG_CHANGE_INIT;
	struct strvec why = STRVEC_INIT;
	char *path = NULL;
	int r;

	rpx_err_clear(err);
	if (config_path != NULL) {
		path = xstrdup(config_path);
	} else {
		char *home = cargo_config_home(NULL, NULL);

		if (home == NULL)
			return rpx_err_set(err, NULL, 0, 0, "neither CARGO_HOME "
					   "nor HOME is set: cannot tell where "
					   "Cargo's config is"), RPX_EINVAL;
		path = cargo_config_path_in(home);
		free(home);
	}
	r = cargo_config_load(&ch, path, err);
	if (r == 0)
		r = sysroot_config_apply(w, &ch, &why, err);
	if (r < 0)
		goto out;
	if (!cargo_config_changed(&ch)) {
		fprintf(out, "%s already uses the sysroot %s: nothing to "
			"change.\n", path, w->root);
		goto out;
	}
	fprintf(out, "Changes to %s:\n%s", path, ch.diff);
	for (size_t i = 0; i < why.n; i++)
		fprintf(out, "  why: %s.\n", why.v[i]);
	if (dry_run) {
		fprintf(out, "Dry run: nothing written.\n");
		goto out;
	}
	r = cargo_config_commit(&ch, err);
	if (r == 0)
		fprintf(out, "Wrote %s%s%s%s.\n", path,
			ch.backup ? " (the previous content is in " : "",
			ch.backup ? ch.backup : "", ch.backup ? ")" : "");
out:
	strvec_clear(&why);
	cargo_config_change_release(&ch);
	free(path);
	return r;
}

bool
sysroot_meta_fits(const struct sysroot_meta *m, const char *target)
{
	const char *g = sysroot_gnu_triple(target);
	const char *have = m->gnu_triple[0] != '\0' ? m->gnu_triple :
			   m->target[0] != '\0' ? sysroot_gnu_triple(m->target) :
			   g;

	return g != NULL && have != NULL && strcmp(have, g) == 0;
}

void
sysroot_wiring_for(struct sysroot_wiring *w, const char *root,
		   const struct sysroot_meta *m, const char *target,
		   const char *linker)
{
	memset(w, 0, sizeof(*w));
	w->root = root;
	w->target = target;
	w->gnu_triple = sysroot_gnu_triple(target);
	w->glibc = m->glibc[0] != '\0' ? m->glibc : NULL;
	w->os_codename = m->os_codename[0] != '\0' ? m->os_codename : NULL;
	w->linker = linker;
}
