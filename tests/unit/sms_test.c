/*
 * Unit tests for sms-gateway/: the Twilio signature, sender numbers,
 * UTF-16BE, GSM-7 counting, keywords, reply texts (STATUS of a merged
 * item too), the news text of a follow and Kannel parsing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "code.h"
#include "feed.h"
#include "form.h"
#include "gsm7.h"
#include "i18n.h"
#include "sms_follow.h"
#include "sms_keyword.h"
#include "sms_parse.h"
#include "sms_phone.h"
#include "sms_store.h"

static void sign(const char *url, const char *token, const char *body,
		 char out[CRYPTO_SHA1_B64])
{
	struct form f;

	assert_int_equal(form_parse(&f, body, strlen(body), 100), 0);
	assert_int_equal(sms_twilio_signature(url, token, &f, out), 0);
	form_release(&f);
}

static void twilio_documented_vector(void **state)
{
	char sig[CRYPTO_SHA1_B64];

	(void)state;
	sign("https://mycompany.com/myapp.php?foo=1&bar=2", "12345",
	     "To=%2B18005551212&Digits=1234&CallSid=CA1234567890ABCDE"
	     "&From=%2B12349013030&Caller=%2B12349013030",
	     sig);
	assert_string_equal(sig, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
}

static const char twilio_body[] =
	"AccountSid=AC00000000000000000000000000000000"
	"&Body=Hello%2Bworld%3F+Yes+%26+no&From=%2B15555550123"
	"&MessageSid=SM00000000000000000000000000000001&NumMedia=0"
	"&NumSegments=1&To=%2B15555550100";

static void twilio_signs_decoded_plus_and_exact_url(void **state)
{
	char sig[CRYPTO_SHA1_B64];

	(void)state;
	sign("https://sms.example.org/hooks/twilio?school=demo",
	     "test_auth_token_0000", twilio_body, sig);
	assert_string_equal(sig, "I3pRxTaiVArZpEhuiydoBwDXmPA=");
	sign("https://sms.example.org:443/hooks/twilio?school=demo",
	     "test_auth_token_0000", twilio_body, sig);
	assert_string_not_equal(sig, "I3pRxTaiVArZpEhuiydoBwDXmPA=");
}

static void twilio_verify_rejects_missing_and_wrong(void **state)
{
	const char *url = "https://sms.example.org/hooks/twilio?school=demo";
	struct form f;

	(void)state;
	assert_int_equal(form_parse(&f, twilio_body, strlen(twilio_body), 100),
			 0);
	assert_true(sms_twilio_verify(url, "test_auth_token_0000", &f,
				      "I3pRxTaiVArZpEhuiydoBwDXmPA="));
	assert_false(sms_twilio_verify(url, "test_auth_token_0000", &f, NULL));
	assert_false(sms_twilio_verify(url, "test_auth_token_0000", &f,
				       "ZkenhVabJTScyp86x47MD53gLaI="));
	assert_false(sms_twilio_verify(url, "other", &f,
				       "I3pRxTaiVArZpEhuiydoBwDXmPA="));
	form_release(&f);
}

static void twilio_repeated_names_sorted_by_value(void **state)
{
	char a[CRYPTO_SHA1_B64], b[CRYPTO_SHA1_B64];

	(void)state;
	sign("https://x.example/h", "k", "Body=hi&Tag=b&Tag=a", a);
	sign("https://x.example/h", "k", "Tag=a&Body=hi&Tag=b", b);
	assert_string_equal(a, b);
	sign("https://x.example/h", "k", "Body=hi&Tag=a&Tag=c", b);
	assert_string_not_equal(a, b);
}

static void twilio_parse_keeps_nul_as_replacement_and_media(void **state)
{
	const char body[] = "Body=a%00b&From=%2B15555550123&MessageSid=SM1"
			    "&MediaUrl1=https%3A%2F%2Fe.org%2F2.png"
			    "&MediaUrl0=https%3A%2F%2Fe.org%2F1.png";
	struct sms_msg m;
	struct form f;

	(void)state;
	sms_msg_init(&m);
	assert_int_equal(form_parse(&f, body, strlen(body), 100), 0);
	assert_int_equal(sms_twilio_parse(&f, &m), 0);
	assert_int_equal(m.text.len, 5);
	assert_memory_equal(m.text.data,
			    "a\xEF\xBF\xBD"
			    "b",
			    5);
	assert_string_equal(m.provider_id, "SM1");
	assert_string_equal(m.from, "+15555550123");
	assert_string_equal(m.media, "[\"https://e.org/1.png\","
				     "\"https://e.org/2.png\"]");
	form_release(&f);
	sms_msg_release(&m);
}

static const char *e164(const char *raw, const char *cc, const char **kind)
{
	static struct sms_sender s;

	sms_phone_normalize(raw, strlen(raw), cc, &s);
	*kind = sms_phone_kind_name(s.kind);
	return s.key;
}

static void phone_numbers_become_e164(void **state)
{
	static const char *const cases[][3] = {
		{"07700900123", "GB", "+447700900123"},
		{"447700900123", "GB", "+447700900123"},
		{"+447700900123", "GB", "+447700900123"},
		{"00447700900123", "GB", "+447700900123"},
		{" 254712345678", "KE", "+254712345678"},
		{" 254712345678", "GB", "+254712345678"},
		{"0712345678", "KE", "+254712345678"},
		{"5555550123", "US", "+15555550123"},
		{"15555550123", "US", "+15555550123"},
		{"011447700900123", "US", "+447700900123"},
		{"+1 (555) 555-0123", "US", "+15555550123"},
		{"612345678", "ES", "+34612345678"},
		{"+5511900000001", "BR", "+5511900000001"},
		{"447700900123", NULL, "+447700900123"},
	};
	const char *kind;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(e164(cases[i][0], cases[i][1], &kind),
				    cases[i][2]);
		assert_string_equal(kind, "e164");
	}
}

static void phone_short_codes_and_names_are_not_numbers(void **state)
{
	const char *kind;

	(void)state;
	assert_string_equal(e164("40404", "GB", &kind), "40404");
	assert_string_equal(kind, "shortcode");
	assert_string_equal(e164("SchoolX", "GB", &kind), "SCHOOLX");
	assert_string_equal(kind, "alphanumeric");
	e164("+12", "GB", &kind);
	assert_string_equal(kind, "unknown");
	e164("", "GB", &kind);
	assert_string_equal(kind, "unknown");
	e164("+4477\x00"
	     "00",
	     "GB", &kind);
	assert_string_equal(kind, "unknown");
}

static void utf16(const char *in, size_t len, const char *want)
{
	struct buf b;

	buf_init(&b, 1024);
	assert_int_equal(sms_utf16be_to_utf8(&b, in, len), 0);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(b.data ? b.data : "", want, b.len);
	buf_release(&b);
}

static void utf16be_decodes_pairs_and_repairs(void **state)
{
	(void)state;
	utf16("\x00i\x00s\x00s\x00o\x00 \x00\xE9", 12, "isso \xC3\xA9");
	/* U+1F680 as a surrogate pair. */
	utf16("\xD8\x3D\xDE\x80", 4, "\xF0\x9F\x9A\x80");
	/* A lone high surrogate, then 'a'. */
	utf16("\xD8\x3D\x00"
	      "a",
	      4,
	      "\xEF\xBF\xBD"
	      "a");
	/* A lone low surrogate. */
	utf16("\xDE\x80", 2, "\xEF\xBF\xBD");
	/* An odd last byte and a NUL unit. */
	utf16("\x00"
	      "a\x00",
	      3, "a\xEF\xBF\xBD");
	utf16("\x00\x00", 2, "\xEF\xBF\xBD");
}

