/*
 * gsm7: how many SMS segments a reply costs in the GSM 7-bit alphabet.
 *
 * Replies Chorus sends (acknowledgements, keyword confirmations, HELP)
 * must be GSM-7 only and fit one segment, so that they cost one SMS and
 * show the same on every phone.  A character of the basic table takes one
 * septet; one of the extension table (^ { } \ [ ~ ] | and the euro sign,
 * form feed) takes two, an escape and its code.  Anything else is not
 * GSM-7 and would turn the whole message into UCS-2.
 */
#ifndef CHORUS_GSM7_H
#define CHORUS_GSM7_H

#include <stddef.h>

#define GSM7_SINGLE 160 /* septets in a single segment */
#define GSM7_PART 153	/* septets per part of a concatenated message */
#define UCS2_SINGLE 70	/* UTF-16 units in a single segment */
#define UCS2_PART 67	/* UTF-16 units per part */

/* How a text goes on air: its coding, its size in that coding's units
 * (septets or UTF-16 units) and its segments. */
struct gsm7_plan {
	int ucs2;
	long units;
	int segments;
};

/*
 * Septets needed for the UTF-8 text s[0..len), or -1 when s is not
 * valid UTF-8 or holds a character outside GSM-7.
 */
long gsm7_septets(const char *s, size_t len);

/*
 * Segments needed for s[0..len) sent as GSM-7 (an empty text is one
 * segment), or -1 when s cannot be sent as GSM-7.  Parts of a
 * concatenated message never split an escape pair.
 */
int gsm7_segments(const char *s, size_t len);

/*
 * Plans s[0..len) (valid UTF-8): GSM-7 when every character is in it,
 * else UCS-2.  Parts never split an escape pair or a surrogate pair.
 * 0, or -1 when s is not valid UTF-8.
 */
int gsm7_plan(const char *s, size_t len, struct gsm7_plan *p);

/*
 * The byte offset where part k (from 0) of s begins, for every part, in
 * starts (room for max); returns the number of parts, or -1 when s is
 * not valid UTF-8.  Every offset is a character boundary.
 */
int gsm7_split(const char *s, size_t len, size_t *starts, int max);

/*
 * The longest prefix of s that fits max_segments segments, cut at a
 * character boundary (its length in bytes).
 */
size_t gsm7_fit(const char *s, size_t len, int max_segments);

#endif
