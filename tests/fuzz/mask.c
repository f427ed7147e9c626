/*
 * Fuzzes mask_next() and html_escape_masked(), which hide phone numbers
 * and e-mail addresses in public text.
 *
 * Invariants: every span lies inside the text, after the point searched
 * from, is not empty, and spans come in order without overlapping; a
 * phone span holds at least seven digits and an e-mail span exactly one
 * "@"; the masked HTML is produced for any input.
 */
#include "fuzz.h"

#include "html.h"
#include "mask.h"

static size_t count(const char *s, size_t a, size_t b, char lo, char hi)
{
	size_t n = 0;

	for (; a < b; a++)
		n += s[a] >= lo && s[a] <= hi;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t at = 0, a = 0, b = 0;
	enum mask_kind k;
	struct buf out;

	while ((k = mask_next(s, size, at, &a, &b)) != MASK_NONE) {
		fuzz_check(a >= at && a < b && b <= size);
		if (k == MASK_PHONE)
			fuzz_check(count(s, a, b, '0', '9') >= 7);
		else
			fuzz_check(count(s, a, b, '@', '@') == 1);
		at = b;
	}
	buf_init(&out, 16 * size + 64);
	fuzz_check(html_escape_masked(&out, s, size, "[P]", "[E]") == 0);
	buf_release(&out);
	return 0;
}
