/*
 * status: what an operator needs to see of a site's sync.  See sync.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "store.h"
#include "sync.h"

static long long status_count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The oldest pending item: its code and when it was made, or null. */
static json_t *status_oldest(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	char when[STORE_TIME_LEN];
	json_t *o = json_null();

	if (sqlite3_prepare_v2(db,
			       "SELECT code, made_at, clock_ok FROM items"
			       " WHERE sync_state = 'pending' ORDER BY n"
			       " LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
		store_format_time(sqlite3_column_int64(st, 1), when);
		o = json_pack("{s:s, s:s, s:b}", "code",
			      sqlite3_column_text(st, 0), "made_at", when,
			      "clock_ok", sqlite3_column_int(st, 2));
	}
	sqlite3_finalize(st);
	return o;
}

static json_t *status_meta(sqlite3 *db, const char *key)
{
	char v[512];

	if (store_meta_get(db, key, v, sizeof(v)) != 0 || v[0] == '\0')
		return json_null();
	return json_string(v);
}

static long long status_wal(const char *path)
{
	char wal[4096];
	struct stat sb;

	if (snprintf(wal, sizeof(wal), "%s-wal", path) >= (int)sizeof(wal) ||
	    stat(wal, &sb) < 0)
		return 0;
	return (long long)sb.st_size;
}

json_t *sync_status(sqlite3 *db, const char *path)
{
	char skew[32];
	long long sk = 0;

	if (store_meta_get(db, "clock_skew_ms", skew, sizeof(skew)) != 0 ||
	    sscanf(skew, "%lld", &sk) != 1)
		sk = 0;
	return json_pack(
		"{s:o, s:o, s:I, s:I, s:I, s:o*, s:o, s:o, s:o, s:I, s:b,"
		" s:o, s:I}",
		"site", status_meta(db, "site"), "device",
		status_meta(db, "device"), "pending",
		(json_int_t)status_count(db, "SELECT count(*) FROM items"
					     " WHERE sync_state = 'pending'"),
		"pending_endorsements",
		(json_int_t)status_count(db, "SELECT count(*) FROM endorsements"
					     " WHERE sync_state = 'pending'"),
		"rejected",
		(json_int_t)status_count(db, "SELECT count(*) FROM items"
					     " WHERE sync_state = 'rejected'"),
		"oldest_pending", status_oldest(db), "last_push",
		status_meta(db, "last_push"), "last_pull",
		status_meta(db, "last_pull"), "last_error",
		status_meta(db, "last_error"), "clock_skew_ms", (json_int_t)sk,
		"clock_ok", llabs(sk) <= SYNC_SKEW_MAX_MS, "pull_cursor",
		status_meta(db, "pull_cursor"), "wal_bytes",
		(json_int_t)status_wal(path));
}
