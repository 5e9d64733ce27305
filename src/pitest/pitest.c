/*
 * pitest.c - the final test: build, check, upload, run, explain (see
 * pitest.h). Runs programs only through proc; talks to the Pi only
 * through remote; never prints.
 */
#include "pitest.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cargo_config.h"
#include "elf.h"
#include "hostos.h"
#include "proc.h"
#include "toolchain.h"

/* ---- names ------------------------------------------------------------- */

static const char *const step_names[PT_STEP_COUNT] = {
	"prepare", "build", "check", "connect", "upload", "run",
};
static const char *const step_titles[PT_STEP_COUNT] = {
	"Prepare", "Build", "Check", "Connect", "Upload", "Run",
};
static const char *const cause_names[PTC_COUNT] = {
	"none", "no-toolchain", "std-missing", "linker-not-found",
	"link-failed", "wrong-linker", "build-failed", "wrong-isa",
	"wrong-bits", "glibc-too-new", "no-loader", "exec-format",
	"illegal-instruction", "permission", "disk-full", "connect",
	"host-key", "auth", "no-qemu", "run-failed", "cancelled", "other",
};

const char *
pitest_step_name(enum pitest_step s)
{
	return (unsigned)s < PT_STEP_COUNT ? step_names[s] : "?";
}

const char *
pitest_step_title(enum pitest_step s)
{
	return (unsigned)s < PT_STEP_COUNT ? step_titles[s] : "?";
}

const char *
pitest_cause_name(enum pitest_cause c)
{
	return (unsigned)c < PTC_COUNT ? cause_names[c] : "?";
}

void
pitest_opts_init(struct pitest_opts *o)
{
	struct remote_opts ro = REMOTE_OPTS_INIT;

	memset(o, 0, sizeof(*o));
	o->remote = ro;
}

void
pitest_result_init(struct pitest_result *r)
{
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->out);
	r->exit_status = -1;
	r->failed_step = PT_PREPARE;
	for (int i = 0; i < PT_STEP_COUNT; i++)
		r->status[i] = PT_PENDING;
}

void
pitest_result_release(struct pitest_result *r)
{
	strbuf_release(&r->out);
	pitest_result_init(r);
}

/* ---- the classifier ---------------------------------------------------- */

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}


static bool
has(const char *text, const char *needle)
{
	return strstr(text, needle) != NULL;
}

/* Copy the text after start up to the first byte of stop into subject. */
static void
grab(const char *text, const char *start, const char *stop, char *subject,
     size_t subjectsz)
{
	const char *p = strstr(text, start);
	size_t n;

	if (subject == NULL || subjectsz == 0 || p == NULL)
		return;
	p += strlen(start);
	n = strcspn(p, stop);
	if (n >= subjectsz)
		n = subjectsz - 1;
	memcpy(subject, p, n);
	subject[n] = '\0';
}

/* A linker that runs but links for another machine or ABI says so. */
static bool
wrong_machine_text(const char *t)
{
	return has(t, "file in wrong format") ||
	       has(t, "Relocations in generic ELF") ||
	       has(t, "relocations in generic ELF") ||
	       has(t, "file format not recognized") ||
	       has(t, "is incompatible with") ||
	       has(t, "has EABI version") ||
	       has(t, "uses VFP register arguments") ||
	       has(t, "unknown architecture of input file") ||
	       has(t, "failed to merge target specific data");
}

static enum pitest_cause
classify_build(const char *t, char *subject, size_t subjectsz)
{
	if (has(t, "can't find crate for `std`") ||
	    has(t, "can't find crate for `core`") ||
	    has(t, "can't find crate for `alloc`")) {
		grab(t, "the `", "`", subject, subjectsz);
		return PTC_STD_MISSING;
	}
	if (has(t, "error: linker `")) {
		grab(t, "error: linker `", "`", subject, subjectsz);
		if (has(t, "` not found"))
			return PTC_LINKER_NOT_FOUND;
	}
	if (has(t, "could not execute process `rustc") ||
	    has(t, "to learn about target-specific information") ||
	    has(t, "could not execute process `cargo") ||
	    has(t, "no such command: `build`")) {
		grab(t, "could not execute process `", " `", subject,
		     subjectsz);
		return PTC_NO_TOOLCHAIN;
	}
	if (has(t, "error: linking with `")) {
		grab(t, "error: linking with `", "`", subject, subjectsz);
		return wrong_machine_text(t) ? PTC_WRONG_LINKER :
		       PTC_LINK_FAILED;
	}
	if (wrong_machine_text(t))
		return PTC_WRONG_LINKER;
	if (has(t, "error"))
		return PTC_BUILD_FAILED;
	return PTC_NONE;
}

static enum pitest_cause
classify_connect(const char *t, char *subject, size_t subjectsz)
{
	if (has(t, "has changed")) {
		if (subject != NULL && subjectsz > 0)
			snprintf(subject, subjectsz, "changed");
		return PTC_HOST_KEY;
	}
	if (has(t, "is not known")) {
		if (subject != NULL && subjectsz > 0)
			snprintf(subject, subjectsz, "unknown");
		return PTC_HOST_KEY;
	}
	if (has(t, "host key"))
		return PTC_HOST_KEY;
	if (has(t, "cannot log in") || has(t, "authentication") ||
	    has(t, "Authentication") || has(t, "Permission denied"))
		return PTC_AUTH;
	if (has(t, "cannot connect") || has(t, "no answer") ||
	    has(t, "lost the connection") || has(t, "Connection refused") ||
	    has(t, "timed out"))
		return PTC_CONNECT;
	return t[0] ? PTC_OTHER : PTC_NONE;
}

/* What the Pi's shell, loader or kernel said when writing or running. */
static enum pitest_cause
classify_pi(const char *t, int status, char *subject, size_t subjectsz)
{
	const char *g;

	if (has(t, "No space left on device") || has(t, "Disk quota exceeded"))
		return PTC_DISK_FULL;
	if (has(t, "Read-only file system"))
		return PTC_PERMISSION;
	if (has(t, "Exec format error"))
		return PTC_EXEC_FORMAT;
	if (status == 128 + 4 || has(t, "Illegal instruction") ||
	    has(t, "uncaught target signal 4"))
		return PTC_ILLEGAL_INSN;
	g = strstr(t, "GLIBC_");
	if (g != NULL && has(g, "not found")) {
		grab(g, "GLIBC_", "' \n", subject, subjectsz);
		return PTC_GLIBC_TOO_NEW;
	}
	if (has(t, "Permission denied") || has(t, "Operation not permitted"))
		return PTC_PERMISSION;
	/* execve() says ENOENT for a file that is there when its loader
	 * is not: dash reports "not found" (status 127), others the
	 * errno text; qemu-user names the loader it could not open. */
	if (has(t, "Could not open '/lib") ||
	    has(t, "No such file or directory") ||
	    (status == 127 && has(t, ": not found")))
		return PTC_NO_LOADER;
	if (has(t, "lost the connection"))
		return PTC_CONNECT;
	if (status > 0)
		return PTC_RUN_FAILED;
	return PTC_NONE;
}

