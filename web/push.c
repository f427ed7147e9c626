/*
 * push: the centre's end of POST /sync/push.
 *
 * The exchange is written up in docs/sync-protocol.md.  In short: the
 * bearer token names the site; every item of the batch is checked on its
 * own (push_parse.c); the valid ones are inserted in one BEGIN IMMEDIATE
 * transaction keyed by id, so a batch sent twice stores nothing new; the
 * answer lists every item with "stored", "duplicate" or "rejected" and is
 * written only after COMMIT returned.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "log.h"
#include "push_parse.h"
#include "store.h"
#include "web.h"

#define PUSH_TOKEN_MAX 256

/* Answers j (reference taken) with the protocol's headers. */
enum MHD_Result web_sync_reply(struct MHD_Connection *c, unsigned status,
			       json_t *j)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *s;

	s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (s == NULL)
		return MHD_NO;
	r = MHD_create_response_from_buffer(strlen(s), s,
					    MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"application/json; charset=utf-8");
	MHD_add_response_header(r, "X-Chorus-Sync", "1");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'none'");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result web_sync_error(struct MHD_Connection *c, unsigned status,
			       const char *code, const char *message)
{
	return web_sync_reply(c, status,
			      json_pack("{s:s, s:s, s:s}", "chorus", "sync/1",
					"error", code, "message", message));
}

/*
 * The site whose token hashes to hash.  Every row is compared, in
 * constant time, so the answer takes as long whichever row matches.  A
 * revoked site matches nothing.
 */
