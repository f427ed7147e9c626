/*
 * sms_store: what one incoming SMS does to a site database: replays,
 * limits, parts of long messages, keywords and commands, contacts, the
 * reply and its outbox row, all inside the caller's transaction.  The
 * steps are numbered in sms_store.h and the sections below follow them.
 */
#include "sms_store.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gsm7.h"
#include "i18n.h"
#include "lang.h"
#include "item.h"
#include "prompts.h"
#include "sms_follow.h"
#include "sms_keyword.h"
#include "store.h"

#define SMS_PHONE_WINDOW_MS (3600 * 1000LL)
#define SMS_CHANNEL_WINDOW_MS (60 * 1000LL)
#define SMS_QUESTION_MAX 1024 /* bytes of the site's question taken */

/*
 * What a person holding a code is told (core/feed.h).  word is the
 * status word; for an item merged into an idea, idea is the idea's code
 * and idea_word where it stands, else both are "".
 */
struct sms_status {
	char word[32];
	char idea[CODE_MAX];
	char idea_word[32];
};

/* What step 4 decided, for the reply and the row. */
struct sms_outcome {
	struct sms_command cmd;
	const char *lang; /* of the reply and the item: the keyword's, else
			     the text's (lang.h), else the channel's */
	struct item it;	  /* it.id[0] == '\0' when no item was made */
	int again;	  /* an endorsement that was counted before */
	int limited;	  /* over the sender's limit */
	int limit_note;	  /* the first message over it: say so once */
	struct sms_status status;
	int incomplete;
	int blank; /* no words: no item, and the reply asks for some */
	char prompt[PROMPT_ID_MAX + 1]; /* the site's question now, or "" */
	struct buf question;		/* its text in the reply's language */
	int asked;			/* the sender was asked it before */
	int answers;			/* this item answers it */
	int ask;			/* this reply asks it */
};

/*
 * Formats into out (room for size): 0, or -1 when it did not fit.  Ids,
 * hashes and keys are never used cut short.
 */
