/*
 * waves: the cycle over time, where it breaks, and where ideas spread.
 *
 * /staff/waves draws, per month (or per prompt with ?by=prompt), the
 * items that came in and the ideas that moved to each phase, as one SVG
 * of grouped bars of a fixed size (waves_svg), a legend of the phases
 * and a table of the same numbers for screen readers.  /staff/gaps
 * lists ideas stuck in a phase longer than ?days= (default 30), sites
 * whose input never reached sharing, and groups and languages heard
 * less than half as often as their share of a site's population
 * (entered on /staff/sites), then where each idea spread.  Every word
 * around the figures comes from the catalogues, in the reader's
 * language.
 */
#include <stdio.h>
#include <string.h>

#include "cycle.h"
#include "store.h"

#define WAVES_ROWS 24
#define WAVES_SERIES 5

static const char *const waves_series[WAVES_SERIES] = {
	"items", "consolidated", "captured", "shared", "applied",
};
static const char *const waves_colours[WAVES_SERIES] = {
	"#1d4e89", "#6a3d9a", "#b35c00", "#1b7837", "#8b0000",
};

/* SQL laid out by hand; clang-format would break its lines. */
/* clang-format off */
static const char waves_month_sql[] =
	"SELECT k, sum(s = 'items'), sum(s = 'consolidated'),"
	" sum(s = 'captured'), sum(s = 'shared'), sum(s = 'applied') FROM ("
	" SELECT strftime('%Y-%m', received_at / 1000, 'unixepoch') AS k,"
	"  'items' AS s FROM items i"
	"  WHERE received_at IS NOT NULL AND " CYC_SCOPE_SQL("i.site")
	" UNION ALL"
	" SELECT strftime('%Y-%m', at / 1000, 'unixepoch'), phase"
	"  FROM phases ph WHERE " CYC_IDEA_SCOPE_SQL("ph.idea")
	") GROUP BY k ORDER BY k DESC LIMIT 24";

static const char waves_prompt_sql[] =
	"SELECT p.id,"
	" (SELECT count(*) FROM items i"
	"  WHERE i.prompt = p.id AND " CYC_SCOPE_SQL("i.site") "),"
	" (SELECT count(DISTINCT ii.idea) FROM items i"
	"  JOIN idea_items ii ON ii.item = i.code WHERE i.prompt = p.id),"
	" (SELECT count(DISTINCT ii.idea) FROM items i"
	"  JOIN idea_items ii ON ii.item = i.code"
	"  JOIN ideas d ON d.code = ii.idea"
	"  WHERE i.prompt = p.id"
	"  AND d.phase IN ('captured', 'shared', 'applied')),"
	" (SELECT count(DISTINCT ii.idea) FROM items i"
	"  JOIN idea_items ii ON ii.item = i.code"
	"  JOIN ideas d ON d.code = ii.idea"
	"  WHERE i.prompt = p.id AND d.phase IN ('shared', 'applied')),"
	" (SELECT count(DISTINCT ii.idea) FROM items i"
	"  JOIN idea_items ii ON ii.item = i.code"
	"  JOIN ideas d ON d.code = ii.idea"
	"  WHERE i.prompt = p.id AND d.phase = 'applied')"
	" FROM prompts p ORDER BY p.n DESC LIMIT 24";
/* clang-format on */

/*
 * A row of the chart: key is the month ("2026-12") or the prompt; mon and
 * year are what the chart writes under its bars ("Dec" over "2026"), name
 * what the table writes ("December 2026"), in the reader's language.  By
 * prompt, mon and name are the prompt and year is empty.
 */
struct waves_row {
	char key[24];
	char mon[24];
	char year[8];
	char name[48];
	long long v[WAVES_SERIES];
};

/*
 * The chart has a fixed size whatever the number of rows: a group of
 * WAVES_SERIES bars per row shares WAVES_W, and a group is never wider
 * than WAVES_GROUP_MAX, so one month draws as a narrow group on the left
 * rather than one bar as wide as the page.  The page scales it down
 * (max-width: 100%) and keeps its aspect.
 */
#define WAVES_W 640
#define WAVES_H 280
#define WAVES_PLOT_H 220
#define WAVES_LEFT 10
#define WAVES_GROUP_MAX 100

/* The bars of one row at x = left, with the row's label under them and
 * its year too when year is set. */
