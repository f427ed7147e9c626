/*
 * Unit tests for the gateways of issue 3: documented signature vectors
 * (Vonage, Plivo V3, android-sms-gateway), gateway readers run on their
 * documented examples, time stamps, item commands, segment planning,
 * send requests (Kannel's "+" always escaped) and the retry backoff.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "form.h"
#include "gsm7.h"
#include "sms_gateway.h"
#include "sms_keyword.h"
#include "sms_outbox.h"

static const char vonage_q[] =
	"keyword=HELLO&message-timestamp=2025-03-05+07%3A15%3A30"
	"&messageId=0A0000000123ABCD1&msisdn=15555550123&nonce=aaaa-bbbb"
	"&text=Hello+%26+welcome%3Dyes&timestamp=1741158930"
	"&to=15555550100&type=text";

static void vonage_signature_vectors(void **state)
{
	struct form f;
	char sig[129];

	(void)state;
	assert_int_equal(form_parse(&f, vonage_q, strlen(vonage_q), 50), 0);
	assert_int_equal(
		sms_vonage_signature(&f, "test_sig_secret", "md5hash", sig), 0);
	assert_string_equal(sig, "bfc11853cc15bf20523fb883de89677a");
	assert_int_equal(
		sms_vonage_signature(&f, "test_sig_secret", "sha256", sig), 0);
	assert_string_equal(sig, "af7f62c303c8eff3a32f1a7f39ca52e9770bc435c0f2"
				 "b896a0630e551fde4560");
	assert_int_equal(sms_vonage_signature(&f, "s", "rot13", sig), -1);
	form_release(&f);
}

static void plivo_v3_vector(void **state)
{
	static const char body[] =
		"From=15555550123&To=15555550100&Text=Hello&Type=sms"
		"&MessageUUID=00000000-0000-4000-8000-000000000001";
	struct form f;
	char sig[45];

	(void)state;
	assert_int_equal(form_parse(&f, body, strlen(body), 50), 0);
	assert_int_equal(
		sms_plivo_signature("https://sms.example.org/hooks/plivo", &f,
				    "12345678901234567890", "test_plivo_token",
				    sig),
		0);
	assert_string_equal(sig,
			    "e5GtbqPcht6ojbuOHj7poSWa4WH/KBUfdDFhyqffpI8=");
	form_release(&f);
}

static const char asg_body[] =
	"{\"deviceId\":\"dev-0001\",\"event\":\"sms:received\",\"id\":"
	"\"evt-0001\",\"payload\":{\"message\":\"Idea: more books\","
	"\"messageId\":\"a1b2c3d4\",\"phoneNumber\":\"+15555550123\","
	"\"receivedAt\":\"2025-03-05T10:15:30.000+03:00\",\"recipient\":"
	"\"+15555550100\",\"sender\":\"+15555550123\",\"simNumber\":1},"
	"\"webhookId\":\"wh-0001\"}";

static void asg_signature_vector(void **state)
{
	char sig[CRYPTO_SHA256_HEX];

	(void)state;
	assert_int_equal(sms_asg_signature("testkey1", asg_body,
					   strlen(asg_body), "1741158930", sig),
			 0);
	assert_string_equal(sig, "22765c53ea2f13d54a7cce8a3f972bd21249b41f5963"
				 "a8f8cc5f918e291e433d");
}

/* A request for the readers, with a small header table. */
struct hdrs {
	const char *names[4];
	const char *values[4];
};

static const char *hdr(void *ctx, const char *name)
{
	struct hdrs *h = ctx;
	size_t i;

	for (i = 0; i < 4 && h->names[i]; i++)
		if (strcasecmp(h->names[i], name) == 0)
			return h->values[i];
	return NULL;
}

static int read_one(const char *gateway, struct sms_channel *ch,
		    const char *method, const char *query, const char *body,
		    struct hdrs *h, struct sms_batch *b)
{
	const struct sms_gateway *gw = sms_gateway_find(gateway);
	struct sms_http rq = {method, query, strlen(query), body, strlen(body),
			      hdr,    h};
	const char *why = NULL;

	assert_non_null(gw);
	sms_batch_init(b);
	return gw->parse(ch, &rq, b, &why);
}

