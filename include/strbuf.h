/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * strbuf.h - a growable byte buffer.
 *
 * Invariants: buf is never NULL and is always NUL-terminated (bytes may
 * contain NULs; len counts them). STRBUF_INIT needs no release until the
 * first addition; strbuf_release() frees and re-initialises; ownership
 * leaves only through strbuf_detach(). Allocation failure aborts.
 */
#ifndef RPX_STRBUF_H
#define RPX_STRBUF_H

#include <stddef.h>
#include <stdint.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;	/* 0 while buf points to the shared empty string */
};

extern char strbuf_empty_[1];
#define STRBUF_INIT { strbuf_empty_, 0, 0 }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
/* Make room for at least extra more bytes (plus the NUL). */
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The SSH wire forms (RFC 4251): a big-endian uint32, and a string
 * (its uint32 length, then its bytes). */
void strbuf_add_be32(struct strbuf *sb, uint32_t v);
void strbuf_add_sshstr(struct strbuf *sb, const void *data, size_t n);
/* The big-endian uint32 at p (4 bytes). */
uint32_t strbuf_get_be32(const unsigned char *p);
/* Append s single-quoted for a POSIX shell ('it'\''s'). */
void strbuf_add_shquoted(struct strbuf *sb, const char *s);
/* Append s as one shell word, single-quoted only when it must be (the -v
 * lines show a command as it could be typed). */
void strbuf_add_shword(struct strbuf *sb, const char *s);
void strbuf_reset(struct strbuf *sb);
/* Drop trailing spaces, tabs, CR, LF and NULs. */
void strbuf_rtrim(struct strbuf *sb);
/* Hand over the buffer (caller frees); sb is re-initialised. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

#endif
