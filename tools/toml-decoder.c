/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * toml-decoder - read TOML on stdin, print toml-test's tagged JSON on
 * stdout and exit 0; or print "NAME:line:col: message" on stderr and exit
 * 1. NAME is the first argument (default "stdin").
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpx.h"
#include "strbuf.h"
#include "toml.h"

static void
put_json_string(FILE *f, const char *s, size_t len)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7F)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void
put_tagged(FILE *f, const char *type, const char *value)
{
	fprintf(f, "{\"type\":\"%s\",\"value\":", type);
	put_json_string(f, value, strlen(value));
	fputc('}', f);
}

static void
put_datetime(FILE *f, const struct toml_datetime *dt, const char *type)
{
	char buf[64];
	size_t n = 0;

	if (dt->has_date)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%04d-%02d-%02d",
				      dt->year, dt->month, dt->day);
	if (dt->has_date && dt->has_time)
		buf[n++] = 'T';
	if (dt->has_time) {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%02d:%02d:%02d",
				      dt->hour, dt->minute, dt->second);
		if (dt->frac_digits > 0)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, ".%09d",
					      dt->nanosecond) - (size_t)(9 - dt->frac_digits);
	}
	buf[n] = '\0';
	if (dt->has_offset) {
		if (dt->offset_minutes == 0)
			snprintf(buf + n, sizeof(buf) - n, "Z");
		else
			snprintf(buf + n, sizeof(buf) - n, "%c%02d:%02d",
				 dt->offset_minutes < 0 ? '-' : '+',
				 abs(dt->offset_minutes) / 60,
				 abs(dt->offset_minutes) % 60);
	}
	put_tagged(f, type, buf);
}

static void
put_node(FILE *f, const struct toml_doc *doc, const struct toml_node *n)
{
	const struct toml_node *c = NULL;
	struct toml_datetime dt;
	const char *s = NULL;
	size_t len = 0;
	char buf[64];
	int64_t i = 0;
	double d = 0;
	bool b = false;
	enum toml_type t = toml_node_type(n);

	switch (t) {
	case TOML_TABLE:
		fputc('{', f);
		for (c = toml_node_first(n); c != NULL; c = toml_node_next(c)) {
			s = toml_node_key(c, &len);
			put_json_string(f, s, len);
			fputc(':', f);
			put_node(f, doc, c);
			if (toml_node_next(c) != NULL)
				fputc(',', f);
		}
		fputc('}', f);
		break;
	case TOML_ARRAY:
		fputc('[', f);
		for (c = toml_node_first(n); c != NULL; c = toml_node_next(c)) {
			put_node(f, doc, c);
			if (toml_node_next(c) != NULL)
				fputc(',', f);
		}
		fputc(']', f);
		break;
	case TOML_STRING:
		toml_node_string(n, &s, &len);
		fputs("{\"type\":\"string\",\"value\":", f);
		put_json_string(f, s, len);
		fputc('}', f);
		break;
	case TOML_INTEGER:
		toml_node_int(n, &i);
		snprintf(buf, sizeof(buf), "%" PRId64, i);
		put_tagged(f, "integer", buf);
		break;
	case TOML_FLOAT:
		toml_node_float(n, &d);
		if (isnan(d))
			snprintf(buf, sizeof(buf), "nan");
		else if (isinf(d))
			snprintf(buf, sizeof(buf), "%sinf", d < 0 ? "-" : "");
		else
			snprintf(buf, sizeof(buf), "%.17g", d);
		put_tagged(f, "float", buf);
		break;
	case TOML_BOOL:
		toml_node_bool(n, &b);
		put_tagged(f, "bool", b ? "true" : "false");
		break;
	default:
		toml_node_datetime(doc, n, &dt);
		put_datetime(f, &dt, toml_type_name(t));
		break;
	}
}

int
main(int argc, char **argv)
{
	struct strbuf in = STRBUF_INIT;
	struct rpx_err err = RPX_ERR_INIT;
	struct toml_doc *doc = NULL;
	char buf[65536];
	size_t n;
	int rc = 1;

	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		strbuf_add(&in, buf, n);
	if (ferror(stdin)) {
		fprintf(stderr, "toml-decoder: cannot read stdin\n");
		goto out;
	}
	if (toml_parse(&doc, in.buf, in.len, argc > 1 ? argv[1] : "stdin",
		       &err) < 0) {
		rpx_err_print(stderr, &err);
		goto out;
	}
	put_node(stdout, doc, toml_doc_root(doc));
	fputc('\n', stdout);
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	toml_doc_free(doc);
	strbuf_release(&in);
	return rc;
}
