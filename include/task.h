/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * task.h - one piece of slow work on a background thread, so that the
 * wizard keeps reading keys while it runs (no curses).
 *
 * Calling sequence:
 *
 *     struct task t = TASK_INIT;
 *     task_start(&t, fn, arg);           fn(&t, arg) runs on a new thread
 *       ... fn calls task_progress() / task_log() as it goes ...
 *     task_snapshot(&t, &snap, from)      from the UI thread, any time
 *     task_finish(&t)                     joins; returns fn's result
 *     task_release(&t)
 *
 * The UI thread polls: it reads keys with a short timeout and takes a
 * snapshot after each one (tig and htop poll their input the same way).
 * Everything the two threads share is guarded by t->lock; the worker
 * never touches the terminal and runs with every signal blocked, so
 * signals are always taken by the UI thread. Log lines are kept until task_release().
 */
#ifndef RPX_TASK_H
#define RPX_TASK_H

#include <pthread.h>
#include <stdbool.h>

#include "strvec.h"

struct task;
typedef int (*task_fn)(struct task *t, void *arg);

struct task {
	pthread_t thread;
	pthread_mutex_t lock;
	bool started;		/* task_start succeeded */
	bool joined;		/* task_finish has waited for it */
	bool done;		/* fn has returned (under lock) */
	int rc;			/* fn's result, once done */
	int num, den;		/* progress num/den; den 0: unknown */
	struct strvec lines;	/* log lines (under lock) */
	task_fn fn;
	void *arg;
};

#define TASK_INIT { .started = false }

/* What the UI thread sees. */
struct task_snap {
	bool running;		/* started and not done */
	bool done;
	int rc;
	int num, den;
	int nlines;		/* lines logged so far */
};

/* 0, or RPX_EIO when no thread could be made (fn is then not run). */
int task_start(struct task *t, task_fn fn, void *arg);
/* From fn: report progress num of den. */
void task_progress(struct task *t, int num, int den);
/* From fn: add one log line. */
void task_log(struct task *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* From the UI thread: the state now. */
void task_snapshot(struct task *t, struct task_snap *s);
/* A malloc'd copy of log line i (0 <= i < snap.nlines). */
char *task_line(struct task *t, int i);
/* Wait for fn to end and return its result (0 when never started). */
int task_finish(struct task *t);
/* Join if needed, free the log. */
void task_release(struct task *t);

#endif
