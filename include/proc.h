/*
 * proc.h - the one place rpi-cross runs child programs.
 *
 * posix_spawnp() with an argument vector, never a shell. The child runs in
 * its own process group so a timeout can kill it and everything it
 * started. stdin is /dev/null. stdout and stderr are captured into
 * strbufs (when capture is set) or passed through to ours.
 *
 * Calling sequence:
 *	struct proc p = PROC_INIT;
 *	const char *argv[] = { "rustc", "--print", "sysroot", NULL };
 *	p.argv = argv; p.timeout_ms = 5000; p.capture = true;
 *	r = proc_run(&p);      // 0 when it ran (see p.exited/p.code)
 *	... use p.out.buf, p.err.buf ...
 *	proc_release(&p);
 *
 * proc_run() opens and closes every pipe itself; no descriptor leaks into
 * the caller or stays open in the child beyond 0, 1 and 2.
 */
#ifndef RPX_PROC_H
#define RPX_PROC_H

#include <stdbool.h>
#include <sys/types.h>

#include "strbuf.h"

struct proc {
	/* in */
	const char *const *argv;	/* argv[0] is looked up on PATH */
	int timeout_ms;			/* 0: no limit */
	bool capture;			/* capture stdout and stderr */
	size_t max_capture;		/* per stream; 0: 16 MiB */
	/* out */
	bool exited;			/* ended by exit() (else by a signal) */
	int code;			/* exit code, or the signal number */
	bool timed_out;			/* killed because of timeout_ms */
	bool truncated;			/* output beyond max_capture dropped */
	struct strbuf out;
	struct strbuf err;
};

#define PROC_INIT { NULL, 0, false, 0, false, 0, false, false, \
		    STRBUF_INIT, STRBUF_INIT }

/*
 * Run and wait. Returns 0 when the program ran (whatever its status),
 * RPX_ENOTFOUND when it does not exist, RPX_ETIMEOUT when it was killed
 * for running too long (p->timed_out is set), RPX_EIO on a system error.
 */
int proc_run(struct proc *p);
/* True when the program ran and exited with status 0. */
bool proc_ok(const struct proc *p);
void proc_release(struct proc *p);

#endif
