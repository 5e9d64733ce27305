/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * yamlutil_test.c - loading one YAML document: a well-formed file, an
 * empty one, malformed ones (the error at path:line:col, counted from 1),
 * a second document, and errors pointing at a node.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "yamlutil.h"

static int
load(yaml_document_t *doc, const char *text, struct rpx_err *err)
{
	rpx_err_clear(err);
	return yamlutil_load(doc, text, strlen(text), "p.yaml", "profiles",
			     err);
}

/* The value node of key in the root mapping. */
static yaml_node_t *
value_of(yaml_document_t *doc, const char *key)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);

	assert_int_equal(root->type, YAML_MAPPING_NODE);
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);

		if (strcmp(yamlutil_scalar(k), key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static void
test_good_document(void **state)
{
	yaml_document_t doc;
	struct rpx_err err;
	yaml_node_t *n;

	(void)state;
	assert_int_equal(load(&doc, "host: pi@raspberrypi\nboards:\n"
			      "  - pi4\n  - pi5\n", &err), 0);
	n = value_of(&doc, "host");
	assert_non_null(n);
	assert_string_equal(yamlutil_scalar(n), "pi@raspberrypi");
	n = value_of(&doc, "boards");
	assert_null(yamlutil_scalar(n));	/* a sequence has no text */
	/* an error at a node: libyaml's 0-based marks, 1-based here */
	assert_int_equal(yamlutil_node_err(&err, "p.yaml", n, "not a %s",
					   "string"), RPX_EPARSE);
	assert_string_equal(err.path, "p.yaml");
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 3);
	assert_string_equal(err.msg, "not a string");
	yaml_document_delete(&doc);
}

static void
test_empty_file(void **state)
{
	yaml_document_t doc;
	struct rpx_err err;

	(void)state;
	assert_int_equal(load(&doc, "", &err), 0);
	assert_null(yaml_document_get_root_node(&doc));
	yaml_document_delete(&doc);
	assert_int_equal(load(&doc, "# only a comment\n", &err), 0);
	assert_null(yaml_document_get_root_node(&doc));
	yaml_document_delete(&doc);
}

static void
expect_bad(const char *text, int line, int col, const char *msg_part)
{
	yaml_document_t doc;
	struct rpx_err err;
	char *printed = NULL, want[64];
	size_t len = 0;
	FILE *f;

	assert_int_equal(load(&doc, text, &err), RPX_EPARSE);
	assert_string_equal(err.path, "p.yaml");
	assert_int_equal(err.line, line);
	assert_int_equal(err.col, col);
	assert_non_null(strstr(err.msg, msg_part));
	/* printed the way every reader reports it */
	f = open_memstream(&printed, &len);
	assert_non_null(f);
	rpx_err_print(f, &err);
	fclose(f);
	snprintf(want, sizeof(want), "p.yaml:%d:%d: ", line, col);
	assert_true(strncmp(printed, want, strlen(want)) == 0);
	free(printed);
}

static void
test_malformed_gives_line_and_column(void **state)
{
	(void)state;
	/* an unclosed flow sequence: found at the end of the text */
	expect_bad("a: 1\nb: [1, 2\n", 3, 1, "did not find expected");
	/* a tab where indentation is expected */
	expect_bad("a:\n\t- x\n", 2, 1, "cannot start any token");
	/* a mapping value where none may be */
	expect_bad("key: value: other\n", 1, 11, "mapping values are not allowed");
	/* an unclosed quote */
	expect_bad("name: \"pi4\n", 2, 1, "quoted scalar");
}

static void
test_second_document(void **state)
{
	(void)state;
	expect_bad("a: 1\n---\nb: 2\n", 2, 1,
		   "a second YAML document: the file holds profiles");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_document),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_malformed_gives_line_and_column),
		cmocka_unit_test(test_second_document),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
