/*
 * sms_keyword: keyword matching.  See sms_keyword.h.
 */
#include "sms_keyword.h"

#include <strings.h>
#include <string.h>

struct sms_keyword_word {
	const char *word; /* upper case ASCII */
	enum sms_keyword kw;
};

/* Add a word here to make it a keyword; keep docs/sms-keywords.md too. */
static const struct sms_keyword_word sms_keyword_table[] = {
	{"STOP", SMS_KW_STOP},	      {"STOPALL", SMS_KW_STOP},
	{"UNSUBSCRIBE", SMS_KW_STOP}, {"CANCEL", SMS_KW_STOP},
	{"END", SMS_KW_STOP},	      {"QUIT", SMS_KW_STOP},
	{"ALTO", SMS_KW_STOP},	      {"PARAR", SMS_KW_STOP},
	{"BAJA", SMS_KW_STOP},	      {"START", SMS_KW_START},
	{"UNSTOP", SMS_KW_START},     {"ALTA", SMS_KW_START},
	{"HELP", SMS_KW_HELP},	      {"INFO", SMS_KW_HELP},
	{"AYUDA", SMS_KW_HELP},
};

static int sms_keyword_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

enum sms_keyword sms_keyword_match(const char *text, size_t len)
{
	size_t i, n;

	while (len > 0 && sms_keyword_space(text[0])) {
		text++;
		len--;
	}
	while (len > 0 && sms_keyword_space(text[len - 1]))
		len--;
	if (len > 0 && (text[len - 1] == '.' || text[len - 1] == '!'))
		len--;

	n = sizeof(sms_keyword_table) / sizeof(sms_keyword_table[0]);
	for (i = 0; i < n; i++) {
		const char *w = sms_keyword_table[i].word;

		if (strlen(w) == len && strncasecmp(w, text, len) == 0)
			return sms_keyword_table[i].kw;
	}
	return SMS_KW_NONE;
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
	case SMS_KW_NONE:
		break;
	}
	return NULL;
}
