/*
 * chorus sms: takes SMS from gateways at /sms/NAME, one path per channel.
 *
 * A request goes through libmicrohttpd's usual calls: the first finds the
 * channel and its gateway (sms_gateway.h), the middle ones gather the
 * upload (at most SMS_BODY_MAX), the last has the gateway check and read
 * it (no I/O there), hashes each sender, and hands one intake job to the
 * group-commit writer while the connection is suspended.  The writer runs
 * sms_store_apply() for each message of the request and commits; done()
 * resumes the connection, and only then is the gateway answered, so a
 * 2xx always means the messages are on disk.  The answer is what the
 * gateway expects (TwiML, Kannel's plain body, SMSSync's or Telerivet's
 * JSON, else {"ok":true}) carrying the reply in-band where the gateway
 * can; otherwise the reply is an sms_outbox row, written in the same
 * transaction, that the sender thread (sms_outbox.h) sends.  Every
 * answer about a stored message, first or replay, carries the item's
 * code in X-Chorus-Code.
 *
 * Nothing here logs a phone number or a message text.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "cli.h"
#include "form.h"
#include "http.h"
#include "intake.h"
#include "log.h"
#include "gsm7.h"
#include "sms_channel.h"
#include "sms_gateway.h"
#include "sms_outbox.h"
#include "sms_parse.h"
#include "sms_phone.h"
#include "sms_store.h"
#include "store.h"

static const char sms_usage[] =
	"usage: chorus sms --db FILE --listen HOST:PORT [--phone-limit N]\n"
	"         [--channel-limit N] [--retry-base-ms MS] [--retry-max N]\n"
	"         [--parts-timeout S]\n"
	"\n"
	"Takes SMS from the gateways of every channel in FILE (see 'chorus\n"
	"channel add') at http://HOST:PORT/sms/NAME, stores each message as\n"
	"an item, and answers with the reply SMS in the gateway's format or\n"
	"sends it through the gateway's send API.  Stops cleanly on SIGINT\n"
	"or SIGTERM.\n"
	"\n"
	"  --phone-limit    messages per phone per hour (default 30)\n"
	"  --channel-limit  messages per channel per minute (default 1200)\n"
	"  --retry-base-ms  first send retry delay (default 30000)\n"
	"  --retry-max      send attempts before giving up (default 8)\n"
	"  --parts-timeout  seconds to wait for the rest of a long message\n"
	"                   (default 3600)\n";

#define SMS_KEY_MAX 160
#define SMS_REPLY_MAX 1024

static const char sms_twiml_head[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

struct sms_server {
	struct sms_channel *chs;
	size_t nchs;
	char phone_key[SMS_KEY_MAX];
	struct sms_limits limits;
	struct intake *intake;
	struct sms_outbox *outbox;
	sqlite3 *reader;      /* read-only, used by the one HTTP thread only */
	pthread_mutex_t lock; /* guards stopping against intake_submit */
	int stopping;
};

enum sms_phase { SMS_NEW, SMS_WAITING, SMS_DONE };

struct sms_req {
	struct intake_job job;
	struct MHD_Connection *conn;
	struct sms_server *srv;
	const struct sms_channel *ch;
	const struct sms_gateway *gw;
	struct sms_incoming *in; /* n messages, none for an ignored event */
	size_t n;
	enum sms_phase phase;
};

static void sms_req_free(void *p)
{
	struct sms_req *r = p;
	size_t i;

	for (i = 0; i < r->n; i++) {
		sms_msg_release(&r->in[i].msg);
		buf_release(&r->in[i].reply);
	}
	free(r->in);
	free(r);
}

static const struct sms_channel *sms_find(const struct sms_server *srv,
					  const char *url)
{
	size_t i;

	if (strncmp(url, "/sms/", 5) != 0)
		return NULL;
	for (i = 0; i < srv->nchs; i++)
		if (strcmp(url + 5, srv->chs[i].name) == 0)
			return &srv->chs[i];
	return NULL;
}

/* Answers with the safety headers and, when code is set, X-Chorus-Code. */
static enum MHD_Result sms_answer(struct MHD_Connection *c, unsigned status,
				  const char *ctype, const char *code,
				  const char *body, size_t len, int ucs2)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)body,
					    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'none'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (code != NULL && code[0] != '\0')
		MHD_add_response_header(r, "X-Chorus-Code", code);
	/* Kannel: send the reply as UCS-2 (it recodes our UTF-8 itself). */
	if (ucs2)
		MHD_add_response_header(r, "X-Kannel-Coding", "2");
	if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "60");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result sms_answer_json(struct MHD_Connection *c,
				       unsigned status, const char *code,
				       json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	enum MHD_Result ret = MHD_NO;

	if (s != NULL)
		ret = sms_answer(c, status, "application/json", code, s,
				 strlen(s), 0);
	free(s);
	json_decref(j);
	return ret;
}

