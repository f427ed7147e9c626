/*
 * html: escaping and the page frame.  See html.h.
 */
#include "html.h"

#include <string.h>

#include "i18n.h"
#include "mask.h"

int html_escape(struct buf *out, const char *s, size_t len)
{
	size_t i, start = 0;
	const char *ent;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		default:
			continue;
		}
		if (buf_append(out, s + start, i - start) < 0 ||
		    buf_puts(out, ent) < 0)
			return -1;
		start = i + 1;
	}
	return buf_append(out, s + start, len - start);
}

int html_escape_masked(struct buf *out, const char *s, size_t len,
		       const char *phone_label, const char *email_label)
{
	size_t at = 0, a, b;
	enum mask_kind k;
	int rc = 0;

	while ((k = mask_next(s, len, at, &a, &b)) != MASK_NONE) {
		rc |= html_escape(out, s + at, a - at);
		rc |= buf_puts(out, "<span class=\"masked\">");
		rc |= html_text(out,
				k == MASK_PHONE ? phone_label : email_label);
		rc |= buf_puts(out, "</span>");
		at = b;
	}
	rc |= html_escape(out, s + at, len - at);
	return rc ? -1 : 0;
}

int html_xml_escape(struct buf *out, const char *s, size_t len)
{
	return html_escape(out, s, len);
}

int html_text(struct buf *out, const char *s)
{
	return html_escape(out, s, strlen(s));
}

int html_t(struct buf *out, const char *lang, const char *key)
{
	return html_text(out, i18n_get(lang, key));
}

int html_begin(struct buf *out, const char *lang, const char *title,
	       const char *css_path, const char *body_class)
{
	int rc = 0;

	rc |= buf_puts(out, "<!doctype html>\n<html lang=\"");
	rc |= html_text(out, lang);
	rc |= buf_puts(out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
			    "<meta name=\"viewport\" content=\"width=device-"
			    "width, initial-scale=1\">\n<title>");
	rc |= html_text(out, title);
	rc |= buf_puts(out, "</title>\n<link rel=\"stylesheet\" href=\"");
	rc |= html_text(out, css_path);
	rc |= buf_puts(out, "\">\n</head>\n<body class=\"");
	rc |= html_text(out, body_class);
	rc |= buf_puts(out, "\">\n");
	return rc ? -1 : 0;
}

int html_end(struct buf *out)
{
	return buf_puts(out, "</body>\n</html>\n");
}
