/*
 * prompt_staff: the staff pages of prompts (see prompt.h).
 *
 *   GET  /staff/prompts             every prompt the account sees, with
 *                                   its sites, period and state, and the
 *                                   form to pose a new one
 *   POST /staff/prompts             pose a prompt
 *   GET  /staff/prompts/ID          one prompt: its flyer link for each
 *                                   of its sites, and the form to edit it
 *   POST /staff/prompts/ID          edit it
 *   GET  /staff/prompts/ID/flyer?s=SITE  a flyer to print for one site,
 *                                   on A4 or US Letter (&size=, as the
 *                                   notice's poster); without s=, the
 *                                   sites to choose from
 *
 * An account sees the prompts that reach a site it sees.  It poses and
 * edits only within its own sites (scope.h, scope_allows()); editing
 * also needs the prompt's present scope to be within them.  A refused
 * or bad form is shown again as it was typed, with what was wrong, and
 * nothing is written, not even to the audit log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cycle.h"
#include "feed.h"
#include "prompt.h"
#include "qr.h"
#include "store.h"

#define PROMPT_LIST_MAX 200 /* prompts on the list page */
#define PROMPT_DAYS_DEFAULT 30
#define PROMPT_FLYER_URL_MAX (WEB_URL_MAX + 64)

/* The form as staff typed it, to show it again. */
struct prompt_typed {
	const char *id;
	const char *en;
	const char *es;
	const char *scope;
	const char *starts;
	const char *ends;
};

/* Why a form was refused: a status and a catalogue key whose "{what}"
 * is what. */
struct prompt_refusal {
	unsigned status;
	const char *key;
	struct buf what;
};

/* ---- days ----------------------------------------------------------- */

/* "2031-05-01" as ms at 00:00 UTC; -1 when it is no such day. */
static int64_t prompt_day(const char *s)
{
	struct tm tm = {0};
	int y, m, d;
	time_t t;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 1970 || m < 1 ||
	    m > 12 || d < 1 || d > 31)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	t = timegm(&tm);
	if (t == (time_t)-1 || gmtime_r(&t, &tm) == NULL || tm.tm_mday != d ||
	    tm.tm_mon != m - 1)
		return -1;
	return (int64_t)t * 1000;
}

/* The day of ms (UTC) as "2031-05-01", for a date field. */
static void prompt_iso_day(int64_t ms, char out[16])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	out[0] = '\0';
	if (ms >= 0 && gmtime_r(&t, &tm) != NULL)
		strftime(out, 16, "%Y-%m-%d", &tm);
}

/* ---- how a scope reads ---------------------------------------------- */

/* Appends how staff know target t ("Oak (K7)", "the cluster North"). */
static int prompt_target_name(struct cyc *x, const struct scope_target *t,
			      struct buf *out)
{
	const char *vars[3] = {"name", t->name, NULL};

	if (!t->cluster)
		return scope_site_label(x->db, t->name, out);
	return cyc_fill(out, cyc_t(x, "staff.prompt.cluster_named"), vars);
}

/* Appends s as a list of its sites and clusters, escaped. */
static int prompt_scope_html(struct cyc *x, const struct scope *s)
{
	struct buf b;
	size_t i;
	int rc = 0;

	if (s->count == 0)
		return cyc_tx(x, "staff.prompt.everyone");
	buf_init(&b, CYCLE_PAGE_MAX);
	for (i = 0; i < s->count; i++) {
		if (i > 0)
			rc |= buf_puts(&b, ", ");
		rc |= prompt_target_name(x, &s->t[i], &b);
	}
	if (rc == 0)
		rc = cyc_en(x, b.data ? b.data : "", b.len);
	buf_release(&b);
	return rc;
}

/* The first and last day of p's period, as two cells of a row. */
static int prompt_period_cells(struct cyc *x, const struct prompt *p)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<td>");
	rc |= cyc_date(x, p->starts);
	rc |= buf_puts(&x->out, "</td><td>");
	rc |= cyc_date(x, p->ends - 1);
	rc |= buf_puts(&x->out, "</td>");
	return rc;
}

