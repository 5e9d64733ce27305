/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * rawterm.h - a local terminal put in raw mode while a program on the Pi
 * owns it through a pty (as ssh -t does), and its window size.
 *
 * The terminal is restored on every way out: rawterm_leave() on a normal
 * end or an error (the caller's cleanup), and, when this process dies
 * without it (SIGKILL, a crash), by a small guard process forked at
 * rawterm_enter(): it waits on a pipe and restores the saved settings
 * when the pipe closes without the word that says "done". No globals:
 * the state is the caller's struct.
 */
#ifndef RPX_RAWTERM_H
#define RPX_RAWTERM_H

#include <stdbool.h>
#include <sys/types.h>
#include <termios.h>

struct rawterm {
	int fd;			/* the terminal, -1 when not raw */
	struct termios saved;	/* its settings before */
	pid_t guard;		/* the guard process, -1 when none */
	int guard_fd;		/* the pipe to it, -1 when none */
};

#define RAWTERM_INIT { -1, { 0 }, -1, -1 }

/* Save fd's settings and make it raw (no echo, no line editing, no
 * signals from keys, no output processing). 0, or -1 (errno) when fd is
 * not a terminal or cannot be set; then nothing changed. */
int rawterm_enter(struct rawterm *t, int fd);
/* Put the saved settings back (waiting for output to drain) and end the
 * guard. Safe to call more than once, and without rawterm_enter(). */
void rawterm_leave(struct rawterm *t);
/* fd's window size; false when it is not a terminal or says 0x0. */
bool rawterm_size(int fd, int *cols, int *rows);

#endif