static void fill(char *s, size_t n, char c)
{
	memset(s, c, n);
	s[n] = '\0';
}

static void gsm7_counts_segments(void **state)
{
	char s[400];

	(void)state;
	fill(s, 160, 'A');
	assert_int_equal(gsm7_segments(s, 160), 1);
	fill(s, 161, 'A');
	assert_int_equal(gsm7_segments(s, 161), 2);
	fill(s, 159, 'A');
	memcpy(s + 159, "\xE2\x82\xAC", 4); /* euro: two septets */
	assert_int_equal(gsm7_septets(s, strlen(s)), 161);
	assert_int_equal(gsm7_segments(s, strlen(s)), 2);
	assert_int_equal(gsm7_segments("", 0), 1);
	assert_int_equal(gsm7_septets("{}", 2), 4);
	assert_int_equal(gsm7_septets("\xC3\xA9", 2), 1);  /* é is basic */
	assert_int_equal(gsm7_septets("\xC3\xA7", 2), -1); /* ç is not */
	assert_int_equal(gsm7_septets("\xC3\xB3", 2), -1); /* ó is not */
	assert_int_equal(gsm7_septets("`", 1), -1);
	assert_int_equal(gsm7_septets("\xF0\x9F\x9A\x80", 4), -1);
	assert_int_equal(gsm7_septets("a\0b", 3), -1);
	/* 152 'A' then '[': the escape pair may not straddle parts. */
	fill(s, 152, 'A');
	s[152] = '[';
	fill(s + 153, 150, 'B');
	assert_int_equal(gsm7_septets(s, strlen(s)), 304);
	assert_int_equal(gsm7_segments(s, strlen(s)), 2);
	fill(s, 305, 'A');
	s[152] = '[';
	assert_int_equal(gsm7_segments(s, strlen(s)), 3);
}

