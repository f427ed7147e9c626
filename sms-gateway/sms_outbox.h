/*
 * sms_outbox: replies that go out through a gateway's send API.
 *
 * Gateways that cannot carry a reply in their HTTP answer (and Kannel
 * when its channel has a sendsms --send-url) get their replies as rows
 * of sms_outbox, written in the same transaction as the message they
 * answer.  One sender thread inside 'chorus sms' sends them with libcurl
 * in due order and records every attempt on the row:
 *
 *  - 2xx with the provider's own success mark: state 'sent';
 *  - a network error, 408, 429 or 5xx: attempts + 1 and next_at moved
 *    by an exponential backoff (base doubling, at most an hour) with
 *    jitter in [0.5, 1.5); after retry_max attempts state 'failed';
 *  - any other 4xx: state 'failed' at once (the request itself is wrong);
 *  - a row whose phone has opted out meanwhile: state 'dropped', unsent.
 *
 * When a row leaves 'pending' and no other row for its phone hash is
 * pending, the raw number is erased from every row of that hash.  The
 * same thread joins long-message parts that waited longer than the
 * parts timeout (sms_store_expire_parts()).
 */
#ifndef CHORUS_SMS_OUTBOX_H
#define CHORUS_SMS_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "sms_channel.h"
#include "sms_gateway.h"
#include "sms_store.h"

#define SMS_SEND_HEADERS 4

/* One HTTP request to a send API, built without I/O. */
struct sms_send_req {
	char method[8]; /* "GET" or "POST" */
	struct buf url;
	struct buf body;
	char headers[SMS_SEND_HEADERS][256]; /* "Name: value" or "" */
	char userpwd[256];		     /* Basic auth "user:pass" or "" */
};

enum sms_send_result {
	SMS_SEND_OK,
	SMS_SEND_RETRY,
	SMS_SEND_FAIL,
};

/*
 * True when ch can send a text later, outside any webhook's answer: its
 * replies go through the outbox, or (Twilio) it answers in-band but has
 * the account and token its send API needs.  Follows (news by SMS) are
 * only taken on such channels.
 */
int sms_channel_sends_later(const struct sms_channel *ch,
			    const struct sms_gateway *gw);

/* True when ch's replies go through the outbox. */
int sms_channel_outbox(const struct sms_channel *ch,
		       const struct sms_gateway *gw);

void sms_send_req_init(struct sms_send_req *rq);
void sms_send_req_release(struct sms_send_req *rq);

/*
 * Builds the send request of outbox row n replying text to the E.164
 * number to on channel ch.  0, or -1 when the gateway cannot send or
 * memory ran out.
 */
int sms_send_build(const struct sms_channel *ch, const char *to,
		   const char *text, int64_t n, struct sms_send_req *rq);

/* Judges a provider's answer (status 0: no answer at all). */
enum sms_send_result sms_send_judge(const struct sms_channel *ch, long status,
				    const char *body, size_t len);

struct sms_outbox_config {
	const char *path; /* the site database */
	const struct sms_channel *chs;
	size_t nchs;
	const struct sms_limits *limits;
	int64_t retry_base_ms; /* first backoff */
	int retry_max;	       /* attempts before 'failed' */
	int64_t parts_timeout_ms;
};

struct sms_outbox;

/*
 * Starts the sender thread (cfg and what it points to must outlive it).
 * On failure writes the reason into err and returns NULL.
 */
struct sms_outbox *sms_outbox_start(const struct sms_outbox_config *cfg,
				    char *err, size_t errlen);

/* Tells the sender that new rows are due. */
void sms_outbox_wake(struct sms_outbox *o);

/* Stops the sender (an attempt in flight is cut) and frees o. */
void sms_outbox_stop(struct sms_outbox *o);

/* The backoff before attempt attempts + 1, jitter r in [0, 1). */
int64_t sms_outbox_backoff(int64_t base_ms, int attempts, double r);

#endif
