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
 * Words are stemmed lightly, the way similar.h stems, so that a plural
 * finds the singular and the other way round in English and Spanish: a
 * word of SEARCH_STEM_MIN bytes or more becomes a prefix search, without
 * its final "s" when it is longer than that ("bibliotecas" and
 * "biblioteca" both search biblioteca*, "books" book*).
 */
#ifndef CHORUS_WEB_SEARCH_H
#define CHORUS_WEB_SEARCH_H

#include <stddef.h>

#define SEARCH_WORDS_MAX 16 /* words kept from one query */
#define SEARCH_STEM_MIN 4   /* bytes of a word searched as a prefix */

/*
 * Writes the query for s[0..len) into out.  Returns the number of words
 * (0 when there are none: out is then ""), or -1 when out is too small
 * (out is then "").
 */
int search_fts_query(const char *s, size_t len, char *out, size_t outlen);

#endif
