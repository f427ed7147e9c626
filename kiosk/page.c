/*
 * page: the kiosk's HTML.  See page.h.
 *
 * Each writer appends markup with buf_* calls and ORs their results, so
 * a full buffer shows up once at the end.  Text from the catalogue goes
 * through html_t(); text from a person through kiosk_page_user_text(),
 * which repairs invalid UTF-8 before escaping it.
 */
#include "page.h"

#include <stdio.h>
#include <string.h>

#include "html.h"
#include "i18n.h"
#include "item.h"
#include "qr.h"
#include "store.h"
#include "utf8.h"

#define KIOSK_FORM_IDLE_FACTOR 4 /* the form waits this many idle times */

/* Appends "/?lang=LANG" escaped for an attribute. */
static int kiosk_page_home(struct buf *out, const char *lang)
{
	int rc = buf_puts(out, "/?lang=");

	return rc | html_text(out, lang);
}

/* Appends "&amp;visit=TOKEN" when there is a visit to go on with. */
static int kiosk_page_visit(struct buf *out, const char *visit)
{
	int rc;

	if (visit == NULL)
		return 0;
	rc = buf_puts(out, "&amp;visit=");
	return rc | html_text(out, visit);
}

int kiosk_page_begin(struct buf *out, const char *lang, const char *title,
		     unsigned refresh, const char *visit)
{
	const char *const *l;
	int rc = 0;

	rc |= buf_puts(out, "<!doctype html>\n<html lang=\"");
	rc |= html_text(out, lang);
	rc |= buf_puts(out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
			    "<meta name=\"viewport\" content=\"width=device-"
			    "width, initial-scale=1\">\n<title>");
	rc |= html_text(out, title);
	rc |= buf_puts(out, "</title>\n");
	if (refresh > 0) {
		rc |= buf_printf(out,
				 "<meta http-equiv=\"refresh\" content=\"%u;"
				 "url=",
				 refresh);
		rc |= kiosk_page_home(out, lang);
		rc |= buf_puts(out, "\">\n");
	}
	rc |= buf_puts(out,
		       "<link rel=\"stylesheet\" href=\"/kiosk/kiosk.css\">"
		       "\n</head>\n<body class=\"kiosk\">\n"
		       "<header class=\"bar\">\n<span class=\"brand\">");
	rc |= html_t(out, lang, "app.name");
	rc |= buf_puts(out, "</span>\n<nav class=\"langs\" aria-label=\"");
	rc |= html_t(out, lang, "kiosk.languages");
	rc |= buf_puts(out,
		       "\">\n<a class=\"lang news\" href=\"/notices?lang=");
	rc |= html_text(out, lang);
	rc |= kiosk_page_visit(out, visit);
	rc |= buf_puts(out, "\">");
	rc |= html_t(out, lang, "kiosk.news");
	rc |= buf_puts(out, "</a>\n");
	for (l = i18n_langs(); *l != NULL; l++) {
		rc |= buf_puts(out, "<a class=\"lang\" href=\"");
		rc |= kiosk_page_home(out, *l);
		rc |= kiosk_page_visit(out, visit);
		rc |= buf_puts(out, "\" lang=\"");
		rc |= html_text(out, *l);
		rc |= buf_puts(out, "\" hreflang=\"");
		rc |= html_text(out, *l);
		rc |= buf_puts(out, strcmp(*l, lang) == 0
					    ? "\" aria-current=\"true\">"
					    : "\">");
		rc |= html_t(out, *l, "lang.name");
		rc |= buf_puts(out, "</a>\n");
	}
	rc |= buf_puts(out, "</nav>\n</header>\n");
	return rc ? -1 : 0;
}

/* Appends text a person wrote, repaired to valid UTF-8 and escaped. */
static int kiosk_page_user_text(struct buf *out, const char *s, size_t len)
{
	struct buf clean;
	int rc;

	buf_init(&clean, 4 * len + 16);
	rc = utf8_sanitize(&clean, s, len) < 0 ? -1 : 0;
	if (rc == 0 && clean.len > 0)
		rc = html_escape(out, clean.data, clean.len);
	buf_release(&clean);
	return rc;
}

