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

#endif