enum pitest_cause
pitest_classify(enum pitest_step step, const char *text, int status,
		char *subject, size_t subjectsz)
{
	if (subject != NULL && subjectsz > 0)
		subject[0] = '\0';
	if (text == NULL)
		text = "";
	switch (step) {
	case PT_BUILD:
		return classify_build(text, subject, subjectsz);
	case PT_CONNECT:
		return classify_connect(text, subject, subjectsz);
	case PT_UPLOAD: {
		enum pitest_cause c = classify_pi(text, -1, subject,
						  subjectsz);

		if (c != PTC_NONE)
			return c;
		return text[0] ? PTC_OTHER : PTC_NONE;
	}
	case PT_RUN:
		return classify_pi(text, status, subject, subjectsz);
	default:
		return text[0] ? PTC_OTHER : PTC_NONE;
	}
}

/* ---- the run's state ---------------------------------------------------- */

struct pt {
	const struct pitest_opts *o;
	struct pitest_result *r;
	const struct target *t;
	const struct board *board;	/* probe's, else --board's */
	char *tmpdir;			/* the temporary crate, or NULL */
	char *binary;			/* the program built */
	struct elf_info elf;
	struct remote rem;
	long long t0;			/* the running step's start */
	enum pitest_step cur;
	struct strbuf errtext;		/* stderr of the failing tool */
	char subject[128];
	long long binsize;
};


static bool
stopped(const struct pt *st)
{
	return st->o->stop != NULL && *st->o->stop != 0;
}

static void
step_begin(struct pt *st, enum pitest_step s)
{
	st->cur = s;
	st->t0 = rpx_now_ms();
	st->r->status[s] = PT_RUNNING;
	if (st->o->ev.step != NULL)
		st->o->ev.step(st->o->ev.data, s, PT_RUNNING, 0);
}

static void
step_end(struct pt *st, enum pitest_step s, enum pitest_status status)
{
	long ms = status == PT_SKIPPED ? 0 : (long)(rpx_now_ms() - st->t0);

	st->r->status[s] = status;
	st->r->ms[s] = ms;
	if (st->o->ev.step != NULL)
		st->o->ev.step(st->o->ev.data, s, status, ms);
}

static void
emit_line(const struct pt *st, enum pitest_step s, const char *line)
{
	if (st->o->ev.line != NULL)
		st->o->ev.line(st->o->ev.data, s, line);
}

static void
detail(struct pt *st, enum pitest_step s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
detail(struct pt *st, enum pitest_step s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->r->detail[s], sizeof(st->r->detail[s]), fmt, ap);
	va_end(ap);
}

/*
 * The part of a tool's output worth showing: from the first line that
 * says "error" (or the whole text when none does); overlong lines (a
 * linker's command line) shortened; at most bufsz bytes.
 */
static void
excerpt(const char *text, char *buf, size_t bufsz)
{
	const char *p = text, *start = NULL;
	struct strbuf sb = STRBUF_INIT;

	for (p = text; *p; ) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (start == NULL && (strncmp(p, "error", 5) == 0 ||
				      strncmp(p, "rpi-cross:", 10) == 0))
			start = p;
		p += n + (nl ? 1 : 0);
	}
	for (p = start ? start : text; *p && sb.len < bufsz; ) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		/* the first error says it: the rest follows from it */
		if (p != start && start != NULL && strncmp(p, "error", 5) == 0)
			break;
		if (n > 400)
			strbuf_addf(&sb, "%.160s [... %zu more characters]\n",
				    p, n - 160);
		else if (n > 0)
			strbuf_addf(&sb, "%.*s\n", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
	strbuf_rtrim(&sb);
	snprintf(buf, bufsz, "%s", sb.buf);
	strbuf_release(&sb);
}

/* The Debian/Ubuntu cross compiler package for a target. */
static const char *
gcc_package(const struct target *t)
{
	return t->bits == 64 ? "gcc-aarch64-linux-gnu" :
	       "gcc-arm-linux-gnueabihf";
}

static const char *
gcc_driver(const struct target *t)
{
	return t->bits == 64 ? "aarch64-linux-gnu-gcc" :
	       "arm-linux-gnueabihf-gcc";
}

/* The std's install advice for the toolchain Cargo uses. */
static void
std_advice(const struct pt *st, struct strbuf *sb)
{
	struct toolchain tc = TOOLCHAIN_INIT;
	struct std_install si = STD_INSTALL_INIT;
	struct host_os os;
	int rc;

	memset(&os, 0, sizeof(os));
	hostos_detect(&os);
	if (st->o->rustc != NULL)
		rc = toolchain_inspect(st->o->rustc, "--rustc", &tc);
	else
		rc = toolchain_find(&tc);
	if (rc != 0) {
		strbuf_addf(sb, "rustup target add %s", st->t->triple);
		goto out;
	}
	toolchain_std_install(&tc, st->t, &os, &si);
	if (si.command != NULL)
		strbuf_addf(sb, "%s", si.command);
	if (si.packages != NULL && (si.command == NULL ||
				    strstr(si.command, si.packages) == NULL))
		strbuf_addf(sb, "%s(package %s)", sb->len ? " " : "",
			    si.packages);
	if (si.note != NULL)
		strbuf_addf(sb, "%s%s", sb->len ? ". " : "", si.note);
	if (sb->len == 0)
		strbuf_addf(sb, "rustup target add %s", st->t->triple);
	strbuf_addf(sb, " (the rustc Cargo runs: %s, %s)", tc.rustc,
		    tc.version ? tc.version : "version unknown");
out:
	std_install_release(&si);
	toolchain_release(&tc);
}

static const char armv6_fix[] =
	"build for arm-unknown-linux-gnueabihf with a toolchain whose "
	"start-up files are ARMv6 (Debian/Ubuntu's arm-linux-gnueabihf-gcc "
	"links ARMv7 start-up code even then): an ARMv6 crosstool-ng "
	"toolchain, clang + lld with a Raspberry Pi OS sysroot, zig "
	"('rpi-cross setup --linker zig' when zig is installed: it brings "
	"ARMv6 start-up code), or arm-unknown-linux-musleabihf with "
	"linker = \"rust-lld\" for pure-Rust programs";