static int prompt_state_html(struct cyc *x, const struct prompt *p)
{
	enum prompt_state state = prompt_state_at(p, store_now_ms());
	static const char *const cls[] = {"upcoming", "open", "closed"};
	int rc = 0;

	rc |= buf_printf(&x->out, "<span class=\"state %s\">", cls[state]);
	rc |= cyc_tx(x, prompt_state_key(state));
	rc |= buf_puts(&x->out, "</span>");
	return rc;
}

/* ---- the form ---------------------------------------------------------- */

/* A refusal above a form, or nothing. */
static int prompt_refusal_html(struct cyc *x, const struct prompt_refusal *r)
{
	const char *vars[3] = {"what", NULL, NULL};
	int rc = 0;

	if (r == NULL)
		return 0;
	vars[1] = r->what.data ? r->what.data : "";
	rc |= buf_puts(&x->out, "<p class=\"error\" role=\"alert\">");
	rc |= cyc_txv(x, r->key, vars);
	rc |= buf_puts(&x->out, "</p>\n");
	return rc;
}

/* One labelled field of the form, with its value. */
static int prompt_field(struct cyc *x, const char *name, const char *label,
			const char *type, int max, const char *value)
{
	int rc = 0;

	rc |= buf_printf(&x->out, "<p><label for=\"p-%s\">", name);
	rc |= cyc_tx(x, label);
	rc |= buf_printf(&x->out,
			 "</label><br><input id=\"p-%s\" name=\"%s\""
			 " maxlength=\"%d\" %s value=\"",
			 name, name, max, type);
	rc |= cyc_e(x, value);
	rc |= buf_puts(&x->out, "\"></p>\n");
	return rc;
}

/* The fields of a prompt (the id only when with_id), filled with v. */
static int prompt_fields(struct cyc *x, const struct prompt_typed *v,
			 int with_id)
{
	int rc = 0;

	if (with_id)
		rc |= prompt_field(x, "id", "staff.prompt.id",
				   "size=\"20\" required", PROMPT_ID_SHORT,
				   v->id);
	rc |= prompt_field(x, "text_en", "staff.prompt.en",
			   "size=\"60\" required", PROMPT_TEXT_MAX, v->en);
	rc |= prompt_field(x, "text_es", "staff.prompt.es",
			   "size=\"60\" required", PROMPT_TEXT_MAX, v->es);
	rc |= prompt_field(x, "scope", "staff.prompt.scope", "size=\"60\"",
			   SCOPE_TEXT_MAX, v->scope);
	rc |= prompt_field(x, "starts", "staff.prompt.starts", "type=\"date\"",
			   10, v->starts);
	rc |= prompt_field(x, "ends", "staff.prompt.ends", "type=\"date\"", 10,
			   v->ends);
	return rc;
}

/* The form to pose a prompt (action /staff/prompts) or edit one. */
static int prompt_form(struct cyc *x, const char *id,
		       const struct prompt_typed *v,
		       const struct prompt_refusal *r)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<form class=\"prompt\" method=\"post\""
				" action=\"/staff/prompts");
	if (id != NULL) {
		rc |= buf_puts(&x->out, "/");
		rc |= cyc_e(x, id);
	}
	rc |= buf_puts(&x->out, "\"><fieldset><legend>");
	rc |= cyc_tx(x, id ? "staff.prompt.edit" : "staff.prompt.new");
	rc |= buf_puts(&x->out, "</legend>\n");
	rc |= prompt_refusal_html(x, r);
	rc |= prompt_fields(x, v, id == NULL);
	rc |= cyc_csrf(x);
	rc |= buf_puts(&x->out, "<button type=\"submit\">");
	rc |= cyc_tx(x, id ? "staff.prompt.change" : "staff.prompt.save");
	rc |= buf_puts(&x->out, "</button></fieldset></form>\n");
	return rc;
}

/* What a new form holds: the account's own site or cluster as scope. */
static void prompt_typed_new(struct cyc *x, struct prompt_typed *v,
			     char scope[SCOPE_TEXT_MAX + 1])
{
	memset(v, 0, sizeof(*v));
	v->id = v->en = v->es = v->starts = v->ends = "";
	scope[0] = '\0';
	if (strcmp(x->me.role, "site") == 0)
		snprintf(scope, SCOPE_TEXT_MAX + 1, "%s", x->me.site);
	else if (strcmp(x->me.role, "cluster") == 0)
		snprintf(scope, SCOPE_TEXT_MAX + 1, "%s%s",
			 SCOPE_CLUSTER_PREFIX, x->me.cluster);
	v->scope = scope;
}

