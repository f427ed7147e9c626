/*
 * form: application/x-www-form-urlencoded bodies and query strings.
 *
 * The parser works on pointer and length, keeps every field in the order
 * it arrived (repeated names included), decodes "+" as a space and %XX as
 * the byte it names, and keeps a name with no "=" as a field with an
 * empty value.  Decoded names and values may hold any byte, NUL included:
 * their lengths are the truth.  Each is also followed by a NUL so that a
 * caller that knows its field is text can use it as a C string.
 */
#ifndef CHORUS_FORM_H
#define CHORUS_FORM_H

#include <stddef.h>

struct form_field {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
};

struct form {
	struct form_field *fields;
	size_t count;
	char *arena;
};

/*
 * Parses src[0..len) into f.  A malformed escape ("%G1", "%4") is kept
 * as the literal characters.  Fails with -1 when there are more than
 * max_fields fields or memory runs out; f is then empty.  On success the
 * caller releases f with form_release().
 */
int form_parse(struct form *f, const char *src, size_t len, size_t max_fields);

/* The first field called name, or NULL. */
const struct form_field *form_get(const struct form *f, const char *name);

/* Frees what form_parse() allocated; f is empty afterwards. */
void form_release(struct form *f);

/* Decodes %XX and "+" from src into dst (room for len bytes). */
size_t form_decode(char *dst, const char *src, size_t len);

#endif
