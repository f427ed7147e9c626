/*
 * rule: the staff form of the readiness rule (web/ready.h).
 *
 * GET /staff/rule shows the three numbers of the rule in force, what
 * each one means, and the last change recorded in the audit table (who,
 * when, old -> new).  Every logged-in account sees it; only a district
 * account gets a form it can send, the others read the same numbers and
 * a sentence saying who can change them.
 *
 * POST /staff/rule comes here after the router checked the session and
 * its CSRF token.  All three fields must be whole numbers from 0 to
 * READY_NUM_MAX (spaces around them are forgiven); otherwise the form
 * comes back with 400, each bad field named, and what was typed kept.
 * A good rule is written in one transaction: the canonical text
 * (ready_format) in meta ready_rule, an audit row "rule.set" with
 * "old -> new", and a fresh feed row for every idea whose readiness
 * flips, so the kiosks' copies follow.  /rule and the idea pages read
 * the meta row on every request, so they follow at once.  The answer is
 * 303 to /staff/rule?saved=1 (or ?same=1 when nothing changed).
 */
#include <stdio.h>
#include <string.h>

#include "cycle.h"
#include "log.h"
#include "store.h"

#define RULE_FIELDS 3
#define RULE_INPUT_MAX 16 /* bytes of one typed number */

static const char *const rule_fields[RULE_FIELDS] = {
	"endorsements",
	"groups",
	"sites",
};

/* What a person sent, field by field, in rule_fields order. */
struct rule_input {
	const char *text[RULE_FIELDS]; /* as typed, NULL when missing */
	size_t len[RULE_FIELDS];
	unsigned value[RULE_FIELDS];
	int bad[RULE_FIELDS];
};

/* ---- reading the form ------------------------------------------------ */

/*
 * A whole number 0..READY_NUM_MAX in s[0..len), spaces around it
 * allowed.  0 with *out set, or -1 (*out untouched).
 */
