/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * pitest_int.h - what the files of src/pitest/ share: the run's state
 * (struct pt) and the steps. Private to src/pitest/; pitest.h is the
 * contract.
 *
 * The files, from the bottom up (each uses only those above it):
 *	classify.c	a tool's message, or remote's code -> the cause
 *	explain.c	the cause -> explanation and fix (a table)
 *	step.c		a step's start, end, lines and failure
 *	build.c		PREPARE (the crate) and BUILD (cargo)
 *	check.c		CHECK: the ELF file against the target and board
 *	run_ssh.c	CONNECT, UPLOAD and RUN over SSH
 *	run_qemu.c	RUN under qemu-user
 *	pitest.c	names, the result, and the order of the steps
 */
#ifndef RPX_PITEST_INT_H
#define RPX_PITEST_INT_H

#include "elf.h"
#include "pitest.h"

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
	/* the sysroot the target's rustflags link against, or NULL, and
	 * its glibc ("" unknown) */
	char *sysroot;
	char sysroot_glibc[16];
};

/* ---- explain.c ---- */

/* The Debian -dev package that ships a C library or header name. */
const char *pt_dev_package(const char *name, char *buf, size_t bufsz);
/* Fill st->r->explain and st->r->fix for cause c. */
void pt_explain(struct pt *st, enum pitest_cause c);

/* ---- step.c ---- */

const char *pt_base_name(const char *path);
bool pt_stopped(const struct pt *st);
void pt_step_begin(struct pt *st, enum pitest_step s);
void pt_step_end(struct pt *st, enum pitest_step s,
		 enum pitest_status status);
void pt_emit_line(const struct pt *st, enum pitest_step s, const char *line);
/* The step's one line of detail (struct pitest_result). */
void pt_detail(struct pt *st, enum pitest_step s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Step s failed with cause c; message is the tool's own text. -1. */
int pt_fail(struct pt *st, enum pitest_step s, enum pitest_cause c,
	    const char *message);
/* Step s was stopped (Ctrl-C). -1. */
int pt_cancelled(struct pt *st, enum pitest_step s);

/* ---- build.c ---- */

int pt_prepare(struct pt *st);
int pt_build(struct pt *st);
/* Remove the temporary crate. */
void pt_rm_tree(const char *dir);

/* ---- check.c ---- */

/* What can be known without the Pi: is it a program for the target? */
int pt_check_target(struct pt *st);
/* Against the board: the probe's facts, else --board's. */
int pt_check_board(struct pt *st);
/* After a run through a sysroot: the hello-world's zlib line is there
 * (its version goes into RUN's detail); 0, or -1 having failed RUN. */
int pt_check_c_library(struct pt *st);

/* ---- run_ssh.c ---- */

int pt_connect(struct pt *st);
int pt_upload_run(struct pt *st);

/* ---- run_qemu.c ---- */

int pt_emulate(struct pt *st);

#endif
