/*
 * chorus kiosk: the touch page of a site node and its JSON API.
 *
 * Routes:
 *   GET  /                 the question page (?lang=es picks a language)
 *   POST /api/items        one item, as JSON or as the page's form
 *   GET  /notices          the news: notices and ideas pulled (notices.h)
 *   POST /api/endorse      "I agree" to an idea, once per visit
 *   GET  /qr/CODE.svg      the QR code of an item's link
 *   GET  /kiosk/NAME       the page's style sheet and script
 *
 * A post is answered only after its row is committed.  The handler
 * parses the complete body, hangs a struct kiosk_post on the request,
 * suspends the connection and submits an intake job.  The writer thread
 * creates the item inside its group commit and calls kiosk_done(), which
 * resumes the connection; libmicrohttpd then calls the handler again and
 * it answers from the job's result.
 *
 * Shutdown (SIGTERM or SIGINT): new posts are refused, the listening
 * socket is closed, and the main thread waits until every post that was
 * submitted has been answered and its request freed.  Only then is the
 * daemon stopped, because libmicrohttpd must never be stopped while a
 * connection is suspended.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "asset.h"
#include "cli.h"
#include "code.h"
#include "form.h"
#include "http.h"
#include "i18n.h"
#include "intake.h"
#include "intake_parse.h"
#include "item.h"
#include "log.h"
#include "notices.h"
#include "page.h"
#include "prompt.h"
#include "qr.h"
#include "store.h"

#define KIOSK_IDLE_DEFAULT 30
#define KIOSK_IDLE_MAX 3600
#define KIOSK_URL_MAX 512
#define KIOSK_SVG_MAX (64 * 1024)

static const char kiosk_usage[] =
	"usage: chorus kiosk --db FILE --listen HOST:PORT [--idle SECONDS]\n"
	"\n"
	"Serves the kiosk page and its JSON API (POST /api/items) for the\n"
	"site database FILE, made by 'chorus init'.  Every item is on disk\n"
	"before the person sees its code.\n"
	"\n"
	"  --idle SECONDS  how long the thank-you screen stays before the\n"
	"                  page clears itself (default 30, at most 3600);\n"
	"                  a form nobody touches clears after four times\n"
	"                  as long\n"
	"\n"
	"Stops cleanly on SIGTERM or SIGINT, answering posts in flight.\n";

struct kiosk {
	struct intake *intake;
	const char *path;	   /* the site database */
	struct kiosk_notices news; /* what notices.c needs */
	char public_url[KIOSK_URL_MAX];
	char site[CODE_SITE_LEN + 1];
	unsigned idle;
	pthread_mutex_t lock;
	pthread_cond_t drained;
	unsigned inflight; /* posts submitted whose requests are not freed */
	int stopping;
};

/* One post between its submission and the end of its request. */
struct kiosk_post {
	struct intake_job job;
	struct kiosk *k;
	struct MHD_Connection *conn;
	struct kiosk_input in;
	struct item item;
	const char *lang; /* the language of the answer */
	int is_form;
};

/* The language for a page: ?lang=, then Accept-Language, then English. */
static const char *kiosk_lang(struct MHD_Connection *c,
			      const struct http_req *req)
{
	const struct form_field *f;
	const char *q, *lang = NULL;
	struct form form;
	size_t qlen;

	q = http_query(req, &qlen);
	if (qlen > 0 && form_parse(&form, q, qlen, KIOSK_FORM_FIELDS) == 0) {
		f = form_get(&form, "lang");
		if (f != NULL && memchr(f->value, '\0', f->value_len) == NULL)
			lang = i18n_lang(f->value, f->value_len);
		form_release(&form);
	}
	if (lang == NULL)
		lang = i18n_negotiate(http_header(c, "Accept-Language"));
	return lang != NULL ? lang : I18N_DEFAULT;
}

/* The catalogue text for an error word. */
static const char *kiosk_message(const char *lang, const char *word)
{
	char key[64];

	if (strcmp(word, "storage_full") == 0)
		return i18n_get(lang, "error.storage_full");
	if (strcmp(word, "storage_error") == 0)
		return i18n_get(lang, "error.storage");
	snprintf(key, sizeof(key), "kiosk.error.%s", word);
	return i18n_get(lang, key);
}