/* An error in the form the gateway reads (SMSSync needs its JSON). */
static enum MHD_Result sms_fail(struct MHD_Connection *c,
				const struct sms_gateway *gw, unsigned status,
				const char *why)
{
	char line[160];

	if (gw != NULL && gw->answer == SMS_ANSWER_SMSSYNC)
		return sms_answer_json(c, status, NULL,
				       json_pack("{s:{s:b, s:s}}", "payload",
						 "success", 0, "error", why));
	if (gw != NULL && gw->answer != SMS_ANSWER_TWIML &&
	    gw->answer != SMS_ANSWER_TEXT)
		return sms_answer_json(c, status, NULL,
				       json_pack("{s:s}", "error", why));
	snprintf(line, sizeof(line), "%s\n", why);
	return sms_answer(c, status, "text/plain; charset=utf-8", NULL, line,
			  strlen(line), 0);
}

static enum MHD_Result sms_reply_twiml(struct MHD_Connection *c,
				       const struct sms_incoming *in)
{
	struct buf b;
	enum MHD_Result ret;
	int rc = 0;

	buf_init(&b, 4 * SMS_REPLY_MAX);
	rc |= buf_puts(&b, sms_twiml_head);
	if (in == NULL || in->reply.len == 0) {
		rc |= buf_puts(&b, "<Response/>");
	} else {
		rc |= buf_puts(&b, "<Response><Message>");
		rc |= sms_xml_escape(&b, in->reply.data, in->reply.len);
		rc |= buf_puts(&b, "</Message></Response>");
	}
	ret = rc ? MHD_NO
		 : sms_answer(c, MHD_HTTP_OK, "text/xml; charset=utf-8",
			      in ? in->code : NULL, b.data, b.len, 0);
	buf_release(&b);
	return ret;
}

static enum MHD_Result sms_reply_plain(struct MHD_Connection *c,
				       const struct sms_incoming *in)
{
	struct gsm7_plan plan = {0, 0, 1};
	const char *t = in && in->reply.len ? in->reply.data : "";
	size_t len = in ? in->reply.len : 0;

	if (len > 0 && gsm7_plan(t, len, &plan) < 0)
		plan.ucs2 = 0;
	return sms_answer(c, MHD_HTTP_OK, "text/plain; charset=utf-8",
			  in ? in->code : NULL, t, len, plan.ucs2);
}

/* SMSSync: success, and the reply as a task the phone sends itself. */
static enum MHD_Result sms_reply_smssync(struct MHD_Connection *c,
					 const struct sms_req *r,
					 const struct sms_incoming *in)
{
	const char *secret = r->ch->secret ? r->ch->secret : "";
	char uuid[64];
	json_t *p;

	p = json_pack("{s:b, s:n}", "success", 1, "error");
	if (in != NULL && in->reply.len > 0 && p != NULL) {
		snprintf(uuid, sizeof(uuid), "chorus-%s", in->code);
		json_object_set_new(p, "task", json_string("send"));
		json_object_set_new(p, "secret", json_string(secret));
		json_object_set_new(p, "messages",
				    json_pack("[{s:s, s:s%, s:s}]", "to",
					      in->sender.key, "message",
					      in->reply.data, in->reply.len,
					      "uuid", uuid));
	} else if (strcmp(r->gw->name, "smssync") == 0 && r->n == 0 &&
		   p != NULL) {
		/* The phone's GET ?task=send poll: nothing waits for it. */
		json_object_set_new(p, "task", json_string("send"));
		json_object_set_new(p, "secret", json_string(secret));
		json_object_set_new(p, "messages", json_array());
	}
	return sms_answer_json(c, MHD_HTTP_OK, in ? in->code : NULL,
			       json_pack("{s:o}", "payload", p));
}

