/* hash.c - SHA-1, SHA-256, HMAC-SHA1, base64 decoding (see hash.h). */
#include "hash.h"

#include <string.h>

/* x86-64 with the SHA extensions (most CPUs since 2017-2019): SHA-256 in
 * hardware, about 8x the portable code; a 50 MB program is hashed in
 * tens of ms instead of 0.4 s. Chosen at run time (CPUID). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static uint32_t
rotr32(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static uint32_t
rotl32(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static uint32_t
load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
store_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
	0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
	0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
	0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
	0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
	0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
	0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
	0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void
sha256_block(struct sha256 *c, const unsigned char *p)
{
	uint32_t w[64], a, b, cc, d, e, f, g, h;

	for (int i = 0; i < 16; i++)
		w[i] = load_be32(p + 4 * i);
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = rotr32(w[i - 15], 7) ^ rotr32(w[i - 15], 18) ^
			      (w[i - 15] >> 3);
		uint32_t s1 = rotr32(w[i - 2], 17) ^ rotr32(w[i - 2], 19) ^
			      (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = c->h[0]; b = c->h[1]; cc = c->h[2]; d = c->h[3];
	e = c->h[4]; f = c->h[5]; g = c->h[6]; h = c->h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t s1 = rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = h + s1 + ch + sha256_k[i] + w[i];
		uint32_t s0 = rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22);
		uint32_t maj = (a & b) ^ (a & cc) ^ (b & cc);
		uint32_t t2 = s0 + maj;

		h = g; g = f; f = e; e = d + t1;
		d = cc; cc = b; b = a; a = t1 + t2;
	}
	c->h[0] += a; c->h[1] += b; c->h[2] += cc; c->h[3] += d;
	c->h[4] += e; c->h[5] += f; c->h[6] += g; c->h[7] += h;
}

#ifdef SHA256_X86
static bool
sha256_x86_usable(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) ||
	    !(c & bit_SSSE3) || !(c & bit_SSE4_1))
		return false;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return false;
	return (b & (1u << 29)) != 0;	/* SHA */
}

/* n whole blocks at p, with the SHA instructions. The state is kept as
 * the instructions want it: {A,B,E,F} and {C,D,G,H}. */
__attribute__((target("sha,sse4.1,ssse3")))
static void
sha256_blocks_x86(struct sha256 *c, const unsigned char *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL,
					     0x0405060700010203LL);
	__m128i abef, cdgh, t, w[4];

	t = _mm_loadu_si128((const __m128i *)(const void *)&c->h[0]);
	cdgh = _mm_loadu_si128((const __m128i *)(const void *)&c->h[4]);
	t = _mm_shuffle_epi32(t, 0xB1);		/* B A D C */
	cdgh = _mm_shuffle_epi32(cdgh, 0x1B);	/* H G F E */
	abef = _mm_alignr_epi8(t, cdgh, 8);
	cdgh = _mm_blend_epi16(cdgh, t, 0xF0);
	for (; n > 0; n--, p += 64) {
		__m128i abef0 = abef, cdgh0 = cdgh;

		for (int g = 0; g < 16; g++) {
			__m128i m;

			if (g < 4) {
				w[g] = _mm_shuffle_epi8(_mm_loadu_si128(
					(const __m128i *)(const void *)
					(p + 16 * g)), bswap);
			} else {
				/* W[t-16] + s0(W[t-15]), + W[t-7], then
				 * + s1(W[t-2]) */
				m = _mm_sha256msg1_epu32(w[g & 3],
							 w[(g + 1) & 3]);
				m = _mm_add_epi32(m, _mm_alignr_epi8(
					w[(g + 3) & 3], w[(g + 2) & 3], 4));
				w[g & 3] = _mm_sha256msg2_epu32(m,
							w[(g + 3) & 3]);
			}
			m = _mm_add_epi32(w[g & 3], _mm_loadu_si128(
				(const __m128i *)(const void *)
				&sha256_k[4 * g]));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);
			m = _mm_shuffle_epi32(m, 0x0E);
			abef = _mm_sha256rnds2_epu32(abef, cdgh, m);
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}
	t = _mm_shuffle_epi32(abef, 0x1B);	/* F E B A */
	cdgh = _mm_shuffle_epi32(cdgh, 0xB1);	/* D C H G */
	abef = _mm_blend_epi16(t, cdgh, 0xF0);	/* D C B A */
	cdgh = _mm_alignr_epi8(cdgh, t, 8);	/* H G F E */
	_mm_storeu_si128((__m128i *)(void *)&c->h[0], abef);
	_mm_storeu_si128((__m128i *)(void *)&c->h[4], cdgh);
}
#endif

static void
sha256_blocks(struct sha256 *c, const unsigned char *p, size_t n)
{
#ifdef SHA256_X86
	if (c->hw) {
		sha256_blocks_x86(c, p, n);
		return;
	}
#endif
	for (; n > 0; n--, p += 64)
		sha256_block(c, p);
}

