/*
 * notices: what the centre sent back, on the kiosk's screen, and
 * endorsing its ideas there.
 *
 * GET /notices shows the notices ("you said, we did") and the ideas the
 * site has pulled from the centre (the table pulled, kinds "notice" and
 * "idea"; see core/feed.h), newest first, in the kiosk's language, with
 * a button to endorse each idea.  POST /api/endorse (a form: code, visit,
 * lang) records one endorsement with channel "kiosk" and sync_state
 * "pending", for sync to push.  The row is committed before the thanks
 * is shown.
 *
 * Nothing identifies a person at a kiosk, so an endorsement counts once
 * per visit: one person's use of the screen, from the start page until
 * the idle reset or "done".  A visit is a random token of
 * KIOSK_VISIT_LEN lower-case hex digits that the server makes when it
 * renders the start page without one, or sends a news page asked
 * without one to its own address with a new one (303), so that going
 * back or reloading keeps it.  The pages of one visit hand it on in
 * their links (?visit=) and forms (a hidden field), so it works without
 * JavaScript, and every way back to the start drops it.
 * The voter is HMAC-SHA256(device id, token) in hex: the same visit
 * endorsing the same idea again is the same voter, so nothing new is
 * stored and the answer says it was already counted.  The token proves
 * nothing by itself (anyone can make one), so a second rule bounds what
 * one kiosk can add: at most KIOSK_ENDORSE_PER_HOUR endorsements of one
 * idea from this kiosk in the last hour, counted from the endorsements
 * table itself, so a restart does not reset the count.
 *
 * Answers of POST /api/endorse, each a page whose message is announced
 * to screen readers (role=status):
 *   201  counted
 *   200  already counted in this visit; nothing stored
 *   400  no visit token or a malformed one, or an idea the site has not
 *        pulled; nothing stored
 *   429  the kiosk's cap for this idea is reached; nothing stored, and
 *        the page says how to endorse by SMS or on the idea's page
 *   503  the database could not be written; nothing stored
 */
#ifndef CHORUS_KIOSK_NOTICES_H
#define CHORUS_KIOSK_NOTICES_H

#include <microhttpd.h>

#include "http.h"

/*
 * At most this many kiosk endorsements of one idea are stored in any
 * hour at one site: about one every three minutes, more than an honest
 * queue at a lobby screen, far fewer than a finger tapping all day.
 */
#define KIOSK_ENDORSE_PER_HOUR 20

#define KIOSK_VISIT_LEN 32 /* hex digits of a visit token (128 bits) */

/* What the news pages need from the kiosk. */
struct kiosk_notices {
	const char *path;	/* the site database */
	const char *site;	/* its site code */
	const char *public_url; /* the centre's public address, for QR links */
	unsigned idle;		/* seconds a result stays on the screen */
};

/* 1 when s[0..len) is a well-formed visit token, else 0. */
int kiosk_visit_valid(const char *s, size_t len);

/*
 * The visit token in req's query ("visit=") when it is well-formed,
 * else a new one, into out.  1 when req carried it, 0 when it is new,
 * or -1 when no random bytes could be had (out is then untouched).
 */
int kiosk_visit_take(const struct http_req *req, char out[KIOSK_VISIT_LEN + 1]);

/* GET /notices, in lang. */
enum MHD_Result kiosk_notices_get(struct MHD_Connection *c,
				  const struct http_req *req,
				  const struct kiosk_notices *n,
				  const char *lang);

/* POST /api/endorse; lang is used when the form names no language. */
enum MHD_Result kiosk_endorse_post(struct MHD_Connection *c,
				   const struct http_req *req,
				   const struct kiosk_notices *n,
				   const char *lang);

#endif
