/*
 * channel: the SMS channels of a site node, as rows of sms_channels,
 * and the command that writes them, 'chorus channel add'.
 *
 * The row is checked before it is written: a known gateway, a name that
 * can be a URL path segment, a Twilio secret only with the public URL it
 * signs, a country Chorus can number, a language it has a catalogue for.
 * Secrets and API keys can come from a file (--secret-file,
 * --api-key-file) so that they need not sit in argv or a shell history.
 * A channel with no secret is written, with a warning: anyone who can
 * reach its URL can post as any phone.  The site's phone_key is made here
 * if the file has none, so that the first message already has its sender
 * hashed.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto.h"
#include "i18n.h"
#include "sms_channel.h"
#include "sms_gateway.h"
#include "sms_phone.h"
#include "store.h"

#define CHANNEL_SECRET_MAX 1024 /* bytes of a secret or key from a file */

static const char channel_usage[] =
	"usage: chorus channel add --db FILE --name NAME --gateway GATEWAY\n"
	"         [--public-url URL] [--secret SECRET | --secret-file FILE]\n"
	"         [--country CC] [--lang en|es] [--send-url URL]"
	" [--account ID]\n"
	"         [--api-key KEY | --api-key-file FILE] [--sender FROM]\n"
	"         [--options K=V,K=V] [--replace]\n"
	"\n"
	"Adds an SMS channel to the site database FILE.  'chorus sms' then\n"
	"takes its messages at /sms/NAME.  GATEWAY is one of: twilio,\n"
	"africastalking, vonage, plivo, telerivet, infobip, kannel, smssync,\n"
	"android-sms-gateway, generic (see docs/sms-gateways.md).\n"
	"\n"
	"  --public-url  the webhook URL exactly as the provider calls it\n"
	"                (Twilio and Plivo sign it; needed with their secret)\n"
	"  --secret      the gateway's token, shared secret or signing key;\n"
	"                without one anyone who can reach the URL can post\n"
	"                as any phone\n"
	"  --secret-file read the secret from the first line of FILE (keeps\n"
	"                it out of argv and shell history)\n"
	"  --country     ISO country of numbers written without +CC (GB, US)\n"
	"  --lang        language of the channel: acknowledgements and other\n"
	"                replies, and the language its items are stored in\n"
	"                (default en; a keyword such as AYUDA or HELP is\n"
	"                answered in its own language)\n"
	"  --send-url    where replies are sent (default: the provider's API;\n"
	"                for kannel the sendsms URL makes replies go by API)\n"
	"  --account     send API account (Twilio/Plivo id, AT username,\n"
	"                Vonage api_key, phone gateway user)\n"
	"  --api-key     send API key or password\n"
	"  --api-key-file read the API key from the first line of FILE\n"
	"  --sender      the number or sender id replies come from\n"
	"  --options     gateway settings, e.g. generic field names\n"
	"  --replace     replace the channel called NAME if it exists\n";

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
	return sms_gateway_find(gateway) != NULL;
}

const char *sms_channel_option(const struct sms_channel *ch, const char *key,
			       const char *def, char *out, size_t outlen)
{
	const char *p = ch->options, *end, *eq;
	size_t klen = strlen(key), n;

	snprintf(out, outlen, "%s", def);
	while (p != NULL && *p != '\0') {
		end = p + strcspn(p, ",");
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq != NULL && (size_t)(eq - p) == klen &&
		    memcmp(p, key, klen) == 0) {
			n = (size_t)(end - eq - 1);
			if (n < outlen) {
				memcpy(out, eq + 1, n);
				out[n] = '\0';
			}
			break;
		}
		p = *end ? end + 1 : end;
	}
	return out;
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
		free(chs[i].send_url);
		free(chs[i].account);
		free(chs[i].api_key);
		free(chs[i].sender);
		free(chs[i].options);
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
			       " country, lang, send_url, account, api_key,"
			       " sender, options FROM sms_channels"
			       " ORDER BY name",
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
		c->send_url = channel_dup(sqlite3_column_text(st, 6));
		c->account = channel_dup(sqlite3_column_text(st, 7));
		c->api_key = channel_dup(sqlite3_column_text(st, 8));
		c->sender = channel_dup(sqlite3_column_text(st, 9));
		c->options = channel_dup(sqlite3_column_text(st, 10));
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

