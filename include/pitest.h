/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * pitest.h - the final test: build a hello-world (or the user's project)
 * for the target with the user's effective Cargo config, check the ELF
 * against the board, upload it to the Pi, run it there, and explain any
 * failure.
 *
 * The module never touches the terminal: it reports through callbacks
 * (struct pitest_events), which `rpi-cross test` prints and the wizard's
 * Test step shows in a log pane from a background task. Whatever SSH must
 * ask (host key, password) goes through the remote callbacks in
 * struct pitest_opts.remote.
 *
 * Every step is timed. A failed step stops the test; the result names the
 * step, keeps the tool's own message, and gives a cause (enum
 * pitest_cause) with a one-paragraph explanation and a fix. The temporary
 * folder is always removed; nothing of the user's (project, config) is
 * changed.
 */
#ifndef RPX_PITEST_H
#define RPX_PITEST_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "board.h"
#include "remote.h"
#include "strbuf.h"
#include "target.h"

enum pitest_step {
	PT_PREPARE,	/* temporary crate (or the project) ready */
	PT_BUILD,	/* cargo build --release --target T */
	PT_CHECK,	/* ELF: machine, class, float ABI, ISA, loader, GLIBC_ */
	PT_CONNECT,	/* SSH: connect, host key, auth, probe the board */
	PT_UPLOAD,	/* into ~/.cache/rpi-cross */
	PT_RUN,		/* run it on the Pi (or under qemu-user: emulate) */
	PT_STEP_COUNT
};

enum pitest_status { PT_PENDING, PT_RUNNING, PT_OK, PT_FAILED, PT_SKIPPED };

/* Why a test failed; each has an explanation and a fix. */
enum pitest_cause {
	PTC_NONE,
	PTC_NO_TOOLCHAIN,	/* cargo / rustc not found */
	PTC_STD_MISSING,	/* can't find crate for `std` */
	PTC_LINKER_NOT_FOUND,	/* linker `x` not found */
	PTC_LINK_FAILED,	/* the linker ran and failed */
	PTC_WRONG_LINKER,	/* output for another architecture/ABI */
	PTC_BUILD_FAILED,	/* any other compile error */
	PTC_WRONG_ISA,		/* ELF for a newer ISA than the board's */
	PTC_WRONG_BITS,		/* 64-bit binary on a 32-bit userland or v.v. */
	PTC_GLIBC_TOO_NEW,	/* needs GLIBC_x.y newer than the Pi's */
	PTC_NO_LOADER,		/* ELF interpreter missing on the Pi */
	PTC_EXEC_FORMAT,	/* "Exec format error" */
	PTC_ILLEGAL_INSN,	/* SIGILL / "Illegal instruction" */
	PTC_PERMISSION,		/* home not writable, noexec */
	PTC_DISK_FULL,		/* No space left on device */
	PTC_CONNECT,		/* unreachable, refused, timeout */
	PTC_HOST_KEY,		/* unknown (refused) or changed host key */
	PTC_AUTH,		/* authentication failed */
	PTC_NO_QEMU,		/* --emulate without qemu-user */
	PTC_RUN_FAILED,		/* the program ran and exited non-zero */
	PTC_CANCELLED,		/* stopped by the user */
	PTC_OTHER,
	/* C libraries (a crate's build script, or the link): */
	PTC_PKG_CONFIG_CROSS,	/* pkg-config not configured for cross */
	PTC_LIB_MISSING,	/* could not find system library 'X', -lX */
	PTC_HOST_LIB,		/* an x86 (host) library picked up */
	PTC_HEADER_MISSING,	/* fatal error: X.h: No such file */
	PTC_COUNT
};

/*
 * The order of execution: PREPARE, BUILD, then (over SSH) CONNECT, CHECK,
 * UPLOAD, RUN; the enum order above is the order to display. CHECK needs
 * the probe (the Pi's userland, CPU and glibc), so it runs after CONNECT;
 * a binary that cannot be right for the target at all (another machine,
 * float ABI or libc) fails CHECK at once, before connecting. With
 * emulate: PREPARE, BUILD, CHECK (against --board when given), RUN under
 * qemu-user; CONNECT and UPLOAD are PT_SKIPPED.
 *
 * Events: step and line are called on the thread that runs pitest_run(),
 * except the Pi's output lines during RUN over SSH, which come from a
 * helper thread while pitest_run()'s thread waits for the program (never
 * two callbacks at once).
 */

struct pitest_events {
	/* A step starts or ends (status PT_RUNNING, PT_OK, ...). */
	void (*step)(void *data, enum pitest_step s, enum pitest_status st,
		     long ms);
	/* One line of output (cargo's, the Pi's); no trailing newline. */
	void (*line)(void *data, enum pitest_step s, const char *line);
	void *data;
};

