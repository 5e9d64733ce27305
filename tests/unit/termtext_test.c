/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * termtext_test.c - a terminal's output replayed as lines: '\r' redraws,
 * erase and cursor-up sequences (how rustup and cargo draw their bars),
 * colours dropped, bytes split anywhere.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "termtext.h"

static void
feed(struct termtext *tt, const char *s)
{
	termtext_feed(tt, s, strlen(s));
}

static void
test_carriage_return_redraws(void **state)
{
	struct termtext tt = TERMTEXT_INIT;

	(void)state;
	feed(&tt, "info: downloading\r\n [==>   ]  10%\r [=====>]  90%\r [=======] 100%\r\n");
	feed(&tt, "info: done\n");
	assert_int_equal(tt.lines.n, 4);
	assert_string_equal(tt.lines.v[0], "info: downloading");
	assert_string_equal(tt.lines.v[1], " [=======] 100%");
	assert_string_equal(tt.lines.v[2], "info: done");
	assert_string_equal(tt.lines.v[3], "");
	assert_string_equal(termtext_last(&tt), "info: done");
	termtext_release(&tt);
}

static void
test_escapes(void **state)
{
	struct termtext tt = TERMTEXT_INIT;
	const char *s = "\033[1m\033[32minfo:\033[0m a\nbar 1\nbar 2\n"
			"\033[2A\033[2Kbar one\n\033[2Kbar two\n\033]0;title\007end";

	(void)state;
	/* one byte at a time: a sequence may be split anywhere */
	for (size_t i = 0; i < strlen(s); i++)
		termtext_feed(&tt, s + i, 1);
	assert_int_equal(tt.lines.n, 4);
	assert_string_equal(tt.lines.v[0], "info: a");
	assert_string_equal(tt.lines.v[1], "bar one");
	assert_string_equal(tt.lines.v[2], "bar two");
	assert_string_equal(tt.lines.v[3], "end");
	/* erase to the end of the line after a shorter redraw */
	feed(&tt, "\rE\033[K");
	assert_string_equal(tt.lines.v[3], "E");
	feed(&tt, "\033[2J");
	assert_int_equal(tt.lines.n, 0);
	assert_string_equal(termtext_last(&tt), "");
	termtext_release(&tt);
}

static void
test_keeps_the_last_lines(void **state)
{
	struct termtext tt = TERMTEXT_INIT;

	(void)state;
	for (int i = 0; i < TERMTEXT_MAX_LINES + 50; i++)
		feed(&tt, "line\n");
	feed(&tt, "last");
	assert_int_equal(tt.lines.n, TERMTEXT_MAX_LINES);
	assert_string_equal(tt.lines.v[tt.lines.n - 1], "last");
	termtext_release(&tt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_carriage_return_redraws),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_keeps_the_last_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
