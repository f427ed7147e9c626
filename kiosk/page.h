/*
 * page: the kiosk's server-rendered pages.
 *
 * One page asks for an idea (who are you, what is your idea, send); it
 * works with no JavaScript at all, and kiosk.js enhances it in place.
 * A second page thanks the person with their code and QR code when the
 * form was posted without JavaScript, and goes back to the start by
 * itself after the idle time.  Every string comes from the catalogue in
 * the page's language, and every piece of text is escaped.
 *
 * The pages carry no inline script or style: the server's
 * Content-Security-Policy forbids both.  Settings the script needs (idle
 * times, texts for its messages) travel as data- attributes.
 */
#ifndef CHORUS_KIOSK_PAGE_H
#define CHORUS_KIOSK_PAGE_H

#include <stddef.h>

#include "buf.h"

#define KIOSK_PAGE_MAX (256 * 1024) /* ceiling of one rendered page */

/* What the question page shows. */
struct kiosk_view {
	const char *lang;  /* a catalogue language */
	unsigned idle;	   /* seconds on the thank-you screen */
	const char *error; /* a message for the person, or NULL */
	const char *text;  /* text to give back in the box, or NULL */
	size_t text_len;
	const char *role;	 /* the role to keep chosen, or NULL */
	const char *prompt_id;	 /* the prompt asked, or NULL */
	const char *prompt_text; /* its question, in lang */
	const char *visit;	 /* the visit token (notices.h), or NULL */
};

/*
 * Appends the head, the body tag and the top bar (news and language
 * links) of a kiosk page titled title in lang.  With refresh > 0 the
 * page goes back to the start by itself after refresh seconds, which
 * ends the visit.  With visit not NULL the bar's links carry it, so the
 * visit goes on.  0, or -1 when out is full.
 */
int kiosk_page_begin(struct buf *out, const char *lang, const char *title,
		     unsigned refresh, const char *visit);

/* Appends the question page.  0, or -1 when out is full. */
int kiosk_page_form(struct buf *out, const struct kiosk_view *v);

/*
 * Appends the thank-you page for code, whose QR code encodes url; the
 * page returns to the start in lang after idle seconds.  0 or -1.
 */
int kiosk_page_thanks(struct buf *out, const char *lang, unsigned idle,
		      const char *code, const char *url);

/* Appends the page for an address the kiosk does not serve.  0 or -1. */
int kiosk_page_missing(struct buf *out, const char *lang);

#endif
