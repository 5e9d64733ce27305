/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * run_ssh.c - CONNECT, UPLOAD and RUN over SSH (remote.h): the program's
 * output read from pipes by a helper thread while remote writes them.
 */
#include "pitest_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- CONNECT ----------------------------------------------------------- */

int
pt_connect(struct pt *st)
{
	struct remote_opts ro = st->o->remote;
	struct remote_probe *p = &st->r->probe;
	enum pitest_cause c;
	int rc;

	pt_step_begin(st, PT_CONNECT);
	ro.target = st->o->host;
	if (ro.timeout_s == 0)
		ro.timeout_s = st->o->timeout_s;
	st->rem.stop = st->o->stop;
	rc = remote_connect(&st->rem, &ro);
	if (rc == 0 && pt_stopped(st))
		return pt_cancelled(st, PT_CONNECT);
	if (rc == 0)
		rc = remote_probe(&st->rem, NULL, p);
	if (pt_stopped(st))
		return pt_cancelled(st, PT_CONNECT);
	if (rc != 0) {
		c = pitest_classify_remote(PT_CONNECT, st->rem.err_code,
					   st->rem.err, st->subject,
					   sizeof(st->subject));
		if (c == PTC_NONE)
			c = PTC_OTHER;
		return pt_fail(st, PT_CONNECT, c, st->rem.err);
	}
	st->r->probed = true;
	if (p->ident.board != NULL)
		st->board = p->ident.board;
	pt_detail(st, PT_CONNECT, "%s: %s, %d-bit OS%s%s, glibc %s",
		  st->rem.display, p->ident.model[0] ? p->ident.model :
		  st->board ? st->board->name : "unknown board", p->os_bits,
		  p->os_pretty[0] ? ", " : "", p->os_pretty,
		  p->glibc[0] ? p->glibc : "none");
	pt_step_end(st, PT_CONNECT, PT_OK);
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
		pt_emit_line(rd->st, PT_RUN, part->buf);
		memmove(part->buf, nl + 1, part->len - n - 1);
		part->len -= n + 1;
		part->buf[part->len] = '\0';
	}
	if (all && part->len > 0) {
		pt_emit_line(rd->st, PT_RUN, part->buf);
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
	pt_step_end(st, PT_UPLOAD, PT_OK);
	pt_step_begin(st, PT_RUN);
}

int
pt_upload_run(struct pt *st)
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
	pt_step_begin(st, PT_UPLOAD);
	if (remote_sha256_file(st->binary, hex, &st->binsize) != 0) {
		char *m = xasprintf("cannot read '%s': %s", st->binary,
				    strerror(errno));

		pt_fail(st, PT_UPLOAD, PTC_OTHER, m);
		free(m);
		goto out;
	}
	pt_detail(st, PT_UPLOAD, "%.1f MB to ~/.cache/rpi-cross/%.16s/%s",
		  st->binsize / 1e6, hex, pt_base_name(st->binary));
	if (pipe(po) != 0 || pipe(pe) != 0) {
		pt_fail(st, PT_UPLOAD, PTC_OTHER, strerror(errno));
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
		pt_fail(st, PT_UPLOAD, PTC_OTHER, "cannot start a thread");
		goto out;
	}
	thread = true;
	st->rem.on_start = on_program_start;
	st->rem.on_start_data = st;
	run_to = st->o->run_timeout_s > 0 ? st->o->run_timeout_s : 60;
	rc = remote_upload_run(&st->rem, st->binary, pt_base_name(st->binary),
			       hex, 0, NULL, po[1], pe[1], run_to, &status);
	st->rem.on_start = NULL;
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	pthread_join(th, NULL);
	thread = false;
	if (r->status[PT_RUN] != PT_RUNNING) {
		/* the program never started: the upload failed */
		if (rc == RPX_ECANCELED || pt_stopped(st)) {
			pt_cancelled(st, PT_UPLOAD);
			goto out;
		}
		c = pitest_classify_remote(PT_UPLOAD, st->rem.err_code,
					   st->rem.err, st->subject,
					   sizeof(st->subject));
		if (c == PTC_NONE)
			c = PTC_OTHER;
		pt_fail(st, PT_UPLOAD, c, st->rem.err[0] ? st->rem.err :
			"the upload failed");
		goto out;
	}
	r->exit_status = status;
	if (rc == RPX_ECANCELED || pt_stopped(st)) {
		pt_cancelled(st, PT_RUN);
		goto out;
	}
	if (rc == RPX_ETIMEOUT) {
		pt_fail(st, PT_RUN, PTC_RUN_FAILED, st->rem.err);
		snprintf(r->explain, sizeof(r->explain),
			 "The program ran longer than %d s and was stopped.",
			 run_to);
		goto out;
	}
	if (rc != 0) {
		c = pitest_classify_remote(PT_RUN, st->rem.err_code,
					   st->rem.err, NULL, 0);
		pt_fail(st, PT_RUN, c == PTC_NONE ? PTC_OTHER : c, st->rem.err);
		goto out;
	}
	if (status != 0) {
		c = pitest_classify(PT_RUN, st->errtext.buf, status,
				    st->subject, sizeof(st->subject));
		if (c == PTC_NONE)
			c = PTC_RUN_FAILED;
		if (st->errtext.len == 0)
			strbuf_addf(&st->errtext, "exit status %d", status);
		pt_fail(st, PT_RUN, c, st->errtext.buf);
		goto out;
	}
	pt_detail(st, PT_RUN, "exit status 0 on %s", st->rem.display);
	if (pt_check_c_library(st) != 0)
		goto out;
	pt_step_end(st, PT_RUN, PT_OK);
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
