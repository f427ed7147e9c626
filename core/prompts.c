/*
 * prompt: finding the question to ask.  See prompts.h.
 */
#include "prompts.h"

#include <jansson.h>
#include <string.h>

/* True when o is a prompt whose period holds now. */
static int prompt_open(json_t *o, int64_t now)
{
	json_t *s = json_object_get(o, "starts");
	json_t *e = json_object_get(o, "ends");

	if (json_is_integer(s) && json_integer_value(s) > now)
		return 0;
	if (json_is_integer(e) && json_integer_value(e) <= now)
		return 0;
	return 1;
}

/* Takes o's id and its text in lang (else English); 0 or 1. */
static int prompt_take(json_t *o, const char *lang, char id[PROMPT_ID_MAX + 1],
		       struct buf *text)
{
	const char *i = json_string_value(json_object_get(o, "id"));
	json_t *t = json_object_get(o, "text");
	const char *s = json_string_value(json_object_get(t, lang));

	if (s == NULL || s[0] == '\0')
		s = json_string_value(json_object_get(t, "en"));
	if (i == NULL || s == NULL || s[0] == '\0' || strlen(i) > PROMPT_ID_MAX)
		return 1;
	if (buf_puts(text, s) < 0)
		return 1;
	memcpy(id, i, strlen(i) + 1);
	return 0;
}

int prompt_now(sqlite3 *db, const char *lang, int64_t now,
	       char id[PROMPT_ID_MAX + 1], struct buf *text)
{
	sqlite3_stmt *st = NULL;
	json_t *o;
	int ret = 1;

	if (sqlite3_prepare_v2(db,
			       "SELECT data FROM pulled WHERE kind = 'prompt'"
			       " ORDER BY seq DESC LIMIT 50",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	while (ret == 1 && sqlite3_step(st) == SQLITE_ROW) {
		o = json_loadb((const char *)sqlite3_column_text(st, 0),
			       (size_t)sqlite3_column_bytes(st, 0), 0, NULL);
		if (json_is_object(o) && prompt_open(o, now))
			ret = prompt_take(o, lang, id, text);
		json_decref(o);
	}
	sqlite3_finalize(st);
	return ret;
}
