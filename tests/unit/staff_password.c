/*
 * Unit tests for staff passwords (web/staff.c): the settings new hashes
 * are made with, that hashes made with other settings still verify, and
 * that logins checked from two threads at once are answered right.
 */
#include <argon2.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cycle.h"

static void password_hash_is_argon2id_at_seven_mib(void **state)
{
	char h[CYCLE_HASH_MAX];

	(void)state;
	assert_int_equal(staff_hash_password("correct horse", 13, h, sizeof(h)),
			 0);
	assert_non_null(strstr(h, "$argon2id$v=19$m=7168,t=5,p=1$"));
	assert_true(staff_check_password(h, "correct horse", 13));
	assert_false(staff_check_password(h, "correct hors", 12));
	assert_false(staff_check_password(h, "correct horsf", 13));
}

static void password_old_settings_still_verify(void **state)
{
	const unsigned char salt[16] = "sixteen byte sal";
	char h[CYCLE_HASH_MAX];

	(void)state;
	assert_int_equal(argon2id_hash_encoded(2, 19456, 1, "old password", 12,
					       salt, sizeof(salt), 32, h,
					       sizeof(h)),
			 ARGON2_OK);
	assert_true(staff_check_password(h, "old password", 12));
	assert_false(staff_check_password(h, "new password", 12));
}

struct check {
	const char *hash;
	const char *pw;
	int ok[4];
};

static void *password_checker(void *arg)
{
	struct check *c = arg;
	int i;

	for (i = 0; i < 4; i++)
		c->ok[i] = staff_check_password(c->hash, c->pw, strlen(c->pw));
	return NULL;
}

static void password_checks_from_two_threads(void **state)
{
	char h[CYCLE_HASH_MAX];
	struct check good = {h, "right password", {0}};
	struct check bad = {h, "wrong password", {0}};
	pthread_t a, b;
	int i;

	(void)state;
	assert_int_equal(
		staff_hash_password("right password", 14, h, sizeof(h)), 0);
	assert_int_equal(pthread_create(&a, NULL, password_checker, &good), 0);
	assert_int_equal(pthread_create(&b, NULL, password_checker, &bad), 0);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	for (i = 0; i < 4; i++) {
		assert_true(good.ok[i]);
		assert_false(bad.ok[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(password_hash_is_argon2id_at_seven_mib),
		cmocka_unit_test(password_old_settings_still_verify),
		cmocka_unit_test(password_checks_from_two_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
