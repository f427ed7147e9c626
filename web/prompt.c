/*
 * prompt: a prompt as the pages read it (prompt.h), and the phone form
 * GET/POST /q/PROMPT that answers one from a flyer.
 *
 * The form takes the same fields as the kiosk and checks them with the
 * kiosk's own parser (kiosk/intake_parse.h), so the rules are the same:
 * no role is preselected, "Prefer not to say" is one of the choices, and
 * an answer sent with no choice is stored as "unsaid", as at a kiosk.
 * It is durable the same way: the handler suspends the connection and
 * submits an intake job; the item is created in the group commit and
 * the person sees its code only after the commit returned.  Posts are
 * limited per address.  Only an open prompt takes answers: an unknown
 * or upcoming one answers 404, a closed one 410, each with a link to
 * the public ideas.
 *
 * A flyer is printed for a site: /q/PROMPT?s=SITE (the code in any
 * case) counts its answers for that site, which must be a site of the
 * prompt's scope; the form carries it on as a hidden field.  Any other
 * s= is refused with the answer kept.  Without s=, an answer counts for
 * the prompt's site when its scope is one site, and otherwise for the
 * centre's own web site (below).  Items from the form get their codes
 * under a site prefix the centre reserves for the web (meta web_prefix,
 * like the ideas' one, with its own sequence web_seq), whatever site
 * they count for, so they never take a code a site will make.
 */
#include "prompt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kiosk/intake_parse.h"
#include "cycle.h"
#include "intake.h"
#include "item.h"
#include "log.h"
#include "store.h"

#define PROMPT_POSTS 10 /* per address per window */
#define PROMPT_WINDOW_MS (10LL * 60 * 1000)
#define PROMPT_SITE_ARG_MAX 16 /* bytes of an s= worth reading */

/* One post between its submission and the end of its request. */
struct prompt_post {
	struct intake_job job;
	struct web *w;
	struct MHD_Connection *conn;
	struct kiosk_input in;
	char prompt[PROMPT_ID_SHORT + 1];
	char site[CODE_SITE_LEN + 1]; /* counted for, "" for the web's */
	const char *lang;
	struct item item;
};

/* ---- a prompt ---------------------------------------------------------- */

