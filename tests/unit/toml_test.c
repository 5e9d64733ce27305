/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* toml_test.c - the TOML engine: parsing, errors, queries, edits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rpx.h"
#include "strbuf.h"
#include "toml.h"

/* ---- helpers ---- */

static struct toml_doc *
parse_ok(const char *text)
{
	struct toml_doc *doc = NULL;
	struct rpx_err err = RPX_ERR_INIT;
	int r = toml_parse(&doc, text, strlen(text), "t.toml", &err);

	if (r != 0)
		fail_msg("parse failed: %d:%d: %s\n%s", err.line, err.col,
			 err.msg, text);
	return doc;
}

/* Parsing text fails at line:col with a message containing msg. */
static void
expect_error(const char *text, size_t len, int line, int col, const char *msg)
{
	struct toml_doc *doc = NULL;
	struct rpx_err err = RPX_ERR_INIT;
	int r = toml_parse(&doc, text, len, "t.toml", &err);

	assert_int_equal(r, RPX_EPARSE);
	assert_null(doc);
	assert_string_equal(err.path, "t.toml");
	if (err.line != line || err.col != col || strstr(err.msg, msg) == NULL)
		fail_msg("for %s\nexpected %d:%d: ...%s...\ngot      %d:%d: %s",
			 text, line, col, msg, err.line, err.col, err.msg);
}

#define ERR(text, line, col, msg) \
	expect_error(text, sizeof(text) - 1, line, col, msg)

/* A canonical rendering of the decoded data (not of the spelling). */
static void
dump(struct strbuf *sb, const struct toml_doc *doc, const struct toml_node *n)
{
	const struct toml_node *c = NULL;
	struct toml_datetime dt;
	const char *s = NULL;
	size_t len;
	int64_t i;
	double d;
	bool b;

	switch (toml_node_type(n)) {
	case TOML_TABLE:
	case TOML_ARRAY:
		strbuf_addch(sb, toml_node_type(n) == TOML_TABLE ? '{' : '[');
		for (c = toml_node_first(n); c != NULL; c = toml_node_next(c)) {
			if (toml_node_key(c, &len) != NULL)
				strbuf_addf(sb, "%s:", toml_node_key(c, NULL));
			dump(sb, doc, c);
			strbuf_addch(sb, ',');
		}
		strbuf_addch(sb, toml_node_type(n) == TOML_TABLE ? '}' : ']');
		break;
	case TOML_STRING:
		toml_node_string(n, &s, &len);
		strbuf_addf(sb, "\"%s\"", s);
		break;
	case TOML_INTEGER:
		toml_node_int(n, &i);
		strbuf_addf(sb, "%lld", (long long)i);
		break;
	case TOML_FLOAT:
		toml_node_float(n, &d);
		strbuf_addf(sb, "%.17g", d);
		break;
	case TOML_BOOL:
		toml_node_bool(n, &b);
		strbuf_adds(sb, b ? "true" : "false");
		break;
	default:
		toml_node_datetime(doc, n, &dt);
		strbuf_addf(sb, "dt(%d-%d-%d %d:%d:%d.%d %d%s)", dt.year, dt.month,
			    dt.day, dt.hour, dt.minute, dt.second, dt.nanosecond,
			    dt.offset_minutes, dt.has_offset ? "off" : "");
	}
}

/* Both texts parse and mean the same data. */
static void
assert_same_data(const char *a, const char *b)
{
	struct toml_doc *da = parse_ok(a), *db = parse_ok(b);
	struct strbuf sa = STRBUF_INIT, sb = STRBUF_INIT;

	dump(&sa, da, toml_doc_root(da));
	dump(&sb, db, toml_doc_root(db));
	assert_string_equal(sa.buf, sb.buf);
	strbuf_release(&sa);
	strbuf_release(&sb);
	toml_doc_free(da);
	toml_doc_free(db);
}

/* The document's text re-parses and serialises to itself. */
static void
assert_invariant(const struct toml_doc *doc)
{
	size_t len;
	const char *text = toml_doc_text(doc, &len);
	struct toml_doc *again = NULL;
	struct rpx_err err = RPX_ERR_INIT;
	size_t len2;

	assert_int_equal(text[len], '\0');
	assert_int_equal(toml_parse(&again, text, len, NULL, &err), 0);
	assert_memory_equal(toml_doc_text(again, &len2), text, len);
	assert_int_equal(len2, len);
	toml_doc_free(again);
}

