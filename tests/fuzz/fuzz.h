/*
 * fuzz: what every libFuzzer harness in tests/fuzz/ shares.
 *
 * A harness is tests/fuzz/NAME.c defining LLVMFuzzerTestOneInput(); it
 * feeds one parser arbitrary bytes and checks the parser's contract with
 * fuzz_check(), which aborts (a crash libFuzzer saves and reports) when
 * an invariant does not hold.  Its seed corpus is tests/fuzz/corpus/NAME/.
 * See tests/fuzz/README.md.
 */
#ifndef CHORUS_FUZZ_H
#define CHORUS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with the invariant's text when cond is false. */
#define fuzz_check(cond)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",       \
				__FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

/*
 * A NUL-terminated copy of data for parsers that take C strings, cut at
 * the first NUL as a C caller would see it.  free() it; NULL on OOM.
 */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		return NULL;
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