/* The form as it was posted. */
static void prompt_typed_posted(struct cyc *x, struct prompt_typed *v)
{
	v->id = cyc_str(&x->f, "id", PROMPT_ID_SHORT);
	v->en = cyc_str(&x->f, "text_en", PROMPT_TEXT_MAX);
	v->es = cyc_str(&x->f, "text_es", PROMPT_TEXT_MAX);
	v->scope = cyc_str(&x->f, "scope", SCOPE_TEXT_MAX);
	v->starts = cyc_str(&x->f, "starts", 10);
	v->ends = cyc_str(&x->f, "ends", 10);
}

/* ---- the list ---------------------------------------------------------- */

static int prompts_head(struct cyc *x)
{
	static const char *const cols[] = {
		"staff.prompt.col.name",
		"staff.prompt.col.question",
		"staff.prompt.col.for",
		"staff.prompt.starts",
		"staff.prompt.ends",
		"staff.prompt.col.state",
		"",
		NULL,
	};

	return cyc_table_head(x, "list prompts", cols);
}

static int prompts_row(struct cyc *x, const struct prompt *p)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<tr><td><a class=\"code\""
				" href=\"/staff/prompts/");
	rc |= cyc_e(x, p->id);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_e(x, p->id);
	rc |= buf_puts(&x->out, "</a></td><td class=\"text\">");
	rc |= cyc_e(x, prompt_question(p, x->lang));
	rc |= buf_puts(&x->out, "</td><td class=\"for\">");
	rc |= prompt_scope_html(x, &p->scope);
	rc |= buf_puts(&x->out, "</td>");
	rc |= prompt_period_cells(x, p);
	rc |= buf_puts(&x->out, "<td>");
	rc |= prompt_state_html(x, p);
	rc |= buf_puts(&x->out, "</td><td><a href=\"/staff?prompt=");
	rc |= cyc_e(x, p->id);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_tx(x, "staff.prompt.answers");
	rc |= buf_puts(&x->out, "</a></td></tr>\n");
	return rc;
}

/* The rows of every prompt x's account sees, newest first. */
static int prompts_rows(struct cyc *x)
{
	sqlite3_stmt *st = NULL;
	struct prompt p;
	int rc = 0, found, sees;

	if (sqlite3_prepare_v2(x->db,
			       "SELECT id FROM prompts ORDER BY n DESC"
			       " LIMIT ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int(st, 1, PROMPT_LIST_MAX);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		found = prompt_load(
			x->db, (const char *)sqlite3_column_text(st, 0), &p);
		sees = found > 0 ? scope_touches(x->db, &x->me, &p.scope) : 0;
		if (found < 0 || sees < 0)
			rc = -1;
		else if (sees)
			rc |= prompts_row(x, &p);
	}
	sqlite3_finalize(st);
	return rc;
}

