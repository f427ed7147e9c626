/*
 * item: making items at a site.  See item.h.
 */
#include "item.h"

#include <string.h>
#include <strings.h>

#include "buf.h"
#include "store.h"

const char *const item_roles[] = {"student",   "family", "staff",
				  "community", "unsaid", NULL};

const char *item_role(const char *s, size_t len)
{
	size_t i;

	for (i = 0; item_roles[i] != NULL; i++)
		if (strlen(item_roles[i]) == len &&
		    strncasecmp(item_roles[i], s, len) == 0)
			return item_roles[i];
	return NULL;
}

int item_hash(const struct item *it, char out[CRYPTO_SHA256_HEX])
{
	const char *parts[6];
	size_t lens[6], i;
	struct buf b;

	parts[0] = it->id;
	parts[1] = it->code;
	parts[2] = it->channel;
	parts[3] = it->role;
	parts[4] = it->lang;
	parts[5] = it->text;
	buf_init(&b, (size_t)-1);
	for (i = 0; i < 6; i++) {
		lens[i] = i == 5 ? it->text_len : strlen(parts[i]);
		if (buf_append(&b, parts[i], lens[i]) < 0 ||
		    buf_putc(&b, '\0') < 0) {
			buf_release(&b);
			return -1;
		}
	}
	crypto_sha256_hex(b.data, b.len, out);
	buf_release(&b);
	return 0;
}

/* The next sequence number at this site: one past the highest stored. */
static int item_next_seq(sqlite3 *db, const char *site, int64_t *seq)
{
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(db, "SELECT coalesce(max(seq), 0) + 1 FROM items"
			    " WHERE site = ?");
	if (st == NULL)
		return sqlite3_errcode(db);
	sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	store_stmt_done(st);
	return rc;
}

static int item_insert(sqlite3 *db, const struct item *it, const char *dev)
{
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(db,
			"INSERT INTO items (id, code, site, seq, device,"
			" channel, role, lang, text, made_at, clock_ok, sha256,"
			" prompt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
			" ?)");
	if (st == NULL)
		return sqlite3_errcode(db);
	sqlite3_bind_text(st, 1, it->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, it->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, it->site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, it->seq);
	sqlite3_bind_text(st, 5, dev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, it->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, it->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, it->lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, it->text, (int)it->text_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, it->made_at);
	sqlite3_bind_int(st, 11, it->clock_ok);
	sqlite3_bind_text(st, 12, it->sha256, -1, SQLITE_STATIC);
	if (it->prompt != NULL)
		sqlite3_bind_text(st, 13, it->prompt, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_stmt_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int item_create(sqlite3 *db, struct item *it)
{
	char device[64];
	int rc;

	if (store_meta_get(db, "site", it->site, sizeof(it->site)) != 0 ||
	    store_meta_get(db, "device", device, sizeof(device)) != 0)
		return SQLITE_MISUSE;
	rc = item_next_seq(db, it->site, &it->seq);
	if (rc != SQLITE_OK)
		return rc;

	it->made_at = store_now_ms();
	it->clock_ok = it->made_at >= ITEM_CLOCK_FLOOR_MS;
	if (code_make_id(it->id,
			 (uint64_t)(it->made_at < 0 ? 0 : it->made_at)) < 0 ||
	    code_make(it->code, it->site, (uint64_t)it->seq) < 0 ||
	    item_hash(it, it->sha256) < 0)
		return SQLITE_NOMEM;
	return item_insert(db, it, device);
}
