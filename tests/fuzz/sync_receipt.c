/*
 * Fuzzes the push receipt judge (sync/receipt.c) with arbitrary bodies
 * under a valid frame, for three ids sent.
 *
 * Invariants: on RECEIPT_OK every item has an outcome (SENT or REJECTED,
 * a rejected one with a printable reason) and the public URL is http(s);
 * on any other verdict every outcome stays UNCONFIRMED.
 */
#include "fuzz.h"

#include "receipt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct receipt_answer a = {200, "application/json", "1",
				   (const char *)data, size};
	struct receipt_item items[3] = {{"01KBN2Y7W0Q8ZC3R5T6V7X8Y9A"},
					{"01KBN2Y8A1B2C3D4E5F6G7H8J9"},
					{"01KBN2Y9K0M1N2P3Q4R5S6T7V8"}};
	char url[RECEIPT_URL_MAX] = "";
	size_t i, j;

	if (receipt_check(&a, items, 3, url) == RECEIPT_OK) {
		fuzz_check(strncmp(url, "http://", 7) == 0 ||
			   strncmp(url, "https://", 8) == 0);
		for (i = 0; i < 3; i++) {
			fuzz_check(items[i].outcome != RECEIPT_UNCONFIRMED);
			if (items[i].outcome != RECEIPT_REJECTED)
				continue;
			for (j = 0; items[i].reason[j] != '\0'; j++)
				fuzz_check(items[i].reason[j] >= 0x20 &&
					   items[i].reason[j] < 0x7f);
		}
	} else {
		for (i = 0; i < 3; i++)
			fuzz_check(items[i].outcome == RECEIPT_UNCONFIRMED);
	}
	return 0;
}
