/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * run_qemu.c - RUN under qemu-user (--emulate): through binfmt, else
 * qemu-arm or qemu-aarch64 from PATH, with the cross C library as the
 * loader's prefix.
 */
#include "pitest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"

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
	pt_emit_line(st, PT_RUN, line);
}

int
pt_emulate(struct pt *st)
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

	pt_step_begin(st, PT_RUN);
	r->emulated = true;
	if (user_prefix != NULL && user_prefix[0] != '\0')
		sysroot = user_prefix;
	else if (st->sysroot != NULL)	/* the Pi's libraries, linked */
		sysroot = st->sysroot;
	if (!binfmt_enabled(qname)) {
		sname = xasprintf("%s-static", qname);
		qemu = rpx_which(sname);
		if (qemu == NULL)
			qemu = rpx_which(qname);
		if (qemu == NULL) {
			char *m = xasprintf("no binfmt handler '%s' and neither "
					    "%s nor %s on PATH", qname, sname,
					    qname);

			pt_fail(st, PT_RUN, PTC_NO_QEMU, m);
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

			pt_fail(st, PT_RUN, PTC_NO_LOADER, m);
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
	p.trace = st->o->trace;
	rc = proc_run(&p);
	if (rc == RPX_ECANCELED || pt_stopped(st)) {
		pt_cancelled(st, PT_RUN);
		goto out;
	}
	if (rc == RPX_ETIMEOUT) {
		pt_fail(st, PT_RUN, PTC_RUN_FAILED, p.why);
		snprintf(r->explain, sizeof(r->explain),
			 "The program ran longer than %d s under qemu and was "
			 "stopped.", run_to);
		goto out;
	}
	if (rc != 0) {
		pt_fail(st, PT_RUN, rc == RPX_ENOTFOUND ? PTC_NO_QEMU :
			PTC_OTHER,
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
		pt_fail(st, PT_RUN, c, st->errtext.buf);
		goto out;
	}
	pt_detail(st, PT_RUN, "exit status 0 under %s%s%s", qemu ? qemu :
		  "binfmt (qemu-user)", st->elf.is_static ? "" :
		  ", libraries from ", st->elf.is_static ? "" : sysroot);
	if (pt_check_c_library(st) != 0)
		goto out;
	pt_step_end(st, PT_RUN, PT_OK);
	ret = 0;
out:
	proc_release(&p);
	free(qemu);
	free(sname);
	free(envs);
	free(loader);
	return ret;
}
