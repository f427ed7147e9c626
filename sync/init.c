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

static const char init_usage[] =
	"usage: chorus init --db FILE --site SITECODE --central URL"
	" --token TOKEN\n"
	"\n"
	"Prepares FILE as the database of site SITECODE, which syncs to the\n"
	"central server at URL with TOKEN (both from 'chorus site add').\n";

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

/* Writes every setting in one transaction. */
static int init_write(sqlite3 *db, const char *site, const char *central,
		      const char *token)
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
	struct cli_opt opts[] = {
		{"db", &path, 0, 1},	     {"site", &site_arg, 0, 1},
		{"central", &central, 0, 1}, {"token", &token, 0, 1},
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
	if (store_open(path, STORE_CREATE, &db, err, sizeof(err)) < 0) {
		cli_fail("%s", err);
		return CLI_FAIL;
	}
	rc = init_write(db, site, central, token);
	store_close(db);
	return rc == 0 ? CLI_OK : CLI_FAIL;
}