/* Fill r->explain and r->fix for cause c. */
static void
explain(struct pt *st, enum pitest_cause c)
{
	struct pitest_result *r = st->r;
	const struct target *t = st->t;
	const char *sub = st->subject;
	const char *host = st->rem.display ? st->rem.display :
			   (st->o->host ? st->o->host : "the Pi");
	const struct remote_probe *p = &r->probe;
	struct strbuf fix = STRBUF_INIT;
	const char *e = "";

	switch (c) {
	case PTC_NONE:
	case PTC_COUNT:
		break;
	case PTC_NO_TOOLCHAIN:
		e = "Cargo, or the rustc it runs, was not found, did not "
		    "start, or does not fit that cargo (a cargo newer than "
		    "its rustc), so nothing can be built.";
		strbuf_adds(&fix, "install Rust: rustup (https://rustup.rs) or "
			    "the distribution's packages (Debian/Ubuntu: sudo "
			    "apt install rustc cargo), and use a cargo and rustc "
			    "of one toolchain (RUSTC=/path/to/rustc, or PATH "
			    "order); 'rpi-cross doctor' shows which rustc "
			    "Cargo uses");
		break;
	case PTC_STD_MISSING:
		e = "The Rust standard library for the target is not "
		    "installed for the rustc that Cargo runs: rustc cannot "
		    "compile anything for that target without it.";
		std_advice(st, &fix);
		break;
	case PTC_LINKER_NOT_FOUND:
		snprintf(r->explain, sizeof(r->explain),
			 "Cargo's config names the linker '%s' for %s "
			 "(target.%s.linker), but there is no program of that "
			 "name on PATH.", sub[0] ? sub : "?", t->triple,
			 t->triple);
		strbuf_addf(&fix, "install it (Debian/Ubuntu: sudo apt install "
			    "%s) or name one that exists: 'rpi-cross linkers "
			    "--target %s' lists the linkers that link, then "
			    "'rpi-cross config set target.%s.linker=%s'",
			    gcc_package(t), t->triple, t->triple,
			    t->libc == LIBC_MUSL ? "rust-lld" : gcc_driver(t));
		break;
	case PTC_LINK_FAILED:
		e = "The linker ran but could not make the program (its "
		    "message is above): usually it cannot find the target's "
		    "C library or start-up files (a bare 'ld', or rust-lld "
		    "for a gnu target), or the program needs a library the "
		    "cross toolchain lacks.";
		strbuf_addf(&fix, "use a C compiler driver for the target as "
			    "the linker, which knows its C library and start-up "
			    "files: 'rpi-cross config set target.%s.linker=%s' "
			    "(see 'rpi-cross linkers --target %s')", t->triple,
			    t->libc == LIBC_MUSL ? "rust-lld" : gcc_driver(t),
			    t->triple);
		break;
	case PTC_WRONG_LINKER:
		snprintf(r->explain, sizeof(r->explain),
			 "The linker%s%s%s works for another architecture or "
			 "ABI: it rejected the ARM objects (\"file in wrong "
			 "format\") or made a program that is not for %s.",
			 sub[0] ? " '" : "", sub, sub[0] ? "'" : "",
			 t->triple);
		strbuf_addf(&fix, "set the target's own linker: 'rpi-cross "
			    "config set target.%s.linker=%s' (see 'rpi-cross "
			    "linkers --target %s')", t->triple,
			    t->libc == LIBC_MUSL ? "rust-lld" : gcc_driver(t),
			    t->triple);
		break;
	case PTC_BUILD_FAILED:
		e = "Cargo could not build the program; its message is above.";
		if (st->o->project_dir != NULL)
			strbuf_addf(&fix, "fix what the compiler reports; "
				    "'cargo build --release --target %s' in the "
				    "project shows the same", t->triple);
		else
			strbuf_addf(&fix, "check the Cargo config that applies "
				    "('rpi-cross config show') and the toolchain "
				    "('rpi-cross doctor --target %s')", t->triple);
		break;
	case PTC_WRONG_ISA:
		snprintf(r->explain, sizeof(r->explain),
			 "The program contains %s code, but the board's CPU "
			 "(%s) is %s: it would die with \"Illegal "
			 "instruction\".", isa_name(st->elf.isa),
			 st->board ? st->board->cpu->core : "?",
			 isa_name(p->isa != ISA_UNKNOWN ? p->isa :
				  st->board ? st->board->cpu->isa : ISA_UNKNOWN));
		if ((p->isa != ISA_UNKNOWN ? p->isa : st->board ?
		     st->board->cpu->isa : ISA_UNKNOWN) == ISA_ARMV6)
			strbuf_adds(&fix, armv6_fix);
		else
			strbuf_addf(&fix, "build for the target that fits the "
				    "board ('rpi-cross detect %s'), and drop a -C "
				    "target-cpu that names a newer core",
				    host);
		break;
	case PTC_WRONG_BITS:
		if (st->elf.bits == 64) {
			snprintf(r->explain, sizeof(r->explain),
				 "The program is 64-bit (AArch64), but the "
				 "Pi's userland is 32-bit (%s says 32%s%s%s): "
				 "it fails there with \"Exec format error\" or "
				 "\"No such file or directory\".",
				 p->bits_source[0] ? p->bits_source :
				 "the probe", p->machine[0] ?
				 "; uname -m says " : "", p->machine,
				 p->machine[0] ? ", but that is the kernel" :
				 "");
			strbuf_adds(&fix, "build for armv7-unknown-linux-"
				    "gnueabihf ('rpi-cross setup --bits 32'), "
				    "or install a 64-bit Raspberry Pi OS");
		} else {
			snprintf(r->explain, sizeof(r->explain),
				 "The program is 32-bit and dynamically "
				 "linked, but the Pi's userland is 64-bit: its "
				 "loader %s is usually missing there.",
				 st->elf.interp);
			strbuf_adds(&fix, "build for aarch64-unknown-linux-gnu "
				    "('rpi-cross setup --bits 64'), or a static "
				    "musl program, or install the armhf C "
				    "library on the Pi (sudo dpkg "
				    "--add-architecture armhf && sudo apt "
				    "install libc6:armhf)");
		}
		break;
	case PTC_GLIBC_TOO_NEW:
		snprintf(r->explain, sizeof(r->explain),
			 "The program needs GLIBC_%s (the cross toolchain links "
			 "against its own, newer glibc), but the Pi has glibc "
			 "%s%s%s%s: its loader refuses the program with "
			 "\"version `GLIBC_%s' not found\".",
			 sub[0] ? sub : st->elf.glibc_max,
			 p->glibc[0] ? p->glibc : "older",
			 p->os_codename[0] ? " (" : "", p->os_codename,
			 p->os_codename[0] ? ")" : "",
			 sub[0] ? sub : st->elf.glibc_max);
		strbuf_addf(&fix, "use the musl target (static, needs no glibc "
			    "on the Pi): 'rpi-cross setup --libc musl'; or "
			    "link against a sysroot with glibc <= %s (zig "
			    "links against glibc 2.17 stubs: 'rpi-cross setup "
			    "--linker zig' when zig is installed); or upgrade "
			    "the Pi to Raspberry Pi OS bookworm (glibc 2.36)",
			    p->glibc[0] ? p->glibc : "the Pi's");
		break;
	case PTC_NO_LOADER:
		snprintf(r->explain, sizeof(r->explain),
			 "The file is there, but the program interpreter it "
			 "names (%s) is not: \"No such file or directory\" "
			 "means the missing loader (a glibc program where that "
			 "glibc is absent, or a 32-bit program on a 64-bit OS, "
			 "or the reverse).", st->elf.interp[0] ?
			 st->elf.interp : "the loader");
		if (r->emulated)
			strbuf_addf(&fix, "install the target's C library for "
				    "qemu (Debian/Ubuntu: sudo apt install "
				    "libc6-%s-cross) or point QEMU_LD_PREFIX "
				    "at a sysroot", t->bits == 64 ? "arm64" :
				    "armhf");
		else
			strbuf_addf(&fix, "build the target that matches the "
				    "Pi's userland ('rpi-cross detect %s'), or a "
				    "static musl program", host);
		break;
	case PTC_EXEC_FORMAT:
		e = "The Pi's kernel cannot run this kind of program (\"Exec "
		    "format error\"): it is for another architecture or word "
		    "size.";
		strbuf_addf(&fix, "'rpi-cross detect %s' names the target that "
			    "fits; then 'rpi-cross setup --target TRIPLE'",
			    host);
		break;
	case PTC_ILLEGAL_INSN:
		e = "The program started and was killed by SIGILL (\"Illegal "
		    "instruction\", exit status 132): it uses instructions the "
		    "CPU lacks (ARMv7 code on an ARMv6 Pi 1/Zero, or a -C "
		    "target-cpu for a newer core).";
		strbuf_addf(&fix, "for a Pi 1/Zero: %s; otherwise drop a -C "
			    "target-cpu that is not the board's core "
			    "('rpi-cross cpus --target %s')", armv6_fix,
			    t->triple);
		break;
	case PTC_PERMISSION:
		snprintf(r->explain, sizeof(r->explain),
			 "The Pi refused to write or run the program in "
			 "~/.cache/rpi-cross%s%s: the home folder is not "
			 "writable by the user, the file system is read-only, "
			 "or it is mounted noexec.", p->home[0] ? " under " :
			 "", p->home);
		strbuf_addf(&fix, "on the Pi, 'ls -ld ~ ~/.cache' shows the "
			    "owner and mode: give the folder back to the user "
			    "(sudo chown -R %s: %s), or remount it read-write "
			    "without noexec", st->rem.user ? st->rem.user :
			    "USER", p->home[0] ? p->home : "~");
		break;
	case PTC_DISK_FULL:
		e = "The file system of the Pi's home folder is full (\"No "
		    "space left on device\"): the program could not be "
		    "copied there.";
		strbuf_adds(&fix, "free space on the Pi ('df -h ~', 'sudo apt "
			    "clean', old files in ~/.cache/rpi-cross), or make "
			    "the program smaller: strip = true under "
			    "[profile.release]");
		break;
	case PTC_CONNECT:
		snprintf(r->explain, sizeof(r->explain),
			 "No SSH connection to %s: it did not answer, refused "
			 "the connection (no SSH server on that port), or its "
			 "name does not resolve.", host);
		strbuf_adds(&fix, "check that the Pi is on and on this network, "
			    "that SSH is enabled (sudo raspi-config, Interface "
			    "Options, SSH; or an empty file named 'ssh' on the "
			    "boot partition) and the address and port; "
			    "--timeout SECONDS waits longer");
		break;
	case PTC_HOST_KEY:
		if (strcmp(sub, "changed") == 0) {
			e = "The Pi's host key differs from the one recorded "
			    "in known_hosts: either the Pi was reinstalled "
			    "(new keys) or something is in between. "
			    "rpi-cross never connects then.";
			strbuf_adds(&fix, "if the Pi was reinstalled, remove "
				    "the old key with the ssh-keygen -R command "
				    "above, then run the test again and compare "
				    "the new fingerprint with the Pi's");
		} else {
			e = "The Pi's host key is not in known_hosts, and "
			    "without a terminal there was no one to ask "
			    "whether to trust it.";
			strbuf_adds(&fix, "run the test once at a terminal to "
				    "compare and accept the fingerprint, or add "
				    "--accept-new-host-key on a network you "
				    "trust");
		}
		break;
	case PTC_AUTH:
		e = "The Pi refused every way of logging in that was tried "
		    "(agent, keys, password).";
		snprintf(r->explain, sizeof(r->explain), "%s", e);
		strbuf_addf(&fix, "install a public key on the Pi "
			    "('ssh-copy-id %s'), or run at a terminal to type "
			    "the password; check the user name (USER@HOST)",
			    host);
		break;
	case PTC_NO_QEMU:
		e = "--emulate needs qemu-user to run an ARM program on this "
		    "machine, and none was found (no binfmt handler, no "
		    "qemu-arm or qemu-aarch64 on PATH).";
		strbuf_adds(&fix, "Debian/Ubuntu: sudo apt install "
			    "qemu-user-static binfmt-support; Fedora: sudo dnf "
			    "install qemu-user-static; or test on the Pi with "
			    "--host");
		break;
	case PTC_RUN_FAILED:
		if (r->exit_status > 128)
			snprintf(r->explain, sizeof(r->explain),
				 "The program was killed by signal %d (exit "
				 "status %d).", r->exit_status - 128,
				 r->exit_status);
		else if (r->exit_status >= 0)
			snprintf(r->explain, sizeof(r->explain),
				 "The program ran and exited with status %d.",
				 r->exit_status);
		else
			snprintf(r->explain, sizeof(r->explain),
				 "The program did not finish.");
		if (st->o->project_dir != NULL)
			strbuf_adds(&fix, "this is the program's own failure: "
				    "its output is above");
		else
			strbuf_adds(&fix, "the test program only prints; see "
				    "its output above and 'rpi-cross doctor'");
		break;
	case PTC_CANCELLED:
		e = "The test was stopped before it finished.";
		strbuf_adds(&fix, "run it again");
		break;
	case PTC_OTHER:
		e = "The step failed; the tool's message is above.";
		strbuf_adds(&fix, "'rpi-cross doctor' checks the whole chain "
			    "and explains what it finds");
		break;
	}
	if (e[0] != '\0')
		snprintf(r->explain, sizeof(r->explain), "%s", e);
	snprintf(r->fix, sizeof(r->fix), "%s", fix.buf);
	strbuf_release(&fix);
}