/* A step heading: the number (hidden from readers) and the question. */
static int kiosk_page_step(struct buf *out, const char *lang, int n,
			   const char *key)
{
	int rc = buf_printf(out,
			    "<span class=\"step\" aria-hidden=\"true\">%d"
			    "</span><span class=\"ask\">",
			    n);

	rc |= html_t(out, lang, key);
	return rc | buf_puts(out, "</span>");
}

/* Step 1: who are you, as one big radio card per role. */
static int kiosk_page_roles(struct buf *out, const struct kiosk_view *v)
{
	char key[48];
	size_t i;
	int rc = 0;

	rc |= buf_puts(out, "<fieldset class=\"who\">\n<legend>");
	rc |= kiosk_page_step(out, v->lang, 1, "kiosk.who");
	rc |= buf_puts(out, "</legend>\n<div class=\"cards\">\n");
	for (i = 0; item_roles[i] != NULL; i++) {
		rc |= buf_puts(out, "<label class=\"card\"><input type="
				    "\"radio\" name=\"role\" value=\"");
		rc |= html_text(out, item_roles[i]);
		rc |= buf_puts(
			out,
			v->role != NULL && strcmp(v->role, item_roles[i]) == 0
				? "\" checked>"
				: "\">");
		rc |= buf_puts(out, "<span>");
		snprintf(key, sizeof(key), "role.%s", item_roles[i]);
		rc |= html_t(out, v->lang, key);
		rc |= buf_puts(out, "</span></label>\n");
	}
	rc |= buf_puts(out, "</div>\n</fieldset>\n");
	return rc;
}

/* Step 2 and the send button. */
static int kiosk_page_idea(struct buf *out, const struct kiosk_view *v)
{
	int rc = 0;

	rc |= buf_puts(out, "<div class=\"idea\">\n<label for=\"text\">");
	rc |= kiosk_page_step(out, v->lang, 2, "kiosk.idea");
	rc |= buf_printf(out,
			 "</label>\n<textarea id=\"text\" name=\"text\""
			 " rows=\"4\" maxlength=\"%d\" autocomplete=\"off\""
			 " aria-describedby=\"hint\">\n",
			 STORE_TEXT_MAX);
	if (v->text != NULL)
		rc |= kiosk_page_user_text(out, v->text, v->text_len);
	rc |= buf_puts(out, "</textarea>\n<p id=\"hint\" class=\"hint\">");
	rc |= html_t(out, v->lang, "kiosk.hint");
	rc |= buf_puts(out, "</p>\n<button type=\"submit\" id=\"send\""
			    " class=\"send\" data-sending=\"");
	rc |= html_t(out, v->lang, "kiosk.sending");
	rc |= buf_puts(out, "\">");
	rc |= html_t(out, v->lang, "kiosk.send");
	rc |= buf_puts(out, "</button>\n</div>\n");
	return rc;
}

/* The thank-you screen kiosk.js fills in and shows. */
static int kiosk_page_thanks_screen(struct buf *out, const char *lang)
{
	int rc = 0;

	rc |= buf_puts(out, "<section id=\"thanks\" class=\"screen thanks\""
			    " hidden>\n<div class=\"said\">\n<h1 id=\"thanks-"
			    "title\" tabindex=\"-1\">");
	rc |= html_t(out, lang, "kiosk.thanks");
	rc |= buf_puts(out, "</h1>\n<p class=\"code-label\">");
	rc |= html_t(out, lang, "kiosk.your_code");
	rc |= buf_puts(out, "</p>\n<p id=\"code\" class=\"code\"></p>\n"
			    "<p class=\"follow\">");
	rc |= html_t(out, lang, "kiosk.follow");
	rc |= buf_puts(out, "</p>\n<a id=\"again\" class=\"again\" href=\"");
	rc |= kiosk_page_home(out, lang);
	rc |= buf_puts(out, "\">");
	rc |= html_t(out, lang, "kiosk.again");
	rc |= buf_puts(out, "</a>\n</div>\n<div class=\"qr\"><img id=\"qr\""
			    " alt=\"\" data-label=\"");
	rc |= html_t(out, lang, "kiosk.qr_label");
	rc |= buf_puts(out, "\"></div>\n</section>\n");
	return rc;
}

