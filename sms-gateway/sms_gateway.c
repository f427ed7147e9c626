/*
 * sms_gateway: the gateway table and each gateway's reader.  See
 * sms_gateway.h; docs/sms-gateways.md says what each expects.
 *
 * Every reader follows the same steps: check the content type, read the
 * fields (a form, a query string, or a JSON object flattened into a
 * form so that one set of helpers serves all), verify the request the
 * provider's way, then fill one sms_msg per message.
 */
#include "sms_gateway.h"

#include <ctype.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "form.h"

#define SMS_FLAT_MAX (3 * SMS_BODY_MAX + 1024)
#define SMS_SIGN_BUF_MAX (2 * SMS_BODY_MAX + 8192)

const char *const sms_gateway_names[] = {
	"twilio",
	"africastalking",
	"vonage",
	"plivo",
	"telerivet",
	"infobip",
	"kannel",
	"smssync",
	"android-sms-gateway",
	"generic",
	NULL,
};

void sms_batch_init(struct sms_batch *b)
{
	b->n = 0;
}

void sms_batch_release(struct sms_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		sms_msg_release(&b->msgs[i]);
	b->n = 0;
}

/* The next message of b, made empty, or NULL when b is full. */
static struct sms_msg *sms_batch_next(struct sms_batch *b)
{
	struct sms_msg *m;

	if (b->n >= SMS_BATCH_MAX)
		return NULL;
	m = &b->msgs[b->n++];
	sms_msg_init(m);
	return m;
}

static const char *sms_hdr(const struct sms_http *rq, const char *name)
{
	return rq->header ? rq->header(rq->header_ctx, name) : NULL;
}