/* Step s failed with cause c; message is the tool's own text. */
static int
fail(struct pt *st, enum pitest_step s, enum pitest_cause c,
     const char *message)
{
	struct pitest_result *r = st->r;

	r->cause = c;
	r->failed_step = s;
	if (message != NULL && r->message[0] == '\0')
		excerpt(message, r->message, sizeof(r->message));
	explain(st, c);
	if (r->status[s] == PT_PENDING)
		step_begin(st, s);
	if (r->status[s] == PT_RUNNING)
		step_end(st, s, PT_FAILED);
	return -1;
}

static int
cancelled(struct pt *st, enum pitest_step s)
{
	return fail(st, s, PTC_CANCELLED, "interrupted");
}

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

static void
rm_tree(const char *dir)
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

static int
prepare(struct pt *st)
{
	const char *tmp = getenv("TMPDIR");
	char *path = NULL, *src = NULL;
	struct strbuf main_rs = STRBUF_INIT;
	int ret = -1;

	step_begin(st, PT_PREPARE);
	if (st->o->project_dir != NULL) {
		path = xasprintf("%s/Cargo.toml", st->o->project_dir);
		if (access(path, R_OK) != 0) {
			char *m = xasprintf("cannot read '%s': %s", path,
					    strerror(errno));

			fail(st, PT_PREPARE, PTC_OTHER, m);
			snprintf(st->r->explain, sizeof(st->r->explain),
				 "The project folder has no readable "
				 "Cargo.toml.");
			snprintf(st->r->fix, sizeof(st->r->fix),
				 "give the folder that holds the project's "
				 "Cargo.toml with --project");
			free(m);
			goto out;
		}
		detail(st, PT_PREPARE, "project %s", st->o->project_dir);
		step_end(st, PT_PREPARE, PT_OK);
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
		fail(st, PT_PREPARE, PTC_OTHER, m);
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
		"}\n", st->t->triple);
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

		fail(st, PT_PREPARE, PTC_OTHER, m);
		free(m);
		goto out;
	}
	free(path);
	path = xasprintf("%s/main.rs", src);
	if (write_file(path, main_rs.buf) != 0) {
		char *m = xasprintf("cannot write '%s': %s", path,
				    strerror(errno));

		fail(st, PT_PREPARE, PTC_OTHER, m);
		free(m);
		goto out;
	}
	detail(st, PT_PREPARE, "hello-world crate in %s (removed at the end)",
	       st->tmpdir);
	step_end(st, PT_PREPARE, PT_OK);
	ret = 0;
