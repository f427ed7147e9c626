/*
 * code: ids and human codes.  See code.h for the formats.
 */
#include "code.h"

#include <string.h>

#include "crypto.h"

static const char code_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
static const char code_letters[] = "ABCDEFGHJKMNPQRSTVWXYZ";

/* Value of one Crockford digit as typed by a person, or -1. */
static int code_value(char c)
{
	const char *p;

	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'O')
		c = '0';
	if (c == 'I' || c == 'L')
		c = '1';
	if (c == '\0')
		return -1;
	p = strchr(code_alphabet, c);
	return p ? (int)(p - code_alphabet) : -1;
}

int code_make_id(char out[CODE_ID_LEN + 1], uint64_t ms)
{
	unsigned char rnd[10];
	int i, bit;

	if (crypto_random(rnd, sizeof(rnd)) < 0)
		return -1;
	ms &= ((uint64_t)1 << 48) - 1;
	/* 50 bits of room for 48 bits of time: the top digit stays low. */
	for (i = 9; i >= 0; i--) {
		out[i] = code_alphabet[ms & 31];
		ms >>= 5;
	}
	for (i = 0; i < 16; i++) {
		int v = 0, b;

		for (b = 0; b < 5; b++) {
			bit = i * 5 + b;
			v = v << 1 | ((rnd[bit / 8] >> (7 - bit % 8)) & 1);
		}
		out[10 + i] = code_alphabet[v];
	}
	out[CODE_ID_LEN] = '\0';
	return 0;
}

int code_is_id(const char *s, size_t len)
{
	size_t i;

	if (len != CODE_ID_LEN)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] == '\0' || strchr(code_alphabet, s[i]) == NULL)
			return 0;
	return 1;
}

/* Luhn mod 32 check digit over the values v[0..n). */
static int code_check(const int *v, size_t n)
{
	int factor = 2, sum = 0, addend;
	size_t i;

	for (i = n; i-- > 0;) {
		addend = factor * v[i];
		factor = factor == 2 ? 1 : 2;
		addend = addend / 32 + addend % 32;
		sum += addend;
	}
	return (32 - sum % 32) % 32;
}

int code_site_valid(const char *site)
{
	if (site == NULL || strlen(site) != CODE_SITE_LEN)
		return 0;
	return strchr(code_letters, site[0]) != NULL && site[0] != '\0' &&
	       strchr(code_alphabet, site[1]) != NULL && site[1] != '\0';
}

void code_make_site(char out[CODE_SITE_LEN + 1], uint32_t r)
{
	out[0] = code_letters[r % (sizeof(code_letters) - 1)];
	out[1] = code_alphabet[(r / 32) % 32];
	out[2] = '\0';
}

int code_make(char out[CODE_MAX], const char *site, uint64_t seq)
{
	char digits[16];
	int v[CODE_MAX];
	size_t nd = 0, i, n = 0;

	if (!code_site_valid(site) || seq == 0)
		return -1;
	do {
		digits[nd++] = code_alphabet[seq & 31];
		seq >>= 5;
	} while (seq > 0);
	while (nd < 4)
		digits[nd++] = '0';

	out[n++] = site[0];
	out[n++] = site[1];
	while (nd > 0)
		out[n++] = digits[--nd];
	for (i = 0; i < n; i++)
		v[i] = code_value(out[i]);
	out[n] = code_alphabet[code_check(v, n)];
	out[n + 1] = '\0';
	return 0;
}

int code_parse(const char *s, size_t len, char canon[CODE_MAX],
	       char site[CODE_SITE_LEN + 1], uint64_t *seq)
{
	char st[CODE_SITE_LEN + 1];
	int v[CODE_MAX];
	size_t i, n = 0;
	uint64_t sq = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '-')
			continue;
		if (n >= CODE_MAX - 1)
			return -1;
		v[n] = code_value(s[i]);
		if (v[n] < 0)
			return -1;
		n++;
	}
	/* Two for the site, at least four digits, one check. */
	if (n < 7 || n > 15)
		return -1;
	if (code_check(v, n - 1) != v[n - 1])
		return -1;
	if (v[0] < 10)
		return -1;
	for (i = CODE_SITE_LEN; i < n - 1; i++)
		sq = sq << 5 | (uint64_t)v[i];
	if (sq == 0 || v[1] < 0)
		return -1;

	/* Leading zeros do not change a Luhn sum: write the short form. */
	st[0] = code_alphabet[v[0]];
	st[1] = code_alphabet[v[1]];
	st[2] = '\0';
	if (code_make(canon, st, sq) < 0)
		return -1;
	if (site != NULL)
		memcpy(site, st, sizeof(st));
	if (seq != NULL)
		*seq = sq;
	return 0;
}
