/* linker.c - find cross linkers and prove each one links (see linker.h). */
#include "linker.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <glob.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "hash.h"
#include "proc.h"
#include "rpx.h"
#include "rustflags.h"

#define DEFAULT_TIMEOUT_MS 60000
#define VERSION_TIMEOUT_MS 5000

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

static const char HELLO_RS[] =
	"fn main() {\n    println!(\"Hello from rpi-cross\");\n}\n";
static const char HELLO_C[] =
	"#include <stdio.h>\n"
	"int main(void) { puts(\"Hello from rpi-cross\"); return 0; }\n";

const char *
linker_kind_name(enum linker_kind kind)
{
	switch (kind) {
	case LINKER_GCC: return "gcc";
	case LINKER_CLANG: return "clang";
	case LINKER_ZIG: return "zig";
	case LINKER_RUST_LLD: return "rust-lld";
	case LINKER_BARE_LD: break;
	}
	return "ld";
}

const char *
linker_probe_name(enum linker_probe_kind kind)
{
	switch (kind) {
	case LINKER_PROBE_RUSTC: return "rustc";
	case LINKER_PROBE_C: return "c";
	case LINKER_PROBE_NONE: break;
	}
	return "none";
}

const char *
linker_bare_ld_advice(void)
{
	return "a bare ld is fragile: rustc passes it the arguments of its "
	       "linker flavor (cc-style -Wl, options for names it does not "
	       "know), and ld on its own lacks what a compiler driver adds: "
	       "the crt start-up objects, the libc and libgcc search paths "
	       "and -dynamic-linker; use the matching gcc or clang instead";
}

static const char *const *
family(const struct target *t)
{
	if (t->bits == 64)
		return t->libc == LIBC_MUSL ? musl64 : gnu64;
	if (!t->hard_float)
		return gnu32sf;
	return t->libc == LIBC_MUSL ? musl32hf : gnu32hf;
}

/* clang's --target for t: "armv7-linux-gnueabihf", "aarch64-linux-gnu" */
static char *
clang_triple(const struct target *t)
{
	const char *arch, *env;

	if (t->bits == 64) {
		arch = "aarch64";
		env = t->libc == LIBC_MUSL ? "musl" : "gnu";
	} else {
		arch = t->min_isa >= ISA_ARMV7 ? "armv7" : "arm";
		if (t->libc == LIBC_MUSL)
			env = t->hard_float ? "musleabihf" : "musleabi";
		else
			env = t->hard_float ? "gnueabihf" : "gnueabi";
	}
	return xasprintf("%s-linux-%s", arch, env);
}

/*
 * zig's -target for t: zig names no ARM sub-architecture in the triple
 * ("arm-linux-gnueabihf", not "armv7-..."; -mcpu says which), and a glibc
 * target carries the glibc version its stubs are made for. 2.17 is the
 * oldest glibc Rust supports on these targets, so the program runs on
 * every Raspberry Pi OS (zig 0.11 can make stubs up to 2.34 only). musl
 * targets get zig's own musl, static.
 */
#define ZIG_GLIBC "2.17"

static char *
zig_target(const struct target *t)
{
	const char *env;

	if (t->bits == 64)
		return t->libc == LIBC_MUSL ? xstrdup("aarch64-linux-musl") :
		       xstrdup("aarch64-linux-gnu." ZIG_GLIBC);
	if (t->libc == LIBC_MUSL)
		env = t->hard_float ? "musleabihf" : "musleabi";
	else
		env = t->hard_float ? "gnueabihf." ZIG_GLIBC :
				      "gnueabi." ZIG_GLIBC;
	return xasprintf("arm-linux-%s", env);
}

/* zig's -mcpu for t, or NULL (its default). zig's default 32-bit ARM CPU
 * is an ARMv6 one; ARMv7 Pi targets run on a Cortex-A7 or newer. */
static const char *
zig_cpu(const struct target *t)
{
	if (t->bits == 64)
		return NULL;
	return t->min_isa >= ISA_ARMV7 ? "cortex_a7" : "arm1176jzf_s";
}

/* The shell text of the wrapper that makes `zig cc` one program. */
static char *
zig_wrapper_text(const struct target *t, const char *zig)
{
	struct strbuf sb = STRBUF_INIT;
	char *zt = zig_target(t);
	const char *cpu = zig_cpu(t);

	strbuf_addf(&sb, "#!/bin/sh\n"
		    "# rpi-cross: the linker for %s, written by "
		    "'rpi-cross linkers'.\n"
		    "# Cargo's linker is one program; this runs 'zig cc' for "
		    "zig's target %s.\nexec ", t->triple, zt);
	strbuf_add_shquoted(&sb, zig);
	strbuf_addf(&sb, " cc -target %s", zt);
	if (cpu != NULL)
		strbuf_addf(&sb, " -mcpu=%s", cpu);
	strbuf_adds(&sb, " \"$@\"\n");
	free(zt);
	return strbuf_detach(&sb, NULL);
}

