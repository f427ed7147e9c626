/*
 * inbox: what came in, across the sites an account sees, newest first.
 *
 * Filters travel in the query string, so a filtered inbox is a link:
 * site, cluster, prompt, role, ilang (the item's language; "lang" is the
 * page's), channel, phase ("new" for items in no idea yet, else the
 * phase of the item's idea) and q, words searched with FTS5 (search.h).
 * Pages go back in time by "before", the last row number shown, so the
 * first page costs the same with a million items as with ten.
 *
 * The list is also the merge form.  Its action carries the inbox's
 * query, so a merge refused for what was typed (ideas.c) shows the same
 * page again through inbox_merge_refused(): what was wrong above it, the
 * title and idea code as typed, the items that were ticked still ticked.
 */
#include <stdio.h>
#include <string.h>

#include "cycle.h"
#include "item.h"
#include "search.h"
#include "store.h"

#define INBOX_PAGE 50
#define INBOX_Q_MAX 200

/* SQL laid out by hand; clang-format would break its lines. */
/* clang-format off */
static const char inbox_sql[] =
	"SELECT i.n, i.code, i.site, i.channel, i.role, i.lang, i.text,"
	" i.received_at, i.prompt, ii.idea, d.phase, s.name"
	" FROM items i LEFT JOIN idea_items ii ON ii.item = i.code"
	" LEFT JOIN sites s ON s.code = i.site"
	" LEFT JOIN ideas d ON d.code = ii.idea"
	" WHERE " CYC_SCOPE_SQL("i.site")
	" AND (:site = '' OR i.site = :site)"
	" AND (:cluster = '' OR i.site IN"
	"  (SELECT code FROM sites WHERE cluster = :cluster))"
	" AND (:prompt = '' OR i.prompt = :prompt)"
	" AND (:role = '' OR i.role = :role)"
	" AND (:ilang = '' OR i.lang = :ilang)"
	" AND (:channel = '' OR i.channel = :channel)"
	" AND (:phase = '' OR (:phase = 'new' AND ii.idea IS NULL)"
	"  OR d.phase = :phase)"
	" AND (:q = '' OR i.n IN"
	"  (SELECT rowid FROM items_fts WHERE items_fts MATCH :q))"
	" AND (:before = 0 OR i.n < :before)"
	" ORDER BY i.n DESC LIMIT :limit";
/* clang-format on */

static const char *const inbox_filters[] = {
	"site", "cluster", "prompt", "role", "ilang", "channel", "phase", NULL,
};

static void inbox_bind(struct cyc *x, sqlite3_stmt *st, const char *fts)
{
	char name[32];
	size_t i;
	long long before = 0;
	const char *b = cyc_str(&x->q, "before", 20);

	cyc_bind_scope(x, st);
	for (i = 0; inbox_filters[i] != NULL; i++) {
		snprintf(name, sizeof(name), ":%s", inbox_filters[i]);
		sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, name),
				  cyc_str(&x->q, inbox_filters[i], 200), -1,
				  SQLITE_STATIC);
	}
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":q"), fts, -1,
			  SQLITE_STATIC);
	for (; *b >= '0' && *b <= '9' && before < 1000000000000LL; b++)
		before = before * 10 + (*b - '0');
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":before"),
			   before);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"),
			 INBOX_PAGE + 1);
}

/*
 * One <select> of the filter form; options are value/catalogue pairs.
 * Each filter is a span holding its label and its control, so that on
 * a narrow screen they wrap onto a line together.
 */
static int inbox_select(struct cyc *x, const char *name, const char *label,
			const char *const *values, const char *prefix)
{
	const char *cur = cyc_str(&x->q, name, 200);
	char key[64];
	int rc = 0;

	rc |= buf_printf(&x->out, "<span class=\"filter\"><label for=\"f-%s\">",
			 name);
	rc |= cyc_tx(x, label);
	rc |= buf_printf(&x->out, "</label> <select id=\"f-%s\" name=\"%s\">",
			 name, name);
	rc |= buf_puts(&x->out, "<option value=\"\">");
	rc |= cyc_tx(x, "staff.inbox.any");
	rc |= buf_puts(&x->out, "</option>");
	for (; *values != NULL; values++) {
		snprintf(key, sizeof(key), "%s%s", prefix, *values);
		rc |= buf_puts(&x->out, "<option value=\"");
		rc |= cyc_e(x, *values);
		rc |= buf_puts(&x->out, strcmp(cur, *values) == 0
						? "\" selected>"
						: "\">");
		rc |= prefix[0] ? cyc_tx(x, key) : cyc_e(x, *values);
		rc |= buf_puts(&x->out, "</option>");
	}
	rc |= buf_puts(&x->out, "</select></span>\n");
	return rc;
}

