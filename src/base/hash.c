/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * hash.c - SHA-1, SHA-256, HMAC-SHA1 and base64 decoding through
 * libcrypto's EVP interface (see hash.h).
 */
#include "hash.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

/* libcrypto fails only when out of memory (or broken): abort, as the x*
 * allocators do, so that the void API of hash.h stays honest. */
static void
crypto_failed(const char *what)
{
	fprintf(stderr, "rpi-cross: libcrypto: %s failed\n", what);
	abort();
}

static EVP_MD_CTX *
digest_start(const EVP_MD *md)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	if (c == NULL || EVP_DigestInit_ex(c, md, NULL) != 1)
		crypto_failed("digest init");
	return c;
}

static void
digest_add(EVP_MD_CTX *c, const void *data, size_t n)
{
	if (n > 0 && EVP_DigestUpdate(c, data, n) != 1)
		crypto_failed("digest update");
}

static void
digest_finish(EVP_MD_CTX **c, unsigned char *out)
{
	if (EVP_DigestFinal_ex(*c, out, NULL) != 1)
		crypto_failed("digest final");
	EVP_MD_CTX_free(*c);
	*c = NULL;
}

void
sha256_init(struct sha256 *c)
{
	c->md = digest_start(EVP_sha256());
}

void
sha256_update(struct sha256 *c, const void *data, size_t n)
{
	digest_add(c->md, data, n);
}

void
sha256_final(struct sha256 *c, unsigned char out[32])
{
	digest_finish(&c->md, out);
}

void
sha256_discard(struct sha256 *c)
{
	EVP_MD_CTX_free(c->md);
	c->md = NULL;
}

void
md5_buf(const void *data, size_t n, unsigned char out[16])
{
	EVP_MD_CTX *c = digest_start(EVP_md5());

	digest_add(c, data, n);
	digest_finish(&c, out);
}

void
sha1_init(struct sha1 *c)
{
	c->md = digest_start(EVP_sha1());
}

void
sha1_update(struct sha1 *c, const void *data, size_t n)
{
	digest_add(c->md, data, n);
}

void
sha1_final(struct sha1 *c, unsigned char out[20])
{
	digest_finish(&c->md, out);
}

void
sha1_discard(struct sha1 *c)
{
	EVP_MD_CTX_free(c->md);
	c->md = NULL;
}

void
hmac_sha1(const void *key, size_t keylen, const void *msg, size_t n,
	  unsigned char out[20])
{
	static const unsigned char none;
	unsigned int len = 0;

	/* HMAC() wants int key length and non-NULL pointers */
	if (keylen > 0x7fffffff)
		crypto_failed("hmac key length");
	if (HMAC(EVP_sha1(), keylen > 0 ? key : &none, (int)keylen,
		 n > 0 ? msg : &none, n, out, &len) == NULL || len != 20)
		crypto_failed("hmac");
}

void
hash_hex(const unsigned char *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static bool
is_b64(int ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= '0' && ch <= '9') || ch == '+' || ch == '/';
}

/*
 * EVP_DecodeBlock is stricter and looser than our callers want: it needs
 * whole 4-character groups, skips surrounding whitespace and counts
 * padding as output bytes. So the input is checked here (alphabet only,
 * once the trailing '=' are gone), whole groups are decoded in place and
 * a last partial group is completed with 'A's and cut to its real bytes.
 */
long
hash_base64_decode(const char *in, size_t n, unsigned char *out,
		   size_t outsz)
{
	size_t whole, rest, len;
	unsigned char tail[3];
	char group[4];

	while (n > 0 && in[n - 1] == '=')
		n--;
	for (size_t i = 0; i < n; i++)
		if (!is_b64((unsigned char)in[i]))
			return -1;
	len = n / 4 * 3 + (n % 4) * 6 / 8;
	if (len > outsz)
		return -1;
	whole = n / 4 * 4;
	rest = n % 4;
	for (size_t i = 0; i < whole; i += 4 * 1024) {
		size_t chunk = whole - i < 4 * 1024 ? whole - i : 4 * 1024;

		if (EVP_DecodeBlock(out + i / 4 * 3,
				    (const unsigned char *)in + i,
				    (int)chunk) != (int)(chunk / 4 * 3))
			return -1;
	}
	if (rest > 1) {
		memcpy(group, in + whole, rest);
		memset(group + rest, 'A', 4 - rest);
		if (EVP_DecodeBlock(tail, (const unsigned char *)group, 4) != 3)
			return -1;
		memcpy(out + whole / 4 * 3, tail, rest - 1);
	}
	return (long)len;
}
