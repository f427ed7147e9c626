/*
 * sms_keyword: keyword and command matching.  See sms_keyword.h.
 */
#include "sms_keyword.h"

#include <string.h>
#include <strings.h>

struct sms_keyword_word {
	const char *word; /* upper case; UTF-8 beyond ASCII is exact */
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

/* First words of "WORD CODE" commands. */
static const struct sms_keyword_word sms_command_table[] = {
	{"YES", SMS_KW_ENDORSE},       {"+1", SMS_KW_ENDORSE},
	{"SI", SMS_KW_ENDORSE},	       {"S\xC3\x8D", SMS_KW_ENDORSE},
	{"S\xC3\xAD", SMS_KW_ENDORSE}, {"STATUS", SMS_KW_STATUS},
	{"ESTADO", SMS_KW_STATUS},
};

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

static enum sms_keyword sms_lookup(const struct sms_keyword_word *t, size_t n,
				   const char *w, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(t[i].word) == len &&
		    strncasecmp(t[i].word, w, len) == 0)
			return t[i].kw;
	return SMS_KW_NONE;
}

enum sms_keyword sms_keyword_match(const char *text, size_t len)
{
	sms_trim(&text, &len);
	if (len > 0 && (text[len - 1] == '.' || text[len - 1] == '!'))
		len--;
	return sms_lookup(sms_keyword_table,
			  sizeof(sms_keyword_table) /
				  sizeof(sms_keyword_table[0]),
			  text, len);
}

/* True when s[0..len) is a well-formed code; its canonical form in out. */
static int sms_is_code(const char *s, size_t len, char out[CODE_MAX])
{
	return len > 0 && len < 32 && code_parse(s, len, out, NULL, NULL) == 0;
}

void sms_command_parse(const char *text, size_t len, struct sms_command *out)
{
	size_t w;

	memset(out, 0, sizeof(*out));
	out->kw = sms_keyword_match(text, len);
	if (out->kw != SMS_KW_NONE)
		return;
	sms_trim(&text, &len);
	for (w = 0; w < len && !sms_keyword_space(text[w]); w++)
		;

	/* "YES CODE", "STATUS CODE": the rest must be one code. */
	out->kw = sms_lookup(sms_command_table,
			     sizeof(sms_command_table) /
				     sizeof(sms_command_table[0]),
			     text, w);
	if (out->kw != SMS_KW_NONE) {
		if (w < len && sms_is_code(text + w, len - w, out->code))
			return;
		out->kw = SMS_KW_NONE;
		return;
	}

	/* "CODE ?" */
	if (len > 1 && text[len - 1] == '?' &&
	    sms_is_code(text, len - 1, out->code)) {
		out->kw = SMS_KW_STATUS;
		return;
	}

	/* "CODE more text" */
	if (w < len && sms_is_code(text, w, out->code)) {
		out->kw = SMS_KW_ADD;
		out->rest = text + w;
		out->rest_len = len - w;
		sms_trim(&out->rest, &out->rest_len);
		return;
	}
	out->code[0] = '\0';
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
	case SMS_KW_NONE:
		break;
	}
	return NULL;
}
