/*
 * Fuzzes scope_split() (web/scope.h): a failure leaves the scope empty;
 * a success gives at most SCOPE_TARGETS_MAX targets, each a non-empty
 * name without a comma, a NUL or spaces at either end, whose canonical
 * text splits back to the same targets.
 */
#include "fuzz.h"
#include "scope.h"

static void check_target(const struct scope_target *t)
{
	size_t n = strlen(t->name);

	fuzz_check(n > 0 && n <= SCOPE_NAME_MAX);
	fuzz_check(strchr(t->name, ',') == NULL);
	fuzz_check(t->name[0] != ' ' && t->name[n - 1] != ' ');
	fuzz_check(t->bare == !t->cluster);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scope s, again;
	struct buf text;
	size_t i;

	if (scope_split((const char *)data, size, &s) < 0) {
		fuzz_check(s.count == 0);
		return 0;
	}
	fuzz_check(s.count <= SCOPE_TARGETS_MAX);
	for (i = 0; i < s.count; i++)
		check_target(&s.t[i]);
	buf_init(&text, 1 << 20);
	fuzz_check(scope_text(&s, &text) == 0);
	fuzz_check(scope_split(text.data ? text.data : "", text.len, &again) ==
		   0);
	fuzz_check(again.count == s.count);
	for (i = 0; i < s.count; i++) {
		fuzz_check(again.t[i].cluster == s.t[i].cluster);
		fuzz_check(strcmp(again.t[i].name, s.t[i].name) == 0);
	}
	buf_release(&text);
	return 0;
}
