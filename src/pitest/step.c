/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * step.c - the run's bookkeeping: a step starts and ends (timed, reported
 * through the events), its lines and its one line of detail, and how it
 * fails (the message excerpted, the cause explained).
 */
#include "pitest_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *
pt_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

bool
pt_stopped(const struct pt *st)
{
	return st->o->stop != NULL && *st->o->stop != 0;
}

void
pt_step_begin(struct pt *st, enum pitest_step s)
{
	st->cur = s;
	st->t0 = rpx_now_ms();
	st->r->status[s] = PT_RUNNING;
	if (st->o->ev.step != NULL)
		st->o->ev.step(st->o->ev.data, s, PT_RUNNING, 0);
}

void
pt_step_end(struct pt *st, enum pitest_step s, enum pitest_status status)
{
	long ms = status == PT_SKIPPED ? 0 : (long)(rpx_now_ms() - st->t0);

	st->r->status[s] = status;
	st->r->ms[s] = ms;
	if (st->o->ev.step != NULL)
		st->o->ev.step(st->o->ev.data, s, status, ms);
}

void
pt_emit_line(const struct pt *st, enum pitest_step s, const char *line)
{
	if (st->o->ev.line != NULL)
		st->o->ev.line(st->o->ev.data, s, line);
}

void
pt_detail(struct pt *st, enum pitest_step s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->r->detail[s], sizeof(st->r->detail[s]), fmt, ap);
	va_end(ap);
}

/*
 * The part of a tool's output worth showing: from the first line that
 * says "error" (or the whole text when none does); overlong lines (a
 * linker's command line) shortened; at most bufsz bytes.
 */
static void
excerpt(const char *text, char *buf, size_t bufsz)
{
	const char *p = text, *start = NULL;
	struct strbuf sb = STRBUF_INIT;

	for (p = text; *p; ) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (start == NULL && (strncmp(p, "error", 5) == 0 ||
				      strncmp(p, "rpi-cross:", 10) == 0))
			start = p;
		p += n + (nl ? 1 : 0);
	}
	for (p = start ? start : text; *p && sb.len < bufsz; ) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		/* the first error says it: the rest follows from it */
		if (p != start && start != NULL && strncmp(p, "error", 5) == 0)
			break;
		if (n > 400)
			strbuf_addf(&sb, "%.160s [... %zu more characters]\n",
				    p, n - 160);
		else if (n > 0)
			strbuf_addf(&sb, "%.*s\n", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
	strbuf_rtrim(&sb);
	snprintf(buf, bufsz, "%s", sb.buf);
	strbuf_release(&sb);
}

/* Step s failed with cause c; message is the tool's own text. */
int
pt_fail(struct pt *st, enum pitest_step s, enum pitest_cause c,
	const char *message)
{
	struct pitest_result *r = st->r;

	r->cause = c;
	r->failed_step = s;
	if (message != NULL && r->message[0] == '\0')
		excerpt(message, r->message, sizeof(r->message));
	pt_explain(st, c);
	if (r->status[s] == PT_PENDING)
		pt_step_begin(st, s);
	if (r->status[s] == PT_RUNNING)
		pt_step_end(st, s, PT_FAILED);
	return -1;
}

int
pt_cancelled(struct pt *st, enum pitest_step s)
{
	return pt_fail(st, s, PTC_CANCELLED, "interrupted");
}
