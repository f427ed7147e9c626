/*
 * gsm7: GSM 03.38 septet counting.  See gsm7.h.
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
