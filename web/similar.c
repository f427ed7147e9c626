/*
 * similar: normalised tokens and the Jaccard index.  See similar.h.
 */
#include "similar.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"
#include "utf8.h"

/* English and Spanish words too common to tell ideas apart, folded. */
static const char *const similar_stop[] = {
	"about",   "after",   "all",	  "also",   "and",    "any",	"are",
	"because", "been",    "but",	  "can",    "could",  "del",	"desde",
	"donde",   "el",      "ella",	  "ellos",  "en",     "era",	"esa",
	"ese",	   "eso",     "esta",	  "estan",  "este",   "esto",	"for",
	"from",	   "had",     "has",	  "have",   "hay",    "her",	"his",
	"how",	   "las",     "los",	  "mas",    "more",   "muy",	"nos",
	"not",	   "nuestra", "nuestro",  "our",    "para",   "pero",	"por",
	"porque",  "que",     "queremos", "quiero", "should", "sin",	"sobre",
	"some",	   "son",     "than",	  "that",   "the",    "their",	"them",
	"there",   "these",   "they",	  "this",   "tiene",  "todo",	"todos",
	"una",	   "uno",     "unos",	  "unas",   "very",   "want",	"was",
	"were",	   "what",    "when",	  "which",  "who",    "will",	"with",
	"would",   "you",     "your",	  "como",   "con",    "cuando", "les",
	"mis",	   "sus",     "tus",	  "the",    NULL,
};

/* The base letters of U+00C0..U+017F, lower case ("" for none). */
static const char *const similar_latin[0x180 - 0xC0] = {
	"a", "a", "a", "a",  "a",  "a",	 "ae", "c", "e", "e", "e",  "e",  "i",
	"i", "i", "i", "d",  "n",  "o",	 "o",  "o", "o", "o", "",   "o",  "u",
	"u", "u", "u", "y",  "th", "ss", "a",  "a", "a", "a", "a",  "a",  "ae",
	"c", "e", "e", "e",  "e",  "i",	 "i",  "i", "i", "d", "n",  "o",  "o",
	"o", "o", "o", "",   "o",  "u",	 "u",  "u", "u", "y", "th", "y",  "a",
	"a", "a", "a", "a",  "a",  "c",	 "c",  "c", "c", "c", "c",  "c",  "c",
	"d", "d", "d", "d",  "e",  "e",	 "e",  "e", "e", "e", "e",  "e",  "e",
	"e", "g", "g", "g",  "g",  "g",	 "g",  "g", "g", "h", "h",  "h",  "h",
	"i", "i", "i", "i",  "i",  "i",	 "i",  "i", "i", "i", "ij", "ij", "j",
	"j", "k", "k", "k",  "l",  "l",	 "l",  "l", "l", "l", "l",  "l",  "l",
	"l", "n", "n", "n",  "n",  "n",	 "n",  "n", "n", "n", "o",  "o",  "o",
	"o", "o", "o", "oe", "oe", "r",	 "r",  "r", "r", "r", "r",  "s",  "s",
	"s", "s", "s", "s",  "s",  "s",	 "t",  "t", "t", "t", "t",  "t",  "u",
	"u", "u", "u", "u",  "u",  "u",	 "u",  "u", "u", "u", "u",  "w",  "w",
	"y", "y", "y", "z",  "z",  "z",	 "z",  "z", "z", "s",
};

static const char *similar_fold_latin(uint32_t cp)
{
	if (cp >= 0xC0 && cp < 0x180)
		return similar_latin[cp - 0xC0];
	return NULL;
}

static int similar_is_stop(const char *t)
{
	size_t i;

	for (i = 0; similar_stop[i] != NULL; i++)
		if (strcmp(similar_stop[i], t) == 0)
			return 1;
	return 0;
}

static int similar_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * Ends the token in cur (n bytes): drops it if it is short or a stop
 * word, stems it (similar.h) and adds it to set.
 */
static void similar_end(char *cur, size_t n, struct similar_set *set)
{
	size_t i;

	cur[n] = '\0';
	if (n < 3 || similar_is_stop(cur))
		return;
	n = search_stem(cur, n);
	if (n > 3 && cur[n - 1] == 'e')
		n--;
	cur[n] = '\0';
	for (i = 0; i < set->count; i++)
		if (strcmp(set->tok[i], cur) == 0)
			return;
	if (set->count < SIMILAR_TOKENS_MAX)
		memcpy(set->tok[set->count++], cur, n + 1);
}

/* Appends the folded letters of cp to cur; 0 when cp separates. */
static int similar_letters(uint32_t cp, char *cur, size_t *n)
{
	const char *f = NULL;
	char one[2];

	if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
		one[0] = (char)cp;
		one[1] = '\0';
		f = one;
	} else if (cp >= 'A' && cp <= 'Z') {
		one[0] = (char)(cp - 'A' + 'a');
		one[1] = '\0';
		f = one;
	} else {
		f = similar_fold_latin(cp);
	}
	if (f == NULL || *f == '\0')
		return 0;
	for (; *f != '\0'; f++)
		if (*n < SIMILAR_TOKEN_MAX)
			cur[(*n)++] = *f;
	return 1;
}

void similar_tokens(const char *s, size_t len, struct similar_set *set)
{
	char cur[SIMILAR_TOKEN_MAX + 1];
	size_t i = 0, n = 0, step;
	uint32_t cp;

	set->count = 0;
	while (i < len) {
		step = utf8_decode(s + i, len - i, &cp);
		if (step == 0) {
			step = 1;
			cp = ' ';
		}
		i += step;
		if (similar_letters(cp, cur, &n))
			continue;
		if (n > 0)
			similar_end(cur, n, set);
		n = 0;
	}
	if (n > 0)
		similar_end(cur, n, set);
	qsort(set->tok, set->count, sizeof(set->tok[0]), similar_cmp);
}

double similar_jaccard(const struct similar_set *a, const struct similar_set *b)
{
	size_t i = 0, j = 0, both = 0;
	int c;

	if (a->count + b->count == 0)
		return 0.0;
	while (i < a->count && j < b->count) {
		c = strcmp(a->tok[i], b->tok[j]);
		if (c == 0) {
			both++;
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	return (double)both / (double)(a->count + b->count - both);
}

int similar_fts_query(const struct similar_set *set, char *out, size_t outlen)
{
	size_t i, used = 0;
	int n;

	if (set->count == 0 || outlen == 0)
		return -1;
	out[0] = '\0';
	for (i = 0; i < set->count; i++) {
		n = snprintf(out + used, outlen - used, "%s\"%s\"*",
			     i > 0 ? " OR " : "", set->tok[i]);
		if (n < 0 || (size_t)n >= outlen - used)
			return i > 0 ? 0 : -1;
		used += (size_t)n;
	}
	return 0;
}