/* Split a dotted key (the caller frees *own with toml_segs_free). */
static size_t
segs_of(const char *key, char ***own)
{
	size_t n = 0;

	assert_int_equal(toml_key_split(key, own, &n, NULL), 0);
	return n;
}

/* Apply "set KEY VALUE" and compare the whole text with want. */
static void
edit_set(const char *in, const char *key, const char *value, const char *want)
{
	struct toml_doc *doc = parse_ok(in);
	struct rpx_err err = RPX_ERR_INIT;
	char **own = NULL;
	size_t n = segs_of(key, &own);
	int r = toml_set(doc, (const char *const *)own, n, value, &err);

	if (r != 0)
		fail_msg("set %s = %s failed: %s", key, value, err.msg);
	if (strcmp(toml_doc_text(doc, NULL), want) != 0)
		fail_msg("set %s = %s\n--- got:\n%s--- want:\n%s", key, value,
			 toml_doc_text(doc, NULL), want);
	assert_invariant(doc);
	toml_segs_free(own);
	toml_doc_free(doc);
}

static void
edit_unset(const char *in, const char *key, const char *want)
{
	struct toml_doc *doc = parse_ok(in);
	struct rpx_err err = RPX_ERR_INIT;
	char **own = NULL;
	size_t n = segs_of(key, &own);
	int r = toml_unset(doc, (const char *const *)own, n, &err);

	if (r != 0)
		fail_msg("unset %s failed: %s", key, err.msg);
	if (strcmp(toml_doc_text(doc, NULL), want) != 0)
		fail_msg("unset %s\n--- got:\n%s--- want:\n%s", key,
			 toml_doc_text(doc, NULL), want);
	assert_invariant(doc);
	toml_segs_free(own);
	toml_doc_free(doc);
}

/* ---- parsing ---- */

static void
test_scalars(void **state)
{
	struct toml_doc *doc = parse_ok(
		"s = \"a\\tb\\u00E9\\U0001F600\\\\\"\n"
		"l = 'C:\\path'\n"
		"ml = \"\"\"\nline one\\\n    continues\"\"\"\n"
		"mll = '''\n''quoted''\n'''\n"
		"q5 = \"\"\"a\"\"\"\"\"\n"
		"i = +1_000\nh = 0xDEAD_beef\no = 0o755\nb = 0b1101\n"
		"min = -9223372036854775808\n"
		"f = -6.02_2e+2_3\nz = -0.0\npinf = +inf\nn = nan\n"
		"t = true\nff = false\n"
		"odt = 1979-05-27 07:32:00.123456789123-07:30\n"
		"ldt = 1979-05-27t07:32:00\nld = 2024-02-29\nlt = 23:59:60.5\n");
	const char *s = NULL;
	size_t len = 0;
	int64_t i = 0;
	double d = 0;
	bool b = true;
	struct toml_datetime dt;

	(void)state;
	assert_int_equal(toml_node_string(toml_get_key(doc, "s"), &s, &len), 0);
	assert_string_equal(s, "a\tb\xC3\xA9\xF0\x9F\x98\x80\\");
	assert_string_equal(toml_node_cstr(toml_get_key(doc, "l")), "C:\\path");
	assert_string_equal(toml_node_cstr(toml_get_key(doc, "ml")),
			    "line onecontinues");
	assert_string_equal(toml_node_cstr(toml_get_key(doc, "mll")),
			    "''quoted''\n");
	assert_string_equal(toml_node_cstr(toml_get_key(doc, "q5")), "a\"\"");
	toml_node_int(toml_get_key(doc, "i"), &i);
	assert_int_equal(i, 1000);
	toml_node_int(toml_get_key(doc, "h"), &i);
	assert_int_equal(i, 0xDEADBEEF);
	toml_node_int(toml_get_key(doc, "o"), &i);
	assert_int_equal(i, 0755);
	toml_node_int(toml_get_key(doc, "b"), &i);
	assert_int_equal(i, 13);
	toml_node_int(toml_get_key(doc, "min"), &i);
	assert_true(i == INT64_MIN);
	toml_node_float(toml_get_key(doc, "f"), &d);
	assert_true(d == -6.022e23);
	toml_node_float(toml_get_key(doc, "z"), &d);
	assert_true(d == 0.0 && signbit(d));
	toml_node_float(toml_get_key(doc, "pinf"), &d);
	assert_true(isinf(d) && d > 0);
	toml_node_float(toml_get_key(doc, "n"), &d);
	assert_true(isnan(d));
	toml_node_bool(toml_get_key(doc, "ff"), &b);
	assert_false(b);
	assert_int_equal(toml_node_type(toml_get_key(doc, "odt")), TOML_DATETIME);
	assert_int_equal(toml_node_datetime(doc, toml_get_key(doc, "odt"), &dt), 0);
	assert_int_equal(dt.year, 1979);
	assert_int_equal(dt.nanosecond, 123456789);
	assert_int_equal(dt.frac_digits, 9);
	assert_int_equal(dt.offset_minutes, -450);
	assert_int_equal(toml_node_type(toml_get_key(doc, "ldt")),
			 TOML_DATETIME_LOCAL);
	assert_int_equal(toml_node_type(toml_get_key(doc, "ld")), TOML_DATE_LOCAL);
	assert_int_equal(toml_node_type(toml_get_key(doc, "lt")), TOML_TIME_LOCAL);
	toml_node_datetime(doc, toml_get_key(doc, "lt"), &dt);
	assert_int_equal(dt.nanosecond, 500000000);
	assert_int_equal(toml_node_int(toml_get_key(doc, "s"), &i), RPX_EINVAL);
	toml_doc_free(doc);
}

