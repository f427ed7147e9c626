/*
 * Unit tests for web/push_parse.c: the centre's reading of a batch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "push_parse.h"
#include "store.h"

/* A valid item of site K7 as the JSON object a site would send. */
static json_t *good_item(uint64_t seq, const char *text)
{
	struct item it;

	memset(&it, 0, sizeof(it));
	assert_int_equal(code_make_id(it.id, 1796319261504ULL + seq), 0);
	assert_int_equal(code_make(it.code, "K7", seq), 0);
	it.channel = "kiosk";
	it.role = "family";
	it.lang = "es";
	it.text = text;
	it.text_len = strlen(text);
	assert_int_equal(item_hash(&it, it.sha256), 0);
	return json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:b, s:s}",
			 "id", it.id, "code", it.code, "seq", (json_int_t)seq,
			 "channel", it.channel, "role", it.role, "lang",
			 it.lang, "text", it.text, "made_at",
			 (json_int_t)1796319261504LL, "clock_ok", 1, "sha256",
			 it.sha256);
}

/* Parses {"site":"K7","device":"d1","items":items} (reference taken). */
static int parse(json_t *items, struct push_batch *b, const char **why)
{
	json_t *root = json_pack("{s:s, s:s, s:o}", "site", "K7", "device",
				 "d1", "items", items);
	char *s = json_dumps(root, JSON_COMPACT);
	int rc;

	json_decref(root);
	rc = push_parse(s, strlen(s), "K7", b, why);
	free(s);
	return rc;
}

/* The reason one item gets after o[key] = v (v taken). */
static const char *reason_after(const char *key, json_t *v)
{
	static char reason[32];
	struct push_batch b;
	const char *why;
	json_t *o = good_item(42, "an idea");

	if (v == NULL)
		json_object_del(o, key);
	else
		json_object_set_new(o, key, v);
	assert_int_equal(parse(json_pack("[o]", o), &b, &why), 0);
	assert_int_equal(b.count, 1);
	snprintf(reason, sizeof(reason), "%s",
		 b.entries[0].status == PUSH_VALID ? "valid"
						   : b.entries[0].reason);
	push_batch_release(&b);
	return reason;
}

static void parse_accepts_a_valid_item(void **state)
{
	struct push_batch b;
	const char *why;

	(void)state;
	assert_int_equal(
		parse(json_pack("[o]", good_item(42, "más <b>")), &b, &why), 0);
	assert_int_equal(b.count, 1);
	assert_int_equal(b.entries[0].status, PUSH_VALID);
	assert_string_equal(b.device, "d1");
	assert_string_equal(b.entries[0].item.site, "K7");
	assert_int_equal(b.entries[0].item.seq, 42);
	assert_string_equal(b.entries[0].item.role, "family");
	assert_string_equal(b.entries[0].item.channel, "kiosk");
	assert_int_equal(b.entries[0].item.text_len, strlen("más <b>"));
	assert_true(b.entries[0].has_echo);
	assert_string_equal(b.entries[0].echo, b.entries[0].item.id);
	push_batch_release(&b);
}

static void parse_rejects_each_bad_field(void **state)
{
	char code[CODE_MAX];

	(void)state;
	assert_string_equal(reason_after("id", json_string("short")), "id");
	assert_string_equal(reason_after("id", NULL), "id");
	assert_string_equal(reason_after("code", json_string("K7001AX")),
			    "code");
	/* A lower-case code is not the canonical form a site sends. */
	assert_int_equal(code_make(code, "K7", 42), 0);
	code[0] = 'k';
	assert_string_equal(reason_after("code", json_string(code)), "code");
	assert_string_equal(reason_after("seq", json_integer(43)), "seq");
	assert_string_equal(reason_after("seq", json_string("42")), "seq");
	assert_string_equal(reason_after("channel", json_string("fax")),
			    "channel");
	assert_string_equal(reason_after("role", json_string("Student")),
			    "role");
	assert_string_equal(reason_after("role", json_string("admin")), "role");
	assert_string_equal(reason_after("lang", json_string("e s")), "lang");
	assert_string_equal(reason_after("text", json_integer(5)), "text");
	assert_string_equal(reason_after("made_at", json_string("now")),
			    "made_at");
	assert_string_equal(reason_after("clock_ok", json_integer(1)),
			    "clock_ok");
	assert_string_equal(reason_after("sha256", json_string("00")),
			    "sha256");
}

static void parse_rejects_an_item_of_another_site(void **state)
{
	char code[CODE_MAX];

	(void)state;
	assert_int_equal(code_make(code, "B3", 42), 0);
	assert_string_equal(reason_after("code", json_string(code)), "site");
}

