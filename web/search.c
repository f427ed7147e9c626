/*
 * search: quoting search words for FTS5.  See search.h.
 */
#include "search.h"

#include <ctype.h>
#include <string.h>

static int search_put(char *out, size_t outlen, size_t *used, char c)
{
	if (*used + 1 >= outlen)
		return -1;
	out[(*used)++] = c;
	out[*used] = '\0';
	return 0;
}

/* 1 when s[0..n) ends in end (lower-case ASCII), in any case. */
static int search_ends(const char *s, size_t n, const char *end)
{
	size_t k = strlen(end), i;

	if (n < k)
		return 0;
	for (i = 0; i < k; i++)
		if (tolower((unsigned char)s[n - k + i]) != end[i])
			return 0;
	return 1;
}

/* 1 when c is an ASCII letter other than a vowel or y. */
static int search_consonant(char c)
{
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'z' && strchr("aeiouy", c) == NULL;
}

size_t search_stem(const char *s, size_t n)
{
	if (n < SEARCH_STEM_MIN)
		return n;
	if (search_ends(s, n, "ies") && n - 3 >= SEARCH_STEM_KEEP)
		return n - 3;
	if (search_ends(s, n, "es") && n - 2 >= SEARCH_STEM_KEEP)
		return n - 2;
	if (n > SEARCH_STEM_MIN && search_ends(s, n, "s") &&
	    !search_ends(s, n, "ss"))
		return n - 1;
	if (n > SEARCH_STEM_MIN && search_ends(s, n, "y") &&
	    search_consonant(s[n - 2]))
		return n - 1;
	return n;
}

/*
 * Appends one quoted word s[0..n); a trailing '*' stays a prefix, and
 * a word of SEARCH_STEM_MIN bytes or more is stemmed and becomes a
 * prefix (search.h).
 */
static int search_word(const char *s, size_t n, char *out, size_t outlen,
		       size_t *used, int first)
{
	int prefix = n > 1 && s[n - 1] == '*';
	size_t i;
	int rc = 0;

	if (prefix) {
		n--;
	} else if (n >= SEARCH_STEM_MIN) {
		n = search_stem(s, n);
		prefix = 1;
	}
	if (!first)
		rc |= search_put(out, outlen, used, ' ');
	rc |= search_put(out, outlen, used, '"');
	for (i = 0; i < n && rc == 0; i++) {
		if (s[i] == '"')
			rc |= search_put(out, outlen, used, '"');
		rc |= search_put(out, outlen, used, s[i] == '\0' ? ' ' : s[i]);
	}
	rc |= search_put(out, outlen, used, '"');
	if (prefix)
		rc |= search_put(out, outlen, used, '*');
	return rc;
}

static int search_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int search_fts_query(const char *s, size_t len, char *out, size_t outlen)
{
	size_t i = 0, start, used = 0;
	int words = 0;

	if (outlen == 0)
		return -1;
	out[0] = '\0';
	while (i < len && words < SEARCH_WORDS_MAX) {
		while (i < len && search_space(s[i]))
			i++;
		start = i;
		while (i < len && !search_space(s[i]))
			i++;
		if (i == start)
			break;
		if (search_word(s + start, i - start, out, outlen, &used,
				words == 0) < 0) {
			out[0] = '\0';
			return -1;
		}
		words++;
	}
	return words;
}
