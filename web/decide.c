/*
 * decide: decisions and actions on an idea, per site.
 *
 * A decision says what a site will do about an idea; an action is one
 * step of it, with an owner, a due date (YYYY-MM-DD) and a status
 * (planned, doing, done, dropped).  "adopted" marks a site taking up an
 * idea raised at another: it is set when none of the idea's items came
 * from the site, and staff may tick it for a site that did send some.  When a decision or action is done the idea
 * moves to "applied".  POST /staff/decision/new adds one, and
 * /staff/decision/N changes the status of row N.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cycle.h"
#include "scope.h"
#include "store.h"

static const char *const decide_states[] = {"planned", "doing", "done",
					    "dropped", NULL};

static int decide_state_ok(const char *s)
{
	size_t i;

	for (i = 0; decide_states[i] != NULL; i++)
		if (strcmp(decide_states[i], s) == 0)
			return 1;
	return 0;
}

/* YYYY-MM-DD, or empty. */
/* 1 when day d of month m of year y is on the calendar. */
static int decide_day_real(int y, int m, int d)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 2000 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

/* An empty due date, or a real day written YYYY-MM-DD from 2000 on. */
static int decide_date_ok(const char *s)
{
	size_t i;

	if (s[0] == '\0')
		return 1;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return decide_day_real(atoi(s), atoi(s + 5), atoi(s + 8));
}

static int decide_status_form(struct cyc *x, sqlite3_stmt *st)
{
	char key[48];
	size_t i;
	int rc = 0;

	rc |= buf_printf(&x->out,
			 " <form class=\"inline\" method=\"post\""
			 " action=\"/staff/decision/%lld\">",
			 (long long)sqlite3_column_int64(st, 0));
	rc |= cyc_csrf(x);
	rc |= buf_printf(&x->out, "<label class=\"sr\" for=\"s-%lld\">",
			 (long long)sqlite3_column_int64(st, 0));
	rc |= cyc_tx(x, "staff.decide.status");
	rc |= buf_printf(&x->out,
			 "</label><select id=\"s-%lld\""
			 " name=\"status\">",
			 (long long)sqlite3_column_int64(st, 0));
	for (i = 0; decide_states[i] != NULL; i++) {
		snprintf(key, sizeof(key), "public.status.%s",
			 decide_states[i]);
		rc |= buf_printf(
			&x->out, "<option value=\"%s\"%s>", decide_states[i],
			strcmp(decide_states[i],
			       (const char *)sqlite3_column_text(st, 6)) == 0
				? " selected"
				: "");
		rc |= cyc_tx(x, key);
		rc |= buf_puts(&x->out, "</option>");
	}
	rc |= buf_puts(&x->out, "</select><button type=\"submit\">");
	rc |= cyc_tx(x, "staff.idea.save");
	rc |= buf_puts(&x->out, "</button></form>");
	return rc;
}

static int decide_row(struct cyc *x, sqlite3_stmt *st, int writes)
{
	char key[48];
	int rc = 0;

	rc |= buf_puts(&x->out, "<tr><td>");
	snprintf(key, sizeof(key), "public.event.%s",
		 (const char *)sqlite3_column_text(st, 2));
	rc |= cyc_tx(x, key);
	rc |= buf_puts(&x->out, "</td><td>");
	rc |= cyc_col(x, st, 1);
	rc |= buf_puts(&x->out, sqlite3_column_int(st, 7) ? " *" : "");
	rc |= buf_puts(&x->out, "</td><td class=\"text\">");
	rc |= cyc_col(x, st, 3);
	rc |= buf_puts(&x->out, "</td><td>");
	rc |= cyc_col(x, st, 4);
	rc |= buf_puts(&x->out, "</td><td>");
	rc |= cyc_col(x, st, 5);
	rc |= buf_puts(&x->out, "</td><td>");
	snprintf(key, sizeof(key), "public.status.%s",
		 (const char *)sqlite3_column_text(st, 6));
	rc |= cyc_tx(x, key);
	if (writes && cyc_writes(x, (const char *)sqlite3_column_text(st, 1)))
		rc |= decide_status_form(x, st);
	rc |= buf_puts(&x->out, "</td></tr>\n");
	return rc;
}