static int waves_bars(struct cyc *x, const struct waves_row *r, int left,
		      int bw, long long max, int year)
{
	int rc = 0, hgt;
	size_t k;

	for (k = 0; k < WAVES_SERIES; k++) {
		hgt = (int)(r->v[k] * WAVES_PLOT_H / max);
		rc |= buf_printf(&x->out,
				 "<rect x=\"%d\" y=\"%d\" width=\"%d\""
				 " height=\"%d\" fill=\"%s\"/>",
				 left + (int)k * bw, WAVES_PLOT_H - hgt + 10,
				 bw - 1, hgt, waves_colours[k]);
	}
	rc |= buf_printf(&x->out, "<text x=\"%d\" y=\"%d\" font-size=\"11\">",
			 left, WAVES_PLOT_H + 26);
	rc |= cyc_e(x, r->mon);
	rc |= buf_puts(&x->out, "</text>");
	if (year && r->year[0] != '\0') {
		rc |= buf_printf(&x->out,
				 "<text x=\"%d\" y=\"%d\" font-size=\"11\">",
				 left, WAVES_PLOT_H + 40);
		rc |= cyc_e(x, r->year);
		rc |= buf_puts(&x->out, "</text>");
	}
	return rc;
}

static int waves_svg(struct cyc *x, const struct waves_row *rows, size_t n)
{
	long long max = 1;
	size_t i, k;
	int rc = 0, gw, bw;

	for (i = 0; i < n; i++)
		for (k = 0; k < WAVES_SERIES; k++)
			if (rows[i].v[k] > max)
				max = rows[i].v[k];
	gw = n > 0 ? (WAVES_W - 2 * WAVES_LEFT) / (int)n : WAVES_GROUP_MAX;
	if (gw > WAVES_GROUP_MAX)
		gw = WAVES_GROUP_MAX;
	bw = (gw - 4) / WAVES_SERIES;
	rc |= buf_printf(&x->out,
			 "<svg class=\"waves\" xmlns=\"http://www.w3.org/2000/"
			 "svg\" width=\"%d\" height=\"%d\""
			 " viewBox=\"0 0 %d %d\" role=\"img\""
			 " aria-labelledby=\"waves-title\"><title"
			 " id=\"waves-title\">",
			 WAVES_W, WAVES_H, WAVES_W, WAVES_H);
	rc |= cyc_tx(x, "staff.waves.title");
	rc |= buf_puts(&x->out, "</title>");
	rc |= buf_printf(&x->out,
			 "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
			 " stroke=\"#888\"/>",
			 WAVES_PLOT_H + 10, WAVES_W, WAVES_PLOT_H + 10);

	/* Oldest on the left: rows come newest first.  The year is written
	 * under the first month and under each that starts a new year. */
	for (i = 0; i < n; i++)
		rc |= waves_bars(x, &rows[n - 1 - i], WAVES_LEFT + (int)i * gw,
				 bw, max,
				 i == 0 || strcmp(rows[n - 1 - i].year,
						  rows[n - i].year) != 0);
	rc |= buf_puts(&x->out, "</svg>\n");
	return rc;
}

/* The colours of the chart and what each stands for. */
static int waves_legend(struct cyc *x)
{
	char key[48];
	size_t k;
	int rc = 0;

	rc |= buf_puts(&x->out, "<ul class=\"legend\" aria-label=\"");
	rc |= cyc_tx(x, "staff.waves.legend");
	rc |= buf_puts(&x->out, "\">");
	for (k = 0; k < WAVES_SERIES; k++) {
		snprintf(key, sizeof(key), "staff.waves.%s", waves_series[k]);
		rc |= buf_printf(&x->out,
				 "<li><svg width=\"14\" height=\"14\""
				 " aria-hidden=\"true\"><rect width=\"14\""
				 " height=\"14\" fill=\"%s\"/></svg> ",
				 waves_colours[k]);
		rc |= cyc_tx(x, key);
		rc |= buf_puts(&x->out, "</li>");
	}
	rc |= buf_puts(&x->out, "</ul>\n");
	return rc;
}

