/*
 * tag: an idea's themes ("library", "árboles"), written one way.
 *
 * Staff save tags as a comma-separated list on an idea's page and find
 * ideas by one on /staff/ideas?tag=.  Both go through tag_norm(), so
 * "GREEN", " Green " and "green" are one tag, and so are "Árboles" and
 * "árboles".  The normal form:
 *  - drops white space at either end and makes each run inside one
 *    space;
 *  - lower-cases ASCII A-Z and the capitals of Latin-1, U+00C0..U+00DE
 *    but U+00D7 (the multiplication sign), which in UTF-8 are C3 80..C3
 *    9E and become C3 A0..C3 BE;
 *  - keeps every other byte as it is (other scripts keep their case).
 * Lower-casing keeps the length in bytes, so a tag never grows.
 *
 * Invariant: every row of idea_tags holds a tag in normal form, of 1 to
 * TAG_MAX bytes.  Tags saved before this rule (by SQLite's lower(), ASCII
 * only) are rewritten once by tag_upgrade().
 */
#ifndef CHORUS_WEB_TAG_H
#define CHORUS_WEB_TAG_H

#include <sqlite3.h>
#include <stddef.h>

#define TAG_MAX 40  /* bytes of one tag */
#define TAGS_MAX 20 /* tags of one idea */

/*
 * Writes the normal form of s[0..len) into out, NUL-ended, and returns
 * its length in bytes: 0 when s holds only white space.  Returns -1 when
 * the normal form is longer than TAG_MAX bytes; out is then "".
 */
int tag_norm(const char *s, size_t len, char out[TAG_MAX + 1]);

/*
 * Rewrites, once in the life of a central database, every tag that is
 * not in normal form (merging it with the normal one when the idea has
 * both).  Its own transaction; marks meta "tags_norm" when done and does
 * nothing after that.  SQLite code.
 */
int tag_upgrade(sqlite3 *db);

#endif
