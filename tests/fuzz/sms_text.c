/*
 * Fuzz harness for the SMS text parsers that are not gateway readers:
 * gateway time stamps, item commands and keywords, sender numbers,
 * UTF-16BE decoding, segment planning, the JSON bounds check and the
 * Vonage signature base.  Any input must give an answer, never a crash;
 * segment starts must be character boundaries in order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "gsm7.h"
#include "sms_gateway.h"
#include "sms_keyword.h"
#include "sms_phone.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_segments(const char *s, size_t len)
{
	size_t starts[32];
	int parts, i;

	if (!utf8_valid(s, len))
		return;
	parts = gsm7_split(s, len, starts, 32);
	for (i = 1; i < parts && i < 32; i++) {
		uint32_t cp;

		if (starts[i] <= starts[i - 1] || starts[i] >= len ||
		    utf8_decode(s + starts[i], len - starts[i], &cp) == 0)
			abort();
	}
	if (gsm7_fit(s, len, 2) > len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char out[STORE_TIME_LEN], sig[129];
	struct sms_command cmd;
	struct sms_sender snd;
	struct buf b;
	struct form f;

	sms_time_parse(s, size, out);
	sms_command_parse(s, size, &cmd);
	if (cmd.kw == SMS_KW_ADD && cmd.rest + cmd.rest_len > s + size)
		abort();
	sms_phone_normalize(s, size, "GB", &snd);
	sms_json_bounded(s, size, SMS_JSON_DEPTH, 64);

	buf_init(&b, 8 * size + 16);
	if (sms_utf16be_to_utf8(&b, s, size) == 0 &&
	    !utf8_valid(b.data ? b.data : "", b.len))
		abort();
	fuzz_segments(b.data ? b.data : "", b.len);
	buf_release(&b);
	fuzz_segments(s, size);

	if (form_parse(&f, s, size, 64) == 0) {
		sms_vonage_signature(&f, "k", "md5hash", sig);
		form_release(&f);
	}
	return 0;
}
