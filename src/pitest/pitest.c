/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * pitest.c - the final test: build, check, upload, run, explain (see
 * pitest.h): the names, the result, and the order of the steps, each in
 * a file of its own (pitest_int.h names them). Runs programs only
 * through proc; talks to the Pi only through remote; never prints.
 */
#include "pitest.h"
#include "pitest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	"pkg-config-cross", "library-missing", "host-library", "header-missing",
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
	if (pt_prepare(&st) != 0 ||
	    (pt_stopped(&st) && pt_cancelled(&st, PT_BUILD)))
		goto out;
	if (pt_build(&st) != 0)
		goto out;
	if (pt_stopped(&st)) {
		pt_cancelled(&st, PT_CHECK);
		goto out;
	}
	if (o->emulate) {
		pt_step_begin(&st, PT_CHECK);
		if (pt_check_target(&st) != 0 || pt_check_board(&st) != 0)
			goto out;
		pt_step_end(&st, PT_CHECK, PT_OK);
		r->status[PT_CONNECT] = PT_SKIPPED;
		r->status[PT_UPLOAD] = PT_SKIPPED;
		ret = pt_emulate(&st);
		goto out;
	}
	/* A program that is wrong for the target is wrong on any Pi. */
	st.t0 = rpx_now_ms();
	if (pt_check_target(&st) != 0)
		goto out;
	if (pt_connect(&st) != 0)
		goto out;
	pt_step_begin(&st, PT_CHECK);
	if (pt_check_board(&st) != 0)
		goto out;
	pt_step_end(&st, PT_CHECK, PT_OK);
	if (pt_stopped(&st)) {
		pt_cancelled(&st, PT_UPLOAD);
		goto out;
	}
	ret = pt_upload_run(&st);
out:
	if (st.binary != NULL && (o->keep || st.tmpdir == NULL))
		snprintf(r->binary, sizeof(r->binary), "%s", st.binary);
	if (st.tmpdir != NULL && !o->keep)
		pt_rm_tree(st.tmpdir);
	else if (st.tmpdir != NULL)
		snprintf(r->detail[PT_PREPARE], sizeof(r->detail[0]),
			 "hello-world crate in %s (kept)", st.tmpdir);
	verdict(&st, ret);
	remote_release(&st.rem);
	strbuf_release(&st.errtext);
	free(st.tmpdir);
	free(st.sysroot);
	free(st.binary);
	return ret;
}
