/*
 * Fuzzes the site's judges of the centre's handshake and pull answers
 * (sync/answer.c) with arbitrary bodies under a valid frame.
 *
 * Invariants: a handshake accepted has every count >= 0 and limits >= 1;
 * a page accepted from cursor "since" has rows with strictly increasing
 * seq above since, each kind and key 1..64 printable bytes, data an
 * object exactly when the row is not a tombstone, and next >= the last
 * seq; a page refused is left empty.
 */
#include "fuzz.h"

#include "answer.h"

static void check_page(const struct answer_page *p, long long since)
{
	long long last = since;
	size_t i;

	for (i = 0; i < p->n; i++) {
		fuzz_check(p->rows[i].seq > last);
		last = p->rows[i].seq;
		fuzz_check(strlen(p->rows[i].kind) >= 1 &&
			   strlen(p->rows[i].kind) <= ANSWER_KEY_MAX);
		fuzz_check(strlen(p->rows[i].key) >= 1 &&
			   strlen(p->rows[i].key) <= ANSWER_KEY_MAX);
		fuzz_check(p->rows[i].deleted
				   ? p->rows[i].data == NULL
				   : json_is_object(p->rows[i].data));
	}
	fuzz_check(p->next >= last);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct receipt_answer a = {200, "application/json", "1",
				   (const char *)data, size};
	struct answer_hello h;
	struct answer_page p;
	long long since = size > 0 ? data[0] % 8 : 0;

	if (answer_hello(&a, &h) == RECEIPT_OK)
		fuzz_check(h.high_water >= 0 && h.items >= 0 &&
			   h.endorsements >= 0 && h.seq_block >= 0 &&
			   h.batch_max >= 1 && h.body_max >= 1 &&
			   h.feed_seq >= 0);
	if (answer_pull(&a, since, &p) == RECEIPT_OK)
		check_page(&p, since);
	else
		fuzz_check(p.root == NULL && p.rows == NULL && p.n == 0);
	answer_page_release(&p);
	return 0;
}
