/*
 * Unit tests for kiosk/: reading submissions (intake_parse) and the
 * pages (page), without a server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "intake_parse.h"
#include "page.h"
#include "store.h"

/* Parses s as kind and returns the status; *word gets the error word. */
static int parse(const char *kind, const char *s, size_t len,
		 struct kiosk_input *in, const char **word)
{
	*word = NULL;
	return kiosk_parse_item(kind, s, len, in, word);
}

#define PARSE(kind, lit, in, word) parse(kind, lit, sizeof(lit) - 1, in, word)

/* Expects s (a literal) to be refused with status and word. */
static void refused(const char *kind, const char *s, size_t len, int status,
		    const char *want)
{
	struct kiosk_input in;
	const char *word;

	assert_int_equal(parse(kind, s, len, &in, &word), status);
	assert_non_null(word);
	assert_string_equal(word, want);
	kiosk_input_release(&in);
}

#define REFUSED(kind, lit, status, want)                                       \
	refused(kind, lit, sizeof(lit) - 1, status, want)

static void json_item_is_taken_exactly(void **state)
{
	static const char body[] = "{\"text\":\"  \\u00bfM\\u00e1s libros?\\n"
				   "\",\"role\":\"Student\",\"lang\":\"es\","
				   "\"extra\":[1,2]}";
	static const char want[] = "  \xc2\xbfM\xc3\xa1s libros?\n";
	struct kiosk_input in;
	const char *word;

	(void)state;
	assert_int_equal(PARSE("json", body, &in, &word), 0);
	assert_int_equal(in.text_len, sizeof(want) - 1);
	assert_memory_equal(in.text, want, sizeof(want) - 1);
	assert_string_equal(in.role, "student");
	assert_string_equal(in.lang, "es");
	kiosk_input_release(&in);
	assert_null(in.text);
}

static void json_role_and_lang_may_be_left_out(void **state)
{
	struct kiosk_input in;
	const char *word;

	(void)state;
	assert_int_equal(PARSE("json", "{\"text\":\"hi\"}", &in, &word), 0);
	assert_string_equal(in.role, "unsaid");
	assert_null(in.lang);
	kiosk_input_release(&in);

	assert_int_equal(PARSE("json",
			       "{\"text\":\"hi\",\"role\":null,\"lang\":\"\"}",
			       &in, &word),
			 0);
	assert_string_equal(in.role, "unsaid");
	assert_null(in.lang);
	kiosk_input_release(&in);

	assert_int_equal(PARSE("json", "{\"text\":\"hi\",\"lang\":\"es-MX\"}",
			       &in, &word),
			 0);
	assert_string_equal(in.lang, "es");
	kiosk_input_release(&in);
}

static void json_must_be_a_shallow_object(void **state)
{
	struct kiosk_input in;
	const char *word;

	(void)state;
	REFUSED("json", "", 400, "bad_json");
	REFUSED("json", "[]", 400, "bad_json");
	REFUSED("json", "\"text\"", 400, "bad_json");
	REFUSED("json", "{\"text\":", 400, "bad_json");
	REFUSED("json", "{\"text\":\"a\",\"text\":\"b\"}", 400, "bad_json");
	REFUSED("json", "{\"text\":\"a\",\"x\":[[[[1]]]]}", 400, "bad_json");
	REFUSED("json", "{\"text\":5}", 400, "bad_json");
	REFUSED("json", "{\"text\":\"a\",\"role\":[]}", 400, "bad_json");

	/* Four deep is allowed; brackets inside strings do not count. */
	assert_int_equal(PARSE("json", "{\"text\":\"[[[[{{{{\",\"x\":[[[1]]]}",
			       &in, &word),
			 0);
	kiosk_input_release(&in);
}

static void json_deep_nesting_is_refused_before_parsing(void **state)
{
	size_t i, n = 100000;
	char *s = malloc(2 * n + 16);

	(void)state;
	assert_non_null(s);
	s[0] = '{';
	memcpy(s + 1, "\"a\":", 4);
	for (i = 0; i < n; i++)
		s[5 + i] = '[';
	for (i = 0; i < n; i++)
		s[5 + n + i] = ']';
	s[5 + 2 * n] = '}';
	refused("json", s, 6 + 2 * n, 400, "bad_json");
	free(s);
}