static void
test_tables_and_queries(void **state)
{
	const char *text =
		"top = 1\n"
		"[target.'cfg(target_os = \"linux\")']\n"
		"runner = \"r\"\n"
		"[target.armv7-unknown-linux-gnueabihf]\n"
		"  linker = \"gcc\"  # c\n"
		"[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n"
		"[fruit.apple.texture]\nsmooth = true\n"
		"[[bin]]\nname = \"a\"\n[[bin]]\nname = \"b\"\n[bin.x]\ny = 1\n"
		"[a.b.c]\n[a]\nd = { e = [1, { f = 2 }] }\n";
	struct toml_doc *doc = parse_ok(text);
	const struct toml_node *n = NULL, *c = NULL;
	const char *segs[] = { "target", "armv7-unknown-linux-gnueabihf",
			       "linker" };
	const char *order[] = { "top", "target", "fruit", "bin", "a" };
	size_t raw_len = 0, k = 0;
	int line = 0, col = 0;

	(void)state;
	n = toml_get(doc, segs, 3);
	assert_non_null(n);
	assert_string_equal(toml_node_cstr(n), "gcc");
	toml_node_pos(doc, n, &line, &col);
	assert_int_equal(line, 5);
	assert_int_equal(col, 12);
	assert_memory_equal(toml_node_raw(doc, n, &raw_len), "\"gcc\"", 5);
	assert_int_equal(raw_len, 5);
	n = toml_get_key(doc, "target.'cfg(target_os = \"linux\")'.runner");
	assert_string_equal(toml_node_cstr(n), "r");
	n = toml_get_key(doc, "target.\"cfg(target_os = \\\"linux\\\")\"");
	assert_int_equal(toml_node_type(n), TOML_TABLE);
	toml_node_pos(doc, n, &line, &col);
	assert_int_equal(line, 2);
	assert_non_null(toml_get_key(doc, "fruit.apple.texture.smooth"));
	assert_non_null(toml_get_key(doc, "fruit.apple.taste.sweet"));
	/* through an array of tables: the last element */
	assert_string_equal(toml_node_cstr(toml_get_key(doc, "bin.name")), "b");
	assert_non_null(toml_get_key(doc, "bin.x.y"));
	n = toml_get_key(doc, "bin");
	assert_true(toml_node_is_aot(n));
	assert_int_equal(toml_node_count(n), 2);
	n = toml_get_key(doc, "a.d");
	assert_true(toml_node_is_inline(n));
	c = toml_table_get(n, "e");
	assert_int_equal(toml_node_count(c), 2);
	assert_ptr_equal(toml_node_parent(c), n);
	/* keys in the order they were first defined */
	for (c = toml_node_first(toml_doc_root(doc)); c; c = toml_node_next(c))
		assert_string_equal(toml_node_key(c, NULL), order[k++]);
	assert_int_equal(k, 5);
	assert_null(toml_get_key(doc, "nope"));
	assert_null(toml_get_key(doc, "top.x"));
	assert_null(toml_get_key(doc, "bad key"));
	toml_doc_free(doc);
}