struct pitest_opts {
	const struct target *target;	/* required */
	const char *host;		/* [USER@]HOST[:PORT]; NULL with emulate */
	const char *project_dir;	/* NULL: a temporary hello-world crate */
	/* Whose Cargo config applies to the temporary crate: cargo runs in
	 * this folder (NULL: the current one). Ignored with project_dir. */
	const char *config_dir;
	const char *bin;		/* project binary name; NULL: the only one */
	const char *cargo;		/* NULL: `cargo` from PATH */
	const char *rustc;		/* NULL: cargo's own; else RUSTC= */
	bool emulate;			/* run under qemu-user, not over SSH */
	bool keep;			/* keep the temporary folder (debug) */
	int timeout_s;			/* SSH connect/operations; 0: 10 s */
	int run_timeout_s;		/* the program's run; 0: 60 s */
	/* The board, when known without SSH (--board); the probe wins. */
	const struct board *board;
	struct remote_opts remote;	/* target is set from host */
	/* -v: cargo's and qemu's command lines on trace->err (the SSH
	 * steps follow remote.trace); NULL: none. */
	const struct ctx *trace;
	struct pitest_events ev;
	volatile sig_atomic_t *stop;	/* set to cancel (Ctrl-C) */
	/* A folder of pitest_builds_create() shared by the tests of one
	 * run on several Pis (NULL: none): the first test of a target
	 * builds and leaves the program there; the others of that target
	 * wait for it and reuse it (BUILD's detail says "reused"). */
	const char *shared_builds;
};

struct pitest_result {
	enum pitest_status status[PT_STEP_COUNT];
	long ms[PT_STEP_COUNT];
	enum pitest_step failed_step;	/* valid when cause != PTC_NONE */
	enum pitest_cause cause;
	char message[1024];	/* the tool's own message, one or more lines */
	char explain[1024];	/* what happened, in plain words */
	char fix[1024];		/* what to do, with exact commands */
	char binary[1024];	/* path of the built binary (if kept) */
	struct strbuf out;	/* the program's stdout */
	int exit_status;	/* the program's exit status, -1 when not run */
	bool emulated;		/* the run was under qemu-user */
	struct remote_probe probe;	/* what the Pi said (when connected) */
	bool probed;
	/* One line per step: what it did or found ("9.9 MB", "Raspberry
	 * Pi 4 Model B Rev 1.4, 32-bit OS, glibc 2.36"), "" when nothing. */
	char detail[PT_STEP_COUNT][256];
	/* The conclusion in one or two sentences (success or failure; says
	 * plainly when the run was emulated). */
	char verdict[512];
};

void pitest_opts_init(struct pitest_opts *o);
void pitest_result_init(struct pitest_result *r);
void pitest_result_release(struct pitest_result *r);

/* Run the test. Returns 0 when the program ran and exited 0, else -1 (or
 * a negative RPX_E*) with r->cause set. */
int pitest_run(const struct pitest_opts *o, struct pitest_result *r);

/* A new folder for pitest_opts.shared_builds (in TMPDIR), or NULL with
 * errno set; pitest_builds_remove() removes it and what it holds. */
char *pitest_builds_create(void);
void pitest_builds_remove(const char *dir);

const char *pitest_step_name(enum pitest_step s);	/* "build", ... */
const char *pitest_step_title(enum pitest_step s);	/* "Build", ... */
const char *pitest_cause_name(enum pitest_cause c);	/* "glibc-too-new" */

/*
 * The classifier behind every failure a tool explains in words: which
 * cause its own message names. step says whose message it is: PT_BUILD
 * (cargo's and rustc's stderr), PT_UPLOAD (the Pi's reason an upload
 * failed), PT_RUN (the program's stderr or the shell's exec error, with
 * status its exit status, or -1 when unknown). subject (may be NULL)
 * receives the thing the message names: the linker of "linker `x` not
 * found", the version of "GLIBC_2.34 not found". A pure function:
 * nothing runs, nothing prints. Returns PTC_NONE when the text names no
 * failure (and status is 0 or -1). remote's own failures are values:
 * pitest_classify_remote().
 */
enum pitest_cause pitest_classify(enum pitest_step step, const char *text,
				  int status, char *subject,
				  size_t subjectsz);

/*
 * The cause of a failure remote.h reported: code is r->err_code, text
 * r->err (only an upload's failure is read: the Pi's own reason in it,
 * as pitest_classify(PT_UPLOAD) reads it). step: PT_CONNECT (connect and
 * probe), PT_UPLOAD (the upload before the program started) or PT_RUN
 * (the connection while it ran). subject (may be NULL) receives
 * "changed" or "unknown" for a host key. PTC_NONE for REMOTE_ERR_NONE.
 */
enum pitest_cause pitest_classify_remote(enum pitest_step step,
					 enum remote_err code,
					 const char *text, char *subject,
					 size_t subjectsz);

#endif
