/*
 * lang: the language of a page of the centre, and remembering the one a
 * reader chose.  See web_lang() in web.h.
 *
 * A reader picks a language with a link that carries ?lang=XX.  Without
 * a cookie, the next page (a menu link, a filter form, the redirect
 * after a save or a login) would fall back to Accept-Language, which on
 * a shared office computer is often not the reader's.  So a choice made
 * by ?lang= is kept in a cookie, and the cookie comes before
 * Accept-Language on every later page.
 */
#include <stdio.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "web.h"

/* The language the lang field of f names, or NULL. */
static const char *web_lang_field(const struct form *f)
{
	const struct form_field *ff = f != NULL ? form_get(f, "lang") : NULL;

	return ff != NULL ? i18n_lang(ff->value, ff->value_len) : NULL;
}

/* The language the reader's cookie names, or NULL. */
static const char *web_lang_cookie(struct MHD_Connection *c)
{
	const char *v = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
						    WEB_LANG_COOKIE);

	return v != NULL ? i18n_lang(v, strlen(v)) : NULL;
}

const char *web_lang(const struct web *w, struct MHD_Connection *c,
		     const struct form *query, const struct form *form,
		     char *set, size_t setlen)
{
	const char *chosen = web_lang_field(query);
	const char *kept = web_lang_cookie(c);
	const char *lang;

	if (setlen > 0)
		set[0] = '\0';

	/* A choice the cookie does not hold yet is remembered. */
	if (chosen != NULL && (kept == NULL || strcmp(chosen, kept) != 0) &&
	    setlen > 0 &&
	    snprintf(set, setlen,
		     WEB_LANG_COOKIE "=%s; Path=/; Max-Age=%lld; HttpOnly;"
				     " SameSite=Lax%s",
		     chosen, (long long)WEB_LANG_AGE_S,
		     strncmp(w->public_url, "https:", 6) == 0
			     ? "; Secure"
			     : "") >= (int)setlen)
		set[0] = '\0';

	lang = chosen;
	if (lang == NULL)
		lang = web_lang_field(form);
	if (lang == NULL)
		lang = kept;
	if (lang == NULL)
		lang = i18n_negotiate(http_header(c, "Accept-Language"));
	return lang != NULL ? lang : I18N_DEFAULT;
}
