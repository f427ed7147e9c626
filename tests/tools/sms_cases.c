/*
 * sms_cases: runs the gateway cases of tests/cases/sms against a real
 * 'chorus sms'.
 *
 * usage: sms_cases CHORUS WORKDIR CASE.json...
 *
 * For each case the tool makes a fresh site database, adds the case's
 * channel with 'chorus channel add' (its auth_token, secret or
 * signing_key as --secret; replies by send API go to a stand-in for the
 * provider's API that this tool serves on loopback with libmicrohttpd
 * and that accepts every send), starts 'chorus sms' on a free loopback
 * port, sends every request exactly as written (method, raw query,
 * headers, content type, body bytes) to /sms/NAME with libcurl, stops
 * the daemon once its outbox is empty, and checks every expectation
 * against the answers and the
 * database file.  It prints one "ok - CASE" or "not ok - CASE" line per
 * case, with the reasons under a failure.
 *
 * The reply SMS of an answer is the text of TwiML's <Message> for
 * Twilio, the whole body for Kannel, payload.messages[0].message for
 * SMSSync and messages[0].content for Telerivet.  Gateways that reply by
 * send API answer with no SMS: their reply is the sms_outbox row made
 * for the answer's code.  An "ack" is a non-empty reply SMS.
 */
#include "proc.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "buf.h"
#include "crypto.h"
#include "gsm7.h"

#define MAX_REQUESTS 300
#define CHANNEL "c1"

static char send_url[128]; /* the stand-in send API */

struct answer {
	long status;
	struct buf body;
	char code[64]; /* X-Chorus-Code, or "" */
	struct buf reply;
};

struct run {
	const char *chorus;
	char dir[512];
	char db[600];
	json_t *c; /* the case */
	struct answer ans[MAX_REQUESTS];
	size_t nans;
	int failed;
};

