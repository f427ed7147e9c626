/*
 * ready: the readiness rule, its parser and the counts.  See ready.h.
 */
#include "ready.h"

#include <stdio.h>
#include <string.h>

#include "store.h"

static const char *const ready_terms[] = {"endorsements", "groups", "sites"};

/* Reads "NAME>=NUMBER" at s[0..len) into the matching field. */
static int ready_term(const char *s, size_t len, unsigned v[3], int seen[3])
{
	size_t i, n, k;
	unsigned long num = 0;

	for (k = 0; k < 3; k++) {
		n = strlen(ready_terms[k]);
		if (len > n + 2 && memcmp(s, ready_terms[k], n) == 0 &&
		    s[n] == '>' && s[n + 1] == '=')
			break;
	}
	if (k == 3 || seen[k])
		return -1;
	n = strlen(ready_terms[k]) + 2;
	if (len - n > 6)
		return -1;
	for (i = n; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		num = num * 10 + (unsigned long)(s[i] - '0');
	}
	if (num > READY_NUM_MAX)
		return -1;
	v[k] = (unsigned)num;
	seen[k] = 1;
	return 0;
}

int ready_parse(const char *s, size_t len, struct ready_rule *r)
{
	unsigned v[3] = {0, 0, 0};
	int seen[3] = {0, 0, 0}, any = 0;
	size_t i = 0, start;

	while (i < len) {
		while (i < len && s[i] == ' ')
			i++;
		start = i;
		while (i < len && s[i] != ' ')
			i++;
		if (i == start)
			break;
		if (ready_term(s + start, i - start, v, seen) < 0)
			return -1;
		any = 1;
	}
	if (!any)
		return -1;
	r->endorsements = v[0];
	r->groups = v[1];
	r->sites = v[2];
	return 0;
}

void ready_format(const struct ready_rule *r, char out[READY_TEXT_MAX])
{
	snprintf(out, READY_TEXT_MAX, "endorsements>=%u groups>=%u sites>=%u",
		 r->endorsements, r->groups, r->sites);
}

void ready_rule_get(sqlite3 *db, struct ready_rule *r)
{
	char text[READY_TEXT_MAX];

	if (store_meta_get(db, "ready_rule", text, sizeof(text)) != 0 ||
	    ready_parse(text, strlen(text), r) < 0)
		ready_parse(READY_DEFAULT, strlen(READY_DEFAULT), r);
}

/*
 * The targets of an idea are its own code and its items' codes; every
 * count below is over distinct values, so a person who endorsed two
 * merged items counts once.
 */
static const char ready_sql[] =
	"WITH t(code) AS (SELECT ?1 UNION SELECT item FROM idea_items"
	"  WHERE idea = ?1),"
	" e AS (SELECT voter, role, site FROM endorsements"
	"  WHERE target IN (SELECT code FROM t)),"
	" i AS (SELECT role, site FROM items WHERE code IN"
	"  (SELECT item FROM idea_items WHERE idea = ?1))"
	" SELECT (SELECT COUNT(DISTINCT voter) FROM e),"
	" (SELECT COUNT(*) FROM (SELECT role FROM i UNION SELECT role FROM e"
	"  WHERE role IS NOT NULL) WHERE role <> 'unsaid'),"
	" (SELECT COUNT(*) FROM (SELECT site FROM i UNION SELECT site FROM e"
	"  WHERE site IS NOT NULL))";

int ready_count_idea(sqlite3 *db, const char *code, struct ready_count *n)
{
	sqlite3_stmt *st = NULL;
	int ret = -1;

	if (sqlite3_prepare_v2(db, ready_sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		n->endorsements = (unsigned)sqlite3_column_int(st, 0);
		n->groups = (unsigned)sqlite3_column_int(st, 1);
		n->sites = (unsigned)sqlite3_column_int(st, 2);
		ret = 0;
	}
	sqlite3_finalize(st);
	return ret;
}

int ready_met(const struct ready_rule *r, const struct ready_count *n)
{
	return n->endorsements >= r->endorsements && n->groups >= r->groups &&
	       n->sites >= r->sites;
}
