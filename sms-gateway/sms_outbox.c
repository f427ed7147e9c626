/*
 * sms_outbox: the send APIs and the sender thread.  See sms_outbox.h.
 *
 * Requests are built by sms_send_build() with no I/O (the unit tests
 * check them byte for byte); the thread only picks rows, performs the
 * request with libcurl and records the result, each step in its own
 * short transaction so the intake writer is never held up by a slow
 * provider.
 */
#include "sms_outbox.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "gsm7.h"
#include "log.h"
#include "store.h"
#include "utf8.h"

#define SMS_SEND_BODY_MAX 16384
#define SMS_SEND_ANSWER_MAX 16384
#define SMS_BACKOFF_CAP_MS (3600 * 1000LL)
#define SMS_IDLE_MS 500

/*
 * Formats into out (room for size): 0, or -1 when the text did not fit.
 * Credentials, headers and ids are never sent cut short.
 */
static int sms_fmt(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int sms_fmt(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int sms_channel_outbox(const struct sms_channel *ch,
		       const struct sms_gateway *gw)
{
	if (!gw->inband)
		return 1;
	return strcmp(gw->name, "kannel") == 0 && ch->send_url != NULL;
}

int sms_channel_sends_later(const struct sms_channel *ch,
			    const struct sms_gateway *gw)
{
	if (sms_channel_outbox(ch, gw))
		return 1;
	return strcmp(gw->name, "twilio") == 0 && ch->account != NULL &&
	       (ch->api_key != NULL || ch->secret != NULL);
}

void sms_send_req_init(struct sms_send_req *rq)
{
	memset(rq, 0, sizeof(*rq));
	buf_init(&rq->url, 4096);
	buf_init(&rq->body, SMS_SEND_BODY_MAX);
}

void sms_send_req_release(struct sms_send_req *rq)
{
	buf_release(&rq->url);
	buf_release(&rq->body);
}

static const char *sms_or(const char *s, const char *def)
{
	return s != NULL ? s : def;
}

/* Appends "&name=value" (no '&' first on an empty body). */
static int sms_form_add(struct buf *b, const char *name, const char *v,
			size_t len)
{
	int rc = 0;

	if (b->len > 0)
		rc |= buf_putc(b, '&');
	rc |= buf_puts(b, name);
	rc |= buf_putc(b, '=');
	rc |= sms_url_escape(b, v, len);
	return rc;
}

static int sms_form_str(struct buf *b, const char *name, const char *v)
{
	return sms_form_add(b, name, v, strlen(v));
}

/* Text as UTF-16BE bytes. */
static int sms_utf16be(struct buf *out, const char *s, size_t len)
{
	size_t off = 0, n;
	uint32_t cp;
	int rc = 0;

	while (off < len && rc == 0) {
		n = utf8_decode(s + off, len - off, &cp);
		if (n == 0)
			return -1;
		off += n;
		if (cp > 0xFFFF) {
			uint32_t v = cp - 0x10000;
			uint32_t hi = 0xD800 + (v >> 10),
				 lo = 0xDC00 + (v & 0x3FF);

			rc |= buf_putc(out, (char)(hi >> 8));
			rc |= buf_putc(out, (char)(hi & 0xFF));
			cp = lo;
		}
		rc |= buf_putc(out, (char)(cp >> 8));
		rc |= buf_putc(out, (char)(cp & 0xFF));
	}
	return rc;
}

/* Kannel sendsms: the configured URL plus to, text, and coding. */
static int sms_build_kannel(const struct sms_channel *ch, const char *to,
			    const char *text, struct sms_send_req *rq)
{
	struct gsm7_plan plan;
	struct buf q, wide;
	int rc = 0;

	if (gsm7_plan(text, strlen(text), &plan) < 0)
		return -1;
	buf_init(&q, 4096);
	rc |= sms_form_str(&q, "to", to);
	if (ch->sender != NULL)
		rc |= sms_form_str(&q, "from", ch->sender);
	if (plan.ucs2) {
		buf_init(&wide, 2048);
		rc |= sms_utf16be(&wide, text, strlen(text));
		rc |= sms_form_add(&q, "text", wide.data ? wide.data : "",
				   wide.len);
		rc |= sms_form_str(&q, "coding", "2");
		rc |= sms_form_str(&q, "charset", "UTF-16BE");
		buf_release(&wide);
	} else {
		rc |= sms_form_str(&q, "text", text);
		rc |= sms_form_str(&q, "charset", "UTF-8");
	}
	rc |= buf_puts(&rq->url, ch->send_url);
	rc |= buf_putc(&rq->url, strchr(ch->send_url, '?') ? '&' : '?');
	rc |= buf_append(&rq->url, q.data ? q.data : "", q.len);
	buf_release(&q);
	memcpy(rq->method, "GET", 4);
	return rc;
}

static int sms_build_at(const struct sms_channel *ch, const char *to,
			const char *text, struct sms_send_req *rq)
{
	int rc = 0;

	rc |= buf_puts(&rq->url,
		       sms_or(ch->send_url, "https://api.africastalking.com"
					    "/version1/messaging"));
	rc |= sms_form_str(&rq->body, "username", sms_or(ch->account, ""));
	rc |= sms_form_str(&rq->body, "to", to);
	rc |= sms_form_str(&rq->body, "message", text);
	if (ch->sender != NULL)
		rc |= sms_form_str(&rq->body, "from", ch->sender);
	rc |= sms_fmt(rq->headers[0], sizeof(rq->headers[0]), "apiKey: %s",
		      sms_or(ch->api_key, ""));
	rc |= sms_fmt(rq->headers[1], sizeof(rq->headers[1]),
		      "Accept: application/json");
	return rc;
}

static int sms_build_vonage(const struct sms_channel *ch, const char *to,
			    const char *text, struct sms_send_req *rq)
{
	struct gsm7_plan plan;
	int rc = 0;

	if (gsm7_plan(text, strlen(text), &plan) < 0)
		return -1;
	rc |= buf_puts(&rq->url,
		       sms_or(ch->send_url, "https://rest.nexmo.com/sms/json"));
	rc |= sms_form_str(&rq->body, "api_key", sms_or(ch->account, ""));
	rc |= sms_form_str(&rq->body, "api_secret", sms_or(ch->api_key, ""));
	rc |= sms_form_str(&rq->body, "from", sms_or(ch->sender, "Chorus"));
	rc |= sms_form_str(&rq->body, "to", to + 1);
	rc |= sms_form_str(&rq->body, "text", text);
	if (plan.ucs2)
		rc |= sms_form_str(&rq->body, "type", "unicode");
	return rc;
}

/* Puts JSON j (taken) as the body. */
static int sms_json_body(struct sms_send_req *rq, json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	int rc = s ? buf_puts(&rq->body, s) : -1;

	free(s);
	json_decref(j);
	return rc | sms_fmt(rq->headers[2], sizeof(rq->headers[2]),
			    "Content-Type: application/json");
}

static int sms_build_plivo(const struct sms_channel *ch, const char *to,
			   const char *text, struct sms_send_req *rq)
{
	const char *acc = sms_or(ch->account, "");
	int rc = 0;

	if (ch->send_url != NULL)
		rc |= buf_puts(&rq->url, ch->send_url);
	else
		rc |= buf_printf(&rq->url,
				 "https://api.plivo.com/v1/Account/%s/Message/",
				 acc);
	rc |= sms_fmt(rq->userpwd, sizeof(rq->userpwd), "%s:%s", acc,
		      sms_or(ch->api_key, sms_or(ch->secret, "")));
	return rc | sms_json_body(rq, json_pack("{s:s, s:s, s:s}", "src",
						sms_or(ch->sender, ""), "dst",
						to + 1, "text", text));
}

/*
 * Twilio's Messages API: Basic auth with the account SID and the auth
 * token (--api-key, else the webhook --secret, which is the same token),
 * From a number or, for an "MG..." sender, a messaging service.
 */
static int sms_build_twilio(const struct sms_channel *ch, const char *to,
			    const char *text, struct sms_send_req *rq)
{
	const char *acc = sms_or(ch->account, "");
	const char *from = sms_or(ch->sender, "");
	int rc = 0;

	if (ch->send_url != NULL)
		rc |= buf_puts(&rq->url, ch->send_url);
	else
		rc |= buf_printf(&rq->url,
				 "https://api.twilio.com/2010-04-01/Accounts"
				 "/%s/Messages.json",
				 acc);
	rc |= sms_fmt(rq->userpwd, sizeof(rq->userpwd), "%s:%s", acc,
		      sms_or(ch->api_key, sms_or(ch->secret, "")));
	rc |= sms_form_str(&rq->body, "To", to);
	rc |= sms_form_str(&rq->body,
			   strncmp(from, "MG", 2) == 0 ? "MessagingServiceSid"
						       : "From",
			   from);
	return rc | sms_form_str(&rq->body, "Body", text);
}

static int sms_build_infobip(const struct sms_channel *ch, const char *to,
			     const char *text, struct sms_send_req *rq)
{
	int rc = buf_puts(&rq->url,
			  sms_or(ch->send_url, "https://api.infobip.com"
					       "/sms/2/text/advanced"));

	rc |= sms_fmt(rq->headers[0], sizeof(rq->headers[0]),
		      "Authorization: App %s", sms_or(ch->api_key, ""));
	return rc | sms_json_body(rq, json_pack("{s:[{s:s, s:[{s:s}], s:s}]}",
						"messages", "from",
						sms_or(ch->sender, "Chorus"),
						"destinations", "to", to + 1,
						"text", text));
}

static int sms_build_asg(const struct sms_channel *ch, const char *to,
			 const char *text, int64_t n, struct sms_send_req *rq)
{
	char id[64];
	int rc = buf_puts(&rq->url,
			  sms_or(ch->send_url, "https://api.sms-gate.app"
					       "/3rdparty/v1/messages"));

	/* A stable id: the phone answers 409 to a resend it already has. */
	rc |= sms_fmt(id, sizeof(id), "chorus-%s-%lld", ch->name, (long long)n);
	rc |= sms_fmt(rq->userpwd, sizeof(rq->userpwd), "%s:%s",
		      sms_or(ch->account, "sms"), sms_or(ch->api_key, ""));
	return rc | sms_json_body(rq, json_pack("{s:{s:s}, s:[s], s:s}",
						"textMessage", "text", text,
						"phoneNumbers", to, "id", id));
}

static int sms_build_generic(const struct sms_channel *ch, const char *to,
			     const char *text, struct sms_send_req *rq)
{
	char fmt[8] = "form";
	int rc;

	if (ch->send_url == NULL)
		return -1;
	rc = buf_puts(&rq->url, ch->send_url);
	sms_channel_option(ch, "format", "form", fmt, sizeof(fmt));
	if (strcmp(fmt, "json") == 0)
		return rc | sms_json_body(rq, json_pack("{s:s, s:s}", "to", to,
							"text", text));
	rc |= sms_form_str(&rq->body, "to", to);
	return rc | sms_form_str(&rq->body, "text", text);
}

int sms_send_build(const struct sms_channel *ch, const char *to,
		   const char *text, int64_t n, struct sms_send_req *rq)
{
	const char *g = ch->gateway;

	memcpy(rq->method, "POST", 5);
	if (strcmp(g, "kannel") == 0 && ch->send_url != NULL)
		return sms_build_kannel(ch, to, text, rq);
	if (strcmp(g, "africastalking") == 0)
		return sms_build_at(ch, to, text, rq);
	if (strcmp(g, "vonage") == 0)
		return sms_build_vonage(ch, to, text, rq);
	if (strcmp(g, "plivo") == 0)
		return sms_build_plivo(ch, to, text, rq);
	if (strcmp(g, "infobip") == 0)
		return sms_build_infobip(ch, to, text, rq);
	if (strcmp(g, "twilio") == 0)
		return sms_build_twilio(ch, to, text, rq);
	if (strcmp(g, "android-sms-gateway") == 0)
		return sms_build_asg(ch, to, text, n, rq);
	if (strcmp(g, "generic") == 0)
		return sms_build_generic(ch, to, text, rq);
	return -1;
}

/* Vonage answers 200 and says per message: "0" sent, "1" throttled. */
static enum sms_send_result sms_judge_vonage(const char *body, size_t len)
{
	json_t *j = json_loadb(body, len, 0, NULL);
	const char *st = json_string_value(json_object_get(
		json_array_get(json_object_get(j, "messages"), 0), "status"));
	enum sms_send_result r = SMS_SEND_FAIL;

	if (st != NULL && strcmp(st, "0") == 0)
		r = SMS_SEND_OK;
	else if (st != NULL && strcmp(st, "1") == 0)
		r = SMS_SEND_RETRY;
	json_decref(j);
	return r;
}

/* Africa's Talking: statusCode 100 to 102 mean taken. */
static enum sms_send_result sms_judge_at(const char *body, size_t len)
{
	json_t *j = json_loadb(body, len, 0, NULL);
	json_t *r = json_array_get(
		json_object_get(json_object_get(j, "SMSMessageData"),
				"Recipients"),
		0);
	json_int_t code = json_integer_value(json_object_get(r, "statusCode"));
	enum sms_send_result res = SMS_SEND_OK;

	if (r != NULL && (code < 100 || code > 102))
		res = code == 405 || code >= 500 ? SMS_SEND_RETRY
						 : SMS_SEND_FAIL;
	json_decref(j);
	return res;
}

enum sms_send_result sms_send_judge(const struct sms_channel *ch, long status,
				    const char *body, size_t len)
{
	if (status == 0 || status == 408 || status == 429 || status >= 500)
		return SMS_SEND_RETRY;
	if (status == 409 && strcmp(ch->gateway, "android-sms-gateway") == 0)
		return SMS_SEND_OK;
	if (status < 200 || status > 299)
		return SMS_SEND_FAIL;
	if (strcmp(ch->gateway, "vonage") == 0)
		return sms_judge_vonage(body, len);
	if (strcmp(ch->gateway, "africastalking") == 0)
		return sms_judge_at(body, len);
	return SMS_SEND_OK;
}

int64_t sms_outbox_backoff(int64_t base_ms, int attempts, double r)
{
	int64_t d = base_ms;
	int i;

	for (i = 1; i < attempts && d < SMS_BACKOFF_CAP_MS; i++)
		d *= 2;
	if (d > SMS_BACKOFF_CAP_MS)
		d = SMS_BACKOFF_CAP_MS;
	return (int64_t)((double)d * (0.5 + r));
}

/* ---- the sender thread ----------------------------------------------- */

struct sms_outbox {
	struct sms_outbox_config cfg;
	sqlite3 *db;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stopping;
	int woken;
};

/* A due row, copied out of the database. */
struct sms_due {
	int64_t n;
	char channel[SMS_CHANNEL_NAME_MAX + 1];
	char to[SMS_PHONE_KEY_MAX];
	char hash[CRYPTO_SHA256_HEX];
	char body[2048];
	int attempts;
	int opted_out;
	int too_long; /* a column did not fit: never send it cut short */
};

static const struct sms_channel *sms_outbox_channel(const struct sms_outbox *o,
						    const char *name)
{
	size_t i;

	for (i = 0; i < o->cfg.nchs; i++)
		if (strcmp(o->cfg.chs[i].name, name) == 0)
			return &o->cfg.chs[i];
	return NULL;
}

/* Column i into out (room for n): 0, or -1 when it did not fit. */
static int sms_col(sqlite3_stmt *st, int i, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return sms_fmt(out, n, "%s", t ? (const char *)t : "");
}

/* The next due row into *d: 1 found, 0 none, -1 error. */
static int sms_outbox_next(struct sms_outbox *o, struct sms_due *d)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(o->db,
			       "SELECT b.n, b.channel, b.to_number, b.to_hash,"
			       " b.body, b.attempts,"
			       " coalesce(c.opted_out, 0) FROM sms_outbox b"
			       " LEFT JOIN contacts c ON c.hash = b.to_hash"
			       " WHERE b.state = 'pending' AND b.next_at <= ?"
			       " ORDER BY b.next_at LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, store_now_ms());
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		d->n = sqlite3_column_int64(st, 0);
		d->too_long = (sms_col(st, 1, d->channel, sizeof(d->channel)) |
			       sms_col(st, 2, d->to, sizeof(d->to)) |
			       sms_col(st, 3, d->hash, sizeof(d->hash)) |
			       sms_col(st, 4, d->body, sizeof(d->body))) != 0;
		d->attempts = sqlite3_column_int(st, 5);
		d->opted_out = sqlite3_column_int(st, 6);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static size_t sms_outbox_write(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;

	/* Keep what fits; a long answer is judged by its beginning. */
	buf_append(b, p, size * n);
	return size * n;
}

static int sms_outbox_progress(void *arg, curl_off_t a, curl_off_t b,
			       curl_off_t c, curl_off_t d)
{
	struct sms_outbox *o = arg;
	int stop;

	(void)a;
	(void)b;
	(void)c;
	(void)d;
	pthread_mutex_lock(&o->lock);
	stop = o->stopping;
	pthread_mutex_unlock(&o->lock);
	return stop;
}

/* Performs rq; the HTTP status (0 when no answer) and the answer body. */
static long sms_outbox_perform(struct sms_outbox *o,
			       const struct sms_send_req *rq, struct buf *ans,
			       char *err, size_t errlen)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hd = NULL;
	long status = 0;
	CURLcode rc;
	int i;

	if (h == NULL)
		return 0;
	curl_easy_setopt(h, CURLOPT_URL, rq->url.data);
	for (i = 0; i < SMS_SEND_HEADERS; i++)
		if (rq->headers[i][0] != '\0')
			hd = curl_slist_append(hd, rq->headers[i]);
	hd = curl_slist_append(hd, "Expect:");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	if (strcmp(rq->method, "POST") == 0) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)rq->body.len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS,
				 rq->body.data ? rq->body.data : "");
	}
	if (rq->userpwd[0] != '\0')
		curl_easy_setopt(h, CURLOPT_USERPWD, rq->userpwd);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 15L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sms_outbox_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, ans);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, sms_outbox_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, o);
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	else
		snprintf(err, errlen, "%s", curl_easy_strerror(rc));
	curl_slist_free_all(hd);
	curl_easy_cleanup(h);
	return status;
}

