/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* strbuf.c - growable byte buffer (see strbuf.h for the invariants). */
#include "strbuf.h"
#include "rpx.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char strbuf_empty_[1];

void
strbuf_init(struct strbuf *sb)
{
	sb->buf = strbuf_empty_;
	sb->len = 0;
	sb->alloc = 0;
}

void
strbuf_release(struct strbuf *sb)
{
	if (sb->alloc != 0)
		free(sb->buf);
	strbuf_init(sb);
}

void
strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t want = sb->len + extra + 1;
	bool empty = sb->alloc == 0;

	if (want < sb->len) {
		fprintf(stderr, "rpi-cross: fatal: buffer size overflow\n");
		abort();
	}
	if (want <= sb->alloc)
		return;
	if (empty)
		sb->buf = NULL;		/* not the shared empty string */
	ALLOC_GROW(sb->buf, want, sb->alloc);
	if (empty)
		sb->buf[0] = '\0';
}

void
strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
	if (n == 0)
		return;
	strbuf_grow(sb, n);
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
strbuf_add_shquoted(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			strbuf_adds(sb, "'\\''");
		else
			strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '\'');
}

void
strbuf_add_be32(struct strbuf *sb, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)(v >> 24),
			       (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };

	strbuf_add(sb, b, 4);
}

void
strbuf_add_sshstr(struct strbuf *sb, const void *data, size_t n)
{
	strbuf_add_be32(sb, (uint32_t)n);
	strbuf_add(sb, data, n);
}

uint32_t
strbuf_get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

void
strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void
strbuf_addch(struct strbuf *sb, int c)
{
	char ch = (char)c;

	strbuf_add(sb, &ch, 1);
}

void
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	strbuf_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc != 0)
		sb->buf[0] = '\0';
}

void
strbuf_rtrim(struct strbuf *sb)
{
	while (sb->len > 0) {
		char c = sb->buf[sb->len - 1];

		if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\0')
			break;
		sb->len--;
	}
	if (sb->alloc != 0)
		sb->buf[sb->len] = '\0';
}

char *
strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p;

	if (sb->alloc == 0)
		p = xstrdup("");
	else
		p = sb->buf;
	if (len != NULL)
		*len = sb->len;
	strbuf_init(sb);
	return p;
}

void
strbuf_add_shword(struct strbuf *sb, const char *s)
{
	bool plain = *s != '\0';

	for (const char *c = s; *c != '\0' && plain; c++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			       "0123456789-_./:=,+@%", *c) != NULL;
	if (plain) {
		strbuf_adds(sb, s);
		return;
	}
	strbuf_addch(sb, '\'');
	for (const char *c = s; *c != '\0'; c++) {
		if (*c == '\'')
			strbuf_adds(sb, "'\\''");
		else
			strbuf_addch(sb, *c);
	}
	strbuf_addch(sb, '\'');
}
