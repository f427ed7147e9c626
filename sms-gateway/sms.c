/*
 * chorus sms: takes SMS from gateways at /sms/NAME, one path per channel.
 *
 * A request goes through libmicrohttpd's usual calls: the first finds the
 * channel, the middle ones gather the upload (at most SMS_BODY_MAX), the
 * last parses it with sms_parse (no I/O there), hashes the sender, and
 * hands an intake job to the group-commit writer while the connection is
 * suspended.  The writer runs sms_store_apply() and commits; done()
 * resumes the connection, and only then is the gateway answered, so a
 * 200 always means the message is on disk.  The answer is the reply SMS
 * in the gateway's format (TwiML for Twilio, the plain body for Kannel),
 * and every answer about a stored message, first or replay, carries the
 * item's code in X-Chorus-Code.
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
#include "sms_channel.h"
#include "sms_parse.h"
#include "sms_phone.h"
#include "sms_store.h"
#include "store.h"

static const char sms_usage[] =
	"usage: chorus sms --db FILE --listen HOST:PORT\n"
	"\n"
	"Takes SMS from the gateways of every channel in FILE (see 'chorus\n"
	"channel add') at http://HOST:PORT/sms/NAME, stores each message as\n"
	"an item, and answers with the reply SMS in the gateway's format.\n"
	"Stops cleanly on SIGINT or SIGTERM.\n";

#define SMS_KEY_MAX 160
#define SMS_REPLY_MAX 1024

static const char sms_twiml_head[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

struct sms_server {
	struct sms_channel *chs;
	size_t nchs;
	char phone_key[SMS_KEY_MAX];
	struct intake *intake;
	pthread_mutex_t lock; /* guards stopping against intake_submit */
	int stopping;
};

enum sms_phase { SMS_NEW, SMS_WAITING, SMS_DONE };

struct sms_req {
	struct intake_job job;
	struct MHD_Connection *conn;
	struct sms_incoming in;
	enum sms_phase phase;
};

