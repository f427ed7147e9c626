/*
 * cycle: the state of the knowledge cycle, the request frame and the
 * routes of the staff and public cycle pages.  See cycle.h.
 *
 * The rate limiter counts the requests of each key ("what:address" or
 * "what:e-mail") in a window that starts with the key's first request
 * and lasts window_ms; the next request after it starts a new one.  The
 * windows live in the central database (table web_rate), so a restart
 * forgets nothing.  A row's key is HMAC-SHA256(server key, key): the
 * table never holds an address or an e-mail.  Each count is one short
 * BEGIN IMMEDIATE transaction on a connection of the limiter's own
 * (rate_db, one request at a time under rate_lock), which also deletes
 * a few windows that have ended, so the table holds only live ones.
 */
#include "cycle.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "html.h"
#include "i18n.h"
#include "intake.h"
#include "log.h"
#include "store.h"
#include "tag.h"
#include "utf8.h"

#define CYCLE_RATE_PRUNE 16 /* ended windows deleted per count */

struct cycle_state {
	char key[CRYPTO_SHA256_HEX];
	char dummy[CYCLE_HASH_MAX]; /* a hash no password matches */
	pthread_mutex_t lock;
	sqlite3 *rate_db; /* the rate limiter's connection */
	pthread_mutex_t rate_lock;
	struct intake *intake; /* the /q/ forms' group commit */
	pthread_cond_t drained;
	unsigned inflight; /* forms submitted whose requests are not freed */
	int stopping;
};

static int cycle_load_key(sqlite3 *db, char key[CRYPTO_SHA256_HEX])
{
	int rc;

	rc = store_meta_get(db, "web_key", key, CRYPTO_SHA256_HEX);
	if (rc == 0 && strlen(key) == 64)
		return 0;
	if (crypto_random_hex(key, 32) < 0)
		return -1;
	if (store_begin(db) != SQLITE_OK)
		return -1;
	if (store_meta_set(db, "web_key", key) != SQLITE_OK ||
	    store_commit(db) != SQLITE_OK) {
		store_rollback(db);
		return -1;
	}
	return 0;
}

/*
 * The rate limiter's connection.  Its commits do not wait for fsync
 * (synchronous=NORMAL): a power cut may forget the last few counts,
 * which makes a limit lenient for a moment; a crash of the process
 * forgets nothing.
 */
static int cycle_rate_open(const char *path, sqlite3 **out, char *err,
			   size_t errlen)
{
	sqlite3 *db;

	if (store_open(path, 0, &db, err, errlen) < 0)
		return -1;
	if (store_exec(db, "PRAGMA synchronous=NORMAL") != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up the rate limits: %s",
			 sqlite3_errmsg(db));
		store_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

int cycle_start(struct web *w, const char *path, char *err, size_t errlen)
{
	struct cycle_state *s;
	sqlite3 *db;

	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	db = web_db_get(w);
	if (cycle_load_key(db, s->key) < 0) {
		snprintf(err, errlen, "cannot make the server key: %s",
			 sqlite3_errmsg(db));
		web_db_put(w, db);
		goto fail;
	}
	if (cycle_publish_merged(db) != SQLITE_OK) {
		snprintf(err, errlen, "cannot publish merged items: %s",
			 sqlite3_errmsg(db));
		web_db_put(w, db);
		goto fail;
	}
	if (tag_upgrade(db) != SQLITE_OK) {
		snprintf(err, errlen, "cannot rewrite the ideas' tags: %s",
			 sqlite3_errmsg(db));
		web_db_put(w, db);
		goto fail;
	}
	web_db_put(w, db);
	if (staff_hash_password(s->key, 64, s->dummy, sizeof(s->dummy)) < 0) {
		snprintf(err, errlen, "cannot hash with Argon2id");
		goto fail;
	}
	if (cycle_rate_open(path, &s->rate_db, err, errlen) < 0)
		goto fail;
	s->intake = intake_start(path, err, errlen);
	if (s->intake == NULL)
		goto fail;
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->rate_lock, NULL);
	pthread_cond_init(&s->drained, NULL);
	w->cycle = s;
	return 0;

fail:
	store_close(s->rate_db);
	free(s);
	return -1;
}

struct intake *cycle_intake(struct web *w)
{
	return w->cycle->intake;
}

int cycle_hold(struct web *w)
{
	int ok;

	pthread_mutex_lock(&w->cycle->lock);
	ok = !w->cycle->stopping;
	if (ok)
		w->cycle->inflight++;
	pthread_mutex_unlock(&w->cycle->lock);
	return ok;
}

void cycle_unhold(struct web *w)
{
	pthread_mutex_lock(&w->cycle->lock);
	w->cycle->inflight--;
	pthread_cond_broadcast(&w->cycle->drained);
	pthread_mutex_unlock(&w->cycle->lock);
}