static enum MHD_Result kiosk_html(struct MHD_Connection *c, unsigned status,
				  const char *lang, struct buf *page, int rc)
{
	if (rc < 0) {
		buf_release(page);
		log_error("kiosk: a page did not fit in %d bytes",
			  KIOSK_PAGE_MAX);
		return http_reply_error(c, 500, "page_error",
					kiosk_message(lang, "page_error"));
	}
	return http_reply_buf(c, status, "text/html; charset=utf-8", page);
}

/*
 * Refuses a post.  A form gets the question page again with the message
 * and the person's text and role, so nothing they wrote is lost; a
 * program gets {"error", "message"}.
 */
static enum MHD_Result kiosk_refuse(const struct kiosk *k,
				    struct MHD_Connection *c, int is_form,
				    unsigned status, const char *word,
				    const char *lang,
				    const struct kiosk_input *in)
{
	struct kiosk_view v = {0};
	struct buf page;

	if (!is_form)
		return http_reply_error(c, status, word,
					kiosk_message(lang, word));
	v.lang = lang;
	v.idle = k->idle;
	v.error = kiosk_message(lang, word);
	if (in != NULL) {
		v.text = in->text;
		v.text_len = in->text_len;
		v.role = in->role;
	}
	buf_init(&page, KIOSK_PAGE_MAX);
	return kiosk_html(c, status, lang, &page, kiosk_page_form(&page, &v));
}

static int kiosk_apply(sqlite3 *db, struct intake_job *job)
{
	struct kiosk_post *p = job->arg;

	p->item.channel = "kiosk";
	p->item.role = p->in.role;
	p->item.lang = p->lang;
	p->item.text = p->in.text;
	p->item.text_len = p->in.text_len;
	p->item.prompt = p->in.prompt[0] != '\0' ? p->in.prompt : NULL;
	return item_create(db, &p->item);
}

/* Runs on the writer thread once the job's batch is committed or not. */
static void kiosk_done(struct intake_job *job)
{
	struct kiosk_post *p = job->arg;

	MHD_resume_connection(p->conn);
}

/* Called when the request ends, answered or not: the post is over. */
static void kiosk_post_free(void *app)
{
	struct kiosk_post *p = app;
	struct kiosk *k = p->k;

	kiosk_input_release(&p->in);
	free(p);
	pthread_mutex_lock(&k->lock);
	k->inflight--;
	pthread_cond_broadcast(&k->drained);
	pthread_mutex_unlock(&k->lock);
}

static enum MHD_Result kiosk_created(const struct kiosk *k,
				     struct MHD_Connection *c,
				     const struct kiosk_post *p)
{
	char url[KIOSK_URL_MAX + CODE_MAX + 4];
	struct buf page;

	if (qr_item_url(url, sizeof(url), k->public_url, p->item.code) < 0)
		url[0] = '\0';
	if (!p->is_form)
		return http_reply_json(c, 201,
				       json_pack("{s:s, s:s, s:s}", "id",
						 p->item.id, "code",
						 p->item.code, "url", url));
	buf_init(&page, KIOSK_PAGE_MAX);
	return kiosk_html(
		c, 201, p->lang, &page,
		kiosk_page_thanks(&page, p->lang, k->idle, p->item.code, url));
}

/* The second visit of a post, after kiosk_done() resumed it. */
static enum MHD_Result kiosk_post_answer(const struct kiosk *k,
					 struct MHD_Connection *c,
					 const struct kiosk_post *p)
{
	int rc = p->job.rc;

	if (rc == SQLITE_OK) {
		log_debug("kiosk: stored item %s", p->item.code);
		return kiosk_created(k, c, p);
	}
	log_error("kiosk: cannot store an item: %s", sqlite3_errstr(rc));
	if (store_is_full(rc))
		return kiosk_refuse(k, c, p->is_form, 507, "storage_full",
				    p->lang, &p->in);
	return kiosk_refuse(k, c, p->is_form, 503, "storage_error", p->lang,
			    &p->in);
}

