/*
 * queue: the pending items of a site database.  See sync.h.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "item.h"
#include "store.h"
#include "sync.h"

#define QUEUE_BODY_MAX (4u * 1024 * 1024) /* until the centre says */

/* The host part of an http(s) URL: start and length. */
static const char *queue_host(const char *url, size_t *len)
{
	const char *h = strstr(url, "://"), *end;

	if (h == NULL)
		return NULL;
	h += 3;
	if (*h == '[') {
		end = strchr(h, ']');
		*len = end ? (size_t)(end - h) + 1 : 0;
		return end ? h : NULL;
	}
	*len = strcspn(h, ":/?#");
	return h;
}

int sync_url_allowed(const char *url, int allow_http)
{
	const char *h;
	size_t len;

	if (strncmp(url, "https://", 8) == 0)
		return 1;
	if (strncmp(url, "http://", 7) != 0)
		return 0;
	if (allow_http)
		return 1;
	h = queue_host(url, &len);
	if (h == NULL)
		return 0;
	return (len == 9 && memcmp(h, "localhost", 9) == 0) ||
	       (len == 5 && memcmp(h, "[::1]", 5) == 0) ||
	       (len >= 7 && memcmp(h, "127.", 4) == 0 &&
		strspn(h, "0123456789.") >= len);
}

int queue_setup(sqlite3 *db, struct sync_setup *s, const char **why)
{
	char role[16], allow[8];
	int rc = 0;

	memset(s, 0, sizeof(*s));
	*why = "storage";
	if (store_role(db, role, sizeof(role)) < 0)
		return -1;
	*why = "setup";
	if (strcmp(role, "site") != 0)
		return -1;
	rc |= store_meta_get(db, "central_url", s->central_url,
			     sizeof(s->central_url));
	rc |= store_meta_get(db, "token", s->token, sizeof(s->token));
	rc |= store_meta_get(db, "site", s->site, sizeof(s->site));
	rc |= store_meta_get(db, "device", s->device, sizeof(s->device));
	if (rc != 0 || s->central_url[0] == '\0' || s->token[0] == '\0')
		return -1;
	if (store_meta_get(db, "pin", s->pin, sizeof(s->pin)) < 0 ||
	    store_meta_get(db, "allow_http", allow, sizeof(allow)) < 0)
		return -1;
	*why = "insecure";
	if (!sync_url_allowed(s->central_url, strcmp(allow, "1") == 0))
		return -1;
	s->batch = SYNC_BATCH;
	s->body_max = QUEUE_BODY_MAX;
	*why = NULL;
	return 0;
}

/* One item row as the JSON object the centre expects. */
static json_t *queue_row(sqlite3_stmt *st)
{
	json_t *o = json_pack(
		"{s:s, s:s, s:I, s:s, s:s, s:s, s:s%, s:I, s:b, s:s}", "id",
		sqlite3_column_text(st, 0), "code", sqlite3_column_text(st, 1),
		"seq", (json_int_t)sqlite3_column_int64(st, 2), "channel",
		sqlite3_column_text(st, 3), "role", sqlite3_column_text(st, 4),
		"lang", sqlite3_column_text(st, 5), "text",
		sqlite3_column_text(st, 6), (size_t)sqlite3_column_bytes(st, 6),
		"made_at", (json_int_t)sqlite3_column_int64(st, 7), "clock_ok",
		sqlite3_column_int(st, 8), "sha256",
		sqlite3_column_text(st, 9));

	/* An addition names the item it adds to; an answer, its prompt. */
	if (o != NULL && sqlite3_column_type(st, 10) == SQLITE_TEXT)
		json_object_set_new(
			o, "parent",
			json_string((const char *)sqlite3_column_text(st, 10)));
	if (o != NULL && sqlite3_column_type(st, 11) == SQLITE_TEXT)
		json_object_set_new(
			o, "prompt",
			json_string((const char *)sqlite3_column_text(st, 11)));
	return o;
}