void cycle_drain(struct web *w, struct MHD_Daemon *d)
{
	MHD_socket s;

	if (w->cycle == NULL)
		return;
	pthread_mutex_lock(&w->cycle->lock);
	w->cycle->stopping = 1;
	pthread_mutex_unlock(&w->cycle->lock);
	s = MHD_quiesce_daemon(d);
	if (s != MHD_INVALID_SOCKET)
		close(s);
	pthread_mutex_lock(&w->cycle->lock);
	while (w->cycle->inflight > 0)
		pthread_cond_wait(&w->cycle->drained, &w->cycle->lock);
	pthread_mutex_unlock(&w->cycle->lock);
}

void cycle_stop(struct web *w)
{
	if (w->cycle == NULL)
		return;
	intake_stop(w->cycle->intake);
	store_close(w->cycle->rate_db);
	pthread_cond_destroy(&w->cycle->drained);
	pthread_mutex_destroy(&w->cycle->rate_lock);
	pthread_mutex_destroy(&w->cycle->lock);
	free(w->cycle);
	w->cycle = NULL;
}

const char *cycle_key(struct web *w)
{
	return w->cycle->key;
}

const char *cycle_dummy_hash(struct web *w)
{
	return w->cycle->dummy;
}

/*
 * Counts one request of the hashed key mac in db's open transaction:
 * 1 when it may go, 0 when the window is full, -1 on error.
 */
static int cycle_rate_step(sqlite3 *db, const char *mac, unsigned limit,
			   int64_t window_ms, int64_t now)
{
	sqlite3_stmt *st;
	int64_t start = 0, count = 0;
	int rc, found;

	st = store_stmt(db, "SELECT start, count FROM web_rate WHERE key = ?");
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, mac, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	found = rc == SQLITE_ROW;
	if (found) {
		start = sqlite3_column_int64(st, 0);
		count = sqlite3_column_int64(st, 1);
	}
	store_stmt_done(st);
	if (!found && rc != SQLITE_DONE)
		return -1;

	/* A window that has ended, or starts in the future after the clock
	 * went back, is started again. */
	if (!found || now - start >= window_ms || now < start)
		st = store_stmt(db, "INSERT INTO web_rate (key, start, ends,"
				    " count) VALUES (?1, ?2, ?3, 1)"
				    " ON CONFLICT (key) DO UPDATE SET"
				    " start = ?2, ends = ?3, count = 1");
	else if (count < (int64_t)limit)
		st = store_stmt(db, "UPDATE web_rate SET count = count + 1"
				    " WHERE key = ?1");
	else
		return 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, mac, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) == 3) {
		sqlite3_bind_int64(st, 2, now);
		sqlite3_bind_int64(st, 3, now + window_ms);
	}
	rc = sqlite3_step(st);
	store_stmt_done(st);
	return rc == SQLITE_DONE ? 1 : -1;
}

/* Deletes a few windows that ended before now.  SQLite code. */
static int cycle_rate_prune(sqlite3 *db, int64_t now)
{
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(db, "DELETE FROM web_rate WHERE key IN (SELECT key"
			    " FROM web_rate WHERE ends <= ? LIMIT ?)");
	if (st == NULL)
		return sqlite3_errcode(db);
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, CYCLE_RATE_PRUNE);
	rc = sqlite3_step(st);
	store_stmt_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* One count in its own transaction: 1, 0, or -1 (rolled back). */
static int cycle_rate_count(sqlite3 *db, const char *mac, unsigned limit,
			    int64_t window_ms)
{
	int64_t now = store_now_ms();
	int ok;

	if (store_begin(db) != SQLITE_OK)
		return -1;
	ok = cycle_rate_step(db, mac, limit, window_ms, now);
	if (ok >= 0 && cycle_rate_prune(db, now) != SQLITE_OK)
		ok = -1;
	if (ok >= 0 && store_commit(db) != SQLITE_OK)
		ok = -1;
	if (ok < 0)
		store_rollback(db);
	return ok;
}

int cycle_rate(struct web *w, const char *key, unsigned limit,
	       int64_t window_ms)
{
	struct cycle_state *s = w->cycle;
	char mac[CRYPTO_SHA256_HEX];
	int ok;

	if (crypto_hmac_sha256_hex(s->key, strlen(s->key), key, strlen(key),
				   mac) < 0)
		return 0;
	pthread_mutex_lock(&s->rate_lock);
	ok = cycle_rate_count(s->rate_db, mac, limit, window_ms);
	if (ok < 0)
		log_error("web: a rate limit cannot be counted, refusing the"
			  " request: %s",
			  sqlite3_errmsg(s->rate_db));
	pthread_mutex_unlock(&s->rate_lock);
	return ok > 0;
}

