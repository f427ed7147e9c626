/*
 * store: the SQLite database that every Chorus process keeps.
 *
 * A site node and the central server use the same schema; the meta row
 * "role" says which one a file is ("site" or "central").  Invariants that
 * hold in every file:
 *
 *  - The file is in WAL mode and every connection runs with
 *    synchronous=FULL and a busy timeout, so a committed row survives a
 *    crash or a power cut, and two processes (kiosk and SMS daemons) can
 *    write to one file without failing with SQLITE_BUSY.
 *  - Writes happen inside store_begin() (BEGIN IMMEDIATE) ... commit, and
 *    nothing is acknowledged to anyone before that commit returned.
 *  - PRAGMA user_version is the number of migrations applied.  A file
 *    with user_version 0 and no tables is new; a file with a version
 *    higher than this build knows is refused rather than damaged.
 *
 * Tables (the full text is in store.c):
 *
 *  meta(key, value)        settings: role, site, device, central_url,
 *                          token, public_url, phone_key, sync state.
 *  sites(code, ...)        central only: every registered site with the
 *                          SHA-256 of its token.
 *  items(n, id, code, ...) every item.  n is the local order (creation at
 *                          a site, arrival at the centre); id and code are
 *                          made at the site and never change.  At a site
 *                          sync_state is pending, sent or rejected; at the
 *                          centre it is "central" and received_at is set.
 *                          text is valid UTF-8 without NUL, at most
 *                          STORE_TEXT_MAX bytes.
 *  sms_channels(name, ...) configured SMS channels of a site node.
 *  sms_messages(...)       one row per message a gateway delivered,
 *                          unique by (channel, provider_id); it holds the
 *                          sender only as a keyed hash.
 *  contacts(hash, ...)     per phone hash: opted out or not.
 *  sms_outbox(...)         replies waiting for a gateway's send API; the
 *                          raw number (to_number) is erased as soon as
 *                          no reply to its hash is pending.
 *  sms_parts(...)          parts of long messages not yet joined.
 *  sms_rate(key, win, ...) message counts per phone hash and channel.
 *  endorsements(...)       one per (target, voter): target is the code of
 *                          an item or an idea, voter a keyed hash (phone,
 *                          browser or kiosk), never a raw identity.  Made
 *                          where cast and pushed like items.
 *  feed(seq, kind, key, scope, deleted, data)
 *                          central only: every change sites must pull
 *                          (prompts, ideas, notices, statuses, settings),
 *                          in change order; seq is the pull cursor, a
 *                          deletion is a row with deleted = 1 (tombstone).
 *                          scope NULL means every site, else a site code
 *                          or "cluster:NAME".
 *  web_rate(key, start, ...)
 *                          central only: the web's rate limits, one
 *                          window per keyed hash of what is limited.
 *  pulled(kind, key, data, seq)
 *                          site only: the latest pulled version of each
 *                          feed row, saved with the cursor in one
 *                          transaction.
 * items.parent is the code of the item that an item adds to ("CODE more
 * text" by SMS); items.prompt the prompt it answers.
 */
#ifndef CHORUS_STORE_H
#define CHORUS_STORE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_TEXT_MAX 6400 /* bytes: 1600 characters of up to 4 bytes */
#define STORE_BUSY_MS 10000

enum store_flags {
	STORE_CREATE = 1, /* make the file if missing, and migrate */
	STORE_READONLY = 2,
};

/*
 * Opens path and sets the pragmas above.  With STORE_CREATE a missing
 * file is made and migrations are applied; without it a missing file is
 * an error.  On failure writes a one-line reason into err (may be NULL)
 * and returns -1; *out is then untouched.
 */
int store_open(const char *path, int flags, sqlite3 **out, char *err,
	       size_t errlen);

/* Finalizes db's cached statements and closes it (NULL is fine). */
void store_close(sqlite3 *db);

/*
 * Applies the migrations db has not had, in one transaction, and sets
 * the role on a new file when role is not NULL.  0 or -1.
 */
int store_migrate(sqlite3 *db, const char *role, char *err, size_t errlen);

/* The file's role ("site", "central", or "" when unset) into out. */
int store_role(sqlite3 *db, char *out, size_t outlen);

/* BEGIN IMMEDIATE, COMMIT and ROLLBACK.  Each returns an SQLite code. */
int store_begin(sqlite3 *db);
int store_commit(sqlite3 *db);
int store_rollback(sqlite3 *db);

/* Runs sql that returns no rows.  Returns an SQLite code. */
int store_exec(sqlite3 *db, const char *sql);

/*
 * A prepared statement for sql on db, kept in a cache so that statements
 * on hot paths are compiled once per connection.  sql must be a string
 * literal: its address is the cache key.  The caller binds, steps, and
 * then calls store_stmt_done(), never sqlite3_finalize(); the statement
 * lives until store_close(db).  Returns NULL on error (see
 * sqlite3_errmsg(db)).  Safe from any thread, but one connection must
 * still be used by one thread at a time.
 */
sqlite3_stmt *store_stmt(sqlite3 *db, const char *sql);

/* Resets st and clears its bindings for the next use; NULL is let be. */
void store_stmt_done(sqlite3_stmt *st);

/* Runs a cached statement that returns no rows.  Returns an SQLite code. */
int store_run(sqlite3 *db, const char *sql);

/*
 * Runs the cached statement for sql (store_stmt()) with its parameters
 * bound in order from the arguments, one for each character of types:
 *
 *   t  a text, const char * (NULL binds NULL)
 *   T  a text with its length, const char * and size_t
 *   i  an int
 *   l  an int64_t
 *
 * store_do() is for statements whose rows are not read: SQLITE_OK once
 * the statement reached its end or its first row, else an SQLite code.
 * store_get_int() reads column 0 of the first row into *out:
 * SQLITE_ROW when there was one, SQLITE_DONE when not (*out untouched),
 * else an SQLite code.  Both leave the statement ready for its next use.
 */
int store_do(sqlite3 *db, const char *sql, const char *types, ...);
int store_get_int(sqlite3 *db, int64_t *out, const char *sql, const char *types,
		  ...);

/*
 * Reads meta[key] into out.  Returns 0 when found, 1 when missing (out
 * is then ""), -1 on error or when the value does not fit.
 */
int store_meta_get(sqlite3 *db, const char *key, char *out, size_t outlen);

/* Sets meta[key] = value.  Returns an SQLite code. */
int store_meta_set(sqlite3 *db, const char *key, const char *value);

/* Milliseconds since the epoch on this machine's clock. */
int64_t store_now_ms(void);

#define STORE_TIME_LEN 32

/* Formats ms since the epoch as "2026-12-03T17:19:56.123Z" into out. */
void store_format_time(int64_t ms, char out[STORE_TIME_LEN]);

/* True for the SQLite codes that mean the disk is full. */
int store_is_full(int rc);

#endif
