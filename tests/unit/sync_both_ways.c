/*
 * Unit tests of the parts of two-way sync that need no network: the
 * site's judges of handshake and pull answers, the rule for plain HTTP,
 * the centre's hello, endorsement and pull-query parsers, and
 * web_item_status() publishing to the item's site the item's whole row,
 * with the idea that holds it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "answer.h"
#include "feed.h"
#include "push_parse.h"
#include "store.h"
#include "sync.h"
#include "web.h"

static const char hello_body[] =
	"{\"chorus\":\"sync/1\",\"high_water\":7,\"items\":7,"
	"\"endorsements\":2,\"seq_block\":1048576,\"batch_max\":500,"
	"\"body_max\":4194304,\"feed_seq\":3}";

static struct receipt_answer answer(const char *body)
{
	struct receipt_answer a = {200, "application/json; charset=utf-8", "1",
				   body, strlen(body)};
	return a;
}

static void hello_accepted(void **state)
{
	struct receipt_answer a = answer(hello_body);
	struct answer_hello h;

	(void)state;
	assert_int_equal(answer_hello(&a, &h), RECEIPT_OK);
	assert_int_equal(h.high_water, 7);
	assert_int_equal(h.endorsements, 2);
	assert_int_equal(h.seq_block, 1048576);
	assert_int_equal(h.batch_max, 500);
}

static void hello_needs_frame_and_fields(void **state)
{
	struct receipt_answer a = answer(hello_body);
	struct answer_hello h;

	(void)state;
	a.marker = NULL;
	assert_int_equal(answer_hello(&a, &h), RECEIPT_NOT_CHORUS);
	a = answer(hello_body);
	a.ctype = "text/html";
	assert_int_equal(answer_hello(&a, &h), RECEIPT_NOT_CHORUS);
	a = answer(hello_body);
	a.status = 401;
	assert_int_equal(answer_hello(&a, &h), RECEIPT_AUTH);
	a = answer("{\"chorus\":\"sync/1\",\"high_water\":7}");
	assert_int_equal(answer_hello(&a, &h), RECEIPT_MALFORMED);
	a = answer(hello_body);
	a.body_len -= 1; /* a cut body */
	assert_int_equal(answer_hello(&a, &h), RECEIPT_MALFORMED);
}

static void page_accepted(void **state)
{
	struct receipt_answer a = answer(
		"{\"chorus\":\"sync/1\",\"rows\":[{\"seq\":5,\"kind\":"
		"\"notice\",\"key\":\"n1\",\"deleted\":false,\"data\":"
		"{\"t\":1}},{\"seq\":6,\"kind\":\"notice\",\"key\":\"n2\","
		"\"deleted\":true,\"data\":null}],\"next\":9,\"more\":true}");
	struct answer_page p;

	(void)state;
	assert_int_equal(answer_pull(&a, 4, &p), RECEIPT_OK);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.rows[0].key, "n1");
	assert_non_null(p.rows[0].data);
	assert_null(p.rows[1].data);
	assert_int_equal(p.next, 9);
	assert_true(p.more);
	answer_page_release(&p);
}

static void page_refused(void **state)
{
	static const char *const bad[] = {
		/* a row at or below the cursor */
		"{\"chorus\":\"sync/1\",\"rows\":[{\"seq\":4,\"kind\":\"a\","
		"\"key\":\"b\",\"deleted\":true,\"data\":null}],\"next\":4,"
		"\"more\":false}",
		/* rows out of order */
		"{\"chorus\":\"sync/1\",\"rows\":[{\"seq\":8,\"kind\":\"a\","
		"\"key\":\"b\",\"deleted\":true,\"data\":null},{\"seq\":7,"
		"\"kind\":\"a\",\"key\":\"c\",\"deleted\":true,\"data\":"
		"null}],\"next\":9,\"more\":false}",
		/* next behind the last row */
		"{\"chorus\":\"sync/1\",\"rows\":[{\"seq\":8,\"kind\":\"a\","
		"\"key\":\"b\",\"deleted\":true,\"data\":null}],\"next\":7,"
		"\"more\":false}",
		/* a tombstone with data */
		"{\"chorus\":\"sync/1\",\"rows\":[{\"seq\":8,\"kind\":\"a\","
		"\"key\":\"b\",\"deleted\":true,\"data\":{}}],\"next\":9,"
		"\"more\":false}",
		/* no marker value */
		"{\"rows\":[],\"next\":9,\"more\":false}",
		"<html>log in</html>",
	};
	struct receipt_answer a;
	struct answer_page p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = answer(bad[i]);
		assert_int_equal(answer_pull(&a, 4, &p), RECEIPT_MALFORMED);
		assert_null(p.root);
		assert_int_equal(p.n, 0);
	}
}

static void plain_http_only_on_loopback(void **state)
{
	(void)state;
	assert_true(sync_url_allowed("https://c.example.org", 0));
	assert_true(sync_url_allowed("http://127.0.0.1:8080", 0));
	assert_true(sync_url_allowed("http://localhost/x", 0));
	assert_true(sync_url_allowed("http://[::1]:9/", 0));
	assert_false(sync_url_allowed("http://c.example.org", 0));
	assert_false(sync_url_allowed("http://localhost.evil.org", 0));
	assert_false(sync_url_allowed("http://127.0.0.1.evil.org/", 0));
	assert_false(sync_url_allowed("http://127.evil.org/", 0));
	assert_false(sync_url_allowed("http://[::2]:9/", 0));
	assert_true(sync_url_allowed("http://c.example.org", 1));
	assert_false(sync_url_allowed("ftp://127.0.0.1", 1));
}

