/*
 * Fuzzes the kiosk's submission parser, kiosk_parse_item(), with both
 * content kinds.  The first input byte picks the kind; the rest is the
 * body, passed with its length as the daemon passes it.
 *
 * Invariants: an accepted input has text that is valid UTF-8 without NUL
 * or control characters (utf8_text_valid),
 * 1..STORE_TEXT_MAX bytes and not blank, a known role and a known or
 * absent language; a refusal is 400 or 415 with an error word; the
 * output is freed in every case.
 */
#include "fuzz.h"

#include "i18n.h"
#include "intake_parse.h"
#include "item.h"
#include "store.h"
#include "utf8.h"

static int blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kiosk_input in;
	const char *word = NULL, *kind;
	int rc;

	if (size == 0)
		return 0;
	kind = data[0] & 1 ? "json" : "form";
	rc = kiosk_parse_item(kind, (const char *)data + 1, size - 1, &in,
			      &word);
	if (rc == 0) {
		fuzz_check(in.text != NULL);
		fuzz_check(in.text_len >= 1 && in.text_len <= STORE_TEXT_MAX);
		fuzz_check(utf8_text_valid(in.text, in.text_len));
		fuzz_check(!blank(in.text, in.text_len));
		fuzz_check(in.role != NULL &&
			   item_role(in.role, strlen(in.role)) == in.role);
		fuzz_check(in.lang == NULL ||
			   i18n_lang(in.lang, strlen(in.lang)) != NULL);
	} else {
		fuzz_check(rc == 400 || rc == 415);
		fuzz_check(word != NULL && word[0] != '\0');
	}
	kiosk_input_release(&in);
	return 0;
}