int kiosk_page_form(struct buf *out, const struct kiosk_view *v)
{
	int rc = 0;

	rc |= kiosk_page_begin(out, v->lang, i18n_get(v->lang, "kiosk.title"),
			       0, v->visit);
	rc |= buf_printf(out,
			 "<main id=\"ask\" class=\"screen ask\" data-idle="
			 "\"%u\" data-form-idle=\"%u\">\n<h1>",
			 v->idle, v->idle * KIOSK_FORM_IDLE_FACTOR);
	if (v->prompt_text != NULL)
		rc |= html_text(out, v->prompt_text);
	else
		rc |= html_t(out, v->lang, "kiosk.title");
	rc |= buf_puts(out, "</h1>\n<p class=\"lead\">");
	rc |= html_t(out, v->lang, "kiosk.lead");
	rc |= buf_puts(out, "</p>\n<p id=\"error\" class=\"error\""
			    " role=\"alert\" data-network=\"");
	rc |= html_t(out, v->lang, "kiosk.error.network");
	rc |= buf_puts(out, v->error != NULL ? "\">" : "\" hidden>");
	if (v->error != NULL)
		rc |= html_text(out, v->error);
	rc |= buf_puts(out, "</p>\n<form id=\"form\" class=\"form\""
			    " method=\"post\" action=\"/api/items\""
			    " autocomplete=\"off\" accept-charset=\"utf-8\">\n"
			    "<input type=\"hidden\" name=\"lang\" value=\"");
	rc |= html_text(out, v->lang);
	rc |= buf_puts(out, "\">\n");
	if (v->prompt_id != NULL) {
		rc |= buf_puts(out, "<input type=\"hidden\" name=\"prompt\""
				    " value=\"");
		rc |= html_text(out, v->prompt_id);
		rc |= buf_puts(out, "\">\n");
	}
	rc |= kiosk_page_roles(out, v);
	rc |= kiosk_page_idea(out, v);
	rc |= buf_puts(out, "</form>\n</main>\n");
	rc |= kiosk_page_thanks_screen(out, v->lang);
	rc |= buf_puts(out, "<script src=\"/kiosk/kiosk.js\"></script>\n");
	rc |= html_end(out);
	return rc ? -1 : 0;
}

int kiosk_page_thanks(struct buf *out, const char *lang, unsigned idle,
		      const char *code, const char *url)
{
	char label[160];
	int rc = 0;

	snprintf(label, sizeof(label), "%s %s",
		 i18n_get(lang, "kiosk.qr_label"), code);
	rc |= kiosk_page_begin(out, lang, i18n_get(lang, "kiosk.thanks"), idle,
			       NULL);
	rc |= buf_puts(out, "<main class=\"screen thanks\">\n<div class="
			    "\"said\">\n<h1>");
	rc |= html_t(out, lang, "kiosk.thanks");
	rc |= buf_puts(out, "</h1>\n<p class=\"code-label\">");
	rc |= html_t(out, lang, "kiosk.your_code");
	rc |= buf_puts(out, "</p>\n<p id=\"code\" class=\"code\">");
	rc |= html_text(out, code);
	rc |= buf_puts(out, "</p>\n<p class=\"follow\">");
	rc |= html_t(out, lang, "kiosk.follow");
	rc |= buf_puts(out, "</p>\n<a class=\"again\" href=\"");
	rc |= kiosk_page_home(out, lang);
	rc |= buf_puts(out, "\">");
	rc |= html_t(out, lang, "kiosk.again");
	rc |= buf_puts(out, "</a>\n</div>\n<div class=\"qr\">");
	rc |= qr_svg(out, url, label, NULL);
	rc |= buf_puts(out, "</div>\n</main>\n");
	rc |= html_end(out);
	return rc ? -1 : 0;
}

int kiosk_page_missing(struct buf *out, const char *lang)
{
	int rc = 0;

	rc |= kiosk_page_begin(out, lang, i18n_get(lang, "kiosk.missing"), 0,
			       NULL);
	rc |= buf_puts(out, "<main class=\"screen missing\">\n<h1>");
	rc |= html_t(out, lang, "kiosk.missing");
	rc |= buf_puts(out, "</h1>\n<p class=\"lead\">");
	rc |= html_t(out, lang, "kiosk.missing_help");
	rc |= buf_puts(out, "</p>\n<a class=\"again\" href=\"");
	rc |= kiosk_page_home(out, lang);
	rc |= buf_puts(out, "\">");
	rc |= html_t(out, lang, "kiosk.start");
	rc |= buf_puts(out, "</a>\n</main>\n");
	rc |= html_end(out);
	return rc ? -1 : 0;
}
