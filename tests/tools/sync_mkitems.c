/*
 * sync_mkitems: makes items in a site database, as the kiosk would.
 *
 *   sync_mkitems DB N TEXT [ROLE [LANG [CHANNEL]]]
 *
 * Creates N items with item_create() inside one transaction and prints
 * each new code on its own line.  With N = 1 the text is TEXT exactly;
 * otherwise item i gets "TEXT i" so every text differs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "item.h"
#include "store.h"

int main(int argc, char **argv)
{
	char err[512], text[STORE_TEXT_MAX + 1];
	struct item it;
	sqlite3 *db = NULL;
	long n, i;
	int rc = SQLITE_OK;

	if (argc < 4) {
		fprintf(stderr, "usage: sync_mkitems DB N TEXT [ROLE [LANG"
				" [CHANNEL]]]\n");
		return 2;
	}
	n = strtol(argv[2], NULL, 10);
	if (store_open(argv[1], 0, &db, err, sizeof(err)) < 0) {
		fprintf(stderr, "sync_mkitems: %s\n", err);
		return 1;
	}
	if (store_begin(db) != SQLITE_OK)
		goto fail;
	for (i = 1; i <= n && rc == SQLITE_OK; i++) {
		memset(&it, 0, sizeof(it));
		if (n == 1)
			snprintf(text, sizeof(text), "%s", argv[3]);
		else
			snprintf(text, sizeof(text), "%s %ld", argv[3], i);
		it.text = text;
		it.text_len = strlen(text);
		it.role = argc > 4 ? argv[4] : "student";
		it.lang = argc > 5 ? argv[5] : "en";
		it.channel = argc > 6 ? argv[6] : "kiosk";
		rc = item_create(db, &it);
		if (rc == SQLITE_OK)
			printf("%s\n", it.code);
	}
	if (rc != SQLITE_OK || store_commit(db) != SQLITE_OK)
		goto fail;
	store_close(db);
	return 0;

fail:
	fprintf(stderr, "sync_mkitems: %s\n", sqlite3_errmsg(db));
	store_rollback(db);
	store_close(db);
	return 1;
}
