/*
 * scope: the sites a prompt is posed to, and who may pose it there.
 *
 * Staff write a scope as targets separated by commas: a site code (any
 * case), a cluster name, or "cluster:NAME" when a cluster is named like
 * a site code.  An empty scope is every site.  The prompts table keeps
 * the canonical text of a scope: site codes in upper case, clusters as
 * "cluster:NAME" spelled as the sites table spells them, each target
 * once, in the order given, joined by ",".  A scope of one target is the
 * same text a notice's scope is (core/feed.h), so prompts saved before
 * scopes were lists read the same.
 *
 * Who may pose a prompt to a scope (scope_allows()):
 *   district  any scope, every site included;
 *   cluster   the sites of its own cluster, or the cluster itself;
 *   site      its own site;
 *   viewer    nothing.
 *
 * Invariants of a struct scope: count <= SCOPE_TARGETS_MAX, each name is
 * non-empty UTF-8 without "," and without spaces at either end, at most
 * SCOPE_NAME_MAX bytes.  After scope_resolve() succeeded, every site
 * target names a site of the sites table and every cluster target a
 * cluster with at least one site, and no target appears twice.
 */
#ifndef CHORUS_WEB_SCOPE_H
#define CHORUS_WEB_SCOPE_H

#include <sqlite3.h>
#include <stddef.h>

#include "buf.h"
#include "cycle.h"

#define SCOPE_TEXT_MAX 1000 /* bytes of a scope as staff type it */
#define SCOPE_TARGETS_MAX 32
#define SCOPE_NAME_MAX CYCLE_CLUSTER_MAX
#define SCOPE_CLUSTER_PREFIX "cluster:"

struct scope_target {
	int cluster; /* 1: a cluster, 0: a site */
	int bare;    /* written without a prefix: a site, or else a cluster */
	char name[SCOPE_NAME_MAX + 1];
};

struct scope {
	size_t count; /* 0: every site */
	struct scope_target t[SCOPE_TARGETS_MAX];
};

/*
 * Splits text[0..len) into s without looking anything up: blank targets
 * are skipped and spaces around each are trimmed.  A target without the
 * "cluster:" prefix is taken for a site until scope_resolve() says
 * otherwise.  Returns 0, or -1 when there are more than
 * SCOPE_TARGETS_MAX targets, one is longer than SCOPE_NAME_MAX or holds
 * a NUL; s is then empty.
 */
int scope_split(const char *text, size_t len, struct scope *s);

/*
 * Resolves every target of s against the sites table of db (reserved
 * prefixes are not sites): a site code is upper-cased; a bare name that
 * is no site's code is looked up as a cluster; cluster names match
 * without regard to ASCII case and take the table's spelling; repeats
 * are dropped.  Returns 0 when every target was found, 1 when some were
 * not (each appended to missing as it was typed, ", " between them;
 * s is then unspecified), -1 on a database error.
 */
int scope_resolve(sqlite3 *db, struct scope *s, struct buf *missing);

/* Appends the canonical text of s ("" for every site).  0 or -1. */
int scope_text(const struct scope *s, struct buf *out);

/* The feed scope of target i of s ("K7" or "cluster:NAME") into out. */
void scope_feed(const struct scope *s, size_t i,
		char out[sizeof(SCOPE_CLUSTER_PREFIX) + SCOPE_NAME_MAX]);

/* 1 when s holds the same target as t, 0 when not. */
int scope_has(const struct scope *s, const struct scope_target *t);

/* 1 when code is a site's code (no reserved prefix), 0 when not, -1. */
int scope_site_known(sqlite3 *db, const char *code);

/*
 * A site code typed in any case, in capitals into out: 1 when it is a
 * site's code (no reserved prefix), 0 when not, -1 on error.
 */
int scope_site_canon(sqlite3 *db, const char *typed,
		     char out[CODE_SITE_LEN + 1]);

/*
 * Appends how staff know the site code: "Name (CODE)", or the code alone
 * when the sites table has no such site.  Nothing is escaped.  0 or -1.
 */
int scope_site_label(sqlite3 *db, const char *code, struct buf *out);

/* 1 when s reaches the site code site, 0 when not, -1 on error. */
int scope_reaches(sqlite3 *db, const struct scope *s, const char *site);

/*
 * 1 when me may pose a prompt to every site of the resolved scope s, 0
 * when not, -1 on error.  On 0, *refused is the first target me may not
 * pose to, or NULL when s is every site and me is not a district
 * account.
 */
int scope_allows(sqlite3 *db, const struct staff *me, const struct scope *s,
		 const struct scope_target **refused);

/* 1 when s reaches a site me sees (or me sees every site), 0 not, -1. */
int scope_touches(sqlite3 *db, const struct staff *me, const struct scope *s);

#endif
