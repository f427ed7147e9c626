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
 *   item     {"code", "status", "idea", "idea_status", "notice"}
 *            (scope: the item's site; see below)
 *   setting  {"name", "value"}
 * Writers may add fields; readers ignore fields they do not know.
 *
 * An item row says what a person who holds the item's code is told.
 * "status" is the item's own word (new, reviewed, ...) or "merged" while
 * it belongs to an idea; "idea" is then that idea's code and
 * "idea_status" its phase in one word (feed_idea_status()), "notice" the
 * id of the idea's latest notice; all three are null when the item is in
 * no idea.  No phone hash and no text a person sent is ever in it.
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

/*
 * The same, unless the latest row of (kind, key) already has this data
 * and scope: then nothing is appended.  For rows that are rebuilt
 * whenever something near them changes (an item's row when its idea
 * is endorsed), so that sites pull only what a person would see
 * change.  Returns an SQLite code; *added (may be NULL) gets 1 when a
 * row was appended, 0 when not, and is left alone on failure.
 */
int feed_publish_changed(sqlite3 *db, const char *kind, const char *key,
			 const char *scope, json_t *data, int *added);

/*
 * The one word a person is told about an idea (the "idea_status" of an
 * item row, and a key under sms.status. and web.idea_status.): "done"
 * once something was done (phase applied, or a decision or action with
 * status done), "decided" while a decision or action is planned or
 * under way, "declined" when every one was dropped, else the phase
 * ("consolidated", "captured", "shared").  decisions counts all the
 * idea's decisions and actions, done and dropped those with that
 * status.  phase NULL or unknown reads as "consolidated".
 */
const char *feed_idea_status(const char *phase, unsigned decisions,
			     unsigned done, unsigned dropped);

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
