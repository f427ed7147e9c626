/*
 * pages: the public pages of the central server.
 *
 * These pages are what a QR code on a flyer opens, often on a cheap
 * phone over a slow link: plain HTML, one small style sheet, no script
 * at all.  Every text from the database goes through html_escape().
 * Paths are read without regard to case, and a code is read the way a
 * person types it (code_parse), so "/I/k7oo42m" finds item K70042M.
 * The language is ?lang= when given (remembered in a cookie), else the
 * cookie's, else the browser's Accept-Language, else English
 * (web_lang()).
 *
 * An item's page tells the person who holds its code what became of
 * their idea: its own status (new, read by the team, ...) while it is in
 * no idea; once merged, the idea it joined (a link to /i/IDEA), where
 * that idea stands in one phrase (feed_idea_status(), the same word the
 * site texts back to STATUS CODE), and the idea's latest decision,
 * notice and what was done.  Split out again, it shows its own status.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "asset.h"
#include "code.h"
#include "cycle.h"
#include "form.h"
#include "html.h"
#include "i18n.h"
#include "qr.h"
#include "store.h"
#include "web.h"

#define PAGE_MAX (64u * 1024 + 6 * STORE_TEXT_MAX)
#define PAGE_CSS "/web/web.css"

/* One page being written. */
struct page {
	struct buf out;
	const char *lang;
	const char *path; /* this page's path, for the language links */
	struct http_req *req;
	char lang_cookie[WEB_LANG_SET_MAX]; /* web_lang()'s, or "" */
};

/* The page's language (web_lang()); a query that is not a form is as
 * none. */
static const char *page_lang(struct web *w, struct MHD_Connection *c,
			     struct page *p)
{
	const char *q, *lang;
	struct form form;
	size_t qlen;

	q = http_query(p->req, &qlen);
	if (form_parse(&form, q, qlen, 16) < 0)
		return web_lang(w, c, NULL, NULL, p->lang_cookie,
				sizeof(p->lang_cookie));
	lang = web_lang(w, c, &form, NULL, p->lang_cookie,
			sizeof(p->lang_cookie));
	form_release(&form);
	return lang;
}

/* Answers with p's page (or the redirect to where) and its cookie. */
static enum MHD_Result page_reply(struct MHD_Connection *c, struct page *p,
				  unsigned status, const char *where)
{
	const char *cookie = p->lang_cookie;

	return http_reply_extra(c, status, "text/html; charset=utf-8", &p->out,
				where, &cookie, 1);
}

/* The header bar: the name, and a link to every other language. */
static int page_top(struct page *p, const char *title)
{
	const char *const *l;
	int rc = 0;

	rc |= html_begin(&p->out, p->lang, title, PAGE_CSS, "web");
	rc |= buf_puts(&p->out, "<header><a class=\"brand\" href=\"/?lang=");
	rc |= html_text(&p->out, p->lang);
	rc |= buf_puts(&p->out, "\">");
	rc |= html_t(&p->out, p->lang, "app.name");
	rc |= buf_puts(&p->out, "</a><nav>");
	for (l = i18n_langs(); *l != NULL; l++) {
		if (strcmp(*l, p->lang) == 0)
			continue;
		rc |= buf_puts(&p->out, " <a hreflang=\"");
		rc |= html_text(&p->out, *l);
		rc |= buf_puts(&p->out, "\" lang=\"");
		rc |= html_text(&p->out, *l);
		rc |= buf_puts(&p->out, "\" href=\"");
		rc |= html_text(&p->out, p->path);
		rc |= buf_puts(&p->out, "?lang=");
		rc |= html_text(&p->out, *l);
		rc |= buf_puts(&p->out, "\">");
		rc |= html_t(&p->out, *l, "lang.name");
		rc |= buf_puts(&p->out, "</a>");
	}
	rc |= buf_puts(&p->out, "</nav></header>\n<main>\n");
	return rc ? -1 : 0;
}

/* The code lookup form, on the home page and under every answer. */
static int page_lookup(struct page *p)
{
	int rc = 0;

	rc |= buf_puts(&p->out, "<form class=\"lookup\" action=\"/i\""
				" method=\"get\"><label for=\"code\">");
	rc |= html_t(&p->out, p->lang, "web.lookup.label");
	rc |= buf_puts(&p->out,
		       "</label><input id=\"code\" name=\"code\" size=\"10\""
		       " maxlength=\"20\" autocomplete=\"off\""
		       " autocapitalize=\"characters\" spellcheck=\"false\">"
		       "<input type=\"hidden\" name=\"lang\" value=\"");
	rc |= html_text(&p->out, p->lang);
	rc |= buf_puts(&p->out, "\"><button type=\"submit\">");
	rc |= html_t(&p->out, p->lang, "web.lookup.button");
	rc |= buf_puts(&p->out, "</button></form>\n");
	return rc ? -1 : 0;
}

