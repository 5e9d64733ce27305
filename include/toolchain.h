/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * toolchain.h - the Rust toolchains on this host: which rustc, cargo and
 * rustup, their versions, sysroots and kinds (rustup-managed or a distro /
 * Homebrew package), which Pi targets have their std installed, how to
 * install a missing std, and the -C target-cpu list.
 *
 * Which rustc Cargo uses, in Cargo's order: $RUSTC when set, else
 * build.rustc from the Cargo config files of the current folder (or
 * $CARGO_BUILD_RUSTC; read with the cargo_config module), else the first
 * `rustc` on PATH (under rustup, its proxy), else $CARGO_HOME/bin/rustc
 * (default ~/.cargo/bin). A build.rustc without '/' is looked up on PATH;
 * a relative one with '/' is taken from the parent of the folder that
 * holds the config file (the project folder for <project>/.cargo/
 * config.toml), as Cargo does for config-relative paths. $RUSTC_WRAPPER
 * (an empty value turns it off) else build.rustc-wrapper wraps it: it is
 * reported, but the probes of this module and linker.h call rustc
 * directly (a wrapper such as sccache caches compiles; the link command
 * is rustc's own). toolchain_find() answers exactly that;
 * toolchain_scan() also lists every other rustc it can see (PATH,
 * $CARGO_HOME/bin, /usr/bin, /opt/homebrew/bin, /usr/local/bin), one
 * entry per sysroot.
 *
 * The std of a target is installed when <sysroot>/lib/rustlib/<triple>/lib
 * exists, which holds for rustup toolchains and distro packages alike.
 *
 * Every string in these structs is malloc'd and owned by the struct; the
 * _release functions free them and re-initialise. Programs run only through
 * proc; nothing here prints.
 */
#ifndef RPX_TOOLCHAIN_H
#define RPX_TOOLCHAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "hostos.h"
#include "proc.h"
#include "rpx.h"
#include "target.h"

enum toolchain_kind {
	TOOLCHAIN_RUSTUP,	/* sysroot under $RUSTUP_HOME/toolchains */
	TOOLCHAIN_DISTRO,	/* sysroot /usr: apt, dnf, pacman packages */
	TOOLCHAIN_HOMEBREW,	/* sysroot under a Homebrew prefix */
	TOOLCHAIN_STANDALONE,	/* anything else (official installer, own build) */
};

/* "rustup", "distro", "homebrew", "standalone". */
const char *toolchain_kind_name(enum toolchain_kind kind);

struct toolchain {
	char *rustc;		/* path as found; may be a rustup proxy */
	char *version;		/* first line of rustc --version */
	char *sysroot;		/* rustc --print sysroot */
	char *release;		/* "1.95.0" (rustc -vV) */
	char *host;		/* host triple (rustc -vV), or NULL */
	char *origin;		/* how it was found: "$RUSTC", "build.rustc",
				 * "PATH", "$CARGO_HOME/bin", "known
				 * location" */
	char *origin_where;	/* origin "build.rustc": where it is set,
				 * "<file>:<line>" or "env CARGO_BUILD_RUSTC";
				 * else NULL */
	char *wrapper;		/* Cargo's rustc only: RUSTC_WRAPPER or
				 * build.rustc-wrapper as given, or NULL */
	char *wrapper_origin;	/* "env RUSTC_WRAPPER", "<file>:<line>" or
				 * "env CARGO_BUILD_RUSTC_WRAPPER" */
	char *cargo;		/* the cargo beside it, or NULL */
	char *rustup;		/* rustup that manages it, or NULL */
	char *rustup_name;	/* rustup toolchain name, or NULL */
	enum toolchain_kind kind;
	bool proxy;		/* rustc is rustup's proxy, not the compiler */
	/* -v: the rustc and rustup runs for this toolchain (inspecting it,
	 * its CPUs, installing a std) on trace->err; NULL: none. Set by
	 * the _traced functions. */
	const struct ctx *trace;
};

#define TOOLCHAIN_INIT { .rustc = NULL }

/* What Cargo runs as rustc for a build in a folder (see the top). */
struct cargo_rustc {
	char *rustc;		/* the program found, or NULL */
	char *given;		/* the value as set ($RUSTC, build.rustc), or
				 * NULL for the PATH / $CARGO_HOME defaults */
	char *origin;		/* "$RUSTC", "build.rustc", "PATH",
				 * "$CARGO_HOME/bin" */
	char *origin_where;	/* as in struct toolchain */
	char *wrapper;		/* as in struct toolchain */
	char *wrapper_origin;
};

#define CARGO_RUSTC_INIT { NULL, NULL, NULL, NULL, NULL, NULL }

/*
 * Decide Cargo's rustc and wrapper for a build in project_dir (NULL: the
 * current folder). 0; RPX_ENOTFOUND when there is no rustc (cr->origin
 * and cr->given still say what was looked for).
 */
int toolchain_cargo_rustc(const char *project_dir, struct cargo_rustc *cr);
void cargo_rustc_release(struct cargo_rustc *cr);

/* The rustc Cargo would use (in the current folder). 0, or RPX_ENOTFOUND
 * when none works. */
int toolchain_find(struct toolchain *tc);
/* The same, its runs (and tc's later ones) shown with trace's -v. */
int toolchain_find_traced(struct toolchain *tc, const struct ctx *trace);
/*
 * Describe the rustc at path (origin is a label kept in tc->origin).
 * 0, RPX_ENOTFOUND when it is not there, RPX_ECHILD when it does not run.
 */
int toolchain_inspect(const char *path, const char *origin,
		      struct toolchain *tc);
/* True when the target's std is in the sysroot. */
bool toolchain_has_std(const struct toolchain *tc, const char *triple);
/* <sysroot>/lib/rustlib/<host>/bin/rust-lld when it exists, else NULL. */
char *toolchain_rust_lld(const struct toolchain *tc);
void toolchain_release(struct toolchain *tc);

/* Every rustc on this host, and what Cargo will use. */
struct toolchain_list {
	struct toolchain *v;
	int n;
	size_t alloc;		/* room in v (ALLOC_GROW) */
	int cargo_uses;		/* index in v of Cargo's rustc, -1: none */
	char *cargo;		/* the cargo first on PATH (or in
				 * $CARGO_HOME/bin), NULL: none */
	/*
	 * Set when the cargo on PATH belongs to one toolchain but would run
	 * another's rustc (e.g. /usr/bin/cargo with rustup's rustc first on
	 * PATH): a sentence saying so and how to fix it; else NULL.
	 */
	char *mismatch;
	/* -v: set before toolchain_scan() to show every rustc run (each
	 * entry keeps it, as struct toolchain's trace); NULL: none. */
	const struct ctx *trace;
};

#define TOOLCHAIN_LIST_INIT { NULL, 0, 0, -1, NULL, NULL, NULL }

/* 0 (possibly with n == 0). The rustc found are run in parallel. */
int toolchain_scan(struct toolchain_list *l);
/* The entry Cargo uses (what toolchain_find() describes), or NULL. */
const struct toolchain *toolchain_list_cargo(const struct toolchain_list *l);
void toolchain_list_release(struct toolchain_list *l);

/* How to get a target's std for a toolchain. */
struct std_install {
	bool automatic;		/* toolchain_install_std() can do it */
	char *command;		/* the command to run, or NULL */
	char *packages;		/* distro packages that carry it, or NULL */
	char *note;		/* one or two sentences, or NULL */
};

#define STD_INSTALL_INIT { false, NULL, NULL, NULL }

/*
 * Fill si for target t: `rustup target add` for a rustup toolchain; the
 * package and its install command for a distro toolchain on os (Debian
 * and Ubuntu package libstd-rust-dev:armhf/:arm64); otherwise a note that
 * only rustup provides it.
 */
void toolchain_std_install(const struct toolchain *tc, const struct target *t,
			   const struct host_os *os, struct std_install *si);
void std_install_release(struct std_install *si);

/*
 * Install a target's std with rustup (`rustup target add --toolchain
 * NAME T`), its progress lines streamed to on_line as they come. 0 on
 * success; RPX_EUNSUPPORTED when the toolchain is not rustup's (see
 * toolchain_std_install()); RPX_ECHILD when rustup failed, with its own
 * error line in why; RPX_ECANCELED / RPX_ETIMEOUT as proc_run().
 */
int toolchain_install_std(const struct toolchain *tc, const char *triple,
			  proc_line_fn *on_line, void *cb_arg,
			  const volatile sig_atomic_t *cancel,
			  char *why, size_t whysz);
/*
 * The same through a pseudo-terminal of cols columns (proc.h's pty mode):
 * rustup sees a terminal and draws its progress bar; its bytes go to
 * on_data as they come (termtext.h turns them into lines). The error line
 * in why has rustup's colours dropped.
 */
int toolchain_install_std_tty(const struct toolchain *tc, const char *triple,
			      proc_data_fn *on_data, void *cb_arg, int cols,
			      const volatile sig_atomic_t *cancel,
			      char *why, size_t whysz);

/* One -C target-cpu value. */
struct cpu_entry {
	char *name;		/* "cortex-a72" */
	char *desc;		/* text after " - ", or NULL */
	bool is_default;	/* "This is the default target CPU ..." */
	bool is_native;		/* "native": the CPU of this host */
};

struct cpu_list {
	struct cpu_entry *v;
	int n;
	size_t alloc;		/* room in v (ALLOC_GROW) */
};

#define CPU_LIST_INIT { NULL, 0, 0 }

/*
 * Parse `rustc --target T --print target-cpus` output: the header line
 * "Available CPUs for this target:", then one indented name per line,
 * optionally "<padding>- description". Blank lines are skipped; a
 * non-indented line after the list ends it. RPX_EPARSE with err filled
 * (line numbers 1-based) when the header is missing (err->msg then quotes
 * rustc's first line, e.g. "Target CPU help is not supported by this LLVM
 * version.") or a name is malformed. l is filled only on success.
 */
int toolchain_parse_cpus(const char *text, struct cpu_list *l,
			 struct rpx_err *err);
/*
 * Run rustc and parse its list. RPX_EUNSUPPORTED (why filled) when this
 * rustc cannot list CPUs; RPX_ECHILD when it fails.
 */
int toolchain_target_cpus(const struct toolchain *tc, const char *triple,
			  struct cpu_list *l, char *why, size_t whysz);
/* Index of name in l, or -1. */
int cpu_list_find(const struct cpu_list *l, const char *name);
void cpu_list_release(struct cpu_list *l);

#endif