/* Refuses a post that was never submitted, and frees it. */
static enum MHD_Result kiosk_drop(const struct kiosk *k,
				  struct MHD_Connection *c,
				  struct kiosk_post *p, unsigned status,
				  const char *word)
{
	enum MHD_Result ret;

	ret = kiosk_refuse(k, c, p->is_form, status, word, p->lang, &p->in);
	kiosk_input_release(&p->in);
	free(p);
	return ret;
}

/* Hands a parsed post to the writer, unless the kiosk is stopping. */
static enum MHD_Result kiosk_submit(struct kiosk *k, struct MHD_Connection *c,
				    struct http_req *req, struct kiosk_post *p)
{
	int stopping;

	pthread_mutex_lock(&k->lock);
	stopping = k->stopping;
	if (!stopping)
		k->inflight++;
	pthread_mutex_unlock(&k->lock);
	if (stopping)
		return kiosk_drop(k, c, p, 503, "shutting_down");
	req->app = p;
	req->app_free = kiosk_post_free;
	p->job.apply = kiosk_apply;
	p->job.done = kiosk_done;
	p->job.arg = p;
	/* Suspend first, so done() can never resume before the suspend. */
	MHD_suspend_connection(c);
	intake_submit(k->intake, &p->job);
	return MHD_YES;
}

/* The last visit of a complete POST /api/items. */
static enum MHD_Result kiosk_post(struct kiosk *k, struct MHD_Connection *c,
				  struct http_req *req)
{
	struct kiosk_post *p;
	const char *kind = NULL, *word = NULL, *lang;
	int is_form, status;

	lang = kiosk_lang(c, req);
	if (http_ctype_is(c, "application/json"))
		kind = "json";
	is_form = http_ctype_is(c, "application/x-www-form-urlencoded");
	if (is_form)
		kind = "form";
	if (kind == NULL)
		return kiosk_refuse(k, c, 0, 415, "unsupported_type", lang,
				    NULL);
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return MHD_NO;
	p->k = k;
	p->conn = c;
	p->is_form = is_form;
	status = kiosk_parse_item(kind, req->body.data ? req->body.data : "",
				  req->body.len, &p->in, &word);
	p->lang = p->in.lang != NULL ? p->in.lang : lang;
	if (req->too_large) {
		status = 413;
		word = "too_large";
	}
	if (status == 0)
		return kiosk_submit(k, c, req, p);
	return kiosk_drop(k, c, p, (unsigned)status, word);
}

/* GET /qr/CODE.svg: the QR code of the item link for CODE. */
static enum MHD_Result kiosk_qr(const struct kiosk *k, struct MHD_Connection *c,
				const char *name, const char *lang)
{
	char canon[CODE_MAX], url[KIOSK_URL_MAX + CODE_MAX + 4];
	char label[160];
	size_t n = strlen(name);
	struct buf svg;

	if (n < 5 || strcmp(name + n - 4, ".svg") != 0 ||
	    code_parse(name, n - 4, canon, NULL, NULL) < 0 ||
	    qr_item_url(url, sizeof(url), k->public_url, canon) < 0)
		return MHD_NO;
	snprintf(label, sizeof(label), "%s %s",
		 i18n_get(lang, "kiosk.qr_label"), canon);
	buf_init(&svg, KIOSK_SVG_MAX);
	if (qr_svg(&svg, url, label, NULL) < 0) {
		buf_release(&svg);
		return MHD_NO;
	}
	return http_reply_buf(c, 200, "image/svg+xml", &svg);
}

static enum MHD_Result kiosk_missing(struct MHD_Connection *c, const char *lang)
{
	struct buf page;

	buf_init(&page, KIOSK_PAGE_MAX);
	return kiosk_html(c, 404, lang, &page, kiosk_page_missing(&page, lang));
}

/*
 * The question page, asking the site's current prompt when it has one;
 * its news link carries the visit (notices.h), a new one if none came.
 */