/* Closes and sends the page; a page that failed (rc) becomes a 500. */
static enum MHD_Result page_send(struct MHD_Connection *c, struct page *p,
				 unsigned status, int rc)
{
	rc |= buf_puts(&p->out, "</main>\n");
	rc |= html_end(&p->out);
	if (rc != 0) {
		buf_release(&p->out);
		return http_reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				  "text/plain; charset=utf-8", "error\n", 6);
	}
	return page_reply(c, p, status, NULL);
}

/* A page with a heading, one paragraph and the lookup form. */
static enum MHD_Result page_simple(struct MHD_Connection *c, struct page *p,
				   unsigned status, const char *title_key,
				   const char *body_key)
{
	const char *title = i18n_get(p->lang, title_key);
	int rc = 0;

	rc |= page_top(p, title);
	rc |= buf_puts(&p->out, "<h1>");
	rc |= html_text(&p->out, title);
	rc |= buf_puts(&p->out, "</h1>\n<p>");
	rc |= html_t(&p->out, p->lang, body_key);
	rc |= buf_puts(&p->out, "</p>\n");
	rc |= page_lookup(p);
	return page_send(c, p, status, rc);
}

/*
 * The fact of when the item reached the district: the day as the reader
 * writes it (cyc_day_in()) and the time on the central clock, in a
 * <time> element that carries the ISO form.
 */
static int page_fact_when(struct page *p, const char *label_key, int64_t ms)
{
	char iso[STORE_TIME_LEN], hm[8];
	const char *vars[5];
	struct buf day, text;
	int rc = 0;

	store_format_time(ms, iso);
	snprintf(hm, sizeof(hm), "%.5s", iso + 11);
	buf_init(&day, 256);
	buf_init(&text, 512);
	rc |= cyc_day_in(p->lang, ms, &day);
	vars[0] = "day";
	vars[1] = day.data ? day.data : "";
	vars[2] = "time";
	vars[3] = hm;
	vars[4] = NULL;
	if (rc == 0)
		rc |= cyc_fill(&text, i18n_get(p->lang, "web.item.when"), vars);

	rc |= buf_puts(&p->out, "<dt>");
	rc |= html_t(&p->out, p->lang, label_key);
	rc |= buf_puts(&p->out, "</dt><dd><time datetime=\"");
	rc |= html_text(&p->out, iso);
	rc |= buf_puts(&p->out, "\">");
	rc |= html_escape(&p->out, text.data ? text.data : "", text.len);
	rc |= buf_puts(&p->out, "</time></dd>\n");
	buf_release(&day);
	buf_release(&text);
	return rc;
}

/* A catalogue text for prefix + word, or word itself when there is none. */
static const char *page_word(const char *lang, const char *prefix,
			     const char *word, char *key, size_t keylen)
{
	const char *t;

	if (snprintf(key, keylen, "%s%s", prefix, word) >= (int)keylen)
		return word;
	t = i18n_get(lang, key);
	return strcmp(t, key) == 0 ? word : t;
}

static int page_fact(struct page *p, const char *label_key, const char *value)
{
	int rc = 0;

	rc |= buf_puts(&p->out, "<dt>");
	rc |= html_t(&p->out, p->lang, label_key);
	rc |= buf_puts(&p->out, "</dt><dd>");
	rc |= html_text(&p->out, value);
	rc |= buf_puts(&p->out, "</dd>\n");
	return rc;
}

/* The QR code of this page, with the link it holds written under it. */
static int page_qr(struct page *p, struct web *w, const char *code)
{
	char url[WEB_URL_MAX + CODE_MAX + 8];
	int rc = 0;

	if (qr_item_url(url, sizeof(url), w->public_url, code) < 0)
		return 0;
	rc |= buf_puts(&p->out, "<figure class=\"qr\"><img src=\"/i/");
	rc |= html_text(&p->out, code);
	rc |= buf_puts(&p->out, "/qr.svg\" width=\"200\" height=\"200\""
				" alt=\"");
	rc |= html_t(&p->out, p->lang, "web.qr.alt");
	rc |= buf_puts(&p->out, "\"><figcaption>");
	rc |= html_text(&p->out, url);
	rc |= buf_puts(&p->out, "</figcaption></figure>\n");
	return rc;
}