/* The flags of 'chorus channel add'; NULL when not given. */
struct channel_args {
	const char *path, *name, *gateway, *url, *secret, *country, *lang;
	const char *send_url, *account, *api_key, *sender, *options;
	const char *secret_file, *api_key_file, *replace;
	char secret_buf[CHANNEL_SECRET_MAX + 2];
	char api_key_buf[CHANNEL_SECRET_MAX + 2];
};

/*
 * Reads the first line of path into out (room for outlen, at least 2),
 * its line end stripped, and points *value at it.  0, or -1 with a line
 * printed: the file cannot be read, its first line is empty or longer
 * than outlen - 2 bytes, or --flag was given too.
 */
static int channel_read_secret(const char *flag, const char *path,
			       const char **value, char *out, size_t outlen)
{
	FILE *f;
	size_t n;
	int ok;

	if (*value != NULL) {
		cli_fail("channel: give --%s or --%s-file, not both", flag,
			 flag);
		return -1;
	}
	f = fopen(path, "r");
	if (f == NULL) {
		cli_fail("channel: cannot read --%s-file '%s': %s", flag, path,
			 strerror(errno));
		return -1;
	}
	ok = fgets(out, (int)outlen, f) != NULL;
	fclose(f);
	n = ok ? strcspn(out, "\r\n") : 0;
	if (!ok || n == 0 || (out[n] == '\0' && n >= outlen - 2)) {
		cli_fail("channel: --%s-file '%s' must hold the value on its"
			 " first line (1 to %d bytes)",
			 flag, path, CHANNEL_SECRET_MAX);
		return -1;
	}
	out[n] = '\0';
	*value = out;
	return 0;
}

/* Reads --secret-file and --api-key-file when given; 0 or -1. */
static int channel_read_files(struct channel_args *a)
{
	if (a->secret_file != NULL &&
	    channel_read_secret("secret", a->secret_file, &a->secret,
				a->secret_buf, sizeof(a->secret_buf)) < 0)
		return -1;
	if (a->api_key_file != NULL &&
	    channel_read_secret("api-key", a->api_key_file, &a->api_key,
				a->api_key_buf, sizeof(a->api_key_buf)) < 0)
		return -1;
	return 0;
}

/* One line on standard error when the channel takes anyone's posts. */
static void channel_warn_open(const struct channel_args *a)
{
	if (a->secret != NULL)
		return;
	fprintf(stderr,
		"chorus: warning: channel %s has no secret: anyone who can"
		" reach /sms/%s can post as any phone; add one with 'chorus"
		" channel add --replace --secret-file FILE' (see"
		" docs/sms-gateways.md)\n",
		a->name, a->name);
}

/* Settings one gateway needs before it can work; -1 with a line printed. */
static int channel_check_gateway(const struct channel_args *a)
{
	const char *g = a->gateway;

	if ((strcmp(g, "twilio") == 0 || strcmp(g, "plivo") == 0) &&
	    a->secret != NULL && a->url == NULL) {
		cli_fail("channel: a %s --secret needs --public-url, the"
			 " exact URL the provider signs",
			 g);
		return -1;
	}
	if (a->options != NULL && strchr(a->options, '=') == NULL) {
		cli_fail("channel: --options takes key=value pairs separated"
			 " by commas");
		return -1;
	}
	if (a->send_url != NULL && strncmp(a->send_url, "http://", 7) != 0 &&
	    strncmp(a->send_url, "https://", 8) != 0) {
		cli_fail("channel: --send-url must be an http or https URL");
		return -1;
	}
	return 0;
}

/* Checks the flags; prints one line and returns -1 when one is wrong. */
static int channel_check(const struct channel_args *a)
{
	if (!sms_channel_name_ok(a->name, strlen(a->name))) {
		cli_fail("channel: name '%s' must be 1 to 32 letters, digits,"
			 " '-' or '_'",
			 a->name);
		return -1;
	}
	if (!sms_channel_gateway_ok(a->gateway)) {
		cli_fail("channel: gateway '%s' is not one of twilio,"
			 " africastalking, vonage, plivo, telerivet, infobip,"
			 " kannel, smssync, android-sms-gateway, generic",
			 a->gateway);
		return -1;
	}
	if (a->country != NULL && !sms_phone_country_known(a->country)) {
		cli_fail("channel: country '%s' is not in the numbering table"
			 " (see docs/sms-gateways.md)",
			 a->country);
		return -1;
	}
	if (a->lang != NULL && i18n_lang(a->lang, strlen(a->lang)) == NULL) {
		cli_fail("channel: no catalogue for language '%s'", a->lang);
		return -1;
	}
	return channel_check_gateway(a);
}

