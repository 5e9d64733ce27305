/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * json_test.c - the streaming JSON writer behind every --json, checked on
 * the exact text it writes (through open_memstream): the 2-space layout
 * and closing newline, commas at every depth, keys and the k* shorthands,
 * empty objects and arrays, integers at their limits, null and booleans,
 * json_str(NULL), string escaping (quote, backslash, the named control
 * characters, the other control characters and DEL as \u00XX, valid UTF-8
 * passed through), invalid UTF-8 as \ufffd per longest bad start (stray
 * continuation bytes, 0xc0/0xc1/0xf5..0xff, overlong forms, surrogates,
 * code points past U+10FFFF, sequences cut short) with the edges of the
 * valid ranges kept, json_write_string alone and what it returns, the
 * command document ("schema" first, "invalid_utf8" last and only when
 * something was replaced), the deepest nesting allowed and the abort
 * beyond it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "rpx.h"

/* A memory stream and its buffer: what the writer wrote. */
struct out {
	FILE *f;
	char *buf;
	size_t len;
};

static void
out_open(struct out *o, struct json *j)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
	if (j != NULL)
		json_init(j, o->f);
}

/* Close the stream, compare with want, free. */
static void
out_check(struct out *o, const char *want)
{
	assert_int_equal(fclose(o->f), 0);
	assert_string_equal(o->buf, want);
	assert_int_equal(o->len, strlen(want));
	free(o->buf);
}

static void
test_empty_containers(void **state)
{
	struct json j;
	struct out o;

	(void)state;
	out_open(&o, &j);
	json_obj_begin(&j);
	json_obj_end(&j);
	out_check(&o, "{}\n");

	out_open(&o, &j);
	json_arr_begin(&j);
	json_arr_end(&j);
	out_check(&o, "[]\n");

	/* Empty ones inside others stay on one line, with commas between. */
	out_open(&o, &j);
	json_obj_begin(&j);
	json_key(&j, "o");
	json_obj_begin(&j);
	json_obj_end(&j);
	json_key(&j, "a");
	json_arr_begin(&j);
	json_arr_end(&j);
	json_obj_end(&j);
	out_check(&o, "{\n  \"o\": {},\n  \"a\": []\n}\n");

	out_open(&o, &j);
	json_arr_begin(&j);
	json_arr_begin(&j);
	json_arr_end(&j);
	json_obj_begin(&j);
	json_obj_end(&j);
	json_arr_end(&j);
	out_check(&o, "[\n  [],\n  {}\n]\n");
}

static void
test_flat_object(void **state)
{
	struct json j;
	struct out o;

	(void)state;
	out_open(&o, &j);
	json_obj_begin(&j);
	json_key(&j, "name");
	json_str(&j, "pi4");
	json_key(&j, "bits");
	json_int(&j, 64);
	json_key(&j, "ok");
	json_bool(&j, true);
	json_key(&j, "bad");
	json_bool(&j, false);
	json_key(&j, "none");
	json_null(&j);
	json_obj_end(&j);
	out_check(&o, "{\n"
		  "  \"name\": \"pi4\",\n"
		  "  \"bits\": 64,\n"
		  "  \"ok\": true,\n"
		  "  \"bad\": false,\n"
		  "  \"none\": null\n"
		  "}\n");
}

/* The k* shorthands write exactly what key + value write. */
static void
test_shorthands(void **state)
{
	struct json j;
	struct out o;

	(void)state;
	out_open(&o, &j);
	json_obj_begin(&j);
	json_kstr(&j, "s", "x\"y");
	json_kstr(&j, "n", NULL);
	json_kint(&j, "i", -7);
	json_kbool(&j, "t", true);
	json_kbool(&j, "f", false);
	json_obj_end(&j);
	out_check(&o, "{\n"
		  "  \"s\": \"x\\\"y\",\n"
		  "  \"n\": null,\n"
		  "  \"i\": -7,\n"
		  "  \"t\": true,\n"
		  "  \"f\": false\n"
		  "}\n");
}