static void fail(struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct run *r, const char *fmt, ...)
{
	va_list ap;

	r->failed = 1;
	printf("#   ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* True for gateways that carry the reply SMS in their HTTP answer. */
static int inband(const char *gateway)
{
	return strcmp(gateway, "twilio") == 0 ||
	       strcmp(gateway, "kannel") == 0 ||
	       strcmp(gateway, "smssync") == 0 ||
	       strcmp(gateway, "telerivet") == 0;
}

/* Fresh database and the case's channel.  0 or -1. */
static int setup(struct run *r, const char *gateway)
{
	json_t *ch = json_object_get(r->c, "channel");
	char log[700];
	char *argv[20];
	int n = 0;

	snprintf(log, sizeof(log), "%s/setup.log", r->dir);
	char *init[] = {
		(char *)r->chorus, "init", "--db",	r->db,
		"--site",	   "K7",   "--central", "http://127.0.0.1:9",
		"--token",	   "t",	   NULL};
	if (proc_run(init, log) != 0)
		return -1;
	argv[n++] = (char *)r->chorus;
	argv[n++] = "channel";
	argv[n++] = "add";
	argv[n++] = "--db";
	argv[n++] = r->db;
	argv[n++] = "--name";
	argv[n++] = CHANNEL;
	argv[n++] = "--gateway";
	argv[n++] = (char *)gateway;
	if (str(ch, "public_url")) {
		argv[n++] = "--public-url";
		argv[n++] = (char *)str(ch, "public_url");
	}
	if (str(ch, "auth_token") || str(ch, "secret") ||
	    str(ch, "signing_key")) {
		argv[n++] = "--secret";
		argv[n++] =
			(char *)(str(ch, "auth_token") ? str(ch, "auth_token")
				 : str(ch, "secret")   ? str(ch, "secret")
						     : str(ch, "signing_key"));
	}
	if (str(ch, "options")) {
		argv[n++] = "--options";
		argv[n++] = (char *)str(ch, "options");
	}
	if (!inband(gateway)) {
		argv[n++] = "--send-url";
		argv[n++] = send_url;
	}
	if (str(ch, "country")) {
		argv[n++] = "--country";
		argv[n++] = (char *)str(ch, "country");
	}
	argv[n] = NULL;
	return proc_run(argv, log) == 0 ? 0 : -1;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;

	return buf_append(&a->body, p, size * n) < 0 ? 0 : size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t len = size * n, k = strlen("X-Chorus-Code:");

	if (len > k && strncasecmp(p, "X-Chorus-Code:", k) == 0) {
		p += k;
		len -= k;
		while (len > 0 && (*p == ' ' || p[len - 1] == '\n' ||
				   p[len - 1] == '\r')) {
			if (*p == ' ') {
				p++;
				len--;
			} else {
				len--;
			}
		}
		if (len < sizeof(a->code)) {
			memcpy(a->code, p, len);
			a->code[len] = '\0';
		}
	}
	return size * n;
}

/* Undoes the five XML escapes sms_xml_escape() makes. */
static void xml_unescape(const char *s, size_t len, struct buf *out)
{
	static const char *const ent[][2] = {
		{"&amp;", "&"},	  {"&lt;", "<"},   {"&gt;", ">"},
		{"&quot;", "\""}, {"&apos;", "'"},
	};
	size_t i, k;

	for (i = 0; i < len; i++) {
		for (k = 0; k < 5; k++) {
			size_t el = strlen(ent[k][0]);

			if (len - i >= el && memcmp(s + i, ent[k][0], el) == 0)
				break;
		}
		if (k < 5) {
			buf_puts(out, ent[k][1]);
			i += strlen(ent[k][0]) - 1;
		} else {
			buf_putc(out, s[i]);
		}
	}
}

/* A JSON answer's string at path, appended to out. */
static void json_reply(struct answer *a, const char *outer, const char *field)
{
	json_t *j = json_loadb(a->body.data ? a->body.data : "", a->body.len, 0,
			       NULL);
	json_t *o = j, *v;

	if (strcmp(outer, "payload") == 0)
		o = json_object_get(j, "payload");
	v = json_object_get(json_array_get(json_object_get(o, "messages"), 0),
			    field);
	if (json_is_string(v))
		buf_append(&a->reply, json_string_value(v),
			   json_string_length(v));
	json_decref(j);
}

/* The reply SMS of an answer (see the top of the file). */
static void reply_of(const char *gateway, struct answer *a)
{
	const char *b = a->body.data ? a->body.data : "", *m, *e;

	if (strcmp(gateway, "kannel") == 0) {
		buf_append(&a->reply, b, a->body.len);
		return;
	}
	if (strcmp(gateway, "smssync") == 0) {
		json_reply(a, "payload", "message");
		return;
	}
	if (strcmp(gateway, "telerivet") == 0) {
		json_reply(a, "", "content");
		return;
	}
	if (strcmp(gateway, "twilio") != 0)
		return;
	m = strstr(b, "<Message>");
	e = m ? strstr(m, "</Message>") : NULL;
	if (m != NULL && e != NULL)
		xml_unescape(m + 9, (size_t)(e - m - 9), &a->reply);
}

/* Send-API gateways: each answer's reply is the outbox row of its code. */
static void replies_from_outbox(struct run *r)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int used[MAX_REQUESTS] = {0};
	size_t i;

	if (sqlite3_open_v2(r->db, &db, SQLITE_OPEN_READONLY, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT body FROM sms_outbox WHERE code = ?"
			       " ORDER BY n LIMIT 1 OFFSET ?",
			       -1, &st, NULL) != SQLITE_OK) {
		fail(r, "cannot read the outbox");
		sqlite3_close(db);
		return;
	}
	for (i = 0; i < r->nans; i++) {
		size_t k, seen = 0;

		if (r->ans[i].code[0] == '\0')
			continue;
		for (k = 0; k < i; k++)
			seen += used[k] &&
				strcmp(r->ans[k].code, r->ans[i].code) == 0;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, r->ans[i].code, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)seen);
		if (sqlite3_step(st) == SQLITE_ROW) {
			buf_append(&r->ans[i].reply, sqlite3_column_text(st, 0),
				   (size_t)sqlite3_column_bytes(st, 0));
			used[i] = 1;
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static int send_one(struct run *r, unsigned port, json_t *rq, struct answer *a,
		    const char *gateway)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hd = NULL;
	const char *method = str(rq, "method"), *q = str(rq, "query");
	const char *ct = str(rq, "content_type"), *k;
	json_t *body = json_object_get(rq, "body"), *v;
	char url[8192], line[4096];
	CURLcode rc;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/sms/%s%s%s", port,
		 CHANNEL, q && q[0] ? "?" : "", q ? q : "");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method ? method : "GET");
	json_object_foreach(json_object_get(rq, "headers"), k, v)
	{
		snprintf(line, sizeof(line), "%s: %s", k, json_string_value(v));
		hd = curl_slist_append(hd, line);
	}
	if (ct != NULL) {
		snprintf(line, sizeof(line), "Content-Type: %s", ct);
		hd = curl_slist_append(hd, line);
	}
	hd = curl_slist_append(hd, "Expect:");
	if (body != NULL && json_string_length(body) > 0) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE,
				 (long)json_string_length(body));
		curl_easy_setopt(h, CURLOPT_POSTFIELDS,
				 json_string_value(body));
	} else if (method && strcmp(method, "POST") == 0) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, a);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->status);
	else
		fail(r, "request failed: %s", curl_easy_strerror(rc));
	curl_slist_free_all(hd);
	curl_easy_cleanup(h);
	reply_of(gateway, a);
	return rc == CURLE_OK ? 0 : -1;
}

