/*
 * Fuzzes form_parse(): urlencoded bodies and query strings.
 *
 * Invariants: every field's name and value lie inside the arena, end
 * with a NUL, are no longer than the input, and the field count never
 * passes the limit; form_get() finds the first field of each name.
 */
#include "fuzz.h"

#include "form.h"

#define FUZZ_MAX_FIELDS 32

static void check_field(const struct form *f, size_t i, size_t size)
{
	const struct form_field *ff = &f->fields[i];

	fuzz_check(ff->name_len <= size && ff->value_len <= size);
	fuzz_check(ff->name[ff->name_len] == '\0');
	fuzz_check(ff->value[ff->value_len] == '\0');
	fuzz_check(ff->name >= f->arena && ff->value > ff->name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form f;
	const struct form_field *first;
	size_t i;

	if (form_parse(&f, (const char *)data, size, FUZZ_MAX_FIELDS) < 0) {
		fuzz_check(f.count == 0 && f.fields == NULL);
		return 0;
	}
	fuzz_check(f.count <= FUZZ_MAX_FIELDS);
	for (i = 0; i < f.count; i++) {
		check_field(&f, i, size);

		/* Names with a NUL cannot be asked for by a C string. */
		if (strlen(f.fields[i].name) != f.fields[i].name_len)
			continue;
		first = form_get(&f, f.fields[i].name);
		fuzz_check(first != NULL && first <= &f.fields[i]);
	}
	form_release(&f);
	return 0;
}
