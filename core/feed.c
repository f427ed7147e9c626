/*
 * feed: publishing changes at the centre, applying them at a site.
 * See feed.h.
 */
#include "feed.h"

#include <stdlib.h>
#include <string.h>

#include "store.h"

static int feed_append(sqlite3 *db, const char *kind, const char *key,
		       const char *scope, const char *data)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"INSERT INTO feed (kind, key, scope, deleted,"
				" data, changed_at) VALUES (?, ?, ?, ?, ?, ?)",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, data == NULL);
	sqlite3_bind_text(st, 5, data, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, store_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int feed_publish(sqlite3 *db, const char *kind, const char *key,
		 const char *scope, json_t *data)
{
	char *text;
	int rc;

	text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL)
		return SQLITE_NOMEM;
	rc = feed_append(db, kind, key, scope, text);
	free(text);
	return rc;
}

/* 1 when the latest row of (kind, key) holds text in scope, 0 when not
 * (or there is none), -1 on error. */
static int feed_same(sqlite3 *db, const char *kind, const char *key,
		     const char *scope, const char *text)
{
	sqlite3_stmt *st = NULL;
	int rc, same = 0;

	rc = sqlite3_prepare_v2(db,
				"SELECT data IS ?3 AND scope IS ?4 FROM feed"
				" WHERE kind = ?1 AND key = ?2"
				" ORDER BY seq DESC LIMIT 1",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, scope, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		same = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	return same;
}

int feed_publish_changed(sqlite3 *db, const char *kind, const char *key,
			 const char *scope, json_t *data, int *added)
{
	char *text;
	int rc, same;

	text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL)
		return SQLITE_NOMEM;
	same = feed_same(db, kind, key, scope, text);
	if (same < 0)
		rc = sqlite3_errcode(db) != SQLITE_OK ? sqlite3_errcode(db)
						      : SQLITE_ERROR;
	else if (same)
		rc = SQLITE_OK;
	else
		rc = feed_append(db, kind, key, scope, text);
	free(text);
	if (rc == SQLITE_OK && added != NULL)
		*added = same == 0;
	return rc;
}

const char *feed_idea_status(const char *phase, unsigned decisions,
			     unsigned done, unsigned dropped)
{
	if (done > 0 || (phase != NULL && strcmp(phase, "applied") == 0))
		return "done";
	if (decisions > done + dropped)
		return "decided";
	if (decisions > 0)
		return "declined";
	/* Literals, not phase: the caller's phase may not outlive it. */
	if (phase != NULL && strcmp(phase, "shared") == 0)
		return "shared";
	if (phase != NULL && strcmp(phase, "captured") == 0)
		return "captured";
	return "consolidated";
}

int feed_delete(sqlite3 *db, const char *kind, const char *key,
		const char *scope)
{
	return feed_append(db, kind, key, scope, NULL);
}

int feed_apply(sqlite3 *db, const char *kind, const char *key, const char *data,
	       long long seq)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (data == NULL)
		rc = sqlite3_prepare_v2(db,
					"DELETE FROM pulled"
					" WHERE kind = ?1 AND key = ?2",
					-1, &st, NULL);
	else
		rc = sqlite3_prepare_v2(
			db,
			"INSERT INTO pulled (kind, key, data, seq)"
			" VALUES (?1, ?2, ?3, ?4)"
			" ON CONFLICT (kind, key) DO UPDATE"
			" SET data = excluded.data, seq = excluded.seq"
			" WHERE excluded.seq > pulled.seq",
			-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (data != NULL) {
		sqlite3_bind_text(st, 3, data, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, seq);
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

json_t *feed_pulled(sqlite3 *db, const char *kind, const char *key)
{
	sqlite3_stmt *st = NULL;
	json_t *j = NULL;

	if (sqlite3_prepare_v2(db,
			       "SELECT data FROM pulled"
			       " WHERE kind = ? AND key = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		j = json_loadb((const char *)sqlite3_column_text(st, 0),
			       (size_t)sqlite3_column_bytes(st, 0), 0, NULL);
	sqlite3_finalize(st);
	return j;
}