/* Gives back one count of mac in its own transaction; SQLite code.  A
 * window left with no count is deleted: it is the same as none. */
static int cycle_rate_give_back(sqlite3 *db, const char *mac)
{
	sqlite3_stmt *st;
	int rc = store_begin(db);

	st = rc == SQLITE_OK ? store_stmt(db, "DELETE FROM web_rate"
					      " WHERE key = ? AND count <= 1")
			     : NULL;
	if (st != NULL) {
		sqlite3_bind_text(st, 1, mac, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		store_stmt_done(st);
	}
	st = rc == SQLITE_OK ? store_stmt(db, "UPDATE web_rate SET count ="
					      " count - 1 WHERE key = ?")
			     : NULL;
	if (st != NULL) {
		sqlite3_bind_text(st, 1, mac, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		store_stmt_done(st);
	}
	if (rc == SQLITE_OK && st == NULL)
		rc = SQLITE_ERROR;
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	return rc;
}

void cycle_rate_refund(struct web *w, const char *key)
{
	struct cycle_state *s = w->cycle;
	char mac[CRYPTO_SHA256_HEX];

	if (crypto_hmac_sha256_hex(s->key, strlen(s->key), key, strlen(key),
				   mac) < 0)
		return;
	pthread_mutex_lock(&s->rate_lock);
	if (cycle_rate_give_back(s->rate_db, mac) != SQLITE_OK)
		log_error("web: a rate count cannot be given back: %s",
			  sqlite3_errmsg(s->rate_db));
	pthread_mutex_unlock(&s->rate_lock);
}

void cyc_client(struct MHD_Connection *c, char *out, size_t outlen)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	snprintf(out, outlen, "?");
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return;
	sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  out, (socklen_t)outlen);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  (socklen_t)outlen);
}

int cycle_audit(sqlite3 *db, int64_t staff, const char *action,
		const char *target, const char *detail)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"INSERT INTO audit (at, staff, action, target,"
				" detail) VALUES (?, ?, ?, ?, ?)",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, store_now_ms());
	if (staff > 0)
		sqlite3_bind_int64(st, 2, staff);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, target, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, detail, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* ---- fields and text ------------------------------------------------ */

const char *cyc_field(const struct form *f, const char *name, size_t max,
		      size_t *len)
{
	const struct form_field *ff = form_get(f, name);

	if (ff == NULL || ff->value_len > max ||
	    memchr(ff->value, '\0', ff->value_len) != NULL ||
	    !utf8_valid(ff->value, ff->value_len))
		return NULL;
	if (len != NULL)
		*len = ff->value_len;
	return ff->value;
}

const char *cyc_str(const struct form *f, const char *name, size_t max)
{
	const char *v = cyc_field(f, name, max, NULL);

	return v != NULL ? v : "";
}

const char *cyc_t(const struct cyc *x, const char *key)
{
	return i18n_get(x->lang, key);
}

int cyc_tx(struct cyc *x, const char *key)
{
	return html_t(&x->out, x->lang, key);
}

/* The value vars gives for name[0..len), or NULL. */
static const char *cyc_var(const char *const *vars, const char *name,
			   size_t len)
{
	for (; vars != NULL && vars[0] != NULL; vars += 2)
		if (strlen(vars[0]) == len && memcmp(vars[0], name, len) == 0)
			return vars[1] != NULL ? vars[1] : "";
	return NULL;
}

int cyc_fill(struct buf *out, const char *text, const char *const *vars)
{
	const char *open, *close, *v;
	int rc = 0;

	while ((open = strchr(text, '{')) != NULL) {
		close = strchr(open, '}');
		if (close == NULL)
			break;
		v = cyc_var(vars, open + 1, (size_t)(close - open - 1));
		if (v == NULL) {
			rc |= buf_append(out, text, (size_t)(open - text) + 1);
			text = open + 1;
			continue;
		}
		rc |= buf_append(out, text, (size_t)(open - text));
		rc |= buf_puts(out, v);
		text = close + 1;
	}
	rc |= buf_puts(out, text);
	return rc;
}

int cyc_txv(struct cyc *x, const char *key, const char *const *vars)
{
	struct buf b;
	int rc;

	buf_init(&b, CYCLE_PAGE_MAX);
	rc = cyc_fill(&b, cyc_t(x, key), vars);
	if (rc == 0)
		rc = html_escape(&x->out, b.data ? b.data : "", b.len);
	buf_release(&b);
	return rc;
}

