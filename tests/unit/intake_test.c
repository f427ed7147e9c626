/*
 * Unit tests for core/intake: group commit on a real SQLite file.
 *
 * The jobs insert real items with item_create(), as the kiosk and the
 * SMS daemon will, and the results are read back through a second
 * connection, so only committed rows count.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intake.h"
#include "item.h"
#include "store.h"

#define INTAKE_THREADS 4
#define INTAKE_JOBS 1000

struct intake_fixture {
	char dir[64];
	char path[96];
};

/* What every job of a test shares: counts, guarded by lock. */
struct intake_tally {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int done;
	int ok;
};

struct intake_test_job {
	struct intake_job job;
	struct intake_tally *tally;
	int calls;   /* times done() ran for this job */
	int fail;    /* apply() inserts, then reports an error */
	int gate;    /* apply() waits until the gate opens */
	int commits; /* commit count seen by apply(), see batch_commits */
	char id[CODE_ID_LEN + 1];
	int64_t seq;
};

/* A gate the first job of a batch test waits at. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_open;
static int gate_reached;

/* Commits on the intake's connection, counted by a commit hook. */
static int batch_commits;

static int count_commit(void *arg)
{
	(void)arg;
	batch_commits++;
	return 0;
}

static int intake_setup(void **state)
{
	struct intake_fixture *fx = calloc(1, sizeof(*fx));
	char err[256];
	sqlite3 *db = NULL;

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/chorus-intake-test.XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		goto fail;
	snprintf(fx->path, sizeof(fx->path), "%s/site.db", fx->dir);
	if (store_open(fx->path, STORE_CREATE, &db, err, sizeof(err)) != 0)
		goto fail;
	if (store_meta_set(db, "site", "B4") != SQLITE_OK ||
	    store_meta_set(db, "device", "feedc0de") != SQLITE_OK) {
		store_close(db);
		goto fail;
	}
	store_close(db);
	*state = fx;
	return 0;

fail:
	free(fx);
	return -1;
}

static int intake_teardown(void **state)
{
	struct intake_fixture *fx = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# cannot remove %s\n", fx->dir);
	free(fx);
	return 0;
}

static int test_apply(sqlite3 *db, struct intake_job *job)
{
	struct intake_test_job *tj = job->arg;
	struct item it;
	int rc;

	if (tj->gate) {
		sqlite3_commit_hook(db, count_commit, NULL);
		pthread_mutex_lock(&gate_lock);
		gate_reached = 1;
		pthread_cond_broadcast(&gate_cond);
		while (!gate_open)
			pthread_cond_wait(&gate_cond, &gate_lock);
		pthread_mutex_unlock(&gate_lock);
	}
	tj->commits = batch_commits;

	memset(&it, 0, sizeof(it));
	it.channel = "kiosk";
	it.role = "student";
	it.lang = "en";
	it.text = "a bench by the gate";
	it.text_len = strlen(it.text);
	rc = item_create(db, &it);
	if (rc == SQLITE_OK) {
		memcpy(tj->id, it.id, sizeof(tj->id));
		tj->seq = it.seq;
	}
	return tj->fail && rc == SQLITE_OK ? SQLITE_CONSTRAINT : rc;
}

static void test_done(struct intake_job *job)
{
	struct intake_test_job *tj = job->arg;
	struct intake_tally *t = tj->tally;

	pthread_mutex_lock(&t->lock);
	tj->calls++;
	t->done++;
	if (job->rc == SQLITE_OK)
		t->ok++;
	pthread_cond_broadcast(&t->changed);
	pthread_mutex_unlock(&t->lock);
}

static void tally_init(struct intake_tally *t)
{
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->changed, NULL);
	t->done = 0;
	t->ok = 0;
}

static void tally_wait(struct intake_tally *t, int n)
{
	pthread_mutex_lock(&t->lock);
	while (t->done < n)
		pthread_cond_wait(&t->changed, &t->lock);
	pthread_mutex_unlock(&t->lock);
}

static void job_init(struct intake_test_job *tj, struct intake_tally *t)
{
	memset(tj, 0, sizeof(*tj));
	tj->job.apply = test_apply;
	tj->job.done = test_done;
	tj->job.arg = tj;
	tj->tally = t;
}

static int64_t count_rows(const char *path, const char *sql)
{
	char err[256];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (store_open(path, 0, &db, err, sizeof(err)) != 0)
		fail_msg("store_open: %s", err);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	store_close(db);
	return n;
}

struct submitter {
	struct intake *in;
	struct intake_test_job *jobs;
	int count;
};

static void *submit_all(void *arg)
{
	struct submitter *s = arg;
	int i;

	for (i = 0; i < s->count; i++)
		intake_submit(s->in, &s->jobs[i].job);
	return NULL;
}

