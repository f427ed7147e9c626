/*
 * notices: what the centre sent back, on the kiosk's screen.
 *
 * GET /notices shows the notices ("you said, we did") and the ideas the
 * site has pulled from the centre (the table pulled, kinds "notice" and
 * "idea"; see core/feed.h), newest first, in the kiosk's language, with
 * a button to endorse each idea.  POST /api/endorse {code} records one
 * endorsement with channel "kiosk" and sync_state "pending", for sync to
 * push.  Nothing identifies a person at a kiosk, so the voter is a fresh
 * random hash each time: the screen, not the table, keeps one tap from
 * counting twice (the page returns to the start after the thanks).  The
 * row is committed before the thanks is shown.
 */
#ifndef CHORUS_KIOSK_NOTICES_H
#define CHORUS_KIOSK_NOTICES_H

#include <microhttpd.h>

#include "http.h"

/* GET /notices for the site database at path, in lang. */
enum MHD_Result kiosk_notices_get(struct MHD_Connection *c, const char *path,
				  const char *lang);

/* POST /api/endorse (a form: code, lang) for site at path. */
enum MHD_Result kiosk_endorse_post(struct MHD_Connection *c,
				   const struct http_req *req, const char *path,
				   const char *site, const char *lang);

#endif
