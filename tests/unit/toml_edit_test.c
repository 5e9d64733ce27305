/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * toml_edit_test.c - the edit engine's private splice step (toml_edit.c is
 * included to reach its static functions): a splice that would make the
 * text invalid is refused and the document is restored byte for byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../src/toml/toml_edit.c"

static const char TEXT[] = "# c\r\n[a]\r\nx = 1 # one\r\ny = [2, 3]\r\nz = 'end'";

static struct toml_doc *
doc_new(void)
{
	struct toml_doc *doc = NULL;

	assert_int_equal(toml_parse(&doc, TEXT, sizeof(TEXT) - 1, "t.toml", NULL), 0);
	return doc;
}

static void
assert_unchanged(struct toml_doc *doc)
{
	size_t len = 0;

	assert_string_equal(toml_doc_text(doc, &len), TEXT);
	assert_int_equal(len, sizeof(TEXT) - 1);
	assert_string_equal(toml_node_cstr(toml_get_key(doc, "a.z")), "end");
	assert_true(toml_doc_crlf(doc));
}

static void
test_invalid_result_is_rolled_back(void **state)
{
	struct toml_doc *doc = doc_new();
	struct edit e = { NULL, 0, 0 };
	struct rpx_err err = RPX_ERR_INIT;
	const struct toml_node *x = toml_get_key(doc, "a.x");
	const struct toml_node *y = toml_get_key(doc, "a.y");

	(void)state;
	/* two splices, the second breaking the array */
	edit_add(&e, x->off, x->end, xstrdup("100"));
	edit_add(&e, y->off, y->off + 1, xstrdup("{"));
	assert_int_equal(edit_apply(doc, &e, &err), RPX_EPARSE);
	assert_non_null(strstr(err.msg, "would make the file invalid"));
	assert_int_equal(err.line, 4);
	assert_unchanged(doc);
	edit_release(&e);
	toml_doc_free(doc);
}

static void
test_overlapping_insert_refused(void **state)
{
	struct toml_doc *doc = doc_new();
	struct edit e = { NULL, 0, 0 };
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	edit_add(&e, 5, 12, NULL);
	edit_add(&e, 8, 8, xstrdup("q = 1\r\n"));
	assert_int_equal(edit_apply(doc, &e, &err), RPX_EINVAL);
	assert_string_equal(err.msg, "conflicting edits");
	assert_unchanged(doc);
	edit_release(&e);
	toml_doc_free(doc);
}

static void
test_overlapping_removals_merge(void **state)
{
	struct toml_doc *doc = doc_new();
	struct edit e = { NULL, 0, 0 };
	struct rpx_err err = RPX_ERR_INIT;
	const char *rest = NULL;

	(void)state;
	/* "x = 1 # one\r\n" and "y = [2, 3]\r\n" removed by overlapping ranges */
	edit_add(&e, 10, 24, NULL);
	edit_add(&e, 20, 35, NULL);
	assert_int_equal(edit_apply(doc, &e, &err), 0);
	rest = toml_doc_text(doc, NULL);
	assert_string_equal(rest, "# c\r\n[a]\r\nz = 'end'");
	edit_release(&e);
	toml_doc_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid_result_is_rolled_back),
		cmocka_unit_test(test_overlapping_insert_refused),
		cmocka_unit_test(test_overlapping_removals_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
