/*
 * store_writer: writes items into a site database through intake, as
 * fast as it can, for the storage tests in tests/it/store_*.sh.
 *
 *   store_writer DB COUNT [--ack] [--text-bytes N]
 *
 * Submits COUNT jobs at once, each inserting one item, and waits for
 * them.  With --ack every committed item is printed as "ack SEQ ID" with
 * a single write(2) as soon as its done() reports SQLITE_OK: a line on
 * standard output means the item was acknowledged, exactly as a daemon
 * would acknowledge it.  At the end prints one line
 *
 *   written N ok N busy N full N failed N
 *
 * and exits 0 when every job committed, 1 otherwise.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "intake.h"
#include "item.h"
#include "store.h"

struct writer {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int done, ok, busy, full, failed;
	int ack;
	const char *text;
	size_t text_len;
};

struct writer_job {
	struct intake_job job;
	struct writer *w;
	int64_t seq;
	char id[CODE_ID_LEN + 1];
};

static int writer_apply(sqlite3 *db, struct intake_job *job)
{
	struct writer_job *wj = job->arg;
	struct item it;
	int rc;

	memset(&it, 0, sizeof(it));
	it.channel = "kiosk";
	it.role = "community";
	it.lang = "en";
	it.text = wj->w->text;
	it.text_len = wj->w->text_len;
	rc = item_create(db, &it);
	if (rc == SQLITE_OK) {
		wj->seq = it.seq;
		memcpy(wj->id, it.id, sizeof(wj->id));
	}
	return rc;
}

static void writer_print_ack(const struct writer_job *wj)
{
	char line[64];
	int n;

	n = snprintf(line, sizeof(line), "ack %lld %s\n", (long long)wj->seq,
		     wj->id);
	if (n > 0 && (size_t)n < sizeof(line) &&
	    write(STDOUT_FILENO, line, (size_t)n) != n)
		perror("store_writer: write");
}

static void writer_done(struct intake_job *job)
{
	struct writer_job *wj = job->arg;
	struct writer *w = wj->w;

	if (job->rc == SQLITE_OK && w->ack)
		writer_print_ack(wj);
	pthread_mutex_lock(&w->lock);
	w->done++;
	if (job->rc == SQLITE_OK)
		w->ok++;
	else if ((job->rc & 0xff) == SQLITE_BUSY)
		w->busy++;
	else if (store_is_full(job->rc))
		w->full++;
	else
		w->failed++;
	pthread_cond_signal(&w->changed);
	pthread_mutex_unlock(&w->lock);
}

static char *writer_text(size_t n)
{
	static const char words[] = "the library should open on saturdays ";
	char *t = malloc(n + 1);
	size_t i;

	if (t == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		t[i] = words[i % (sizeof(words) - 1)];
	t[n] = '\0';
	return t;
}

static int writer_args(int argc, char **argv, struct writer *w, long *count,
		       long *text_bytes)
{
	char *end;
	int i;

	if (argc < 3)
		return -1;
	*count = strtol(argv[2], &end, 10);
	if (*end != '\0' || *count < 1)
		return -1;
	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--ack") == 0) {
			w->ack = 1;
		} else if (strcmp(argv[i], "--text-bytes") == 0 &&
			   i + 1 < argc) {
			*text_bytes = strtol(argv[++i], &end, 10);
			if (*end != '\0' || *text_bytes < 1 ||
			    *text_bytes > STORE_TEXT_MAX)
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct writer w;
	struct writer_job *jobs;
	struct intake *in;
	char err[512];
	long count, text_bytes = 40, i;

	memset(&w, 0, sizeof(w));
	if (writer_args(argc, argv, &w, &count, &text_bytes) < 0) {
		fprintf(stderr, "usage: store_writer DB COUNT [--ack]"
				" [--text-bytes N]\n");
		return 2;
	}
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.changed, NULL);
	w.text = writer_text((size_t)text_bytes);
	w.text_len = (size_t)text_bytes;
	jobs = calloc((size_t)count, sizeof(*jobs));
	if (jobs == NULL || w.text == NULL) {
		fprintf(stderr, "store_writer: out of memory\n");
		return 1;
	}
	in = intake_start(argv[1], err, sizeof(err));
	if (in == NULL) {
		fprintf(stderr, "store_writer: %s\n", err);
		return 1;
	}

	for (i = 0; i < count; i++) {
		jobs[i].job.apply = writer_apply;
		jobs[i].job.done = writer_done;
		jobs[i].job.arg = &jobs[i];
		jobs[i].w = &w;
		intake_submit(in, &jobs[i].job);
	}
	pthread_mutex_lock(&w.lock);
	while (w.done < count)
		pthread_cond_wait(&w.changed, &w.lock);
	pthread_mutex_unlock(&w.lock);
	intake_stop(in);

	printf("written %ld ok %d busy %d full %d failed %d\n", count, w.ok,
	       w.busy, w.full, w.failed);
	free(jobs);
	free((char *)w.text);
	return w.ok == count ? 0 : 1;
}
