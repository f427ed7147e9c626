/*
 * chorus init: prepares a site database.
 *
 * A site database knows its site code, the central server's URL and the
 * token the centre issued, and gets two secrets of its own: a device id
 * (random, never derived from the machine, so cloned disks can be told
 * apart once re-initialised) and the key that turns phone numbers into
 * keyed hashes.  Running init again with the same site is harmless and
 * updates the URL and token; a different site is refused.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "code.h"
#include "crypto.h"
#include "store.h"
#include "sync.h"

static const char init_usage[] =
	"usage: chorus init --db FILE --site SITECODE --central URL"
	" --token TOKEN\n"
	"         [--pin sha256//BASE64] [--allow-http] [--admin-pin PIN]\n"
	"\n"
	"Prepares FILE as the database of site SITECODE, which syncs to the\n"
	"central server at URL with TOKEN (both from 'chorus site add').\n"
	"URL must be https:// (checked against the system's CAs, or only\n"
	"against the public key given with --pin); plain http:// is taken\n"
	"for loopback only, unless --allow-http.  --admin-pin sets the PIN\n"
	"of the kiosk's status screen (/admin, from this machine only).\n";

/* Sets meta[key] to a fresh random hex value unless it has one. */
static int init_secret(sqlite3 *db, const char *key, size_t bytes)
{
	char have[160], hex[129];

	if (store_meta_get(db, key, have, sizeof(have)) == 0)
		return SQLITE_OK;
	if (crypto_random_hex(hex, bytes) < 0)
		return SQLITE_ERROR;
	return store_meta_set(db, key, hex);
}

static int init_url_ok(const char *url)
{
	return strncmp(url, "http://", 7) == 0 ||
	       strncmp(url, "https://", 8) == 0;
}

/* The optional settings: pin, allow_http, the admin PIN's hash. */
struct init_extra {
	const char *pin, *allow_http, *admin_pin;
};

static int init_extras(sqlite3 *db, const struct init_extra *x)
{
	char salt[33], hash[CRYPTO_SHA256_HEX], msg[200];
	int rc = SQLITE_OK;

	if (x->pin != NULL)
		rc = store_meta_set(db, "pin", x->pin);
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "allow_http",
				    x->allow_http ? "1" : "0");
	if (rc != SQLITE_OK || x->admin_pin == NULL)
		return rc;
	if (crypto_random_hex(salt, 16) < 0 ||
	    snprintf(msg, sizeof(msg), "%s:%s", salt, x->admin_pin) >=
		    (int)sizeof(msg))
		return SQLITE_ERROR;
	crypto_sha256_hex(msg, strlen(msg), hash);
	rc = store_meta_set(db, "admin_pin_salt", salt);
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "admin_pin_hash", hash);
	return rc;
}

/*
 * Says on standard error what a second init changes, so that pointing a
 * live site at another centre or token is never silent.
 */
static void init_tell_changes(sqlite3 *db, const char *central,
			      const char *token)
{
	char was[512];

	if (store_meta_get(db, "central_url", was, sizeof(was)) == 0 &&
	    strcmp(was, central) != 0)
		fprintf(stderr,
			"chorus: init: this site now syncs to %s (was %s)\n",
			central, was);
	if (store_meta_get(db, "token", was, sizeof(was)) == 0 &&
	    strcmp(was, token) != 0)
		fprintf(stderr, "chorus: init: this site's token is replaced;"
				" the old one is gone\n");
}

/* Writes every setting in one transaction. */
static int init_write(sqlite3 *db, const char *site, const char *central,
		      const char *token, const struct init_extra *x)
{
	char role[16], have[16];
	int rc;

	if (store_begin(db) != SQLITE_OK)
		return -1;
	if (store_role(db, role, sizeof(role)) < 0 ||
	    store_meta_get(db, "site", have, sizeof(have)) < 0)
		goto fail;
	if (role[0] != '\0' && strcmp(role, "site") != 0) {
		cli_fail("init: this is a %s database, not a site's", role);
		goto fail;
	}
	if (have[0] != '\0' && strcmp(have, site) != 0) {
		cli_fail("init: this database belongs to site %s, not %s", have,
			 site);
		goto fail;
	}
	init_tell_changes(db, central, token);
	rc = store_meta_set(db, "role", "site");
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "site", site);
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "central_url", central);
	if (rc == SQLITE_OK && have[0] == '\0')
		rc = store_meta_set(db, "public_url", central);
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "token", token);
	if (rc == SQLITE_OK)
		rc = init_secret(db, "device", 8);
	if (rc == SQLITE_OK)
		rc = init_secret(db, "phone_key", 32);
	if (rc == SQLITE_OK)
		rc = init_extras(db, x);
	if (rc != SQLITE_OK || store_commit(db) != SQLITE_OK) {
		cli_fail("init: cannot write settings: %s", sqlite3_errmsg(db));
		goto fail;
	}
	return 0;

fail:
	store_rollback(db);
	return -1;
}

int init_cmd(int argc, char **argv)
{
	const char *path = NULL, *site_arg = NULL, *central = NULL;
	const char *token = NULL;
	struct init_extra x = {NULL, NULL, NULL};
	struct cli_opt opts[] = {
		{"db", &path, 0, 1},
		{"site", &site_arg, 0, 1},
		{"central", &central, 0, 1},
		{"token", &token, 0, 1},
		{"pin", &x.pin, 0, 0},
		{"allow-http", &x.allow_http, 1, 0},
		{"admin-pin", &x.admin_pin, 0, 0},
		{NULL, NULL, 0, 0},
	};
	char site[CODE_SITE_LEN + 1], err[512];
	sqlite3 *db = NULL;
	int rc;

	rc = cli_parse("init", init_usage, opts, argc, argv);
	if (rc != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	if (strlen(site_arg) == CODE_SITE_LEN) {
		site[0] = (char)toupper((unsigned char)site_arg[0]);
		site[1] = (char)toupper((unsigned char)site_arg[1]);
		site[2] = '\0';
	}
	if (strlen(site_arg) != CODE_SITE_LEN || !code_site_valid(site)) {
		cli_fail("init: '%s' is not a site code (two characters, as"
			 " printed by 'chorus site add')",
			 site_arg);
		return CLI_USAGE;
	}
	if (!init_url_ok(central)) {
		cli_fail("init: --central must be an http:// or https:// URL");
		return CLI_USAGE;
	}
	/* Kept, so a later --allow-http or https:// URL can fix it, but
	 * "chorus sync" will not send the token over it. */
	if (!sync_url_allowed(central, x.allow_http != NULL))
		fprintf(stderr, "init: warning: 'chorus sync' will refuse plain"
				" http:// to another machine; use https://,"
				" or --allow-http on a trusted network\n");
	if (x.pin != NULL &&
	    (strncmp(x.pin, "sha256//", 8) != 0 || strlen(x.pin) > 200)) {
		cli_fail("init: --pin takes sha256//BASE64 (the SHA-256 of"
			 " the centre's public key)");
		return CLI_USAGE;
	}
	if (x.admin_pin != NULL &&
	    (strlen(x.admin_pin) < 4 || strlen(x.admin_pin) > 64)) {
		cli_fail("init: --admin-pin takes 4 to 64 characters");
		return CLI_USAGE;
	}
	if (store_open(path, STORE_CREATE, &db, err, sizeof(err)) < 0) {
		cli_fail("%s", err);
		return CLI_FAIL;
	}
	rc = init_write(db, site, central, token, &x);
	store_close(db);
	return rc == 0 ? CLI_OK : CLI_FAIL;
}
