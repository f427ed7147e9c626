/*
 * intake: durable writes with group commit.
 *
 * Daemons that take input from people (kiosk, SMS) must not answer before
 * the row is on disk, and one fsync per request would cap them at a few
 * thousand requests a second.  An intake owns one writer thread and one
 * database connection.  Request handlers submit jobs and suspend their
 * connection; the writer takes every job that is waiting, runs each one
 * inside its own savepoint of a single BEGIN IMMEDIATE transaction,
 * commits once, and then calls each job's done() with its result.  There
 * is no gathering delay: jobs that arrive while a commit is running form
 * the next batch.
 *
 * A job whose apply() fails is rolled back alone; the others in its batch
 * still commit.  To get there without paying for a savepoint per job, the
 * writer rolls the whole batch back when one job fails and runs it again
 * with a savepoint around each job: apply() may therefore run more than
 * once for one job, and must set its outputs rather than add to them.  If
 * the commit itself fails (disk full), every job in the batch gets that
 * error and nothing of the batch is stored.
 */
#ifndef CHORUS_INTAKE_H
#define CHORUS_INTAKE_H

#include <sqlite3.h>
#include <stddef.h>

struct intake_job {
	/* Set by the submitter. */
	int (*apply)(sqlite3 *db, struct intake_job *job);
	void (*done)(struct intake_job *job);
	void *arg;

	/* Set by the intake before done() is called. */
	int rc; /* SQLITE_OK when the job's rows are committed */

	struct intake_job *next; /* private */
};

struct intake;

/*
 * Opens path (which must already be a Chorus database) and starts the
 * writer.  On failure writes the reason into err and returns NULL.
 */
struct intake *intake_start(const char *path, char *err, size_t errlen);

/*
 * Queues job.  apply() and done() run later on the writer thread, in
 * submission order; job must stay valid until done() has been called.
 */
void intake_submit(struct intake *in, struct intake_job *job);

/* Runs every queued job, stops the writer and frees in (NULL is fine). */
void intake_stop(struct intake *in);

#endif
