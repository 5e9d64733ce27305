/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * proc_test.c - the proc module on real /bin/sh children: exit codes,
 * signals, timeouts that take grandchildren with them, huge output,
 * streamed lines, environment and folder, cancel, missing programs and
 * descriptors (none leaks into the parent or into concurrent children).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "rpx.h"

static int
sh(struct proc *p, const char *script)
{
	static const char *argv_tmpl[] = { "/bin/sh", "-c", NULL, NULL };
	const char **argv = xcalloc(4, sizeof(*argv));
	int r;

	memcpy(argv, argv_tmpl, sizeof(argv_tmpl));
	argv[2] = script;
	p->argv = argv;
	r = proc_run(p);
	free(argv);
	p->argv = NULL;
	return r;
}

static int
open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 256; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			n++;
	return n;
}

static void
test_exit_codes(void **state)
{
	struct proc p = PROC_INIT;

	(void)state;
	p.capture = true;
	assert_int_equal(sh(&p, "echo out; echo err >&2; exit 3"), 0);
	assert_true(p.exited);
	assert_int_equal(p.code, 3);
	assert_false(proc_ok(&p));
	assert_string_equal(p.out.buf, "out\n");
	assert_string_equal(p.err.buf, "err\n");
	assert_non_null(strstr(p.why, "'sh' exited with status 3"));
	assert_int_equal(sh(&p, "exit 0"), 0);
	assert_true(proc_ok(&p));
	assert_string_equal(p.why, "");
	assert_int_equal(p.out.len, 0);	/* reset between runs */
	proc_release(&p);
}

static void
test_signal(void **state)
{
	struct proc p = PROC_INIT;

	(void)state;
	p.capture = true;
	assert_int_equal(sh(&p, "kill -TERM $$; sleep 5"), 0);
	assert_false(p.exited);
	assert_int_equal(p.code, SIGTERM);
	assert_false(proc_ok(&p));
	assert_non_null(strstr(p.why, "killed by signal 15"));
	proc_release(&p);
}

static void
test_timeout_kills_grandchildren(void **state)
{
	struct proc p = PROC_INIT;
	long gpid;
	int gone = 0;

	(void)state;
	p.capture = true;
	p.timeout_ms = 300;
	/* the grandchild keeps the pipe open: only the group kill ends it */
	assert_int_equal(sh(&p, "sleep 30 & echo $!; wait"), RPX_ETIMEOUT);
	assert_true(p.timed_out);
	assert_false(proc_ok(&p));
	assert_true(p.elapsed_ms >= 300 && p.elapsed_ms < 3000);
	assert_non_null(strstr(p.why, "did not finish within 0.3 s"));
	gpid = strtol(p.out.buf, NULL, 10);
	assert_true(gpid > 1);
	for (int i = 0; i < 200 && !gone; i++) {
		struct timespec ts = { 0, 10 * 1000000 };

		gone = kill((pid_t)gpid, 0) != 0 && errno == ESRCH;
		if (!gone)
			nanosleep(&ts, NULL);
	}
	assert_true(gone);
	proc_release(&p);
}

static void
test_timeout_without_capture(void **state)
{
	struct proc p = PROC_INIT;
	const char *argv[] = { "sleep", "10", NULL };

	(void)state;
	p.argv = argv;
	p.timeout_ms = 200;
	assert_int_equal(proc_run(&p), RPX_ETIMEOUT);
	assert_true(p.elapsed_ms < 3000);
	proc_release(&p);
}

static void
test_huge_output(void **state)
{
	struct proc p = PROC_INIT;

	(void)state;
	p.capture = true;
	/* both streams at once: a runner reading one at a time deadlocks */
	assert_int_equal(sh(&p, "head -c 3000000 /dev/zero >&2 & "
			    "head -c 5000000 /dev/zero; wait"), 0);
	assert_true(proc_ok(&p));
	assert_int_equal(p.out.len, 5000000);
	assert_int_equal(p.err.len, 3000000);
	assert_false(p.truncated);
	p.max_capture = 1000;
	assert_int_equal(sh(&p, "head -c 5000000 /dev/zero"), 0);
	assert_true(proc_ok(&p));	/* it was drained to the end */
	assert_int_equal(p.out.len, 1000);
	assert_true(p.truncated);
	proc_release(&p);
}

