/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * strvec_test.c - the string vector (push, pushf, pushv, pop, clear,
 * detach, equal, has: always NULL-terminated, owning its strings) and
 * ALLOC_GROW.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rpx.h"
#include "strvec.h"

static void
test_push_keeps_null_end(void **state)
{
	struct strvec sv = STRVEC_INIT;
	char word[] = "cargo";
	const char *copy;

	(void)state;
	assert_null(sv.v);
	copy = strvec_push(&sv, word);
	word[0] = 'X';			/* the vector holds its own copy */
	assert_string_equal(copy, "cargo");
	assert_ptr_equal(sv.v[0], copy);
	assert_int_equal(sv.n, 1);
	assert_null(sv.v[1]);
	strvec_pushf(&sv, "--jobs=%d", 4);
	strvec_push_nodup(&sv, xstrdup("build"));
	assert_int_equal(sv.n, 3);
	assert_string_equal(sv.v[1], "--jobs=4");
	assert_string_equal(sv.v[2], "build");
	assert_null(sv.v[3]);
	strvec_clear(&sv);
	assert_null(sv.v);
	assert_int_equal(sv.n, 0);
	/* reusable after clear */
	strvec_push(&sv, "again");
	assert_string_equal(sv.v[0], "again");
	strvec_clear(&sv);
}

static void
test_many_pushes_grow(void **state)
{
	struct strvec sv;
	size_t last_alloc = 0;
	int grows = 0;

	(void)state;
	strvec_init(&sv);
	for (int i = 0; i < 10000; i++) {
		strvec_pushf(&sv, "s%d", i);
		if (sv.alloc != last_alloc) {
			assert_true(sv.alloc > sv.n);	/* room for the NULL */
			last_alloc = sv.alloc;
			grows++;
		}
	}
	assert_int_equal(sv.n, 10000);
	assert_string_equal(sv.v[0], "s0");
	assert_string_equal(sv.v[9999], "s9999");
	assert_null(sv.v[10000]);
	/* geometric growth: a handful of reallocations, not thousands */
	assert_true(grows < 30);
	strvec_clear(&sv);
}

static void
test_pop_and_pushv(void **state)
{
	static const char *const words[] = { "a", "b", "c", NULL };
	struct strvec sv = STRVEC_INIT;

	(void)state;
	strvec_pop(&sv);		/* empty: nothing happens */
	assert_int_equal(sv.n, 0);
	strvec_pushv(&sv, words);
	strvec_pushv(&sv, NULL);
	assert_int_equal(sv.n, 3);
	strvec_pop(&sv);
	assert_int_equal(sv.n, 2);
	assert_null(sv.v[2]);
	assert_string_equal(sv.v[1], "b");
	strvec_pop(&sv);
	strvec_pop(&sv);
	strvec_pop(&sv);
	assert_int_equal(sv.n, 0);
	assert_null(sv.v[0]);
	strvec_clear(&sv);
}

static void
test_detach(void **state)
{
	struct strvec sv = STRVEC_INIT;
	char **v;

	(void)state;
	v = strvec_detach(&sv);		/* empty still gives an array */
	assert_non_null(v);
	assert_null(v[0]);
	strvec_free_array(v);
	strvec_push(&sv, "x");
	strvec_push(&sv, "y");
	v = strvec_detach(&sv);
	assert_null(sv.v);
	assert_int_equal(sv.n, 0);
	assert_int_equal(sv.alloc, 0);
	assert_string_equal(v[0], "x");
	assert_string_equal(v[1], "y");
	assert_null(v[2]);
	strvec_free_array(v);
	strvec_free_array(NULL);
}

static void
test_equal_has(void **state)
{
	struct strvec a = STRVEC_INIT, b = STRVEC_INIT;

	(void)state;
	assert_true(strvec_equal(&a, &b));	/* both empty */
	strvec_push(&a, "-C");
	assert_false(strvec_equal(&a, &b));
	strvec_push(&b, "-C");
	assert_true(strvec_equal(&a, &b));
	strvec_push(&a, "lto");
	strvec_push(&b, "LTO");
	assert_false(strvec_equal(&a, &b));	/* case counts */
	strvec_pop(&b);
	strvec_push(&b, "lto");
	assert_true(strvec_equal(&a, &b));
	strvec_pop(&a);
	strvec_pop(&a);
	strvec_clear(&b);
	assert_true(strvec_equal(&a, &b));	/* popped empty == cleared */
	assert_false(strvec_has(&a, "-C"));
	strvec_push(&a, "-C");
	strvec_push(&a, "lto");
	assert_true(strvec_has(&a, "lto"));
	assert_false(strvec_has(&a, "LTO"));
	assert_false(strvec_has(&a, "-"));
	strvec_clear(&a);
}

static void
test_alloc_grow(void **state)
{
	int *a = NULL;
	size_t alloc = 0;

	(void)state;
	ALLOC_GROW(a, 1, alloc);
	assert_non_null(a);
	assert_true(alloc >= 8);
	ALLOC_GROW(a, 5, alloc);	/* fits: no change */
	assert_int_equal(alloc, 8);
	ALLOC_GROW(a, 9, alloc);
	assert_int_equal(alloc, 12);	/* half again */
	ALLOC_GROW(a, 100, alloc);	/* a big jump takes what is asked */
	assert_int_equal(alloc, 100);
	for (int i = 0; i < 100; i++)
		a[i] = i;
	assert_int_equal(a[99], 99);
	free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push_keeps_null_end),
		cmocka_unit_test(test_many_pushes_grow),
		cmocka_unit_test(test_pop_and_pushv),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_equal_has),
		cmocka_unit_test(test_alloc_grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
