/*
 * utf8: validation and repair.  See utf8.h.
 */
#include "utf8.h"

static const char utf8_replacement[] = "\xef\xbf\xbd";

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c, min;
	size_t n, i;

	if (len == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

bool utf8_valid(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0 || cp == 0)
			return false;
		i += n;
	}
	return true;
}

bool utf8_is_unwanted(uint32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return false;
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

bool utf8_text_valid(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0 || cp == 0 || utf8_is_unwanted(cp))
			return false;
		i += n;
	}
	return true;
}

int utf8_put(struct buf *out, uint32_t cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return buf_append(out, b, n);
}

/*
 * Reads a three-byte encoded surrogate (ED A0..BF xx), which strict
 * decoding refuses.  Returns the surrogate value or 0.
 */
static uint32_t utf8_surrogate(const unsigned char *p, size_t len)
{
	if (len < 3 || p[0] != 0xed || p[1] < 0xa0 || p[1] > 0xbf ||
	    (p[2] & 0xc0) != 0x80)
		return 0;
	return 0xd000 | ((uint32_t)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
}

int utf8_sanitize(struct buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	int fixed = 0;
	size_t i = 0, n;
	uint32_t cp, hi, lo;

	while (i < len) {
		/* CR LF becomes LF. */
		if (p[i] == '\r' && i + 1 < len && p[i + 1] == '\n') {
			i++;
			continue;
		}

		n = utf8_decode(s + i, len - i, &cp);
		if (n > 0 && cp != 0 && !utf8_is_unwanted(cp)) {
			if (buf_append(out, s + i, n) < 0)
				return -1;
			i += n;
			continue;
		}

		/* A CESU-8 pair: high surrogate then low surrogate. */
		hi = utf8_surrogate(p + i, len - i);
		lo = hi ? utf8_surrogate(p + i + 3, len - i - 3) : 0;
		if (hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 &&
		    lo <= 0xdfff) {
			cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
			if (utf8_put(out, cp) < 0)
				return -1;
			i += 6;
			continue;
		}

		if (buf_append(out, utf8_replacement, 3) < 0)
			return -1;
		fixed++;
		i += n > 0 ? n : 1;
	}
	if (out->data == NULL && buf_append(out, "", 0) < 0)
		return -1;
	return fixed;
}

size_t utf8_count(const char *s, size_t len)
{
	size_t i, count = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			count++;
	return count;
}