/*
 * A select of the values of sql's first column (at most 200), each
 * shown with the second column after it when the query has one (a
 * site's name after its code).
 */
static int inbox_select_sql(struct cyc *x, const char *name, const char *label,
			    const char *sql)
{
	const char *cur = cyc_str(&x->q, name, 200);
	sqlite3_stmt *st = NULL;
	int rc = 0, n = 0;
	const char *v;

	if (sqlite3_prepare_v2(x->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc |= buf_printf(&x->out, "<span class=\"filter\"><label for=\"f-%s\">",
			 name);
	rc |= cyc_tx(x, label);
	rc |= buf_printf(&x->out,
			 "</label> <select id=\"f-%s\" name=\"%s\">"
			 "<option value=\"\">",
			 name, name);
	rc |= cyc_tx(x, "staff.inbox.any");
	rc |= buf_puts(&x->out, "</option>");
	while (n < 200 && sqlite3_step(st) == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(st, 0);
		if (v == NULL)
			continue;
		rc |= buf_puts(&x->out, "<option value=\"");
		rc |= cyc_e(x, v);
		rc |= buf_puts(&x->out,
			       strcmp(cur, v) == 0 ? "\" selected>" : "\">");
		rc |= cyc_e(x, v);
		if (sqlite3_column_count(st) > 1) {
			rc |= buf_puts(&x->out, " ");
			rc |= cyc_col(x, st, 1);
		}
		rc |= buf_puts(&x->out, "</option>");
		n++;
	}
	sqlite3_finalize(st);
	rc |= buf_puts(&x->out, "</select></span>\n");
	return rc;
}

static int inbox_form(struct cyc *x)
{
	static const char *const channels[] = {"kiosk", "sms", "web", NULL};
	static const char *const phases[] = {
		"new", "consolidated", "captured", "shared", "applied", NULL};
	static const char *const langs[] = {"en", "es", NULL};
	int rc = 0;

	rc |= buf_puts(&x->out, "<form class=\"filters\" method=\"get\""
				" action=\"/staff\"><p>");
	rc |= inbox_select_sql(x, "site", "staff.inbox.site",
			       "SELECT code, name FROM sites"
			       " WHERE token_hash <> '-'"
			       " ORDER BY code");
	rc |= inbox_select_sql(x, "cluster", "staff.inbox.cluster",
			       "SELECT DISTINCT cluster FROM sites"
			       " WHERE cluster IS NOT NULL ORDER BY 1");
	rc |= inbox_select_sql(x, "prompt", "staff.inbox.prompt",
			       "SELECT id FROM prompts ORDER BY n DESC");
	rc |= inbox_select(x, "role", "staff.inbox.role", item_roles, "role.");
	rc |= inbox_select(x, "ilang", "staff.inbox.lang", langs, "lang.in.");
	rc |= inbox_select(x, "channel", "staff.inbox.channel", channels,
			   "web.channel.");
	rc |= inbox_select(x, "phase", "staff.inbox.phase", phases,
			   "staff.phase.");
	rc |= buf_puts(&x->out, "</p><p><span class=\"filter\">"
				"<label for=\"f-q\">");
	rc |= cyc_tx(x, "staff.inbox.search");
	rc |= buf_puts(&x->out, "</label> <input id=\"f-q\" name=\"q\""
				" type=\"search\" maxlength=\"200\" value=\"");
	rc |= cyc_e(x, cyc_str(&x->q, "q", INBOX_Q_MAX));
	rc |= buf_puts(&x->out, "\"></span> <button type=\"submit\">");
	rc |= cyc_tx(x, "staff.inbox.apply");
	rc |= buf_puts(&x->out, "</button></p></form>\n");
	return rc;
}

/* An item's language by its name ("Spanish"), or its code when the
 * catalogue has no name for it. */
static int inbox_lang(struct cyc *x, sqlite3_stmt *st, int col)
{
	const char *l = (const char *)sqlite3_column_text(st, col);
	char key[32];
	const char *t;

	if (l == NULL || strlen(l) > 8)
		return cyc_col(x, st, col);
	snprintf(key, sizeof(key), "lang.in.%s", l);
	t = cyc_t(x, key);
	return strcmp(t, key) == 0 ? cyc_col(x, st, col) : cyc_e(x, t);
}

/* 1 when the posted form ticked item code (a refused merge). */
static int inbox_ticked(const struct cyc *x, const char *code)
{
	const struct form_field *f;
	size_t i;

	for (i = 0; i < x->f.count; i++) {
		f = &x->f.fields[i];
		if (strcmp(f->name, "item") == 0 &&
		    f->value_len == strlen(code) &&
		    memcmp(f->value, code, f->value_len) == 0)
			return 1;
	}
	return 0;
}

static int inbox_row(struct cyc *x, sqlite3_stmt *st)
{
	char key[64];
	const char *code = (const char *)sqlite3_column_text(st, 1);
	const char *idea = (const char *)sqlite3_column_text(st, 9);
	int rc = 0;

	rc |= buf_puts(&x->out, "<tr><td><input type=\"checkbox\""
				" name=\"item\" value=\"");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, inbox_ticked(x, code) ? "\" checked id=\"c-"
						      : "\" id=\"c-");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, "\"><label class=\"sr\" for=\"c-");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_tx(x, "staff.inbox.pick");
	rc |= buf_puts(&x->out, "</label></td><td><a class=\"code\""
				" href=\"/staff/ideas/");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, "</a></td><td class=\"text\">");
	rc |= cyc_col(x, st, 6);
	rc |= buf_puts(&x->out, "</td><td><span class=\"code\">");
	rc |= cyc_col(x, st, 2);
	rc |= buf_puts(&x->out, "</span> ");
	rc |= cyc_col(x, st, 11);
	rc |= buf_puts(&x->out, "</td><td>");
	snprintf(key, sizeof(key), "web.channel.%s",
		 (const char *)sqlite3_column_text(st, 3));
	rc |= cyc_tx(x, key);
	rc |= buf_puts(&x->out, "</td><td>");
	snprintf(key, sizeof(key), "role.%s",
		 (const char *)sqlite3_column_text(st, 4));
	rc |= cyc_tx(x, key);
	rc |= buf_puts(&x->out, "</td><td>");
	rc |= inbox_lang(x, st, 5);
	rc |= buf_puts(&x->out, "</td><td>");
	rc |= staff_date(x, sqlite3_column_int64(st, 7));
	rc |= buf_puts(&x->out, "</td><td>");
	if (idea != NULL) {
		rc |= buf_puts(&x->out,
			       "<a class=\"code\" href=\"/staff/ideas/");
		rc |= cyc_e(x, idea);
		rc |= buf_puts(&x->out, "\">");
		rc |= cyc_e(x, idea);
		rc |= buf_puts(&x->out, "</a>");
	}
	rc |= buf_puts(&x->out, "</td></tr>\n");
	return rc;
}

