/*
 * prompts: the question staff ask a site now.
 *
 * The centre publishes prompts in its feed (feed.h, kind "prompt":
 * {"id", "text": {"en": ..., "es": ...}, "starts", "ends"}, times in ms)
 * to the sites it chose; sync keeps them in the site's pulled table.
 * The question a site asks at a time is the newest pulled prompt whose
 * period holds that time, in the reader's language (English when the
 * prompt has no text in it).  Kiosks show it above the text box; the
 * SMS line asks it in its replies (sms_store.h).
 */
#ifndef CHORUS_PROMPTS_H
#define CHORUS_PROMPTS_H

#include <sqlite3.h>
#include <stdint.h>

#include "buf.h"

#define PROMPT_ID_MAX 64 /* bytes of a prompt id: A-Z a-z 0-9 _ - */

/*
 * Looks in the site database db for the prompt to ask at time now, in
 * lang.  Returns 0 and fills id and text (appended) when there is one,
 * 1 when there is none (id and text untouched), -1 on error.
 */
int prompt_now(sqlite3 *db, const char *lang, int64_t now,
	       char id[PROMPT_ID_MAX + 1], struct buf *text);

#endif
