/*
 * Fuzzes search_fts_query() (web/search.h): the output is NUL-ended
 * within its buffer, holds an even number of double quotes (every word
 * is one closed string), and is "" on failure or when there are no
 * words.
 */
#include "fuzz.h"
#include "search.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char q[256];
	size_t i, quotes = 0, n;
	int words;

	words = search_fts_query((const char *)data, size, q, sizeof(q));
	n = strnlen(q, sizeof(q));
	fuzz_check(n < sizeof(q));
	if (words <= 0) {
		fuzz_check(n == 0);
		return 0;
	}
	fuzz_check(words <= SEARCH_WORDS_MAX);
	for (i = 0; i < n; i++)
		quotes += q[i] == '"';
	fuzz_check(quotes % 2 == 0 && quotes >= 2 * (size_t)words);
	return 0;
}
