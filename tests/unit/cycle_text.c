/*
 * Unit tests for the cycle's text helpers: the similarity measure
 * (web/similar.c), the readiness rule (web/ready.c), the quoting of
 * search words for FTS5 (web/search.c) and the normal form of tags
 * (web/tag.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ready.h"
#include "search.h"
#include "similar.h"
#include "store.h"
#include "tag.h"

static double score(const char *a, const char *b)
{
	static struct similar_set sa, sb;

	similar_tokens(a, strlen(a), &sa);
	similar_tokens(b, strlen(b), &sb);
	return similar_jaccard(&sa, &sb);
}

static void similar_folds_accents_and_case(void **state)
{
	(void)state;
	assert_true(score("Más BIBLIOTECA", "mas biblioteca") == 1.0);
	assert_true(score("niño pequeño", "NINO pequeno") == 1.0);
}

static void similar_drops_stop_words_of_both_languages(void **state)
{
	static struct similar_set s;

	(void)state;
	similar_tokens("the library and la biblioteca de que", 36, &s);
	assert_int_equal(s.count, 2);
	assert_string_equal(s.tok[0], "biblioteca");
	assert_string_equal(s.tok[1], "librar");
}

static void similar_stems_plurals(void **state)
{
	(void)state;
	assert_true(score("libros nuevos", "libro nuevo") == 1.0);
	assert_true(score("books", "book") == 1.0);
	assert_true(score("bus", "bu") == 0.0); /* "bus" is too short */
	assert_true(score("libraries", "library") == 1.0);
	assert_true(score("tables", "table") == 1.0);
	assert_true(score("trees", "tree") == 1.0);
	assert_true(score("buses", "bus") == 1.0);
	assert_true(score("classes", "class") == 1.0);
	assert_true(score("padres", "padre") == 1.0);
	assert_true(score("clases", "clase") == 1.0);
	assert_true(score("árboles", "arbol") == 1.0);
	/* Stop words go before stemming: "there" is one, "ther" is not. */
	assert_true(score("there books", "book") == 1.0);
}

static void similar_ranks_by_jaccard(void **state)
{
	double near, far;

	(void)state;
	near = score("more library books", "library books please");
	far = score("more library books", "crossing guard at the gate");
	assert_true(near > 0.4 && near < 1.0);
	assert_true(far == 0.0);
	assert_true(score("", "") == 0.0);
}

static void similar_survives_bad_utf8(void **state)
{
	static struct similar_set s;

	(void)state;
	similar_tokens("ab\xff\xfe"
		       "cde fgh\xc3",
		       12, &s);
	assert_int_equal(s.count, 2);
}

static void similar_builds_an_fts_query(void **state)
{
	static struct similar_set s;
	char q[256];

	(void)state;
	similar_tokens("Biblioteca libros", 17, &s);
	assert_int_equal(similar_fts_query(&s, q, sizeof(q)), 0);
	assert_string_equal(q, "\"biblioteca\"* OR \"libro\"*");
	similar_tokens("", 0, &s);
	assert_int_equal(similar_fts_query(&s, q, sizeof(q)), -1);
}

static void ready_parses_the_rule(void **state)
{
	struct ready_rule r = {9, 9, 9};
	char text[READY_TEXT_MAX];

	(void)state;
	assert_int_equal(ready_parse("sites>=2  endorsements>=10", 26, &r), 0);
	assert_int_equal(r.endorsements, 10);
	assert_int_equal(r.groups, 0);
	assert_int_equal(r.sites, 2);
	ready_format(&r, text);
	assert_string_equal(text, "endorsements>=10 groups>=0 sites>=2");
}

static void ready_refuses_bad_rules(void **state)
{
	static const char *const bad[] = {
		"",
		"   ",
		"endorsements>=",
		"endorsements>=x",
		"votes>=3",
		"sites>=1 sites>=2",
		"groups>=1000001",
		"groups=>2",
		"groups>=-1",
		NULL,
	};
	struct ready_rule r = {7, 7, 7};
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++)
		assert_int_equal(ready_parse(bad[i], strlen(bad[i]), &r), -1);
	assert_int_equal(r.endorsements, 7);
}

static void ready_counts_and_meets(void **state)
{
	struct ready_rule r = {2, 2, 1};
	struct ready_count n = {2, 2, 1};

	(void)state;
	assert_true(ready_met(&r, &n));
	n.groups = 1;
	assert_false(ready_met(&r, &n));
}