static void
test_many_keys(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct toml_doc *doc = NULL;
	char key[32];
	int i;
	int64_t v = 0;

	(void)state;
	for (i = 0; i < 2000; i++)
		strbuf_addf(&sb, "k%d = %d\n", i, i);
	doc = parse_ok(sb.buf);
	for (i = 0; i < 2000; i += 7) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(toml_node_int(toml_get_key(doc, key), &v), 0);
		assert_int_equal(v, i);
	}
	toml_doc_free(doc);
	/* the hashed index still finds duplicates */
	strbuf_addf(&sb, "k1999 = 0\n");
	expect_error(sb.buf, sb.len, 2001, 1, "duplicate key 'k1999'");
	strbuf_release(&sb);
}

static void
test_errors(void **state)
{
	(void)state;
	ERR("a = 1\nb = 2\nc = \n", 3, 5, "expected a value");
	ERR("a = \"\xC3\xA9\xC3\xA9\" x\n", 1, 10, "expected end of line");
	ERR("\xEF\xBB\xBF" "a = 1 2\n", 1, 7, "expected end of line");
	ERR("a = 1\r\nb = 2\rc = 3\n", 2, 6, "expected end of line");
	ERR("a = \"\xED\xA0\x80\"\n", 1, 6, "invalid utf-8");
	ERR("a = \"\xC0\xAF\"\n", 1, 6, "invalid utf-8");
	ERR("a = \"\xF4\x90\x80\x80\"\n", 1, 6, "invalid utf-8");
	ERR("a = \"\xE0\x80\xAF\"\n", 1, 6, "invalid utf-8");
	ERR("a = \"\\uD800\"\n", 1, 6, "not a unicode scalar value");
	ERR("a = \"\\U00110000\"\n", 1, 6, "not a unicode scalar value");
	ERR("a = \"\\x41\"\n", 1, 6, "invalid escape");
	ERR("a = \"x\x01y\"\n", 1, 7, "control character U+0001");
	ERR("# bell \x07\n", 1, 8, "control character U+0007 in comment");
	ERR("a = \"\"\"x\"\"\"\"\"\"\n", 1, 14, "too many quotes");
	ERR("a = 'x\n", 1, 5, "unterminated string");
	ERR("a = 01\n", 1, 7, "leading zeros");
	ERR("a = 1__0\n", 1, 6, "'_' must be between digits");
	ERR("a = 0x\n", 1, 6, "invalid character");
	ERR("a = 9223372036854775808\n", 1, 5, "out of range");
	ERR("a = 0x8000000000000000\n", 1, 5, "out of range");
	ERR("a = 1.\n", 1, 7, "expected a digit");
	ERR("a = .5\n", 1, 5, "expected a value");
	ERR("a = 2023-02-29\n", 1, 5, "date out of range");
	ERR("a = 2024-13-01\n", 1, 5, "date out of range");
	ERR("a = 24:00:00\n", 1, 5, "time out of range");
	ERR("a = 12:00\n", 1, 10, "seconds are required");
	ERR("a = 1979-05-27T07:32:00+24:00\n", 1, 24, "offset out of range");
	ERR("a = [1 2]\n", 1, 8, "expected ',' or ']'");
	ERR("a = {b = 1,}\n", 1, 12, "trailing comma");
	ERR("a = {b = 1,\nc = 2}\n", 1, 12, "newline in inline table");
	ERR("a = 1\na = 2\n", 2, 1, "duplicate key 'a'");
	ERR("[a]\n[a]\n", 2, 1, "table 'a' is defined more than once");
	ERR("a.b = 1\n[a]\n", 2, 1, "defined more than once");
	ERR("[a.b]\nc = 1\n[a]\nb.d = 1\n", 4, 1, "defined by a [header]");
	ERR("a = {}\n[a.b]\n", 2, 2, "cannot extend inline table 'a'");
	ERR("a = {b = 1}\na.c = 2\n", 2, 1, "cannot add keys to inline table");
	ERR("a = {b = {}, b.c = 1}\n", 1, 14, "cannot add keys to inline table");
	ERR("a = [1]\n[[a]]\n", 2, 1, "cannot append to static array 'a'");
	ERR("[[a]]\n[a]\n", 2, 1, "already an array of tables");
	ERR("[a]\n[[a]]\n", 2, 1, "already defined as a table");
	ERR("a = 1\na.b = 2\n", 2, 1, "already has a value");
	ERR("[a]\nb = 1\n[a.b.c]\n", 3, 4, "already has a value");
	ERR("\"\"\"k\"\"\" = 1\n", 1, 1, "multi-line string cannot be a key");
	ERR("[a\n", 1, 3, "expected ']'");
	ERR("[[a]\n", 1, 4, "expected ']]'");
	ERR("= 1\n", 1, 1, "expected a key");
	ERR("a = 1\n\n  b\n", 3, 4, "expected '=' after key 'b'");
}

