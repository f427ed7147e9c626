/*
 * hello: the centre's end of POST /sync/hello, the handshake a site
 * opens every sync with.
 *
 * The centre answers from its own database what it holds for the
 * sending device: the highest sequence and the number of its items, and
 * the number of the site's endorsements.  A site that believes it sent
 * more than that (the centre was restored from a backup) sends those
 * items again; duplicates are harmless.  The answer also advertises the
 * batch limits, the first sequence of a fresh block for a device that
 * finds itself a clone, and, in its Date header, the centre's clock.
 */
#include <string.h>

#include "log.h"
#include "push_parse.h"
#include "store.h"
#include "web.h"

#define HELLO_SEQ_BLOCK (1LL << 20) /* sequences a cloned device skips */

/* One integer from sql with ?1 = site and ?2 = device; -1 on error. */
static long long hello_count(sqlite3 *db, const char *sql, const char *site,
			     const char *device)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, device, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static json_t *hello_answer(sqlite3 *db, const char *site, const char *device)
{
	long long hw, n, votes, top, feed;

	hw = hello_count(db,
			 "SELECT coalesce(max(seq), 0) FROM items"
			 " WHERE site = ?1 AND device = ?2",
			 site, device);
	n = hello_count(db,
			"SELECT count(*) FROM items"
			" WHERE site = ?1 AND device = ?2",
			site, device);
	votes = hello_count(db,
			    "SELECT count(*) FROM endorsements"
			    " WHERE site = ?1 AND ?2 IS NOT NULL",
			    site, device);
	top = hello_count(db,
			  "SELECT coalesce(max(seq), 0) FROM items"
			  " WHERE site = ?1 AND ?2 IS NOT NULL",
			  site, device);
	feed = hello_count(db,
			   "SELECT coalesce(max(seq), 0) FROM feed"
			   " WHERE ?1 IS NOT NULL AND ?2 IS NOT NULL",
			   site, device);
	if (hw < 0 || n < 0 || votes < 0 || top < 0 || feed < 0)
		return NULL;
	return json_pack(
		"{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I,"
		" s:I, s:I}",
		"chorus", "sync/1", "site", site, "device", device,
		"high_water", (json_int_t)hw, "items", (json_int_t)n,
		"endorsements", (json_int_t)votes, "seq_block",
		(json_int_t)((top / HELLO_SEQ_BLOCK + 1) * HELLO_SEQ_BLOCK),
		"batch_max", (json_int_t)PUSH_ITEMS_MAX, "body_max",
		(json_int_t)WEB_BODY_MAX, "feed_seq", (json_int_t)feed,
		"server_time", (json_int_t)store_now_ms());
}

/* Notes the device and its clock's skew, in a transaction of its own. */
static int hello_note(sqlite3 *db, const char *site, const struct push_hello *h)
{
	int64_t now = store_now_ms();
	int rc;

	rc = store_begin(db);
	if (rc == SQLITE_OK)
		rc = web_site_seen(db, site, h->device, now, h->has_sent_at,
				   h->sent_at - now);
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	return rc;
}

enum MHD_Result web_hello(struct web *w, struct MHD_Connection *c,
			  struct http_req *req)
{
	struct web_sync_req *pr = req->app;
	struct push_hello h;
	const char *why;
	json_t *j = NULL;
	sqlite3 *db;
	int rc;

	if (req->too_large ||
	    push_parse_hello(req->body.data ? req->body.data : "",
			     req->body.len, pr->site, &h, &why) < 0)
		return web_sync_error(c,
				      req->too_large ? MHD_HTTP_BAD_REQUEST
				      : strcmp(why, "site") == 0
					      ? MHD_HTTP_FORBIDDEN
					      : MHD_HTTP_BAD_REQUEST,
				      req->too_large ? "json" : why,
				      "the request is not a Chorus hello");
	db = web_db_get(w);
	rc = hello_note(db, pr->site, &h);
	if (rc == SQLITE_OK)
		j = hello_answer(db, pr->site, h.device);
	web_db_put(w, db);
	if (rc != SQLITE_OK || j == NULL) {
		log_error("hello: cannot answer site %s: %s", pr->site,
			  sqlite3_errstr(rc));
		return web_sync_error(
			c,
			store_is_full(rc) ? MHD_HTTP_INSUFFICIENT_STORAGE
					  : MHD_HTTP_SERVICE_UNAVAILABLE,
			"storage", "the centre cannot answer now");
	}
	return web_sync_reply(c, MHD_HTTP_OK, j);
}
