/*
 * prompt: the kiosk's question.  See prompt.h.
 */
#include "prompt.h"

#include "prompts.h"
#include "store.h"

int kiosk_prompt_now(const char *path, const char *lang, int64_t now,
		     char id[KIOSK_PROMPT_MAX + 1], struct buf *text)
{
	sqlite3 *db = NULL;
	char err[256];
	int ret;

	if (store_open(path, STORE_READONLY, &db, err, sizeof(err)) < 0)
		return -1;
	ret = prompt_now(db, lang, now, id, text);
	store_close(db);
	return ret;
}
