/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * yamlutil.h - what the YAML readers (themes, profiles) share on top of
 * libyaml: loading the one document of a file with errors at
 * path:line:col, and errors pointing at a node.
 */
#ifndef RPX_YAMLUTIL_H
#define RPX_YAMLUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <yaml.h>

#include "rpx.h"

/*
 * Load the one document in text[0..len). what names the file's kind in
 * the error for a second document ("a theme"). 0 with *doc to delete with
 * yaml_document_delete() (its root is NULL for an empty file), or
 * RPX_EPARSE with err at path:line:col (nothing to delete then).
 */
int yamlutil_load(yaml_document_t *doc, const char *text, size_t len,
		  const char *path, const char *what, struct rpx_err *err);

/* Set err at n's start (libyaml counts from 0; messages count from 1).
 * Returns RPX_EPARSE. */
int yamlutil_node_err(struct rpx_err *err, const char *path,
		      const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

int yamlutil_node_verr(struct rpx_err *err, const char *path,
		       const yaml_node_t *n, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/* A scalar node's text, NULL for a sequence or mapping. */
const char *yamlutil_scalar(const yaml_node_t *n);

#endif