/* The list and the form, the form filled with v and r above it. */
static enum MHD_Result prompts_list(struct cyc *x, unsigned status,
				    const struct prompt_typed *v,
				    const struct prompt_refusal *r)
{
	int rc = 0;

	rc |= cyc_staff_top(x, cyc_t(x, "staff.prompt.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.prompt.title");
	rc |= buf_puts(&x->out, "</h1>\n");
	rc |= prompts_head(x);
	rc |= prompts_rows(x);
	rc |= buf_puts(&x->out, "</tbody></table>\n");
	if (strcmp(x->me.role, "viewer") != 0)
		rc |= prompt_form(x, NULL, v, r);
	return cyc_send(x, status, rc);
}

enum MHD_Result prompts_page(struct cyc *x)
{
	char scope[SCOPE_TEXT_MAX + 1];
	struct prompt_typed v;

	prompt_typed_new(x, &v, scope);
	return prompts_list(x, MHD_HTTP_OK, &v, NULL);
}

/* ---- checking a form --------------------------------------------------- */

static unsigned prompt_refuse(struct prompt_refusal *r, unsigned status,
			      const char *key)
{
	r->status = status;
	r->key = key;
	return status;
}

/* The scope typed, resolved and allowed into p->scope; 0 or a status. */
static unsigned prompt_check_scope(struct cyc *x, const char *typed,
				   struct prompt *p, struct prompt_refusal *r)
{
	const struct scope_target *refused = NULL;
	int rc;

	if (scope_split(typed, strlen(typed), &p->scope) < 0)
		return prompt_refuse(r, 400, "staff.prompt.bad_scope");
	rc = scope_resolve(x->db, &p->scope, &r->what);
	if (rc < 0)
		return prompt_refuse(r, 503, "staff.prompt.error");
	if (rc > 0)
		return prompt_refuse(r, 400, "staff.prompt.missing");
	rc = scope_allows(x->db, &x->me, &p->scope, &refused);
	if (rc < 0)
		return prompt_refuse(r, 503, "staff.prompt.error");
	if (rc > 0)
		return 0;
	if (refused == NULL)
		return prompt_refuse(r, 403, "staff.prompt.refused_all");
	if (prompt_target_name(x, refused, &r->what) < 0)
		return prompt_refuse(r, 503, "staff.prompt.error");
	return prompt_refuse(r, 403, "staff.prompt.refused");
}

/*
 * Reads the posted form into p (its id already set, its period starting
 * at starts when none is given); 0 when it may be saved, else the
 * status, with r saying why.
 */
static unsigned prompt_check(struct cyc *x, const struct prompt_typed *v,
			     int64_t starts, struct prompt *p,
			     struct prompt_refusal *r)
{
	p->starts = v->starts[0] ? prompt_day(v->starts) : starts;
	p->ends = v->ends[0] ? prompt_day(v->ends) : -1;
	if (p->ends >= 0)
		p->ends += PROMPT_DAY_MS; /* "Until" includes its day */
	else if (v->ends[0] == '\0')
		p->ends = p->starts + PROMPT_DAYS_DEFAULT * PROMPT_DAY_MS;
	if (!prompt_id_ok(p->id) || v->en[0] == '\0' || v->es[0] == '\0' ||
	    p->starts < 0 || p->ends <= p->starts)
		return prompt_refuse(r, 400, "staff.prompt.bad");
	snprintf(p->en, sizeof(p->en), "%s", v->en);
	snprintf(p->es, sizeof(p->es), "%s", v->es);
	return prompt_check_scope(x, v->scope, p, r);
}

/* ---- saving ------------------------------------------------------------ */

/*
 * Publishes p to each target of its scope, after a tombstone for each
 * target of old (NULL: a new prompt) that p's scope does not cover, so
 * a site no longer asked forgets it.  Tombstones come first: a site
 * still in the scope through another target gets the prompt back.
 */
static int prompt_publish(sqlite3 *db, const struct prompt *p,
			  const struct scope *old)
{
	char feed[sizeof(SCOPE_CLUSTER_PREFIX) + SCOPE_NAME_MAX];
	json_t *j;
	size_t i;
	int rc = SQLITE_OK;

	if (old != NULL && p->scope.count > 0 && old->count == 0)
		rc = feed_delete(db, "prompt", p->id, NULL);
	for (i = 0; old && p->scope.count > 0 && i < old->count; i++) {
		if (rc != SQLITE_OK || scope_has(&p->scope, &old->t[i]))
			continue;
		scope_feed(old, i, feed);
		rc = feed_delete(db, "prompt", p->id, feed);
	}
	j = json_pack("{s:s, s:{s:s, s:s}, s:I, s:I}", "id", p->id, "text",
		      "en", p->en, "es", p->es, "starts", (json_int_t)p->starts,
		      "ends", (json_int_t)p->ends);
	if (j == NULL)
		return SQLITE_NOMEM;
	if (rc == SQLITE_OK && p->scope.count == 0)
		rc = feed_publish(db, "prompt", p->id, NULL, j);
	for (i = 0; rc == SQLITE_OK && i < p->scope.count; i++) {
		scope_feed(&p->scope, i, feed);
		rc = feed_publish(db, "prompt", p->id, feed, j);
	}
	json_decref(j);
	return rc;
}

/* Inserts p (is_new) or updates it, with scope as its canonical text;
 * an SQLite code. */
static int prompt_write(sqlite3 *db, const struct prompt *p, const char *scope,
			int is_new)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				is_new ? "INSERT INTO prompts (text_en,"
					 " text_es, scope, starts, ends, id,"
					 " created_at) VALUES (?1, ?2, ?3, ?4,"
					 " ?5, ?6, ?7)"
				       : "UPDATE prompts SET text_en = ?1,"
					 " text_es = ?2, scope = ?3,"
					 " starts = ?4, ends = ?5"
					 " WHERE id = ?6",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, p->en, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->es, -1, SQLITE_STATIC);
	if (scope[0] != '\0')
		sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, p->starts);
	sqlite3_bind_int64(st, 5, p->ends);
	sqlite3_bind_text(st, 6, p->id, -1, SQLITE_STATIC);
	if (is_new)
		sqlite3_bind_int64(st, 7, store_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Saves p, its feed rows and its audit row in one transaction. */
static int prompt_save(struct cyc *x, const struct prompt *p,
		       const struct scope *old)
{
	struct buf scope;
	int rc;

	buf_init(&scope, CYCLE_PAGE_MAX);
	rc = scope_text(&p->scope, &scope) < 0 ? SQLITE_NOMEM : SQLITE_OK;
	if (rc == SQLITE_OK)
		rc = store_begin(x->db);
	if (rc == SQLITE_OK)
		rc = prompt_write(x->db, p, scope.data ? scope.data : "",
				  old == NULL);
	if (rc == SQLITE_OK)
		rc = prompt_publish(x->db, p, old);
	if (rc == SQLITE_OK)
		rc = cycle_audit(x->db, x->me.id,
				 old ? "prompt.edit" : "prompt.new", p->id,
				 scope.data ? scope.data : "");
	if (rc == SQLITE_OK)
		rc = store_commit(x->db);
	if (rc != SQLITE_OK)
		store_rollback(x->db);
	buf_release(&scope);
	return rc;
}

static enum MHD_Result prompt_saved(struct cyc *x, const char *id)
{
	char where[64];

	snprintf(where, sizeof(where), "/staff/prompts/%s", id);
	return cyc_redirect(x, where);
}

enum MHD_Result prompts_post(struct cyc *x)
{
	struct prompt_refusal r = {0, NULL, {0}};
	struct prompt_typed v;
	enum MHD_Result ret;
	struct prompt p;
	unsigned status;
	int rc;

	buf_init(&r.what, CYCLE_PAGE_MAX);
	prompt_typed_posted(x, &v);
	prompt_canon(v.id, p.id);
	status = prompt_check(x, &v, store_now_ms(), &p, &r);
	if (status == 0) {
		rc = prompt_save(x, &p, NULL);
		if (rc == SQLITE_OK) {
			buf_release(&r.what);
			return prompt_saved(x, p.id);
		}
		status = rc == SQLITE_CONSTRAINT
				 ? prompt_refuse(&r, 409, "staff.prompt.taken")
				 : prompt_refuse(&r, 503, "staff.prompt.error");
	}
	ret = prompts_list(x, status, &v, &r);
	buf_release(&r.what);
	return ret;
}

/* ---- one prompt -------------------------------------------------------- */

/* Loads the prompt id x's account sees: 1, 0 (none it sees), -1. */
static int prompt_seen(struct cyc *x, const char *id, struct prompt *p)
{
	int rc = prompt_load(x->db, id, p);

	return rc > 0 ? scope_touches(x->db, &x->me, &p->scope) : rc;
}

static int prompt_fact(struct cyc *x, const char *label)
{
	int rc = buf_puts(&x->out, "<dt>");

	rc |= cyc_tx(x, label);
	rc |= buf_puts(&x->out, "</dt><dd>");
	return rc;
}

static int prompt_facts(struct cyc *x, const struct prompt *p)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<dl class=\"facts\">");
	rc |= prompt_fact(x, "staff.prompt.col.name");
	rc |= cyc_e(x, p->id);
	rc |= buf_puts(&x->out, "</dd>");
	rc |= prompt_fact(x, "staff.prompt.en");
	rc |= cyc_e(x, p->en);
	rc |= buf_puts(&x->out, "</dd>");
	rc |= prompt_fact(x, "staff.prompt.es");
	rc |= cyc_e(x, p->es);
	rc |= buf_puts(&x->out, "</dd>");
	rc |= prompt_fact(x, "staff.prompt.col.for");
	rc |= prompt_scope_html(x, &p->scope);
	rc |= buf_puts(&x->out, "</dd>");
	rc |= prompt_fact(x, "staff.prompt.starts");
	rc |= cyc_date(x, p->starts);
	rc |= buf_puts(&x->out, "</dd>");
	rc |= prompt_fact(x, "staff.prompt.ends");
	rc |= cyc_date(x, p->ends - 1);
	rc |= buf_puts(&x->out, "</dd>");
	rc |= prompt_fact(x, "staff.prompt.col.state");
	rc |= prompt_state_html(x, p);
	rc |= buf_puts(&x->out, "</dd></dl>\n<p><a href=\"/staff?prompt=");
	rc |= cyc_e(x, p->id);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_tx(x, "staff.prompt.answers");
	rc |= buf_puts(&x->out, "</a></p>\n");
	return rc;
}