int cyc_day_in(const char *lang, int64_t ms, struct buf *out)
{
	char day[16], year[16], key[24];
	time_t t = (time_t)(ms / 1000);
	const char *vars[7];
	struct tm tm;

	if (ms < 0 || gmtime_r(&t, &tm) == NULL)
		return -1;
	snprintf(day, sizeof(day), "%d", tm.tm_mday);
	snprintf(year, sizeof(year), "%d", tm.tm_year + 1900);
	snprintf(key, sizeof(key), "date.month.%d", tm.tm_mon + 1);
	vars[0] = "day";
	vars[1] = day;
	vars[2] = "month";
	vars[3] = i18n_get(lang, key);
	vars[4] = "year";
	vars[5] = year;
	vars[6] = NULL;
	return cyc_fill(out, i18n_get(lang, "date.format"), vars);
}

int cyc_day(const struct cyc *x, int64_t ms, struct buf *out)
{
	return cyc_day_in(x->lang, ms, out);
}

int cyc_date(struct cyc *x, int64_t ms)
{
	struct buf b;
	int rc;

	buf_init(&b, 256);
	rc = cyc_day(x, ms, &b);
	if (rc == 0)
		rc = html_escape(&x->out, b.data ? b.data : "", b.len);
	buf_release(&b);
	return rc;
}

int cyc_e(struct cyc *x, const char *s)
{
	return html_text(&x->out, s != NULL ? s : "");
}

int cyc_en(struct cyc *x, const char *s, size_t len)
{
	return html_escape(&x->out, s, len);
}

int cyc_col(struct cyc *x, sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	if (s == NULL)
		return 0;
	return html_escape(&x->out, s, (size_t)sqlite3_column_bytes(st, col));
}

int cyc_col_masked(struct cyc *x, sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	if (s == NULL)
		return 0;
	return html_escape_masked(&x->out, s,
				  (size_t)sqlite3_column_bytes(st, col),
				  i18n_get(x->lang, "web.masked.phone"),
				  i18n_get(x->lang, "web.masked.email"));
}

int cyc_url(struct cyc *x, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char ch;
	size_t i;
	int rc = 0;

	for (i = 0; i < len; i++) {
		ch = (unsigned char)s[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		    ch == '.' || ch == '~')
			rc |= buf_putc(&x->out, (char)ch);
		else
			rc |= buf_printf(&x->out, "%%%c%c", hex[ch >> 4],
					 hex[ch & 15]);
	}
	return rc;
}

/* ---- scope ----------------------------------------------------------- */

static const char *cyc_scope_kind(const struct cyc *x)
{
	if (strcmp(x->me.role, "district") == 0)
		return "all";
	if (x->me.site[0] != '\0')
		return "site";
	if (x->me.cluster[0] != '\0')
		return "cluster";
	return "all"; /* a viewer of every site */
}

void cyc_bind_scope(struct cyc *x, sqlite3_stmt *st)
{
	const char *kind = cyc_scope_kind(x);
	int i;

	i = sqlite3_bind_parameter_index(st, ":scope_kind");
	if (i > 0)
		sqlite3_bind_text(st, i, kind, -1, SQLITE_STATIC);
	i = sqlite3_bind_parameter_index(st, ":scope_value");
	if (i > 0)
		sqlite3_bind_text(st, i,
				  strcmp(kind, "site") == 0 ? x->me.site
							    : x->me.cluster,
				  -1, SQLITE_STATIC);
}

