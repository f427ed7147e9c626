/*
 * sms_follow: follows kept at the site and the news a pulled notice
 * sends to them.  See sms_follow.h.
 */
#include "sms_follow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "gsm7.h"
#include "log.h"
#include "sms_channel.h"
#include "sms_phone.h"
#include "sms_store.h"
#include "store.h"

/* One follow a notice is about. */
struct sms_follow_row {
	int64_t n;
	char code[CODE_MAX];
	char channel[SMS_CHANNEL_NAME_MAX + 1];
	char hash[CRYPTO_SHA256_HEX];
	char number[SMS_PHONE_KEY_MAX];
	int opted_out;
	int bad; /* a column did not fit: forget the row, send nothing */
};

/* Column i into out (room for n): 0, or -1 when it did not fit. */
static int sms_follow_col(sqlite3_stmt *st, int i, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	size_t len = t ? strlen((const char *)t) : 0;

	out[0] = '\0';
	if (len >= n)
		return -1;
	if (len > 0)
		memcpy(out, t, len + 1);
	return 0;
}

int sms_follow_latest(sqlite3 *db, const char *channel, const char *hash,
		      char code[CODE_MAX])
{
	sqlite3_stmt *st = NULL;
	int rc;

	code[0] = '\0';
	rc = sqlite3_prepare_v2(db,
				"SELECT code FROM sms_messages"
				" WHERE channel = ? AND from_hash = ?"
				" AND item_id IS NOT NULL AND (keyword IS NULL"
				" OR keyword NOT IN ('stop','start','help'))"
				" ORDER BY n DESC LIMIT 1",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sms_follow_col(st, 0, code, CODE_MAX) < 0)
		code[0] = '\0';
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int sms_follow_add(sqlite3 *db, const char *code, const char *channel,
		   const char *hash, const char *number)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"INSERT INTO sms_follow (code, channel,"
				" to_hash, to_number, made_at)"
				" VALUES (?, ?, ?, ?, ?)"
				" ON CONFLICT (code, to_hash) DO UPDATE SET"
				" channel = excluded.channel,"
				" to_number = excluded.to_number",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, store_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Deletes rows of sms_follow matching sql's one text parameter. */
static int sms_follow_delete(sqlite3 *db, const char *sql, const char *v,
			     int64_t n)
{
	sqlite3_stmt *st = NULL;
	int rc;

	/* The rows hold numbers: leave no copy in free space. */
	rc = store_exec(db, "PRAGMA secure_delete = ON");
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	if (v != NULL)
		sqlite3_bind_text(st, 1, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, n);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int sms_follow_forget(sqlite3 *db, const char *hash)
{
	return sms_follow_delete(db, "DELETE FROM sms_follow WHERE to_hash = ?",
				 hash, 0);
}

static int sms_follow_segments(const struct buf *b)
{
	struct gsm7_plan p;

	if (gsm7_plan(b->data ? b->data : "", b->len, &p) < 0)
		return SMS_REPLY_SEGMENTS + 1;
	return p.segments;
}

int sms_follow_text(const char *lang, const char *code, const char *title,
		    const char *url, struct buf *out)
{
	size_t full = strlen(title), tlen = full;
	int rc;

	for (;;) {
		buf_clear(out);
		rc = sms_reply_text(lang, "sms.news", code, NULL, NULL, out);
		rc |= buf_putc(out, ' ');
		rc |= buf_append(out, title, tlen);
		if (tlen < full)
			rc |= buf_puts(out, "...");
		rc |= buf_putc(out, ' ');
		rc |= buf_puts(out, url);
		if (rc < 0)
			return -1;
		if (sms_follow_segments(out) <= SMS_REPLY_SEGMENTS)
			return 0;
		if (tlen == 0)
			return -1;
		/* One character shorter, cut at a character boundary. */
		do
			tlen--;
		while (tlen > 0 && ((unsigned char)title[tlen] & 0xC0) == 0x80);
	}
}

/* The next follow of the idea or its items (in list, JSON): 1, 0 none. */
static int sms_follow_next(sqlite3 *db, const char *idea, const char *list,
			   struct sms_follow_row *r, int *rcp)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*rcp = sqlite3_prepare_v2(
		db,
		"SELECT f.n, f.code, f.channel, f.to_hash, f.to_number,"
		" coalesce(c.opted_out, 0) FROM sms_follow f"
		" LEFT JOIN contacts c ON c.hash = f.to_hash"
		" WHERE f.code = ?1 OR f.code IN"
		" (SELECT value FROM json_each(?2) WHERE type = 'text')"
		" ORDER BY f.n LIMIT 1",
		-1, &st, NULL);
	if (*rcp != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, idea, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, list, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->n = sqlite3_column_int64(st, 0);
		r->bad =
			(sms_follow_col(st, 1, r->code, sizeof(r->code)) |
			 sms_follow_col(st, 2, r->channel, sizeof(r->channel)) |
			 sms_follow_col(st, 3, r->hash, sizeof(r->hash)) |
			 sms_follow_col(st, 4, r->number, sizeof(r->number))) !=
			0;
		r->opted_out = sqlite3_column_int(st, 5);
	}
	sqlite3_finalize(st);
	*rcp = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
	return rc == SQLITE_ROW;
}

/* Marks that hash heard about idea; *first when it had not before. */
static int sms_follow_once(sqlite3 *db, const char *idea, const char *hash,
			   const char *notice, int *first)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"INSERT INTO sms_follow_sent (idea, to_hash,"
				" notice, made_at) VALUES (?, ?, ?, ?)"
				" ON CONFLICT (idea, to_hash) DO NOTHING",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, idea, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, notice, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, store_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	*first = rc == SQLITE_DONE && sqlite3_changes(db) > 0;
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int sms_follow_queue(sqlite3 *db, const struct sms_follow_row *r,
			    const struct buf *text)
{
	sqlite3_stmt *st = NULL;
	int64_t now = store_now_ms();
	int rc;

	rc = sqlite3_prepare_v2(
		db,
		"INSERT INTO sms_outbox (channel, code, to_hash,"
		" to_number, body, next_at, made_at)"
		" VALUES (?,?,?,?,?,?,?)",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, r->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->number, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, text->data, (int)text->len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, now);
	sqlite3_bind_int64(st, 7, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The strings of a notice's data that the news needs. */
struct sms_notice {
	const char *id, *idea, *title, *url, *lang;
	char *list; /* the item codes as JSON */
};

/* One follow: the news once per idea and phone, then the row goes. */
static int sms_follow_one(sqlite3 *db, const struct sms_notice *nt,
			  const struct sms_follow_row *r, struct buf *text)
{
	int rc = SQLITE_OK, first = 0;

	if (!r->bad && !r->opted_out && r->number[0] != '\0')
		rc = sms_follow_once(db, nt->idea, r->hash, nt->id, &first);
	if (rc == SQLITE_OK && first) {
		if (sms_follow_text(nt->lang, r->code, nt->title, nt->url,
				    text) == 0)
			rc = sms_follow_queue(db, r, text);
		else
			log_warn("sms: news of idea %s does not fit an SMS",
				 nt->idea);
	}
	if (rc == SQLITE_OK)
		rc = sms_follow_delete(db, "DELETE FROM sms_follow WHERE n = ?",
				       NULL, r->n);
	return rc;
}

/*
 * Reads data into nt: 0, -1 when it is not a notice to text, -2 when
 * memory ran out.
 */
static int sms_notice_read(json_t *data, struct sms_notice *nt)
{
	json_t *items;

	memset(nt, 0, sizeof(*nt));
	if (!json_is_object(data) ||
	    !json_is_true(json_object_get(data, "sms")))
		return -1;
	nt->id = json_string_value(json_object_get(data, "id"));
	nt->idea = json_string_value(json_object_get(data, "idea"));
	nt->title = json_string_value(json_object_get(data, "title"));
	nt->url = json_string_value(json_object_get(data, "url"));
	nt->lang = json_string_value(json_object_get(data, "lang"));
	items = json_object_get(data, "items");
	if (nt->idea == NULL || nt->title == NULL || nt->url == NULL)
		return -1;
	if (nt->id == NULL)
		nt->id = "";
	if (nt->lang == NULL)
		nt->lang = "en";
	nt->list = json_is_array(items) ? json_dumps(items, JSON_COMPACT)
					: strdup("[]");
	return nt->list == NULL ? -2 : 0;
}

int sms_follow_notice(sqlite3 *db, json_t *data)
{
	struct sms_notice nt;
	struct sms_follow_row r;
	struct buf text;
	int rc = sms_notice_read(data, &nt);

	if (rc < 0)
		return rc == -1 ? SQLITE_OK : SQLITE_NOMEM;
	buf_init(&text, 4096);
	while (sms_follow_next(db, nt.idea, nt.list, &r, &rc) &&
	       rc == SQLITE_OK) {
		rc = sms_follow_one(db, &nt, &r, &text);
		if (rc != SQLITE_OK)
			break;
	}
	buf_release(&text);
	free(nt.list);
	return rc;
}