static void keywords_are_whole_messages(void **state)
{
	static const struct {
		const char *text;
		enum sms_keyword kw;
	} cases[] = {
		{"STOP", SMS_KW_STOP},
		{"  stop \n", SMS_KW_STOP},
		{"Stop.", SMS_KW_STOP},
		{"stopall", SMS_KW_STOP},
		{"UNSUBSCRIBE", SMS_KW_STOP},
		{"cancel", SMS_KW_STOP},
		{"End", SMS_KW_STOP},
		{"quit", SMS_KW_STOP},
		{"alto", SMS_KW_STOP},
		{"PARAR", SMS_KW_STOP},
		{"baja", SMS_KW_STOP},
		{"start", SMS_KW_START},
		{"UNSTOP", SMS_KW_START},
		{"Alta", SMS_KW_START},
		{"help", SMS_KW_HELP},
		{"INFO", SMS_KW_HELP},
		{"ayuda!", SMS_KW_HELP},
		{"stop texting me the bus times", SMS_KW_NONE},
		{"STOPP", SMS_KW_NONE},
		{"", SMS_KW_NONE},
		{"please help", SMS_KW_NONE},
		{"follow", SMS_KW_FOLLOW},
		{" Seguir. ", SMS_KW_FOLLOW},
		{"follow the money", SMS_KW_NONE},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(
			sms_keyword_match(cases[i].text, strlen(cases[i].text)),
			cases[i].kw);
	assert_int_equal(sms_keyword_match("STOP\0x", 6), SMS_KW_NONE);
	assert_string_equal(sms_keyword_name(SMS_KW_STOP), "stop");
	assert_string_equal(sms_keyword_name(SMS_KW_FOLLOW), "follow");
	assert_null(sms_keyword_name(SMS_KW_NONE));
}

/* cmd parsed from text; lang compared when want_lang is not NULL. */
static void parsed(const char *text, enum sms_keyword kw, int bad,
		   const char *want_lang, struct sms_command *cmd)
{
	sms_command_parse(text, strlen(text), cmd);
	assert_int_equal(cmd->kw, kw);
	assert_int_equal(cmd->code_bad, bad);
	if (want_lang != NULL) {
		assert_non_null(cmd->lang);
		assert_string_equal(cmd->lang, want_lang);
	}
}

/* The code alone is "STATUS CODE": any case, spaces or dashes. */
static void a_code_alone_asks_its_status(void **state)
{
	static const char *const forms[] = {
		"%s", "  %s \n", "%s?", "STATUS %s", "estado %s",
	};
	char code[CODE_MAX], lower[CODE_MAX], text[64];
	struct sms_command cmd;
	size_t i;

	(void)state;
	assert_int_equal(code_make(code, "QT", 2), 0);
	assert_string_equal(code, "QT0002G");
	for (i = 0; code[i] != '\0'; i++)
		lower[i] = (char)(code[i] | 0x20);
	lower[i] = '\0';
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(text, sizeof(text), forms[i], lower);
		parsed(text, SMS_KW_STATUS, 0, NULL, &cmd);
		assert_string_equal(cmd.code, code);
	}
	parsed("qt-0002-g", SMS_KW_STATUS, 0, NULL, &cmd);
	assert_string_equal(cmd.code, code);
	parsed("QT 0002 G", SMS_KW_STATUS, 0, NULL, &cmd);
	assert_string_equal(cmd.code, code);
	assert_null(cmd.lang);
	parsed("QT0002G more swings", SMS_KW_ADD, 0, NULL, &cmd);
	parsed("QT0002H", SMS_KW_NONE, 0, NULL, &cmd);
}

