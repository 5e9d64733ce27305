/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* rustflags_test.c - the one reader of rustflags: splitting (TOML string,
 * array, environment forms), the four spellings of a codegen option,
 * target-cpu, link-args, malformed lists, and the edit a setup makes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rpx.h"
#include "rustflags.h"
#include "toml.h"

/* f holds exactly the NULL-ended want. */
static void
assert_flags(const struct strvec *f, const char *const *want)
{
	size_t n = 0;

	while (want[n] != NULL)
		n++;
	if (f->n != n)
		fail_msg("%zu flags, want %zu", f->n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(f->v[i], want[i]);
	if (n > 0)
		assert_null(f->v[n]);
	else
		assert_null(f->v);
}

static void
test_split(void **state)
{
	struct strvec f = STRVEC_INIT;

	(void)state;
	rustflags_split(&f, "  -C\ttarget-cpu=cortex-a72\r\n-g  ");
	assert_flags(&f, (const char *[]){ "-C", "target-cpu=cortex-a72",
					   "-g", NULL });
	rustflags_split(&f, "");
	rustflags_split(&f, NULL);
	assert_int_equal(f.n, 3);
	strvec_clear(&f);
	rustflags_split(&f, " \t ");
	assert_flags(&f, (const char *[]){ NULL });

	/* CARGO_ENCODED_RUSTFLAGS: 0x1f only; blanks stay, empties go */
	rustflags_split_encoded(&f, "-C\x1flink-arg=-s x\x1f\x1f-g\x1f");
	assert_flags(&f, (const char *[]){ "-C", "link-arg=-s x", "-g",
					   NULL });
	strvec_clear(&f);
}

static void
test_from_toml(void **state)
{
	struct toml_doc *doc = NULL;
	static const char text[] =
		"s = \" -C  target-cpu=x -g\"\n"
		"a = [\"-C\", \"link-arg=-s x\", 1, \"-g\"]\n"
		"n = 3\n";
	struct strvec f = STRVEC_INIT;
	bool sf = false;

	(void)state;
	assert_int_equal(toml_parse(&doc, text, strlen(text), NULL, NULL), 0);
	assert_int_equal(rustflags_from_toml(&f, toml_get_key(doc, "s"), &sf),
			 0);
	assert_true(sf);
	assert_flags(&f, (const char *[]){ "-C", "target-cpu=x", "-g", NULL });
	strvec_clear(&f);
	/* an array's strings as they are; a non-string is skipped */
	assert_int_equal(rustflags_from_toml(&f, toml_get_key(doc, "a"), &sf),
			 0);
	assert_false(sf);
	assert_flags(&f, (const char *[]){ "-C", "link-arg=-s x", "-g",
					   NULL });
	strvec_clear(&f);
	assert_int_equal(rustflags_from_toml(&f, toml_get_key(doc, "n"), &sf),
			 RPX_EINVAL);
	assert_false(sf);
	assert_int_equal(f.n, 0);
	assert_int_equal(rustflags_from_toml(&f, NULL, NULL), 0);
	assert_int_equal(f.n, 0);
	toml_doc_free(doc);
}

static void
test_from_value(void **state)
{
	struct cargo_config_value v = CARGO_CONFIG_VALUE_INIT;
	static const char *const list[] = { "-C", "opt-level=2", NULL };
	struct strvec f = STRVEC_INIT;

	(void)state;
	assert_int_equal(rustflags_from_value(&f, &v), 0);
	assert_int_equal(f.n, 0);
	v.type = CARGO_VALUE_STRING;
	v.str = "-Ctarget-cpu=cortex-a76  -g";
	assert_int_equal(rustflags_from_value(&f, &v), 0);
	v.type = CARGO_VALUE_LIST;
	strvec_pushv(&v.list, list);
	assert_int_equal(rustflags_from_value(&f, &v), 0);
	assert_flags(&f, (const char *[]){ "-Ctarget-cpu=cortex-a76", "-g",
					   "-C", "opt-level=2", NULL });
	strvec_clear(&f);
	v.type = CARGO_VALUE_INT;
	assert_int_equal(rustflags_from_value(&f, &v), RPX_EINVAL);
	v.type = CARGO_VALUE_OTHER;
	assert_int_equal(rustflags_from_value(&f, &v), RPX_EINVAL);
	assert_int_equal(f.n, 0);
	strvec_clear(&v.list);
}

static void
test_codegen_forms(void **state)
{
	char *flags[] = { "-C", "a=1", "-Cb=2", "--codegen", "c=3",
			  "--codegen=d=4", "-g", "-C", NULL };
	size_t w;

	(void)state;
	assert_string_equal(rustflags_codegen(flags, 0, &w), "a=1");
	assert_int_equal(w, 2);
	assert_string_equal(rustflags_codegen(flags, 2, &w), "b=2");
	assert_int_equal(w, 1);
	assert_string_equal(rustflags_codegen(flags, 3, &w), "c=3");
	assert_int_equal(w, 2);
	assert_string_equal(rustflags_codegen(flags, 5, &w), "d=4");
	assert_int_equal(w, 1);
	assert_null(rustflags_codegen(flags, 6, &w));
	assert_int_equal(w, 1);
	/* a lone -C at the end holds no option */
	assert_null(rustflags_codegen(flags, 7, &w));
	assert_int_equal(w, 1);
}

/* These were the doctor's doctor_rustflags_cpu() assertions. */
static void
test_target_cpu(void **state)
{
	char *a[] = { "-C", "target-cpu=cortex-a53", "-C", "opt-level=3", NULL };
	char *b[] = { "-Ctarget-cpu=cortex-a7", "-C", "target-cpu=cortex-a72",
		      NULL };
	char *c[] = { "--codegen", "target-cpu=arm1176jzf-s", NULL };
	char *d[] = { "--codegen=target-cpu=cortex-a76", NULL };
	char *e[] = { "-C", "link-arg=-fuse-ld=lld", "target-cpu=x", NULL };
	char *f[] = { "-C", NULL };
	char *g[] = { "-g", "--codegen", "target-cpu=cortex-a53",
		      "-Copt-level=s", "--codegen=target-cpu=cortex-a72",
		      "-C", NULL };

	(void)state;
	assert_string_equal(rustflags_target_cpu(a), "cortex-a53");
	/* the last one wins, as in rustc */
	assert_string_equal(rustflags_target_cpu(b), "cortex-a72");
	assert_string_equal(rustflags_target_cpu(c), "arm1176jzf-s");
	assert_string_equal(rustflags_target_cpu(d), "cortex-a76");
	/* a bare target-cpu= word is not a codegen option */
	assert_null(rustflags_target_cpu(e));
	assert_null(rustflags_target_cpu(f));
	assert_null(rustflags_target_cpu(NULL));
	/* mixed forms, a lone -C at the end */
	assert_string_equal(rustflags_target_cpu(g), "cortex-a72");
}

static void
test_option(void **state)
{
	char *f[] = { "-Copt-level=2", "--codegen", "opt-level=3", "-C",
		      "opt-levels=1", "-C", "debuginfo", "-C", "lto=fat",
		      "opt-level=0", NULL };

	(void)state;
	assert_string_equal(rustflags_option(f, "opt-level"), "3");
	assert_string_equal(rustflags_option(f, "lto"), "fat");
	/* an option without a value, a longer name, a bare word: none */
	assert_null(rustflags_option(f, "debuginfo"));
	assert_null(rustflags_option(f, "opt-levels=1"));
	assert_null(rustflags_option(f, "target-cpu"));
	assert_null(rustflags_option(NULL, "lto"));
}

static void
test_link_args(void **state)
{
	char *only[] = { "-C", "link-arg=-fuse-ld=lld", "-Clink-arg=-B/x",
			 "--codegen", "link-args=-a  -b", "--codegen=link-arg=-c",
			 NULL };
	char *mixed[] = { "-C", "target-cpu=x", "-Clink-arg=-s", "-g", NULL };
	char *lone[] = { "-Clink-arg=-s", "-C", NULL };
	char *empty[] = { NULL };
	struct strvec out = STRVEC_INIT;

	(void)state;
	/* every form, --codegen ones included (linker.c's own parser
	 * skipped those) */
	assert_true(rustflags_link_args(only, &out));
	assert_flags(&out, (const char *[]){ "-fuse-ld=lld", "-B/x", "-a",
					     "-b", "-c", NULL });
	strvec_clear(&out);
	/* another option or flag: still the link-args, but not "only" */
	assert_false(rustflags_link_args(mixed, &out));
	assert_flags(&out, (const char *[]){ "-s", NULL });
	strvec_clear(&out);
	assert_false(rustflags_link_args(lone, &out));
	assert_flags(&out, (const char *[]){ "-s", NULL });
	strvec_clear(&out);
	assert_true(rustflags_link_args(empty, &out));
	assert_true(rustflags_link_args(NULL, &out));
	assert_int_equal(out.n, 0);
}

static void
test_managed(void **state)
{
	(void)state;
	assert_true(rustflags_managed("target-cpu=cortex-a72"));
	assert_true(rustflags_managed("link-arg=-fuse-ld=lld"));
	assert_true(rustflags_managed("link-arg=--target=armv7-linux-gnueabihf"));
	assert_true(rustflags_managed("link-arg=-target"));
	assert_true(rustflags_managed("link-arg=-B/opt/x"));
	assert_true(rustflags_managed("link-arg=--ld-path=/x/ld.lld"));
	assert_false(rustflags_managed("link-arg=-s"));
	assert_false(rustflags_managed("link-args=-fuse-ld=lld"));
	assert_false(rustflags_managed("opt-level=3"));
}

/* Replacing what a previous setup wrote, keeping the user's flags in
 * order, in every form. */
static void
test_edit(void **state)
{
	struct strvec old = STRVEC_INIT, out = STRVEC_INIT;
	char *largs[] = { "-fuse-ld=lld", "--target=armv7-linux-gnueabihf",
			  NULL };

	(void)state;
	rustflags_split(&old, "-g -C target-cpu=cortex-a53 --codegen "
			"opt-level=2 -Ctarget-cpu=cortex-a7 "
			"--codegen=link-arg=-fuse-ld=bfd --codegen "
			"link-arg=-B/old -C link-arg=-s -Dwarnings -C");
	rustflags_edit(&old, "cortex-a72", largs, &out);
	assert_flags(&out, (const char *[]){
		"-g", "--codegen", "opt-level=2", "-C", "link-arg=-s",
		"-Dwarnings", "-C",
		"-C", "target-cpu=cortex-a72",
		"-C", "link-arg=-fuse-ld=lld",
		"-C", "link-arg=--target=armv7-linux-gnueabihf", NULL });
	strvec_clear(&out);

	/* no CPU, no link-args: only the user's flags remain */
	rustflags_edit(&old, NULL, NULL, &out);
	assert_flags(&out, (const char *[]){
		"-g", "--codegen", "opt-level=2", "-C", "link-arg=-s",
		"-Dwarnings", "-C", NULL });
	strvec_clear(&out);
	strvec_clear(&old);

	/* nothing before */
	rustflags_edit(&old, "cortex-a76", NULL, &out);
	assert_flags(&out, (const char *[]){ "-C", "target-cpu=cortex-a76",
					     NULL });
	assert_false(strvec_equal(&old, &out));
	strvec_clear(&old);
	strvec_pushv(&old, (const char *const *)out.v);
	assert_true(strvec_equal(&old, &out));
	strvec_clear(&out);
	strvec_clear(&old);
}

static void
test_toml(void **state)
{
	struct strvec f = STRVEC_INIT;
	char *s;

	(void)state;
	rustflags_split(&f, "-C target-cpu=x");
	s = rustflags_toml(&f, true);
	assert_string_equal(s, "\"-C target-cpu=x\"");
	free(s);
	s = rustflags_toml(&f, false);
	assert_string_equal(s, "[\"-C\", \"target-cpu=x\"]");
	free(s);
	/* a flag with a blank cannot stay in a string */
	strvec_push(&f, "link-arg=-Wl,a b");
	s = rustflags_toml(&f, true);
	assert_string_equal(s, "[\"-C\", \"target-cpu=x\", "
			    "\"link-arg=-Wl,a b\"]");
	free(s);
	strvec_clear(&f);
	s = rustflags_toml(&f, false);
	assert_string_equal(s, "[]");
	free(s);
	assert_null(f.v);		/* cleared: empty, nothing held */
	assert_int_equal(f.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_from_toml),
		cmocka_unit_test(test_from_value),
		cmocka_unit_test(test_codegen_forms),
		cmocka_unit_test(test_target_cpu),
		cmocka_unit_test(test_option),
		cmocka_unit_test(test_link_args),
		cmocka_unit_test(test_managed),
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_toml),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