int cyc_sees(struct cyc *x, const char *site)
{
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (!x->logged_in || site == NULL)
		return 0;
	if (sqlite3_prepare_v2(x->db, "SELECT 1 WHERE " CYC_SCOPE_SQL(":site"),
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	cyc_bind_scope(x, st);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":site"), site,
			  -1, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return ok;
}

int cyc_writes(struct cyc *x, const char *site)
{
	return strcmp(x->me.role, "viewer") != 0 && cyc_sees(x, site);
}

int cyc_site_options(struct cyc *x, const char *selected)
{
	sqlite3_stmt *st = NULL;
	const char *code;
	int rc = 0;

	if (sqlite3_prepare_v2(x->db,
			       "SELECT code, name FROM sites"
			       " WHERE token_hash <> '-' AND " CYC_SCOPE_SQL(
				       "code") " ORDER BY name, code",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	cyc_bind_scope(x, st);
	while (sqlite3_step(st) == SQLITE_ROW) {
		code = (const char *)sqlite3_column_text(st, 0);
		rc |= buf_puts(&x->out, "<option value=\"");
		rc |= cyc_e(x, code);
		rc |= buf_puts(&x->out, selected && strcmp(code, selected) == 0
						? "\" selected>"
						: "\">");
		rc |= cyc_col(x, st, 1);
		rc |= buf_puts(&x->out, " (");
		rc |= cyc_e(x, code);
		rc |= buf_puts(&x->out, ")</option>");
	}
	sqlite3_finalize(st);
	return rc;
}

int cyc_table_head(struct cyc *x, const char *cls, const char *const *cols)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<table class=\"");
	rc |= cyc_e(x, cls);
	rc |= buf_puts(&x->out, "\"><thead><tr>");
	for (; *cols != NULL; cols++) {
		if ((*cols)[0] == '\0') {
			rc |= buf_puts(&x->out, "<td></td>");
			continue;
		}
		rc |= buf_puts(&x->out, "<th scope=\"col\">");
		rc |= cyc_tx(x, *cols);
		rc |= buf_puts(&x->out, "</th>");
	}
	rc |= buf_puts(&x->out, "</tr></thead><tbody>\n");
	return rc;
}

/* ---- the frame ------------------------------------------------------- */

/*
 * The query of a GET page but its lang and skip (when not NULL),
 * percent-encoded, each field followed by "&amp;" ("?size=letter&amp;"),
 * so that a language link keeps what the page shows (a poster's size,
 * the inbox's filters) and a size link keeps the rest.  Nothing for the
 * answer to a POST, whose x->path is another page.
 */
static int cyc_query_but(struct cyc *x, const char *skip)
{
	const struct form_field *f;
	size_t i;
	int rc = 0;

	if (x->post)
		return 0;
	for (i = 0; i < x->q.count; i++) {
		f = &x->q.fields[i];
		if (f->name_len == 4 && memcmp(f->name, "lang", 4) == 0)
			continue;
		if (skip != NULL && f->name_len == strlen(skip) &&
		    memcmp(f->name, skip, f->name_len) == 0)
			continue;
		rc |= cyc_url(x, f->name, f->name_len);
		rc |= buf_putc(&x->out, '=');
		rc |= cyc_url(x, f->value, f->value_len);
		rc |= buf_puts(&x->out, "&amp;");
	}
	return rc;
}

static int cyc_langs(struct cyc *x)
{
	const char *const *l;
	int rc = 0;

	rc |= buf_puts(&x->out, "<nav class=\"langs\">");
	for (l = i18n_langs(); *l != NULL; l++) {
		if (strcmp(*l, x->lang) == 0)
			continue;
		rc |= buf_puts(&x->out, " <a lang=\"");
		rc |= cyc_e(x, *l);
		rc |= buf_puts(&x->out, "\" href=\"");
		rc |= cyc_e(x, x->path);
		rc |= buf_putc(&x->out, '?');
		if (x->keep[0] == '\0')
			rc |= cyc_query_but(x, NULL);
		rc |= buf_puts(&x->out, "lang=");
		rc |= cyc_e(x, *l);
		if (x->keep[0] != '\0') {
			rc |= buf_puts(&x->out, "&amp;");
			rc |= cyc_e(x, x->keep);
		}
		rc |= buf_puts(&x->out, "\">");
		rc |= html_t(&x->out, *l, "lang.name");
		rc |= buf_puts(&x->out, "</a>");
	}
	rc |= buf_puts(&x->out, "</nav>");
	return rc;
}

const char *cyc_paper(struct cyc *x)
{
	return strcmp(cyc_str(&x->q, "size", 10), "letter") == 0 ? "letter"
								 : "a4";
}

/* A link to this page on other paper, keeping its query and language. */
static int cyc_paper_link(struct cyc *x, const char *size, const char *key)
{
	int rc = 0;

	rc |= buf_puts(&x->out, " <a href=\"?");
	rc |= cyc_query_but(x, "size");
	rc |= buf_printf(&x->out, "size=%s&amp;lang=", size);
	rc |= cyc_e(x, x->lang);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_tx(x, key);
	rc |= buf_puts(&x->out, "</a>");
	return rc;
}

int cyc_paper_links(struct cyc *x)
{
	int rc = 0;

	rc |= buf_puts(&x->out, "<p class=\"noprint\">");
	rc |= cyc_tx(x, "poster.print");
	rc |= cyc_paper_link(x, "a4", "poster.a4");
	rc |= cyc_paper_link(x, "letter", "poster.letter");
	rc |= buf_puts(&x->out, "</p>\n");
	return rc;
}

int cyc_public_top(struct cyc *x, const char *title)
{
	int rc = 0;

	rc |= html_begin(&x->out, x->lang, title, "/web/web.css", "web");
	rc |= buf_puts(&x->out, "<header><a class=\"brand\" href=\"/?lang=");
	rc |= cyc_e(x, x->lang);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_tx(x, "app.name");
	rc |= buf_puts(&x->out, "</a>");
	rc |= cyc_langs(x);
	rc |= buf_puts(&x->out, "</header>\n<main>\n");
	return rc;
}

static const char *const cyc_nav[][2] = {
	{"/staff", "staff.nav.inbox"},
	{"/staff/ideas", "staff.nav.ideas"},
	{"/staff/prompts", "staff.nav.prompts"},
	{"/staff/waves", "staff.nav.waves"},
	{"/staff/gaps", "staff.nav.gaps"},
	{"/staff/sites", "staff.nav.sites"},
	{"/staff/rule", "staff.nav.rule"},
	{"/staff/audit", "staff.nav.audit"},
	{"/staff/export", "staff.nav.export"},
};

int cyc_csrf(struct cyc *x)
{
	int rc = buf_puts(&x->out, "<input type=\"hidden\" name=\"csrf\""
				   " value=\"");

	rc |= cyc_e(x, x->me.csrf);
	rc |= buf_puts(&x->out, "\">");
	return rc;
}

int cyc_staff_top(struct cyc *x, const char *title)
{
	size_t i;
	int rc = 0;

	rc |= html_begin(&x->out, x->lang, title, "/web/staff.css", "staff");
	rc |= buf_puts(&x->out, "<header class=\"noprint\"><a class=\"brand\""
				" href=\"/staff\">");
	rc |= cyc_tx(x, "staff.brand");
	rc |= buf_puts(&x->out, "</a><nav aria-label=\"");
	rc |= cyc_tx(x, "staff.nav.label");
	rc |= buf_puts(&x->out, "\">");
	for (i = 0; i < sizeof(cyc_nav) / sizeof(cyc_nav[0]); i++) {
		rc |= buf_puts(&x->out, "<a href=\"");
		rc |= cyc_e(x, cyc_nav[i][0]);
		rc |= buf_puts(&x->out, "\">");
		rc |= cyc_tx(x, cyc_nav[i][1]);
		rc |= buf_puts(&x->out, "</a> ");
	}
	rc |= buf_puts(&x->out, "</nav><form class=\"logout\" method=\"post\""
				" action=\"/staff/logout\">");
	rc |= cyc_csrf(x);
	rc |= buf_puts(&x->out, "<span class=\"who\">");
	rc |= cyc_e(x, x->me.email);
	rc |= buf_puts(&x->out, "</span> <button type=\"submit\">");
	rc |= cyc_tx(x, "staff.logout");
	rc |= buf_puts(&x->out, "</button></form>");
	rc |= cyc_langs(x);
	rc |= buf_puts(&x->out, "</header>\n<main>\n");
	return rc;
}

enum MHD_Result cyc_send(struct cyc *x, unsigned status, int rc)
{
	const char *cookies[] = {x->cookie, x->lang_cookie};

	rc |= buf_puts(&x->out, "</main>\n");
	rc |= html_end(&x->out);
	if (rc != 0) {
		buf_release(&x->out);
		log_error("web: a page did not fit or a query failed: %s",
			  sqlite3_errmsg(x->db));
		return http_reply(x->c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				  "text/plain; charset=utf-8", "error\n", 6);
	}
	return http_reply_extra(x->c, status, "text/html; charset=utf-8",
				&x->out, NULL, cookies, 2);
}

enum MHD_Result cyc_message(struct cyc *x, unsigned status,
			    const char *title_key, const char *body_key)
{
	return cyc_message_about(x, status, title_key, body_key, NULL);
}

enum MHD_Result cyc_message_about(struct cyc *x, unsigned status,
				  const char *title_key, const char *body_key,
				  const char *typed)
{
	int rc = 0;

	if (x->logged_in)
		rc |= cyc_staff_top(x, cyc_t(x, title_key));
	else
		rc |= cyc_public_top(x, cyc_t(x, title_key));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, title_key);
	rc |= buf_puts(&x->out, "</h1>\n<p class=\"message\">");
	rc |= cyc_tx(x, body_key);
	rc |= buf_puts(&x->out, "</p>\n");
	if (typed != NULL) {
		rc |= buf_puts(&x->out, "<p class=\"typed\"><code>");
		rc |= cyc_e(x, typed);
		rc |= buf_puts(&x->out, "</code></p>\n");
	}
	return cyc_send(x, status, rc);
}

