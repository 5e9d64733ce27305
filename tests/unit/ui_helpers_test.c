/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ui_helpers_test.c - the ui's curses-free helpers on their own: list
 * filtering (filter.h), line editing (lineedit.h) and background tasks
 * (task.h). Moved from wizard_test.c, unchanged.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "board.h"
#include "filter.h"
#include "lineedit.h"
#include "rpx.h"
#include "task.h"

static void
test_filter_match(void **state)
{
	(void)state;
	assert_true(filter_match("Raspberry Pi Zero W", ""));
	assert_true(filter_match("Raspberry Pi Zero W", NULL));
	assert_true(filter_match("Raspberry Pi Zero W", "zero"));
	assert_true(filter_match("Raspberry Pi Zero W", "ZERO"));
	assert_true(filter_match("Raspberry Pi Zero W", "zero w"));
	assert_true(filter_match("Raspberry Pi Zero W", "  w   zero "));
	assert_false(filter_match("Raspberry Pi Zero W", "zero 2"));
	assert_false(filter_match("Raspberry Pi 4 Model B", "zero"));
	assert_false(filter_match(NULL, "x"));
	assert_true(filter_match(NULL, ""));
	/* UTF-8: exact bytes, never a part of another character */
	assert_true(filter_match("Carte \xc3\xa9lectronique", "\xc3\xa9lec"));
	assert_false(filter_match("Carte \xc3\xa9lectronique", "elec"));
	assert_false(filter_match("\xc3\xa9", "\xa9"));
	assert_true(filter_match("Pi \xe2\x80\x94 test", "\xe2\x80\x94"));
}

static void
test_filter_apply_boards(void **state)
{
	int n, k;
	const struct board *all = board_all(&n);
	const char **names = xcalloc((size_t)n, sizeof(char *));
	int *out = xcalloc((size_t)n, sizeof(int));

	(void)state;
	for (int i = 0; i < n; i++)
		names[i] = all[i].name;
	k = filter_apply(names, n, "zero", out);
	assert_int_equal(k, 3);
	assert_string_equal(all[out[0]].id, "zero");
	assert_string_equal(all[out[1]].id, "zerow");
	assert_string_equal(all[out[2]].id, "zero2w");
	k = filter_apply(names, n, "compute 4", out);
	assert_int_equal(k, 2);	/* CM4, CM4S */
	assert_int_equal(filter_apply(names, n, "", out), n);
	assert_int_equal(filter_apply(names, n, "pico", out), 0);
	free(names);
	free(out);
}

/* ---- line editing ------------------------------------------------- */

static void
expect_text(const struct lineedit *le, const char *utf8, int cur)
{
	char *s = lineedit_utf8(le);

	assert_string_equal(s, utf8);
	assert_int_equal(le->cur, cur);
	assert_int_equal(le->buf[le->len], L'\0');
	free(s);
}

