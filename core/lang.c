/*
 * lang: guessing English or Spanish.  See lang.h.
 */
#include "lang.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

#define LANG_WORD_MAX 16

/* Words of one language only; none is a word of the other. */
static const char *const lang_en[] = {
	"the",	  "and",      "to",	 "of",	     "is",	"it",
	"for",	  "that",     "with",	 "my",	     "our",	"we",
	"please", "more",     "can",	 "would",    "like",	"this",
	"are",	  "be",	      "have",	 "should",   "need",	"at",
	"on",	  "they",     "you",	 "your",     "there",	"not",
	"school", "kids",     "get",	 "better",   "want",	"if",
	"from",	  "or",	      "was",	 "will",     "do",	"what",
	"how",	  "why",      "when",	 "some",     "i",	"thanks",
	"hello",  "children", "teacher", "teachers", "library", "could",
	"idea",	  NULL,
};

static const char *const lang_es[] = {
	"de",	    "la",      "que",	     "el",	"en",
	"y",	    "los",     "las",	     "del",	"se",
	"por",	    "un",      "una",	     "para",	"con",
	"es",	    "mi",      "mis",	     "mas",	"muy",
	"quiero",   "hay",     "sus",	     "al",	"lo",
	"como",	    "pero",    "nuestro",    "nuestra", "nuestros",
	"escuela",  "ninos",   "hijos",	     "hijo",	"hija",
	"favor",    "gracias", "hola",	     "tiene",	"tienen",
	"esta",	    "este",    "estos",	     "son",	"ser",
	"tambien",  "cuando",  "porque",     "donde",	"todos",
	"todas",    "su",      "les",	     "nos",	"necesitamos",
	"mejor",    "mejorar", "biblioteca", "comida",	"clases",
	"maestros", "maestra", "maestro",    "padres",	"ya",
	"si",	    NULL,
};

/* The base letter of a lower-case Latin-1 letter with an accent, or 0. */
static char lang_fold(uint32_t cp)
{
	static const char map[] = "aaaaaaaceeeeiiii"
				  "dnooooo/ouuuuyty";

	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		cp += 0x20;
	if (cp >= 0xE0 && cp <= 0xFF && cp != 0xF7)
		return map[cp - 0xE0];
	return 0;
}

/* 1 for the letters that only Spanish of the two uses. */
static int lang_spanish_mark(uint32_t cp)
{
	switch (cp) {
	case 0xF1:
	case 0xD1: /* ñ */
	case 0xE1:
	case 0xC1: /* á */
	case 0xED:
	case 0xCD: /* í */
	case 0xF3:
	case 0xD3: /* ó */
	case 0xFA:
	case 0xDA: /* ú */
	case 0xBF:
	case 0xA1: /* ¿ ¡ */
		return 1;
	default:
		return 0;
	}
}

static int lang_in(const char *const *list, const char *w)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, w) == 0)
			return 1;
	return 0;
}

/* Counts word w (NUL-ended, folded) for the language it belongs to. */
static void lang_count(const char *w, size_t n, int *en, int *es)
{
	if (n == 0 || n > LANG_WORD_MAX)
		return;
	*en += lang_in(lang_en, w);
	*es += lang_in(lang_es, w);
}

const char *lang_guess(const char *s, size_t len)
{
	char w[LANG_WORD_MAX + 2];
	size_t i = 0, n = 0, step;
	int en = 0, es = 0;
	uint32_t cp;
	char c;

	while (i < len) {
		step = utf8_decode(s + i, len - i, &cp);
		if (step == 0) {
			step = 1;
			cp = ' ';
		}
		i += step;
		es += lang_spanish_mark(cp);
		c = cp < 0x80 ? (char)cp : lang_fold(cp);
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c >= 'a' && c <= 'z') {
			if (n <= LANG_WORD_MAX)
				w[n] = c;
			n++;
			continue;
		}
		w[n <= LANG_WORD_MAX ? n : 0] = '\0';
		lang_count(w, n, &en, &es);
		n = 0;
	}
	w[n <= LANG_WORD_MAX ? n : 0] = '\0';
	lang_count(w, n, &en, &es);
	if (es >= 2 && es > 2 * en)
		return "es";
	if (en >= 2 && en > 2 * es)
		return "en";
	return NULL;
}
