/*
 * lang_test: guessing English or Spanish from a short text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lang.h"

static const char *guess(const char *s)
{
	return lang_guess(s, strlen(s));
}

static void spanish_texts_are_spanish(void **state)
{
	(void)state;
	assert_string_equal(guess("Más libros en la biblioteca"), "es");
	assert_string_equal(guess("Hola, quiero más luz"), "es");
	assert_string_equal(guess("QUE LOS NINOS TENGAN MAS RECREO"), "es");
	assert_string_equal(guess("¿Por qué no hay fruta?"), "es");
	assert_string_equal(guess("necesitamos un cruce seguro"), "es");
}

static void english_texts_are_english(void **state)
{
	(void)state;
	assert_string_equal(guess("Please fix the school gate"), "en");
	assert_string_equal(guess("Can the library open on Saturdays?"), "en");
	assert_string_equal(guess("Our school needs a crossing guard"), "en");
	assert_string_equal(guess("I have one more idea about buses"), "en");
}

static void unclear_texts_have_no_guess(void **state)
{
	(void)state;
	assert_null(guess(""));
	assert_null(guess("hola"));
	assert_null(guess("ok"));
	assert_null(guess("YES"));
	assert_null(guess("isso é"));
	assert_null(guess("ಶಾಲೆ ಶಾಲೆ"));
	assert_null(guess("EMOJI 🚀 TEST"));
	/* As many words of each: neither wins. */
	assert_null(guess("the library y la escuela"));
}

static void bad_bytes_and_long_words_are_safe(void **state)
{
	char big[300];

	(void)state;
	assert_string_equal(guess("de\xff la\xc3 que"), "es");
	memset(big, 'a', sizeof(big));
	memcpy(big + 100, " the and ", 9);
	assert_string_equal(lang_guess(big, sizeof(big)), "en");
	/* A word of a list inside a longer word does not count. */
	assert_null(guess("theandthe delaque"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spanish_texts_are_spanish),
		cmocka_unit_test(english_texts_are_english),
		cmocka_unit_test(unclear_texts_have_no_guess),
		cmocka_unit_test(bad_bytes_and_long_words_are_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
