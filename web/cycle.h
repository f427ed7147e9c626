/*
 * cycle: the knowledge cycle at the central server, shared between the
 * files that serve it (staff.c, inbox.c, ideas.c, public.c, notice.c,
 * decide.c, waves.c, prompt.c, export.c, rule.c).
 *
 * Staff pages live under /staff/ and need a session; public pages (an
 * idea's page, endorsing it, /q/PROMPT, the readiness rule) need none.
 * Every request to either gets one struct cyc for its lifetime: the
 * connection, a database connection of the pool, the parsed query and
 * form, the staff member when one is logged in, and the page being
 * written.  cycle_get() and cycle_post() are the two entry points from
 * the router; they take and give back the pool connection themselves.
 *
 * Invariants:
 *  - Every POST under /staff/ except the login checks the session and
 *    its CSRF token before it reads anything else; a viewer never
 *    changes anything; a site or cluster account only sees and changes
 *    items, ideas, decisions and prompts of its own sites (prompts:
 *    scope.h).
 *  - Every change is written in one transaction together with its row
 *    in the audit table (cycle_audit()).
 *  - Idea codes are ordinary codes (code.h) under a site prefix that
 *    the centre reserves for itself in the sites table (token_hash "-",
 *    which no token hashes to), so "/i/CODE" and endorsement targets
 *    work the same for items and ideas.
 */
#ifndef CHORUS_WEB_CYCLE_H
#define CHORUS_WEB_CYCLE_H

#include <microhttpd.h>
#include <sqlite3.h>
#include <stdint.h>

#include "buf.h"
#include "code.h"
#include "crypto.h"
#include "form.h"
#include "http.h"
#include "ready.h"
#include "web.h"

#define CYCLE_FORM_MAX (64u * 1024)	  /* bytes of one posted form */
#define CYCLE_FIELDS_MAX 400		  /* fields in one form */
#define CYCLE_PAGE_MAX (4u * 1024 * 1024) /* bytes of one page */
#define CYCLE_TITLE_MAX 300		  /* bytes of an idea's title */
#define CYCLE_LONG_MAX 8000		  /* bytes of a written text */
#define CYCLE_SESSION_IDLE_MS (60LL * 60 * 1000)
#define CYCLE_SESSION_MAX_MS (12LL * 60 * 60 * 1000)
#define CYCLE_EMAIL_MAX 254
#define CYCLE_CLUSTER_MAX 200
#define CYCLE_PW_MIN 10
#define CYCLE_PW_MAX 1024
#define CYCLE_IDEA_RESERVED "-" /* token_hash of the ideas' prefix */
#define CYCLE_HASH_MAX 160	/* bytes of an encoded Argon2id hash */

/* A staff account, as a logged-in request sees it. */
struct staff {
	int64_t id;
	char email[CYCLE_EMAIL_MAX + 1];
	char role[16]; /* district, cluster, site or viewer */
	char site[CODE_SITE_LEN + 1];
	char cluster[CYCLE_CLUSTER_MAX + 1];
	char csrf[CRYPTO_SHA256_HEX];
};

/* What lives for the whole run beside struct web. */
struct cycle_state;

/* One request to a cycle page. */
struct cyc {
	struct web *w;
	struct MHD_Connection *c;
	struct http_req *req;
	sqlite3 *db;
	const char *lang;
	const char *path; /* a page answering GET, for the language links */
	char path_buf[64];
	int post;
	struct form q; /* the query string */
	struct form f; /* the posted form (empty for GET) */
	struct staff me;
	int logged_in;
	struct buf out;
	char cookie[512]; /* a Set-Cookie header to send, or "" */
	char keep[64]; /* the query language links keep instead of the page's */
	char lang_cookie[WEB_LANG_SET_MAX]; /* web_lang()'s, or "" */
};

/*
 * Starts the state (the server key, the rate limits and the group commit
 * of /q/ forms on path, the central database); 0, or -1 with err.
 * cycle_drain() refuses new forms, closes the listening socket and waits
 * until every submitted form is answered; call it before stopping the
 * daemon, then cycle_stop().
 */
int cycle_start(struct web *w, const char *path, char *err, size_t errlen);
void cycle_drain(struct web *w, struct MHD_Daemon *d);
void cycle_stop(struct web *w);

