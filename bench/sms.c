/*
 * sms: webhook throughput of 'chorus sms' for each gateway format,
 * against a bare libmicrohttpd server in the same run.
 *
 * usage: sms CHORUS WORKDIR [N] [THREADS]
 *
 * For each format the tool makes a fresh site database with one channel,
 * starts 'chorus sms' (no rate limits; send-API replies go to the bare
 * server, which accepts them), and posts N distinct messages from
 * THREADS threads with keep-alive.  Every answer must be 2xx, and after
 * the run sms_messages must hold N rows: each message was committed
 * before its answer.  Then it posts the same N messages again (the
 * duplicate path: found by provider id, nothing stored) and finally the
 * same N requests to the bare server, which reads the body and answers
 * 200 with nothing stored.  One line per format: requests per second
 * first, duplicates, bare, and the ratio first / bare.
 *
 * No figure is asserted: machines differ.  bench/README-sms.md keeps
 * the figures of a recorded run.
 */
#include "../tests/tools/proc.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct format {
	const char *gateway, *method, *ctype, *tmpl;
};

/* %d is the message number: every message has its own id. */
static const struct format formats[] = {
	{"twilio", "POST", "application/x-www-form-urlencoded",
	 "From=%%2B447700900123&Body=Idea+number+%d&MessageSid=SM%d"},
	{"kannel", "GET", NULL,
	 "from=447700900123&text=Idea+number+%d&id=k-%d&coding=0"},
	{"africastalking", "POST", "application/x-www-form-urlencoded",
	 "from=%%2B254700000001&to=40404&text=Idea+%d&id=AT%d"},
	{"vonage", "GET", NULL,
	 "msisdn=447700900123&to=1&text=Idea+%d&messageId=V%d"},
	{"plivo", "POST", "application/x-www-form-urlencoded",
	 "From=447700900123&To=1&Text=Idea+%d&MessageUUID=P%d"},
	{"telerivet", "POST", "application/x-www-form-urlencoded",
	 "event=incoming_message&content=Idea+%d&from_number_e164="
	 "%%2B447700900123&id=T%d"},
	{"infobip", "POST", "application/json",
	 "{\"results\":[{\"messageId\":\"I%d\",\"from\":\"447700900123\","
	 "\"text\":\"Idea %d\"}]}"},
	{"smssync", "POST", "application/x-www-form-urlencoded",
	 "from=%%2B447700900123&message=Idea+%d&message_id=S%d"},
	{"android-sms-gateway", "POST", "application/json",
	 "{\"event\":\"sms:received\",\"payload\":{\"message\":\"Idea %d\","
	 "\"messageId\":\"A%d\",\"sender\":\"+447700900123\","
	 "\"receivedAt\":\"2025-03-05T10:15:30.000+03:00\"}}"},
	{"generic", "POST", "application/x-www-form-urlencoded",
	 "from=%%2B447700900123&text=Idea+%d&id=G%d"},
};

struct job {
	const struct format *f;
	unsigned port;
	const char *path;
	int from, to;
	int failures;
};

/* Runs argv to its end, or with bg set starts it and gives its pid. */
static int run(char *const argv[], const char *log, pid_t *bg)
{
	if (bg == NULL)
		return proc_run(argv, log);
	*bg = proc_start(argv, log);
	return *bg < 0 ? -1 : 0;
}

