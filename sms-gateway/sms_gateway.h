/*
 * sms_gateway: every gateway Chorus speaks, as one table.
 *
 * A gateway is a wire format: how a provider's webhook request is checked
 * (its signature or shared secret, compared in constant time), how it is
 * read into normalised messages (struct sms_msg, see sms_parse.h), and
 * how it is answered.  Like sms_parse, nothing here does I/O: a request
 * comes in as a struct sms_http (method, raw query, raw body, headers by
 * lookup), so the daemon, the unit tests and the fuzz harnesses share it.
 *
 * Gateways that can carry a reply in their HTTP answer (Twilio's TwiML,
 * Kannel's body, SMSSync's task:send, Telerivet's messages) have inband
 * set; the others reply from the durable outbox (sms_outbox.h).  A
 * request yields 0 to SMS_BATCH_MAX messages: Infobip posts batches,
 * Telerivet and android-sms-gateway post events that are not messages.
 */
#ifndef CHORUS_SMS_GATEWAY_H
#define CHORUS_SMS_GATEWAY_H

#include <stddef.h>

#include "sms_channel.h"
#include "sms_parse.h"

#define SMS_BATCH_MAX 100 /* messages in one request (Infobip) */
#define SMS_JSON_DEPTH 8  /* nesting allowed in a JSON body */
#define SMS_JSON_NODES 4096

/* A webhook request as it arrived. */
struct sms_http {
	const char *method; /* "GET" or "POST" */
	const char *query;  /* raw, after '?', "" when none */
	size_t query_len;
	const char *body; /* raw upload, "" when none */
	size_t body_len;
	/* A request header by name (any case), or NULL. */
	const char *(*header)(void *ctx, const char *name);
	void *header_ctx;
};

struct sms_batch {
	struct sms_msg msgs[SMS_BATCH_MAX];
	size_t n;
};

/* What a gateway expects in its HTTP answer. */
enum sms_answer {
	SMS_ANSWER_TWIML,     /* TwiML <Response>, reply in <Message> */
	SMS_ANSWER_TEXT,      /* plain body: the reply SMS itself (Kannel) */
	SMS_ANSWER_SMSSYNC,   /* {"payload":{"success":...}} + task:send */
	SMS_ANSWER_TELERIVET, /* {"messages":[{"content":...}]} */
	SMS_ANSWER_JSON,      /* {"ok":true}: the reply goes by outbox */
};

struct sms_gateway {
	const char *name;
	int get_ok;  /* GET requests accepted */
	int post_ok; /* POST requests accepted */
	int inband;  /* replies travel in the HTTP answer */
	enum sms_answer answer;
	/*
	 * Checks and reads rq into b.  Returns 0, or an HTTP status (400,
	 * 403, 415, 500) with *why set to a one-line reason; b may then hold
	 * partial messages (the caller releases it either way).
	 */
	int (*parse)(const struct sms_channel *ch, const struct sms_http *rq,
		     struct sms_batch *b, const char **why);
};

/* The gateway called name, or NULL. */
const struct sms_gateway *sms_gateway_find(const char *name);

/* Every gateway name, NULL-terminated. */
extern const char *const sms_gateway_names[];

/* Makes b empty; sms_batch_release() frees it. */
void sms_batch_init(struct sms_batch *b);
void sms_batch_release(struct sms_batch *b);

/*
 * Vonage's signature of the form f (the "sig" field left out) under
 * secret, in mode "md5hash" (MD5 of the string and the secret) or
 * "md5", "sha1", "sha256", "sha512" (HMAC), as lower-case hex into out
 * (room for 129 bytes).  0, or -1 for an unknown mode or no memory.
 */
int sms_vonage_signature(const struct form *f, const char *secret,
			 const char *mode, char out[129]);

/*
 * Plivo's V3 signature (base64 HMAC-SHA256 under token) of a POST to url
 * (the configured public URL, query included) with form fields f and
 * nonce, into out (room for 45 bytes).  0 or -1.
 */
int sms_plivo_signature(const char *url, const struct form *f,
			const char *nonce, const char *token, char out[45]);

/*
 * android-sms-gateway's X-Signature: hex HMAC-SHA256 under key of the
 * raw body followed by the X-Timestamp text.  0 or -1.
 */
int sms_asg_signature(const char *key, const char *body, size_t len,
		      const char *ts, char out[CRYPTO_SHA256_HEX]);

/*
 * True when the JSON text s[0..len) nests no deeper than max_depth and
 * holds at most max_nodes values (checked before jansson sees it).
 */
int sms_json_bounded(const char *s, size_t len, int max_depth,
		     size_t max_nodes);

/*
 * A gateway's time stamp as ISO UTC into out: Unix seconds or
 * milliseconds, or "YYYY-MM-DD[T ]HH:MM[:SS[.fff]]" with "Z", "+HH:MM",
 * "+HHMM" or no zone (read as UTC).  0, or -1 leaving out untouched.
 */
int sms_time_parse(const char *s, size_t len, char out[STORE_TIME_LEN]);

#endif