/* Sentences whose letters and digits would pass the check, read with
 * spaces ignored, are still ideas: a code is written as a code. */
static void a_sentence_is_not_a_code(void **state)
{
	char text[64], canon[CODE_MAX];
	struct sms_command cmd;
	int n, passing = 0;

	(void)state;
	for (n = 1; n < 3000; n++) {
		snprintf(text, sizeof(text), "sms idea %d", n);
		if (code_parse(text, strlen(text), canon, NULL, NULL) < 0)
			continue;
		passing++;
		parsed(text, SMS_KW_NONE, 0, NULL, &cmd);
		snprintf(text, sizeof(text), "sms idea %d?", n);
		parsed(text, SMS_KW_NONE, 0, NULL, &cmd);
	}
	/* The loop did meet such sentences, so the test can fail. */
	assert_true(passing > 10);
	parsed("room 101 ok?", SMS_KW_NONE, 0, NULL, &cmd);
}

/* STATUS, ESTADO or "?" with a code whose check fails: a status
 * question with code_bad; ordinary words after STATUS stay an idea. */
static void a_wrong_code_is_still_a_question(void **state)
{
	struct sms_command cmd;
	char canon[CODE_MAX];

	(void)state;
	assert_int_equal(code_parse("ZZ9999Z", 7, canon, NULL, NULL), -1);
	parsed("STATUS ZZ9999Z", SMS_KW_STATUS, 1, "en", &cmd);
	assert_string_equal(cmd.code, "");
	parsed("estado zz-9999-z", SMS_KW_STATUS, 1, "es", &cmd);
	parsed("ZZ9999Z ?", SMS_KW_STATUS, 1, NULL, &cmd);
	parsed("status update please", SMS_KW_NONE, 0, NULL, &cmd);
	parsed("Is it year 7?", SMS_KW_NONE, 0, NULL, &cmd);
	parsed("room 12 is cold?", SMS_KW_NONE, 0, NULL, &cmd);
	parsed("ZZ9999Z", SMS_KW_NONE, 0, NULL, &cmd);
	assert_true(sms_code_shaped("K7-0042-X", 9));
	assert_false(sms_code_shaped("7K0042X", 7));
	assert_false(sms_code_shaped("K70042\xC3\x89", 8));
}

/* A word's language is the reply's: Spanish words answer in Spanish. */
static void keywords_carry_their_language(void **state)
{
	struct sms_command cmd;

	(void)state;
	parsed("ayuda", SMS_KW_HELP, 0, "es", &cmd);
	parsed("Alto", SMS_KW_STOP, 0, "es", &cmd);
	parsed("PARAR", SMS_KW_STOP, 0, "es", &cmd);
	parsed("baja.", SMS_KW_STOP, 0, "es", &cmd);
	parsed("ALTA", SMS_KW_START, 0, "es", &cmd);
	parsed("help", SMS_KW_HELP, 0, "en", &cmd);
	parsed("STOP", SMS_KW_STOP, 0, "en", &cmd);
	parsed("SI QT0002G", SMS_KW_ENDORSE, 0, "es", &cmd);
	parsed("ESTADO QT0002G", SMS_KW_STATUS, 0, "es", &cmd);
	parsed("STATUS QT0002G", SMS_KW_STATUS, 0, "en", &cmd);
	parsed("INFO", SMS_KW_HELP, 0, NULL, &cmd);
	assert_null(cmd.lang);
	parsed("+1 QT0002G", SMS_KW_ENDORSE, 0, NULL, &cmd);
	assert_null(cmd.lang);
}

