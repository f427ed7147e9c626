/*
 * crypto: the few primitives Chorus needs, taken from OpenSSL's libcrypto.
 *
 * Hex output is lower case.  Comparison of secrets always goes through
 * crypto_equal(), which takes the same time wherever the inputs differ.
 */
#ifndef CHORUS_CRYPTO_H
#define CHORUS_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define CRYPTO_SHA256_HEX 65 /* 64 hex digits and a NUL */
#define CRYPTO_SHA1_B64 29   /* 28 base64 characters and a NUL */

/* Fills p with n bytes from the system's random source.  0 or -1. */
int crypto_random(void *p, size_t n);

/* SHA-256 of p[0..n) as hex into out. */
void crypto_sha256_hex(const void *p, size_t n, char out[CRYPTO_SHA256_HEX]);

/* HMAC-SHA256 of msg under key, as hex into out.  0 or -1. */
int crypto_hmac_sha256_hex(const void *key, size_t keylen, const void *msg,
			   size_t msglen, char out[CRYPTO_SHA256_HEX]);

/* HMAC-SHA1 of msg under key, as base64 into out.  0 or -1. */
int crypto_hmac_sha1_b64(const void *key, size_t keylen, const void *msg,
			 size_t msglen, char out[CRYPTO_SHA1_B64]);

/* n random bytes as 2n hex digits into out (room for 2n + 1).  0 or -1. */
int crypto_random_hex(char *out, size_t n);

/* Constant-time equality of two byte strings (false if lengths differ). */
bool crypto_equal(const void *a, size_t alen, const void *b, size_t blen);

#endif
