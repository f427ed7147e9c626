/*
 * notice: "you said, we did" notices, their posters, and the SMS update.
 *
 * A notice is written on an idea's staff page for every site, one site or
 * one cluster, from a draft: the idea's title, and a line for each of its
 * decisions and actions with where it stands.  Saving it, in one
 * transaction: the notices row, the idea moves to "shared" (unless it is
 * applied already), a feed row of kind "notice" for the sites in scope to
 * pull and show on their kiosks, the idea's own feed row and the audit
 * row.  The notice's feed row also carries the codes of the idea's items,
 * the idea's public URL and, when staff asked to send it by text message,
 * "sms": true: each site then texts the phones there that asked to follow
 * the idea or one of its items (sms-gateway/sms_follow.h,
 * docs/sms-follow.md).  Phone numbers never leave the sites, so the
 * centre sends no SMS itself.
 *
 * The poster (/staff/poster/ID?size=a4 or letter) is one printable page:
 * the idea's code, its status and latest decision, what people said and
 * what was done, and a QR code to the idea's page drawn as inline SVG, so
 * it is sharp at any size and needs no other request.  Its size links are
 * cyc_paper_links() (cycle.h), which the prompt flyer shares.
 */
#include <stdio.h>
#include <string.h>

#include "cycle.h"
#include "feed.h"
#include "i18n.h"
#include "log.h"
#include "qr.h"
#include "scope.h"
#include "store.h"

#define NOTICE_BODY_MAX 4000

/*
 * Reads who a notice is for (every site, a site or a cluster: a scope of
 * at most one target, web/scope.h) into s.  1 when it names every site
 * or a site or cluster that exists, 0 when not, -1 on error.
 */
static int notice_scope_read(struct cyc *x, const char *typed, struct scope *s)
{
	struct buf missing;
	int rc;

	if (scope_split(typed, strlen(typed), s) < 0 || s->count > 1)
		return 0;
	buf_init(&missing, SCOPE_TEXT_MAX);
	rc = scope_resolve(x->db, s, &missing);
	buf_release(&missing);
	return rc < 0 ? -1 : rc == 0;
}

/* The <option>s of the clusters x's account may send to. */
static int notice_cluster_options(struct cyc *x)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(x->db,
			       "SELECT DISTINCT cluster FROM sites"
			       " WHERE cluster IS NOT NULL AND cluster <> ''"
			       " AND token_hash <> '-' AND " CYC_SCOPE_SQL(
				       "code") " ORDER BY cluster",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	cyc_bind_scope(x, st);
	while (sqlite3_step(st) == SQLITE_ROW) {
		rc |= buf_puts(&x->out, "<option value=\"cluster:");
		rc |= cyc_col(x, st, 0);
		rc |= buf_puts(&x->out, "\">");
		rc |= cyc_tx(x, "staff.notice.cluster");
		rc |= buf_puts(&x->out, " ");
		rc |= cyc_col(x, st, 0);
		rc |= buf_puts(&x->out, "</option>");
	}
	sqlite3_finalize(st);
	return rc;
}

/* The list of who a notice is for: only what the account may choose. */
static int notice_scope_select(struct cyc *x)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "</label> <select id=\"n-s\" name=\"scope\">");
	if (strcmp(x->me.role, "district") == 0) {
		rc |= buf_puts(&x->out, "<option value=\"\">");
		rc |= cyc_tx(x, "staff.notice.everyone");
		rc |= buf_puts(&x->out, "</option>");
	}
	if (strcmp(x->me.role, "site") != 0)
		rc |= notice_cluster_options(x);
	rc |= cyc_site_options(x, x->me.site);
	rc |= buf_puts(&x->out, "</select>");
	return rc;
}

/* The draft's title: the idea's own, for staff to keep or change. */
static int notice_draft_title(struct cyc *x, const char *idea)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(x->db, "SELECT title FROM ideas WHERE code = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, idea, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc |= cyc_col(x, st, 0);
	sqlite3_finalize(st);
	return rc;
}

/*
 * The draft of what was done: one line per decision and action of the
 * idea, oldest first, "text (site, status)" with the status in the
 * reader's words, so a notice starts from what was decided.
 */
