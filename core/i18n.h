/*
 * i18n: every string a person sees, by language.
 *
 * Catalogues are the files i18n/LANG/COMPONENT.cat, one "key = text" line
 * each, compiled into the binary by the build (a new language is a new
 * folder).
 * English is complete by rule; any other catalogue may lack keys, which
 * then fall back to English.  Texts are trusted (they ship with Chorus)
 * but are still escaped like any other text where they are shown.
 */
#ifndef CHORUS_I18N_H
#define CHORUS_I18N_H

#include <stddef.h>

#define I18N_DEFAULT "en"

/* The text for key in lang, else in English, else key itself. */
const char *i18n_get(const char *lang, const char *key);

/*
 * The catalogue language matching s[0..len) ("es", "ES", "es-MX"), or
 * NULL when Chorus has no catalogue for it.
 */
const char *i18n_lang(const char *s, size_t len);

/* The best catalogue language for an Accept-Language header (or NULL). */
const char *i18n_negotiate(const char *accept);

/* The languages Chorus ships, NULL-terminated, English first. */
const char *const *i18n_langs(void);

#endif
