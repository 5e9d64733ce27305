/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* proc.c - run child programs without a shell (see proc.h). */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE	/* pipe2(), ptsname_r(), POSIX_SPAWN_SETSID */
#endif
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "rpx.h"

extern char **environ;

/* A line longer than this is passed to on_line in pieces. */
#define LINE_MAX_BYTES 65536

#if defined(__APPLE__) || (defined(__GLIBC__) && \
	(__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 29))) || \
	(defined(__FreeBSD__) && __FreeBSD__ >= 14)
#define HAVE_ADDCHDIR_NP 1
#endif

struct pstream {
	int fd;				/* read end, -1 once closed */
	enum proc_stream which;
	struct strbuf *cap;		/* p->out or p->err */
	struct strbuf line;		/* partial line for on_line */
	bool last_cr;			/* previous byte ended a line with \r */
};


static const char *
prog_name(const struct proc *p)
{
	const char *s = strrchr(p->argv[0], '/');

	return s != NULL ? s + 1 : p->argv[0];
}

static int
pipe_cloexec(int fds[2])
{
#if defined(__linux__)
	return pipe2(fds, O_CLOEXEC);
#else
	if (pipe(fds) != 0)
		return -1;
	(void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
#endif
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Does environment entry e ("NAME=value") have the name of change c? */
static bool
same_name(const char *e, const char *c)
{
	size_t n = strcspn(c, "=");

	return strncmp(e, c, n) == 0 && e[n] == '=';
}

/* environ with p->env applied; the strings are borrowed, the array not. */
static char **
build_env(const char *const *changes)
{
	size_t n = 0, m = 0, k = 0;
	char **envp;

	while (environ[n] != NULL)
		n++;
	while (changes[m] != NULL)
		m++;
	envp = xcalloc(n + m + 1, sizeof(*envp));
	for (size_t i = 0; i < n; i++) {
		bool changed = false;

		for (size_t j = 0; j < m && !changed; j++)
			changed = same_name(environ[i], changes[j]);
		if (!changed)
			envp[k++] = environ[i];
	}
	for (size_t j = 0; j < m; j++)
		if (strchr(changes[j], '=') != NULL)
			envp[k++] = (char *)changes[j];
	envp[k] = NULL;
	return envp;
}

/*
 * argv[0] as a path: itself when it has a '/', else the first executable
 * of that name on the child's PATH (p->env's when it sets one). NULL when
 * there is none. Looking it up here, rather than trusting posix_spawnp() to
 * fail, gives the same answer everywhere: POSIX lets an implementation
 * report an exec failure as a child exiting with 127 instead.
 */
static char *
resolve(const struct proc *p)
{
	const char *name = p->argv[0], *path = NULL;

	if (strchr(name, '/') != NULL)
		return rpx_is_executable(name) ? xstrdup(name) : NULL;
	for (int i = 0; p->env != NULL && p->env[i] != NULL; i++) {
		if (strncmp(p->env[i], "PATH=", 5) == 0)
			path = p->env[i] + 5;
		else if (strcmp(p->env[i], "PATH") == 0)
			path = "";
	}
	if (path == NULL)
		path = getenv("PATH");
	if (path == NULL || *path == '\0')
		path = "/usr/bin:/bin";
	for (const char *s = path;;) {
		size_t n = strcspn(s, ":");
		char *cand = n ? xasprintf("%.*s/%s", (int)n, s, name) :
				 xasprintf("./%s", name);

		if (rpx_is_executable(cand))
			return cand;
		free(cand);
		if (s[n] == '\0')
			return NULL;
		s += n + 1;
	}
}

static void
emit_line(struct proc *p, struct pstream *s)
{
	p->on_line(p->cb_arg, s->which, s->line.buf, s->line.len);
	strbuf_reset(&s->line);
}

static void
feed(struct proc *p, struct pstream *s, const char *buf, size_t n,
     size_t max)
{
	if (p->on_data != NULL)
		p->on_data(p->cb_arg, buf, n);
	if (p->capture) {
		size_t room = s->cap->len < max ? max - s->cap->len : 0;
		size_t take = n < room ? n : room;

		strbuf_add(s->cap, buf, take);
		if (take < n)
			p->truncated = true;
	}
	if (p->on_line == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		char c = buf[i];

		if (c == '\n' && s->last_cr) {
			s->last_cr = false;	/* the \n of a \r\n */
			continue;
		}
		s->last_cr = c == '\r';
		if (c == '\n' || c == '\r') {
			emit_line(p, s);
			continue;
		}
		strbuf_addch(&s->line, c);
		if (s->line.len >= LINE_MAX_BYTES)
			emit_line(p, s);
	}
}

/* Read what is there; close the stream at end of file or on error. */
static void
drain(struct proc *p, struct pstream *s, size_t max)
{
	char buf[16384];
	ssize_t n = read(s->fd, buf, sizeof(buf));

	if (n > 0) {
		feed(p, s, buf, (size_t)n, max);
		return;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	close_fd(&s->fd);
	if (p->on_line != NULL && s->line.len > 0)
		emit_line(p, s);
}

static bool
cancelled(const struct proc *p)
{
	return p->cancel != NULL && *p->cancel != 0;
}

/* strsignal() is not thread safe: the usual ones by name, else "". */
static const char *
signal_name(int sig)
{
	switch (sig) {
	case SIGHUP: return " (SIGHUP)";
	case SIGINT: return " (SIGINT)";
	case SIGQUIT: return " (SIGQUIT)";
	case SIGILL: return " (SIGILL, illegal instruction)";
	case SIGABRT: return " (SIGABRT, aborted)";
	case SIGBUS: return " (SIGBUS, bus error)";
	case SIGFPE: return " (SIGFPE)";
	case SIGKILL: return " (SIGKILL)";
	case SIGSEGV: return " (SIGSEGV, segmentation fault)";
	case SIGPIPE: return " (SIGPIPE)";
	case SIGTERM: return " (SIGTERM)";
	default: return "";
	}
}

static void
describe(struct proc *p, int ret, int spawn_errno)
{
	const char *name = prog_name(p);

	p->why[0] = '\0';
	switch (ret) {
	case RPX_ENOTFOUND:
		if (spawn_errno == EACCES)
			snprintf(p->why, sizeof(p->why), "cannot run '%s': "
				 "permission denied", p->argv[0]);
		else if (strchr(p->argv[0], '/') != NULL)
			snprintf(p->why, sizeof(p->why), "cannot run '%s': "
				 "no such file", p->argv[0]);
		else
			snprintf(p->why, sizeof(p->why), "cannot run '%s': "
				 "no such program on PATH", p->argv[0]);
		return;
	case RPX_ETIMEOUT:
		snprintf(p->why, sizeof(p->why), "'%s' did not finish within "
			 "%d.%d s and was killed", name, p->timeout_ms / 1000,
			 p->timeout_ms % 1000 / 100);
		return;
	case RPX_ECANCELED:
		snprintf(p->why, sizeof(p->why), "'%s' was stopped (cancelled)",
			 name);
		return;
	case RPX_EUNSUPPORTED:
		snprintf(p->why, sizeof(p->why), "cannot run '%s' in '%s': "
			 "this system cannot spawn in another folder", name,
			 p->cwd);
		return;
	case RPX_EINVAL:
		snprintf(p->why, sizeof(p->why), "no program to run");
		return;
	case RPX_EIO:
		snprintf(p->why, sizeof(p->why), "cannot run '%s': %s", name,
			 strerror(spawn_errno));
		return;
	default:
		break;
	}
	if (!p->exited)
		snprintf(p->why, sizeof(p->why), "'%s' was killed by signal "
			 "%d%s", name, p->code, signal_name(p->code));
	else if (p->code != 0)
		snprintf(p->why, sizeof(p->why), "'%s' exited with status %d",
			 name, p->code);
}

/* Wait for pid; kill its group first when it ran out of time. */
static int
reap(struct proc *p, pid_t pid, long long deadline, int *status)
{
	for (;;) {
		bool poll_only = deadline != 0 || p->cancel != NULL;
		pid_t w;

		if (!p->timed_out && deadline != 0 && rpx_now_ms() >= deadline)
			p->timed_out = true;
		if (p->timed_out || cancelled(p)) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			poll_only = false;
		}
		w = waitpid(pid, status, poll_only ? WNOHANG : 0);
		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR)
			return RPX_EIO;
		if (w == 0) {
			struct timespec ts = { 0, 5 * 1000000 };

			nanosleep(&ts, NULL);
		}
	}
}

/* Reset the results; check what can be checked before spawning. */
static int
prepare(struct proc *p)
{
	p->exited = false;
	p->code = 0;
	p->timed_out = false;
	p->truncated = false;
	p->elapsed_ms = 0;
	p->why[0] = '\0';
	strbuf_reset(&p->out);
	strbuf_reset(&p->err);
	if (p->argv == NULL || p->argv[0] == NULL) {
		snprintf(p->why, sizeof(p->why), "no program to run");
		return RPX_EINVAL;
	}
#ifndef HAVE_ADDCHDIR_NP
	if (p->cwd != NULL) {
		describe(p, RPX_EUNSUPPORTED, 0);
		return RPX_EUNSUPPORTED;
	}
#endif
	if (p->cwd != NULL && !rpx_is_dir(p->cwd)) {
		snprintf(p->why, sizeof(p->why), "cannot run '%s' in '%s': "
			 "no such folder", prog_name(p), p->cwd);
		return RPX_ENOTFOUND;
	}
	return 0;
}

/*
 * Start exe in its own process group, stdin from /dev/null, stdout and
 * stderr into wr[] when piped, the signals we may ignore back to their
 * defaults. Returns posix_spawn()'s error number (0 when started).
 */
static int
spawn_child(struct proc *p, const char *exe, char **envp, const int wr[2],
	    bool piped, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t def;
	short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF;
	int rc;

#ifdef POSIX_SPAWN_SETSID
	/* a pty's child: a session (and so a group) of its own */
	if (p->pty)
		flags = POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF;
#endif
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (piped) {
		posix_spawn_file_actions_adddup2(&fa, wr[0], 1);
		posix_spawn_file_actions_adddup2(&fa, wr[1] >= 0 ? wr[1] : wr[0], 2);
	}
#ifdef HAVE_ADDCHDIR_NP
	if (p->cwd != NULL)
		posix_spawn_file_actions_addchdir_np(&fa, p->cwd);
#endif
	posix_spawnattr_setpgroup(&attr, 0);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGHUP);
	posix_spawnattr_setsigdefault(&attr, &def);
#ifdef POSIX_SPAWN_CLOEXEC_DEFAULT
	flags |= POSIX_SPAWN_CLOEXEC_DEFAULT;
#endif
	posix_spawnattr_setflags(&attr, flags);
	rc = posix_spawn(pid, exe, &fa, &attr, (char *const *)p->argv,
			 envp != NULL ? envp : environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return rc;
}

/* Read both streams until they close, the deadline passes (sets
 * p->timed_out) or the run is cancelled. */
static void
pump(struct proc *p, struct pstream st[2], long long deadline, size_t max)
{
	while (st[0].fd >= 0 || st[1].fd >= 0) {
		struct pollfd pfd[2];
		struct pstream *of[2];
		int nfd = 0, wait_ms = -1, rc;

		for (int i = 0; i < 2; i++) {
			if (st[i].fd < 0)
				continue;
			pfd[nfd] = (struct pollfd){ st[i].fd, POLLIN, 0 };
			of[nfd++] = &st[i];
		}
		if (deadline) {
			long long left = deadline - rpx_now_ms();

			if (left <= 0) {
				p->timed_out = true;
				break;
			}
			wait_ms = left > 1000000 ? 1000000 : (int)left;
		}
		if (p->cancel != NULL && (wait_ms < 0 || wait_ms > 50))
			wait_ms = 50;
		if (cancelled(p))
			break;
		rc = poll(pfd, (nfds_t)nfd, wait_ms);
		if (rc < 0 && errno != EINTR)
			break;
		for (int i = 0; rc > 0 && i < nfd; i++)
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				drain(p, of[i], max);
	}
}

/* Pipes for stdout and stderr: read ends in st[], write ends in wr[].
 * On failure nothing is left open and errno says why. */
static int
open_pipes(struct pstream st[2], int wr[2])
{
	for (int i = 0; i < 2; i++) {
		int fds[2];

		if (pipe_cloexec(fds) != 0) {
			int e = errno;

			for (int k = 0; k < i; k++) {
				close_fd(&st[k].fd);
				close_fd(&wr[k]);
			}
			errno = e;
			return RPX_EIO;
		}
		st[i].fd = fds[0];
		wr[i] = fds[1];
	}
	return 0;
}

#if defined(__linux__)
#define PTY_CLOEXEC O_CLOEXEC
#else
#define PTY_CLOEXEC 0	/* POSIX_SPAWN_CLOEXEC_DEFAULT keeps it from children */
#endif

/* A pseudo-terminal: the master in *master (read by pump()), the slave in
 * *slave (the child's stdout and stderr), sized for the child. */
static int
open_pty(const struct proc *p, int *master, int *slave)
{
	struct winsize ws;
	char name[128];
	int m, e;

	m = posix_openpt(O_RDWR | O_NOCTTY | PTY_CLOEXEC);
	if (m < 0)
		return RPX_EIO;
	(void)fcntl(m, F_SETFD, FD_CLOEXEC);
	if (grantpt(m) != 0 || unlockpt(m) != 0 ||
	    ptsname_r(m, name, sizeof(name)) != 0)
		goto fail;
	*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		goto fail;
	memset(&ws, 0, sizeof(ws));
	ws.ws_col = p->pty_cols ? p->pty_cols : 80;
	ws.ws_row = p->pty_rows ? p->pty_rows : 24;
	(void)ioctl(*slave, TIOCSWINSZ, &ws);
	*master = m;
	return 0;
fail:
	e = errno;
	close(m);
	errno = e;
	return RPX_EIO;
}

/* The -v line of a run: the folder, the environment changes, argv. */
static void
trace_run(const struct proc *p, const char *exe)
{
	struct strbuf sb = STRBUF_INIT;

	if (p->trace == NULL || p->trace->verbose < 1)
		return;
	if (p->cwd != NULL) {
		strbuf_adds(&sb, "cd ");
		strbuf_add_shword(&sb, p->cwd);
		strbuf_adds(&sb, " && ");
	}
	/* a variable removed reads as env(1)'s -u NAME */
	for (size_t i = 0; p->env != NULL && p->env[i] != NULL; i++)
		if (strchr(p->env[i], '=') == NULL) {
			strbuf_adds(&sb, "env ");
			break;
		}
	for (size_t i = 0; p->env != NULL && p->env[i] != NULL; i++) {
		if (strchr(p->env[i], '=') == NULL)
			strbuf_adds(&sb, "-u ");
		strbuf_add_shword(&sb, p->env[i]);
		strbuf_addch(&sb, ' ');
	}
	strbuf_add_shword(&sb, exe);
	for (size_t i = 1; p->argv[i] != NULL; i++) {
		strbuf_addch(&sb, ' ');
		strbuf_add_shword(&sb, p->argv[i]);
	}
	rpx_verbosef(p->trace, 1, "run", "%s", sb.buf);
	strbuf_release(&sb);
}

int
proc_run(struct proc *p)
{
	struct pstream st[2] = {
		{ -1, PROC_STDOUT, &p->out, STRBUF_INIT, false },
		{ -1, PROC_STDERR, &p->err, STRBUF_INIT, false },
	};
	int wr[2] = { -1, -1 };
	char **envp = NULL, *exe = NULL;
	pid_t pid = -1;
	int status = 0, rc, ret = RPX_EIO, spawn_errno = 0;
	bool piped = p->capture || p->on_line != NULL || p->on_data != NULL ||
		     p->pty;
	size_t max = p->max_capture ? p->max_capture : (16u << 20);
	long long start = rpx_now_ms(), deadline = 0;

	rc = prepare(p);
	if (rc != 0)
		return rc;
	exe = resolve(p);
	if (exe == NULL) {
		describe(p, RPX_ENOTFOUND, ENOENT);
		return RPX_ENOTFOUND;
	}
	if (p->timeout_ms > 0)
		deadline = start + p->timeout_ms;
	if (p->pty ? open_pty(p, &st[0].fd, &wr[0]) != 0 :
	    piped && open_pipes(st, wr) != 0) {
		describe(p, RPX_EIO, errno);
		free(exe);
		return RPX_EIO;
	}
	if (p->env != NULL)
		envp = build_env(p->env);
	trace_run(p, exe);

	rc = spawn_child(p, exe, envp, wr, piped, &pid);
	close_fd(&wr[0]);
	close_fd(&wr[1]);
	if (rc != 0) {
		spawn_errno = rc;
		ret = (rc == ENOENT || rc == EACCES || rc == ENOTDIR ||
		       rc == ENOEXEC) ? RPX_ENOTFOUND : RPX_EIO;
		goto out;
	}
	pump(p, st, deadline, max);
	if (p->timed_out || cancelled(p))
		kill(-pid, SIGKILL);
	for (int i = 0; i < 2; i++) {
		close_fd(&st[i].fd);
		if (p->on_line != NULL && st[i].line.len > 0)
			emit_line(p, &st[i]);
	}
	if (reap(p, pid, deadline, &status) != 0) {
		spawn_errno = errno;
		goto out;
	}
	/* Whatever the child left running in its group goes with it. */
	if (p->timed_out || cancelled(p))
		kill(-pid, SIGKILL);
	if (WIFEXITED(status)) {
		p->exited = true;
		p->code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		p->code = WTERMSIG(status);
	}
	if (p->timed_out)
		ret = RPX_ETIMEOUT;
	else if (cancelled(p))
		ret = RPX_ECANCELED;
	else
		ret = 0;
out:
	p->elapsed_ms = rpx_now_ms() - start;
	for (int i = 0; i < 2; i++) {
		close_fd(&st[i].fd);
		strbuf_release(&st[i].line);
	}
	free(envp);
	free(exe);
	describe(p, ret, spawn_errno);
	return ret;
}

bool
proc_ok(const struct proc *p)
{
	return p->exited && p->code == 0 && !p->timed_out;
}

void
proc_release(struct proc *p)
{
	strbuf_release(&p->out);
	strbuf_release(&p->err);
}