enum MHD_Result cyc_redirect(struct cyc *x, const char *where)
{
	const char *cookies[] = {x->cookie, x->lang_cookie};

	buf_clear(&x->out);
	return http_reply_extra(x->c, MHD_HTTP_SEE_OTHER,
				"text/plain; charset=utf-8", &x->out, where,
				cookies, 2);
}

/* ---- requests -------------------------------------------------------- */

/* "/staff/ideas/K70042M" with prefix "/staff/ideas/": the code, or NULL. */
static const char *cyc_tail(const char *url, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncasecmp(url, prefix, n) == 0 ? url + n : NULL;
}

/* "/i/CODE/endorse": the canonical code into canon.  0 or -1. */
static int cyc_endorse_url(const char *url, char canon[CODE_MAX])
{
	const char *t = cyc_tail(url, "/i/");
	size_t n;

	if (t == NULL)
		return -1;
	n = strcspn(t, "/");
	if (strcasecmp(t + n, "/endorse") != 0)
		return -1;
	return code_parse(t, n, canon, NULL, NULL);
}

/* The staff page a POST to url came from; see cyc_post_path(). */
static const char *cyc_staff_post_path(struct cyc *x, const char *url)
{
	static const char *const same[] = {
		"/staff/login", "/staff/prompts", "/staff/sites", "/staff/rule",
		NULL,
	};
	const char *t, *idea;
	char canon[CODE_MAX];
	size_t i;

	for (i = 0; same[i] != NULL; i++)
		if (strcmp(url, same[i]) == 0)
			return url;
	t = cyc_tail(url, "/staff/ideas/");
	if (t != NULL)
		return strcmp(t, "merge") == 0 || strcmp(t, "split") == 0
			       ? "/staff/ideas"
			       : url;

	/* A notice or a decision is written on its idea's page. */
	idea = cyc_str(&x->f, "idea", 40);
	if (code_parse(idea, strlen(idea), canon, NULL, NULL) == 0) {
		snprintf(x->path_buf, sizeof(x->path_buf), "/staff/ideas/%s",
			 canon);
		return x->path_buf;
	}
	return "/staff";
}

