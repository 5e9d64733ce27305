/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * suggest_test.c - the edit distance (insertions, deletions, changes,
 * swapped neighbours as one edit, ASCII case ignored, empty strings,
 * symmetry) and "did you mean": the limit by typed length, only the
 * closest names kept in offered order, the text for one, two and three
 * names, and nothing for nonsense.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rpx.h"
#include "suggest.h"

static void
test_distance(void **state)
{
	(void)state;
	assert_int_equal(rpx_edit_distance("", ""), 0);
	assert_int_equal(rpx_edit_distance("", "abc"), 3);
	assert_int_equal(rpx_edit_distance("abc", ""), 3);
	assert_int_equal(rpx_edit_distance("setup", "setup"), 0);
	assert_int_equal(rpx_edit_distance("setp", "setup"), 1);	/* insert */
	assert_int_equal(rpx_edit_distance("setuup", "setup"), 1);	/* delete */
	assert_int_equal(rpx_edit_distance("setop", "setup"), 1);	/* change */
	assert_int_equal(rpx_edit_distance("stuep", "setup"), 2);
	/* a swap of neighbours is one edit (plain Levenshtein says 2) */
	assert_int_equal(rpx_edit_distance("steup", "setup"), 1);
	assert_int_equal(rpx_edit_distance("dotcor", "doctor"), 1);
	assert_int_equal(rpx_edit_distance("ab", "ba"), 1);
	/* optimal string alignment: a swapped pair is not edited again */
	assert_int_equal(rpx_edit_distance("ca", "abc"), 3);
	/* ASCII case does not count */
	assert_int_equal(rpx_edit_distance("ZERO2W", "zero2w"), 0);
	assert_int_equal(rpx_edit_distance("Pi44", "pi4"), 1);
	assert_int_equal(rpx_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(rpx_edit_distance("sitting", "kitten"), 3);
	assert_int_equal(rpx_edit_distance("dry-rn", "dry-run"), 1);
	/* bytes beyond ASCII are compared as bytes */
	assert_int_equal(rpx_edit_distance("caf\xc3\xa9", "cafe"), 2);
}

static void
test_limit(void **state)
{
	(void)state;
	assert_int_equal(suggest_limit(0), 0);
	assert_int_equal(suggest_limit(1), 0);	/* fewer edits than letters */
	assert_int_equal(suggest_limit(2), 1);
	assert_int_equal(suggest_limit(5), 1);
	assert_int_equal(suggest_limit(6), 2);
	assert_int_equal(suggest_limit(40), 2);
}

/* The suggestion for typed among names (NULL-ended), "" for none. */
static void
expect(const char *typed, const char *const *names, const char *prefix,
       const char *want)
{
	struct suggest s;
	char *t;

	suggest_init(&s, typed);
	for (size_t i = 0; names[i] != NULL; i++)
		suggest_add(&s, names[i]);
	t = suggest_text(&s, prefix);
	if (want == NULL)
		assert_null(t);
	else
		assert_string_equal(t, want);
	free(t);
	suggest_release(&s);
}

static void
test_suggestions(void **state)
{
	static const char *const cmds[] = {
		"setup", "boards", "targets", "linkers", "cpus", "detect",
		"config", "run", "test", "doctor", "help", NULL
	};
	static const char *const boards[] = {
		"pi1a", "pi2", "pi3", "pi4", "pi400", "pi5", "pi500", "zero",
		"zerow", "zero2w", "cm4", NULL
	};
	static const char *const opts[] = {
		"dry-run", "yes", "board", "bits", "json", "help", NULL
	};

	(void)state;
	expect("setp", cmds, NULL, "Did you mean 'setup'?");
	expect("SETUP", cmds, NULL, "Did you mean 'setup'?");
	expect("dotcor", cmds, NULL, "Did you mean 'doctor'?");
	/* both at distance 1: both, in the order offered */
	expect("tst", cmds, NULL, "Did you mean 'test'?");
	expect("rn", cmds, NULL, "Did you mean 'run'?");
	expect("pi44", boards, NULL, "Did you mean 'pi4'?");
	expect("zero2", boards, NULL,
	       "Did you mean 'zero', 'zerow' or 'zero2w'?");
	expect("pi50", boards, NULL, "Did you mean 'pi5' or 'pi500'?");
	expect("dry-rn", opts, "--", "Did you mean '--dry-run'?");
	expect("jsno", opts, "--", "Did you mean '--json'?");
	/* nonsense gets nothing */
	expect("frobnicate", cmds, NULL, NULL);
	expect("xyzzy", cmds, NULL, NULL);
	expect("banana", boards, NULL, NULL);
	expect("bogus", opts, "--", NULL);
	expect("x", opts, "--", NULL);
	expect("", cmds, NULL, NULL);
	/* the exact name is never suggested to itself */
	expect("setup", cmds, NULL, NULL);
}

/* Closer names replace farther ones; a repeated name counts once. */
static void
test_closest_only(void **state)
{
	static const char *const names[] = {
		"lnkers", "linkers", "links", "linkers", NULL
	};

	(void)state;
	/* "linkrs": 2 from "lnkers", 1 from "linkers" and "links" */
	expect("linkrs", names, NULL, "Did you mean 'linkers' or 'links'?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_suggestions),
		cmocka_unit_test(test_closest_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
