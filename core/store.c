/*
 * store: opening, migrating and small helpers for the SQLite file.
 *
 * Migrations are append-only: each entry of store_migrations runs once,
 * in order, and PRAGMA user_version counts how many have run.  Never edit
 * an entry that has shipped; add a new one.
 */
#include "store.h"

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

	/* 4: SMS through every gateway: outbox, long-message parts, limits. */
	"ALTER TABLE sms_channels ADD COLUMN send_url TEXT;"
	"ALTER TABLE sms_channels ADD COLUMN account TEXT;"
	"ALTER TABLE sms_channels ADD COLUMN api_key TEXT;"
	"ALTER TABLE sms_channels ADD COLUMN sender TEXT;"
	"ALTER TABLE sms_channels ADD COLUMN options TEXT;"
	"ALTER TABLE sms_messages ADD COLUMN incomplete INTEGER NOT NULL"
	" DEFAULT 0;"

	"CREATE TABLE sms_outbox ("
	" n INTEGER PRIMARY KEY,"
	" channel TEXT NOT NULL,"
	" code TEXT,"
	" to_hash TEXT NOT NULL,"
	" to_number TEXT,"
	" body TEXT NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'pending'"
	"  CHECK (state IN ('pending','sent','failed','dropped')),"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" next_at INTEGER NOT NULL,"
	" last_status INTEGER,"
	" last_error TEXT,"
	" made_at INTEGER NOT NULL,"
	" done_at INTEGER);"
	"CREATE INDEX sms_outbox_due ON sms_outbox(next_at)"
	" WHERE state = 'pending';"
	"CREATE INDEX sms_outbox_to ON sms_outbox(to_hash);"

	"CREATE TABLE sms_parts ("
	" channel TEXT NOT NULL,"
	" provider_id TEXT NOT NULL,"
	" grp TEXT NOT NULL,"
	" part INTEGER NOT NULL,"
	" total INTEGER NOT NULL,"
	" text TEXT,"
	" from_hash TEXT NOT NULL,"
	" from_kind TEXT NOT NULL,"
	" from_number TEXT,"
	" provider_time TEXT,"
	" done INTEGER NOT NULL DEFAULT 0,"
	" received_at INTEGER NOT NULL,"
	" PRIMARY KEY (channel, provider_id));"
	"CREATE INDEX sms_parts_open ON sms_parts(channel, grp)"
	" WHERE done = 0;"

	"CREATE TABLE sms_rate ("
	" key TEXT NOT NULL,"
	" win INTEGER NOT NULL,"
	" count INTEGER NOT NULL,"
	" PRIMARY KEY (key, win));",

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

	/* 6: the knowledge cycle at the centre (web/cycle.h). */
	"CREATE TABLE staff ("
	" id INTEGER PRIMARY KEY,"
	" email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	" pw_hash TEXT NOT NULL,"
	" role TEXT NOT NULL"
	"  CHECK (role IN ('district','cluster','site','viewer')),"
	" site TEXT,"
	" cluster TEXT,"
	" created_at INTEGER NOT NULL);"

	"CREATE TABLE sessions ("
	" token_hash TEXT PRIMARY KEY,"
	" staff INTEGER NOT NULL REFERENCES staff(id),"
	" csrf TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" seen_at INTEGER NOT NULL,"
	" expires_at INTEGER NOT NULL);"

	"CREATE TABLE audit ("
	" n INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" staff INTEGER,"
	" action TEXT NOT NULL,"
	" target TEXT,"
	" detail TEXT);"

	"CREATE TABLE ideas ("
	" n INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE,"
	" title TEXT NOT NULL,"
	" learned TEXT NOT NULL DEFAULT '',"
	" phase TEXT NOT NULL DEFAULT 'consolidated' CHECK (phase IN"
	"  ('consolidated','captured','shared','applied')),"
	" site TEXT,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL);"
	"CREATE INDEX ideas_updated ON ideas(updated_at);"

	"CREATE TABLE idea_items ("
	" item TEXT PRIMARY KEY,"
	" idea TEXT NOT NULL,"
	" added_at INTEGER NOT NULL);"
	"CREATE INDEX idea_items_idea ON idea_items(idea);"

	"CREATE TABLE idea_tags ("
	" idea TEXT NOT NULL,"
	" tag TEXT NOT NULL,"
	" PRIMARY KEY (idea, tag));"

	"CREATE TABLE phases ("
	" n INTEGER PRIMARY KEY,"
	" idea TEXT NOT NULL,"
	" phase TEXT NOT NULL,"
	" at INTEGER NOT NULL);"
	"CREATE INDEX phases_idea ON phases(idea, at);"

	"CREATE TABLE notices ("
	" n INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"
	" idea TEXT NOT NULL,"
	" title TEXT NOT NULL,"
	" body TEXT NOT NULL,"
	" lang TEXT NOT NULL,"
	" scope TEXT,"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX notices_idea ON notices(idea);"

	"CREATE TABLE sms_updates ("
	" n INTEGER PRIMARY KEY,"
	" idea TEXT NOT NULL,"
	" notice TEXT NOT NULL,"
	" hash TEXT NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'pending',"
	" created_at INTEGER NOT NULL,"
	" UNIQUE (idea, hash));"

	"CREATE TABLE decisions ("
	" n INTEGER PRIMARY KEY,"
	" idea TEXT NOT NULL,"
	" site TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('decision','action')),"
	" text TEXT NOT NULL,"
	" owner TEXT NOT NULL DEFAULT '',"
	" due TEXT NOT NULL DEFAULT '',"
	" status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN"
	"  ('planned','doing','done','dropped')),"
	" adopted INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL);"
	"CREATE INDEX decisions_idea ON decisions(idea);"

	"CREATE TABLE prompts ("
	" n INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"
	" text_en TEXT NOT NULL,"
	" text_es TEXT NOT NULL,"
	" scope TEXT,"
	" starts INTEGER NOT NULL,"
	" ends INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL);"

	"CREATE TABLE populations ("
	" site TEXT PRIMARY KEY,"
	" enrolment INTEGER NOT NULL DEFAULT 0,"
	" student INTEGER NOT NULL DEFAULT 0,"
	" family INTEGER NOT NULL DEFAULT 0,"
	" staff INTEGER NOT NULL DEFAULT 0,"
	" community INTEGER NOT NULL DEFAULT 0,"
	" lang_es INTEGER NOT NULL DEFAULT 0);"

	"ALTER TABLE endorsements ADD COLUMN role TEXT;"
	"CREATE INDEX items_received ON items(received_at);"
	"CREATE INDEX endorsements_target ON endorsements(target);",

	/* 7: full-text search of items, accents folded. */
	"CREATE VIRTUAL TABLE items_fts USING fts5(text, content='items',"
	" content_rowid='n', tokenize='unicode61 remove_diacritics 2');"
	"INSERT INTO items_fts (items_fts) VALUES ('rebuild');"
	"CREATE TRIGGER items_fts_ai AFTER INSERT ON items BEGIN"
	" INSERT INTO items_fts (rowid, text) VALUES (new.n, new.text); END;"
	"CREATE TRIGGER items_fts_ad AFTER DELETE ON items BEGIN"
	" INSERT INTO items_fts (items_fts, rowid, text)"
	" VALUES ('delete', old.n, old.text); END;"
	"CREATE VIRTUAL TABLE ideas_fts USING fts5(title, learned,"
	" content='ideas', content_rowid='n',"
	" tokenize='unicode61 remove_diacritics 2');"
	"CREATE TRIGGER ideas_fts_ai AFTER INSERT ON ideas BEGIN"
	" INSERT INTO ideas_fts (rowid, title, learned)"
	" VALUES (new.n, new.title, new.learned); END;"
	"CREATE TRIGGER ideas_fts_au AFTER UPDATE ON ideas BEGIN"
	" INSERT INTO ideas_fts (ideas_fts, rowid, title, learned)"
	" VALUES ('delete', old.n, old.title, old.learned);"
	" INSERT INTO ideas_fts (rowid, title, learned)"
	" VALUES (new.n, new.title, new.learned); END;",

	/* 8: news by SMS to the phones that asked (sms-gateway/sms_follow.h);
	 * the centre no longer keeps sms_updates. */
	"CREATE TABLE sms_follow ("
	" n INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL,"
	" channel TEXT NOT NULL,"
	" to_hash TEXT NOT NULL,"
	" to_number TEXT NOT NULL,"
	" made_at INTEGER NOT NULL,"
	" UNIQUE (code, to_hash));"
	"CREATE INDEX sms_follow_to ON sms_follow(to_hash);"
	"CREATE TABLE sms_follow_sent ("
	" idea TEXT NOT NULL,"
	" to_hash TEXT NOT NULL,"
	" notice TEXT NOT NULL,"
	" made_at INTEGER NOT NULL,"
	" PRIMARY KEY (idea, to_hash));"
	"DROP TABLE sms_updates;",

	/* 9: search indexes only where staff search: not at a site, where
	 * every kiosk post would otherwise pay for them. */
	"DROP TRIGGER items_fts_ai;"
	"DROP TRIGGER items_fts_ad;"
	"CREATE TRIGGER items_fts_ai AFTER INSERT ON items"
	" WHEN (SELECT value FROM meta WHERE key = 'role') IS NOT 'site'"
	" BEGIN INSERT INTO items_fts (rowid, text)"
	" VALUES (new.n, new.text); END;"
	"CREATE TRIGGER items_fts_ad AFTER DELETE ON items"
	" WHEN (SELECT value FROM meta WHERE key = 'role') IS NOT 'site'"
	" BEGIN INSERT INTO items_fts (items_fts, rowid, text)"
	" VALUES ('delete', old.n, old.text); END;"
	"DROP INDEX items_received;"
	"CREATE INDEX items_received ON items(received_at)"
	" WHERE received_at IS NOT NULL;",

	/* 10: the site's question asked by SMS, and answered by the next
	 * text (sms-gateway/sms_store.h). */
	"CREATE TABLE sms_asked ("
	" hash TEXT NOT NULL,"
	" prompt TEXT NOT NULL,"
	" asked_at INTEGER NOT NULL,"
	" answered_at INTEGER,"
	" PRIMARY KEY (hash, prompt)) WITHOUT ROWID;",

	/* 11: the centre's rate limits (web/cycle.c), kept across restarts.
	 * key is an HMAC of the limiter's key under the server key, never
	 * an address or an e-mail in clear; ends = start + the window. */
	"CREATE TABLE web_rate ("
	" key TEXT PRIMARY KEY,"
	" start INTEGER NOT NULL,"
	" ends INTEGER NOT NULL,"
	" count INTEGER NOT NULL);"
	"CREATE INDEX web_rate_ends ON web_rate(ends);",
};