static int waves_table(struct cyc *x, const struct waves_row *rows, size_t n)
{
	char key[48];
	size_t i, k;
	int rc = 0;

	rc |= buf_puts(&x->out, "<table class=\"list waves\"><caption>");
	rc |= cyc_tx(x, "staff.waves.table");
	rc |= buf_puts(&x->out, "</caption><thead><tr><th></th>");
	for (k = 0; k < WAVES_SERIES; k++) {
		snprintf(key, sizeof(key), "staff.waves.%s", waves_series[k]);
		rc |= buf_puts(&x->out, "<th scope=\"col\">");
		rc |= cyc_tx(x, key);
		rc |= buf_puts(&x->out, "</th>");
	}
	rc |= buf_puts(&x->out, "</tr></thead><tbody>\n");
	for (i = 0; i < n; i++) {
		rc |= buf_puts(&x->out, "<tr><th scope=\"row\">");
		rc |= cyc_e(x, rows[i].name);
		rc |= buf_puts(&x->out, "</th>");
		for (k = 0; k < WAVES_SERIES; k++)
			rc |= buf_printf(&x->out, "<td>%lld</td>",
					 rows[i].v[k]);
		rc |= buf_puts(&x->out, "</tr>\n");
	}
	rc |= buf_puts(&x->out, "</tbody></table>\n");
	return rc;
}

/* Fills r's labels from its key: a month's names, or the prompt as is. */
static void waves_label(struct cyc *x, struct waves_row *r, int by_prompt)
{
	char mon[24], month[24];
	int y, m;

	if (by_prompt || sscanf(r->key, "%4d-%2d", &y, &m) != 2 || m < 1 ||
	    m > 12) {
		snprintf(r->mon, sizeof(r->mon), "%.23s", r->key);
		snprintf(r->name, sizeof(r->name), "%.23s", r->key);
		r->year[0] = '\0';
		return;
	}
	snprintf(mon, sizeof(mon), "date.mon.%d", m);
	snprintf(month, sizeof(month), "date.month.%d", m);
	snprintf(r->mon, sizeof(r->mon), "%s", cyc_t(x, mon));
	snprintf(r->year, sizeof(r->year), "%d", y);
	snprintf(r->name, sizeof(r->name), "%s %d", cyc_t(x, month), y);
}

enum MHD_Result waves_page(struct cyc *x)
{
	struct waves_row rows[WAVES_ROWS];
	int by_prompt = strcmp(cyc_str(&x->q, "by", 10), "prompt") == 0;
	sqlite3_stmt *st = NULL;
	const char *k;
	size_t n = 0, i;
	int rc = 0;