static void
test_depth_bound(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct toml_doc *doc = NULL;
	struct rpx_err err = RPX_ERR_INIT;
	int i;

	(void)state;
	strbuf_adds(&sb, "a = ");
	for (i = 0; i < TOML_MAX_DEPTH; i++)
		strbuf_addch(&sb, '[');
	for (i = 0; i < TOML_MAX_DEPTH; i++)
		strbuf_addch(&sb, ']');
	doc = parse_ok(sb.buf);
	toml_doc_free(doc);
	strbuf_reset(&sb);
	strbuf_adds(&sb, "a = ");
	for (i = 0; i < 200000; i++)
		strbuf_adds(&sb, "{b=");
	assert_int_equal(toml_parse(&doc, sb.buf, sb.len, "d.toml", &err),
			 RPX_EPARSE);
	assert_int_equal(err.col, 5 + 3 * TOML_MAX_DEPTH);
	assert_non_null(strstr(err.msg, "nested deeper"));
	strbuf_release(&sb);
}

static void
test_round_trip(void **state)
{
	static const char *const texts[] = {
		"",
		"\xEF\xBB\xBF",
		"\xEF\xBB\xBF# bom\r\na = 1\r\n",
		"a=1",
		"  [ a . \"b\" . 'c' ]  # header\n\tx =  0xf_f\n",
		"# only a comment",
		"a = [\n  1, # one\n  2,\n]\n\n\n[[x]]\n[[x]]\n",
		"s = \"\"\"\r\n  multi\r\n  \"\"\"\r\nt = 1979-05-27 07:32:00Z\n",
		"a = { b = 1 , c.d = [ 'x' ] }\n",
	};
	size_t i, len;
	struct toml_doc *doc = NULL;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		int r = toml_parse(&doc, texts[i], strlen(texts[i]), NULL, &err);

		assert_int_equal(r, 0);
		toml_doc_text(doc, &len);
		assert_memory_equal(toml_doc_text(doc, NULL), texts[i], len);
		assert_int_equal(len, strlen(texts[i]));
		toml_doc_free(doc);
	}
	doc = parse_ok("a = 1\r\nb = 2\n");
	assert_true(toml_doc_crlf(doc));
	toml_doc_free(doc);
}

/* ---- edits ---- */

static const char CARGO[] =
	"# Cargo config\n"
	"\n"
	"[build]\n"
	"target = \"armv7-unknown-linux-gnueabihf\"  # pi 3\n"
	"\n"
	"[target.armv7-unknown-linux-gnueabihf]\n"
	"linker = \"arm-linux-gnueabihf-gcc\"\n"
	"\n"
	"# keep me\n"
	"[alias]\n"
	"b = \"build\"\n";