static void pull_query(void **state)
{
	long long since = -1, limit = -1;

	(void)state;
	assert_int_equal(web_pull_query("", 0, &since, &limit), 0);
	assert_int_equal(since, 0);
	assert_int_equal(limit, 100);
	assert_int_equal(
		web_pull_query("since=42&limit=9999", 19, &since, &limit), 0);
	assert_int_equal(since, 42);
	assert_int_equal(limit, 500);
	assert_int_equal(web_pull_query("since=-1", 8, &since, &limit), -1);
	assert_int_equal(web_pull_query("limit=0", 7, &since, &limit), -1);
	assert_int_equal(web_pull_query("since=", 6, &since, &limit), -1);
	assert_int_equal(since, 42); /* untouched on failure */
}

static void hello_and_votes_parse(void **state)
{
	static const char votes[] =
		"{\"device\":\"d1\",\"endorsements\":[{\"id\":"
		"\"01KBN2Y7W0Q8ZC3R5T6V7X8Y9A\",\"target\":\"K70042M\","
		"\"voter\":\"0123456789abcdef\",\"channel\":\"sms\","
		"\"made_at\":5},{\"id\":\"01KBN2Y7W0Q8ZC3R5T6V7X8Y9B\","
		"\"target\":\"K7\",\"voter\":\"XYZ\",\"channel\":\"sms\","
		"\"made_at\":5}]}";
	struct push_hello h;
	struct push_votes b;
	const char *why;
	static const char hi[] = "{\"device\":\"d1\",\"sent_at\":3}";
	static const char other[] = "{\"device\":\"d1\",\"site\":\"Q1\"}";

	(void)state;
	assert_int_equal(push_parse_hello(hi, strlen(hi), "K7", &h, &why), 0);
	assert_string_equal(h.device, "d1");
	assert_int_equal(h.sent_at, 3);
	assert_int_equal(push_parse_hello(other, strlen(other), "K7", &h, &why),
			 -1);
	assert_string_equal(why, "site");
	assert_int_equal(
		push_parse_votes(votes, sizeof(votes) - 1, "K7", &b, &why), 0);
	assert_int_equal(b.count, 2);
	assert_int_equal(b.votes[0].status, PUSH_VALID);
	assert_int_equal(b.votes[1].status, PUSH_REJECTED);
	assert_string_equal(b.votes[1].reason, "voter");
	push_votes_release(&b);
}

static void item_status_is_published_to_its_site(void **state)
{
	char path[] = "/tmp/chorus-unit-XXXXXX", db_path[64], err[256];
	sqlite3 *db = NULL;
	json_t *row;
	sqlite3_stmt *st = NULL;

	(void)state;
	assert_non_null(mkdtemp(path));
	snprintf(db_path, sizeof(db_path), "%s/c.db", path);
	assert_int_equal(
		store_open(db_path, STORE_CREATE, &db, err, sizeof(err)), 0);
	assert_int_equal(
		store_exec(db, "INSERT INTO items (id, code, site, seq, device,"
			       " channel, role, lang, text, made_at, clock_ok,"
			       " sha256) VALUES ('01KBN2Y7W0Q8ZC3R5T6V7X8Y9A',"
			       " 'K70042M', 'K7', 130, 'd', 'kiosk', 'staff',"
			       " 'en', 't', 1, 1, 'h'),"
			       " ('01KBN2Y7W0Q8ZC3R5T6V7X8Y9B', 'K70043P',"
			       " 'K7', 131, 'd', 'kiosk', 'staff', 'en', 'u',"
			       " 1, 1, 'h');"
			       "INSERT INTO ideas (code, title, site,"
			       " created_at, updated_at) VALUES ('QT0001X',"
			       " 'Benches', 'K7', 1, 1);"
			       "INSERT INTO idea_items (item, idea, added_at)"
			       " VALUES ('K70043P', 'QT0001X', 1)"),
		SQLITE_OK);
	assert_int_equal(web_item_status(db, "K70042M", "decided"), 0);
	assert_int_equal(web_item_status(db, "Q10001X", "decided"), 1);
	assert_int_equal(web_item_status(db, "K70043P", "reviewed"), 0);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT kind, key, scope, data FROM"
					    " feed",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), "item");
	assert_string_equal(sqlite3_column_text(st, 1), "K70042M");
	assert_string_equal(sqlite3_column_text(st, 2), "K7");
	row = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
	assert_string_equal(json_string_value(json_object_get(row, "status")),
			    "decided");
	assert_null(json_string_value(json_object_get(row, "idea")));
	json_decref(row);
	/* A merged item's row still says which idea holds it. */
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 1), "K70043P");
	row = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
	assert_string_equal(json_string_value(json_object_get(row, "idea")),
			    "QT0001X");
	assert_non_null(json_object_get(row, "idea_status"));
	json_decref(row);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	store_close(db);
	unlink(db_path);
	snprintf(db_path, sizeof(db_path), "%s/c.db-wal", path);
	unlink(db_path);
	snprintf(db_path, sizeof(db_path), "%s/c.db-shm", path);
	unlink(db_path);
	rmdir(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hello_accepted),
		cmocka_unit_test(hello_needs_frame_and_fields),
		cmocka_unit_test(page_accepted),
		cmocka_unit_test(page_refused),
		cmocka_unit_test(plain_http_only_on_loopback),
		cmocka_unit_test(pull_query),
		cmocka_unit_test(hello_and_votes_parse),
		cmocka_unit_test(item_status_is_published_to_its_site),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