/* Records the attempt on row d; erases the number when nothing pends. */
static int sms_outbox_record(struct sms_outbox *o, const struct sms_due *d,
			     const char *state, long status, const char *err,
			     int64_t next_at)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = store_begin(o->db);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_prepare_v2(o->db,
				"UPDATE sms_outbox SET state = ?, attempts ="
				" attempts + 1, last_status = ?, last_error ="
				" ?, next_at = ?, done_at = CASE WHEN ? ="
				" 'pending' THEN NULL ELSE ? END WHERE n = ?",
				-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
		if (status > 0)
			sqlite3_bind_int64(st, 2, status);
		if (err != NULL && err[0] != '\0')
			sqlite3_bind_text(st, 3, err, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, next_at);
		sqlite3_bind_text(st, 5, state, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, store_now_ms());
		sqlite3_bind_int64(st, 7, d->n);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(
			o->db,
			"UPDATE sms_outbox SET to_number = NULL"
			" WHERE to_hash = ?1 AND to_number IS NOT NULL"
			" AND NOT EXISTS (SELECT 1 FROM sms_outbox"
			" WHERE to_hash = ?1 AND state = 'pending')",
			-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, d->hash, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK)
		rc = store_commit(o->db);
	if (rc != SQLITE_OK)
		store_rollback(o->db);
	return rc;
}

