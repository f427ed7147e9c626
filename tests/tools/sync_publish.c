/*
 * sync_publish: changes the central feed, as the staff pages will.
 *
 *   sync_publish DB publish KIND KEY SCOPE JSON   (SCOPE "-" for all)
 *   sync_publish DB delete KIND KEY SCOPE
 *   sync_publish DB many N SCOPE                  (N notices n1..nN)
 *   sync_publish DB status CODE STATUS            (web_item_status)
 *
 * Each command runs in one transaction and exits 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "store.h"
#include "web.h"

static const char *scope_arg(const char *s)
{
	return strcmp(s, "-") == 0 ? NULL : s;
}

static int publish_many(sqlite3 *db, long n, const char *scope)
{
	char key[32];
	json_t *d;
	long i;
	int rc = store_begin(db);

	for (i = 1; rc == SQLITE_OK && i <= n; i++) {
		snprintf(key, sizeof(key), "n%ld", i);
		d = json_pack("{s:s, s:s, s:s}", "id", key, "title", key,
			      "body", "a notice for the test");
		rc = d ? feed_publish(db, "notice", key, scope, d)
		       : SQLITE_NOMEM;
		json_decref(d);
	}
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	return rc;
}

static int publish_one(sqlite3 *db, char **argv, int del)
{
	json_t *d = NULL;
	int rc;

	if (!del && (d = json_loads(argv[5], 0, NULL)) == NULL)
		return SQLITE_MISUSE;
	rc = store_begin(db);
	if (rc == SQLITE_OK)
		rc = del ? feed_delete(db, argv[2], argv[3], scope_arg(argv[4]))
			 : feed_publish(db, argv[2], argv[3],
					scope_arg(argv[4]), d);
	json_decref(d);
	if (rc == SQLITE_OK)
		rc = store_commit(db);
	if (rc != SQLITE_OK)
		store_rollback(db);
	return rc;
}

int main(int argc, char **argv)
{
	char err[512];
	sqlite3 *db = NULL;
	int rc = SQLITE_MISUSE;

	if (argc < 4 || store_open(argv[1], 0, &db, err, sizeof(err)) < 0) {
		fprintf(stderr, "usage: sync_publish DB publish|delete|many|"
				"status ...\n");
		return 2;
	}
	argv++;
	argc--;
	if (strcmp(argv[1], "publish") == 0 && argc == 6)
		rc = publish_one(db, argv, 0);
	else if (strcmp(argv[1], "delete") == 0 && argc == 5)
		rc = publish_one(db, argv, 1);
	else if (strcmp(argv[1], "many") == 0 && argc == 4)
		rc = publish_many(db, strtol(argv[2], NULL, 10),
				  scope_arg(argv[3]));
	else if (strcmp(argv[1], "status") == 0 && argc == 4)
		rc = web_item_status(db, argv[2], argv[3]) == 0 ? SQLITE_OK
								: SQLITE_ERROR;
	store_close(db);
	if (rc != SQLITE_OK)
		fprintf(stderr, "sync_publish: failed (%d)\n", rc);
	return rc == SQLITE_OK ? 0 : 1;
}