/* The stand-in send API: every send is accepted, Vonage's way too. */
static enum MHD_Result stand_in(void *cls, struct MHD_Connection *c,
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

/* Waits up to 10 s for the outbox to hold nothing pending. */
static void wait_outbox(struct run *r)
{
	struct timespec ts = {0, 50 * 1000 * 1000};
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int i, pending = 1;

	if (sqlite3_open_v2(r->db, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return;
	}
	sqlite3_busy_timeout(db, 5000);
	for (i = 0; i < 200 && pending; i++) {
		if (sqlite3_prepare_v2(db,
				       "SELECT count(*) FROM sms_outbox"
				       " WHERE state = 'pending'",
				       -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			pending = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (pending)
			nanosleep(&ts, NULL);
	}
	sqlite3_close(db);
	if (pending)
		fail(r, "%d replies still pending in the outbox", pending);
}

/* Starts the daemon, sends every request, stops it.  0 or -1. */
static int exchange(struct run *r, const char *gateway)
{
	json_t *rqs = json_object_get(r->c, "requests"), *rq;
	char listen[64], log[700];
	unsigned port = proc_free_port();
	size_t i;
	pid_t pid;
	int st;

	snprintf(listen, sizeof(listen), "127.0.0.1:%u", port);
	snprintf(log, sizeof(log), "%s/sms.log", r->dir);
	char *argv[] = {(char *)r->chorus, "sms",  "--db", r->db,
			"--listen",	   listen, NULL};
	pid = proc_start(argv, log);
	if (pid < 0 || proc_wait_port(port) < 0) {
		fail(r, "chorus sms did not start (see %s)", log);
		return -1;
	}
	json_array_foreach(rqs, i, rq)
	{
		if (i >= MAX_REQUESTS)
			break;
		buf_init(&r->ans[i].body, 1 << 20);
		buf_init(&r->ans[i].reply, 1 << 20);
		r->nans = i + 1;
		send_one(r, port, rq, &r->ans[i], gateway);
	}
	if (!inband(gateway))
		wait_outbox(r);
	kill(pid, SIGTERM);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail(r, "chorus sms did not stop cleanly");
	return 0;
}

/* The value at a dotted path ("payload.success") in j, or NULL. */
static json_t *json_at(json_t *j, const char *path)
{
	char part[256];
	const char *dot;
	size_t n;

	while (j != NULL && *path != '\0') {
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		j = json_object_get(j, part);
		path += n + (dot != NULL);
	}
	return j;
}

static void check_responses(struct run *r)
{
	json_t *exp = json_object_get(json_object_get(r->c, "expect"),
				      "responses"),
	       *e, *j, *v;
	json_error_t jerr;
	const char *path;
	size_t i;

	json_array_foreach(exp, i, e)
	{
		long want =
			(long)json_integer_value(json_object_get(e, "status"));

		if (i >= r->nans) {
			fail(r, "response %zu missing", i);
			continue;
		}
		if (json_object_get(e, "status") && r->ans[i].status != want)
			fail(r, "response %zu: status %ld, expected %ld", i,
			     r->ans[i].status, want);
		if (!json_object_get(e, "json") &&
		    !json_is_true(json_object_get(e, "valid_json")))
			continue;
		j = json_loadb(r->ans[i].body.data ? r->ans[i].body.data : "",
			       r->ans[i].body.len, 0, &jerr);
		if (j == NULL) {
			fail(r, "response %zu: not JSON", i);
			continue;
		}
		json_object_foreach(json_object_get(e, "json"), path, v)
		{
			if (!json_equal(json_at(j, path), v))
				fail(r, "response %zu: %s differs", i, path);
		}
		json_decref(j);
	}
}

struct row {
	char *text;
	int text_len;
	char hash[CRYPTO_SHA256_HEX];
	char kind[32], ptime[40], keyword[16], code[32];
	char *media;
};

static void copy_col(sqlite3_stmt *st, int i, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(out, n, "%s", t ? (const char *)t : "");
}

static size_t load_rows(struct run *r, sqlite3 *db, struct row *rows,
			size_t max)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0;

	if (sqlite3_prepare_v2(db,
			       "SELECT i.text, m.from_hash, m.from_kind,"
			       " m.provider_time, m.keyword, m.media, m.code"
			       " FROM sms_messages m LEFT JOIN items i"
			       " ON i.id = m.item_id ORDER BY m.n",
			       -1, &st, NULL) != SQLITE_OK) {
		fail(r, "cannot read messages: %s", sqlite3_errmsg(db));
		return 0;
	}
	while (n < max && sqlite3_step(st) == SQLITE_ROW) {
		struct row *w = &rows[n++];

		w->text_len = sqlite3_column_bytes(st, 0);
		w->text = malloc((size_t)w->text_len + 1);
		if (w->text_len > 0)
			memcpy(w->text, sqlite3_column_blob(st, 0),
			       (size_t)w->text_len);
		w->text[w->text_len] = '\0';
		copy_col(st, 1, w->hash, sizeof(w->hash));
		copy_col(st, 2, w->kind, sizeof(w->kind));
		copy_col(st, 3, w->ptime, sizeof(w->ptime));
		copy_col(st, 4, w->keyword, sizeof(w->keyword));
		w->media = sqlite3_column_text(st, 5)
				   ? strdup((const char *)sqlite3_column_text(
					     st, 5))
				   : NULL;
		copy_col(st, 6, w->code, sizeof(w->code));
	}
	sqlite3_finalize(st);
	return n;
}

static void check_row(struct run *r, size_t i, json_t *e, struct row *w,
		      const char *key)
{
	json_t *v;
	size_t k;
	char want[CRYPTO_SHA256_HEX];
	const char *s;

	if ((v = json_object_get(e, "text")) != NULL &&
	    ((size_t)w->text_len != json_string_length(v) ||
	     memcmp(w->text, json_string_value(v), (size_t)w->text_len)))
		fail(r, "message %zu: text differs", i);
	json_array_foreach(json_object_get(e, "text_contains"), k,
			   v) if (!memmem(w->text, (size_t)w->text_len,
					  json_string_value(v),
					  json_string_length(v)))
		fail(r, "message %zu: text lacks '%s'", i,
		     json_string_value(v));
	if (json_is_true(json_object_get(e, "text_has_no_nul")) &&
	    memchr(w->text, 0, (size_t)w->text_len))
		fail(r, "message %zu: text holds a NUL", i);
	if ((s = str(e, "from")) != NULL) {
		crypto_hmac_sha256_hex(key, strlen(key), s, strlen(s), want);
		if (strcmp(want, w->hash) != 0)
			fail(r, "message %zu: sender hash is not that of %s", i,
			     s);
	}
	if ((s = str(e, "from_kind")) && strcmp(s, w->kind))
		fail(r, "message %zu: from_kind %s, expected %s", i, w->kind,
		     s);
	if ((s = str(e, "provider_time")) && strncmp(s, w->ptime, 19))
		fail(r, "message %zu: provider_time %s, expected %s", i,
		     w->ptime, s);
	if ((s = str(e, "keyword")) && strcmp(s, w->keyword))
		fail(r, "message %zu: keyword '%s', expected %s", i, w->keyword,
		     s);
	if ((v = json_object_get(e, "media")) != NULL) {
		json_t *got = w->media ? json_loads(w->media, 0, NULL) : NULL;

		if (!json_equal(got, v))
			fail(r, "message %zu: media differs", i);
		json_decref(got);
	}
}

/* No stored byte may hold an expected sender number's digits. */
static void check_no_number(struct run *r, const char *e164)
{
	static const char *const sfx[] = {"", "-wal", "/../sms.log"};
	char path[700], *data;
	FILE *fp;
	long n;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (i < 2)
			snprintf(path, sizeof(path), "%s%s", r->db, sfx[i]);
		else
			snprintf(path, sizeof(path), "%s/sms.log", r->dir);
		fp = fopen(path, "rb");
		if (fp == NULL)
			continue;
		fseek(fp, 0, SEEK_END);
		n = ftell(fp);
		fseek(fp, 0, SEEK_SET);
		data = malloc((size_t)n + 1);
		if (data && fread(data, 1, (size_t)n, fp) == (size_t)n &&
		    memmem(data, (size_t)n, e164 + 1, strlen(e164 + 1)))
			fail(r, "the number %s is written in %s", e164, path);
		free(data);
		fclose(fp);
	}
}

static void check_messages(struct run *r)
{
	json_t *ex = json_object_get(r->c, "expect");
	json_t *msgs = json_object_get(ex, "messages"), *e, *pair;
	struct row rows[MAX_REQUESTS];
	char key[200] = "";
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	size_t n, i;

	memset(rows, 0, sizeof(rows));
	if (sqlite3_open_v2(r->db, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		fail(r, "cannot open %s", r->db);
		sqlite3_close(db);
		return;
	}
	if (sqlite3_prepare_v2(db,
			       "SELECT value FROM meta WHERE key='phone_key'",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		copy_col(st, 0, key, sizeof(key));
	sqlite3_finalize(st);
	n = load_rows(r, db, rows, MAX_REQUESTS);
	if (msgs != NULL && json_array_size(msgs) != n)
		fail(r, "%zu messages stored, expected %zu", n,
		     json_array_size(msgs));
	json_array_foreach(msgs, i, e)
	{
		if (i < n)
			check_row(r, i, e, &rows[i], key);
		if (str(e, "from") != NULL)
			check_no_number(r, str(e, "from"));
	}
	json_array_foreach(json_object_get(ex, "same_contact"), i, pair)
	{
		size_t a = (size_t)json_integer_value(json_array_get(pair, 0));
		size_t b = (size_t)json_integer_value(json_array_get(pair, 1));

		if (a >= n || b >= n || strcmp(rows[a].hash, rows[b].hash))
			fail(r, "messages %zu and %zu are not one contact", a,
			     b);
	}
	for (i = 0; i < n; i++) {
		free(rows[i].text);
		free(rows[i].media);
	}
	sqlite3_close(db);
}

static void check_replies(struct run *r)
{
	json_t *ex = json_object_get(r->c, "expect"), *v;
	size_t i, k, acks = 0;
	int any_reply = 0, hit = 0;

	for (i = 0; i < r->nans; i++)
		acks += r->ans[i].reply.len > 0;
	if ((v = json_object_get(ex, "acks")) != NULL &&
	    acks != (size_t)json_integer_value(v))
		fail(r, "%zu acknowledgements, expected %lld", acks,
		     (long long)json_integer_value(v));
	json_array_foreach(json_object_get(ex, "acks_to"), i, v)
	{
		struct answer *a = &r->ans[i];
		int acked = a->reply.len > 0 && a->code[0] != '\0' &&
			    strstr(a->reply.data, a->code) != NULL;

		if (i >= r->nans)
			break;
		if (json_is_true(v) && a->reply.len == 0)
			fail(r, "request %zu: no reply, expected one", i);
		if (json_is_false(v) && acked)
			fail(r, "request %zu: acknowledged, expected none", i);
	}
	if (json_is_true(json_object_get(ex, "same_code_on_replay")))
		for (i = 0; i < r->nans; i++)
			if (r->ans[i].code[0] == '\0' ||
			    strcmp(r->ans[i].code, r->ans[0].code) != 0)
				fail(r, "request %zu: code '%s', first '%s'", i,
				     r->ans[i].code, r->ans[0].code);
	for (i = 0; i < r->nans; i++) {
		struct answer *a = &r->ans[i];

		if (a->reply.len == 0)
			continue;
		any_reply = 1;
		if (json_is_true(
			    json_object_get(ex, "reply_gsm7_single_segment")) &&
		    gsm7_segments(a->reply.data, a->reply.len) != 1)
			fail(r, "request %zu: reply is not one GSM-7 segment",
			     i);
		json_array_foreach(json_object_get(ex, "reply_contains_any"), k,
				   v) if (strstr(a->reply.data,
						 json_string_value(v))) hit = 1;
	}
	if (json_is_true(json_object_get(ex, "reply_gsm7_single_segment")) &&
	    !any_reply)
		fail(r, "no reply at all");
	if (json_array_size(json_object_get(ex, "reply_contains_any")) && !hit)
		fail(r, "no reply holds any of reply_contains_any");
}

static void run_case(const char *chorus, const char *workdir, const char *file)
{
	struct run r;
	json_error_t jerr;
	const char *name, *gw;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.chorus = chorus;
	r.c = json_load_file(file, 0, &jerr);
	if (r.c == NULL) {
		printf("not ok - %s: %s\n", file, jerr.text);
		return;
	}
	name = str(r.c, "name") ? str(r.c, "name") : file;
	gw = str(r.c, "gateway") ? str(r.c, "gateway") : "?";
	snprintf(r.dir, sizeof(r.dir), "%s/%s", workdir, name);
	snprintf(r.db, sizeof(r.db), "%s/site.db", r.dir);
	mkdir(r.dir, 0700);
	if (setup(&r, gw) < 0)
		fail(&r, "setup failed (see %s/setup.log)", r.dir);
	else if (exchange(&r, gw) == 0) {
		if (!inband(gw))
			replies_from_outbox(&r);
		check_responses(&r);
		check_messages(&r);
		check_replies(&r);
	}
	printf("%s - %s\n", r.failed ? "not ok" : "ok", name);
	for (i = 0; i < r.nans; i++) {
		buf_release(&r.ans[i].body);
		buf_release(&r.ans[i].reply);
	}
	json_decref(r.c);
}

int main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	struct sockaddr_in lo;
	unsigned port;
	int i;

	if (argc < 4) {
		fprintf(stderr, "usage: sms_cases CHORUS WORKDIR CASE...\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_ALL);
	port = proc_free_port();
	memset(&lo, 0, sizeof(lo));
	lo.sin_family = AF_INET;
	lo.sin_port = htons((uint16_t)port);
	lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, (uint16_t)port,
			     NULL, NULL, stand_in, NULL, MHD_OPTION_SOCK_ADDR,
			     (struct sockaddr *)&lo, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "sms_cases: cannot start the stand-in API\n");
		return 1;
	}
	snprintf(send_url, sizeof(send_url), "http://127.0.0.1:%u/send", port);
	for (i = 3; i < argc; i++) {
		run_case(argv[1], argv[2], argv[i]);
		fflush(stdout);
	}
	MHD_stop_daemon(d);
	curl_global_cleanup();
	return 0;
}