int prompt_id_ok(const char *id)
{
	size_t n = strlen(id), i;

	if (n == 0 || n > PROMPT_ID_SHORT)
		return 0;
	for (i = 0; i < n; i++)
		if (!((id[i] >= 'A' && id[i] <= 'Z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
			return 0;
	return 1;
}

void prompt_canon(const char *raw, char out[PROMPT_ID_SHORT + 1])
{
	size_t i, n = strcspn(raw, "/");

	out[0] = '\0';
	if (n > PROMPT_ID_SHORT)
		return;
	for (i = 0; i < n; i++)
		out[i] = (raw[i] >= 'a' && raw[i] <= 'z')
				 ? (char)(raw[i] - 'a' + 'A')
				 : raw[i];
	out[n] = '\0';
}

static void prompt_copy(char *dst, size_t dstlen, sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	snprintf(dst, dstlen, "%s", s != NULL ? s : "");
}

int prompt_load(sqlite3 *db, const char *id, struct prompt *p)
{
	sqlite3_stmt *st = NULL;
	const char *scope;
	size_t i;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT id, text_en, text_es, scope, starts,"
			       " ends FROM prompts WHERE id = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		prompt_copy(p->id, sizeof(p->id), st, 0);
		prompt_copy(p->en, sizeof(p->en), st, 1);
		prompt_copy(p->es, sizeof(p->es), st, 2);
		scope = (const char *)sqlite3_column_text(st, 3);
		if (scope_split(scope ? scope : "", scope ? strlen(scope) : 0,
				&p->scope) < 0)
			rc = SQLITE_CORRUPT;
		for (i = 0; i < p->scope.count; i++)
			p->scope.t[i].bare = 0;
		p->starts = sqlite3_column_int64(st, 4);
		p->ends = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

enum prompt_state prompt_state_at(const struct prompt *p, int64_t now)
{
	if (now < p->starts)
		return PROMPT_UPCOMING;
	return now < p->ends ? PROMPT_OPEN : PROMPT_CLOSED;
}

const char *prompt_question(const struct prompt *p, const char *lang)
{
	return strcmp(lang, "es") == 0 ? p->es : p->en;
}

const char *prompt_state_key(enum prompt_state state)
{
	if (state == PROMPT_UPCOMING)
		return "staff.prompt.state.upcoming";
	return state == PROMPT_OPEN ? "staff.prompt.state.open"
				    : "staff.prompt.state.closed";
}

/* ---- the flyer's site --------------------------------------------------- */

/* The s= of the form, else of the query; NULL when neither has one. */
static const struct form_field *prompt_site_arg(struct cyc *x)
{
	static const char *const names[] = {"s", "S"};
	const struct form_field *f;
	size_t i;

	for (i = 0; i < 2; i++) {
		f = form_get(&x->f, names[i]);
		if (f == NULL)
			f = form_get(&x->q, names[i]);
		if (f != NULL && f->value_len > 0)
			return f;
	}
	return NULL;
}

/*
 * The site an answer to p counts for, into site ("" for the web's).
 * 1 when it may count there, 0 when s= names no site of p's scope
 * (*bad then holds s= as given, cut to PROMPT_SITE_ARG_MAX), -1.
 */
static int prompt_flyer_site(struct cyc *x, const struct prompt *p,
			     char site[CODE_SITE_LEN + 1],
			     char bad[PROMPT_SITE_ARG_MAX + 1])
{
	const struct form_field *f = prompt_site_arg(x);
	size_t i;
	int rc;

	site[0] = '\0';
	if (f == NULL) {
		if (p->scope.count == 1 && !p->scope.t[0].cluster)
			snprintf(site, CODE_SITE_LEN + 1, "%.*s", CODE_SITE_LEN,
				 p->scope.t[0].name);
		return 1;
	}
	snprintf(bad, PROMPT_SITE_ARG_MAX + 1, "%.*s",
		 (int)(f->value_len < PROMPT_SITE_ARG_MAX
			       ? f->value_len
			       : PROMPT_SITE_ARG_MAX),
		 f->value);
	if (f->value_len != CODE_SITE_LEN)
		return 0;
	for (i = 0; i < CODE_SITE_LEN; i++)
		site[i] = (f->value[i] >= 'a' && f->value[i] <= 'z')
				  ? (char)(f->value[i] - 'a' + 'A')
				  : f->value[i];
	site[CODE_SITE_LEN] = '\0';
	rc = code_site_valid(site) ? scope_site_known(x->db, site) : 0;
	if (rc > 0)
		rc = scope_reaches(x->db, &p->scope, site);
	if (rc <= 0)
		site[0] = '\0';
	if (rc > 0)
		snprintf(x->keep, sizeof(x->keep), "s=%s", site);
	return rc;
}

/* ---- the form ---------------------------------------------------------- */

/* Who is answering: one radio per role, none chosen unless checked. */
static int prompt_roles(struct cyc *x, const char *checked)
{
	const char *const *r;
	char key[32];
	int rc = 0;

	rc |= buf_puts(&x->out, "<fieldset class=\"roles\"><legend>");
	rc |= cyc_tx(x, "public.q.who");
	rc |= buf_puts(&x->out, "</legend>\n");
	for (r = item_roles; *r != NULL; r++) {
		snprintf(key, sizeof(key), "role.%s", *r);
		rc |= buf_printf(
			&x->out,
			"<label><input type=\"radio\" name=\"role\""
			" value=\"%s\"%s> ",
			*r,
			checked && strcmp(checked, *r) == 0 ? " checked" : "");
		rc |= cyc_tx(x, key);
		rc |= buf_puts(&x->out, "</label>\n");
	}
	rc |= buf_puts(&x->out, "</fieldset>\n");
	return rc;
}

/* The role the person chose in the form sent, or NULL. */
static const char *prompt_chosen(struct cyc *x, const struct kiosk_input *in)
{
	const struct form_field *f = form_get(&x->f, "role");

	return in != NULL && f != NULL && f->value_len > 0 ? in->role : NULL;
}

static int prompt_form(struct cyc *x, const char *id, const char *site,
		       const struct kiosk_input *in)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<form class=\"answer\" method=\"post\""
				" action=\"/q/");
	rc |= cyc_e(x, id);
	rc |= buf_puts(&x->out, "\"><input type=\"hidden\" name=\"lang\""
				" value=\"");
	rc |= cyc_e(x, x->lang);
	rc |= buf_puts(&x->out, "\">");
	if (site[0] != '\0') {
		rc |= buf_puts(&x->out, "<input type=\"hidden\" name=\"s\""
					" value=\"");
		rc |= cyc_e(x, site);
		rc |= buf_puts(&x->out, "\">");
	}
	rc |= buf_puts(&x->out, "\n");
	rc |= prompt_roles(x, prompt_chosen(x, in));
	rc |= buf_puts(&x->out, "<p><label for=\"text\">");
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

/* "Your answer counts for Oak (K7)." */
static int prompt_for_site(struct cyc *x, const char *site)
{
	const char *vars[3] = {"site", NULL, NULL};
	struct buf label;
	int rc = 0;

	if (site[0] == '\0')
		return 0;
	buf_init(&label, 1024);
	rc |= scope_site_label(x->db, site, &label);
	vars[1] = label.data ? label.data : site;
	rc |= buf_puts(&x->out, "<p class=\"for\">");
	rc |= cyc_txv(x, "public.q.for", vars);
	rc |= buf_puts(&x->out, "</p>\n");
	buf_release(&label);
	return rc;
}

/*
 * The form of p with an error (catalogue key filled with vars, or
 * none when key is NULL) above it, and what the person sent kept.
 */
static enum MHD_Result prompt_page(struct cyc *x, const struct prompt *p,
				   const char *site, unsigned status,
				   const char *key, const char *const *vars,
				   const struct kiosk_input *in)
{
	const char *q = prompt_question(p, x->lang);
	int rc = 0;

	rc |= cyc_public_top(x, q);
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_e(x, q);
	rc |= buf_puts(&x->out, "</h1>\n");
	rc |= prompt_for_site(x, site);
	if (key != NULL) {
		rc |= buf_puts(&x->out, "<p class=\"error\" role=\"alert\">");
		rc |= cyc_txv(x, key, vars);
		rc |= buf_puts(&x->out, "</p>\n");
	}
	rc |= prompt_form(x, p->id, site, in);
	return cyc_send(x, status, rc);
}

/* The link under every page that takes no answer. */
static int prompt_ideas_link(struct cyc *x)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<p><a href=\"/ideas?lang=");
	rc |= cyc_e(x, x->lang);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_tx(x, "public.q.ideas");
	rc |= buf_puts(&x->out, "</a></p>\n");
	return rc;
}

/* What the person wrote, given back to keep when nothing was stored. */
static int prompt_kept(struct cyc *x, const struct kiosk_input *in)
{
	int rc = 0;

	if (in == NULL || in->text == NULL || in->text_len == 0)
		return 0;
	rc |= buf_puts(&x->out, "<p><label for=\"kept\">");
	rc |= cyc_tx(x, "public.q.kept");
	rc |= buf_puts(&x->out, "</label><br><textarea id=\"kept\" rows=\"5\""
				" readonly>");
	rc |= cyc_en(x, in->text, in->text_len);
	rc |= buf_puts(&x->out, "</textarea></p>\n");
	return rc;
}

/* The question p asked, and when it opens or until when it was open. */
static int prompt_shut_why(struct cyc *x, const struct prompt *p,
			   enum prompt_state state)
{
	const char *vars[3] = {"date", NULL, NULL};
	struct buf day;
	int rc = 0;

	buf_init(&day, 256);
	rc |= cyc_day(x, state == PROMPT_CLOSED ? p->ends - 1 : p->starts,
		      &day);
	vars[1] = day.data ? day.data : "";
	rc |= buf_puts(&x->out, "<blockquote class=\"text\">");
	rc |= cyc_e(x, prompt_question(p, x->lang));
	rc |= buf_puts(&x->out, "</blockquote>\n<p class=\"message\">");
	rc |= cyc_txv(x,
		      state == PROMPT_CLOSED ? "public.q.closed"
					     : "public.q.upcoming",
		      vars);
	rc |= buf_puts(&x->out, "</p>\n");
	buf_release(&day);
	return rc;
}

/*
 * The page of a prompt that takes no answers: p is NULL when there is
 * no such prompt (404), else upcoming (404) or closed (410).
 */
static enum MHD_Result prompt_shut(struct cyc *x, const struct prompt *p,
				   const struct kiosk_input *in)
{
	enum prompt_state state =
		p ? prompt_state_at(p, store_now_ms()) : PROMPT_CLOSED;
	const char *title = p == NULL ? "public.q.missing_title"
			    : state == PROMPT_CLOSED
				    ? "public.q.closed_title"
				    : "public.q.upcoming_title";
	int rc = 0;

	rc |= cyc_public_top(x, cyc_t(x, title));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, title);
	rc |= buf_puts(&x->out, "</h1>\n");
	if (p == NULL) {
		rc |= buf_puts(&x->out, "<p class=\"message\">");
		rc |= cyc_tx(x, "public.q.missing");
		rc |= buf_puts(&x->out, "</p>\n");
	} else {
		rc |= prompt_shut_why(x, p, state);
	}
	rc |= prompt_kept(x, in);
	rc |= prompt_ideas_link(x);
	return cyc_send(x, p != NULL && state == PROMPT_CLOSED ? 410 : 404, rc);
}