void
sha256_init(struct sha256 *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->nbuf = 0;
#ifdef SHA256_X86
	c->hw = sha256_x86_usable();
#else
	c->hw = false;
#endif
}

void
sha256_update(struct sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;

	c->len += n;
	if (c->nbuf > 0) {
		size_t take = 64 - c->nbuf < n ? 64 - c->nbuf : n;

		memcpy(c->buf + c->nbuf, p, take);
		c->nbuf += take;
		p += take;
		n -= take;
		if (c->nbuf < 64)
			return;
		sha256_blocks(c, c->buf, 1);
		c->nbuf = 0;
	}
	sha256_blocks(c, p, n / 64);
	p += n / 64 * 64;
	n %= 64;
	memcpy(c->buf, p, n);
	c->nbuf = n;
}

void
sha256_final(struct sha256 *c, unsigned char out[32])
{
	uint64_t bits = c->len * 8;
	unsigned char pad[72] = { 0x80 };
	size_t padlen = c->nbuf < 56 ? 56 - c->nbuf : 120 - c->nbuf;
	unsigned char lenbe[8];

	for (int i = 0; i < 8; i++)
		lenbe[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_update(c, pad, padlen);
	sha256_update(c, lenbe, 8);
	for (int i = 0; i < 8; i++)
		store_be32(out + 4 * i, c->h[i]);
}

static void
sha1_block(struct sha1 *c, const unsigned char *p)
{
	uint32_t w[80], a, b, cc, d, e;

	for (int i = 0; i < 16; i++)
		w[i] = load_be32(p + 4 * i);
	for (int i = 16; i < 80; i++)
		w[i] = rotl32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = c->h[0]; b = c->h[1]; cc = c->h[2]; d = c->h[3]; e = c->h[4];
	for (int i = 0; i < 80; i++) {
		uint32_t f, k, t;

		if (i < 20) {
			f = (b & cc) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ cc ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & cc) | (b & d) | (cc & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ cc ^ d;
			k = 0xca62c1d6;
		}
		t = rotl32(a, 5) + f + e + k + w[i];
		e = d; d = cc; cc = rotl32(b, 30); b = a; a = t;
	}
	c->h[0] += a; c->h[1] += b; c->h[2] += cc; c->h[3] += d;
	c->h[4] += e;
}

void
sha1_init(struct sha1 *c)
{
	c->h[0] = 0x67452301;
	c->h[1] = 0xefcdab89;
	c->h[2] = 0x98badcfe;
	c->h[3] = 0x10325476;
	c->h[4] = 0xc3d2e1f0;
	c->len = 0;
	c->nbuf = 0;
}

void
sha1_update(struct sha1 *c, const void *data, size_t n)
{
	const unsigned char *p = data;

	c->len += n;
	while (n > 0) {
		size_t take = 64 - c->nbuf < n ? 64 - c->nbuf : n;

		memcpy(c->buf + c->nbuf, p, take);
		c->nbuf += take;
		p += take;
		n -= take;
		if (c->nbuf == 64) {
			sha1_block(c, c->buf);
			c->nbuf = 0;
		}
	}
}

void
sha1_final(struct sha1 *c, unsigned char out[20])
{
	uint64_t bits = c->len * 8;
	unsigned char pad[72] = { 0x80 };
	size_t padlen = c->nbuf < 56 ? 56 - c->nbuf : 120 - c->nbuf;
	unsigned char lenbe[8];

	for (int i = 0; i < 8; i++)
		lenbe[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_update(c, pad, padlen);
	sha1_update(c, lenbe, 8);
	for (int i = 0; i < 5; i++)
		store_be32(out + 4 * i, c->h[i]);
}

void
hmac_sha1(const void *key, size_t keylen, const void *msg, size_t n,
	  unsigned char out[20])
{
	unsigned char k[64] = { 0 }, ipad[64], opad[64], inner[20];
	struct sha1 c;

	if (keylen > 64) {
		sha1_init(&c);
		sha1_update(&c, key, keylen);
		sha1_final(&c, k);
	} else {
		memcpy(k, key, keylen);
	}
	for (int i = 0; i < 64; i++) {
		ipad[i] = k[i] ^ 0x36;
		opad[i] = k[i] ^ 0x5c;
	}
	sha1_init(&c);
	sha1_update(&c, ipad, 64);
	sha1_update(&c, msg, n);
	sha1_final(&c, inner);
	sha1_init(&c);
	sha1_update(&c, opad, 64);
	sha1_update(&c, inner, 20);
	sha1_final(&c, out);
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

static int
b64_value(int ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

long
hash_base64_decode(const char *in, size_t n, unsigned char *out,
		   size_t outsz)
{
	uint32_t acc = 0;
	int nbits = 0;
	size_t len = 0;

	while (n > 0 && in[n - 1] == '=')
		n--;
	for (size_t i = 0; i < n; i++) {
		int v = b64_value((unsigned char)in[i]);

		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			if (len >= outsz)
				return -1;
			out[len++] = (unsigned char)(acc >> nbits);
		}
	}
	return (long)len;
}