static void sms_req_free(void *p)
{
	struct sms_req *r = p;

	sms_msg_release(&r->in.msg);
	buf_release(&r->in.reply);
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

static int sms_is_twilio(const struct sms_channel *ch)
{
	return strcmp(ch->gateway, "twilio") == 0;
}

/* Answers with the safety headers and, when code is set, X-Chorus-Code. */
static enum MHD_Result sms_answer(struct MHD_Connection *c, unsigned status,
				  const char *ctype, const char *code,
				  const char *body, size_t len)
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
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result sms_fail(struct MHD_Connection *c, unsigned status,
				const char *why)
{
	return sms_answer(c, status, "text/plain; charset=utf-8", NULL, why,
			  strlen(why));
}

/* The stored message's answer, in the channel's gateway format. */
static enum MHD_Result sms_reply(struct MHD_Connection *c,
				 const struct sms_incoming *in)
{
	struct buf b;
	enum MHD_Result ret;
	int rc = 0;

	if (!sms_is_twilio(in->ch))
		return sms_answer(
			c, MHD_HTTP_OK, "text/plain; charset=utf-8", in->code,
			in->reply.data ? in->reply.data : "", in->reply.len);
	buf_init(&b, 4 * SMS_REPLY_MAX);
	rc |= buf_puts(&b, sms_twiml_head);
	if (in->reply.len == 0) {
		rc |= buf_puts(&b, "<Response/>");
	} else {
		rc |= buf_puts(&b, "<Response><Message>");
		rc |= sms_xml_escape(&b, in->reply.data, in->reply.len);
		rc |= buf_puts(&b, "</Message></Response>");
	}
	ret = rc ? MHD_NO
		 : sms_answer(c, MHD_HTTP_OK, "text/xml; charset=utf-8",
			      in->code, b.data, b.len);
	buf_release(&b);
	return ret;
}

/* Runs on the writer thread inside the batch's transaction. */
static int sms_job_apply(sqlite3 *db, struct intake_job *job)
{
	struct sms_req *r = job->arg;

	return sms_store_apply(db, &r->in);
}

/* Runs on the writer thread after the commit (or its failure). */
static void sms_job_done(struct intake_job *job)
{
	struct sms_req *r = job->arg;

	r->phase = SMS_DONE;
	MHD_resume_connection(r->conn);
}

/* Twilio: checks the signature and reads the form. */
static const char *sms_parse_twilio(struct MHD_Connection *c,
				    struct http_req *req, struct sms_req *r,
				    unsigned *status)
{
	const struct sms_channel *ch = r->in.ch;
	struct form f;
	const char *why = NULL;

	*status = MHD_HTTP_BAD_REQUEST;
	if (!http_ctype_is(c, "application/x-www-form-urlencoded")) {
		*status = MHD_HTTP_UNSUPPORTED_MEDIA_TYPE;
		return "expected application/x-www-form-urlencoded\n";
	}
	if (form_parse(&f, req->body.data ? req->body.data : "", req->body.len,
		       SMS_FIELDS_MAX) < 0)
		return "too many form fields\n";
	if (ch->secret != NULL &&
	    !sms_twilio_verify(ch->public_url ? ch->public_url : "", ch->secret,
			       &f, http_header(c, "X-Twilio-Signature"))) {
		*status = MHD_HTTP_FORBIDDEN;
		why = "signature does not match\n";
		log_warn("sms: channel %s: rejected a request with a wrong or"
			 " missing X-Twilio-Signature",
			 ch->name);
	} else if (sms_twilio_parse(&f, &r->in.msg) < 0) {
		*status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		why = "out of memory\n";
	}
	form_release(&f);
	return why;
}

/* Kannel: get-url (query) or post-url (body and X-Kannel-* headers). */
static const char *sms_parse_kannel(struct MHD_Connection *c,
				    struct http_req *req, struct sms_req *r,
				    const char *method, unsigned *status)
{
	const struct sms_channel *ch = r->in.ch;
	const struct form_field *secret;
	struct sms_kannel_in kin;
	struct form f;
	const char *q, *why = NULL, *ct;
	size_t qlen;

	*status = MHD_HTTP_BAD_REQUEST;
	q = http_query(req, &qlen);
	if (form_parse(&f, q, qlen, SMS_FIELDS_MAX) < 0)
		return "too many query fields\n";
	secret = form_get(&f, "secret");
	if (ch->secret != NULL &&
	    (secret == NULL || !crypto_equal(secret->value, secret->value_len,
					     ch->secret, strlen(ch->secret)))) {
		*status = MHD_HTTP_FORBIDDEN;
		form_release(&f);
		return "wrong or missing secret\n";
	}
	sms_kannel_from_form(&f, &kin);
	if (strcmp(method, "POST") == 0) {
		kin.text = req->body.data ? req->body.data : "";
		kin.text_len = req->body.len;
		kin.from = http_header(c, "X-Kannel-From");
		kin.from_len = kin.from ? strlen(kin.from) : 0;
		kin.coding = http_header(c, "X-Kannel-Coding");
		kin.coding_len = kin.coding ? strlen(kin.coding) : 0;
		kin.ts = http_header(c, "X-Kannel-Time");
		kin.ts_len = kin.ts ? strlen(kin.ts) : 0;
		ct = http_header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
		ct = ct ? strstr(ct, "charset=") : NULL;
		kin.charset = ct ? ct + 8 : NULL;
		kin.charset_len = ct ? strcspn(kin.charset, "; ") : 0;
	}
	if (sms_kannel_parse(&kin, &r->in.msg) < 0) {
		*status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		why = "out of memory\n";
	}
	form_release(&f);
	return why;
}

/* The sender's kind and keyed hash, and a fingerprint if need be. */
static int sms_identify(const struct sms_server *srv, struct sms_req *r)
{
	struct sms_incoming *in = &r->in;

	sms_phone_normalize(in->msg.from, in->msg.from_len, in->ch->country,
			    &in->sender);
	if (crypto_hmac_sha256_hex(srv->phone_key, strlen(srv->phone_key),
				   in->sender.key, strlen(in->sender.key),
				   in->from_hash) < 0)
		return -1;
	if (in->msg.provider_id[0] == '\0')
		sms_fingerprint(in->from_hash, in->msg.ts, &in->msg.text,
				in->msg.provider_id);
	return 0;
}

/* The last call: parse, then submit and suspend. */
static enum MHD_Result sms_submit(struct sms_server *srv,
				  struct MHD_Connection *c,
				  struct http_req *req, struct sms_req *r,
				  const char *method)
{
	const char *why;
	unsigned status;
	int stopping;

	if (req->too_large)
		return sms_fail(c, MHD_HTTP_CONTENT_TOO_LARGE,
				"request body too large\n");
	if (sms_is_twilio(r->in.ch))
		why = sms_parse_twilio(c, req, r, &status);
	else
		why = sms_parse_kannel(c, req, r, method, &status);
	if (why != NULL)
		return sms_fail(c, status, why);
	if (sms_identify(srv, r) < 0)
		return sms_fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				"cannot hash the sender\n");

	r->conn = c;
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
		return sms_fail(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				"shutting down\n");
	return MHD_YES;
}

