/*
 * store: opening, migrating and small helpers for the SQLite file.
 *
 * Migrations are append-only: each entry of store_migrations runs once,
 * in order, and PRAGMA user_version counts how many have run.  Never edit
 * an entry that has shipped; add a new one.
 */
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const store_migrations[] = {
	/* 1: the first schema. */
	"CREATE TABLE meta ("
	" key TEXT PRIMARY KEY,"
	" value TEXT NOT NULL);"

	"CREATE TABLE sites ("
	" code TEXT PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" cluster TEXT,"
	" token_hash TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" last_seen INTEGER);"

	"CREATE TABLE items ("
	" n INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"
	" code TEXT NOT NULL UNIQUE,"
	" site TEXT NOT NULL,"
	" seq INTEGER NOT NULL,"
	" device TEXT NOT NULL,"
	" channel TEXT NOT NULL CHECK (channel IN ('kiosk','sms','web')),"
	" role TEXT NOT NULL,"
	" lang TEXT NOT NULL,"
	" text TEXT NOT NULL,"
	" made_at INTEGER NOT NULL,"
	" clock_ok INTEGER NOT NULL,"
	" received_at INTEGER,"
	" sha256 TEXT NOT NULL,"
	" sync_state TEXT NOT NULL DEFAULT 'pending',"
	" sync_note TEXT,"
	" status TEXT NOT NULL DEFAULT 'new');"
	"CREATE INDEX items_site_seq ON items(site, seq);"
	"CREATE INDEX items_pending ON items(n)"
	" WHERE sync_state = 'pending';"

	"CREATE TABLE sms_channels ("
	" name TEXT PRIMARY KEY,"
	" gateway TEXT NOT NULL,"
	" public_url TEXT,"
	" secret TEXT,"
	" country TEXT,"
	" created_at INTEGER NOT NULL);"

	"CREATE TABLE sms_messages ("
	" n INTEGER PRIMARY KEY,"
	" channel TEXT NOT NULL,"
	" provider_id TEXT NOT NULL,"
	" item_id TEXT,"
	" code TEXT,"
	" from_hash TEXT,"
	" from_kind TEXT NOT NULL,"
	" keyword TEXT,"
	" provider_time TEXT,"
	" media TEXT,"
	" acked INTEGER NOT NULL DEFAULT 0,"
	" received_at INTEGER NOT NULL,"
	" UNIQUE (channel, provider_id));"

	"CREATE TABLE contacts ("
	" hash TEXT PRIMARY KEY,"
	" opted_out INTEGER NOT NULL DEFAULT 0,"
	" changed_at INTEGER NOT NULL);",

	/* 2: the language an SMS channel answers in. */
	"ALTER TABLE sms_channels ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';",

	/* 3: what every component shares for the knowledge cycle. */
	"ALTER TABLE items ADD COLUMN parent TEXT;"
	"ALTER TABLE items ADD COLUMN prompt TEXT;"

	"CREATE TABLE endorsements ("
	" n INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"
	" target TEXT NOT NULL,"
	" voter TEXT NOT NULL,"
	" channel TEXT NOT NULL CHECK (channel IN ('kiosk','sms','web')),"
	" site TEXT,"
	" made_at INTEGER NOT NULL,"
	" received_at INTEGER,"
	" sync_state TEXT NOT NULL DEFAULT 'pending',"
	" UNIQUE (target, voter));"

	"CREATE TABLE feed ("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	" kind TEXT NOT NULL,"
	" key TEXT NOT NULL,"
	" scope TEXT,"
	" deleted INTEGER NOT NULL DEFAULT 0,"
	" data TEXT,"
	" changed_at INTEGER NOT NULL);"
	"CREATE INDEX feed_key ON feed(kind, key);"

	"CREATE TABLE pulled ("
	" kind TEXT NOT NULL,"
	" key TEXT NOT NULL,"
	" data TEXT NOT NULL,"
	" seq INTEGER NOT NULL,"
	" PRIMARY KEY (kind, key));",

	/* 4: reserved for the SMS outbox */
	"SELECT 1;",

	/* 5: sync both ways: revoked tokens, the devices of each site. */
	"ALTER TABLE sites ADD COLUMN revoked_at INTEGER;"
	"CREATE TABLE site_devices ("
	" site TEXT NOT NULL,"
	" device TEXT NOT NULL,"
	" first_seen INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL,"
	" skew_ms INTEGER,"
	" PRIMARY KEY (site, device));"
	"CREATE INDEX items_site_device ON items(site, device, seq);"
	"CREATE INDEX endorsements_pending ON endorsements(n)"
	" WHERE sync_state = 'pending';",
};

