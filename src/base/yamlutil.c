/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * yamlutil.c - libyaml loading with line:column errors; see yamlutil.h.
 */
#include <stdarg.h>
#include <stdio.h>

#include "yamlutil.h"

int
yamlutil_load(yaml_document_t *doc, const char *text, size_t len,
	      const char *path, const char *what, struct rpx_err *err)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	int r = 0;

	if (!yaml_parser_initialize(&parser)) {
		rpx_err_set(err, path, 0, 0, "cannot start the YAML parser");
		return RPX_ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, doc))
		goto parse_error;
	if (!yaml_parser_load(&parser, &extra)) {
		yaml_document_delete(doc);
		goto parse_error;
	}
	if (yaml_document_get_root_node(&extra) != NULL) {
		rpx_err_set(err, path, (int)extra.start_mark.line + 1,
			    (int)extra.start_mark.column + 1,
			    "a second YAML document: the file holds %s", what);
		r = RPX_EPARSE;
		yaml_document_delete(doc);
	}
	yaml_document_delete(&extra);
	yaml_parser_delete(&parser);
	return r;
parse_error:
	rpx_err_set(err, path, (int)parser.problem_mark.line + 1,
		    (int)parser.problem_mark.column + 1, "%s%s%s",
		    parser.problem ? parser.problem : "malformed YAML",
		    parser.context ? " " : "",
		    parser.context ? parser.context : "");
	yaml_parser_delete(&parser);
	return RPX_EPARSE;
}

int
yamlutil_node_verr(struct rpx_err *err, const char *path, const yaml_node_t *n,
		   const char *fmt, va_list ap)
{
	char msg[sizeof(err->msg)];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	rpx_err_set(err, path, (int)n->start_mark.line + 1,
		    (int)n->start_mark.column + 1, "%s", msg);
	return RPX_EPARSE;
}

int
yamlutil_node_err(struct rpx_err *err, const char *path, const yaml_node_t *n,
		  const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = yamlutil_node_verr(err, path, n, fmt, ap);
	va_end(ap);
	return r;
}

const char *
yamlutil_scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
					   : NULL;
}
