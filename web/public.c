/*
 * public: an idea's public page, endorsing it, the readiness rule and
 * the list of ideas.  No account, no script.
 *
 * Endorsing from a browser: the page gives the browser a random token in
 * a cookie (chorus_v, SameSite=Lax so that a QR scan still sends it) and
 * puts HMAC(key, token) in the form.  A POST counts only with both, so
 * another site cannot make a visitor endorse (the token is the CSRF
 * check); the endorsement's voter is "web:" and a second HMAC of the
 * token under the server key, so the table never holds the cookie
 * itself, and (target, voter) is unique, so a browser endorses once.
 * A browser that drops its cookie gets a new token, so endorsements are
 * limited per address as well: PUBLIC_ENDORSE_PER_HOUR in all, and
 * PUBLIC_ENDORSE_PER_IDEA_DAY of one idea a day (cycle_rate(), which
 * keeps its counts in the database).  /rule says so.
 *
 * Every link of a public page carries ?lang= of the page, so a reader
 * who chose Spanish stays in Spanish.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cycle.h"
#include "item.h"
#include "log.h"
#include "qr.h"
#include "store.h"

#define PUBLIC_VOTER_COOKIE "chorus_v"
#define PUBLIC_ENDORSE_PER_HOUR 60
#define PUBLIC_ENDORSE_PER_IDEA_DAY 3
#define PUBLIC_DAY_MS (24LL * 60 * 60 * 1000)

/* Closes an href with the page's language: "?lang=es\">". */
static int public_lang_q(struct cyc *x)
{
	int rc = buf_puts(&x->out, "?lang=");

	rc |= cyc_e(x, x->lang);
	rc |= buf_puts(&x->out, "\">");
	return rc;
}

/* The links between the public pages, each in the page's language. */
static int public_nav(struct cyc *x)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<nav class=\"public\" aria-label=\"");
	rc |= cyc_tx(x, "public.nav.label");
	rc |= buf_puts(&x->out, "\"><a href=\"/ideas");
	rc |= public_lang_q(x);
	rc |= cyc_tx(x, "public.nav.ideas");
	rc |= buf_puts(&x->out, "</a> <a href=\"/rule");
	rc |= public_lang_q(x);
	rc |= cyc_tx(x, "public.nav.rule");
	rc |= buf_puts(&x->out, "</a></nav>\n");
	return rc;
}

/* HMAC(key, what + token) as hex. */
static int public_mac(struct cyc *x, const char *what, const char *token,
		      char out[CRYPTO_SHA256_HEX])
{
	char msg[128];
	const char *key = cycle_key(x->w);

	snprintf(msg, sizeof(msg), "%s:%s", what, token);
	return crypto_hmac_sha256_hex(key, strlen(key), msg, strlen(msg), out);
}

/* The browser's token: the cookie's, or a new one set on this answer. */
static int public_token(struct cyc *x, char out[CRYPTO_SHA256_HEX], int *fresh)
{
	const char *c = MHD_lookup_connection_value(x->c, MHD_COOKIE_KIND,
						    PUBLIC_VOTER_COOKIE);
	*fresh = 0;
	if (c != NULL && strlen(c) == 64 &&
	    strspn(c, "0123456789abcdef") == 64) {
		snprintf(out, CRYPTO_SHA256_HEX, "%s", c);
		return 0;
	}
	if (crypto_random_hex(out, 32) < 0)
		return -1;
	snprintf(x->cookie, sizeof(x->cookie),
		 PUBLIC_VOTER_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax;"
				     " Max-Age=31536000%s",
		 out,
		 strncmp(x->w->public_url, "https:", 6) == 0 ? "; Secure" : "");
	*fresh = 1;
	return 0;
}

