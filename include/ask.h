/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ask.h - a question from a worker thread, answered by the UI thread (no
 * curses).
 *
 * The remote module asks through callbacks (trust this host key? the
 * password?) on whatever thread runs it. In the wizard that is a task's
 * worker, which must never touch the terminal: ask_host_key() and
 * ask_secret() (shaped as struct remote_callbacks' confirm_host_key and
 * ask, with data = the struct ask) post the question and wait; the UI
 * thread sees it with ask_peek() while it polls its keys, shows a dialog,
 * and answers with ask_reply_yes() or ask_reply_text(), which wakes the
 * worker. One question at a time.
 *
 * Calling sequence:
 *
 *     struct ask q;
 *     ask_init(&q);
 *     o.cb.confirm_host_key = ask_host_key; o.cb.ask = ask_secret;
 *     o.cb.data = &q;                      then start the worker
 *       ... UI thread: if (ask_peek(&q, &req)) show it; later
 *           ask_reply_yes(&q, true) or ask_reply_text(&q, "secret") ...
 *     ask_cancel(&q)        leaving: the waiting worker (and every later
 *                           question) gets "no", so it ends and can be
 *                           joined
 *     ask_release(&q)       after the worker is joined
 *
 * Secrets: the answer is kept only until the worker has copied it, then
 * wiped; a struct ask_req holds no answer.
 */
#ifndef RPX_ASK_H
#define RPX_ASK_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

enum ask_kind {
	ASK_NONE,
	ASK_HOST_KEY,		/* yes/no: trust an unknown host key */
	ASK_SECRET,		/* masked text: password, passphrase */
	ASK_TEXT,		/* echoed text */
};

/* The question as the UI thread sees it (a copy). */
struct ask_req {
	enum ask_kind kind;
	unsigned serial;	/* counts questions: a new one differs */
	char host[256];		/* ASK_HOST_KEY */
	char key_type[32];
	char fingerprint[128];	/* "SHA256:..." */
	char prompt[256];	/* ASK_SECRET, ASK_TEXT */
};

struct ask {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct ask_req req;	/* kind ASK_NONE: nothing asked */
	bool answered;
	bool yes;
	char answer[512];
	bool cancelled;		/* every question is answered "no" */
	int asked;		/* questions so far */
};

void ask_init(struct ask *q);
/* Wipe and destroy; the worker must be gone. */
void ask_release(struct ask *q);

/* Worker side (struct remote_callbacks shapes; data is the struct ask). */
bool ask_host_key(void *data, const char *host, const char *key_type,
		  const char *fingerprint);
int ask_secret(void *data, const char *prompt, bool echo, char *buf,
	       size_t bufsz);

/* UI side: true (and *req filled) when a question waits for an answer. */
bool ask_peek(struct ask *q, struct ask_req *req);
/* Answer a host-key question. */
void ask_reply_yes(struct ask *q, bool yes);
/* Answer a text question (s NULL: decline). */
void ask_reply_text(struct ask *q, const char *s);
/* Decline the waiting question and all later ones. */
void ask_cancel(struct ask *q);
/* Allow questions again after ask_cancel() (a new attempt). */
void ask_reset(struct ask *q);

#endif
