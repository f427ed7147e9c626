/*
 * decide: decisions and actions on an idea, per site.
 *
 * A decision says what a site will do about an idea; an action is one
 * step of it, with an owner, a due date (YYYY-MM-DD) and a status
 * (planned, doing, done, dropped).  "adopted" marks a site taking up an
 * idea raised at another: it is set when none of the idea's items came
 * from the site, and staff may tick it for a site that did send some.
 * When a decision or action is done the idea moves to "applied".  POST
 * /staff/decision/new adds one, and /staff/decision/N changes the status
 * of row N.
 *
 * A refused decision writes nothing and comes back as its form, with
 * every field as typed, each problem said in words (which field, what
 * was typed, how to write it) and a link back to the idea.  A due date
 * may be in the past (an action recorded after it was done); it must be
 * a real day from 2000 on, which catches a year typed short.
 */
#include <stdio.h>
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

/* The <option>s of the states, in the reader's language, the one named
 * selected (which may be NULL) marked. */
static int decide_state_options(struct cyc *x, const char *selected)
{
	char key[48];
	size_t i;
	int rc = 0;

	for (i = 0; decide_states[i] != NULL; i++) {
		snprintf(key, sizeof(key), "public.status.%s",
			 decide_states[i]);
		rc |= buf_printf(
			&x->out, "<option value=\"%s\"%s>", decide_states[i],
			selected && strcmp(selected, decide_states[i]) == 0
				? " selected"
				: "");
		rc |= cyc_tx(x, key);
		rc |= buf_puts(&x->out, "</option>");
	}
	return rc;
}

/* 1 when day d of month m of year y is on the calendar. */
static int decide_day_real(int y, int m, int d)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12 || d < 1)
		return 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

/* The whole number written by the n digits at s. */
static int decide_digits(const char *s, size_t n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

/*
 * NULL for an empty due date or a real day written YYYY-MM-DD from 2000
 * on; else the catalogue key saying what is wrong with s.
 */
static const char *decide_due_problem(const char *s)
{
	size_t i;

	if (s[0] == '\0')
		return NULL;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return "staff.decide.due_form";
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return "staff.decide.due_form";
	if (!decide_day_real(decide_digits(s, 4), decide_digits(s + 5, 2),
			     decide_digits(s + 8, 2)))
		return "staff.decide.due_day";
	return decide_digits(s, 4) < 2000 ? "staff.decide.due_old" : NULL;
}

static int decide_status_form(struct cyc *x, sqlite3_stmt *st)
{
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
	rc |= decide_state_options(x, (const char *)sqlite3_column_text(st, 6));
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

/*
 * What the decision form holds: empty for a new one, or as it was typed
 * and refused, with the problems found (catalogue keys, each naming the
 * field it is about).
 */
#define DECIDE_PROBLEMS 8
#define DECIDE_TEXT_MAX 4000 /* bytes of what was decided */
#define DECIDE_OWNER_MAX 200 /* bytes of its owner */

struct decide_input {
	const char *site, *kind, *text, *owner, *due, *status;
	int adopted;
	size_t n;
	const char *field[DECIDE_PROBLEMS];
	const char *key[DECIDE_PROBLEMS];
};

static void decide_refuse(struct decide_input *in, const char *field,
			  const char *key)
{
	if (in->n < DECIDE_PROBLEMS) {
		in->field[in->n] = field;
		in->key[in->n] = key;
		in->n++;
	}
}

/* " aria-invalid" when a problem of in is about field. */
static const char *decide_invalid(const struct decide_input *in,
				  const char *field)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		if (strcmp(in->field[i], field) == 0)
			return " aria-invalid=\"true\"";
	return "";
}

static const char *decide_selected(const char *a, const char *b)
{
	return strcmp(a, b) == 0 ? " selected" : "";
}

static int decide_kind_select(struct cyc *x, const struct decide_input *in)
{
	int rc = 0;

	rc |= buf_printf(&x->out,
			 "<select id=\"d-kind\" name=\"kind\"%s>"
			 "<option value=\"decision\">",
			 decide_invalid(in, "kind"));
	rc |= cyc_tx(x, "public.event.decision");
	rc |= buf_printf(&x->out, "</option><option value=\"action\"%s>",
			 decide_selected(in->kind, "action"));
	rc |= cyc_tx(x, "public.event.action");
	rc |= buf_puts(&x->out, "</option></select>");
	return rc;
}

static int decide_state_select(struct cyc *x, const struct decide_input *in)
{
	int rc = 0;

	rc |= buf_printf(&x->out, "<select id=\"d-status\" name=\"status\"%s>",
			 decide_invalid(in, "status"));
	rc |= decide_state_options(x, in->status);
	rc |= buf_puts(&x->out, "</select>");
	return rc;
}

/* Kind, site and status: the first line of the form. */
static int decide_form_head(struct cyc *x, const struct decide_input *in)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<p><label for=\"d-kind\">");
	rc |= cyc_tx(x, "staff.decide.kind");
	rc |= buf_puts(&x->out, "</label> ");
	rc |= decide_kind_select(x, in);
	rc |= buf_puts(&x->out, " <label for=\"d-site\">");
	rc |= cyc_tx(x, "staff.col.site");
	rc |= buf_printf(&x->out,
			 "</label> <select id=\"d-site\" name=\"site\""
			 " required%s>",
			 decide_invalid(in, "site"));
	rc |= cyc_site_options(x, in->site);
	rc |= buf_puts(&x->out, "</select> <label for=\"d-status\">");
	rc |= cyc_tx(x, "staff.decide.status");
	rc |= buf_puts(&x->out, "</label> ");
	rc |= decide_state_select(x, in);
	rc |= buf_puts(&x->out, "</p>");
	return rc;
}