/* One site's row of the flyer table. */
static int prompt_flyer_row(struct cyc *x, const struct prompt *p,
			    sqlite3_stmt *st)
{
	const char *site = (const char *)sqlite3_column_text(st, 0);
	char url[PROMPT_FLYER_URL_MAX];
	int rc = 0;

	if (qr_prompt_url(url, sizeof(url), x->w->public_url, p->id, site) < 0)
		return -1;
	rc |= buf_puts(&x->out, "<tr><td>");
	rc |= cyc_col(x, st, 1);
	rc |= buf_puts(&x->out, " <span class=\"code\">");
	rc |= cyc_e(x, site);
	rc |= buf_puts(&x->out, "</span></td><td><a class=\"code\" href=\"/q/");
	rc |= cyc_e(x, p->id);
	rc |= buf_puts(&x->out, "?s=");
	rc |= cyc_e(x, site);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_e(x, url);
	rc |= buf_puts(&x->out, "</a></td><td><a href=\"/staff/prompts/");
	rc |= cyc_e(x, p->id);
	rc |= buf_puts(&x->out, "/flyer?s=");
	rc |= cyc_e(x, site);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_tx(x, "staff.prompt.flyer");
	rc |= buf_puts(&x->out, "</a></td></tr>\n");
	return rc;
}