/* 1 when voter has endorsed code already. */
static int public_endorsed(struct cyc *x, const char *code, const char *voter)
{
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (sqlite3_prepare_v2(x->db,
			       "SELECT 1 FROM endorsements WHERE target = ?"
			       " AND voter = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, voter, -1, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return ok;
}

static int public_voter(struct cyc *x, const char *token,
			char voter[CRYPTO_SHA256_HEX + 8])
{
	char mac[CRYPTO_SHA256_HEX];

	if (public_mac(x, "voter", token, mac) < 0)
		return -1;
	snprintf(voter, CRYPTO_SHA256_HEX + 8, "web:%s", mac);
	return 0;
}

/* ---- the readiness, in words --------------------------------------------- */

static int public_rule_line(struct cyc *x, const char *key, unsigned have,
			    unsigned need)
{
	int rc = 0;

	rc |= buf_printf(&x->out, "<li class=\"%s\">",
			 have >= need ? "met" : "unmet");
	rc |= cyc_tx(x, have >= need ? "public.rule.met" : "public.rule.unmet");
	rc |= buf_puts(&x->out, " ");
	rc |= cyc_tx(x, key);
	rc |= buf_printf(&x->out, ": %u / %u</li>\n", have, need);
	return rc;
}

int public_ready(struct cyc *x, const char *code)
{
	struct ready_rule r;
	struct ready_count n;
	int rc = 0;

	ready_rule_get(x->db, &r);
	if (ready_count_idea(x->db, code, &n) < 0)
		return -1;
	rc |= buf_puts(&x->out, "<section class=\"ready\"><h2>");
	rc |= cyc_tx(x, "public.ready.title");
	rc |= buf_puts(&x->out, "</h2>\n<p><strong>");
	rc |= cyc_tx(x, ready_met(&r, &n) ? "public.ready.yes"
					  : "public.ready.no");
	rc |= buf_puts(&x->out, "</strong> ");
	rc |= cyc_tx(x, "public.ready.why");
	rc |= buf_puts(&x->out, "</p>\n<ul>\n");
	rc |= public_rule_line(x, "public.rule.endorsements", n.endorsements,
			       r.endorsements);
	rc |= public_rule_line(x, "public.rule.groups", n.groups, r.groups);
	rc |= public_rule_line(x, "public.rule.sites", n.sites, r.sites);
	rc |= buf_puts(&x->out, "</ul>\n<p><a href=\"/rule?lang=");
	rc |= cyc_e(x, x->lang);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_tx(x, "public.rule.link");
	rc |= buf_puts(&x->out, "</a></p></section>\n");
	return rc;
}

/* The endorse form, or, when this browser has endorsed, that it has. */
static int public_endorse_form(struct cyc *x, const char *code,
			       const char *token, int endorsed)
{
	char mac[CRYPTO_SHA256_HEX], key[32];
	const char *const *r;
	int rc = 0;

	if (public_mac(x, "endorse", token, mac) < 0)
		return -1;
	rc |= buf_puts(&x->out, "<section class=\"endorse\"><h2>");
	rc |= cyc_tx(x, "public.endorse.title");
	rc |= buf_puts(&x->out, "</h2>\n");
	if (endorsed) {
		rc |= buf_puts(&x->out, "<p class=\"ok\">");
		rc |= cyc_tx(x, "public.endorse.done");
		rc |= buf_puts(&x->out, "</p></section>\n");
		return rc;
	}
	rc |= buf_puts(&x->out, "<form method=\"post\" action=\"/i/");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, "/endorse\"><input type=\"hidden\" name=\"t\""
				" value=\"");
	rc |= cyc_e(x, mac);
	rc |= buf_puts(&x->out, "\"><input type=\"hidden\" name=\"lang\""
				" value=\"");
	rc |= cyc_e(x, x->lang);
	rc |= buf_puts(&x->out, "\"><p><label for=\"role\">");
	rc |= cyc_tx(x, "public.endorse.role");
	rc |= buf_puts(&x->out, "</label> <select id=\"role\" name=\"role\">"
				"<option value=\"\">");
	rc |= cyc_tx(x, "public.endorse.role_none");
	rc |= buf_puts(&x->out, "</option>");
	for (r = item_roles; *r != NULL; r++) {
		snprintf(key, sizeof(key), "role.%s", *r);
		rc |= buf_printf(&x->out, "<option value=\"%s\">", *r);
		rc |= cyc_tx(x, key);
		rc |= buf_puts(&x->out, "</option>");
	}
	rc |= buf_puts(&x->out, "</select></p><button type=\"submit\">");
	rc |= cyc_tx(x, "public.endorse.button");
	rc |= buf_puts(&x->out, "</button></form></section>\n");
	return rc;
}

/* ---- what the page lists ------------------------------------------------- */

static int public_items(struct cyc *x, const char *code)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(x->db,
			       "SELECT i.code, i.text FROM idea_items ii"
			       " JOIN items i ON i.code = ii.item"
			       " WHERE ii.idea = ? ORDER BY i.n LIMIT 100",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc |= buf_puts(&x->out, "<section><h2>");
	rc |= cyc_tx(x, "public.idea.said");
	rc |= buf_puts(&x->out, "</h2>\n<ul class=\"said\">\n");
	while (sqlite3_step(st) == SQLITE_ROW) {
		rc |= buf_puts(&x->out, "<li><a class=\"code\" href=\"/i/");
		rc |= cyc_col(x, st, 0);
		rc |= public_lang_q(x);
		rc |= cyc_col(x, st, 0);
		rc |= buf_puts(&x->out, "</a> <q class=\"text\">");
		rc |= cyc_col_masked(x, st, 1);
		rc |= buf_puts(&x->out, "</q></li>\n");
	}
	sqlite3_finalize(st);
	rc |= buf_puts(&x->out, "</ul></section>\n");
	return rc;
}

/* Notices, decisions, actions and phases, oldest first. */
static const char public_timeline_sql[] =
	"SELECT at, what, a, b, c FROM ("
	" SELECT min(i.received_at) AS at, 'first' AS what, NULL AS a,"
	"  NULL AS b, NULL AS c FROM idea_items ii JOIN items i"
	"  ON i.code = ii.item WHERE ii.idea = ?1"
	" UNION ALL SELECT at, 'phase', phase, NULL, NULL FROM phases"
	"  WHERE idea = ?1"
	" UNION ALL SELECT created_at, 'notice', title, body, scope"
	"  FROM notices WHERE idea = ?1"
	" UNION ALL SELECT updated_at, kind, text, site,"
	"  status || CASE WHEN adopted THEN ' adopted' ELSE '' END"
	"  FROM decisions WHERE idea = ?1)"
	" WHERE at IS NOT NULL ORDER BY at LIMIT 200";

static int public_event(struct cyc *x, sqlite3_stmt *st)
{
	char when[STORE_TIME_LEN], key[64];
	const char *what = (const char *)sqlite3_column_text(st, 1);
	const char *c = (const char *)sqlite3_column_text(st, 4);
	int rc = 0;

	/* The day as the reader writes it; the machine form beside it. */
	store_format_time(sqlite3_column_int64(st, 0), when);
	rc |= buf_puts(&x->out, "<li><time datetime=\"");
	rc |= cyc_en(x, when, 10);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_date(x, sqlite3_column_int64(st, 0));
	rc |= buf_puts(&x->out, "</time> ");
	snprintf(key, sizeof(key), "public.event.%s", what);
	rc |= cyc_tx(x, key);
	if (strcmp(what, "phase") == 0) {
		snprintf(key, sizeof(key), "staff.phase.%s",
			 (const char *)sqlite3_column_text(st, 2));
		rc |= buf_puts(&x->out, ": ");
		rc |= cyc_tx(x, key);
	} else if (strcmp(what, "first") != 0) {
		rc |= buf_puts(&x->out, ": <span class=\"text\">");
		rc |= cyc_col(x, st, 2);
		rc |= buf_puts(&x->out, "</span>");
		if (strcmp(what, "notice") == 0 &&
		    sqlite3_column_bytes(st, 3) > 0) {
			rc |= buf_puts(&x->out, "<p class=\"did\"><span"
						" class=\"label\">");
			rc |= cyc_tx(x, "public.event.did");
			rc |= buf_puts(&x->out,
				       "</span> <span class=\"text\">");
			rc |= cyc_col(x, st, 3);
			rc |= buf_puts(&x->out, "</span></p>");
		}
		if (strcmp(what, "notice") != 0) {
			rc |= buf_puts(&x->out, " (");
			rc |= cyc_col(x, st, 3);
			rc |= buf_puts(&x->out, ", ");
			snprintf(key, sizeof(key), "public.status.%.20s",
				 c ? c : "");
			*strchrnul(key, ' ') = '\0';
			rc |= cyc_tx(x, key);
			if (c != NULL && strstr(c, "adopted") != NULL) {
				rc |= buf_puts(&x->out, ", ");
				rc |= cyc_tx(x, "public.adopted");
			}
			rc |= buf_puts(&x->out, ")");
		}
	}
	rc |= buf_puts(&x->out, "</li>\n");
	return rc;
}

static int public_timeline(struct cyc *x, const char *code)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(x->db, public_timeline_sql, -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc |= buf_puts(&x->out, "<section><h2>");
	rc |= cyc_tx(x, "public.timeline");
	rc |= buf_puts(&x->out, "</h2>\n<ol class=\"timeline\">\n");
	while (sqlite3_step(st) == SQLITE_ROW)
		rc |= public_event(x, st);
	sqlite3_finalize(st);
	rc |= buf_puts(&x->out, "</ol></section>\n");
	return rc;
}

/* The idea's themes, as a plain list under a public heading. */
static int public_tags(struct cyc *x, const char *code)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, any = 0;

	if (sqlite3_prepare_v2(x->db,
			       "SELECT tag FROM idea_tags WHERE idea = ?"
			       " ORDER BY tag LIMIT 50",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!any) {
			rc |= buf_puts(&x->out, "<h2 id=\"themes\">");
			rc |= cyc_tx(x, "public.idea.themes");
			rc |= buf_puts(&x->out, "</h2>\n<ul class=\"tags\""
						" aria-labelledby=\"themes\">");
		}
		any = 1;
		rc |= buf_puts(&x->out, "<li>");
		rc |= cyc_col(x, st, 0);
		rc |= buf_puts(&x->out, "</li>");
	}
	sqlite3_finalize(st);
	if (any)
		rc |= buf_puts(&x->out, "</ul>\n");
	return rc;
}

