/*
 * Fuzzes i18n_negotiate() (an Accept-Language header) and i18n_lang().
 *
 * Invariants: the answer is NULL or one of the shipped languages, and
 * i18n_lang() of that language is the language itself.
 */
#include "fuzz.h"

#include "i18n.h"

static int shipped(const char *lang)
{
	const char *const *l;

	for (l = i18n_langs(); *l != NULL; l++)
		if (*l == lang)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *accept = fuzz_cstring(data, size);
	const char *lang;

	if (accept == NULL)
		return 0;
	lang = i18n_negotiate(accept);
	fuzz_check(lang == NULL || shipped(lang));
	if (lang != NULL)
		fuzz_check(i18n_lang(lang, strlen(lang)) == lang);

	lang = i18n_lang((const char *)data, size);
	fuzz_check(lang == NULL || shipped(lang));
	free(accept);
	return 0;
}
