/*
 * Scenario 6: the storage layer never stores a NULL key when memory runs
 * out mid-statement.  SQLite's allocator is wrapped so that the Nth
 * allocation fails; for every N until an insert gets through, a site
 * database is opened and one item is created with item_create() inside
 * BEGIN IMMEDIATE ... COMMIT.  After every attempt a clean connection
 * checks: no row with a NULL or empty id, code or hash; the file passes
 * integrity_check; and the rows are exactly the attempts that reported
 * success.  [bad rows = 0]
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

#include "item.h"
#include "store.h"

static sqlite3_mem_methods oom_real;
static long oom_countdown = -1; /* fail when it reaches 0; -1 never */

static void *oom_malloc(int n)
{
	if (oom_countdown >= 0 && oom_countdown-- == 0)
		return NULL;
	return oom_real.xMalloc(n);
}

static void *oom_realloc(void *p, int n)
{
	if (oom_countdown >= 0 && oom_countdown-- == 0)
		return NULL;
	return oom_real.xRealloc(p, n);
}

static void oom_install(void)
{
	sqlite3_mem_methods m;

	sqlite3_shutdown();
	sqlite3_config(SQLITE_CONFIG_GETMALLOC, &oom_real);
	m = oom_real;
	m.xMalloc = oom_malloc;
	m.xRealloc = oom_realloc;
	sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
	sqlite3_initialize();
}

/* One attempt under the failing allocator: 1 stored, 0 not. */
static int oom_attempt(const char *path, long fail_at)
{
	char err[256];
	struct item it;
	sqlite3 *db = NULL;
	int rc;

	oom_countdown = fail_at;
	if (store_open(path, 0, &db, err, sizeof(err)) < 0) {
		oom_countdown = -1;
		return 0;
	}
	memset(&it, 0, sizeof(it));
	it.channel = "kiosk";
	it.role = "student";
	it.lang = "en";
	it.text = "more shade in the yard";
	it.text_len = strlen(it.text);
	rc = store_begin(db);
	if (rc == SQLITE_OK)
		rc = item_create(db, &it);
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	oom_countdown = -1;
	store_close(db);
	return rc == SQLITE_OK;
}

static long long oom_count(const char *path, const char *sql)
{
	char err[256];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;

	assert_int_equal(
		store_open(path, STORE_READONLY, &db, err, sizeof(err)), 0);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	store_close(db);
	return v;
}

static void every_failing_allocation(void **state)
{
	char dir[] = "/tmp/chorus-oom-XXXXXX", path[64], err[256];
	sqlite3 *db = NULL;
	long n, stored = 0, bad = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/site.db", dir);
	assert_int_equal(store_open(path, STORE_CREATE, &db, err, sizeof(err)),
			 0);
	assert_int_equal(store_exec(db, "INSERT INTO meta VALUES ('role',"
					" 'site'), ('site', 'K7'),"
					" ('device', 'd1')"),
			 SQLITE_OK);
	store_close(db);
	oom_install();
	for (n = 0; n < 5000; n++) {
		int ok = oom_attempt(path, n);

		stored += ok;
		bad += oom_count(path, "SELECT count(*) FROM items WHERE"
				       " id IS NULL OR id = '' OR code IS NULL"
				       " OR code = '' OR sha256 IS NULL OR"
				       " sha256 = ''");
		assert_int_equal(oom_count(path, "SELECT count(*) FROM items"),
				 stored);
		if (ok && n > 0 && stored > 3)
			break;
	}
	printf("# scenario 6: %ld failing allocations tried, %ld items"
	       " stored, bad rows %ld\n",
	       n, stored, bad);
	assert_int_equal(bad, 0);
	assert_true(stored >= 1);
	assert_int_equal(oom_count(path, "SELECT count(*) FROM pragma_"
					 "integrity_check WHERE"
					 " integrity_check <> 'ok'"),
			 0);
	snprintf(path, sizeof(path), "%s/site.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/site.db-shm", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/site.db", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_failing_allocation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
