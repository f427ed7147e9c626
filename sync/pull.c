/*
 * pull: bringing the centre's feed to a site.  See sync.h.
 *
 * The cursor lives in meta "pull_cursor".  Each page is applied to the
 * table pulled and the cursor moved past it in one transaction, so a
 * crash at any point leaves either the page and its cursor or neither:
 * no gap and no duplicate, and a cut link costs at most one page.  A 410
 * means the centre no longer has the cursor (a restore from backup): the
 * site forgets what it pulled and starts again from 0.  A notice the
 * centre asked to send by SMS queues its texts to the phones that follow
 * it in the same transaction (sms-gateway/sms_follow.h), so a page is
 * never applied without them, nor they queued twice.
 *
 * For tests, CHORUS_FAULT_PULL=N kills the process with SIGKILL after
 * its Nth write to the table pulled or the cursor (counted across pages;
 * each page writes its rows, then the cursor, then commits); it proves
 * that a page and its cursor land together.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "feed.h"
#include "../sms-gateway/sms_follow.h"
#include "store.h"
#include "sync.h"

#define PULL_PAGE 100

static long long pull_fault = -1, pull_writes;

/* The test hook: dies after the Nth write of this process's pull. */
static void pull_maybe_die(void)
{
	if (pull_fault >= 0 && ++pull_writes == pull_fault)
		raise(SIGKILL);
}

static int pull_apply(sqlite3 *db, const struct answer_page *p)
{
	char *text, cur[32], now[STORE_TIME_LEN];
	size_t i;
	int rc;

	rc = store_begin(db);
	for (i = 0; rc == SQLITE_OK && i < p->n; i++) {
		text = p->rows[i].data
			       ? json_dumps(p->rows[i].data,
					    JSON_COMPACT | JSON_SORT_KEYS)
			       : NULL;
		if (p->rows[i].data != NULL && text == NULL)
			rc = SQLITE_NOMEM;
		else
			rc = feed_apply(db, p->rows[i].kind, p->rows[i].key,
					text, p->rows[i].seq);
		/* A notice with "sms": true texts the phones that follow. */
		if (rc == SQLITE_OK && p->rows[i].data != NULL &&
		    strcmp(p->rows[i].kind, "notice") == 0)
			rc = sms_follow_notice(db, p->rows[i].data);
		free(text);
		pull_maybe_die();
	}
	snprintf(cur, sizeof(cur), "%lld", p->next);
	store_format_time(store_now_ms(), now);
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "pull_cursor", cur);
	pull_maybe_die();
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "last_pull", now);
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	return rc;
}

/* Forgets everything pulled: the centre lost the cursor. */
static int pull_reset(sqlite3 *db)
{
	int rc = store_begin(db);

	if (rc == SQLITE_OK)
		rc = store_exec(db, "DELETE FROM pulled");
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "pull_cursor", "0");
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	return rc;
}

static long long pull_cursor(sqlite3 *db)
{
	char v[32];
	long long c = 0;

	if (store_meta_get(db, "pull_cursor", v, sizeof(v)) < 0)
		return -1;
	if (v[0] != '\0' && sscanf(v, "%lld", &c) != 1)
		c = 0;
	return c < 0 ? 0 : c;
}

/* One page: 1 more to come, 0 done, -1 failed. */
static int pull_one(sqlite3 *db, const struct sync_setup *s,
		    client_stop_fn stop, long long *rows, int *auth, char *err,
		    size_t errlen)
{
	struct client_answer a;
	struct receipt_answer ra;
	struct answer_page p;
	enum receipt_verdict v;
	char path[96];
	long long since = pull_cursor(db);
	int rc, ret = -1;

	if (since < 0) {
		snprintf(err, errlen, "storage: cannot read the cursor");
		return -1;
	}
	snprintf(path, sizeof(path), "/sync/pull?since=%lld&limit=%d", since,
		 PULL_PAGE);
	if (client_request(s, path, NULL, 0, stop, &a) < 0) {
		snprintf(err, errlen, "network: %s", a.error);
		buf_release(&a.body);
		return -1;
	}
	ra = (struct receipt_answer){a.status, a.ctype, a.marker, a.body.data,
				     a.body.len};
	v = answer_pull(&ra, since, &p);
	if (v == RECEIPT_HTTP && a.status == 410) {
		rc = pull_reset(db);
		ret = rc == SQLITE_OK ? 1 : -1;
		if (rc != SQLITE_OK)
			snprintf(err, errlen, "storage: %s",
				 sqlite3_errstr(rc));
	} else if (v != RECEIPT_OK) {
		*auth = v == RECEIPT_AUTH;
		snprintf(err, errlen, "%s: HTTP %ld", receipt_word(v),
			 a.status);
	} else if ((rc = pull_apply(db, &p)) != SQLITE_OK) {
		snprintf(err, errlen, "storage: %s", sqlite3_errstr(rc));
	} else {
		*rows += (long long)p.n;
		ret = p.more;
	}
	answer_page_release(&p);
	buf_release(&a.body);
	return ret;
}

int sync_pull(sqlite3 *db, const struct sync_setup *s, client_stop_fn stop,
	      long long *rows, int *auth, char *err, size_t errlen)
{
	const char *fault = getenv("CHORUS_FAULT_PULL");
	int rc;

	if (fault != NULL && sscanf(fault, "%lld", &pull_fault) != 1)
		pull_fault = -1;
	*auth = 0;
	while ((rc = pull_one(db, s, stop, rows, auth, err, errlen)) == 1)
		if (stop != NULL && stop())
			return 0;
	return rc;
}
