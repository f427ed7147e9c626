/*
 * Fuzzes html_escape().
 *
 * Invariants: the output holds no raw < > " ' and every & starts one of
 * the five entities html_escape() writes; decoding those entities gives
 * the input back byte for byte; a full buffer fails cleanly.
 */
#include "fuzz.h"

#include "html.h"

static const char *const fuzz_entities[] = {"&amp;",  "&lt;",  "&gt;",
					    "&quot;", "&#39;", NULL};
static const char fuzz_plain[] = "&<>\"'";

/* Decodes out into back; returns its length, or -1 on a stray &. */
static long decode(const char *out, size_t len, char *back)
{
	size_t i = 0, o = 0, k, n;

	while (i < len) {
		if (out[i] != '&') {
			back[o++] = out[i++];
			continue;
		}
		for (k = 0; fuzz_entities[k] != NULL; k++) {
			n = strlen(fuzz_entities[k]);
			if (len - i >= n &&
			    memcmp(out + i, fuzz_entities[k], n) == 0)
				break;
		}
		if (fuzz_entities[k] == NULL)
			return -1;
		back[o++] = fuzz_plain[k];
		i += strlen(fuzz_entities[k]);
	}
	return (long)o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf out, small;
	char *back;
	size_t i;

	buf_init(&out, size * 6 + 1);
	fuzz_check(html_escape(&out, s, size) == 0);
	for (i = 0; i < out.len; i++)
		fuzz_check(out.data == NULL ||
			   strchr("<>\"'", out.data[i]) == NULL ||
			   out.data[i] == '\0');
	back = malloc(size + 1);
	if (back != NULL && out.data != NULL) {
		fuzz_check(decode(out.data, out.len, back) == (long)size);
		fuzz_check(memcmp(back, s, size) == 0);
	}
	free(back);

	/* Too small by one byte: fails, and stays within its ceiling. */
	if (out.len > 0) {
		buf_init(&small, out.len - 1);
		fuzz_check(html_escape(&small, s, size) < 0);
		fuzz_check(small.len <= small.max);
		buf_release(&small);
	}
	buf_release(&out);
	return 0;
}