/* The text, owner, due date and adoption, filled from in. */
static int decide_form_body(struct cyc *x, const struct decide_input *in)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<p><label for=\"d-text\">");
	rc |= cyc_tx(x, "staff.decide.text");
	rc |= buf_printf(&x->out,
			 "</label><br><textarea id=\"d-text\" name=\"text\""
			 " rows=\"3\" required maxlength=\"4000\"%s>",
			 decide_invalid(in, "text"));
	rc |= cyc_e(x, in->text);
	rc |= buf_puts(&x->out, "</textarea></p><p><label for=\"d-owner\">");
	rc |= cyc_tx(x, "staff.decide.owner");
	rc |= buf_printf(&x->out,
			 "</label> <input id=\"d-owner\" name=\"owner\""
			 " maxlength=\"200\"%s value=\"",
			 decide_invalid(in, "owner"));
	rc |= cyc_e(x, in->owner);
	rc |= buf_puts(&x->out, "\"> <label for=\"d-due\">");
	rc |= cyc_tx(x, "staff.decide.due");
	rc |= buf_printf(&x->out,
			 "</label> <input id=\"d-due\" name=\"due\""
			 " type=\"date\"%s value=\"",
			 decide_invalid(in, "due"));
	rc |= cyc_e(x, in->due);
	rc |= buf_printf(&x->out,
			 "\"> <input type=\"checkbox\" id=\"d-adopted\""
			 " name=\"adopted\" value=\"1\"%s>"
			 " <label for=\"d-adopted\">",
			 in->adopted ? " checked" : "");
	rc |= cyc_tx(x, "staff.decide.adopted");
	rc |= buf_puts(&x->out, "</label></p>");
	return rc;
}

static int decide_form(struct cyc *x, const char *idea,
		       const struct decide_input *in)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<form method=\"post\" action=\"/staff/"
				"decision/new\"><fieldset><legend>");
	rc |= cyc_tx(x, "staff.decide.new");
	rc |= buf_puts(&x->out, "</legend>");
	rc |= decide_form_head(x, in);
	rc |= decide_form_body(x, in);
	rc |= buf_puts(&x->out,
		       "<input type=\"hidden\" name=\"idea\" value=\"");
	rc |= cyc_e(x, idea);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_csrf(x);
	rc |= buf_puts(&x->out, "<button type=\"submit\">");
	rc |= cyc_tx(x, "staff.decide.save");
	rc |= buf_puts(&x->out, "</button></fieldset></form>\n");
	return rc;
}