static int public_head(struct cyc *x, sqlite3_stmt *st, const char *code)
{
	char key[48];
	int rc = 0;

	rc |= buf_puts(&x->out, "<h1><span class=\"code\">");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, "</span> ");
	rc |= cyc_col(x, st, 0);
	rc |= buf_puts(&x->out, "</h1>\n<dl class=\"facts\"><dt>");
	rc |= cyc_tx(x, "staff.inbox.phase");
	rc |= buf_puts(&x->out, "</dt><dd>");
	snprintf(key, sizeof(key), "staff.phase.%s",
		 (const char *)sqlite3_column_text(st, 1));
	rc |= cyc_tx(x, key);
	rc |= buf_puts(&x->out, "</dd>");
	rc |= buf_puts(&x->out, "</dl>\n");
	rc |= public_tags(x, code);
	if (sqlite3_column_bytes(st, 2) > 0) {
		rc |= buf_puts(&x->out, "<h2>");
		rc |= cyc_tx(x, "staff.idea.learned");
		rc |= buf_puts(&x->out, "</h2>\n<p class=\"text\">");
		rc |= cyc_col(x, st, 2);
		rc |= buf_puts(&x->out, "</p>\n");
	}
	return rc;
}

static int public_qr(struct cyc *x, const char *code)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<figure class=\"qr\"><img src=\"/i/");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, "/qr.svg\" width=\"200\" height=\"200\""
				" alt=\"");
	rc |= cyc_tx(x, "web.qr.alt");
	rc |= buf_puts(&x->out, "\"></figure>\n");
	return rc;
}