static size_t sink(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static void *sender(void *arg)
{
	struct job *j = arg;
	CURL *h = curl_easy_init();
	struct curl_slist *hd = NULL;
	char url[8192], body[4096], line[128];
	long status;
	int i;

	if (j->f->ctype != NULL) {
		snprintf(line, sizeof(line), "Content-Type: %s", j->f->ctype);
		hd = curl_slist_append(hd, line);
	}
	hd = curl_slist_append(hd, "Expect:");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	for (i = j->from; i < j->to; i++) {
		snprintf(body, sizeof(body), j->f->tmpl, i, i);
		if (strcmp(j->f->method, "GET") == 0) {
			snprintf(url, sizeof(url), "http://127.0.0.1:%u%s?%s",
				 j->port, j->path, body);
			curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
		} else {
			snprintf(url, sizeof(url), "http://127.0.0.1:%u%s",
				 j->port, j->path);
			curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		}
		curl_easy_setopt(h, CURLOPT_URL, url);
		status = 0;
		if (curl_easy_perform(h) == CURLE_OK)
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		j->failures += status < 200 || status > 299;
	}
	curl_slist_free_all(hd);
	curl_easy_cleanup(h);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* N requests of f from threads; requests per second, failures in *bad. */
static double blast(const struct format *f, unsigned port, const char *path,
		    int n, int threads, int *bad)
{
	pthread_t t[64];
	struct job j[64];
	double t0 = now_s();
	int i;

	*bad = 0;
	for (i = 0; i < threads; i++) {
		j[i] = (struct job){
			f, port, path, n * i / threads, n * (i + 1) / threads,
			0};
		pthread_create(&t[i], NULL, sender, &j[i]);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		*bad += j[i].failures;
	}
	return n / (now_s() - t0);
}

/* The bare server: reads the upload, answers 200, stores nothing. */
static enum MHD_Result bare(void *cls, struct MHD_Connection *c,
			    const char *url, const char *method,
			    const char *version, const char *upload,
			    size_t *upload_size, void **con_cls)
{
	static const char ok[] = "{\"messages\":[{\"status\":\"0\"}]}";
	struct MHD_Response *r;
	enum MHD_Result ret;

	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload;
	if (*con_cls == NULL) {
		*con_cls = c;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		*upload_size = 0;
		return MHD_YES;
	}
	r = MHD_create_response_from_buffer(strlen(ok), (void *)ok,
					    MHD_RESPMEM_PERSISTENT);
	ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ret;
}

static long stored(const char *db)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	long n = -1;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, "SELECT count(*) FROM sms_messages", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

static void one_format(const char *chorus, const char *dir,
		       const struct format *f, unsigned bare_port, int n,
		       int threads)
{
	char db[512], log[512], listen[64], send[128];
	unsigned port = proc_free_port();
	double first, dup, plain;
	int bad1, bad2, bad3, st;
	pid_t pid;

	snprintf(db, sizeof(db), "%s/%s.db", dir, f->gateway);
	snprintf(log, sizeof(log), "%s/%s.log", dir, f->gateway);
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", port);
	snprintf(send, sizeof(send), "http://127.0.0.1:%u/send", bare_port);
	unlink(db);
	char *init[] = {
		(char *)chorus, "init", "--db",	     db,
		"--site",	"K7",	"--central", "http://127.0.0.1:9",
		"--token",	"t",	NULL};
	char *add[] = {(char *)chorus,
		       "channel",
		       "add",
		       "--db",
		       db,
		       "--name",
		       "b",
		       "--gateway",
		       (char *)f->gateway,
		       "--country",
		       "GB",
		       "--send-url",
		       send,
		       NULL};
	char *sms[] = {(char *)chorus,
		       "sms",
		       "--db",
		       db,
		       "--listen",
		       listen,
		       "--phone-limit",
		       "0",
		       "--channel-limit",
		       "0",
		       NULL};
	if (run(init, log, NULL) != 0 || run(add, log, NULL) != 0 ||
	    run(sms, log, &pid) != 0 || proc_wait_port(port) < 0) {
		printf("%-20s setup failed (see %s)\n", f->gateway, log);
		return;
	}
	first = blast(f, port, "/sms/b", n, threads, &bad1);
	dup = blast(f, port, "/sms/b", n, threads, &bad2);
	plain = blast(f, bare_port, "/bare", n, threads, &bad3);
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	printf("%-20s %9.0f %9.0f %9.0f %6.2f %s\n", f->gateway, first, dup,
	       plain, first / plain,
	       bad1 || bad2 || bad3 || stored(db) != n ? "NOT ALL STORED"
						       : "all stored");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct sockaddr_in lo;
	struct MHD_Daemon *d;
	unsigned bare_port = proc_free_port();
	int n = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 2000;
	int threads = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 8;
	size_t i;

	if (argc < 3 || n < 1 || threads < 1 || threads > 64) {
		fprintf(stderr, "usage: sms CHORUS WORKDIR [N] [THREADS]\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_ALL);
	memset(&lo, 0, sizeof(lo));
	lo.sin_family = AF_INET;
	lo.sin_port = htons((uint16_t)bare_port);
	lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY,
		(uint16_t)bare_port, NULL, NULL, bare, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&lo, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "sms: cannot start the bare server\n");
		return 1;
	}
	printf("# %d messages per format, %d client threads\n", n, threads);
	printf("%-20s %9s %9s %9s %6s\n", "# gateway", "first/s", "dup/s",
	       "bare/s", "ratio");
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		one_format(argv[1], argv[2], &formats[i], bare_port, n,
			   threads);
	MHD_stop_daemon(d);
	curl_global_cleanup();
	return 0;
}