/* FOLLOW and SEGUIR, alone (the latest item) or with a code. */
static void follow_alone_or_with_a_code(void **state)
{
	struct sms_command cmd;

	(void)state;
	parsed("FOLLOW", SMS_KW_FOLLOW, 0, "en", &cmd);
	assert_string_equal(cmd.code, "");
	parsed("seguir!", SMS_KW_FOLLOW, 0, "es", &cmd);
	assert_string_equal(cmd.code, "");
	parsed("follow qt-0002-g", SMS_KW_FOLLOW, 0, "en", &cmd);
	assert_string_equal(cmd.code, "QT0002G");
	parsed("SEGUIR QT0002G", SMS_KW_FOLLOW, 0, "es", &cmd);
	assert_string_equal(cmd.code, "QT0002G");
	/* A wrong check or a sentence: an idea like any other. */
	parsed("FOLLOW QT0002H", SMS_KW_NONE, 0, NULL, &cmd);
	parsed("follow the bus route", SMS_KW_NONE, 0, NULL, &cmd);
	parsed("seguir con el huerto", SMS_KW_NONE, 0, NULL, &cmd);
}

/* The news keeps its URL whole and cuts the title to fit. */
static void news_fits_and_keeps_the_url(void **state)
{
	static const char url[] = "https://chorus.example.org/i/K7ZZZZZZZ";
	char title[600];
	struct gsm7_plan p;
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(sms_follow_text("en", "QT0002G", "New books", url, &b),
			 0);
	assert_string_equal(b.data, "News about QT0002G: New books https://"
				    "chorus.example.org/i/K7ZZZZZZZ");
	fill(title, 599, 'x');
	assert_int_equal(sms_follow_text("en", "QT0002G", title, url, &b), 0);
	assert_int_equal(gsm7_plan(b.data, b.len, &p), 0);
	assert_int_equal(p.segments, SMS_REPLY_SEGMENTS);
	assert_non_null(strstr(b.data, "... https://chorus.example.org/i/"));
	assert_int_equal(strcmp(b.data + b.len - strlen(url), url), 0);
	/* Letters outside GSM-7: UCS-2, still three segments at most. */
	memcpy(title, "\xC3\xA1rbol ", 7);
	assert_int_equal(sms_follow_text("es", "QT0002G", title, url, &b), 0);
	assert_int_equal(gsm7_plan(b.data, b.len, &p), 0);
	assert_true(p.ucs2);
	assert_true(p.segments <= SMS_REPLY_SEGMENTS);
	assert_non_null(
		strstr(b.data, "Novedades sobre QT0002G: \xC3\xA1rbol"));
	buf_release(&b);
}

static const char *const reply_keys[] = {
	"sms.stop_confirm", "sms.start_confirm",
	"sms.help",	    "sms.added",
	"sms.endorsed",	    "sms.endorse_again",
	"sms.status",	    "sms.status_unknown",
	"sms.limited",	    "sms.code_bad",
	"sms.follow",	    "sms.follow_none",
	"sms.follow_off",   "sms.status_merged",
	"sms.status_idea",  NULL,
};

/* The reply key in lang with codes filled in: its on-air plan. */
static void plan_of(const char *lang, const char *key, struct gsm7_plan *p)
{
	struct buf b;

	buf_init(&b, 1024);
	assert_string_not_equal(i18n_get(lang, key), key);
	assert_int_equal(sms_reply_text(lang, key, "K7ZZZZZZZ", "K7YYYYYYY",
					i18n_get(lang, "sms.status.declined"),
					&b),
			 0);
	assert_null(strchr(b.data, '{'));
	assert_int_equal(gsm7_plan(b.data, b.len, p), 0);
	buf_release(&b);
}

/* True when text invites FOLLOW, in any language. */
static int invites_follow(const char *text)
{
	return strstr(text, "FOLLOW") != NULL || strstr(text, "SEGUIR") != NULL;
}

/* The acknowledgements are one GSM-7 segment in every language; FOLLOW
 * is offered only where the channel can text later. */
