/*
 * Fuzzes push_parse(), the centre's reader of a site's push batch, as
 * sent by site "K7".
 *
 * Invariants: on success there are at most PUSH_ITEMS_MAX entries, each
 * either valid (with text that is valid UTF-8 within STORE_TEXT_MAX, an
 * id of the right shape and a code of site K7) or rejected with a reason
 * word; on failure *out is untouched and the reason is set.
 */
#include "fuzz.h"

#include "code.h"
#include "push_parse.h"
#include "store.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct push_batch b;
	const char *why = NULL;
	char canon[CODE_MAX], site[CODE_SITE_LEN + 1];
	size_t i;

	memset(&b, 0x5a, sizeof(b));
	if (push_parse((const char *)data, size, "K7", &b, &why) < 0) {
		fuzz_check(why != NULL);
		fuzz_check(b.count == (size_t)0x5a5a5a5a5a5a5a5aULL);
		return 0;
	}
	fuzz_check(b.count <= PUSH_ITEMS_MAX);
	for (i = 0; i < b.count; i++) {
		const struct push_entry *e = &b.entries[i];

		if (e->status == PUSH_REJECTED) {
			fuzz_check(e->reason != NULL);
			continue;
		}
		fuzz_check(e->status == PUSH_VALID);
		fuzz_check(code_is_id(e->item.id, strlen(e->item.id)));
		fuzz_check(code_parse(e->item.code, strlen(e->item.code), canon,
				      site, NULL) == 0);
		fuzz_check(strcmp(site, "K7") == 0);
		fuzz_check(e->item.text_len <= STORE_TEXT_MAX);
		fuzz_check(utf8_valid(e->item.text, e->item.text_len));
	}
	push_batch_release(&b);
	return 0;
}
