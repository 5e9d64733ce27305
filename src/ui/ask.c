/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* ask.c - questions from a worker answered by the UI thread (see ask.h). */
#include "ask.h"

#include <stdio.h>
#include <string.h>

#include "rpx.h"

static void
wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}

void
ask_init(struct ask *q)
{
	memset(q, 0, sizeof(*q));
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cond, NULL);
}

void
ask_release(struct ask *q)
{
	wipe(q->answer, sizeof(q->answer));
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->lock);
}

/* Post req and wait for the answer (under lock on return). False when
 * cancelled. */
static bool
post_wait(struct ask *q, const struct ask_req *req)
{
	if (q->cancelled)
		return false;
	q->req = *req;
	q->req.serial = (unsigned)++q->asked;
	q->answered = false;
	q->yes = false;
	while (!q->answered && !q->cancelled)
		pthread_cond_wait(&q->cond, &q->lock);
	q->req.kind = ASK_NONE;
	return q->answered && !q->cancelled;
}

bool
ask_host_key(void *data, const char *host, const char *key_type,
	     const char *fingerprint)
{
	struct ask *q = data;
	struct ask_req req;
	bool yes;

	memset(&req, 0, sizeof(req));
	req.kind = ASK_HOST_KEY;
	snprintf(req.host, sizeof(req.host), "%s", host ? host : "");
	snprintf(req.key_type, sizeof(req.key_type), "%s",
		 key_type ? key_type : "");
	snprintf(req.fingerprint, sizeof(req.fingerprint), "%s",
		 fingerprint ? fingerprint : "");
	pthread_mutex_lock(&q->lock);
	yes = post_wait(q, &req) && q->yes;
	q->answered = false;
	pthread_mutex_unlock(&q->lock);
	return yes;
}

int
ask_secret(void *data, const char *prompt, bool echo, char *buf,
	   size_t bufsz)
{
	struct ask *q = data;
	struct ask_req req;
	int rc = -1;

	if (bufsz == 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.kind = echo ? ASK_TEXT : ASK_SECRET;
	snprintf(req.prompt, sizeof(req.prompt), "%s", prompt ? prompt : "");
	pthread_mutex_lock(&q->lock);
	if (post_wait(q, &req) && q->yes) {
		snprintf(buf, bufsz, "%s", q->answer);
		rc = 0;
	} else {
		buf[0] = '\0';
	}
	wipe(q->answer, sizeof(q->answer));
	q->answered = false;
	pthread_mutex_unlock(&q->lock);
	return rc;
}

bool
ask_peek(struct ask *q, struct ask_req *req)
{
	bool waiting;

	pthread_mutex_lock(&q->lock);
	waiting = q->req.kind != ASK_NONE && !q->answered && !q->cancelled;
	if (waiting)
		*req = q->req;
	pthread_mutex_unlock(&q->lock);
	return waiting;
}

void
ask_reply_yes(struct ask *q, bool yes)
{
	pthread_mutex_lock(&q->lock);
	if (q->req.kind != ASK_NONE && !q->answered) {
		q->yes = yes;
		q->answered = true;
		pthread_cond_broadcast(&q->cond);
	}
	pthread_mutex_unlock(&q->lock);
}

void
ask_reply_text(struct ask *q, const char *s)
{
	pthread_mutex_lock(&q->lock);
	if (q->req.kind != ASK_NONE && !q->answered) {
		q->yes = s != NULL;
		snprintf(q->answer, sizeof(q->answer), "%s", s ? s : "");
		q->answered = true;
		pthread_cond_broadcast(&q->cond);
	}
	pthread_mutex_unlock(&q->lock);
}

void
ask_cancel(struct ask *q)
{
	pthread_mutex_lock(&q->lock);
	q->cancelled = true;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->lock);
}

void
ask_reset(struct ask *q)
{
	pthread_mutex_lock(&q->lock);
	q->cancelled = false;
	q->answered = false;
	q->req.kind = ASK_NONE;
	wipe(q->answer, sizeof(q->answer));
	pthread_mutex_unlock(&q->lock);
}
