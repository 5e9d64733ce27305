/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * hash_test.c - hash.h over libcrypto: the FIPS 180 and RFC 2202 vectors,
 * streaming in uneven pieces, and base64 decoding with the edge cases its
 * callers rely on (optional padding, no whitespace, bounded output).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hash.h"

static void
sha256_hex(const void *data, size_t n, char hex[65])
{
	struct sha256 c;
	unsigned char d[32];

	sha256_init(&c);
	sha256_update(&c, data, n);
	sha256_final(&c, d);
	hash_hex(d, 32, hex);
}

static void
sha1_hex(const void *data, size_t n, char hex[41])
{
	struct sha1 c;
	unsigned char d[20];

	sha1_init(&c);
	sha1_update(&c, data, n);
	sha1_final(&c, d);
	hash_hex(d, 20, hex);
}

/* FIPS 180-2 appendix vectors: "abc", the empty string, the 448-bit one */
static void
test_sha256_vectors(void **state)
{
	char hex[65];

	(void)state;
	sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
			    "27ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
			    "b00361a396177a9cb410ff61f20015ad");
	sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		   56, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039"
			    "a33ce45964ff2167f6ecedd419db06c1");
}

static void
test_sha1_vectors(void **state)
{
	char hex[41];

	(void)state;
	sha1_hex("", 0, hex);
	assert_string_equal(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	sha1_hex("abc", 3, hex);
	assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 56, hex);
	assert_string_equal(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

/* RFC 1321's test suite (what md5sum prints for the same bytes). */
static void
test_md5_vectors(void **state)
{
	static const struct {
		const char *in, *hex;
	} v[] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "12345678901234567890123456789012345678901234567890123456789012"
		  "345678901234567890", "57edf4a22be3c955ac49da2e2107b67a" },
	};
	unsigned char d[16];
	char hex[33];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		md5_buf(v[i].in, strlen(v[i].in), d);
		hash_hex(d, 16, hex);
		assert_string_equal(hex, v[i].hex);
	}
}

