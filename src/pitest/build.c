/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * build.c - PREPARE (a temporary hello-world crate, or the user's project)
 * and BUILD: cargo build --release for the target with the user's Cargo
 * config, its JSON messages read for the executable.
 */
#include "pitest_int.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cargo_config.h"
#include "fsutil.h"
#include "proc.h"
#include "sysroot.h"
#include "sysroot_config.h"

/* ---- PREPARE ----------------------------------------------------------- */

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void
pt_rm_tree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (f == NULL)
		return -1;
	ok = fputs(text, f) >= 0;
	if (fclose(f) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

#define HELLO_NAME "rpi-cross-hello"

/*
 * The sysroot the build links against: the --sysroot (or, for zig, the
 * library folder) in the target's effective rustflags as Cargo sees them
 * from dir (NULL: the current folder). Sets st->sysroot and its glibc.
 */
static void
find_sysroot(struct pt *st, const char *dir)
{
	struct sysroot_meta m;
	struct rpx_err e = RPX_ERR_INIT;

	st->sysroot = sysroot_config_find(dir, st->t->triple, NULL);
	if (st->sysroot != NULL) {
		(void)sysroot_meta_read(st->sysroot, &m, &e);
		snprintf(st->sysroot_glibc, sizeof(st->sysroot_glibc), "%s",
			 m.glibc);
	}
}

int
pt_prepare(struct pt *st)
{
	const char *tmp = getenv("TMPDIR");
	char *path = NULL, *src = NULL;
	struct strbuf main_rs = STRBUF_INIT;
	int ret = -1;

	pt_step_begin(st, PT_PREPARE);
	find_sysroot(st, st->o->project_dir ? st->o->project_dir :
		     st->o->config_dir);
	if (st->o->project_dir != NULL) {
		path = xasprintf("%s/Cargo.toml", st->o->project_dir);
		if (access(path, R_OK) != 0) {
			char *m = xasprintf("cannot read '%s': %s", path,
					    strerror(errno));

			pt_fail(st, PT_PREPARE, PTC_OTHER, m);
			snprintf(st->r->explain, sizeof(st->r->explain),
				 "The project folder has no readable "
				 "Cargo.toml.");
			snprintf(st->r->fix, sizeof(st->r->fix),
				 "give the folder that holds the project's "
				 "Cargo.toml with --project");
			free(m);
			goto out;
		}
		pt_detail(st, PT_PREPARE, "project %s", st->o->project_dir);
		pt_step_end(st, PT_PREPARE, PT_OK);
		ret = 0;
		goto out;
	}
	st->tmpdir = xasprintf("%s/rpi-cross-test.XXXXXX",
			       tmp && tmp[0] ? tmp : "/tmp");
	if (mkdtemp(st->tmpdir) == NULL) {
		char *m = xasprintf("cannot create a folder '%s': %s",
				    st->tmpdir, strerror(errno));

		free(st->tmpdir);
		st->tmpdir = NULL;
		pt_fail(st, PT_PREPARE, PTC_OTHER, m);
		free(m);
		goto out;
	}
	/* Its own workspace, so that no Cargo.toml above the temporary
	 * folder claims it; edition 2018 builds with any Rust since 1.31. */
	path = xasprintf("%s/Cargo.toml", st->tmpdir);
	src = xasprintf("%s/src", st->tmpdir);
	strbuf_addf(&main_rs,
		"// Written by 'rpi-cross test': prints a greeting and what it\n"
		"// was built for, then exits 0.\n"
		"const TARGET: &str = \"%s\";\n"
		"\n"
		"fn main() {\n"
		"    let bits = if cfg!(target_pointer_width = \"64\") { 64 } else { 32 };\n"
		"    let libc = if cfg!(target_env = \"musl\") {\n"
		"        \"musl\"\n"
		"    } else if cfg!(target_env = \"gnu\") {\n"
		"        \"glibc\"\n"
		"    } else {\n"
		"        \"other libc\"\n"
		"    };\n"
		"    println!(\"Hello, world!\");\n"
		"    println!(\"from {} ({}, {}-bit, {}), built by rpi-cross test\",\n"
		"             TARGET, std::env::consts::ARCH, bits, libc);\n"
		"%s"
		"}\n%s", st->t->triple, st->sysroot == NULL ? "" :
		"    // a C library every Pi has, linked through the sysroot\n"
		"    let v = unsafe { std::ffi::CStr::from_ptr(zlibVersion()) };\n"
		"    println!(\"zlib {} (C library, linked through the "
		"sysroot)\", v.to_string_lossy());\n",
		st->sysroot == NULL ? "" :
		"\n#[link(name = \"z\")]\n"
		"extern \"C\" {\n"
		"    fn zlibVersion() -> *const std::os::raw::c_char;\n"
		"}\n");
	if (write_file(path, "[package]\n"
		       "name = \"" HELLO_NAME "\"\n"
		       "version = \"0.1.0\"\n"
		       "edition = \"2018\"\n"
		       "publish = false\n"
		       "\n"
		       "[workspace]\n") != 0 ||
	    mkdir(src, 0755) != 0) {
		char *m = xasprintf("cannot write the test crate in '%s': %s",
				    st->tmpdir, strerror(errno));

		pt_fail(st, PT_PREPARE, PTC_OTHER, m);
		free(m);
		goto out;
	}
	free(path);
	path = xasprintf("%s/main.rs", src);
	if (write_file(path, main_rs.buf) != 0) {
		char *m = xasprintf("cannot write '%s': %s", path,
				    strerror(errno));

		pt_fail(st, PT_PREPARE, PTC_OTHER, m);
		free(m);
		goto out;
	}
	pt_detail(st, PT_PREPARE, "hello-world crate in %s (removed at the "
		  "end)%s%s", st->tmpdir, st->sysroot ? "; it calls zlib "
		  "through the sysroot " : "", st->sysroot ? st->sysroot : "");
	pt_step_end(st, PT_PREPARE, PT_OK);
	ret = 0;
out:
	strbuf_release(&main_rs);
	free(path);
	free(src);
	return ret;
}

/* ---- shared builds (several Pis) ---------------------------------------- */

/*
 * In o->shared_builds, for target T: T.lock (flock(): one build of T at
 * a time), T/NAME (the program, linked or copied there once built) and
 * T.built ("NAME\nHOST\n", written last and atomically: once it is
 * there, T/NAME is whole).
 */

char *
pitest_builds_create(void)
{
	const char *tmp = getenv("TMPDIR");
	char *d = xasprintf("%s/rpi-cross-builds.XXXXXX",
			    tmp && tmp[0] ? tmp : "/tmp");

	if (mkdtemp(d) == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

void
pitest_builds_remove(const char *dir)
{
	if (dir != NULL)
		pt_rm_tree(dir);
}

/* Wait for the target's lock (Ctrl-C ends the wait): its fd, or -1
 * (then the build is not shared, or the test was stopped). */
static int
shared_lock(struct pt *st)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	char *path = xasprintf("%s/%s.lock", st->o->shared_builds,
			       st->t->triple);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	free(path);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if ((errno != EWOULDBLOCK && errno != EINTR) ||
		    pt_stopped(st)) {
			close(fd);
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	return fd;
}

/* The program another test of this run built for the target: st->binary
 * set and BUILD done; else false. */
static bool
shared_reuse(struct pt *st)
{
	char *path = xasprintf("%s/%s.built", st->o->shared_builds,
			       st->t->triple);
	char *text = NULL, *host;
	size_t len;
	bool ok = false;

	if (fsutil_read_file(path, &text, &len) != 0)
		goto out;
	host = strchr(text, '\n');
	if (host == NULL)
		goto out;
	*host++ = '\0';
	host[strcspn(host, "\n")] = '\0';
	st->binary = xasprintf("%s/%s/%s", st->o->shared_builds,
			       st->t->triple, text);
	if (access(st->binary, X_OK) != 0) {
		free(st->binary);
		st->binary = NULL;
		goto out;
	}
	pt_detail(st, PT_BUILD, "%s (release, %s), reused: built once for "
		  "this target, in the test of %s", text, st->t->triple, host);
	pt_step_end(st, PT_BUILD, PT_OK);
	ok = true;
out:
	free(text);
	free(path);
	return ok;
}

/* A copy of the file from to the new file to (mode 0755). */
static int
copy_file(const char *from, const char *to)
{
	char *data = NULL;
	size_t len;
	int fd, ret = -1;

	if (fsutil_read_file(from, &data, &len) != 0)
		return -1;
	fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (fd >= 0) {
		ret = fsutil_write_all(fd, data, len);
		if (close(fd) != 0)
			ret = -1;
	}
	free(data);
	return ret;
}

/* Leave the program just built for the other tests of the target (a
 * failure only means they build it themselves). */
static void
shared_keep(struct pt *st, const char *name)
{
	char *dir = xasprintf("%s/%s", st->o->shared_builds, st->t->triple);
	char *to = xasprintf("%s/%s", dir, name);
	char *built = xasprintf("%s.built", dir);
	char *text = xasprintf("%s\n%s\n", name, st->o->host ?
			       st->o->host : "this machine");

	if (mkdir(dir, 0700) == 0 &&
	    (link(st->binary, to) == 0 || copy_file(st->binary, to) == 0))
		(void)atomic_write(built, text, strlen(text));
	free(text);
	free(built);
	free(to);
	free(dir);
}

/* ---- BUILD ------------------------------------------------------------- */

/* The JSON string value of "key": in line (ASCII escapes only). */
static bool
json_string_field(const char *line, const char *key, char *buf, size_t bufsz)
{
	char pat[64];
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	p = strstr(line, pat);
	if (p == NULL || bufsz == 0)
		return false;
	for (p += strlen(pat); *p && *p != '"'; p++) {
		char c = *p;

		if (c == '\\' && p[1] != '\0') {
			p++;
			c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
			if (*p == 'u')
				return false;	/* not in a path we can use */
		}
		if (n + 1 < bufsz)
			buf[n++] = c;
	}
	buf[n] = '\0';
	return *p == '"';
}

struct build_state {
	struct pt *st;
	struct strbuf err;		/* cargo's stderr */
	char exe[8][1024];		/* executables built */
	char names[8][128];
	int nexe;
};

static void
build_line(void *arg, enum proc_stream stream, const char *line, size_t len)
{
	struct build_state *b = arg;

	(void)len;
	if (stream == PROC_STDERR) {
		strbuf_addf(&b->err, "%s\n", line);
		pt_emit_line(b->st, PT_BUILD, line);
		return;
	}
	/* stdout: one JSON message a line */
	if (strstr(line, "\"reason\":\"compiler-artifact\"") == NULL ||
	    b->nexe >= 8)
		return;
	if (json_string_field(line, "executable", b->exe[b->nexe],
			      sizeof(b->exe[0]))) {
		if (!json_string_field(line, "name", b->names[b->nexe],
				       sizeof(b->names[0])))
			snprintf(b->names[b->nexe], sizeof(b->names[0]), "?");
		b->nexe++;
	}
}

int
pt_build(struct pt *st)
{
	const struct pitest_opts *o = st->o;
	struct proc p = PROC_INIT;
	struct build_state b;
	const char *argv[16];
	const char *env[8];
	char *manifest = NULL, *tdir = NULL, *rustc_env = NULL, *cargo = NULL;
	int n = 0, ne = 0, rc, ret = -1, lock = -1;
	enum pitest_cause c;

	memset(&b, 0, sizeof(b));
	b.st = st;
	strbuf_init(&b.err);
	pt_step_begin(st, PT_BUILD);
	if (o->shared_builds != NULL) {
		lock = shared_lock(st);
		if (pt_stopped(st)) {
			pt_cancelled(st, PT_BUILD);
			goto out;
		}
		if (lock >= 0 && shared_reuse(st)) {
			ret = 0;
			goto out;
		}
	}
	/* Like the toolchain module for rustc: cargo from PATH, else
	 * rustup's own folder (a fresh install before PATH is updated). */
	if (o->cargo == NULL && (cargo = rpx_which("cargo")) == NULL) {
		char *home = cargo_config_home(NULL, NULL);

		if (home != NULL) {
			cargo = xasprintf("%s/bin/cargo", home);
			if (!rpx_is_executable(cargo)) {
				free(cargo);
				cargo = NULL;
			}
		}
		free(home);
	}
	argv[n++] = o->cargo ? o->cargo : cargo ? cargo : "cargo";
	argv[n++] = "build";
	argv[n++] = "--release";
	argv[n++] = "--target";
	argv[n++] = st->t->triple;
	argv[n++] = "--message-format";
	argv[n++] = "json-render-diagnostics";
	/*
	 * Which Cargo config applies: Cargo reads the config files of the
	 * folder it runs in (and its parents, then $CARGO_HOME), not those
	 * of the manifest's folder. So the temporary crate is named with
	 * --manifest-path while cargo runs in the user's folder (or
	 * config_dir): the linker, rustflags and runner the user's build
	 * would get apply to the test too, and so does a rust-toolchain
	 * file there (rustup reads it from the current folder).
	 * CARGO_TARGET_DIR keeps the output in the temporary folder even
	 * when the config sets build.target-dir: nothing of the user's is
	 * written. A project is built in its own folder, as 'cargo build'
	 * there would, into its own target folder.
	 */
	if (st->tmpdir != NULL) {
		manifest = xasprintf("%s/Cargo.toml", st->tmpdir);
		tdir = xasprintf("CARGO_TARGET_DIR=%s/target", st->tmpdir);
		argv[n++] = "--manifest-path";
		argv[n++] = manifest;
		argv[n++] = "--offline";
		env[ne++] = tdir;
		/* Without debug info the test program is ~0.4 MB instead of
		 * ~10 MB (Debian's std carries its debug info): a much
		 * shorter upload to a Pi on Wi-Fi. The ELF facts CHECK
		 * reads (headers, .ARM.attributes, dynamic section) stay.
		 * Only for the temporary crate; a cargo older than 1.59
		 * ignores the variable; a value the user set wins. */
		if (getenv("CARGO_PROFILE_RELEASE_STRIP") == NULL)
			env[ne++] = "CARGO_PROFILE_RELEASE_STRIP=debuginfo";
		p.cwd = o->config_dir;
	} else {
		p.cwd = o->project_dir;
		if (o->bin != NULL) {
			argv[n++] = "--bin";
			argv[n++] = o->bin;
		}
	}
	argv[n] = NULL;
	if (o->rustc != NULL) {
		rustc_env = xasprintf("RUSTC=%s", o->rustc);
		env[ne++] = rustc_env;
	}
	env[ne++] = "CARGO_TERM_COLOR=never";
	env[ne++] = "CARGO_TERM_PROGRESS_WHEN=never";
	env[ne] = NULL;
	p.argv = argv;
	p.env = env;
	p.on_line = build_line;
	p.cb_arg = &b;
	p.cancel = o->stop;
	p.trace = o->trace;
	rc = proc_run(&p);
	if (rc == RPX_ECANCELED || pt_stopped(st)) {
		pt_cancelled(st, PT_BUILD);
		goto out;
	}
	if (rc == RPX_ENOTFOUND) {
		pt_fail(st, PT_BUILD, PTC_NO_TOOLCHAIN, p.why);
		goto out;
	}
	if (rc != 0) {
		pt_fail(st, PT_BUILD, PTC_OTHER, p.why);
		goto out;
	}
	if (!proc_ok(&p)) {
		c = pitest_classify(PT_BUILD, b.err.buf, p.code, st->subject,
				    sizeof(st->subject));
		if (c == PTC_NONE)
			c = PTC_BUILD_FAILED;
		strbuf_addf(&b.err, "%s\n", p.why);
		pt_fail(st, PT_BUILD, c, b.err.buf);
		goto out;
	}
	if (b.nexe == 0) {
		pt_fail(st, PT_BUILD, PTC_OTHER, "cargo built no executable");
		snprintf(st->r->explain, sizeof(st->r->explain),
			 "The build succeeded but made no program (a library "
			 "crate?).");
		snprintf(st->r->fix, sizeof(st->r->fix),
			 "give a project with a binary target, or name one "
			 "with --bin NAME");
		goto out;
	}
	if (b.nexe > 1) {
		struct strbuf names = STRBUF_INIT;

		for (int i = 0; i < b.nexe; i++)
			strbuf_addf(&names, "%s%s", i ? ", " : "",
				    b.names[i]);
		pt_fail(st, PT_BUILD, PTC_OTHER, names.buf);
		snprintf(st->r->explain, sizeof(st->r->explain),
			 "The project has several programs (%s): which one "
			 "to run is not clear.", names.buf);
		snprintf(st->r->fix, sizeof(st->r->fix),
			 "name one with --bin NAME");
		strbuf_release(&names);
		goto out;
	}
	st->binary = xstrdup(b.exe[0]);
	if (lock >= 0)
		shared_keep(st, pt_base_name(st->binary));
	pt_detail(st, PT_BUILD, "%s (release, %s)", b.names[0], st->t->triple);
	pt_step_end(st, PT_BUILD, PT_OK);
	ret = 0;
out:
	if (lock >= 0)
		close(lock);
	proc_release(&p);
	strbuf_release(&b.err);
	free(manifest);
	free(tdir);
	free(rustc_env);
	free(cargo);
	return ret;
}
