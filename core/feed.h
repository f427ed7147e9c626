/*
 * feed: what the centre publishes for sites to pull.
 *
 * Every change a site must see offline (a prompt to ask, an idea or a
 * notice to show and endorse, a new status of one of its items, a site
 * setting) is appended to the central table feed as one row, in change
 * order; feed.seq is the cursor sites pull by.  A row names a kind and a
 * key (the same key again replaces the earlier version at the site) and
 * a scope: NULL for every site, a site code, or "cluster:NAME".  A
 * deletion is a row with deleted = 1 and no data (a tombstone), so sites
 * learn of it too.  Sites keep the latest version of each (kind, key) in
 * the table pulled, written in the same transaction as their cursor.
 *
 * The kinds, and what data holds (a JSON object):
 *   prompt   {"id", "text": {"en": ..., "es": ...}, "starts", "ends"}
 *   idea     {"code", "title", "status", "endorsements", "ready"}
 *   notice   {"id", "idea", "title", "body", "lang"}
 *   item     {"code", "status"}            (scope: the item's site)
 *   setting  {"name", "value"}
 * Writers may add fields; readers ignore fields they do not know.
 */
#ifndef CHORUS_FEED_H
#define CHORUS_FEED_H

#include <jansson.h>
#include <sqlite3.h>

/*
 * Appends a new version of (kind, key) for scope (NULL: every site),
 * inside a transaction the caller has begun.  data is borrowed.  Returns
 * an SQLite code.
 */
int feed_publish(sqlite3 *db, const char *kind, const char *key,
		 const char *scope, json_t *data);

/* Appends a tombstone for (kind, key).  Returns an SQLite code. */
int feed_delete(sqlite3 *db, const char *kind, const char *key,
		const char *scope);

/*
 * Site side: applies one pulled row (data NULL for a tombstone) to the
 * table pulled, inside the caller's transaction.  Returns an SQLite code.
 */
int feed_apply(sqlite3 *db, const char *kind, const char *key, const char *data,
	       long long seq);

/*
 * Site side: the data of the pulled row (kind, key) as a new JSON
 * object (json_decref it), or NULL when there is none.
 */
json_t *feed_pulled(sqlite3 *db, const char *kind, const char *key);

#endif
