/*
 * search: a person's search words as a safe SQLite FTS5 query.
 *
 * FTS5 has a query language of its own (AND, OR, NEAR, quotes, column
 * filters, prefixes); typed text must never reach it as syntax.  Each
 * word (a run of bytes between spaces) becomes one quoted string, with
 * any double quote inside doubled, and the words are joined with spaces,
 * which FTS5 reads as AND.  A word ending in "*" keeps it outside the
 * quotes as a prefix search.
 *
 * Words are stemmed lightly so that a plural finds the singular and the
 * other way round in English and Spanish.  A word shorter than
 * SEARCH_STEM_MIN bytes is searched exactly ("bus", "art"); a longer
 * one becomes a prefix search, without the first of these endings
 * (any case) that leaves at least SEARCH_STEM_KEEP bytes:
 *
 *   "ies"            libraries -> librar*   (finds library)
 *   "es"             buses -> bus*, flores -> flor*, tables -> tabl*
 *   "s"              bibliotecas -> biblioteca*, books -> book*
 *                    (only from words longer than SEARCH_STEM_MIN,
 *                    never after "s": class -> class*)
 *   "y" after a      library -> librar*, family -> famil*
 *   consonant        (only from words longer than SEARCH_STEM_MIN)
 *
 * so "biblioteca" and "book" find their plurals by the prefix, and
 * "library" finds "libraries".  Plurals that change a letter inside
 * the word ("luces" of "luz") are not found from one another, and a
 * word of four bytes keeps a final "s" or "y" ("más", "city").
 */
#ifndef CHORUS_WEB_SEARCH_H
#define CHORUS_WEB_SEARCH_H

#include <stddef.h>

#define SEARCH_WORDS_MAX 16 /* words kept from one query */
#define SEARCH_STEM_MIN 4   /* bytes of a word searched as a prefix */
#define SEARCH_STEM_KEEP 3  /* bytes a stemmed word keeps at least */

/*
 * Writes the query for s[0..len) into out.  Returns the number of words
 * (0 when there are none: out is then ""), or -1 when out is too small
 * (out is then "").
 */
int search_fts_query(const char *s, size_t len, char *out, size_t outlen);

/*
 * The length of the stem of the word s[0..n): n for a word shorter than
 * SEARCH_STEM_MIN bytes, else n less the first ending above that applies
 * ("s" never after another "s": "class" stays whole).  The measure of
 * similar ideas (similar.h) stems with it too.
 */
size_t search_stem(const char *s, size_t n);

#endif
