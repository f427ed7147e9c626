/*
 * Fuzzes receipt_check(), the site's judge of a push answer.  The input
 * is the answer's body; the status, content type and marker are the
 * well-formed ones, so the fuzzer works on the body, where a cut or
 * hostile answer would hide.  Three ids are "sent".
 *
 * Invariants: on RECEIPT_OK every item has an outcome, a rejection's
 * reason is printable ASCII, and public_url is an http(s) URL; on any
 * other verdict nothing is confirmed and public_url is untouched.
 */
#include "fuzz.h"

#include "receipt.h"

static const char *const ids[] = {
	"01JD0000000000000000000001",
	"01JD0000000000000000000002",
	"01JD0000000000000000000003",
};

static int printable(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s > 0x7e)
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct receipt_item items[3];
	struct receipt_answer a;
	char url[RECEIPT_URL_MAX] = "untouched";
	enum receipt_verdict v;
	size_t i;

	memset(items, 0, sizeof(items));
	for (i = 0; i < 3; i++)
		items[i].id = ids[i];
	a.status = 200;
	a.ctype = "application/json; charset=utf-8";
	a.marker = "1";
	a.body = (const char *)data;
	a.body_len = size;

	v = receipt_check(&a, items, 3, url);
	for (i = 0; i < 3; i++) {
		if (v != RECEIPT_OK) {
			fuzz_check(items[i].outcome == RECEIPT_UNCONFIRMED);
			continue;
		}
		fuzz_check(items[i].outcome == RECEIPT_SENT ||
			   items[i].outcome == RECEIPT_REJECTED);
		if (items[i].outcome == RECEIPT_REJECTED)
			fuzz_check(printable(items[i].reason));
	}
	if (v == RECEIPT_OK)
		fuzz_check(strncmp(url, "http://", 7) == 0 ||
			   strncmp(url, "https://", 8) == 0);
	else
		fuzz_check(strcmp(url, "untouched") == 0);
	fuzz_check(receipt_word(v) != NULL);
	return 0;
}
