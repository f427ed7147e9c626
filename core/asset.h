/*
 * asset: the static files (style sheets, scripts, icons) compiled into
 * the binary, so that a kiosk needs nothing but bin/chorus.
 *
 * The build collects every file under kiosk/assets/ and web/assets/;
 * a file kiosk/assets/kiosk.css is found as "/kiosk/kiosk.css".
 */
#ifndef CHORUS_ASSET_H
#define CHORUS_ASSET_H

#include <stddef.h>

struct asset {
	const char *path;  /* "/kiosk/kiosk.css" */
	const char *ctype; /* from the file's extension */
	const unsigned char *data;
	size_t len;
};

/* The asset at path, or NULL. */
const struct asset *asset_find(const char *path);

#endif
