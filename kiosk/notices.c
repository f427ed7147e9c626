/*
 * notices: the kiosk's page of notices and ideas, and endorsing an idea
 * once per visit, with a cap per idea.  See notices.h.
 *
 * An endorsement is decided inside one BEGIN IMMEDIATE transaction:
 * the same (idea, voter) already there means "already counted"; the
 * hour's kiosk rows for the idea at the cap mean "refused"; otherwise
 * the row is inserted and committed.  Writers to the file are
 * serialised by that transaction, so two taps at once can never both
 * pass the cap.
 */
#include "notices.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "code.h"
#include "crypto.h"
#include "form.h"
#include "html.h"
#include "i18n.h"
#include "log.h"
#include "page.h"
#include "qr.h"
#include "store.h"

#define NOTICES_MAX 30
#define NOTICES_FORM_FIELDS 16
#define NOTICES_IDLE_FACTOR 4 /* the news page waits this many idle times */
#define NOTICES_HOUR_MS (3600 * 1000LL)
#define NOTICES_URL_MAX 640

/* What became of a tap on "I agree". */
enum notices_result {
	NOTICES_COUNTED,
	NOTICES_AGAIN,	 /* this visit had endorsed the idea already */
	NOTICES_CAPPED,	 /* KIOSK_ENDORSE_PER_HOUR reached; nothing stored */
	NOTICES_BAD,	 /* no such idea, or a malformed field */
	NOTICES_NOVISIT, /* no visit token, or a malformed one */
	NOTICES_FAILED,	 /* the database could not be written */
};

/* One tap, as the form sent it. */
struct notices_tap {
	char code[CODE_MAX];
	char visit[KIOSK_VISIT_LEN + 1];
	const char *lang;
};