static void search_quotes_every_word(void **state)
{
	char q[128];

	(void)state;
	assert_int_equal(search_fts_query("a \"b\" OR c*", 11, q, sizeof(q)),
			 4);
	assert_string_equal(q, "\"a\" \"\"\"b\"\"\" \"OR\" \"c\"*");
	assert_int_equal(search_fts_query("   ", 3, q, sizeof(q)), 0);
	assert_string_equal(q, "");
	assert_int_equal(search_fts_query("abcdef", 6, q, 4), -1);
	assert_string_equal(q, "");
}

/* Plurals and singulars find each other; short words stay exact. */
static void search_stems_lightly(void **state)
{
	static const char *const texts[] = {
		"Más libros en la biblioteca",
		"New bookshelves",
		"Art club",
		"artistic dance",
		"A library by the park",
		"Open the libraries on Sunday",
		"Two school bus stops",
		"Una flor en el patio",
		"Families at lunch",
		"I do not know",
		"A class trip",
		NULL,
	};
	static const struct {
		const char *query;
		int hits;
	} cases[] = {
		{"bibliotecas", 1}, {"biblioteca", 1}, {"LIBRO", 1},
		{"books", 1},	    {"art", 1},	       {"clubs", 1},
		{"dances", 1},	    {"más", 1},	       {"libraries", 2},
		{"library", 2},	    {"LIBRARIES", 2},  {"buses", 1},
		{"bus", 1},	    {"flores", 1},     {"FLORES", 1},
		{"family", 1},	    {"does", 0},       {"class", 1},
		{"classes", 1},	    {NULL, 0},
	};
	sqlite3 *db;
	sqlite3_stmt *st;
	const char *w;
	char q[128];
	size_t i;
	int n;

	(void)state;
	assert_int_equal(search_fts_query("Bibliotecas art", 15, q, sizeof(q)),
			 2);
	assert_string_equal(q, "\"Biblioteca\"* \"art\"");
	w = "libraries buses Flores Bus does day";
	assert_int_equal(search_fts_query(w, strlen(w), q, sizeof(q)), 6);
	assert_string_equal(q, "\"librar\"* \"bus\"* \"Flor\"* \"Bus\""
			       " \"does\"* \"day\"");
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(store_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x,"
					" tokenize = 'unicode61"
					" remove_diacritics 2')"),
			 SQLITE_OK);
	for (i = 0; texts[i] != NULL; i++) {
		assert_int_equal(sqlite3_prepare_v2(db,
						    "INSERT INTO t VALUES (?)",
						    -1, &st, NULL),
				 SQLITE_OK);
		sqlite3_bind_text(st, 1, texts[i], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
	}
	for (i = 0; cases[i].query != NULL; i++) {
		assert_true(search_fts_query(cases[i].query,
					     strlen(cases[i].query), q,
					     sizeof(q)) > 0);
		assert_int_equal(sqlite3_prepare_v2(db,
						    "SELECT count(*) FROM t"
						    " WHERE t MATCH ?",
						    -1, &st, NULL),
				 SQLITE_OK);
		sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (n != cases[i].hits)
			fail_msg("%s (%s): %d hits", cases[i].query, q, n);
	}
	sqlite3_close(db);
}

