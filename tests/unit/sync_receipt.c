/*
 * Unit tests for sync/receipt.c: what a push answer may confirm.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "receipt.h"

#define ID_A "01JAAAAAAAAAAAAAAAAAAAAAAA"
#define ID_B "01JBBBBBBBBBBBBBBBBBBBBBBB"
#define ID_C "01JCCCCCCCCCCCCCCCCCCCCCCC"

static const char good_body[] =
	"{\"chorus\":\"sync/1\",\"public_url\":\"https://c.example.org\","
	"\"results\":[{\"id\":\"" ID_A "\",\"status\":\"stored\"},"
	"{\"id\":\"" ID_B "\",\"status\":\"duplicate\"},"
	"{\"id\":\"" ID_C "\",\"status\":\"rejected\",\"reason\":\"sha256\"}]}";

struct fixture {
	struct receipt_item items[3];
	char url[RECEIPT_URL_MAX];
};

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->items[0].id = ID_A;
	f->items[1].id = ID_B;
	f->items[2].id = ID_C;
	snprintf(f->url, sizeof(f->url), "untouched");
}

static enum receipt_verdict judge(struct fixture *f, long status,
				  const char *ctype, const char *marker,
				  const char *body, size_t len)
{
	struct receipt_answer a = {status, ctype, marker, body, len};

	return receipt_check(&a, f->items, 3, f->url);
}

static void assert_nothing_confirmed(const struct fixture *f)
{
	int i;

	for (i = 0; i < 3; i++)
		assert_int_equal(f->items[i].outcome, RECEIPT_UNCONFIRMED);
	assert_string_equal(f->url, "untouched");
}

static void receipt_accepts_a_complete_answer(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	assert_int_equal(judge(&f, 200, "application/json; charset=utf-8", "1",
			       good_body, strlen(good_body)),
			 RECEIPT_OK);
	assert_int_equal(f.items[0].outcome, RECEIPT_SENT);
	assert_int_equal(f.items[1].outcome, RECEIPT_SENT);
	assert_int_equal(f.items[2].outcome, RECEIPT_REJECTED);
	assert_string_equal(f.items[2].reason, "sha256");
	assert_string_equal(f.url, "https://c.example.org");
}

static void receipt_refused_token_is_auth(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	assert_int_equal(judge(&f, 401, "application/json", "1", good_body,
			       strlen(good_body)),
			 RECEIPT_AUTH);
	assert_nothing_confirmed(&f);
	assert_int_equal(judge(&f, 403, "application/json", "1", good_body,
			       strlen(good_body)),
			 RECEIPT_AUTH);
	assert_nothing_confirmed(&f);
	assert_int_equal(judge(&f, 500, "application/json", "1", good_body,
			       strlen(good_body)),
			 RECEIPT_HTTP);
	assert_nothing_confirmed(&f);
}

static void receipt_captive_portal_confirms_nothing(void **state)
{
	static const char html[] = "<html><body>Log in to WiFi</body></html>";
	struct fixture f;

	(void)state;
	fixture_init(&f);
	assert_int_equal(judge(&f, 200, "text/html", NULL, html, strlen(html)),
			 RECEIPT_NOT_CHORUS);
	assert_nothing_confirmed(&f);
	/* Even the right body does not count without the marker header. */
	assert_int_equal(judge(&f, 200, "application/json", NULL, good_body,
			       strlen(good_body)),
			 RECEIPT_NOT_CHORUS);
	assert_int_equal(judge(&f, 200, "application/json", "0", good_body,
			       strlen(good_body)),
			 RECEIPT_NOT_CHORUS);
	assert_int_equal(judge(&f, 200, "application/jsonp", "1", good_body,
			       strlen(good_body)),
			 RECEIPT_NOT_CHORUS);
	assert_int_equal(
		judge(&f, 200, "text/html", "1", good_body, strlen(good_body)),
		RECEIPT_NOT_CHORUS);
	assert_nothing_confirmed(&f);
}

static void receipt_every_cut_body_confirms_nothing(void **state)
{
	struct fixture f;
	size_t n;

	(void)state;
	for (n = 0; n < strlen(good_body); n++) {
		fixture_init(&f);
		assert_int_not_equal(
			judge(&f, 200, "application/json", "1", good_body, n),
			RECEIPT_OK);
		assert_nothing_confirmed(&f);
	}
}