out:
	strbuf_release(&main_rs);
	free(path);
	free(src);
	return ret;
}

/* ---- BUILD ------------------------------------------------------------- */

static const char *
env_cb(const char *name, void *data)
{
	(void)data;
	return rpx_getenv(name);
}

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
		emit_line(b->st, PT_BUILD, line);
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

static int
build(struct pt *st)
{
	const struct pitest_opts *o = st->o;
	struct proc p = PROC_INIT;
	struct build_state b;
	const char *argv[16];
	const char *env[8];
	char *manifest = NULL, *tdir = NULL, *rustc_env = NULL, *cargo = NULL;
	int n = 0, ne = 0, rc, ret = -1;
	enum pitest_cause c;

	memset(&b, 0, sizeof(b));
	b.st = st;
	strbuf_init(&b.err);
	step_begin(st, PT_BUILD);
	/* Like the toolchain module for rustc: cargo from PATH, else
	 * rustup's own folder (a fresh install before PATH is updated). */
	if (o->cargo == NULL && (cargo = rpx_which("cargo")) == NULL) {
		char *home = cargo_config_home(env_cb, NULL);

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
	rc = proc_run(&p);
	if (rc == RPX_ECANCELED || stopped(st)) {
		cancelled(st, PT_BUILD);
		goto out;
	}
	if (rc == RPX_ENOTFOUND) {
		fail(st, PT_BUILD, PTC_NO_TOOLCHAIN, p.why);
		goto out;
	}
	if (rc != 0) {
		fail(st, PT_BUILD, PTC_OTHER, p.why);
		goto out;
	}
	if (!proc_ok(&p)) {
		c = pitest_classify(PT_BUILD, b.err.buf, p.code, st->subject,
				    sizeof(st->subject));
		if (c == PTC_NONE)
			c = PTC_BUILD_FAILED;
		strbuf_addf(&b.err, "%s\n", p.why);
		fail(st, PT_BUILD, c, b.err.buf);
		goto out;
	}
	if (b.nexe == 0) {
		fail(st, PT_BUILD, PTC_OTHER, "cargo built no executable");
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
		fail(st, PT_BUILD, PTC_OTHER, names.buf);
		snprintf(st->r->explain, sizeof(st->r->explain),
			 "The project has several programs (%s): which one "
			 "to run is not clear.", names.buf);
		snprintf(st->r->fix, sizeof(st->r->fix),
			 "name one with --bin NAME");
		strbuf_release(&names);
		goto out;
	}
	st->binary = xstrdup(b.exe[0]);
	detail(st, PT_BUILD, "%s (release, %s)", b.names[0], st->t->triple);
	step_end(st, PT_BUILD, PT_OK);
	ret = 0;
out:
	proc_release(&p);
	strbuf_release(&b.err);
	free(manifest);
	free(tdir);
	free(rustc_env);
	free(cargo);
	return ret;
}

/* ---- CHECK ------------------------------------------------------------- */

/* What can be known without the Pi: is it a program for the target? */
static int
check_target(struct pt *st)
{
	struct rpx_err e = RPX_ERR_INIT;
	const char *why = NULL;
	char m[512], buf[32];

	if (elf_read_file(st->binary, &st->elf, &e) != 0) {
		snprintf(m, sizeof(m), "cannot read '%.200s': %.250s", st->binary,
			 e.msg[0] ? e.msg : "not an ELF executable");
		return fail(st, PT_CHECK, PTC_WRONG_LINKER, m);
	}
	if (!elf_matches_target(&st->elf, st->t, &why)) {
		enum pitest_cause c = PTC_WRONG_LINKER;

		snprintf(m, sizeof(m), "'%s' is not a program for %s: %s "
			 "(it is %s, %d-bit)", base_name(st->binary),
			 st->t->triple, why,
			 elf_machine_name(st->elf.machine, buf, sizeof(buf)),
			 st->elf.bits);
		/* Right machine and ABI, too new an ISA: the toolchain's
		 * start-up code (Debian's gcc for arm-unknown targets). */
		if ((st->elf.machine == ELF_EM_ARM) == (st->t->bits == 32) &&
		    st->elf.isa > st->t->min_isa && st->t->min_isa ==
		    ISA_ARMV6 && strstr(why, "ARMv7") != NULL)
			c = PTC_WRONG_ISA;
		return fail(st, PT_CHECK, c, m);
	}
	return 0;
}

/* Against the board: the probe's facts, else --board's. */
static int
check_board(struct pt *st)
{
	const struct remote_probe *p = st->r->probed ? &st->r->probe : NULL;
	enum isa cpu = p ? p->isa : st->board ? st->board->cpu->isa :
		       ISA_UNKNOWN;
	int bits = p ? p->os_bits : 0;
	const char *glibc = p && p->glibc[0] ? p->glibc : NULL;
	char why[512], m[700];
	struct strbuf d = STRBUF_INIT;

	if (!elf_runs_on(&st->elf, cpu, bits, glibc, why, sizeof(why))) {
		enum pitest_cause c = PTC_EXEC_FORMAT;

		snprintf(m, sizeof(m), "'%s' cannot run on %s: %s",
			 base_name(st->binary), st->board ? st->board->name :
			 "the board", why);
		if ((st->elf.machine == ELF_EM_AARCH64 && bits == 32) ||
		    (st->elf.machine == ELF_EM_ARM && bits == 64))
			c = PTC_WRONG_BITS;
		else if (st->elf.machine == ELF_EM_AARCH64 &&
			 cpu != ISA_UNKNOWN && cpu < ISA_ARMV8)
			c = PTC_WRONG_ISA;
		else if (strstr(why, "Illegal instruction") != NULL)
			c = PTC_WRONG_ISA;
		else if (strstr(why, "GLIBC_") != NULL)
			c = PTC_GLIBC_TOO_NEW;
		if (c == PTC_GLIBC_TOO_NEW)
			snprintf(st->subject, sizeof(st->subject), "%s",
				 st->elf.glibc_max);
		strbuf_release(&d);
		return fail(st, PT_CHECK, c, m);
	}
	{
		char buf[32];

		strbuf_addf(&d, "%s %d-bit", elf_machine_name(st->elf.machine,
							     buf, sizeof(buf)),
			    st->elf.bits);
	}
	if (st->elf.machine == ELF_EM_ARM)
		strbuf_addf(&d, " %s", st->elf.arm_hard_float ? "hard-float" :
			    "soft-float");
	if (st->elf.isa != ISA_UNKNOWN)
		strbuf_addf(&d, ", %s", isa_name(st->elf.isa));
	if (st->elf.is_static)
		strbuf_adds(&d, ", static");
	else
		strbuf_addf(&d, ", loader %s", st->elf.interp);
	if (st->elf.glibc_max[0])
		strbuf_addf(&d, ", needs GLIBC_%s%s%s", st->elf.glibc_max,
			    glibc ? " (Pi: " : "", glibc ? glibc : "");
	if (st->elf.glibc_max[0] && glibc)
		strbuf_addch(&d, ')');
	detail(st, PT_CHECK, "%s", d.buf);
	strbuf_release(&d);
	return 0;
}

/* ---- CONNECT ----------------------------------------------------------- */

static int
connect_pi(struct pt *st)
{
	struct remote_opts ro = st->o->remote;
	struct remote_probe *p = &st->r->probe;
	enum pitest_cause c;
	int rc;

	step_begin(st, PT_CONNECT);
	ro.target = st->o->host;
	if (ro.timeout_s == 0)
		ro.timeout_s = st->o->timeout_s;
	st->rem.stop = st->o->stop;
	rc = remote_connect(&st->rem, &ro);
	if (rc == 0 && stopped(st))
		return cancelled(st, PT_CONNECT);
	if (rc == 0)
		rc = remote_probe(&st->rem, NULL, p);
	if (stopped(st))
		return cancelled(st, PT_CONNECT);
	if (rc != 0) {
		c = pitest_classify(PT_CONNECT, st->rem.err, -1, st->subject,
				    sizeof(st->subject));
		if (c == PTC_NONE)
			c = PTC_OTHER;
		return fail(st, PT_CONNECT, c, st->rem.err);
	}
	st->r->probed = true;
	if (p->ident.board != NULL)
		st->board = p->ident.board;
	detail(st, PT_CONNECT, "%s: %s, %d-bit OS%s%s, glibc %s",
	       st->rem.display, p->ident.model[0] ? p->ident.model :
	       st->board ? st->board->name : "unknown board", p->os_bits,
	       p->os_pretty[0] ? ", " : "", p->os_pretty,
	       p->glibc[0] ? p->glibc : "none");
	step_end(st, PT_CONNECT, PT_OK);
	return 0;
}

/* ---- UPLOAD and RUN over SSH -------------------------------------------- */

/* Reads the program's stdout and stderr from pipes while remote writes. */
struct reader {
	struct pt *st;
	int fd_out, fd_err;
	struct strbuf lout, lerr;	/* partial lines */
};

static void
reader_flush(struct reader *rd, struct strbuf *part, bool all)
{
	char *nl;

	while ((nl = memchr(part->buf, '\n', part->len)) != NULL) {
		size_t n = (size_t)(nl - part->buf);

		*nl = '\0';
		emit_line(rd->st, PT_RUN, part->buf);
		memmove(part->buf, nl + 1, part->len - n - 1);
		part->len -= n + 1;
		part->buf[part->len] = '\0';
	}
	if (all && part->len > 0) {
		emit_line(rd->st, PT_RUN, part->buf);
		strbuf_reset(part);
	}
}

static void *
reader_main(void *arg)
{
	struct reader *rd = arg;
	struct pollfd pf[2];
	char buf[4096];
	int open = 2;

	pf[0].fd = rd->fd_out;
	pf[1].fd = rd->fd_err;
	pf[0].events = pf[1].events = POLLIN;
	while (open > 0) {
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (pf[i].fd < 0 || pf[i].revents == 0)
				continue;
			n = read(pf[i].fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				pf[i].fd = -1;
				open--;
				continue;
			}
			if (i == 0) {
				/* stdout: kept whole (up to 16 MiB) */
				if (rd->st->r->out.len < (16u << 20))
					strbuf_add(&rd->st->r->out, buf,
						   (size_t)n);
				strbuf_add(&rd->lout, buf, (size_t)n);
				reader_flush(rd, &rd->lout, false);
			} else {
				if (rd->st->errtext.len < (1u << 20))
					strbuf_add(&rd->st->errtext, buf,
						   (size_t)n);
				strbuf_add(&rd->lerr, buf, (size_t)n);
				reader_flush(rd, &rd->lerr, false);
			}
		}
	}
	reader_flush(rd, &rd->lout, true);
	reader_flush(rd, &rd->lerr, true);
	return NULL;
}