static void parse_checks_the_hash_against_the_content(void **state)
{
	(void)state;
	/* A text changed on the way no longer matches its sha256. */
	assert_string_equal(reason_after("text", json_string("an idea!")),
			    "sha256");
	assert_string_equal(reason_after("role", json_string("staff")),
			    "sha256");
}

static void parse_rejects_bad_text(void **state)
{
	char *big = malloc(STORE_TEXT_MAX + 2);
	struct push_batch b;
	const char *why;
	json_t *o;

	(void)state;
	assert_non_null(big);
	memset(big, 'a', STORE_TEXT_MAX + 1);
	big[STORE_TEXT_MAX + 1] = '\0';
	assert_string_equal(reason_after("text", json_string(big)), "text");
	free(big);

	/* Control characters and direction overrides never reach a page. */
	assert_string_equal(reason_after("text", json_string("bell\a")),
			    "text");
	assert_string_equal(
		reason_after("text", json_string("a \xe2\x80\xae b")), "text");

	/* A NUL inside the text. */
	o = good_item(42, "x");
	json_object_set_new(o, "text", json_stringn("a\0b", 3));
	assert_int_equal(parse(json_pack("[o]", o), &b, &why), 0);
	assert_int_equal(b.entries[0].status, PUSH_REJECTED);
	assert_string_equal(b.entries[0].reason, "text");
	push_batch_release(&b);
}

static void parse_keeps_good_items_around_a_bad_one(void **state)
{
	struct push_batch b;
	const char *why;

	(void)state;
	assert_int_equal(
		parse(json_pack("[o, s, i, o]", good_item(1, "one"),
				"not an object", 7, good_item(2, "two")),
		      &b, &why),
		0);
	assert_int_equal(b.count, 4);
	assert_int_equal(b.entries[0].status, PUSH_VALID);
	assert_int_equal(b.entries[1].status, PUSH_REJECTED);
	assert_string_equal(b.entries[1].reason, "fields");
	assert_false(b.entries[1].has_echo);
	assert_int_equal(b.entries[2].status, PUSH_REJECTED);
	assert_int_equal(b.entries[3].status, PUSH_VALID);
	assert_int_equal(push_count(&b, PUSH_VALID), 2);
	push_batch_release(&b);
}

/* A whole-batch failure: -1, the word, and *out untouched. */
static void assert_batch_fails(const char *body, const char *word)
{
	struct push_batch b;
	const char *why = NULL;

	memset(&b, 0x5a, sizeof(b));
	assert_int_equal(push_parse(body, strlen(body), "K7", &b, &why), -1);
	assert_string_equal(why, word);
	assert_int_equal(b.count, (size_t)0x5a5a5a5a5a5a5a5aULL);
}

static void parse_refuses_bad_batches(void **state)
{
	struct buf big;
	int i;

	(void)state;
	assert_batch_fails("", "json");
	assert_batch_fails("<html>", "json");
	assert_batch_fails("[1,2]", "json");
	assert_batch_fails("{\"device\":\"d\",\"items\":[]", "json");
	assert_batch_fails("{\"device\":\"d\"}", "items");
	assert_batch_fails("{\"device\":\"d\",\"items\":{}}", "items");
	assert_batch_fails("{\"items\":[]}", "device");
	assert_batch_fails("{\"device\":\"a b\",\"items\":[]}", "device");
	assert_batch_fails("{\"site\":\"B3\",\"device\":\"d\",\"items\":[]}",
			   "site");
	assert_batch_fails("{\"device\":\"d\",\"device\":\"e\",\"items\":[]}",
			   "json");

	buf_init(&big, 1 << 20);
	assert_int_equal(buf_puts(&big, "{\"device\":\"d\",\"items\":[0"), 0);
	for (i = 0; i < PUSH_ITEMS_MAX; i++)
		assert_int_equal(buf_puts(&big, ",0"), 0);
	assert_int_equal(buf_puts(&big, "]}"), 0);
	assert_batch_fails(big.data, "too_many");
	buf_release(&big);
}

static void parse_takes_an_empty_batch(void **state)
{
	struct push_batch b;
	const char *why;

	(void)state;
	assert_int_equal(parse(json_array(), &b, &why), 0);
	assert_int_equal(b.count, 0);
	push_batch_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_accepts_a_valid_item),
		cmocka_unit_test(parse_rejects_each_bad_field),
		cmocka_unit_test(parse_rejects_an_item_of_another_site),
		cmocka_unit_test(parse_checks_the_hash_against_the_content),
		cmocka_unit_test(parse_rejects_bad_text),
		cmocka_unit_test(parse_keeps_good_items_around_a_bad_one),
		cmocka_unit_test(parse_refuses_bad_batches),
		cmocka_unit_test(parse_takes_an_empty_batch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