	if (sqlite3_prepare_v2(x->db,
			       by_prompt ? waves_prompt_sql : waves_month_sql,
			       -1, &st, NULL) != SQLITE_OK)
		return cyc_send(x, 500, -1);
	cyc_bind_scope(x, st);
	while (n < WAVES_ROWS && sqlite3_step(st) == SQLITE_ROW) {
		k = (const char *)sqlite3_column_text(st, 0);
		snprintf(rows[n].key, sizeof(rows[n].key), "%s", k ? k : "?");
		for (i = 0; i < WAVES_SERIES; i++)
			rows[n].v[i] = sqlite3_column_int64(st, (int)i + 1);
		waves_label(x, &rows[n], by_prompt);
		n++;
	}
	sqlite3_finalize(st);
	rc |= cyc_staff_top(x, cyc_t(x, "staff.waves.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.waves.title");
	rc |= buf_puts(&x->out, "</h1>\n<p><a href=\"/staff/waves\">");
	rc |= cyc_tx(x, "staff.waves.by_month");
	rc |= buf_puts(&x->out, "</a> <a href=\"/staff/waves?by=prompt\">");
	rc |= cyc_tx(x, "staff.waves.by_prompt");
	rc |= buf_puts(&x->out, "</a></p>\n");
	rc |= waves_svg(x, rows, n);
	rc |= waves_legend(x);
	rc |= waves_table(x, rows, n);
	return cyc_send(x, MHD_HTTP_OK, rc);
}

/* ---- gaps --------------------------------------------------------------- */

/* Writes one row of a gaps list, inside its <li>. */
typedef int (*gaps_row_fn)(struct cyc *x, sqlite3_stmt *st);

/* "12 of 40 items" in the reader's language. */
static int gaps_share(struct cyc *x, sqlite3_stmt *st, int col,
		      const char *what_key)
{
	int rc = buf_printf(&x->out, "%lld ", sqlite3_column_int64(st, col));

	rc |= cyc_tx(x, "staff.gaps.of");
	rc |= buf_printf(&x->out, " %lld ", sqlite3_column_int64(st, col + 1));
	rc |= cyc_tx(x, what_key);
	return rc;
}

/* A silent site: code, name, and how many items it sent. */
static int gaps_silent_row(struct cyc *x, sqlite3_stmt *st)
{
	int rc = 0;

	rc |= cyc_col(x, st, 0);
	rc |= buf_puts(&x->out, " ");
	rc |= cyc_col(x, st, 1);
	rc |= buf_printf(&x->out, ": %lld ", sqlite3_column_int64(st, 2));
	rc |= cyc_tx(x, "staff.gaps.items");
	return rc;
}

/* A group heard too little: site, the group or language by name, and
 * its share of the items against its share of the people. */
static int gaps_heard_row(struct cyc *x, sqlite3_stmt *st)
{
	const char *grp = (const char *)sqlite3_column_text(st, 2);
	char key[48];
	int rc = 0;

	snprintf(key, sizeof(key), "%s%.20s",
		 sqlite3_column_int(st, 3) ? "lang.in." : "role.",
		 grp ? grp : "");
	rc |= cyc_col(x, st, 0);
	rc |= buf_puts(&x->out, " ");
	rc |= cyc_col(x, st, 1);
	rc |= buf_puts(&x->out, ": ");
	rc |= cyc_tx(x, key);
	rc |= buf_puts(&x->out, ", ");
	rc |= gaps_share(x, st, 4, "staff.gaps.items");
	rc |= buf_puts(&x->out, "; ");
	rc |= gaps_share(x, st, 6, "staff.gaps.people");
	return rc;
}

/* The plain row: the first column (linked to the idea when link), then
 * the others after a colon. */
static int gaps_plain_row(struct cyc *x, sqlite3_stmt *st, int link)
{
	int rc = 0, i, n = sqlite3_column_count(st);

	if (link) {
		rc |= buf_puts(&x->out, "<a class=\"code\""
					" href=\"/staff/ideas/");
		rc |= cyc_col(x, st, 0);
		rc |= buf_puts(&x->out, "\">");
	}
	rc |= cyc_col(x, st, 0);
	rc |= buf_puts(&x->out, link ? "</a>" : "");
	for (i = 1; i < n; i++) {
		rc |= buf_puts(&x->out, i == 1 ? ": " : ", ");
		rc |= cyc_col(x, st, i);
	}
	return rc;
}

static int gaps_idea_row(struct cyc *x, sqlite3_stmt *st)
{
	return gaps_plain_row(x, st, 1);
}

/* Runs sql (scope-bound, :arg = a number) and writes each row as <li>
 * with row. */
static int gaps_list(struct cyc *x, const char *title_key, const char *sql,
		     long long arg, gaps_row_fn row)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, any = 0;

	if (sqlite3_prepare_v2(x->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	cyc_bind_scope(x, st);
	if (sqlite3_bind_parameter_index(st, ":arg") > 0)
		sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":arg"),
				   arg);
	rc |= buf_puts(&x->out, "<h2>");
	rc |= cyc_tx(x, title_key);
	rc |= buf_puts(&x->out, "</h2>\n<ul>\n");
	while (sqlite3_step(st) == SQLITE_ROW) {
		any = 1;
		rc |= buf_puts(&x->out, "<li>");
		rc |= row(x, st);
		rc |= buf_puts(&x->out, "</li>\n");
	}
	sqlite3_finalize(st);
	if (!any) {
		rc |= buf_puts(&x->out, "<li>");
		rc |= cyc_tx(x, "staff.gaps.none");
		rc |= buf_puts(&x->out, "</li>\n");
	}
	rc |= buf_puts(&x->out, "</ul>\n");
	return rc;
}

/* SQL laid out by hand; clang-format would break its lines. */
/* clang-format off */
static const char gaps_stuck_sql[] =
	"SELECT d.code, d.title, d.phase FROM ideas d"
	" WHERE d.phase <> 'applied' AND " CYC_SCOPE_SQL("d.site")
	" AND COALESCE((SELECT max(at) FROM phases WHERE idea = d.code),"
	"  d.created_at) < :arg"
	" ORDER BY d.updated_at LIMIT 200";

