/*
 * mask: finding phone numbers and e-mail addresses inside free text.
 *
 * Public pages never show a phone number, yet people type their own
 * ("call me at 555 0100 1234") into ideas.  The public pages therefore
 * show item text through html_escape_masked() (html.h), which replaces
 * each span this module finds with a label.  Staff pages and exports show
 * the text as it was sent.
 *
 * What counts (a rule written for people to check, not a perfect one):
 *  - a phone number: starts at a word boundary with a digit, "+" or "(",
 *    holds only digits and single separators (space, "-", ".", "(", ")"),
 *    ends at a word boundary, and has at least 8 digits, or 7 when it is
 *    written with a separator ("555-0123"); a date written
 *    YYYY-MM-DD is not a phone number;
 *  - an e-mail address: letters, digits and ". _ % + -" on both sides of
 *    one "@", with a "." inside the part after it.
 */
#ifndef CHORUS_MASK_H
#define CHORUS_MASK_H

#include <stddef.h>

enum mask_kind { MASK_NONE, MASK_PHONE, MASK_EMAIL };

/*
 * Finds the first span to mask in s[from..len).  Returns its kind and
 * sets [*start, *end), or returns MASK_NONE (start and end untouched).
 */
enum mask_kind mask_next(const char *s, size_t len, size_t from, size_t *start,
			 size_t *end);

#endif