static void
test_nesting_and_commas(void **state)
{
	struct json j;
	struct out o;

	(void)state;
	out_open(&o, &j);
	json_obj_begin(&j);
	json_kstr(&j, "a", "1");
	json_key(&j, "list");
	json_arr_begin(&j);
	json_int(&j, 1);
	json_obj_begin(&j);
	json_kint(&j, "x", 2);
	json_key(&j, "deep");
	json_arr_begin(&j);
	json_null(&j);
	json_str(&j, "z");
	json_arr_end(&j);
	json_obj_end(&j);
	json_bool(&j, false);
	json_arr_end(&j);
	json_key(&j, "after");
	json_obj_begin(&j);
	json_kint(&j, "y", 3);
	json_obj_end(&j);
	json_obj_end(&j);
	out_check(&o, "{\n"
		  "  \"a\": \"1\",\n"
		  "  \"list\": [\n"
		  "    1,\n"
		  "    {\n"
		  "      \"x\": 2,\n"
		  "      \"deep\": [\n"
		  "        null,\n"
		  "        \"z\"\n"
		  "      ]\n"
		  "    },\n"
		  "    false\n"
		  "  ],\n"
		  "  \"after\": {\n"
		  "    \"y\": 3\n"
		  "  }\n"
		  "}\n");
}

