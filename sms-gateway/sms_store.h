/*
 * sms_store: what one incoming SMS does to a site database.
 *
 * sms_store_apply() runs inside an intake job's savepoint, so its rows
 * commit together with the batch or not at all.  For a message it:
 *
 *  1. looks for (channel, provider_id) in sms_messages and sms_parts:
 *     found means a replay, which stores nothing and sends nothing, and
 *     hands back the code the first delivery got;
 *  2. counts the message against the channel's limit (over it: nothing
 *     stored, channel_full set, the caller answers 503 so the gateway
 *     retries later) and the sender's (over it: the message is recorded
 *     but makes no item, and one polite reply goes per window);
 *  3. keeps a part of a long message in sms_parts until all its parts
 *     are there (partial set), then goes on with the joined text;
 *  4. acts on the text (sms_keyword.h): a new item (also for STOP, START
 *     and HELP: keywords are feedback too, stored as sent and marked by
 *     sms_messages.keyword; a plain text answers the site's question
 *     when its sender was asked it and has not answered yet: see
 *     docs/sms-keywords.md), an item whose parent is CODE, an
 *     endorsement (once per phone), or a status answer (also for a code
 *     alone, and for a code whose check fails: no item), or a follow
 *     (no item either);
 *  5. updates the sender's contacts row (opted out on STOP, back in on
 *     START); STOP also forgets every follow of the phone, and FOLLOW
 *     records one (sms_follow.h) when the channel sends by the outbox;
 *  6. picks the one reply (from the catalogue, in the keyword's language,
 *     else the text's when lang_guess() is sure, else the channel's,
 *     cut to SMS_REPLY_SEGMENTS segments; items are stored in the same
 *     language): none to a sender that is not a
 *     phone number, none while the sender is opted out; the
 *     acknowledgement and HELP ask the site's question once per phone
 *     when the whole reply fits, recorded in sms_asked; an
 *     acknowledgement invites FOLLOW only where in->later; a status
 *     answer goes in the keyword's language when it is not English
 *     (ESTADO), else in the item's stored language, else the
 *     channel's;
 *  7. inserts the sms_messages row, and, when the channel replies by
 *     send API, the sms_outbox row holding the raw number.
 *
 * Dedupe rule for gateways with weak or no ids (the caller builds
 * provider_id, see sms_store_identify()): a weak id is fingerprinted
 * with the sender's hash, the gateway's time and the text; no id with a
 * time uses sender, time and text; no id and no time uses sender and
 * text within SMS_DUP_WINDOW_MS of receipt, so a parent texting "YES"
 * twice minutes apart makes two messages.
 */
#ifndef CHORUS_SMS_STORE_H
#define CHORUS_SMS_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "buf.h"
#include "code.h"
#include "crypto.h"
#include "sms_channel.h"
#include "sms_parse.h"
#include "sms_phone.h"

#define SMS_REPLY_SEGMENTS 3	/* longest reply, in segments */
#define SMS_DUP_WINDOW_MS 10000 /* id-less, time-less repeats merge */

struct sms_limits {
	int phone_per_hour;	/* messages per phone hash per hour */
	int channel_per_minute; /* messages per channel per minute */
};

struct sms_incoming {
	/* Set by the caller. */
	const struct sms_channel *ch;
	const struct sms_limits *limits;
	int outbox;	    /* replies go by the outbox, not in-band */
	int later;	    /* the channel can text later: follows */
	struct sms_msg msg; /* provider_id set by sms_store_identify() */
	struct sms_sender sender;
	char from_hash[CRYPTO_SHA256_HEX];

	/* Set by sms_store_apply(). */
	int replay;
	int partial;	  /* a part was kept; no message yet */
	int channel_full; /* over the channel's limit: nothing stored */
	int queued;	  /* a reply went into sms_outbox */
	char code[CODE_MAX];
	struct buf reply; /* the reply SMS text, empty when none */
};

/*
 * Hashes the sender under phone_key and sets msg.provider_id by the rule
 * above (now_ms is the receipt time).  0 or -1.
 */
int sms_store_identify(struct sms_incoming *in, const char *phone_key,
		       int64_t now_ms);

/*
 * Step 1 alone, with no write: sets replay (and partial for a part) and
 * code when the message was stored before.  The daemon runs it on a
 * read-only connection first, so a duplicate is answered without
 * waiting for the writer (its row is committed already).  SQLite code.
 */
int sms_store_find(sqlite3 *db, struct sms_incoming *in);

/* Runs steps 1 to 7 above.  Returns an SQLite code. */
int sms_store_apply(sqlite3 *db, struct sms_incoming *in);

/*
 * Joins the parts of long messages on channel ch whose newest part is
 * older than before_ms into one item each, flagged incomplete in
 * sms_messages, with its reply queued as usual.  Runs in the caller's
 * transaction.  *made gets the number of items made.  SQLite code.
 */
int sms_store_expire_parts(sqlite3 *db, const struct sms_channel *ch,
			   const struct sms_limits *limits, int outbox,
			   int64_t before_ms, int *made);

/*
 * The acknowledgement text for code in lang, from the catalogue, into
 * out: "sms.ack", which invites FOLLOW, when follow (the channel can
 * text later: sms_channel_sends_later()), else "sms.ack_no_follow".
 * 0, or -1 when out is full.
 */
int sms_ack_text(const char *lang, const char *code, int follow,
		 struct buf *out);

/*
 * The catalogue text key in lang with {code}, {parent} and {status}
 * replaced by the given values (NULL leaves the mark).  0 or -1.
 */
int sms_reply_text(const char *lang, const char *key, const char *code,
		   const char *parent, const char *status, struct buf *out);

#endif
