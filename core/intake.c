/*
 * intake: the group-commit writer.  See intake.h.
 */
#include "intake.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "store.h"

#define INTAKE_BATCH_MAX 2000 /* jobs in one transaction */

struct intake {
	sqlite3 *db;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct intake_job *head, *tail;
	int stopping;
};

/* Takes up to INTAKE_BATCH_MAX queued jobs; waits while there are none. */
static struct intake_job *intake_take(struct intake *in)
{
	struct intake_job *batch, *last;
	int n = 1;

	pthread_mutex_lock(&in->lock);
	while (in->head == NULL && !in->stopping)
		pthread_cond_wait(&in->wake, &in->lock);
	batch = in->head;
	if (batch != NULL) {
		last = batch;
		while (last->next != NULL && n < INTAKE_BATCH_MAX) {
			last = last->next;
			n++;
		}
		in->head = last->next;
		if (in->head == NULL)
			in->tail = NULL;
		last->next = NULL;
	}
	pthread_mutex_unlock(&in->lock);
	return batch;
}

/* Runs one job inside its own savepoint. */
static void intake_apply(struct intake *in, struct intake_job *job)
{
	if (store_run(in->db, "SAVEPOINT job") != SQLITE_OK) {
		job->rc = sqlite3_extended_errcode(in->db);
		return;
	}
	job->rc = job->apply(in->db, job);
	if (job->rc != SQLITE_OK)
		store_run(in->db, "ROLLBACK TO job");
	store_run(in->db, "RELEASE job");
}

/*
 * Applies every job of batch in one transaction.  The common case pays
 * for no savepoints: every job runs plainly, and only when one fails is
 * the transaction rolled back and the batch run again with a savepoint
 * around each job, so that the failure stays its own.  Returns the
 * result of BEGIN or COMMIT.
 */
static int intake_apply_all(struct intake *in, struct intake_job *batch)
{
	struct intake_job *job;
	int rc, failed = 0;

	rc = store_run(in->db, "BEGIN IMMEDIATE");
	for (job = batch; job != NULL && rc == SQLITE_OK && !failed;
	     job = job->next) {
		job->rc = job->apply(in->db, job);
		failed = job->rc != SQLITE_OK;
	}
	if (rc == SQLITE_OK && failed) {
		store_rollback(in->db);
		rc = store_run(in->db, "BEGIN IMMEDIATE");
		for (job = batch; job != NULL && rc == SQLITE_OK;
		     job = job->next)
			intake_apply(in, job);
	}
	if (rc == SQLITE_OK)
		rc = store_run(in->db, "COMMIT");
	return rc;
}

static void intake_run(struct intake *in, struct intake_job *batch)
{
	struct intake_job *job, *next;
	int64_t t0 = store_now_ms();
	int rc;

	rc = intake_apply_all(in, batch);
	if (rc != SQLITE_OK) {
		log_error("intake: cannot commit: %s", sqlite3_errstr(rc));
		store_rollback(in->db);
		/* Give the log's pages back so that freed space is usable. */
		if (store_is_full(rc))
			store_exec(in->db, "PRAGMA wal_checkpoint(TRUNCATE)");
		for (job = batch; job != NULL; job = job->next)
			if (job->rc == SQLITE_OK)
				job->rc = rc;
	}
	log_debug("intake: batch written in %lld ms",
		  (long long)(store_now_ms() - t0));
	for (job = batch; job != NULL; job = next) {
		next = job->next;
		job->done(job);
	}
}

static void *intake_main(void *arg)
{
	struct intake *in = arg;
	struct intake_job *batch;

	for (;;) {
		batch = intake_take(in);
		if (batch == NULL)
			break;
		intake_run(in, batch);
	}
	return NULL;
}

struct intake *intake_start(const char *path, char *err, size_t errlen)
{
	struct intake *in;

	in = calloc(1, sizeof(*in));
	if (in == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (store_open(path, 0, &in->db, err, errlen) < 0)
		goto fail;
	/* Appends touch the right edge of each B-tree: a small cache does. */
	store_exec(in->db, "PRAGMA cache_size = -512");
	pthread_mutex_init(&in->lock, NULL);
	pthread_cond_init(&in->wake, NULL);
	if (pthread_create(&in->thread, NULL, intake_main, in) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		store_close(in->db);
		goto fail;
	}
	return in;

fail:
	free(in);
	return NULL;
}

void intake_submit(struct intake *in, struct intake_job *job)
{
	job->next = NULL;
	job->rc = SQLITE_OK;
	pthread_mutex_lock(&in->lock);
	if (in->tail != NULL)
		in->tail->next = job;
	else
		in->head = job;
	in->tail = job;
	pthread_cond_signal(&in->wake);
	pthread_mutex_unlock(&in->lock);
}

void intake_stop(struct intake *in)
{
	if (in == NULL)
		return;
	pthread_mutex_lock(&in->lock);
	in->stopping = 1;
	pthread_cond_signal(&in->wake);
	pthread_mutex_unlock(&in->lock);
	pthread_join(in->thread, NULL);
	pthread_mutex_destroy(&in->lock);
	pthread_cond_destroy(&in->wake);
	store_close(in->db);
	free(in);
}