static void text_problems_have_their_own_words(void **state)
{
	char *big;
	struct kiosk_input in;
	const char *word;

	(void)state;
	REFUSED("json", "{\"role\":\"staff\"}", 400, "missing_text");
	REFUSED("json", "{\"text\":null}", 400, "missing_text");
	REFUSED("json", "{\"text\":\" \\t\\r\\n \"}", 400, "empty_text");
	REFUSED("json", "{\"text\":\"\"}", 400, "empty_text");
	REFUSED("json", "{\"text\":\"\\u3000\\u00a0\"}", 400, "empty_text");
	REFUSED("json", "{\"text\":\"a\\u0000b\"}", 400, "bad_utf8");
	REFUSED("json", "{\"text\":\"a\xff\"}", 400, "bad_utf8");
	REFUSED("json", "{\"text\":\"bell\\u0007\"}", 400, "bad_text");
	REFUSED("json", "{\"text\":\"a \\u202e b\"}", 400, "bad_text");
	REFUSED("form", "text=esc%1B%5B31m", 400, "bad_text");
	REFUSED("json", "{\"text\":\"hi\",\"role\":\"teacher\"}", 400,
		"unknown_role");
	REFUSED("json", "{\"text\":\"hi\",\"lang\":\"fr\"}", 400,
		"unknown_lang");

	big = malloc(STORE_TEXT_MAX + 32);
	assert_non_null(big);
	memcpy(big, "{\"text\":\"", 9);
	memset(big + 9, 'x', STORE_TEXT_MAX);
	memcpy(big + 9 + STORE_TEXT_MAX, "\"}", 2);
	assert_int_equal(parse("json", big, STORE_TEXT_MAX + 11, &in, &word),
			 0);
	assert_int_equal(in.text_len, STORE_TEXT_MAX);
	kiosk_input_release(&in);
	memmove(big + 10, big + 9, STORE_TEXT_MAX + 2);
	refused("json", big, STORE_TEXT_MAX + 12, 400, "text_too_long");
	free(big);
}

static void form_item_is_decoded_exactly(void **state)
{
	struct kiosk_input in;
	const char *word;

	(void)state;
	assert_int_equal(PARSE("form",
			       "lang=es&role=family&text=%C2%BFM%C3%A1s+"
			       "libros%3F%0D%0A++",
			       &in, &word),
			 0);
	assert_string_equal(in.text, "\xc2\xbfM\xc3\xa1s libros?\r\n  ");
	assert_string_equal(in.role, "family");
	assert_string_equal(in.lang, "es");
	kiosk_input_release(&in);

	assert_int_equal(PARSE("form", "text=x&role=", &in, &word), 0);
	assert_string_equal(in.role, "unsaid");
	kiosk_input_release(&in);
}

static void form_problems_keep_the_text(void **state)
{
	struct kiosk_input in;
	const char *word;

	(void)state;
	assert_int_equal(
		PARSE("form", "text=my+idea&role=boss&lang=es", &in, &word),
		400);
	assert_string_equal(word, "unknown_role");
	assert_string_equal(in.text, "my idea");
	assert_string_equal(in.lang, "es");
	kiosk_input_release(&in);

	assert_int_equal(PARSE("form", "text=a%FFb", &in, &word), 400);
	assert_string_equal(word, "bad_utf8");
	assert_int_equal(in.text_len, 3);
	kiosk_input_release(&in);

	REFUSED("form", "text=a%00b", 400, "bad_utf8");
	REFUSED("form", "role=staff", 400, "missing_text");
	REFUSED("form", "text=+%20%09", 400, "empty_text");
	REFUSED("form", "a&b&c&d&e&f&g&h&i&j&k&l&m&n&o&p&q&text=x", 400,
		"bad_form");
}

/* The prompt a kiosk asks travels with the answer; a malformed id is a
 * refusal, never stored. */