static int rule_number(const char *s, size_t len, unsigned *out)
{
	unsigned long v = 0;
	size_t i = 0, digits = 0;

	while (len > 0 && s[len - 1] == ' ')
		len--;
	while (i < len && s[i] == ' ')
		i++;
	for (; i < len; i++, digits++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
		if (v > READY_NUM_MAX)
			return -1;
	}
	if (digits == 0)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* Fills in from the posted form; the number of bad fields. */
static int rule_read(struct cyc *x, struct rule_input *in)
{
	int k, bad = 0;

	memset(in, 0, sizeof(*in));
	for (k = 0; k < RULE_FIELDS; k++) {
		in->text[k] = cyc_field(&x->f, rule_fields[k], RULE_INPUT_MAX,
					&in->len[k]);
		if (in->text[k] == NULL ||
		    rule_number(in->text[k], in->len[k], &in->value[k]) < 0) {
			in->bad[k] = 1;
			bad++;
		}
	}
	return bad;
}

/* ---- the page -------------------------------------------------------- */

static const char *rule_key(char key[48], const char *field, const char *what)
{
	snprintf(key, 48, "staff.rule.%s%s", field, what);
	return key;
}

/* The value of field k: what was typed when in is given, else r's. */
static int rule_value(struct cyc *x, const struct ready_rule *r,
		      const struct rule_input *in, int k)
{
	const unsigned v[RULE_FIELDS] = {r->endorsements, r->groups, r->sites};

	if (in == NULL)
		return buf_printf(&x->out, "%u", v[k]);
	if (in->text[k] == NULL)
		return 0;
	return cyc_en(x, in->text[k], in->len[k]);
}

/* One labelled input with its meaning, and its error when bad. */
static int rule_input_row(struct cyc *x, const struct ready_rule *r,
			  const struct rule_input *in, int k)
{
	const char *f = rule_fields[k];
	int bad = in != NULL && in->bad[k];
	char key[48];
	int rc = 0;

	rc |= buf_printf(&x->out, "<p><label for=\"rule-%s\">", f);
	rc |= cyc_tx(x, rule_key(key, f, ""));
	rc |= buf_puts(&x->out, "</label><br>");
	if (bad) {
		rc |= buf_printf(&x->out,
				 "<span class=\"error\" id=\"rule-%s-error\">",
				 f);
		rc |= cyc_tx(x, rule_key(key, f, ""));
		rc |= buf_puts(&x->out, ": ");
		rc |= cyc_tx(x, "staff.rule.bad_number");
		rc |= buf_puts(&x->out, "</span><br>");
	}
	rc |= buf_printf(
		&x->out,
		"<input id=\"rule-%s\" name=\"%s\" type=\"text\""
		" inputmode=\"numeric\" autocomplete=\"off\""
		" size=\"8\" maxlength=\"%u\"%s"
		" aria-describedby=\"rule-%s-hint%s%s%s\" value=\"",
		f, f, RULE_INPUT_MAX, bad ? " aria-invalid=\"true\"" : "", f,
		bad ? " rule-" : "", bad ? f : "", bad ? "-error" : "");
	rc |= rule_value(x, r, in, k);
	rc |= buf_printf(&x->out, "\"><br><span id=\"rule-%s-hint\">", f);
	rc |= cyc_tx(x, rule_key(key, f, "_hint"));
	rc |= buf_puts(&x->out, "</span></p>\n");
	return rc;
}

static int rule_form(struct cyc *x, const struct ready_rule *r,
		     const struct rule_input *in)
{
	int k, rc = 0;

	rc |= buf_puts(&x->out, "<form method=\"post\" action=\"/staff/rule\""
				" novalidate>");
	rc |= cyc_csrf(x);
	rc |= buf_puts(&x->out, "<input type=\"hidden\" name=\"lang\""
				" value=\"");
	rc |= cyc_e(x, x->lang);
	rc |= buf_puts(&x->out, "\">\n<fieldset><legend>");
	rc |= cyc_tx(x, "staff.rule.legend");
	rc |= buf_puts(&x->out, "</legend>\n");
	for (k = 0; k < RULE_FIELDS; k++)
		rc |= rule_input_row(x, r, in, k);
	rc |= buf_puts(&x->out, "</fieldset>\n<button type=\"submit\">");
	rc |= cyc_tx(x, "staff.rule.save");
	rc |= buf_puts(&x->out, "</button></form>\n");
	return rc;
}

/* The same numbers for an account that cannot change them. */
static int rule_readonly(struct cyc *x, const struct ready_rule *r)
{
	char key[48];
	int k, rc = 0;

	rc |= buf_puts(&x->out, "<dl class=\"facts\">\n");
	for (k = 0; k < RULE_FIELDS; k++) {
		rc |= buf_puts(&x->out, "<dt>");
		rc |= cyc_tx(x, rule_key(key, rule_fields[k], ""));
		rc |= buf_puts(&x->out, "</dt><dd>");
		rc |= rule_value(x, r, NULL, k);
		rc |= buf_puts(&x->out, "<br>");
		rc |= cyc_tx(x, rule_key(key, rule_fields[k], "_hint"));
		rc |= buf_puts(&x->out, "</dd>\n");
	}
	rc |= buf_puts(&x->out, "</dl>\n<p>");
	rc |= cyc_tx(x, "staff.rule.who_can");
	rc |= buf_puts(&x->out, "</p>\n");
	return rc;
}

/* The last change made through this form, from the audit table. */
static int rule_last_change(struct cyc *x)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(x->db,
			       "SELECT a.at, COALESCE(s.email, '-'), a.detail"
			       " FROM audit a LEFT JOIN staff s"
			       " ON s.id = a.staff WHERE a.action = 'rule.set'"
			       " ORDER BY a.n DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc |= buf_puts(&x->out, "<h2>");
	rc |= cyc_tx(x, "staff.rule.last");
	rc |= buf_puts(&x->out, "</h2>\n");
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc |= buf_puts(&x->out, "<p>");
		rc |= cyc_tx(x, "staff.rule.never");
		rc |= buf_puts(&x->out, "</p>\n");
		sqlite3_finalize(st);
		return rc;
	}
	rc |= buf_puts(&x->out, "<dl class=\"facts\"><dt>");
	rc |= cyc_tx(x, "staff.audit.who");
	rc |= buf_puts(&x->out, "</dt><dd>");
	rc |= cyc_col(x, st, 1);
	rc |= buf_puts(&x->out, "</dd><dt>");
	rc |= cyc_tx(x, "staff.audit.when");
	rc |= buf_puts(&x->out, "</dt><dd>");
	rc |= staff_date(x, sqlite3_column_int64(st, 0));
	rc |= buf_puts(&x->out, "</dd><dt>");
	rc |= cyc_tx(x, "staff.rule.change");
	rc |= buf_puts(&x->out, "</dt><dd>");
	rc |= cyc_col(x, st, 2);
	rc |= buf_puts(&x->out, "</dd></dl>\n");
	sqlite3_finalize(st);
	return rc;
}

/* The note at the top: saved, unchanged, or what was wrong. */
static int rule_note(struct cyc *x, const struct rule_input *in)
{
	const char *key = NULL, *cls = "ok", *role = "status";
	int rc = 0;

	if (in != NULL) {
		key = "staff.rule.not_saved";
		cls = "error";
		role = "alert";
	} else if (cyc_str(&x->q, "saved", 1)[0] == '1') {
		key = "staff.rule.saved";
	} else if (cyc_str(&x->q, "same", 1)[0] == '1') {
		key = "staff.rule.same";
	}
	if (key == NULL)
		return 0;
	rc |= buf_printf(&x->out, "<p class=\"%s\" role=\"%s\">", cls, role);
	rc |= cyc_tx(x, key);
	rc |= buf_puts(&x->out, "</p>\n");
	return rc;
}

