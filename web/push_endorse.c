/*
 * push_endorse: the centre's end of POST /sync/endorse.
 *
 * Endorsements travel like items: a batch, checked one by one, stored
 * in one transaction, answered per endorsement after COMMIT in the same
 * receipt format as a push, so the site's one judge (sync/receipt.c)
 * decides what is confirmed.  The centre keeps one endorsement per
 * (target, voter): a second vote by the same voter, under another id,
 * is answered "duplicate" and changes nothing.
 */
#include <string.h>

#include "log.h"
#include "push_parse.h"
#include "store.h"
#include "web.h"

static int endorse_one(sqlite3 *db, sqlite3_stmt *ins, const char *site,
		       struct push_vote *v, int64_t now)
{
	sqlite3_reset(ins);
	sqlite3_bind_text(ins, 1, v->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, v->target, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, v->voter, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 4, v->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 5, site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 6, v->made_at);
	sqlite3_bind_int64(ins, 7, now);
	if (sqlite3_step(ins) != SQLITE_DONE)
		return sqlite3_errcode(db);

	/* The id, or the voter's vote for this target, is already in. */
	v->status = sqlite3_changes(db) == 1 ? PUSH_STORED : PUSH_DUPLICATE;
	return SQLITE_OK;
}

static int endorse_store(sqlite3 *db, const char *site, struct push_votes *b)
{
	sqlite3_stmt *ins = NULL;
	int64_t now = store_now_ms();
	size_t i;
	int rc;

	rc = store_begin(db);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_prepare_v2(db,
				"INSERT INTO endorsements (id, target, voter,"
				" channel, site, made_at, received_at,"
				" sync_state) VALUES (?, ?, ?, ?, ?, ?, ?,"
				" 'central') ON CONFLICT DO NOTHING",
				-1, &ins, NULL);
	for (i = 0; rc == SQLITE_OK && i < b->count; i++)
		if (b->votes[i].status == PUSH_VALID)
			rc = endorse_one(db, ins, site, &b->votes[i], now);
	if (rc == SQLITE_OK)
		rc = web_site_seen(db, site, b->device, now, 0, 0);
	sqlite3_finalize(ins);
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	return rc;
}

static json_t *endorse_answer(struct web *w, const struct push_votes *b)
{
	static const char *const words[] = {"rejected", "stored", "duplicate",
					    "rejected"};
	json_t *results = json_array(), *o;
	const struct push_vote *v;
	size_t i;

	for (i = 0; results != NULL && i < b->count; i++) {
		v = &b->votes[i];
		o = json_pack("{s:o, s:s}", "id",
			      v->has_echo ? json_string(v->echo) : json_null(),
			      "status", words[v->status]);
		if (o != NULL && v->status == PUSH_REJECTED)
			json_object_set_new(o, "reason",
					    json_string(v->reason));
		if (o == NULL || json_array_append_new(results, o) < 0) {
			json_decref(results);
			return NULL;
		}
	}
	return json_pack("{s:s, s:s, s:o}", "chorus", "sync/1", "public_url",
			 w->public_url, "results", results);
}

enum MHD_Result web_endorse(struct web *w, struct MHD_Connection *c,
			    struct http_req *req)
{
	struct web_sync_req *pr = req->app;
	struct push_votes b;
	const char *why;
	sqlite3 *db;
	int rc;

	if (req->too_large)
		return web_sync_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
				      "too_large", "send fewer endorsements");
	if (push_parse_votes(req->body.data ? req->body.data : "",
			     req->body.len, pr->site, &b, &why) < 0)
		return web_sync_error(c,
				      strcmp(why, "site") == 0
					      ? MHD_HTTP_FORBIDDEN
					      : MHD_HTTP_BAD_REQUEST,
				      why, "the batch is not a Chorus push");
	db = web_db_get(w);
	rc = endorse_store(db, pr->site, &b);
	web_db_put(w, db);
	if (rc != SQLITE_OK) {
		log_error("endorse: cannot store a batch from site %s: %s",
			  pr->site, sqlite3_errstr(rc));
		push_votes_release(&b);
		return web_sync_error(c,
				      store_is_full(rc)
					      ? MHD_HTTP_INSUFFICIENT_STORAGE
					      : MHD_HTTP_SERVICE_UNAVAILABLE,
				      "storage", "the centre cannot store now");
	}
	log_info("endorse: site %s sent %zu endorsements", pr->site, b.count);
	rc = web_sync_reply(c, MHD_HTTP_OK, endorse_answer(w, &b));
	push_votes_release(&b);
	return (enum MHD_Result)rc;
}
