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

#include "http.h"

#define WEB_THREADS 2
#define WEB_BODY_MAX (4u * 1024 * 1024) /* bytes of one push batch */
#define WEB_URL_MAX 512			/* bytes of the public URL */

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

/* True when url is an http:// or https:// URL with a host. */
int web_url_ok(const char *url);

/*
 * POST /sync/push.  web_push_start() runs on the request's first call
 * and answers 401 at once when the token is wrong (returning 1); it
 * returns 0 to read the body, after which web_push() answers.
 */
int web_push_start(struct web *w, struct MHD_Connection *c,
		   struct http_req *req, enum MHD_Result *ret);
enum MHD_Result web_push(struct web *w, struct MHD_Connection *c,
			 struct http_req *req);

/*
 * The public pages for GET (and HEAD) of url: "/", "/healthz",
 * "/web/NAME", "/i?code=", "/i/CODE" and "/i/CODE/qr.svg".
 */
enum MHD_Result web_page(struct web *w, struct MHD_Connection *c,
			 struct http_req *req, const char *url);

#endif