/* The whole page; in is the rejected form, or NULL for the rule. */
static enum MHD_Result rule_render(struct cyc *x, unsigned status,
				   const struct rule_input *in)
{
	struct ready_rule r;
	int rc = 0;

	ready_rule_get(x->db, &r);
	rc |= cyc_staff_top(x, cyc_t(x, "staff.rule.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.rule.title");
	rc |= buf_puts(&x->out, "</h1>\n");
	rc |= rule_note(x, in);
	rc |= buf_puts(&x->out, "<p>");
	rc |= cyc_tx(x, "staff.rule.intro");
	rc |= buf_puts(&x->out, " <a href=\"/rule\">");
	rc |= cyc_tx(x, "staff.rule.public");
	rc |= buf_puts(&x->out, "</a></p>\n");
	if (strcmp(x->me.role, "district") == 0)
		rc |= rule_form(x, &r, in);
	else
		rc |= rule_readonly(x, &r);
	rc |= rule_last_change(x);
	return cyc_send(x, status, rc);
}

enum MHD_Result rule_page(struct cyc *x)
{
	return rule_render(x, MHD_HTTP_OK, NULL);
}

/* ---- saving ---------------------------------------------------------- */

/*
 * Publishes a fresh feed row for every idea whose readiness under old
 * differs from under the rule now in meta.  Inside the caller's
 * transaction; an SQLite code.
 */
static int rule_republish(sqlite3 *db, const struct ready_rule *old,
			  const struct ready_rule *now)
{
	struct ready_count n;
	sqlite3_stmt *st = NULL;
	const char *code;
	int rc;

	rc = sqlite3_prepare_v2(db, "SELECT code FROM ideas ORDER BY n", -1,
				&st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		code = (const char *)sqlite3_column_text(st, 0);
		if (ready_count_idea(db, code, &n) < 0) {
			rc = SQLITE_ERROR;
			break;
		}
		if (ready_met(old, &n) == ready_met(now, &n))
			continue;
		rc = cycle_publish_idea(db, code);
		if (rc != SQLITE_OK)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/*
 * Stores now as the rule, with its audit row and the feed rows it
 * changes, in one transaction.  1 when saved, 0 when the stored text
 * was that already, -1 when nothing could be written.
 */
static int rule_store(struct cyc *x, const struct ready_rule *now)
{
	char stored[READY_TEXT_MAX], was[READY_TEXT_MAX], text[READY_TEXT_MAX];
	char detail[2 * READY_TEXT_MAX + 8];
	struct ready_rule old;
	int rc;

	ready_format(now, text);
	rc = store_begin(x->db);
	if (rc != SQLITE_OK) {
		log_error("rule: cannot begin a transaction: %s",
			  sqlite3_errmsg(x->db));
		return -1;
	}
	ready_rule_get(x->db, &old);
	ready_format(&old, was);
	if (store_meta_get(x->db, "ready_rule", stored, sizeof(stored)) == 0 &&
	    strcmp(stored, text) == 0) {
		store_rollback(x->db);
		return 0;
	}
	snprintf(detail, sizeof(detail), "%s -> %s", was, text);
	rc = store_meta_set(x->db, "ready_rule", text);
	if (rc == SQLITE_OK)
		rc = cycle_audit(x->db, x->me.id, "rule.set", "ready_rule",
				 detail);
	if (rc == SQLITE_OK)
		rc = rule_republish(x->db, &old, now);
	if (rc == SQLITE_OK)
		rc = store_commit(x->db);
	if (rc != SQLITE_OK) {
		log_error("rule: the readiness rule was not stored: %s",
			  sqlite3_errmsg(x->db));
		store_rollback(x->db);
		return -1;
	}
	return 1;
}

enum MHD_Result rule_post(struct cyc *x)
{
	struct rule_input in;
	struct ready_rule now;
	char where[64];
	int saved;

	if (strcmp(x->me.role, "district") != 0)
		return cyc_message(x, MHD_HTTP_FORBIDDEN,
				   "staff.forbidden.title",
				   "staff.rule.who_can");
	if (rule_read(x, &in) > 0)
		return rule_render(x, MHD_HTTP_BAD_REQUEST, &in);
	now.endorsements = in.value[0];
	now.groups = in.value[1];
	now.sites = in.value[2];
	saved = rule_store(x, &now);
	if (saved < 0)
		return cyc_message(x, MHD_HTTP_SERVICE_UNAVAILABLE,
				   "staff.error.title", "staff.error.body");
	snprintf(where, sizeof(where), "/staff/rule?%s=1&lang=%s",
		 saved ? "saved" : "same", x->lang);
	return cyc_redirect(x, where);
}
