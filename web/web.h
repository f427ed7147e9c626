/*
 * web: the central server's parts, shared between its files.
 *
 * One struct web lives for the whole run of "chorus web".  Its database
 * connections form a small pool, one per server thread, so that no two
 * threads ever share a connection; a handler takes one with web_db_get()
 * and gives it back with web_db_put() before it returns.
 */
#ifndef CHORUS_WEB_H
#define CHORUS_WEB_H

#include <microhttpd.h>
#include <pthread.h>
#include <sqlite3.h>

#include "code.h"
#include "http.h"

#define WEB_THREADS 2
#define WEB_BODY_MAX (4u * 1024 * 1024)	      /* bytes of one push batch */
#define WEB_URL_MAX 512			      /* bytes of the public URL */
#define WEB_LANG_COOKIE "chorus_lang"	      /* the language a reader chose */
#define WEB_LANG_AGE_S (400LL * 24 * 60 * 60) /* its Max-Age: 400 days */
#define WEB_LANG_SET_MAX 128 /* bytes of its Set-Cookie value */

struct form;

struct web {
	char public_url[WEB_URL_MAX];
	pthread_mutex_t lock;
	pthread_cond_t freed;
	sqlite3 *idle[WEB_THREADS];
	size_t nidle;
	struct cycle_state *cycle; /* the knowledge cycle (cycle.h) */
};

/* A connection of the pool; waits while every one is in use. */
sqlite3 *web_db_get(struct web *w);

/* Gives db back to the pool. */
void web_db_put(struct web *w, sqlite3 *db);

/*
 * The language of a page (web/lang.c): the lang field of query when it
 * names a catalogue, else that of form (a posted form, or NULL), else
 * the chorus_lang cookie's, else the best of Accept-Language, else
 * English.  When query chose a language that the cookie does not hold,
 * set gets the Set-Cookie value that remembers it (Path=/, a long
 * Max-Age, HttpOnly, SameSite=Lax, Secure when the public URL is https);
 * otherwise set is "".  setlen: WEB_LANG_SET_MAX is enough.
 */
const char *web_lang(const struct web *w, struct MHD_Connection *c,
		     const struct form *query, const struct form *form,
		     char *set, size_t setlen);

/* True when url is an http:// or https:// URL with a host. */
int web_url_ok(const char *url);

/* What the first call of a sync request learned: the token's site. */
struct web_sync_req {
	char site[CODE_SITE_LEN + 1];
};

/*
 * The site whose (unrevoked) bearer token the request carries, into
 * site: 1.  Otherwise answers 401 or 503 into *ret and returns 0.
 */
int web_sync_auth(struct web *w, struct MHD_Connection *c,
		  char site[CODE_SITE_LEN + 1], enum MHD_Result *ret);

/* Answers j (reference taken) with the sync protocol's headers. */
enum MHD_Result web_sync_reply(struct MHD_Connection *c, unsigned status,
			       json_t *j);

/* Answers {"chorus": "sync/1", "error": code, "message": message}. */
enum MHD_Result web_sync_error(struct MHD_Connection *c, unsigned status,
			       const char *code, const char *message);

/*
 * Records, inside the caller's transaction, that device of site was
 * heard from at now (and its clock's skew when has_skew).  SQLite code.
 */
int web_site_seen(sqlite3 *db, const char *site, const char *device,
		  int64_t now, int has_skew, int64_t skew);

/*
 * POST /sync/push, /sync/hello and /sync/endorse.  web_push_start()
 * runs on the request's first call and answers 401 at once when the
 * token is wrong (returning 1); it returns 0 to read the body, after
 * which web_push(), web_hello() or web_endorse() answers.
 */
int web_push_start(struct web *w, struct MHD_Connection *c,
		   struct http_req *req, enum MHD_Result *ret);
enum MHD_Result web_push(struct web *w, struct MHD_Connection *c,
			 struct http_req *req);
enum MHD_Result web_hello(struct web *w, struct MHD_Connection *c,
			  struct http_req *req);
enum MHD_Result web_endorse(struct web *w, struct MHD_Connection *c,
			    struct http_req *req);

/*
 * GET /sync/pull?since=SEQ&limit=N: the feed rows for the token's site
 * after SEQ, in order (see docs/sync-pull.md).
 */
enum MHD_Result web_pull(struct web *w, struct MHD_Connection *c,
			 struct http_req *req);

/*
 * Reads the query of a pull: since (default 0) and limit (default 100,
 * at most 500), decimal.  0, or -1 for anything malformed (out-arguments
 * untouched).  Other parameters are ignored.
 */
int web_pull_query(const char *q, size_t len, long long *since,
		   long long *limit);

/*
 * Sets the status of the central item code and publishes the item's row
 * to its site (feed kind "item", scope the site, with the idea that holds
 * it: cycle_publish_item()), in one transaction.
 * Returns 0, 1 when there is no such item, or -1 (SQLite failure).
 */
int web_item_status(sqlite3 *db, const char *code, const char *status);

/*
 * The public pages for GET (and HEAD) of url: "/", "/healthz",
 * "/web/NAME", "/i?code=", "/i/CODE" and "/i/CODE/qr.svg".
 */
enum MHD_Result web_page(struct web *w, struct MHD_Connection *c,
			 struct http_req *req, const char *url);

#endif
