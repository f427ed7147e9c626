/*
 * Fuzzes tag_norm() (web/tag.h): the normal form is NUL-ended, as long
 * as returned, at most TAG_MAX bytes, "" on failure, has no white space
 * at either end nor two spaces in a row nor a Latin-1 or ASCII capital,
 * is valid UTF-8 when the input was, and is its own normal form.
 */
#include "fuzz.h"
#include "tag.h"
#include "utf8.h"

static void check_form(const char *t, int n)
{
	int i;

	fuzz_check(n == (int)strlen(t));
	fuzz_check(n <= TAG_MAX);
	if (n == 0)
		return;
	fuzz_check(t[0] != ' ' && t[n - 1] != ' ');
	for (i = 0; i < n; i++) {
		fuzz_check(t[i] != '\t' && t[i] != '\n' && t[i] != '\r');
		fuzz_check(!(t[i] >= 'A' && t[i] <= 'Z'));
		fuzz_check(i == 0 || !(t[i] == ' ' && t[i - 1] == ' '));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[TAG_MAX + 1], again[TAG_MAX + 1];
	const char *s = (const char *)data;
	int n;

	if (memchr(data, '\0', size) != NULL)
		return 0; /* tags come from text fields: no NUL */
	n = tag_norm(s, size, out);
	if (n < 0) {
		fuzz_check(out[0] == '\0');
		return 0;
	}
	check_form(out, n);
	if (utf8_valid(s, size)) {
		fuzz_check(utf8_valid(out, (size_t)n));
		fuzz_check(strstr(out, "\xC3\x80") == NULL);
	}
	fuzz_check(tag_norm(out, (size_t)n, again) == n);
	fuzz_check(memcmp(out, again, (size_t)n + 1) == 0);
	return 0;
}