static void asg_reader_checks_signature(void **state)
{
	struct sms_channel ch = {.name = "a", .gateway = "android-sms-gateway"};
	struct hdrs h = {{"Content-Type", "X-Timestamp", "X-Signature", NULL},
			 {"application/json", "1741158930",
			  "22765c53ea2f13d54a7cce8a3f972bd21249b41f5963a8f8cc5"
			  "f918e291e433d",
			  NULL}};
	struct sms_batch b;

	(void)state;
	ch.secret = "testkey1";
	assert_int_equal(
		read_one(ch.gateway, &ch, "POST", "", asg_body, &h, &b), 0);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.msgs[0].text.data, "Idea: more books");
	assert_string_equal(b.msgs[0].from, "+15555550123");
	assert_string_equal(b.msgs[0].provider_time,
			    "2025-03-05T07:15:30.000Z");
	assert_true(b.msgs[0].weak_id);
	sms_batch_release(&b);
	h.values[1] = "1741158931";
	assert_int_equal(
		read_one(ch.gateway, &ch, "POST", "", asg_body, &h, &b), 403);
	sms_batch_release(&b);
}

static void infobip_batch_is_every_result(void **state)
{
	static const char body[] =
		"{\"results\":[{\"messageId\":\"ib-1\",\"from\":"
		"\"447700900123\","
		"\"to\":\"15555550100\",\"text\":\"IDEA more sports days\","
		"\"receivedAt\":\"2025-03-05T07:15:30.000+0000\",\"smsCount\":"
		"1,"
		"\"price\":{\"pricePerMessage\":0,\"currency\":\"EUR\"}},"
		"{\"messageId\":\"ib-2\",\"from\":\"SCHOOLX\",\"text\":"
		"\"\\uD83D\\uDE4F thanks\",\"receivedAt\":"
		"\"2025-03-05T08:00:00.000+0100\"}],"
		"\"messageCount\":2,\"pendingMessageCount\":0}";
	struct sms_channel ch = {.name = "i", .gateway = "infobip"};
	struct hdrs h = {{"Content-Type", NULL}, {"application/json", NULL}};
	struct sms_batch b;

	(void)state;
	assert_int_equal(read_one(ch.gateway, &ch, "POST", "", body, &h, &b),
			 0);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.msgs[0].provider_id, "ib-1");
	assert_string_equal(b.msgs[1].text.data, "\xF0\x9F\x99\x8F thanks");
	assert_string_equal(b.msgs[1].provider_time,
			    "2025-03-05T07:00:00.000Z");
	sms_batch_release(&b);
	ch.secret = "k";
	assert_int_equal(
		read_one(ch.gateway, &ch, "POST", "secret=x", body, &h, &b),
		403);
	sms_batch_release(&b);
}

static void json_depth_and_size_are_bounded(void **state)
{
	char deep[64];

	(void)state;
	memset(deep, '[', 20);
	memset(deep + 20, ']', 20);
	assert_false(sms_json_bounded(deep, 40, SMS_JSON_DEPTH, 100));
	assert_true(sms_json_bounded("{\"a\":\"[[[[[[[[[[[\"}", 19,
				     SMS_JSON_DEPTH, 100));
	assert_false(sms_json_bounded("[1,2,3,4,5,6]", 13, 8, 4));
}

static void vonage_reader_verifies_and_reads_parts(void **state)
{
	static const char q[] =
		"msisdn=447700900127&to=15555550100&messageId=0A02"
		"&text=+the+fees+for&type=text&message-timestamp=2025-03-05"
		"+07%3A15%3A31&concat=true&concat-ref=7&concat-total=3"
		"&concat-part=2";
	struct sms_channel ch = {.name = "v", .gateway = "vonage"};
	struct hdrs h = {{NULL}, {NULL}};
	struct sms_batch b;
	char signed_q[1024], sig[129];
	struct form f;

	(void)state;
	assert_int_equal(read_one(ch.gateway, &ch, "GET", q, "", &h, &b), 0);
	assert_string_equal(b.msgs[0].concat, "7");
	assert_int_equal(b.msgs[0].part, 2);
	assert_int_equal(b.msgs[0].total, 3);
	assert_string_equal(b.msgs[0].text.data, " the fees for");
	sms_batch_release(&b);

	ch.secret = "test_sig_secret";
	assert_int_equal(read_one(ch.gateway, &ch, "GET", vonage_q, "", &h, &b),
			 403);
	sms_batch_release(&b);
	form_parse(&f, vonage_q, strlen(vonage_q), 50);
	sms_vonage_signature(&f, ch.secret, "md5hash", sig);
	form_release(&f);
	snprintf(signed_q, sizeof(signed_q), "%s&sig=%s", vonage_q, sig);
	assert_int_equal(read_one(ch.gateway, &ch, "GET", signed_q, "", &h, &b),
			 0);
	assert_string_equal(b.msgs[0].text.data, "Hello & welcome=yes");
	sms_batch_release(&b);
}

