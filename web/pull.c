/*
 * pull: the centre's end of GET /sync/pull, and publishing the status of
 * an item to its site.
 *
 * A site pulls the feed (core/feed.h) by the cursor it saved: the rows
 * after "since" whose scope is every site, the token's site or the
 * site's cluster, oldest first, at most "limit" of them.  The answer
 * says where the next page starts ("next") and whether there is more.
 * All of it is read in one snapshot, so "next" never skips a row that
 * was being written.  A cursor beyond the end of the feed means the
 * centre lost rows (a restore from backup): the answer is 410 and the
 * site starts again from 0.
 */
#include <stdlib.h>
#include <string.h>

#include "cycle.h"
#include "feed.h"
#include "log.h"
#include "store.h"
#include "web.h"

#define PULL_LIMIT_DEFAULT 100
#define PULL_LIMIT_MAX 500

/* Reads decimal digits s[0..len) into *out (at most 18 digits). */
static int pull_number(const char *s, size_t len, long long *out)
{
	long long v = 0;
	size_t i;

	if (len == 0 || len > 18)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int web_pull_query(const char *q, size_t len, long long *since,
		   long long *limit)
{
	long long s = 0, l = PULL_LIMIT_DEFAULT, *to;
	size_t i = 0, end, eq;

	while (i < len) {
		end = i;
		while (end < len && q[end] != '&')
			end++;
		eq = i;
		while (eq < end && q[eq] != '=')
			eq++;
		to = NULL;
		if (eq - i == 5 && memcmp(q + i, "since", 5) == 0)
			to = &s;
		else if (eq - i == 5 && memcmp(q + i, "limit", 5) == 0)
			to = &l;
		if (to != NULL &&
		    (eq == end ||
		     pull_number(q + eq + 1, end - eq - 1, to) < 0))
			return -1;
		i = end + 1;
	}
	if (l < 1)
		return -1;
	*since = s;
	*limit = l > PULL_LIMIT_MAX ? PULL_LIMIT_MAX : l;
	return 0;
}

/* One feed row as the site reads it. */
static json_t *pull_row(sqlite3_stmt *st)
{
	const char *data = (const char *)sqlite3_column_text(st, 4);
	json_t *d = json_null();

	if (data != NULL)
		d = json_loadb(data, (size_t)sqlite3_column_bytes(st, 4), 0,
			       NULL);
	if (d == NULL)
		return NULL;
	return json_pack("{s:I, s:s, s:s, s:b, s:o}", "seq",
			 (json_int_t)sqlite3_column_int64(st, 0), "kind",
			 sqlite3_column_text(st, 1), "key",
			 sqlite3_column_text(st, 2), "deleted",
			 sqlite3_column_int(st, 3), "data", d);
}

static long long pull_top(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (sqlite3_prepare_v2(db, "SELECT coalesce(max(seq), 0) FROM feed", -1,
			       &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The rows after since for site, into rows; the cursor into *next. */
static int pull_rows(sqlite3 *db, const char *site, long long since,
		     long long limit, json_t *rows, long long *next, int *more)
{
	sqlite3_stmt *st = NULL;
	json_t *row;
	long long n = 0, last = since;
	int rc;

	rc = sqlite3_prepare_v2(
		db,
		"SELECT seq, kind, key, deleted, data FROM feed"
		" WHERE seq > ?1 AND (scope IS NULL OR scope = ?2 OR scope ="
		" (SELECT 'cluster:' || cluster FROM sites WHERE code = ?2))"
		" ORDER BY seq LIMIT ?3",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_text(st, 2, site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, limit + 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < limit) {
		row = pull_row(st);
		if (row == NULL || json_array_append_new(rows, row) < 0)
			break;
		last = sqlite3_column_int64(st, 0);
		n++;
	}
	*more = rc == SQLITE_ROW && n == limit;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	*next = *more ? last : pull_top(db);
	return *next < 0 ? -1 : 0;
}

/* Reads one page in one snapshot.  0, 1 (cursor past the end), -1. */
static int pull_page(sqlite3 *db, const char *site, long long since,
		     long long limit, json_t **out)
{
	json_t *rows = json_array();
	long long next = 0, top;
	int more = 0, ret = -1;

	if (rows == NULL || store_exec(db, "BEGIN") != SQLITE_OK)
		goto done;
	top = pull_top(db);
	if (top >= 0 && since > top)
		ret = 1;
	else if (top >= 0 &&
		 pull_rows(db, site, since, limit, rows, &next, &more) == 0)
		ret = 0;
	store_exec(db, "COMMIT");
	if (ret == 0) {
		*out = json_pack("{s:s, s:O, s:I, s:b}", "chorus", "sync/1",
				 "rows", rows, "next", (json_int_t)next, "more",
				 more);
		ret = *out ? 0 : -1;
	}

done:
	json_decref(rows);
	return ret;
}

enum MHD_Result web_pull(struct web *w, struct MHD_Connection *c,
			 struct http_req *req)
{
	char site[CODE_SITE_LEN + 1];
	enum MHD_Result ret;
	long long since, limit;
	const char *q;
	json_t *j = NULL;
	sqlite3 *db;
	size_t qlen;
	int rc;

	if (!web_sync_auth(w, c, site, &ret))
		return ret;
	q = http_query(req, &qlen);
	if (web_pull_query(q, qlen, &since, &limit) < 0)
		return web_sync_error(c, MHD_HTTP_BAD_REQUEST, "query",
				      "give since=SEQ and limit=N as numbers");
	db = web_db_get(w);
	rc = pull_page(db, site, since, limit, &j);
	web_db_put(w, db);
	if (rc == 1)
		return web_sync_error(c, MHD_HTTP_GONE, "cursor",
				      "the centre has no such cursor; pull"
				      " again from 0");
	if (rc < 0) {
		log_error("pull: cannot read the feed for site %s", site);
		return web_sync_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				      "storage",
				      "the centre cannot answer now");
	}
	return web_sync_reply(c, MHD_HTTP_OK, j);
}

/* The site of the central item code, into site: 1, 0 none, -1 error. */
static int pull_item_site(sqlite3 *db, const char *code,
			  char site[CODE_SITE_LEN + 1])
{
	sqlite3_stmt *st = NULL;
	const unsigned char *s;
	int rc, ret = -1;

	if (sqlite3_prepare_v2(db, "SELECT site FROM items WHERE code = ?", -1,
			       &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		ret = 0;
	} else if (rc == SQLITE_ROW) {
		s = sqlite3_column_text(st, 0);
		ret = s != NULL && strlen((const char *)s) == CODE_SITE_LEN;
		if (ret)
			memcpy(site, s, CODE_SITE_LEN + 1);
	}
	sqlite3_finalize(st);
	return ret;
}

static int pull_set_status(sqlite3 *db, const char *code, const char *status)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"UPDATE items SET status = ? WHERE code = ?",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	sqlite3_finalize(st);
	return rc;
}

int web_item_status(sqlite3 *db, const char *code, const char *status)
{
	char site[CODE_SITE_LEN + 1];
	int rc, found;

	if (store_begin(db) != SQLITE_OK)
		return -1;
	found = pull_item_site(db, code, site);
	if (found <= 0) {
		store_rollback(db);
		return found < 0 ? -1 : 1;
	}
	rc = pull_set_status(db, code, status);
	if (rc == SQLITE_OK)
		rc = cycle_publish_item(db, code);
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK) {
		store_rollback(db);
		return -1;
	}
	return 0;
}