#define STORE_NMIGRATIONS                                                      \
	((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

/* The statement cache: every cached statement of every connection. */
struct store_cached {
	sqlite3 *db;
	const char *sql;
	sqlite3_stmt *st;
};

static pthread_mutex_t store_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store_cached *store_cache;
static size_t store_ncache, store_cache_cap;

static sqlite3_stmt *store_cache_find(sqlite3 *db, const char *sql)
{
	size_t i;

	for (i = 0; i < store_ncache; i++)
		if (store_cache[i].db == db && store_cache[i].sql == sql)
			return store_cache[i].st;
	return NULL;
}

static int store_cache_add(sqlite3 *db, const char *sql, sqlite3_stmt *st)
{
	struct store_cached *p;
	size_t cap;

	if (store_ncache == store_cache_cap) {
		cap = store_cache_cap ? store_cache_cap * 2 : 64;
		p = realloc(store_cache, cap * sizeof(*p));
		if (p == NULL)
			return -1;
		store_cache = p;
		store_cache_cap = cap;
	}
	store_cache[store_ncache].db = db;
	store_cache[store_ncache].sql = sql;
	store_cache[store_ncache].st = st;
	store_ncache++;
	return 0;
}

sqlite3_stmt *store_stmt(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;

	pthread_mutex_lock(&store_cache_lock);
	st = store_cache_find(db, sql);
	pthread_mutex_unlock(&store_cache_lock);
	if (st != NULL)
		return st;

	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
			       NULL) != SQLITE_OK)
		return NULL;
	pthread_mutex_lock(&store_cache_lock);
	if (store_cache_add(db, sql, st) < 0) {
		sqlite3_finalize(st);
		st = NULL;
	}
	pthread_mutex_unlock(&store_cache_lock);
	return st;
}