int kiosk_visit_valid(const char *s, size_t len)
{
	size_t i;

	if (len != KIOSK_VISIT_LEN)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int kiosk_visit_take(const struct http_req *req, char out[KIOSK_VISIT_LEN + 1])
{
	const struct form_field *f = NULL;
	char fresh[KIOSK_VISIT_LEN + 1];
	struct form form = {0};
	const char *q;
	size_t qlen;
	int found = 0;

	q = http_query(req, &qlen);
	if (qlen > 0 && form_parse(&form, q, qlen, NOTICES_FORM_FIELDS) == 0)
		f = form_get(&form, "visit");
	if (f != NULL && kiosk_visit_valid(f->value, f->value_len)) {
		memcpy(out, f->value, KIOSK_VISIT_LEN + 1);
		found = 1;
	}
	form_release(&form);
	if (found)
		return 1;
	if (crypto_random_hex(fresh, KIOSK_VISIT_LEN / 2) < 0)
		return -1;
	memcpy(out, fresh, sizeof(fresh));
	return 0;
}

static int notices_str(struct buf *out, json_t *o, const char *name)
{
	const char *s = json_string_value(json_object_get(o, name));

	return html_text(out, s != NULL ? s : "");
}

static int notices_notice(struct buf *out, json_t *o)
{
	int rc = 0;

	rc |= buf_puts(out, "<article class=\"notice\"><h2>");
	rc |= notices_str(out, o, "title");
	rc |= buf_puts(out, "</h2><p class=\"body\">");
	rc |= notices_str(out, o, "body");
	rc |= buf_puts(out, "</p></article>\n");
	return rc;
}

/* The form behind one "I agree" button. */
static int notices_button(struct buf *out, const char *code, const char *lang,
			  const char *visit)
{
	int rc = 0;

	rc |= buf_puts(out, "<form method=\"post\" action=\"/api/endorse\">"
			    "<input type=\"hidden\" name=\"code\" value=\"");
	rc |= html_text(out, code);
	rc |= buf_puts(out, "\"><input type=\"hidden\" name=\"visit\""
			    " value=\"");
	rc |= html_text(out, visit);
	rc |= buf_puts(out, "\"><input type=\"hidden\" name=\"lang\" value=\"");
	rc |= html_text(out, lang);
	rc |= buf_puts(out, "\"><button class=\"send\" type=\"submit\">");
	rc |= html_t(out, lang, "kiosk.notices.endorse");
	rc |= buf_puts(out, "</button></form>");
	return rc;
}

static int notices_idea(struct buf *out, json_t *o, const char *lang,
			const char *visit)
{
	const char *code = json_string_value(json_object_get(o, "code"));
	char canon[CODE_MAX];
	int rc = 0;

	if (code == NULL ||
	    code_parse(code, strlen(code), canon, NULL, NULL) < 0)
		return 0;
	rc |= buf_puts(out,
		       "<article class=\"idea\"><h2><span class=\"code\">");
	rc |= html_text(out, canon);
	rc |= buf_puts(out, "</span> ");
	rc |= notices_str(out, o, "title");
	rc |= buf_printf(out, "</h2><p>%lld ",
			 (long long)json_integer_value(
				 json_object_get(o, "endorsements")));
	rc |= html_t(out, lang, "kiosk.notices.endorsements");
	rc |= buf_puts(out, "</p>");
	rc |= notices_button(out, canon, lang, visit);
	rc |= buf_puts(out, "</article>\n");
	return rc;
}

static int notices_list(sqlite3 *db, struct buf *out, const char *lang,
			const char *visit)
{
	sqlite3_stmt *st = NULL;
	json_t *o;
	int rc = 0, n = 0;

	if (sqlite3_prepare_v2(db,
			       "SELECT kind, data FROM pulled WHERE kind IN"
			       " ('notice', 'idea') ORDER BY kind = 'idea',"
			       " seq DESC LIMIT ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int(st, 1, NOTICES_MAX);
	while (sqlite3_step(st) == SQLITE_ROW) {
		o = json_loadb((const char *)sqlite3_column_text(st, 1),
			       (size_t)sqlite3_column_bytes(st, 1), 0, NULL);
		if (!json_is_object(o)) {
			json_decref(o);
			continue;
		}
		if (strcmp((const char *)sqlite3_column_text(st, 0),
			   "notice") == 0)
			rc |= notices_notice(out, o);
		else
			rc |= notices_idea(out, o, lang, visit);
		json_decref(o);
		n++;
	}
	sqlite3_finalize(st);
	if (n == 0) {
		rc |= buf_puts(out, "<p>");
		rc |= html_t(out, lang, "kiosk.notices.none");
		rc |= buf_puts(out, "</p>\n");
	}
	return rc;
}

/* A link, class cls, to href + lang (+ visit), labelled with key. */
static int notices_link(struct buf *out, const char *cls, const char *href,
			const char *lang, const char *visit, const char *key)
{
	int rc = 0;

	rc |= buf_puts(out, "<a class=\"");
	rc |= html_text(out, cls);
	rc |= buf_puts(out, "\" href=\"");
	rc |= html_text(out, href);
	rc |= html_text(out, lang);
	if (visit != NULL) {
		rc |= buf_puts(out, "&amp;visit=");
		rc |= html_text(out, visit);
	}
	rc |= buf_puts(out, "\">");
	rc |= html_t(out, lang, key);
	rc |= buf_puts(out, "</a>");
	return rc;
}

static enum MHD_Result notices_send(struct MHD_Connection *c, struct buf *b,
				    unsigned status, int rc)
{
	rc |= buf_puts(b, "</main>\n");
	rc |= html_end(b);
	if (rc != 0) {
		buf_release(b);
		log_error("kiosk: a news page did not fit in %d bytes",
			  KIOSK_PAGE_MAX);
		return http_reply_error(c, 500, "page_error", "page error");
	}
	return http_reply_buf(c, status, "text/html; charset=utf-8", b);
}

/* Sends a news page asked without a visit to its address with one. */
static enum MHD_Result notices_to_visit(struct MHD_Connection *c,
					const char *lang, const char *visit)
{
	char to[64 + KIOSK_VISIT_LEN];
	int n;

	n = snprintf(to, sizeof(to), "/notices?lang=%s&visit=%s", lang, visit);
	if (n < 0 || (size_t)n >= sizeof(to))
		return http_reply_error(c, 500, "page_error", "page error");
	return http_redirect(c, to);
}

enum MHD_Result kiosk_notices_get(struct MHD_Connection *c,
				  const struct http_req *req,
				  const struct kiosk_notices *n,
				  const char *lang)
{
	char err[256], visit[KIOSK_VISIT_LEN + 1];
	sqlite3 *db = NULL;
	struct buf b;
	int had, rc = 0;

	had = kiosk_visit_take(req, visit);
	if (had < 0) {
		log_error("kiosk: no random bytes for a visit token");
		return http_reply_error(
			c, 503, "page_error",
			i18n_get(lang, "kiosk.error.page_error"));
	}
	if (!had)
		return notices_to_visit(c, lang, visit);
	buf_init(&b, KIOSK_PAGE_MAX);
	rc |= kiosk_page_begin(&b, lang, i18n_get(lang, "kiosk.notices.title"),
			       n->idle * NOTICES_IDLE_FACTOR, visit);
	rc |= buf_puts(&b, "<main class=\"screen news\"><h1>");
	rc |= html_t(&b, lang, "kiosk.notices.title");
	rc |= buf_puts(&b, "</h1>\n");
	if (store_open(n->path, STORE_READONLY, &db, err, sizeof(err)) < 0 ||
	    notices_list(db, &b, lang, visit) < 0) {
		log_error("kiosk: cannot read the pulled notices");
		rc = -1;
	}
	store_close(db);
	rc |= buf_puts(&b, "<p>");
	rc |= notices_link(&b, "send back", "/?lang=", lang, visit,
			   "kiosk.notices.back");
	rc |= buf_puts(&b, "</p>\n");
	return notices_send(c, &b, 200, rc);
}

/* 1 when the site has pulled idea code. */
static int notices_has_idea(sqlite3 *db, const char *code)
{
	sqlite3_stmt *st = NULL;
	int ok;

	if (sqlite3_prepare_v2(db,
			       "SELECT 1 FROM pulled WHERE kind = 'idea'"
			       " AND key = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return ok;
}

/*
 * The voter of visit at this device: HMAC-SHA256 keyed with the device
 * id, in lower-case hex like every voter the centre takes, so one token
 * gives one voter here and nothing links it to the token elsewhere.
 * An SQLite code.
 */
static int notices_voter(sqlite3 *db, const char *visit,
			 char out[CRYPTO_SHA256_HEX])
{
	char device[64];

	if (store_meta_get(db, "device", device, sizeof(device)) != 0 ||
	    device[0] == '\0')
		return SQLITE_ERROR;
	if (crypto_hmac_sha256_hex(device, strlen(device), visit, strlen(visit),
				   out) < 0)
		return SQLITE_ERROR;
	return SQLITE_OK;
}

/* One integer from sql with (code, [voter or time]) bound; -1 on error. */
static int64_t notices_count(sqlite3 *db, const char *sql, const char *code,
			     const char *voter, int64_t now)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (voter != NULL) {
		sqlite3_bind_text(st, 2, voter, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_int64(st, 2, now - NOTICES_HOUR_MS);
		sqlite3_bind_int64(st, 3, now + NOTICES_HOUR_MS);
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/*
 * Whether the tap may be stored, inside the caller's transaction.  The
 * hour is counted on this machine's clock; rows more than an hour in
 * its future (made before the clock was set back) do not count, so a
 * clock that was wrong cannot shut an idea out for longer than that.
 */
static enum notices_result notices_admit(sqlite3 *db, const char *code,
					 const char *voter, int64_t now)
{
	int64_t same, recent;

	same = notices_count(db,
			     "SELECT count(*) FROM endorsements"
			     " WHERE target = ? AND voter = ?",
			     code, voter, now);
	if (same != 0)
		return same < 0 ? NOTICES_FAILED : NOTICES_AGAIN;
	recent = notices_count(db,
			       "SELECT count(*) FROM endorsements"
			       " WHERE target = ? AND channel = 'kiosk'"
			       " AND made_at > ? AND made_at <= ?",
			       code, NULL, now);
	if (recent < 0)
		return NOTICES_FAILED;
	return recent >= KIOSK_ENDORSE_PER_HOUR ? NOTICES_CAPPED
						: NOTICES_COUNTED;
}

static int notices_insert(sqlite3 *db, const char *code, const char *voter,
			  const char *site, int64_t now)
{
	char id[CODE_ID_LEN + 1];
	sqlite3_stmt *st = NULL;
	int rc;

	if (code_make_id(id, (uint64_t)now) < 0)
		return SQLITE_ERROR;
	rc = sqlite3_prepare_v2(db,
				"INSERT INTO endorsements (id, target, voter,"
				" channel, site, made_at, sync_state) VALUES"
				" (?, ?, ?, 'kiosk', ?, ?, 'pending')",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, voter, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	sqlite3_finalize(st);
	return rc;
}

/* Decides and, when counted, commits one tap.  Nothing half-way. */
static enum notices_result
notices_endorse(sqlite3 *db, const struct notices_tap *t, const char *site)
{
	char voter[CRYPTO_SHA256_HEX];
	enum notices_result r = NOTICES_FAILED;
	int64_t now = store_now_ms();
	int rc;

	if (!notices_has_idea(db, t->code))
		return NOTICES_BAD;
	rc = notices_voter(db, t->visit, voter);
	if (rc == SQLITE_OK)
		rc = store_begin(db);
	if (rc != SQLITE_OK)
		goto fail;
	r = notices_admit(db, t->code, voter, now);
	if (r == NOTICES_COUNTED) {
		rc = notices_insert(db, t->code, voter, site, now);
		if (rc == SQLITE_OK)
			rc = store_commit(db);
		if (rc == SQLITE_OK)
			return NOTICES_COUNTED;
		r = NOTICES_FAILED;
	}
	store_rollback(db);
	if (r != NOTICES_FAILED)
		return r;
	rc = rc != SQLITE_OK ? rc : sqlite3_errcode(db);

fail:
	log_error("kiosk: cannot store an endorsement: %s", sqlite3_errstr(rc));
	return NOTICES_FAILED;
}

/*
 * Reads the form into t.  NOTICES_COUNTED when it is whole (to be
 * decided), else NOTICES_BAD or NOTICES_NOVISIT.  t->lang is set
 * whenever the form names a language Chorus has.
 */
static enum notices_result notices_read(const struct http_req *req,
					struct notices_tap *t)
{
	const struct form_field *code = NULL, *visit = NULL, *lang;
	struct form form = {0};
	enum notices_result r = NOTICES_BAD;

	if (req->too_large ||
	    form_parse(&form, req->body.data ? req->body.data : "",
		       req->body.len, NOTICES_FORM_FIELDS) < 0)
		return NOTICES_BAD;
	lang = form_get(&form, "lang");
	if (lang != NULL && memchr(lang->value, '\0', lang->value_len) == NULL)
		t->lang = i18n_lang(lang->value, lang->value_len);
	code = form_get(&form, "code");
	visit = form_get(&form, "visit");
	if (code == NULL ||
	    code_parse(code->value, code->value_len, t->code, NULL, NULL) < 0)
		r = NOTICES_BAD;
	else if (visit == NULL ||
		 !kiosk_visit_valid(visit->value, visit->value_len))
		r = NOTICES_NOVISIT;
	else {
		memcpy(t->visit, visit->value, KIOSK_VISIT_LEN);
		t->visit[KIOSK_VISIT_LEN] = '\0';
		r = NOTICES_COUNTED;
	}
	form_release(&form);
	return r;
}

/* Appends catalogue text key with "{code}" replaced by code, escaped. */
static int notices_t_code(struct buf *out, const char *lang, const char *key,
			  const char *code)
{
	const char *s = i18n_get(lang, key), *at = strstr(s, "{code}");
	int rc = 0;

	if (at == NULL)
		return html_text(out, s);
	rc |= html_escape(out, s, (size_t)(at - s));
	rc |= html_text(out, code);
	rc |= html_text(out, at + 6);
	return rc;
}

/* The ways left to endorse an idea the kiosk can take no more for. */
static int notices_elsewhere(struct buf *out, const char *lang,
			     const struct kiosk_notices *n, const char *code)
{
	char url[NOTICES_URL_MAX];
	int rc = 0;

	rc |= buf_puts(out, "<p>");
	rc |= notices_t_code(out, lang, "kiosk.endorse.elsewhere", code);
	rc |= buf_puts(out, "</p>\n");
	if (qr_item_url(url, sizeof(url), n->public_url, code) < 0)
		return rc;
	rc |= buf_puts(out, "<p class=\"url\">");
	rc |= html_text(out, url);
	rc |= buf_puts(out, "</p>\n");
	return rc;
}

/* The status code and message key of a result. */
static unsigned notices_status(enum notices_result r, const char **key)
{
	static const struct {
		unsigned status;
		const char *key;
	} table[] = {
		[NOTICES_COUNTED] = {201, "kiosk.notices.thanks"},
		[NOTICES_AGAIN] = {200, "kiosk.endorse.again"},
		[NOTICES_CAPPED] = {429, "kiosk.endorse.capped"},
		[NOTICES_BAD] = {400, "kiosk.notices.failed"},
		[NOTICES_NOVISIT] = {400, "kiosk.endorse.no_visit"},
		[NOTICES_FAILED] = {503, "error.storage"},
	};

	*key = table[r].key;
	return table[r].status;
}

/* The page that answers a tap. */
static enum MHD_Result notices_answer(struct MHD_Connection *c,
				      const struct kiosk_notices *n,
				      const struct notices_tap *t,
				      enum notices_result r)
{
	const char *key, *visit = t->visit[0] != '\0' ? t->visit : NULL;
	unsigned status = notices_status(r, &key);
	struct buf b;
	int rc = 0;

	buf_init(&b, KIOSK_PAGE_MAX);
	rc |= kiosk_page_begin(&b, t->lang,
			       i18n_get(t->lang, "kiosk.notices.title"),
			       n->idle, visit);
	rc |= buf_puts(&b, "<main class=\"screen endorsed\">\n"
			   "<div role=\"status\"><h1>");
	rc |= html_t(&b, t->lang, key);
	rc |= buf_puts(&b, "</h1>\n");
	if (r == NOTICES_CAPPED)
		rc |= notices_elsewhere(&b, t->lang, n, t->code);
	rc |= buf_puts(&b, "</div>\n<p>");
	rc |= notices_link(&b, "send back", "/notices?lang=", t->lang, visit,
			   "kiosk.endorse.more");
	rc |= buf_puts(&b, " ");
	rc |= notices_link(&b, "again", "/?lang=", t->lang, NULL,
			   "kiosk.endorse.done");
	rc |= buf_puts(&b, "</p>\n");
	return notices_send(c, &b, status, rc);
}

enum MHD_Result kiosk_endorse_post(struct MHD_Connection *c,
				   const struct http_req *req,
				   const struct kiosk_notices *n,
				   const char *lang)
{
	struct notices_tap t = {.lang = NULL};
	enum notices_result r;
	char err[256];
	sqlite3 *db = NULL;

	r = notices_read(req, &t);
	if (t.lang == NULL)
		t.lang = lang;
	if (r == NOTICES_COUNTED) {
		if (store_open(n->path, 0, &db, err, sizeof(err)) == 0)
			r = notices_endorse(db, &t, n->site);
		else {
			log_error("kiosk: %s", err);
			r = NOTICES_FAILED;
		}
		store_close(db);
	}
	if (r == NOTICES_CAPPED)
		log_info("kiosk: idea %s has had %d kiosk endorsements this"
			 " hour; refused one more",
			 t.code, KIOSK_ENDORSE_PER_HOUR);
	return notices_answer(c, n, &t, r);
}