static void times_of_every_gateway(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"2025-03-05T07:15:30Z", "2025-03-05T07:15:30.000Z"},
		{"2025-03-05 07:15:30", "2025-03-05T07:15:30.000Z"},
		{"2025-03-05T10:15:30.000+03:00", "2025-03-05T07:15:30.000Z"},
		{"2016-10-06T09:28:39.220+0000", "2016-10-06T09:28:39.220Z"},
		{"1741158930", "2025-03-05T07:15:30.000Z"},
		{"1741158930123", "2025-03-05T07:15:30.123Z"},
		{"2024-02-29 23:59", "2024-02-29T23:59:00.000Z"},
	};
	char out[STORE_TIME_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(
			sms_time_parse(cases[i].in, strlen(cases[i].in), out),
			0);
		assert_string_equal(out, cases[i].out);
	}
	assert_int_equal(sms_time_parse("yesterday", 9, out), -1);
	assert_int_equal(sms_time_parse("2025-13-05 07:15:30", 19, out), -1);
}

static void commands_about_items(void **state)
{
	char code[CODE_MAX];
	struct sms_command c;

	(void)state;
	assert_int_equal(code_make(code, "K7", 42), 0);
	char yes[64], plus[64], st[64], q[64], add[64], lower[64];

	snprintf(yes, sizeof(yes), "YES %s", code);
	snprintf(plus, sizeof(plus), " +1 %s ", code);
	snprintf(st, sizeof(st), "status %s", code);
	snprintf(q, sizeof(q), "%s ?", code);
	snprintf(add, sizeof(add), "%s and at weekends too", code);
	snprintf(lower, sizeof(lower), "si %s", code);
	for (size_t i = 0; lower[i]; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);

	sms_command_parse(yes, strlen(yes), &c);
	assert_int_equal(c.kw, SMS_KW_ENDORSE);
	assert_string_equal(c.code, code);
	sms_command_parse(plus, strlen(plus), &c);
	assert_int_equal(c.kw, SMS_KW_ENDORSE);
	sms_command_parse(lower, strlen(lower), &c);
	assert_int_equal(c.kw, SMS_KW_ENDORSE);
	assert_string_equal(c.code, code);
	sms_command_parse(st, strlen(st), &c);
	assert_int_equal(c.kw, SMS_KW_STATUS);
	sms_command_parse(q, strlen(q), &c);
	assert_int_equal(c.kw, SMS_KW_STATUS);
	sms_command_parse(add, strlen(add), &c);
	assert_int_equal(c.kw, SMS_KW_ADD);
	assert_int_equal(c.rest_len, strlen("and at weekends too"));
	assert_memory_equal(c.rest, "and at weekends too", c.rest_len);

	sms_command_parse("YES", 3, &c);
	assert_int_equal(c.kw, SMS_KW_NONE);
	sms_command_parse("YES please more buses", 21, &c);
	assert_int_equal(c.kw, SMS_KW_NONE);
	sms_command_parse("Please reduce the fees", 22, &c);
	assert_int_equal(c.kw, SMS_KW_NONE);
	/* A wrong check character is not a code. */
	code[strlen(code) - 1] = code[strlen(code) - 1] == 'A' ? 'B' : 'A';
	snprintf(yes, sizeof(yes), "YES %s", code);
	sms_command_parse(yes, strlen(yes), &c);
	assert_int_equal(c.kw, SMS_KW_NONE);
	sms_command_parse("STOP", 4, &c);
	assert_int_equal(c.kw, SMS_KW_STOP);
}

static void segments_never_split_a_character(void **state)
{
	char s[400];
	size_t starts[8], i, n;
	struct gsm7_plan p;
	int parts;

	(void)state;
	assert_int_equal(gsm7_plan("Hi", 2, &p), 0);
	assert_false(p.ucs2);
	assert_int_equal(gsm7_plan("\xC3\xA1", 2, &p), 0); /* a acute */
	assert_true(p.ucs2);
	assert_int_equal(p.segments, 1);

	/* 66 'a' then an emoji: the pair would straddle 67 units. */
	memset(s, 'a', 66);
	memcpy(s + 66, "\xF0\x9F\x98\x80", 4);
	memset(s + 70, 'b', 10);
	n = 80;
	parts = gsm7_split(s, n, starts, 8);
	assert_int_equal(parts, 2);
	assert_int_equal(starts[1], 66);

	/* 152 'a' then a euro sign (an escape pair) at the part edge. */
	memset(s, 'a', 152);
	memcpy(s + 152, "\xE2\x82\xAC", 3);
	memset(s + 155, 'c', 20);
	parts = gsm7_split(s, 175, starts, 8);
	assert_int_equal(parts, 2);
	assert_int_equal(starts[1], 152);
	assert_int_equal(gsm7_fit(s, 175, 1), 152);
	for (i = 0; i < 8; i++)
		starts[i] = 0;
}