/* The answer to a request whose messages are committed. */
static enum MHD_Result sms_reply(struct MHD_Connection *c,
				 const struct sms_req *r)
{
	const struct sms_incoming *in = r->n > 0 ? &r->in[0] : NULL;
	const struct sms_incoming *rep = in && !in->outbox ? in : NULL;

	switch (r->gw->answer) {
	case SMS_ANSWER_TWIML:
		return sms_reply_twiml(c, in);
	case SMS_ANSWER_TEXT:
		if (rep == NULL)
			return sms_answer(c, MHD_HTTP_OK,
					  "text/plain; charset=utf-8",
					  in ? in->code : NULL, "", 0, 0);
		return sms_reply_plain(c, rep);
	case SMS_ANSWER_SMSSYNC:
		return sms_reply_smssync(c, r, in);
	case SMS_ANSWER_TELERIVET:
		if (in == NULL || in->reply.len == 0)
			return sms_answer_json(c, MHD_HTTP_OK,
					       in ? in->code : NULL,
					       json_object());
		return sms_answer_json(c, MHD_HTTP_OK, in->code,
				       json_pack("{s:[{s:s%}]}", "messages",
						 "content", in->reply.data,
						 in->reply.len));
	case SMS_ANSWER_JSON:
		break;
	}
	return sms_answer_json(c, MHD_HTTP_OK, in ? in->code : NULL,
			       json_pack("{s:b}", "ok", 1));
}

/* Runs on the writer thread inside the batch's transaction. */
static int sms_job_apply(sqlite3 *db, struct intake_job *job)
{
	struct sms_req *r = job->arg;
	size_t i;
	int rc = SQLITE_OK;

	for (i = 0; i < r->n && rc == SQLITE_OK; i++)
		rc = sms_store_apply(db, &r->in[i]);
	return rc;
}

/* Runs on the writer thread after the commit (or its failure). */
static void sms_job_done(struct intake_job *job)
{
	struct sms_req *r = job->arg;
	size_t i;

	for (i = 0; i < r->n && job->rc == SQLITE_OK; i++)
		if (r->in[i].queued) {
			sms_outbox_wake(r->srv->outbox);
			break;
		}
	r->phase = SMS_DONE;
	MHD_resume_connection(r->conn);
}

/* A request header for the gateway readers. */
static const char *sms_header_cb(void *ctx, const char *name)
{
	return http_header(ctx, name);
}

/* Moves the parsed messages of b into r->in, one incoming each. */
static int sms_take_batch(struct sms_server *srv, struct sms_req *r,
			  struct sms_batch *b)
{
	int64_t now = store_now_ms();
	size_t i;

	r->in = calloc(b->n ? b->n : 1, sizeof(*r->in));
	if (r->in == NULL)
		return -1;
	for (i = 0; i < b->n; i++) {
		struct sms_incoming *in = &r->in[r->n++];

		in->ch = r->ch;
		in->limits = &srv->limits;
		in->outbox = sms_channel_outbox(r->ch, r->gw);
		in->later = sms_channel_sends_later(r->ch, r->gw);
		in->msg = b->msgs[i];
		buf_init(&in->reply, SMS_REPLY_MAX);
		if (sms_store_identify(in, srv->phone_key, now) < 0) {
			b->n = 0;
			return -1;
		}
	}
	b->n = 0;
	return 0;
}

/* Reads the request into r->in.  0, or an HTTP status with *why. */
static int sms_read(struct sms_server *srv, struct MHD_Connection *c,
		    struct http_req *req, struct sms_req *r, const char *method,
		    const char **why)
{
	struct sms_batch *b = malloc(sizeof(*b));
	struct sms_http rq;
	int rc;

	if (b == NULL)
		return *why = "out of memory", 500;
	sms_batch_init(b);
	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.query = http_query(req, &rq.query_len);
	rq.body = req->body.data ? req->body.data : "";
	rq.body_len = req->body.len;
	rq.header = sms_header_cb;
	rq.header_ctx = c;
	rc = r->gw->parse(r->ch, &rq, b, why);
	if (rc == 0 && sms_take_batch(srv, r, b) < 0) {
		rc = 500;
		*why = "cannot hash the sender";
	}
	sms_batch_release(b);
	free(b);
	return rc;
}

/*
 * True when every message of r was stored before (committed rows): the
 * answer needs no writer.  Window fingerprints ("w:") and lookup errors
 * go the writer's way.
 */
static int sms_all_replays(struct sms_server *srv, struct sms_req *r)
{
	size_t i;

	if (srv->reader == NULL)
		return 0;
	for (i = 0; i < r->n; i++) {
		struct sms_incoming *in = &r->in[i];

		if (strncmp(in->msg.provider_id, "w:", 2) == 0 ||
		    sms_store_find(srv->reader, in) != SQLITE_OK || !in->replay)
			return 0;
	}
	return 1;
}

