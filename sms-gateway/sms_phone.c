/*
 * sms_phone: sender normalisation.  See sms_phone.h.
 *
 * The numbering table is deliberately small: for each country its
 * calling code, its national trunk prefix (dialled before national
 * numbers and dropped in E.164; none in Spain, Mexico or Italy, whose
 * leading 0 stays) and the length range of its national significant
 * numbers.  A number without "+" is read, in order, as: international
 * with "00" (or "011" in North America); national with the trunk prefix;
 * a national significant number of the right length; else international
 * without its "+".
 */
#include "sms_phone.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

struct sms_country {
	const char *iso;
	const char *cc;
	const char *trunk;
	unsigned nsn_min, nsn_max;
};

static const struct sms_country sms_countries[] = {
	{"GB", "44", "0", 9, 10},  {"IE", "353", "0", 7, 9},
	{"US", "1", "1", 10, 10},  {"CA", "1", "1", 10, 10},
	{"MX", "52", "", 10, 10},  {"ES", "34", "", 9, 9},
	{"PT", "351", "", 9, 9},   {"FR", "33", "0", 9, 9},
	{"DE", "49", "0", 6, 11},  {"IT", "39", "", 6, 11},
	{"BR", "55", "0", 10, 11}, {"AR", "54", "0", 10, 10},
	{"CO", "57", "", 10, 10},  {"PE", "51", "", 9, 9},
	{"CL", "56", "", 9, 9},	   {"KE", "254", "0", 9, 9},
	{"UG", "256", "0", 9, 9},  {"TZ", "255", "0", 9, 9},
	{"RW", "250", "0", 9, 9},  {"NG", "234", "0", 8, 10},
	{"GH", "233", "0", 9, 9},  {"ZA", "27", "0", 9, 9},
	{"IN", "91", "0", 10, 10}, {"PH", "63", "0", 10, 10},
	{"ID", "62", "0", 9, 12},  {"AU", "61", "0", 9, 9},
	{"NZ", "64", "0", 8, 10},
};

#define SMS_DIGITS_MAX 24

static const struct sms_country *sms_country_find(const char *iso)
{
	size_t i, n = sizeof(sms_countries) / sizeof(sms_countries[0]);

	for (i = 0; iso != NULL && i < n; i++)
		if (strcasecmp(sms_countries[i].iso, iso) == 0)
			return &sms_countries[i];
	return NULL;
}

int sms_phone_country_known(const char *country)
{
	return sms_country_find(country) != NULL;
}

const char *sms_phone_kind_name(enum sms_from_kind kind)
{
	switch (kind) {
	case SMS_FROM_E164:
		return "e164";
	case SMS_FROM_SHORTCODE:
		return "shortcode";
	case SMS_FROM_ALPHANUMERIC:
		return "alphanumeric";
	case SMS_FROM_UNKNOWN:
		break;
	}
	return "unknown";
}

static void sms_trim(const char **s, size_t *len)
{
	while (*len > 0 && isspace((unsigned char)(*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* An alphanumeric sender id: letters, digits and spaces, one letter. */
static int sms_alnum_id(const char *s, size_t len, struct sms_sender *out)
{
	size_t i, letters = 0;

	if (len == 0 || len >= sizeof(out->key) || len > 11)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isalpha(c))
			letters++;
		else if (!isdigit(c) && c != ' ' && c != '.' && c != '-')
			return 0;
	}
	if (letters == 0)
		return 0;
	for (i = 0; i < len; i++)
		out->key[i] = (char)toupper((unsigned char)s[i]);
	out->key[len] = '\0';
	out->kind = SMS_FROM_ALPHANUMERIC;
	return 1;
}

/*
 * Collects the digits of s, allowing the separators people write.
 * Returns the count, or -1 for any other byte or too many digits.
 */
static int sms_digits(const char *s, size_t len, char *d)
{
	size_t i;
	int n = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isdigit(c)) {
			if (n >= SMS_DIGITS_MAX)
				return -1;
			d[n++] = (char)c;
		} else if (c != ' ' && c != '-' && c != '.' && c != '(' &&
			   c != ')') {
			return -1;
		}
	}
	d[n] = '\0';
	return n;
}

/* Writes "+" cc digits into out->key if it is a plausible E.164. */
static void sms_e164(const char *cc, const char *d, struct sms_sender *out)
{
	size_t ccl = strlen(cc), dl = strlen(d);

	if (ccl + dl < 7 || ccl + dl > 15 || (ccl == 0 && d[0] == '0'))
		return;
	out->key[0] = '+';
	memcpy(out->key + 1, cc, ccl);
	memcpy(out->key + 1 + ccl, d, dl + 1);
	out->kind = SMS_FROM_E164;
}

/* A number written without "+": see the top of the file. */
static void sms_national(const char *d, const struct sms_country *c,
			 struct sms_sender *out)
{
	size_t n = strlen(d), tl = c ? strlen(c->trunk) : 0;
	int nanp = c != NULL && strcmp(c->cc, "1") == 0;

	if (strncmp(d, "00", 2) == 0)
		sms_e164("", d + 2, out);
	else if (nanp && strncmp(d, "011", 3) == 0)
		sms_e164("", d + 3, out);
	else if (c != NULL && tl > 0 && strncmp(d, c->trunk, tl) == 0 &&
		 n - tl >= c->nsn_min && n - tl <= c->nsn_max)
		sms_e164(c->cc, d + tl, out);
	else if (c != NULL && n >= c->nsn_min && n <= c->nsn_max &&
		 (tl == 0 || strncmp(d, c->trunk, tl) != 0))
		sms_e164(c->cc, d, out);
	else
		sms_e164("", d, out);
}

void sms_phone_normalize(const char *raw, size_t len, const char *country,
			 struct sms_sender *out)
{
	char d[SMS_DIGITS_MAX + 1];
	int plus = 0, n;

	out->kind = SMS_FROM_UNKNOWN;
	out->key[0] = '\0';

	/* A "+" that form decoding turned into a space. */
	if (len >= 2 && raw[0] == ' ' && isdigit((unsigned char)raw[1]))
		plus = 1;
	sms_trim(&raw, &len);
	if (len > 0 && raw[0] == '+') {
		plus = 1;
		raw++;
		len--;
	}
	if (!plus && sms_alnum_id(raw, len, out))
		return;
	n = sms_digits(raw, len, d);
	if (n <= 0)
		return;
	if (plus) {
		sms_e164("", d, out);
	} else if (n <= 6 && n >= 3) {
		memcpy(out->key, d, (size_t)n + 1);
		out->kind = SMS_FROM_SHORTCODE;
	} else {
		sms_national(d, sms_country_find(country), out);
	}
}