/* The merge controls under the list, with what a refused merge typed. */
static int inbox_merge(struct cyc *x)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<fieldset class=\"merge\"><legend>");
	rc |= cyc_tx(x, "staff.merge.legend");
	rc |= buf_puts(&x->out, "</legend><p><label for=\"m-title\">");
	rc |= cyc_tx(x, "staff.merge.title");
	rc |= buf_puts(&x->out, "</label> <input id=\"m-title\" name=\"title\""
				" maxlength=\"300\" value=\"");
	rc |= cyc_e(x, cyc_str(&x->f, "title", CYCLE_TITLE_MAX));
	rc |= buf_puts(&x->out, "\"></p><p><label for=\"m-idea\">");
	rc |= cyc_tx(x, "staff.merge.into");
	rc |= buf_puts(&x->out, "</label> <input id=\"m-idea\" name=\"idea\""
				" maxlength=\"20\" class=\"code\" value=\"");
	rc |= cyc_e(x, cyc_str(&x->f, "idea", 40));
	rc |= buf_puts(&x->out, "\"></p>");
	rc |= cyc_csrf(x);
	rc |= buf_puts(&x->out, "<button type=\"submit\">");
	rc |= cyc_tx(x, "staff.merge.button");
	rc |= buf_puts(&x->out, "</button></fieldset>\n");
	return rc;
}

