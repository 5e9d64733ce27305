/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * rawterm.c - the local terminal in raw mode and back (rawterm.h), with
 * a guard process that restores it when this one is killed.
 */
#include "rawterm.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* The guard: nothing but the terminal and its pipe open; restore the
 * settings unless the parent said it did. Signals a shell sends the
 * whole job (Ctrl-C cannot come from a raw terminal, but kill can) leave
 * it alone: it ends with the parent. */
static void
guard_main(int fd, int rd, const struct termios *saved)
{
	long max = sysconf(_SC_OPEN_MAX);
	char c = 0;
	ssize_t n;

	if (max < 0 || max > 4096)
		max = 4096;
	for (int i = 0; i < (int)max; i++)
		if (i != fd && i != rd)
			close(i);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);	/* restoring from the background */
	do
		n = read(rd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		(void)tcsetattr(fd, TCSANOW, saved);
	_exit(0);
}

int
rawterm_enter(struct rawterm *t, int fd)
{
	struct termios raw;
	int p[2];
	pid_t pid;

	if (t->fd >= 0)
		return 0;
	if (!isatty(fd) || tcgetattr(fd, &t->saved) != 0)
		return -1;
	raw = t->saved;
	raw.c_iflag |= IGNPAR;
	raw.c_iflag &= ~(tcflag_t)(ISTRIP | INLCR | IGNCR | ICRNL | IXON |
				   IXANY | IXOFF);
	raw.c_lflag &= ~(tcflag_t)(ISIG | ICANON | ECHO | ECHOE | ECHOK |
				   ECHONL | IEXTEN);
	raw.c_oflag &= ~(tcflag_t)OPOST;
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	/* the guard first: the terminal is never raw without one */
	if (pipe(p) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[1]);
		guard_main(fd, p[0], &t->saved);
	}
	close(p[0]);
	t->guard = pid;
	t->guard_fd = p[1];
	t->fd = fd;
	if (tcsetattr(fd, TCSADRAIN, &raw) != 0) {
		int e = errno;

		rawterm_leave(t);
		errno = e;
		return -1;
	}
	return 0;
}

void
rawterm_leave(struct rawterm *t)
{
	if (t->fd >= 0) {
		while (tcsetattr(t->fd, TCSADRAIN, &t->saved) != 0 &&
		       errno == EINTR)
			;
		t->fd = -1;
	}
	if (t->guard_fd >= 0) {
		ssize_t w;

		do
			w = write(t->guard_fd, "x", 1);
		while (w < 0 && errno == EINTR);
		close(t->guard_fd);
		t->guard_fd = -1;
	}
	if (t->guard > 0) {
		while (waitpid(t->guard, NULL, 0) < 0 && errno == EINTR)
			;
		t->guard = -1;
	}
}

bool
rawterm_size(int fd, int *cols, int *rows)
{
	struct winsize ws;

	memset(&ws, 0, sizeof(ws));
	if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0 ||
	    ws.ws_row == 0)
		return false;
	*cols = ws.ws_col;
	*rows = ws.ws_row;
	return true;
}