/*
 * The page the language links of an answer lead to: the page itself
 * for a GET; for a POST, whose own address may answer no GET
 * (/i/CODE/endorse, /staff/notice), the page its form was on as far as
 * the address and the form tell, else the home page.
 */
static const char *cyc_post_path(struct cyc *x, const char *url)
{
	char canon[CODE_MAX];

	if (strncmp(url, "/staff/", 7) == 0)
		return cyc_staff_post_path(x, url);
	if (cyc_tail(url, "/q/") != NULL)
		return url;
	if (cyc_endorse_url(url, canon) == 0) {
		snprintf(x->path_buf, sizeof(x->path_buf), "/i/%s", canon);
		return x->path_buf;
	}
	return "/";
}

static int cyc_init(struct cyc *x, struct web *w, struct MHD_Connection *c,
		    struct http_req *req, const char *url, int post)
{
	const char *q;
	size_t qlen;

	memset(x, 0, sizeof(*x));
	x->w = w;
	x->c = c;
	x->req = req;
	x->path = url;
	buf_init(&x->out, CYCLE_PAGE_MAX);
	q = http_query(req, &qlen);
	if (form_parse(&x->q, q, qlen, CYCLE_FIELDS_MAX) < 0)
		return -1;
	if (post && form_parse(&x->f, req->body.data ? req->body.data : "",
			       req->body.len, CYCLE_FIELDS_MAX) < 0) {
		form_release(&x->q);
		return -1;
	}
	x->lang = web_lang(w, c, &x->q, &x->f, x->lang_cookie,
			   sizeof(x->lang_cookie));
	x->post = post;
	if (post)
		x->path = cyc_post_path(x, url);
	x->db = web_db_get(w);
	if (staff_session(x) < 0)
		x->logged_in = 0;
	return 0;
}

static void cyc_release(struct cyc *x)
{
	if (x->db != NULL)
		web_db_put(x->w, x->db);
	form_release(&x->q);
	form_release(&x->f);
	buf_release(&x->out);
}

int cycle_wants(const char *url)
{
	return strcmp(url, "/staff") == 0 || strncmp(url, "/staff/", 7) == 0 ||
	       strncasecmp(url, "/q/", 3) == 0 || strcmp(url, "/ideas") == 0 ||
	       strcmp(url, "/rule") == 0 || strcmp(url, "/") == 0;
}

int cycle_is_idea_db(sqlite3 *db, const char *code)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM ideas WHERE code = ?", -1,
			       &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(st);
	return rc;
}

int cycle_is_idea(struct web *w, const char *code)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *db = web_db_get(w);
	int rc = -1;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM ideas WHERE code = ?", -1,
			       &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(st);
	web_db_put(w, db);
	return rc;
}

static enum MHD_Result cyc_staff_get(struct cyc *x, const char *url)
{
	const char *t;

	if (strcmp(url, "/staff/login") == 0)
		return staff_login_page(x, NULL, MHD_HTTP_OK);
	if (!x->logged_in)
		return cyc_redirect(x, "/staff/login");
	if (strcmp(url, "/staff") == 0 || strcmp(url, "/staff/") == 0)
		return inbox_page(x);
	if (strcmp(url, "/staff/ideas") == 0)
		return ideas_list_page(x);
	if ((t = cyc_tail(url, "/staff/ideas/")) != NULL)
		return ideas_page(x, t);
	if ((t = cyc_tail(url, "/staff/poster/")) != NULL)
		return notice_poster_page(x, t);
	if ((t = cyc_tail(url, "/staff/export")) != NULL)
		return export_page(x, *t == '/' ? t + 1 : t);
	if (strcmp(url, "/staff/waves") == 0)
		return waves_page(x);
	if (strcmp(url, "/staff/gaps") == 0)
		return gaps_page(x);
	if (strcmp(url, "/staff/sites") == 0)
		return sites_page(x);
	if (strcmp(url, "/staff/rule") == 0)
		return rule_page(x);
	if (strcmp(url, "/staff/prompts") == 0)
		return prompts_page(x);
	if ((t = cyc_tail(url, "/staff/prompts/")) != NULL)
		return prompt_staff_page(x, t);
	if (strcmp(url, "/staff/audit") == 0)
		return staff_audit_page(x);
	return cyc_message(x, MHD_HTTP_NOT_FOUND, "staff.notfound.title",
			   "staff.notfound.body");
}

