/*
 * ideas: consolidation and capture, the staff side.
 *
 * /staff/ideas lists the ideas an account sees; /staff/ideas/CODE is an
 * idea's page (title, what we learned, phase, tags, its items, its
 * endorsements against the readiness rule, notices, decisions) or, for
 * an item's code, the item with the ideas most like it (similar.h) and
 * one-click merging.  POST /staff/ideas/merge puts items into an idea
 * (a new one, or one named by code), /staff/ideas/split takes one item
 * out again, and /staff/ideas/CODE saves the idea's fields.  Items never
 * change: an idea only points at them (idea_items), so they stay its
 * provenance, and an item belongs to at most one idea at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cycle.h"
#include "feed.h"
#include "log.h"
#include "similar.h"
#include "store.h"
#include "tag.h"
#include "utf8.h"

#define IDEAS_SUGGEST 5
#define IDEAS_CANDIDATES 40
#define IDEAS_TAG_TYPED 200 /* bytes of a tag filter as typed */
#define IDEAS_MERGE_MAX 200

static const char *const ideas_phases[] = {"consolidated", "captured", "shared",
					   "applied", NULL};

/* ---- shared with the other cycle files ------------------------------- */

int cyc_phase(sqlite3 *db, const char *idea, const char *phase)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"INSERT INTO phases (idea, phase, at)"
				" VALUES (?, ?, ?)",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, idea, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, phase, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The centre's reserved prefix, made on first use.  0 or -1. */
static int ideas_prefix(sqlite3 *db, char out[CODE_SITE_LEN + 1])
{
	sqlite3_stmt *st = NULL;
	uint32_t r;
	int i, rc;

	if (store_meta_get(db, "idea_prefix", out, CODE_SITE_LEN + 1) == 0 &&
	    code_site_valid(out))
		return 0;
	for (i = 0; i < 500; i++) {
		if (crypto_random(&r, sizeof(r)) < 0)
			return -1;
		code_make_site(out, r);
		if (sqlite3_prepare_v2(db,
				       "INSERT INTO sites (code, name,"
				       " token_hash, created_at) VALUES"
				       " (?, 'ideas', '-', ?)"
				       " ON CONFLICT DO NOTHING",
				       -1, &st, NULL) != SQLITE_OK)
			return -1;
		sqlite3_bind_text(st, 1, out, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, store_now_ms());
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return -1;
		if (sqlite3_changes(db) == 1)
			return store_meta_set(db, "idea_prefix", out) ==
					       SQLITE_OK
				       ? 0
				       : -1;
	}
	return -1;
}

