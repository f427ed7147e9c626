/*
 * Unit tests for the kiosk's visit tokens (kiosk/notices.h): which
 * tokens are well-formed, and that a page keeps a well-formed one from
 * its address and makes a new one otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "notices.h"

#define GOOD "0123456789abcdef0123456789abcdef"

static int valid(const char *s)
{
	return kiosk_visit_valid(s, strlen(s));
}

static void visit_valid_takes_32_lower_hex_digits(void **state)
{
	(void)state;
	assert_int_equal(valid(GOOD), 1);
	assert_int_equal(valid("ffffffffffffffffffffffffffffffff"), 1);
}

static void visit_valid_refuses_every_other_shape(void **state)
{
	static const char *const bad[] = {
		"",
		"0123456789abcdef0123456789abcde",   /* 31 */
		"0123456789abcdef0123456789abcdef0", /* 33 */
		"0123456789ABCDEF0123456789abcdef",  /* upper case */
		"0123456789abcdeg0123456789abcdef",  /* not hex */
		"0123456789abcdef 123456789abcdef",
		"0123456789abcdef%00123456789abcd",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(valid(bad[i]), 0);
	/* A NUL inside counts: the length is the truth. */
	assert_int_equal(kiosk_visit_valid("0123456789abcdef\0"
					   "123456789abcdef",
					   32),
			 0);
}

static int take(const char *uri, char out[KIOSK_VISIT_LEN + 1])
{
	struct http_req req;
	char copy[256];

	memset(&req, 0, sizeof(req));
	snprintf(copy, sizeof(copy), "%s", uri);
	req.uri = copy;
	return kiosk_visit_take(&req, out);
}

static void visit_take_keeps_the_token_in_the_address(void **state)
{
	char v[KIOSK_VISIT_LEN + 1];

	(void)state;
	assert_int_equal(take("/notices?lang=es&visit=" GOOD, v), 1);
	assert_string_equal(v, GOOD);
}

static void visit_take_makes_a_new_one_otherwise(void **state)
{
	char a[KIOSK_VISIT_LEN + 1], b[KIOSK_VISIT_LEN + 1];

	(void)state;
	assert_int_equal(take("/notices?lang=es", a), 0);
	assert_int_equal(valid(a), 1);
	assert_int_equal(take("/notices?visit=" GOOD "0", b), 0);
	assert_int_equal(valid(b), 1);
	assert_string_not_equal(a, b);
	assert_string_not_equal(b, GOOD);
	assert_int_equal(take("/", b), 0);
	assert_int_equal(valid(b), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(visit_valid_takes_32_lower_hex_digits),
		cmocka_unit_test(visit_valid_refuses_every_other_shape),
		cmocka_unit_test(visit_take_keeps_the_token_in_the_address),
		cmocka_unit_test(visit_take_makes_a_new_one_otherwise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
