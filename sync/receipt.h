/*
 * receipt: deciding what a push answer confirms, at the site.
 *
 * A site may mark an item sent only when the centre has said, in a
 * complete and well-formed answer, that the item is stored.  Anything
 * between the site and the centre can answer instead: a captive portal
 * with a 200 and a login page, a proxy with a cut body, a server that is
 * not Chorus.  receipt_check() is the one judge.  An answer counts only
 * when all of these hold:
 *
 *  - HTTP status 200;
 *  - Content-Type application/json (parameters such as charset allowed);
 *  - the header X-Chorus-Sync: 1;
 *  - the body is one JSON object with "chorus": "sync/1", a string
 *    "public_url" that is an http(s) URL, and an array "results" that
 *    answers every id sent exactly once, and no other id, each with
 *    "status" "stored", "duplicate" or "rejected".
 *
 * Otherwise nothing at all is confirmed.  This module knows nothing of
 * curl or SQLite, so unit tests and fuzz harnesses can call it.
 */
#ifndef CHORUS_RECEIPT_H
#define CHORUS_RECEIPT_H

#include <stddef.h>

#define RECEIPT_REASON_MAX 64 /* bytes of a rejection reason, NUL included */
#define RECEIPT_URL_MAX 512   /* bytes of the public URL, NUL included */

enum receipt_verdict {
	RECEIPT_OK,	    /* every item has an outcome */
	RECEIPT_AUTH,	    /* 401 or 403: the centre refused the token */
	RECEIPT_HTTP,	    /* some other status than 200 */
	RECEIPT_NOT_CHORUS, /* wrong content type or no marker header */
	RECEIPT_MALFORMED,  /* the body is not a well-formed answer */
	RECEIPT_INCOMPLETE, /* an id sent is not answered, or a stranger is */
};

enum receipt_outcome {
	RECEIPT_UNCONFIRMED, /* not confirmed: stays pending */
	RECEIPT_SENT,	     /* stored or duplicate at the centre */
	RECEIPT_REJECTED,    /* refused for good; reason says why */
};

struct receipt_item {
	const char *id; /* in: the id that was sent */
	enum receipt_outcome outcome;
	char reason[RECEIPT_REASON_MAX]; /* printable ASCII when rejected */
};

/* What came back from the centre, as the transport saw it. */
struct receipt_answer {
	long status;
	const char *ctype;  /* Content-Type header, or NULL */
	const char *marker; /* X-Chorus-Sync header, or NULL */
	const char *body;   /* may hold NUL bytes; body_len is the truth */
	size_t body_len;
};

/*
 * Judges a against the n items sent.  On RECEIPT_OK every items[i] has
 * outcome SENT or REJECTED and public_url holds the centre's URL.  On
 * any other verdict every outcome is RECEIPT_UNCONFIRMED and public_url
 * is untouched.
 */
enum receipt_verdict receipt_check(const struct receipt_answer *a,
				   struct receipt_item *items, size_t n,
				   char public_url[RECEIPT_URL_MAX]);

/* A stable word for v: "ok", "auth", "http", "not_chorus", ... */
const char *receipt_word(enum receipt_verdict v);

#endif
