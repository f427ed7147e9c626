/*
 * code: identities for items, made where an item is born.
 *
 * An item id is for machines: 26 characters of upper-case Crockford
 * base32, the first 10 the creation time in milliseconds (48 bits), the
 * last 16 random (80 bits).  Ids sort by creation time on one clock and
 * never collide in practice, even between cloned devices.
 *
 * An item code is for people: the site's two-character code, the item's
 * sequence number at that site in base32 (at least four digits), and a
 * check character (Luhn mod 32 over everything before it), for example
 * "K70042M".  Codes use only the Crockford alphabet, so they are upper
 * case, fit a QR code's alphanumeric mode, and survive being typed on a
 * phone keypad: code_parse() accepts any case, ignores spaces and dashes,
 * and reads O as 0 and I or L as 1.
 */
#ifndef CHORUS_CODE_H
#define CHORUS_CODE_H

#include <stddef.h>
#include <stdint.h>

#define CODE_ID_LEN 26
#define CODE_SITE_LEN 2
#define CODE_MAX 20 /* longest code text plus NUL, with room to spare */

/* Makes a new id for time ms into out.  0, or -1 if randomness failed. */
int code_make_id(char out[CODE_ID_LEN + 1], uint64_t ms);

/* True when s[0..len) has the shape of an id. */
int code_is_id(const char *s, size_t len);

/*
 * Writes the code for sequence seq (>= 1) at site into out.  Returns 0,
 * or -1 when site is not a valid site code.
 */
int code_make(char out[CODE_MAX], const char *site, uint64_t seq);

/*
 * Reads a code typed by a person.  On success returns 0, writes the
 * canonical code into canon and, when not NULL, the site and sequence.
 * Returns -1 for anything that is not a well-formed code with a correct
 * check character; the out-arguments are then untouched.
 */
int code_parse(const char *s, size_t len, char canon[CODE_MAX],
	       char site[CODE_SITE_LEN + 1], uint64_t *seq);

/* True when site is a well-formed site code (letter, then any digit). */
int code_site_valid(const char *site);

/* Picks a site code from random r (any value). */
void code_make_site(char out[CODE_SITE_LEN + 1], uint32_t r);

#endif
