/*
 * prompt: questions staff pose to chosen sites for a period, and the
 * phone-friendly form GET /q/PROMPT that answers one from a flyer.
 *
 * A prompt has a short id (letters, digits and dashes), its question in
 * English and Spanish, a scope (every site, a site, or cluster:NAME) and
 * a period.  Saving one publishes it to the feed (kind "prompt") so the
 * kiosks of its sites ask it and SMS replies can mention it.
 *
 * The form takes the same three fields as the kiosk and checks them with
 * the kiosk's own parser (kiosk/intake_parse.h), so the rules are the
 * same.  It is durable the same way: the handler suspends the connection
 * and submits an intake job; the item is created in the group commit
 * and the person sees its code only after the commit returned.  Items
 * from the form belong to a site prefix the centre reserves for the web
 * (meta web_prefix, like the ideas' one) and carry the prompt's id.
 * Posts are limited per address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/intake_parse.h"
#include "cycle.h"
#include "feed.h"
#include "intake.h"
#include "item.h"
#include "log.h"
#include "store.h"

#define PROMPT_STAFF_ID_MAX 16 /* bytes of an id staff give (sites take more) */
#define PROMPT_POSTS 10	       /* per address per window */
#define PROMPT_WINDOW_MS (10LL * 60 * 1000)
#define PROMPT_DAY_MS (24LL * 3600 * 1000)

/* One post between its submission and the end of its request. */
struct prompt_post {
	struct intake_job job;
	struct web *w;
	struct MHD_Connection *conn;
	struct kiosk_input in;
	char prompt[PROMPT_STAFF_ID_MAX + 1];
	const char *lang;
	struct item item;
};