/* This page's query but skip (or all of it), each field and "&amp;". */
static int inbox_query(struct cyc *x, const char *skip)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < x->q.count; i++) {
		if (skip != NULL && strcmp(x->q.fields[i].name, skip) == 0)
			continue;
		rc |= cyc_url(x, x->q.fields[i].name, x->q.fields[i].name_len);
		rc |= buf_puts(&x->out, "=");
		rc |= cyc_url(x, x->q.fields[i].value,
			      x->q.fields[i].value_len);
		rc |= buf_puts(&x->out, "&amp;");
	}
	return rc;
}

/* The link to the next page: this query with before = last. */
static int inbox_next(struct cyc *x, long long last)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<p><a rel=\"next\" href=\"/staff?");
	rc |= inbox_query(x, "before");
	rc |= buf_printf(&x->out, "before=%lld\">", last);
	rc |= cyc_tx(x, "staff.inbox.older");
	rc |= buf_puts(&x->out, "</a></p>\n");
	return rc;
}

static int inbox_table_head(struct cyc *x)
{
	static const char *const cols[] = {
		"staff.inbox.pick",  "staff.col.code",
		"staff.col.text",    "staff.col.site",
		"staff.col.channel", "staff.col.role",
		"staff.col.lang",    "staff.col.received",
		"staff.col.idea",    NULL,
	};

	return cyc_table_head(x, "list", cols);
}

/*
 * The inbox with the page's filters; key, when not NULL, says above it
 * why the merge posted was refused (filled with the idea code typed, and
 * item and other when they are not NULL).
 */
static enum MHD_Result inbox_render(struct cyc *x, unsigned status,
				    const char *key, const char *item,
				    const char *other)
{
	const char *vars[] = {
		"idea",	 cyc_str(&x->f, "idea", 40), "item", item ? item : "",
		"other", other ? other : "",	     NULL};
	char fts[1024];
	size_t qlen = 0;
	const char *q = cyc_field(&x->q, "q", INBOX_Q_MAX, &qlen);
	sqlite3_stmt *st = NULL;
	long long last = 0;
	int rc = 0, n = 0, step;

	if (search_fts_query(q ? q : "", qlen, fts, sizeof(fts)) < 0)
		fts[0] = '\0';
	rc |= cyc_staff_top(x, cyc_t(x, "staff.inbox.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.inbox.title");
	rc |= buf_puts(&x->out, "</h1>\n");
	if (key != NULL) {
		rc |= buf_puts(&x->out, "<p class=\"error\" role=\"alert\">");
		rc |= cyc_txv(x, key, vars);
		rc |= buf_puts(&x->out, "</p>\n");
	}
	rc |= inbox_form(x);
	if (sqlite3_prepare_v2(x->db, inbox_sql, -1, &st, NULL) != SQLITE_OK)
		return cyc_send(x, 500, -1);
	inbox_bind(x, st, fts);
	rc |= buf_puts(&x->out, "<form method=\"post\""
				" action=\"/staff/ideas/merge?");
	rc |= inbox_query(x, NULL);
	rc |= buf_puts(&x->out, "\">");
	rc |= inbox_table_head(x);
	while ((step = sqlite3_step(st)) == SQLITE_ROW && n < INBOX_PAGE) {
		rc |= inbox_row(x, st);
		last = sqlite3_column_int64(st, 0);
		n++;
	}
	rc |= buf_puts(&x->out, "</tbody></table>\n");
	if (n == 0) {
		rc |= buf_puts(&x->out, "<p class=\"empty\">");
		rc |= cyc_tx(x, step == SQLITE_DONE ? "staff.inbox.empty"
						    : "staff.inbox.bad_search");
		rc |= buf_puts(&x->out, "</p>\n");
	}
	rc |= inbox_merge(x);
	rc |= buf_puts(&x->out, "</form>\n");
	if (step == SQLITE_ROW)
		rc |= inbox_next(x, last);
	sqlite3_finalize(st);
	return cyc_send(x, status, rc);
}

enum MHD_Result inbox_page(struct cyc *x)
{
	return inbox_render(x, MHD_HTTP_OK, NULL, NULL, NULL);
}

enum MHD_Result inbox_merge_refused(struct cyc *x, unsigned status,
				    const char *key, const char *item,
				    const char *other)
{
	x->path = "/staff";
	return inbox_render(x, status, key, item, other);
}
