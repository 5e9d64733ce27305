/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* task.c - background work with progress and a log (see task.h). */
#include "task.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rpx.h"

static void *
task_main(void *p)
{
	struct task *t = p;
	int rc = t->fn(t, t->arg);

	pthread_mutex_lock(&t->lock);
	t->rc = rc;
	t->done = true;
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

int
task_start(struct task *t, task_fn fn, void *arg)
{
	sigset_t all, old;
	int r;

	memset(t, 0, sizeof(*t));
	if (pthread_mutex_init(&t->lock, NULL) != 0)
		return RPX_EIO;
	t->fn = fn;
	t->arg = arg;
	/* The worker starts with every signal blocked, so that Ctrl-C,
	 * SIGTERM and SIGWINCH always reach the UI thread (and never cut a
	 * system call of the worker short). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&t->thread, NULL, task_main, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		pthread_mutex_destroy(&t->lock);
		return RPX_EIO;
	}
	t->started = true;
	return 0;
}

void
task_progress(struct task *t, int num, int den)
{
	pthread_mutex_lock(&t->lock);
	t->num = num;
	t->den = den;
	pthread_mutex_unlock(&t->lock);
}

void
task_log(struct task *t, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&t->lock);
	strvec_push(&t->lines, buf);
	pthread_mutex_unlock(&t->lock);
}

void
task_snapshot(struct task *t, struct task_snap *s)
{
	memset(s, 0, sizeof(*s));
	if (!t->started)
		return;
	pthread_mutex_lock(&t->lock);
	s->done = t->done;
	s->running = !t->done;
	s->rc = t->rc;
	s->num = t->num;
	s->den = t->den;
	s->nlines = (int)t->lines.n;
	pthread_mutex_unlock(&t->lock);
}

char *
task_line(struct task *t, int i)
{
	char *s = NULL;

	if (!t->started)
		return NULL;
	pthread_mutex_lock(&t->lock);
	if (i >= 0 && (size_t)i < t->lines.n)
		s = xstrdup(t->lines.v[i]);
	pthread_mutex_unlock(&t->lock);
	return s;
}

int
task_finish(struct task *t)
{
	if (!t->started || t->joined)
		return t->rc;
	pthread_join(t->thread, NULL);
	t->joined = true;
	return t->rc;
}

void
task_release(struct task *t)
{
	task_finish(t);
	if (t->started)
		pthread_mutex_destroy(&t->lock);
	t->started = t->joined = false;
	strvec_clear(&t->lines);
}
