/*
 * chorus: one binary, one subcommand per component.
 *
 * This file dispatches to the commands and holds "chorus items", which
 * reads either kind of database.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "store.h"

static const char main_usage[] =
	"usage: chorus COMMAND [FLAGS]\n"
	"\n"
	"Central server:\n"
	"  web       serve the sync endpoint and public item pages\n"
	"  site add  register a site; prints SITECODE TOKEN\n"
	"  user add  create a staff account (password on standard input)\n"
	"\n"
	"Site node:\n"
	"  init      prepare a site database\n"
	"  kiosk     serve the kiosk page and its JSON API\n"
	"  channel   add an SMS channel (chorus channel add)\n"
	"  sms       take SMS from gateways\n"
	"  sync      send new items to the central server\n"
	"\n"
	"Either:\n"
	"  items     print the items of a database as JSON\n"
	"\n"
	"Every command answers --help.\n";

static const char items_usage[] =
	"usage: chorus items --db FILE --json\n"
	"\n"
	"Prints every item in a site or central database as a JSON array,\n"
	"oldest first.  Phone numbers are never stored with items and never\n"
	"printed.\n";

/* One item row as a JSON object. */
static json_t *items_row(sqlite3_stmt *st)
{
	char made[STORE_TIME_LEN], recv[STORE_TIME_LEN];
	json_t *o;

	store_format_time(sqlite3_column_int64(st, 9), made);
	o = json_pack(
		"{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s%, s:s,"
		" s:b, s:s, s:s}",
		"id", sqlite3_column_text(st, 0), "code",
		sqlite3_column_text(st, 1), "site", sqlite3_column_text(st, 2),
		"seq", (json_int_t)sqlite3_column_int64(st, 3), "channel",
		sqlite3_column_text(st, 4), "role", sqlite3_column_text(st, 5),
		"lang", sqlite3_column_text(st, 6), "text",
		sqlite3_column_text(st, 7), (size_t)sqlite3_column_bytes(st, 7),
		"made_at", made, "clock_ok", sqlite3_column_int(st, 10),
		"sync_state", sqlite3_column_text(st, 11), "status",
		sqlite3_column_text(st, 12));
	if (o == NULL)
		return NULL;
	if (sqlite3_column_type(st, 8) == SQLITE_NULL) {
		json_object_set_new(o, "received_at", json_null());
	} else {
		store_format_time(sqlite3_column_int64(st, 8), recv);
		json_object_set_new(o, "received_at", json_string(recv));
	}
	return o;
}

int items_cmd(int argc, char **argv)
{
	const char *db_path = NULL, *as_json = NULL;
	struct cli_opt opts[] = {
		{"db", &db_path, 0, 1},
		{"json", &as_json, 1, 1},
		{NULL, NULL, 0, 0},
	};
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	json_t *arr = NULL, *row;
	char err[512];
	int rc, ret = CLI_FAIL;

	rc = cli_parse("items", items_usage, opts, argc, argv);
	if (rc != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	if (store_open(db_path, 0, &db, err, sizeof(err)) < 0) {
		cli_fail("%s", err);
		return CLI_FAIL;
	}
	if (sqlite3_prepare_v2(db,
			       "SELECT id, code, site, seq, channel, role,"
			       " lang, text, received_at, made_at, clock_ok,"
			       " sync_state, status FROM items ORDER BY n",
			       -1, &st, NULL) != SQLITE_OK)
		goto done;
	arr = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = items_row(st);
		if (row == NULL || json_array_append_new(arr, row) < 0)
			goto done;
	}
	if (rc != SQLITE_DONE)
		goto done;
	if (json_dumpf(arr, stdout, JSON_INDENT(1)) < 0)
		goto done;
	putchar('\n');
	ret = CLI_OK;

done:
	if (ret != CLI_OK)
		cli_fail("items: cannot read '%s': %s", db_path,
			 sqlite3_errmsg(db));
	json_decref(arr);
	sqlite3_finalize(st);
	store_close(db);
	return ret;
}

struct main_command {
	const char *name;
	int (*run)(int argc, char **argv);
};

static const struct main_command main_commands[] = {
	{"web", web_cmd},     {"site", site_cmd},	{"init", init_cmd},
	{"kiosk", kiosk_cmd}, {"channel", channel_cmd}, {"sms", sms_cmd},
	{"sync", sync_cmd},   {"items", items_cmd},	{"user", user_cmd},
	{NULL, NULL},
};

int main(int argc, char **argv)
{
	const struct main_command *c;

	log_init();
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		fputs(main_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	for (c = main_commands; c->name != NULL; c++)
		if (strcmp(argv[1], c->name) == 0)
			return c->run(argc - 2, argv + 2);
	cli_fail("unknown command '%s' (see chorus --help)", argv[1]);
	return CLI_USAGE;
}
