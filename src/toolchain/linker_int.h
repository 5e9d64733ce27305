/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * linker_int.h - what the files of the linker module share (private: only
 * src/toolchain/linker*.c and the unit test include it). The files, from
 * the bottom up:
 *
 *	linker_tools.c	how clang and zig name the target; zig's linker
 *			script (the wrapper that makes `zig cc` one program)
 *	linker_link.c	string vectors, the probe folders, process slots,
 *			one probe link run and judged (link_and_check)
 *	linker_advice.c	ranking, install hints, advice texts, the ELF in
 *			words
 *	linker_record.c	compile once, link many: the recorder and the
 *			replay of its command for each candidate
 *	linker_find.c	the candidates on PATH, in the usual folders and in
 *			the toolchains' sysroots; each one's rustflags
 *	linker_probe.c	the probes: one thread per candidate (rustc's or the
 *			C probe), then the ranking
 *	linker.c	the public entry points (linker.h)
 *
 * Each file calls only files listed above it.
 */
#ifndef RPX_LINKER_INT_H
#define RPX_LINKER_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include "linker.h"
#include "proc.h"
#include "rustflags.h"
#include "strvec.h"

#define DEFAULT_TIMEOUT_MS 60000
#define VERSION_TIMEOUT_MS 5000

/* The glibc version zig's stubs are made for (see linker_zig_target()). */
#define ZIG_GLIBC "2.17"

/* The programs a probe builds. */
extern const char linker_hello_rs[];
extern const char linker_hello_c[];

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
	const char *flavor;	/* linker_flavor_class(): "cc", "ld",
				 * "rust-lld" */
	bool own_slot;		/* it holds a slot it was handed */
};

/* ---- linker_tools.c ---- */

/* clang's --target for t: "armv7-linux-gnueabihf", "aarch64-linux-gnu". */
char *linker_clang_triple(const struct target *t);
/* zig's -target and -mcpu (NULL: its default) for t. */
char *linker_zig_target(const struct target *t);
const char *linker_zig_cpu(const struct target *t);
/* The shell text of the wrapper that runs `zig cc` for t. */
char *linker_zig_wrapper_text(const struct target *t, const char *zig);
/* Where that wrapper lives for zig at path zig; NULL without HOME. */
char *linker_zig_wrapper_path(const struct target *t, const char *zig);
/* Write the wrapper when missing or different: 0 or RPX_E*, why filled. */
int linker_zig_wrapper_write(const char *path, const char *text, char *why,
			     size_t whysz);

/* ---- linker_link.c ---- */

/* Remove a probe folder and all it holds. */
void linker_remove_tree(const char *dir);
/* Write a new file with mode, close-on-exec. 0 or RPX_EIO. */
int linker_write_file(const char *path, const char *text, mode_t mode);
/* The line of a failed link's output that says why, or NULL. */
char *linker_failure_line(const char *text);
/* The program a probe (and Cargo) runs: zig's wrapper, else the linker. */
const char *linker_program(const struct linker *l);
/* l does not work, and why. */
void linker_probe_fail(struct linker *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A process slot for priority prio (true), or none after waiting. */
bool linker_slot_take(struct probe_run *run, int prio);
/* Give back a slot that was taken (taken false: nothing). */
void linker_slot_give(struct probe_run *run, bool taken);
/* proc_run() inside a process slot. */
int linker_run_slotted(struct job *j, struct proc *p);
/* Run the link argv (environment env) that writes out; judge it. */
void linker_link_and_check(struct job *j, const char *const *argv,
			   const char *const *env, const char *out);

/* ---- linker_advice.c ---- */

/* Sort the candidates (working first, ...) and set rank, recommended. */
void linker_rank(struct linker_scan *s);

/* ---- linker_record.c ---- */

/* "cc", "ld" or "rust-lld": the command class rustc picks from a name. */
const char *linker_flavor_class(const char *path);
/* The command rustc gives an ld-like linker, from a cc-like one's. */
const char **linker_ld_args_from_cc(const char *const *cc, bool rust_lld,
				    char **buf);
/* The recorder's NUL-separated output into rc->env and rc->args. */
bool linker_parse_recording(const char *buf, size_t len,
			    struct recording *rc);
/* The recording's folder, source and recorder script. */
void linker_record_prepare(struct recording *rc);
/* rustc compiles the probe with the recorder as its linker. */
void linker_record(struct probe_run *run, struct recording *rc, int prio);
/* A thread running linker_record() for the job's recording. */
void *linker_record_thread(void *arg);
/* Link with j's linker the way rustc linked with the recorder. */
void linker_replay(struct job *j, const char *dir, const struct recording *rc,
		   const struct strvec *largs);

/* ---- linker_find.c ---- */

/* Every candidate for s->target, each with its rustflags and advice. */
void linker_find_all(const struct linker_opts *o, struct linker_scan *s);
/* The one candidate a name or path gives (s->n == 0: not found). */
void linker_find_named(const char *linker, const struct linker_opts *o,
		       struct linker_scan *s);

/* ---- linker_probe.c ---- */

/* The probe for the scan: rustc's when the std is there, else C's. */
void linker_choose_probe(const struct target *t,
			 const struct linker_opts *o, struct linker_scan *s);
/* Probe every candidate (when o->probe) in parallel, then rank them. */
void linker_probe_all(const struct linker_opts *o, struct linker_scan *s);

#endif
