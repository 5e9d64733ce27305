/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * linker.h - cross linkers for a Pi target: which are installed, and which
 * really link a program for the target.
 *
 * Candidates come from PATH and the usual prefixes (/usr/bin,
 * /opt/homebrew/bin, /usr/local/bin, $CARGO_HOME/bin, /opt/cross.../bin,
 * /opt/NAME/bin): GNU cross gcc for every known prefix of the target's
 * family, bare `*-ld`, clang (+ lld), rust-lld from each toolchain's
 * sysroot, and zig. One entry per real file (symlinks folded).
 *
 * A candidate counts as working only after a probe: a minimal program is
 * linked for the target in a private temporary folder (always removed) and
 * the output is read with the elf module; a linker that links the wrong
 * machine, word size, float ABI or ISA (ARMv7 start-up files for an ARMv6
 * target) fails with that reason. The probe is
 *  - LINKER_PROBE_RUSTC: the link `rustc --target T -C linker=L [flags]
 *    hello.rs` runs, when the toolchain has the target's std (the most
 *    faithful). rustc compiles hello.rs once per scan, with a recorder as
 *    its linker that writes down the link command; each candidate then
 *    runs that command (as rustc builds it for the candidate's flavor,
 *    with its own link arguments); else
 *  - LINKER_PROBE_C: the linker (or, for a bare linker, a compiler of the
 *    same family making the object) links a C hello-world directly.
 * All candidates are probed at once, one thread each, with about one
 * program per CPU running at a time (the compile first, then the slowest
 * links), so a scan takes about one compile plus its slowest link.
 *
 * Ownership: every string and array in these structs is malloc'd and owned
 * by the struct; linker_scan_release() frees them all. Nothing here
 * prints; programs run only through proc.
 */
#ifndef RPX_LINKER_H
#define RPX_LINKER_H

#include <stdbool.h>

#include "elf.h"
#include "hostos.h"
#include "strbuf.h"
#include "target.h"
#include "toolchain.h"

enum linker_kind {
	LINKER_GCC,	/* <prefix>gcc: a cross compiler driver */
	LINKER_CLANG,	/* clang --target=... -fuse-ld=lld */
	LINKER_ZIG,	/* zig cc -target ... */
	LINKER_RUST_LLD,	/* rust-lld from a toolchain's sysroot */
	LINKER_BARE_LD,	/* <prefix>ld: binutils' linker on its own */
};

enum linker_probe_kind {
	LINKER_PROBE_NONE,	/* not probed (or could not be) */
	LINKER_PROBE_RUSTC,	/* rustc linked hello.rs with it */
	LINKER_PROBE_C,		/* it linked a C hello-world directly */
};

/* "gcc", "clang", "zig", "rust-lld", "ld". */
const char *linker_kind_name(enum linker_kind kind);
/* "rustc", "c", "none". */
const char *linker_probe_name(enum linker_probe_kind kind);

struct linker {
	enum linker_kind kind;
	char *path;		/* absolute path of the program */
	char *name;		/* Cargo's `linker` value: the bare name when
				 * PATH finds this very file, else path */
	char *origin;		/* the folder it was found in, or "sysroot" */
	char *prefix;		/* GNU prefix ("arm-linux-gnueabihf-"), or NULL */
	char *version;		/* first line of its --version, or NULL */
	char **rustflags;	/* Cargo rustflags it needs, NULL-ended */
	/* probe results */
	enum linker_probe_kind probe;
	bool works;
	bool timed_out;		/* the probe was killed at its timeout */
	char *why;		/* why it does not work, or NULL */
	char *note;		/* advice about this kind (fragile, ...), or NULL */
	char *wrapper;		/* zig: the script that runs `zig cc -target
				 * ...` as one program (Cargo's linker, and
				 * what the probe runs), written into
				 * ($XDG_CACHE_HOME or ~/.cache)/rpi-cross/
				 * zig/; name is its path. NULL otherwise */
	char *wrapper_why;	/* zig: why no wrapper could be written */
	long long probe_ms;
	bool have_elf;		/* elf describes what it linked */
	struct elf_info elf;
	int rank;		/* 0 best; set by linker_scan() */
};

struct linker_scan {
	const struct target *target;
	struct linker *v;	/* best first after probing */
	int n;
	size_t alloc;		/* room in v (ALLOC_GROW) */
	int recommended;	/* index in v, or -1 when none works */
	enum linker_probe_kind probe;	/* RUSTC when the std was there */
	char *probe_note;	/* why the rustc probe was not possible, or NULL */
	long long elapsed_ms;	/* the whole scan */
};

#define LINKER_SCAN_INIT { NULL, NULL, 0, 0, -1, LINKER_PROBE_NONE, NULL, 0 }

struct linker_opts {
	const struct toolchain *tc;	/* rustc for probes; may be NULL */
	const struct toolchain_list *all;	/* more sysroots for rust-lld;
						 * NULL: look for rust-lld in
						 * rustup's toolchains and the
						 * usual sysroots instead */
	int timeout_ms;			/* per probe; 0: 60 s */
	bool probe;			/* false: only find the candidates */
	/* -v: each probe's compiler and linker runs on trace->err (the
	 * probes run in parallel: each line whole); NULL: none. */
	const struct ctx *trace;
};

/*
 * Find the candidates for t and (when o->probe) probe them all in
 * parallel, then rank them (working first; then gcc, clang, zig,
 * rust-lld, bare ld; then the target's own prefixes and PATH order) and
 * pick the recommended one. 0, or RPX_ENOMEM/RPX_EIO when no temporary
 * folder or thread could be made.
 */
int linker_scan(const struct target *t, const struct linker_opts *o,
		struct linker_scan *s);
/*
 * The same for one linker the user names (a program on PATH, a path, or
 * "rust-lld", looked up in the toolchains' sysroots). Its kind is told from
 * its name: "...clang...", "rust-lld", "zig", "ld" or "...-ld", else a C
 * compiler driver like gcc. RPX_ENOTFOUND (s->n == 0) when it is not there.
 */
int linker_check(const struct target *t, const char *linker,
		 const struct linker_opts *o, struct linker_scan *s);
void linker_scan_release(struct linker_scan *s);

/*
 * The extra link-arg values in a linker's Cargo rustflags
 * (["-C", "link-arg=-fuse-ld=lld"] gives "-fuse-ld=lld"; every spelling
 * of -C and link-args= too: rustflags_link_args()), NULL-ended and
 * malloc'd; NULL when there are none. What a plan keeps as link_args.
 */
char **linker_link_args(char *const *rustflags);

/* What the probe linked, in one line: "ARM 32-bit hard-float ARMv7,
 * needs GLIBC_2.34" (nothing when the probe made no ELF file). */
void linker_elf_summary(const struct linker *l, struct strbuf *sb);

/*
 * The command that installs a working cross linker for t on os (apt, dnf,
 * pacman, Homebrew's messense tap, ...) into cmd (empty when there is no
 * package), and a sentence of advice into note.
 */
void linker_install_hint(const struct target *t, const struct host_os *os,
			 struct strbuf *cmd, struct strbuf *note);

/*
 * Cargo's flavor rules in one sentence each: why a bare `ld` (the
 * tutorials' choice) is fragile. Static text.
 */
const char *linker_bare_ld_advice(void);

#endif