/* The flyer link and page of each site of p that x's account sees, or
 * that there is none. */
static int prompt_flyers(struct cyc *x, const struct prompt *p)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, in, rows = 0;

	rc |= buf_puts(&x->out, "<h2>");
	rc |= cyc_tx(x, "staff.prompt.flyers");
	rc |= buf_puts(&x->out,
		       "</h2>\n<table class=\"list flyers\"><tbody>\n");
	if (sqlite3_prepare_v2(x->db,
			       "SELECT code, name FROM sites"
			       " WHERE token_hash <> '-' AND " CYC_SCOPE_SQL(
				       "code") " ORDER BY code",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	cyc_bind_scope(x, st);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		in = scope_reaches(x->db, &p->scope,
				   (const char *)sqlite3_column_text(st, 0));
		if (in < 0)
			rc = -1;
		else if (in && ++rows)
			rc |= prompt_flyer_row(x, p, st);
	}
	sqlite3_finalize(st);
	rc |= buf_puts(&x->out, "</tbody></table>\n");
	if (rows == 0) {
		rc |= buf_puts(&x->out, "<p class=\"empty\">");
		rc |= cyc_tx(x, "staff.prompt.flyers_none");
		rc |= buf_puts(&x->out, "</p>\n");
	}
	return rc;
}

/* p as its edit form shows it. */
static void prompt_typed_of(const struct prompt *p, struct prompt_typed *v,
			    struct buf *scope, char starts[16], char ends[16])
{
	prompt_iso_day(p->starts, starts);
	prompt_iso_day(p->ends - 1, ends);
	if (scope_text(&p->scope, scope) < 0)
		buf_clear(scope);
	v->id = p->id;
	v->en = p->en;
	v->es = p->es;
	v->scope = scope->data ? scope->data : "";
	v->starts = starts;
	v->ends = ends;
}

/* 1 when x's account may edit p, 0 not (*refused as scope_allows()). */
static int prompt_editable(struct cyc *x, const struct prompt *p,
			   const struct scope_target **refused)
{
	*refused = NULL;
	if (strcmp(x->me.role, "viewer") == 0)
		return 0;
	return scope_allows(x->db, &x->me, &p->scope, refused);
}

