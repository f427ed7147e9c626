/*
 * sms_follow: news by SMS for people who texted an idea and asked for it.
 *
 * A sender texts FOLLOW (or SEGUIR), alone for their latest item on the
 * channel or with a code.  The site keeps one sms_follow row per (code,
 * phone hash) with the raw number, the only place the number stays
 * while nothing is sent to it: DESIGN keeps a number only while a reply
 * to it is pending, and a follow is such a reply.  STOP deletes every
 * follow of the phone.
 *
 * The centre's notice feed row says which idea it is about, the codes
 * of the idea's items at every site, the idea's public URL, and "sms":
 * true when staff asked for texts.  When the site pulls such a row,
 * sms_follow_notice() runs in the pull's transaction: for every follow
 * of the idea or one of its items, one sms_outbox row with the notice's
 * title and the URL, in the notice's language, unless the phone already
 * heard about this idea (sms_follow_sent, one row per idea and phone
 * hash) or has opted out.  The follow row is then deleted; the number
 * lives on only in the outbox row, which erases it once the outbox has
 * sent or given up (sms_outbox.h).  The sender thread of 'chorus sms'
 * polls sms_outbox, so rows written by 'chorus sync' go out too.
 */
#ifndef CHORUS_SMS_FOLLOW_H
#define CHORUS_SMS_FOLLOW_H

#include <jansson.h>
#include <sqlite3.h>

#include "buf.h"
#include "code.h"

/*
 * The code of the latest item hash sent on channel (not a STOP, START
 * or HELP) into code, or "" when there is none.  SQLite code.
 */
int sms_follow_latest(sqlite3 *db, const char *channel, const char *hash,
		      char code[CODE_MAX]);

/* Records that hash (number) follows code on channel.  SQLite code. */
int sms_follow_add(sqlite3 *db, const char *code, const char *channel,
		   const char *hash, const char *number);

/* Deletes every follow of hash, numbers and all.  SQLite code. */
int sms_follow_forget(sqlite3 *db, const char *hash);

/*
 * The news text in lang: "sms.news" with {code}, the title and the
 * URL, fitted to SMS_REPLY_SEGMENTS segments by cutting the title (the
 * URL is never cut).  0, or -1 when even an empty title does not fit.
 */
int sms_follow_text(const char *lang, const char *code, const char *title,
		    const char *url, struct buf *out);

/*
 * Site side, inside the pull's transaction: acts on one pulled notice
 * (data, borrowed) as described above; a notice without "sms": true
 * does nothing.  SQLite code.
 */
int sms_follow_notice(sqlite3 *db, json_t *data);

#endif