static void kannel_sendsms_escapes_plus_and_picks_ucs2(void **state)
{
	struct sms_channel ch = {.name = "k", .gateway = "kannel"};
	struct sms_send_req rq;

	(void)state;
	ch.send_url = "http://127.0.0.1:13013/cgi-bin/sendsms?username=u"
		      "&password=p";
	sms_send_req_init(&rq);
	assert_int_equal(
		sms_send_build(&ch, "+447700900123", "Hi + bye", 1, &rq), 0);
	assert_string_equal(rq.method, "GET");
	assert_non_null(strstr(rq.url.data, "&to=%2B447700900123&"));
	assert_non_null(strstr(rq.url.data, "text=Hi%20%2B%20bye"));
	assert_null(strstr(rq.url.data + 40, "+"));
	sms_send_req_release(&rq);

	sms_send_req_init(&rq);
	assert_int_equal(
		sms_send_build(&ch, "+34600000001", "l\xC3\xADnea", 2, &rq), 0);
	assert_non_null(strstr(rq.url.data, "text=%00l%00%ED%00n%00e%00a"));
	assert_non_null(strstr(rq.url.data, "coding=2"));
	sms_send_req_release(&rq);
}

/* Twilio answers in the webhook, but news goes later by its API. */
static void twilio_sends_later_through_its_api(void **state)
{
	struct sms_channel ch = {.name = "t", .gateway = "twilio"};
	const struct sms_gateway *gw = sms_gateway_find("twilio");
	struct sms_send_req rq;

	(void)state;
	assert_false(sms_channel_outbox(&ch, gw));
	assert_false(sms_channel_sends_later(&ch, gw));
	ch.account = "AC0001";
	ch.api_key = "tok";
	ch.sender = "+15555550100";
	assert_false(sms_channel_outbox(&ch, gw));
	assert_true(sms_channel_sends_later(&ch, gw));

	sms_send_req_init(&rq);
	assert_int_equal(
		sms_send_build(&ch, "+15555550123", "News + more", 1, &rq), 0);
	assert_string_equal(rq.method, "POST");
	assert_string_equal(rq.url.data, "https://api.twilio.com/2010-04-01"
					 "/Accounts/AC0001/Messages.json");
	assert_string_equal(rq.userpwd, "AC0001:tok");
	assert_non_null(strstr(rq.body.data, "To=%2B15555550123"));
	assert_non_null(strstr(rq.body.data, "From=%2B15555550100"));
	assert_non_null(strstr(rq.body.data, "Body=News"));
	sms_send_req_release(&rq);

	ch.sender = "MG0001";
	sms_send_req_init(&rq);
	assert_int_equal(sms_send_build(&ch, "+15555550123", "x", 2, &rq), 0);
	assert_non_null(strstr(rq.body.data, "MessagingServiceSid=MG0001"));
	sms_send_req_release(&rq);
}

/* A key too long for its header or Basic auth line fails the build:
 * a credential is never sent cut short. */
static void send_credentials_are_never_cut(void **state)
{
	static const char *const gws[] = {"africastalking", "infobip", "plivo",
					  "android-sms-gateway"};
	struct sms_channel ch;
	struct sms_send_req rq;
	char key[400];
	size_t i;

	(void)state;
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	for (i = 0; i < sizeof(gws) / sizeof(gws[0]); i++) {
		memset(&ch, 0, sizeof(ch));
		memcpy(ch.name, "c", 2);
		memcpy(ch.gateway, gws[i], strlen(gws[i]) + 1);
		ch.account = "acct";
		ch.api_key = key;
		sms_send_req_init(&rq);
		assert_int_equal(
			sms_send_build(&ch, "+447700900123", "hi", 1, &rq), -1);
		sms_send_req_release(&rq);
		key[200] = '\0';
		sms_send_req_init(&rq);
		assert_int_equal(
			sms_send_build(&ch, "+447700900123", "hi", 1, &rq), 0);
		sms_send_req_release(&rq);
		key[200] = 'k';
	}
}