enum MHD_Result prompt_form_page(struct cyc *x, const char *raw)
{
	char id[PROMPT_ID_SHORT + 1], site[CODE_SITE_LEN + 1];
	char bad[PROMPT_SITE_ARG_MAX + 1];
	const char *vars[3] = {"site", bad, NULL};
	struct prompt p;
	int found, ok;

	prompt_canon(raw, id);
	found = prompt_load(x->db, id, &p);
	if (found < 0)
		return cyc_message(x, 503, "staff.error.title",
				   "error.storage");
	if (found == 0 || prompt_state_at(&p, store_now_ms()) != PROMPT_OPEN)
		return prompt_shut(x, found ? &p : NULL, NULL);
	ok = prompt_flyer_site(x, &p, site, bad);
	if (ok < 0)
		return cyc_message(x, 503, "staff.error.title",
				   "error.storage");
	return prompt_page(x, &p, site, ok ? MHD_HTTP_OK : 400,
			   ok ? NULL : "public.q.bad_site", vars, NULL);
}

/* ---- storing an answer ------------------------------------------------- */

/* The web's reserved site prefix and its next sequence. */
static int prompt_web_site(sqlite3 *db, char site[CODE_SITE_LEN + 1],
			   int64_t *seq)
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

/* Completes p's item: a code under the web's prefix, counted for the
 * flyer's site when there is one. */