/* The last call: read, then submit and suspend. */
static enum MHD_Result sms_submit(struct sms_server *srv,
				  struct MHD_Connection *c,
				  struct http_req *req, struct sms_req *r,
				  const char *method)
{
	const char *why = NULL;
	int status, stopping;

	if (req->too_large)
		return sms_fail(c, r->gw, MHD_HTTP_CONTENT_TOO_LARGE,
				"request body too large");
	status = sms_read(srv, c, req, r, method, &why);
	if (status == MHD_HTTP_FORBIDDEN)
		log_warn("sms: channel %s: rejected a request: %s", r->ch->name,
			 why);
	if (status != 0)
		return sms_fail(c, r->gw, (unsigned)status, why);
	if (r->n == 0 || sms_all_replays(srv, r))
		return sms_reply(c, r);

	r->conn = c;
	r->srv = srv;
	r->job.apply = sms_job_apply;
	r->job.done = sms_job_done;
	r->job.arg = r;
	r->phase = SMS_WAITING;
	pthread_mutex_lock(&srv->lock);
	stopping = srv->stopping;
	if (!stopping) {
		MHD_suspend_connection(c);
		intake_submit(srv->intake, &r->job);
	}
	pthread_mutex_unlock(&srv->lock);
	if (stopping)
		return sms_fail(c, r->gw, MHD_HTTP_SERVICE_UNAVAILABLE,
				"shutting down");
	return MHD_YES;
}

static void sms_log_stored(const struct sms_req *r)
{
	const struct sms_incoming *in;
	size_t i;

	for (i = 0; i < r->n; i++) {
		in = &r->in[i];
		if (in->replay)
			log_info("sms: channel %s: replay of %s, nothing"
				 " stored",
				 r->ch->name,
				 in->partial ? "a part" : in->code);
		else if (in->partial)
			log_info("sms: channel %s: part of a long message"
				 " kept",
				 r->ch->name);
		else
			log_info("sms: channel %s: stored %s, sender kind"
				 " %s%s",
				 r->ch->name, in->code[0] ? in->code : "-",
				 sms_phone_kind_name(in->sender.kind),
				 in->queued	 ? ", reply queued"
				 : in->reply.len ? ", replied"
						 : "");
	}
}

/* After the writer: the answer, or an error when nothing was stored. */
static enum MHD_Result sms_finish(struct MHD_Connection *c, struct sms_req *r)
{
	size_t i;

	if (r->job.rc != SQLITE_OK) {
		log_error("sms: channel %s: cannot store a message: %s",
			  r->ch->name, sqlite3_errstr(r->job.rc));
		return sms_fail(c, r->gw,
				store_is_full(r->job.rc)
					? MHD_HTTP_INSUFFICIENT_STORAGE
					: MHD_HTTP_INTERNAL_SERVER_ERROR,
				"message not stored; please retry");
	}
	for (i = 0; i < r->n; i++)
		if (r->in[i].channel_full) {
			log_warn("sms: channel %s: over its limit of %d"
				 " messages a minute; asked the gateway to"
				 " retry",
				 r->ch->name,
				 r->srv->limits.channel_per_minute);
			return sms_fail(c, r->gw, MHD_HTTP_SERVICE_UNAVAILABLE,
					"too many messages; please retry"
					" later");
		}
	sms_log_stored(r);
	return sms_reply(c, r);
}

/* The first call: finds the channel and makes the request state. */
static enum MHD_Result sms_start(struct sms_server *srv,
				 struct MHD_Connection *c, struct http_req *req,
				 const char *url, const char *method)
{
	const struct sms_channel *ch = sms_find(srv, url);
	const struct sms_gateway *gw;
	struct sms_req *r;
	int get = strcmp(method, "GET") == 0,
	    post = strcmp(method, "POST") == 0;

	req->started = 1;
	/* http.c keeps at most HTTP_URI_MAX bytes: never parse a cut query. */
	if (strlen(req->uri ? req->uri : "") >= HTTP_URI_MAX)
		return sms_fail(c, NULL, MHD_HTTP_URI_TOO_LONG,
				"request target too long");
	gw = ch ? sms_gateway_find(ch->gateway) : NULL;
	if (gw == NULL)
		return sms_fail(c, NULL, MHD_HTTP_NOT_FOUND, "no such channel");
	if (!(get && gw->get_ok) && !(post && gw->post_ok))
		return sms_fail(c, gw, MHD_HTTP_METHOD_NOT_ALLOWED,
				"method not allowed");
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return MHD_NO;
	r->ch = ch;
	r->gw = gw;
	r->srv = srv;
	req->app = r;
	req->app_free = sms_req_free;
	return MHD_YES;
}