static double sms_jitter(void)
{
	uint32_t r = 0;

	crypto_random(&r, sizeof(r));
	return (double)r / 4294967296.0;
}

/* Sends one due row and records what happened. */
static void sms_outbox_send(struct sms_outbox *o, const struct sms_due *d)
{
	const struct sms_channel *ch = sms_outbox_channel(o, d->channel);
	struct sms_send_req rq;
	struct buf ans;
	enum sms_send_result res = SMS_SEND_FAIL;
	char err[256] = "";
	long status = 0;
	int64_t next = store_now_ms();

	if (d->opted_out) {
		sms_outbox_record(o, d, "dropped", 0, "opted out", next);
		return;
	}
	sms_send_req_init(&rq);
	buf_init(&ans, SMS_SEND_ANSWER_MAX);
	if (d->too_long) {
		snprintf(err, sizeof(err),
			 "outbox row longer than the sender"
			 " takes");
	} else if (ch == NULL || d->to[0] == '\0' ||
		   sms_send_build(ch, d->to, d->body, d->n, &rq) < 0) {
		snprintf(err, sizeof(err),
			 "cannot build the send request (a"
			 " credential too long?)");
	} else {
		status = sms_outbox_perform(o, &rq, &ans, err, sizeof(err));
		res = sms_send_judge(ch, status, ans.data ? ans.data : "",
				     ans.len);
	}
	if (res == SMS_SEND_RETRY && d->attempts + 1 >= o->cfg.retry_max)
		res = SMS_SEND_FAIL;
	if (res == SMS_SEND_RETRY)
		next += sms_outbox_backoff(o->cfg.retry_base_ms,
					   d->attempts + 1, sms_jitter());
	if (res != SMS_SEND_OK)
		log_warn("sms: outbox %lld on channel %s: %s (status %ld,"
			 " attempt %d)",
			 (long long)d->n, d->channel,
			 res == SMS_SEND_RETRY ? "will retry" : "failed",
			 status, d->attempts + 1);
	sms_outbox_record(o, d,
			  res == SMS_SEND_OK	  ? "sent"
			  : res == SMS_SEND_RETRY ? "pending"
						  : "failed",
			  status, err, next);
	sms_send_req_release(&rq);
	buf_release(&ans);
}

