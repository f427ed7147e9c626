/*
 * sms_keyword: the words that change what Chorus does with a sender.
 *
 * A keyword is a whole message: after trimming surrounding white space
 * (and a final full stop or exclamation mark), the text must equal one
 * entry of the table in sms_keyword.c, compared without case.  "STOP" is
 * a keyword; "stop texting me the bus times" is an idea.  The table holds
 * English and Spanish words and is the one place to add more (see
 * docs/sms-keywords.md).
 */
#ifndef CHORUS_SMS_KEYWORD_H
#define CHORUS_SMS_KEYWORD_H

#include <stddef.h>

enum sms_keyword {
	SMS_KW_NONE,
	SMS_KW_STOP,  /* opt out: no more replies of any kind */
	SMS_KW_START, /* opt back in */
	SMS_KW_HELP,  /* fixed reply: the service and how to stop */
};

/* The keyword that text[0..len) is, or SMS_KW_NONE. */
enum sms_keyword sms_keyword_match(const char *text, size_t len);

/* "stop", "start", "help", or NULL for SMS_KW_NONE. */
const char *sms_keyword_name(enum sms_keyword kw);

#endif
