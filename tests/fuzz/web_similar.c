/*
 * Fuzzes similar_tokens() and similar_jaccard() (web/similar.h): tokens
 * are sorted, distinct, 3..SIMILAR_TOKEN_MAX bytes of [a-z0-9]; the
 * index of a text with itself is 1 (or 0 when empty) and lies in 0..1
 * against any other; the FTS query, when made, fits and is NUL-ended.
 */
#include "fuzz.h"
#include "similar.h"

static void check_set(const struct similar_set *s)
{
	size_t i, j, n;

	fuzz_check(s->count <= SIMILAR_TOKENS_MAX);
	for (i = 0; i < s->count; i++) {
		n = strlen(s->tok[i]);
		fuzz_check(n >= 3 && n <= SIMILAR_TOKEN_MAX);
		for (j = 0; j < n; j++)
			fuzz_check(
				(s->tok[i][j] >= 'a' && s->tok[i][j] <= 'z') ||
				(s->tok[i][j] >= '0' && s->tok[i][j] <= '9'));
		if (i > 0)
			fuzz_check(strcmp(s->tok[i - 1], s->tok[i]) < 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct similar_set a, b;
	char q[512];
	size_t half = size / 2;
	double j;

	similar_tokens((const char *)data, size, &a);
	check_set(&a);
	similar_tokens((const char *)data, half, &b);
	check_set(&b);
	j = similar_jaccard(&a, &a);
	fuzz_check(a.count == 0 ? j == 0.0 : j == 1.0);
	j = similar_jaccard(&a, &b);
	fuzz_check(j >= 0.0 && j <= 1.0);
	if (similar_fts_query(&a, q, sizeof(q)) == 0)
		fuzz_check(strlen(q) < sizeof(q));
	return 0;
}
