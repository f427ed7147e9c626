/*
 * Fuzzes the centre's parsers of a site's handshake, endorsement batch
 * and pull query (web/push_parse.c, web/pull.c) with arbitrary bytes.
 *
 * Invariants: an accepted hello has a well-formed device id; every
 * endorsement is either valid (an id of the right shape, a target of at
 * most PUSH_KEY_MAX bytes, a known channel) or rejected with a reason;
 * a pull query accepted has since >= 0 and 1 <= limit <= 500.
 */
#include "fuzz.h"

#include "push_parse.h"
#include "web.h"

static void check_votes(const struct push_votes *b)
{
	size_t i;

	fuzz_check(b->count <= PUSH_ITEMS_MAX);
	fuzz_check(push_device_ok(b->device, strlen(b->device)));
	for (i = 0; i < b->count; i++) {
		const struct push_vote *v = &b->votes[i];

		if (v->status == PUSH_REJECTED) {
			fuzz_check(v->reason != NULL);
			continue;
		}
		fuzz_check(v->status == PUSH_VALID);
		fuzz_check(code_is_id(v->id, strlen(v->id)));
		fuzz_check(strlen(v->target) <= PUSH_KEY_MAX);
		fuzz_check(v->channel != NULL && v->voter != NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data, *why;
	struct push_hello h;
	struct push_votes b;
	long long since, limit;

	if (push_parse_hello(body, size, "K7", &h, &why) == 0)
		fuzz_check(push_device_ok(h.device, strlen(h.device)));
	else
		fuzz_check(why != NULL);
	if (push_parse_votes(body, size, "K7", &b, &why) == 0) {
		check_votes(&b);
		push_votes_release(&b);
	}
	if (web_pull_query(body, size, &since, &limit) == 0)
		fuzz_check(since >= 0 && limit >= 1 && limit <= 500);
	return 0;
}
