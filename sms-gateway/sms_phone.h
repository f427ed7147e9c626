/*
 * sms_phone: who sent a message, in a form that compares equal.
 *
 * Gateways write one parent's number in many ways: "+447700900123",
 * "447700900123", "00447700900123", the national "07700900123", or
 * " 447700900123" when a "+" was decoded as a space.  With the channel's
 * country (ISO 3166 alpha-2) these all become the E.164 "+447700900123".
 * Short codes (3 to 6 digits) and alphanumeric sender ids ("SCHOOLX") are
 * not phone numbers: they are kept as they are, with their kind, and are
 * never replied to.
 *
 * The result's key is what Chorus hashes (HMAC-SHA256 under the site's
 * phone_key) to tell senders apart; the raw number itself is never
 * stored and never logged.
 */
#ifndef CHORUS_SMS_PHONE_H
#define CHORUS_SMS_PHONE_H

#include <stddef.h>

#define SMS_PHONE_KEY_MAX 40 /* longest key kept, with its NUL */

enum sms_from_kind {
	SMS_FROM_E164,
	SMS_FROM_SHORTCODE,
	SMS_FROM_ALPHANUMERIC,
	SMS_FROM_UNKNOWN,
};

struct sms_sender {
	enum sms_from_kind kind;
	/*
	 * E164: "+" and 7 to 15 digits.  SHORTCODE: the digits.
	 * ALPHANUMERIC: the id in upper case.  UNKNOWN: "" (every unknown
	 * sender shares one key, so none can be told apart or replied to).
	 */
	char key[SMS_PHONE_KEY_MAX];
};

/*
 * Normalises the sender raw[0..len) (any bytes) with country (two
 * letters, or NULL or "" when the channel has none).  Always fills *out.
 */
void sms_phone_normalize(const char *raw, size_t len, const char *country,
			 struct sms_sender *out);

/* "e164", "shortcode", "alphanumeric" or "unknown". */
const char *sms_phone_kind_name(enum sms_from_kind kind);

/* True when country (any case) is in Chorus's numbering table. */
int sms_phone_country_known(const char *country);

#endif