static int notice_draft_body(struct cyc *x, const char *idea)
{
	sqlite3_stmt *st = NULL;
	char key[48];
	int rc = 0;

	if (sqlite3_prepare_v2(x->db,
			       "SELECT d.text, coalesce(s.name, d.site),"
			       " d.status FROM decisions d"
			       " LEFT JOIN sites s ON s.code = d.site"
			       " WHERE d.idea = ? ORDER BY d.n LIMIT 20",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, idea, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(key, sizeof(key), "public.status.%.20s",
			 (const char *)sqlite3_column_text(st, 2));
		rc |= cyc_col(x, st, 0);
		rc |= buf_puts(&x->out, " (");
		rc |= cyc_col(x, st, 1);
		rc |= buf_puts(&x->out, ", ");
		rc |= cyc_tx(x, key);
		rc |= buf_puts(&x->out, ")\n");
	}
	sqlite3_finalize(st);
	return rc;
}

int notice_section(struct cyc *x, const char *idea, int writes)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	rc |= buf_puts(&x->out, "<h2>");
	rc |= cyc_tx(x, "staff.notice.title");
	rc |= buf_puts(&x->out, "</h2>\n<ul class=\"notices\">\n");
	if (sqlite3_prepare_v2(x->db,
			       "SELECT id, title, scope FROM notices"
			       " WHERE idea = ? ORDER BY n",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, idea, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		rc |= buf_puts(&x->out, "<li>");
		rc |= cyc_col(x, st, 1);
		rc |= buf_puts(&x->out, " (");
		if (sqlite3_column_type(st, 2) == SQLITE_NULL)
			rc |= cyc_tx(x, "staff.notice.everyone");
		else
			rc |= cyc_col(x, st, 2);
		rc |= buf_puts(&x->out, ") <a href=\"/staff/poster/");
		rc |= cyc_col(x, st, 0);
		rc |= buf_puts(&x->out, "?size=a4\">");
		rc |= cyc_tx(x, "staff.notice.poster_a4");
		rc |= buf_puts(&x->out, "</a> <a href=\"/staff/poster/");
		rc |= cyc_col(x, st, 0);
		rc |= buf_puts(&x->out, "?size=letter\">");
		rc |= cyc_tx(x, "staff.notice.poster_letter");
		rc |= buf_puts(&x->out, "</a></li>\n");
	}
	sqlite3_finalize(st);
	rc |= buf_puts(&x->out, "</ul>\n");
	if (!writes)
		return rc;
	rc |= buf_puts(&x->out,
		       "<form method=\"post\" action=\"/staff/notice\">"
		       "<fieldset><legend>");
	rc |= cyc_tx(x, "staff.notice.new");
	rc |= buf_puts(&x->out, "</legend><p><label for=\"n-t\">");
	rc |= cyc_tx(x, "staff.notice.heading");
	rc |= buf_puts(&x->out, "</label><br><input id=\"n-t\" name=\"title\""
				" required maxlength=\"300\" size=\"60\""
				" value=\"");
	rc |= notice_draft_title(x, idea);
	rc |= buf_puts(&x->out, "\"></p><p><label for=\"n-b\">");
	rc |= cyc_tx(x, "staff.notice.body");
	rc |= buf_puts(&x->out, "</label><br><textarea id=\"n-b\" name=\"body\""
				" rows=\"4\" required maxlength=\"4000\">");
	rc |= notice_draft_body(x, idea);
	rc |= buf_puts(&x->out, "</textarea></p><p><label for=\"n-s\">");
	rc |= cyc_tx(x, "staff.notice.scope");
	rc |= notice_scope_select(x);
	rc |= buf_puts(&x->out, "</p><p><input type=\"checkbox\" id=\"n-sms\""
				" name=\"sms\" value=\"1\"> <label"
				" for=\"n-sms\">");
	rc |= cyc_tx(x, "staff.notice.sms");
	rc |= buf_puts(&x->out, "</label></p><input type=\"hidden\""
				" name=\"idea\" value=\"");
	rc |= cyc_e(x, idea);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_csrf(x);
	rc |= buf_puts(&x->out, "<button type=\"submit\">");
	rc |= cyc_tx(x, "staff.notice.publish");
	rc |= buf_puts(&x->out, "</button></fieldset></form>\n");
	return rc;
}

static int notice_insert(struct cyc *x, const char *id, const char *idea,
			 const char *title, const char *body, const char *scope)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(x->db,
				"INSERT INTO notices (id, idea, title, body,"
				" lang, scope, created_at)"
				" VALUES (?, ?, ?, ?, ?, ?, ?)",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, idea, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, x->lang, -1, SQLITE_STATIC);
	if (scope[0] != '\0')
		sqlite3_bind_text(st, 6, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, store_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The codes of the idea's items, from every site, as a new array. */
static json_t *notice_items(sqlite3 *db, const char *idea)
{
	sqlite3_stmt *st = NULL;
	json_t *a = json_array();
	int rc;

	if (a == NULL)
		return NULL;
	if (sqlite3_prepare_v2(db,
			       "SELECT item FROM idea_items WHERE idea = ?"
			       " ORDER BY item",
			       -1, &st, NULL) != SQLITE_OK) {
		json_decref(a);
		return NULL;
	}
	sqlite3_bind_text(st, 1, idea, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (json_array_append_new(
			    a, json_string((const char *)sqlite3_column_text(
				       st, 0))) < 0)
			break;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/*
 * The notice's feed row: what sites show, plus what they need to text
 * the phones that follow the idea or one of its items (sms-follow.md).
 */
static int notice_feed(struct cyc *x, const char *id, const char *idea,
		       const char *title, const char *body, const char *scope,
		       int sms)
{
	char url[WEB_URL_MAX + CODE_MAX + 8];
	json_t *j;
	int rc;

	if (qr_item_url(url, sizeof(url), x->w->public_url, idea) < 0)
		return SQLITE_TOOBIG;
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o*, s:b}", "id", id,
		      "idea", idea, "title", title, "body", body, "lang",
		      x->lang, "url", url, "items", notice_items(x->db, idea),
		      "sms", sms);
	if (j == NULL || !json_is_array(json_object_get(j, "items"))) {
		json_decref(j);
		return SQLITE_NOMEM;
	}
	rc = feed_publish(x->db, "notice", id, scope[0] ? scope : NULL, j);
	json_decref(j);
	return rc;
}

static int notice_shared(sqlite3 *db, const char *idea)
{
	sqlite3_stmt *st = NULL;
	int rc, moved;

	rc = sqlite3_prepare_v2(db,
				"UPDATE ideas SET phase = 'shared',"
				" updated_at = ? WHERE code = ?"
				" AND phase IN ('consolidated','captured')",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, store_now_ms());
	sqlite3_bind_text(st, 2, idea, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	moved = sqlite3_changes(db);
	rc = moved ? cyc_phase(db, idea, "shared") : SQLITE_OK;
	return rc == SQLITE_OK ? cycle_publish_idea(db, idea) : rc;
}

static int notice_save(struct cyc *x, const char *idea, const char *title,
		       const char *body, const char *scope, int sms,
		       char id[CODE_ID_LEN + 1])
{
	int rc;

	if (code_make_id(id, (uint64_t)store_now_ms()) < 0)
		return SQLITE_ERROR;
	rc = store_begin(x->db);
	if (rc == SQLITE_OK)
		rc = notice_insert(x, id, idea, title, body, scope);
	if (rc == SQLITE_OK)
		rc = notice_feed(x, id, idea, title, body, scope, sms);
	if (rc == SQLITE_OK)
		rc = notice_shared(x->db, idea);
	if (rc == SQLITE_OK)
		rc = cycle_audit(x->db, x->me.id, "notice.new", idea, title);
	if (rc == SQLITE_OK)
		rc = store_commit(x->db);
	if (rc != SQLITE_OK)
		store_rollback(x->db);
	return rc;
}

enum MHD_Result notice_post(struct cyc *x)
{
	const char *title, *body, *scope, *raw;
	char idea[CODE_MAX], id[CODE_ID_LEN + 1], where[64];
	char canon[sizeof(SCOPE_CLUSTER_PREFIX) + SCOPE_NAME_MAX] = "";
	const struct scope_target *refused;
	struct scope sc;
	size_t tlen = 0, blen = 0;
	int known, allowed;

	raw = cyc_str(&x->f, "idea", 40);
	title = cyc_field(&x->f, "title", CYCLE_TITLE_MAX, &tlen);
	body = cyc_field(&x->f, "body", NOTICE_BODY_MAX, &blen);
	scope = cyc_str(&x->f, "scope", 210);
	if (code_parse(raw, strlen(raw), idea, NULL, NULL) < 0 ||
	    cycle_is_idea_db(x->db, idea) != 1 || title == NULL || tlen == 0 ||
	    body == NULL || blen == 0)
		return cyc_message(x, 400, "staff.unsaved.title",
				   "staff.notice.bad");
	known = notice_scope_read(x, scope, &sc);
	allowed = known > 0 ? scope_allows(x->db, &x->me, &sc, &refused) : 0;
	if (known < 0 || allowed < 0)
		return cyc_message(x, 503, "staff.error.title",
				   "staff.error.body");
	if (known == 0)
		return cyc_message_about(x, 400, "staff.unsaved.title",
					 "staff.notice.unknown_scope", scope);
	if (!allowed)
		return cyc_message(x, 403, "staff.forbidden.title",
				   "staff.notice.bad_scope");
	if (sc.count == 1)
		scope_feed(&sc, 0, canon);
	if (notice_save(x, idea, title, body, canon,
			cyc_str(&x->f, "sms", 2)[0] == '1', id) != SQLITE_OK)
		return cyc_message(x, 503, "staff.error.title",
				   "staff.error.body");
	snprintf(where, sizeof(where), "/staff/ideas/%s", idea);
	return cyc_redirect(x, where);
}

/* ---- the poster ---------------------------------------------------------- */

static int notice_poster_body(struct cyc *x, sqlite3_stmt *st)
{
	char url[WEB_URL_MAX + CODE_MAX + 8], key[48];
	const char *code = (const char *)sqlite3_column_text(st, 0);
	int rc = 0;

	rc |= buf_puts(&x->out, "<p class=\"kicker\">");
	rc |= cyc_tx(x, "poster.kicker");
	rc |= buf_puts(&x->out, "</p><h1>");
	rc |= cyc_col(x, st, 2);
	rc |= buf_puts(&x->out, "</h1>\n<h2>");
	rc |= cyc_tx(x, "poster.said");
	rc |= buf_puts(&x->out, "</h2><p class=\"said\">");
	rc |= cyc_col(x, st, 1);
	rc |= buf_puts(&x->out, "</p>\n<h2>");
	rc |= cyc_tx(x, "poster.did");
	rc |= buf_puts(&x->out, "</h2><p class=\"did\">");
	rc |= cyc_col(x, st, 3);
	rc |= buf_puts(&x->out, "</p>\n<dl class=\"facts\"><dt>");
	rc |= cyc_tx(x, "staff.col.idea");
	rc |= buf_puts(&x->out, "</dt><dd class=\"code\">");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, "</dd><dt>");
	rc |= cyc_tx(x, "staff.inbox.phase");
	rc |= buf_puts(&x->out, "</dt><dd>");
	snprintf(key, sizeof(key), "staff.phase.%s",
		 (const char *)sqlite3_column_text(st, 4));
	rc |= cyc_tx(x, key);
	rc |= buf_puts(&x->out, "</dd>");
	if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
		rc |= buf_puts(&x->out, "<dt>");
		rc |= cyc_tx(x, "public.event.decision");
		rc |= buf_puts(&x->out, "</dt><dd>");
		rc |= cyc_col(x, st, 5);
		rc |= buf_puts(&x->out, "</dd>");
	}
	rc |= buf_puts(&x->out, "</dl>\n<div class=\"qr\">");
	if (qr_item_url(url, sizeof(url), x->w->public_url, code) < 0 ||
	    qr_svg(&x->out, url, cyc_t(x, "web.qr.alt"), NULL) < 0)
		rc = -1;
	rc |= buf_puts(&x->out, "<p class=\"url\">");
	rc |= cyc_e(x, url);
	rc |= buf_puts(&x->out, "</p></div>\n<p>");
	rc |= cyc_tx(x, "poster.scan");
	rc |= buf_puts(&x->out, "</p>\n");
	return rc;
}

enum MHD_Result notice_poster_page(struct cyc *x, const char *id)
{
	const char *size = cyc_paper(x);
	sqlite3_stmt *st = NULL;
	enum MHD_Result ret;
	int rc = 0;

	if (sqlite3_prepare_v2(
		    x->db,
		    "SELECT d.code, d.title, n.title, n.body, d.phase,"
		    " (SELECT text FROM decisions WHERE idea = d.code AND"
		    "  kind = 'decision' ORDER BY updated_at DESC LIMIT 1),"
		    " d.site FROM notices n JOIN ideas d ON d.code = n.idea"
		    " WHERE n.id = ?",
		    -1, &st, NULL) != SQLITE_OK)
		return cyc_send(x, 500, -1);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return cyc_message(x, 404, "staff.notfound.title",
				   "staff.notfound.body");
	}
	rc |= cyc_staff_top(x, (const char *)sqlite3_column_text(st, 2));
	rc |= cyc_paper_links(x);
	rc |= buf_printf(&x->out, "<article class=\"poster size-%s\">\n", size);
	rc |= notice_poster_body(x, st);
	rc |= buf_puts(&x->out, "</article>\n");
	sqlite3_finalize(st);
	ret = cyc_send(x, MHD_HTTP_OK, rc);
	return ret;
}