/* A new form: a planned decision at the account's own site. */
static void decide_fresh(struct cyc *x, struct decide_input *in)
{
	memset(in, 0, sizeof(*in));
	in->site = x->me.site;
	in->kind = "decision";
	in->status = "planned";
	in->text = in->owner = in->due = "";
}

static int decide_table_head(struct cyc *x)
{
	static const char *const cols[] = {
		"staff.decide.kind",
		"staff.col.site",
		"staff.decide.text",
		"staff.decide.owner",
		"staff.decide.due",
		"staff.decide.status",
		NULL,
	};

	return cyc_table_head(x, "list", cols);
}

/*
 * The idea's decisions and actions as a table, or a line saying there
 * are none; the footnote on "*" only when a row carries one.
 */
static int decide_table(struct cyc *x, const char *idea, int writes)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, rows = 0, adopted = 0;

	if (sqlite3_prepare_v2(x->db,
			       "SELECT n, site, kind, text, owner, due, status,"
			       " adopted FROM decisions WHERE idea = ?"
			       " ORDER BY n",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, idea, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (rows++ == 0)
			rc |= decide_table_head(x);
		adopted |= sqlite3_column_int(st, 7);
		rc |= decide_row(x, st, writes);
	}
	sqlite3_finalize(st);

	if (rows == 0) {
		rc |= buf_puts(&x->out, "<p class=\"empty\">");
		rc |= cyc_tx(x, "staff.decide.none");
		return rc | buf_puts(&x->out, "</p>\n");
	}
	rc |= buf_puts(&x->out, "</tbody></table>\n");
	if (adopted) {
		rc |= buf_puts(&x->out, "<p>* ");
		rc |= cyc_tx(x, "public.adopted");
		rc |= buf_puts(&x->out, "</p>\n");
	}
	return rc;
}