enum MHD_Result cycle_get(struct web *w, struct MHD_Connection *c,
			  struct http_req *req, const char *url)
{
	enum MHD_Result ret;
	char canon[CODE_MAX];
	const char *t;
	struct cyc x;

	if (cyc_init(&x, w, c, req, url, 0) < 0)
		return MHD_NO;
	if (strncmp(url, "/staff", 6) == 0)
		ret = cyc_staff_get(&x, url);
	else if ((t = cyc_tail(url, "/q/")) != NULL)
		ret = prompt_form_page(&x, t);
	else if (strcmp(url, "/ideas") == 0)
		ret = public_ideas_page(&x);
	else if (strcmp(url, "/rule") == 0)
		ret = public_rule_page(&x);
	else if (strcmp(url, "/") == 0)
		ret = public_home_page(&x);
	else if ((t = cyc_tail(url, "/i/")) != NULL &&
		 code_parse(t, strcspn(t, "/"), canon, NULL, NULL) == 0)
		ret = public_idea_page(&x, canon);
	else
		ret = cyc_message(&x, MHD_HTTP_NOT_FOUND, "web.notfound.title",
				  "web.notfound.body");
	cyc_release(&x);
	return ret;
}

/* The CSRF check of every staff POST but the login. */
static int cyc_csrf_ok(struct cyc *x)
{
	size_t len;
	const char *v = cyc_field(&x->f, "csrf", 128, &len);

	return x->logged_in && v != NULL &&
	       crypto_equal(v, len, x->me.csrf, strlen(x->me.csrf));
}

static enum MHD_Result cyc_staff_post(struct cyc *x, const char *url)
{
	const char *t;

	if (strcmp(url, "/staff/login") == 0)
		return staff_login_post(x);
	if (!x->logged_in)
		return cyc_redirect(x, "/staff/login");
	if (!cyc_csrf_ok(x))
		return cyc_message(x, MHD_HTTP_FORBIDDEN, "staff.csrf.title",
				   "staff.csrf.body");
	if (strcmp(url, "/staff/logout") == 0)
		return staff_logout_post(x);
	if (strcmp(x->me.role, "viewer") == 0)
		return cyc_message(x, MHD_HTTP_FORBIDDEN,
				   "staff.forbidden.title",
				   "staff.forbidden.body");
	if ((t = cyc_tail(url, "/staff/ideas/")) != NULL)
		return ideas_post(x, t);
	if (strcmp(url, "/staff/notice") == 0)
		return notice_post(x);
	if ((t = cyc_tail(url, "/staff/decision/")) != NULL)
		return decide_post(x, t);
	if (strcmp(url, "/staff/prompts") == 0)
		return prompts_post(x);
	if ((t = cyc_tail(url, "/staff/prompts/")) != NULL)
		return prompt_staff_post(x, t);
	if (strcmp(url, "/staff/sites") == 0)
		return sites_post(x);
	if (strcmp(url, "/staff/rule") == 0)
		return rule_post(x);
	return cyc_message(x, MHD_HTTP_NOT_FOUND, "staff.notfound.title",
			   "staff.notfound.body");
}

enum MHD_Result cycle_post(struct web *w, struct MHD_Connection *c,
			   struct http_req *req, const char *url)
{
	enum MHD_Result ret;
	char canon[CODE_MAX];
	const char *t;
	struct cyc x;

	if (req->too_large)
		return http_reply(c, 413, "text/plain; charset=utf-8",
				  "too large\n", 10);
	if (cyc_init(&x, w, c, req, url, 1) < 0)
		return MHD_NO;
	if (req->app != NULL)
		ret = prompt_form_answer(&x);
	else if (strncmp(url, "/staff/", 7) == 0)
		ret = cyc_staff_post(&x, url);
	else if ((t = cyc_tail(url, "/q/")) != NULL)
		ret = prompt_form_post(&x, t);
	else if (cyc_endorse_url(url, canon) == 0)
		ret = public_endorse_post(&x, canon);
	else
		ret = http_reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method",
				       "this address does not take that"
				       " method");
	cyc_release(&x);
	return ret;
}
