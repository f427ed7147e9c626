/*
 * chorus sync: pushes a site's new items to the centre.
 *
 * One pass loads up to SYNC_BATCH pending items (oldest first), posts
 * them, and marks them only from a receipt that receipt_check()
 * accepted.  With --once, passes run until the queue is empty or one
 * fails.  Without it the command runs until SIGTERM or SIGINT: it looks
 * for new items every SYNC_IDLE_MS, and while the centre cannot be
 * reached it waits with exponential backoff and full jitter (a random
 * wait between 0 and min(cap, base * 2^attempt)), so that many sites
 * coming back online at once do not all knock together.  A refused token
 * will not fix itself: it is logged as an error and retried rarely.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include <time.h>

#include "cli.h"
#include "crypto.h"
#include "i18n.h"
#include "log.h"
#include "store.h"
#include "sync.h"

#define SYNC_IDLE_MS 1500
#define SYNC_BACKOFF_BASE_MS 1000
#define SYNC_BACKOFF_CAP_MS (5 * 60 * 1000)
#define SYNC_AUTH_WAIT_MS (5 * 60 * 1000)
#define SYNC_MIN_WAIT_MS 100

static const char sync_usage[] =
	"usage: chorus sync --db FILE [--once | --status]\n"
	"\n"
	"Syncs the site with the central server named by 'chorus init':\n"
	"a handshake, then new items and endorsements go up and the\n"
	"centre's prompts, ideas, notices and statuses come down.  With\n"
	"--once, syncs everything and exits (status 0 when nothing is left,\n"
	"1 with one line on error).  Without it, keeps running until\n"
	"SIGTERM, retrying with backoff while the centre is unreachable.\n"
	"--status prints the queue depth, the oldest unsent item, the last\n"
	"push and pull, the last error, the clock and the WAL size as JSON.\n";

enum sync_step {
	SYNC_EMPTY,  /* nothing pending */
	SYNC_PUSHED, /* one batch confirmed */
	SYNC_FAILED, /* worth retrying later */
	SYNC_AUTH,   /* the centre refused the token */
	SYNC_FATAL,  /* the database is not a synced site's */
};

struct sync_run {
	sqlite3 *db;
	const char *lang;
	size_t sent, rejected, votes;
	long long pulled;
	char error[512]; /* the last failure, one line for people */
};

static volatile sig_atomic_t sync_stopping;

static void sync_on_signal(int sig)
{
	(void)sig;
	sync_stopping = 1;
}

static int sync_should_stop(void)
{
	return sync_stopping;
}

/* The language of the operator's locale, for messages. */
static const char *sync_lang(void)
{
	const char *env = getenv("LC_ALL");
	const char *l;

	if (env == NULL || *env == '\0')
		env = getenv("LC_MESSAGES");
	if (env == NULL || *env == '\0')
		env = getenv("LANG");
	if (env == NULL)
		return I18N_DEFAULT;
	l = i18n_lang(env, strcspn(env, "._@"));
	return l ? l : I18N_DEFAULT;
}

/* Records a failure: a line for people, a word for the status page. */
static enum sync_step sync_fail(struct sync_run *r, enum sync_step step,
				const char *word, const char *detail)
{
	char key[64], note[256];

	snprintf(key, sizeof(key), "sync.error.%s", word);
	snprintf(r->error, sizeof(r->error), "%s%s%s", i18n_get(r->lang, key),
		 detail[0] ? ": " : "", detail);
	snprintf(note, sizeof(note), "%s%s%s", word, detail[0] ? ": " : "",
		 detail);
	/* A transfer cut short by our own shutdown is no news. */
	if (strcmp(word, "storage") != 0 && !sync_stopping)
		queue_note_error(r->db, note);
	return step;
}

/* Logs what the centre set aside, by id and reason (no text). */
static void sync_count(struct sync_run *r, const struct sync_batch *b)
{
	char esc[RECEIPT_REASON_MAX * 4];
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (b->items[i].outcome == RECEIPT_SENT) {
			r->sent++;
			continue;
		}
		r->rejected++;
		log_warn("sync: the centre set item %s aside: %s",
			 b->items[i].id,
			 log_escape(esc, sizeof(esc), b->items[i].reason,
				    strlen(b->items[i].reason)));
	}
}