static int prompt_id_ok(const char *id)
{
	size_t n = strlen(id), i;

	if (n == 0 || n > PROMPT_STAFF_ID_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((id[i] >= 'A' && id[i] <= 'Z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
			return 0;
	return 1;
}

/* "2031-05-01" as ms at 00:00 UTC; -1 when malformed. */
static int64_t prompt_day(const char *s)
{
	struct tm tm = {0};
	int y, m, d;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return (int64_t)timegm(&tm) * 1000;
}

/* The canonical id, upper case, from raw up to a '/'; "" if too long. */
static void prompt_canon(const char *raw, char out[PROMPT_STAFF_ID_MAX + 1])
{
	size_t i, n = strcspn(raw, "/");

	out[0] = '\0';
	if (n > PROMPT_STAFF_ID_MAX)
		return;
	for (i = 0; i < n; i++)
		out[i] = (raw[i] >= 'a' && raw[i] <= 'z')
				 ? (char)(raw[i] - 'a' + 'A')
				 : raw[i];
	out[n] = '\0';
}

/* ---- staff: the list and the form ------------------------------------ */

static int prompts_form(struct cyc *x)
{
	static const char *const f[][3] = {
		{"id", "staff.prompt.id", "16"},
		{"text_en", "staff.prompt.en", "500"},
		{"text_es", "staff.prompt.es", "500"},
		{"scope", "staff.notice.scope", "210"},
		{"starts", "staff.prompt.starts", "10"},
		{"ends", "staff.prompt.ends", "10"},
	};
	size_t i;
	int rc = 0;

	rc |= buf_puts(&x->out, "<form method=\"post\" action=\"/staff/"
				"prompts\"><fieldset><legend>");
	rc |= cyc_tx(x, "staff.prompt.new");
	rc |= buf_puts(&x->out, "</legend>\n");
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		rc |= buf_printf(&x->out, "<p><label for=\"p-%s\">", f[i][0]);
		rc |= cyc_tx(x, f[i][1]);
		rc |= buf_printf(&x->out,
				 "</label><br><input id=\"p-%s\" name=\"%s\""
				 " maxlength=\"%s\"%s%s></p>\n",
				 f[i][0], f[i][0], f[i][2],
				 i < 3 ? " required" : "",
				 i >= 4 ? " type=\"date\"" : " size=\"60\"");
	}
	rc |= cyc_csrf(x);
	rc |= buf_puts(&x->out, "<button type=\"submit\">");
	rc |= cyc_tx(x, "staff.prompt.save");
	rc |= buf_puts(&x->out, "</button></fieldset></form>\n");
	return rc;
}

enum MHD_Result prompts_page(struct cyc *x)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	rc |= cyc_staff_top(x, cyc_t(x, "staff.prompt.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.prompt.title");
	rc |= buf_puts(&x->out, "</h1>\n<ul class=\"prompts\">\n");
	if (sqlite3_prepare_v2(x->db,
			       "SELECT id, text_en, text_es, scope FROM prompts"
			       " ORDER BY n DESC LIMIT 200",
			       -1, &st, NULL) != SQLITE_OK)
		return cyc_send(x, 500, -1);
	while (sqlite3_step(st) == SQLITE_ROW) {
		rc |= buf_puts(&x->out, "<li><a class=\"code\" href=\"/q/");
		rc |= cyc_col(x, st, 0);
		rc |= buf_puts(&x->out, "\">/q/");
		rc |= cyc_col(x, st, 0);
		rc |= buf_puts(&x->out, "</a> <span class=\"text\">");
		rc |= cyc_col(x, st, strcmp(x->lang, "es") == 0 ? 2 : 1);
		rc |= buf_puts(&x->out, "</span> <a href=\"/staff?prompt=");
		rc |= cyc_col(x, st, 0);
		rc |= buf_puts(&x->out, "\">");
		rc |= cyc_tx(x, "staff.prompt.answers");
		rc |= buf_puts(&x->out, "</a></li>\n");
	}
	sqlite3_finalize(st);
	rc |= buf_puts(&x->out, "</ul>\n");
	if (strcmp(x->me.role, "viewer") != 0)
		rc |= prompts_form(x);
	return cyc_send(x, MHD_HTTP_OK, rc);
}

static int prompts_insert(struct cyc *x, const char *id, const char *en,
			  const char *es, const char *scope, int64_t starts,
			  int64_t ends)
{
	sqlite3_stmt *st = NULL;
	json_t *j;
	int rc;

	rc = sqlite3_prepare_v2(x->db,
				"INSERT INTO prompts (id, text_en, text_es,"
				" scope, starts, ends, created_at)"
				" VALUES (?, ?, ?, ?, ?, ?, ?)",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, en, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, es, -1, SQLITE_STATIC);
	if (scope[0] != '\0')
		sqlite3_bind_text(st, 4, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, starts);
	sqlite3_bind_int64(st, 6, ends);
	sqlite3_bind_int64(st, 7, store_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	j = json_pack("{s:s, s:{s:s, s:s}, s:I, s:I}", "id", id, "text", "en",
		      en, "es", es, "starts", (json_int_t)starts, "ends",
		      (json_int_t)ends);
	if (j == NULL)
		return SQLITE_NOMEM;
	rc = feed_publish(x->db, "prompt", id, scope[0] ? scope : NULL, j);
	json_decref(j);
	return rc == SQLITE_OK
		       ? cycle_audit(x->db, x->me.id, "prompt.new", id, en)
		       : rc;
}

enum MHD_Result prompts_post(struct cyc *x)
{
	char id[PROMPT_STAFF_ID_MAX + 1];
	const char *en = cyc_str(&x->f, "text_en", 500);
	const char *es = cyc_str(&x->f, "text_es", 500);
	const char *scope = cyc_str(&x->f, "scope", 210);
	const char *s = cyc_str(&x->f, "starts", 10);
	const char *e = cyc_str(&x->f, "ends", 10);
	int64_t starts = s[0] ? prompt_day(s) : store_now_ms();
	int64_t ends = e[0] ? prompt_day(e) : starts + 30 * PROMPT_DAY_MS;
	int rc;

	prompt_canon(cyc_str(&x->f, "id", PROMPT_STAFF_ID_MAX), id);
	if (!prompt_id_ok(id) || en[0] == '\0' || es[0] == '\0' || starts < 0 ||
	    ends < starts)
		return cyc_message(x, 400, "staff.merge.bad_title",
				   "staff.prompt.bad");
	if (scope[0] == '\0' ? strcmp(x->me.role, "district") != 0
			     : (strncmp(scope, "cluster:", 8) != 0 &&
				!cyc_writes(x, scope)))
		return cyc_message(x, 403, "staff.forbidden.title",
				   "staff.notice.bad_scope");
	rc = store_begin(x->db);
	if (rc == SQLITE_OK)
		rc = prompts_insert(x, id, en, es, scope, starts, ends);
	if (rc == SQLITE_OK)
		rc = store_commit(x->db);
	if (rc != SQLITE_OK) {
		store_rollback(x->db);
		return cyc_message(x, rc == SQLITE_CONSTRAINT ? 409 : 503,
				   "staff.error.title", "staff.prompt.taken");
	}
	return cyc_redirect(x, "/staff/prompts");
}

/* ---- the public form -------------------------------------------------- */

/* The question of prompt id in x's language; 1 found, 0 not. */
static int prompt_question(struct cyc *x, const char *id, struct buf *q)
{
	sqlite3_stmt *st = NULL;
	int found = 0;

	if (sqlite3_prepare_v2(x->db,
			       "SELECT text_en, text_es FROM prompts"
			       " WHERE id = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		buf_puts(q, (const char *)sqlite3_column_text(
				    st, strcmp(x->lang, "es") == 0 ? 1 : 0));
	}
	sqlite3_finalize(st);
	return found;
}

static int prompt_form(struct cyc *x, const char *id, const char *error,
		       const struct kiosk_input *in)
{
	const char *const *r;
	char key[32];
	int rc = 0;

	if (error != NULL) {
		rc |= buf_puts(&x->out, "<p class=\"error\" role=\"alert\">");
		rc |= cyc_e(x, error);
		rc |= buf_puts(&x->out, "</p>\n");
	}
	rc |= buf_puts(&x->out, "<form method=\"post\" action=\"/q/");
	rc |= cyc_e(x, id);
	rc |= buf_puts(&x->out, "\"><input type=\"hidden\" name=\"lang\""
				" value=\"");
	rc |= cyc_e(x, x->lang);
	rc |= buf_puts(&x->out, "\"><p><label for=\"role\">");
	rc |= cyc_tx(x, "public.endorse.role");
	rc |= buf_puts(&x->out,
		       "</label><br><select id=\"role\" name=\"role\">");
	for (r = item_roles; *r != NULL; r++) {
		snprintf(key, sizeof(key), "role.%s", *r);
		rc |= buf_printf(&x->out, "<option value=\"%s\"%s>", *r,
				 in && in->role && strcmp(in->role, *r) == 0
					 ? " selected"
					 : "");
		rc |= cyc_tx(x, key);
		rc |= buf_puts(&x->out, "</option>");
	}
	rc |= buf_puts(&x->out, "</select></p><p><label for=\"text\">");
	rc |= cyc_tx(x, "public.q.answer");
	rc |= buf_puts(&x->out,
		       "</label><br><textarea id=\"text\" name=\"text\""
		       " rows=\"5\" required>");
	if (in != NULL && in->text != NULL)
		rc |= cyc_en(x, in->text, in->text_len);
	rc |= buf_puts(&x->out, "</textarea></p><button type=\"submit\">");
	rc |= cyc_tx(x, "public.q.send");
	rc |= buf_puts(&x->out, "</button></form>\n");
	return rc;
}

static enum MHD_Result prompt_page(struct cyc *x, const char *id,
				   unsigned status, const char *error,
				   const struct kiosk_input *in)
{
	struct buf q;
	int rc = 0;

	buf_init(&q, 4096);
	if (!prompt_question(x, id, &q)) {
		buf_release(&q);
		return cyc_message(x, 404, "web.notfound.title",
				   "public.q.missing");
	}
	rc |= cyc_public_top(x, q.data);
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_en(x, q.data, q.len);
	rc |= buf_puts(&x->out, "</h1>\n");
	buf_release(&q);
	rc |= prompt_form(x, id, error, in);
	return cyc_send(x, status, rc);
}

enum MHD_Result prompt_form_page(struct cyc *x, const char *raw)
{
	char id[PROMPT_STAFF_ID_MAX + 1];

	prompt_canon(raw, id);
	return prompt_page(x, id, MHD_HTTP_OK, NULL, NULL);
}

/* The web's reserved site prefix and its next sequence. */
static int prompt_site(sqlite3 *db, char site[CODE_SITE_LEN + 1], int64_t *seq)
{
	char buf[24];
	sqlite3_stmt *st = NULL;
	uint32_t r;
	int i, rc;

	*seq = 0;
	if (store_meta_get(db, "web_seq", buf, sizeof(buf)) == 0)
		*seq = strtoll(buf, NULL, 10);
	(*seq)++;
	snprintf(buf, sizeof(buf), "%lld", (long long)*seq);
	if (store_meta_set(db, "web_seq", buf) != SQLITE_OK)
		return -1;
	if (store_meta_get(db, "web_prefix", site, CODE_SITE_LEN + 1) == 0)
		return 0;
	for (i = 0; i < 500; i++) {
		if (crypto_random(&r, sizeof(r)) < 0 ||
		    sqlite3_prepare_v2(db,
				       "INSERT INTO sites (code, name,"
				       " token_hash, created_at) VALUES"
				       " (?, 'web', '-', ?)"
				       " ON CONFLICT DO NOTHING",
				       -1, &st, NULL) != SQLITE_OK)
			return -1;
		code_make_site(site, r);
		sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, store_now_ms());
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return -1;
		if (sqlite3_changes(db) == 1)
			return store_meta_set(db, "web_prefix", site) ==
					       SQLITE_OK
				       ? 0
				       : -1;
	}
	return -1;
}

/* Runs on the intake's writer thread, inside its transaction. */
static int prompt_apply(sqlite3 *db, struct intake_job *job)
{
	struct prompt_post *p = job->arg;
	struct item *it = &p->item;
	sqlite3_stmt *st = NULL;
	int64_t now = store_now_ms();
	int rc;

	if (prompt_site(db, it->site, &it->seq) < 0 ||
	    code_make(it->code, it->site, (uint64_t)it->seq) < 0 ||
	    code_make_id(it->id, (uint64_t)now) < 0)
		return SQLITE_ERROR;
	it->channel = "web";
	it->role = p->in.role != NULL ? p->in.role : "unsaid";
	it->lang = p->lang;
	it->text = p->in.text;
	it->text_len = p->in.text_len;
	it->made_at = now;
	it->clock_ok = 1;
	if (item_hash(it, it->sha256) < 0)
		return SQLITE_NOMEM;
	rc = sqlite3_prepare_v2(
		db,
		"INSERT INTO items (id, code, site, seq, device,"
		" channel, role, lang, text, made_at, clock_ok,"
		" received_at, sha256, sync_state, prompt)"
		" VALUES (?,?,?,?,'web',?,?,?,?,?,1,?,?,"
		"'central',?)",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, it->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, it->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, it->site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, it->seq);
	sqlite3_bind_text(st, 5, it->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, it->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, it->lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, it->text, (int)it->text_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, now);
	sqlite3_bind_int64(st, 10, now);
	sqlite3_bind_text(st, 11, it->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, p->prompt, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void prompt_done(struct intake_job *job)
{
	struct prompt_post *p = job->arg;

	MHD_resume_connection(p->conn);
}

static void prompt_post_free(void *app)
{
	struct prompt_post *p = app;
	struct web *w = p->w;

	kiosk_input_release(&p->in);
	free(p);
	cycle_unhold(w);
}

static const char *prompt_error(struct cyc *x, const char *word)
{
	char key[64];
	const char *t;

	snprintf(key, sizeof(key), "kiosk.error.%s", word);
	t = cyc_t(x, key);
	return strcmp(t, key) == 0 ? cyc_t(x, "error.storage") : t;
}

enum MHD_Result prompt_form_post(struct cyc *x, const char *raw)
{
	struct prompt_post *p;
	const char *word = NULL;
	char addr[64], key[96];
	struct buf q;
	int status, found;
	enum MHD_Result ret;

	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return MHD_NO;
	prompt_canon(raw, p->prompt);
	buf_init(&q, 4096);
	found = prompt_question(x, p->prompt, &q);
	buf_release(&q);
	status = kiosk_parse_item("form",
				  x->req->body.data ? x->req->body.data : "",
				  x->req->body.len, &p->in, &word);
	p->lang = p->in.lang != NULL ? p->in.lang : x->lang;
	cyc_client(x->c, addr, sizeof(addr));
	snprintf(key, sizeof(key), "q:%s", addr);
	if (found && status == 0 &&
	    !cycle_rate(x->w, key, PROMPT_POSTS, PROMPT_WINDOW_MS)) {
		status = 429;
		word = "too_many";
	}
	if (!found || status != 0 || !cycle_hold(x->w)) {
		ret = !found ? cyc_message(x, 404, "web.notfound.title",
					   "public.q.missing")
			     : prompt_page(
				       x, p->prompt,
				       status ? (unsigned)status : 503,
				       status == 429
					       ? cyc_t(x, "public.q.slow")
					       : prompt_error(x,
							      word ? word
								   : "shutting_"
								     "down"),
				       &p->in);
		kiosk_input_release(&p->in);
		free(p);
		return ret;
	}
	p->w = x->w;
	p->conn = x->c;
	p->job.apply = prompt_apply;
	p->job.done = prompt_done;
	p->job.arg = p;
	x->req->app = p;
	x->req->app_free = prompt_post_free;
	MHD_suspend_connection(x->c);
	intake_submit(cycle_intake(x->w), &p->job);
	return MHD_YES;
}

enum MHD_Result prompt_form_answer(struct cyc *x)
{
	struct prompt_post *p = x->req->app;
	int rc = 0;

	if (p->job.rc != SQLITE_OK) {
		log_error("web: cannot store a form item: %s",
			  sqlite3_errstr(p->job.rc));
		return prompt_page(
			x, p->prompt, store_is_full(p->job.rc) ? 507 : 503,
			cyc_t(x, store_is_full(p->job.rc) ? "error.storage_full"
							  : "error.storage"),
			&p->in);
	}
	x->lang = p->lang;
	rc |= cyc_public_top(x, cyc_t(x, "public.q.thanks"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "public.q.thanks");
	rc |= buf_puts(&x->out, "</h1>\n<p>");
	rc |= cyc_tx(x, "public.q.code");
	rc |= buf_puts(&x->out, " <a class=\"code\" href=\"/i/");
	rc |= cyc_e(x, p->item.code);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_e(x, p->item.code);
	rc |= buf_puts(&x->out, "</a></p>\n");
	return cyc_send(x, 201, rc);
}