static int prompt_item(sqlite3 *db, struct prompt_post *p, int64_t now)
{
	struct item *it = &p->item;
	char prefix[CODE_SITE_LEN + 1];

	if (prompt_web_site(db, prefix, &it->seq) < 0 ||
	    code_make(it->code, prefix, (uint64_t)it->seq) < 0 ||
	    code_make_id(it->id, (uint64_t)now) < 0)
		return SQLITE_ERROR;
	memcpy(it->site, p->site[0] != '\0' ? p->site : prefix,
	       CODE_SITE_LEN + 1);
	it->channel = "web";
	it->role = p->in.role != NULL ? p->in.role : "unsaid";
	it->lang = p->lang;
	it->text = p->in.text;
	it->text_len = p->in.text_len;
	it->made_at = now;
	it->clock_ok = 1;
	return item_hash(it, it->sha256) < 0 ? SQLITE_NOMEM : SQLITE_OK;
}

/* Runs on the intake's writer thread, inside its transaction. */
static int prompt_apply(sqlite3 *db, struct intake_job *job)
{
	struct prompt_post *p = job->arg;
	struct item *it = &p->item;
	sqlite3_stmt *st = NULL;
	int64_t now = store_now_ms();
	int rc;

	rc = prompt_item(db, p, now);
	if (rc != SQLITE_OK)
		return rc;
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

/* The message for the parser's word: one that speaks of an answer
 * (public.q.error.WORD), else the kiosk's, which speaks of an idea, else
 * storage's. */
static const char *prompt_error_key(struct cyc *x, const char *word,
				    char key[64])
{
	snprintf(key, 64, "public.q.error.%s", word);
	if (strcmp(cyc_t(x, key), key) != 0)
		return key;
	snprintf(key, 64, "kiosk.error.%s", word);
	return strcmp(cyc_t(x, key), key) == 0 ? "error.storage" : key;
}

/* 1 when the client may post one more answer now, 0 when it must wait. */
static int prompt_rate_ok(struct cyc *x)
{
	char addr[64], key[96];

	cyc_client(x->c, addr, sizeof(addr));
	snprintf(key, sizeof(key), "q:%s", addr);
	return cycle_rate(x->w, key, PROMPT_POSTS, PROMPT_WINDOW_MS);
}

/* Hands p to the group commit; the answer comes in prompt_form_answer. */
static enum MHD_Result prompt_submit(struct cyc *x, struct prompt_post *p)
{
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

/* Checks an answer to the open prompt pr and stores it, or says why not. */
static enum MHD_Result prompt_take(struct cyc *x, const struct prompt *pr,
				   struct prompt_post *p, int status,
				   const char *word)
{
	char bad[PROMPT_SITE_ARG_MAX + 1], key[64];
	const char *vars[3] = {"site", bad, NULL};
	int ok;

	ok = prompt_flyer_site(x, pr, p->site, bad);
	if (ok < 0)
		return prompt_page(x, pr, "", 503, "error.storage", NULL,
				   &p->in);
	if (ok == 0)
		return prompt_page(x, pr, "", 400, "public.q.bad_site", vars,
				   &p->in);
	if (status != 0)
		return prompt_page(x, pr, p->site, (unsigned)status,
				   prompt_error_key(x, word, key), NULL,
				   &p->in);
	if (!prompt_rate_ok(x))
		return prompt_page(x, pr, p->site, 429, "public.q.slow", NULL,
				   &p->in);
	if (!cycle_hold(x->w))
		return prompt_page(x, pr, p->site, 503, "error.storage", NULL,
				   &p->in);
	return prompt_submit(x, p);
}

enum MHD_Result prompt_form_post(struct cyc *x, const char *raw)
{
	struct prompt_post *p;
	const char *word = NULL;
	struct prompt pr;
	enum MHD_Result ret;
	int status, found;

	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return MHD_NO;
	prompt_canon(raw, p->prompt);
	status = kiosk_parse_item("form",
				  x->req->body.data ? x->req->body.data : "",
				  x->req->body.len, &p->in, &word);
	p->lang = p->in.lang != NULL ? p->in.lang : x->lang;
	found = prompt_load(x->db, p->prompt, &pr);
	if (found < 0)
		ret = cyc_message(x, 503, "staff.error.title", "error.storage");
	else if (!found || prompt_state_at(&pr, store_now_ms()) != PROMPT_OPEN)
		ret = prompt_shut(x, found ? &pr : NULL, &p->in);
	else
		ret = prompt_take(x, &pr, p, status, word);
	if (x->req->app == p)
		return ret;
	kiosk_input_release(&p->in);
	free(p);
	return ret;
}

enum MHD_Result prompt_form_answer(struct cyc *x)
{
	struct prompt_post *p = x->req->app;
	struct prompt pr;
	int rc = 0;

	if (p->job.rc != SQLITE_OK) {
		log_error("web: cannot store a form item: %s",
			  sqlite3_errstr(p->job.rc));
		if (prompt_load(x->db, p->prompt, &pr) <= 0)
			return cyc_message(x, 503, "staff.error.title",
					   "error.storage");
		return prompt_page(
			x, &pr, p->site, store_is_full(p->job.rc) ? 507 : 503,
			store_is_full(p->job.rc) ? "error.storage_full"
						 : "error.storage",
			NULL, &p->in);
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