/* The link to the idea: its code and title. */
static int page_idea_link(struct page *p, const char *idea, const char *title)
{
	int rc = 0;

	rc |= buf_puts(&p->out, "<dt>");
	rc |= html_t(&p->out, p->lang, "web.item.idea");
	rc |= buf_puts(&p->out, "</dt><dd><a class=\"idea\" href=\"/i/");
	rc |= html_text(&p->out, idea);
	rc |= buf_puts(&p->out, "?lang=");
	rc |= html_text(&p->out, p->lang);
	rc |= buf_puts(&p->out, "\"><span class=\"code\">");
	rc |= html_text(&p->out, idea);
	rc |= buf_puts(&p->out, "</span> ");
	rc |= html_text(&p->out, title ? title : "");
	rc |= buf_puts(&p->out, "</a></dd>\n");
	return rc;
}

/* A fact whose value is a column of st, left out when it is NULL; with
 * the catalogue word for prefix + column word after it when word >= 0. */
static int page_fact_col(struct page *p, const char *label_key,
			 sqlite3_stmt *st, int col, const char *prefix,
			 int word)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	char key[64];
	int rc = 0;

	if (v == NULL)
		return 0;
	rc |= buf_puts(&p->out, "<dt>");
	rc |= html_t(&p->out, p->lang, label_key);
	rc |= buf_puts(&p->out, "</dt><dd class=\"text\">");
	rc |= html_text(&p->out, v);
	if (word >= 0 && sqlite3_column_text(st, word) != NULL) {
		rc |= buf_puts(&p->out, " (");
		rc |= html_text(
			&p->out,
			page_word(p->lang, prefix,
				  (const char *)sqlite3_column_text(st, word),
				  key, sizeof(key)));
		rc |= buf_puts(&p->out, ")");
	}
	rc |= buf_puts(&p->out, "</dd>\n");
	return rc;
}

/*
 * The facts of an item merged into an idea: the idea, where it stands
 * in one phrase (feed_idea_status()), its latest decision, notice and
 * what was done, each only when there is one.
 */
static int page_idea_facts(struct page *p, sqlite3 *db,
			   const struct cycle_follow *f)
{
	char key[64];
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(
		    db,
		    "SELECT d.title, (SELECT text FROM decisions"
		    "  WHERE idea = ?1 AND kind = 'decision'"
		    "  ORDER BY n DESC LIMIT 1),"
		    " (SELECT status FROM decisions"
		    "  WHERE idea = ?1 AND kind = 'decision'"
		    "  ORDER BY n DESC LIMIT 1),"
		    " (SELECT title FROM notices WHERE idea = ?1"
		    "  ORDER BY n DESC LIMIT 1),"
		    " (SELECT text FROM decisions WHERE idea = ?1"
		    "  AND status = 'done' ORDER BY updated_at DESC, n DESC"
		    "  LIMIT 1)"
		    " FROM ideas d WHERE d.code = ?1",
		    -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, f->idea, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return -1;
	}
	rc |= page_fact(
		p, "web.item.status",
		page_word(p->lang, "web.status.", f->status, key, sizeof(key)));
	rc |= page_idea_link(p, f->idea,
			     (const char *)sqlite3_column_text(st, 0));
	rc |= page_fact(p, "web.item.stands",
			page_word(p->lang, "web.idea_status.", f->idea_status,
				  key, sizeof(key)));
	rc |= page_fact_col(p, "web.item.decision", st, 1, "public.status.", 2);
	rc |= page_fact_col(p, "web.item.notice", st, 3, NULL, -1);
	rc |= page_fact_col(p, "web.item.done", st, 4, NULL, -1);
	sqlite3_finalize(st);
	return rc;
}

