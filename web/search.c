/*
 * search: quoting search words for FTS5.  See search.h.
 */
#include "search.h"

static int search_put(char *out, size_t outlen, size_t *used, char c)
{
	if (*used + 1 >= outlen)
		return -1;
	out[(*used)++] = c;
	out[*used] = '\0';
	return 0;
}

/*
 * Appends one quoted word s[0..n); a trailing '*' stays a prefix, and
 * a word of SEARCH_STEM_MIN bytes or more loses a final "s" and becomes
 * a prefix (search.h).
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
		if (n > SEARCH_STEM_MIN && (s[n - 1] == 's' || s[n - 1] == 'S'))
			n--;
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
