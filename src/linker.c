/* linker.c - find cross linkers and prove each one links (see linker.h). */
#include "linker.h"

#include <errno.h>
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

#include "proc.h"
#include "rpx.h"

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

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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
	if (home != NULL) {
		char *pat = xasprintf("%s/x-tools/*/bin", home);

		add_glob(dirs, pat);
		free(pat);
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
	case LINKER_ZIG:
		l->rustflags = flags_v(NULL, NULL, NULL, NULL);
		l->note = xasprintf("Cargo cannot call 'zig cc' as a linker "
				    "directly: install cargo-zigbuild ('cargo "
				    "install cargo-zigbuild') and build with "
				    "'cargo zigbuild --target %s'", t->triple);
		break;
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

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ret = RPX_EIO;

	if (f == NULL)
		return RPX_EIO;
	if (fputs(text, f) >= 0)
		ret = 0;
	if (fclose(f) != 0)
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

struct job {
	struct linker *l;
	const struct target *t;
	const struct linker_opts *o;
	enum linker_probe_kind kind;
	const char *tmpbase;
};

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
fail(struct linker *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
fail(struct linker *l, const char *fmt, ...)
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
	struct rpx_err err = RPX_ERR_INIT;
	const char *why = NULL;
	int n = 0, r;
	int timeout = j->o->timeout_ms > 0 ? j->o->timeout_ms :
					     DEFAULT_TIMEOUT_MS;

	out = xasprintf("%s/probe", dir);
	/* the tools' own temporary files go into the probe folder too, so a
	 * probe killed at its timeout leaves nothing behind */
	tmpenv = xasprintf("TMPDIR=%s", dir);
	env[0] = tmpenv;
	p.env = env;
	ct = clang_triple(t);
	tflag = xasprintf("--target=%s", ct);
	if (j->kind == LINKER_PROBE_RUSTC && l->kind != LINKER_ZIG) {
		l->probe = LINKER_PROBE_RUSTC;
		src = xasprintf("%s/hello.rs", dir);
		if (write_file(src, HELLO_RS) != 0) {
			fail(l, "cannot write '%s': %s", src, strerror(errno));
			goto out;
		}
		lflag = xasprintf("linker=%s", l->path);
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
		if (write_file(src, HELLO_C) != 0) {
			fail(l, "cannot write '%s': %s", src, strerror(errno));
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
			argv[n++] = l->path;
			argv[n++] = "cc";
			argv[n++] = "-target";
			argv[n++] = ct;
			break;
		case LINKER_RUST_LLD:
		case LINKER_BARE_LD: {
			const char *cargv[16];
			bool is_clang;
			int m = 0;

			if (l->kind == LINKER_RUST_LLD &&
			    t->libc == LIBC_MUSL) {
				l->probe = LINKER_PROBE_NONE;
				fail(l, "cannot be checked without the std "
				     "for %s: rust-lld links musl programs "
				     "with the crt objects that come with "
				     "it", t->triple);
				goto out;
			}
			cc = object_compiler(l, &is_clang);
			if (cc == NULL) {
				l->probe = LINKER_PROBE_NONE;
				fail(l, "cannot be checked: no C compiler for "
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
			if (proc_run(&p) != 0 || !proc_ok(&p)) {
				l->probe = LINKER_PROBE_NONE;
				reason = failure_line(p.err.buf);
				fail(l, "cannot be checked: the test object "
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
	p.argv = argv;
	p.capture = true;
	p.timeout_ms = timeout;
	r = proc_run(&p);
	if (r == RPX_ETIMEOUT) {
		l->timed_out = true;
		fail(l, "the probe link did not finish within %d s and was "
		     "killed", timeout / 1000);
		goto out;
	}
	if (r != 0) {
		fail(l, "%s", p.why);
		goto out;
	}
	if (!proc_ok(&p)) {
		reason = failure_line(p.err.buf);
		if (reason == NULL)
			reason = failure_line(p.out.buf);
		fail(l, "the probe link failed: %s", reason ? reason : p.why);
		goto out;
	}
	r = elf_read_file(out, &l->elf, &err);
	if (r == RPX_ENOTFOUND) {
		fail(l, "it reported success but wrote no program");
		goto out;
	}
	if (r != 0) {
		fail(l, "it wrote something that is not a program: %s",
		     err.msg);
		goto out;
	}
	l->have_elf = true;
	if (!elf_matches_target(&l->elf, t, &why)) {
		fail(l, "it links, but not for %s: %s", t->triple, why);
		goto out;
	}
	if (strstr(p.err.buf, "cannot find entry symbol") != NULL) {
		fail(l, "it links, but without start-up code (no _start): the "
		     "crt objects a compiler driver adds are missing");
		goto out;
	}
	if (t->libc == LIBC_MUSL && links_glibc(&l->elf)) {
		fail(l, "it links against glibc (%s%s), not musl: there is no "
		     "musl libc for %s here", l->elf.glibc_max[0] ?
		     "GLIBC_" : "libc.so.6", l->elf.glibc_max, t->triple);
		goto out;
	}
	if (t->libc == LIBC_GNU && !l->elf.is_static &&
	    strstr(l->elf.interp, "ld-linux") == NULL) {
		fail(l, "it links, but the program names no usable loader "
		     "('%s' instead of glibc's ld-linux): -dynamic-linker "
		     "is missing", l->elf.interp);
		goto out;
	}
	l->works = true;
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
	long long start = now_ms();
	char *dir = xasprintf("%s/rpi-cross-probe.XXXXXX", j->tmpbase);

	if (mkdtemp(dir) == NULL) {
		fail(l, "cannot make a temporary folder in '%s': %s",
		     j->tmpbase, strerror(errno));
	} else {
		run_probe(j, dir);
		remove_tree(dir);
	}
	free(dir);
	/* a linker that hung is not asked anything more */
	if (!l->timed_out)
		get_version(l);
	l->probe_ms = now_ms() - start;
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

/* Probe every candidate at once, one thread each, then rank them. */
static void
probe_all(const struct linker_opts *o, struct linker_scan *s)
{
	struct job *jobs = NULL;
	pthread_t *th = NULL;
	bool *started = NULL;
	const char *tmp = rpx_getenv("TMPDIR");

	if (!o->probe || s->n == 0)
		return;
	jobs = xcalloc((size_t)s->n, sizeof(*jobs));
	th = xcalloc((size_t)s->n, sizeof(*th));
	started = xcalloc((size_t)s->n, sizeof(*started));
	for (int i = 0; i < s->n; i++) {
		jobs[i] = (struct job){ &s->v[i], s->target, o, s->probe,
					tmp != NULL ? tmp : "/tmp" };
		started[i] = pthread_create(&th[i], NULL, probe_thread,
					    &jobs[i]) == 0;
		if (!started[i])
			probe_thread(&jobs[i]);	/* no thread: in line */
	}
	for (int i = 0; i < s->n; i++)
		if (started[i])
			pthread_join(th[i], NULL);
	rank(s);
	free(jobs);
	free(th);
	free(started);
}

int
linker_scan(const struct target *t, const struct linker_opts *o,
	    struct linker_scan *s)
{
	struct finder f = { s, { NULL, 0 } };
	struct strv dirs = { NULL, 0 };
	long long start = now_ms();

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
	s->elapsed_ms = now_ms() - start;
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
	long long start = now_ms();
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
	s->elapsed_ms = now_ms() - start;
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
