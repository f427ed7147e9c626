/*
 * Unit tests for core/: codes, forms, UTF-8, escaping, buffers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "code.h"
#include "form.h"
#include "html.h"
#include "i18n.h"
#include "log.h"
#include "qr.h"
#include "utf8.h"

static void code_round_trip(void **state)
{
	char code[CODE_MAX], canon[CODE_MAX], site[3];
	uint64_t seq, s;

	(void)state;
	for (s = 1; s < 5000; s += 7) {
		assert_int_equal(code_make(code, "K7", s), 0);
		assert_int_equal(
			code_parse(code, strlen(code), canon, site, &seq), 0);
		assert_string_equal(canon, code);
		assert_string_equal(site, "K7");
		assert_true(seq == s);
	}
}

static void code_typed_on_a_phone(void **state)
{
	char code[CODE_MAX], canon[CODE_MAX], typed[CODE_MAX + 4];
	size_t i, n;

	(void)state;
	assert_int_equal(code_make(code, "B0", 42), 0);
	n = strlen(code);
	for (i = 0; i < n; i++)
		typed[i] = (char)(code[i] >= 'A' ? code[i] + 32 : code[i]);
	typed[n] = '\0';
	/* "b0" typed with the letter o, in lower case, with a dash. */
	typed[1] = 'o';
	memmove(typed + 3, typed + 2, n - 1);
	typed[2] = '-';
	assert_int_equal(code_parse(typed, n + 1, canon, NULL, NULL), 0);
	assert_string_equal(canon, code);
}

static void code_check_catches_one_wrong_character(void **state)
{
	static const char digits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	char code[CODE_MAX], bad[CODE_MAX], canon[CODE_MAX];
	size_t i, j, n;

	(void)state;
	assert_int_equal(code_make(code, "K7", 1234), 0);
	n = strlen(code);
	for (i = 0; i < n; i++) {
		for (j = 0; j < 32; j++) {
			if (digits[j] == code[i])
				continue;
			memcpy(bad, code, n + 1);
			bad[i] = digits[j];
			assert_int_not_equal(
				code_parse(bad, n, canon, NULL, NULL), 0);
		}
	}
}

static void code_rejects_junk(void **state)
{
	char canon[CODE_MAX] = "untouched";

	(void)state;
	assert_int_equal(code_parse("", 0, canon, NULL, NULL), -1);
	assert_int_equal(code_parse("K7", 2, canon, NULL, NULL), -1);
	assert_int_equal(code_parse("K7U0001", 7, canon, NULL, NULL), -1);
	assert_int_equal(code_parse("K7\0000012", 8, canon, NULL, NULL), -1);
	assert_string_equal(canon, "untouched");
}

static void id_is_time_ordered(void **state)
{
	char a[CODE_ID_LEN + 1], b[CODE_ID_LEN + 1];

	(void)state;
	assert_int_equal(code_make_id(a, 1700000000000ULL), 0);
	assert_int_equal(code_make_id(b, 1700000000001ULL), 0);
	assert_true(code_is_id(a, strlen(a)));
	assert_true(strcmp(a, b) < 0);
}

static void form_decodes_plus_percent_and_nul(void **state)
{
	static const char body[] = "Body=Hello%2Bworld%3F+Yes+%26+no"
				   "&z=a%00b&consent&&t=%G1%4";
	struct form f;
	const struct form_field *v;

	(void)state;
	assert_int_equal(form_parse(&f, body, strlen(body), 10), 0);
	assert_int_equal(f.count, 4);
	v = form_get(&f, "Body");
	assert_non_null(v);
	assert_int_equal(v->value_len, strlen("Hello+world? Yes & no"));
	assert_memory_equal(v->value, "Hello+world? Yes & no", v->value_len);
	v = form_get(&f, "z");
	assert_int_equal(v->value_len, 3);
	assert_memory_equal(v->value, "a\0b", 3);
	v = form_get(&f, "consent");
	assert_non_null(v);
	assert_int_equal(v->value_len, 0);
	v = form_get(&f, "t");
	assert_string_equal(v->value, "%G1%4");
	form_release(&f);
}