int cycle_idea_code(sqlite3 *db, char out[CODE_MAX])
{
	char prefix[CODE_SITE_LEN + 1], seq[24];
	unsigned long long n = 0;
	const char *p;

	if (ideas_prefix(db, prefix) < 0)
		return -1;
	if (store_meta_get(db, "idea_seq", seq, sizeof(seq)) < 0)
		return -1;
	for (p = seq; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (unsigned long long)(*p - '0');
	n++;
	snprintf(seq, sizeof(seq), "%llu", n);
	if (store_meta_set(db, "idea_seq", seq) != SQLITE_OK)
		return -1;
	return code_make(out, prefix, n);
}

/* ---- what a person holding an item's code is told ------------------- */

/* The idea's one word and latest notice into f.  SQLite code. */
static int ideas_follow_idea(sqlite3 *db, const char *idea,
			     struct cycle_follow *f)
{
	sqlite3_stmt *st = NULL;
	const char *notice;
	int rc;

	rc = sqlite3_prepare_v2(
		db,
		"SELECT d.phase, count(c.n), count(c.n) FILTER"
		" (WHERE c.status = 'done'), count(c.n) FILTER"
		" (WHERE c.status = 'dropped'), (SELECT id FROM notices"
		"  WHERE idea = d.code ORDER BY n DESC LIMIT 1)"
		" FROM ideas d LEFT JOIN decisions c ON c.idea = d.code"
		" WHERE d.code = ? GROUP BY d.code",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, idea, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		f->idea_status = feed_idea_status(
			(const char *)sqlite3_column_text(st, 0),
			(unsigned)sqlite3_column_int(st, 1),
			(unsigned)sqlite3_column_int(st, 2),
			(unsigned)sqlite3_column_int(st, 3));
		notice = (const char *)sqlite3_column_text(st, 4);
		snprintf(f->notice, sizeof(f->notice), "%s",
			 notice ? notice : "");
		snprintf(f->idea, sizeof(f->idea), "%s", idea);
		snprintf(f->status, sizeof(f->status), "merged");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW	   ? SQLITE_OK
	       : rc == SQLITE_DONE ? SQLITE_NOTFOUND
				   : rc;
}

int cycle_follow_get(sqlite3 *db, const char *item, struct cycle_follow *f)
{
	struct cycle_follow g = {.idea_status = NULL};
	sqlite3_stmt *st = NULL;
	const char *idea;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"SELECT i.status, i.site, ii.idea FROM items i"
				" LEFT JOIN idea_items ii ON ii.item = i.code"
				" WHERE i.code = ?",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, item, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(g.status, sizeof(g.status), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		snprintf(g.site, sizeof(g.site), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		idea = (const char *)sqlite3_column_text(st, 2);
		rc = idea ? ideas_follow_idea(db, idea, &g) : SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_NOTFOUND;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		*f = g;
	return rc;
}

/* Appends item's row from f unless the feed says the same already. */
static int ideas_publish_follow(sqlite3 *db, const char *item,
				const struct cycle_follow *f)
{
	json_t *j;
	int rc;

	j = json_pack("{s:s, s:s, s:s?, s:s?, s:s?}", "code", item, "status",
		      f->status, "idea", f->idea[0] ? f->idea : NULL,
		      "idea_status", f->idea_status, "notice",
		      f->notice[0] ? f->notice : NULL);
	if (j == NULL)
		return SQLITE_NOMEM;
	rc = feed_publish_changed(db, "item", item, f->site, j, NULL);
	json_decref(j);
	return rc;
}

int cycle_publish_item(sqlite3 *db, const char *item)
{
	struct cycle_follow f;
	int rc;

	rc = cycle_follow_get(db, item, &f);
	return rc == SQLITE_OK ? ideas_publish_follow(db, item, &f) : rc;
}

int cycle_publish_merged(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	char done[4];
	int rc;

	if (store_meta_get(db, "item_rows", done, sizeof(done)) == 0)
		return SQLITE_OK;
	rc = store_begin(db);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_prepare_v2(db,
				"SELECT ii.item FROM idea_items ii"
				" WHERE NOT EXISTS (SELECT 1 FROM feed f"
				" WHERE f.kind = 'item' AND f.key = ii.item)",
				-1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		rc = cycle_publish_item(
			db, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = store_meta_set(db, "item_rows", "1");
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	return rc;
}

/* The rows of every item of idea: its state is read once for all. */
static int ideas_publish_items(sqlite3 *db, const char *idea)
{
	struct cycle_follow f = {.idea_status = NULL};
	sqlite3_stmt *st = NULL;
	int rc;

	rc = ideas_follow_idea(db, idea, &f);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_prepare_v2(db,
				"SELECT i.code, i.site FROM idea_items ii"
				" JOIN items i ON i.code = ii.item"
				" WHERE ii.idea = ? ORDER BY i.n",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, idea, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(f.site, sizeof(f.site), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		rc = ideas_publish_follow(
			db, (const char *)sqlite3_column_text(st, 0), &f);
		if (rc != SQLITE_OK)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* ---- the idea's own row ---------------------------------------------- */

int cycle_publish_idea(sqlite3 *db, const char *code)
{
	struct ready_rule rule;
	struct ready_count n;
	sqlite3_stmt *st = NULL;
	json_t *j = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"SELECT title, phase FROM ideas"
				" WHERE code = ?",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	ready_rule_get(db, &rule);
	if (rc == SQLITE_ROW && ready_count_idea(db, code, &n) == 0)
		j = json_pack("{s:s, s:s, s:s, s:i, s:b}", "code", code,
			      "title", sqlite3_column_text(st, 0), "status",
			      sqlite3_column_text(st, 1), "endorsements",
			      (int)n.endorsements, "ready",
			      ready_met(&rule, &n));
	sqlite3_finalize(st);
	if (j == NULL)
		return rc == SQLITE_ROW ? SQLITE_NOMEM : SQLITE_NOTFOUND;
	rc = feed_publish(db, "idea", code, NULL, j);
	json_decref(j);
	return rc == SQLITE_OK ? ideas_publish_items(db, code) : rc;
}

/* ---- reading --------------------------------------------------------- */

struct idea_row {
	char code[CODE_MAX];
	char site[CODE_SITE_LEN + 1];
	char phase[16];
};

/* The idea's code, home site and phase; 1 found, 0 not, -1 error. */
static int ideas_get(sqlite3 *db, const char *code, struct idea_row *r)
{
	sqlite3_stmt *st = NULL;
	const char *s;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT site, phase FROM ideas"
			       " WHERE code = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(r->code, sizeof(r->code), "%s", code);
		s = (const char *)sqlite3_column_text(st, 0);
		snprintf(r->site, sizeof(r->site), "%s", s ? s : "");
		snprintf(r->phase, sizeof(r->phase), "%s",
			 (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* An account sees an idea when it sees its home site or any item. */
static int ideas_sees(struct cyc *x, const char *code, const char *site)
{
	sqlite3_stmt *st = NULL;
	int ok;

	if (cyc_sees(x, site))
		return 1;
	if (sqlite3_prepare_v2(x->db,
			       "SELECT 1 FROM idea_items ii JOIN items i"
			       " ON i.code = ii.item WHERE ii.idea = :idea"
			       " AND " CYC_SCOPE_SQL("i.site") " LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	cyc_bind_scope(x, st);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":idea"), code,
			  -1, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return ok;
}

static int ideas_is_phase(const char *p)
{
	size_t i;

	for (i = 0; ideas_phases[i] != NULL; i++)
		if (strcmp(ideas_phases[i], p) == 0)
			return 1;
	return 0;
}

/* ---- the list --------------------------------------------------------- */

static int ideas_list_row(struct cyc *x, sqlite3_stmt *st)
{
	char key[48];
	int rc = 0;

	rc |= buf_puts(&x->out, "<tr><td><a class=\"code\""
				" href=\"/staff/ideas/");
	rc |= cyc_col(x, st, 0);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_col(x, st, 0);
	rc |= buf_puts(&x->out, "</a></td><td class=\"text\">");
	rc |= cyc_col(x, st, 1);
	rc |= buf_puts(&x->out, "</td><td>");
	snprintf(key, sizeof(key), "staff.phase.%s",
		 (const char *)sqlite3_column_text(st, 2));
	rc |= cyc_tx(x, key);
	rc |= buf_printf(&x->out, "</td><td>%d</td><td>",
			 sqlite3_column_int(st, 3));
	rc |= cyc_col(x, st, 4);
	rc |= buf_puts(&x->out, "</td></tr>\n");
	return rc;
}

/*
 * The tag to filter by, in normal form (tag.h), or "" for none.  A tag
 * too long to be one filters by what was typed, which finds nothing.
 */
static const char *ideas_tag_filter(struct cyc *x, char norm[TAG_MAX + 1])
{
	size_t len = 0;
	const char *typed = cyc_field(&x->q, "tag", IDEAS_TAG_TYPED, &len);

	if (typed == NULL)
		return "";
	return tag_norm(typed, len, norm) < 0 ? typed : norm;
}

/* SQL laid out by hand; clang-format would break its lines. */
/* clang-format off */
static const char ideas_list_sql[] =
	"SELECT d.code, d.title, d.phase,"
	" (SELECT count(*) FROM idea_items WHERE idea = d.code),"
	" (SELECT group_concat(tag, ', ') FROM idea_tags"
	"  WHERE idea = d.code)"
	" FROM ideas d"
	" WHERE (" CYC_SCOPE_SQL("d.site")
	"  OR EXISTS (SELECT 1 FROM idea_items ii"
	"   JOIN items i ON i.code = ii.item"
	"   WHERE ii.idea = d.code AND " CYC_SCOPE_SQL("i.site") "))"
	" AND (:tag = '' OR EXISTS (SELECT 1 FROM idea_tags"
	"  WHERE idea = d.code AND tag = :tag))"
	" ORDER BY d.updated_at DESC LIMIT 200";
/* clang-format on */

enum MHD_Result ideas_list_page(struct cyc *x)
{
	static const char *const cols[] = {
		"staff.col.code",	"staff.ideas.name",
		"staff.inbox.phase",	"staff.ideas.items",
		"staff.ideas.tags_col", NULL,
	};
	char tag[TAG_MAX + 1];
	const char *filter = ideas_tag_filter(x, tag);
	sqlite3_stmt *st = NULL;
	int rc = 0, n = 0;

	rc |= cyc_staff_top(x, cyc_t(x, "staff.ideas.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.ideas.title");
	rc |= buf_puts(&x->out, "</h1>\n<form method=\"get\" action=\""
				"/staff/ideas\"><label for=\"t\">");
	rc |= cyc_tx(x, "staff.ideas.tag");
	rc |= buf_puts(&x->out, "</label> <input id=\"t\" name=\"tag\""
				" maxlength=\"40\" value=\"");
	rc |= cyc_e(x, cyc_str(&x->q, "tag", IDEAS_TAG_TYPED));
	rc |= buf_puts(&x->out, "\"> <button type=\"submit\">");
	rc |= cyc_tx(x, "staff.inbox.apply");
	rc |= buf_puts(&x->out, "</button></form>\n");
	rc |= cyc_table_head(x, "list", cols);
	if (sqlite3_prepare_v2(x->db, ideas_list_sql, -1, &st, NULL) !=
	    SQLITE_OK)
		return cyc_send(x, 500, -1);
	cyc_bind_scope(x, st);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":tag"), filter,
			  -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		rc |= ideas_list_row(x, st);
		n++;
	}
	sqlite3_finalize(st);
	rc |= buf_puts(&x->out, "</tbody></table>\n");
	if (n == 0) {
		rc |= buf_puts(&x->out, "<p class=\"empty\">");
		rc |= cyc_tx(x, filter[0] != '\0' ? "staff.inbox.empty"
						  : "staff.ideas.none");
		rc |= buf_puts(&x->out, "</p>\n");
	}
	return cyc_send(x, MHD_HTTP_OK, rc);
}

/* ---- an item and the ideas like it ------------------------------------ */

struct ideas_hit {
	char code[CODE_MAX];
	char title[CYCLE_TITLE_MAX + 1];
	double score;
};

static int ideas_hit_cmp(const void *a, const void *b)
{
	const struct ideas_hit *x = a, *y = b;

	return (x->score < y->score) - (x->score > y->score);
}

/*
 * The ideas most like text: FTS5 finds candidates, the Jaccard index of
 * normalised tokens ranks them.  Returns how many went into hits.
 */
static size_t ideas_similar(sqlite3 *db, const char *text, size_t len,
			    struct ideas_hit *hits, size_t max)
{
	struct ideas_hit all[IDEAS_CANDIDATES];
	char q[SIMILAR_TOKENS_MAX * (SIMILAR_TOKEN_MAX + 8)];
	struct similar_set *sa, *sb; /* large: not on a thread's stack */
	sqlite3_stmt *st = NULL;
	const char *t, *l;
	size_t n = 0;

	sa = malloc(sizeof(*sa));
	sb = malloc(sizeof(*sb));
	if (sa == NULL || sb == NULL)
		goto done;
	similar_tokens(text, len, sa);
	if (similar_fts_query(sa, q, sizeof(q)) < 0)
		goto done;
	if (sqlite3_prepare_v2(
		    db,
		    "SELECT d.code, d.title, d.learned FROM ideas_fts"
		    " f JOIN ideas d ON d.n = f.rowid"
		    " WHERE ideas_fts MATCH ? ORDER BY rank LIMIT ?",
		    -1, &st, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, IDEAS_CANDIDATES);
	while (n < IDEAS_CANDIDATES && sqlite3_step(st) == SQLITE_ROW) {
		t = (const char *)sqlite3_column_text(st, 1);
		l = (const char *)sqlite3_column_text(st, 2);
		snprintf(all[n].code, sizeof(all[n].code), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		snprintf(all[n].title, sizeof(all[n].title), "%s", t);
		snprintf(q, sizeof(q), "%s %s", t, l ? l : "");
		similar_tokens(q, strlen(q), sb);
		all[n].score = similar_jaccard(sa, sb);
		n++;
	}
	qsort(all, n, sizeof(all[0]), ideas_hit_cmp);
	if (n > max)
		n = max;
	memcpy(hits, all, n * sizeof(all[0]));

done:
	sqlite3_finalize(st);
	free(sa);
	free(sb);
	return n;
}

static int ideas_suggest(struct cyc *x, const char *code, const char *text,
			 size_t len)
{
	struct ideas_hit hits[IDEAS_SUGGEST];
	size_t n, i;
	int rc = 0;

	n = ideas_similar(x->db, text, len, hits, IDEAS_SUGGEST);
	rc |= buf_puts(&x->out, "<h2>");
	rc |= cyc_tx(x, "staff.similar.title");
	rc |= buf_puts(&x->out, "</h2>\n");
	if (n == 0) {
		rc |= buf_puts(&x->out, "<p>");
		rc |= cyc_tx(x, "staff.similar.none");
		rc |= buf_puts(&x->out, "</p>\n");
	}
	rc |= buf_puts(&x->out, "<ul class=\"similar\">\n");
	for (i = 0; i < n; i++) {
		rc |= buf_puts(&x->out, "<li><form method=\"post\""
					" action=\"/staff/ideas/merge\">");
		rc |= cyc_csrf(x);
		rc |= buf_puts(&x->out, "<input type=\"hidden\" name=\"item\""
					" value=\"");
		rc |= cyc_e(x, code);
		rc |= buf_puts(&x->out,
			       "\"><input type=\"hidden\" name=\"idea\""
			       " value=\"");
		rc |= cyc_e(x, hits[i].code);
		rc |= buf_puts(&x->out, "\"><a class=\"code\" href=\"/staff/"
					"ideas/");
		rc |= cyc_e(x, hits[i].code);
		rc |= buf_puts(&x->out, "\">");
		rc |= cyc_e(x, hits[i].code);
		rc |= buf_puts(&x->out, "</a> ");
		rc |= cyc_e(x, hits[i].title);
		rc |= buf_printf(&x->out,
				 " <span class=\"score\">(%d%%)</span> ",
				 (int)(hits[i].score * 100 + 0.5));
		rc |= buf_puts(&x->out, "<button type=\"submit\">");
		rc |= cyc_tx(x, "staff.similar.merge");
		rc |= buf_puts(&x->out, "</button></form></li>\n");
	}
	rc |= buf_puts(&x->out, "</ul>\n");
	return rc;
}

static int ideas_new_form(struct cyc *x, const char *code)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<form method=\"post\" action=\"/staff/ideas/"
				"merge\"><p><label for=\"n-title\">");
	rc |= cyc_tx(x, "staff.merge.title");
	rc |= buf_puts(&x->out, "</label> <input id=\"n-title\" name=\"title\""
				" required maxlength=\"300\"></p>");
	rc |= cyc_csrf(x);
	rc |= buf_puts(&x->out,
		       "<input type=\"hidden\" name=\"item\" value=\"");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, "\"><button type=\"submit\">");
	rc |= cyc_tx(x, "staff.item.new_idea");
	rc |= buf_puts(&x->out, "</button></form>\n");
	return rc;
}

static enum MHD_Result ideas_item_page(struct cyc *x, sqlite3_stmt *st)
{
	const char *code = (const char *)sqlite3_column_text(st, 0);
	const char *text = (const char *)sqlite3_column_text(st, 1);
	size_t len = (size_t)sqlite3_column_bytes(st, 1);
	const char *idea = (const char *)sqlite3_column_text(st, 3);
	int rc = 0;

	rc |= cyc_staff_top(x, cyc_t(x, "web.item.heading"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "web.item.heading");
	rc |= buf_puts(&x->out, " <span class=\"code\">");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, "</span></h1>\n<blockquote class=\"text\">");
	rc |= cyc_en(x, text, len);
	rc |= buf_puts(&x->out, "</blockquote>\n<p>");
	rc |= cyc_tx(x, "staff.col.site");
	rc |= buf_puts(&x->out, ": ");
	rc |= cyc_col(x, st, 2);
	if (idea != NULL) {
		rc |= buf_puts(&x->out, ". ");
		rc |= cyc_tx(x, "staff.item.in_idea");
		rc |= buf_puts(&x->out, " <a class=\"code\" href=\"/staff/"
					"ideas/");
		rc |= cyc_e(x, idea);
		rc |= buf_puts(&x->out, "\">");
		rc |= cyc_e(x, idea);
		rc |= buf_puts(&x->out, "</a>");
	}
	rc |= buf_puts(&x->out, "</p>\n");
	rc |= ideas_suggest(x, code, text, len);
	rc |= ideas_new_form(x, code);
	return cyc_send(x, MHD_HTTP_OK, rc);
}

/* ---- an idea ------------------------------------------------------------ */

static int ideas_items(struct cyc *x, const char *code, int writes)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	rc |= buf_puts(&x->out, "<h2>");
	rc |= cyc_tx(x, "staff.idea.items");
	rc |= buf_puts(&x->out, "</h2>\n<ul class=\"items\">\n");
	if (sqlite3_prepare_v2(
		    x->db,
		    "SELECT i.code, i.site, i.text FROM idea_items ii"
		    " JOIN items i ON i.code = ii.item"
		    " WHERE ii.idea = ? ORDER BY i.n LIMIT 500",
		    -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		rc |= buf_puts(&x->out, "<li><a class=\"code\" href=\"/i/");
		rc |= cyc_col(x, st, 0);
		rc |= buf_puts(&x->out, "\">");
		rc |= cyc_col(x, st, 0);
		rc |= buf_puts(&x->out, "</a> (");
		rc |= cyc_col(x, st, 1);
		rc |= buf_puts(&x->out, ") <span class=\"text\">");
		rc |= cyc_col(x, st, 2);
		rc |= buf_puts(&x->out, "</span>");
		if (writes) {
			rc |= buf_puts(&x->out, " <form class=\"inline\""
						" method=\"post\" action=\""
						"/staff/ideas/split\">");
			rc |= cyc_csrf(x);
			rc |= buf_puts(&x->out, "<input type=\"hidden\""
						" name=\"item\" value=\"");
			rc |= cyc_col(x, st, 0);
			rc |= buf_puts(&x->out, "\"><button type=\"submit\">");
			rc |= cyc_tx(x, "staff.idea.split");
			rc |= buf_puts(&x->out, "</button></form>");
		}
		rc |= buf_puts(&x->out, "</li>\n");
	}
	sqlite3_finalize(st);
	rc |= buf_puts(&x->out, "</ul>\n");
	return rc;
}

static int ideas_phase_select(struct cyc *x, const char *cur)
{
	char key[48];
	size_t i;
	int rc = 0;

	rc |= buf_puts(&x->out, "<p><label for=\"e-phase\">");
	rc |= cyc_tx(x, "staff.inbox.phase");
	rc |= buf_puts(&x->out, "</label> <select id=\"e-phase\""
				" name=\"phase\">");
	for (i = 0; ideas_phases[i] != NULL; i++) {
		snprintf(key, sizeof(key), "staff.phase.%s", ideas_phases[i]);
		rc |= buf_printf(
			&x->out, "<option value=\"%s\"%s>", ideas_phases[i],
			strcmp(cur, ideas_phases[i]) == 0 ? " selected" : "");
		rc |= cyc_tx(x, key);
		rc |= buf_puts(&x->out, "</option>");
	}
	rc |= buf_puts(&x->out, "</select></p>\n");
	return rc;
}

static int ideas_edit_form(struct cyc *x, sqlite3_stmt *st)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<form method=\"post\" action=\"/staff/ideas/");
	rc |= cyc_col(x, st, 0);
	rc |= buf_puts(&x->out, "\"><p><label for=\"e-title\">");
	rc |= cyc_tx(x, "staff.ideas.name");
	rc |= buf_puts(&x->out, "</label><br><input id=\"e-title\""
				" name=\"title\" required maxlength=\"300\""
				" size=\"60\" value=\"");
	rc |= cyc_col(x, st, 1);
	rc |= buf_puts(&x->out, "\"></p><p><label for=\"e-learned\">");
	rc |= cyc_tx(x, "staff.idea.learned");
	rc |= buf_puts(&x->out, "</label><br><textarea id=\"e-learned\""
				" name=\"learned\" rows=\"5\""
				" maxlength=\"8000\">");
	rc |= cyc_col(x, st, 2);
	rc |= buf_puts(&x->out, "</textarea></p><p><label for=\"e-tags\">");
	rc |= cyc_tx(x, "staff.ideas.tags");
	rc |= buf_puts(&x->out, "</label> <input id=\"e-tags\" name=\"tags\""
				" maxlength=\"800\" size=\"50\" value=\"");
	rc |= cyc_col(x, st, 5);
	rc |= buf_puts(&x->out, "\"></p>\n");
	rc |= ideas_phase_select(x, (const char *)sqlite3_column_text(st, 3));
	rc |= cyc_csrf(x);
	rc |= buf_puts(&x->out, "<button type=\"submit\">");
	rc |= cyc_tx(x, "staff.idea.save");
	rc |= buf_puts(&x->out, "</button></form>\n");
	return rc;
}

static enum MHD_Result ideas_idea_page(struct cyc *x, sqlite3_stmt *st)
{
	const char *code = (const char *)sqlite3_column_text(st, 0);
	const char *site = (const char *)sqlite3_column_text(st, 4);
	int writes =
		cyc_writes(x, site) || (strcmp(x->me.role, "district") == 0);
	int rc = 0;

	rc |= cyc_staff_top(x, cyc_t(x, "staff.idea.heading"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.idea.heading");
	rc |= buf_puts(&x->out, " <span class=\"code\">");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, "</span></h1>\n<p><a href=\"/i/");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_tx(x, "staff.idea.public");
	rc |= buf_puts(&x->out, "</a></p>\n");
	rc |= public_ready(x, code);
	if (writes)
		rc |= ideas_edit_form(x, st);
	else {
		rc |= buf_puts(&x->out, "<p class=\"text\">");
		rc |= cyc_col(x, st, 1);
		rc |= buf_puts(&x->out, "</p><p class=\"text\">");
		rc |= cyc_col(x, st, 2);
		rc |= buf_puts(&x->out, "</p>\n");
	}
	rc |= ideas_items(x, code, writes);
	/* Anyone who writes for a site may tell it about any idea. */
	rc |= notice_section(x, code, strcmp(x->me.role, "viewer") != 0);
	rc |= decide_section(x, code, writes);
	return cyc_send(x, MHD_HTTP_OK, rc);
}

enum MHD_Result ideas_page(struct cyc *x, const char *raw)
{
	char code[CODE_MAX];
	sqlite3_stmt *st = NULL;
	enum MHD_Result ret;
	struct idea_row r;
	int found;

	if (code_parse(raw, strlen(raw), code, NULL, NULL) < 0)
		return cyc_message(x, 404, "staff.notfound.title",
				   "staff.notfound.body");
	found = ideas_get(x->db, code, &r);
	if (found == 1 && ideas_sees(x, code, r.site)) {
		if (sqlite3_prepare_v2(
			    x->db,
			    "SELECT code, title, learned, phase, site,"
			    " (SELECT group_concat(tag, ', ') FROM idea_tags"
			    "  WHERE idea = ideas.code)"
			    " FROM ideas WHERE code = ?",
			    -1, &st, NULL) != SQLITE_OK)
			return cyc_send(x, 500, -1);
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_finalize(st);
			return cyc_send(x, 500, -1);
		}
		ret = ideas_idea_page(x, st);
		sqlite3_finalize(st);
		return ret;
	}
	if (sqlite3_prepare_v2(x->db,
			       "SELECT i.code, i.text, i.site, ii.idea"
			       " FROM items i LEFT JOIN idea_items ii"
			       " ON ii.item = i.code WHERE i.code = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return cyc_send(x, 500, -1);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    cyc_sees(x, (const char *)sqlite3_column_text(st, 2)))
		ret = ideas_item_page(x, st);
	else
		ret = cyc_message(x, 404, "staff.notfound.title",
				  "staff.notfound.body");
	sqlite3_finalize(st);
	return ret;
}

/* ---- changes ------------------------------------------------------------ */

/* The site of item code when x may change it, else "" . */
static int ideas_item_site(struct cyc *x, const char *code,
			   char site[CODE_SITE_LEN + 1])
{
	sqlite3_stmt *st = NULL;
	const char *s;
	int ok = 0;

	site[0] = '\0';
	if (sqlite3_prepare_v2(x->db, "SELECT site FROM items WHERE code = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		s = (const char *)sqlite3_column_text(st, 0);
		snprintf(site, CODE_SITE_LEN + 1, "%s", s);
		ok = 1;
	}
	sqlite3_finalize(st);
	return ok && cyc_writes(x, site);
}

static int ideas_create(struct cyc *x, const char *title, const char *site,
			char code[CODE_MAX])
{
	sqlite3_stmt *st = NULL;
	int64_t now = store_now_ms();
	int rc;

	if (cycle_idea_code(x->db, code) < 0)
		return SQLITE_ERROR;
	rc = sqlite3_prepare_v2(x->db,
				"INSERT INTO ideas (code, title, site,"
				" created_at, updated_at) VALUES (?,?,?,?,?)",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	rc = cyc_phase(x->db, code, "consolidated");
	if (rc == SQLITE_OK)
		rc = cycle_audit(x->db, x->me.id, "idea.new", code, title);
	return rc;
}

static int ideas_attach(struct cyc *x, const char *idea, const char *item)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(x->db,
				"INSERT INTO idea_items (item, idea, added_at)"
				" VALUES (?, ?, ?) ON CONFLICT (item) DO UPDATE"
				" SET idea = excluded.idea,"
				" added_at = excluded.added_at",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, item, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, idea, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	return cycle_audit(x->db, x->me.id, "idea.merge", idea, item);
}

static int ideas_touch(sqlite3 *db, const char *idea)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"UPDATE ideas SET updated_at = ?"
				" WHERE code = ?",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, store_now_ms());
	sqlite3_bind_text(st, 2, idea, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	return cycle_publish_idea(db, idea);
}

/* Ends a change: commit and go to where, or roll back and say why. */
static enum MHD_Result ideas_finish(struct cyc *x, int rc, const char *where)
{
	char path[64];

	if (rc == SQLITE_OK)
		rc = store_commit(x->db);
	if (rc != SQLITE_OK) {
		store_rollback(x->db);
		log_error("web: a change failed: %s", sqlite3_errstr(rc));
		return cyc_message(x, 503, "staff.error.title",
				   "staff.error.body");
	}
	snprintf(path, sizeof(path), "/staff/ideas/%s", where);
	return cyc_redirect(x, path);
}

/*
 * Into out, the idea that holds item when it is another one than idea
 * (which may be "" for a new idea).  1 when it is, 0 when the item is
 * free or already in idea, -1 on error.
 */
static int ideas_held_elsewhere(sqlite3 *db, const char *item, const char *idea,
				char out[CODE_MAX])
{
	sqlite3_stmt *st = NULL;
	const char *v;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT idea FROM idea_items WHERE item = ?"
			       " AND idea <> ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, item, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, idea, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(st, 0);
		snprintf(out, CODE_MAX, "%s", v ? v : "");
		rc = 1;
	} else {
		rc = rc == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(st);
	return rc;
}

static enum MHD_Result ideas_merge(struct cyc *x)
{
	char idea[CODE_MAX] = "", item[CODE_MAX], site[CODE_SITE_LEN + 1];
	char other[CODE_MAX];
	const char *title, *into;
	struct idea_row r;
	size_t i, n = 0, tlen = 0;
	int rc, held;

	title = cyc_field(&x->f, "title", CYCLE_TITLE_MAX, &tlen);
	into = cyc_str(&x->f, "idea", 40);
	if (into[0] != '\0' && title != NULL && tlen > 0)
		return inbox_merge_refused(x, 400, "staff.merge.both", NULL,
					   NULL);
	rc = store_begin(x->db);
	if (rc != SQLITE_OK)
		return ideas_finish(x, rc, "");
	if (into[0] != '\0') {
		if (code_parse(into, strlen(into), idea, NULL, NULL) < 0 ||
		    ideas_get(x->db, idea, &r) != 1) {
			store_rollback(x->db);
			return inbox_merge_refused(
				x, 400, "staff.merge.no_idea", NULL, NULL);
		}
	} else if (title == NULL || tlen == 0) {
		store_rollback(x->db);
		return inbox_merge_refused(x, 400, "staff.merge.need_title",
					   NULL, NULL);
	}
	for (i = 0; i < x->f.count && rc == SQLITE_OK; i++) {
		if (strcmp(x->f.fields[i].name, "item") != 0)
			continue;
		if (code_parse(x->f.fields[i].value, x->f.fields[i].value_len,
			       item, NULL, NULL) < 0 ||
		    !ideas_item_site(x, item, site) || ++n > IDEAS_MERGE_MAX) {
			store_rollback(x->db);
			return inbox_merge_refused(
				x, 403, "staff.merge.bad_item", NULL, NULL);
		}
		held = ideas_held_elsewhere(x->db, item, idea, other);
		if (held > 0) {
			store_rollback(x->db);
			return inbox_merge_refused(x, 409, "staff.merge.taken",
						   item, other);
		}
		if (held < 0)
			rc = SQLITE_ERROR;
		else if (into[0] == '\0' && n == 1)
			rc = ideas_create(x, title, site, idea);
		if (rc == SQLITE_OK)
			rc = ideas_attach(x, idea, item);
	}
	if (n == 0) {
		store_rollback(x->db);
		return inbox_merge_refused(x, 400, "staff.merge.no_items", NULL,
					   NULL);
	}
	if (rc == SQLITE_OK)
		rc = ideas_touch(x->db, idea);
	return ideas_finish(x, rc, idea);
}

static enum MHD_Result ideas_split(struct cyc *x)
{
	char item[CODE_MAX], site[CODE_SITE_LEN + 1], idea[CODE_MAX] = "";
	const char *v = cyc_str(&x->f, "item", 40);
	sqlite3_stmt *st = NULL;
	int rc;

	if (code_parse(v, strlen(v), item, NULL, NULL) < 0 ||
	    !ideas_item_site(x, item, site))
		return cyc_message(x, 403, "staff.forbidden.title",
				   "staff.merge.bad_item");
	rc = store_begin(x->db);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(x->db,
					"DELETE FROM idea_items WHERE item = ?"
					" RETURNING idea",
					-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, item, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(idea, sizeof(idea), "%s",
				 (const char *)sqlite3_column_text(st, 0));
		rc = sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK && idea[0] != '\0')
		rc = cycle_audit(x->db, x->me.id, "idea.split", idea, item);
	if (rc == SQLITE_OK && idea[0] != '\0')
		rc = ideas_touch(x->db, idea);
	/* Out of the idea, the item's row goes back to its own status. */
	if (rc == SQLITE_OK && idea[0] != '\0')
		rc = cycle_publish_item(x->db, item);
	return ideas_finish(x, rc, idea[0] ? idea : item);
}

/*
 * Replaces the idea's tags with the comma-separated list in tags, each
 * in normal form (tag.h); empty ones and ones longer than TAG_MAX are
 * left out, and at most TAGS_MAX are kept.
 */
static int ideas_set_tags(sqlite3 *db, const char *idea, const char *tags)
{
	sqlite3_stmt *st = NULL;
	const char *p = tags, *e;
	char tag[TAG_MAX + 1];
	int rc, n, count = 0;

	rc = sqlite3_prepare_v2(db, "DELETE FROM idea_tags WHERE idea = ?", -1,
				&st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, idea, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_finalize(st);
	if (rc != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "INSERT OR IGNORE INTO idea_tags (idea, tag)"
			       " VALUES (?, ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	while (*p != '\0' && rc == SQLITE_OK && count < TAGS_MAX) {
		e = p + strcspn(p, ",");
		n = tag_norm(p, (size_t)(e - p), tag);
		if (n > 0) {
			sqlite3_reset(st);
			sqlite3_bind_text(st, 1, idea, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, tag, -1, SQLITE_TRANSIENT);
			rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK
							     : SQLITE_ERROR;
			count++;
		}
		p = *e == ',' ? e + 1 : e;
	}
	sqlite3_finalize(st);
	return rc;
}

static int ideas_update(struct cyc *x, const struct idea_row *r,
			const char *title, const char *learned,
			const char *phase)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(x->db,
				"UPDATE ideas SET title = ?, learned = ?,"
				" phase = ?, updated_at = ? WHERE code = ?",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, learned, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, phase, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, store_now_ms());
	sqlite3_bind_text(st, 5, r->code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	if (strcmp(phase, r->phase) != 0)
		rc = cyc_phase(x->db, r->code, phase);
	else
		rc = SQLITE_OK;
	if (rc == SQLITE_OK)
		rc = cycle_audit(x->db, x->me.id, "idea.edit", r->code, title);
	return rc;
}

static enum MHD_Result ideas_edit(struct cyc *x, const char *raw)
{
	const char *title, *learned, *phase, *tags;
	char code[CODE_MAX];
	struct idea_row r;
	size_t tlen = 0;
	int rc;

	if (code_parse(raw, strlen(raw), code, NULL, NULL) < 0 ||
	    ideas_get(x->db, code, &r) != 1 ||
	    !(cyc_writes(x, r.site) || strcmp(x->me.role, "district") == 0))
		return cyc_message(x, 403, "staff.forbidden.title",
				   "staff.forbidden.body");
	title = cyc_field(&x->f, "title", CYCLE_TITLE_MAX, &tlen);
	learned = cyc_field(&x->f, "learned", CYCLE_LONG_MAX, NULL);
	phase = cyc_str(&x->f, "phase", 16);
	tags = cyc_field(&x->f, "tags", 800, NULL);
	if (title == NULL || tlen == 0 || learned == NULL ||
	    !ideas_is_phase(phase) || tags == NULL)
		return cyc_message(x, 400, "staff.unsaved.title",
				   "staff.idea.bad_fields");
	rc = store_begin(x->db);
	if (rc == SQLITE_OK)
		rc = ideas_update(x, &r, title, learned, phase);
	if (rc == SQLITE_OK)
		rc = ideas_set_tags(x->db, code, tags);
	if (rc == SQLITE_OK)
		rc = cycle_publish_idea(x->db, code);
	return ideas_finish(x, rc, code);
}

enum MHD_Result ideas_post(struct cyc *x, const char *action)
{
	if (strcmp(action, "merge") == 0)
		return ideas_merge(x);
	if (strcmp(action, "split") == 0)
		return ideas_split(x);
	return ideas_edit(x, action);
}
