/*
 * answer: judging the centre's answers to a handshake and to a pull, at
 * the site.  Like receipt.c for a push, an answer counts only when it is
 * a complete, well-formed answer from Chorus: status 200, Content-Type
 * application/json, the header X-Chorus-Sync: 1, and a body of the
 * shape below.  Anything else confirms nothing and changes nothing.
 * This module knows nothing of curl or SQLite, so unit tests and fuzz
 * harnesses call it directly.
 */
#ifndef CHORUS_ANSWER_H
#define CHORUS_ANSWER_H

#include <jansson.h>
#include <stddef.h>

#include "receipt.h"

#define ANSWER_KEY_MAX 64 /* bytes of a feed kind or key */

/*
 * The handshake: {"chorus": "sync/1", "high_water", "items",
 * "endorsements", "seq_block", "batch_max", "body_max", "feed_seq"},
 * every one an integer >= 0 (batch_max and body_max >= 1).
 */
struct answer_hello {
	long long high_water; /* highest sequence held for this device */
	long long items;      /* items held for this device */
	long long endorsements;
	long long seq_block; /* first sequence of a block nobody uses */
	long long batch_max;
	long long body_max;
	long long feed_seq;
};

/* RECEIPT_OK and *out filled, or another verdict (*out untouched). */
enum receipt_verdict answer_hello(const struct receipt_answer *a,
				  struct answer_hello *out);

/* One pulled row; kind, key and data point into the page's root. */
struct answer_row {
	long long seq;
	const char *kind;
	const char *key;
	int deleted;
	json_t *data; /* an object, or NULL for a tombstone (borrowed) */
};

/*
 * A page: {"chorus": "sync/1", "rows": [{"seq", "kind", "key",
 * "deleted", "data"}], "next", "more"}.  Rows have increasing seq, all
 * above since; next is at least the last row's seq and at least since; a
 * tombstone has data null, any other row an object.
 */
struct answer_page {
	json_t *root;
	struct answer_row *rows;
	size_t n;
	long long next;
	int more;
};

/*
 * Judges a page pulled from since.  RECEIPT_OK with *out filled (release
 * it with answer_page_release()), or another verdict with *out empty.
 * A 410 is RECEIPT_HTTP; the caller reads a->status.
 */
enum receipt_verdict answer_pull(const struct receipt_answer *a,
				 long long since, struct answer_page *out);

void answer_page_release(struct answer_page *p);

#endif
