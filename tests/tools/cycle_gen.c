/*
 * cycle_gen: fills a central database for the cycle benchmark.
 *
 *   cycle_gen DB ITEMS IDEAS
 *
 * Makes ten sites in two clusters, ITEMS items spread over a year of
 * received times (texts of 6 to 14 words drawn from English and Spanish
 * lists), IDEAS ideas with 2 to 8 items each, a phase row per idea and
 * 0 to 9 endorsements per idea, in one transaction with the ordinary
 * schema and triggers (so the FTS5 index is built as in production).
 * The ideas' items are not published to the sites' feed, as a merge at
 * the centre would publish them: the pages measured never read it.  The
 * database is marked as past the web server's one-time upgrades (the
 * feed's item rows, the tags' normal form), which would otherwise spend
 * the start of the benchmark publishing half a million rows.
 * Prints the idea codes' prefix on standard output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cycle.h"
#include "store.h"

static const char *const gen_words[] = {
	"library",    "books",	   "lunch",    "bus",	   "shade",
	"trees",      "water",	   "fountain", "music",	   "art",
	"sports",     "field",	   "teachers", "homework", "safety",
	"crossing",   "parking",   "garden",   "science",  "computers",
	"biblioteca", "libros",	   "almuerzo", "autobús",  "sombra",
	"árboles",    "agua",	   "música",   "deportes", "maestros",
	"tareas",     "seguridad", "jardín",   "ciencia",  "más",
	"mejor",      "nuevo",	   "please",   "more",	   "por",
};
#define GEN_NWORDS (sizeof(gen_words) / sizeof(gen_words[0]))

static unsigned long long gen_state = 88172645463325252ULL;

static unsigned gen_rand(unsigned n)
{
	gen_state ^= gen_state << 13;
	gen_state ^= gen_state >> 7;
	gen_state ^= gen_state << 17;
	return (unsigned)(gen_state % n);
}

static void gen_text(char *out, size_t outlen, unsigned words)
{
	size_t used = 0;
	unsigned i;
	int n;

	out[0] = '\0';
	for (i = 0; i < words; i++) {
		n = snprintf(out + used, outlen - used, "%s%s", i ? " " : "",
			     gen_words[gen_rand(GEN_NWORDS)]);
		if (n < 0 || (size_t)n >= outlen - used)
			break;
		used += (size_t)n;
	}
}

static int gen_sites(sqlite3 *db)
{
	char sql[256];
	int i;

	for (i = 0; i < 10; i++) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO sites (code, name, cluster, token_hash,"
			 " created_at) VALUES ('S%d', 'School %d', '%s', 'x',"
			 " 1)",
			 i, i, i < 5 ? "north" : "south");
		if (store_exec(db, sql) != SQLITE_OK)
			return -1;
	}
	return 0;
}

static int gen_items(sqlite3 *db, long n, int64_t now)
{
	static const char *const roles[] = {"student", "family", "staff",
					    "community", "unsaid"};
	static const char *const chans[] = {"kiosk", "sms", "web"};
	char id[CODE_ID_LEN + 1], code[CODE_MAX], site[3], text[256];
	sqlite3_stmt *st = NULL;
	long i;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "INSERT INTO items (id, code, site, seq, device,"
			       " channel, role, lang, text, made_at, clock_ok,"
			       " received_at, sha256, sync_state) VALUES"
			       " (?,?,?,?,'gen',?,?,?,?,?,1,?,'x','central')",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (i = 0; i < n; i++) {
		int64_t at =
			now - 365LL * 86400000 + i * (365LL * 86400000 / n);

		snprintf(site, sizeof(site), "S%d", (int)(i % 10));
		code_make_id(id, (uint64_t)at);
		code_make(code, site, (uint64_t)(i / 10 + 1));
		gen_text(text, sizeof(text), 6 + gen_rand(9));
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, site, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, i / 10 + 1);
		sqlite3_bind_text(st, 5, chans[gen_rand(3)], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, roles[gen_rand(5)], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, gen_rand(2) ? "en" : "es", -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(st, 8, text, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 9, at);
		sqlite3_bind_int64(st, 10, at);
		rc = sqlite3_step(st);
		if (rc != SQLITE_DONE)
			break;
	}
	sqlite3_finalize(st);
	return i == n ? 0 : -1;
}

/* Ideas take items in order: idea k gets the next 2..8 item codes. */
static int gen_ideas(sqlite3 *db, long n, long items, const char *prefix)
{
	char code[CODE_MAX], title[256], sql[64];
	sqlite3_stmt *ins = NULL, *link = NULL, *ph = NULL, *en = NULL;
	sqlite3_stmt *pick = NULL;
	long k, next = 1;
	unsigned j, m;
	int rc = SQLITE_OK;

	if (sqlite3_prepare_v2(db,
			       "INSERT INTO ideas (code, title, phase,"
			       " site, created_at, updated_at) VALUES"
			       " (?,?,?,?,?,?)",
			       -1, &ins, NULL) ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO idea_items (item, idea,"
			       " added_at) SELECT code, ?, 1 FROM items"
			       " WHERE n = ?",
			       -1, &link, NULL) ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO phases (idea, phase, at)"
			       " VALUES (?, ?, ?)",
			       -1, &ph, NULL) ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO endorsements (id, target,"
			       " voter, channel, site, made_at,"
			       " sync_state, role) VALUES (?, ?, ?,"
			       " 'web', ?, 1, 'central', 'family')",
			       -1, &en, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT 1", -1, &pick, NULL))
		rc = SQLITE_ERROR;
	for (k = 1; k <= n && rc == SQLITE_OK; k++) {
		static const char *const phases[] = {"consolidated", "captured",
						     "shared", "applied"};
		const char *phase = phases[gen_rand(4)];
		char site[3];

		snprintf(site, sizeof(site), "S%d", (int)(k % 10));
		code_make(code, prefix, (uint64_t)k);
		gen_text(title, sizeof(title), 3 + gen_rand(5));
		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, code, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, title, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, phase, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, site, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 5, k);
		sqlite3_bind_int64(ins, 6, k);
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = SQLITE_ERROR;
		m = 2 + gen_rand(7);
		for (j = 0; j < m && next <= items && rc == SQLITE_OK; j++) {
			sqlite3_reset(link);
			sqlite3_bind_text(link, 1, code, -1, SQLITE_STATIC);
			sqlite3_bind_int64(link, 2, next++);
			if (sqlite3_step(link) != SQLITE_DONE)
				rc = SQLITE_ERROR;
		}
		sqlite3_reset(ph);
		sqlite3_bind_text(ph, 1, code, -1, SQLITE_STATIC);
		sqlite3_bind_text(ph, 2, phase, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ph, 3, k);
		if (sqlite3_step(ph) != SQLITE_DONE)
			rc = SQLITE_ERROR;
		m = gen_rand(10);
		for (j = 0; j < m && rc == SQLITE_OK; j++) {
			char id[40], voter[40];

			snprintf(id, sizeof(id), "e%ld-%u", k, j);
			snprintf(voter, sizeof(voter), "web:%ld-%u", k, j);
			sqlite3_reset(en);
			sqlite3_bind_text(en, 1, id, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(en, 2, code, -1, SQLITE_STATIC);
			sqlite3_bind_text(en, 3, voter, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(en, 4, site, -1, SQLITE_STATIC);
			if (sqlite3_step(en) != SQLITE_DONE)
				rc = SQLITE_ERROR;
		}
	}
	snprintf(sql, sizeof(sql), "%ld", n);
	if (rc == SQLITE_OK)
		rc = store_meta_set(db, "idea_seq", sql);
	sqlite3_finalize(ins);
	sqlite3_finalize(link);
	sqlite3_finalize(ph);
	sqlite3_finalize(en);
	sqlite3_finalize(pick);
	return rc == SQLITE_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
	char err[512], code[CODE_MAX], prefix[3];
	sqlite3 *db = NULL;
	long items, ideas;

	if (argc != 4) {
		fprintf(stderr, "usage: cycle_gen DB ITEMS IDEAS\n");
		return 2;
	}
	items = strtol(argv[2], NULL, 10);
	ideas = strtol(argv[3], NULL, 10);
	if (store_open(argv[1], STORE_CREATE, &db, err, sizeof(err)) < 0) {
		fprintf(stderr, "cycle_gen: %s\n", err);
		return 1;
	}
	store_exec(db, "PRAGMA synchronous=OFF");
	store_exec(db, "PRAGMA cache_size=-200000");
	if (store_begin(db) != SQLITE_OK ||
	    store_meta_set(db, "role", "central") != SQLITE_OK ||
	    gen_sites(db) < 0 || cycle_idea_code(db, code) < 0 ||
	    gen_items(db, items, store_now_ms()) < 0)
		goto fail;
	memcpy(prefix, code, 2);
	prefix[2] = '\0';
	if (gen_ideas(db, ideas, items, prefix) < 0 ||
	    store_meta_set(db, "item_rows", "1") != SQLITE_OK ||
	    store_meta_set(db, "tags_norm", "1") != SQLITE_OK ||
	    store_commit(db) != SQLITE_OK)
		goto fail;
	store_exec(db, "ANALYZE");
	printf("%s\n", prefix);
	store_close(db);
	return 0;

fail:
	fprintf(stderr, "cycle_gen: %s\n", sqlite3_errmsg(db));
	store_close(db);
	return 1;
}
