/*
 * prompt: the question staff ask this site's kiosks now.
 *
 * The centre publishes prompts in its feed (core/feed.h, kind "prompt":
 * {"id", "text": {"en": ..., "es": ...}, "starts", "ends"}, times in ms);
 * sync keeps them in the site's pulled table.  The kiosk asks the newest
 * one whose period holds now, in the person's language (English when the
 * prompt has no text in it).  Without one, the kiosk asks its own
 * general question.
 */
#ifndef CHORUS_KIOSK_PROMPT_H
#define CHORUS_KIOSK_PROMPT_H

#include <stdint.h>

#include "buf.h"
#include "intake_parse.h"

/*
 * Looks in the site database at path for the prompt to ask at time now.
 * Returns 0 and fills id and text when there is one, 1 when there is
 * none (id and text untouched), -1 on error.
 */
int kiosk_prompt_now(const char *path, const char *lang, int64_t now,
		     char id[KIOSK_PROMPT_MAX + 1], struct buf *text);

#endif