/* The item page proper, from a row of page_item()'s query. */
static int page_item_body(struct page *p, struct web *w, sqlite3 *db,
			  const char *code, sqlite3_stmt *st)
{
	struct cycle_follow f;
	const char *role = (const char *)sqlite3_column_text(st, 2);
	char key[64];
	const char *text = (const char *)sqlite3_column_text(st, 0);
	const char *site = (const char *)sqlite3_column_text(st, 4);
	const char *title = i18n_get(p->lang, "web.item.heading");
	int rc = 0;

	rc |= page_top(p, title);
	rc |= buf_puts(&p->out, "<h1>");
	rc |= html_text(&p->out, title);
	rc |= buf_puts(&p->out, " <span class=\"code\">");
	rc |= html_text(&p->out, code);
	rc |= buf_puts(&p->out, "</span></h1>\n<blockquote class=\"text\">");
	rc |= html_escape_masked(&p->out, text ? text : "",
				 (size_t)sqlite3_column_bytes(st, 0),
				 i18n_get(p->lang, "web.masked.phone"),
				 i18n_get(p->lang, "web.masked.email"));
	rc |= buf_puts(&p->out, "</blockquote>\n<dl class=\"facts\">\n");
	/* Merged, the idea's phase is what the person waits for. */
	if (cycle_follow_get(db, code, &f) != SQLITE_OK)
		rc = -1;
	else if (f.idea[0] != '\0')
		rc |= page_idea_facts(p, db, &f);
	else
		rc |= page_fact(p, "web.item.status",
				page_word(p->lang, "web.status.", f.status, key,
					  sizeof(key)));
	rc |= page_fact(p, "web.item.site", site ? site : "?");
	rc |= page_fact_when(p, "web.item.received",
			     sqlite3_column_int64(st, 1));
	/* "Shared by: I'd rather not say" says nothing: no line at all. */
	if (role != NULL && strcmp(role, "unsaid") != 0)
		rc |= page_fact(
			p, "web.item.from",
			page_word(p->lang, "role.", role, key, sizeof(key)));
	rc |= page_fact(p, "web.item.channel",
			page_word(p->lang, "web.channel.",
				  (const char *)sqlite3_column_text(st, 3), key,
				  sizeof(key)));
	rc |= buf_puts(&p->out, "</dl>\n");
	rc |= page_qr(p, w, code);
	return rc;
}

/* 1 when site is registered here, 0 when not, -1 on error. */
static int page_site_known(sqlite3 *db, const char *site)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sites WHERE code = ?", -1,
			       &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The body of the page for code; its status goes into *status.  Returns
 * 1 when the item's page is written, 2 when the code is of a registered
 * site but the item has not arrived, 0 when the site is unknown, -1 on
 * error.
 */
static int page_item_fill(struct page *p, struct web *w, sqlite3 *db,
			  const char *code, const char *site, unsigned *status)
{
	sqlite3_stmt *st = NULL;
	int rc, known;

	rc = sqlite3_prepare_v2(db,
				"SELECT i.text, i.received_at, i.role,"
				" i.channel, s.name FROM items i"
				" LEFT JOIN sites s ON s.code = i.site"
				" WHERE i.code = ?",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*status = MHD_HTTP_OK;
		rc = page_item_body(p, w, db, code, st);
		sqlite3_finalize(st);
		return rc ? -1 : 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	known = page_site_known(db, site);
	*status = MHD_HTTP_NOT_FOUND;
	return known == 1 ? 2 : known;
}

static enum MHD_Result page_item(struct MHD_Connection *c, struct page *p,
				 struct web *w, const char *code,
				 const char *site)
{
	unsigned status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	sqlite3 *db = web_db_get(w);
	const char *title;
	int rc;

	rc = page_item_fill(p, w, db, code, site, &status);
	web_db_put(w, db);
	if (rc < 0) {
		buf_release(&p->out);
		return http_reply(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				  "text/plain; charset=utf-8",
				  "busy, try again\n", 16);
	}
	if (rc == 1)
		return page_send(c, p, status, 0);
	if (rc == 0)
		return page_simple(c, p, MHD_HTTP_NOT_FOUND,
				   "web.notfound.title", "web.notfound.body");

	/* A real code of a real site: the item is on its way. */
	title = i18n_get(p->lang, "web.missing.title");
	rc = page_top(p, title);
	rc |= buf_puts(&p->out, "<h1>");
	rc |= html_text(&p->out, title);
	rc |= buf_puts(&p->out, " <span class=\"code\">");
	rc |= html_text(&p->out, code);
	rc |= buf_puts(&p->out, "</span></h1>\n<p>");
	rc |= html_t(&p->out, p->lang, "web.missing.body");
	rc |= buf_puts(&p->out, "</p>\n");
	rc |= page_qr(p, w, code);
	rc |= page_lookup(p);
	return page_send(c, p, MHD_HTTP_NOT_FOUND, rc);
}

static enum MHD_Result page_qr_svg(struct MHD_Connection *c, struct web *w,
				   const char *code)
{
	char url[WEB_URL_MAX + CODE_MAX + 8];
	struct buf b;

	buf_init(&b, 256 * 1024);
	if (qr_item_url(url, sizeof(url), w->public_url, code) < 0 ||
	    qr_svg(&b, url, url, NULL) < 0) {
		buf_release(&b);
		return http_reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				  "text/plain; charset=utf-8", "error\n", 6);
	}
	return http_reply_buf(c, MHD_HTTP_OK, "image/svg+xml", &b);
}