static void acks_offer_follow_only_where_kept(void **state)
{
	static const char *const answers[] = {"sms.answer_ack",
					      "sms.answer_ack_no_follow"};
	const char *const *l;
	struct gsm7_plan p;
	struct buf b;
	int follow;

	(void)state;
	for (l = i18n_langs(); *l != NULL; l++) {
		for (follow = 0; follow < 2; follow++) {
			buf_init(&b, 1024);
			assert_int_equal(
				sms_ack_text(*l, "K7ZZZZZZZ", follow, &b), 0);
			assert_non_null(strstr(b.data, "K7ZZZZZZZ"));
			assert_int_equal(gsm7_plan(b.data, b.len, &p), 0);
			assert_false(p.ucs2);
			assert_int_equal(p.segments, 1);
			assert_int_equal(invites_follow(b.data), follow);
			buf_clear(&b);
			assert_int_equal(sms_reply_text(*l, answers[follow],
							"K7ZZZZZZZ", NULL, NULL,
							&b),
					 0);
			assert_int_equal(gsm7_plan(b.data, b.len, &p), 0);
			assert_false(p.ucs2);
			assert_int_equal(p.segments, 1);
			assert_int_equal(invites_follow(b.data), !follow);
			buf_release(&b);
		}
	}
}

/* Spanish thanks open with "¡", which GSM-7 has; AYUDA names ALTA as
 * HELP names START. */
static void spanish_replies_read_as_spanish(void **state)
{
	static const char *const thanks[] = {
		"sms.ack",	  "sms.ack_no_follow",
		"sms.answer_ack", "sms.answer_ack_no_follow",
		"sms.ack_ask",	  NULL,
	};
	const char *const *k;
	struct gsm7_plan p;

	(void)state;
	for (k = thanks; *k != NULL; k++)
		assert_int_equal(
			strncmp(i18n_get("es", *k), "\xC2\xA1Gracias! ", 11),
			0);
	assert_int_equal(gsm7_plan("\xC2\xA1Gracias!", 10, &p), 0);
	assert_false(p.ucs2);
	assert_non_null(strstr(i18n_get("en", "sms.help"), "START"));
	assert_non_null(strstr(i18n_get("es", "sms.help"), "ALTA"));
	assert_non_null(strstr(i18n_get("es", "sms.help"), "BAJA"));
}

/* English replies are one GSM-7 segment; the rest fit
 * SMS_REPLY_SEGMENTS whatever coding their letters need. */
static void replies_fit_their_segments(void **state)
{
	const char *const *l, *const *k;
	struct gsm7_plan p;
	struct buf b;

	(void)state;
	for (l = i18n_langs(); *l != NULL; l++) {
		buf_init(&b, 1024);
		/* The FOLLOW confirmation is one GSM-7 segment in every
		 * language, like the ack that invites it. */
		assert_int_equal(sms_reply_text(*l, "sms.follow", "K7ZZZZZZZ",
						NULL, NULL, &b),
				 0);
		assert_int_equal(gsm7_segments(b.data, b.len), 1);
		buf_release(&b);
		for (k = reply_keys; *k != NULL; k++) {
			plan_of(*l, *k, &p);
			assert_true(p.segments <= SMS_REPLY_SEGMENTS);
			if (strcmp(*l, "en") == 0) {
				assert_false(p.ucs2);
				assert_int_equal(p.segments, 1);
			}
		}
		assert_true(strstr(i18n_get(*l, "sms.help"), "STOP") != NULL ||
			    strstr(i18n_get(*l, "sms.help"), "BAJA") != NULL);
	}
}

/*
 * STATUS CODE for an item merged into an idea: every word that
 * feed_idea_status() can give has its phrase in every language, and
 * the reply with the longest idea code fits one GSM-7 segment in
 * English and SMS_REPLY_SEGMENTS in every language.
 */