/* Reads the rows into arr and the ids into b. */
static int queue_rows(sqlite3_stmt *st, json_t *arr, struct sync_batch *b,
		      size_t max)
{
	const unsigned char *id;
	json_t *row;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW && b->n < max) {
		id = sqlite3_column_text(st, 0);
		row = queue_row(st);
		if (id == NULL || row == NULL ||
		    json_array_append_new(arr, row) < 0 ||
		    strlen((const char *)id) > CODE_ID_LEN)
			return -1;
		memcpy(b->ids[b->n], id, strlen((const char *)id) + 1);
		b->items[b->n].id = b->ids[b->n];
		b->n++;
	}
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int queue_load(sqlite3 *db, const struct sync_setup *s, size_t max,
	       struct sync_batch *b)
{
	sqlite3_stmt *st = NULL;
	json_t *root = NULL, *arr;
	int ret = -1;

	memset(b, 0, sizeof(*b));
	b->items = calloc(max, sizeof(*b->items));
	b->ids = calloc(max, sizeof(*b->ids));
	arr = json_array();
	root = json_pack("{s:s, s:s, s:s, s:o}", "chorus", "sync/1", "site",
			 s->site, "device", s->device, "items", arr);
	if (b->items == NULL || b->ids == NULL || root == NULL)
		goto done;
	if (sqlite3_prepare_v2(db,
			       "SELECT id, code, seq, channel, role, lang,"
			       " text, made_at, clock_ok, sha256, parent,"
			       " prompt FROM items"
			       " WHERE sync_state = 'pending' ORDER BY n"
			       " LIMIT ?",
			       -1, &st, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	if (queue_rows(st, arr, b, max) < 0)
		goto done;
	b->body = json_dumps(root, JSON_COMPACT);
	if (b->body == NULL)
		goto done;
	b->body_len = strlen(b->body);
	ret = 0;

done:
	sqlite3_finalize(st);
	json_decref(root);
	if (ret < 0)
		queue_release(b);
	return ret;
}

void queue_release(struct sync_batch *b)
{
	free(b->body);
	free(b->items);
	free(b->ids);
	memset(b, 0, sizeof(*b));
}

/* Moves one item on from pending, as the receipt says. */
static int queue_mark_one(sqlite3 *db, sqlite3_stmt *sent, sqlite3_stmt *rej,
			  const struct receipt_item *it, int *cloned)
{
	sqlite3_stmt *st;

	/* Another node made this code: we are a clone; see clone.c. */
	if (it->outcome == RECEIPT_REJECTED &&
	    strcmp(it->reason, "code_conflict") == 0) {
		if (!*cloned && clone_new_device(db) != SQLITE_OK)
			return SQLITE_ERROR;
		*cloned = 1;
		return clone_recode(db, it->id);
	}

	if (it->outcome == RECEIPT_SENT) {
		st = sent;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, it->id, -1, SQLITE_STATIC);
	} else if (it->outcome == RECEIPT_REJECTED) {
		st = rej;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, it->reason, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, it->id, -1, SQLITE_STATIC);
	} else {
		return SQLITE_OK;
	}
	return sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
}

int queue_mark(sqlite3 *db, const struct sync_batch *b, const char *public_url)
{
	sqlite3_stmt *sent = NULL, *rej = NULL;
	char now[STORE_TIME_LEN];
	int rc, cloned = 0;
	size_t i;

	rc = store_begin(db);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_prepare_v2(db,
				"UPDATE items SET sync_state = 'sent'"
				" WHERE id = ? AND sync_state = 'pending'",
				-1, &sent, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
					"UPDATE items SET sync_state ="
					" 'rejected', sync_note = ? WHERE id"
					" = ? AND sync_state = 'pending'",
					-1, &rej, NULL);
	for (i = 0; rc == SQLITE_OK && i < b->n; i++)
		rc = queue_mark_one(db, sent, rej, &b->items[i], &cloned);
	store_format_time(store_now_ms(), now);
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "public_url", public_url);
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "last_push", now);
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "last_error", "");
	sqlite3_finalize(sent);
	sqlite3_finalize(rej);
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	return rc;
}

int queue_note_error(sqlite3 *db, const char *what)
{
	int rc = store_begin(db);

	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "last_error", what);
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	return rc;
}