/* Judges the answer and, when it holds, marks the batch. */
static enum sync_step sync_settle(struct sync_run *r, struct sync_batch *b,
				  const struct client_answer *a)
{
	struct receipt_answer ra = {a->status, a->ctype, a->marker,
				    a->body.data, a->body.len};
	char url[RECEIPT_URL_MAX], detail[300], esc[140];
	enum receipt_verdict v;
	int rc;

	v = receipt_check(&ra, b->items, b->n, url);
	if (v != RECEIPT_OK) {
		snprintf(detail, sizeof(detail), "HTTP %ld, %s", a->status,
			 log_escape(esc, sizeof(esc), a->ctype,
				    strlen(a->ctype)));
		return sync_fail(r, v == RECEIPT_AUTH ? SYNC_AUTH : SYNC_FAILED,
				 receipt_word(v), detail);
	}
	rc = queue_mark(r->db, b, url);
	if (rc != SQLITE_OK)
		return sync_fail(r, SYNC_FAILED, "storage", sqlite3_errstr(rc));
	sync_count(r, b);
	return SYNC_PUSHED;
}

/* Loads a batch that fits the centre's body limit, halving as needed. */
static int sync_load(struct sync_run *r, const struct sync_setup *s,
		     struct sync_batch *b)
{
	size_t max = s->batch;

	for (;;) {
		if (queue_load(r->db, s, max, b) < 0)
			return -1;
		if (b->body_len <= s->body_max || b->n <= 1)
			return 0;
		queue_release(b);
		max = (max + 1) / 2;
	}
}

/* One batch of items: load it, post it, settle the answer. */
static enum sync_step sync_push_one(struct sync_run *r,
				    const struct sync_setup *s)
{
	struct sync_batch b;
	struct client_answer a;
	enum sync_step step;

	if (sync_load(r, s, &b) < 0)
		return sync_fail(r, SYNC_FAILED, "storage",
				 sqlite3_errmsg(r->db));
	if (b.n == 0) {
		queue_release(&b);
		return SYNC_EMPTY;
	}
	if (client_push(s, &b, sync_should_stop, &a) < 0)
		step = sync_fail(r, SYNC_FAILED, "network", a.error);
	else
		step = sync_settle(r, &b, &a);
	buf_release(&a.body);
	queue_release(&b);
	return step;
}

/* The handshake; reports a wrong clock, never stops for it. */
static enum sync_step sync_greet(struct sync_run *r, struct sync_setup *s)
{
	struct sync_hello h;
	char err[400];
	int rc;

	rc = sync_hello(r->db, s, sync_should_stop, &h, err, sizeof(err));
	if (rc == SYNC_HELLO_AUTH)
		return sync_fail(r, SYNC_AUTH, "auth", "");
	if (rc != SYNC_HELLO_OK)
		return sync_fail(r, SYNC_FAILED, "hello", err);
	if (h.requeued > 0)
		log_warn("sync: the centre lacks %lld of our rows (restored"
			 " from a backup?); sending them again",
			 h.requeued);
	if (h.clock_wrong)
		log_warn("sync: this node's clock is %lld s off the centre's;"
			 " new items are flagged until it is set right",
			 h.skew_ms / 1000);
	return SYNC_PUSHED;
}

/* Endorsements up, then the feed down. */
static enum sync_step sync_rest(struct sync_run *r, const struct sync_setup *s)
{
	char err[400];
	int auth = 0;

	if (sync_votes(r->db, s, sync_should_stop, &r->votes, &auth, err,
		       sizeof(err)) < 0)
		return sync_fail(r, auth ? SYNC_AUTH : SYNC_FAILED, "votes",
				 err);
	if (sync_pull(r->db, s, sync_should_stop, &r->pulled, &auth, err,
		      sizeof(err)) < 0)
		return sync_fail(r, auth ? SYNC_AUTH : SYNC_FAILED, "pull",
				 err);
	return SYNC_EMPTY;
}

/* One cycle: handshake, every pending item, endorsements, the feed. */
static enum sync_step sync_step(struct sync_run *r)
{
	struct sync_setup s;
	enum sync_step step;
	const char *why;

	if (queue_setup(r->db, &s, &why) < 0)
		return sync_fail(r, SYNC_FATAL, why, "");
	step = sync_greet(r, &s);
	if (step != SYNC_PUSHED)
		return step;
	/* A batch may find this node is a clone and change its device. */
	while ((step = sync_push_one(r, &s)) == SYNC_PUSHED)
		if (sync_stopping || store_meta_get(r->db, "device", s.device,
						    sizeof(s.device)) != 0)
			return SYNC_FAILED;
	if (step != SYNC_EMPTY)
		return step;
	return sync_rest(r, &s);
}