void store_stmt_done(sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int store_run(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = store_stmt(db, sql);
	int rc;

	if (st == NULL)
		return sqlite3_errcode(db);
	rc = sqlite3_step(st);
	store_stmt_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* Binds the arguments ap to st by types (see store_do()). */
static int store_bind(sqlite3_stmt *st, const char *types, va_list ap)
{
	const char *t;
	size_t n;
	int i, rc = SQLITE_OK;

	for (i = 1; rc == SQLITE_OK && types[i - 1] != '\0'; i++) {
		switch (types[i - 1]) {
		case 't':
			t = va_arg(ap, const char *);
			rc = sqlite3_bind_text(st, i, t, -1, SQLITE_STATIC);
			break;
		case 'T':
			t = va_arg(ap, const char *);
			n = va_arg(ap, size_t);
			rc = n > INT_MAX
				     ? SQLITE_TOOBIG
				     : sqlite3_bind_text(st, i, t ? t : "",
							 (int)n, SQLITE_STATIC);
			break;
		case 'i':
			rc = sqlite3_bind_int(st, i, va_arg(ap, int));
			break;
		case 'l':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		default:
			rc = SQLITE_MISUSE;
			break;
		}
	}
	return rc;
}

/* Prepares (from the cache), binds and steps once; *st is then set. */
static int store_step_once(sqlite3 *db, sqlite3_stmt **st, const char *sql,
			   const char *types, va_list ap)
{
	int rc;

	*st = store_stmt(db, sql);
	if (*st == NULL)
		return sqlite3_errcode(db);
	rc = store_bind(*st, types, ap);
	return rc == SQLITE_OK ? sqlite3_step(*st) : rc;
}

int store_do(sqlite3 *db, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = store_step_once(db, &st, sql, types, ap);
	va_end(ap);
	store_stmt_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

int store_get_int(sqlite3 *db, int64_t *out, const char *sql, const char *types,
		  ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = store_step_once(db, &st, sql, types, ap);
	va_end(ap);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	store_stmt_done(st);
	return rc;
}

/* Finalizes and forgets every cached statement of db. */
static void store_cache_drop(sqlite3 *db)
{
	size_t i = 0;

	pthread_mutex_lock(&store_cache_lock);
	while (i < store_ncache) {
		if (store_cache[i].db != db) {
			i++;
			continue;
		}
		sqlite3_finalize(store_cache[i].st);
		store_cache[i] = store_cache[--store_ncache];
	}
	pthread_mutex_unlock(&store_cache_lock);
}

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
	store_cache_drop(db);
	sqlite3_close(db);
	return -1;
}

void store_close(sqlite3 *db)
{
	if (db == NULL)
		return;
	store_cache_drop(db);
	sqlite3_close(db);
}

int store_meta_get(sqlite3 *db, const char *key, char *out, size_t outlen)
{
	sqlite3_stmt *st;
	int rc, ret = -1;
	const unsigned char *v;
	int n;

	out[0] = '\0';
	st = store_stmt(db, "SELECT value FROM meta WHERE key = ?");
	if (st == NULL)
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
	store_stmt_done(st);
	return ret;
}

int store_meta_set(sqlite3 *db, const char *key, const char *value)
{
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(db, "INSERT INTO meta (key, value) VALUES (?, ?)"
			    " ON CONFLICT (key) DO UPDATE"
			    " SET value = excluded.value");
	if (st == NULL)
		return sqlite3_errcode(db);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_stmt_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int store_role(sqlite3 *db, char *out, size_t outlen)
{
	return store_meta_get(db, "role", out, outlen) < 0 ? -1 : 0;
}
