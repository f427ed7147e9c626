/*
 * Fuzzes the JSON intake the kiosk API uses: jansson's json_loadb() with
 * JSON_REJECT_DUPLICATES on arbitrary bytes, then the checks a handler
 * makes on {"text", "role", "lang"}.
 *
 * Invariants: every string jansson hands back is valid UTF-8 with no NUL
 * (JSON_ALLOW_NUL is off, so utf8_valid() holds and strlen() is its
 * length); an accepted document dumps and reloads to an equal value; the
 * role and language lookups only ever answer with a known value.
 */
#include "fuzz.h"

#include <jansson.h>

#include "i18n.h"
#include "item.h"
#include "utf8.h"

#define FUZZ_JSON_FLAGS JSON_REJECT_DUPLICATES

static void walk(json_t *j, int depth)
{
	const char *key, *s;
	json_t *v;
	size_t i, n;

	fuzz_check(depth <= 2048);
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		json_object_foreach(j, key, v)
		{
			fuzz_check(utf8_valid(key, strlen(key)));
			walk(v, depth + 1);
		}
		break;
	case JSON_ARRAY:
		json_array_foreach(j, i, v) walk(v, depth + 1);
		break;
	case JSON_STRING:
		s = json_string_value(j);
		n = json_string_length(j);
		fuzz_check(strlen(s) == n);
		fuzz_check(utf8_valid(s, n));
		break;
	default:
		break;
	}
}

/* What the kiosk handler does with an accepted object. */
static void intake_fields(json_t *j)
{
	json_t *role = json_object_get(j, "role");
	json_t *lang = json_object_get(j, "lang");
	const char *r, *l;

	if (json_is_string(role)) {
		r = item_role(json_string_value(role),
			      json_string_length(role));
		fuzz_check(r == NULL || item_role(r, strlen(r)) == r);
	}
	if (json_is_string(lang)) {
		l = i18n_lang(json_string_value(lang),
			      json_string_length(lang));
		fuzz_check(l == NULL || i18n_lang(l, strlen(l)) == l);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t error;
	json_t *j, *again;
	char *dump;

	j = json_loadb((const char *)data, size, FUZZ_JSON_FLAGS, &error);
	if (j == NULL)
		return 0;
	fuzz_check(json_is_object(j) || json_is_array(j));
	walk(j, 0);
	if (json_is_object(j))
		intake_fields(j);

	dump = json_dumps(j, JSON_COMPACT);
	if (dump != NULL) {
		again = json_loads(dump, FUZZ_JSON_FLAGS, &error);
		fuzz_check(again != NULL);
		fuzz_check(json_equal(j, again));
		json_decref(again);
		free(dump);
	}
	json_decref(j);
	return 0;
}
