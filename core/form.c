/*
 * form: urlencoded parsing.  See form.h.
 */
#include "form.h"

#include <stdlib.h>
#include <string.h>

static int form_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t form_decode(char *dst, const char *src, size_t len)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (src[i] == '+') {
			dst[o++] = ' ';
			continue;
		}
		if (src[i] == '%' && len - i > 2) {
			hi = form_hex(src[i + 1]);
			lo = form_hex(src[i + 2]);
			if (hi >= 0 && lo >= 0) {
				dst[o++] = (char)(hi << 4 | lo);
				i += 2;
				continue;
			}
		}
		dst[o++] = src[i];
	}
	return o;
}

/* Counts the '&'-separated pieces that are not empty. */
static size_t form_count(const char *src, size_t len)
{
	size_t i, n = 0, start = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && src[i] != '&')
			continue;
		if (i > start)
			n++;
		start = i + 1;
	}
	return n;
}

int form_parse(struct form *f, const char *src, size_t len, size_t max_fields)
{
	size_t n, i, start = 0, k = 0, o = 0;

	f->fields = NULL;
	f->count = 0;
	f->arena = NULL;
	n = form_count(src, len);
	if (n > max_fields)
		return -1;
	f->fields = calloc(n ? n : 1, sizeof(*f->fields));
	/* Decoded text is never longer; each name and value gets a NUL. */
	f->arena = malloc(len + 2 * n + 1);
	if (f->fields == NULL || f->arena == NULL)
		goto fail;

	for (i = 0; i <= len; i++) {
		const char *piece, *eq;
		size_t plen, nlen;

		if (i < len && src[i] != '&')
			continue;
		piece = src + start;
		plen = i - start;
		start = i + 1;
		if (plen == 0)
			continue;

		eq = memchr(piece, '=', plen);
		nlen = eq ? (size_t)(eq - piece) : plen;
		f->fields[k].name = f->arena + o;
		f->fields[k].name_len = form_decode(f->arena + o, piece, nlen);
		o += f->fields[k].name_len;
		f->arena[o++] = '\0';

		f->fields[k].value = f->arena + o;
		f->fields[k].value_len =
			eq ? form_decode(f->arena + o, eq + 1, plen - nlen - 1)
			   : 0;
		o += f->fields[k].value_len;
		f->arena[o++] = '\0';
		k++;
	}
	f->count = k;
	return 0;

fail:
	form_release(f);
	return -1;
}

const struct form_field *form_get(const struct form *f, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < f->count; i++)
		if (f->fields[i].name_len == n &&
		    memcmp(f->fields[i].name, name, n) == 0)
			return &f->fields[i];
	return NULL;
}

void form_release(struct form *f)
{
	free(f->fields);
	free(f->arena);
	f->fields = NULL;
	f->arena = NULL;
	f->count = 0;
}
