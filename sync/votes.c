/*
 * votes: pushing a site's endorsements.  See sync.h.
 *
 * Endorsements go to POST /sync/endorse in batches, oldest first, and
 * come back in the push's receipt format, so receipt_check() is again
 * the one judge.  They move only from pending, to sent or rejected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "sync.h"

static int votes_rows(sqlite3_stmt *st, json_t *arr, struct sync_batch *b,
		      size_t max)
{
	const char *id;
	json_t *o;
	int rc;

	while (b->n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(st, 0);
		o = json_pack("{s:s, s:s, s:s, s:s, s:I}", "id", id, "target",
			      sqlite3_column_text(st, 1), "voter",
			      sqlite3_column_text(st, 2), "channel",
			      sqlite3_column_text(st, 3), "made_at",
			      (json_int_t)sqlite3_column_int64(st, 4));
		if (o == NULL || json_array_append_new(arr, o) < 0 ||
		    strlen(id) > CODE_ID_LEN)
			return -1;
		memcpy(b->ids[b->n], id, strlen(id) + 1);
		b->items[b->n].id = b->ids[b->n];
		b->n++;
	}
	return 0;
}

static int votes_load(sqlite3 *db, const struct sync_setup *s, size_t max,
		      struct sync_batch *b)
{
	sqlite3_stmt *st = NULL;
	json_t *root, *arr = json_array();
	int ret = -1;

	memset(b, 0, sizeof(*b));
	b->items = calloc(max, sizeof(*b->items));
	b->ids = calloc(max, sizeof(*b->ids));
	root = json_pack("{s:s, s:s, s:s, s:o}", "chorus", "sync/1", "site",
			 s->site, "device", s->device, "endorsements", arr);
	if (b->items == NULL || b->ids == NULL || root == NULL ||
	    sqlite3_prepare_v2(db,
			       "SELECT id, target, voter, channel, made_at"
			       " FROM endorsements WHERE sync_state ="
			       " 'pending' ORDER BY n LIMIT ?",
			       -1, &st, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	if (votes_rows(st, arr, b, max) < 0)
		goto done;
	b->body = json_dumps(root, JSON_COMPACT);
	b->body_len = b->body ? strlen(b->body) : 0;
	ret = b->body ? 0 : -1;

done:
	sqlite3_finalize(st);
	json_decref(root);
	if (ret < 0)
		queue_release(b);
	return ret;
}

static int votes_mark(sqlite3 *db, const struct sync_batch *b)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc;

	rc = store_begin(db);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
					"UPDATE endorsements SET sync_state = ?"
					" WHERE id = ? AND sync_state ="
					" 'pending'",
					-1, &st, NULL);
	for (i = 0; rc == SQLITE_OK && i < b->n; i++) {
		if (b->items[i].outcome == RECEIPT_UNCONFIRMED)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1,
				  b->items[i].outcome == RECEIPT_SENT
					  ? "sent"
					  : "rejected",
				  -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, b->items[i].id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sqlite3_errcode(db);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	return rc;
}

/* One batch: 1 sent (maybe more left), 0 nothing pending, -1 failed. */
static int votes_one(sqlite3 *db, const struct sync_setup *s,
		     client_stop_fn stop, size_t *sent, int *auth, char *err,
		     size_t errlen)
{
	struct sync_batch b;
	struct client_answer a;
	struct receipt_answer ra;
	enum receipt_verdict v;
	char url[RECEIPT_URL_MAX];
	int ret = -1;

	if (votes_load(db, s, s->batch, &b) < 0) {
		snprintf(err, errlen, "storage: %s", sqlite3_errmsg(db));
		return -1;
	}
	if (b.n == 0) {
		queue_release(&b);
		return 0;
	}
	if (client_request(s, "/sync/endorse", b.body, b.body_len, stop, &a) <
	    0) {
		snprintf(err, errlen, "network: %s", a.error);
		goto done;
	}
	ra = (struct receipt_answer){a.status, a.ctype, a.marker, a.body.data,
				     a.body.len};
	v = receipt_check(&ra, b.items, b.n, url);
	if (v != RECEIPT_OK) {
		*auth = v == RECEIPT_AUTH;
		snprintf(err, errlen, "%s: HTTP %ld", receipt_word(v),
			 a.status);
	} else if (votes_mark(db, &b) != SQLITE_OK) {
		snprintf(err, errlen, "storage: %s", sqlite3_errmsg(db));
	} else {
		*sent += b.n;
		ret = 1;
	}

done:
	buf_release(&a.body);
	queue_release(&b);
	return ret;
}

int sync_votes(sqlite3 *db, const struct sync_setup *s, client_stop_fn stop,
	       size_t *sent, int *auth, char *err, size_t errlen)
{
	int rc;

	*auth = 0;
	while ((rc = votes_one(db, s, stop, sent, auth, err, errlen)) == 1)
		if (stop != NULL && stop())
			return 0;
	return rc;
}
