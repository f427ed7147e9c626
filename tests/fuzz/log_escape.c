/*
 * Fuzzes log_escape(), with the destination size fuzzed too.
 *
 * The first two bytes of the input pick dstlen (0..1023); the rest is the
 * untrusted text.  Invariants: the output is NUL-terminated within
 * dstlen, holds only printable ASCII, never writes past dstlen (ASan
 * watches a buffer of exactly dstlen bytes), and when dstlen has room
 * for the worst case the output unescapes to the input exactly.
 */
#include "fuzz.h"

#include "log.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Reverses the escaping of out into back; returns its length or -1. */
static long unescape(const char *out, char *back)
{
	size_t i = 0, o = 0;
	int hi, lo;

	while (out[i] != '\0') {
		if (out[i] != '\\') {
			back[o++] = out[i++];
			continue;
		}
		if (out[i + 1] != 'x')
			return -1;
		hi = hexval(out[i + 2]);
		lo = hi < 0 ? -1 : hexval(out[i + 3]);
		if (lo < 0)
			return -1;
		back[o++] = (char)(hi << 4 | lo);
		i += 4;
	}
	return (long)o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src;
	size_t dstlen, srclen, n, i;
	char *dst, *back;
	long blen;

	if (size < 2)
		return 0;
	dstlen = ((size_t)data[0] << 8 | data[1]) & 1023;
	src = (const char *)data + 2;
	srclen = size - 2;
	dst = malloc(dstlen ? dstlen : 1);
	if (dst == NULL)
		return 0;
	memset(dst, 'Z', dstlen ? dstlen : 1);
	fuzz_check(log_escape(dst, dstlen, src, srclen) == dst);
	if (dstlen == 0) {
		free(dst);
		return 0;
	}

	n = strnlen(dst, dstlen);
	fuzz_check(n < dstlen);
	for (i = 0; i < n; i++)
		fuzz_check(dst[i] >= 0x20 && dst[i] < 0x7f);

	if (dstlen >= 4 * srclen + 4) {
		back = malloc(srclen + 1);
		if (back != NULL) {
			blen = unescape(dst, back);
			fuzz_check(blen == (long)srclen);
			fuzz_check(memcmp(back, src, srclen) == 0);
			free(back);
		}
	}
	free(dst);
	return 0;
}