static void merged_status_replies_fit(void **state)
{
	static const char *const words[] = {
		"consolidated", "captured", "shared",
		"decided",	"done",	    "declined",
	};
	const char *const *l;
	struct gsm7_plan p;
	char key[64];
	struct buf b;
	size_t i;

	(void)state;
	/* Each input of the rule gives one of the words above. */
	assert_string_equal(feed_idea_status("applied", 0, 0, 0), words[4]);
	assert_string_equal(feed_idea_status("shared", 1, 0, 1), words[5]);
	for (l = i18n_langs(); *l != NULL; l++) {
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			snprintf(key, sizeof(key), "sms.status.%s", words[i]);
			assert_string_not_equal(i18n_get(*l, key), key);
			buf_init(&b, 1024);
			assert_int_equal(sms_reply_text(*l, "sms.status_idea",
							"K7ZZZZZZZZZZ",
							"QTZZZZZZZZZZ",
							i18n_get(*l, key), &b),
					 0);
			assert_null(strchr(b.data, '{'));
			assert_non_null(strstr(b.data, "QTZZZZZZZZZZ"));
			assert_int_equal(gsm7_plan(b.data, b.len, &p), 0);
			assert_true(p.segments <= SMS_REPLY_SEGMENTS);
			if (strcmp(*l, "en") == 0)
				assert_int_equal(p.segments, 1);
			buf_release(&b);
		}
	}
}

/*
 * A reply that asks the site's question leaves room for one of 80
 * characters that needs UCS-2 (accents outside GSM-7) within
 * SMS_REPLY_SEGMENTS, in every language.
 */
static void asking_replies_leave_room_for_a_question(void **state)
{
	static const char *const keys[] = {"sms.ack_ask", "sms.help_ask"};
	const char *q =
		"¿Qué cambiarías del recreo, el comedor o la biblioteca "
		"para el próximo curso?";
	const char *const *l, *mark;
	struct gsm7_plan p;
	struct buf t, b;
	size_t i;

	(void)state;
	assert_true(strlen(q) >= 80);
	for (l = i18n_langs(); *l != NULL; l++) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			buf_init(&t, 2048);
			buf_init(&b, 2048);
			assert_int_equal(sms_reply_text(*l, keys[i],
							"K7ZZZZZZZ", NULL, NULL,
							&t),
					 0);
			mark = strstr(t.data, "{prompt}");
			assert_non_null(mark);
			assert_int_equal(
				buf_append(&b, t.data, (size_t)(mark - t.data)),
				0);
			assert_int_equal(buf_puts(&b, q), 0);
			assert_int_equal(buf_puts(&b, mark + 8), 0);
			assert_int_equal(gsm7_plan(b.data, b.len, &p), 0);
			assert_true(p.ucs2);
			assert_true(p.segments <= SMS_REPLY_SEGMENTS);
			buf_release(&t);
			buf_release(&b);
		}
	}
}

static void kannel_query(const char *q, struct sms_msg *m)
{
	struct sms_kannel_in in;
	struct form f;

	sms_msg_init(m);
	assert_int_equal(form_parse(&f, q, strlen(q), 100), 0);
	sms_kannel_from_form(&f, &in);
	assert_int_equal(sms_kannel_parse(&in, m), 0);
	form_release(&f);
}

static void kannel_get_url_fields(void **state)
{
	struct sms_msg m;

	(void)state;
	kannel_query("from=%2B447700900123&to=40404&text=abc%FFdef&coding=0"
		     "&id=00000000-0000-4000-8000-000000000001&ts=1741158930",
		     &m);
	assert_string_equal(m.text.data, "abc\xEF\xBF\xBD"
					 "def");
	assert_string_equal(m.provider_id,
			    "00000000-0000-4000-8000-000000000001");
	assert_string_equal(m.from, "+447700900123");
	assert_string_equal(m.provider_time, "2025-03-05T07:15:30.000Z");
	sms_msg_release(&m);

	kannel_query("from=1&text=%00h%00i&charset=utf-16be", &m);
	assert_string_equal(m.text.data, "hi");
	assert_string_equal(m.provider_id, "");
	sms_msg_release(&m);

	kannel_query("from=1&text=caf%E9&charset=ISO-8859-1&id=a+b", &m);
	assert_string_equal(m.text.data, "caf\xC3\xA9");
	assert_int_equal(strncmp(m.provider_id, "h:", 2), 0);
	sms_msg_release(&m);
}

