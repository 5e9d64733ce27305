/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * proc.h - the one place rpi-cross runs child programs.
 *
 * posix_spawn() with an argument vector, never a shell. argv[0] is looked
 * up on the child's PATH (p->env's PATH when it sets one, else ours)
 * before anything is spawned, so a missing program is always RPX_ENOTFOUND. The child runs in
 * its own process group so a timeout (or a cancel flag) can kill it and
 * everything it started. stdin is /dev/null. stdout and stderr are:
 *  - captured into p->out / p->err when capture is set (up to max_capture
 *    bytes each; the rest is dropped and truncated is set),
 *  - delivered line by line to on_line when it is set (a line ends at '\n'
 *    or '\r', which are not passed; an unterminated last line is passed at
 *    end of file), which streams progress such as `rustup target add` or
 *    `cargo build` output to a caller that shows it live,
 *  - both, when both are set,
 *  - otherwise inherited: the child writes to our stdout and stderr.
 *
 * Calling sequence:
 *	struct proc p = PROC_INIT;
 *	const char *argv[] = { "rustc", "--print", "sysroot", NULL };
 *	p.argv = argv; p.timeout_ms = 5000; p.capture = true;
 *	r = proc_run(&p);      // 0 when it ran (see p.exited/p.code)
 *	if (r != 0 || !proc_ok(&p)) puts(p.why);
 *	... use p.out.buf, p.err.buf ...
 *	proc_release(&p);
 *
 * Descriptors: proc_run() creates and closes every pipe itself. Its pipes
 * are close-on-exec from the moment they exist (pipe2() on Linux,
 * POSIX_SPAWN_CLOEXEC_DEFAULT on macOS), so concurrent proc_run() calls
 * from several threads never leak one child's pipe into another child.
 * Descriptors the caller opened without FD_CLOEXEC are inherited, as with
 * any spawn; the caller owns them.
 *
 * Threads: proc_run() is safe to call from several threads at once, each
 * with its own struct proc, as long as no thread changes the environment
 * (setenv) meanwhile. on_line runs on the calling thread.
 *
 * Grandchildren: without a timeout, proc_run() waits until every process
 * holding the output pipes has closed them (like the shell's `$(...)`).
 */
#ifndef RPX_PROC_H
#define RPX_PROC_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "rpx.h"
#include "strbuf.h"

enum proc_stream { PROC_STDOUT = 1, PROC_STDERR = 2 };

/* One line of output (without its terminator; line[len] is '\0'). */
typedef void proc_line_fn(void *arg, enum proc_stream stream,
			  const char *line, size_t len);
/* Output bytes as they come (pty mode: what the terminal would show). */
typedef void proc_data_fn(void *arg, const char *buf, size_t len);

struct proc {
	/* in */
	const char *const *argv;	/* argv[0] is looked up on PATH */
	int timeout_ms;			/* 0: no limit */
	bool capture;			/* capture stdout and stderr */
	size_t max_capture;		/* per stream; 0: 16 MiB */
	const char *cwd;		/* child's working folder; NULL: ours */
	/*
	 * Changes to our environment for the child, NULL-ended, or NULL:
	 * "NAME=value" sets, a bare "NAME" removes.
	 */
	const char *const *env;
	proc_line_fn *on_line;		/* streamed lines, or NULL */
	void *cb_arg;			/* passed to on_line */
	/* When not NULL and it becomes non-zero, the child's group is
	 * killed and proc_run() returns RPX_ECANCELED. */
	const volatile sig_atomic_t *cancel;
	/*
	 * pty: stdout and stderr are one pseudo-terminal of pty_cols x
	 * pty_rows (0: 80x24), so isatty() is true in the child and it draws
	 * its progress bar as on a terminal (`rustup target add`). The child
	 * runs in a session of its own (no controlling terminal: it cannot
	 * reach ours through /dev/tty). What it writes is one stream,
	 * PROC_STDOUT: captured into p->out, split into lines for on_line,
	 * and given raw (with its '\r' and escape sequences) to on_data.
	 * POSIX posix_openpt(), no -lutil: the same on Linux and macOS.
	 */
	bool pty;
	unsigned short pty_cols, pty_rows;
	proc_data_fn *on_data;		/* raw output, or NULL (any mode) */
	/* With trace->verbose >= 1, the command line ("rpi-cross: run: cd
	 * DIR && NAME=value PROG ARG...", as a shell would take it) goes to
	 * trace->err before the program starts; NULL: nothing. */
	const struct ctx *trace;
	/* out */
	bool exited;			/* ended by exit() (else by a signal) */
	int code;			/* exit code, or the signal number */
	bool timed_out;			/* killed because of timeout_ms */
	bool truncated;			/* output beyond max_capture dropped */
	long long elapsed_ms;		/* wall time from spawn to reaping */
	struct strbuf out;
	struct strbuf err;
	/* Why it did not succeed, one lowercase line naming the program
	 * ("'rustc' exited with status 1"); "" after a success. */
	char why[256];
};

#define PROC_INIT { .argv = NULL, .out = STRBUF_INIT, .err = STRBUF_INIT }

/*
 * Run and wait. Returns 0 when the program ran (whatever its status),
 * RPX_ENOTFOUND when it does not exist or cannot be executed,
 * RPX_ETIMEOUT when it was killed for running too long (p->timed_out is
 * set), RPX_ECANCELED when *p->cancel became non-zero,
 * RPX_EUNSUPPORTED when cwd is set on a system that cannot spawn in
 * another folder, RPX_EINVAL without argv, RPX_EIO on a system error.
 * p->why describes every outcome but success. Output captured before a
 * timeout or cancel is kept. Calling proc_run() again on the same struct
 * resets the results and the captured output.
 */
int proc_run(struct proc *p);
/* True when the program ran and exited with status 0. */
bool proc_ok(const struct proc *p);
void proc_release(struct proc *p);

#endif
