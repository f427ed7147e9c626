/*
 * chorus site add: registers a site with the central server.
 *
 * A site gets a two-character code, unused so far, and a token made of
 * 32 random bytes.  The token is printed once and never stored: the
 * database keeps only its SHA-256, which is what the sync endpoint
 * compares against.  Losing the token means adding the site again.
 * Each change is written to the audit table, with no staff member: it
 * was made on the server's command line.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "code.h"
#include "crypto.h"
#include "cycle.h"
#include "store.h"
#include "utf8.h"

#define SITE_TOKEN_BYTES 32
#define SITE_TRIES 200

static const char site_usage[] =
	"usage: chorus site add --db FILE --name NAME [--cluster NAME]\n"
	"       chorus site rotate --db FILE --site SITECODE\n"
	"       chorus site revoke --db FILE --site SITECODE\n"
	"\n"
	"add registers a site in the central database FILE (made if\n"
	"missing) and prints one line: SITECODE TOKEN.  Give both to\n"
	"'chorus init' on the site's node.  The token is shown only this\n"
	"once.  rotate gives the site a new token (printed the same way)\n"
	"and the old one stops working at once; revoke refuses the site's\n"
	"token from now on, until a rotate.\n";

/* 1 when code is taken, 0 when free, -1 on error. */
static int site_taken(sqlite3 *db, const char *code)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sites WHERE code = ?", -1,
			       &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Picks a random code nobody has, inside the caller's transaction. */
static int site_pick(sqlite3 *db, char code[CODE_SITE_LEN + 1])
{
	uint32_t r;
	int i, taken;

	for (i = 0; i < SITE_TRIES; i++) {
		if (crypto_random(&r, sizeof(r)) < 0)
			return -1;
		code_make_site(code, r);
		if (!code_site_valid(code))
			continue;
		taken = site_taken(db, code);
		if (taken <= 0)
			return taken;
	}
	return -1;
}