int decide_section(struct cyc *x, const char *idea, int writes)
{
	struct decide_input in;
	int rc = 0;

	rc |= buf_puts(&x->out, "<h2>");
	rc |= cyc_tx(x, "staff.decide.title");
	rc |= buf_puts(&x->out, "</h2>\n");
	rc |= decide_table(x, idea, writes);
	if (strcmp(x->me.role, "viewer") != 0) {
		decide_fresh(x, &in);
		rc |= decide_form(x, idea, &in);
	}
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
			 const struct decide_input *in)
{
	sqlite3_stmt *st = NULL;
	int64_t now = store_now_ms();
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
	sqlite3_bind_text(st, 3, in->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, in->text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, in->owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, in->due, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, in->status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, in->adopted);
	sqlite3_bind_int64(st, 9, now);
	sqlite3_bind_int64(st, 10, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	rc = cycle_audit(x->db, x->me.id, in->kind, idea, in->text);
	return rc == SQLITE_OK ? decide_applied(x->db, idea, in->status) : rc;
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

/* A posted text field, "" when missing; *len gets its length. */
static const char *decide_typed(struct cyc *x, const char *name, size_t *len)
{
	const char *v = cyc_field(&x->f, name, CYCLE_FORM_MAX, len);

	if (v == NULL)
		*len = 0;
	return v ? v : "";
}

/* The posted form into in, with each problem found but the site's. */
static void decide_read(struct cyc *x, struct decide_input *in)
{
	size_t len;

	memset(in, 0, sizeof(*in));
	in->site = decide_typed(x, "site", &len);
	in->kind = decide_typed(x, "kind", &len);
	in->status = decide_typed(x, "status", &len);
	in->adopted = cyc_str(&x->f, "adopted", 2)[0] == '1';
	if (strcmp(in->kind, "decision") != 0 &&
	    strcmp(in->kind, "action") != 0)
		decide_refuse(in, "kind", "staff.decide.bad_kind");
	if (!decide_state_ok(in->status))
		decide_refuse(in, "status", "staff.decide.bad_status");
	in->text = decide_typed(x, "text", &len);
	if (strspn(in->text, " \t\r\n") == len)
		decide_refuse(in, "text", "staff.decide.need_text");
	else if (len > DECIDE_TEXT_MAX)
		decide_refuse(in, "text", "staff.decide.long_text");
	in->owner = decide_typed(x, "owner", &len);
	if (len > DECIDE_OWNER_MAX)
		decide_refuse(in, "owner", "staff.decide.long_owner");
	in->due = decide_typed(x, "due", &len);
	if (decide_due_problem(in->due) != NULL)
		decide_refuse(in, "due", decide_due_problem(in->due));
}

/* The form again, as typed, under what was wrong and a way back. */
static enum MHD_Result decide_refused(struct cyc *x, unsigned status,
				      const char *idea,
				      const struct decide_input *in)
{
	const char *vars[] = {"due", in->due, "site", in->site, NULL};
	size_t i;
	int rc = 0;

	rc |= cyc_staff_top(x, cyc_t(x, "staff.decide.new"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.decide.new");
	rc |= buf_puts(&x->out, "</h1>\n<p><a href=\"/staff/ideas/");
	rc |= cyc_e(x, idea);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_tx(x, "staff.decide.back");
	rc |= buf_puts(&x->out, " <span class=\"code\">");
	rc |= cyc_e(x, idea);
	rc |= buf_puts(&x->out, "</span></a></p>\n"
				"<p class=\"error\" role=\"alert\">");
	rc |= cyc_tx(x, "staff.decide.refused");
	for (i = 0; i < in->n; i++) {
		rc |= buf_puts(&x->out, "<br>");
		rc |= cyc_txv(x, in->key[i], vars);
	}
	rc |= buf_puts(&x->out, "</p>\n");
	rc |= decide_form(x, idea, in);
	return cyc_send(x, status, rc);
}

static enum MHD_Result decide_new(struct cyc *x)
{
	const char *raw = cyc_str(&x->f, "idea", 40);
	char idea[CODE_MAX], s[CODE_SITE_LEN + 1];
	struct decide_input in;
	unsigned status = MHD_HTTP_BAD_REQUEST;
	int known;

	if (code_parse(raw, strlen(raw), idea, NULL, NULL) < 0 ||
	    cycle_is_idea_db(x->db, idea) != 1)
		return cyc_message(x, 400, "staff.unsaved.title",
				   "staff.decide.no_idea");
	decide_read(x, &in);
	known = scope_site_canon(x->db, in.site, s);
	if (known < 0)
		return decide_end(x, SQLITE_ERROR, idea);
	if (known == 0) {
		decide_refuse(&in, "site", "staff.decide.unknown_site");
	} else if (!cyc_writes(x, s)) {
		decide_refuse(&in, "site", "staff.decide.not_yours");
		status = in.n == 1 ? MHD_HTTP_FORBIDDEN : status;
	}
	if (known == 1)
		in.site = s;
	if (in.n > 0)
		return decide_refused(x, status, idea, &in);
	if (store_begin(x->db) != SQLITE_OK)
		return decide_end(x, SQLITE_BUSY, idea);
	return decide_end(x, decide_insert(x, idea, s, &in), idea);
}

static enum MHD_Result decide_status(struct cyc *x, long long n)
{
	const char *status = cyc_str(&x->f, "status", 10);
	char idea[CODE_MAX] = "", site[CODE_SITE_LEN + 1] = "";
	sqlite3_stmt *st = NULL;
	int rc;

	if (!decide_state_ok(status))
		return cyc_message(x, 400, "staff.unsaved.title",
				   "staff.decide.bad_status");
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
