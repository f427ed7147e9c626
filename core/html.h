/*
 * html: writing pages safely.
 *
 * Every piece of text that reaches a page goes through html_escape() or
 * html_text(); nothing else writes text into markup.  Pages share one
 * frame (html_begin/html_end) that sets the language, the viewport for
 * phones and 7-inch screens, and links the one style sheet.
 */
#ifndef CHORUS_HTML_H
#define CHORUS_HTML_H

#include <stddef.h>

#include "buf.h"

/*
 * Appends s[0..len) with & < > " ' escaped, so the result is safe both
 * as element text and inside a quoted attribute.  0 or -1 when full.
 */
int html_escape(struct buf *out, const char *s, size_t len);

/*
 * html_escape() of s[0..len) with every phone number and e-mail address
 * (as mask.h finds them) replaced by phone_label or email_label, escaped
 * too.  For text people sent, wherever the public can read it.
 */
int html_escape_masked(struct buf *out, const char *s, size_t len,
		       const char *phone_label, const char *email_label);

/* html_escape() of a NUL-terminated string. */
int html_text(struct buf *out, const char *s);

/* html_text() of the catalogue string key in lang. */
int html_t(struct buf *out, const char *lang, const char *key);

/*
 * Opens a page: doctype, <html lang>, head with title (escaped), the
 * style sheet at css_path, and the opening <body class=body_class>.
 */
int html_begin(struct buf *out, const char *lang, const char *title,
	       const char *css_path, const char *body_class);

/* Closes what html_begin() opened. */
int html_end(struct buf *out);

/*
 * Appends s[0..len) escaped for XML text (TwiML): & < > " ' as entities.
 * Same rules as html_escape(); a separate name for the reader.
 */
int html_xml_escape(struct buf *out, const char *s, size_t len);

#endif