/* Joins stale parts of every channel into incomplete items. */
static void sms_outbox_expire(struct sms_outbox *o)
{
	const struct sms_gateway *gw;
	int64_t before = store_now_ms() - o->cfg.parts_timeout_ms;
	size_t i;
	int made = 0, rc;

	for (i = 0; i < o->cfg.nchs; i++) {
		gw = sms_gateway_find(o->cfg.chs[i].gateway);
		if (gw == NULL || store_begin(o->db) != SQLITE_OK)
			continue;
		rc = sms_store_expire_parts(
			o->db, &o->cfg.chs[i], o->cfg.limits,
			sms_channel_outbox(&o->cfg.chs[i], gw), before, &made);
		if (rc == SQLITE_OK && store_commit(o->db) == SQLITE_OK) {
			if (made > 0)
				log_info("sms: channel %s: %d long message(s)"
					 " stored incomplete after the parts"
					 " timeout",
					 o->cfg.chs[i].name, made);
			continue;
		}
		store_rollback(o->db);
	}
}

/* Waits up to ms for a wake-up; returns 1 when stopping. */
static int sms_outbox_wait(struct sms_outbox *o, int64_t ms)
{
	struct timespec ts;
	int stop;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&o->lock);
	while (!o->stopping && !o->woken)
		if (pthread_cond_timedwait(&o->cond, &o->lock, &ts) != 0)
			break;
	o->woken = 0;
	stop = o->stopping;
	pthread_mutex_unlock(&o->lock);
	return stop;
}

