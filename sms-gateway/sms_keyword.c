/*
 * sms_keyword: which words and codes in an SMS change what Chorus does
 * with it (opt out, opt in, help, endorse, ask a status, add to an
 * item, follow it), and in which language the answer goes.  No I/O; see
 * sms_keyword.h for the rules and docs/sms-keywords.md for the tables.
 */
#include "sms_keyword.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

struct sms_keyword_word {
	const char *word; /* upper case; UTF-8 beyond ASCII is exact */
	enum sms_keyword kw;
	const char *lang; /* the word's language; NULL: the channel's */
};

#define SMS_EN "en"
#define SMS_ES "es"

/* Add a word here to make it a keyword; keep docs/sms-keywords.md too. */
static const struct sms_keyword_word sms_keyword_table[] = {
	{"STOP", SMS_KW_STOP, SMS_EN},	      {"STOPALL", SMS_KW_STOP, SMS_EN},
	{"UNSUBSCRIBE", SMS_KW_STOP, SMS_EN}, {"CANCEL", SMS_KW_STOP, SMS_EN},
	{"END", SMS_KW_STOP, SMS_EN},	      {"QUIT", SMS_KW_STOP, SMS_EN},
	{"ALTO", SMS_KW_STOP, SMS_ES},	      {"PARAR", SMS_KW_STOP, SMS_ES},
	{"BAJA", SMS_KW_STOP, SMS_ES},	      {"START", SMS_KW_START, SMS_EN},
	{"UNSTOP", SMS_KW_START, SMS_EN},     {"ALTA", SMS_KW_START, SMS_ES},
	{"HELP", SMS_KW_HELP, SMS_EN},	      {"INFO", SMS_KW_HELP, NULL},
	{"AYUDA", SMS_KW_HELP, SMS_ES},	      {"FOLLOW", SMS_KW_FOLLOW, SMS_EN},
	{"SEGUIR", SMS_KW_FOLLOW, SMS_ES},
};

/* First words of "WORD CODE" commands. */
static const struct sms_keyword_word sms_command_table[] = {
	{"YES", SMS_KW_ENDORSE, SMS_EN},
	{"+1", SMS_KW_ENDORSE, NULL},
	{"SI", SMS_KW_ENDORSE, SMS_ES},
	{"S\xC3\x8D", SMS_KW_ENDORSE, SMS_ES},
	{"S\xC3\xAD", SMS_KW_ENDORSE, SMS_ES},
	{"STATUS", SMS_KW_STATUS, SMS_EN},
	{"ESTADO", SMS_KW_STATUS, SMS_ES},
	{"FOLLOW", SMS_KW_FOLLOW, SMS_EN},
	{"SEGUIR", SMS_KW_FOLLOW, SMS_ES},
};

#define SMS_NWORDS(t) (sizeof(t) / sizeof((t)[0]))

static int sms_keyword_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void sms_trim(const char **text, size_t *len)
{
	while (*len > 0 && sms_keyword_space((*text)[0])) {
		(*text)++;
		(*len)--;
	}
	while (*len > 0 && sms_keyword_space((*text)[*len - 1]))
		(*len)--;
}

/* The entry of t that w[0..len) is (any case), or NULL. */
static const struct sms_keyword_word *
sms_lookup(const struct sms_keyword_word *t, size_t n, const char *w,
	   size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(t[i].word) == len &&
		    strncasecmp(t[i].word, w, len) == 0)
			return &t[i];
	return NULL;
}

/*
 * True when the groups of s[0..len), split at spaces and dashes, are
 * laid out as people write a code: all in one ("QT0002G"), or the site,
 * the number and the check apart ("QT 0002 G", "QT-0002G", "QT0002-G").
 * "sms idea 1234" is three words, not a code, even though its letters
 * and digits alone might pass the check.
 */
static int sms_code_layout(const char *s, size_t len)
{
	size_t lens[4], i, n = 0, cur = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != ' ' && s[i] != '-') {
			cur++;
			continue;
		}
		if (cur == 0)
			continue;
		if (n == 3)
			return 0;
		lens[n++] = cur;
		cur = 0;
	}
	if (n == 1)
		return 1;
	if (n == 2)
		return lens[0] == CODE_SITE_LEN || lens[1] == 1;
	return n == 3 && lens[0] == CODE_SITE_LEN && lens[2] == 1;
}