static void form_keeps_repeated_names_in_order(void **state)
{
	static const char body[] = "Tag=b&Tag=a";
	struct form f;

	(void)state;
	assert_int_equal(form_parse(&f, body, strlen(body), 10), 0);
	assert_int_equal(f.count, 2);
	assert_string_equal(f.fields[0].value, "b");
	assert_string_equal(f.fields[1].value, "a");
	form_release(&f);
	assert_int_equal(form_parse(&f, body, strlen(body), 1), -1);
}

static void utf8_validates(void **state)
{
	(void)state;
	assert_true(utf8_valid("caf\xc3\xa9 \xf0\x9f\x9a\x80", 10));
	assert_false(utf8_valid("abc\xff", 4));
	assert_false(utf8_valid("a\0b", 3));
	assert_false(utf8_valid("\xc0\xaf", 2));	 /* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3));	 /* surrogate */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
}

static void utf8_sanitize_repairs(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 100);
	assert_int_equal(utf8_sanitize(&b,
				       "abc\xff"
				       "def",
				       7),
			 1);
	assert_string_equal(b.data, "abc\xef\xbf\xbd"
				    "def");
	buf_clear(&b);
	assert_int_equal(utf8_sanitize(&b, "a\0b\r\nc", 6), 1);
	assert_string_equal(b.data, "a\xef\xbf\xbd"
				    "b\nc");
	buf_clear(&b);
	/* CESU-8 thumbs up becomes the real four-byte character. */
	assert_int_equal(utf8_sanitize(&b, "\xed\xa0\xbd\xed\xb1\x8d", 6), 0);
	assert_string_equal(b.data, "\xf0\x9f\x91\x8d");
	buf_release(&b);
}

static void utf8_text_refuses_controls_and_overrides(void **state)
{
	struct buf b;

	(void)state;
	assert_true(utf8_text_valid("line one\n\tline two\r\n", 20));
	assert_false(utf8_text_valid("bell\a", 5));
	assert_false(utf8_text_valid("esc\x1b[31m", 8));
	assert_false(utf8_text_valid("del\x7f", 4));
	assert_false(utf8_text_valid("c1 \xc2\x85", 5));
	assert_false(utf8_text_valid("abc \xe2\x80\xae cba", 11));
	assert_false(utf8_text_valid("iso \xe2\x81\xa6x", 8));
	assert_true(utf8_text_valid("\xd8\xb4\xd9\x83\xd8\xb1\xd8\xa7", 8));

	buf_init(&b, 100);
	assert_int_equal(utf8_sanitize(&b, "a\ab\xe2\x80\xae", 6), 2);
	assert_string_equal(b.data, "a\xef\xbf\xbd"
				    "b\xef\xbf\xbd");
	buf_release(&b);
}

/* The text with phone numbers as [P] and e-mail addresses as [E]. */
static void masked(const char *in, const char *want)
{
	struct buf b;

	buf_init(&b, 1000);
	assert_int_equal(html_escape_masked(&b, in, strlen(in), "[P]", "[E]"),
			 0);
	assert_string_equal(b.data, want);
	buf_release(&b);
}

static void public_text_hides_phones_and_emails(void **state)
{
	(void)state;
	masked("Call me at +1 (500) 555-0001 or mom@example.com.",
	       "Call me at <span class=\"masked\">[P]</span> or "
	       "<span class=\"masked\">[E]</span>.");
	masked("07700 900123", "<span class=\"masked\">[P]</span>");
	masked("ring 555-0123!", "ring <span class=\"masked\">[P]</span>!");
	masked("(555) 010-0199", "<span class=\"masked\">[P]</span>");
	/* Things that only look a little like numbers stay. */
	masked("On 2025-03-05 in room 101", "On 2025-03-05 in room 101");
	masked("Code K70042M, 1000000 books, 1,000,000 pesos",
	       "Code K70042M, 1000000 books, 1,000,000 pesos");
	masked("id AB12345678CD", "id AB12345678CD");
	masked("a@b and x@y.z <b>", "a@b and <span class=\"masked\">[E]"
				    "</span> &lt;b&gt;");
}

