/*
 * lang: a guess at whether a short text is English or Spanish, for
 * texts that come with no language of their own (SMS).
 *
 * The guess counts words that belong to one language only (function
 * words such as "the", "and", "de", "que", and a few words schools hear
 * every day, "please", "gracias"), after folding case and accents.  A
 * letter only Spanish uses among the two (ñ, á, í, ó, ú, ¿, ¡) counts as
 * one Spanish word.  A language wins with at least two such words and
 * more than twice the other's; otherwise there is no guess, and the
 * caller keeps the language it had (the channel's).  Short texts
 * ("hola", "ok") therefore keep it.
 */
#ifndef CHORUS_LANG_H
#define CHORUS_LANG_H

#include <stddef.h>

/* "en", "es", or NULL when s[0..len) does not say clearly. */
const char *lang_guess(const char *s, size_t len);

#endif
