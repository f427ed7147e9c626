/*
 * sms_store: storing an incoming SMS.  See sms_store.h.
 */
#include "sms_store.h"

#include <string.h>

#include "i18n.h"
#include "item.h"
#include "sms_keyword.h"
#include "store.h"

int sms_ack_text(const char *lang, const char *code, struct buf *out)
{
	const char *t = i18n_get(lang, "sms.ack");
	const char *at = strstr(t, "{code}");

	if (at == NULL)
		return buf_puts(out, t);
	if (buf_append(out, t, (size_t)(at - t)) < 0 || buf_puts(out, code) < 0)
		return -1;
	return buf_puts(out, at + 6);
}

/* Step 1: the code of an earlier delivery, if there was one. */
static int sms_store_find(sqlite3 *db, struct sms_incoming *in)
{
	sqlite3_stmt *st = NULL;
	const unsigned char *code;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"SELECT code FROM sms_messages"
				" WHERE channel = ? AND provider_id = ?",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, in->ch->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, in->msg.provider_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		in->replay = 1;
		code = sqlite3_column_text(st, 0);
		memcpy(in->code, "", 1);
		if (code != NULL && strlen((const char *)code) < CODE_MAX)
			memcpy(in->code, code, strlen((const char *)code) + 1);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Whether the sender is opted out now (0 when unknown). */
static int sms_store_opted_out(sqlite3 *db, const char *hash, int *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*out = 0;
	rc = sqlite3_prepare_v2(db,
				"SELECT opted_out FROM contacts WHERE hash = ?",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Step 3: the contacts row; opted is the new opt-out state. */
static int sms_store_contact(sqlite3 *db, const char *hash, int opted)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"INSERT INTO contacts (hash, opted_out,"
				" changed_at) VALUES (?, ?, ?)"
				" ON CONFLICT (hash) DO UPDATE SET"
				" opted_out = excluded.opted_out,"
				" changed_at = excluded.changed_at"
				" WHERE opted_out <> excluded.opted_out",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, opted);
	sqlite3_bind_int64(st, 3, store_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Step 4. */
static int sms_store_reply(struct sms_incoming *in, enum sms_keyword kw,
			   int was_out)
{
	const char *lang = in->ch->lang;

	if (in->sender.kind != SMS_FROM_E164)
		return 0;
	switch (kw) {
	case SMS_KW_STOP:
		return was_out ? 0
			       : buf_puts(&in->reply,
					  i18n_get(lang, "sms.stop_confirm"));
	case SMS_KW_START:
		return buf_puts(&in->reply,
				i18n_get(lang, "sms.start_confirm"));
	case SMS_KW_HELP:
		return was_out ? 0
			       : buf_puts(&in->reply,
					  i18n_get(lang, "sms.help"));
	case SMS_KW_NONE:
		break;
	}
	return was_out ? 0 : sms_ack_text(lang, in->code, &in->reply);
}

/* Step 5. */
static int sms_store_row(sqlite3 *db, const struct sms_incoming *in,
			 const struct item *it, enum sms_keyword kw)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(
		db,
		"INSERT INTO sms_messages (channel, provider_id, item_id,"
		" code, from_hash, from_kind, keyword, provider_time, media,"
		" acked, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, in->ch->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, in->msg.provider_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, it->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, it->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, in->from_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, sms_phone_kind_name(in->sender.kind), -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 7, sms_keyword_name(kw), -1, SQLITE_STATIC);
	if (in->msg.provider_time[0] != '\0')
		sqlite3_bind_text(st, 8, in->msg.provider_time, -1,
				  SQLITE_STATIC);
	sqlite3_bind_text(st, 9, in->msg.media, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 10, in->reply.len > 0);
	sqlite3_bind_int64(st, 11, store_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int sms_store_apply(sqlite3 *db, struct sms_incoming *in)
{
	struct item it;
	enum sms_keyword kw;
	int rc, was_out = 0, phone = in->sender.kind == SMS_FROM_E164;

	buf_clear(&in->reply);
	rc = sms_store_find(db, in);
	if (rc != SQLITE_OK || in->replay)
		return rc;

	memset(&it, 0, sizeof(it));
	it.channel = "sms";
	it.role = "unsaid";
	it.lang = in->ch->lang;
	it.text = in->msg.text.data ? in->msg.text.data : "";
	it.text_len = in->msg.text.len;
	rc = item_create(db, &it);
	if (rc != SQLITE_OK)
		return rc;
	memcpy(in->code, it.code, sizeof(in->code));

	kw = sms_keyword_match(it.text, it.text_len);
	if (phone) {
		rc = sms_store_opted_out(db, in->from_hash, &was_out);
		if (rc == SQLITE_OK)
			rc = sms_store_contact(db, in->from_hash,
					       kw == SMS_KW_STOP    ? 1
					       : kw == SMS_KW_START ? 0
								    : was_out);
		if (rc != SQLITE_OK)
			return rc;
	}
	if (sms_store_reply(in, kw, was_out) < 0)
		return SQLITE_NOMEM;
	return sms_store_row(db, in, &it, kw);
}