#define STORE_NMIGRATIONS                                                      \
	((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

static void store_err(char *err, size_t errlen, const char *what,
		      const char *path, const char *why)
{
	if (err == NULL || errlen == 0)
		return;
	if (snprintf(err, errlen, "%s '%s': %s", what, path, why) >=
	    (int)errlen)
		err[errlen - 1] = '\0';
}

int64_t store_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void store_format_time(int64_t ms, char out[STORE_TIME_LEN])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	int millis = (int)(ms % 1000);

	if (millis < 0) {
		millis += 1000;
		t--;
	}
	if (gmtime_r(&t, &tm) == NULL ||
	    snprintf(out, STORE_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec, millis) >= STORE_TIME_LEN)
		snprintf(out, STORE_TIME_LEN, "1970-01-01T00:00:00.000Z");
}

int store_is_full(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_FULL || rc == SQLITE_IOERR;
}

int store_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

int store_begin(sqlite3 *db)
{
	return store_exec(db, "BEGIN IMMEDIATE");
}

int store_commit(sqlite3 *db)
{
	return store_exec(db, "COMMIT");
}

int store_rollback(sqlite3 *db)
{
	return store_exec(db, "ROLLBACK");
}

static int store_user_version(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int store_migrate(sqlite3 *db, const char *role, char *err, size_t errlen)
{
	char sql[64];
	int v, i;

	if (store_begin(db) != SQLITE_OK)
		goto fail;
	v = store_user_version(db);
	if (v < 0 || v > STORE_NMIGRATIONS) {
		store_err(err, errlen, "database",
			  sqlite3_db_filename(db, NULL),
			  "made by a newer Chorus; upgrade this one");
		store_rollback(db);
		return -1;
	}
	for (i = v; i < STORE_NMIGRATIONS; i++)
		if (store_exec(db, store_migrations[i]) != SQLITE_OK)
			goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		 STORE_NMIGRATIONS);
	if (store_exec(db, sql) != SQLITE_OK)
		goto fail;
	if (role != NULL && v == 0 &&
	    store_meta_set(db, "role", role) != SQLITE_OK)
		goto fail;
	if (store_commit(db) != SQLITE_OK)
		goto fail;
	return 0;

fail:
	store_err(err, errlen, "cannot prepare database",
		  sqlite3_db_filename(db, NULL), sqlite3_errmsg(db));
	store_rollback(db);
	return -1;
}

/* The pragmas every connection runs with. */
static int store_configure(sqlite3 *db, int readonly)
{
	sqlite3_busy_timeout(db, STORE_BUSY_MS);
	if (!readonly && store_exec(db, "PRAGMA journal_mode=WAL") != SQLITE_OK)
		return -1;
	if (store_exec(db, "PRAGMA synchronous=FULL") != SQLITE_OK ||
	    store_exec(db, "PRAGMA foreign_keys=ON") != SQLITE_OK)
		return -1;
	return 0;
}

int store_open(const char *path, int flags, sqlite3 **out, char *err,
	       size_t errlen)
{
	sqlite3 *db = NULL;
	int oflags, v;

	if (flags & STORE_READONLY)
		oflags = SQLITE_OPEN_READONLY;
	else if (flags & STORE_CREATE)
		oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	else
		oflags = SQLITE_OPEN_READWRITE;
	if ((flags & STORE_CREATE) == 0 && access(path, F_OK) != 0) {
		store_err(err, errlen, "cannot open database", path,
			  "no such file");
		return -1;
	}
	if (sqlite3_open_v2(path, &db, oflags | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		store_err(err, errlen, "cannot open database", path,
			  db ? sqlite3_errmsg(db) : "out of memory");
		goto fail;
	}
	if (store_configure(db, flags & STORE_READONLY) < 0) {
		store_err(err, errlen, "cannot use database", path,
			  sqlite3_errmsg(db));
		goto fail;
	}
	v = store_user_version(db);
	if (v < 0) {
		store_err(err, errlen, "cannot read database", path,
			  sqlite3_errmsg(db));
		goto fail;
	}
	if (v == 0 && (flags & STORE_CREATE) == 0) {
		store_err(err, errlen, "cannot use database", path,
			  "not a Chorus database (run 'chorus init' first)");
		goto fail;
	}
	if ((flags & STORE_READONLY) == 0 &&
	    store_migrate(db, NULL, err, errlen) < 0)
		goto fail;
	*out = db;
	return 0;

fail:
	sqlite3_close(db);
	return -1;
}

void store_close(sqlite3 *db)
{
	sqlite3_close(db);
}

int store_meta_get(sqlite3 *db, const char *key, char *out, size_t outlen)
{
	sqlite3_stmt *st = NULL;
	int rc, ret = -1;
	const unsigned char *v;
	int n;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1,
			       &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		ret = 1;
	} else if (rc == SQLITE_ROW) {
		v = sqlite3_column_text(st, 0);
		n = sqlite3_column_bytes(st, 0);
		if (v != NULL && (size_t)n < outlen) {
			memcpy(out, v, (size_t)n);
			out[n] = '\0';
			ret = 0;
		}
	}
	sqlite3_finalize(st);
	return ret;
}

int store_meta_set(sqlite3 *db, const char *key, const char *value)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"INSERT INTO meta (key, value) VALUES (?, ?)"
				" ON CONFLICT (key) DO UPDATE"
				" SET value = excluded.value",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int store_role(sqlite3 *db, char *out, size_t outlen)
{
	return store_meta_get(db, "role", out, outlen) < 0 ? -1 : 0;
}