/* The edit form of p: filled with v (NULL: with p itself). */
static int prompt_edit_section(struct cyc *x, const struct prompt *p,
			       const struct prompt_typed *v,
			       const struct prompt_refusal *r)
{
	const struct scope_target *refused;
	char starts[16], ends[16];
	struct prompt_typed mine;
	struct buf scope;
	int rc, ok = prompt_editable(x, p, &refused);

	if (ok <= 0)
		return ok;
	buf_init(&scope, CYCLE_PAGE_MAX);
	if (v == NULL) {
		prompt_typed_of(p, &mine, &scope, starts, ends);
		v = &mine;
	}
	rc = prompt_form(x, p->id, v, r);
	buf_release(&scope);
	return rc;
}

static enum MHD_Result prompt_one(struct cyc *x, const struct prompt *p,
				  unsigned status, const struct prompt_typed *v,
				  const struct prompt_refusal *r)
{
	const char *q = prompt_question(p, x->lang);
	int rc = 0;

	rc |= cyc_staff_top(x, q);
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_e(x, q);
	rc |= buf_puts(&x->out, "</h1>\n");
	if (v == NULL)
		rc |= prompt_refusal_html(x, r);
	rc |= prompt_facts(x, p);
	rc |= prompt_flyers(x, p);
	rc |= prompt_edit_section(x, p, v, v ? r : NULL);
	return cyc_send(x, status, rc);
}

/* A staff page whose message names what (a site, a prompt). */
static enum MHD_Result prompt_named(struct cyc *x, unsigned status,
				    const char *title_key, const char *key,
				    const char *what)
{
	const char *vars[3] = {"what", what, NULL};
	int rc = 0;

	rc |= cyc_staff_top(x, cyc_t(x, title_key));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, title_key);
	rc |= buf_puts(&x->out, "</h1>\n<p class=\"message\">");
	rc |= cyc_txv(x, key, vars);
	rc |= buf_puts(&x->out, "</p>\n");
	return cyc_send(x, status, rc);
}

static enum MHD_Result prompt_flyer(struct cyc *x, const struct prompt *p);

enum MHD_Result prompt_staff_page(struct cyc *x, const char *tail)
{
	char id[PROMPT_ID_SHORT + 1];
	size_t n = strcspn(tail, "/");
	struct prompt p;
	int found;

	prompt_canon(tail, id);
	found = prompt_seen(x, id, &p);
	if (found < 0)
		return cyc_message(x, 503, "staff.error.title",
				   "staff.error.body");
	if (found == 0)
		return prompt_named(x, 404, "staff.notfound.title",
				    "staff.prompt.none", id);
	if (tail[n] == '\0')
		return prompt_one(x, &p, MHD_HTTP_OK, NULL, NULL);
	if (strcasecmp(tail + n, "/flyer") == 0)
		return prompt_flyer(x, &p);
	return cyc_message(x, 404, "staff.notfound.title",
			   "staff.notfound.body");
}

/* Why an account may not edit a prompt (ok as prompt_editable()). */
static unsigned prompt_uneditable(struct cyc *x, int ok,
				  const struct scope_target *refused,
				  struct prompt_refusal *r)
{
	if (ok < 0 ||
	    (refused != NULL && prompt_target_name(x, refused, &r->what) < 0))
		return prompt_refuse(r, 503, "staff.prompt.error");
	if (refused == NULL)
		return prompt_refuse(r, 403, "staff.prompt.edit_refused_all");
	return prompt_refuse(r, 403, "staff.prompt.edit_refused");
}

enum MHD_Result prompt_staff_post(struct cyc *x, const char *raw)
{
	struct prompt_refusal r = {0, NULL, {0}};
	const struct scope_target *refused;
	struct prompt old, p;
	struct prompt_typed v;
	enum MHD_Result ret;
	unsigned status;
	int ok;

	buf_init(&r.what, CYCLE_PAGE_MAX);
	prompt_canon(raw, p.id);
	ok = prompt_seen(x, p.id, &old);
	if (ok <= 0) {
		buf_release(&r.what);
		return ok < 0 ? cyc_message(x, 503, "staff.error.title",
					    "staff.error.body")
			      : prompt_named(x, 404, "staff.notfound.title",
					     "staff.prompt.none", p.id);
	}
	prompt_typed_posted(x, &v);
	v.id = old.id;
	ok = prompt_editable(x, &old, &refused);
	if (ok > 0)
		status = prompt_check(x, &v, old.starts, &p, &r);
	else
		status = prompt_uneditable(x, ok, refused, &r);
	if (status == 0 && prompt_save(x, &p, &old.scope) == SQLITE_OK) {
		buf_release(&r.what);
		return prompt_saved(x, p.id);
	}
	if (status == 0)
		status = prompt_refuse(&r, 503, "staff.prompt.error");
	ret = prompt_one(x, &old, status, ok > 0 ? &v : NULL, &r);
	buf_release(&r.what);
	return ret;
}