/* The whole-message keyword entry of text, or NULL. */
static const struct sms_keyword_word *sms_keyword_entry(const char *text,
							size_t len)
{
	sms_trim(&text, &len);
	if (len > 0 && (text[len - 1] == '.' || text[len - 1] == '!'))
		len--;
	return sms_lookup(sms_keyword_table, SMS_NWORDS(sms_keyword_table),
			  text, len);
}

enum sms_keyword sms_keyword_match(const char *text, size_t len)
{
	const struct sms_keyword_word *e = sms_keyword_entry(text, len);

	return e ? e->kw : SMS_KW_NONE;
}

int sms_code_shaped(const char *s, size_t len)
{
	size_t i, n = 0, digits = 0, groups = 0;
	int in_group = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ') {
			in_group = 0;
			continue;
		}
		if (c == '-')
			continue;
		if (!isascii(c) || !isalnum(c) || (n == 0 && !isalpha(c)))
			return 0;
		groups += !in_group;
		in_group = 1;
		digits += isdigit(c) != 0;
		n++;
	}
	return n >= 7 && n <= 15 && digits >= 2 && groups <= 3 &&
	       sms_code_layout(s, len);
}

/* True when s[0..len) holds a decimal digit. */
static int sms_has_digit(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (isdigit((unsigned char)s[i]))
			return 1;
	return 0;
}

/* True when s[0..len) is a well-formed code; its canonical form in out. */
static int sms_is_code(const char *s, size_t len, char out[CODE_MAX])
{
	return len > 0 && len < 32 && sms_code_layout(s, len) &&
	       code_parse(s, len, out, NULL, NULL) == 0;
}

/* Sets out to a status question about s[0..len), good code or bad. */
static int sms_status_of(const char *s, size_t len, struct sms_command *out)
{
	if (sms_is_code(s, len, out->code)) {
		out->kw = SMS_KW_STATUS;
		return 1;
	}
	if (sms_code_shaped(s, len)) {
		out->kw = SMS_KW_STATUS;
		out->code_bad = 1;
		return 1;
	}
	return 0;
}

/* "YES CODE", "STATUS CODE": text[0..w) is the first word. */
static int sms_command_word(const char *text, size_t len, size_t w,
			    struct sms_command *out)
{
	const struct sms_keyword_word *e;

	e = sms_lookup(sms_command_table, SMS_NWORDS(sms_command_table), text,
		       w);
	if (e == NULL || w >= len)
		return 0;
	out->lang = e->lang;
	if (e->kw == SMS_KW_STATUS)
		return sms_status_of(text + w, len - w, out);
	if (!sms_is_code(text + w, len - w, out->code))
		return 0;
	out->kw = e->kw;
	return 1;
}

void sms_command_parse(const char *text, size_t len, struct sms_command *out)
{
	const struct sms_keyword_word *e = sms_keyword_entry(text, len);
	size_t w;

	memset(out, 0, sizeof(*out));
	if (e != NULL) {
		out->kw = e->kw;
		out->lang = e->lang;
		return;
	}
	sms_trim(&text, &len);
	for (w = 0; w < len && !sms_keyword_space(text[w]); w++)
		;
	if (sms_command_word(text, len, w, out))
		return;
	memset(out, 0, sizeof(*out));

	/* The code alone, as a parent texts it back: a status question. */
	if (sms_has_digit(text, len) && sms_is_code(text, len, out->code)) {
		out->kw = SMS_KW_STATUS;
		return;
	}

	/* "CODE ?" */
	if (len > 1 && text[len - 1] == '?' &&
	    sms_status_of(text, len - 1, out))
		return;

	/* "CODE more text" */
	if (w < len && sms_is_code(text, w, out->code)) {
		out->kw = SMS_KW_ADD;
		out->rest = text + w;
		out->rest_len = len - w;
		sms_trim(&out->rest, &out->rest_len);
		return;
	}
	memset(out, 0, sizeof(*out));
}

const char *sms_keyword_name(enum sms_keyword kw)
{
	switch (kw) {
	case SMS_KW_STOP:
		return "stop";
	case SMS_KW_START:
		return "start";
	case SMS_KW_HELP:
		return "help";
	case SMS_KW_ENDORSE:
		return "endorse";
	case SMS_KW_STATUS:
		return "status";
	case SMS_KW_ADD:
		return "add";
	case SMS_KW_FOLLOW:
		return "follow";
	case SMS_KW_NONE:
		break;
	}
	return NULL;
}