/* True when Content-Type is type, parameters aside. */
static int sms_ctype_is(const struct sms_http *rq, const char *type)
{
	const char *ct = sms_hdr(rq, "Content-Type");
	size_t n = strlen(type);

	if (ct == NULL)
		return 0;
	while (*ct == ' ')
		ct++;
	return strncasecmp(ct, type, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int sms_is_post(const struct sms_http *rq)
{
	return strcmp(rq->method, "POST") == 0;
}

/* A field's value as pointer and length; 1 when present. */
static int sms_field(const struct form *f, const char *name, const char **v,
		     size_t *len)
{
	const struct form_field *fl = form_get(f, name);

	*v = fl ? fl->value : "";
	*len = fl ? fl->value_len : 0;
	return fl != NULL;
}

/* Appends the scalar members of obj as name=value pairs. */
static int sms_flatten(json_t *obj, struct buf *out)
{
	const char *k;
	json_t *v;
	char num[64];
	int rc = 0;

	json_object_foreach(obj, k, v)
	{
		const char *s = NULL;
		size_t len = 0;

		if (json_is_string(v)) {
			s = json_string_value(v);
			len = json_string_length(v);
		} else if (json_is_integer(v)) {
			len = (size_t)snprintf(
				num, sizeof(num), "%lld",
				(long long)json_integer_value(v));
			s = num;
		} else if (json_is_true(v) || json_is_false(v)) {
			s = json_is_true(v) ? "true" : "false";
			len = strlen(s);
		} else {
			continue;
		}
		if (out->len > 0)
			rc |= buf_putc(out, '&');
		rc |= sms_url_escape(out, k, strlen(k));
		rc |= buf_putc(out, '=');
		rc |= sms_url_escape(out, s, len);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Loads a bounded JSON object from the body, or NULL. */
static json_t *sms_json_load(const struct sms_http *rq)
{
	json_error_t err;
	json_t *j;

	if (!sms_json_bounded(rq->body, rq->body_len, SMS_JSON_DEPTH,
			      SMS_JSON_NODES))
		return NULL;
	j = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &err);
	if (j != NULL && !json_is_object(j)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* The scalar members of JSON object obj as a form.  0 or -1. */
static int sms_form_of_json(json_t *obj, struct form *f)
{
	struct buf flat;
	int rc;

	buf_init(&flat, SMS_FLAT_MAX);
	rc = sms_flatten(obj, &flat);
	if (rc == 0)
		rc = form_parse(f, flat.data ? flat.data : "", flat.len,
				SMS_FIELDS_MAX);
	buf_release(&flat);
	return rc;
}

/*
 * The request's fields: the query for GET, else the form body, or with
 * json_ok a JSON object's scalar members.  Returns 0 or an HTTP status.
 */
static int sms_fields(const struct sms_http *rq, int json_ok, struct form *f,
		      const char **why)
{
	json_t *j;
	int rc;

	if (!sms_is_post(rq)) {
		if (form_parse(f, rq->query, rq->query_len, SMS_FIELDS_MAX) < 0)
			return *why = "too many query fields", 400;
		return 0;
	}
	if (sms_ctype_is(rq, "application/x-www-form-urlencoded")) {
		if (form_parse(f, rq->body, rq->body_len, SMS_FIELDS_MAX) < 0)
			return *why = "too many form fields", 400;
		return 0;
	}
	if (!json_ok || !sms_ctype_is(rq, "application/json"))
		return *why = "unsupported content type", 415;
	j = sms_json_load(rq);
	if (j == NULL)
		return *why = "body is not a bounded JSON object", 400;
	rc = sms_form_of_json(j, f);
	json_decref(j);
	return rc < 0 ? (*why = "too many JSON fields", 400) : 0;
}

/* The secret query parameter of gateways that sign nothing. */
static int sms_query_secret_ok(const struct sms_channel *ch,
			       const struct sms_http *rq)
{
	struct form q;
	const char *v;
	size_t len;
	int ok;

	if (ch->secret == NULL)
		return 1;
	if (form_parse(&q, rq->query, rq->query_len, SMS_FIELDS_MAX) < 0)
		return 0;
	ok = sms_field(&q, "secret", &v, &len) &&
	     crypto_equal(v, len, ch->secret, strlen(ch->secret));
	form_release(&q);
	return ok;
}

/* A shared secret carried as a form field. */
static int sms_field_secret_ok(const struct sms_channel *ch,
			       const struct form *f, const char *name)
{
	const char *v;
	size_t len;

	if (ch->secret == NULL)
		return 1;
	return sms_field(f, name, &v, &len) &&
	       crypto_equal(v, len, ch->secret, strlen(ch->secret));
}

/* Fills m from named fields of f; NULL names are skipped.  0 or -1. */
static int sms_fill(struct sms_msg *m, const struct form *f, const char *text,
		    const char *from, const char *id, const char *time)
{
	const char *v;
	size_t len;

	sms_field(f, text, &v, &len);
	if (sms_text_set(m, v, len) < 0)
		return -1;
	if (from != NULL && sms_field(f, from, &v, &len))
		sms_msg_set_from(m, v, len);
	if (id != NULL && sms_field(f, id, &v, &len) && len > 0)
		sms_msg_set_id(m, v, len);
	if (time != NULL && sms_field(f, time, &v, &len) && len > 0) {
		if (len >= sizeof(m->ts))
			len = sizeof(m->ts) - 1;
		memcpy(m->ts, v, len);
		m->ts[len] = '\0';
		sms_time_parse(v, len, m->provider_time);
	}
	return 0;
}

/* One message from f, or 500 when memory ran out. */
static int sms_one(struct sms_batch *b, const struct form *f, const char *text,
		   const char *from, const char *id, const char *time,
		   const char **why)
{
	struct sms_msg *m = sms_batch_next(b);

	if (m == NULL || sms_fill(m, f, text, from, id, time) < 0)
		return *why = "out of memory", 500;
	return 0;
}

/* ---- Twilio ---------------------------------------------------------- */

static int sms_gw_twilio(const struct sms_channel *ch,
			 const struct sms_http *rq, struct sms_batch *b,
			 const char **why)
{
	struct form f;
	struct sms_msg *m;
	int rc = 0;

	if (!sms_ctype_is(rq, "application/x-www-form-urlencoded"))
		return *why = "expected application/x-www-form-urlencoded", 415;
	if (form_parse(&f, rq->body, rq->body_len, SMS_FIELDS_MAX) < 0)
		return *why = "too many form fields", 400;
	if (ch->secret != NULL &&
	    !sms_twilio_verify(ch->public_url ? ch->public_url : "", ch->secret,
			       &f, sms_hdr(rq, "X-Twilio-Signature"))) {
		rc = 403;
		*why = "signature does not match";
	} else if ((m = sms_batch_next(b)) == NULL ||
		   sms_twilio_parse(&f, m) < 0) {
		rc = 500;
		*why = "out of memory";
	}
	form_release(&f);
	return rc;
}

/* ---- Kannel ---------------------------------------------------------- */

static void sms_kannel_headers(const struct sms_http *rq,
			       struct sms_kannel_in *kin)
{
	const char *ct = sms_hdr(rq, "Content-Type");

	kin->text = rq->body;
	kin->text_len = rq->body_len;
	kin->from = sms_hdr(rq, "X-Kannel-From");
	kin->from_len = kin->from ? strlen(kin->from) : 0;
	kin->coding = sms_hdr(rq, "X-Kannel-Coding");
	kin->coding_len = kin->coding ? strlen(kin->coding) : 0;
	kin->ts = sms_hdr(rq, "X-Kannel-Time");
	kin->ts_len = kin->ts ? strlen(kin->ts) : 0;
	ct = ct ? strstr(ct, "charset=") : NULL;
	kin->charset = ct ? ct + 8 : NULL;
	kin->charset_len = ct ? strcspn(kin->charset, "; ") : 0;
}

static int sms_gw_kannel(const struct sms_channel *ch,
			 const struct sms_http *rq, struct sms_batch *b,
			 const char **why)
{
	struct sms_kannel_in kin;
	struct sms_msg *m;
	struct form f;
	int rc = 0;

	if (form_parse(&f, rq->query, rq->query_len, SMS_FIELDS_MAX) < 0)
		return *why = "too many query fields", 400;
	if (!sms_field_secret_ok(ch, &f, "secret")) {
		form_release(&f);
		return *why = "wrong or missing secret", 403;
	}
	sms_kannel_from_form(&f, &kin);
	if (sms_is_post(rq))
		sms_kannel_headers(rq, &kin);
	m = sms_batch_next(b);
	if (m == NULL || sms_kannel_parse(&kin, m) < 0) {
		rc = 500;
		*why = "out of memory";
	}
	form_release(&f);
	return rc;
}

/* ---- Africa's Talking ------------------------------------------------ */

static int sms_gw_at(const struct sms_channel *ch, const struct sms_http *rq,
		     struct sms_batch *b, const char **why)
{
	struct form f;
	int rc;

	if (!sms_query_secret_ok(ch, rq))
		return *why = "wrong or missing secret", 403;
	if (!sms_ctype_is(rq, "application/x-www-form-urlencoded"))
		return *why = "expected application/x-www-form-urlencoded", 415;
	rc = sms_fields(rq, 0, &f, why);
	if (rc != 0)
		return rc;
	rc = sms_one(b, &f, "text", "from", "id", "date", why);
	form_release(&f);
	return rc;
}

/* ---- Vonage ---------------------------------------------------------- */

/* Reads the concat-* fields of one part into m. */
static void sms_vonage_concat(const struct form *f, struct sms_msg *m)
{
	const char *ref, *v;
	size_t rl, len, i;
	int part = 0, total = 0;

	if (!sms_field(f, "concat", &v, &len) || len != 4 ||
	    strncmp(v, "true", 4) != 0 ||
	    !sms_field(f, "concat-ref", &ref, &rl) || rl == 0 ||
	    rl >= sizeof(m->concat))
		return;
	sms_field(f, "concat-part", &v, &len);
	for (i = 0; i < len && i < 4 && isdigit((unsigned char)v[i]); i++)
		part = part * 10 + (v[i] - '0');
	sms_field(f, "concat-total", &v, &len);
	for (i = 0; i < len && i < 4 && isdigit((unsigned char)v[i]); i++)
		total = total * 10 + (v[i] - '0');
	if (part < 1 || total < 2 || part > total || total > 255)
		return;
	for (i = 0; i < rl; i++)
		if (!isprint((unsigned char)ref[i]))
			return;
	memcpy(m->concat, ref, rl);
	m->concat[rl] = '\0';
	m->part = part;
	m->total = total;
}

static int sms_vonage_verify(const struct sms_channel *ch, const struct form *f)
{
	char want[129], mode[16];
	const char *got;
	size_t len, i;

	if (ch->secret == NULL)
		return 1;
	sms_channel_option(ch, "sig", "md5hash", mode, sizeof(mode));
	if (!sms_field(f, "sig", &got, &len) ||
	    sms_vonage_signature(f, ch->secret, mode, want) < 0 ||
	    len != strlen(want))
		return 0;
	/* Vonage may send upper-case hex: compare folded, in constant time. */
	{
		char low[129];

		for (i = 0; i < len; i++)
			low[i] = (char)tolower((unsigned char)got[i]);
		return crypto_equal(low, len, want, len);
	}
}

static int sms_gw_vonage(const struct sms_channel *ch,
			 const struct sms_http *rq, struct sms_batch *b,
			 const char **why)
{
	struct form f;
	int rc;

	rc = sms_fields(rq, 1, &f, why);
	if (rc != 0)
		return rc;
	if (!sms_vonage_verify(ch, &f)) {
		form_release(&f);
		return *why = "signature does not match", 403;
	}
	rc = sms_one(b, &f, "text", "msisdn", "messageId", "message-timestamp",
		     why);
	if (rc == 0)
		sms_vonage_concat(&f, &b->msgs[b->n - 1]);
	form_release(&f);
	return rc;
}

/* ---- Plivo ----------------------------------------------------------- */

/* True when one of the comma-separated signatures in hdr is want. */
static int sms_plivo_match(const char *hdr, const char *want)
{
	size_t n, wl = strlen(want);
	int ok = 0;

	while (hdr != NULL && *hdr != '\0') {
		while (*hdr == ' ')
			hdr++;
		n = strcspn(hdr, ", ");
		ok |= crypto_equal(hdr, n, want, wl);
		hdr += n;
		while (*hdr == ',' || *hdr == ' ')
			hdr++;
	}
	return ok;
}

static int sms_gw_plivo(const struct sms_channel *ch, const struct sms_http *rq,
			struct sms_batch *b, const char **why)
{
	const char *nonce = sms_hdr(rq, "X-Plivo-Signature-V3-Nonce");
	char want[45];
	struct form f;
	int rc;

	if (!sms_ctype_is(rq, "application/x-www-form-urlencoded"))
		return *why = "expected application/x-www-form-urlencoded", 415;
	rc = sms_fields(rq, 0, &f, why);
	if (rc != 0)
		return rc;
	if (ch->secret != NULL &&
	    (nonce == NULL ||
	     sms_plivo_signature(ch->public_url ? ch->public_url : "", &f,
				 nonce, ch->secret, want) < 0 ||
	     !sms_plivo_match(sms_hdr(rq, "X-Plivo-Signature-V3"), want))) {
		form_release(&f);
		return *why = "signature does not match", 403;
	}
	rc = sms_one(b, &f, "Text", "From", "MessageUUID", NULL, why);
	form_release(&f);
	return rc;
}

/* ---- Telerivet ------------------------------------------------------- */

static int sms_gw_telerivet(const struct sms_channel *ch,
			    const struct sms_http *rq, struct sms_batch *b,
			    const char **why)
{
	const char *ev, *from;
	size_t len, fl;
	struct form f;
	int rc;

	if (!sms_ctype_is(rq, "application/x-www-form-urlencoded"))
		return *why = "expected application/x-www-form-urlencoded", 415;
	rc = sms_fields(rq, 0, &f, why);
	if (rc != 0)
		return rc;
	if (!sms_field_secret_ok(ch, &f, "secret")) {
		form_release(&f);
		return *why = "wrong or missing secret", 403;
	}
	/* Other events (sent, delivered, calls) are answered and ignored. */
	sms_field(&f, "event", &ev, &len);
	if (len != 16 || memcmp(ev, "incoming_message", 16) != 0) {
		form_release(&f);
		return 0;
	}
	from = sms_field(&f, "from_number_e164", &from, &fl) && fl > 0
		       ? "from_number_e164"
		       : "from_number";
	rc = sms_one(b, &f, "content", from, "id", "time_created", why);
	form_release(&f);
	return rc;
}

/* ---- Infobip --------------------------------------------------------- */

static int sms_gw_infobip(const struct sms_channel *ch,
			  const struct sms_http *rq, struct sms_batch *b,
			  const char **why)
{
	json_t *j, *results, *r;
	struct form f;
	size_t i;
	int rc = 0;

	if (!sms_query_secret_ok(ch, rq))
		return *why = "wrong or missing secret", 403;
	if (!sms_ctype_is(rq, "application/json"))
		return *why = "expected application/json", 415;
	j = sms_json_load(rq);
	results = j ? json_object_get(j, "results") : NULL;
	if (!json_is_array(results)) {
		json_decref(j);
		return *why = "expected a JSON object with results", 400;
	}
	if (json_array_size(results) > SMS_BATCH_MAX) {
		json_decref(j);
		return *why = "too many results in one batch", 400;
	}
	json_array_foreach(results, i, r)
	{
		if (!json_is_object(r) || sms_form_of_json(r, &f) < 0) {
			rc = 400;
			*why = "a result is not a flat JSON object";
			break;
		}
		rc = sms_one(b, &f, "text", "from", "messageId", "receivedAt",
			     why);
		form_release(&f);
		if (rc != 0)
			break;
	}
	json_decref(j);
	return rc;
}

/* ---- SMSSync --------------------------------------------------------- */

static int sms_gw_smssync(const struct sms_channel *ch,
			  const struct sms_http *rq, struct sms_batch *b,
			  const char **why)
{
	struct form f;
	int rc;

	/* The phone polls with GET ?task=send: nothing queued for it. */
	if (!sms_is_post(rq))
		return 0;
	rc = sms_fields(rq, 1, &f, why);
	if (rc != 0)
		return rc;
	if (!sms_field_secret_ok(ch, &f, "secret")) {
		form_release(&f);
		return *why = "wrong or missing secret", 403;
	}
	rc = sms_one(b, &f, "message", "from", "message_id", "sent_timestamp",
		     why);
	form_release(&f);
	return rc;
}

/* ---- android-sms-gateway --------------------------------------------- */

static int sms_asg_verify(const struct sms_channel *ch,
			  const struct sms_http *rq)
{
	const char *sig = sms_hdr(rq, "X-Signature");
	const char *ts = sms_hdr(rq, "X-Timestamp");
	char want[CRYPTO_SHA256_HEX], opt[24];
	long long age, t = 0;
	size_t i;

	if (ch->secret == NULL)
		return 1;
	if (sig == NULL || ts == NULL ||
	    sms_asg_signature(ch->secret, rq->body, rq->body_len, ts, want) <
		    0 ||
	    !crypto_equal(sig, strlen(sig), want, strlen(want)))
		return 0;
	/* Optional freshness bound (seconds); the app re-signs each try. */
	sms_channel_option(ch, "max_age", "0", opt, sizeof(opt));
	age = strtoll(opt, NULL, 10);
	for (i = 0; ts[i] != '\0' && i < 12; i++)
		if (isdigit((unsigned char)ts[i]))
			t = t * 10 + (ts[i] - '0');
	return age <= 0 || llabs(store_now_ms() / 1000 - t) <= age;
}

static int sms_gw_asg(const struct sms_channel *ch, const struct sms_http *rq,
		      struct sms_batch *b, const char **why)
{
	json_t *j, *payload;
	const char *ev;
	struct form f;
	int rc;

	if (!sms_ctype_is(rq, "application/json"))
		return *why = "expected application/json", 415;
	if (!sms_asg_verify(ch, rq))
		return *why = "signature does not match", 403;
	j = sms_json_load(rq);
	if (j == NULL)
		return *why = "body is not a bounded JSON object", 400;
	ev = json_string_value(json_object_get(j, "event"));
	payload = json_object_get(j, "payload");
	if (ev == NULL || strcmp(ev, "sms:received") != 0) {
		json_decref(j);
		return 0;
	}
	if (!json_is_object(payload) || sms_form_of_json(payload, &f) < 0) {
		json_decref(j);
		return *why = "payload is not a flat JSON object", 400;
	}
	rc = sms_one(b, &f, "message",
		     form_get(&f, "sender") ? "sender" : "phoneNumber",
		     "messageId", "receivedAt", why);
	/* messageId is a hash of the content: fingerprint it with the time. */
	if (rc == 0)
		b->msgs[b->n - 1].weak_id = 1;
	form_release(&f);
	json_decref(j);
	return rc;
}

/* ---- generic --------------------------------------------------------- */

static int sms_gw_generic(const struct sms_channel *ch,
			  const struct sms_http *rq, struct sms_batch *b,
			  const char **why)
{
	char method[8], from[32], text[32], id[32], tm[32];
	struct form f;
	int rc;

	sms_channel_option(ch, "method", "any", method, sizeof(method));
	if (strcasecmp(method, "any") != 0 &&
	    strcasecmp(method, rq->method) != 0)
		return *why = "method not allowed", 405;
	if (!sms_query_secret_ok(ch, rq))
		return *why = "wrong or missing secret", 403;
	rc = sms_fields(rq, 1, &f, why);
	if (rc != 0)
		return rc;
	sms_channel_option(ch, "from", "from", from, sizeof(from));
	sms_channel_option(ch, "text", "text", text, sizeof(text));
	sms_channel_option(ch, "id", "id", id, sizeof(id));
	sms_channel_option(ch, "time", "time", tm, sizeof(tm));
	rc = sms_one(b, &f, text, from, id, tm, why);
	form_release(&f);
	return rc;
}

static const struct sms_gateway sms_gateways[] = {
	{"twilio", 0, 1, 1, SMS_ANSWER_TWIML, sms_gw_twilio},
	{"africastalking", 0, 1, 0, SMS_ANSWER_JSON, sms_gw_at},
	{"vonage", 1, 1, 0, SMS_ANSWER_JSON, sms_gw_vonage},
	{"plivo", 0, 1, 0, SMS_ANSWER_JSON, sms_gw_plivo},
	{"telerivet", 0, 1, 1, SMS_ANSWER_TELERIVET, sms_gw_telerivet},
	{"infobip", 0, 1, 0, SMS_ANSWER_JSON, sms_gw_infobip},
	{"kannel", 1, 1, 1, SMS_ANSWER_TEXT, sms_gw_kannel},
	{"smssync", 1, 1, 1, SMS_ANSWER_SMSSYNC, sms_gw_smssync},
	{"android-sms-gateway", 0, 1, 0, SMS_ANSWER_JSON, sms_gw_asg},
	{"generic", 1, 1, 0, SMS_ANSWER_JSON, sms_gw_generic},
};

const struct sms_gateway *sms_gateway_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(sms_gateways) / sizeof(sms_gateways[0]); i++)
		if (strcmp(sms_gateways[i].name, name) == 0)
			return &sms_gateways[i];
	return NULL;
}

/* ---- signatures ------------------------------------------------------ */

static void sms_hex(const unsigned char *p, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int sms_fl_cmp(const void *pa, const void *pb)
{
	const struct form_field *a = *(const struct form_field *const *)pa;
	const struct form_field *b = *(const struct form_field *const *)pb;
	size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
	int c = memcmp(a->name, b->name, n);

	if (c != 0)
		return c;
	return a->name_len < b->name_len ? -1 : a->name_len > b->name_len;
}

/* f's fields sorted by name (stable for equal names by position). */
static const struct form_field **sms_sorted(const struct form *f)
{
	const struct form_field **s = calloc(f->count + 1, sizeof(*s));
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < f->count; i++)
		s[i] = &f->fields[i];
	qsort(s, f->count, sizeof(*s), sms_fl_cmp);
	return s;
}

/* Appends v with '&' and '=' replaced by '_' (Vonage's rule). */
static int sms_vonage_put(struct buf *b, const char *v, size_t len)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < len && rc == 0; i++)
		rc = buf_putc(b, v[i] == '&' || v[i] == '=' ? '_' : v[i]);
	return rc;
}

static const EVP_MD *sms_vonage_md(const char *mode)
{
	if (strcmp(mode, "md5") == 0)
		return EVP_md5();
	if (strcmp(mode, "sha1") == 0)
		return EVP_sha1();
	if (strcmp(mode, "sha256") == 0)
		return EVP_sha256();
	if (strcmp(mode, "sha512") == 0)
		return EVP_sha512();
	return NULL;
}

int sms_vonage_signature(const struct form *f, const char *secret,
			 const char *mode, char out[129])
{
	const struct form_field **s = sms_sorted(f);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const EVP_MD *alg = sms_vonage_md(mode);
	struct buf b;
	size_t i;
	int rc = 0, hash = strcmp(mode, "md5hash") == 0;

	if (s == NULL || (alg == NULL && !hash)) {
		free(s);
		return -1;
	}
	buf_init(&b, SMS_SIGN_BUF_MAX);
	for (i = 0; i < f->count && rc == 0; i++) {
		if (s[i]->name_len == 3 && memcmp(s[i]->name, "sig", 3) == 0)
			continue;
		rc |= buf_putc(&b, '&');
		rc |= sms_vonage_put(&b, s[i]->name, s[i]->name_len);
		rc |= buf_putc(&b, '=');
		rc |= sms_vonage_put(&b, s[i]->value, s[i]->value_len);
	}
	if (rc == 0 && hash)
		rc = buf_puts(&b, secret) < 0 ||
		     !EVP_Digest(b.data ? b.data : "", b.len, md, &mdlen,
				 EVP_md5(), NULL);
	else if (rc == 0)
		rc = HMAC(alg, secret, (int)strlen(secret),
			  (const unsigned char *)(b.data ? b.data : ""), b.len,
			  md, &mdlen) == NULL;
	if (rc == 0)
		sms_hex(md, mdlen, out);
	buf_release(&b);
	free(s);
	return rc ? -1 : 0;
}

static int sms_b64(const unsigned char *p, size_t n, char *out, size_t outlen)
{
	if (outlen < 4 * ((n + 2) / 3) + 1)
		return -1;
	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	return 0;
}

/* Appends "?k=v&k=v." for the URL's query (sorted), or "?" alone. */
static int sms_plivo_base(struct buf *b, const char *url, const struct form *f)
{
	const char *q = strchr(url, '?');
	const struct form_field **s;
	struct form qf;
	size_t i;
	int rc = 0;

	rc |= buf_append(b, url, q ? (size_t)(q - url) : strlen(url));
	if (q == NULL || q[1] == '\0')
		return rc | (f->count > 0 ? buf_putc(b, '?') : 0);
	if (form_parse(&qf, q + 1, strlen(q + 1), SMS_FIELDS_MAX) < 0)
		return -1;
	s = sms_sorted(&qf);
	rc |= s == NULL ? -1 : buf_putc(b, '?');
	for (i = 0; s != NULL && i < qf.count; i++) {
		if (i > 0)
			rc |= buf_putc(b, '&');
		rc |= buf_append(b, s[i]->name, s[i]->name_len);
		rc |= buf_putc(b, '=');
		rc |= buf_append(b, s[i]->value, s[i]->value_len);
	}
	rc |= buf_putc(b, '.');
	free(s);
	form_release(&qf);
	return rc;
}

int sms_plivo_signature(const char *url, const struct form *f,
			const char *nonce, const char *token, char out[45])
{
	const struct form_field **s = sms_sorted(f);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	struct buf b;
	size_t i;
	int rc;

	if (s == NULL)
		return -1;
	buf_init(&b, SMS_SIGN_BUF_MAX);
	rc = sms_plivo_base(&b, url, f);
	for (i = 0; i < f->count && rc == 0; i++) {
		rc |= buf_append(&b, s[i]->name, s[i]->name_len);
		rc |= buf_append(&b, s[i]->value, s[i]->value_len);
	}
	rc |= buf_putc(&b, '.');
	rc |= buf_puts(&b, nonce);
	if (rc == 0 &&
	    HMAC(EVP_sha256(), token, (int)strlen(token),
		 (const unsigned char *)b.data, b.len, md, &mdlen) == NULL)
		rc = -1;
	if (rc == 0)
		rc = sms_b64(md, mdlen, out, 45);
	buf_release(&b);
	free(s);
	return rc ? -1 : 0;
}

int sms_asg_signature(const char *key, const char *body, size_t len,
		      const char *ts, char out[CRYPTO_SHA256_HEX])
{
	struct buf b;
	int rc;

	buf_init(&b, SMS_BODY_MAX + 64);
	rc = buf_append(&b, body, len);
	if (rc == 0)
		rc = buf_puts(&b, ts);
	if (rc == 0)
		rc = crypto_hmac_sha256_hex(key, strlen(key), b.data, b.len,
					    out);
	buf_release(&b);
	return rc;
}

/* ---- JSON bounds and time stamps ------------------------------------- */

int sms_json_bounded(const char *s, size_t len, int max_depth, size_t max_nodes)
{
	size_t i, nodes = 0;
	int depth = 0, in_str = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"') {
			in_str = 1;
			nodes++;
		} else if (c == '{' || c == '[') {
			if (++depth > max_depth)
				return 0;
			nodes++;
		} else if (c == '}' || c == ']') {
			depth--;
		} else if (c == ',') {
			nodes++;
		}
		if (nodes > max_nodes)
			return 0;
	}
	return 1;
}