/* The group commit, and holding a request across it: cycle_hold() is 0
 * when the server is stopping; each hold is ended by cycle_unhold(). */
struct intake *cycle_intake(struct web *w);
int cycle_hold(struct web *w);
void cycle_unhold(struct web *w);

/* 1 when GET url is a cycle page (staff, /q/, /ideas, /rule, "/"). */
int cycle_wants(const char *url);

/* GET and HEAD of a cycle page, or the public page of an idea code. */
enum MHD_Result cycle_get(struct web *w, struct MHD_Connection *c,
			  struct http_req *req, const char *url);

/* 1 when code is an idea's code (canonical), 0 when not, -1 on error. */
int cycle_is_idea(struct web *w, const char *code);

/* The same on a connection the caller holds. */
int cycle_is_idea_db(sqlite3 *db, const char *code);

/* Any POST but /sync/push, once its body is complete. */
enum MHD_Result cycle_post(struct web *w, struct MHD_Connection *c,
			   struct http_req *req, const char *url);

/* ---- used between the cycle files ---------------------------------- */

/* A text field of the query or form: valid UTF-8, no NUL, at most max
 * bytes; NULL when missing or not so.  *len gets the length. */
const char *cyc_field(const struct form *f, const char *name, size_t max,
		      size_t *len);

/* The same, "" when missing or bad. */
const char *cyc_str(const struct form *f, const char *name, size_t max);

/* The catalogue text for key in the request's language. */
const char *cyc_t(const struct cyc *x, const char *key);

/* Appends the catalogue text for key, escaped. */
int cyc_tx(struct cyc *x, const char *key);

/*
 * Appends text to out with each "{NAME}" that vars names replaced by its
 * value; vars holds pairs of name and value and ends with NULL.  Other
 * braces stay as they are.  Nothing is escaped.  0 or -1.
 */
int cyc_fill(struct buf *out, const char *text, const char *const *vars);

/* Appends the catalogue text for key, filled with vars, escaped. */
int cyc_txv(struct cyc *x, const char *key, const char *const *vars);

/*
 * Appends the day of ms (UTC) to out as people write it in x's language
 * ("3 May 2031", "3 de mayo de 2031"), not escaped.  0 or -1.
 */
int cyc_day(const struct cyc *x, int64_t ms, struct buf *out);

/* The same in lang, for pages that have no struct cyc (web/pages.c). */
int cyc_day_in(const char *lang, int64_t ms, struct buf *out);

/* The same, escaped, to the page. */
int cyc_date(struct cyc *x, int64_t ms);

/* Appends text escaped. */
int cyc_e(struct cyc *x, const char *s);
int cyc_en(struct cyc *x, const char *s, size_t len);

/* Appends s[0..len) percent-encoded for a query string. */
int cyc_url(struct cyc *x, const char *s, size_t len);

/* Appends a column of st, escaped ("" for NULL). */
int cyc_col(struct cyc *x, sqlite3_stmt *st, int col);

/*
 * Like cyc_col(), for text the public sent: phone numbers and e-mail
 * addresses become a label (html_escape_masked).
 */
int cyc_col_masked(struct cyc *x, sqlite3_stmt *st, int col);

/* The staff frame: head, navigation, <main>. */
int cyc_staff_top(struct cyc *x, const char *title);

/* The public frame. */
int cyc_public_top(struct cyc *x, const char *title);

/*
 * Pages to print (a notice's poster, a prompt's flyer) come on A4 or US
 * Letter paper, as ?size= says: cyc_paper() is "letter" when it says
 * so, else "a4".  The page puts it in its <article>'s class, "size-a4"
 * or "size-letter", which staff.css turns into the @page size.
 * cyc_paper_links() writes the line offering both sizes (not printed):
 * each link keeps the rest of the page's query and its language, as
 * the language links keep the size.  0 or -1.
 */
const char *cyc_paper(struct cyc *x);
int cyc_paper_links(struct cyc *x);

/* The hidden CSRF field of a staff form. */
int cyc_csrf(struct cyc *x);

/* Closes the page and answers with status; rc != 0 makes it a 500. */
enum MHD_Result cyc_send(struct cyc *x, unsigned status, int rc);

/* A short page with a heading and one message (both catalogue keys). */
enum MHD_Result cyc_message(struct cyc *x, unsigned status,
			    const char *title_key, const char *body_key);

