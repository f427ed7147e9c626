/*
 * prompt: questions staff pose to chosen sites for a period, shared by
 * the staff pages (prompt_staff.c) and the public form that answers one
 * from a flyer (prompt.c).
 *
 * A prompt has a short id (A-Z, 0-9 and "-", at most PROMPT_ID_SHORT
 * bytes, upper case), its question in English and in Spanish, a scope
 * (scope.h) and a period [starts, ends) in ms on the central clock.
 * Staff give the period as whole days in UTC, both included: "From" is
 * the start of its day and "Until" the end of its day, so ends is the
 * start of the day after.  A prompt is upcoming before starts, open
 * from starts and closed from ends, the same rule the kiosks and the
 * SMS line apply (core/prompts.h).
 *
 * Saving a prompt publishes it to the feed (kind "prompt") once per
 * target of its scope, so the kiosks of those sites ask it and SMS
 * replies mention it.
 */
#ifndef CHORUS_WEB_PROMPT_H
#define CHORUS_WEB_PROMPT_H

#include <sqlite3.h>
#include <stdint.h>

#include "scope.h"

#define PROMPT_ID_SHORT 16  /* bytes of an id staff give */
#define PROMPT_TEXT_MAX 500 /* bytes of the question in one language */
#define PROMPT_DAY_MS (24LL * 3600 * 1000)

enum prompt_state { PROMPT_UPCOMING, PROMPT_OPEN, PROMPT_CLOSED };

struct prompt {
	char id[PROMPT_ID_SHORT + 1];
	char en[PROMPT_TEXT_MAX + 1];
	char es[PROMPT_TEXT_MAX + 1];
	struct scope scope;
	int64_t starts;
	int64_t ends;
};

/*
 * The canonical id, upper case, from raw up to its first '/' into out;
 * "" when that is longer than PROMPT_ID_SHORT.
 */
void prompt_canon(const char *raw, char out[PROMPT_ID_SHORT + 1]);

/* 1 when id is a canonical id, 0 when not. */
int prompt_id_ok(const char *id);

/* Reads prompt id from db into p: 1 found, 0 not (p untouched), -1. */
int prompt_load(sqlite3 *db, const char *id, struct prompt *p);

/* Where p's period stands at now. */
enum prompt_state prompt_state_at(const struct prompt *p, int64_t now);

/* p's question in lang (English unless lang is "es"). */
const char *prompt_question(const struct prompt *p, const char *lang);

/* The catalogue key naming state ("staff.prompt.state.open", ...). */
const char *prompt_state_key(enum prompt_state state);

#endif