static void html_escapes_everything_dangerous(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 1000);
	assert_int_equal(html_text(&b, "<script>alert('x')</script>&\""), 0);
	assert_string_equal(b.data, "&lt;script&gt;alert(&#39;x&#39;)"
				    "&lt;/script&gt;&amp;&quot;");
	buf_release(&b);
}

static void log_escape_hides_control_bytes(void **state)
{
	char out[16];

	(void)state;
	log_escape(out, sizeof(out), "a\nb\\", 4);
	assert_string_equal(out, "a\\x0ab\\x5c");
	log_escape(out, sizeof(out), "0123456789abcdefghij", 20);
	assert_string_equal(out, "0123456789ab...");
}

static void buf_keeps_its_ceiling(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4);
	assert_int_equal(buf_puts(&b, "abcd"), 0);
	assert_int_equal(buf_putc(&b, 'e'), -1);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "abcd");
	buf_release(&b);
}

static void qr_url_is_upper_case(void **state)
{
	char url[128];
	struct buf b;
	int version = 0;

	(void)state;
	assert_int_equal(qr_item_url(url, sizeof(url),
				     "https://chorus.example.org/", "K70042M"),
			 0);
	assert_string_equal(url, "HTTPS://CHORUS.EXAMPLE.ORG/I/K70042M");
	buf_init(&b, 100000);
	assert_int_equal(qr_svg(&b, url, "code", &version), 0);
	assert_true(version >= 1 && version <= 3);
	assert_non_null(strstr(b.data, "<svg"));
	buf_release(&b);
}

static void qr_prompt_url_names_the_site(void **state)
{
	char url[64];

	(void)state;
	assert_int_equal(qr_prompt_url(url, sizeof(url), "http://example.org//",
				       "lunch", "k7"),
			 0);
	assert_string_equal(url, "HTTP://EXAMPLE.ORG/Q/LUNCH?S=K7");
	assert_int_equal(qr_prompt_url(url, sizeof(url), "http://example.org",
				       "LUNCH", NULL),
			 0);
	assert_string_equal(url, "HTTP://EXAMPLE.ORG/Q/LUNCH");
	assert_int_equal(
		qr_prompt_url(url, 20, "http://example.org", "LUNCH", "K7"),
		-1);
}

static void i18n_falls_back_to_english(void **state)
{
	(void)state;
	assert_string_equal(i18n_get("es", "role.student"), "Estudiante");
	assert_string_equal(i18n_get("xx", "role.student"), "Student");
	assert_string_equal(i18n_get("es", "no.such.key"), "no.such.key");
	assert_string_equal(i18n_lang("ES-mx", 5), "es");
	assert_null(i18n_lang("fr", 2));
	assert_string_equal(i18n_negotiate("fr;q=0.9, es;q=0.8, en;q=0.5"),
			    "es");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(code_round_trip),
		cmocka_unit_test(code_typed_on_a_phone),
		cmocka_unit_test(code_check_catches_one_wrong_character),
		cmocka_unit_test(code_rejects_junk),
		cmocka_unit_test(id_is_time_ordered),
		cmocka_unit_test(form_decodes_plus_percent_and_nul),
		cmocka_unit_test(form_keeps_repeated_names_in_order),
		cmocka_unit_test(utf8_validates),
		cmocka_unit_test(utf8_sanitize_repairs),
		cmocka_unit_test(utf8_text_refuses_controls_and_overrides),
		cmocka_unit_test(public_text_hides_phones_and_emails),
		cmocka_unit_test(html_escapes_everything_dangerous),
		cmocka_unit_test(log_escape_hides_control_bytes),
		cmocka_unit_test(buf_keeps_its_ceiling),
		cmocka_unit_test(qr_url_is_upper_case),
		cmocka_unit_test(qr_prompt_url_names_the_site),
		cmocka_unit_test(i18n_falls_back_to_english),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