static void *sms_outbox_main(void *arg)
{
	struct sms_outbox *o = arg;
	struct sms_due *d = malloc(sizeof(*d));
	int found;

	if (d == NULL)
		return NULL;
	for (;;) {
		sms_outbox_expire(o);
		found = sms_outbox_next(o, d);
		if (found == 1) {
			sms_outbox_send(o, d);
			if (sms_outbox_progress(o, 0, 0, 0, 0))
				break;
			continue;
		}
		if (sms_outbox_wait(o, SMS_IDLE_MS))
			break;
	}
	free(d);
	return NULL;
}

struct sms_outbox *sms_outbox_start(const struct sms_outbox_config *cfg,
				    char *err, size_t errlen)
{
	struct sms_outbox *o = calloc(1, sizeof(*o));

	if (o == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	o->cfg = *cfg;
	if (store_open(cfg->path, 0, &o->db, err, errlen) < 0) {
		free(o);
		return NULL;
	}
	/* An erased number must not linger in free space of the file. */
	store_exec(o->db, "PRAGMA secure_delete = ON");
	pthread_mutex_init(&o->lock, NULL);
	pthread_cond_init(&o->cond, NULL);
	if (pthread_create(&o->thread, NULL, sms_outbox_main, o) != 0) {
		snprintf(err, errlen, "cannot start the sender thread");
		store_close(o->db);
		pthread_mutex_destroy(&o->lock);
		pthread_cond_destroy(&o->cond);
		free(o);
		return NULL;
	}
	return o;
}

void sms_outbox_wake(struct sms_outbox *o)
{
	if (o == NULL)
		return;
	pthread_mutex_lock(&o->lock);
	o->woken = 1;
	pthread_cond_signal(&o->cond);
	pthread_mutex_unlock(&o->lock);
}

void sms_outbox_stop(struct sms_outbox *o)
{
	if (o == NULL)
		return;
	pthread_mutex_lock(&o->lock);
	o->stopping = 1;
	pthread_cond_signal(&o->cond);
	pthread_mutex_unlock(&o->lock);
	pthread_join(o->thread, NULL);
	store_close(o->db);
	pthread_mutex_destroy(&o->lock);
	pthread_cond_destroy(&o->cond);
	free(o);
}
