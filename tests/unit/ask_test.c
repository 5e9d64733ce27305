/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ask_test.c - questions from a worker thread answered by the UI thread:
 * the handshake, secrets wiped, cancelling a waiting worker.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ask.h"

struct worker {
	struct ask *q;
	bool key_yes;
	int secret_rc;
	char secret[64];
	int second_rc;
};

static void *
worker_main(void *p)
{
	struct worker *w = p;

	w->key_yes = ask_host_key(w->q, "[127.0.0.1]:2222", "ssh-ed25519",
				  "SHA256:abc");
	w->secret_rc = ask_secret(w->q, "pi@127.0.0.1's password: ", false,
				  w->secret, sizeof(w->secret));
	w->second_rc = ask_secret(w->q, "again: ", true, w->secret,
				  sizeof(w->secret));
	return NULL;
}

/* Wait (polling, as the UI does) for a question; its copy in *req. */
static void
wait_question(struct ask *q, struct ask_req *req, unsigned after)
{
	for (int i = 0; i < 5000; i++) {
		if (ask_peek(q, req) && req->serial != after)
			return;
		usleep(1000);
	}
	fail_msg("no question came");
}

static void
test_handshake(void **state)
{
	struct ask q;
	struct ask_req req;
	struct worker w = { 0 };
	pthread_t t;

	(void)state;
	ask_init(&q);
	w.q = &q;
	assert_false(ask_peek(&q, &req));
	assert_int_equal(pthread_create(&t, NULL, worker_main, &w), 0);
	wait_question(&q, &req, 0);
	assert_int_equal(req.kind, ASK_HOST_KEY);
	assert_string_equal(req.host, "[127.0.0.1]:2222");
	assert_string_equal(req.key_type, "ssh-ed25519");
	assert_string_equal(req.fingerprint, "SHA256:abc");
	/* peeking again shows the same question, still unanswered */
	assert_true(ask_peek(&q, &req));
	assert_int_equal(req.serial, 1);
	ask_reply_yes(&q, true);
	wait_question(&q, &req, 1);
	assert_int_equal(req.kind, ASK_SECRET);
	assert_string_equal(req.prompt, "pi@127.0.0.1's password: ");
	ask_reply_text(&q, "raspberry");
	wait_question(&q, &req, 2);
	assert_int_equal(req.kind, ASK_TEXT);
	ask_reply_text(&q, NULL);	/* declined */
	pthread_join(t, NULL);
	assert_true(w.key_yes);
	assert_int_equal(w.secret_rc, 0);
	/* the second (declined) answer cleared the buffer */
	assert_int_equal(w.second_rc, -1);
	assert_string_equal(w.secret, "");
	/* nothing left behind: the answer is wiped */
	for (size_t i = 0; i < sizeof(q.answer); i++)
		assert_int_equal(q.answer[i], 0);
	assert_false(ask_peek(&q, &req));
	/* a reply with no question is ignored */
	ask_reply_yes(&q, true);
	ask_release(&q);
}

static void
test_cancel_unblocks(void **state)
{
	struct ask q;
	struct ask_req req;
	struct worker w = { 0 };
	pthread_t t;

	(void)state;
	ask_init(&q);
	w.q = &q;
	assert_int_equal(pthread_create(&t, NULL, worker_main, &w), 0);
	wait_question(&q, &req, 0);
	ask_cancel(&q);		/* the UI is leaving */
	pthread_join(t, NULL);
	assert_false(w.key_yes);
	assert_int_equal(w.secret_rc, -1);	/* later questions: "no" at once */
	assert_int_equal(w.second_rc, -1);
	assert_false(ask_peek(&q, &req));
	/* a new attempt may ask again */
	ask_reset(&q);
	w.key_yes = false;
	assert_int_equal(pthread_create(&t, NULL, worker_main, &w), 0);
	wait_question(&q, &req, 0);
	assert_int_equal(req.kind, ASK_HOST_KEY);
	ask_reply_yes(&q, false);
	wait_question(&q, &req, req.serial);
	ask_reply_text(&q, "x");
	wait_question(&q, &req, req.serial);
	ask_reply_text(&q, "y");
	pthread_join(t, NULL);
	assert_false(w.key_yes);
	assert_int_equal(w.second_rc, 0);
	assert_string_equal(w.secret, "y");
	ask_release(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake),
		cmocka_unit_test(test_cancel_unblocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
