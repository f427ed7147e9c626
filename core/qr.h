/*
 * qr: QR codes for item links, drawn as SVG for screens and print.
 *
 * Links are encoded in upper case so that libqrencode can use its
 * alphanumeric mode, at error-correction level M, with a quiet zone of
 * four modules on every side.  The SVG is pure vector: one path of unit
 * squares in a viewBox of modules, so it stays sharp at any size.
 */
#ifndef CHORUS_QR_H
#define CHORUS_QR_H

#include <stddef.h>

#include "buf.h"

#define QR_QUIET 4

/*
 * Appends the SVG for text to out.  label (may be NULL) becomes the
 * image's accessible name (escaped).  When version is not NULL it gets
 * the symbol version used.  Returns 0, or -1 when encoding failed or out
 * is full.
 */
int qr_svg(struct buf *out, const char *text, const char *label, int *version);

/*
 * Writes the item link for code under base_url into out, upper-cased:
 * "http://example.org" and "K70042M" give "HTTP://EXAMPLE.ORG/I/K70042M".
 * Returns 0, or -1 when it does not fit.
 */
int qr_item_url(char *out, size_t outlen, const char *base_url,
		const char *code);

/*
 * Writes the flyer link of prompt id printed for site under base_url
 * into out, upper-cased: "http://example.org", "lunch" and "k7" give
 * "HTTP://EXAMPLE.ORG/Q/LUNCH?S=K7" (without "?S=..." when site is NULL
 * or "").  Returns 0, or -1 when it does not fit.
 */
int qr_prompt_url(char *out, size_t outlen, const char *base_url,
		  const char *id, const char *site);

#endif