static int site_insert(sqlite3 *db, const char *code, const char *name,
		       const char *cluster, const char *hash)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(
		db,
		"INSERT INTO sites (code, name, cluster,"
		" token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (cluster != NULL)
		sqlite3_bind_text(st, 3, cluster, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, store_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Registers the site in one transaction; code and token on success. */
static int site_register(sqlite3 *db, const char *path, const char *name,
			 const char *cluster, char code[CODE_SITE_LEN + 1],
			 char token[2 * SITE_TOKEN_BYTES + 1])
{
	char role[16], hash[CRYPTO_SHA256_HEX];
	int rc;

	if (store_begin(db) != SQLITE_OK)
		goto fail;
	if (store_role(db, role, sizeof(role)) < 0)
		goto fail;
	if (role[0] != '\0' && strcmp(role, "central") != 0) {
		cli_fail("site: '%s' is a %s database, not the central one",
			 path, role);
		store_rollback(db);
		return -1;
	}
	if (site_pick(db, code) < 0) {
		cli_fail("site: no free site code left");
		store_rollback(db);
		return -1;
	}
	if (crypto_random_hex(token, SITE_TOKEN_BYTES) < 0)
		goto fail;
	crypto_sha256_hex(token, strlen(token), hash);
	rc = store_meta_set(db, "role", "central");
	if (rc == SQLITE_OK)
		rc = site_insert(db, code, name, cluster, hash);
	if (rc == SQLITE_OK)
		rc = cycle_audit(db, 0, "site.add", code, name);
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		goto fail;
	return 0;

fail:
	cli_fail("site: cannot register in '%s': %s", path, sqlite3_errmsg(db));
	store_rollback(db);
	return -1;
}

static int site_add(int argc, char **argv)
{
	const char *path = NULL, *name = NULL, *cluster = NULL;
	struct cli_opt opts[] = {
		{"db", &path, 0, 1},
		{"name", &name, 0, 1},
		{"cluster", &cluster, 0, 0},
		{NULL, NULL, 0, 0},
	};
	char code[CODE_SITE_LEN + 1], token[2 * SITE_TOKEN_BYTES + 1];
	char err[512];
	sqlite3 *db = NULL;
	int rc;

	rc = cli_parse("site add", site_usage, opts, argc, argv);
	if (rc != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	if (strlen(name) > 200 || !utf8_valid(name, strlen(name)) ||
	    (cluster && (strlen(cluster) > 200 ||
			 !utf8_valid(cluster, strlen(cluster))))) {
		cli_fail("site add: names must be UTF-8 of at most 200 bytes");
		return CLI_USAGE;
	}
	if (store_open(path, STORE_CREATE, &db, err, sizeof(err)) < 0) {
		cli_fail("site add: %s", err);
		return CLI_FAIL;
	}
	rc = site_register(db, path, name, cluster, code, token);
	store_close(db);
	if (rc < 0)
		return CLI_FAIL;
	printf("%s %s\n", code, token);
	return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}

/*
 * Sets a new token hash (rotate) or revokes, for one existing site, with
 * its audit row.  0, 1 when there is no such site, or -1.
 */
static int site_change(sqlite3 *db, const char *code, const char *hash)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				hash ? "UPDATE sites SET token_hash = ?2,"
				       " revoked_at = NULL WHERE code = ?1"
				     : "UPDATE sites SET revoked_at = ?3"
				       " WHERE code = ?1",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (hash)
		sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 3, store_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(db) != 1)
		return 1;
	return cycle_audit(db, 0, hash ? "site.rotate" : "site.revoke", code,
			   NULL) == SQLITE_OK
		       ? 0
		       : -1;
}

/* chorus site rotate / revoke. */
static int site_token_cmd(int argc, char **argv, int rotate)
{
	const char *path = NULL, *code = NULL;
	struct cli_opt opts[] = {
		{"db", &path, 0, 1},
		{"site", &code, 0, 1},
		{NULL, NULL, 0, 0},
	};
	char token[2 * SITE_TOKEN_BYTES + 1], hash[CRYPTO_SHA256_HEX];
	char err[512];
	sqlite3 *db = NULL;
	int rc;

	rc = cli_parse(rotate ? "site rotate" : "site revoke", site_usage, opts,
		       argc, argv);
	if (rc != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	if (store_open(path, 0, &db, err, sizeof(err)) < 0) {
		cli_fail("site: %s", err);
		return CLI_FAIL;
	}
	if (rotate && crypto_random_hex(token, SITE_TOKEN_BYTES) < 0) {
		store_close(db);
		return CLI_FAIL;
	}
	if (rotate)
		crypto_sha256_hex(token, strlen(token), hash);
	rc = store_begin(db) == SQLITE_OK
		     ? site_change(db, code, rotate ? hash : NULL)
		     : -1;
	if (rc == 0 && store_commit(db) != SQLITE_OK)
		rc = -1;
	if (rc != 0)
		store_rollback(db);
	if (rc < 0)
		cli_fail("site: cannot change '%s': %s", path,
			 sqlite3_errmsg(db));
	else if (rc > 0)
		cli_fail("site: no site '%s' in '%s'", code, path);
	store_close(db);
	if (rc != 0)
		return CLI_FAIL;
	if (rotate)
		printf("%s %s\n", code, token);
	return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}

int site_cmd(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "add") == 0)
		return site_add(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "rotate") == 0)
		return site_token_cmd(argc - 1, argv + 1, 1);
	if (argc >= 1 && strcmp(argv[0], "revoke") == 0)
		return site_token_cmd(argc - 1, argv + 1, 0);
	if (argc >= 1 &&
	    (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		fputs(site_usage, stdout);
		return CLI_OK;
	}
	cli_fail("site: expected 'site add', 'site rotate' or 'site revoke'"
		 " (see chorus site --help)");
	return CLI_USAGE;
}