static void search_queries_run_in_fts5(void **state)
{
	static const char *const inputs[] = {
		"NEAR(", "\"", "*",	"a:b", "-x",
		"^y",	 "((", "\"\"*", "AND", NULL,
	};
	sqlite3 *db;
	sqlite3_stmt *st;
	char q[128];
	size_t i;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(store_exec(db, "CREATE VIRTUAL TABLE t USING"
					" fts5(x)"),
			 SQLITE_OK);
	for (i = 0; inputs[i] != NULL; i++) {
		assert_true(search_fts_query(inputs[i], strlen(inputs[i]), q,
					     sizeof(q)) > 0);
		assert_int_equal(sqlite3_prepare_v2(db,
						    "SELECT * FROM t WHERE t"
						    " MATCH ?",
						    -1, &st, NULL),
				 SQLITE_OK);
		sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
}

/* tag_norm(s) is want. */
static void tag_is(const char *s, const char *want)
{
	char out[TAG_MAX + 1];

	if (tag_norm(s, strlen(s), out) != (int)strlen(want) ||
	    strcmp(out, want) != 0)
		fail_msg("'%s' -> '%s', not '%s'", s, out, want);
}

/* One normal form for ASCII and Latin-1 capitals, and for spaces. */
static void tags_fold_case_and_spaces(void **state)
{
	char out[TAG_MAX + 1], in[TAG_MAX + 2], want[3];
	unsigned d;

	(void)state;
	/* Every letter of U+00C0..U+00FF: capitals but × go down. */
	for (d = 0x80; d <= 0xBF; d++) {
		snprintf(in, sizeof(in), "\xC3%c", (char)d);
		snprintf(want, sizeof(want), "\xC3%c",
			 (char)(d <= 0x9E && d != 0x97 ? d + 0x20 : d));
		tag_is(in, want);
	}
	tag_is("GREEN", "green");
	tag_is("  Green \t Space ", "green space");
	tag_is("\xC3\x81rboles", "\xC3\xA1rboles"); /* Árboles */
	/* À É Î Õ Ü Ñ Ç Ø Þ, in a word. */
	tag_is("\xC3\x80\xC3\x89\xC3\x8E\xC3\x95\xC3\x9C\xC3\x91\xC3\x87"
	       "\xC3\x98\xC3\x9E",
	       "\xC3\xA0\xC3\xA9\xC3\xAE\xC3\xB5\xC3\xBC\xC3\xB1\xC3\xA7"
	       "\xC3\xB8\xC3\xBE");
	tag_is("2\xC3\x97"
	       "3",
	       "2\xC3\x97"
	       "3"); /* the sign × stays */
	tag_is("stra\xC3\x9F"
	       "e",
	       "stra\xC3\x9F"
	       "e"); /* ß has no capital */
	tag_is("\xC5\x81\xC3\xB3"
	       "d\xC5\xBA", /* Łódź */
	       "\xC5\x81\xC3\xB3"
	       "d\xC5\xBA");
	tag_is("\xC3\xA1rboles", "\xC3\xA1rboles");
	tag_is(" \t ", "");

	/* TAG_MAX bytes fit, one more does not; spaces do not count. */
	memset(in, 'A', TAG_MAX);
	in[TAG_MAX] = '\0';
	assert_int_equal(tag_norm(in, TAG_MAX, out), TAG_MAX);
	in[TAG_MAX] = 'A';
	assert_int_equal(tag_norm(in, TAG_MAX + 1, out), -1);
	assert_string_equal(out, "");
	in[0] = ' ';
	assert_int_equal(tag_norm(in, TAG_MAX + 1, out), TAG_MAX);
}

/* Tags saved before the rule are rewritten once, and merged. */
static void tags_upgrade_once(void **state)
{
	sqlite3 *db;
	char err[256];
	int64_t n = 0;

	(void)state;
	assert_int_equal(
		store_open(":memory:", STORE_CREATE, &db, err, sizeof(err)), 0);
	assert_int_equal(store_exec(db, "INSERT INTO idea_tags VALUES"
					" ('A', '\xC3\x81rboles'),"
					" ('A', '\xC3\xA1rboles'),"
					" ('A', 'green'),"
					" ('B', '\xC3\x89xito')"),
			 SQLITE_OK);
	assert_int_equal(tag_upgrade(db), SQLITE_OK);
	assert_int_equal(store_get_int(db, &n,
				       "SELECT count(*) FROM idea_tags WHERE"
				       " tag IN ('\xC3\xA1rboles', 'green',"
				       " '\xC3\xA9xito')",
				       ""),
			 SQLITE_ROW);
	assert_int_equal(n, 3);
	assert_int_equal(
		store_get_int(db, &n, "SELECT count(*) FROM idea_tags", ""),
		SQLITE_ROW);
	assert_int_equal(n, 3);

	/* Once done, it is not done again. */
	assert_int_equal(store_exec(db, "INSERT INTO idea_tags VALUES"
					" ('C', 'RED')"),
			 SQLITE_OK);
	assert_int_equal(tag_upgrade(db), SQLITE_OK);
	assert_int_equal(store_get_int(db, &n,
				       "SELECT count(*) FROM idea_tags"
				       " WHERE tag = 'RED'",
				       ""),
			 SQLITE_ROW);
	assert_int_equal(n, 1);
	store_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(similar_folds_accents_and_case),
		cmocka_unit_test(similar_drops_stop_words_of_both_languages),
		cmocka_unit_test(similar_stems_plurals),
		cmocka_unit_test(similar_ranks_by_jaccard),
		cmocka_unit_test(similar_survives_bad_utf8),
		cmocka_unit_test(similar_builds_an_fts_query),
		cmocka_unit_test(ready_parses_the_rule),
		cmocka_unit_test(ready_refuses_bad_rules),
		cmocka_unit_test(ready_counts_and_meets),
		cmocka_unit_test(search_quotes_every_word),
		cmocka_unit_test(search_queries_run_in_fts5),
		cmocka_unit_test(search_stems_lightly),
		cmocka_unit_test(tags_fold_case_and_spaces),
		cmocka_unit_test(tags_upgrade_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