enum MHD_Result public_idea_page(struct cyc *x, const char *code)
{
	char token[CRYPTO_SHA256_HEX], voter[CRYPTO_SHA256_HEX + 8];
	sqlite3_stmt *st = NULL;
	int rc = 0, fresh, endorsed;

	if (sqlite3_prepare_v2(x->db,
			       "SELECT title, phase, learned"
			       " FROM ideas WHERE code = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return cyc_send(x, 500, -1);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return cyc_message(x, 404, "web.notfound.title",
				   "web.notfound.body");
	}
	rc |= public_token(x, token, &fresh);
	if (rc == 0)
		rc |= public_voter(x, token, voter);
	endorsed = rc == 0 && !fresh && public_endorsed(x, code, voter);
	rc |= cyc_public_top(x, (const char *)sqlite3_column_text(st, 0));
	rc |= public_head(x, st, code);
	sqlite3_finalize(st);

	/* ?endorsed=1 is where an endorsement lands, but anyone can open
	 * that link: thank only a browser that has in fact endorsed. */
	if (endorsed && cyc_str(&x->q, "endorsed", 4)[0] == '1') {
		rc |= buf_puts(&x->out, "<p class=\"ok\" role=\"status\">");
		rc |= cyc_tx(x, "public.endorse.thanks");
		rc |= buf_puts(&x->out, "</p>\n");
	}
	rc |= public_ready(x, code);
	rc |= public_endorse_form(x, code, token, endorsed);
	rc |= public_timeline(x, code);
	rc |= public_items(x, code);
	rc |= public_qr(x, code);
	rc |= public_nav(x);
	return cyc_send(x, MHD_HTTP_OK, rc);
}

/* ---- endorsing ----------------------------------------------------------- */