static enum MHD_Result sms_handler(void *cls, struct MHD_Connection *c,
				   const char *url, const char *method,
				   const char *version, const char *upload,
				   size_t *upload_size, void **con_cls)
{
	struct sms_server *srv = cls;
	struct http_req *req = *con_cls;
	struct sms_req *r;

	(void)version;
	if (req == NULL)
		return MHD_NO;
	if (!req->started)
		return sms_start(srv, c, req, url, method);
	if (http_take_body(req, SMS_BODY_MAX, upload, upload_size))
		return MHD_YES;
	r = req->app;
	if (r == NULL)
		return MHD_NO;
	switch (r->phase) {
	case SMS_NEW:
		return sms_submit(srv, c, req, r, method);
	case SMS_DONE:
		return sms_finish(c, r);
	case SMS_WAITING:
		break;
	}
	return MHD_YES;
}

/* Reads the channels and the phone key; 0 or -1 (reason printed). */
static int sms_load(struct sms_server *srv, const char *path)
{
	sqlite3 *db = NULL;
	char err[512], role[16];
	int ret = -1;

	if (store_open(path, 0, &db, err, sizeof(err)) < 0) {
		cli_fail("%s", err);
		return -1;
	}
	if (store_role(db, role, sizeof(role)) < 0 || strcmp(role, "site") != 0)
		cli_fail("sms: '%s' is not a site database", path);
	else if (sms_phone_key(db, srv->phone_key, sizeof(srv->phone_key)) < 0)
		cli_fail("sms: cannot read or make the phone key: %s",
			 sqlite3_errmsg(db));
	else if (sms_channels_load(db, &srv->chs, &srv->nchs) < 0)
		cli_fail("sms: cannot read channels: %s", sqlite3_errmsg(db));
	else
		ret = 0;
	store_close(db);
	return ret;
}

static void sms_warn_channels(const struct sms_server *srv)
{
	size_t i;

	if (srv->nchs == 0)
		log_warn("sms: no channels configured; add one with 'chorus"
			 " channel add'");
	for (i = 0; i < srv->nchs; i++)
		if (srv->chs[i].secret == NULL)
			log_warn("sms: channel %s has no secret: anyone who can"
				 " reach /sms/%s can post as any phone; add one"
				 " with 'chorus channel add --replace --name %s"
				 " --gateway %s --secret-file FILE ...' and"
				 " restart chorus sms",
				 srv->chs[i].name, srv->chs[i].name,
				 srv->chs[i].name, srv->chs[i].gateway);
}

/* Waits for SIGINT or SIGTERM, which the caller has blocked. */
static void sms_wait(const sigset_t *set)
{
	int sig = 0;

	sigwait(set, &sig);
	log_info("sms: stopping on signal %d", sig);
}

/* A non-negative number flag into *out (def when absent); 0 or -1. */
static int sms_num(const char *flag, const char *v, long long def,
		   long long *out)
{
	char *end = NULL;
	long long n;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	n = strtoll(v, &end, 10);
	if (end == v || *end != '\0' || n < 0) {
		cli_fail("sms: --%s wants a whole number, not '%s'", flag, v);
		return -1;
	}
	*out = n;
	return 0;
}

struct sms_flags {
	const char *path, *listen, *phone, *channel, *base, *max, *parts;
};

/* Reads the number flags into srv and cfg; 0 or -1 (reason printed). */
static int sms_settings(const struct sms_flags *fl, struct sms_server *srv,
			struct sms_outbox_config *cfg)
{
	long long phone, channel, base, max, parts;

	if (sms_num("phone-limit", fl->phone, 30, &phone) < 0 ||
	    sms_num("channel-limit", fl->channel, 1200, &channel) < 0 ||
	    sms_num("retry-base-ms", fl->base, 30000, &base) < 0 ||
	    sms_num("retry-max", fl->max, 8, &max) < 0 ||
	    sms_num("parts-timeout", fl->parts, 3600, &parts) < 0)
		return -1;
	srv->limits.phone_per_hour = phone > 1000000 ? 1000000 : (int)phone;
	srv->limits.channel_per_minute =
		channel > 100000000 ? 100000000 : (int)channel;
	memset(cfg, 0, sizeof(*cfg));
	cfg->path = fl->path;
	cfg->chs = srv->chs;
	cfg->nchs = srv->nchs;
	cfg->limits = &srv->limits;
	cfg->retry_base_ms = base > 0 ? base : 1;
	cfg->retry_max = max < 1 ? 1 : max > 1000 ? 1000 : (int)max;
	cfg->parts_timeout_ms = parts * 1000;
	return 0;
}