/* ---- the flyer ----------------------------------------------------------- */

static int prompt_flyer_body(struct cyc *x, const struct prompt *p,
			     const char *site)
{
	const char *other = strcmp(x->lang, "es") == 0 ? "en" : "es";
	char url[PROMPT_FLYER_URL_MAX];
	const char *vars[3] = {"site", NULL, NULL};
	struct buf label;
	int rc = 0;

	if (qr_prompt_url(url, sizeof(url), x->w->public_url, p->id, site) < 0)
		return -1;
	buf_init(&label, 1024);
	rc |= scope_site_label(x->db, site, &label);
	vars[1] = label.data ? label.data : site;
	rc |= cyc_paper_links(x);
	rc |= buf_printf(&x->out,
			 "<article class=\"poster flyer size-%s\">\n<h1>",
			 cyc_paper(x));
	rc |= cyc_e(x, prompt_question(p, x->lang));
	rc |= buf_printf(&x->out, "</h1>\n<p class=\"said\" lang=\"%s\">",
			 other);
	rc |= cyc_e(x, prompt_question(p, other));
	rc |= buf_puts(&x->out, "</p>\n<p>");
	rc |= cyc_txv(x, "public.q.for", vars);
	rc |= buf_puts(&x->out, "</p>\n<div class=\"qr\">");
	if (qr_svg(&x->out, url, cyc_t(x, "staff.prompt.qr_alt"), NULL) < 0)
		rc = -1;
	rc |= buf_puts(&x->out, "<p class=\"url\">");
	rc |= cyc_e(x, url);
	rc |= buf_puts(&x->out, "</p></div>\n<p>");
	rc |= cyc_tx(x, "staff.prompt.scan");
	rc |= buf_puts(&x->out, "</p>\n</article>\n");
	buf_release(&label);
	return rc;
}

/* A flyer asked for without its site: which sites there are to choose. */
static enum MHD_Result prompt_flyer_choose(struct cyc *x,
					   const struct prompt *p)
{
	int rc = 0;

	rc |= cyc_staff_top(x, cyc_t(x, "staff.prompt.choose_title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.prompt.choose_title");
	rc |= buf_puts(&x->out, "</h1>\n<p class=\"message\">");
	rc |= cyc_tx(x, "staff.prompt.choose_body");
	rc |= buf_puts(&x->out, "</p>\n");
	rc |= prompt_flyers(x, p);
	return cyc_send(x, MHD_HTTP_BAD_REQUEST, rc);
}

static enum MHD_Result prompt_flyer(struct cyc *x, const struct prompt *p)
{
	const char *typed = cyc_str(&x->q, "s", SCOPE_NAME_MAX);
	char site[CODE_SITE_LEN + 1];
	size_t i;
	int ok = strlen(typed) == CODE_SITE_LEN;

	if (typed[0] == '\0')
		return prompt_flyer_choose(x, p);
	for (i = 0; ok && i <= CODE_SITE_LEN; i++)
		site[i] = (typed[i] >= 'a' && typed[i] <= 'z')
				  ? (char)(typed[i] - 'a' + 'A')
				  : typed[i];
	if (ok)
		ok = code_site_valid(site) ? scope_site_known(x->db, site) : 0;
	if (ok > 0)
		ok = scope_reaches(x->db, &p->scope, site);
	if (ok > 0)
		ok = cyc_sees(x, site);
	if (ok < 0)
		return cyc_message(x, 503, "staff.error.title",
				   "staff.error.body");
	if (ok == 0)
		return prompt_named(x, 404, "staff.notfound.title",
				    "staff.prompt.no_site", typed);
	if (cyc_staff_top(x, prompt_question(p, x->lang)) < 0 ||
	    prompt_flyer_body(x, p, site) < 0)
		return cyc_send(x, 500, -1);
	return cyc_send(x, MHD_HTTP_OK, 0);
}