static void
test_set_replace(void **state)
{
	(void)state;
	edit_set(CARGO, "build.target", "\"aarch64-unknown-linux-gnu\"",
		 "# Cargo config\n\n[build]\n"
		 "target = \"aarch64-unknown-linux-gnu\"  # pi 3\n"
		 "\n[target.armv7-unknown-linux-gnueabihf]\n"
		 "linker = \"arm-linux-gnueabihf-gcc\"\n\n# keep me\n[alias]\n"
		 "b = \"build\"\n");
	edit_set("a = [ 1,\n  2 ] # c\n", "a", "'x'", "a = 'x' # c\n");
	edit_set("x = { a = 1, b = 2 }\n", "x.b", "[3]", "x = { a = 1, b = [3] }\n");
}

static void
test_set_existing_table(void **state)
{
	(void)state;
	edit_set(CARGO, "target.armv7-unknown-linux-gnueabihf.runner",
		 "\"rpi-cross run\"",
		 "# Cargo config\n\n[build]\n"
		 "target = \"armv7-unknown-linux-gnueabihf\"  # pi 3\n"
		 "\n[target.armv7-unknown-linux-gnueabihf]\n"
		 "linker = \"arm-linux-gnueabihf-gcc\"\n"
		 "runner = \"rpi-cross run\"\n"
		 "\n# keep me\n[alias]\nb = \"build\"\n");
	/* an empty table, indented keys elsewhere in the file */
	edit_set("[a]\n    x = 1\n[b]\n[c]\n", "b.y", "2",
		 "[a]\n    x = 1\n[b]\n    y = 2\n[c]\n");
}

static void
test_set_new_table(void **state)
{
	(void)state;
	edit_set(CARGO, "target.aarch64-unknown-linux-gnu.linker",
		 "\"aarch64-linux-gnu-gcc\"",
		 "# Cargo config\n\n[build]\n"
		 "target = \"armv7-unknown-linux-gnueabihf\"  # pi 3\n"
		 "\n[target.armv7-unknown-linux-gnueabihf]\n"
		 "linker = \"arm-linux-gnueabihf-gcc\"\n\n# keep me\n[alias]\n"
		 "b = \"build\"\n"
		 "\n[target.aarch64-unknown-linux-gnu]\n"
		 "linker = \"aarch64-linux-gnu-gcc\"\n");
	/* CRLF, indentation, '=' spacing and literal key quoting copied */
	edit_set("[target.'cfg(unix)']\r\n  runner='r'\r\n",
		 "target.'cfg(windows)'.runner", "'w'",
		 "[target.'cfg(unix)']\r\n  runner='r'\r\n\r\n"
		 "[target.'cfg(windows)']\r\n  runner='w'\r\n");
	/* basic quoting when the file has no literal keys */
	edit_set("x = 1", "target.'cfg(unix)'.runner", "\"r\"",
		 "x = 1\n\n[target.\"cfg(unix)\"]\nrunner = \"r\"\n");
	edit_set("", "build.target", "\"t\"", "[build]\ntarget = \"t\"\n");
	/* a table that exists only implicitly gets its own header */
	edit_set("[target.x]\nlinker = \"a\"\n", "target.jobs", "1",
		 "[target.x]\nlinker = \"a\"\n\n[target]\njobs = 1\n");
}

static void
test_set_dotted_and_inline(void **state)
{
	(void)state;
	edit_set("target.x.linker = \"a\"\n\n[net]\nretry = 1\n",
		 "target.x.runner", "\"r\"",
		 "target.x.linker = \"a\"\ntarget.x.runner = \"r\"\n\n[net]\nretry = 1\n");
	edit_set("target.x.linker = \"a\"\n[net]\n", "target.y.linker", "\"b\"",
		 "target.x.linker = \"a\"\ntarget.y.linker = \"b\"\n[net]\n");
	edit_set("[target]\n  x.linker = \"a\"\n  # end\n", "target.x.runner", "1",
		 "[target]\n  x.linker = \"a\"\n  x.runner = 1\n  # end\n");
	edit_set("[target]\nx = { linker = \"a\" }\n", "target.x.runner", "\"r\"",
		 "[target]\nx = { linker = \"a\", runner = \"r\" }\n");
	edit_set("[target]\nx = {}\n", "target.x.runner", "\"r\"",
		 "[target]\nx = { runner = \"r\" }\n");
	edit_set("t = {a = 1,b = 2}\n", "t.c.d", "3",
		 "t = {a = 1,b = 2,c.d = 3}\n");
	edit_set("t = { a.b = 1 }\n", "t.a.c", "2", "t = { a.b = 1, a.c = 2 }\n");
	/* a top-level key goes before the first table, above its comment */
	edit_set("# file\n\n# build\n[build]\n", "paths", "[]",
		 "# file\n\npaths = []\n# build\n[build]\n");
}