/* One million 'a's fed in pieces of 1, 63, 1000 ... bytes (FIPS 180). */
static void
test_million_a_streaming(void **state)
{
	static const size_t pieces[] = { 1, 63, 1000, 4096, 65, 7 };
	char *a = malloc(65536), hex[65];
	struct sha256 c2;
	struct sha1 c1;
	unsigned char d[32];
	size_t done = 0, k = 0;

	(void)state;
	assert_non_null(a);
	memset(a, 'a', 65536);
	sha256_init(&c2);
	sha1_init(&c1);
	while (done < 1000000) {
		size_t n = pieces[k++ % (sizeof(pieces) / sizeof(pieces[0]))];

		if (n > 1000000 - done)
			n = 1000000 - done;
		sha256_update(&c2, a, n);
		sha1_update(&c1, a, n);
		done += n;
	}
	sha256_final(&c2, d);
	hash_hex(d, 32, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
			    "f1809a48a497200e046d39ccc7112cd0");
	sha1_final(&c1, d);
	hash_hex(d, 20, hex);
	assert_string_equal(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	free(a);
}

/* A context given up half way is released by *_discard (no leak under
 * valgrind), and a zero-length update changes nothing. */
static void
test_discard_and_empty_update(void **state)
{
	struct sha256 c;
	struct sha1 s;
	unsigned char d[32];
	char hex[65];

	(void)state;
	sha256_init(&c);
	sha256_update(&c, "abc", 3);
	sha256_discard(&c);
	sha256_discard(&c);
	sha1_init(&s);
	sha1_discard(&s);
	sha256_init(&c);
	sha256_update(&c, "ab", 2);
	sha256_update(&c, "", 0);
	sha256_update(&c, "c", 1);
	sha256_final(&c, d);
	hash_hex(d, 32, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
			    "b00361a396177a9cb410ff61f20015ad");
}

static void
hmac_hex(const void *key, size_t kn, const void *msg, size_t n, char hex[41])
{
	unsigned char d[20];

	hmac_sha1(key, kn, msg, n, d);
	hash_hex(d, 20, hex);
}

/* RFC 2202 section 3, all seven cases */
static void
test_hmac_sha1_rfc2202(void **state)
{
	unsigned char k[80], m[50];
	char hex[41];

	(void)state;
	memset(k, 0x0b, 20);
	hmac_hex(k, 20, "Hi There", 8, hex);
	assert_string_equal(hex, "b617318655057264e28bc0b6fb378c8ef146be00");
	hmac_hex("Jefe", 4, "what do ya want for nothing?", 28, hex);
	assert_string_equal(hex, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	memset(k, 0xaa, 20);
	memset(m, 0xdd, 50);
	hmac_hex(k, 20, m, 50, hex);
	assert_string_equal(hex, "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
	for (int i = 0; i < 25; i++)
		k[i] = (unsigned char)(i + 1);
	memset(m, 0xcd, 50);
	hmac_hex(k, 25, m, 50, hex);
	assert_string_equal(hex, "4c9007f4026250c6bc8414f9bf50c86c2d7235da");
	memset(k, 0x0c, 20);
	hmac_hex(k, 20, "Test With Truncation", 20, hex);
	assert_string_equal(hex, "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04");
	memset(k, 0xaa, 80);
	hmac_hex(k, 80, "Test Using Larger Than Block-Size Key - Hash Key First",
		 54, hex);
	assert_string_equal(hex, "aa4ae5e15272d00e95705637ce8a3b55ed402112");
	hmac_hex(k, 80, "Test Using Larger Than Block-Size Key and Larger "
		 "Than One Block-Size Data", 73, hex);
	assert_string_equal(hex, "e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
	/* an empty key and message are valid too */
	hmac_hex("", 0, "", 0, hex);
	assert_string_equal(hex, "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
}

static void
b64_ok(const char *in, const char *want)
{
	unsigned char out[64];
	long n = hash_base64_decode(in, strlen(in), out, sizeof(out));

	assert_int_equal(n, (long)strlen(want));
	assert_memory_equal(out, want, strlen(want));
}

static void
b64_bad(const char *in, size_t outsz)
{
	unsigned char out[64];

	assert_int_equal(hash_base64_decode(in, strlen(in), out, outsz), -1);
}

/* RFC 4648 section 10, with and without padding */
static void
test_base64_rfc4648(void **state)
{
	(void)state;
	b64_ok("", "");
	b64_ok("Zg==", "f");
	b64_ok("Zm8=", "fo");
	b64_ok("Zm9v", "foo");
	b64_ok("Zm9vYg==", "foob");
	b64_ok("Zm9vYmE=", "fooba");
	b64_ok("Zm9vYmFy", "foobar");
	b64_ok("Zg", "f");
	b64_ok("Zm8", "fo");
	b64_ok("Zm9vYg", "foob");
	b64_ok("Zm9vYmE", "fooba");
	b64_ok("+/+/", "\xfb\xff\xbf");
	/* any number of trailing '=' goes; a lone last character adds
	 * fewer than 8 bits, so no byte */
	b64_ok("Zg=====", "f");
	b64_ok("Zm9vY", "foo");
	b64_ok("=", "");
}

static void
test_base64_invalid(void **state)
{
	unsigned char out[8];

	(void)state;
	b64_bad("Zm9v\n", 64);		/* no whitespace, not even at the end */
	b64_bad(" Zm9v", 64);
	b64_bad("Zm 9v", 64);
	b64_bad("Zg==Zg==", 64);	/* padding only at the end */
	b64_bad("Zm9-", 64);		/* not the URL alphabet */
	b64_bad("Zm9_", 64);
	b64_bad("a*==", 64);
	b64_bad("Zm9vYmFy", 5);		/* 6 bytes do not fit in 5 */
	b64_bad("Zm9vYg", 3);
	assert_int_equal(hash_base64_decode("Zm9vYmFy", 8, out, 6), 6);
	assert_memory_equal(out, "foobar", 6);
	/* n bounds the input: the rest of the string is not read */
	assert_int_equal(hash_base64_decode("Zm9v!!!!", 4, out, 3), 3);
	assert_memory_equal(out, "foo", 3);
	/* a key blob longer than one decode chunk */
	{
		char big[8192 + 4];
		unsigned char raw[6144 + 3];

		memset(big, 'A', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		big[8191] = 'B';
		assert_int_equal(hash_base64_decode(big, strlen(big), raw,
						    sizeof(raw)), 6144 + 2);
		assert_int_equal(raw[6143], 1);
		assert_int_equal(raw[6144], 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_sha1_vectors),
		cmocka_unit_test(test_md5_vectors),
		cmocka_unit_test(test_million_a_streaming),
		cmocka_unit_test(test_discard_and_empty_update),
		cmocka_unit_test(test_hmac_sha1_rfc2202),
		cmocka_unit_test(test_base64_rfc4648),
		cmocka_unit_test(test_base64_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