static int sync_once(struct sync_run *r)
{
	if (sync_step(r) != SYNC_EMPTY) {
		cli_fail("sync: %s", r->error);
		return CLI_FAIL;
	}
	printf("sync: %zu %s, %zu %s, %zu %s, %lld %s\n", r->sent,
	       i18n_get(r->lang, "sync.sent"), r->rejected,
	       i18n_get(r->lang, "sync.rejected"), r->votes,
	       i18n_get(r->lang, "sync.votes"), r->pulled,
	       i18n_get(r->lang, "sync.pulled"));
	return CLI_OK;
}

/* Sleeps ms, waking early when a stop signal came. */
static void sync_sleep(long ms)
{
	struct timespec slice = {0, 100 * 1000 * 1000};

	while (ms > 0 && !sync_stopping) {
		if (ms < 100)
			slice.tv_nsec = ms * 1000 * 1000;
		nanosleep(&slice, NULL);
		ms -= 100;
	}
}

/* Full jitter: a random wait in [0, min(cap, base * 2^attempt)]. */
static long sync_backoff(unsigned attempt)
{
	long cap = SYNC_BACKOFF_BASE_MS;
	uint32_t r = 0;

	while (attempt-- > 0 && cap < SYNC_BACKOFF_CAP_MS)
		cap *= 2;
	if (cap > SYNC_BACKOFF_CAP_MS)
		cap = SYNC_BACKOFF_CAP_MS;
	if (crypto_random(&r, sizeof(r)) < 0)
		r = (uint32_t)time(NULL);
	return SYNC_MIN_WAIT_MS + (long)(r % (uint32_t)(cap + 1));
}

static int sync_loop(struct sync_run *r)
{
	unsigned attempt = 0;
	long wait;

	log_info("sync: running; SIGTERM stops");
	while (!sync_stopping) {
		switch (sync_step(r)) {
		case SYNC_PUSHED:
		case SYNC_EMPTY:
			attempt = 0;
			sync_sleep(SYNC_IDLE_MS);
			break;
		case SYNC_AUTH:
			log_error("sync: %s; retrying in %d s", r->error,
				  SYNC_AUTH_WAIT_MS / 1000);
			sync_sleep(SYNC_AUTH_WAIT_MS);
			break;
		case SYNC_FAILED:
			wait = sync_backoff(attempt++);
			log_warn("sync: %s; retrying in %ld ms", r->error,
				 wait);
			sync_sleep(wait);
			break;
		case SYNC_FATAL:
			log_error("sync: %s", r->error);
			return CLI_FAIL;
		}
	}
	log_info("sync: stopping");
	return CLI_OK;
}

static int sync_print_status(sqlite3 *db, const char *path)
{
	json_t *j = sync_status(db, path);
	char *text =
		j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	int rc = CLI_FAIL;

	if (text != NULL && puts(text) >= 0 && fflush(stdout) == 0)
		rc = CLI_OK;
	else
		cli_fail("sync: cannot read the status: %s",
			 sqlite3_errmsg(db));
	free(text);
	json_decref(j);
	return rc;
}

static void sync_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sync_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int sync_cmd(int argc, char **argv)
{
	const char *path = NULL, *once = NULL, *status = NULL;
	struct cli_opt opts[] = {
		{"db", &path, 0, 1},
		{"once", &once, 1, 0},
		{"status", &status, 1, 0},
		{NULL, NULL, 0, 0},
	};
	struct sync_run r;
	char err[512];
	int rc;

	rc = cli_parse("sync", sync_usage, opts, argc, argv);
	if (rc != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	memset(&r, 0, sizeof(r));
	r.lang = sync_lang();
	if (store_open(path, 0, &r.db, err, sizeof(err)) < 0) {
		cli_fail("sync: %s", err);
		return CLI_FAIL;
	}
	if (status != NULL) {
		rc = sync_print_status(r.db, path);
		store_close(r.db);
		return rc;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		cli_fail("sync: cannot start libcurl");
		store_close(r.db);
		return CLI_FAIL;
	}
	if (once != NULL) {
		rc = sync_once(&r);
	} else {
		sync_signals();
		rc = sync_loop(&r);
	}
	curl_global_cleanup();
	store_close(r.db);
	return rc;
}