/* A top-level array of objects, each closing on its own line. */
static void
test_array_of_objects(void **state)
{
	struct json j;
	struct out o;

	(void)state;
	out_open(&o, &j);
	json_arr_begin(&j);
	for (int i = 0; i < 3; i++) {
		json_obj_begin(&j);
		json_kint(&j, "i", i);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	out_check(&o, "[\n"
		  "  {\n    \"i\": 0\n  },\n"
		  "  {\n    \"i\": 1\n  },\n"
		  "  {\n    \"i\": 2\n  }\n"
		  "]\n");
}

/* Two documents written one after the other through one writer: each
 * closes with its own newline and no comma joins them at depth 0. */
static void
test_two_documents(void **state)
{
	struct json j;
	struct out o;

	(void)state;
	out_open(&o, &j);
	json_obj_begin(&j);
	json_kint(&j, "a", 1);
	json_obj_end(&j);
	json_arr_begin(&j);
	json_arr_end(&j);
	out_check(&o, "{\n  \"a\": 1\n}\n[]\n");
}

static void
test_integers(void **state)
{
	struct json j;
	struct out o;
	char *want;

	(void)state;
	out_open(&o, &j);
	json_arr_begin(&j);
	json_int(&j, 0);
	json_int(&j, -1);
	json_int(&j, 4294967296LL);
	json_int(&j, LLONG_MAX);
	json_int(&j, LLONG_MIN);
	json_arr_end(&j);
	want = xasprintf("[\n  0,\n  -1,\n  4294967296,\n  %lld,\n  %lld\n]\n",
			 LLONG_MAX, LLONG_MIN);
	assert_string_equal(want, "[\n  0,\n  -1,\n  4294967296,\n"
			    "  9223372036854775807,\n"
			    "  -9223372036854775808\n]\n");
	out_check(&o, want);
	free(want);
}

/* One escaped string through json_write_string. */
static void
check_string(const char *in, const char *want)
{
	struct out o;

	out_open(&o, NULL);
	json_write_string(o.f, in);
	out_check(&o, want);
}

static void
test_string_escapes(void **state)
{
	(void)state;
	check_string("", "\"\"");
	check_string("plain text 123", "\"plain text 123\"");
	check_string("say \"hi\"", "\"say \\\"hi\\\"\"");
	check_string("C:\\path\\", "\"C:\\\\path\\\\\"");
	check_string("a\nb\rc\td", "\"a\\nb\\rc\\td\"");
	check_string("\b\f", "\"\\b\\f\"");
	/* The other control characters, and DEL, as \u00XX. */
	check_string("\x01", "\"\\u0001\"");
	check_string("x\x1fy", "\"x\\u001fy\"");
	check_string("\x1b[1m", "\"\\u001b[1m\"");
	check_string("\x0b", "\"\\u000b\"");
	check_string("\x7f", "\"\\u007f\"");
	/* Slash and the printable ASCII edges are not escaped. */
	check_string("/ ~", "\"/ ~\"");
	/* UTF-8 (é, ✓, 🍓) passes through unchanged; bytes that are not
	 * UTF-8 do not (test_invalid_utf8). */
	check_string("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x8d\x93",
		     "\"caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x8d\x93\"");
	check_string("\x80\xff", "\"\\ufffd\\ufffd\"");
}

/* in written as want (without the quotes), and whether it was replaced. */
static void
check_utf8(const char *in, const char *want, bool replaced)
{
	struct out o;
	char *q = xasprintf("\"%s\"", want);

	out_open(&o, NULL);
	assert_int_equal(json_write_string(o.f, in), replaced);
	out_check(&o, q);
	free(q);
}

#define FFFD "\\ufffd"

static void
test_invalid_utf8(void **state)
{
	(void)state;
	/* valid sequences of each length, and the edges of the ranges */
	check_utf8("\xc2\x80 \xdf\xbf", "\xc2\x80 \xdf\xbf", false);
	check_utf8("\xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbf",
		   "\xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbf", false);
	check_utf8("\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf",
		   "\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf", false);
	/* a real U+FFFD is text like any other: not a replacement */
	check_utf8("\xef\xbf\xbd", "\xef\xbf\xbd", false);
	/* bytes that never start a sequence: one each */
	check_utf8("\xff", FFFD, true);
	check_utf8("a\xff" "b", "a" FFFD "b", true);
	check_utf8("\xfe\xf5\xf8", FFFD FFFD FFFD, true);
	check_utf8("\x80", FFFD, true);
	check_utf8("\xbf\xbf", FFFD FFFD, true);
	/* overlong forms: C0/C1 never start one; E0 and F0 need A0/90 up */
	check_utf8("\xc0\xaf", FFFD FFFD, true);
	check_utf8("\xc1\xbf", FFFD FFFD, true);
	check_utf8("\xe0\x80\xaf", FFFD FFFD FFFD, true);
	check_utf8("\xe0\x9f\xbf", FFFD FFFD FFFD, true);
	check_utf8("\xf0\x80\x80\xaf", FFFD FFFD FFFD FFFD, true);
	check_utf8("\xf0\x8f\xbf\xbf", FFFD FFFD FFFD FFFD, true);
	/* UTF-16 surrogates, alone and as a pair */
	check_utf8("\xed\xa0\x80", FFFD FFFD FFFD, true);
	check_utf8("\xed\xbf\xbf", FFFD FFFD FFFD, true);
	check_utf8("\xed\xa0\xbd\xed\xb8\x80", FFFD FFFD FFFD FFFD FFFD FFFD,
		   true);
	/* past U+10FFFF */
	check_utf8("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD, true);
	/* cut short: the started sequence is one replacement, and the byte
	 * that broke it is read again on its own */
	check_utf8("\xe2\x9c", FFFD, true);
	check_utf8("\xe2\x9cx", FFFD "x", true);
	check_utf8("\xf0\x9f\x8d", FFFD, true);
	check_utf8("\xf0\x9f\x8d\"", FFFD "\\\"", true);
	check_utf8("\xc3", FFFD, true);
	check_utf8("\xc3\n", FFFD "\\n", true);
	check_utf8("\xe2\xe2\x9c\x93", FFFD "\xe2\x9c\x93", true);
	check_utf8("caf\xc3\xa9\xc3", "caf\xc3\xa9" FFFD, true);
}

/* A command's document: "schema" first; "invalid_utf8" last, only when
 * a key or a value lost bytes, and not carried into the next document. */
static void
test_document(void **state)
{
	struct json j;
	struct out o;

	(void)state;
	out_open(&o, &j);
	json_doc_begin(&j);
	json_kstr(&j, "path", "/home/pi/caf\xc3\xa9");
	json_doc_end(&j);
	out_check(&o, "{\n"
		  "  \"schema\": 1,\n"
		  "  \"path\": \"/home/pi/caf\xc3\xa9\"\n"
		  "}\n");

	out_open(&o, &j);
	json_doc_begin(&j);
	json_doc_end(&j);
	out_check(&o, "{\n  \"schema\": 1\n}\n");

	out_open(&o, &j);
	json_doc_begin(&j);
	json_key(&j, "files");
	json_arr_begin(&j);
	json_obj_begin(&j);
	json_kstr(&j, "path", "/tmp/\xff/x");
	json_obj_end(&j);
	json_arr_end(&j);
	json_kbool(&j, "ok", true);
	json_doc_end(&j);
	/* a second document through the same writer starts clean */
	json_doc_begin(&j);
	json_kstr(&j, "k", "v");
	json_doc_end(&j);
	out_check(&o, "{\n"
		  "  \"schema\": 1,\n"
		  "  \"files\": [\n"
		  "    {\n"
		  "      \"path\": \"/tmp/" FFFD "/x\"\n"
		  "    }\n"
		  "  ],\n"
		  "  \"ok\": true,\n"
		  "  \"invalid_utf8\": true\n"
		  "}\n"
		  "{\n"
		  "  \"schema\": 1,\n"
		  "  \"k\": \"v\"\n"
		  "}\n");

	/* a bad key counts too */
	out_open(&o, &j);
	json_doc_begin(&j);
	json_kint(&j, "\xc0", 1);
	json_doc_end(&j);
	out_check(&o, "{\n"
		  "  \"schema\": 1,\n"
		  "  \"" FFFD "\": 1,\n"
		  "  \"invalid_utf8\": true\n"
		  "}\n");
}

/* Every byte 0x01..0x1f: the named escapes where JSON has one, else
 * \u00XX in lowercase hex. */
static void
test_all_control_characters(void **state)
{
	static const char *named[0x20] = {
		['\b'] = "\\b", ['\t'] = "\\t", ['\n'] = "\\n",
		['\f'] = "\\f", ['\r'] = "\\r",
	};

	(void)state;
	for (int c = 1; c < 0x20; c++) {
		char in[2] = { (char)c, '\0' };
		char want[16];

		if (named[c] != NULL)
			snprintf(want, sizeof(want), "\"%s\"", named[c]);
		else
			snprintf(want, sizeof(want), "\"\\u%04x\"", c);
		check_string(in, want);
	}
}

/* Keys and values inside the writer are escaped the same way. */
static void
test_escaped_keys_and_values(void **state)
{
	struct json j;
	struct out o;

	(void)state;
	out_open(&o, &j);
	json_obj_begin(&j);
	json_kstr(&j, "k\"\\\n", "v\t\x02\xc3\xa9");
	json_obj_end(&j);
	out_check(&o, "{\n  \"k\\\"\\\\\\n\": \"v\\t\\u0002\xc3\xa9\"\n}\n");
}

/* JSON_MAX_DEPTH - 1 containers nest; a path of JSON_MAX_DEPTH - 1 '['
 * then as many ']' on their lines, indented by depth. */
static void
test_deepest_nesting(void **state)
{
	struct json j;
	struct out o;
	char *want = xcalloc(1, 4096);
	size_t w = 0;
	int n = JSON_MAX_DEPTH - 1;

	(void)state;
	out_open(&o, &j);
	for (int i = 0; i < n; i++)
		json_arr_begin(&j);
	json_int(&j, 7);
	for (int i = 0; i < n; i++)
		json_arr_end(&j);
	/* Expected: "[" then "\n" + 2*d spaces + "[" for d = 1..n-1, the
	 * value at depth n, then the closers back out. */
	want[w++] = '[';
	for (int d = 1; d < n; d++)
		w += (size_t)snprintf(want + w, 4096 - w, "\n%*s[", 2 * d, "");
	w += (size_t)snprintf(want + w, 4096 - w, "\n%*s7", 2 * n, "");
	for (int d = n - 1; d >= 1; d--)
		w += (size_t)snprintf(want + w, 4096 - w, "\n%*s]", 2 * d, "");
	snprintf(want + w, 4096 - w, "\n]\n");
	out_check(&o, want);
	free(want);
}

/* One level more than the writer holds: it aborts rather than writing
 * past its table (checked in a child process). */
static void
test_too_deep_aborts(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *f = fopen("/dev/null", "w");
		struct json j;

		if (f == NULL)
			_exit(3);
		json_init(&j, f);
		for (int i = 0; i < JSON_MAX_DEPTH; i++)
			json_arr_begin(&j);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGABRT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_containers),
		cmocka_unit_test(test_flat_object),
		cmocka_unit_test(test_shorthands),
		cmocka_unit_test(test_nesting_and_commas),
		cmocka_unit_test(test_array_of_objects),
		cmocka_unit_test(test_two_documents),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_all_control_characters),
		cmocka_unit_test(test_escaped_keys_and_values),
		cmocka_unit_test(test_deepest_nesting),
		cmocka_unit_test(test_too_deep_aborts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
