/*
 * export: items, ideas, endorsements and decisions as CSV or JSON.
 *
 * /staff/export lists the files; /staff/export/NAME.csv or NAME.json
 * sends one.  Items and decisions are limited to the account's sites.
 * No export ever holds a phone hash or any voter: endorsements go out
 * as target, channel, site, role and time only.  CSV follows RFC 4180
 * (every field quoted, quotes doubled, CRLF), and a field that starts
 * with = + - @ gets a leading apostrophe so that a spreadsheet shows it
 * as text instead of running it as a formula.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cycle.h"
#include "store.h"

#define EXPORT_MAX (512u * 1024 * 1024)

struct export_table {
	const char *name;
	const char *sql; /* may use the scope parameters */
};

static const struct export_table export_tables[] = {
	{"items", "SELECT code, site, channel, role, lang, prompt, text,"
		  " received_at, status FROM items i WHERE " CYC_SCOPE_SQL(
			  "i.site") " ORDER BY n"},
	{"ideas", "SELECT code, title, learned, phase, site,"
		  " (SELECT group_concat(tag, ',') FROM idea_tags"
		  "  WHERE idea = ideas.code) AS tags,"
		  " (SELECT group_concat(item, ',') FROM idea_items"
		  "  WHERE idea = ideas.code) AS items,"
		  " created_at, updated_at FROM ideas ORDER BY n"},
	{"endorsements", "SELECT target, channel, site, role, made_at,"
			 " received_at FROM endorsements ORDER BY n"},
	{"decisions",
	 "SELECT d.idea, d.site, d.kind, d.text, d.owner, d.due,"
	 " d.status, d.adopted, d.created_at, d.updated_at"
	 " FROM decisions d WHERE " CYC_SCOPE_SQL("d.site") " ORDER BY n"},
};

static int export_csv_field(struct buf *b, const char *s, size_t n)
{
	size_t i;
	int rc = buf_putc(b, '"');

	if (n > 0 && strchr("=+-@", s[0]) != NULL)
		rc |= buf_putc(b, '\'');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			rc |= buf_putc(b, '"');
		rc |= buf_putc(b, s[i]);
	}
	rc |= buf_putc(b, '"');
	return rc;
}

static int export_csv(sqlite3_stmt *st, struct buf *b)
{
	int i, n = sqlite3_column_count(st), rc = 0, step;

	for (i = 0; i < n; i++) {
		rc |= i ? buf_putc(b, ',') : 0;
		rc |= export_csv_field(b, sqlite3_column_name(st, i),
				       strlen(sqlite3_column_name(st, i)));
	}
	rc |= buf_puts(b, "\r\n");
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			rc |= i ? buf_putc(b, ',') : 0;
			if (sqlite3_column_type(st, i) == SQLITE_NULL)
				continue;
			rc |= export_csv_field(
				b, (const char *)sqlite3_column_text(st, i),
				(size_t)sqlite3_column_bytes(st, i));
		}
		rc |= buf_puts(b, "\r\n");
	}
	return rc;
}

static int export_json(sqlite3_stmt *st, struct buf *b)
{
	int i, n = sqlite3_column_count(st), rc = 0, first = 1;
	json_t *o, *v;
	char *s;

	rc |= buf_puts(b, "[\n");
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		o = json_object();
		for (i = 0; i < n && o != NULL; i++) {
			if (sqlite3_column_type(st, i) == SQLITE_INTEGER)
				v = json_integer(sqlite3_column_int64(st, i));
			else if (sqlite3_column_type(st, i) == SQLITE_NULL)
				v = json_null();
			else
				v = json_stringn(
					(const char *)sqlite3_column_text(st,
									  i),
					(size_t)sqlite3_column_bytes(st, i));
			json_object_set_new(o, sqlite3_column_name(st, i), v);
		}
		s = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		if (s == NULL)
			return -1;
		rc |= first ? 0 : buf_puts(b, ",\n");
		rc |= buf_puts(b, s);
		free(s);
		first = 0;
	}
	rc |= buf_puts(b, "\n]\n");
	return rc;
}

static enum MHD_Result export_list(struct cyc *x)
{
	size_t i;
	int rc = 0;

	rc |= cyc_staff_top(x, cyc_t(x, "staff.export.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.export.title");
	rc |= buf_puts(&x->out, "</h1>\n<p>");
	rc |= cyc_tx(x, "staff.export.intro");
	rc |= buf_puts(&x->out, "</p>\n<ul>\n");
	for (i = 0; i < sizeof(export_tables) / sizeof(export_tables[0]); i++)
		rc |= buf_printf(&x->out,
				 "<li>%s: <a href=\"/staff/export/%s.csv\">"
				 "CSV</a> <a href=\"/staff/export/%s.json\">"
				 "JSON</a></li>\n",
				 export_tables[i].name, export_tables[i].name,
				 export_tables[i].name);
	rc |= buf_puts(&x->out, "</ul>\n");
	return cyc_send(x, MHD_HTTP_OK, rc);
}

enum MHD_Result export_page(struct cyc *x, const char *name)
{
	const struct export_table *t = NULL;
	sqlite3_stmt *st = NULL;
	const char *dot = strrchr(name, '.');
	struct buf b;
	size_t i, n;
	int csv, rc;

	if (name[0] == '\0')
		return export_list(x);
	n = dot ? (size_t)(dot - name) : 0;
	for (i = 0; i < sizeof(export_tables) / sizeof(export_tables[0]); i++)
		if (n > 0 && strlen(export_tables[i].name) == n &&
		    strncmp(export_tables[i].name, name, n) == 0)
			t = &export_tables[i];
	if (t == NULL ||
	    (strcmp(dot, ".csv") != 0 && strcmp(dot, ".json") != 0))
		return cyc_message(x, 404, "staff.notfound.title",
				   "staff.notfound.body");
	csv = strcmp(dot, ".csv") == 0;
	if (sqlite3_prepare_v2(x->db, t->sql, -1, &st, NULL) != SQLITE_OK)
		return cyc_send(x, 500, -1);
	cyc_bind_scope(x, st);
	buf_init(&b, EXPORT_MAX);
	rc = csv ? export_csv(st, &b) : export_json(st, &b);
	sqlite3_finalize(st);
	if (rc != 0) {
		buf_release(&b);
		return cyc_send(x, 500, -1);
	}
	return http_reply_buf(x->c, MHD_HTTP_OK,
			      csv ? "text/csv; charset=utf-8"
				  : "application/json; charset=utf-8",
			      &b);
}
