/*
 * chorus channel add: configures an SMS channel of a site node.
 *
 * The row is checked before it is written: a known gateway, a name that
 * can be a URL path segment, a Twilio secret only with the public URL it
 * signs, a country Chorus can number, a language it has a catalogue for.
 * The site's phone_key is made here if the file has none, so that the
 * first message already has its sender hashed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto.h"
#include "i18n.h"
#include "sms_channel.h"
#include "sms_phone.h"
#include "store.h"

static const char channel_usage[] =
	"usage: chorus channel add --db FILE --name NAME"
	" --gateway twilio|kannel\n"
	"         [--public-url URL] [--secret SECRET] [--country CC]"
	" [--lang en|es]\n"
	"\n"
	"Adds an SMS channel to the site database FILE.  'chorus sms' then\n"
	"takes its messages at /sms/NAME.\n"
	"\n"
	"  --public-url  the webhook URL exactly as the provider calls it\n"
	"                (Twilio signs it; needed with a Twilio --secret)\n"
	"  --secret      Twilio: the Auth Token; Kannel: a value every\n"
	"                get-url must carry as secret=...\n"
	"  --country     ISO country of numbers written without +CC (GB, US)\n"
	"  --lang        language of the replies (default en)\n";

int sms_channel_name_ok(const char *name, size_t len)
{
	size_t i;

	if (len == 0 || len > SMS_CHANNEL_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' &&
		    name[i] != '_')
			return 0;
	return 1;
}

int sms_channel_gateway_ok(const char *gateway)
{
	return strcmp(gateway, "twilio") == 0 || strcmp(gateway, "kannel") == 0;
}

int sms_phone_key(sqlite3 *db, char *out, size_t outlen)
{
	char hex[65];
	int rc = store_meta_get(db, "phone_key", out, outlen);

	if (rc <= 0)
		return rc;
	if (crypto_random_hex(hex, 32) < 0 ||
	    store_meta_set(db, "phone_key", hex) != SQLITE_OK)
		return -1;
	return store_meta_get(db, "phone_key", out, outlen) == 0 ? 0 : -1;
}

static char *channel_dup(const unsigned char *s)
{
	return s ? strdup((const char *)s) : NULL;
}

static void channel_copy(char *dst, size_t dstlen, const unsigned char *s)
{
	snprintf(dst, dstlen, "%s", s ? (const char *)s : "");
}

void sms_channels_free(struct sms_channel *chs, size_t n)
{
	size_t i;

	for (i = 0; chs != NULL && i < n; i++) {
		free(chs[i].public_url);
		free(chs[i].secret);
	}
	free(chs);
}

int sms_channels_load(sqlite3 *db, struct sms_channel **out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	struct sms_channel *chs = NULL, *grown, *c;
	size_t count = 0;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT name, gateway, public_url, secret,"
			       " country, lang FROM sms_channels ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		grown = realloc(chs, (count + 1) * sizeof(*chs));
		if (grown == NULL)
			break;
		chs = grown;
		c = &chs[count++];
		memset(c, 0, sizeof(*c));
		channel_copy(c->name, sizeof(c->name),
			     sqlite3_column_text(st, 0));
		channel_copy(c->gateway, sizeof(c->gateway),
			     sqlite3_column_text(st, 1));
		c->public_url = channel_dup(sqlite3_column_text(st, 2));
		c->secret = channel_dup(sqlite3_column_text(st, 3));
		channel_copy(c->country, sizeof(c->country),
			     sqlite3_column_text(st, 4));
		channel_copy(c->lang, sizeof(c->lang),
			     sqlite3_column_text(st, 5));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		sms_channels_free(chs, count);
		return -1;
	}
	*out = chs;
	*n = count;
	return 0;
}

/* Checks the flags; prints one line and returns -1 when one is wrong. */
static int channel_check(const char *name, const char *gateway, const char *url,
			 const char *secret, const char *country,
			 const char *lang)
{
	if (!sms_channel_name_ok(name, strlen(name))) {
		cli_fail("channel: name '%s' must be 1 to 32 letters, digits,"
			 " '-' or '_'",
			 name);
		return -1;
	}
	if (!sms_channel_gateway_ok(gateway)) {
		cli_fail("channel: gateway '%s' is not supported yet (this"
			 " build speaks twilio and kannel)",
			 gateway);
		return -1;
	}
	if (strcmp(gateway, "twilio") == 0 && secret != NULL && url == NULL) {
		cli_fail("channel: a Twilio --secret needs --public-url, the"
			 " exact URL Twilio signs");
		return -1;
	}
	if (country != NULL && !sms_phone_country_known(country)) {
		cli_fail("channel: country '%s' is not in the numbering table"
			 " (see docs/sms-gateways.md)",
			 country);
		return -1;
	}
	if (lang != NULL && i18n_lang(lang, strlen(lang)) == NULL) {
		cli_fail("channel: no catalogue for language '%s'", lang);
		return -1;
	}
	return 0;
}

