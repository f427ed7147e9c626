/*
 * notices: the kiosk's page of notices and ideas, and endorsing an idea.
 * See notices.h.
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
#include "store.h"

#define NOTICES_MAX 30

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

static int notices_idea(struct buf *out, json_t *o, const char *lang)
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
	rc |= buf_puts(out, "</p><form method=\"post\" action=\"/api/endorse\">"
			    "<input type=\"hidden\" name=\"code\" value=\"");
	rc |= html_text(out, canon);
	rc |= buf_puts(out, "\"><input type=\"hidden\" name=\"lang\" value=\"");
	rc |= html_text(out, lang);
	rc |= buf_puts(out, "\"><button class=\"send\" type=\"submit\">");
	rc |= html_t(out, lang, "kiosk.notices.endorse");
	rc |= buf_puts(out, "</button></form></article>\n");
	return rc;
}

static int notices_list(sqlite3 *db, struct buf *out, const char *lang)
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
			rc |= notices_idea(out, o, lang);
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

static enum MHD_Result notices_send(struct MHD_Connection *c, struct buf *b,
				    const char *lang, unsigned status, int rc)
{
	rc |= buf_puts(b, "<p><a class=\"send back\" href=\"/?lang=");
	rc |= html_text(b, lang);
	rc |= buf_puts(b, "\">");
	rc |= html_t(b, lang, "kiosk.notices.back");
	rc |= buf_puts(b, "</a></p></main>\n");
	rc |= html_end(b);
	if (rc != 0) {
		buf_release(b);
		return http_reply_error(c, 500, "page_error", "page error");
	}
	return http_reply_buf(c, status, "text/html; charset=utf-8", b);
}

enum MHD_Result kiosk_notices_get(struct MHD_Connection *c, const char *path,
				  const char *lang)
{
	char err[256];
	sqlite3 *db = NULL;
	struct buf b;
	int rc = 0;

	buf_init(&b, KIOSK_PAGE_MAX);
	rc |= html_begin(&b, lang, i18n_get(lang, "kiosk.notices.title"),
			 "/kiosk/kiosk.css", "kiosk");
	rc |= buf_puts(&b, "<main><h1>");
	rc |= html_t(&b, lang, "kiosk.notices.title");
	rc |= buf_puts(&b, "</h1>\n");
	if (store_open(path, STORE_READONLY, &db, err, sizeof(err)) < 0 ||
	    notices_list(db, &b, lang) < 0) {
		log_error("kiosk: cannot read the pulled notices");
		rc = -1;
	}
	store_close(db);
	return notices_send(c, &b, lang, 200, rc);
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

static int notices_endorse(sqlite3 *db, const char *code, const char *site)
{
	char id[CODE_ID_LEN + 1], rnd[33], voter[CRYPTO_SHA256_HEX + 8];
	char hash[CRYPTO_SHA256_HEX];
	sqlite3_stmt *st = NULL;
	int64_t now = store_now_ms();
	int rc;

	if (code_make_id(id, (uint64_t)now) < 0 ||
	    crypto_random_hex(rnd, 16) < 0)
		return SQLITE_ERROR;
	crypto_sha256_hex(rnd, 32, hash);
	snprintf(voter, sizeof(voter), "kiosk:%s", hash);
	rc = store_begin(db);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
					"INSERT INTO endorsements (id, target,"
					" voter, channel, site, made_at,"
					" sync_state) VALUES (?, ?, ?, 'kiosk',"
					" ?, ?, 'pending')",
					-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, voter, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, site, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, now);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	return rc;
}

enum MHD_Result kiosk_endorse_post(struct MHD_Connection *c,
				   const struct http_req *req, const char *path,
				   const char *site, const char *lang)
{
	char canon[CODE_MAX], err[256];
	const struct form_field *f = NULL;
	struct form form = {0};
	sqlite3 *db = NULL;
	struct buf b;
	int ok = 0, rc = 0;

	if (form_parse(&form, req->body.data ? req->body.data : "",
		       req->body.len, 16) == 0)
		f = form_get(&form, "code");
	ok = f != NULL &&
	     code_parse(f->value, f->value_len, canon, NULL, NULL) == 0;
	form_release(&form);
	if (ok && store_open(path, 0, &db, err, sizeof(err)) == 0)
		ok = notices_has_idea(db, canon) &&
		     notices_endorse(db, canon, site) == SQLITE_OK;
	else
		ok = 0;
	store_close(db);
	buf_init(&b, KIOSK_PAGE_MAX);
	rc |= html_begin(&b, lang, i18n_get(lang, "kiosk.notices.title"),
			 "/kiosk/kiosk.css", "kiosk");
	rc |= buf_puts(&b, "<main><h1 role=\"status\">");
	rc |= html_t(&b, lang,
		     ok ? "kiosk.notices.thanks" : "kiosk.notices.failed");
	rc |= buf_puts(&b, "</h1>\n");
	return notices_send(c, &b, lang, ok ? 201 : 400, rc);
}