static int public_endorse_store(struct cyc *x, const char *code,
				const char *voter, const char *role)
{
	char id[CODE_ID_LEN + 1];
	sqlite3_stmt *st = NULL;
	int64_t now = store_now_ms();
	int rc;

	if (code_make_id(id, (uint64_t)now) < 0)
		return SQLITE_ERROR;
	rc = store_begin(x->db);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(
			x->db,
			"INSERT INTO endorsements (id, target, voter, channel,"
			" made_at, received_at, sync_state, role)"
			" VALUES (?, ?, ?, 'web', ?, ?, 'central', ?)"
			" ON CONFLICT (target, voter) DO NOTHING",
			-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, voter, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, now);
		sqlite3_bind_int64(st, 5, now);
		sqlite3_bind_text(st, 6, role, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = cycle_publish_idea(x->db, code);
	if (rc == SQLITE_OK)
		rc = store_commit(x->db);
	if (rc != SQLITE_OK)
		store_rollback(x->db);
	return rc;
}

/* A refused endorsement: why, and the way back to the idea's page. */
static enum MHD_Result public_refused(struct cyc *x, const char *code,
				      unsigned status, const char *body_key)
{
	int rc = 0;

	rc |= cyc_public_top(x, cyc_t(x, "public.endorse.refused"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "public.endorse.refused");
	rc |= buf_puts(&x->out, "</h1>\n<p class=\"message\">");
	rc |= cyc_tx(x, body_key);
	rc |= buf_puts(&x->out, "</p>\n<p><a class=\"back\" href=\"/i/");
	rc |= cyc_e(x, code);
	rc |= public_lang_q(x);
	rc |= cyc_tx(x, "public.endorse.back");
	rc |= buf_puts(&x->out, "</a></p>\n");
	return cyc_send(x, status, rc);
}

enum MHD_Result public_endorse_post(struct cyc *x, const char *code)
{
	char mac[CRYPTO_SHA256_HEX], voter[CRYPTO_SHA256_HEX + 8];
	char addr[64], key[128], where[96];
	const char *c, *t, *role;
	size_t tlen = 0;

	c = MHD_lookup_connection_value(x->c, MHD_COOKIE_KIND,
					PUBLIC_VOTER_COOKIE);
	t = cyc_field(&x->f, "t", 80, &tlen);
	role = cyc_str(&x->f, "role", 16);
	if (c == NULL || strlen(c) != 64 || t == NULL ||
	    public_mac(x, "endorse", c, mac) < 0 ||
	    !crypto_equal(mac, 64, t, tlen))
		return public_refused(x, code, 403,
				      "public.endorse.refused_body");
	if (role[0] != '\0' && item_role(role, strlen(role)) == NULL)
		role = "";
	cyc_client(x->c, addr, sizeof(addr));
	if (cycle_is_idea_db(x->db, code) != 1)
		return cyc_message(x, 404, "web.notfound.title",
				   "web.notfound.body");
	if (public_voter(x, c, voter) < 0)
		return cyc_message(x, 503, "staff.error.title",
				   "staff.error.body");
	snprintf(where, sizeof(where), "/i/%s?lang=%s&endorsed=1", code,
		 x->lang);

	/* A second press (a double click, a reload) counts nothing more,
	 * so it must not use up the address's endorsements either. */
	if (public_endorsed(x, code, voter))
		return cyc_redirect(x, where);
	snprintf(key, sizeof(key), "endorse:%s", addr);
	if (!cycle_rate(x->w, key, PUBLIC_ENDORSE_PER_HOUR, 3600 * 1000))
		return public_refused(x, code, 429, "public.endorse.slow");
	snprintf(key, sizeof(key), "endorse-idea:%s %s", code, addr);
	if (!cycle_rate(x->w, key, PUBLIC_ENDORSE_PER_IDEA_DAY, PUBLIC_DAY_MS))
		return public_refused(x, code, 429, "public.endorse.slow_idea");
	if (public_endorse_store(x, code, voter,
				 role[0] ? item_role(role, strlen(role))
					 : NULL) != SQLITE_OK)
		return cyc_message(x, 503, "staff.error.title",
				   "staff.error.body");
	return cyc_redirect(x, where);
}

/* ---- the rule and the list ----------------------------------------------- */

/* How endorsements on this site's pages are counted and limited. */
static int public_rule_limits(struct cyc *x)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<h2>");
	rc |= cyc_tx(x, "public.rule.web_title");
	rc |= buf_puts(&x->out, "</h2>\n<ul class=\"limits\">\n<li>");
	rc |= cyc_tx(x, "public.rule.web_browser");
	rc |= buf_printf(&x->out, "</li>\n<li>%u ",
			 PUBLIC_ENDORSE_PER_IDEA_DAY);
	rc |= cyc_tx(x, "public.rule.web_idea_day");
	rc |= buf_printf(&x->out, "</li>\n<li>%u ", PUBLIC_ENDORSE_PER_HOUR);
	rc |= cyc_tx(x, "public.rule.web_hour");
	rc |= buf_puts(&x->out, "</li>\n</ul>\n");
	return rc;
}

enum MHD_Result public_rule_page(struct cyc *x)
{
	char text[READY_TEXT_MAX];
	struct ready_rule r;
	int rc = 0;

	ready_rule_get(x->db, &r);
	ready_format(&r, text);
	rc |= cyc_public_top(x, cyc_t(x, "public.rule.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "public.rule.title");
	rc |= buf_puts(&x->out, "</h1>\n<p>");
	rc |= cyc_tx(x, "public.rule.intro");
	rc |= buf_puts(&x->out, "</p>\n<ul>\n");
	rc |= buf_printf(&x->out, "<li>%u ", r.endorsements);
	rc |= cyc_tx(x, "public.rule.endorsements_long");
	rc |= buf_printf(&x->out, "</li>\n<li>%u ", r.groups);
	rc |= cyc_tx(x, "public.rule.groups_long");
	rc |= buf_printf(&x->out, "</li>\n<li>%u ", r.sites);
	rc |= cyc_tx(x, "public.rule.sites_long");
	rc |= buf_puts(&x->out, "</li>\n</ul>\n<p>");
	rc |= cyc_tx(x, "public.rule.counting");
	rc |= buf_puts(&x->out, "</p>\n");
	rc |= public_rule_limits(x);
	rc |= buf_puts(&x->out, "<p><code>");
	rc |= cyc_e(x, text);
	rc |= buf_puts(&x->out, "</code></p>\n");
	rc |= public_nav(x);
	return cyc_send(x, MHD_HTTP_OK, rc);
}

enum MHD_Result public_ideas_page(struct cyc *x)
{
	sqlite3_stmt *st = NULL;
	char key[48];
	int rc = 0;

	rc |= cyc_public_top(x, cyc_t(x, "public.ideas.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "public.ideas.title");
	rc |= buf_puts(&x->out, "</h1>\n<ul class=\"ideas\">\n");
	if (sqlite3_prepare_v2(x->db,
			       "SELECT code, title, phase FROM ideas"
			       " ORDER BY updated_at DESC LIMIT 100",
			       -1, &st, NULL) != SQLITE_OK)
		return cyc_send(x, 500, -1);
	while (sqlite3_step(st) == SQLITE_ROW) {
		rc |= buf_puts(&x->out, "<li><a href=\"/i/");
		rc |= cyc_col(x, st, 0);
		rc |= public_lang_q(x);
		rc |= cyc_col(x, st, 1);
		rc |= buf_puts(&x->out, "</a> (");
		snprintf(key, sizeof(key), "staff.phase.%s",
			 (const char *)sqlite3_column_text(st, 2));
		rc |= cyc_tx(x, key);
		rc |= buf_puts(&x->out, ")</li>\n");
	}
	sqlite3_finalize(st);
	rc |= buf_puts(&x->out, "</ul>\n");
	rc |= public_nav(x);
	return cyc_send(x, MHD_HTTP_OK, rc);
}

/* "/": what this is, the code lookup, and the ways on. */
enum MHD_Result public_home_page(struct cyc *x)
{
	int rc = 0;

	rc |= cyc_public_top(x, cyc_t(x, "web.home.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "web.home.title");
	rc |= buf_puts(&x->out, "</h1>\n<p>");
	rc |= cyc_tx(x, "web.home.body");
	rc |= buf_puts(&x->out, "</p>\n<form class=\"lookup\" action=\"/i\""
				" method=\"get\"><label for=\"code\">");
	rc |= cyc_tx(x, "web.lookup.label");
	rc |= buf_puts(&x->out,
		       "</label><input id=\"code\" name=\"code\" size=\"10\""
		       " maxlength=\"20\" autocomplete=\"off\""
		       " autocapitalize=\"characters\" spellcheck=\"false\">"
		       "<input type=\"hidden\" name=\"lang\" value=\"");
	rc |= cyc_e(x, x->lang);
	rc |= buf_puts(&x->out, "\"><button type=\"submit\">");
	rc |= cyc_tx(x, "web.lookup.button");
	rc |= buf_puts(&x->out, "</button></form>\n");
	rc |= public_nav(x);
	return cyc_send(x, MHD_HTTP_OK, rc);
}