/* After the writer: the answer, or an error when nothing was stored. */
static enum MHD_Result sms_finish(struct MHD_Connection *c, struct sms_req *r)
{
	const struct sms_incoming *in = &r->in;

	if (r->job.rc != SQLITE_OK) {
		log_error("sms: channel %s: cannot store a message: %s",
			  in->ch->name, sqlite3_errstr(r->job.rc));
		return sms_fail(c,
				store_is_full(r->job.rc)
					? MHD_HTTP_INSUFFICIENT_STORAGE
					: MHD_HTTP_INTERNAL_SERVER_ERROR,
				"message not stored; please retry\n");
	}
	if (in->replay)
		log_info("sms: channel %s: replay of %s, nothing stored",
			 in->ch->name, in->code);
	else
		log_info("sms: channel %s: stored %s, sender kind %s%s",
			 in->ch->name, in->code,
			 sms_phone_kind_name(in->sender.kind),
			 in->reply.len ? ", replied" : "");
	return sms_reply(c, in);
}

/* The first call: finds the channel and makes the request state. */
static enum MHD_Result sms_start(struct sms_server *srv,
				 struct MHD_Connection *c, struct http_req *req,
				 const char *url, const char *method)
{
	const struct sms_channel *ch = sms_find(srv, url);
	struct sms_req *r;

	req->started = 1;
	/* http.c keeps at most HTTP_URI_MAX bytes: never parse a cut query. */
	if (strlen(req->uri ? req->uri : "") >= HTTP_URI_MAX)
		return sms_fail(c, MHD_HTTP_URI_TOO_LONG,
				"request target too long\n");
	if (ch == NULL)
		return sms_fail(c, MHD_HTTP_NOT_FOUND, "no such channel\n");
	if (strcmp(method, "POST") != 0 &&
	    (sms_is_twilio(ch) || strcmp(method, "GET") != 0))
		return sms_fail(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				"method not allowed\n");
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return MHD_NO;
	r->in.ch = ch;
	sms_msg_init(&r->in.msg);
	buf_init(&r->in.reply, SMS_REPLY_MAX);
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
			log_warn("sms: channel %s has no secret: requests are"
				 " not authenticated",
				 srv->chs[i].name);
}

/* Waits for SIGINT or SIGTERM, which the caller has blocked. */
static void sms_wait(const sigset_t *set)
{
	int sig = 0;

	sigwait(set, &sig);
	log_info("sms: stopping on signal %d", sig);
}

int sms_cmd(int argc, char **argv)
{
	const char *path = NULL, *listen = NULL;
	struct cli_opt opts[] = {
		{"db", &path, 0, 1},
		{"listen", &listen, 0, 1},
		{NULL, NULL, 0, 0},
	};
	struct sms_server srv;
	struct http_config cfg;
	struct MHD_Daemon *d = NULL;
	sigset_t set;
	char err[512];
	int rc, ret = CLI_FAIL;

	rc = cli_parse("sms", sms_usage, opts, argc, argv);
	if (rc != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	memset(&srv, 0, sizeof(srv));
	pthread_mutex_init(&srv.lock, NULL);
	if (sms_load(&srv, path) < 0)
		goto done;
	sms_warn_channels(&srv);

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	srv.intake = intake_start(path, err, sizeof(err));
	if (srv.intake == NULL) {
		cli_fail("sms: %s", err);
		goto done;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.listen = listen;
	cfg.handler = sms_handler;
	cfg.handler_cls = &srv;
	cfg.body_max = SMS_BODY_MAX;
	cfg.suspend = 1;
	d = http_start(&cfg, err, sizeof(err));
	if (d == NULL) {
		cli_fail("sms: %s", err);
		goto done;
	}
	log_info("sms: listening on %s with %zu channel(s)", listen, srv.nchs);
	sms_wait(&set);
	ret = CLI_OK;

done:
	/* Every queued message is committed and answered before the end. */
	pthread_mutex_lock(&srv.lock);
	srv.stopping = 1;
	pthread_mutex_unlock(&srv.lock);
	intake_stop(srv.intake);
	if (d != NULL)
		MHD_stop_daemon(d);
	sms_channels_free(srv.chs, srv.nchs);
	pthread_mutex_destroy(&srv.lock);
	return ret;
}