static void a_prompt_id_travels_with_the_item(void **state)
{
	struct kiosk_input in;
	const char *word = NULL;

	(void)state;
	assert_int_equal(PARSE("json",
			       "{\"text\":\"hi\",\"prompt\":"
			       "\"P-7_b\"}",
			       &in, &word),
			 0);
	assert_string_equal(in.prompt, "P-7_b");
	kiosk_input_release(&in);
	assert_int_equal(PARSE("form", "text=hi&prompt=Q1", &in, &word), 0);
	assert_string_equal(in.prompt, "Q1");
	kiosk_input_release(&in);
	assert_int_equal(PARSE("form", "text=hi", &in, &word), 0);
	assert_string_equal(in.prompt, "");
	kiosk_input_release(&in);
	REFUSED("form", "text=hi&prompt=a%20b", 400, "bad_prompt");
	REFUSED("json", "{\"text\":\"hi\",\"prompt\":\"<x>\"}", 400,
		"bad_prompt");
	REFUSED("form",
		"text=hi&prompt=0123456789012345678901234567890123456789"
		"01234567890123456789012345",
		400, "bad_prompt");
}

static void other_kinds_are_unsupported(void **state)
{
	(void)state;
	REFUSED("xml", "<text/>", 415, "unsupported_type");
	refused(NULL, "x", 1, 415, "unsupported_type");
}

static void blank_means_only_spaces(void **state)
{
	(void)state;
	assert_true(kiosk_text_blank("", 0));
	assert_true(kiosk_text_blank(" \t\r\n\v\f", 6));
	assert_true(kiosk_text_blank("\xe2\x80\x83\xe3\x80\x80", 6));
	assert_false(kiosk_text_blank(" a ", 3));
	assert_false(kiosk_text_blank("\xff", 1));
}

static void form_page_escapes_and_keeps_the_text(void **state)
{
	static const char text[] = "<script>alert(1)</script> & \"x\"\xff";
	struct kiosk_view v = {0};
	struct buf page;

	(void)state;
	v.lang = "es";
	v.idle = 7;
	v.error = "Elige <una>";
	v.text = text;
	v.text_len = sizeof(text) - 1;
	v.role = "staff";
	buf_init(&page, KIOSK_PAGE_MAX);
	assert_int_equal(kiosk_page_form(&page, &v), 0);
	assert_null(strstr(page.data, "<script>alert"));
	assert_non_null(strstr(page.data, "&lt;script&gt;alert(1)&lt;/script"
					  "&gt; &amp; &quot;x&quot;\xef\xbf"
					  "\xbd</textarea>"));
	assert_non_null(strstr(page.data, "Elige &lt;una&gt;"));
	assert_non_null(strstr(page.data, "value=\"staff\" checked>"));
	assert_non_null(strstr(page.data, "<html lang=\"es\">"));
	assert_non_null(strstr(page.data, "data-idle=\"7\""));
	assert_non_null(strstr(page.data, "<label for=\"text\">"));
	assert_null(strstr(page.data, "style="));
	assert_null(strstr(page.data, "<script>"));
	buf_release(&page);
}

static void thanks_page_shows_code_qr_and_goes_home(void **state)
{
	struct buf page;

	(void)state;
	buf_init(&page, KIOSK_PAGE_MAX);
	assert_int_equal(kiosk_page_thanks(&page, "es", 12, "K70001X",
					   "HTTP://EXAMPLE.ORG/I/K70001X"),
			 0);
	assert_non_null(strstr(page.data, ">K70001X</p>"));
	assert_non_null(strstr(page.data, "content=\"12;url=/?lang=es\""));
	assert_non_null(strstr(page.data, "<svg"));
	assert_non_null(strstr(page.data, "aria-label=\"C\xc3\xb3"
					  "digo QR de la idea K70001X\""));
	buf_release(&page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_item_is_taken_exactly),
		cmocka_unit_test(json_role_and_lang_may_be_left_out),
		cmocka_unit_test(json_must_be_a_shallow_object),
		cmocka_unit_test(json_deep_nesting_is_refused_before_parsing),
		cmocka_unit_test(text_problems_have_their_own_words),
		cmocka_unit_test(form_item_is_decoded_exactly),
		cmocka_unit_test(form_problems_keep_the_text),
		cmocka_unit_test(a_prompt_id_travels_with_the_item),
		cmocka_unit_test(other_kinds_are_unsupported),
		cmocka_unit_test(blank_means_only_spaces),
		cmocka_unit_test(form_page_escapes_and_keeps_the_text),
		cmocka_unit_test(thanks_page_shows_code_qr_and_goes_home),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
