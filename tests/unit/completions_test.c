/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * completions_test.c - the completion scripts come from the tables: a
 * command table made up here, with an option no real command has, is
 * completed with that option and its value (by its argument name) in the
 * bash, zsh and fish scripts, with no change to the generator.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmd.h"

struct demo_args {
	const char *where;
	bool shiny;
};

static const struct opt demo_opts[] = {
	OPT_STRING_F("brand-new", 0, struct demo_args, where, "BOARD",
		     "an option added today"),
	OPT_BOOL_F("shiny", 's', struct demo_args, shiny, "polish it"),
	OPT_STRING_F("flavour", 0, struct demo_args, where, "sweet|sour",
		     "pick one"),
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static const struct cmd_info demo_info = {
	"demo",
	"rpi-cross demo [--brand-new BOARD]",
	"A command made up for the test.",
	NULL,
	demo_opts,
};

static const struct cmd_info *
demo_info_fn(void)
{
	return &demo_info;
}

static int
demo_cmd(int argc, char **argv, struct ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return 0;
}

static const struct opt global_opts[] = {
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static const struct cmd_entry demo_cmds[] = {
	{ "demo", demo_cmd, "a made-up command", demo_info_fn },
};

/* The script for shell, malloc'd. */
static char *
script(const char *shell)
{
	const struct cmd_cli cli = { demo_cmds, 1, global_opts };
	char *argv[] = { "completions", (char *)shell, NULL };
	struct ctx ctx;
	char *buf = NULL;
	size_t len = 0;

	ctx_init(&ctx, "rpi-cross");
	ctx.out = open_memstream(&buf, &len);
	assert_non_null(ctx.out);
	assert_int_equal(cmd_completions(2, argv, &ctx, &cli), RPX_EXIT_OK);
	fclose(ctx.out);
	return buf;
}

static void
test_bash_and_zsh(void **state)
{
	const char *shells[] = { "bash", "zsh" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		char *s = script(shells[i]);

		assert_non_null(strstr(s, "_rpi_cross_cmds='demo help completions'"));
		assert_non_null(strstr(s, "\t'demo') REPLY='--brand-new --shiny -s "
				       "--flavour --help -h --quiet -q --verbose -v --version' ;;\n"));
		assert_non_null(strstr(s, "\t'demo --brand-new') REPLY='boards' ;;\n"));
		assert_non_null(strstr(s, "\t'demo --flavour') REPLY='words:sweet sour' ;;\n"));
		/* no value to complete for a flag */
		assert_null(strstr(s, "'demo --shiny')"));
		assert_non_null(strstr(s, "\t'') REPLY='--help -h --quiet -q --verbose -v --version' ;;\n"));
		free(s);
	}
}

static void
test_fish(void **state)
{
	char *s = script("fish");

	(void)state;
	assert_non_null(strstr(s, "complete -c rpi-cross -n __fish_use_subcommand "
			       "-a demo -d 'a made-up command'\n"));
	assert_non_null(strstr(s, "complete -c rpi-cross -n '__fish_seen_subcommand_from "
			       "demo' -l brand-new -x -a '(rpi-cross __complete boards "
			       "2>/dev/null)' -d 'an option added today'\n"));
	assert_non_null(strstr(s, "-l shiny -s s -d 'polish it'\n"));
	assert_non_null(strstr(s, "-l flavour -x -a 'sweet sour' -d 'pick one'\n"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bash_and_zsh),
		cmocka_unit_test(test_fish),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
