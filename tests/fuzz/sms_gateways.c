/*
 * Fuzz harness for every gateway reader (sms_gateway.c, which also
 * drives sms_parse.c's Twilio and Kannel readers).
 *
 * The first byte picks the gateway, the method, and whether the channel
 * has a secret; the rest splits at the first two NUL bytes into the raw
 * query, the value of every header asked for (Content-Type, signatures,
 * time stamps) and the raw body.  Every reader must return without a
 * crash, leak or sanitizer report, and leave valid UTF-8 without NUL in
 * every message it made.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sms_gateway.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_ctypes[] = {
	"application/x-www-form-urlencoded",
	"application/json",
	"text/plain; charset=UTF-16BE",
	"application/json; charset=utf-8",
};

struct fuzz_hdr {
	const char *value;
	const char *ctype;
};

static const char *fuzz_header(void *ctx, const char *name)
{
	struct fuzz_hdr *h = ctx;

	if (strcmp(name, "Content-Type") == 0)
		return h->ctype;
	return h->value;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sms_batch b;
	struct sms_channel ch;
	struct fuzz_hdr h;
	struct sms_http rq;
	const struct sms_gateway *gw;
	const char *why = NULL, *p, *q, *hv, *body;
	char *copy;
	size_t n, i, ql, hl;

	if (size < 1)
		return 0;
	gw = sms_gateway_find(sms_gateway_names[data[0] % 10]);
	copy = malloc(size + 1);
	if (copy == NULL || gw == NULL) {
		free(copy);
		return 0;
	}
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	/* query NUL header-value NUL body, all inside copy. */
	n = size - 1;
	p = copy;
	q = memchr(p, '\0', n);
	ql = q ? (size_t)(q - p) : n;
	hv = q ? q + 1 : copy + n;
	hl = strnlen(hv, (size_t)(copy + n - hv));
	body = hv + hl < copy + n ? hv + hl + 1 : copy + n;

	memset(&ch, 0, sizeof(ch));
	memcpy(ch.name, "f", 2);
	snprintf(ch.gateway, sizeof(ch.gateway), "%s", gw->name);
	memcpy(ch.country, "GB", 3);
	memcpy(ch.lang, "en", 3);
	if (data[0] & 0x10)
		ch.secret = "s3cret";
	ch.public_url = "https://sms.example.org/sms/f?x=1";
	ch.options = "format=json,from=f,text=t,id=i,time=w,sig=sha256";
	h.value = hv;
	h.ctype = fuzz_ctypes[(data[0] >> 5) & 3];

	memset(&rq, 0, sizeof(rq));
	rq.method = data[0] & 0x80 ? "GET" : "POST";
	rq.query = p;
	rq.query_len = ql;
	rq.body = body;
	rq.body_len = (size_t)(copy + n - body);
	rq.header = fuzz_header;
	rq.header_ctx = &h;

	sms_batch_init(&b);
	gw->parse(&ch, &rq, &b, &why);
	for (i = 0; i < b.n; i++)
		if (!utf8_valid(b.msgs[i].text.data ? b.msgs[i].text.data : "",
				b.msgs[i].text.len))
			abort();
	sms_batch_release(&b);
	free(copy);
	return 0;
}
