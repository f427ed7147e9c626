/*
 * store_fill: fills the disk under a site database through intake, then
 * frees space and writes again in the same process, for
 * tests/it/store_full_disk.sh.
 *
 *   store_fill DB FILLER
 *
 * 1. Writes items of 1000 bytes, one job at a time, until a job fails,
 *    then tries FULL_TRIES more; every failure must be reported as "disk
 *    full" (store_is_full).
 * 2. Removes FILLER, a file the caller made on the same file system, so
 *    that there is room again.
 * 3. Writes AFTER_ITEMS more items, which must all commit.
 *
 * Prints "acked N full N other N after N" (after = items committed in
 * step 3) and exits 0 when all of the above held, 1 otherwise.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "intake.h"
#include "item.h"
#include "store.h"

#define FILL_TEXT 1000
#define FILL_MAX 100000 /* the disk must fill before this many items */
#define FULL_TRIES 5
#define AFTER_ITEMS 5

struct fill_job {
	struct intake_job job;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int finished;
	const char *text;
};

static int fill_apply(sqlite3 *db, struct intake_job *job)
{
	struct fill_job *fj = job->arg;
	struct item it;

	memset(&it, 0, sizeof(it));
	it.channel = "sms";
	it.role = "family";
	it.lang = "es";
	it.text = fj->text;
	it.text_len = FILL_TEXT;
	return item_create(db, &it);
}

static void fill_done(struct intake_job *job)
{
	struct fill_job *fj = job->arg;

	pthread_mutex_lock(&fj->lock);
	fj->finished = 1;
	pthread_cond_signal(&fj->cond);
	pthread_mutex_unlock(&fj->lock);
}

/* Runs one job and waits for it, as a request handler would. */
static int fill_one(struct intake *in, struct fill_job *fj)
{
	fj->finished = 0;
	intake_submit(in, &fj->job);
	pthread_mutex_lock(&fj->lock);
	while (!fj->finished)
		pthread_cond_wait(&fj->cond, &fj->lock);
	pthread_mutex_unlock(&fj->lock);
	return fj->job.rc;
}

int main(int argc, char **argv)
{
	static char text[FILL_TEXT + 1];
	struct fill_job fj;
	struct intake *in;
	char err[512];
	int acked = 0, full = 0, other = 0, after = 0, i, rc;

	if (argc != 3) {
		fprintf(stderr, "usage: store_fill DB FILLER\n");
		return 2;
	}
	memset(text, 'x', FILL_TEXT);
	memset(&fj, 0, sizeof(fj));
	pthread_mutex_init(&fj.lock, NULL);
	pthread_cond_init(&fj.cond, NULL);
	fj.job.apply = fill_apply;
	fj.job.done = fill_done;
	fj.job.arg = &fj;
	fj.text = text;
	in = intake_start(argv[1], err, sizeof(err));
	if (in == NULL) {
		fprintf(stderr, "store_fill: %s\n", err);
		return 1;
	}

	for (i = 0; i < FILL_MAX && full + other < FULL_TRIES; i++) {
		rc = fill_one(in, &fj);
		if (rc == SQLITE_OK)
			acked++;
		else if (store_is_full(rc))
			full++;
		else {
			fprintf(stderr, "store_fill: not a full disk: %s\n",
				sqlite3_errstr(rc));
			other++;
		}
	}

	if (unlink(argv[2]) != 0)
		perror("store_fill: unlink");
	for (i = 0; i < AFTER_ITEMS; i++) {
		rc = fill_one(in, &fj);
		if (rc == SQLITE_OK) {
			acked++;
			after++;
		} else {
			fprintf(stderr, "store_fill: after freeing: %s\n",
				sqlite3_errstr(rc));
		}
	}
	intake_stop(in);

	printf("acked %d full %d other %d after %d\n", acked, full, other,
	       after);
	return full == FULL_TRIES && other == 0 && after == AFTER_ITEMS ? 0 : 1;
}