/*
 * Where the wrapper for zig at path and t lives: ($XDG_DATA_HOME or
 * ~/.local/share)/rpi-cross/zig/<first 8 bytes of sha256(path), hex>/
 * zig-cc-<triple> (a name without dots, so rustc gives it gcc's flavor).
 * Not a cache folder: the user's Cargo config names the script, so
 * clearing caches must not break their builds. NULL without HOME.
 */
static char *
zig_wrapper_path(const struct target *t, const char *zig)
{
	const char *xdg = rpx_getenv("XDG_DATA_HOME");
	const char *home = rpx_getenv("HOME");
	struct sha256 c;
	unsigned char d[32];
	char hex[17];

	sha256_init(&c);
	sha256_update(&c, zig, strlen(zig));
	sha256_final(&c, d);
	hash_hex(d, 8, hex);
	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/rpi-cross/zig/%s/zig-cc-%s", xdg, hex,
				 t->triple);
	if (home == NULL)
		return NULL;
	return xasprintf("%s/.local/share/rpi-cross/zig/%s/zig-cc-%s", home, hex,
			 t->triple);
}

/* Write the wrapper (when it is missing or differs); 0 or RPX_E*, with
 * why filled. */
static int
zig_wrapper_write(const char *path, const char *text, char *why,
		  size_t whysz)
{
	char *dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	char *old = NULL;
	size_t len = 0;
	struct stat st;
	int r = 0;

	if (fsutil_read_file(path, &old, &len) == 0 &&
	    strcmp(old, text) == 0 && stat(path, &st) == 0 &&
	    (st.st_mode & 0100) != 0)
		goto out;
	r = fsutil_mkdirs(dir, 0700);
	if (r == 0)
		r = atomic_write(path, text, strlen(text));
	if (r == 0 && chmod(path, 0700) != 0)
		r = RPX_EIO;
	if (r != 0)
		snprintf(why, whysz, "cannot write '%s': %s", path,
			 strerror(errno));
out:
	free(old);
	free(dir);
	return r;
}


static char *
real_path(const char *path)
{
	char buf[PATH_MAX];

	return xstrdup(realpath(path, buf) != NULL ? buf : path);
}

/* Candidate discovery ------------------------------------------------- */

struct strv {
	char **v;
	int n;
};

static void
strv_push(struct strv *sv, char *s)
{
	sv->v = xrealloc(sv->v, (size_t)(sv->n + 1) * sizeof(*sv->v));
	sv->v[sv->n++] = s;
}