static int decide_form(struct cyc *x, const char *idea)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<form method=\"post\" action=\"/staff/"
				"decision/new\"><fieldset><legend>");
	rc |= cyc_tx(x, "staff.decide.new");
	rc |= buf_puts(&x->out, "</legend><p><label for=\"d-kind\">");
	rc |= cyc_tx(x, "staff.decide.kind");
	rc |= buf_puts(&x->out, "</label> <select id=\"d-kind\" name=\"kind\">"
				"<option value=\"decision\">");
	rc |= cyc_tx(x, "public.event.decision");
	rc |= buf_puts(&x->out, "</option><option value=\"action\">");
	rc |= cyc_tx(x, "public.event.action");
	rc |= buf_puts(&x->out, "</option></select> <label for=\"d-site\">");
	rc |= cyc_tx(x, "staff.col.site");
	rc |= buf_puts(
		&x->out,
		"</label> <select id=\"d-site\" name=\"site\" required>");
	rc |= cyc_site_options(x, x->me.site);
	rc |= buf_puts(&x->out, "</select></p><p><label for=\"d-text\">");
	rc |= cyc_tx(x, "staff.decide.text");
	rc |= buf_puts(&x->out, "</label><br><textarea id=\"d-text\""
				" name=\"text\" rows=\"3\" required"
				" maxlength=\"4000\"></textarea></p><p>"
				"<label for=\"d-owner\">");
	rc |= cyc_tx(x, "staff.decide.owner");
	rc |= buf_puts(&x->out, "</label> <input id=\"d-owner\" name=\"owner\""
				" maxlength=\"200\"> <label for=\"d-due\">");
	rc |= cyc_tx(x, "staff.decide.due");
	rc |= buf_puts(&x->out, "</label> <input id=\"d-due\" name=\"due\""
				" type=\"date\"> <input type=\"checkbox\""
				" id=\"d-adopted\" name=\"adopted\""
				" value=\"1\"> <label for=\"d-adopted\">");
	rc |= cyc_tx(x, "staff.decide.adopted");
	rc |= buf_puts(&x->out,
		       "</label></p><input type=\"hidden\""
		       " name=\"status\" value=\"planned\">"
		       "<input type=\"hidden\" name=\"idea\" value=\"");
	rc |= cyc_e(x, idea);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_csrf(x);
	rc |= buf_puts(&x->out, "<button type=\"submit\">");
	rc |= cyc_tx(x, "staff.decide.save");
	rc |= buf_puts(&x->out, "</button></fieldset></form>\n");
	return rc;
}

