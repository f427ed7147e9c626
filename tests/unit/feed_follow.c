/*
 * Unit tests of what the centre publishes about an item for the person
 * who holds its code: the one word for where an idea stands
 * (feed_idea_status()), a row appended only when it changed
 * (feed_publish_changed()), and the item rows that merging, deciding,
 * a notice and splitting write (cycle_publish_idea(),
 * cycle_publish_item()), on a real central database file.
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

#include "cycle.h"
#include "feed.h"
#include "store.h"

/* A central database in a fresh directory, with two items of site K7
 * and idea QT0001X holding the first. */
struct fixture {
	char dir[32];
	char path[64];
	sqlite3 *db;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/chorus-unit-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/c.db", f->dir);
	assert_int_equal(
		store_open(f->path, STORE_CREATE, &f->db, err, sizeof(err)), 0);
	assert_int_equal(
		store_exec(f->db,
			   "INSERT INTO items (id, code, site, seq, device,"
			   " channel, role, lang, text, made_at, clock_ok,"
			   " sha256, status) VALUES"
			   " ('01KBN2Y7W0Q8ZC3R5T6V7X8Y9A', 'K70042M', 'K7',"
			   " 130, 'd', 'sms', 'family', 'en', 't', 1, 1, 'h',"
			   " 'new'),"
			   " ('01KBN2Y7W0Q8ZC3R5T6V7X8Y9B', 'K70043P', 'K7',"
			   " 131, 'd', 'kiosk', 'student', 'en', 'u', 1, 1,"
			   " 'h', 'reviewed');"
			   "INSERT INTO ideas (code, title, site, created_at,"
			   " updated_at) VALUES ('QT0001X', 'Benches', 'K7',"
			   " 1, 1);"
			   "INSERT INTO idea_items (item, idea, added_at)"
			   " VALUES ('K70042M', 'QT0001X', 1);"),
		SQLITE_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	static const char *const ends[] = {"", "-wal", "-shm"};
	char p[80];
	size_t i;

	store_close(f->db);
	for (i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, ends[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* How many item rows the feed holds for code. */
static int item_rows(sqlite3 *db, const char *code)
{
	sqlite3_stmt *st = NULL;
	int n;

	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT count(*) FROM feed"
					    " WHERE kind = 'item' AND key = ?",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The latest item row of code as JSON (json_decref it); scope checked. */
static json_t *item_row(sqlite3 *db, const char *code, const char *scope)
{
	sqlite3_stmt *st = NULL;
	json_t *j;

	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT data, scope FROM feed"
					    " WHERE kind = 'item' AND key = ?"
					    " ORDER BY seq DESC LIMIT 1",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 1), scope);
	j = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
	sqlite3_finalize(st);
	assert_non_null(j);
	return j;
}

static const char *field(json_t *j, const char *name)
{
	return json_string_value(json_object_get(j, name));
}

static void idea_status_follows_phase_and_decisions(void **state)
{
	(void)state;
	assert_string_equal(feed_idea_status("consolidated", 0, 0, 0),
			    "consolidated");
	assert_string_equal(feed_idea_status(NULL, 0, 0, 0), "consolidated");
	assert_string_equal(feed_idea_status("bogus", 0, 0, 0), "consolidated");
	assert_string_equal(feed_idea_status("captured", 0, 0, 0), "captured");
	assert_string_equal(feed_idea_status("shared", 0, 0, 0), "shared");
	/* A decision outranks a notice; one done outranks the rest. */
	assert_string_equal(feed_idea_status("shared", 1, 0, 0), "decided");
	assert_string_equal(feed_idea_status("shared", 3, 0, 2), "decided");
	assert_string_equal(feed_idea_status("shared", 2, 1, 1), "done");
	assert_string_equal(feed_idea_status("applied", 0, 0, 0), "done");
	/* Every decision dropped: not taken forward. */
	assert_string_equal(feed_idea_status("shared", 2, 0, 2), "declined");
}

static void a_row_is_appended_only_when_it_changed(void **state)
{
	struct fixture *f = *state;
	json_t *a = json_pack("{s:s}", "status", "new");
	json_t *b = json_pack("{s:s}", "status", "merged");
	int added = -1;

	assert_int_equal(
		feed_publish_changed(f->db, "item", "K7X", "K7", a, &added),
		SQLITE_OK);
	assert_int_equal(added, 1);
	assert_int_equal(
		feed_publish_changed(f->db, "item", "K7X", "K7", a, &added),
		SQLITE_OK);
	assert_int_equal(added, 0);
	assert_int_equal(item_rows(f->db, "K7X"), 1);
	/* Other data, or the same data for another scope, is a change. */
	assert_int_equal(
		feed_publish_changed(f->db, "item", "K7X", "K7", b, &added),
		SQLITE_OK);
	assert_int_equal(added, 1);
	assert_int_equal(
		feed_publish_changed(f->db, "item", "K7X", "Q1", b, &added),
		SQLITE_OK);
	assert_int_equal(added, 1);
	/* Back to the first data: the latest row differs, so it is new. */
	assert_int_equal(
		feed_publish_changed(f->db, "item", "K7X", "Q1", a, NULL),
		SQLITE_OK);
	assert_int_equal(item_rows(f->db, "K7X"), 4);
	json_decref(a);
	json_decref(b);
}

static void a_merged_item_row_names_its_idea(void **state)
{
	struct fixture *f = *state;
	json_t *j;

	assert_int_equal(cycle_publish_idea(f->db, "QT0001X"), SQLITE_OK);
	j = item_row(f->db, "K70042M", "K7");
	assert_string_equal(field(j, "code"), "K70042M");
	assert_string_equal(field(j, "status"), "merged");
	assert_string_equal(field(j, "idea"), "QT0001X");
	assert_string_equal(field(j, "idea_status"), "consolidated");
	assert_true(json_is_null(json_object_get(j, "notice")));
	/* Small, and nothing about the person: exactly these fields. */
	assert_int_equal(json_object_size(j), 5);
	json_decref(j);
	/* The item in no idea gets no row from the idea. */
	assert_int_equal(item_rows(f->db, "K70043P"), 0);
}

static void each_step_of_the_idea_is_a_new_row(void **state)
{
	struct fixture *f = *state;
	json_t *j;

	assert_int_equal(cycle_publish_idea(f->db, "QT0001X"), SQLITE_OK);
	/* Publishing again with nothing changed (an endorsement): none. */
	assert_int_equal(cycle_publish_idea(f->db, "QT0001X"), SQLITE_OK);
	assert_int_equal(item_rows(f->db, "K70042M"), 1);

	assert_int_equal(
		store_exec(f->db,
			   "INSERT INTO notices (id, idea, title, body, lang,"
			   " created_at) VALUES ('N1', 'QT0001X', 'We heard',"
			   " 'b', 'en', 2);"
			   "UPDATE ideas SET phase = 'shared'"),
		SQLITE_OK);
	assert_int_equal(cycle_publish_idea(f->db, "QT0001X"), SQLITE_OK);
	j = item_row(f->db, "K70042M", "K7");
	assert_string_equal(field(j, "idea_status"), "shared");
	assert_string_equal(field(j, "notice"), "N1");
	json_decref(j);

	assert_int_equal(store_exec(f->db,
				    "INSERT INTO decisions (idea, site, kind,"
				    " text, created_at, updated_at) VALUES"
				    " ('QT0001X', 'K7', 'decision', 'Buy 10',"
				    " 3, 3)"),
			 SQLITE_OK);
	assert_int_equal(cycle_publish_idea(f->db, "QT0001X"), SQLITE_OK);
	j = item_row(f->db, "K70042M", "K7");
	assert_string_equal(field(j, "idea_status"), "decided");
	json_decref(j);

	/* A second notice changes what the person is told, too. */
	assert_int_equal(
		store_exec(f->db,
			   "INSERT INTO notices (id, idea, title, body, lang,"
			   " created_at) VALUES ('N2', 'QT0001X', 'Bought',"
			   " 'b', 'en', 4)"),
		SQLITE_OK);
	assert_int_equal(cycle_publish_idea(f->db, "QT0001X"), SQLITE_OK);
	j = item_row(f->db, "K70042M", "K7");
	assert_string_equal(field(j, "notice"), "N2");
	json_decref(j);
	assert_int_equal(item_rows(f->db, "K70042M"), 4);
}

static void out_of_its_idea_an_item_says_its_own_status(void **state)
{
	struct fixture *f = *state;
	struct cycle_follow fw;
	json_t *j;

	assert_int_equal(cycle_publish_idea(f->db, "QT0001X"), SQLITE_OK);
	assert_int_equal(store_exec(f->db, "DELETE FROM idea_items"),
			 SQLITE_OK);
	assert_int_equal(cycle_publish_item(f->db, "K70042M"), SQLITE_OK);
	j = item_row(f->db, "K70042M", "K7");
	assert_string_equal(field(j, "status"), "new");
	assert_true(json_is_null(json_object_get(j, "idea")));
	assert_true(json_is_null(json_object_get(j, "idea_status")));
	json_decref(j);

	assert_int_equal(cycle_follow_get(f->db, "K70043P", &fw), SQLITE_OK);
	assert_string_equal(fw.status, "reviewed");
	assert_string_equal(fw.site, "K7");
	assert_string_equal(fw.idea, "");
	assert_null(fw.idea_status);
	assert_int_equal(cycle_follow_get(f->db, "K7ZZZZZ", &fw),
			 SQLITE_NOTFOUND);
	assert_int_equal(cycle_publish_item(f->db, "K7ZZZZZ"), SQLITE_NOTFOUND);
}

/* Items merged before item rows existed get theirs once, at start. */
static void merged_items_get_rows_once(void **state)
{
	struct fixture *f = *state;
	json_t *j;

	assert_int_equal(item_rows(f->db, "K70042M"), 0);
	assert_int_equal(cycle_publish_merged(f->db), SQLITE_OK);
	assert_int_equal(item_rows(f->db, "K70042M"), 1);
	assert_int_equal(item_rows(f->db, "K70043P"), 0);
	j = item_row(f->db, "K70042M", "K7");
	assert_string_equal(field(j, "idea"), "QT0001X");
	json_decref(j);
	assert_int_equal(store_exec(f->db, "DELETE FROM feed"), SQLITE_OK);
	assert_int_equal(cycle_publish_merged(f->db), SQLITE_OK);
	assert_int_equal(item_rows(f->db, "K70042M"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(idea_status_follows_phase_and_decisions),
		cmocka_unit_test_setup_teardown(
			a_row_is_appended_only_when_it_changed, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			a_merged_item_row_names_its_idea, setup, teardown),
		cmocka_unit_test_setup_teardown(
			each_step_of_the_idea_is_a_new_row, setup, teardown),
		cmocka_unit_test_setup_teardown(
			out_of_its_idea_an_item_says_its_own_status, setup,
			teardown),
		cmocka_unit_test_setup_teardown(merged_items_get_rows_once,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