static void send_requests_per_provider(void **state)
{
	struct sms_channel ch = {.name = "v", .gateway = "vonage"};
	struct sms_send_req rq;

	(void)state;
	ch.account = "key";
	ch.api_key = "secret";
	sms_send_req_init(&rq);
	/* "¿Qué?" is GSM-7; "línea" needs UCS-2. */
	assert_int_equal(sms_send_build(&ch, "+447700900123",
					"\xC2\xBF"
					"Qu\xC3\xA9?",
					1, &rq),
			 0);
	assert_null(strstr(rq.body.data, "type=unicode"));
	sms_send_req_release(&rq);
	sms_send_req_init(&rq);
	assert_int_equal(
		sms_send_build(&ch, "+447700900123", "l\xC3\xADnea", 1, &rq),
		0);
	assert_string_equal(rq.url.data, "https://rest.nexmo.com/sms/json");
	assert_non_null(strstr(rq.body.data, "to=447700900123"));
	assert_non_null(strstr(rq.body.data, "type=unicode"));
	sms_send_req_release(&rq);

	memcpy(ch.gateway, "android-sms-gateway", 20);
	ch.send_url = "http://127.0.0.1:8080/messages";
	sms_send_req_init(&rq);
	assert_int_equal(sms_send_build(&ch, "+15555550123", "Hi", 9, &rq), 0);
	assert_non_null(strstr(rq.body.data, "\"id\":\"chorus-v-9\""));
	assert_string_equal(rq.userpwd, "key:secret");
	sms_send_req_release(&rq);

	assert_int_equal(sms_send_judge(&ch, 409, "", 0), SMS_SEND_OK);
	assert_int_equal(sms_send_judge(&ch, 503, "", 0), SMS_SEND_RETRY);
	assert_int_equal(sms_send_judge(&ch, 0, "", 0), SMS_SEND_RETRY);
	assert_int_equal(sms_send_judge(&ch, 400, "", 0), SMS_SEND_FAIL);
	memcpy(ch.gateway, "vonage", 7);
	assert_int_equal(sms_send_judge(&ch, 200,
					"{\"messages\":[{\"status\":\"1\"}]}",
					29),
			 SMS_SEND_RETRY);
}

static void backoff_doubles_with_jitter_and_a_cap(void **state)
{
	(void)state;
	assert_int_equal(sms_outbox_backoff(1000, 1, 0.5), 1000);
	assert_int_equal(sms_outbox_backoff(1000, 3, 0.5), 4000);
	assert_int_equal(sms_outbox_backoff(1000, 3, 0.0), 2000);
	assert_int_equal(sms_outbox_backoff(1000, 60, 0.5), 3600 * 1000);
}

static void channel_options_are_read(void **state)
{
	struct sms_channel ch = {.name = "g", .gateway = "generic"};
	char v[32];

	(void)state;
	ch.options = "format=json,from=sender,text=msg";
	assert_string_equal(sms_channel_option(&ch, "from", "from", v, 32),
			    "sender");
	assert_string_equal(sms_channel_option(&ch, "text", "x", v, 32), "msg");
	assert_string_equal(sms_channel_option(&ch, "id", "id", v, 32), "id");
	assert_true(sms_channel_gateway_ok("android-sms-gateway"));
	assert_false(sms_channel_gateway_ok("nexmo"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vonage_signature_vectors),
		cmocka_unit_test(plivo_v3_vector),
		cmocka_unit_test(asg_signature_vector),
		cmocka_unit_test(asg_reader_checks_signature),
		cmocka_unit_test(infobip_batch_is_every_result),
		cmocka_unit_test(json_depth_and_size_are_bounded),
		cmocka_unit_test(vonage_reader_verifies_and_reads_parts),
		cmocka_unit_test(times_of_every_gateway),
		cmocka_unit_test(commands_about_items),
		cmocka_unit_test(segments_never_split_a_character),
		cmocka_unit_test(kannel_sendsms_escapes_plus_and_picks_ucs2),
		cmocka_unit_test(send_requests_per_provider),
		cmocka_unit_test(send_credentials_are_never_cut),
		cmocka_unit_test(twilio_sends_later_through_its_api),
		cmocka_unit_test(backoff_doubles_with_jitter_and_a_cap),
		cmocka_unit_test(channel_options_are_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