static void
test_lineedit(void **state)
{
	struct lineedit le;

	(void)state;
	lineedit_init(&le, "cortex");
	expect_text(&le, "cortex", 6);
	lineedit_insert(&le, L'-');
	lineedit_insert(&le, L'a');
	expect_text(&le, "cortex-a", 8);
	lineedit_home(&le);
	lineedit_delete(&le);
	expect_text(&le, "ortex-a", 0);
	lineedit_backspace(&le);	/* nothing before the cursor */
	expect_text(&le, "ortex-a", 0);
	lineedit_end(&le);
	lineedit_delete(&le);		/* nothing under the cursor */
	expect_text(&le, "ortex-a", 7);
	lineedit_left(&le);
	lineedit_left(&le);
	lineedit_backspace(&le);
	expect_text(&le, "orte-a", 4);
	lineedit_right(&le);
	lineedit_right(&le);
	lineedit_right(&le);
	expect_text(&le, "orte-a", 6);
	/* UTF-8 characters move as one */
	lineedit_init(&le, "Z\xc3\xa9ro \xe2\x80\x94 x");
	assert_int_equal(le.len, 8);
	lineedit_left(&le);
	lineedit_left(&le);
	lineedit_backspace(&le);	/* the em dash */
	expect_text(&le, "Z\xc3\xa9ro  x", 5);
	lineedit_insert(&le, L'\x00e9');
	expect_text(&le, "Z\xc3\xa9ro \xc3\xa9 x", 6);
	assert_int_equal(lineedit_insert(&le, L'\n'), RPX_EINVAL);
	/* Ctrl-W: the word before the cursor, with the spaces up to the cursor */
	lineedit_init(&le, "one two  three");
	lineedit_kill_word(&le);
	expect_text(&le, "one two  ", 9);
	lineedit_kill_word(&le);
	expect_text(&le, "one ", 4);
	lineedit_kill_word(&le);
	lineedit_kill_word(&le);
	expect_text(&le, "", 0);
	/* Ctrl-U: from the start to the cursor */
	lineedit_init(&le, "abc def");
	lineedit_left(&le);
	lineedit_left(&le);
	lineedit_kill_start(&le);
	expect_text(&le, "ef", 0);
	/* the capacity is a limit, never a cut */
	lineedit_init(&le, NULL);
	for (int i = 0; i < LINEEDIT_MAX - 1; i++)
		assert_int_equal(lineedit_insert(&le, L'x'), 0);
	assert_int_equal(lineedit_insert(&le, L'y'), RPX_EINVAL);
	assert_int_equal(le.len, LINEEDIT_MAX - 1);
}

/* ---- background task ---------------------------------------------- */

static int
slow_work(struct task *t, void *arg)
{
	int *gate = arg;
	struct timespec ts = { 0, 5 * 1000 * 1000 };

	for (int i = 0; i < 3; i++) {
		task_progress(t, i, 3);
		task_log(t, "line %d", i);
	}
	while (!__atomic_load_n(gate, __ATOMIC_SEQ_CST))
		nanosleep(&ts, NULL);
	task_progress(t, 3, 3);
	return 42;
}

static void
test_task(void **state)
{
	struct task t = TASK_INIT;
	struct task_snap s;
	int gate = 0;
	char *line;

	(void)state;
	task_snapshot(&t, &s);	/* never started */
	assert_false(s.running);
	assert_false(s.done);
	assert_int_equal(task_finish(&t), 0);
	assert_int_equal(task_start(&t, slow_work, &gate), 0);
	/* the worker waits for the gate: it is seen running, with its log */
	do {
		task_snapshot(&t, &s);
	} while (s.nlines < 3);
	assert_true(s.running);
	assert_false(s.done);
	assert_int_equal(s.den, 3);
	line = task_line(&t, 2);
	assert_string_equal(line, "line 2");
	free(line);
	assert_null(task_line(&t, 3));
	__atomic_store_n(&gate, 1, __ATOMIC_SEQ_CST);
	assert_int_equal(task_finish(&t), 42);
	task_snapshot(&t, &s);
	assert_true(s.done);
	assert_false(s.running);
	assert_int_equal(s.rc, 42);
	assert_int_equal(s.num, 3);
	line = task_line(&t, 0);
	assert_string_equal(line, "line 0");
	free(line);
	task_release(&t);
	task_release(&t);	/* twice is harmless */
}

static int
mask_work(struct task *t, void *arg)
{
	sigset_t cur;

	(void)t;
	(void)arg;
	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, SIGINT) && sigismember(&cur, SIGTERM) &&
	       sigismember(&cur, SIGWINCH) ? 1 : 0;
}

static void
test_task_blocks_signals_in_the_worker(void **state)
{
	struct task t = TASK_INIT;
	sigset_t cur;

	(void)state;
	assert_int_equal(task_start(&t, mask_work, NULL), 0);
	assert_int_equal(task_finish(&t), 1);
	/* and the caller's mask is as it was */
	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	assert_false(sigismember(&cur, SIGINT));
	task_release(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_match),
		cmocka_unit_test(test_filter_apply_boards),
		cmocka_unit_test(test_lineedit),
		cmocka_unit_test(test_task),
		cmocka_unit_test(test_task_blocks_signals_in_the_worker),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "en_US.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