/* The same, followed by what the person typed (escaped), when not NULL. */
enum MHD_Result cyc_message_about(struct cyc *x, unsigned status,
				  const char *title_key, const char *body_key,
				  const char *typed);

/* Answers 303 to where. */
enum MHD_Result cyc_redirect(struct cyc *x, const char *where);

/* The client's address as text. */
void cyc_client(struct MHD_Connection *c, char *out, size_t outlen);

/*
 * 1 when another request with key may go now, 0 when it must wait: at
 * most limit requests in a window of window_ms that starts with the
 * first one.  The count is committed to the central database (keyed by
 * an HMAC of key, never key itself), so it survives a restart.  0 also
 * when the count cannot be written (logged): a limit never fails open.
 */
int cycle_rate(struct web *w, const char *key, unsigned limit,
	       int64_t window_ms);

/*
 * Gives back one count of key's current window (never below zero), for
 * a request cycle_rate() let through that turns out not to count: a
 * login with the right password.  Counting first and giving back after
 * keeps the limit exact when tries race.  A failure is logged and
 * leaves the count as it was, which only makes the limit stricter.
 * A window left with no count is deleted.
 */
void cycle_rate_refund(struct web *w, const char *key);

/* Writes a row to the audit table inside the caller's transaction. */
int cycle_audit(sqlite3 *db, int64_t staff, const char *action,
		const char *target, const char *detail);

/* Scope: 1 when x's account may see site, 0 when not. */
int cyc_sees(struct cyc *x, const char *site);

/* 1 when x's account may change things at site (not a viewer). */
int cyc_writes(struct cyc *x, const char *site);

/*
 * Appends the <option>s of the registered sites x's account writes for,
 * "Name (CODE)" in name order, selected marking the one whose code it
 * is (or none).  Returns 0 or -1.
 */
int cyc_site_options(struct cyc *x, const char *selected);

/*
 * Opens a table of class cls (a list of staff rows) up to its <tbody>:
 * one column heading (scope="col") for each catalogue key of cols, which
 * ends with NULL; an empty key leaves its column's head empty.
 */
int cyc_table_head(struct cyc *x, const char *cls, const char *const *cols);

/* Binds the scope of x's account to :scope_kind and :scope_value;
 * SQL then filters with CYC_SCOPE_SQL(column). */
void cyc_bind_scope(struct cyc *x, sqlite3_stmt *st);
#define CYC_SCOPE_SQL(col)                                                     \
	"(:scope_kind = 'all' OR (:scope_kind = 'site' AND " col               \
	" = :scope_value) OR (:scope_kind = 'cluster' AND " col                \
	" IN (SELECT code FROM sites WHERE cluster = :scope_value)))"

/*
 * The same for an idea: the account sees idea col when it sees the site
 * of one of the idea's items.
 */
#define CYC_IDEA_SCOPE_SQL(col)                                                \
	"(:scope_kind = 'all' OR EXISTS (SELECT 1 FROM idea_items sii"         \
	" JOIN items si ON si.code = sii.item WHERE sii.idea = " col           \
	" AND " CYC_SCOPE_SQL("si.site") "))"

/* The web's server key (hex), for hashing browser tokens. */
const char *cycle_key(struct web *w);

/* An Argon2id hash of a random secret, checked when a login names no
 * account, so that the time taken does not tell. */
const char *cycle_dummy_hash(struct web *w);

/* Staff: login, logout and the session of a request (staff.c). */
int staff_session(struct cyc *x);
enum MHD_Result staff_login_page(struct cyc *x, const char *error_key,
				 unsigned status);
enum MHD_Result staff_login_post(struct cyc *x);
enum MHD_Result staff_logout_post(struct cyc *x);
enum MHD_Result staff_audit_page(struct cyc *x);

/* Appends ms (central clock) as "3 Dec 2026 14:05 UTC" in the reader's
 * language, in a <time> element that carries the ISO form. */
int staff_date(struct cyc *x, int64_t ms);

/*
 * Argon2id hash of a password into out (encoded form, t=5, m=7 MiB).
 * 0 or -1.  This and staff_check_password work one hash at a time across
 * all threads, so the server holds at most one hash's memory.
 */
int staff_hash_password(const char *pw, size_t len, char *out, size_t outlen);