static enum MHD_Result kiosk_home(const struct kiosk *k,
				  struct MHD_Connection *c,
				  const struct http_req *req, const char *lang)
{
	char id[KIOSK_PROMPT_MAX + 1], visit[KIOSK_VISIT_LEN + 1];
	struct kiosk_view v = {0};
	struct buf page, question;
	enum MHD_Result ret;

	v.lang = lang;
	v.idle = k->idle;
	if (kiosk_visit_take(req, visit) >= 0)
		v.visit = visit;
	buf_init(&question, STORE_TEXT_MAX);
	if (kiosk_prompt_now(k->path, lang, store_now_ms(), id, &question) ==
	    0) {
		v.prompt_id = id;
		v.prompt_text = question.data;
	}
	buf_init(&page, KIOSK_PAGE_MAX);
	ret = kiosk_html(c, 200, lang, &page, kiosk_page_form(&page, &v));
	buf_release(&question);
	return ret;
}

/* Pages, assets and QR codes: everything a GET may ask for. */
static enum MHD_Result kiosk_get(const struct kiosk *k,
				 struct MHD_Connection *c,
				 const struct http_req *req, const char *url)
{
	const char *lang = kiosk_lang(c, req);
	const struct asset *a;
	enum MHD_Result ret;

	if (strcmp(url, "/") == 0)
		return kiosk_home(k, c, req, lang);
	if (strcmp(url, "/notices") == 0)
		return kiosk_notices_get(c, req, &k->news, lang);
	if (strncmp(url, "/qr/", 4) == 0) {
		ret = kiosk_qr(k, c, url + 4, lang);
		return ret == MHD_YES ? ret : kiosk_missing(c, lang);
	}
	a = strncmp(url, "/kiosk/", 7) == 0 ? asset_find(url) : NULL;
	if (a != NULL)
		return http_reply(c, 200, a->ctype, a->data, a->len);
	return kiosk_missing(c, lang);
}

static enum MHD_Result kiosk_route(struct kiosk *k, struct MHD_Connection *c,
				   struct http_req *req, const char *url,
				   const char *method)
{
	int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;

	if (strcmp(url, "/admin") == 0)
		return kiosk_admin(c, req, method, k->path, kiosk_lang(c, req));
	if (strcmp(url, "/api/items") == 0) {
		if (strcmp(method, "POST") == 0)
			return kiosk_post(k, c, req);
		return kiosk_refuse(k, c, 0, 405, "method_not_allowed",
				    kiosk_lang(c, req), NULL);
	}
	if (strcmp(url, "/api/endorse") == 0 && strcmp(method, "POST") == 0)
		return kiosk_endorse_post(c, req, &k->news, kiosk_lang(c, req));
	if (!get)
		return kiosk_refuse(k, c, 0, 405, "method_not_allowed",
				    kiosk_lang(c, req), NULL);
	return kiosk_get(k, c, req, url);
}

static enum MHD_Result kiosk_handler(void *cls, struct MHD_Connection *c,
				     const char *url, const char *method,
				     const char *version,
				     const char *upload_data,
				     size_t *upload_size, void **con_cls)
{
	struct kiosk *k = cls;
	struct http_req *req = *con_cls;

	(void)version;
	if (req == NULL || req->uri == NULL)
		return MHD_NO;
	if (!req->started) {
		req->started = 1;
		return MHD_YES;
	}
	if (http_take_body(req, KIOSK_BODY_MAX, upload_data, upload_size))
		return MHD_YES;
	if (req->app != NULL)
		return kiosk_post_answer(k, c, req->app);
	return kiosk_route(k, c, req, url, method);
}

