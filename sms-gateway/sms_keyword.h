/*
 * sms_keyword: the words that change what Chorus does with a message.
 *
 * A keyword is a whole message: after trimming surrounding white space
 * (and a final full stop or exclamation mark), the text must equal one
 * entry of the word table in sms_keyword.c, compared without case.
 * "STOP" is a keyword; "stop texting me the bus times" is an idea.
 *
 * Commands about an item carry its code, read with code_parse() (any
 * case, spaces and dashes ignored, O read as 0, I and L as 1):
 *
 *   YES CODE, +1 CODE      endorse the item or idea (SI, SÍ in Spanish)
 *   STATUS CODE, CODE ?    ask for its status (ESTADO in Spanish)
 *   CODE                   the code alone: the same status question
 *   CODE more text         a new item that adds to CODE
 *   FOLLOW CODE            news by SMS when CODE's idea gets a notice
 *                          (SEGUIR in Spanish); FOLLOW alone is a
 *                          whole-message keyword: the sender's latest
 *                          item on the channel (code left "")
 *
 * A code must be written as people write one: in one piece, or with the
 * site, the number and the check apart ("QT 0002 G", "QT-0002-G"), so
 * that a sentence whose letters happen to pass the check ("sms idea
 * 1234") stays an idea.  A code alone must also hold at least one decimal
 * digit, so that a short idea such as "more trees" stays an idea.
 * STATUS, ESTADO and "... ?" followed by something shaped like a code
 * (see sms_code_shaped()) that fails its check are still status
 * questions, with code_bad set, so the sender hears that the code is
 * wrong instead of getting a new item.
 *
 * Every word has a language ("en", "es", or none for words such as INFO
 * and +1 that both use); the reply goes in that language, whatever the
 * channel's, but for a status answer, where only a word that is not
 * English decides (sms_store.h).  The tables hold English and Spanish
 * words and are the one place to add more (see docs/sms-keywords.md).
 * Anything else is a new item.
 */
#ifndef CHORUS_SMS_KEYWORD_H
#define CHORUS_SMS_KEYWORD_H

#include <stddef.h>

#include "code.h"

enum sms_keyword {
	SMS_KW_NONE,
	SMS_KW_STOP,	/* opt out: no more replies of any kind */
	SMS_KW_START,	/* opt back in */
	SMS_KW_HELP,	/* fixed reply: the service and how to stop */
	SMS_KW_ENDORSE, /* one endorsement of code per phone */
	SMS_KW_STATUS,	/* the status of code */
	SMS_KW_ADD,	/* a new item whose parent is code */
	SMS_KW_FOLLOW,	/* news about code ("": the latest item) by SMS */
};

struct sms_command {
	enum sms_keyword kw;
	char code[CODE_MAX]; /* canonical; "" for STOP, START, HELP, NONE
				and FOLLOW alone */
	int code_bad;	     /* STATUS: shaped like a code, check failed */
	const char *lang;    /* the word's language, NULL: the channel's */
	const char *rest;    /* ADD: the text after the code */
	size_t rest_len;
};

/* The whole-message keyword that text[0..len) is, or SMS_KW_NONE. */
enum sms_keyword sms_keyword_match(const char *text, size_t len);

/*
 * True when s[0..len) looks like a code someone meant to type: one to
 * three groups split by spaces, 7 to 15 ASCII letters and digits once
 * spaces and dashes are gone, a letter first and at least two digits.
 * Its check character may be wrong.
 */
int sms_code_shaped(const char *s, size_t len);

/* Reads text[0..len) as a keyword or a command; always fills *out. */
void sms_command_parse(const char *text, size_t len, struct sms_command *out);

/*
 * "stop", "start", "help", "endorse", "status", "add", "follow", or
 * NULL.
 */
const char *sms_keyword_name(enum sms_keyword kw);

#endif