/* remote's "the program starts now": the upload is done. */
static void
on_program_start(void *data)
{
	struct pt *st = data;

	st->r->status[PT_UPLOAD] = PT_OK;
	step_end(st, PT_UPLOAD, PT_OK);
	step_begin(st, PT_RUN);
}

static int
upload_run(struct pt *st)
{
	struct pitest_result *r = st->r;
	struct reader rd;
	pthread_t th;
	bool thread = false;
	char hex[65];
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 };
	int rc, status = 0, ret = -1, run_to;
	enum pitest_cause c;

	memset(&rd, 0, sizeof(rd));
	strbuf_init(&rd.lout);
	strbuf_init(&rd.lerr);
	step_begin(st, PT_UPLOAD);
	if (remote_sha256_file(st->binary, hex, &st->binsize) != 0) {
		char *m = xasprintf("cannot read '%s': %s", st->binary,
				    strerror(errno));

		fail(st, PT_UPLOAD, PTC_OTHER, m);
		free(m);
		goto out;
	}
	detail(st, PT_UPLOAD, "%.1f MB to ~/.cache/rpi-cross/%.16s/%s",
	       st->binsize / 1e6, hex, base_name(st->binary));
	if (pipe(po) != 0 || pipe(pe) != 0) {
		fail(st, PT_UPLOAD, PTC_OTHER, strerror(errno));
		goto out;
	}
	fcntl(po[0], F_SETFD, FD_CLOEXEC);
	fcntl(po[1], F_SETFD, FD_CLOEXEC);
	fcntl(pe[0], F_SETFD, FD_CLOEXEC);
	fcntl(pe[1], F_SETFD, FD_CLOEXEC);
	rd.st = st;
	rd.fd_out = po[0];
	rd.fd_err = pe[0];
	if (pthread_create(&th, NULL, reader_main, &rd) != 0) {
		fail(st, PT_UPLOAD, PTC_OTHER, "cannot start a thread");
		goto out;
	}
	thread = true;
	st->rem.on_start = on_program_start;
	st->rem.on_start_data = st;
	run_to = st->o->run_timeout_s > 0 ? st->o->run_timeout_s : 60;
	rc = remote_upload_run(&st->rem, st->binary, base_name(st->binary),
			       hex, 0, NULL, po[1], pe[1], run_to, &status);
	st->rem.on_start = NULL;
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	pthread_join(th, NULL);
	thread = false;
	if (r->status[PT_RUN] != PT_RUNNING) {
		/* the program never started: the upload failed */
		if (rc == RPX_ECANCELED || stopped(st)) {
			cancelled(st, PT_UPLOAD);
			goto out;
		}
		c = pitest_classify(PT_UPLOAD, st->rem.err, -1, st->subject,
				    sizeof(st->subject));
		if (c == PTC_NONE)
			c = PTC_OTHER;
		fail(st, PT_UPLOAD, c, st->rem.err[0] ? st->rem.err :
		     "the upload failed");
		goto out;
	}
	r->exit_status = status;
	if (rc == RPX_ECANCELED || stopped(st)) {
		cancelled(st, PT_RUN);
		goto out;
	}
	if (rc == RPX_ETIMEOUT) {
		fail(st, PT_RUN, PTC_RUN_FAILED, st->rem.err);
		snprintf(r->explain, sizeof(r->explain),
			 "The program ran longer than %d s and was stopped.",
			 run_to);
		goto out;
	}
	if (rc != 0) {
		c = pitest_classify(PT_CONNECT, st->rem.err, -1, NULL, 0);
		fail(st, PT_RUN, c == PTC_NONE ? PTC_OTHER : c, st->rem.err);
		goto out;
	}
	if (status != 0) {
		c = pitest_classify(PT_RUN, st->errtext.buf, status,
				    st->subject, sizeof(st->subject));
		if (c == PTC_NONE)
			c = PTC_RUN_FAILED;
		if (st->errtext.len == 0)
			strbuf_addf(&st->errtext, "exit status %d", status);
		fail(st, PT_RUN, c, st->errtext.buf);
		goto out;
	}
	detail(st, PT_RUN, "exit status 0 on %s", st->rem.display);
	step_end(st, PT_RUN, PT_OK);
	ret = 0;