static void
test_set_errors_leave_doc_alone(void **state)
{
	static const char text[] = "a = \"s\"\n[t]\nx = 1\n[[arr]]\n";
	struct toml_doc *doc = parse_ok(text);
	struct rpx_err err = RPX_ERR_INIT;
	const char *k1[] = { "a", "b" };
	const char *k2[] = { "t" };
	const char *k3[] = { "arr" };
	const char *k4[] = { "t", "y" };
	const char *k5[] = { "nope" };

	(void)state;
	assert_int_equal(toml_set(doc, k1, 2, "1", &err), RPX_EINVAL);
	assert_string_equal(err.msg, "cannot set 'a.b': 'a' is not a table");
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 5);
	assert_int_equal(toml_set(doc, k2, 1, "1", &err), RPX_EINVAL);
	assert_non_null(strstr(err.msg, "it is a table"));
	assert_int_equal(toml_set(doc, k3, 1, "1", &err), RPX_EINVAL);
	assert_non_null(strstr(err.msg, "array of tables"));
	assert_int_equal(toml_set(doc, k4, 2, "1 2", &err), RPX_EINVAL);
	assert_non_null(strstr(err.msg, "invalid value '1 2'"));
	assert_int_equal(toml_set(doc, k4, 2, "[1,", &err), RPX_EINVAL);
	assert_int_equal(toml_set(doc, k4, 2, "x = 1", &err), RPX_EINVAL);
	assert_int_equal(toml_set(doc, k4, 2, "1 # c", &err), RPX_EINVAL);
	assert_int_equal(toml_set(doc, k4, 0, "1", &err), RPX_EINVAL);
	assert_int_equal(toml_unset(doc, k5, 1, &err), RPX_ENOTFOUND);
	assert_string_equal(err.msg, "key 'nope' not found");
	assert_string_equal(toml_doc_text(doc, NULL), text);
	assert_invariant(doc);
	toml_doc_free(doc);
}

static void
test_typed_setters(void **state)
{
	struct toml_doc *doc = parse_ok("[x]\n");
	struct rpx_err err = RPX_ERR_INIT;
	const char *ks[] = { "x", "s" }, *kb[] = { "x", "b" };
	const char *ki[] = { "x", "i" }, *ka[] = { "x", "a" };
	const char *items[] = { "-C", "link-arg=\"q\"\n" };
	const struct toml_node *n = NULL;

	(void)state;
	assert_int_equal(toml_set_string(doc, ks, 2, "tab\there \"q\" \\", &err), 0);
	assert_int_equal(toml_set_bool(doc, kb, 2, true, &err), 0);
	assert_int_equal(toml_set_int(doc, ki, 2, -42, &err), 0);
	assert_int_equal(toml_set_strings(doc, ka, 2, items, 2, &err), 0);
	assert_string_equal(toml_doc_text(doc, NULL),
			    "[x]\ns = \"tab\\there \\\"q\\\" \\\\\"\nb = true\ni = -42\n"
			    "a = [\"-C\", \"link-arg=\\\"q\\\"\\n\"]\n");
	assert_string_equal(toml_node_cstr(toml_get(doc, ks, 2)),
			    "tab\there \"q\" \\");
	n = toml_get(doc, ka, 2);
	assert_string_equal(toml_node_cstr(toml_node_next(toml_node_first(n))),
			    "link-arg=\"q\"\n");
	toml_doc_free(doc);
}

