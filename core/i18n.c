/*
 * i18n: lookups in the compiled catalogues.  See i18n.h.
 *
 * The build generates i18n_data.c from i18n/ *.cat: for each language a
 * sorted array of key/text pairs, so a lookup is a binary search.
 */
#include "i18n.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct i18n_entry {
	const char *key;
	const char *text;
};

struct i18n_catalogue {
	const char *lang;
	const struct i18n_entry *entries;
	size_t count;
};

/* Defined in the generated i18n_data.c. */
extern const struct i18n_catalogue i18n_catalogues[];
extern const size_t i18n_ncatalogues;
extern const char *const i18n_lang_list[];

static int i18n_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct i18n_entry *)e)->key);
}

static const struct i18n_catalogue *i18n_find(const char *lang)
{
	size_t i;

	for (i = 0; lang != NULL && i < i18n_ncatalogues; i++)
		if (strcmp(i18n_catalogues[i].lang, lang) == 0)
			return &i18n_catalogues[i];
	return NULL;
}

static const char *i18n_lookup(const struct i18n_catalogue *cat,
			       const char *key)
{
	const struct i18n_entry *e;

	if (cat == NULL)
		return NULL;
	e = bsearch(key, cat->entries, cat->count, sizeof(*e), i18n_cmp);
	return e ? e->text : NULL;
}

const char *i18n_get(const char *lang, const char *key)
{
	const char *t = i18n_lookup(i18n_find(lang), key);

	if (t == NULL)
		t = i18n_lookup(i18n_find(I18N_DEFAULT), key);
	return t ? t : key;
}

const char *i18n_lang(const char *s, size_t len)
{
	size_t i, n;

	if (s == NULL)
		return NULL;
	/* Compare the primary subtag only: "es-MX" is Spanish. */
	for (n = 0; n < len && s[n] != '-' && s[n] != '_'; n++)
		;
	for (i = 0; i < i18n_ncatalogues; i++) {
		const char *l = i18n_catalogues[i].lang;

		if (strlen(l) == n && strncasecmp(l, s, n) == 0)
			return l;
	}
	return NULL;
}

const char *i18n_negotiate(const char *accept)
{
	const char *p = accept, *best = NULL, *l;
	double best_q = -1, q;
	size_t n;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		n = strcspn(p, ";, ");
		l = i18n_lang(p, n);
		q = 1.0;
		p += n;
		while (*p == ' ')
			p++;
		if (*p == ';' && strncmp(p, ";q=", 3) == 0)
			q = strtod(p + 3, NULL);
		if (l != NULL && q > best_q) {
			best = l;
			best_q = q;
		}
		p = strchr(p, ',');
	}
	return best;
}

const char *const *i18n_langs(void)
{
	return i18n_lang_list;
}
