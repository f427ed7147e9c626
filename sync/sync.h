/*
 * sync: the site side of pushing items to the centre, shared between
 * the files of sync/.
 *
 * queue.c reads batches of pending items and records what the centre
 * confirmed; client.c carries one batch over HTTP with libcurl;
 * receipt.c judges the answer; sync.c runs passes once or in a loop.
 * An item's sync_state at a site moves only from "pending" to "sent" or
 * "rejected", and only inside queue_mark(), from a receipt that
 * receipt_check() accepted.
 */
#ifndef CHORUS_SYNC_H
#define CHORUS_SYNC_H

#include <sqlite3.h>
#include <stddef.h>

#include "buf.h"
#include "code.h"
#include "receipt.h"

#define SYNC_BATCH 100 /* items per push */
#define SYNC_TOKEN_MAX 256

/* What a site database says about where and how to push. */
struct sync_setup {
	char central_url[RECEIPT_URL_MAX];
	char token[SYNC_TOKEN_MAX];
	char site[CODE_SITE_LEN + 1];
	char device[64];
};

/* One batch on its way: the JSON body and the ids it carries. */
struct sync_batch {
	char *body; /* JSON text, malloc'd */
	size_t body_len;
	struct receipt_item *items;
	char (*ids)[CODE_ID_LEN + 1];
	size_t n;
};

/*
 * Reads the settings "chorus init" wrote.  0, or -1 with a reason word
 * in *why ("setup" when a setting is missing, "storage" on error).
 */
int queue_setup(sqlite3 *db, struct sync_setup *s, const char **why);

/*
 * Loads up to max pending items, oldest first, into b.  0 (b->n may be
 * 0 when nothing is pending) or -1; release b with queue_release().
 */
int queue_load(sqlite3 *db, const struct sync_setup *s, size_t max,
	       struct sync_batch *b);

void queue_release(struct sync_batch *b);

/*
 * Records a receipt that receipt_check() accepted, in one transaction:
 * sent items become "sent", rejected ones "rejected" with the reason in
 * sync_note, and meta gets public_url, last_push and an empty last_error.
 * Returns an SQLite code; on failure nothing changed.
 */
int queue_mark(sqlite3 *db, const struct sync_batch *b, const char *public_url);

/* Sets meta last_error (a short line without personal data). */
int queue_note_error(sqlite3 *db, const char *what);

/* The answer to one push as the transport saw it. */
struct client_answer {
	long status;
	char ctype[128];
	char marker[16];
	struct buf body;
	char error[256]; /* set when the transfer itself failed */
};

/* Called often during a transfer; returning non-zero abandons it. */
typedef int (*client_stop_fn)(void);

/*
 * POSTs b to URL/sync/push with the token.  Returns 0 when an HTTP
 * answer came back (any status) and fills *a; -1 when the transfer
 * failed (a->error says why).  a->body is always initialised; release
 * it with buf_release().
 */
int client_push(const struct sync_setup *s, const struct sync_batch *b,
		client_stop_fn stop, struct client_answer *a);

#endif
