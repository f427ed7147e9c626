/*
 * similar: how alike two short texts are, in English or Spanish.
 *
 * The measure, used to suggest ideas for a new item:
 *
 *  1. Normalise: decode UTF-8, fold case, fold accents and the letters
 *     of Latin-1 and Latin Extended-A to their base letter (á -> a,
 *     ñ -> n, ç -> c, ß -> ss), so "Más biblioteca" and "mas
 *     BIBLIOTECA" are the same words.
 *  2. Tokenise on anything that is not a letter or a digit.
 *  3. Drop stop words of English and Spanish (the, and, de, la, que...)
 *     and tokens shorter than three characters.
 *  4. Stem lightly, as the inbox search does (search_stem in search.h
 *     takes "ies", "es", "s" or a "y" after a consonant off the end),
 *     then take a final "e" off a stem of four or more characters, so
 *     that a plural and its singular meet: "libros" and "libro",
 *     "libraries" and "library", "tables" and "table", "trees" and
 *     "tree", "padres" and "padre".  Plurals that change inside ("luces"
 *     and "luz") do not.
 *  5. Score: the Jaccard index of the two token sets, |A n B| / |A u B|,
 *     from 0 (nothing shared) to 1 (the same words).
 *
 * At the centre, the candidates are found first with SQLite FTS5 (which
 * folds accents the same way) over the ideas' titles and what was
 * learned; the Jaccard index then ranks them.
 */
#ifndef CHORUS_WEB_SIMILAR_H
#define CHORUS_WEB_SIMILAR_H

#include <stddef.h>

#define SIMILAR_TOKENS_MAX 128 /* distinct tokens kept from one text */
#define SIMILAR_TOKEN_MAX 32   /* bytes of one token, longer ones cut */

struct similar_set {
	char tok[SIMILAR_TOKENS_MAX][SIMILAR_TOKEN_MAX + 1];
	size_t count; /* distinct tokens, sorted */
};

/*
 * Fills set from s[0..len) (invalid UTF-8 bytes count as separators).
 * Never fails; a text of more than SIMILAR_TOKENS_MAX distinct tokens
 * keeps the first ones.
 */
void similar_tokens(const char *s, size_t len, struct similar_set *set);

/* The Jaccard index of a and b; 0 when both are empty. */
double similar_jaccard(const struct similar_set *a,
		       const struct similar_set *b);

/*
 * Writes an FTS5 query matching any token of set ("t1" OR "t2" ...)
 * into out.  Returns 0, or -1 when set is empty or out is too small.
 */
int similar_fts_query(const struct similar_set *set, char *out, size_t outlen);

#endif
