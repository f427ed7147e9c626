/*
 * item: one thing a person said, as Chorus stores it.
 *
 * An item is made once, where it was said, and never changes: its id,
 * code, text and the site's time stamp travel unchanged to the centre.
 * The roles and languages an item may carry are fixed lists, so that a
 * report can count them; "unsaid" is the role of a person who would
 * rather not say.
 */
#ifndef CHORUS_ITEM_H
#define CHORUS_ITEM_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "code.h"
#include "crypto.h"

/* Clocks before this (2024-01-01 UTC) are taken to be wrong. */
#define ITEM_CLOCK_FLOOR_MS 1704067200000LL

struct item {
	char id[CODE_ID_LEN + 1];
	char code[CODE_MAX];
	char site[CODE_SITE_LEN + 1];
	int64_t seq;
	const char *channel; /* "kiosk", "sms" or "web" */
	const char *role;    /* one of item_roles */
	const char *lang;    /* one of the catalogue's languages */
	const char *text;    /* valid UTF-8, no NUL */
	size_t text_len;
	const char *prompt; /* the prompt it answers, or NULL */
	int64_t made_at;    /* ms on the site's clock */
	int clock_ok;
	char sha256[CRYPTO_SHA256_HEX];
};

/* The roles, NULL-terminated: student, family, staff, community, unsaid. */
extern const char *const item_roles[];

/* The matching entry of item_roles for s (any case), or NULL. */
const char *item_role(const char *s, size_t len);

/*
 * Completes it and inserts it into a site database, inside a transaction
 * the caller has begun.  The caller sets channel, role, lang, text and
 * text_len; this sets site (from meta), seq (the next at this site), id,
 * code, made_at, clock_ok and sha256.  Returns an SQLite code; on failure
 * the caller rolls back.  prompt, when set, is stored with the item.
 */
int item_create(sqlite3 *db, struct item *it);

/*
 * The content hash that travels with an item: SHA-256 over id, code,
 * channel, role, lang and text, each followed by a NUL byte.  Returns 0,
 * or -1 when memory ran out.
 */
int item_hash(const struct item *it, char out[CRYPTO_SHA256_HEX]);

#endif