out:
	st->rem.on_start = NULL;
	if (thread) {
		if (po[1] >= 0)
			close(po[1]);
		if (pe[1] >= 0)
			close(pe[1]);
		po[1] = pe[1] = -1;
		pthread_join(th, NULL);
	}
	for (int i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	strbuf_release(&rd.lout);
	strbuf_release(&rd.lerr);
	return ret;
}

/* ---- RUN under qemu-user ------------------------------------------------ */

static bool
binfmt_enabled(const char *name)
{
	char *path = xasprintf("/proc/sys/fs/binfmt_misc/%s", name);
	char line[32] = "";
	FILE *f = fopen(path, "r");
	bool yes = false;

	if (f != NULL) {
		yes = fgets(line, sizeof(line), f) != NULL &&
		      strncmp(line, "enabled", 7) == 0;
		fclose(f);
	}
	free(path);
	return yes;
}

static void
emu_line(void *arg, enum proc_stream stream, const char *line, size_t len)
{
	struct pt *st = arg;

	if (stream == PROC_STDOUT) {
		if (st->r->out.len < (16u << 20)) {
			strbuf_add(&st->r->out, line, len);
			strbuf_addch(&st->r->out, '\n');
		}
	} else if (st->errtext.len < (1u << 20)) {
		strbuf_add(&st->errtext, line, len);
		strbuf_addch(&st->errtext, '\n');
	}
	emit_line(st, PT_RUN, line);
}