static void receipt_missing_id_confirms_nothing(void **state)
{
	static const char body[] =
		"{\"chorus\":\"sync/1\",\"public_url\":\"http://c.example\","
		"\"results\":[{\"id\":\"" ID_A "\",\"status\":\"stored\"},"
		"{\"id\":\"" ID_B "\",\"status\":\"stored\"}]}";
	struct fixture f;

	(void)state;
	fixture_init(&f);
	assert_int_equal(
		judge(&f, 200, "application/json", "1", body, strlen(body)),
		RECEIPT_INCOMPLETE);
	assert_nothing_confirmed(&f);
}

static void receipt_stranger_id_confirms_nothing(void **state)
{
	static const char body[] =
		"{\"chorus\":\"sync/1\",\"public_url\":\"http://c.example\","
		"\"results\":[{\"id\":\"" ID_A "\",\"status\":\"stored\"},"
		"{\"id\":\"" ID_B "\",\"status\":\"stored\"},"
		"{\"id\":\"" ID_C "\",\"status\":\"stored\"},"
		"{\"id\":\"01JZZZZZZZZZZZZZZZZZZZZZZZ\",\"status\":\"stored\"}]"
		"}";
	struct fixture f;

	(void)state;
	fixture_init(&f);
	assert_int_equal(
		judge(&f, 200, "application/json", "1", body, strlen(body)),
		RECEIPT_INCOMPLETE);
	assert_nothing_confirmed(&f);
}

/* Replaces the first "from" in good_body with "to" and judges that. */
static enum receipt_verdict judge_edit(struct fixture *f, const char *from,
				       const char *to)
{
	char body[1024];
	const char *at = strstr(good_body, from);
	int n;

	assert_non_null(at);
	n = snprintf(body, sizeof(body), "%.*s%s%s", (int)(at - good_body),
		     good_body, to, at + strlen(from));
	assert_true(n > 0 && (size_t)n < sizeof(body));
	fixture_init(f);
	return judge(f, 200, "application/json", "1", body, (size_t)n);
}

static void receipt_wrong_shapes_confirm_nothing(void **state)
{
	struct fixture f;

	(void)state;
	assert_int_equal(judge_edit(&f, "sync/1", "sync/2"), RECEIPT_MALFORMED);
	assert_nothing_confirmed(&f);
	assert_int_equal(
		judge_edit(&f, "https://c.example.org", "javascript:x"),
		RECEIPT_MALFORMED);
	assert_int_equal(judge_edit(&f, "\"duplicate\"", "\"gone\""),
			 RECEIPT_MALFORMED);
	assert_nothing_confirmed(&f);
	assert_int_equal(judge_edit(&f, "\"results\"", "\"result\""),
			 RECEIPT_MALFORMED);
	/* The same id answered twice. */
	assert_int_equal(judge_edit(&f, ID_B, ID_A), RECEIPT_MALFORMED);
	assert_nothing_confirmed(&f);
	/* A duplicate key is not a well-formed answer either. */
	assert_int_equal(judge_edit(&f, "\"chorus\"",
				    "\"public_url\":\"http://x\",\"chorus\""),
			 RECEIPT_MALFORMED);
	assert_nothing_confirmed(&f);
}

static void receipt_reason_is_printable_and_bounded(void **state)
{
	char to[300];
	struct fixture f;

	(void)state;
	assert_int_equal(judge_edit(&f, "\"sha256\"", "\"a\\u001b[31mb\\nc\""),
			 RECEIPT_OK);
	assert_string_equal(f.items[2].reason, "a[31mbc");
	memset(to, 'x', sizeof(to));
	to[0] = '"';
	to[sizeof(to) - 2] = '"';
	to[sizeof(to) - 1] = '\0';
	assert_int_equal(judge_edit(&f, "\"sha256\"", to), RECEIPT_OK);
	assert_int_equal(strlen(f.items[2].reason), RECEIPT_REASON_MAX - 1);
}

static void receipt_resets_stale_outcomes(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	f.items[0].outcome = RECEIPT_SENT;
	assert_int_equal(judge(&f, 502, "text/html", NULL, "", 0),
			 RECEIPT_HTTP);
	assert_nothing_confirmed(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(receipt_accepts_a_complete_answer),
		cmocka_unit_test(receipt_refused_token_is_auth),
		cmocka_unit_test(receipt_captive_portal_confirms_nothing),
		cmocka_unit_test(receipt_every_cut_body_confirms_nothing),
		cmocka_unit_test(receipt_missing_id_confirms_nothing),
		cmocka_unit_test(receipt_stranger_id_confirms_nothing),
		cmocka_unit_test(receipt_wrong_shapes_confirm_nothing),
		cmocka_unit_test(receipt_reason_is_printable_and_bounded),
		cmocka_unit_test(receipt_resets_stale_outcomes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
