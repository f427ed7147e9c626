/*
 * Fuzzes lang_guess().
 *
 * Invariants: the answer is "en", "es" or NULL; it depends only on the
 * bytes given (the same input twice gives the same answer, and bytes
 * past len are never read: the copy has no slack).
 */
#include "fuzz.h"

#include "lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);
	const char *a, *b;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	a = lang_guess(copy, size);
	b = lang_guess(copy, size);
	fuzz_check(a == b);
	fuzz_check(a == NULL || strcmp(a, "en") == 0 || strcmp(a, "es") == 0);
	free(copy);
	return 0;
}
