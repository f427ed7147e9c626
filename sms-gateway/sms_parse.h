/*
 * sms_parse: gateway requests turned into one normalised message.
 *
 * Nothing here touches the network or the database, so the same code
 * runs under the daemon, the unit tests and the fuzz harness.  Every
 * input is pointer and length and may hold any byte.  What a parser
 * leaves in a struct sms_msg is always true:
 *
 *  - text is valid UTF-8 with no NUL, at most STORE_TEXT_MAX bytes, cut
 *    at a character boundary; bytes that were not UTF-8 (and NUL) became
 *    U+FFFD, never dropped; UTF-16BE from Kannel was decoded first;
 *  - provider_id is printable ASCII without spaces (at most
 *    SMS_ID_MAX - 1 bytes), or "" when the gateway gave no usable id;
 *    an id that is not printable or too long is replaced by "h:" and the
 *    SHA-256 of its bytes, so replays still match;
 *  - from holds the sender bytes as the gateway gave them (for
 *    normalisation only: it is never stored or logged);
 *  - provider_time is "" or an ISO 8601 UTC time from the gateway.
 */
#ifndef CHORUS_SMS_PARSE_H
#define CHORUS_SMS_PARSE_H

#include <stddef.h>

#include "buf.h"
#include "crypto.h"
#include "form.h"
#include "store.h"

#define SMS_BODY_MAX (64 * 1024) /* bytes of upload per request */
#define SMS_FIELDS_MAX 256	 /* form fields per request */
#define SMS_ID_MAX 80
#define SMS_FROM_MAX 64
#define SMS_MEDIA_MAX 16 /* MediaUrlN fields kept */

struct sms_msg {
	struct buf text;
	char provider_id[SMS_ID_MAX];
	char from[SMS_FROM_MAX];
	size_t from_len;
	char provider_time[STORE_TIME_LEN];
	char ts[32]; /* the gateway's time stamp as sent (cut), or "" */
	char *media; /* JSON array of URLs, or NULL when none (malloc) */
	int weak_id; /* provider_id may repeat for another message */
	/* A part of a long message: concat is its group reference, "" for
	 * a whole message; part counts from 1 up to total. */
	char concat[40];
	int part, total;
};

/* Makes m empty; sms_msg_release() frees it. */
void sms_msg_init(struct sms_msg *m);
void sms_msg_release(struct sms_msg *m);

/*
 * Fills m from the fields of a Twilio webhook: Body, From, MessageSid
 * and MediaUrl0.. (in index order).  Returns 0, or -1 when memory ran
 * out (m then holds partial data; release it).
 */
int sms_twilio_parse(const struct form *f, struct sms_msg *m);

/*
 * X-Twilio-Signature for a form POST: base64 of HMAC-SHA1 under token of
 * url (exactly as configured) followed by every field's name and value,
 * fields sorted by name and, for one name, by value (byte order).
 * Returns 0, or -1 when memory ran out.
 */
int sms_twilio_signature(const char *url, const char *token,
			 const struct form *f, char out[CRYPTO_SHA1_B64]);

/* True when header (may be NULL) is the right signature, in constant time. */
int sms_twilio_verify(const char *url, const char *token, const struct form *f,
		      const char *header);

/* What a Kannel request carries, whichever way (GET or POST) it came. */
struct sms_kannel_in {
	const char *from, *text, *id, *coding, *charset, *ts;
	size_t from_len, text_len, id_len, coding_len, charset_len, ts_len;
};

/* The fields of a get-url query (from, text, id, coding, charset, ts). */
void sms_kannel_from_form(const struct form *f, struct sms_kannel_in *in);

/* Fills m from in.  0, or -1 when memory ran out. */
int sms_kannel_parse(const struct sms_kannel_in *in, struct sms_msg *m);

/* Sets m's provider id from id[0..len) by the rule above. */
void sms_msg_set_id(struct sms_msg *m, const char *id, size_t len);

/* Sets m's sender bytes (cut to SMS_FROM_MAX - 1). */
void sms_msg_set_from(struct sms_msg *m, const char *s, size_t len);

/*
 * Appends UTF-16BE bytes s[0..len) to out as UTF-8: surrogate pairs are
 * joined; a lone surrogate, U+0000 and an odd last byte become U+FFFD.
 * Returns 0, or -1 when out is full.
 */
int sms_utf16be_to_utf8(struct buf *out, const char *s, size_t len);

/*
 * Repairs raw text into m->text (see the invariants above).  Returns 0
 * or -1 when memory ran out.
 */
int sms_text_set(struct sms_msg *m, const char *s, size_t len);

/*
 * The fingerprint used as provider_id when a gateway gives none:
 * "f:" and SHA-256 over the sender's hash, the gateway's time stamp and
 * the SHA-256 of the text, each followed by a NUL byte.  Returns 0, or
 * -1 (out untouched) when the parts do not fit.
 */
int sms_fingerprint(const char *from_hash, const char *ts,
		    const struct buf *text, char out[SMS_ID_MAX]);

/*
 * Appends s[0..len) percent-encoded for a URL query or form value: every
 * byte but letters, digits and - _ . ~ becomes %XX, so "+" is always
 * sent as %2B.  0 or -1.
 */
int sms_url_escape(struct buf *out, const char *s, size_t len);

/* Writes s with & < > " ' escaped for XML into out.  0 or -1. */
int sms_xml_escape(struct buf *out, const char *s, size_t len);

#endif