static int sms_fmt(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int sms_fmt(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* ---- reply texts ----------------------------------------------------- */

/* The values of a reply's marks; NULL leaves a mark as it is. */
struct sms_marks {
	const char *code, *parent, *status, *prompt;
};

/* The value of the mark name[0..len), or NULL. */
static const char *sms_mark(const struct sms_marks *m, const char *name,
			    size_t len)
{
	static const char *const names[] = {"code", "parent", "status",
					    "prompt"};
	const char *const values[] = {m->code, m->parent, m->status, m->prompt};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && memcmp(name, names[i], len) == 0)
			return values[i];
	return NULL;
}

/* The catalogue text key in lang with its marks replaced, into out. */
static int sms_render(const char *lang, const char *key,
		      const struct sms_marks *m, struct buf *out)
{
	const char *t = i18n_get(lang, key), *open, *close, *v;
	size_t n;

	while ((open = strchr(t, '{')) != NULL &&
	       (close = strchr(open, '}')) != NULL) {
		n = (size_t)(close - open - 1);
		v = sms_mark(m, open + 1, n);
		if (buf_append(out, t, (size_t)(open - t)) < 0 ||
		    (v != NULL ? buf_puts(out, v)
			       : buf_append(out, open, n + 2)) < 0)
			return -1;
		t = close + 1;
	}
	return buf_puts(out, t);
}

int sms_reply_text(const char *lang, const char *key, const char *code,
		   const char *parent, const char *status, struct buf *out)
{
	struct sms_marks m = {code, parent, status, NULL};

	return sms_render(lang, key, &m, out);
}

/* The acknowledgement's key: FOLLOW is offered where it can be kept. */
static const char *sms_ack_key(int follow)
{
	return follow ? "sms.ack" : "sms.ack_no_follow";
}

int sms_ack_text(const char *lang, const char *code, int follow,
		 struct buf *out)
{
	return sms_reply_text(lang, sms_ack_key(follow), code, NULL, NULL, out);
}

/* ---- identity -------------------------------------------------------- */

/*
 * "KIND:" and SHA-256 over the given strings, each NUL-ended, into out.
 * 0, or -1 when they do not fit (out is then unusable).
 */
static int sms_print(char out[SMS_ID_MAX], const char *kind, const char *a,
		     const char *b, const char *c, const char *d)
{
	const char *const parts[] = {a, b, c, d};
	char hex[CRYPTO_SHA256_HEX];
	struct buf x;
	size_t i;
	int rc = 0;

	buf_init(&x, 8192);
	for (i = 0; i < 4 && rc == 0; i++)
		rc = buf_append(&x, parts[i], strlen(parts[i]) + 1);
	if (rc == 0)
		crypto_sha256_hex(x.data, x.len, hex);
	buf_release(&x);
	if (rc != 0)
		return -1;
	return sms_fmt(out, SMS_ID_MAX, "%s:%s", kind, hex);
}

int sms_store_identify(struct sms_incoming *in, const char *phone_key,
		       int64_t now_ms)
{
	struct sms_msg *m = &in->msg;
	char th[CRYPTO_SHA256_HEX], id[SMS_ID_MAX];

	sms_phone_normalize(m->from, m->from_len, in->ch->country, &in->sender);
	if (crypto_hmac_sha256_hex(phone_key, strlen(phone_key), in->sender.key,
				   strlen(in->sender.key), in->from_hash) < 0)
		return -1;
	crypto_sha256_hex(m->text.data ? m->text.data : "", m->text.len, th);
	if (m->provider_id[0] != '\0' && m->weak_id) {
		memcpy(id, m->provider_id, sizeof(id));
		return sms_print(m->provider_id, "a", in->from_hash, id, m->ts,
				 th);
	}
	if (m->provider_id[0] == '\0' && m->ts[0] != '\0')
		return sms_fingerprint(in->from_hash, m->ts, &m->text,
				       m->provider_id);
	if (m->provider_id[0] == '\0') {
		/* "w:HASH:ms" (HASH cut to 56 digits on purpose): the store
		 * merges one HASH within the window. */
		if (sms_print(id, "w", in->from_hash, "", "", th) < 0)
			return -1;
		return sms_fmt(m->provider_id, SMS_ID_MAX, "%.58s:%lld", id,
			       (long long)now_ms);
	}
	return 0;
}

/* ---- step 1: replays ------------------------------------------------- */

static void sms_code_copy(char out[CODE_MAX], const unsigned char *code)
{
	size_t n = code ? strlen((const char *)code) : 0;

	out[0] = '\0';
	if (n > 0 && n < CODE_MAX)
		memcpy(out, code, n + 1);
}

/* Runs a query binding channel and one text; found means a replay. */
static int sms_find_by(sqlite3 *db, struct sms_incoming *in, const char *sql,
		       const char *a, const char *b)
{
	sqlite3_stmt *st = store_stmt(db, sql);
	int rc;

	if (st == NULL)
		return sqlite3_errcode(db);
	sqlite3_bind_text(st, 1, in->ch->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a, -1, SQLITE_STATIC);
	if (b != NULL)
		sqlite3_bind_text(st, 3, b, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		in->replay = 1;
		sms_code_copy(in->code, sqlite3_column_text(st, 0));
		rc = SQLITE_DONE;
	}
	store_stmt_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int sms_store_find(sqlite3 *db, struct sms_incoming *in)
{
	const char *pid = in->msg.provider_id;
	char lo[SMS_ID_MAX], hi[SMS_ID_MAX];
	int rc;

	if (strncmp(pid, "w:", 2) == 0) {
		/* The same sender and text within the window. */
		if (sms_fmt(lo, sizeof(lo), "%.58s:", pid) < 0 ||
		    sms_fmt(hi, sizeof(hi), "%.58s;", pid) < 0)
			return SQLITE_TOOBIG;
		return sms_find_by(db, in,
				   "SELECT code FROM sms_messages"
				   " WHERE channel = ?1 AND provider_id > ?2"
				   " AND provider_id < ?3 AND received_at >"
				   " strftime('%s','now') * 1000 - 10000",
				   lo, hi);
	}
	rc = sms_find_by(db, in,
			 "SELECT code FROM sms_messages"
			 " WHERE channel = ? AND provider_id = ?",
			 pid, NULL);
	if (rc != SQLITE_OK || in->replay)
		return rc;
	rc = sms_find_by(db, in,
			 "SELECT '' FROM sms_parts"
			 " WHERE channel = ? AND provider_id = ?",
			 pid, NULL);
	if (in->replay)
		in->partial = 1;
	return rc;
}

/* ---- step 2: limits -------------------------------------------------- */

/* Adds one to key's count in this window; the new count in *count. */
static int sms_rate_bump(sqlite3 *db, const char *key, int64_t win, int *count)
{
	int64_t n = 0;
	int rc;

	rc = store_get_int(db, &n,
			   "INSERT INTO sms_rate (key, win, count)"
			   " VALUES (?, ?, 1) ON CONFLICT (key, win)"
			   " DO UPDATE SET count = count + 1"
			   " RETURNING count",
			   "tl", key, win);
	*count = (int)n;
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* ---- step 3: parts --------------------------------------------------- */

/*
 * The group key of a part: channel-wide reference, sender and total.
 * SQLITE_OK, or SQLITE_TOOBIG when it does not fit.
 */
static int sms_part_group(const struct sms_incoming *in, char out[SMS_ID_MAX])
{
	char total[16];

	if (sms_fmt(total, sizeof(total), "%d", in->msg.total) < 0 ||
	    sms_print(out, "c", in->from_hash, in->msg.concat, total, "") < 0)
		return SQLITE_TOOBIG;
	return SQLITE_OK;
}

static int sms_part_insert(sqlite3 *db, const struct sms_incoming *in,
			   const char *grp)
{
	const struct sms_msg *m = &in->msg;

	return store_do(
		db,
		"INSERT INTO sms_parts (channel, provider_id, grp, part,"
		" total, text, from_hash, from_kind, from_number,"
		" provider_time, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
		" ON CONFLICT DO NOTHING",
		"tttiiTttttl", in->ch->name, m->provider_id, grp, m->part,
		m->total, m->text.data, m->text.len, in->from_hash,
		sms_phone_kind_name(in->sender.kind), in->sender.key,
		m->provider_time[0] != '\0' ? m->provider_time : NULL,
		store_now_ms());
}

/*
 * Joins the open parts of grp in part order into in->msg.text, marks
 * them done and erases their text and number.  *have gets the number of
 * distinct parts present (nothing is joined when it is below need).
 */
static int sms_part_join(sqlite3 *db, struct sms_incoming *in, const char *grp,
			 int need, int *have)
{
	sqlite3_stmt *st = NULL;
	struct buf *t = &in->msg.text;
	int rc, last = 0;

	rc = sqlite3_prepare_v2(db,
				"SELECT part, text FROM sms_parts"
				" WHERE channel = ? AND grp = ? AND done = 0"
				" ORDER BY part",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, in->ch->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, grp, -1, SQLITE_STATIC);
	*have = 0;
	buf_clear(t);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int part = sqlite3_column_int(st, 0);

		if (part == last)
			continue;
		last = part;
		(*have)++;
		if (buf_append(t, sqlite3_column_text(st, 1),
			       (size_t)sqlite3_column_bytes(st, 1)) < 0) {
			rc = SQLITE_TOOBIG;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	if (*have < need)
		return SQLITE_OK;
	/* The parts' numbers are erased below: leave no copy in free space. */
	rc = store_exec(db, "PRAGMA secure_delete = ON");
	if (rc != SQLITE_OK)
		return rc;
	/* Cut at a character boundary like any other text. */
	if (t->len > STORE_TEXT_MAX) {
		size_t n = STORE_TEXT_MAX;

		while (n > 0 && ((unsigned char)t->data[n] & 0xC0) == 0x80)
			n--;
		t->len = n;
		t->data[n] = '\0';
	}
	return store_do(db,
			"UPDATE sms_parts SET done = 1, text = NULL,"
			" from_number = NULL"
			" WHERE channel = ? AND grp = ? AND done = 0",
			"tt", in->ch->name, grp);
}

/* ---- step 4: what the text asks for ---------------------------------- */

/*
 * A new item of text into o->it, in o->lang; parent (or NULL) is what it
 * adds to, and it answers the site's question when o->answers.
 */
static int sms_make_item(sqlite3 *db, struct sms_outcome *o, const char *text,
			 size_t len, const char *parent)
{
	struct item *it = &o->it;
	int rc;

	memset(it, 0, sizeof(*it));
	it->prompt = o->answers ? o->prompt : NULL;
	it->channel = "sms";
	it->role = "unsaid";
	it->lang = o->lang;
	it->text = text;
	it->text_len = len;
	rc = item_create(db, it);
	if (rc != SQLITE_OK || parent == NULL)
		return rc;
	return store_do(db, "UPDATE items SET parent = ? WHERE id = ?", "tt",
			parent, it->id);
}

/* One endorsement of target by the sender; *again when it existed. */
static int sms_endorse(sqlite3 *db, const struct sms_incoming *in,
		       const char *target, int *again)
{
	char id[CODE_ID_LEN + 1], site[8] = "";
	int64_t now = store_now_ms();
	int rc;

	if (code_make_id(id, (uint64_t)(now < 0 ? 0 : now)) < 0)
		return SQLITE_NOMEM;
	store_meta_get(db, "site", site, sizeof(site));
	rc = store_do(db,
		      "INSERT INTO endorsements (id, target, voter,"
		      " channel, site, made_at) VALUES"
		      " (?, ?, ?, 'sms', ?, ?) ON CONFLICT DO NOTHING",
		      "ttttl", id, target, in->from_hash, site, now);
	*again = sqlite3_changes(db) == 0;
	return rc;
}

/* Copies column col of st into out; "" when NULL or too long. */
static void sms_status_col(sqlite3_stmt *st, int col, char *out, size_t outlen)
{
	const unsigned char *v = sqlite3_column_text(st, col);

	/* A word too long for out is taken as no word at all. */
	if (v == NULL || sms_fmt(out, outlen, "%s", (const char *)v) < 0)
		out[0] = '\0';
}

/*
 * The status of code into *out: the centre's row of the item (or the
 * idea) from the pulled feed first, else the local item's own status;
 * out->word is "" when the code is not known here.
 */
static int sms_status(sqlite3 *db, const char *code, struct sms_status *out)
{
	static const char *const sql[] = {
		"SELECT json_extract(data, '$.status'),"
		" json_extract(data, '$.idea'),"
		" json_extract(data, '$.idea_status') FROM pulled"
		" WHERE kind IN ('item', 'idea') AND key = ?"
		" AND json_valid(data) ORDER BY seq DESC LIMIT 1",
		"SELECT status, NULL, NULL FROM items WHERE code = ?",
	};
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc = SQLITE_OK;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < 2 && out->word[0] == '\0'; i++) {
		rc = sqlite3_prepare_v2(db, sql[i], -1, &st, NULL);
		if (rc != SQLITE_OK)
			return rc;
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			sms_status_col(st, 0, out->word, sizeof(out->word));
			sms_status_col(st, 1, out->idea, sizeof(out->idea));
			sms_status_col(st, 2, out->idea_word,
				       sizeof(out->idea_word));
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return rc;
		rc = SQLITE_OK;
	}
	return rc;
}

/*
 * The language of a status answer about o->cmd.code: the keyword's when
 * it is not English (ESTADO), else the language the item was stored in
 * here, else the channel's.  An English word says little: people text
 * STATUS, like STOP, whatever language they write in, and a code alone
 * says nothing; the item's own language says what its sender reads.
 * SQLite code.
 */
static int sms_status_lang(sqlite3 *db, const struct sms_incoming *in,
			   struct sms_outcome *o)
{
	sqlite3_stmt *st = NULL;
	const unsigned char *l;
	int rc;

	o->lang = o->cmd.lang;
	if (o->lang != NULL && strcmp(o->lang, "en") != 0)
		return SQLITE_OK;
	o->lang = NULL;
	rc = sqlite3_prepare_v2(db, "SELECT lang FROM items WHERE code = ?", -1,
				&st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, o->cmd.code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	l = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
	if (l != NULL)
		o->lang = i18n_lang((const char *)l, strlen((const char *)l));
	sqlite3_finalize(st);
	if (o->lang == NULL)
		o->lang = in->ch->lang;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The status word in the reader's language, or as stored. */
static const char *sms_status_word(const char *lang, const char *status,
				   char *key, size_t keylen)
{
	const char *t;

	if (sms_fmt(key, keylen, "sms.status.%s", status) < 0)
		return status;
	t = i18n_get(lang, key);
	return strcmp(t, key) == 0 ? status : t;
}

/*
 * The answer to STATUS CODE: the code's word; for an item merged into
 * an idea, that it joined the idea and, past being gathered with it,
 * where the idea stands.  0, or -1 when the reply is full.
 */
static int sms_status_reply(struct sms_incoming *in, const struct sms_status *s,
			    const char *lang, const char *code)
{
	char key[96];

	if (s->word[0] == '\0')
		return sms_reply_text(lang, "sms.status_unknown", code, NULL,
				      NULL, &in->reply);
	if (s->idea[0] == '\0')
		return sms_reply_text(
			lang, "sms.status", code, NULL,
			sms_status_word(lang, s->word, key, sizeof(key)),
			&in->reply);
	if (s->idea_word[0] == '\0' ||
	    strcmp(s->idea_word, "consolidated") == 0)
		return sms_reply_text(lang, "sms.status_merged", code, s->idea,
				      NULL, &in->reply);
	return sms_reply_text(
		lang, "sms.status_idea", code, s->idea,
		sms_status_word(lang, s->idea_word, key, sizeof(key)),
		&in->reply);
}

/* ---- step 5: contacts ------------------------------------------------ */

static int sms_store_opted_out(sqlite3 *db, const char *hash, int *out)
{
	int64_t v = 0;
	int rc;

	rc = store_get_int(db, &v,
			   "SELECT opted_out FROM contacts WHERE hash = ?", "t",
			   hash);
	*out = v != 0;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int sms_store_contact(sqlite3 *db, const char *hash, int opted)
{
	return store_do(db,
			"INSERT INTO contacts (hash, opted_out,"
			" changed_at) VALUES (?, ?, ?)"
			" ON CONFLICT (hash) DO UPDATE SET"
			" opted_out = excluded.opted_out,"
			" changed_at = excluded.changed_at"
			" WHERE opted_out <> excluded.opted_out",
			"til", hash, opted, store_now_ms());
}

/* ---- steps 6 and 7 --------------------------------------------------- */

/* ---- the site's question --------------------------------------------- */

/*
 * The question the site asks now (prompts.h), in the reply's language,
 * and whether the sender was asked it already; a plain text answers it
 * when they were asked and have not answered yet.  Without a question,
 * or when it cannot be read, the text is an ordinary item.
 */
static int sms_prompt_look(sqlite3 *db, const struct sms_incoming *in,
			   struct sms_outcome *o)
{
	const char *lang = o->lang;
	int64_t waiting = 0;
	int rc;

	if (in->sender.kind != SMS_FROM_E164 ||
	    (o->cmd.kw != SMS_KW_NONE && o->cmd.kw != SMS_KW_HELP))
		return SQLITE_OK;
	if (prompt_now(db, lang, store_now_ms(), o->prompt, &o->question) !=
	    0) {
		o->prompt[0] = '\0';
		return SQLITE_OK;
	}
	rc = store_get_int(db, &waiting,
			   "SELECT answered_at IS NULL FROM sms_asked"
			   " WHERE hash = ? AND prompt = ?",
			   "tt", in->from_hash, o->prompt);
	if (rc == SQLITE_ROW) {
		o->asked = 1;
		o->answers = o->cmd.kw == SMS_KW_NONE && waiting != 0;
	}
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/*
 * Renders the catalogue text asking when the site has a question the
 * sender was not asked yet and the whole reply fits SMS_REPLY_SEGMENTS
 * (o->ask set), else plain.
 */
static int sms_ask_reply(struct sms_incoming *in, struct sms_outcome *o,
			 const char *lang, const char *plain,
			 const char *asking)
{
	struct sms_marks m = {in->code, NULL, NULL, o->question.data};
	struct gsm7_plan p;

	if (o->prompt[0] != '\0' && !o->asked) {
		if (sms_render(lang, asking, &m, &in->reply) == 0 &&
		    gsm7_plan(in->reply.data, in->reply.len, &p) == 0 &&
		    p.segments <= SMS_REPLY_SEGMENTS) {
			o->ask = 1;
			return 0;
		}
		buf_clear(&in->reply);
	}
	return sms_render(lang, plain, &m, &in->reply);
}

/* Records that the reply asked the question, or that the item answers
 * it. */
static int sms_prompt_note(sqlite3 *db, const struct sms_incoming *in,
			   const struct sms_outcome *o)
{
	if (o->ask)
		return store_do(db,
				"INSERT INTO sms_asked (hash, prompt, asked_at)"
				" VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
				"ttl", in->from_hash, o->prompt,
				store_now_ms());
	if (o->answers)
		return store_do(db,
				"UPDATE sms_asked SET answered_at = ?"
				" WHERE hash = ? AND prompt = ?",
				"ltt", store_now_ms(), in->from_hash,
				o->prompt);
	return SQLITE_OK;
}

static int sms_pick_reply(struct sms_incoming *in, struct sms_outcome *o,
			  int was_out)
{
	const char *lang = o->lang ? o->lang : in->ch->lang;
	const char *c = o->cmd.code;

	if (in->sender.kind != SMS_FROM_E164)
		return 0;
	switch (o->cmd.kw) {
	case SMS_KW_STOP:
		return was_out ? 0
			       : sms_reply_text(lang, "sms.stop_confirm", NULL,
						NULL, NULL, &in->reply);
	case SMS_KW_START:
		return sms_reply_text(lang, "sms.start_confirm", NULL, NULL,
				      NULL, &in->reply);
	default:
		break;
	}
	if (was_out)
		return 0;
	if (o->limited)
		return o->limit_note ? sms_reply_text(lang, "sms.limited", NULL,
						      NULL, NULL, &in->reply)
				     : 0;
	switch (o->cmd.kw) {
	case SMS_KW_HELP:
		return sms_ask_reply(in, o, lang, "sms.help", "sms.help_ask");
	case SMS_KW_ENDORSE:
		return sms_reply_text(
			lang, o->again ? "sms.endorse_again" : "sms.endorsed",
			c, NULL, NULL, &in->reply);
	case SMS_KW_STATUS:
		if (o->cmd.code_bad)
			return sms_reply_text(lang, "sms.code_bad", NULL, NULL,
					      NULL, &in->reply);
		return sms_status_reply(in, &o->status, lang, c);
	case SMS_KW_ADD:
		return sms_reply_text(lang, "sms.added", o->it.code, c, NULL,
				      &in->reply);
	case SMS_KW_FOLLOW:
		return sms_reply_text(lang,
				      c[0] == '\0' ? "sms.follow_none"
				      : in->later  ? "sms.follow"
						   : "sms.follow_off",
				      c, NULL, NULL, &in->reply);
	default:
		break;
	}
	if (o->blank)
		return sms_reply_text(lang, "sms.blank", NULL, NULL, NULL,
				      &in->reply);
	if (o->answers)
		return sms_reply_text(lang,
				      in->later ? "sms.answer_ack"
						: "sms.answer_ack_no_follow",
				      in->code, NULL, NULL, &in->reply);
	return sms_ask_reply(in, o, lang, sms_ack_key(in->later),
			     "sms.ack_ask");
}

static int sms_store_row(sqlite3 *db, const struct sms_incoming *in,
			 const struct sms_outcome *o)
{
	const struct sms_msg *m = &in->msg;
	const char *kw = o->limited ? "limited" : sms_keyword_name(o->cmd.kw);

	return store_do(
		db,
		"INSERT INTO sms_messages (channel, provider_id, item_id,"
		" code, from_hash, from_kind, keyword, provider_time, media,"
		" acked, received_at, incomplete)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
		"tttttttttili", in->ch->name, m->provider_id,
		o->it.id[0] != '\0' ? o->it.id : NULL,
		in->code[0] != '\0' ? in->code : NULL, in->from_hash,
		sms_phone_kind_name(in->sender.kind), kw,
		m->provider_time[0] != '\0' ? m->provider_time : NULL, m->media,
		in->reply.len > 0, store_now_ms(), o->incomplete);
}

static int sms_store_queue(sqlite3 *db, struct sms_incoming *in)
{
	int64_t now = store_now_ms();
	int rc;

	rc = store_do(db,
		      "INSERT INTO sms_outbox (channel, code, to_hash,"
		      " to_number, body, next_at, made_at)"
		      " VALUES (?,?,?,?,?,?,?)",
		      "ttttTll", in->ch->name, in->code, in->from_hash,
		      in->sender.key, in->reply.data, in->reply.len, now, now);
	in->queued = rc == SQLITE_OK;
	return rc;
}

/* Step 4 for one whole message. */
/*
 * 1 when text holds no words, only white space: a picture without a
 * caption, or a slip of the thumb.  The message is kept; no item is made.
 */
static int sms_blank(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r' &&
		    text[i] != '\n')
			return 0;
	return 1;
}

static int sms_store_act(sqlite3 *db, struct sms_incoming *in,
			 struct sms_outcome *o)
{
	const char *text = in->msg.text.data ? in->msg.text.data : "";
	size_t len = in->msg.text.len;
	int rc = SQLITE_OK;

	sms_command_parse(text, len, &o->cmd);
	o->lang = o->cmd.lang;
	if (o->lang == NULL)
		o->lang = o->cmd.kw == SMS_KW_ADD
				  ? lang_guess(o->cmd.rest, o->cmd.rest_len)
				  : lang_guess(text, len);
	if (o->lang == NULL)
		o->lang = in->ch->lang;
	if (o->limited)
		return SQLITE_OK;
	switch (o->cmd.kw) {
	case SMS_KW_ENDORSE:
		rc = sms_endorse(db, in, o->cmd.code, &o->again);
		break;
	case SMS_KW_STATUS:
		if (!o->cmd.code_bad)
			rc = sms_status(db, o->cmd.code, &o->status);
		if (rc == SQLITE_OK)
			rc = sms_status_lang(db, in, o);
		break;
	case SMS_KW_ADD:
		rc = sms_make_item(db, o, o->cmd.rest, o->cmd.rest_len,
				   o->cmd.code);
		break;
	case SMS_KW_FOLLOW:
		if (o->cmd.code[0] == '\0')
			rc = sms_follow_latest(db, in->ch->name, in->from_hash,
					       o->cmd.code);
		break;
	default:
		if (sms_blank(text, len)) {
			o->blank = 1;
			break;
		}
		rc = sms_prompt_look(db, in, o);
		if (rc == SQLITE_OK)
			rc = sms_make_item(db, o, text, len, NULL);
		break;
	}
	/* Endorsements and status questions answer about the code asked. */
	memcpy(in->code, o->it.id[0] ? o->it.code : o->cmd.code, CODE_MAX);
	return rc;
}

/* Steps 4 to 7 for one whole message. */
static int sms_store_whole(sqlite3 *db, struct sms_incoming *in,
			   struct sms_outcome *o)
{
	int rc, was_out = 0, phone = in->sender.kind == SMS_FROM_E164;
	enum sms_keyword kw;

	rc = sms_store_act(db, in, o);
	if (rc != SQLITE_OK)
		return rc;
	kw = o->cmd.kw;
	if (phone) {
		rc = sms_store_opted_out(db, in->from_hash, &was_out);
		if (rc == SQLITE_OK)
			rc = sms_store_contact(db, in->from_hash,
					       kw == SMS_KW_STOP    ? 1
					       : kw == SMS_KW_START ? 0
								    : was_out);
		if (rc == SQLITE_OK && kw == SMS_KW_STOP)
			rc = sms_follow_forget(db, in->from_hash);
		if (rc == SQLITE_OK && kw == SMS_KW_FOLLOW && !was_out &&
		    !o->limited && in->later && o->cmd.code[0] != '\0')
			rc = sms_follow_add(db, o->cmd.code, in->ch->name,
					    in->from_hash, in->sender.key);
		if (rc != SQLITE_OK)
			return rc;
	}
	if (sms_pick_reply(in, o, was_out) < 0)
		return SQLITE_NOMEM;
	if (in->reply.len > 0)
		in->reply.len = gsm7_fit(in->reply.data, in->reply.len,
					 SMS_REPLY_SEGMENTS);
	rc = sms_prompt_note(db, in, o);
	if (rc == SQLITE_OK)
		rc = sms_store_row(db, in, o);
	if (rc == SQLITE_OK && in->outbox && in->reply.len > 0)
		rc = sms_store_queue(db, in);
	return rc;
}

static int sms_store_message(sqlite3 *db, struct sms_incoming *in,
			     struct sms_outcome *o)
{
	int rc;

	buf_init(&o->question, SMS_QUESTION_MAX);
	rc = sms_store_whole(db, in, o);
	buf_release(&o->question);
	return rc;
}

/* Step 2: 1 when the channel is over its limit. */
static int sms_store_limits(sqlite3 *db, struct sms_incoming *in,
			    struct sms_outcome *o, int *full)
{
	const struct sms_limits *lim = in->limits;
	int64_t now = store_now_ms();
	char key[96];
	int n = 0, rc;

	*full = 0;
	if (lim == NULL)
		return SQLITE_OK;
	if (sms_fmt(key, sizeof(key), "c:%s", in->ch->name) < 0)
		return SQLITE_TOOBIG;
	rc = sms_rate_bump(db, key, now / SMS_CHANNEL_WINDOW_MS, &n);
	if (rc != SQLITE_OK)
		return rc;
	if (lim->channel_per_minute > 0 && n > lim->channel_per_minute) {
		*full = 1;
		return SQLITE_OK;
	}
	if (sms_fmt(key, sizeof(key), "p:%s", in->from_hash) < 0)
		return SQLITE_TOOBIG;
	rc = sms_rate_bump(db, key, now / SMS_PHONE_WINDOW_MS, &n);
	if (rc == SQLITE_OK && lim->phone_per_hour > 0 &&
	    n > lim->phone_per_hour) {
		o->limited = 1;
		o->limit_note = n == lim->phone_per_hour + 1;
	}
	return rc;
}

int sms_store_apply(sqlite3 *db, struct sms_incoming *in)
{
	struct sms_outcome o;
	char grp[SMS_ID_MAX];
	int rc, have = 0, full = 0;

	memset(&o, 0, sizeof(o));
	buf_clear(&in->reply);
	rc = sms_store_find(db, in);
	if (rc != SQLITE_OK || in->replay)
		return rc;
	rc = sms_store_limits(db, in, &o, &full);
	if (rc != SQLITE_OK || full) {
		in->channel_full = full;
		return rc;
	}
	if (in->msg.concat[0] != '\0') {
		rc = sms_part_group(in, grp);
		if (rc == SQLITE_OK)
			rc = sms_part_insert(db, in, grp);
		if (rc == SQLITE_OK)
			rc = sms_part_join(db, in, grp, in->msg.total, &have);
		if (rc != SQLITE_OK)
			return rc;
		if (have < in->msg.total) {
			in->partial = 1;
			buf_clear(&in->msg.text);
			return SQLITE_OK;
		}
		if (sms_fmt(in->msg.provider_id, SMS_ID_MAX, "%s", grp) < 0)
			return SQLITE_TOOBIG;
	}
	return sms_store_message(db, in, &o);
}

/* ---- parts that never completed -------------------------------------- */

/* A stale part's sender and time into in; SQLITE_TOOBIG if cut. */
static int sms_expire_copy(struct sms_incoming *in, const unsigned char *hash,
			   const unsigned char *num, const unsigned char *pt)
{
	if (sms_fmt(in->from_hash, sizeof(in->from_hash), "%s",
		    hash ? (const char *)hash : "") < 0 ||
	    sms_fmt(in->sender.key, sizeof(in->sender.key), "%s",
		    num ? (const char *)num : "") < 0 ||
	    sms_fmt(in->msg.provider_time, STORE_TIME_LEN, "%s",
		    pt ? (const char *)pt : "") < 0)
		return SQLITE_TOOBIG;
	return SQLITE_OK;
}

/* One stale group of ch into an incomplete item. */
static int sms_expire_group(sqlite3 *db, struct sms_incoming *in,
			    const char *grp)
{
	struct sms_outcome o;
	sqlite3_stmt *st = NULL;
	int rc, have = 0;

	memset(&o, 0, sizeof(o));
	rc = sqlite3_prepare_v2(
		db,
		"SELECT from_hash, from_kind, from_number,"
		" provider_time FROM sms_parts WHERE channel = ?"
		" AND grp = ? AND done = 0 LIMIT 1",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, in->ch->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, grp, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *kind = sqlite3_column_text(st, 1);
		const unsigned char *num = sqlite3_column_text(st, 2);
		const unsigned char *pt = sqlite3_column_text(st, 3);

		const unsigned char *hash = sqlite3_column_text(st, 0);

		in->sender.kind =
			kind && strcmp((const char *)kind, "e164") == 0
				? SMS_FROM_E164
				: SMS_FROM_UNKNOWN;
		rc = sms_expire_copy(in, hash, num, pt);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return rc == SQLITE_DONE ? SQLITE_OK : rc;
	if (in->sender.key[0] == '\0')
		in->sender.kind = SMS_FROM_UNKNOWN;
	rc = sms_part_join(db, in, grp, 0, &have);
	if (rc != SQLITE_OK)
		return rc;
	if (sms_fmt(in->msg.provider_id, SMS_ID_MAX, "%s", grp) < 0)
		return SQLITE_TOOBIG;
	o.incomplete = 1;
	return sms_store_message(db, in, &o);
}

int sms_store_expire_parts(sqlite3 *db, const struct sms_channel *ch,
			   const struct sms_limits *limits, int outbox,
			   int64_t before_ms, int *made)
{
	sqlite3_stmt *st = NULL;
	struct sms_incoming in;
	char grp[SMS_ID_MAX];
	int rc;

	*made = 0;
	rc = sqlite3_prepare_v2(db,
				"SELECT grp FROM sms_parts WHERE channel = ?"
				" AND done = 0 GROUP BY grp"
				" HAVING max(received_at) < ? LIMIT 1",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	for (;;) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, ch->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, before_ms);
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW)
			break;
		if (sms_fmt(grp, sizeof(grp), "%s",
			    (const char *)sqlite3_column_text(st, 0)) < 0) {
			rc = SQLITE_TOOBIG;
			break;
		}
		sqlite3_reset(st);
		memset(&in, 0, sizeof(in));
		in.ch = ch;
		in.limits = limits;
		in.outbox = outbox;
		in.later = outbox; /* only the outbox answers a joined text */
		sms_msg_init(&in.msg);
		buf_init(&in.reply, 1024);
		rc = sms_expire_group(db, &in, grp);
		sms_msg_release(&in.msg);
		buf_release(&in.reply);
		if (rc != SQLITE_OK)
			break;
		(*made)++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}
