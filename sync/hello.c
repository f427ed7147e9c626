/*
 * hello: the handshake a site opens each sync with.  See sync.h.
 *
 * The centre answers what it holds for this device.  When the site
 * believes it sent more items than that (the centre was restored from a
 * backup), the items above the centre's highest sequence go back to
 * pending, and if that still does not account for the difference, every
 * item this device sent does: the centre answers repeats "duplicate", so
 * sending too much is harmless and sending too little is not.  The same
 * holds for endorsements.  The answer's Date header is the centre's
 * clock: a site clock further off than SYNC_SKEW_MAX_MS is reported, and
 * the pending items made since the clock was last seen right are flagged
 * clock_ok = 0.  Nothing orders by the site clock, so that is all.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "log.h"
#include "store.h"
#include "sync.h"

static long long hello_count(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int hello_run(sqlite3 *db, const char *sql, const char *arg, long long n)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	sqlite3_finalize(st);
	return rc;
}

/* Sends again what the centre no longer has.  *requeued counts it. */
static int hello_requeue(sqlite3 *db, const struct sync_setup *s,
			 const struct answer_hello *h, long long *requeued)
{
	long long sent, votes;
	int rc = SQLITE_OK;

	sent = hello_count(db,
			   "SELECT count(*) FROM items WHERE device = ?1"
			   " AND sync_state = 'sent'",
			   s->device);
	votes = hello_count(db,
			    "SELECT count(*) FROM endorsements WHERE ?1"
			    " IS NOT NULL AND sync_state = 'sent'",
			    s->device);
	if (sent < 0 || votes < 0)
		return SQLITE_ERROR;
	if (sent > h->items) {
		rc = hello_run(db,
			       "UPDATE items SET sync_state = 'pending'"
			       " WHERE device = ?1 AND sync_state = 'sent'"
			       " AND seq > ?2",
			       s->device, h->high_water);
		*requeued += sqlite3_changes(db);
	}
	if (rc == SQLITE_OK && sent - *requeued > h->items) {
		rc = hello_run(db,
			       "UPDATE items SET sync_state = 'pending'"
			       " WHERE device = ?1 AND sync_state = 'sent'"
			       " AND ?2 >= 0",
			       s->device, 0);
		*requeued += sqlite3_changes(db);
	}
	if (rc == SQLITE_OK && votes > h->endorsements) {
		rc = hello_run(db,
			       "UPDATE endorsements SET sync_state = 'pending'"
			       " WHERE sync_state = 'sent' AND ?1 IS NOT NULL"
			       " AND ?2 >= 0",
			       s->device, 0);
		*requeued += sqlite3_changes(db);
	}
	return rc;
}

/* The site clock against the centre's Date header. */
static int hello_clock(sqlite3 *db, const char *date, long long *skew)
{
	char v[32];
	time_t t;
	int rc;

	*skew = 0;
	t = date[0] ? curl_getdate(date, NULL) : -1;
	if (t < 0)
		return SQLITE_OK;
	*skew = (long long)(store_now_ms() - (int64_t)t * 1000);
	snprintf(v, sizeof(v), "%lld", *skew);
	rc = store_meta_set(db, "clock_skew_ms", v);
	if (rc != SQLITE_OK)
		return rc;
	if (llabs(*skew) > SYNC_SKEW_MAX_MS)
		return hello_run(db,
				 "UPDATE items SET clock_ok = 0 WHERE"
				 " sync_state = 'pending' AND ?1 IS NOT NULL"
				 " AND n > ?2",
				 date,
				 hello_count(db,
					     "SELECT coalesce(CAST(value AS"
					     " INTEGER), 0) FROM meta"
					     " WHERE key = ?1",
					     "clock_good_n"));
	snprintf(v, sizeof(v), "%lld",
		 hello_count(db,
			     "SELECT coalesce(max(n), 0) FROM items"
			     " WHERE ?1 IS NOT NULL",
			     date));
	return store_meta_set(db, "clock_good_n", v);
}

/* Records what the handshake taught, in one transaction. */
static int hello_record(sqlite3 *db, struct sync_setup *s,
			const struct answer_hello *h, const char *date,
			struct sync_hello *out)
{
	char v[32];
	int rc;

	rc = store_begin(db);
	if (rc != SQLITE_OK)
		return rc;
	rc = hello_requeue(db, s, h, &out->requeued);
	if (rc == SQLITE_OK)
		rc = hello_clock(db, date, &out->skew_ms);
	snprintf(v, sizeof(v), "%lld", h->seq_block);
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "seq_block", v);
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	return rc;
}

int sync_hello(sqlite3 *db, struct sync_setup *s, client_stop_fn stop,
	       struct sync_hello *out, char *err, size_t errlen)
{
	struct client_answer a;
	struct answer_hello h;
	struct receipt_answer ra;
	enum receipt_verdict v;
	char body[256];
	int n, rc;

	memset(out, 0, sizeof(*out));
	n = snprintf(body, sizeof(body),
		     "{\"chorus\":\"sync/1\",\"site\":\"%s\",\"device\":"
		     "\"%s\",\"sent_at\":%lld}",
		     s->site, s->device, (long long)store_now_ms());
	if (client_request(s, "/sync/hello", body, (size_t)n, stop, &a) < 0) {
		snprintf(err, errlen, "network: %s", a.error);
		buf_release(&a.body);
		return SYNC_HELLO_NETWORK;
	}
	ra = (struct receipt_answer){a.status, a.ctype, a.marker, a.body.data,
				     a.body.len};
	v = answer_hello(&ra, &h);
	if (v != RECEIPT_OK) {
		snprintf(err, errlen, "%s: HTTP %ld", receipt_word(v),
			 a.status);
		buf_release(&a.body);
		return v == RECEIPT_AUTH ? SYNC_HELLO_AUTH : SYNC_HELLO_BAD;
	}
	rc = hello_record(db, s, &h, a.date, out);
	buf_release(&a.body);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "storage: %s", sqlite3_errstr(rc));
		return SYNC_HELLO_STORAGE;
	}
	s->batch = h.batch_max < SYNC_BATCH ? (size_t)h.batch_max : SYNC_BATCH;
	s->body_max = (size_t)h.body_max;
	out->clock_wrong = llabs(out->skew_ms) > SYNC_SKEW_MAX_MS;
	return SYNC_HELLO_OK;
}
