/*
 * intake_parse: reading the body of a kiosk submission.
 *
 * A kiosk page (or any client of the kiosk API) posts one item as JSON,
 * {"text": ..., "role": ..., "lang": ...}, or as the same three fields
 * urlencoded, which is what the page sends when JavaScript is off.  This
 * module turns such a body into a struct kiosk_input or says, with one
 * stable word, what was wrong.  It knows nothing of HTTP servers, so a
 * fuzz harness can call it directly.
 *
 * What holds for an accepted input:
 *  - text is exactly the bytes sent (inner and outer white space kept),
 *    valid UTF-8 without NUL, control characters (but tab and new
 *    lines) or bidirectional overrides (utf8_text_valid), at most
 *    STORE_TEXT_MAX bytes, and not blank;
 *  - role is an entry of item_roles ("unsaid" when none was given);
 *  - lang is a catalogue language, or NULL when none was given.
 *
 * JSON bodies must be one object nested at most KIOSK_JSON_DEPTH deep;
 * the nesting is checked before the JSON parser runs, so a hostile body
 * cannot make it recurse.  Unknown fields are ignored; an empty role or
 * lang counts as absent.
 */
#ifndef CHORUS_KIOSK_INTAKE_PARSE_H
#define CHORUS_KIOSK_INTAKE_PARSE_H

#include <stddef.h>

#include "prompts.h"

#define KIOSK_BODY_MAX (16 * 1024) /* bytes of upload taken per request */
#define KIOSK_JSON_DEPTH 4
#define KIOSK_FORM_FIELDS 16
#define KIOSK_PROMPT_MAX PROMPT_ID_MAX

struct kiosk_input {
	char *text; /* as sent, NUL-ended (len is the truth), or NULL */
	size_t text_len;
	const char *role;		   /* an entry of item_roles, or NULL */
	const char *lang;		   /* a catalogue language, or NULL */
	char prompt[KIOSK_PROMPT_MAX + 1]; /* the prompt answered, or "" */
};

/*
 * Parses body[0..len), whose Content-Type kind is ctype_kind: "json" or
 * "form" (any other value is refused as an unsupported type).
 *
 * Returns 0 when the input is acceptable.  Otherwise returns the HTTP
 * status that fits (400, or 415 for an unknown kind) and sets *err_word
 * to a stable word: bad_json, bad_form, missing_text, bad_utf8, bad_text,
 * text_too_long, empty_text, unknown_role, unknown_lang, bad_prompt or
 * unsupported_type.
 *
 * out is always filled, also on failure, so that a page can give the
 * person back what they wrote: text then holds the text field as sent
 * when there was one (it may be invalid UTF-8 or too long), and role and
 * lang are set when they were valid.  Release out with
 * kiosk_input_release() whatever the result.
 */
int kiosk_parse_item(const char *ctype_kind, const char *body, size_t len,
		     struct kiosk_input *out, const char **err_word);

/* Frees what kiosk_parse_item() allocated; in is then empty. */
void kiosk_input_release(struct kiosk_input *in);

/*
 * True when s[0..len) holds nothing but white space: ASCII or Unicode
 * spaces and line breaks.  A byte that is not valid UTF-8 is not blank.
 */
int kiosk_text_blank(const char *s, size_t len);

#endif