static void fingerprint_depends_on_all_parts(void **state)
{
	char a[SMS_ID_MAX], b[SMS_ID_MAX];
	struct buf t;

	(void)state;
	buf_init(&t, 100);
	buf_puts(&t, "hello");
	sms_fingerprint("h1", "100", &t, a);
	sms_fingerprint("h1", "100", &t, b);
	assert_string_equal(a, b);
	assert_int_equal(strncmp(a, "f:", 2), 0);
	sms_fingerprint("h1", "101", &t, b);
	assert_string_not_equal(a, b);
	sms_fingerprint("h2", "100", &t, b);
	assert_string_not_equal(a, b);
	buf_puts(&t, "!");
	sms_fingerprint("h1", "100", &t, b);
	assert_string_not_equal(a, b);
	buf_release(&t);
}

/* Parts too long for the fingerprint's buffer fail; out is untouched. */
static void fingerprint_refuses_parts_that_do_not_fit(void **state)
{
	char out[SMS_ID_MAX] = "untouched", ts[2000];
	struct buf t;

	(void)state;
	memset(ts, '1', sizeof(ts) - 1);
	ts[sizeof(ts) - 1] = '\0';
	buf_init(&t, 100);
	assert_int_equal(buf_puts(&t, "hello"), 0);
	assert_int_equal(sms_fingerprint("h1", ts, &t, out), -1);
	assert_string_equal(out, "untouched");
	assert_int_equal(sms_fingerprint("h1", "100", &t, out), 0);
	assert_int_equal(strncmp(out, "f:", 2), 0);
	buf_release(&t);
}

static void text_is_clipped_at_a_character(void **state)
{
	static char big[STORE_TEXT_MAX + 10];
	struct sms_msg m;
	size_t i;

	(void)state;
	for (i = 0; i + 2 <= sizeof(big); i += 2)
		memcpy(big + i, "\xC3\xA9", 2);
	sms_msg_init(&m);
	assert_int_equal(sms_text_set(&m, big, sizeof(big) - 1), 0);
	assert_true(m.text.len <= STORE_TEXT_MAX);
	assert_true(m.text.len % 2 == 0);
	sms_msg_release(&m);
}

static void xml_escape_all_five(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 100);
	assert_int_equal(sms_xml_escape(&b, "<a&'\">", 6), 0);
	assert_string_equal(b.data, "&lt;a&amp;&apos;&quot;&gt;");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(twilio_documented_vector),
		cmocka_unit_test(twilio_signs_decoded_plus_and_exact_url),
		cmocka_unit_test(twilio_verify_rejects_missing_and_wrong),
		cmocka_unit_test(twilio_repeated_names_sorted_by_value),
		cmocka_unit_test(
			twilio_parse_keeps_nul_as_replacement_and_media),
		cmocka_unit_test(phone_numbers_become_e164),
		cmocka_unit_test(phone_short_codes_and_names_are_not_numbers),
		cmocka_unit_test(utf16be_decodes_pairs_and_repairs),
		cmocka_unit_test(gsm7_counts_segments),
		cmocka_unit_test(keywords_are_whole_messages),
		cmocka_unit_test(a_code_alone_asks_its_status),
		cmocka_unit_test(a_wrong_code_is_still_a_question),
		cmocka_unit_test(a_sentence_is_not_a_code),
		cmocka_unit_test(keywords_carry_their_language),
		cmocka_unit_test(follow_alone_or_with_a_code),
		cmocka_unit_test(news_fits_and_keeps_the_url),
		cmocka_unit_test(acks_offer_follow_only_where_kept),
		cmocka_unit_test(spanish_replies_read_as_spanish),
		cmocka_unit_test(replies_fit_their_segments),
		cmocka_unit_test(merged_status_replies_fit),
		cmocka_unit_test(asking_replies_leave_room_for_a_question),
		cmocka_unit_test(kannel_get_url_fields),
		cmocka_unit_test(fingerprint_depends_on_all_parts),
		cmocka_unit_test(fingerprint_refuses_parts_that_do_not_fit),
		cmocka_unit_test(text_is_clipped_at_a_character),
		cmocka_unit_test(xml_escape_all_five),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
