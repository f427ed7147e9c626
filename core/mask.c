/*
 * mask: phone numbers and e-mail addresses in text.  See mask.h.
 */
#include "mask.h"

#include <string.h>

/* Letters and digits of ASCII: what makes a word boundary. */
static int mask_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static int mask_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int mask_sep(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

static int mask_mailchar(char c)
{
	return mask_alnum(c) || (unsigned char)c >= 0x80 || c == '.' ||
	       c == '_' || c == '%' || c == '+' || c == '-';
}

/* True when s[a..b) reads YYYY-MM-DD. */
static int mask_is_date(const char *s, size_t a, size_t b)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	if (b - a != sizeof(shape) - 1)
		return 0;
	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? !mask_digit(s[a + i]) : s[a + i] != '-')
			return 0;
	return 1;
}

/*
 * The end of a phone number starting at i, or i when there is none.
 * Separators may come two in a row at most ("555) 0100", "+1 (500)").
 */
static size_t mask_phone_at(const char *s, size_t len, size_t i)
{
	size_t j = i, end = i, digits = 0, seps = 0, run = 0;

	if (s[j] == '+')
		j++;
	for (; j < len; j++) {
		if (mask_digit(s[j])) {
			/* Only separators between digits count. */
			seps += run > 0 && digits > 0;
			digits++;
			run = 0;
			end = j + 1;
		} else if (mask_sep(s[j]) && run < 2) {
			run++;
		} else {
			break;
		}
	}
	/* A closing parenthesis belongs to the number: "(555) 0100". */
	while (end < len && s[end] == ')')
		end++;
	if (end < len && mask_alnum(s[end]))
		return i;
	if (digits >= 8 || (digits >= 7 && seps > 0))
		return mask_is_date(s, i, end) ? i : end;
	return i;
}

/* The span of an e-mail address around the "@" at at, if any. */
static int mask_email_at(const char *s, size_t len, size_t at, size_t *a,
			 size_t *b)
{
	size_t i = at, j = at + 1, dot = 0;

	while (i > 0 && mask_mailchar(s[i - 1]))
		i--;
	while (j < len && (mask_alnum(s[j]) || s[j] == '.' || s[j] == '-')) {
		if (s[j] == '.' && j > at + 1 && j + 1 < len &&
		    mask_alnum(s[j + 1]))
			dot = j;
		j++;
	}
	while (j > at + 1 && s[j - 1] == '.')
		j--;
	if (i == at || dot == 0 || dot >= j)
		return 0;
	*a = i;
	*b = j;
	return 1;
}

enum mask_kind mask_next(const char *s, size_t len, size_t from, size_t *start,
			 size_t *end)
{
	size_t i, e, a, b;

	for (i = from; i < len; i++) {
		if (s[i] == '@' && mask_email_at(s, len, i, &a, &b) &&
		    a >= from) {
			*start = a;
			*end = b;
			return MASK_EMAIL;
		}
		if (!(mask_digit(s[i]) || s[i] == '+' || s[i] == '('))
			continue;
		if (i > 0 && (mask_alnum(s[i - 1]) || s[i - 1] == '+'))
			continue;
		e = mask_phone_at(s, len, i);
		if (e > i) {
			*start = i;
			*end = e;
			return MASK_PHONE;
		}
	}
	return MASK_NONE;
}