static const char gaps_silent_sql[] =
	"SELECT s.code, s.name,"
	" (SELECT count(*) FROM items i WHERE i.site = s.code)"
	" FROM sites s"
	" WHERE s.token_hash <> '-' AND " CYC_SCOPE_SQL("s.code")
	" AND EXISTS (SELECT 1 FROM items i WHERE i.site = s.code)"
	" AND NOT EXISTS (SELECT 1 FROM items i"
	"  JOIN idea_items ii ON ii.item = i.code"
	"  JOIN ideas d ON d.code = ii.idea"
	"  WHERE i.site = s.code AND d.phase IN ('shared', 'applied'))"
	" AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.scope = s.code)"
	" ORDER BY s.code";

/*
 * Per site and group: the share of items against the share of the
 * site's population; listed when under half.  Languages: Spanish items
 * against the Spanish-speaking count.  Each row: site, its name, the
 * group (a role, or a language code when is_lang), is_lang, items of
 * the group, all items, people of the group, all people.  The words
 * around the numbers are written in C (gaps_heard_row), in the reader's
 * language.
 */
static const char gaps_heard_sql[] =
	"WITH c AS (SELECT site, role, lang FROM items i"
	"  WHERE " CYC_SCOPE_SQL("i.site") "),"
	" t AS (SELECT site, count(*) AS n FROM c GROUP BY site),"
	" g(site, grp, people) AS ("
	"  SELECT site, 'student', student FROM populations"
	"  UNION ALL SELECT site, 'family', family FROM populations"
	"  UNION ALL SELECT site, 'staff', staff FROM populations"
	"  UNION ALL SELECT site, 'community', community FROM populations),"
	" p AS (SELECT site, student + family + staff + community AS all_"
	"  FROM populations),"
	" h AS (SELECT g.site, g.grp, 0 AS is_lang,"
	"   (SELECT count(*) FROM c"
	"    WHERE c.site = g.site AND c.role = g.grp) AS heard,"
	"   t.n, g.people, p.all_ AS everyone"
	"  FROM g JOIN t ON t.site = g.site JOIN p ON p.site = g.site"
	"  WHERE p.all_ > 0 AND g.people > 0"
	"  UNION ALL SELECT p.site, 'es', 1,"
	"   (SELECT count(*) FROM c WHERE c.site = p.site AND c.lang = 'es'),"
	"   t.n, p.lang_es, p.enrolment"
	"  FROM populations p JOIN t ON t.site = p.site"
	"  WHERE p.enrolment > 0)"
	" SELECT h.site, s.name, h.grp, h.is_lang, h.heard, h.n, h.people,"
	"  h.everyone FROM h LEFT JOIN sites s ON s.code = h.site"
	" WHERE 2.0 * h.heard / h.n < 1.0 * h.people / h.everyone";

static const char gaps_spread_sql[] =
	"SELECT d.code, d.title, group_concat(DISTINCT s.site),"
	" group_concat(DISTINCT st.cluster) FROM ideas d"
	" JOIN (SELECT ii.idea, i.site FROM idea_items ii"
	"  JOIN items i ON i.code = ii.item"
	"  UNION SELECT idea, site FROM decisions) s ON s.idea = d.code"
	" LEFT JOIN sites st ON st.code = s.site"
	" WHERE " CYC_SCOPE_SQL("d.site")
	" GROUP BY d.code HAVING count(DISTINCT s.site) > 1"
	" ORDER BY count(DISTINCT s.site) DESC LIMIT 200";
/* clang-format on */

enum MHD_Result gaps_page(struct cyc *x)
{
	const char *d = cyc_str(&x->q, "days", 5);
	long long days = 0;
	int rc = 0;