static int
emulate(struct pt *st)
{
	struct pitest_result *r = st->r;
	const bool a64 = st->elf.machine == ELF_EM_AARCH64;
	const char *qname = a64 ? "qemu-aarch64" : "qemu-arm";
	const char *sysroot = a64 ? "/usr/aarch64-linux-gnu" :
			      "/usr/arm-linux-gnueabihf";
	const char *user_prefix = getenv("QEMU_LD_PREFIX");
	const char *argv[8];
	const char *env[3] = { NULL, NULL, NULL };
	char *qemu = NULL, *envs = NULL, *loader = NULL, *sname = NULL;
	struct proc p = PROC_INIT;
	int n = 0, rc, ret = -1, run_to;
	enum pitest_cause c;

	step_begin(st, PT_RUN);
	r->emulated = true;
	if (user_prefix != NULL && user_prefix[0] != '\0')
		sysroot = user_prefix;
	if (!binfmt_enabled(qname)) {
		sname = xasprintf("%s-static", qname);
		qemu = rpx_which(sname);
		if (qemu == NULL)
			qemu = rpx_which(qname);
		if (qemu == NULL) {
			char *m = xasprintf("no binfmt handler '%s' and neither "
					    "%s nor %s on PATH", qname, sname,
					    qname);

			fail(st, PT_RUN, PTC_NO_QEMU, m);
			free(m);
			goto out;
		}
	}
	/* A dynamic program needs its loader and C library: the cross
	 * sysroot Debian's libc6-*-cross packages install. */
	if (!st->elf.is_static) {
		loader = xasprintf("%s%s", sysroot, st->elf.interp);
		if (access(loader, F_OK) != 0) {
			char *m = xasprintf("the loader %s is not in %s (%s "
					    "not found)", st->elf.interp,
					    sysroot, loader);

			fail(st, PT_RUN, PTC_NO_LOADER, m);
			free(m);
			goto out;
		}
	}
	if (qemu != NULL) {
		argv[n++] = qemu;
		if (!st->elf.is_static) {
			argv[n++] = "-L";
			argv[n++] = sysroot;
		}
	} else if (!st->elf.is_static) {
		envs = xasprintf("QEMU_LD_PREFIX=%s", sysroot);
		env[0] = envs;
	}
	argv[n++] = st->binary;
	argv[n] = NULL;
	run_to = st->o->run_timeout_s > 0 ? st->o->run_timeout_s : 60;
	p.argv = argv;
	p.env = env;
	p.on_line = emu_line;
	p.cb_arg = st;
	p.cancel = st->o->stop;
	p.timeout_ms = run_to * 1000;
	rc = proc_run(&p);
	if (rc == RPX_ECANCELED || stopped(st)) {
		cancelled(st, PT_RUN);
		goto out;
	}
	if (rc == RPX_ETIMEOUT) {
		fail(st, PT_RUN, PTC_RUN_FAILED, p.why);
		snprintf(r->explain, sizeof(r->explain),
			 "The program ran longer than %d s under qemu and was "
			 "stopped.", run_to);
		goto out;
	}
	if (rc != 0) {
		fail(st, PT_RUN, rc == RPX_ENOTFOUND ? PTC_NO_QEMU : PTC_OTHER,
		     p.why);
		goto out;
	}
	r->exit_status = p.exited ? p.code : 128 + p.code;
	if (r->exit_status != 0) {
		c = pitest_classify(PT_RUN, st->errtext.buf, r->exit_status,
				    st->subject, sizeof(st->subject));
		if (c == PTC_NONE)
			c = PTC_RUN_FAILED;
		strbuf_addf(&st->errtext, "%s\n", p.why);
		fail(st, PT_RUN, c, st->errtext.buf);
		goto out;
	}
	detail(st, PT_RUN, "exit status 0 under %s%s%s", qemu ? qemu :
	       "binfmt (qemu-user)", st->elf.is_static ? "" :
	       ", libraries from ", st->elf.is_static ? "" : sysroot);
	step_end(st, PT_RUN, PT_OK);
	ret = 0;
out:
	proc_release(&p);
	free(qemu);
	free(sname);
	free(envs);
	free(loader);
	return ret;
}

/* ---- the test ------------------------------------------------------------ */

static void
verdict(struct pt *st, int ret)
{
	struct pitest_result *r = st->r;
	const struct board *b = st->board;

	if (ret == 0 && r->emulated)
		snprintf(r->verdict, sizeof(r->verdict),
			 "It works under emulation: the %s program built with "
			 "your Cargo config ran under qemu-user on this "
			 "machine. This is emulation, not proof on the board: "
			 "run 'rpi-cross test --host HOST' on the Pi.",
			 st->t->triple);
	else if (ret == 0)
		snprintf(r->verdict, sizeof(r->verdict),
			 "It works: the %s program built with your Cargo "
			 "config ran on %s%s%s%s and exited 0.", st->t->triple,
			 st->rem.display, b ? " (" : "", b ? b->name : "",
			 b ? ")" : "");
	else
		snprintf(r->verdict, sizeof(r->verdict),
			 "Failed at the %s step (%s): %.440s", pitest_step_title(
			 r->failed_step), pitest_cause_name(r->cause),
			 r->explain);
}

int
pitest_run(const struct pitest_opts *o, struct pitest_result *r)
{
	struct pt st;
	struct remote rem = REMOTE_INIT;
	int ret = -1;

	memset(&st, 0, sizeof(st));
	st.o = o;
	st.r = r;
	st.t = o->target;
	st.board = o->board;
	st.rem = rem;
	strbuf_init(&st.errtext);
	if (o->target == NULL || (!o->emulate && o->host == NULL)) {
		r->cause = PTC_OTHER;
		r->failed_step = PT_PREPARE;
		snprintf(r->message, sizeof(r->message), "%s",
			 o->target == NULL ? "no target given" :
			 "no host given");
		snprintf(r->explain, sizeof(r->explain), "The test needs a "
			 "target and a Pi (or emulate).");
		snprintf(r->verdict, sizeof(r->verdict), "Failed: %.400s",
			 r->message);
		return RPX_EINVAL;
	}
	if (prepare(&st) != 0 || (stopped(&st) && cancelled(&st, PT_BUILD)))
		goto out;
	if (build(&st) != 0)
		goto out;
	if (stopped(&st)) {
		cancelled(&st, PT_CHECK);
		goto out;
	}
	if (o->emulate) {
		step_begin(&st, PT_CHECK);
		if (check_target(&st) != 0 || check_board(&st) != 0)
			goto out;
		step_end(&st, PT_CHECK, PT_OK);
		r->status[PT_CONNECT] = PT_SKIPPED;
		r->status[PT_UPLOAD] = PT_SKIPPED;
		ret = emulate(&st);
		goto out;
	}
	/* A program that is wrong for the target is wrong on any Pi. */
	st.t0 = rpx_now_ms();
	if (check_target(&st) != 0)
		goto out;
	if (connect_pi(&st) != 0)
		goto out;
	step_begin(&st, PT_CHECK);
	if (check_board(&st) != 0)
		goto out;
	step_end(&st, PT_CHECK, PT_OK);
	if (stopped(&st)) {
		cancelled(&st, PT_UPLOAD);
		goto out;
	}
	ret = upload_run(&st);
out:
	if (st.binary != NULL && (o->keep || st.tmpdir == NULL))
		snprintf(r->binary, sizeof(r->binary), "%s", st.binary);
	if (st.tmpdir != NULL && !o->keep)
		rm_tree(st.tmpdir);
	else if (st.tmpdir != NULL)
		snprintf(r->detail[PT_PREPARE], sizeof(r->detail[0]),
			 "hello-world crate in %s (kept)", st.tmpdir);
	verdict(&st, ret);
	remote_release(&st.rem);
	strbuf_release(&st.errtext);
	free(st.tmpdir);
	free(st.binary);
	return ret;
}