static bool
strv_has(const struct strv *sv, const char *s)
{
	for (int i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

static void
strv_release(struct strv *sv)
{
	for (int i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

static void
add_dir(struct strv *dirs, const char *d, size_t len)
{
	char *s = xstrndup(d, len);

	if (len == 0 || strv_has(dirs, s) || !rpx_is_dir(s))
		free(s);
	else
		strv_push(dirs, s);
}

static void
add_glob(struct strv *dirs, const char *pattern)
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
search_dirs(struct strv *dirs)
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
	struct strv reals;	/* realpath of every candidate so far */
};

static char **
flags_v(const char *a, const char *b, const char *c, const char *d)
{
	const char *in[] = { a, b, c, d };
	char **v = xcalloc(5, sizeof(*v));
	int n = 0;

	for (int i = 0; i < 4; i++)
		if (in[i] != NULL)
			v[n++] = xstrdup(in[i]);
	return v;
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
	if (strv_has(&f->reals, real)) {
		free(real);
		return NULL;
	}
	s->v = xrealloc(s->v, (size_t)(s->n + 1) * sizeof(*s->v));
	l = &s->v[s->n++];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->path = xstrdup(path);
	l->name = cargo_name(path, real);
	l->origin = xstrdup(origin);
	l->prefix = prefix != NULL ? xstrdup(prefix) : NULL;
	strv_push(&f->reals, real);
	return l;
}

static void
find_in_dir(struct finder *f, const char *dir)
{
	const struct target *t = f->s->target;
	const char *const *fam = family(t);
	struct strv prefixes = { NULL, 0 };

	for (int i = 0; t->gnu_prefixes[i] != NULL; i++)
		if (!strv_has(&prefixes, t->gnu_prefixes[i]))
			strv_push(&prefixes, xstrdup(t->gnu_prefixes[i]));
	for (int i = 0; fam[i] != NULL; i++)
		if (!strv_has(&prefixes, fam[i]))
			strv_push(&prefixes, xstrdup(fam[i]));
	for (int i = 0; i < prefixes.n; i++) {
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
	strv_release(&prefixes);
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
		ct = clang_triple(t);
		{
			char *a = xasprintf("link-arg=--target=%s", ct);

			l->rustflags = flags_v("-C", a, "-C",
					       "link-arg=-fuse-ld=lld");
			free(a);
		}
		free(ct);
		break;
	case LINKER_ZIG: {
		char *text = zig_wrapper_text(t, l->path);
		char *wp = zig_wrapper_path(t, l->path);
		char why[PATH_MAX + 128] = "no HOME: nowhere to put it";

		l->rustflags = flags_v(NULL, NULL, NULL, NULL);
		if (wp != NULL &&
		    zig_wrapper_write(wp, text, why, sizeof(why)) == 0) {
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

/* Probing --------------------------------------------------------------- */

/* Remove a probe folder and everything a killed tool left in it. Thread
 * safe: each call walks its own folder with its own directory streams. */
static void
remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL) {
		struct stat st;
		char *p;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(p);
		else
			(void)unlink(p);
		free(p);
	}
	if (d != NULL)
		closedir(d);
	(void)rmdir(dir);
}

/*
 * Write a new file with mode. Close-on-exec: a program another thread
 * starts meanwhile must not inherit the open file, or a script written
 * here could not be run while that program lives ("Text file busy").
 */
static int
write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	int ret;

	if (fd < 0)
		return RPX_EIO;
	ret = fsutil_write_all(fd, text, strlen(text)) == 0 ? 0 : RPX_EIO;
	if (close(fd) != 0)
		ret = RPX_EIO;
	return ret;
}

static bool
starts(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && strncmp(s, p, n) == 0;
}

static bool
contains(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (strncmp(s + i, needle, n) == 0)
			return true;
	return false;
}

/*
 * The line of a failed link that says why: the linker's own words from
 * rustc's "= note:" lines, else the first line naming an error, else the
 * first non-empty line. NULL when the text is empty.
 */
static char *
failure_line(const char *text)
{
	const char *first = NULL, *err = NULL;
	size_t first_len = 0, err_len = 0;

	for (const char *s = text; *s != '\0';) {
		size_t len = strcspn(s, "\n");
		const char *l = s;
		size_t n = len;

		s += len;
		if (*s == '\n')
			s++;
		while (n > 0 && (*l == ' ' || *l == '\t' || *l == '=' ||
				 *l == '|')) {
			l++;
			n--;
		}
		while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		if (starts(l, n, "note: ")) {
			l += 6;
			n -= 6;
			while (n > 0 && *l == ' ') {
				l++;
				n--;
			}
			if (n == 0 || *l == '"' ||
			    starts(l, n, "some arguments") ||
			    starts(l, n, "use `--verbose`"))
				continue;
			return xstrndup(l, n > 300 ? 300 : n);
		}
		if (first == NULL) {
			first = l;
			first_len = n;
		}
		if (err == NULL && !contains(l, n, "aborting due to") &&
		    !starts(l, n, "error: linking with") &&
		    (contains(l, n, "error") || contains(l, n, "cannot find") ||
		     contains(l, n, "undefined reference") ||
		     contains(l, n, "unable to find"))) {
			err = l;
			err_len = n;
		}
	}
	if (err != NULL)
		return xstrndup(err, err_len > 300 ? 300 : err_len);
	if (first != NULL)
		return xstrndup(first, first_len > 300 ? 300 : first_len);
	return NULL;
}

/*
 * Compile once, link many: with the rustc probe, rustc compiles hello.rs
 * once, calling a recorder in the linker's place (a cc-like name, so rustc
 * builds the command of its gcc flavor) that writes down the link command
 * and the environment rustc gives it; -C save-temps keeps the objects.
 * Each candidate then runs that very command itself, with its own link
 * arguments where rustc puts -C link-arg, and its own output file. A bare
 * ld (and rust-lld, which rustc calls as "rust-lld -flavor gnu") gets the
 * command rustc builds for an ld-like linker: the same arguments with each
 * -Wl, list spread out and the driver-only -nodefaultlibs dropped (rustc's
 * GccLinker with is_ld; the unit tests check it against a real recording).
 * No candidate needs a rustc of its own, so a scan costs one compile plus
 * the links, not one compile per candidate.
 */
#define LINK_ARGS_MARK "--rpi-cross-probe-link-args"
#define PRIO_LEVELS 4

struct recording {
	char *name;		/* the file name rustc is given as linker */
	char *dir;		/* its folder: recorder, objects, output */
	bool done;		/* rustc has finished (ok or not) */
	bool ok;		/* env and args hold the link command */
	char **env;		/* NAME=value rustc set for the linker */
	char **args;		/* the link arguments, NULL-ended */
	char *why;		/* rustc failed: why (for every candidate) */
	bool timed_out;
	bool slot;		/* rustc ran in a process slot that passes to
				 * the heir when the recording is done */
	int heir;		/* the job that links first, or -1 */
};

/* State shared by the probe threads of one scan. */
struct probe_run {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int free_slots;		/* programs that may still start now */
	int waiting[PRIO_LEVELS];	/* threads waiting for a slot, by
					 * priority (0 first) */
	char *dir;		/* the scan's folder (everything goes in it) */
	struct recording *rec;
	int nrec;
	int timeout_ms;
	const struct target *t;
	const struct linker_opts *o;
};

struct job {
	struct linker *l;
	const struct target *t;
	const struct linker_opts *o;
	enum linker_probe_kind kind;
	struct probe_run *run;
	int rec;		/* index in run->rec, or -1: probe directly */
	int index;		/* its folder: <run->dir>/c<index> */
	int prio;		/* for a process slot: 0 first */
	const char *flavor;	/* flavor_class(): "cc", "ld", "rust-lld" */
	bool own_slot;		/* it holds a slot it was handed */
};

static int run_slotted(struct job *j, struct proc *p);

/* The program a probe (and Cargo) runs: zig's wrapper, else the linker. */
static const char *
program_of(const struct linker *l)
{
	return l->wrapper != NULL ? l->wrapper : l->path;
}

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

static void
probe_fail(struct linker *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
probe_fail(struct linker *l, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	strbuf_adds(&sb, buf);
	free(l->why);
	l->why = strbuf_detach(&sb, NULL);
	l->works = false;
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

static bool
links_glibc(const struct elf_info *e)
{
	if (e->glibc_max[0] != '\0')
		return true;
	for (int i = 0; i < e->n_needed; i++)
		if (strcmp(e->needed[i], "libc.so.6") == 0)
			return true;
	return false;
}

/*
 * Run the link command argv (environment changes env) that should write
 * the program out, and judge what it wrote for j's target.
 */
static void
link_and_check(struct job *j, const char *const *argv,
	       const char *const *env, const char *out)
{
	struct linker *l = j->l;
	const struct target *t = j->t;
	struct proc p = PROC_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	const char *why = NULL;
	char *reason = NULL;
	int r, timeout = j->run->timeout_ms;

	p.argv = argv;
	p.env = env;
	p.capture = true;
	p.timeout_ms = timeout;
	r = run_slotted(j, &p);
	if (r == RPX_ETIMEOUT) {
		l->timed_out = true;
		probe_fail(l, "the probe link did not finish within %d s and was "
		     "killed", timeout / 1000);
		goto out;
	}
	if (r != 0) {
		probe_fail(l, "%s", p.why);
		goto out;
	}
	if (!proc_ok(&p)) {
		reason = failure_line(p.err.buf);
		if (reason == NULL)
			reason = failure_line(p.out.buf);
		probe_fail(l, "the probe link failed: %s", reason ? reason : p.why);
		goto out;
	}
	r = elf_read_file(out, &l->elf, &err);
	if (r == RPX_ENOTFOUND) {
		probe_fail(l, "it reported success but wrote no program");
		goto out;
	}
	if (r != 0) {
		probe_fail(l, "it wrote something that is not a program: %s",
		     err.msg);
		goto out;
	}
	l->have_elf = true;
	if (!elf_matches_target(&l->elf, t, &why)) {
		probe_fail(l, "it links, but not for %s: %s", t->triple, why);
		goto out;
	}
	if (strstr(p.err.buf, "cannot find entry symbol") != NULL) {
		probe_fail(l, "it links, but without start-up code (no _start): the "
		     "crt objects a compiler driver adds are missing");
		goto out;
	}
	if (t->libc == LIBC_MUSL && links_glibc(&l->elf)) {
		probe_fail(l, "it links against glibc (%s%s), not musl: there is no "
		     "musl libc for %s here", l->elf.glibc_max[0] ?
		     "GLIBC_" : "libc.so.6", l->elf.glibc_max, t->triple);
		goto out;
	}
	if (t->libc == LIBC_GNU && !l->elf.is_static &&
	    strstr(l->elf.interp, "ld-linux") == NULL) {
		probe_fail(l, "it links, but the program names no usable loader "
		     "('%s' instead of glibc's ld-linux): -dynamic-linker "
		     "is missing", l->elf.interp);
		goto out;
	}
	l->works = true;
out:
	proc_release(&p);
	free(reason);
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
	ct = clang_triple(t);
	tflag = xasprintf("--target=%s", ct);
	if (l->kind == LINKER_ZIG && l->wrapper == NULL) {
		l->probe = LINKER_PROBE_NONE;
		probe_fail(l, "%s", l->wrapper_why);
		goto out;
	}
	if (j->kind == LINKER_PROBE_RUSTC) {
		l->probe = LINKER_PROBE_RUSTC;
		src = xasprintf("%s/hello.rs", dir);
		if (write_file(src, HELLO_RS, 0600) != 0) {
			probe_fail(l, "cannot write '%s': %s", src, strerror(errno));
			goto out;
		}
		lflag = xasprintf("linker=%s", program_of(l));
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
		if (write_file(src, HELLO_C, 0600) != 0) {
			probe_fail(l, "cannot write '%s': %s", src, strerror(errno));
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
				probe_fail(l, "cannot be checked without the std "
				     "for %s: rust-lld links musl programs "
				     "with the crt objects that come with "
				     "it", t->triple);
				goto out;
			}
			cc = object_compiler(l, &is_clang);
			if (cc == NULL) {
				l->probe = LINKER_PROBE_NONE;
				probe_fail(l, "cannot be checked: no C compiler for "
				     "%s to make a test object", t->triple);
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
			if (run_slotted(j, &p) != 0 || !proc_ok(&p)) {
				l->probe = LINKER_PROBE_NONE;
				reason = failure_line(p.err.buf);
				probe_fail(l, "cannot be checked: the test object "
				     "did not compile (%s)", reason ? reason :
				     p.why);
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
	link_and_check(j, argv, env, out);
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

/*
 * Process slots: about one program per CPU runs at a time, the waiting
 * one with the best priority first (the compile all links wait for, then
 * the slow cc-like links). A thread waits at most SLOT_WAIT_MS for a slot,
 * so linkers that hang until their timeout cannot hold the others up.
 */
#define SLOT_WAIT_MS 1000

static bool
better_waiting(const struct probe_run *run, int prio)
{
	for (int i = 0; i < prio; i++)
		if (run->waiting[i] > 0)
			return true;
	return false;
}

static bool
slot_take(struct probe_run *run, int prio)
{
	struct timespec dl;
	bool got = false;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += SLOT_WAIT_MS / 1000;
	pthread_mutex_lock(&run->mu);
	run->waiting[prio]++;
	for (;;) {
		int r;

		if (run->free_slots > 0 && !better_waiting(run, prio)) {
			run->free_slots--;
			got = true;
			break;
		}
		r = pthread_cond_timedwait(&run->cv, &run->mu, &dl);
		if (r != 0 && r != EINTR)
			break;		/* waited long enough: run anyway */
	}
	run->waiting[prio]--;
	pthread_cond_broadcast(&run->cv);
	pthread_mutex_unlock(&run->mu);
	return got;
}

static void
slot_give(struct probe_run *run, bool taken)
{
	if (!taken)
		return;
	pthread_mutex_lock(&run->mu);
	run->free_slots++;
	pthread_cond_broadcast(&run->cv);
	pthread_mutex_unlock(&run->mu);
}

/* proc_run() inside a process slot: the one j was handed, else one it
 * waits for. */
static int
run_slotted(struct job *j, struct proc *p)
{
	bool taken = j->own_slot || slot_take(j->run, j->prio);
	int r;

	j->own_slot = false;
	r = proc_run(p);
	slot_give(j->run, taken);
	return r;
}

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
static const char *
flavor_class(const char *path)
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
static const char **
ld_args_from_cc(const char *const *cc, bool rust_lld, char **buf)
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
static bool
parse_recording(const char *buf, size_t len, struct recording *rc)
{
	struct strv env = { NULL, 0 }, args = { NULL, 0 };
	bool in_env = true;

	if (len == 0 || buf[len - 1] != '\0')
		return false;
	for (size_t i = 0; i < len;) {
		size_t n = strlen(buf + i);

		if (in_env && n == 0)
			in_env = false;
		else
			strv_push(in_env ? &env : &args, xstrndup(buf + i, n));
		i += n + 1;
	}
	if (in_env) {
		strv_release(&env);
		strv_release(&args);
		return false;
	}
	strv_push(&env, NULL);
	strv_push(&args, NULL);
	rc->env = env.v;
	rc->args = args.v;
	return true;
}

static void
free_strv0(char **v)
{
	for (int i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/*
 * Write a recording's folder, source and recorder script. Done before any
 * probe thread starts programs: a script being written while another
 * thread starts a program can be "busy" when rustc runs it.
 */
static void
record_prepare(struct recording *rc)
{
	char *script = xasprintf("%s/%s", rc->dir, rc->name);
	char *src = xasprintf("%s/hello.rs", rc->dir);

	if (mkdir(rc->dir, 0700) != 0 || write_file(src, HELLO_RS, 0600) != 0 ||
	    write_file(script, RECORDER_SH, 0700) != 0)
		rc->why = xasprintf("cannot write the probe into '%s': %s",
				    rc->dir, strerror(errno));
	free(script);
	free(src);
}

/* Have rustc compile the probe, calling the recorder as its linker. */
static void
record(struct probe_run *run, struct recording *rc, int prio)
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

	if (rc->why != NULL)		/* record_prepare() failed */
		goto out;
	p.argv = argv;
	p.env = env;
	p.capture = true;
	p.timeout_ms = run->timeout_ms;
	/* the slot is kept: it passes to the first link (record_thread) */
	if (!rc->slot)
		rc->slot = slot_take(run, prio);
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
		reason = failure_line(p.err.buf);
		rc->why = xasprintf("the probe link failed: %s",
				    reason ? reason : p.why);
		goto out;
	}
	/* no recording (rustc ran no linker?): each candidate runs rustc */
	if (fsutil_read_file(argsfile, &text, &len) == 0)
		rc->ok = parse_recording(text, len, rc);
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

static void *
record_thread(void *arg)
{
	struct job *j = arg;
	struct probe_run *run = j->run;
	struct recording *rc = &run->rec[j->rec];

	record(run, rc, j->prio);
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
static void
replay(struct job *j, const char *dir, const struct recording *rc,
       const struct rustflags *largs)
{
	struct linker *l = j->l;
	struct strv argv = { NULL, 0 }, env = { NULL, 0 };
	char *out = xasprintf("%s/probe", dir);
	char *recout = xasprintf("%s/probe", rc->dir);
	char *buf = NULL;
	const char **args = (const char **)rc->args, **ldv = NULL;

	if (strcmp(j->flavor, "cc") != 0)
		args = ldv = ld_args_from_cc((const char *const *)rc->args,
					     strcmp(j->flavor, "rust-lld") == 0,
					     &buf);
	l->probe = LINKER_PROBE_RUSTC;
	strv_push(&argv, xstrdup(program_of(l)));
	for (int i = 0; args[i] != NULL; i++) {
		const char *a = args[i];

		if (strcmp(a, LINK_ARGS_MARK) == 0)
			for (size_t k = 0; k < largs->n; k++)
				strv_push(&argv, xstrdup(largs->v[k]));
		else
			strv_push(&argv, xstrdup(strcmp(a, recout) == 0 ?
						 out : a));
	}
	strv_push(&argv, NULL);
	for (int i = 0; rc->env[i] != NULL; i++)
		if (strncmp(rc->env[i], "TMPDIR=", 7) != 0)
			strv_push(&env, xstrdup(rc->env[i]));
	strv_push(&env, xasprintf("TMPDIR=%s", dir));
	strv_push(&env, NULL);
	link_and_check(j, (const char *const *)argv.v,
		       (const char *const *)env.v, out);
	argv.n--;	/* the NULL ends */
	env.n--;
	strv_release(&argv);
	strv_release(&env);
	free(out);
	free(recout);
	free(ldv);
	free(buf);
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
		probe_fail(l, "cannot make a temporary folder in '%s': %s",
		     run->dir, strerror(errno));
	} else if (j->rec >= 0) {
		struct recording *rc = &run->rec[j->rec];
		struct rustflags largs = RUSTFLAGS_INIT;

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
			replay(j, dir, rc, &largs);
		} else if (rc->why != NULL) {
			l->probe = LINKER_PROBE_RUSTC;
			probe_fail(l, "%s", rc->why);
		} else {
			run_probe(j, dir);
		}
		rustflags_release(&largs);
		remove_tree(dir);
	} else {
		run_probe(j, dir);
		remove_tree(dir);
	}
	free(dir);
	slot_give(run, j->own_slot);	/* handed a slot it did not use */
	j->own_slot = false;
	/* a linker that hung is not asked anything more */
	if (!l->timed_out && !asked)
		get_version(l);
	l->probe_ms = rpx_now_ms() - start;
	return NULL;
}

/* Ranking ----------------------------------------------------------------- */

static int
kind_order(enum linker_kind k)
{
	switch (k) {
	case LINKER_GCC: return 0;
	case LINKER_CLANG: return 1;
	case LINKER_ZIG: return 2;
	case LINKER_RUST_LLD: return 3;
	case LINKER_BARE_LD: break;
	}
	return 4;
}

static int
score(const struct target *t, const struct linker *l, int index)
{
	int sc = (l->works ? 0 : 100000) + kind_order(l->kind) * 10000;
	bool own = false;

	for (int i = 0; l->prefix != NULL && t->gnu_prefixes[i] != NULL; i++)
		own = own || strcmp(l->prefix, t->gnu_prefixes[i]) == 0;
	if (l->prefix != NULL && !own)
		sc += 1000;
	if (strchr(l->name, '/') != NULL)
		sc += 500;	/* not on PATH: Cargo needs the full path */
	return sc + index;
}

static void
rank(struct linker_scan *s)
{
	int *sc = xcalloc((size_t)s->n + 1, sizeof(*sc));

	for (int i = 0; i < s->n; i++)
		sc[i] = score(s->target, &s->v[i], i);
	/* insertion sort: few candidates, and it keeps equal ones in order */
	for (int i = 1; i < s->n; i++) {
		struct linker tmp = s->v[i];
		int key = sc[i], k = i - 1;

		while (k >= 0 && sc[k] > key) {
			s->v[k + 1] = s->v[k];
			sc[k + 1] = sc[k];
			k--;
		}
		s->v[k + 1] = tmp;
		sc[k + 1] = key;
	}
	for (int i = 0; i < s->n; i++)
		s->v[i].rank = i;
	s->recommended = s->n > 0 && s->v[0].works ? 0 : -1;
	free(sc);
}

static void
choose_probe(const struct target *t, const struct linker_opts *o,
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
	struct rustflags largs = RUSTFLAGS_INIT;
	bool replayable = rustflags_link_args(l->rustflags, &largs);
	const char *prog = program_of(l);
	const char *base = strrchr(prog, '/');

	rustflags_release(&largs);
	if ((l->kind == LINKER_ZIG && l->wrapper == NULL) || !replayable)
		return -1;
	if (run->nrec == 0) {
		base = base != NULL ? base + 1 : prog;
		run->rec = xcalloc(1, sizeof(*run->rec));
		/* rustc is shown the first cc-like candidate's own name */
		run->rec->name = xstrdup(strcmp(flavor_class(prog), "cc") ==
					 0 ? base : "gcc");
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
static void
probe_all(const struct linker_opts *o, struct linker_scan *s)
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
			probe_fail(&s->v[i], "cannot make a temporary folder in "
			     "'%s': %s", tmp != NULL ? tmp : "/tmp",
			     strerror(errno));
		goto out;
	}
	jobs = xcalloc((size_t)s->n, sizeof(*jobs));
	th = xcalloc((size_t)s->n, sizeof(*th));
	started = xcalloc((size_t)s->n, sizeof(*started));
	/* cc-like linkers first: theirs are the slow links */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < s->n; i++) {
			const char *cls = flavor_class(program_of(&s->v[i]));
			bool cc = strcmp(cls, "cc") == 0;

			if (cc != (pass == 0))
				continue;
			jobs[i] = (struct job){ &s->v[i], s->target, o,
						s->probe, &run, -1, i,
						link_prio(&s->v[i]), cls, false };
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
		record_prepare(&run.rec[i]);
	for (int i = 0; i < run.nrec; i++) {
		rjobs[i] = (struct job){ NULL, s->target, o, s->probe, &run,
					 i, -1, 0, "cc", false };
		rstarted[i] = pthread_create(&rth[i], NULL, record_thread,
					     &rjobs[i]) == 0;
		if (!rstarted[i])
			record_thread(&rjobs[i]);	/* no thread: in line */
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
	remove_tree(run.dir);
out:
	rank(s);
	for (int i = 0; i < run.nrec; i++) {
		free(run.rec[i].name);
		free(run.rec[i].dir);
		free(run.rec[i].why);
		free_strv0(run.rec[i].env);
		free_strv0(run.rec[i].args);
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

int
linker_scan(const struct target *t, const struct linker_opts *o,
	    struct linker_scan *s)
{
	struct finder f = { s, { NULL, 0 } };
	struct strv dirs = { NULL, 0 };
	long long start = rpx_now_ms();

	memset(s, 0, sizeof(*s));
	s->target = t;
	s->recommended = -1;
	search_dirs(&dirs);
	for (int i = 0; i < dirs.n; i++)
		find_in_dir(&f, dirs.v[i]);
	if (o->tc != NULL)
		find_rust_lld(&f, o->tc, true);
	for (int i = 0; o->all != NULL && i < o->all->n; i++)
		find_rust_lld(&f, &o->all->v[i], false);
	if (o->all == NULL && !has_kind(s, LINKER_RUST_LLD))
		glob_rust_lld(&f);
	for (int i = 0; i < s->n; i++)
		set_advice(t, &s->v[i]);
	choose_probe(t, o, s);
	probe_all(o, s);
	s->elapsed_ms = rpx_now_ms() - start;
	strv_release(&dirs);
	strv_release(&f.reals);
	return 0;
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

int
linker_check(const struct target *t, const char *linker,
	     const struct linker_opts *o, struct linker_scan *s)
{
	struct finder f = { s, { NULL, 0 } };
	const char *base = strrchr(linker, '/');
	char *path = rpx_which(linker);
	long long start = rpx_now_ms();
	enum linker_kind kind;
	int ret = 0;

	memset(s, 0, sizeof(*s));
	s->target = t;
	s->recommended = -1;
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
	if (s->n == 0) {
		ret = RPX_ENOTFOUND;
		goto out;
	}
	set_advice(t, &s->v[0]);
	choose_probe(t, o, s);
	probe_all(o, s);
out:
	s->elapsed_ms = rpx_now_ms() - start;
	free(path);
	strv_release(&f.reals);
	return ret;
}

void
linker_scan_release(struct linker_scan *s)
{
	for (int i = 0; i < s->n; i++) {
		struct linker *l = &s->v[i];

		free(l->path);
		free(l->name);
		free(l->origin);
		free(l->prefix);
		free(l->version);
		for (int k = 0; l->rustflags != NULL && l->rustflags[k]; k++)
			free(l->rustflags[k]);
		free(l->rustflags);
		free(l->why);
		free(l->note);
		free(l->wrapper);
		free(l->wrapper_why);
	}
	free(s->v);
	free(s->probe_note);
	memset(s, 0, sizeof(*s));
	s->recommended = -1;
}

/* Install advice ------------------------------------------------------------ */

void
linker_install_hint(const struct target *t, const struct host_os *os,
		    struct strbuf *cmd, struct strbuf *note)
{
	bool musl = t->libc == LIBC_MUSL, v6 = t->bits == 32 &&
		    t->min_isa == ISA_ARMV6 && t->hard_float;
	const char *deb = t->bits == 64 ? "gcc-aarch64-linux-gnu" :
			  t->hard_float ? "gcc-arm-linux-gnueabihf" :
					  "gcc-arm-linux-gnueabi";

	strbuf_reset(cmd);
	strbuf_reset(note);
	if (os->pm == PKG_BREW) {
		strbuf_addf(cmd, "brew tap messense/macos-cross-toolchains && "
			    "brew install %s", t->triple);
		strbuf_addf(note, "installs %s-gcc (and an alias without "
			    "'-unknown') with its own glibc or musl",
			    t->triple);
		return;
	}
	if (musl) {
		switch (os->pm) {
		case PKG_APT:
			strbuf_adds(cmd, "sudo apt-get install clang lld");
			break;
		case PKG_DNF:
			strbuf_adds(cmd, "sudo dnf install clang lld");
			break;
		case PKG_PACMAN:
			strbuf_adds(cmd, "sudo pacman -S clang lld");
			break;
		default:
			break;
		}
		strbuf_addf(note, "no distribution packages a musl cross gcc "
			    "for %s; for pure-Rust programs use "
			    "linker = \"rust-lld\" once the target's std is "
			    "installed (rustup target add %s), or a musl "
			    "cross toolchain (musl.cc, crosstool-ng)",
			    t->triple, t->triple);
		return;
	}
	switch (os->pm) {
	case PKG_APT:
		/* the package exists, but what it links cannot run on ARMv6 */
		if (!v6)
			strbuf_addf(cmd, "sudo apt-get install %s", deb);
		if (v6)
			strbuf_adds(note, "Debian and Ubuntu's arm-linux-"
				    "gnueabihf-gcc is built for ARMv7: what it "
				    "links dies with \"Illegal instruction\" "
				    "on a Pi 1 or Zero; for ARMv6 use a "
				    "crosstool-ng ARMv6 toolchain, zig, or "
				    "musl");
		else
			strbuf_adds(note, "it brings the target's glibc and "
				    "start-up files");
		return;
	case PKG_DNF:
		strbuf_addf(cmd, "sudo dnf install %s", t->bits == 64 ?
			    "gcc-aarch64-linux-gnu" : "gcc-arm-linux-gnu");
		strbuf_adds(note, "Fedora's cross gcc comes without the "
			    "target's glibc (reportedly): add a sysroot, or "
			    "use clang + lld with one");
		return;
	case PKG_PACMAN:
		if (t->bits == 64) {
			strbuf_adds(cmd, "sudo pacman -S aarch64-linux-gnu-gcc");
			strbuf_adds(note, "it comes with aarch64-linux-gnu-"
				    "glibc");
		} else {
			strbuf_adds(note, "Arch has no 32-bit ARM cross gcc "
				    "in its official repositories: use the "
				    "AUR's arm-linux-gnueabihf-gcc or a "
				    "crosstool-ng toolchain");
		}
		return;
	case PKG_ZYPPER:
		strbuf_addf(note, "install a cross gcc for %s (openSUSE's "
			    "cross-*-gcc packages come without a glibc) or a "
			    "crosstool-ng toolchain", t->triple);
		return;
	case PKG_BREW:
	case PKG_UNKNOWN:
		break;
	}
	strbuf_addf(note, "install a GCC cross toolchain for %s with its "
		    "glibc (your distribution's, or crosstool-ng), or clang "
		    "+ lld with a target sysroot", t->triple);
}

void
linker_elf_summary(const struct linker *l, struct strbuf *sb)
{
	char mbuf[32];
	const struct elf_info *e = &l->elf;

	if (!l->have_elf)
		return;
	strbuf_addf(sb, "%s %d-bit", elf_machine_name(e->machine, mbuf,
						       sizeof(mbuf)), e->bits);
	if (e->machine == ELF_EM_ARM)
		strbuf_addf(sb, " %s-float", e->arm_hard_float ? "hard" :
			    "soft");
	if (e->isa != ISA_UNKNOWN)
		strbuf_addf(sb, " %s", isa_name(e->isa));
	if (e->is_static)
		strbuf_adds(sb, ", static");
	else if (e->glibc_max[0] != '\0')
		strbuf_addf(sb, ", needs GLIBC_%s", e->glibc_max);
}

char **
linker_link_args(char *const *rustflags)
{
	struct rustflags args = RUSTFLAGS_INIT;

	(void)rustflags_link_args(rustflags, &args);
	return rustflags_detach(&args);
}
