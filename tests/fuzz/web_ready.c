/*
 * Fuzzes ready_parse() (web/ready.h): a failure leaves the rule alone;
 * a success gives numbers within READY_NUM_MAX whose canonical text
 * parses back to the same rule.
 */
#include "fuzz.h"
#include "ready.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ready_rule r = {11, 22, 33}, again;
	char text[READY_TEXT_MAX];

	if (ready_parse((const char *)data, size, &r) < 0) {
		fuzz_check(r.endorsements == 11 && r.groups == 22 &&
			   r.sites == 33);
		return 0;
	}
	fuzz_check(r.endorsements <= READY_NUM_MAX &&
		   r.groups <= READY_NUM_MAX && r.sites <= READY_NUM_MAX);
	ready_format(&r, text);
	fuzz_check(ready_parse(text, strlen(text), &again) == 0);
	fuzz_check(again.endorsements == r.endorsements &&
		   again.groups == r.groups && again.sites == r.sites);
	return 0;
}