/* Reads what the kiosk needs from the site database.  0 or -1. */
static int kiosk_load(struct kiosk *k, const char *path)
{
	char err[512], role[16];
	sqlite3 *db = NULL;
	int ret = -1;

	if (store_open(path, 0, &db, err, sizeof(err)) < 0) {
		cli_fail("%s", err);
		return -1;
	}
	if (store_role(db, role, sizeof(role)) < 0 ||
	    strcmp(role, "site") != 0 ||
	    store_meta_get(db, "site", k->site, sizeof(k->site)) != 0) {
		cli_fail("kiosk: '%s' is not a site database (run 'chorus"
			 " init' first)",
			 path);
		goto done;
	}
	if (store_meta_get(db, "public_url", k->public_url,
			   sizeof(k->public_url)) < 0) {
		cli_fail("kiosk: cannot read the public URL from '%s'", path);
		goto done;
	}
	ret = 0;

done:
	store_close(db);
	return ret;
}

static int kiosk_parse_idle(const char *s, unsigned *out)
{
	unsigned long v;
	char *end;

	if (s == NULL) {
		*out = KIOSK_IDLE_DEFAULT;
		return 0;
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v < 1 ||
	    v > KIOSK_IDLE_MAX) {
		cli_fail("kiosk: --idle must be a number of seconds from 1 to"
			 " %d",
			 KIOSK_IDLE_MAX);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* Refuses new posts, then waits until every submitted one is answered. */
static void kiosk_drain(struct kiosk *k, struct MHD_Daemon *d)
{
	MHD_socket s;

	pthread_mutex_lock(&k->lock);
	k->stopping = 1;
	pthread_mutex_unlock(&k->lock);
	s = MHD_quiesce_daemon(d);
	if (s != MHD_INVALID_SOCKET)
		close(s);
	pthread_mutex_lock(&k->lock);
	while (k->inflight > 0)
		pthread_cond_wait(&k->drained, &k->lock);
	pthread_mutex_unlock(&k->lock);
}

/* Serves until SIGTERM or SIGINT, with both signals blocked in sigs. */
static int kiosk_serve(struct kiosk *k, const char *listen,
		       const sigset_t *sigs)
{
	struct http_config cfg = {0};
	struct MHD_Daemon *d;
	char err[512];
	int sig = 0;

	cfg.listen = listen;
	cfg.handler = kiosk_handler;
	cfg.handler_cls = k;
	cfg.body_max = KIOSK_BODY_MAX;
	cfg.conn_mem = 16 * 1024;
	cfg.suspend = 1;
	d = http_start(&cfg, err, sizeof(err));
	if (d == NULL) {
		cli_fail("kiosk: %s", err);
		return CLI_FAIL;
	}
	log_info("kiosk: site %s serving on http://%s/", k->site, listen);
	while (sigwait(sigs, &sig) != 0)
		;
	log_info("kiosk: stopping on signal %d", sig);
	kiosk_drain(k, d);
	MHD_stop_daemon(d);
	return CLI_OK;
}

int kiosk_cmd(int argc, char **argv)
{
	const char *path = NULL, *listen = NULL, *idle = NULL;
	struct cli_opt opts[] = {
		{"db", &path, 0, 1},
		{"listen", &listen, 0, 1},
		{"idle", &idle, 0, 0},
		{NULL, NULL, 0, 0},
	};
	struct kiosk k = {0};
	sigset_t sigs;
	char err[512];
	int rc;

	rc = cli_parse("kiosk", kiosk_usage, opts, argc, argv);
	if (rc != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	if (kiosk_parse_idle(idle, &k.idle) < 0)
		return CLI_USAGE;
	if (kiosk_load(&k, path) < 0)
		return CLI_FAIL;
	k.path = path;
	k.news.path = path;
	k.news.site = k.site;
	k.news.public_url = k.public_url;
	k.news.idle = k.idle;

	/* Block the stop signals before any thread starts, then wait. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	pthread_mutex_init(&k.lock, NULL);
	pthread_cond_init(&k.drained, NULL);

	k.intake = intake_start(path, err, sizeof(err));
	if (k.intake == NULL) {
		cli_fail("kiosk: %s", err);
		rc = CLI_FAIL;
	} else {
		rc = kiosk_serve(&k, listen, &sigs);
		intake_stop(k.intake);
	}
	pthread_cond_destroy(&k.drained);
	pthread_mutex_destroy(&k.lock);
	return rc;
}
