/*
 * chorus web: the central server.
 *
 * It serves the sync endpoint sites push to, the public item pages that
 * QR codes link to, and their style sheet.  The process opens one SQLite
 * connection per server thread up front, serves until SIGTERM or SIGINT,
 * then lets running requests finish and closes everything.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cycle.h"
#include "log.h"
#include "store.h"
#include "web.h"

static const char web_usage[] =
	"usage: chorus web --db FILE --listen HOST:PORT --public-url URL\n"
	"\n"
	"Serves the central server: the sync endpoint (POST /sync/push),\n"
	"public item pages (/i/CODE) and their QR codes.  FILE is made if\n"
	"missing.  URL is the address people reach this server at; QR codes\n"
	"and sites use it.  Stops cleanly on SIGTERM.\n";

int web_url_ok(const char *url)
{
	const char *host, *p;

	if (strncmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
	else
		return 0;
	if (*host == '\0' || *host == '/' || strlen(url) >= WEB_URL_MAX)
		return 0;
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    *p == '"' || *p == '\'' || *p == '<' || *p == '>' ||
		    *p == '?' || *p == '#')
			return 0;
	return 1;
}

sqlite3 *web_db_get(struct web *w)
{
	sqlite3 *db;

	pthread_mutex_lock(&w->lock);
	while (w->nidle == 0)
		pthread_cond_wait(&w->freed, &w->lock);
	db = w->idle[--w->nidle];
	pthread_mutex_unlock(&w->lock);
	return db;
}

void web_db_put(struct web *w, sqlite3 *db)
{
	pthread_mutex_lock(&w->lock);
	w->idle[w->nidle++] = db;
	pthread_cond_signal(&w->freed);
	pthread_mutex_unlock(&w->lock);
}

typedef enum MHD_Result (*web_sync_fn)(struct web *, struct MHD_Connection *,
				       struct http_req *);

/* The handler of a sync POST to url, or NULL. */
static web_sync_fn web_sync_post(const char *url)
{
	if (strcmp(url, "/sync/push") == 0)
		return web_push;
	if (strcmp(url, "/sync/hello") == 0)
		return web_hello;
	if (strcmp(url, "/sync/endorse") == 0)
		return web_endorse;
	return NULL;
}

static enum MHD_Result web_handler(void *cls, struct MHD_Connection *c,
				   const char *url, const char *method,
				   const char *version, const char *upload,
				   size_t *upload_size, void **con_cls)
{
	struct web *w = cls;
	struct http_req *req = *con_cls;
	enum MHD_Result ret;
	int first;

	(void)version;
	if (req == NULL)
		return MHD_NO;
	first = !req->started;
	req->started = 1;
	if (strcmp(method, "POST") == 0 && web_sync_post(url) != NULL) {
		if (first)
			return web_push_start(w, c, req, &ret) ? ret : MHD_YES;
		if (http_take_body(req, WEB_BODY_MAX, upload, upload_size))
			return MHD_YES;
		return web_sync_post(url)(w, c, req);
	}
	if (strcmp(method, "GET") == 0 && strcmp(url, "/sync/pull") == 0)
		return web_pull(w, c, req);
	if (strcmp(method, "POST") == 0) {
		if (first)
			return MHD_YES;
		if (http_take_body(req, CYCLE_FORM_MAX, upload, upload_size))
			return MHD_YES;
		return cycle_post(w, c, req, url);
	}
	if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
		return web_page(w, c, req, url);
	return http_reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method",
				"this address does not take that method");
}

/* Opens the file, checks it is a central one, and records the URL. */
static int web_prepare(const char *path, const char *public_url, sqlite3 **out)
{
	char role[16], err[512];
	sqlite3 *db = NULL;
	int rc, fresh = access(path, F_OK) != 0;

	if (store_open(path, STORE_CREATE, &db, err, sizeof(err)) < 0) {
		cli_fail("web: %s", err);
		return -1;
	}
	/* A mistyped --db would otherwise serve an empty district quietly. */
	if (fresh)
		log_warn("web: made a new, empty central database '%s'; sites"
			 " join it with 'chorus site add --db %s'",
			 path, path);
	if (store_role(db, role, sizeof(role)) < 0)
		goto fail;
	if (role[0] != '\0' && strcmp(role, "central") != 0) {
		cli_fail("web: '%s' is a %s database; the central server"
			 " needs a database of its own",
			 path, role);
		store_close(db);
		return -1;
	}
	rc = store_begin(db);
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "role", "central");
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "public_url", public_url);
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		goto fail;
	*out = db;
	return 0;

fail:
	cli_fail("web: cannot prepare '%s': %s", path, sqlite3_errmsg(db));
	store_rollback(db);
	store_close(db);
	return -1;
}

static int web_open_pool(struct web *w, const char *path, sqlite3 *first)
{
	char err[512];
	sqlite3 *db;

	w->idle[w->nidle++] = first;
	while (w->nidle < WEB_THREADS) {
		if (store_open(path, 0, &db, err, sizeof(err)) < 0) {
			cli_fail("web: %s", err);
			return -1;
		}
		w->idle[w->nidle++] = db;
	}
	return 0;
}

/* Serves until SIGTERM or SIGINT, which the caller has blocked. */
static void web_serve(const sigset_t *stop)
{
	int sig = 0;

	while (sigwait(stop, &sig) != 0)
		;
	log_info("web: signal %d, stopping", sig);
}

int web_cmd(int argc, char **argv)
{
	const char *path = NULL, *listen = NULL, *url = NULL;
	struct cli_opt opts[] = {
		{"db", &path, 0, 1},
		{"listen", &listen, 0, 1},
		{"public-url", &url, 0, 1},
		{NULL, NULL, 0, 0},
	};
	struct http_config cfg = {0};
	struct MHD_Daemon *d = NULL;
	struct web w;
	sigset_t stop;
	sqlite3 *db;
	char err[512];
	int rc, ret = CLI_FAIL;
	size_t i;

	rc = cli_parse("web", web_usage, opts, argc, argv);
	if (rc != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	if (!web_url_ok(url)) {
		cli_fail("web: --public-url must be an http:// or https://"
			 " URL without spaces, query or fragment");
		return CLI_USAGE;
	}
	memset(&w, 0, sizeof(w));
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.freed, NULL);
	snprintf(w.public_url, sizeof(w.public_url), "%s", url);
	if (web_prepare(path, url, &db) < 0)
		goto done;
	if (web_open_pool(&w, path, db) < 0)
		goto done;
	if (cycle_start(&w, path, err, sizeof(err)) < 0) {
		cli_fail("web: %s", err);
		goto done;
	}

	/* Threads started from here on inherit the blocked signals. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	cfg.listen = listen;
	cfg.handler = web_handler;
	cfg.handler_cls = &w;
	cfg.body_max = WEB_BODY_MAX;
	cfg.threads = WEB_THREADS;
	cfg.timeout_s = 30;
	cfg.suspend = 1;
	d = http_start(&cfg, err, sizeof(err));
	if (d == NULL) {
		cli_fail("web: %s", err);
		goto done;
	}
	log_info("web: serving on %s", listen);
	web_serve(&stop);
	cycle_drain(&w, d);
	MHD_stop_daemon(d);
	ret = CLI_OK;

done:
	cycle_stop(&w);
	for (i = 0; i < w.nidle; i++)
		store_close(w.idle[i]);
	pthread_cond_destroy(&w.freed);
	pthread_mutex_destroy(&w.lock);
	return ret;
}