static void
test_missing_program(void **state)
{
	struct proc p = PROC_INIT;
	const char *argv[] = { "rpx-no-such-program-xyz", NULL };
	const char *argv2[] = { "/nonexistent/bin/tool", NULL };
	int before = open_fds();

	(void)state;
	p.argv = argv;
	p.capture = true;
	assert_int_equal(proc_run(&p), RPX_ENOTFOUND);
	assert_string_equal(p.why, "cannot run 'rpx-no-such-program-xyz': "
			    "no such program on PATH");
	p.argv = argv2;
	assert_int_equal(proc_run(&p), RPX_ENOTFOUND);
	assert_non_null(strstr(p.why, "no such file"));
	assert_int_equal(open_fds(), before);
	p.argv = NULL;
	assert_int_equal(proc_run(&p), RPX_EINVAL);
	proc_release(&p);
}

struct lines {
	struct strbuf all;
	int n;
	long long first_at;
	const char *stop_after;		/* set the cancel flag on this line */
	volatile sig_atomic_t flag;
};

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
on_line(void *arg, enum proc_stream s, const char *line, size_t len)
{
	struct lines *l = arg;

	assert_int_equal(strlen(line), len);
	if (l->n++ == 0)
		l->first_at = mono_ms();
	strbuf_addf(&l->all, "%c:%s|", s == PROC_STDOUT ? 'o' : 'e', line);
	if (l->stop_after != NULL && strcmp(line, l->stop_after) == 0)
		l->flag = 1;
}

static void
test_streamed_lines(void **state)
{
	struct proc p = PROC_INIT;
	struct lines l = { STRBUF_INIT, 0, 0, NULL, 0 };
	long long start;

	(void)state;
	p.on_line = on_line;
	p.cb_arg = &l;
	assert_int_equal(sh(&p, "printf 'a\\nb\\r\\nc\\rd'; echo E >&2"), 0);
	assert_true(proc_ok(&p));
	assert_int_equal(l.n, 5);
	assert_non_null(strstr(l.all.buf, "o:a|o:b|o:c|"));
	assert_non_null(strstr(l.all.buf, "o:d|"));
	assert_non_null(strstr(l.all.buf, "e:E|"));
	assert_int_equal(p.out.len, 0);	/* streamed, not captured */

	/* lines arrive while the child still runs */
	strbuf_reset(&l.all);
	l.n = 0;
	p.capture = true;
	start = mono_ms();
	assert_int_equal(sh(&p, "echo first; sleep 0.4; echo second"), 0);
	assert_int_equal(l.n, 2);
	assert_true(l.first_at - start < 300);
	assert_true(p.elapsed_ms >= 400);
	assert_string_equal(p.out.buf, "first\nsecond\n");	/* and captured */
	strbuf_release(&l.all);
	proc_release(&p);
}

static void
test_cancel(void **state)
{
	struct proc p = PROC_INIT;
	struct lines l = { STRBUF_INIT, 0, 0, "go", 0 };

	(void)state;
	p.on_line = on_line;
	p.cb_arg = &l;
	p.cancel = &l.flag;
	assert_int_equal(sh(&p, "echo go; sleep 20; echo never"), RPX_ECANCELED);
	assert_true(p.elapsed_ms < 3000);
	assert_null(strstr(l.all.buf, "never"));
	assert_non_null(strstr(p.why, "cancelled"));
	strbuf_release(&l.all);
	proc_release(&p);
}

