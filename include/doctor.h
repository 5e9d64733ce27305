/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * doctor.h - the troubleshooting checks behind `rpi-cross doctor`.
 *
 * A check is one entry in a table: an id (stable, for --json), a title,
 * optionally the id of an earlier check it needs, and a function that
 * fills a struct doctor_result: pass, warn, fail or skip, a one-line
 * message and, unless it passed, a one-line fix. Adding a check is adding
 * one entry to the table in doctor.c. An entry whose function is NULL is a
 * check that is not in this version yet: it is reported as a skip that
 * says so, so the report always lists the whole chain.
 *
 * doctor_run() runs independent checks concurrently on a few threads and
 * fills results[i] for checks[i], so the report order is the table order
 * whatever order they finish in. A check whose needed check failed or was
 * skipped is skipped with a message naming it.
 *
 * Check functions run on worker threads: they may only read the input,
 * write their own result, and call thread-safe code (proc_run, stat, ...).
 * Nothing here draws or reads the terminal; the report writers print to a
 * FILE the caller gives.
 */
#ifndef RPX_DOCTOR_H
#define RPX_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "board.h"
#include "remote.h"
#include "target.h"

/* More threads than this are never started. */
#define DOCTOR_MAX_THREADS 8

enum doctor_status { DOCTOR_PASS, DOCTOR_WARN, DOCTOR_FAIL, DOCTOR_SKIP };

/*
 * The one SSH connection the host checks share (host-reachable, host-key,
 * host-auth, host-glibc, host-space, host-board): the first check that
 * needs it connects, the others wait for and read that result, and the
 * board probe runs once. A mutex inside makes it safe from any worker
 * thread. An unknown host key is never trusted, whatever the options say:
 * it is reported with its fingerprint.
 */
struct doctor_host;

/*
 * A connection to o->target (copied; its callbacks are kept except the
 * host-key question, which is always answered "no"). Nothing is done
 * until a check asks. Free with doctor_host_free().
 */
struct doctor_host *doctor_host_new(const struct remote_opts *o);
void doctor_host_free(struct doctor_host *h);

/* How connecting went, as the host checks tell it apart. */
enum doctor_host_stage {
	DOCTOR_HOST_OK,			/* connected and logged in */
	DOCTOR_HOST_BAD_TARGET,		/* the host string does not parse */
	DOCTOR_HOST_UNREACHABLE,	/* no TCP connection or no SSH server */
	DOCTOR_HOST_TIMEOUT,		/* no answer in time */
	DOCTOR_HOST_KEY_UNKNOWN,	/* the key is not in known_hosts */
	DOCTOR_HOST_KEY_CHANGED,	/* known_hosts has another key */
	DOCTOR_HOST_KEY_ERROR,		/* the key could not be checked */
	DOCTOR_HOST_AUTH,		/* login refused */
};

/*
 * Classify remote_connect()'s result: rc, what failed (r->err_code) and
 * whether the host-key question was asked (the key was unknown).
 */
enum doctor_host_stage doctor_host_classify(int rc, enum remote_err code,
					    bool key_unknown);

/* What the checks look at; NULL members mean "not given". */
struct doctor_input {
	const struct target *target;	/* --target */
	const struct board *board;	/* --board */
	const char *project_dir;	/* --project; NULL: the current folder */
	const char *host;		/* --host or RPI_CROSS_HOST */
	void *opaque;			/* for checks a caller supplies */
	struct doctor_host *conn;	/* the host checks' connection; NULL:
					 * the host checks are skipped */
	const struct ctx *trace;	/* -v: the programs the checks run */
};

struct doctor_result {
	enum doctor_status status;
	char message[512];	/* one line */
	char fix[512];		/* one line, "" when there is nothing to do */
	long ms;		/* how long the check took */
};

struct doctor_check {
	const char *id;		/* "rust", "std", ... */
	const char *title;	/* "Rust toolchain" */
	const char *needs;	/* id of an earlier check that must not fail
				 * or be skipped, or NULL */
	/* Fill r; NULL: not available in this version yet. */
	void (*run)(const struct doctor_input *in, struct doctor_result *r);
};

/* The built-in checks, in report order; *n receives the count. */
const struct doctor_check *doctor_checks(size_t *n);

/*
 * Run n checks on at most max_threads threads (clamped to 1 ..
 * DOCTOR_MAX_THREADS; the calling thread is one of them, so the checks
 * run even when no thread can be created). results must hold n entries.
 * A needs naming no earlier check is ignored. Returns the number of
 * checks that failed.
 */
int doctor_run(const struct doctor_check *checks, size_t n,
	       const struct doctor_input *in, int max_threads,
	       struct doctor_result *results);

/* Set a result: status, fix (NULL for none) and a printf-style message. */
void doctor_set(struct doctor_result *r, enum doctor_status status,
		const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

const char *doctor_status_name(enum doctor_status s);	/* "pass", ... */

/*
 * The Pi target the Cargo config's effective build.target names for a
 * build in project_dir (NULL: the current folder), or NULL; *origin gets
 * where it is set (malloc'd) when one is returned.
 */
const struct target *doctor_config_target(const char *project_dir,
					  char **origin);

/*
 * Helpers of the checks, pure, exposed for their tests.
 *
 * doctor_glibc_verdict: how a Pi's glibc (NULL or "": none found) fits
 * binaries linked by a toolchain whose glibc is tc_glibc, for target t
 * (NULL: not known, so gnu is assumed but not failed); fills a one-line
 * message and fix.
 *
 * doctor_space_verdict: free space in KiB (-1: unknown) on the Pi.
 */
enum doctor_status doctor_glibc_verdict(const char *pi_glibc,
					const char *tc_glibc,
					const struct target *t, char *msg,
					size_t msgsz, char *fix, size_t fixsz);
enum doctor_status doctor_space_verdict(long long free_kb, const char *home,
					char *msg, size_t msgsz, char *fix,
					size_t fixsz);

struct doctor_summary {
	int pass, warn, fail, skip;
};
void doctor_summarize(const struct doctor_result *results, size_t n,
		      struct doctor_summary *sum);

/* True when the locale's character set is UTF-8 (for the ✓ ! ✗ marks). */
bool doctor_locale_utf8(void);

/*
 * The report as text: one line per check with its mark (✓ ! ✗ - in a
 * UTF-8 locale, + ! x - otherwise), title and message, a "fix:" line under
 * each warning and failure, then the summary line. Consecutive skipped
 * checks with the same message (the host checks without a host) share one
 * line, "- N checks: message", with their titles on the next. color adds
 * ANSI colours to the marks.
 */
void doctor_print_text(FILE *f, const struct doctor_check *checks,
		       const struct doctor_result *results, size_t n,
		       bool utf8, bool color);
/*
 * The report as one JSON document:
 * {"checks":[{"id","title","status","message","fix","ms"}],
 *  "summary":{"pass","warn","fail","skip","ok"}}; fix is null when empty.
 */
void doctor_print_json(FILE *f, const struct doctor_check *checks,
		       const struct doctor_result *results, size_t n);

#endif
