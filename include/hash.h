/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * hash.h - SHA-1, SHA-256, MD5, HMAC-SHA1 and base64 decoding, done by
 * libcrypto (OpenSSL's EVP interface; libssh links it already).
 *
 * Used by remote: SHA-256 decides whether an upload can be skipped (the
 * Pi's sha256sum computes the same digest), HMAC-SHA1 matches OpenSSH's
 * hashed known_hosts names ("|1|salt|hash") to find a stale entry's line,
 * MD5 checks a delta upload's joined file on the Pi (md5sum there hashes
 * twice as fast as sha256sum; a check against a wrong base, not against
 * an attacker, who could replace the program on the Pi anyway).
 * A context lives on the stack; *_init allocates libcrypto's state and
 * *_final releases it (a context given up before its final must be passed
 * to *_discard). Failures inside libcrypto (out of memory) abort, like the
 * x* allocators. libcrypto picks the CPU's SHA instructions by itself.
 */
#ifndef RPX_HASH_H
#define RPX_HASH_H

#include <stddef.h>
#include <stdint.h>

struct evp_md_ctx_st;		/* libcrypto's EVP_MD_CTX */

struct sha256 {
	struct evp_md_ctx_st *md;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[32]);
void sha256_discard(struct sha256 *c);

struct sha1 {
	struct evp_md_ctx_st *md;
};

void sha1_init(struct sha1 *c);
void sha1_update(struct sha1 *c, const void *data, size_t n);
void sha1_final(struct sha1 *c, unsigned char out[20]);
void sha1_discard(struct sha1 *c);

/* The MD5 digest of n bytes at data. */
void md5_buf(const void *data, size_t n, unsigned char out[16]);

void hmac_sha1(const void *key, size_t keylen, const void *msg, size_t n,
	       unsigned char out[20]);

/* Lowercase hex of n bytes into out (2n+1 bytes). */
void hash_hex(const unsigned char *d, size_t n, char *out);

/*
 * Decode standard base64 (padding optional, no whitespace) into out
 * (at most outsz bytes). Returns the decoded length, or -1 when the input
 * is not base64 or does not fit. Trailing '=' are dropped whatever their
 * number; bits of a last partial byte are ignored.
 */
long hash_base64_decode(const char *in, size_t n, unsigned char *out,
			size_t outsz);

#endif
