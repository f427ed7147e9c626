/*
 * ready: the published rule that marks an idea "ready to capture and
 * scale", and the counts it is checked against.
 *
 * The rule is three thresholds, written as text so staff can set it and
 * anyone can read it: "endorsements>=N groups>=G sites>=S", any order,
 * spaces between terms, each term at most once, numbers 0..100000.  The
 * counts of an idea are taken over the idea and every item merged into
 * it, so nobody is counted twice:
 *
 *   endorsements  distinct voters (a phone, browser or kiosk hash) that
 *                 endorsed the idea or any of its items;
 *   groups        distinct stakeholder roles among the idea's items and
 *                 the endorsers who gave one ("unsaid" does not count);
 *   sites         distinct sites among the idea's items and endorsements.
 *
 * The rule lives in meta "ready_rule"; without it READY_DEFAULT holds.
 * District staff set it with the form at /staff/rule (web/rule.c).
 */
#ifndef CHORUS_WEB_READY_H
#define CHORUS_WEB_READY_H

#include <sqlite3.h>
#include <stddef.h>

#define READY_DEFAULT "endorsements>=10 groups>=2 sites>=2"
#define READY_NUM_MAX 100000u
#define READY_TEXT_MAX 96

struct ready_rule {
	unsigned endorsements;
	unsigned groups;
	unsigned sites;
};

struct ready_count {
	unsigned endorsements;
	unsigned groups;
	unsigned sites;
};

/*
 * Parses s[0..len).  0 on success with *r filled (terms not given are
 * 0); -1 for anything else, *r then untouched.
 */
int ready_parse(const char *s, size_t len, struct ready_rule *r);

/* Writes r in the canonical text form into out (READY_TEXT_MAX). */
void ready_format(const struct ready_rule *r, char out[READY_TEXT_MAX]);

/* The rule in force: meta ready_rule if it parses, else the default. */
void ready_rule_get(sqlite3 *db, struct ready_rule *r);

/* The counts of idea code.  0 or -1 (*n then untouched). */
int ready_count_idea(sqlite3 *db, const char *code, struct ready_count *n);

/* 1 when n meets every threshold of r. */
int ready_met(const struct ready_rule *r, const struct ready_count *n);

#endif
