/*
 * push_parse: reading a site's push batch at the centre.
 *
 * A site sends {"site":"K7","device":"...","items":[...]} where every
 * item carries the fields of struct item (see docs/sync-protocol.md).
 * The parser never trusts a field: each item is checked on its own and
 * either comes out valid (ready to insert) or rejected with a stable
 * reason word that travels back to the site.  One bad item never spoils
 * the others.  Whole-batch problems (not JSON, no items array, too many
 * items, a "site" that is not the token's) fail the call instead.
 *
 * This module knows nothing of HTTP or SQLite, so that unit tests and
 * fuzz harnesses can call it directly.
 */
#ifndef CHORUS_PUSH_PARSE_H
#define CHORUS_PUSH_PARSE_H

#include <jansson.h>
#include <stddef.h>

#include "item.h"

#define PUSH_ITEMS_MAX 500 /* items in one batch */
#define PUSH_ECHO_MAX 64   /* bytes of an id echoed back as sent */
#define PUSH_DEVICE_MAX 64 /* bytes of a device id */
#define PUSH_KEY_MAX 64	   /* bytes of a prompt id or endorsement target */

enum push_status {
	PUSH_VALID,	/* passed every check; not stored yet */
	PUSH_STORED,	/* inserted now */
	PUSH_DUPLICATE, /* already there with the same sha256 */
	PUSH_REJECTED,	/* see reason */
};

struct push_entry {
	/* The id exactly as sent, when it was a short string, for the answer;
	 * has_echo is 0 when the item had no usable id. */
	char echo[PUSH_ECHO_MAX + 1];
	int has_echo;
	enum push_status status;
	const char *reason;    /* static word, set when rejected */
	struct item item;      /* complete when status is PUSH_VALID */
	char parent[CODE_MAX]; /* canonical code this item adds to, or "" */
	const char *prompt;    /* the prompt it answers, or NULL */
};

struct push_batch {
	json_t *root; /* owns the text every item points into */
	char device[PUSH_DEVICE_MAX + 1];
	struct push_entry *entries;
	size_t count;
};

/*
 * Parses body[0..len) sent by site (the site the token belongs to).  On
 * success returns 0 and fills *out, which the caller releases with
 * push_batch_release().  On failure returns -1, leaves *out untouched and
 * points *why at a stable word: "json" (not a JSON object), "items" (no
 * items array), "too_many" (more than PUSH_ITEMS_MAX), "site" (the batch
 * names another site), "device" (missing or malformed device id) or
 * "memory".
 */
int push_parse(const char *body, size_t len, const char *site,
	       struct push_batch *out, const char **why);

/* Frees what push_parse() made; b is empty afterwards. */
void push_batch_release(struct push_batch *b);

/* Number of entries in b with status st. */
size_t push_count(const struct push_batch *b, enum push_status st);

/* True when s[0..len) is a device id: 1 to 64 of A-Z a-z 0-9 - _. */
int push_device_ok(const char *s, size_t len);

/*
 * The handshake a site opens each sync with:
 * {"device": ..., "site": optional, "sent_at": ms on the site's clock}.
 */
struct push_hello {
	char device[PUSH_DEVICE_MAX + 1];
	int has_sent_at;
	int64_t sent_at;
};

/*
 * Parses a hello from site.  0 and *out filled, or -1 with *why "json",
 * "site", "device" or "sent_at" (*out untouched).
 */
int push_parse_hello(const char *body, size_t len, const char *site,
		     struct push_hello *out, const char **why);

/* One endorsement of a batch, checked like an item. */
struct push_vote {
	char echo[PUSH_ECHO_MAX + 1];
	int has_echo;
	enum push_status status;
	const char *reason;
	char id[CODE_ID_LEN + 1];
	const char *target; /* a code or an idea key, PUSH_KEY_MAX at most */
	const char *voter;  /* a keyed hash in lower-case hex */
	const char *channel;
	int64_t made_at;
};

struct push_votes {
	json_t *root;
	char device[PUSH_DEVICE_MAX + 1];
	struct push_vote *votes;
	size_t count;
};

/*
 * Parses {"device", "endorsements": [{"id", "target", "voter",
 * "channel", "made_at"}]} from site, like push_parse().  Whole-batch
 * words: "json", "site", "device", "endorsements", "too_many", "memory".
 */
int push_parse_votes(const char *body, size_t len, const char *site,
		     struct push_votes *out, const char **why);

void push_votes_release(struct push_votes *b);

#endif
