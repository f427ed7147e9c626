/*
 * Fuzzes the centre's push batch parser (web/push_parse.c).
 *
 * Invariants: an accepted batch has at most PUSH_ITEMS_MAX entries and a
 * well-formed device; every entry is VALID or REJECTED with a reason; a
 * valid entry's code belongs to the sending site, its text is at most
 * STORE_TEXT_MAX bytes, and its parent, when set, is a canonical code.
 */
#include "fuzz.h"

#include "push_parse.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char canon[CODE_MAX];
	struct push_batch b;
	const char *why;
	size_t i;

	if (push_parse((const char *)data, size, "K7", &b, &why) < 0) {
		fuzz_check(why != NULL);
		return 0;
	}
	fuzz_check(b.count <= PUSH_ITEMS_MAX);
	fuzz_check(push_device_ok(b.device, strlen(b.device)));
	for (i = 0; i < b.count; i++) {
		const struct push_entry *e = &b.entries[i];

		if (e->status == PUSH_REJECTED) {
			fuzz_check(e->reason != NULL);
			continue;
		}
		fuzz_check(e->status == PUSH_VALID);
		fuzz_check(strcmp(e->item.site, "K7") == 0);
		fuzz_check(e->item.text_len <= STORE_TEXT_MAX);
		if (e->parent[0] != '\0')
			fuzz_check(code_parse(e->parent, strlen(e->parent),
					      canon, NULL, NULL) == 0 &&
				   strcmp(canon, e->parent) == 0);
	}
	push_batch_release(&b);
	return 0;
}
