/*
 * scope: the sites a prompt is posed to.  See scope.h.
 */
#include "scope.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "code.h"

#define SCOPE_PREFIX_LEN (sizeof(SCOPE_CLUSTER_PREFIX) - 1)

static int scope_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Adds the target p[0..n) (not yet trimmed) to s.  0, 1 blank, -1. */
static int scope_add(struct scope *s, const char *p, size_t n)
{
	struct scope_target *t;
	int cluster = 0;

	while (n > 0 && scope_space(*p))
		p++, n--;
	while (n > 0 && scope_space(p[n - 1]))
		n--;
	if (n == 0)
		return 1;
	if (n >= SCOPE_PREFIX_LEN &&
	    strncasecmp(p, SCOPE_CLUSTER_PREFIX, SCOPE_PREFIX_LEN) == 0) {
		cluster = 1;
		p += SCOPE_PREFIX_LEN;
		n -= SCOPE_PREFIX_LEN;
		while (n > 0 && scope_space(*p))
			p++, n--;
	}
	if (n == 0 || n > SCOPE_NAME_MAX || memchr(p, '\0', n) != NULL ||
	    s->count == SCOPE_TARGETS_MAX)
		return -1;
	t = &s->t[s->count++];
	t->cluster = cluster;
	t->bare = !cluster;
	memcpy(t->name, p, n);
	t->name[n] = '\0';
	return 0;
}

int scope_split(const char *text, size_t len, struct scope *s)
{
	size_t i = 0, end;

	s->count = 0;
	while (i <= len) {
		end = i;
		while (end < len && text[end] != ',')
			end++;
		if (scope_add(s, text + i, end - i) < 0) {
			s->count = 0;
			return -1;
		}
		i = end + 1;
	}
	return 0;
}

int scope_site_known(sqlite3 *db, const char *code)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT 1 FROM sites WHERE code = ?"
			       " AND token_hash <> '-'",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int scope_site_label(sqlite3 *db, const char *code, struct buf *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT name FROM sites WHERE code = ?", -1,
			       &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = buf_printf(out, "%s (%s)",
				(const char *)sqlite3_column_text(st, 0), code);
	else
		rc = buf_puts(out, code);
	sqlite3_finalize(st);
	return rc;
}

/* The table's spelling of cluster name into name: 1, 0 none, -1. */
static int scope_cluster_find(sqlite3 *db, char name[SCOPE_NAME_MAX + 1])
{
	sqlite3_stmt *st = NULL;
	const unsigned char *v;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT cluster FROM sites WHERE cluster = ?1"
			       " COLLATE NOCASE AND token_hash <> '-'"
			       " ORDER BY cluster = ?1 DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	v = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
	if (v != NULL && strlen((const char *)v) <= SCOPE_NAME_MAX)
		snprintf(name, SCOPE_NAME_MAX + 1, "%s", (const char *)v);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	return v != NULL;
}

int scope_site_canon(sqlite3 *db, const char *typed,
		     char out[CODE_SITE_LEN + 1])
{
	size_t i;

	for (i = 0; typed[i] != '\0' && i < CODE_SITE_LEN; i++)
		out[i] = (typed[i] >= 'a' && typed[i] <= 'z')
				 ? (char)(typed[i] - 'a' + 'A')
				 : typed[i];
	out[i] = '\0';
	if (typed[i] != '\0' || !code_site_valid(out))
		return 0;
	return scope_site_known(db, out);
}

/* Resolves one target in place: 1 found, 0 not, -1 error. */
static int scope_resolve_one(sqlite3 *db, struct scope_target *t)
{
	char code[CODE_SITE_LEN + 1];
	int rc;

	if (!t->cluster) {
		rc = scope_site_canon(db, t->name, code);
		if (rc != 0) {
			if (rc > 0)
				memcpy(t->name, code, strlen(code) + 1);
			return rc;
		}
		if (!t->bare)
			return 0;
	}
	rc = scope_cluster_find(db, t->name);
	if (rc > 0)
		t->cluster = 1;
	return rc;
}

int scope_has(const struct scope *s, const struct scope_target *t)
{
	size_t i;

	for (i = 0; i < s->count; i++)
		if (s->t[i].cluster == t->cluster &&
		    strcmp(s->t[i].name, t->name) == 0)
			return 1;
	return 0;
}