static void
test_env_and_cwd(void **state)
{
	struct proc p = PROC_INIT;
	const char *env[] = { "RPX_T_FOO=bar baz", "HOME", "PATH=/usr/bin:/bin",
			      NULL };

	(void)state;
	p.capture = true;
	p.env = env;
	p.cwd = "/";
	assert_int_equal(sh(&p, "echo \"$RPX_T_FOO:${HOME-unset}:$PATH\"; pwd"),
			 0);
	assert_string_equal(p.out.buf, "bar baz:unset:/usr/bin:/bin\n/\n");
	assert_non_null(getenv("PATH"));	/* ours untouched */
	/* the program is looked up on the child's PATH */
	{
		const char *env2[] = { "PATH=/nonexistent-rpx", NULL };
		const char *argv[] = { "sh", "-c", "true", NULL };

		p.env = env2;
		p.cwd = NULL;
		p.argv = argv;
		assert_int_equal(proc_run(&p), RPX_ENOTFOUND);
		assert_non_null(strstr(p.why, "no such program on PATH"));
		env2[0] = "PATH=/nonexistent-rpx:/bin";
		assert_int_equal(proc_run(&p), 0);
		assert_true(proc_ok(&p));
		p.env = env;
	}
	p.cwd = "/nonexistent-folder-rpx";
	assert_int_equal(sh(&p, "true"), RPX_ENOTFOUND);
	assert_non_null(strstr(p.why, "no such folder"));
	proc_release(&p);
}

/* The child reports which of its descriptors 3..19 are open. */
#define FD_SCRIPT "for f in 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do " \
	"if (: <&$f) 2>/dev/null; then printf '%s ' $f; fi; done; sleep 0.2"

static void *
fd_worker(void *arg)
{
	struct proc *p = arg;

	p->capture = true;
	sh(p, FD_SCRIPT);
	return NULL;
}

static void
test_no_fd_leak(void **state)
{
	struct proc p[6] = { PROC_INIT, PROC_INIT, PROC_INIT, PROC_INIT,
			     PROC_INIT, PROC_INIT };
	pthread_t th[6];
	int before = open_fds();

	(void)state;
	for (int i = 0; i < 6; i++)
		assert_int_equal(pthread_create(&th[i], NULL, fd_worker, &p[i]), 0);
	for (int i = 0; i < 6; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 6; i++) {
		assert_true(proc_ok(&p[i]));
		/* no pipe of a concurrent run leaked into this child */
		assert_string_equal(p[i].out.buf, "");
		proc_release(&p[i]);
	}
	assert_int_equal(open_fds(), before);
}

static void
collect(void *arg, const char *buf, size_t len)
{
	strbuf_add(arg, buf, len);
}

/* pty mode: the child sees a terminal of the size asked on stdout and
 * stderr (not stdin), has no controlling terminal (its own session), and
 * its '\r' progress reaches on_data as written. */
static void
test_pty(void **state)
{
	struct proc p = PROC_INIT;
	struct strbuf raw = STRBUF_INIT;
	int before = open_fds();

	(void)state;
	p.pty = true;
	p.pty_cols = 77;
	p.pty_rows = 9;
	p.capture = true;
	p.on_data = collect;
	p.cb_arg = &raw;
	assert_int_equal(sh(&p,
		"[ -t 1 ] && echo out-tty; [ -t 2 ] && echo err-tty >&2; "
		"[ -t 0 ] || echo in-not-tty; stty size <&1; "
		"(exec 3</dev/tty) 2>/dev/null || echo no-ctty; "
		"printf '10%%\\r50%%\\r100%%\\n'; exit 3"), 0);
	assert_true(p.exited);
	assert_int_equal(p.code, 3);
	assert_non_null(strstr(p.out.buf, "out-tty\r\n"));
	assert_non_null(strstr(p.out.buf, "err-tty\r\n"));
	assert_non_null(strstr(p.out.buf, "in-not-tty"));
	assert_non_null(strstr(p.out.buf, "9 77"));
	assert_non_null(strstr(p.out.buf, "no-ctty"));
	assert_non_null(strstr(raw.buf, "10%\r50%\r100%\r\n"));
	assert_string_equal(p.err.buf, "");
	strbuf_release(&raw);
	proc_release(&p);
	/* the master and the slave are closed */
	assert_int_equal(open_fds(), before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_timeout_kills_grandchildren),
		cmocka_unit_test(test_timeout_without_capture),
		cmocka_unit_test(test_huge_output),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_streamed_lines),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_env_and_cwd),
		cmocka_unit_test(test_no_fd_leak),
		cmocka_unit_test(test_pty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
