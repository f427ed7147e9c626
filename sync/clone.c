/*
 * clone: what a site node does when it finds it is a clone.
 *
 * Two nodes made from one disk image share the site code, the device id
 * and the sequence counter, so both make an item with code K70011X.
 * Their ids differ (they are random), so the centre stores the first it
 * receives and answers the second "rejected: code_conflict".  The node
 * that got that answer is the clone: it takes a fresh random device id
 * (so the centre tells the two apart from then on) and gives each of its
 * conflicting items a new sequence from a block no other node uses: the
 * block the centre advertised in the last handshake ("seq_block", above
 * every sequence the centre holds for the site), or else the next block
 * above its own highest sequence.  The item keeps its id; its code and
 * hash are made again, and sync_note says which code it had.  The code
 * printed for the person before the clash is lost to them: see
 * docs/KNOWN-ISSUES.md.
 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "item.h"
#include "store.h"
#include "sync.h"

#define CLONE_BLOCK (1LL << 20)

int clone_new_device(sqlite3 *db)
{
	char old[64], hex[17];
	int rc;

	if (store_meta_get(db, "device", old, sizeof(old)) < 0 ||
	    crypto_random_hex(hex, 8) < 0)
		return SQLITE_ERROR;
	rc = store_meta_set(db, "device_before_clone", old);
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "device", hex);
	return rc;
}

/* The first sequence the recoded item may take. */
static long long clone_next_seq(sqlite3 *db, const char *site)
{
	sqlite3_stmt *st = NULL;
	char block[32];
	long long top = -1, floor = 0;

	if (sqlite3_prepare_v2(db,
			       "SELECT coalesce(max(seq), 0) FROM items"
			       " WHERE site = ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			top = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (top < 0)
		return -1;
	if (store_meta_get(db, "seq_block", block, sizeof(block)) == 0 &&
	    sscanf(block, "%lld", &floor) != 1)
		floor = 0;
	if (floor <= 0)
		floor = (top / CLONE_BLOCK + 1) * CLONE_BLOCK;
	return top + 1 > floor ? top + 1 : floor;
}

/* Loads the fields of item id that its code and hash depend on. */
static int clone_load(sqlite3_stmt *st, struct item *it, char *old,
		      size_t oldlen)
{
	if (sqlite3_step(st) != SQLITE_ROW)
		return -1;
	snprintf(it->id, sizeof(it->id), "%s", sqlite3_column_text(st, 0));
	snprintf(old, oldlen, "%s", sqlite3_column_text(st, 1));
	snprintf(it->site, sizeof(it->site), "%s", sqlite3_column_text(st, 2));
	it->channel = (const char *)sqlite3_column_text(st, 3);
	it->role = (const char *)sqlite3_column_text(st, 4);
	it->lang = (const char *)sqlite3_column_text(st, 5);
	it->text = (const char *)sqlite3_column_text(st, 6);
	it->text_len = (size_t)sqlite3_column_bytes(st, 6);
	return it->channel && it->role && it->lang && it->text ? 0 : -1;
}

static int clone_update(sqlite3 *db, const struct item *it, const char *old)
{
	sqlite3_stmt *st = NULL;
	char device[64], note[64];
	int rc;

	if (store_meta_get(db, "device", device, sizeof(device)) != 0)
		return SQLITE_ERROR;
	snprintf(note, sizeof(note), "recoded from %s", old);
	rc = sqlite3_prepare_v2(
		db,
		"UPDATE items SET seq = ?, code = ?, sha256 = ?,"
		" device = ?, sync_note = ? WHERE id = ?"
		" AND sync_state = 'pending'",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, it->seq);
	sqlite3_bind_text(st, 2, it->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, it->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, device, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, it->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	sqlite3_finalize(st);
	return rc;
}

int clone_recode(sqlite3 *db, const char *id)
{
	sqlite3_stmt *st = NULL;
	struct item it;
	char old[CODE_MAX];
	int rc = SQLITE_ERROR;

	memset(&it, 0, sizeof(it));
	if (sqlite3_prepare_v2(db,
			       "SELECT id, code, site, channel, role, lang,"
			       " text FROM items WHERE id = ?"
			       " AND sync_state = 'pending'",
			       -1, &st, NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (clone_load(st, &it, old, sizeof(old)) < 0) {
		rc = SQLITE_OK; /* no longer pending: nothing to do */
		goto done;
	}
	it.seq = clone_next_seq(db, it.site);
	if (it.seq < 1 || code_make(it.code, it.site, (uint64_t)it.seq) < 0 ||
	    item_hash(&it, it.sha256) < 0)
		goto done;
	rc = clone_update(db, &it, old);

done:
	sqlite3_finalize(st);
	return rc;
}
