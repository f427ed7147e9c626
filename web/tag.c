/*
 * tag: the normal form of an idea's tags.  See tag.h.
 */
#include "tag.h"

#include <string.h>

#include "store.h"

static int tag_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * The lower case of the character at s[0..len): writes it into out
 * (room for 2 bytes) and returns how many bytes of s it took.
 */
static size_t tag_lower(const char *s, size_t len, char out[2])
{
	unsigned char c = (unsigned char)s[0], d;

	out[0] = s[0];
	if (c >= 'A' && c <= 'Z') {
		out[0] = (char)(c + 32);
		return 1;
	}
	if (c != 0xC3 || len < 2)
		return 1;
	d = (unsigned char)s[1];
	if (d < 0x80 || d > 0xBF)
		return 1; /* not a character: the byte alone */

	/* U+00C0..U+00DE but U+00D7: C3 80..C3 9E but C3 97. */
	out[1] = s[1];
	if (d >= 0x80 && d <= 0x9E && d != 0x97)
		out[1] = (char)(d + 0x20);
	return 2;
}

int tag_norm(const char *s, size_t len, char out[TAG_MAX + 1])
{
	size_t i = 0, n = 0, k;
	char low[2];

	out[0] = '\0';
	while (i < len) {
		if (tag_space(s[i])) {
			while (i < len && tag_space(s[i]))
				i++;
			if (n > 0 && i < len) {
				if (n + 1 > TAG_MAX)
					goto toolong;
				out[n++] = ' ';
			}
			continue;
		}
		k = tag_lower(s + i, len - i, low);
		if (n + k > TAG_MAX)
			goto toolong;
		memcpy(out + n, low, k);
		n += k;
		i += k;
	}
	out[n] = '\0';
	return (int)n;

toolong:
	out[0] = '\0';
	return -1;
}

/* SQL tag_norm(x): x in normal form, or x itself when that would be
 * empty or too long (which no saved tag is). */
static void tag_norm_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	char out[TAG_MAX + 1];
	int n;

	(void)argc;
	n = s != NULL ? tag_norm(s, (size_t)sqlite3_value_bytes(argv[0]), out)
		      : -1;
	if (n <= 0)
		sqlite3_result_value(ctx, argv[0]);
	else
		sqlite3_result_text(ctx, out, n, SQLITE_TRANSIENT);
}

int tag_upgrade(sqlite3 *db)
{
	char done[4];
	int rc;

	if (store_meta_get(db, "tags_norm", done, sizeof(done)) == 0)
		return SQLITE_OK;
	rc = sqlite3_create_function(db, "tag_norm", 1,
				     SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				     tag_norm_sql, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = store_begin(db);
	if (rc != SQLITE_OK)
		return rc;
	rc = store_exec(db, "INSERT OR IGNORE INTO idea_tags (idea, tag)"
			    " SELECT idea, tag_norm(tag) FROM idea_tags"
			    " WHERE tag_norm(tag) <> tag;"
			    "DELETE FROM idea_tags WHERE tag_norm(tag) <> tag");
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "tags_norm", "1");
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	sqlite3_create_function(db, "tag_norm", 1, SQLITE_UTF8, NULL, NULL,
				NULL, NULL);
	return rc;
}