/* 1 when pw matches hash (made with any Argon2id settings), 0 when not. */
int staff_check_password(const char *hash, const char *pw, size_t len);

/* The pages of each part. */
enum MHD_Result inbox_page(struct cyc *x);

/*
 * The inbox again after a merge refused: the page of the query the merge
 * was posted with, key (a catalogue text, {idea} filled with the code
 * typed, {item} and {other} with item and other, which may be NULL)
 * above it, the title and code as typed and the posted items ticked.
 * Answers status.
 */
enum MHD_Result inbox_merge_refused(struct cyc *x, unsigned status,
				    const char *key, const char *item,
				    const char *other);
enum MHD_Result ideas_list_page(struct cyc *x);
enum MHD_Result ideas_page(struct cyc *x, const char *code);
enum MHD_Result ideas_post(struct cyc *x, const char *action);
enum MHD_Result public_idea_page(struct cyc *x, const char *code);
enum MHD_Result public_endorse_post(struct cyc *x, const char *code);
enum MHD_Result public_rule_page(struct cyc *x);
enum MHD_Result public_ideas_page(struct cyc *x);
enum MHD_Result public_home_page(struct cyc *x);

/* The readiness of idea code in words, as its public page and its staff
 * page show it: ready or not, and each threshold of the published rule,
 * met or not, with the count against the number asked.  0 or -1. */
int public_ready(struct cyc *x, const char *code);
int notice_section(struct cyc *x, const char *idea, int writes);
int decide_section(struct cyc *x, const char *idea, int writes);
enum MHD_Result notice_poster_page(struct cyc *x, const char *id);
enum MHD_Result notice_post(struct cyc *x);
enum MHD_Result decide_post(struct cyc *x, const char *action);
enum MHD_Result waves_page(struct cyc *x);
enum MHD_Result gaps_page(struct cyc *x);
enum MHD_Result sites_page(struct cyc *x);
enum MHD_Result sites_post(struct cyc *x);
enum MHD_Result rule_page(struct cyc *x);
enum MHD_Result rule_post(struct cyc *x);
enum MHD_Result prompts_page(struct cyc *x);
enum MHD_Result prompts_post(struct cyc *x);
enum MHD_Result prompt_staff_page(struct cyc *x, const char *tail);
enum MHD_Result prompt_staff_post(struct cyc *x, const char *id);
enum MHD_Result prompt_form_page(struct cyc *x, const char *id);
enum MHD_Result prompt_form_post(struct cyc *x, const char *id);
enum MHD_Result prompt_form_answer(struct cyc *x);
enum MHD_Result export_page(struct cyc *x, const char *name);

/* The idea's phase moves, as the public timeline shows them. */
int cyc_phase(sqlite3 *db, const char *idea, const char *phase);

/* A fresh idea code under the centre's prefix, in the caller's
 * transaction.  0 or -1. */
int cycle_idea_code(sqlite3 *db, char out[CODE_MAX]);

/*
 * Publishes the idea's feed row (kind "idea") for its sites, and the row
 * of each of its items (kind "item") for the item's site where what a
 * person is told about it changed.  SQLite code.
 */
int cycle_publish_idea(sqlite3 *db, const char *code);

/* What a person holding an item's code is told (core/feed.h, item). */
struct cycle_follow {
	char status[32]; /* its own status, or "merged" */
	char site[CODE_SITE_LEN + 1];
	char idea[CODE_MAX];	      /* "" when it is in no idea */
	const char *idea_status;      /* feed_idea_status(); NULL: no idea */
	char notice[CODE_ID_LEN + 1]; /* the idea's latest notice, or "" */
};

/*
 * Reads what is told about item into *f.  SQLITE_OK, SQLITE_NOTFOUND
 * when there is no such item (f untouched), or another SQLite code.
 */
int cycle_follow_get(sqlite3 *db, const char *item, struct cycle_follow *f);

/* Publishes item's feed row for its site when what it says changed,
 * inside the caller's transaction.  SQLite code. */
int cycle_publish_item(sqlite3 *db, const char *item);

/*
 * Publishes, once in the life of a central database, the rows of merged
 * items that have none: items merged by a version that published no item
 * rows.  Its own transaction; marks meta "item_rows" when done, and does
 * nothing after that.  SQLite code.
 */
int cycle_publish_merged(sqlite3 *db);

#endif