static void
test_unset(void **state)
{
	(void)state;
	edit_unset(CARGO, "build.target",
		   "# Cargo config\n\n[build]\n"
		   "\n[target.armv7-unknown-linux-gnueabihf]\n"
		   "linker = \"arm-linux-gnueabihf-gcc\"\n\n# keep me\n[alias]\n"
		   "b = \"build\"\n");
	edit_unset(CARGO, "target.armv7-unknown-linux-gnueabihf",
		   "# Cargo config\n\n[build]\n"
		   "target = \"armv7-unknown-linux-gnueabihf\"  # pi 3\n"
		   "\n\n# keep me\n[alias]\nb = \"build\"\n");
	edit_unset("x = { a = 1, b = 2, c = 3 }\n", "x.b", "x = { a = 1, c = 3 }\n");
	edit_unset("x = { a = 1, b = 2 }\n", "x.a", "x = { b = 2 }\n");
	edit_unset("x = { a = 1 }\n", "x.a", "x = {}\n");
	edit_unset("x = { a.b = 1, a.c = 2, d = 3 }\n", "x.a", "x = { d = 3 }\n");
	edit_unset("[t]\na.b = 1\na.c = 2\nd = 3\n", "t.a", "[t]\nd = 3\n");
	edit_unset("[a]\nx = 1\n[a.b]\ny = 2\n[c]\n[a.b.d]\n", "a",
		   "[c]\n");
	edit_unset("k = 1", "k", "");
}

static void
test_edit_meaning(void **state)
{
	/* the edited text means the old data plus exactly the edit */
	struct toml_doc *doc = parse_ok(CARGO);
	struct rpx_err err = RPX_ERR_INIT;
	const char *k1[] = { "target", "aarch64-unknown-linux-gnu", "linker" };
	const char *k2[] = { "build", "rustflags" };
	const char *k3[] = { "alias", "b" };

	(void)state;
	assert_int_equal(toml_set(doc, k1, 3, "\"gcc\"", &err), 0);
	assert_int_equal(toml_set(doc, k2, 2, "[\"-C\", \"x\"]", &err), 0);
	assert_int_equal(toml_unset(doc, k3, 2, &err), 0);
	assert_same_data(toml_doc_text(doc, NULL),
			 "build.target = \"armv7-unknown-linux-gnueabihf\"\n"
			 "build.rustflags = [\"-C\", \"x\"]\n"
			 "target.armv7-unknown-linux-gnueabihf.linker = "
			 "\"arm-linux-gnueabihf-gcc\"\n"
			 "alias = {}\n"
			 "target.aarch64-unknown-linux-gnu.linker = \"gcc\"\n");
	toml_doc_free(doc);
}

static void
test_key_split(void **state)
{
	char **segs = NULL;
	size_t n = 0;
	struct rpx_err err = RPX_ERR_INIT;

	(void)state;
	assert_int_equal(toml_key_split("target.'cfg(unix)'.\"a.b\" . c", &segs,
					&n, &err), 0);
	assert_int_equal(n, 4);
	assert_string_equal(segs[1], "cfg(unix)");
	assert_string_equal(segs[2], "a.b");
	assert_string_equal(segs[3], "c");
	assert_null(segs[4]);
	toml_segs_free(segs);
	assert_int_equal(toml_key_split("a = 1 #", &segs, &n, &err), RPX_EPARSE);
	assert_int_equal(toml_key_split("a..b", &segs, &n, &err), RPX_EPARSE);
	assert_int_equal(toml_key_split("", &segs, &n, &err), RPX_EPARSE);
	assert_int_equal(toml_key_split("a\nb", &segs, &n, &err), RPX_EPARSE);
	assert_null(segs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_tables_and_queries),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth_bound),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_set_replace),
		cmocka_unit_test(test_set_existing_table),
		cmocka_unit_test(test_set_new_table),
		cmocka_unit_test(test_set_dotted_and_inline),
		cmocka_unit_test(test_set_errors_leave_doc_alone),
		cmocka_unit_test(test_typed_setters),
		cmocka_unit_test(test_unset),
		cmocka_unit_test(test_edit_meaning),
		cmocka_unit_test(test_key_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