static int channel_insert(sqlite3 *db, const char *name, const char *gateway,
			  const char *url, const char *secret,
			  const char *country, const char *lang)
{
	sqlite3_stmt *st = NULL;
	char cc[3] = "", key[160];
	int rc;

	if (country != NULL) {
		cc[0] = (char)toupper((unsigned char)country[0]);
		cc[1] = (char)toupper((unsigned char)country[1]);
	}
	rc = sqlite3_prepare_v2(db,
				"INSERT INTO sms_channels (name, gateway,"
				" public_url, secret, country, lang,"
				" created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, gateway, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, url, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, secret, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, country ? cc : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, lang, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, store_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	return sms_phone_key(db, key, sizeof(key)) == 0 ? SQLITE_OK
							: SQLITE_ERROR;
}

static int channel_add(int argc, char **argv)
{
	const char *path = NULL, *name = NULL, *gateway = NULL, *url = NULL;
	const char *secret = NULL, *country = NULL, *lang_arg = NULL;
	struct cli_opt opts[] = {
		{"db", &path, 0, 1},	     {"name", &name, 0, 1},
		{"gateway", &gateway, 0, 1}, {"public-url", &url, 0, 0},
		{"secret", &secret, 0, 0},   {"country", &country, 0, 0},
		{"lang", &lang_arg, 0, 0},   {NULL, NULL, 0, 0},
	};
	const char *lang;
	char err[512], role[16];
	sqlite3 *db = NULL;
	int rc, ret = CLI_FAIL;

	rc = cli_parse("channel add", channel_usage, opts, argc, argv);
	if (rc != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	if (channel_check(name, gateway, url, secret, country, lang_arg) < 0)
		return CLI_USAGE;
	lang = lang_arg ? i18n_lang(lang_arg, strlen(lang_arg)) : I18N_DEFAULT;
	if (store_open(path, 0, &db, err, sizeof(err)) < 0) {
		cli_fail("%s", err);
		return CLI_FAIL;
	}
	if (store_role(db, role, sizeof(role)) < 0 ||
	    strcmp(role, "site") != 0) {
		cli_fail("channel: '%s' is not a site database (run 'chorus"
			 " init' first)",
			 path);
		goto done;
	}
	if (store_begin(db) != SQLITE_OK)
		goto fail;
	rc = channel_insert(db, name, gateway, url, secret, country, lang);
	if (rc == SQLITE_CONSTRAINT ||
	    sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_PRIMARYKEY) {
		store_rollback(db);
		cli_fail("channel: a channel called '%s' exists already", name);
		goto done;
	}
	if (rc != SQLITE_OK || store_commit(db) != SQLITE_OK)
		goto fail;
	printf("channel %s: %s webhook at /sms/%s\n", name, gateway, name);
	ret = CLI_OK;
	goto done;

fail:
	cli_fail("channel: cannot write '%s': %s", path, sqlite3_errmsg(db));
	store_rollback(db);
done:
	store_close(db);
	return ret;
}

int channel_cmd(int argc, char **argv)
{
	if (argc >= 1 &&
	    (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		fputs(channel_usage, stdout);
		return CLI_OK;
	}
	if (argc < 1 || strcmp(argv[0], "add") != 0) {
		cli_fail("channel: expected 'chorus channel add ...' (see"
			 " chorus channel --help)");
		return CLI_USAGE;
	}
	return channel_add(argc - 1, argv + 1);
}
