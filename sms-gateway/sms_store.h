/*
 * sms_store: what one incoming SMS does to a site database.
 *
 * sms_store_apply() runs inside an intake job's savepoint, so its rows
 * commit together with the batch or not at all.  For a message it:
 *
 *  1. looks for (channel, provider_id) in sms_messages: found means a
 *     replay, which stores nothing and sends nothing, and hands back the
 *     code the first delivery got;
 *  2. makes the item (channel "sms", role "unsaid", the channel's
 *     language), whatever the text says: keywords are feedback too;
 *  3. updates the sender's contacts row (opted out on STOP, back in on
 *     START);
 *  4. picks the one reply: a STOP or START confirmation, the HELP text,
 *     or the acknowledgement carrying the code; none to a sender that is
 *     not a phone number, none while the sender is opted out, and none
 *     for a STOP from someone already opted out;
 *  5. inserts the sms_messages row, with acked = 1 when a reply goes.
 */
#ifndef CHORUS_SMS_STORE_H
#define CHORUS_SMS_STORE_H

#include <sqlite3.h>

#include "buf.h"
#include "code.h"
#include "crypto.h"
#include "sms_channel.h"
#include "sms_parse.h"
#include "sms_phone.h"

struct sms_incoming {
	/* Set by the caller. */
	const struct sms_channel *ch;
	struct sms_msg msg; /* provider_id set (fingerprint if need be) */
	struct sms_sender sender;
	char from_hash[CRYPTO_SHA256_HEX];

	/* Set by sms_store_apply(). */
	int replay;
	char code[CODE_MAX];
	struct buf reply; /* the reply SMS text, empty when none */
};

/* Runs steps 1 to 5 above.  Returns an SQLite code. */
int sms_store_apply(sqlite3 *db, struct sms_incoming *in);

/*
 * The acknowledgement text for code in lang, from the catalogue, into
 * out.  0, or -1 when out is full.
 */
int sms_ack_text(const char *lang, const char *code, struct buf *out);

#endif
