/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * opt_test.c - the option parser: every binding kind (bool, string, int
 * with its range, callback), entries returned by id, long options as
 * --name=value and --name value, bundled short flags and -xVALUE, "--",
 * positional arguments, the exact usage-error messages (with "Did you
 * mean" for a close option), and the common -q/--quiet and --version
 * (set ctx.quiet; listed in --help; a table's own entry wins); opt_each()
 * walks what --help lists, in its order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "opt.h"
#include "rpx.h"

struct args {
	bool verbose, yes;
	const char *name;
	int count;
	int level;		/* set by the callback: "low" 1, "high" 2 */
};

enum { OPT_RAW = 1 };

static int
level_cb(struct opt_parser *p, const struct opt *o, void *field)
{
	(void)o;
	if (strcmp(p->arg, "low") == 0 || strcmp(p->arg, "high") == 0) {
		*(int *)field = p->arg[0] == 'l' ? 1 : 2;
		return 0;
	}
	rpx_usage_error(p->ctx, p->cmd, "--level takes low or high, not '%s'",
			p->arg);
	return OPT_ERROR;
}

static const struct opt table[] = {
	OPT_BOOL_F("verbose", 'v', struct args, verbose, "say more"),
	OPT_BOOL_F("yes", 'y', struct args, yes, "do not ask"),
	OPT_STRING_F("name", 'N', struct args, name, "NAME", "a name"),
	OPT_INT_F("count", struct args, count, "N", 10, "how many"),
	OPT_CALL_F("level", struct args, level, "low|high", level_cb,
		   "how loud"),
	OPT_ID_ENTRY("raw", 'r', OPT_ARG, OPT_RAW, "TEXT", "returned by id"),
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

/* One parse of argv (NULL-terminated) into a; the messages in err. */
struct run {
	struct ctx ctx;
	char *errbuf;
	size_t errlen;
	struct args a;
	int ids[8], nids;
	const char *raw;
	char *pos[8];
	int npos;
	int last;		/* OPT_DONE or OPT_ERROR */
};

static void
parse(struct run *r, const char *const *argv, bool stop)
{
	struct opt_parser p;
	int argc = 0, id;

	while (argv[argc] != NULL)
		argc++;
	memset(r, 0, sizeof(*r));
	ctx_init(&r->ctx, "rpi-cross");
	r->ctx.err = open_memstream(&r->errbuf, &r->errlen);
	assert_non_null(r->ctx.err);
	opt_init(&p, &r->ctx, "demo", table, argc, (char **)argv);
	p.dst = &r->a;
	p.stop_at_positional = stop;
	while ((id = opt_next(&p)) != OPT_DONE && id != OPT_ERROR) {
		r->ids[r->nids++] = id;
		if (id == OPT_RAW)
			r->raw = p.arg;
	}
	r->last = id;
	for (int i = 0; i < p.npos; i++)
		r->pos[r->npos++] = p.pos[i];
	opt_release(&p);
	fclose(r->ctx.err);
}

static void
done(struct run *r)
{
	free(r->errbuf);
}

static void
test_bool_string_int_call(void **state)
{
	static const char *const argv[] = {
		"demo", "--verbose", "--name=pi4", "--count", "7",
		"--level", "high", NULL
	};
	struct run r;

	(void)state;
	parse(&r, argv, false);
	assert_int_equal(r.last, OPT_DONE);
	assert_int_equal(r.nids, 0);	/* all bound: no id comes back */
	assert_true(r.a.verbose);
	assert_false(r.a.yes);
	assert_string_equal(r.a.name, "pi4");
	assert_int_equal(r.a.count, 7);
	assert_int_equal(r.a.level, 2);
	assert_int_equal(r.errlen, 0);
	done(&r);
}

static void
test_forms_of_values(void **state)
{
	static const char *const a1[] = { "demo", "--name", "x y", NULL };
	static const char *const a2[] = { "demo", "-Nshort", NULL };
	static const char *const a3[] = { "demo", "-N", "spaced", NULL };
	static const char *const a4[] = { "demo", "--name=", NULL };
	static const char *const a5[] = { "demo", "--name", "--count", NULL };
	struct run r;

	(void)state;
	parse(&r, a1, false);
	assert_string_equal(r.a.name, "x y");
	done(&r);
	parse(&r, a2, false);
	assert_string_equal(r.a.name, "short");
	done(&r);
	parse(&r, a3, false);
	assert_string_equal(r.a.name, "spaced");
	done(&r);
	parse(&r, a4, false);
	assert_string_equal(r.a.name, "");	/* an empty value is a value */
	done(&r);
	parse(&r, a5, false);
	assert_string_equal(r.a.name, "--count");	/* taken as the value */
	assert_int_equal(r.last, OPT_DONE);
	done(&r);
}

static void
test_bundled_short_flags(void **state)
{
	static const char *const a1[] = { "demo", "-vy", NULL };
	static const char *const a2[] = { "demo", "-yNbundled", "-v", NULL };
	static const char *const a3[] = { "demo", "-vr", "text", "-y", NULL };
	struct run r;

	(void)state;
	parse(&r, a1, false);
	assert_true(r.a.verbose);
	assert_true(r.a.yes);
	done(&r);
	parse(&r, a2, false);
	assert_true(r.a.yes);
	assert_string_equal(r.a.name, "bundled");
	assert_true(r.a.verbose);
	done(&r);
	/* an unbound entry in a bundle comes back by id, then parsing goes on */
	parse(&r, a3, false);
	assert_int_equal(r.nids, 1);
	assert_int_equal(r.ids[0], OPT_RAW);
	assert_string_equal(r.raw, "text");
	assert_true(r.a.verbose);
	assert_true(r.a.yes);
	done(&r);
}

static void
expect_error(const char *const *argv, const char *msg)
{
	struct run r;

	parse(&r, argv, false);
	assert_int_equal(r.last, OPT_ERROR);
	assert_non_null(r.errbuf);
	assert_string_equal(r.errbuf, msg);
	done(&r);
}

static void
test_usage_errors(void **state)
{
	static const char *const unknown_long[] = { "demo", "--bogus=1", NULL };
	static const char *const unknown_short[] = { "demo", "-vz", NULL };
	static const char *const missing_long[] = { "demo", "--count", NULL };
	static const char *const missing_short[] = { "demo", "-N", NULL };
	static const char *const no_value[] = { "demo", "--yes=1", NULL };
	static const char *const too_big[] = { "demo", "--count=11", NULL };
	static const char *const negative[] = { "demo", "--count", "-1", NULL };
	static const char *const not_num[] = { "demo", "--count", "7x", NULL };
	static const char *const cb_bad[] = { "demo", "--level", "mid", NULL };
	static const char *const close1[] = { "demo", "--verbos", NULL };
	static const char *const close2[] = { "demo", "--cuont=3", NULL };
	static const char *const close_ver[] = { "demo", "--versoin", NULL };
	static const char *const far[] = { "demo", "--frobnicate", NULL };

	(void)state;
	expect_error(unknown_long, "rpi-cross: error: unknown option '--bogus'\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
	expect_error(unknown_short, "rpi-cross: error: unknown option '-z'\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
	expect_error(missing_long, "rpi-cross: error: option '--count' needs a value\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
	expect_error(missing_short, "rpi-cross: error: option '-N' needs a value\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
	expect_error(no_value, "rpi-cross: error: option '--yes' takes no value\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
	expect_error(too_big, "rpi-cross: error: option '--count' needs a number "
		     "from 0 to 10, not '11'\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
	expect_error(negative, "rpi-cross: error: option '--count' needs a number "
		     "from 0 to 10, not '-1'\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
	expect_error(not_num, "rpi-cross: error: option '--count' needs a number "
		     "from 0 to 10, not '7x'\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
	expect_error(cb_bad, "rpi-cross: error: --level takes low or high, not 'mid'\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
	/* a close name (the table's, or --version) is suggested; nonsense
	 * gets no suggestion */
	expect_error(close1, "rpi-cross: error: unknown option '--verbos'\n"
		     "Did you mean '--verbose'?\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
	expect_error(close2, "rpi-cross: error: unknown option '--cuont'\n"
		     "Did you mean '--count'?\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
	expect_error(close_ver, "rpi-cross: error: unknown option '--versoin'\n"
		     "Did you mean '--version'?\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
	expect_error(far, "rpi-cross: error: unknown option '--frobnicate'\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
}

static void
test_positionals_and_double_dash(void **state)
{
	static const char *const a1[] = {
		"demo", "one", "-v", "-", "two", "--", "--yes", "-N", NULL
	};
	static const char *const a2[] = {
		"demo", "-v", "prog", "--yes", "arg", NULL
	};
	struct run r;

	(void)state;
	parse(&r, a1, false);
	assert_int_equal(r.last, OPT_DONE);
	assert_true(r.a.verbose);
	assert_false(r.a.yes);		/* after "--": positional */
	assert_int_equal(r.npos, 5);
	assert_string_equal(r.pos[0], "one");
	assert_string_equal(r.pos[1], "-");
	assert_string_equal(r.pos[2], "two");
	assert_string_equal(r.pos[3], "--yes");
	assert_string_equal(r.pos[4], "-N");
	done(&r);
	/* stop_at_positional: the program's own options stay its own */
	parse(&r, a2, true);
	assert_true(r.a.verbose);
	assert_false(r.a.yes);
	assert_int_equal(r.npos, 3);
	assert_string_equal(r.pos[0], "prog");
	assert_string_equal(r.pos[1], "--yes");
	done(&r);
}

/* Without a struct to write to, a bound entry comes back by its id. */
static void
test_unbound_without_dst(void **state)
{
	static const char *const argv[] = { "demo", "--help", "-r", "x", NULL };
	struct ctx ctx;
	struct opt_parser p;

	(void)state;
	ctx_init(&ctx, "rpi-cross");
	opt_init(&p, &ctx, "demo", table, 4, (char **)argv);
	assert_int_equal(opt_next(&p), OPT_HELP);
	assert_int_equal(opt_next(&p), OPT_RAW);
	assert_string_equal(p.arg, "x");
	assert_int_equal(opt_next(&p), OPT_DONE);
	opt_release(&p);
}

static void
test_help_table(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	opt_print_help(f, table);
	fclose(f);
	assert_non_null(strstr(buf, "  -v, --verbose               say more\n"));
	assert_non_null(strstr(buf, "      --count N               how many\n"));
	assert_non_null(strstr(buf, "  -N, --name NAME             a name\n"));
	/* the argument name follows the option */
	assert_non_null(strstr(buf, "      --level low|high        how loud\n"));
	assert_non_null(strstr(buf, "  -h, --help                  show this "
			       "help and exit\n"));
	/* the common options close every table's help */
	assert_non_null(strstr(buf, "help and exit\n"
			       "  -q, --quiet                 print no progress "
			       "or notes on stderr\n"
			       "      --version               print the version "
			       "and exit\n"));
	free(buf);
}

/* -q/--quiet and --version belong to every table: --quiet sets
 * ctx.quiet, alone, bundled or long, and takes no value. */
static void
test_common_quiet(void **state)
{
	static const char *const none[] = { "demo", "-v", NULL };
	static const char *const shrt[] = { "demo", "-q", NULL };
	static const char *const lng[] = { "demo", "--quiet", "-y", NULL };
	static const char *const bundle[] = { "demo", "-vqy", "x", NULL };
	static const char *const valued[] = { "demo", "--quiet=1", NULL };
	static const char *const close[] = { "demo", "--quite", NULL };
	struct run r;

	(void)state;
	parse(&r, none, false);
	assert_false(r.ctx.quiet);
	done(&r);
	parse(&r, shrt, false);
	assert_true(r.ctx.quiet);
	assert_int_equal(r.last, OPT_DONE);
	assert_int_equal(r.nids, 0);	/* not returned: handled */
	done(&r);
	parse(&r, lng, false);
	assert_true(r.ctx.quiet);
	assert_true(r.a.yes);
	done(&r);
	parse(&r, bundle, false);
	assert_true(r.ctx.quiet);
	assert_true(r.a.verbose);
	assert_true(r.a.yes);
	assert_int_equal(r.npos, 1);
	done(&r);
	expect_error(valued, "rpi-cross: error: option '--quiet' takes no "
		     "value\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
	expect_error(close, "rpi-cross: error: unknown option '--quite'\n"
		     "Did you mean '--quiet'?\n"
		     "Try 'rpi-cross --help' or 'rpi-cross demo --help'.\n");
}

/* A table's own entry of the same name or letter wins over the common
 * one: returned by its id, ctx.quiet untouched, and --help shows the
 * table's line, not the common one (--version still listed). */
static const struct opt own_q[] = {
	OPT_ID_ENTRY("quiet", 'q', OPT_NOARG, 77, NULL, "mine"),
	OPT_HELP_ENTRY,
	OPT_END_TABLE,
};

static void
test_common_shadowed(void **state)
{
	static const char *const argv[] = { "demo", "-q", "--quiet", NULL };
	struct ctx ctx;
	struct opt_parser p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	ctx_init(&ctx, "rpi-cross");
	opt_init(&p, &ctx, "demo", own_q, 3, (char **)argv);
	assert_int_equal(opt_next(&p), 77);
	assert_int_equal(opt_next(&p), 77);
	assert_int_equal(opt_next(&p), OPT_DONE);
	assert_false(ctx.quiet);
	opt_release(&p);

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	opt_print_help(f, own_q);
	fclose(f);
	assert_string_equal(buf,
			    "  -q, --quiet                 mine\n"
			    "  -h, --help                  show this help and exit\n"
			    "  -v, --verbose               show the programs run and the SSH steps "
			    "(-vv: libssh's log too)\n"
			    "      --version               print the version and exit\n");
	free(buf);
}

/* -v/--verbose, common to every table without its own: each adds one
 * to ctx.verbose, bundled (-vv) or long; the table's own -q still wins. */
static void
test_common_verbose(void **state)
{
	static const char *const argv[] = { "demo", "-vv", "--verbose", "-q",
					    "--verbose=2", NULL };
	struct ctx ctx;
	struct opt_parser p;

	(void)state;
	ctx_init(&ctx, "rpi-cross");
	assert_int_equal(ctx.verbose, 0);
	opt_init(&p, &ctx, "demo", own_q, 4, (char **)argv);
	assert_int_equal(opt_next(&p), 77);
	assert_int_equal(opt_next(&p), OPT_DONE);
	assert_int_equal(ctx.verbose, 3);
	opt_release(&p);
	/* it takes no value */
	ctx.err = fopen("/dev/null", "w");
	assert_non_null(ctx.err);
	opt_init(&p, &ctx, "demo", own_q, 6, (char **)argv);
	while (opt_next(&p) >= 0)
		;
	assert_int_equal(ctx.verbose, 6);
	opt_release(&p);
	fclose(ctx.err);
}

/* opt_each() walks the table, then the common options it does not
 * declare: the list --help prints and the completions offer. */
static void
test_each(void **state)
{
	static const struct opt empty[] = { OPT_END_TABLE };
	const char *names[16];
	size_t n = 0;

	(void)state;
	for (const struct opt *o = opt_each(table, NULL); o != NULL;
	     o = opt_each(table, o))
		names[n++] = o->name;
	assert_int_equal(n, 9);
	assert_string_equal(names[0], "verbose");
	assert_string_equal(names[5], "raw");
	assert_string_equal(names[6], "help");
	assert_string_equal(names[7], "quiet");
	assert_string_equal(names[8], "version");
	n = 0;
	for (const struct opt *o = opt_each(own_q, NULL); o != NULL;
	     o = opt_each(own_q, o))
		names[n++] = o->name;
	assert_int_equal(n, 4);
	assert_int_equal(opt_each(own_q, NULL)->id, 77);
	assert_string_equal(names[2], "verbose");
	assert_string_equal(names[3], "version");
	/* an empty table still takes the common ones */
	n = 0;
	for (const struct opt *o = opt_each(empty, NULL); o != NULL;
	     o = opt_each(empty, o))
		names[n++] = o->name;
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "quiet");
	assert_string_equal(names[1], "verbose");
	assert_string_equal(names[2], "version");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bool_string_int_call),
		cmocka_unit_test(test_forms_of_values),
		cmocka_unit_test(test_bundled_short_flags),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_positionals_and_double_dash),
		cmocka_unit_test(test_unbound_without_dst),
		cmocka_unit_test(test_help_table),
		cmocka_unit_test(test_common_quiet),
		cmocka_unit_test(test_common_shadowed),
		cmocka_unit_test(test_common_verbose),
		cmocka_unit_test(test_each),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