static void intake_commits_every_job_once(void **state)
{
	struct intake_fixture *fx = *state;
	struct intake_test_job *jobs;
	struct submitter sub[INTAKE_THREADS];
	pthread_t th[INTAKE_THREADS];
	struct intake_tally tally;
	struct intake *in;
	char err[256] = "";
	int i, per = INTAKE_JOBS / INTAKE_THREADS;

	jobs = calloc(INTAKE_JOBS, sizeof(*jobs));
	assert_non_null(jobs);
	tally_init(&tally);
	for (i = 0; i < INTAKE_JOBS; i++)
		job_init(&jobs[i], &tally);
	in = intake_start(fx->path, err, sizeof(err));
	if (in == NULL)
		fail_msg("intake_start: %s", err);

	for (i = 0; i < INTAKE_THREADS; i++) {
		sub[i].in = in;
		sub[i].jobs = jobs + i * per;
		sub[i].count = per;
		assert_int_equal(
			pthread_create(&th[i], NULL, submit_all, &sub[i]), 0);
	}
	for (i = 0; i < INTAKE_THREADS; i++)
		pthread_join(th[i], NULL);
	tally_wait(&tally, INTAKE_JOBS);
	intake_stop(in);

	assert_int_equal(tally.done, INTAKE_JOBS);
	assert_int_equal(tally.ok, INTAKE_JOBS);
	for (i = 0; i < INTAKE_JOBS; i++) {
		assert_int_equal(jobs[i].calls, 1);
		assert_int_equal(jobs[i].job.rc, SQLITE_OK);
	}
	assert_int_equal(count_rows(fx->path, "SELECT count(*) FROM items"),
			 INTAKE_JOBS);
	assert_int_equal(count_rows(fx->path, "SELECT count(DISTINCT seq)"
					      " FROM items"),
			 INTAKE_JOBS);
	assert_int_equal(count_rows(fx->path, "SELECT max(seq) FROM items"),
			 INTAKE_JOBS);
	free(jobs);
}

/* Waits until the gate job is inside apply(), holding up the writer. */
static void gate_wait_reached(void)
{
	pthread_mutex_lock(&gate_lock);
	while (!gate_reached)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
}

static void gate_release(void)
{
	pthread_mutex_lock(&gate_lock);
	gate_open = 1;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
}

static void intake_failed_job_rolls_back_alone(void **state)
{
	struct intake_fixture *fx = *state;
	struct intake_test_job jobs[4];
	struct intake_tally tally;
	struct intake *in;
	char err[256] = "", sql[128];
	int i;

	tally_init(&tally);
	for (i = 0; i < 4; i++)
		job_init(&jobs[i], &tally);
	jobs[0].gate = 1;
	jobs[2].fail = 1;
	in = intake_start(fx->path, err, sizeof(err));
	if (in == NULL)
		fail_msg("intake_start: %s", err);

	/*
	 * While job 0 holds the writer, jobs 1..3 queue up; the writer
	 * then takes all three as one batch.
	 */
	intake_submit(in, &jobs[0].job);
	gate_wait_reached();
	for (i = 1; i < 4; i++)
		intake_submit(in, &jobs[i].job);
	gate_release();
	tally_wait(&tally, 4);
	intake_stop(in);

	/* One transaction: no commit between the three applies. */
	assert_int_equal(jobs[1].commits, jobs[0].commits + 1);
	assert_int_equal(jobs[2].commits, jobs[1].commits);
	assert_int_equal(jobs[3].commits, jobs[1].commits);

	for (i = 0; i < 4; i++)
		assert_int_equal(jobs[i].calls, 1);
	assert_int_equal(jobs[0].job.rc, SQLITE_OK);
	assert_int_equal(jobs[1].job.rc, SQLITE_OK);
	assert_int_equal(jobs[2].job.rc, SQLITE_CONSTRAINT);
	assert_int_equal(jobs[3].job.rc, SQLITE_OK);
	assert_int_equal(tally.ok, 3);
	assert_int_equal(count_rows(fx->path, "SELECT count(*) FROM items"), 3);

	/* The failed job's row is gone; its neighbours' rows are there. */
	for (i = 0; i < 4; i++) {
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM items WHERE id = '%s'",
			 jobs[i].id);
		assert_int_equal(count_rows(fx->path, sql), i == 2 ? 0 : 1);
	}

	/* Its sequence number went to the next job: no gap in codes. */
	assert_true(jobs[3].seq == jobs[2].seq);
	assert_int_equal(count_rows(fx->path, "SELECT max(seq) FROM items"), 3);
}

static void intake_stop_runs_queued_jobs(void **state)
{
	struct intake_fixture *fx = *state;
	struct intake_test_job jobs[50];
	struct intake_tally tally;
	struct intake *in;
	char err[256] = "";
	int i;

	tally_init(&tally);
	in = intake_start(fx->path, err, sizeof(err));
	if (in == NULL)
		fail_msg("intake_start: %s", err);
	for (i = 0; i < 50; i++) {
		job_init(&jobs[i], &tally);
		intake_submit(in, &jobs[i].job);
	}
	intake_stop(in);
	assert_int_equal(tally.done, 50);
	assert_int_equal(tally.ok, 50);
	assert_int_equal(count_rows(fx->path, "SELECT count(*) FROM items"),
			 50);
}

static void intake_refuses_missing_file(void **state)
{
	struct intake_fixture *fx = *state;
	char path[128], err[256] = "";

	snprintf(path, sizeof(path), "%s/none.db", fx->dir);
	assert_null(intake_start(path, err, sizeof(err)));
	assert_non_null(strstr(err, "none.db"));
}

#define INTAKE_TEST(f)                                                         \
	cmocka_unit_test_setup_teardown(f, intake_setup, intake_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		INTAKE_TEST(intake_commits_every_job_once),
		INTAKE_TEST(intake_failed_job_rolls_back_alone),
		INTAKE_TEST(intake_stop_runs_queued_jobs),
		INTAKE_TEST(intake_refuses_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
