/*
 * export: items, ideas, endorsements and decisions as CSV or JSON.
 *
 * /staff/export lists the files; /staff/export/NAME.csv or NAME.json
 * sends one.  Items and decisions are limited to the account's sites.
 * No export ever holds a phone hash or any voter: endorsements go out
 * as target, channel, site, role and time only.  CSV follows RFC 4180
 * (every field quoted, quotes doubled, CRLF), and a field that starts
 * with = + - @ gets a leading apostrophe so that a spreadsheet shows it
 * as text instead of running it as a formula.  A time (a column whose
 * name ends in "_at") is ISO 8601 UTC text in CSV, to the second
 * ("2026-12-04T16:26:38Z"), and milliseconds since 1970 in JSON.  JSON
 * is one array, one object per row.  docs/cycle-design.md lists the
 * columns.
 *
 * A file is streamed, never built whole: each export opens its own
 * read-only connection and steps one statement as libmicrohttpd asks
 * for blocks (export_read()).  One statement is one read transaction,
 * so the file is a consistent snapshot however long the client takes.
 * Only the row being written is held (struct export's pending bytes,
 * kept across calls when a row does not fit the block asked for).  The
 * statement and the connection are freed in export_free(), which
 * libmicrohttpd calls when the answer ends, also when the client goes
 * away half-way.  A failure after the first bytes ends the answer
 * without its last chunk, so a client sees a cut file, not a short one.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cycle.h"
#include "log.h"
#include "store.h"

#define EXPORT_ROW_MAX (8u * 1024 * 1024) /* bytes of one written row */

struct export_table {
	const char *name;
	const char *sql; /* may use the scope parameters */
};

static const struct export_table export_tables[] = {
	/* status as the item's public page gives it: merged while in an
	 * idea (cycle_follow_get()), else the item's own. */
	{"items",
	 "SELECT i.code, i.site, i.channel, i.role, i.lang, i.prompt, i.text,"
	 " i.received_at, CASE WHEN ii.idea IS NULL THEN i.status"
	 " ELSE 'merged' END AS status, ii.idea AS idea"
	 " FROM items i LEFT JOIN idea_items ii ON ii.item = i.code"
	 " WHERE " CYC_SCOPE_SQL("i.site") " ORDER BY i.n"},
	{"ideas",
	 "SELECT code, title, learned, phase, site,"
	 " (SELECT group_concat(tag, ',') FROM idea_tags"
	 "  WHERE idea = ideas.code) AS tags,"
	 " (SELECT group_concat(item, ',') FROM idea_items"
	 "  WHERE idea = ideas.code) AS items,"
	 " created_at, updated_at FROM ideas WHERE " CYC_IDEA_SCOPE_SQL(
		 "ideas.code") " ORDER BY n"},
	{"endorsements",
	 "SELECT target, channel, site, role, made_at,"
	 " received_at FROM endorsements e WHERE " CYC_SCOPE_SQL(
		 "e.site") " ORDER BY n"},
	{"decisions",
	 "SELECT d.idea, d.site, d.kind, d.text, d.owner, d.due,"
	 " d.status, d.adopted, d.created_at, d.updated_at"
	 " FROM decisions d WHERE " CYC_SCOPE_SQL("d.site") " ORDER BY n"},
};

#define EXPORT_NTABLES (sizeof(export_tables) / sizeof(export_tables[0]))

enum export_part { EXPORT_HEAD, EXPORT_ROWS, EXPORT_TAIL, EXPORT_END };

/* One export being sent. */
struct export
{
	sqlite3 *db;	  /* its own read-only connection */
	sqlite3_stmt *st; /* the table's query, bound to the scope */
	int csv;
	enum export_part part; /* what export_fill() makes next */
	unsigned long long rows;
	unsigned long long times; /* bit i: column i is a time (CSV) */
	struct buf pending;	  /* made, not all handed to libmicrohttpd */
	size_t off;		  /* bytes of pending already handed over */
};

/* ---- writing rows ---------------------------------------------------- */