/* Starts the writer, the read-only connection and the outbox; 0 or -1. */
static int sms_start_workers(struct sms_server *srv, const char *path,
			     const struct sms_outbox_config *ocfg)
{
	char err[512];

	srv->intake = intake_start(path, err, sizeof(err));
	if (srv->intake == NULL) {
		cli_fail("sms: %s", err);
		return -1;
	}
	if (store_open(path, STORE_READONLY, &srv->reader, err, sizeof(err)) <
	    0)
		log_warn("sms: no read-only connection (%s); duplicates wait"
			 " for the writer",
			 err);
	srv->outbox = sms_outbox_start(ocfg, err, sizeof(err));
	if (srv->outbox == NULL) {
		cli_fail("sms: %s", err);
		return -1;
	}
	return 0;
}

/* Serves /sms/NAME on listen until a signal in set; 0 or -1. */
static int sms_serve(struct sms_server *srv, const char *listen,
		     const sigset_t *set)
{
	struct http_config cfg;
	struct MHD_Daemon *d;
	char err[512];

	memset(&cfg, 0, sizeof(cfg));
	cfg.listen = listen;
	cfg.handler = sms_handler;
	cfg.handler_cls = srv;
	cfg.body_max = SMS_BODY_MAX;
	/* A Kannel get-url carries the whole text in its request target. */
	cfg.conn_mem = HTTP_URI_MAX + 16 * 1024;
	cfg.suspend = 1;
	d = http_start(&cfg, err, sizeof(err));
	if (d == NULL) {
		cli_fail("sms: %s", err);
		return -1;
	}
	log_info("sms: listening on %s with %zu channel(s)", listen, srv->nchs);
	sms_wait(set);

	/* Every queued message is committed and answered before the end. */
	pthread_mutex_lock(&srv->lock);
	srv->stopping = 1;
	pthread_mutex_unlock(&srv->lock);
	intake_stop(srv->intake);
	srv->intake = NULL;
	MHD_stop_daemon(d);
	return 0;
}

/* Stops what sms_start_workers() started, in a safe order. */
static void sms_stop_workers(struct sms_server *srv)
{
	pthread_mutex_lock(&srv->lock);
	srv->stopping = 1;
	pthread_mutex_unlock(&srv->lock);
	intake_stop(srv->intake);
	/* The read-only connection first: the last one to close must be
	 * able to checkpoint, so no erased number stays in the WAL. */
	store_close(srv->reader);
	sms_outbox_stop(srv->outbox);
	sms_channels_free(srv->chs, srv->nchs);
	pthread_mutex_destroy(&srv->lock);
}

/* Blocks the stop signals for sms_wait() and ignores SIGPIPE. */
static void sms_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int sms_cmd(int argc, char **argv)
{
	struct sms_flags fl;
	struct cli_opt opts[] = {
		{"db", &fl.path, 0, 1},
		{"listen", &fl.listen, 0, 1},
		{"phone-limit", &fl.phone, 0, 0},
		{"channel-limit", &fl.channel, 0, 0},
		{"retry-base-ms", &fl.base, 0, 0},
		{"retry-max", &fl.max, 0, 0},
		{"parts-timeout", &fl.parts, 0, 0},
		{NULL, NULL, 0, 0},
	};
	struct sms_server srv;
	struct sms_outbox_config ocfg;
	sigset_t set;
	int rc, ret = CLI_FAIL;

	memset(&fl, 0, sizeof(fl));
	rc = cli_parse("sms", sms_usage, opts, argc, argv);
	if (rc != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	memset(&srv, 0, sizeof(srv));
	pthread_mutex_init(&srv.lock, NULL);
	if (sms_load(&srv, fl.path) < 0)
		goto done;
	if (sms_settings(&fl, &srv, &ocfg) < 0) {
		ret = CLI_USAGE;
		goto done;
	}
	sms_warn_channels(&srv);
	sms_signals(&set);

	if (sms_start_workers(&srv, fl.path, &ocfg) == 0 &&
	    sms_serve(&srv, fl.listen, &set) == 0)
		ret = CLI_OK;
done:
	sms_stop_workers(&srv);
	return ret;
}