static int push_find_site(sqlite3 *db, const char *hash,
			  char site[CODE_SITE_LEN + 1])
{
	sqlite3_stmt *st = NULL;
	const char *code, *h;
	int rc, found = 0;

	if (sqlite3_prepare_v2(db,
			       "SELECT code, token_hash FROM sites"
			       " WHERE revoked_at IS NULL",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		code = (const char *)sqlite3_column_text(st, 0);
		h = (const char *)sqlite3_column_text(st, 1);
		if (code == NULL || h == NULL)
			continue;
		if (crypto_equal(hash, strlen(hash), h,
				 (size_t)sqlite3_column_bytes(st, 1)) &&
		    strlen(code) == CODE_SITE_LEN) {
			memcpy(site, code, CODE_SITE_LEN + 1);
			found = 1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? found : -1;
}

/* The token of "Authorization: Bearer TOKEN", or NULL. */
static const char *push_bearer(struct MHD_Connection *c, size_t *len)
{
	const char *v = http_header(c, MHD_HTTP_HEADER_AUTHORIZATION);

	if (v == NULL || strncasecmp(v, "Bearer ", 7) != 0)
		return NULL;
	v += 7;
	while (*v == ' ')
		v++;
	*len = strlen(v);
	return *len > 0 && *len <= PUSH_TOKEN_MAX ? v : NULL;
}

int web_sync_auth(struct web *w, struct MHD_Connection *c,
		  char site[CODE_SITE_LEN + 1], enum MHD_Result *ret)
{
	char hash[CRYPTO_SHA256_HEX];
	const char *token;
	sqlite3 *db;
	size_t len;
	int found;

	token = push_bearer(c, &len);
	if (token == NULL) {
		*ret = web_sync_error(c, MHD_HTTP_UNAUTHORIZED, "token",
				      "a site token is required");
		return 0;
	}
	crypto_sha256_hex(token, len, hash);
	db = web_db_get(w);
	found = push_find_site(db, hash, site);
	web_db_put(w, db);
	if (found < 0) {
		*ret = web_sync_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				      "storage",
				      "cannot read the site list; try later");
		return 0;
	}
	if (found == 0) {
		log_warn("sync: refused a token that matches no site");
		*ret = web_sync_error(c, MHD_HTTP_UNAUTHORIZED, "token",
				      "this token belongs to no site");
		return 0;
	}
	return 1;
}

int web_push_start(struct web *w, struct MHD_Connection *c,
		   struct http_req *req, enum MHD_Result *ret)
{
	struct web_sync_req *pr;

	if (http_header(c, MHD_HTTP_HEADER_AUTHORIZATION) != NULL &&
	    !http_ctype_is(c, "application/json")) {
		*ret = web_sync_error(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
				      "ctype", "send application/json");
		return 1;
	}
	pr = calloc(1, sizeof(*pr));
	if (pr == NULL) {
		*ret = MHD_NO;
		return 1;
	}
	req->app = pr;
	req->app_free = free;
	return web_sync_auth(w, c, pr->site, ret) ? 0 : 1;
}

/* The sha256 stored for id, into out; 1 found, 0 not, -1 error. */
static int push_stored_hash(sqlite3 *db, const char *id,
			    char out[CRYPTO_SHA256_HEX])
{
	sqlite3_stmt *st;
	const unsigned char *h;
	int rc, ret = -1;

	/* Cached: a batch sent again asks this once per item. */
	st = store_stmt(db, "SELECT sha256 FROM items WHERE id = ?");
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		ret = 0;
	} else if (rc == SQLITE_ROW) {
		h = sqlite3_column_text(st, 0);
		snprintf(out, CRYPTO_SHA256_HEX, "%s",
			 h ? (const char *)h : "");
		ret = 1;
	}
	store_stmt_done(st);
	return ret;
}

/* Inserts one valid item, or learns why it is already there. */
static int push_store_one(sqlite3 *db, sqlite3_stmt *ins, const char *device,
			  struct push_entry *e, int64_t now)
{
	const struct item *it = &e->item;
	char have[CRYPTO_SHA256_HEX];
	int rc;

	sqlite3_reset(ins);
	sqlite3_bind_text(ins, 1, it->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, it->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, it->site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 4, it->seq);
	sqlite3_bind_text(ins, 5, device, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 6, it->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 7, it->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 8, it->lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 9, it->text, (int)it->text_len, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 10, it->made_at);
	sqlite3_bind_int(ins, 11, it->clock_ok);
	sqlite3_bind_int64(ins, 12, now);
	sqlite3_bind_text(ins, 13, it->sha256, -1, SQLITE_STATIC);
	if (e->parent[0] != '\0')
		sqlite3_bind_text(ins, 14, e->parent, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(ins, 14);
	sqlite3_bind_text(ins, 15, e->prompt, -1, SQLITE_STATIC);
	rc = sqlite3_step(ins);
	if (rc != SQLITE_DONE)
		return rc;
	if (sqlite3_changes(db) == 1) {
		e->status = PUSH_STORED;
		return SQLITE_OK;
	}

	/* Nothing inserted: the id, or another item's code, is there. */
	rc = push_stored_hash(db, it->id, have);
	if (rc < 0)
		return SQLITE_ERROR;
	e->status = PUSH_REJECTED;
	if (rc == 0)
		e->reason = "code_conflict";
	else if (strcmp(have, it->sha256) == 0)
		e->status = PUSH_DUPLICATE;
	else
		e->reason = "conflict";
	return SQLITE_OK;
}

static int push_store(sqlite3 *db, const char *site, struct push_batch *b)
{
	sqlite3_stmt *ins = NULL;
	int64_t now = store_now_ms();
	size_t i;
	int rc;

	rc = store_begin(db);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_prepare_v2(
		db,
		"INSERT INTO items (id, code, site, seq, device, channel,"
		" role, lang, text, made_at, clock_ok, received_at, sha256,"
		" parent, prompt, sync_state) VALUES (?, ?, ?, ?, ?, ?, ?,"
		" ?, ?, ?, ?, ?, ?, ?, ?, 'central') ON CONFLICT DO NOTHING",
		-1, &ins, NULL);
	for (i = 0; rc == SQLITE_OK && i < b->count; i++)
		if (b->entries[i].status == PUSH_VALID)
			rc = push_store_one(db, ins, b->device, &b->entries[i],
					    now);
	if (rc == SQLITE_OK)
		rc = web_site_seen(db, site, b->device, now, 0, 0);
	sqlite3_finalize(ins);
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	return rc;
}

int web_site_seen(sqlite3 *db, const char *site, const char *device,
		  int64_t now, int has_skew, int64_t skew)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(
		db, "UPDATE sites SET last_seen = ?1 WHERE code = ?2;", -1, &st,
		NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_text(st, 2, site, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK
						     : sqlite3_errcode(db);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(
			db,
			"INSERT INTO site_devices (site, device, first_seen,"
			" last_seen, skew_ms) VALUES (?1, ?2, ?3, ?3, ?4)"
			" ON CONFLICT (site, device) DO UPDATE SET"
			" last_seen = ?3,"
			" skew_ms = coalesce(?4, site_devices.skew_ms)",
			-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, now);
		if (has_skew)
			sqlite3_bind_int64(st, 4, skew);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK
						     : sqlite3_errcode(db);
	}
	sqlite3_finalize(st);
	return rc;
}

static json_t *push_result(const struct push_entry *e)
{
	static const char *const words[] = {"rejected", "stored", "duplicate",
					    "rejected"};
	json_t *o;

	o = json_pack("{s:o, s:s}", "id",
		      e->has_echo ? json_string(e->echo) : json_null(),
		      "status", words[e->status]);
	if (o != NULL && e->status == PUSH_REJECTED)
		json_object_set_new(
			o, "reason",
			json_string(e->reason ? e->reason : "fields"));
	return o;
}

static json_t *push_answer(struct web *w, const struct push_batch *b)
{
	json_t *results = json_array(), *r;
	size_t i;

	for (i = 0; results != NULL && i < b->count; i++) {
		r = push_result(&b->entries[i]);
		if (r == NULL || json_array_append_new(results, r) < 0) {
			json_decref(results);
			return NULL;
		}
	}
	return json_pack("{s:s, s:s, s:o}", "chorus", "sync/1", "public_url",
			 w->public_url, "results", results);
}

static void push_log(const char *site, const struct push_batch *b)
{
	char esc[PUSH_ECHO_MAX * 4 + 4];
	size_t i;

	log_info("push: site %s sent %zu items: %zu stored, %zu duplicate,"
		 " %zu rejected",
		 site, b->count, push_count(b, PUSH_STORED),
		 push_count(b, PUSH_DUPLICATE), push_count(b, PUSH_REJECTED));
	for (i = 0; i < b->count; i++)
		if (b->entries[i].status == PUSH_REJECTED)
			log_warn("push: site %s item '%s' rejected: %s", site,
				 log_escape(esc, sizeof(esc),
					    b->entries[i].echo,
					    strlen(b->entries[i].echo)),
				 b->entries[i].reason);
}

static unsigned push_parse_status(const char *why)
{
	if (strcmp(why, "too_many") == 0)
		return MHD_HTTP_CONTENT_TOO_LARGE;
	if (strcmp(why, "site") == 0)
		return MHD_HTTP_FORBIDDEN;
	if (strcmp(why, "memory") == 0)
		return MHD_HTTP_SERVICE_UNAVAILABLE;
	return MHD_HTTP_BAD_REQUEST;
}

enum MHD_Result web_push(struct web *w, struct MHD_Connection *c,
			 struct http_req *req)
{
	struct web_sync_req *pr = req->app;
	struct push_batch b;
	const char *why;
	sqlite3 *db;
	int rc;

	if (req->too_large)
		return web_sync_error(
			c, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
			"the batch is too large; send fewer items");
	if (push_parse(req->body.data ? req->body.data : "", req->body.len,
		       pr->site, &b, &why) < 0)
		return web_sync_error(c, push_parse_status(why), why,
				      "the batch is not a Chorus push");
	db = web_db_get(w);
	rc = push_store(db, pr->site, &b);
	web_db_put(w, db);
	if (rc != SQLITE_OK) {
		log_error("push: cannot store a batch from site %s: %s",
			  pr->site, sqlite3_errstr(rc));
		push_batch_release(&b);
		return web_sync_error(c,
				      store_is_full(rc)
					      ? MHD_HTTP_INSUFFICIENT_STORAGE
					      : MHD_HTTP_SERVICE_UNAVAILABLE,
				      "storage", "the centre cannot store now");
	}
	push_log(pr->site, &b);
	rc = web_sync_reply(c, MHD_HTTP_OK, push_answer(w, &b));
	push_batch_release(&b);
	return (enum MHD_Result)rc;
}
