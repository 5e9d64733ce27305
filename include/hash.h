/*
 * hash.h - SHA-1, SHA-256, HMAC-SHA1 and base64 decoding, small and
 * dependency-free (FIPS 180-4, RFC 2104, RFC 4648).
 *
 * Used by remote: SHA-256 decides whether an upload can be skipped (the
 * Pi's sha256sum computes the same digest), HMAC-SHA1 matches OpenSSH's
 * hashed known_hosts names ("|1|salt|hash") to find a stale entry's line.
 * Contexts live on the stack and own nothing. SHA-256 uses the CPU's SHA
 * instructions when an x86-64 CPU has them (sha256_init looks), the
 * portable code otherwise; the digests are the same.
 */
#ifndef RPX_HASH_H
#define RPX_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	unsigned char buf[64];
	size_t nbuf;
	bool hw;		/* the CPU's SHA instructions (x86-64) */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[32]);

struct sha1 {
	uint32_t h[5];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
};

void sha1_init(struct sha1 *c);
void sha1_update(struct sha1 *c, const void *data, size_t n);
void sha1_final(struct sha1 *c, unsigned char out[20]);

void hmac_sha1(const void *key, size_t keylen, const void *msg, size_t n,
	       unsigned char out[20]);

/* Lowercase hex of n bytes into out (2n+1 bytes). */
void hash_hex(const unsigned char *d, size_t n, char *out);

/*
 * Decode standard base64 (padding optional, no whitespace) into out
 * (at most outsz bytes). Returns the decoded length, or -1 when the input
 * is not base64 or does not fit.
 */
long hash_base64_decode(const char *in, size_t n, unsigned char *out,
			size_t outsz);

#endif