/* Drops the targets that repeat an earlier one. */
static void scope_dedupe(struct scope *s)
{
	struct scope seen;
	size_t i;

	seen.count = 0;
	for (i = 0; i < s->count; i++)
		if (!scope_has(&seen, &s->t[i]))
			seen.t[seen.count++] = s->t[i];
	memcpy(s->t, seen.t, seen.count * sizeof(s->t[0]));
	s->count = seen.count;
}

/* Appends t as it was typed, after ", " when missing is not empty. */
static int scope_missing(struct buf *missing, const struct scope_target *t)
{
	int rc = 0;

	if (missing->len > 0)
		rc |= buf_puts(missing, ", ");
	if (!t->bare)
		rc |= buf_puts(missing, SCOPE_CLUSTER_PREFIX);
	rc |= buf_puts(missing, t->name);
	return rc;
}

int scope_resolve(sqlite3 *db, struct scope *s, struct buf *missing)
{
	size_t i;
	int rc, all = 1;

	for (i = 0; i < s->count; i++) {
		rc = scope_resolve_one(db, &s->t[i]);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			all = 0;
			if (scope_missing(missing, &s->t[i]) < 0)
				return -1;
		}
		s->t[i].bare = 0;
	}
	if (!all)
		return 1;
	scope_dedupe(s);
	return 0;
}

void scope_feed(const struct scope *s, size_t i,
		char out[sizeof(SCOPE_CLUSTER_PREFIX) + SCOPE_NAME_MAX])
{
	snprintf(out, sizeof(SCOPE_CLUSTER_PREFIX) + SCOPE_NAME_MAX, "%s%s",
		 s->t[i].cluster ? SCOPE_CLUSTER_PREFIX : "", s->t[i].name);
}

int scope_text(const struct scope *s, struct buf *out)
{
	char feed[sizeof(SCOPE_CLUSTER_PREFIX) + SCOPE_NAME_MAX];
	size_t i;
	int rc = 0;

	for (i = 0; i < s->count; i++) {
		scope_feed(s, i, feed);
		if (i > 0)
			rc |= buf_putc(out, ',');
		rc |= buf_puts(out, feed);
	}
	return rc;
}

/* 1 when the site code is in cluster, 0 when not, -1 on error. */
static int scope_in_cluster(sqlite3 *db, const char *code, const char *cluster)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT 1 FROM sites WHERE code = ?"
			       " AND cluster = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cluster, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int scope_reaches(sqlite3 *db, const struct scope *s, const char *site)
{
	size_t i;
	int rc;

	if (s->count == 0)
		return 1;
	for (i = 0; i < s->count; i++) {
		if (!s->t[i].cluster) {
			if (strcmp(s->t[i].name, site) == 0)
				return 1;
			continue;
		}
		rc = scope_in_cluster(db, site, s->t[i].name);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* 1 when a site or cluster account me may pose to t, 0 not, -1. */
static int scope_target_mine(sqlite3 *db, const struct staff *me,
			     const struct scope_target *t)
{
	if (strcmp(me->role, "site") == 0)
		return !t->cluster && strcmp(t->name, me->site) == 0;
	if (strcmp(me->role, "cluster") != 0 || me->cluster[0] == '\0')
		return 0;
	if (t->cluster)
		return strcmp(t->name, me->cluster) == 0;
	return scope_in_cluster(db, t->name, me->cluster);
}

int scope_allows(sqlite3 *db, const struct staff *me, const struct scope *s,
		 const struct scope_target **refused)
{
	size_t i;
	int rc;

	if (strcmp(me->role, "district") == 0)
		return 1;
	*refused = NULL;
	if (s->count == 0)
		return 0;
	for (i = 0; i < s->count; i++) {
		rc = scope_target_mine(db, me, &s->t[i]);
		if (rc <= 0) {
			*refused = &s->t[i];
			return rc;
		}
	}
	return 1;
}

int scope_touches(sqlite3 *db, const struct staff *me, const struct scope *s)
{
	size_t i;
	int rc;

	if (me->site[0] != '\0')
		return scope_reaches(db, s, me->site);
	if (me->cluster[0] == '\0' || s->count == 0)
		return 1;
	for (i = 0; i < s->count; i++) {
		rc = s->t[i].cluster
			     ? strcmp(s->t[i].name, me->cluster) == 0
			     : scope_in_cluster(db, s->t[i].name, me->cluster);
		if (rc != 0)
			return rc;
	}
	return 0;
}