/* Removes the channel called name, if any (for --replace). */
static int channel_delete(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db, "DELETE FROM sms_channels WHERE name = ?",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int channel_insert(sqlite3 *db, const struct channel_args *a,
			  const char *lang)
{
	sqlite3_stmt *st = NULL;
	char cc[3] = "", key[160];
	int rc;

	if (a->replace != NULL) {
		rc = channel_delete(db, a->name);
		if (rc != SQLITE_OK)
			return rc;
	}
	if (a->country != NULL) {
		cc[0] = (char)toupper((unsigned char)a->country[0]);
		cc[1] = (char)toupper((unsigned char)a->country[1]);
	}
	rc = sqlite3_prepare_v2(db,
				"INSERT INTO sms_channels (name, gateway,"
				" public_url, secret, country, lang,"
				" created_at, send_url, account, api_key,"
				" sender, options)"
				" VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, a->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->gateway, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->secret, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, a->country ? cc : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, lang, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, store_now_ms());
	sqlite3_bind_text(st, 8, a->send_url, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, a->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, a->api_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, a->sender, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, a->options, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	return sms_phone_key(db, key, sizeof(key)) == 0 ? SQLITE_OK
							: SQLITE_ERROR;
}

static int channel_add(int argc, char **argv)
{
	struct channel_args a;
	struct cli_opt opts[] = {
		{"db", &a.path, 0, 1},
		{"name", &a.name, 0, 1},
		{"gateway", &a.gateway, 0, 1},
		{"public-url", &a.url, 0, 0},
		{"secret", &a.secret, 0, 0},
		{"secret-file", &a.secret_file, 0, 0},
		{"country", &a.country, 0, 0},
		{"lang", &a.lang, 0, 0},
		{"send-url", &a.send_url, 0, 0},
		{"account", &a.account, 0, 0},
		{"api-key", &a.api_key, 0, 0},
		{"api-key-file", &a.api_key_file, 0, 0},
		{"sender", &a.sender, 0, 0},
		{"options", &a.options, 0, 0},
		{"replace", &a.replace, 1, 0},
		{NULL, NULL, 0, 0},
	};
	const char *lang;
	char err[512], role[16];
	sqlite3 *db = NULL;
	int rc, ret = CLI_FAIL;

	memset(&a, 0, sizeof(a));
	rc = cli_parse("channel add", channel_usage, opts, argc, argv);
	if (rc != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	if (channel_read_files(&a) < 0 || channel_check(&a) < 0)
		return CLI_USAGE;
	lang = a.lang ? i18n_lang(a.lang, strlen(a.lang)) : I18N_DEFAULT;
	if (store_open(a.path, 0, &db, err, sizeof(err)) < 0) {
		cli_fail("%s", err);
		return CLI_FAIL;
	}
	if (store_role(db, role, sizeof(role)) < 0 ||
	    strcmp(role, "site") != 0) {
		cli_fail("channel: '%s' is not a site database (run 'chorus"
			 " init' first)",
			 a.path);
		goto done;
	}
	if (store_begin(db) != SQLITE_OK)
		goto fail;
	rc = channel_insert(db, &a, lang);
	if (rc == SQLITE_CONSTRAINT ||
	    sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_PRIMARYKEY) {
		store_rollback(db);
		cli_fail("channel: a channel called '%s' exists already"
			 " (--replace replaces it)",
			 a.name);
		goto done;
	}
	if (rc != SQLITE_OK || store_commit(db) != SQLITE_OK)
		goto fail;
	printf("channel %s: %s webhook at /sms/%s\n", a.name, a.gateway,
	       a.name);
	channel_warn_open(&a);
	ret = CLI_OK;
	goto done;

fail:
	cli_fail("channel: cannot write '%s': %s", a.path, sqlite3_errmsg(db));
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