/* Reads n digits at s into *v; 0 or -1. */
static int sms_digits(const char *s, size_t n, int *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t sms_days(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The zone offset in minutes at s[0..len) ("", "Z", "+03:00", "+0300"). */
static int sms_zone(const char *s, size_t len, int *minutes)
{
	int h, m, sign;

	*minutes = 0;
	if (len == 0 || (len == 1 && (s[0] == 'Z' || s[0] == 'z')))
		return 0;
	if (s[0] != '+' && s[0] != '-')
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	if (len == 6 && s[3] == ':' && sms_digits(s + 1, 2, &h) == 0 &&
	    sms_digits(s + 4, 2, &m) == 0) {
		*minutes = sign * (h * 60 + m);
		return 0;
	}
	if (len == 5 && sms_digits(s + 1, 2, &h) == 0 &&
	    sms_digits(s + 3, 2, &m) == 0) {
		*minutes = sign * (h * 60 + m);
		return 0;
	}
	return -1;
}

/* "YYYY-MM-DD[T ]HH:MM[:SS[.fff]][zone]" as ms since the epoch. */
static int sms_iso(const char *s, size_t len, int64_t *ms)
{
	int y, mo, d, h, mi, sec = 0, frac = 0, off;
	size_t i = 16;

	if (len < 16 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != ' ' && s[10] != 't') || s[13] != ':' ||
	    sms_digits(s, 4, &y) || sms_digits(s + 5, 2, &mo) ||
	    sms_digits(s + 8, 2, &d) || sms_digits(s + 11, 2, &h) ||
	    sms_digits(s + 14, 2, &mi))
		return -1;
	if (len >= 19 && s[16] == ':' && sms_digits(s + 17, 2, &sec) == 0)
		i = 19;
	if (i == 19 && len > 20 && s[19] == '.') {
		for (i = 20; i < len && isdigit((unsigned char)s[i]); i++)
			if (i < 23)
				frac = frac * 10 + (s[i] - '0');
		while (i > 20 && i < 23 && frac < 100)
			frac *= 10;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60 || sms_zone(s + i, len - i, &off) < 0)
		return -1;
	*ms = ((sms_days(y, mo, d) * 24 + h) * 60 + mi - off) * 60000LL +
	      sec * 1000LL + frac;
	return 0;
}

int sms_time_parse(const char *s, size_t len, char out[STORE_TIME_LEN])
{
	int64_t v = 0;
	size_t i;

	if (len > 0 && len <= 13) {
		for (i = 0; i < len && isdigit((unsigned char)s[i]); i++)
			v = v * 10 + (s[i] - '0');
		if (i == len) {
			store_format_time(len > 11 ? v : v * 1000, out);
			return 0;
		}
	}
	if (sms_iso(s, len, &v) < 0)
		return -1;
	store_format_time(v, out);
	return 0;
}