static int export_csv_field(struct buf *b, const char *s, size_t n)
{
	const char *q;
	int rc = buf_putc(b, '"');

	if (n > 0 && strchr("=+-@", s[0]) != NULL)
		rc |= buf_putc(b, '\'');

	/* Copy up to and with each quote, then the quote once more. */
	while (rc == 0 && (q = memchr(s, '"', n)) != NULL) {
		rc |= buf_append(b, s, (size_t)(q - s) + 1);
		rc |= buf_putc(b, '"');
		n -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	rc |= buf_append(b, s, n);
	rc |= buf_putc(b, '"');
	return rc;
}

static int export_csv_head(sqlite3_stmt *st, struct buf *b)
{
	int i, n = sqlite3_column_count(st), rc = 0;
	const char *name;

	for (i = 0; i < n; i++) {
		name = sqlite3_column_name(st, i);
		rc |= i ? buf_putc(b, ',') : 0;
		rc |= export_csv_field(b, name, strlen(name));
	}
	rc |= buf_puts(b, "\r\n");
	return rc;
}

/* The columns of st that hold times: bit i set for column i named
 * "..._at" (of the first 64), read once before the rows. */
static unsigned long long export_time_columns(sqlite3_stmt *st)
{
	int i, n = sqlite3_column_count(st);
	unsigned long long times = 0;
	const char *name;
	size_t len;

	for (i = 0; i < n && i < 64; i++) {
		name = sqlite3_column_name(st, i);
		len = strlen(name);
		if (len > 3 && strcmp(name + len - 3, "_at") == 0)
			times |= 1ULL << i;
	}
	return times;
}

/* The time ms as a CSV field: "2026-12-04T16:26:38Z". */
static int export_csv_time(struct buf *b, int64_t ms)
{
	char iso[STORE_TIME_LEN], field[STORE_TIME_LEN];

	/* iso is "2026-12-04T16:26:38.123Z": the seconds are enough. */
	store_format_time(ms, iso);
	snprintf(field, sizeof(field), "%.19sZ", iso);
	return export_csv_field(b, field, strlen(field));
}

/* One row; a column of times (a bit of times) that holds an integer is
 * written as a time. */
static int export_csv_row(sqlite3_stmt *st, unsigned long long times,
			  struct buf *b)
{
	int i, n = sqlite3_column_count(st), rc = 0;

	for (i = 0; i < n; i++) {
		rc |= i ? buf_putc(b, ',') : 0;
		if (sqlite3_column_type(st, i) == SQLITE_NULL)
			continue;
		if (i < 64 && (times >> i & 1) &&
		    sqlite3_column_type(st, i) == SQLITE_INTEGER)
			rc |= export_csv_time(b, sqlite3_column_int64(st, i));
		else
			rc |= export_csv_field(
				b, (const char *)sqlite3_column_text(st, i),
				(size_t)sqlite3_column_bytes(st, i));
	}
	rc |= buf_puts(b, "\r\n");
	return rc;
}

/* Appends what jansson writes to the buffer data. */
static int export_json_put(const char *p, size_t n, void *data)
{
	return buf_append(data, p, n);
}

/* One row as a compact JSON object (jansson), the columns in order. */
static int export_json_row(sqlite3_stmt *st, struct buf *b)
{
	int i, n = sqlite3_column_count(st), rc;
	json_t *o = json_object(), *v;

	for (i = 0; o != NULL && i < n; i++) {
		if (sqlite3_column_type(st, i) == SQLITE_INTEGER)
			v = json_integer(sqlite3_column_int64(st, i));
		else if (sqlite3_column_type(st, i) == SQLITE_NULL)
			v = json_null();
		else
			v = json_stringn(
				(const char *)sqlite3_column_text(st, i),
				(size_t)sqlite3_column_bytes(st, i));
		if (v == NULL ||
		    json_object_set_new(o, sqlite3_column_name(st, i), v) < 0) {
			json_decref(o);
			o = NULL;
		}
	}
	rc = o != NULL ? json_dump_callback(o, export_json_put, b, JSON_COMPACT)
		       : -1;
	json_decref(o);
	return rc;
}

/* ---- the stream ------------------------------------------------------ */

/* The next row into e->pending, or the tail when there is none. */
static int export_next_row(struct export *e)
{
	int step = sqlite3_step(e->st), rc = 0;

	if (step == SQLITE_DONE) {
		e->part = EXPORT_TAIL;
		return 0;
	}
	if (step != SQLITE_ROW) {
		log_error("web: an export stopped: %s", sqlite3_errmsg(e->db));
		return -1;
	}
	if (e->csv)
		return export_csv_row(e->st, e->times, &e->pending);
	if (e->rows > 0)
		rc = buf_puts(&e->pending, ",\n");
	e->rows++;
	return rc | export_json_row(e->st, &e->pending);
}

/* Replaces e->pending with the next part of the file.  0 or -1. */
static int export_fill(struct export *e)
{
	int rc = 0;

	buf_clear(&e->pending);
	e->off = 0;
	switch (e->part) {
	case EXPORT_HEAD:
		e->times = export_time_columns(e->st);
		rc = e->csv ? export_csv_head(e->st, &e->pending)
			    : buf_puts(&e->pending, "[\n");
		e->part = EXPORT_ROWS;
		break;
	case EXPORT_ROWS:
		rc = export_next_row(e);
		break;
	case EXPORT_TAIL:
		rc = e->csv ? 0 : buf_puts(&e->pending, "\n]\n");
		e->part = EXPORT_END;
		break;
	case EXPORT_END:
		break;
	}
	if (rc != 0)
		log_error("web: an export failed: a row passed %u bytes or"
			  " memory ran out",
			  EXPORT_ROW_MAX);
	return rc;
}

/* libmicrohttpd's content reader: up to max bytes of the file. */
static ssize_t export_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct export *e = cls;
	size_t n = 0, k;

	(void)pos;
	while (n < max) {
		if (e->off < e->pending.len) {
			k = e->pending.len - e->off;
			k = k < max - n ? k : max - n;
			memcpy(out + n, e->pending.data + e->off, k);
			e->off += k;
			n += k;
		} else if (e->part == EXPORT_END) {
			break;
		} else if (export_fill(e) < 0) {
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
	}
	return n > 0 ? (ssize_t)n : MHD_CONTENT_READER_END_OF_STREAM;
}

static void export_free(void *cls)
{
	struct export *e = cls;

	sqlite3_finalize(e->st);
	store_close(e->db);
	buf_release(&e->pending);
	free(e);
}

/* ---- opening --------------------------------------------------------- */

/*
 * Binds x's scope into e->st by value: the statement outlives x, so it
 * cannot point into x->me as cyc_bind_scope() does.  SQLite code.
 */
static int export_bind_scope(struct cyc *x, struct export *e)
{
	static const char *const names[2] = {":scope_kind", ":scope_value"};
	sqlite3_stmt *probe = NULL;
	int rc, i, at;

	rc = sqlite3_prepare_v2(e->db, "SELECT :scope_kind, :scope_value", -1,
				&probe, NULL);
	if (rc != SQLITE_OK)
		return rc;
	cyc_bind_scope(x, probe);
	rc = sqlite3_step(probe) == SQLITE_ROW ? SQLITE_OK : SQLITE_ERROR;

	/* sqlite3_bind_value() copies: nothing points back into x. */
	for (i = 0; rc == SQLITE_OK && i < 2; i++) {
		at = sqlite3_bind_parameter_index(e->st, names[i]);
		if (at > 0)
			rc = sqlite3_bind_value(e->st, at,
						sqlite3_column_value(probe, i));
	}
	sqlite3_finalize(probe);
	return rc;
}

/* A new export of t for x on its own connection, or NULL (logged). */
static struct export *export_open(struct cyc *x, const struct export_table *t,
				  int csv)
{
	const char *path = sqlite3_db_filename(x->db, "main");
	struct export *e = calloc(1, sizeof(*e));
	char err[256];

	if (e == NULL)
		return NULL;
	e->csv = csv;
	buf_init(&e->pending, EXPORT_ROW_MAX);
	if (store_open(path, STORE_READONLY, &e->db, err, sizeof(err)) < 0) {
		log_error("web: an export cannot start: %s", err);
		goto fail;
	}
	if (sqlite3_prepare_v2(e->db, t->sql, -1, &e->st, NULL) != SQLITE_OK ||
	    export_bind_scope(x, e) != SQLITE_OK) {
		log_error("web: an export cannot start: %s",
			  sqlite3_errmsg(e->db));
		goto fail;
	}
	return e;

fail:
	export_free(e);
	return NULL;
}

/* ---- pages ----------------------------------------------------------- */

static enum MHD_Result export_list(struct cyc *x)
{
	char key[48];
	size_t i;
	int rc = 0;

	rc |= cyc_staff_top(x, cyc_t(x, "staff.export.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.export.title");
	rc |= buf_puts(&x->out, "</h1>\n<p>");
	rc |= cyc_tx(x, "staff.export.intro");
	rc |= buf_puts(&x->out, "</p>\n<ul>\n");
	for (i = 0; i < EXPORT_NTABLES; i++) {
		snprintf(key, sizeof(key), "staff.export.table.%s",
			 export_tables[i].name);
		rc |= buf_puts(&x->out, "<li>");
		rc |= cyc_tx(x, key);
		rc |= buf_printf(&x->out,
				 ": <a href=\"/staff/export/%s.csv\">"
				 "CSV</a> <a href=\"/staff/export/%s.json\">"
				 "JSON</a></li>\n",
				 export_tables[i].name, export_tables[i].name);
	}
	rc |= buf_puts(&x->out, "</ul>\n");
	return cyc_send(x, MHD_HTTP_OK, rc);
}

/* The table named by "NAME.csv" or "NAME.json", or NULL. */
static const struct export_table *export_find(const char *name, int *csv)
{
	const char *dot = strrchr(name, '.');
	size_t i, n = dot ? (size_t)(dot - name) : 0;

	if (dot == NULL ||
	    (strcmp(dot, ".csv") != 0 && strcmp(dot, ".json") != 0))
		return NULL;
	*csv = strcmp(dot, ".csv") == 0;
	for (i = 0; i < EXPORT_NTABLES; i++)
		if (n > 0 && strlen(export_tables[i].name) == n &&
		    strncmp(export_tables[i].name, name, n) == 0)
			return &export_tables[i];
	return NULL;
}

enum MHD_Result export_page(struct cyc *x, const char *name)
{
	const struct export_table *t;
	struct export *e;
	char disposition[64];
	int csv = 0;

	if (name[0] == '\0')
		return export_list(x);
	t = export_find(name, &csv);
	if (t == NULL)
		return cyc_message(x, 404, "staff.notfound.title",
				   "staff.notfound.body");
	e = export_open(x, t, csv);
	if (e == NULL)
		return cyc_send(x, 500, -1);
	snprintf(disposition, sizeof(disposition),
		 "attachment; filename=\"%s.%s\"", t->name,
		 csv ? "csv" : "json");
	return http_reply_stream(x->c, MHD_HTTP_OK,
				 csv ? "text/csv; charset=utf-8"
				     : "application/json; charset=utf-8",
				 disposition, export_read, e, export_free);
}
