/* exepath_test.c - the running binary finds its own file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "exepath.h"

static void
test_exe_path_is_this_test(void **state)
{
	/* the state is argv[0] (main) */
	char *exe = rpx_exe_path();
	char *real = realpath(*state, NULL);

	assert_non_null(exe);
	assert_non_null(real);
	assert_true(exe[0] == '/');
	/* absolute, links resolved: the file started as argv[0] */
	assert_string_equal(exe, real);
	assert_non_null(strstr(exe, "/exepath_test"));
	free(exe);
	free(real);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_exe_path_is_this_test, argv[0]),
	};

	(void)argc;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