	for (; *d >= '0' && *d <= '9'; d++)
		days = days * 10 + (*d - '0');
	if (days <= 0)
		days = 30;
	rc |= cyc_staff_top(x, cyc_t(x, "staff.gaps.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.gaps.title");
	rc |= buf_printf(&x->out, "</h1>\n<form method=\"get\" action=\""
				  "/staff/gaps\"><label for=\"days\">");
	rc |= cyc_tx(x, "staff.gaps.days");
	rc |= buf_printf(&x->out,
			 "</label> <input id=\"days\" name=\"days\""
			 " type=\"number\" min=\"1\" max=\"9999\""
			 " value=\"%lld\"> <button type=\"submit\">",
			 days);
	rc |= cyc_tx(x, "staff.inbox.apply");
	rc |= buf_puts(&x->out, "</button></form>\n");
	rc |= gaps_list(x, "staff.gaps.stuck", gaps_stuck_sql,
			store_now_ms() - days * 86400000LL, gaps_idea_row);
	rc |= gaps_list(x, "staff.gaps.silent", gaps_silent_sql, 0,
			gaps_silent_row);
	rc |= gaps_list(x, "staff.gaps.heard", gaps_heard_sql, 0,
			gaps_heard_row);
	rc |= gaps_list(x, "staff.gaps.spread", gaps_spread_sql, 0,
			gaps_idea_row);
	return cyc_send(x, MHD_HTTP_OK, rc);
}

/* ---- sites and their population ------------------------------------------ */

#define SITES_FIELDS 6
#define SITES_NUM_MAX 10000000
#define SITES_TYPED_MAX 40 /* bytes of a number as typed and kept */

static const char *const sites_fields[SITES_FIELDS + 1] = {
	"enrolment", "student", "family", "staff", "community", "lang_es", NULL,
};

/* A population as posted for one site, and which numbers are bad. */
struct sites_input {
	const char *site;
	const char *typed[SITES_FIELDS];
	long long value[SITES_FIELDS];
	int bad[SITES_FIELDS];
	int nbad;
};

/* The value of field i in a row: as typed when the row was refused. */
static int sites_value(struct cyc *x, sqlite3_stmt *st,
		       const struct sites_input *in, int i)
{
	if (in == NULL)
		return buf_printf(&x->out, "%lld",
				  sqlite3_column_int64(st, 3 + i));
	return cyc_e(x, in->typed[i]);
}

static int sites_row(struct cyc *x, sqlite3_stmt *st,
		     const struct sites_input *refused)
{
	const char *code = (const char *)sqlite3_column_text(st, 0);
	const struct sites_input *in =
		refused && strcmp(refused->site, code) == 0 ? refused : NULL;
	char key[48];
	int rc = 0, i;

	rc |= buf_puts(&x->out, "<tr><th scope=\"row\">");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, " ");
	rc |= cyc_col(x, st, 1);
	rc |= buf_puts(&x->out, "</th><td>");
	rc |= cyc_col(x, st, 2);
	rc |= buf_puts(&x->out, "</td><td><form class=\"inline\""
				" method=\"post\" action=\"/staff/sites\">");
	for (i = 0; sites_fields[i] != NULL; i++) {
		snprintf(key, sizeof(key), "staff.sites.%s", sites_fields[i]);
		rc |= buf_printf(&x->out, "<label for=\"%s-%s\">",
				 sites_fields[i], code);
		rc |= cyc_tx(x, key);
		rc |= buf_printf(&x->out,
				 "</label> <input id=\"%s-%s\" name=\"%s\""
				 " type=\"number\" min=\"0\" max=\"10000000\""
				 " size=\"6\"%s value=\"",
				 sites_fields[i], code, sites_fields[i],
				 in && in->bad[i] ? " aria-invalid=\"true\""
						  : "");
		rc |= sites_value(x, st, in, i);
		rc |= buf_puts(&x->out, "\"> ");
	}
	rc |= buf_puts(&x->out,
		       "<input type=\"hidden\" name=\"site\" value=\"");
	rc |= cyc_e(x, code);
	rc |= buf_puts(&x->out, "\">");
	rc |= cyc_csrf(x);
	rc |= buf_puts(&x->out, "<button type=\"submit\">");
	rc |= cyc_tx(x, "staff.idea.save");
	rc |= buf_puts(&x->out, "</button></form></td></tr>\n");
	return rc;
}

/* The note above the table: saved, or each number refused. */
static int sites_note(struct cyc *x, const struct sites_input *in)
{
	const char *vars[] = {"site", "", "field", "", "typed", "", NULL};
	char key[48];
	int rc = 0, i;

	if (in == NULL) {
		vars[1] = cyc_str(&x->q, "saved", CODE_SITE_LEN);
		if (!code_site_valid(vars[1]))
			return 0;
		rc |= buf_puts(&x->out, "<p class=\"ok\" role=\"status\">");
		rc |= cyc_txv(x, "staff.sites.saved", vars);
		return rc | buf_puts(&x->out, "</p>\n");
	}
	vars[1] = in->site;
	rc |= buf_puts(&x->out, "<p class=\"error\" role=\"alert\">");
	rc |= cyc_tx(x, "staff.unsaved.title");
	for (i = 0; i < SITES_FIELDS; i++) {
		if (!in->bad[i])
			continue;
		snprintf(key, sizeof(key), "staff.sites.%s", sites_fields[i]);
		vars[3] = cyc_t(x, key);
		vars[5] = in->typed[i];
		rc |= buf_puts(&x->out, "<br>");
		rc |= cyc_txv(x, "staff.sites.bad_field", vars);
	}
	return rc | buf_puts(&x->out, "</p>\n");
}

