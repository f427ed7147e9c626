/*
 * gsm7: how much air an SMS reply takes.  Counts GSM 03.38 septets (or
 * UCS-2 units when a letter needs them), plans segments and finds where
 * to cut a reply so it fits; used to keep replies within their limits.
 * See gsm7.h.
 *
 * The tables hold Unicode code points.  ASCII is handled by rule (most
 * printable ASCII is in the basic table), the rest by a short list.
 */
#include "gsm7.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

/* Basic-table characters outside ASCII. */
static const uint16_t gsm7_basic_high[] = {
	0x00A1, 0x00A3, 0x00A4, 0x00A5, 0x00A7, 0x00BF, 0x00C4, 0x00C5,
	0x00C6, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00D8, 0x00DC, 0x00DF,
	0x00E0, 0x00E4, 0x00E5, 0x00E6, 0x00E8, 0x00E9, 0x00EC, 0x00F1,
	0x00F2, 0x00F6, 0x00F8, 0x00F9, 0x00FC, 0x0393, 0x0394, 0x0398,
	0x039B, 0x039E, 0x03A0, 0x03A3, 0x03A6, 0x03A8, 0x03A9,
};

/* Extension-table characters (two septets each). */
static const char gsm7_ext_ascii[] = "\f^{}\\[~]|";
#define GSM7_EURO 0x20AC

/* Septets for one code point: 1, 2, or 0 when it is not GSM-7. */
static int gsm7_cost(uint32_t cp)
{
	size_t i;

	if (cp == '`')
		return 0;
	if (cp != 0 && cp < 0x80 && strchr(gsm7_ext_ascii, (int)cp) != NULL)
		return 2;
	if (cp == '\n' || cp == '\r' || (cp >= 0x20 && cp < 0x7F))
		return 1;
	if (cp == GSM7_EURO)
		return 2;
	for (i = 0; i < sizeof(gsm7_basic_high) / sizeof(gsm7_basic_high[0]);
	     i++)
		if (gsm7_basic_high[i] == cp)
			return 1;
	return 0;
}

long gsm7_septets(const char *s, size_t len)
{
	size_t off = 0, n;
	uint32_t cp;
	long total = 0;
	int cost;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (n == 0)
			return -1;
		cost = gsm7_cost(cp);
		if (cost == 0)
			return -1;
		total += cost;
		off += n;
	}
	return total;
}

int gsm7_segments(const char *s, size_t len)
{
	size_t off = 0, n;
	uint32_t cp;
	long total = gsm7_septets(s, len);
	int parts = 1, cost, used = 0;

	if (total < 0)
		return -1;
	if (total <= GSM7_SINGLE)
		return 1;

	/* Fill parts one character at a time so an escape pair stays whole. */
	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		cost = gsm7_cost(cp);
		if (used + cost > GSM7_PART) {
			parts++;
			used = 0;
		}
		used += cost;
		off += n;
	}
	return parts;
}

/* Units of cp in the plan's coding. */
static int gsm7_units(uint32_t cp, int ucs2)
{
	if (ucs2)
		return cp > 0xFFFF ? 2 : 1;
	return gsm7_cost(cp);
}

/* Fills starts by walking s; returns the parts. */
static int gsm7_walk(const char *s, size_t len, int ucs2, size_t *starts,
		     int max)
{
	size_t off = 0, n;
	uint32_t cp;
	long total = 0;
	int parts = 1, used = 0, cost, single, part;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		total += gsm7_units(cp, ucs2);
		off += n;
	}
	single = ucs2 ? UCS2_SINGLE : GSM7_SINGLE;
	part = ucs2 ? UCS2_PART : GSM7_PART;
	if (max > 0)
		starts[0] = 0;
	if (total <= single)
		return 1;
	for (off = 0; off < len; off += n) {
		n = utf8_decode(s + off, len - off, &cp);
		cost = gsm7_units(cp, ucs2);
		if (used + cost > part) {
			if (parts < max)
				starts[parts] = off;
			parts++;
			used = 0;
		}
		used += cost;
	}
	return parts;
}

int gsm7_plan(const char *s, size_t len, struct gsm7_plan *p)
{
	size_t off = 0, n;
	uint32_t cp;
	long units = 0;
	int ucs2 = gsm7_septets(s, len) < 0;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (n == 0)
			return -1;
		units += gsm7_units(cp, ucs2);
		off += n;
	}
	p->ucs2 = ucs2;
	p->units = units;
	p->segments = gsm7_walk(s, len, ucs2, NULL, 0);
	return 0;
}

int gsm7_split(const char *s, size_t len, size_t *starts, int max)
{
	struct gsm7_plan p;

	if (gsm7_plan(s, len, &p) < 0)
		return -1;
	return gsm7_walk(s, len, p.ucs2, starts, max);
}

size_t gsm7_fit(const char *s, size_t len, int max_segments)
{
	size_t starts[64];
	int parts = gsm7_split(s, len, starts, 64);

	if (parts < 0 || max_segments < 1 || max_segments > 63 ||
	    parts <= max_segments)
		return parts < 0 ? 0 : len;
	/* Cutting may turn the text back into one that needs fewer parts;
	 * the cut at the next part's start is always within the limit. */
	return starts[max_segments];
}
