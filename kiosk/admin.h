/*
 * admin: the kiosk's small status screen for whoever looks after the
 * site node.
 *
 * GET /admin shows a PIN form; POST /admin with the right pin shows the
 * sync status (sync/status.c): queue depth, the oldest unsent item, the
 * last push and pull, the last error, the clock and the WAL size.  The
 * screen answers only requests from this machine (loopback), and only
 * once a PIN was set with "chorus init --admin-pin"; the database keeps
 * only a salted SHA-256 of the PIN.  Nothing on it identifies a person.
 */
#ifndef CHORUS_KIOSK_ADMIN_H
#define CHORUS_KIOSK_ADMIN_H

#include <microhttpd.h>

#include "http.h"

/* Answers GET or POST /admin for the site database at path. */
enum MHD_Result kiosk_admin(struct MHD_Connection *c, struct http_req *req,
			    const char *method, const char *path,
			    const char *lang);

#endif