/* The page; refused is a population that was not saved, or NULL. */
static enum MHD_Result sites_render(struct cyc *x, unsigned status,
				    const struct sites_input *refused)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	rc |= cyc_staff_top(x, cyc_t(x, "staff.sites.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.sites.title");
	rc |= buf_puts(&x->out, "</h1>\n");
	rc |= sites_note(x, refused);
	rc |= buf_puts(&x->out, "<p>");
	rc |= cyc_tx(x, "staff.sites.intro");
	rc |= buf_puts(&x->out, "</p>\n<table class=\"list\"><tbody>\n");
	if (sqlite3_prepare_v2(
		    x->db,
		    "SELECT s.code, s.name, s.cluster,"
		    " COALESCE(p.enrolment, 0), COALESCE(p.student, 0),"
		    " COALESCE(p.family, 0), COALESCE(p.staff, 0),"
		    " COALESCE(p.community, 0), COALESCE(p.lang_es, 0)"
		    " FROM sites s LEFT JOIN populations p ON p.site = s.code"
		    " WHERE s.token_hash <> '-' AND " CYC_SCOPE_SQL(
			    "s.code") " ORDER BY s.code",
		    -1, &st, NULL) != SQLITE_OK)
		return cyc_send(x, 500, -1);
	cyc_bind_scope(x, st);
	while (sqlite3_step(st) == SQLITE_ROW)
		rc |= sites_row(x, st, refused);
	sqlite3_finalize(st);
	rc |= buf_puts(&x->out, "</tbody></table>\n");
	return cyc_send(x, status, rc);
}

enum MHD_Result sites_page(struct cyc *x)
{
	return sites_render(x, MHD_HTTP_OK, NULL);
}

/* A whole number 0..SITES_NUM_MAX in s, digits only.  0 or -1. */
static int sites_number(const char *s, long long *out)
{
	long long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > SITES_NUM_MAX)
			return -1;
	}
	if (*s != '\0')
		return -1;
	*out = v;
	return 0;
}

/* The posted numbers into in; the number of bad ones. */
static int sites_read(struct cyc *x, const char *site, struct sites_input *in)
{
	int i;

	memset(in, 0, sizeof(*in));
	in->site = site;
	for (i = 0; i < SITES_FIELDS; i++) {
		in->typed[i] = cyc_str(&x->f, sites_fields[i], SITES_TYPED_MAX);
		if (sites_number(in->typed[i], &in->value[i]) < 0) {
			in->bad[i] = 1;
			in->nbad++;
		}
	}
	return in->nbad;
}

enum MHD_Result sites_post(struct cyc *x)
{
	const char *site = cyc_str(&x->f, "site", 2);
	struct sites_input in;
	sqlite3_stmt *st = NULL;
	char where[64];
	int i, rc;

	if (!code_site_valid(site) || !cyc_writes(x, site))
		return cyc_message(x, 403, "staff.forbidden.title",
				   "staff.forbidden.body");
	if (sites_read(x, site, &in) > 0)
		return sites_render(x, MHD_HTTP_BAD_REQUEST, &in);
	rc = store_begin(x->db);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(
			x->db,
			"INSERT OR REPLACE INTO populations (site, enrolment,"
			" student, family, staff, community, lang_es)"
			" VALUES (?, ?, ?, ?, ?, ?, ?)",
			-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
		for (i = 0; i < SITES_FIELDS; i++)
			sqlite3_bind_int64(st, i + 2, in.value[i]);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK)
		rc = cycle_audit(x->db, x->me.id, "site.population", site,
				 NULL);
	if (rc == SQLITE_OK)
		rc = store_commit(x->db);
	if (rc != SQLITE_OK) {
		store_rollback(x->db);
		return cyc_message(x, 503, "staff.error.title",
				   "staff.error.body");
	}
	snprintf(where, sizeof(where), "/staff/sites?saved=%s&lang=%s", site,
		 x->lang);
	return cyc_redirect(x, where);
}
