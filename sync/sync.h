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

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

#include "buf.h"
#include "code.h"
#include "receipt.h"

#define SYNC_BATCH 500 /* items per push, unless the centre says less */
#define SYNC_TOKEN_MAX 256
#define SYNC_PIN_MAX 256
#define SYNC_SKEW_MAX_MS (5 * 60 * 1000) /* a clock further off is wrong */

/* What a site database says about where and how to push. */
struct sync_setup {
	char central_url[RECEIPT_URL_MAX];
	char token[SYNC_TOKEN_MAX];
	char site[CODE_SITE_LEN + 1];
	char device[64];
	char pin[SYNC_PIN_MAX]; /* "sha256//BASE64" public key pin, or "" */
	size_t batch;		/* items per push (the centre's limit) */
	size_t body_max;	/* bytes per push (the centre's limit) */
};

/*
 * True when url may carry a token: https://, or http:// to a loopback
 * host (127.0.0.0/8, localhost, [::1]), or any http:// when allow_http.
 */
int sync_url_allowed(const char *url, int allow_http);

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
 * in *why ("setup" when a setting is missing, "insecure" when the URL is
 * plain HTTP to another machine without allow_http, "storage" on error).
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

/*
 * clone.c: a node that learns another node made the same codes (two
 * kiosks from one disk image) takes a new device id and moves its own
 * conflicting items to a fresh block of sequences.  Both run inside the
 * caller's transaction and return an SQLite code.
 */
int clone_new_device(sqlite3 *db);
int clone_recode(sqlite3 *db, const char *id);

/* Sets meta last_error (a short line without personal data). */
int queue_note_error(sqlite3 *db, const char *what);

/* The answer to one push as the transport saw it. */
struct client_answer {
	long status;
	char ctype[128];
	char marker[16];
	char date[64]; /* the Date header, or "" */
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

/*
 * Like client_push() for any path of the centre: a POST of body[0..len)
 * as JSON, or a GET when body is NULL.
 */
int client_request(const struct sync_setup *s, const char *path,
		   const char *body, size_t len, client_stop_fn stop,
		   struct client_answer *a);

/* What a handshake found. */
struct sync_hello {
	long long requeued; /* items and endorsements to send again */
	long long skew_ms;  /* site clock minus the centre's Date */
	int clock_wrong;    /* |skew_ms| > SYNC_SKEW_MAX_MS */
};

enum {
	SYNC_HELLO_OK,
	SYNC_HELLO_NETWORK, /* no answer */
	SYNC_HELLO_AUTH,    /* token refused */
	SYNC_HELLO_BAD,	    /* an answer that is not a Chorus hello */
	SYNC_HELLO_STORAGE, /* the site database failed */
};

/*
 * hello.c: the handshake.  Sends again what the centre lost, checks the
 * site clock, and sets s->batch and s->body_max from the centre's
 * limits.  Returns a SYNC_HELLO_ value; on failure err has one line.
 */
int sync_hello(sqlite3 *db, struct sync_setup *s, client_stop_fn stop,
	       struct sync_hello *out, char *err, size_t errlen);

/*
 * pull.c: pulls the feed page by page, each page and its cursor in one
 * transaction.  0 when up to date (*rows counts what was applied), -1
 * with err set.  *auth is set when the token was refused.
 */
int sync_pull(sqlite3 *db, const struct sync_setup *s, client_stop_fn stop,
	      long long *rows, int *auth, char *err, size_t errlen);

/*
 * votes.c: pushes pending endorsements in batches until none are left.
 * 0, or -1 with err set (and *auth when the token was refused).
 */
int sync_votes(sqlite3 *db, const struct sync_setup *s, client_stop_fn stop,
	       size_t *sent, int *auth, char *err, size_t errlen);

/*
 * status.c: the site's sync status as a JSON object (queue depth, the
 * oldest unsent item, last push and pull, last error, clock, WAL size),
 * for "chorus sync --status" and the kiosk's admin screen.  path is the
 * database file (for the WAL's size).  NULL on failure.
 */
json_t *sync_status(sqlite3 *db, const char *path);

#endif