int decide_section(struct cyc *x, const char *idea, int writes)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	rc |= buf_puts(&x->out, "<h2>");
	rc |= cyc_tx(x, "staff.decide.title");
	rc |= buf_puts(&x->out, "</h2>\n<table class=\"list\"><thead><tr><th>");
	rc |= cyc_tx(x, "staff.decide.kind");
	rc |= buf_puts(&x->out, "</th><th>");
	rc |= cyc_tx(x, "staff.col.site");
	rc |= buf_puts(&x->out, "</th><th>");
	rc |= cyc_tx(x, "staff.decide.text");
	rc |= buf_puts(&x->out, "</th><th>");
	rc |= cyc_tx(x, "staff.decide.owner");
	rc |= buf_puts(&x->out, "</th><th>");
	rc |= cyc_tx(x, "staff.decide.due");
	rc |= buf_puts(&x->out, "</th><th>");
	rc |= cyc_tx(x, "staff.decide.status");
	rc |= buf_puts(&x->out, "</th></tr></thead><tbody>\n");
	if (sqlite3_prepare_v2(x->db,
			       "SELECT n, site, kind, text, owner, due, status,"
			       " adopted FROM decisions WHERE idea = ?"
			       " ORDER BY n",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, idea, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		rc |= decide_row(x, st, writes);
	sqlite3_finalize(st);
	rc |= buf_puts(&x->out, "</tbody></table>\n<p>* ");
	rc |= cyc_tx(x, "public.adopted");
	rc |= buf_puts(&x->out, "</p>\n");
	if (strcmp(x->me.role, "viewer") != 0)
		rc |= decide_form(x, idea);
	return rc;
}

/* The idea moves to "applied" once something is done. */
static int decide_applied(sqlite3 *db, const char *idea, const char *status)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (strcmp(status, "done") != 0)
		return cycle_publish_idea(db, idea);
	rc = sqlite3_prepare_v2(db,
				"UPDATE ideas SET phase = 'applied',"
				" updated_at = ? WHERE code = ?"
				" AND phase <> 'applied'",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, store_now_ms());
	sqlite3_bind_text(st, 2, idea, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	rc = sqlite3_changes(db) ? cyc_phase(db, idea, "applied") : SQLITE_OK;
	return rc == SQLITE_OK ? cycle_publish_idea(db, idea) : rc;
}

static int decide_insert(struct cyc *x, const char *idea, const char *site,
			 const char *kind, const char *text)
{
	sqlite3_stmt *st = NULL;
	int64_t now = store_now_ms();
	const char *status = cyc_str(&x->f, "status", 10);
	int rc;

	rc = sqlite3_prepare_v2(x->db,
				"INSERT INTO decisions (idea, site, kind, text,"
				" owner, due, status, adopted, created_at,"
				" updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,"
				" ?8 OR NOT EXISTS (SELECT 1 FROM idea_items ii"
				" JOIN items i ON i.code = ii.item"
				" WHERE ii.idea = ?1 AND i.site = ?2),?9,?10)",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, idea, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, cyc_str(&x->f, "owner", 200), -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 6, cyc_str(&x->f, "due", 10), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, cyc_str(&x->f, "adopted", 2)[0] == '1');
	sqlite3_bind_int64(st, 9, now);
	sqlite3_bind_int64(st, 10, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	rc = cycle_audit(x->db, x->me.id, kind, idea, text);
	return rc == SQLITE_OK ? decide_applied(x->db, idea, status) : rc;
}

static enum MHD_Result decide_end(struct cyc *x, int rc, const char *idea)
{
	char where[64];

	if (rc == SQLITE_OK)
		rc = store_commit(x->db);
	if (rc != SQLITE_OK) {
		store_rollback(x->db);
		return cyc_message(x, 503, "staff.error.title",
				   "staff.error.body");
	}
	snprintf(where, sizeof(where), "/staff/ideas/%s", idea);
	return cyc_redirect(x, where);
}

static enum MHD_Result decide_new(struct cyc *x)
{
	const char *raw = cyc_str(&x->f, "idea", 40);
	const char *site = cyc_str(&x->f, "site", 4);
	const char *kind = cyc_str(&x->f, "kind", 10);
	const char *text = cyc_str(&x->f, "text", 4000);
	char idea[CODE_MAX], s[CODE_SITE_LEN + 1];
	int known;

	if (code_parse(raw, strlen(raw), idea, NULL, NULL) < 0 ||
	    cycle_is_idea_db(x->db, idea) != 1 || text[0] == '\0' ||
	    (strcmp(kind, "decision") != 0 && strcmp(kind, "action") != 0) ||
	    !decide_state_ok(cyc_str(&x->f, "status", 10)) ||
	    !decide_date_ok(cyc_str(&x->f, "due", 10)))
		return cyc_message(x, 400, "staff.unsaved.title",
				   "staff.decide.bad");
	known = scope_site_canon(x->db, site, s);
	if (known < 0)
		return decide_end(x, SQLITE_ERROR, idea);
	if (known == 0)
		return cyc_message_about(x, 400, "staff.unsaved.title",
					 "staff.decide.unknown_site", site);
	if (!cyc_writes(x, s))
		return cyc_message(x, 403, "staff.forbidden.title",
				   "staff.forbidden.body");
	if (store_begin(x->db) != SQLITE_OK)
		return decide_end(x, SQLITE_BUSY, idea);
	return decide_end(x, decide_insert(x, idea, s, kind, text), idea);
}

static enum MHD_Result decide_status(struct cyc *x, long long n)
{
	const char *status = cyc_str(&x->f, "status", 10);
	char idea[CODE_MAX] = "", site[CODE_SITE_LEN + 1] = "";
	sqlite3_stmt *st = NULL;
	int rc;

	if (!decide_state_ok(status))
		return cyc_message(x, 400, "staff.unsaved.title",
				   "staff.decide.bad");
	if (sqlite3_prepare_v2(x->db,
			       "SELECT idea, site FROM decisions WHERE n = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return cyc_send(x, 500, -1);
	sqlite3_bind_int64(st, 1, n);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(idea, sizeof(idea), "%s", sqlite3_column_text(st, 0));
		snprintf(site, sizeof(site), "%s", sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (idea[0] == '\0' || !cyc_writes(x, site))
		return cyc_message(x, 403, "staff.forbidden.title",
				   "staff.forbidden.body");
	rc = store_begin(x->db);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(x->db,
					"UPDATE decisions SET status = ?,"
					" updated_at = ? WHERE n = ?",
					-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, store_now_ms());
		sqlite3_bind_int64(st, 3, n);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK)
		rc = cycle_audit(x->db, x->me.id, "decision.status", idea,
				 status);
	if (rc == SQLITE_OK)
		rc = decide_applied(x->db, idea, status);
	return decide_end(x, rc, idea);
}

enum MHD_Result decide_post(struct cyc *x, const char *action)
{
	long long n = 0;
	const char *p;

	if (strcmp(action, "new") == 0)
		return decide_new(x);
	for (p = action; *p >= '0' && *p <= '9' && n < 1000000000000LL; p++)
		n = n * 10 + (*p - '0');
	if (*p != '\0' || p == action)
		return cyc_message(x, 404, "staff.notfound.title",
				   "staff.notfound.body");
	return decide_status(x, n);
}
