/*
 * Fuzzes code_parse(): codes typed by people on phones and keyboards.
 *
 * Invariants: a parsed code's canonical form re-parses to itself with the
 * same site and sequence, is what code_make() writes for them, fits
 * CODE_MAX and uses only the upper-case Crockford alphabet; a failed
 * parse leaves the out-arguments untouched.
 */
#include "fuzz.h"

#include "code.h"

static const char fuzz_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char canon[CODE_MAX], again[CODE_MAX], made[CODE_MAX];
	char site[CODE_SITE_LEN + 1] = "?", site2[CODE_SITE_LEN + 1];
	uint64_t seq = 7, seq2;
	size_t i, n;

	memset(canon, '#', sizeof(canon));
	if (code_parse((const char *)data, size, canon, site, &seq) < 0) {
		fuzz_check(canon[0] == '#' && site[0] == '?' && seq == 7);
		return 0;
	}
	n = strnlen(canon, sizeof(canon));
	fuzz_check(n < sizeof(canon) && n >= 7);
	for (i = 0; i < n; i++)
		fuzz_check(strchr(fuzz_alphabet, canon[i]) != NULL);
	fuzz_check(code_site_valid(site));
	fuzz_check(seq >= 1);

	fuzz_check(code_parse(canon, n, again, site2, &seq2) == 0);
	fuzz_check(strcmp(again, canon) == 0);
	fuzz_check(strcmp(site2, site) == 0 && seq2 == seq);
	fuzz_check(code_make(made, site, seq) == 0);
	fuzz_check(strcmp(made, canon) == 0);
	return 0;
}
