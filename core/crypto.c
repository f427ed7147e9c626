/*
 * crypto: thin wrappers over libcrypto.  See crypto.h.
 */
#include "crypto.h"

#include <errno.h>
#include <sys/random.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

static void crypto_hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/*
 * The kernel's generator, straight: it blocks only until the pool is
 * first seeded at boot, and it spares the kiosk OpenSSL's DRBG set-up,
 * which alone costs megabytes of resident memory.
 */
int crypto_random(void *p, size_t n)
{
	unsigned char *b = p;
	ssize_t got;

	while (n > 0) {
		got = getrandom(b, n, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		b += got;
		n -= (size_t)got;
	}
	return 0;
}

int crypto_random_hex(char *out, size_t n)
{
	unsigned char raw[64];

	if (n > sizeof(raw) || crypto_random(raw, n) < 0)
		return -1;
	crypto_hex(raw, n, out);
	return 0;
}

void crypto_sha256_hex(const void *p, size_t n, char out[CRYPTO_SHA256_HEX])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256(p, n, md);
	crypto_hex(md, sizeof(md), out);
}

int crypto_hmac_sha256_hex(const void *key, size_t keylen, const void *msg,
			   size_t msglen, char out[CRYPTO_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (HMAC(EVP_sha256(), key, (int)keylen, msg, msglen, md, &mdlen) ==
	    NULL)
		return -1;
	crypto_hex(md, mdlen, out);
	return 0;
}

int crypto_hmac_sha1_b64(const void *key, size_t keylen, const void *msg,
			 size_t msglen, char out[CRYPTO_SHA1_B64])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (HMAC(EVP_sha1(), key, (int)keylen, msg, msglen, md, &mdlen) ==
		    NULL ||
	    mdlen != 20)
		return -1;
	EVP_EncodeBlock((unsigned char *)out, md, (int)mdlen);
	return 0;
}

bool crypto_equal(const void *a, size_t alen, const void *b, size_t blen)
{
	if (alen != blen)
		return false;
	return CRYPTO_memcmp(a, b, alen) == 0;
}