/* "/i?code=k7oo42m" from the lookup form: on to the item's own page. */
static enum MHD_Result page_lookup_go(struct MHD_Connection *c, struct page *p,
				      struct http_req *req)
{
	char canon[CODE_MAX], where[CODE_MAX + 32];
	const struct form_field *f;
	struct form form;
	const char *q;
	size_t qlen;
	int ok = 0;

	q = http_query(req, &qlen);
	if (form_parse(&form, q, qlen, 16) == 0) {
		f = form_get(&form, "code");
		ok = f != NULL &&
		     code_parse(f->value, f->value_len, canon, NULL, NULL) == 0;
		form_release(&form);
	}
	if (!ok)
		return page_simple(c, p, MHD_HTTP_NOT_FOUND,
				   "web.notfound.title", "web.notfound.body");
	buf_clear(&p->out);
	snprintf(where, sizeof(where), "/i/%s?lang=%s", canon, p->lang);
	return page_reply(c, p, MHD_HTTP_SEE_OTHER, where);
}

/* Splits "/i/CODE" and "/i/CODE/qr.svg" (any case).  1 when it is one. */
static int page_split(const char *url, const char **code, size_t *len, int *qr)
{
	size_t n;

	if (strncasecmp(url, "/i/", 3) != 0)
		return 0;
	*code = url + 3;
	n = strlen(*code);
	*qr = 0;
	if (n > 7 && strcasecmp(*code + n - 7, "/qr.svg") == 0) {
		*qr = 1;
		n -= 7;
	} else if (n > 0 && (*code)[n - 1] == '/') {
		n--;
	}
	*len = n;
	return 1;
}

static enum MHD_Result page_code(struct MHD_Connection *c, struct page *p,
				 struct web *w, const char *url)
{
	char canon[CODE_MAX], site[CODE_SITE_LEN + 1], path[CODE_MAX + 8];
	const char *code;
	size_t len;
	int qr;

	page_split(url, &code, &len, &qr);
	if (code_parse(code, len, canon, site, NULL) < 0)
		return page_simple(c, p, MHD_HTTP_NOT_FOUND,
				   "web.notfound.title", "web.notfound.body");
	if (qr) {
		buf_release(&p->out);
		return page_qr_svg(c, w, canon);
	}
	if (cycle_is_idea(w, canon) == 1) {
		buf_release(&p->out);
		return cycle_get(w, c, p->req, url);
	}
	snprintf(path, sizeof(path), "/i/%s", canon);
	p->path = path;
	return page_item(c, p, w, canon, site);
}

static enum MHD_Result page_asset(struct MHD_Connection *c, const char *url)
{
	const struct asset *a = asset_find(url);

	if (a == NULL)
		return http_reply(c, MHD_HTTP_NOT_FOUND,
				  "text/plain; charset=utf-8", "not found\n",
				  10);
	return http_reply(c, MHD_HTTP_OK, a->ctype, a->data, a->len);
}

enum MHD_Result web_page(struct web *w, struct MHD_Connection *c,
			 struct http_req *req, const char *url)
{
	const char *code;
	struct page p;
	size_t len;
	int qr;

	if (strcmp(url, "/healthz") == 0)
		return http_reply(c, MHD_HTTP_OK, "text/plain; charset=utf-8",
				  "ok\n", 3);
	if (strncmp(url, "/web/", 5) == 0)
		return page_asset(c, url);

	if (cycle_wants(url))
		return cycle_get(w, c, req, url);
	buf_init(&p.out, PAGE_MAX);
	p.req = req;
	p.lang_cookie[0] = '\0';
	p.lang = page_lang(w, c, &p);
	p.path = "/";
	if (strcmp(url, "/") == 0)
		return page_simple(c, &p, MHD_HTTP_OK, "web.home.title",
				   "web.home.body");
	if (strcasecmp(url, "/i") == 0 || strcasecmp(url, "/i/") == 0)
		return page_lookup_go(c, &p, req);
	if (page_split(url, &code, &len, &qr))
		return page_code(c, &p, w, url);
	return page_simple(c, &p, MHD_HTTP_NOT_FOUND, "web.nopage.title",
			   "web.nopage.body");
}
