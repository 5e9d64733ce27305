/* proc.c - run child programs without a shell (see proc.h). */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rpx.h"

extern char **environ;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
close_pair(int fds[2])
{
	for (int i = 0; i < 2; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

static void
drain(int *fd, struct strbuf *sb, size_t max, bool *truncated)
{
	char buf[16384];
	ssize_t n = read(*fd, buf, sizeof(buf));

	if (n > 0) {
		size_t room = sb->len < max ? max - sb->len : 0;
		size_t take = (size_t)n < room ? (size_t)n : room;

		strbuf_add(sb, buf, take);
		if (take < (size_t)n)
			*truncated = true;
		return;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	close(*fd);
	*fd = -1;
}

int
proc_run(struct proc *p)
{
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	pid_t pid = -1;
	int status = 0, rc, ret = RPX_EIO;
	size_t max = p->max_capture ? p->max_capture : (16u << 20);
	long long deadline = p->timeout_ms > 0 ? now_ms() + p->timeout_ms : 0;

	p->exited = false;
	p->code = 0;
	p->timed_out = false;
	p->truncated = false;
	if (p->argv == NULL || p->argv[0] == NULL)
		return RPX_EINVAL;
	if (p->capture && (pipe(outp) != 0 || pipe(errp) != 0)) {
		close_pair(outp);
		close_pair(errp);
		return RPX_EIO;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (p->capture) {
		posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
		posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
		posix_spawn_file_actions_addclose(&fa, outp[0]);
		posix_spawn_file_actions_addclose(&fa, errp[0]);
		posix_spawn_file_actions_addclose(&fa, outp[1]);
		posix_spawn_file_actions_addclose(&fa, errp[1]);
	}
	posix_spawnattr_setpgroup(&attr, 0);
	{
		sigset_t def;

		sigemptyset(&def);
		sigaddset(&def, SIGPIPE);
		sigaddset(&def, SIGINT);
		sigaddset(&def, SIGTERM);
		posix_spawnattr_setsigdefault(&attr, &def);
	}
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
				 POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawnp(&pid, p->argv[0], &fa, &attr,
			  (char *const *)p->argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (p->capture) {
		close(outp[1]);
		close(errp[1]);
		outp[1] = errp[1] = -1;
	}
	if (rc != 0) {
		close_pair(outp);
		close_pair(errp);
		errno = rc;
		return (rc == ENOENT || rc == EACCES || rc == ENOTDIR) ?
			RPX_ENOTFOUND : RPX_EIO;
	}

	while (p->capture && (outp[0] >= 0 || errp[0] >= 0)) {
		struct pollfd pfd[2];
		int nfd = 0, wait_ms = -1;

		if (outp[0] >= 0)
			pfd[nfd++] = (struct pollfd){ outp[0], POLLIN, 0 };
		if (errp[0] >= 0)
			pfd[nfd++] = (struct pollfd){ errp[0], POLLIN, 0 };
		if (deadline) {
			long long left = deadline - now_ms();

			if (left <= 0) {
				p->timed_out = true;
				break;
			}
			wait_ms = (int)left;
		}
		rc = poll(pfd, (nfds_t)nfd, wait_ms);
		if (rc < 0 && errno != EINTR)
			break;
		for (int i = 0; rc > 0 && i < nfd; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (pfd[i].fd == outp[0])
				drain(&outp[0], &p->out, max, &p->truncated);
			else
				drain(&errp[0], &p->err, max, &p->truncated);
		}
	}
	close_pair(outp);
	close_pair(errp);

	for (;;) {
		pid_t w;

		if (p->timed_out) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
		w = waitpid(pid, &status,
			    (deadline && !p->timed_out) ? WNOHANG : 0);
		if (w == pid)
			break;
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto out;
		}
		if (now_ms() >= deadline) {
			p->timed_out = true;
		} else {
			struct timespec ts = { 0, 5 * 1000000 };

			nanosleep(&ts, NULL);
		}
	}
	/* Whatever the child left running in its group goes with it. */
	if (p->timed_out)
		kill(-pid, SIGKILL);
	if (WIFEXITED(status)) {
		p->exited = true;
		p->code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		p->code = WTERMSIG(status);
	}
	ret = p->timed_out ? RPX_ETIMEOUT : 0;
out:
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
