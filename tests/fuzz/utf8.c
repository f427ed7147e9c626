/*
 * Fuzzes utf8_valid(), utf8_sanitize(), utf8_decode() and utf8_count().
 *
 * Invariants: sanitized output is always valid text (utf8_text_valid);
 * valid text comes back unchanged except that CR LF becomes LF;
 * utf8_count() of valid UTF-8 is
 * the number of code points utf8_decode() walks; decode never reads past
 * len and never returns a surrogate or a value above U+10FFFF.
 */
#include "fuzz.h"

#include "utf8.h"

/* s with every CR LF pair read left to right turned into LF. */
static size_t expect_crlf(char *out, const char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		out[o++] = s[i];
	}
	return o;
}

static size_t walk(const char *s, size_t len)
{
	size_t i = 0, n, count = 0;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		fuzz_check(n >= 1 && n <= 4 && n <= len - i);
		fuzz_check(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff));
		i += n;
		count++;
	}
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf out;
	char *want;
	size_t wlen;
	int fixed;
	bool valid = utf8_valid(s, size);
	bool text = utf8_text_valid(s, size);

	buf_init(&out, size * 3 + 16);
	fixed = utf8_sanitize(&out, s, size);
	fuzz_check(fixed >= 0);
	fuzz_check(out.data != NULL);
	fuzz_check(utf8_text_valid(out.data, out.len));
	fuzz_check(!text || valid);
	if (valid)
		fuzz_check(utf8_count(s, size) == walk(s, size));
	if (text) {
		fuzz_check(fixed == 0);
		want = malloc(size + 1);
		if (want != NULL) {
			wlen = expect_crlf(want, s, size);
			fuzz_check(wlen == out.len);
			fuzz_check(memcmp(want, out.data, wlen) == 0);
			free(want);
		}
	}
	buf_release(&out);
	return 0;
}
