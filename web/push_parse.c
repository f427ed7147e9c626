/*
 * push_parse: checking a push batch item by item.  See push_parse.h.
 */
#include "push_parse.h"

#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "utf8.h"

static const char *const push_channels[] = {"kiosk", "sms", "web", NULL};

/* The string value of o[key] and its length, or NULL. */
static const char *push_str(json_t *o, const char *key, size_t *len)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		return NULL;
	*len = json_string_length(v);
	return json_string_value(v);
}

static const char *push_channel(const char *s, size_t len)
{
	size_t i;

	for (i = 0; push_channels[i] != NULL; i++)
		if (strlen(push_channels[i]) == len &&
		    memcmp(push_channels[i], s, len) == 0)
			return push_channels[i];
	return NULL;
}

/* A language tag as the catalogues name them: two or three a-z. */
static int push_lang_ok(const char *s, size_t len)
{
	size_t i;

	if (len < 2 || len > 3)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return 1;
}

static int push_hex_ok(const char *s, size_t len)
{
	size_t i;

	if (len != CRYPTO_SHA256_HEX - 1)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* id and code: the identity, and the code's site must be the sender. */
static const char *push_identity(json_t *o, const char *site, struct item *it)
{
	char canon[CODE_MAX], csite[CODE_SITE_LEN + 1];
	uint64_t cseq;
	json_t *seq;
	const char *s;
	size_t len;

	s = push_str(o, "id", &len);
	if (s == NULL || !code_is_id(s, len))
		return "id";
	memcpy(it->id, s, len + 1);

	s = push_str(o, "code", &len);
	if (s == NULL || code_parse(s, len, canon, csite, &cseq) < 0 ||
	    strlen(canon) != len || memcmp(canon, s, len) != 0)
		return "code";
	if (strcmp(csite, site) != 0)
		return "site";
	memcpy(it->code, canon, sizeof(canon));
	memcpy(it->site, csite, sizeof(csite));

	seq = json_object_get(o, "seq");
	if (!json_is_integer(seq) || json_integer_value(seq) < 1 ||
	    (uint64_t)json_integer_value(seq) != cseq)
		return "seq";
	it->seq = (int64_t)cseq;
	return NULL;
}

/* channel, role, lang and text. */
static const char *push_content(json_t *o, struct item *it)
{
	const char *s;
	size_t len;

	s = push_str(o, "channel", &len);
	if (s == NULL || (it->channel = push_channel(s, len)) == NULL)
		return "channel";
	s = push_str(o, "role", &len);
	it->role = s ? item_role(s, len) : NULL;
	if (it->role == NULL || strlen(it->role) != len ||
	    memcmp(it->role, s, len) != 0)
		return "role";
	s = push_str(o, "lang", &len);
	if (s == NULL || !push_lang_ok(s, len))
		return "lang";
	it->lang = s;
	s = push_str(o, "text", &len);
	if (s == NULL || len > STORE_TEXT_MAX || !utf8_text_valid(s, len))
		return "text";
	it->text = s;
	it->text_len = len;
	return NULL;
}

/* made_at, clock_ok, and the hash, which must match what arrived. */
static const char *push_stamp(json_t *o, struct item *it)
{
	char again[CRYPTO_SHA256_HEX];
	json_t *v;
	const char *s;
	size_t len;

	v = json_object_get(o, "made_at");
	if (!json_is_integer(v))
		return "made_at";
	it->made_at = (int64_t)json_integer_value(v);
	v = json_object_get(o, "clock_ok");
	if (!json_is_boolean(v))
		return "clock_ok";
	it->clock_ok = json_is_true(v);

	s = push_str(o, "sha256", &len);
	if (s == NULL || !push_hex_ok(s, len))
		return "sha256";
	memcpy(it->sha256, s, len + 1);
	if (item_hash(it, again) < 0)
		return "memory";
	if (strcmp(again, it->sha256) != 0)
		return "sha256";
	return NULL;
}

/* A short printable key, as prompt ids and idea keys are. */
static int push_key_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > PUSH_KEY_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

/* parent (a code, of any site) and prompt (a key): both optional. */
static const char *push_links(json_t *o, struct push_entry *e)
{
	char csite[CODE_SITE_LEN + 1];
	json_t *v;
	size_t len;

	v = json_object_get(o, "parent");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v))
			return "parent";
		len = json_string_length(v);
		if (code_parse(json_string_value(v), len, e->parent, csite,
			       NULL) < 0)
			return "parent";
	}
	v = json_object_get(o, "prompt");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v) ||
		    !push_key_ok(json_string_value(v), json_string_length(v)))
			return "prompt";
		e->prompt = json_string_value(v);
	}
	return NULL;
}

static void push_entry_read(json_t *o, const char *site, struct push_entry *e)
{
	const char *s, *why;
	size_t len;

	memset(e, 0, sizeof(*e));
	if (!json_is_object(o)) {
		e->status = PUSH_REJECTED;
		e->reason = "fields";
		return;
	}
	s = push_str(o, "id", &len);
	if (s != NULL && len <= PUSH_ECHO_MAX && strlen(s) == len) {
		memcpy(e->echo, s, len + 1);
		e->has_echo = 1;
	}
	why = push_identity(o, site, &e->item);
	if (why == NULL)
		why = push_content(o, &e->item);
	if (why == NULL)
		why = push_stamp(o, &e->item);
	if (why == NULL)
		why = push_links(o, e);
	e->status = why ? PUSH_REJECTED : PUSH_VALID;
	e->reason = why;
}

/* The batch's own fields: site (optional, must match) and device. */
static const char *push_header(json_t *root, const char *site,
			       char device[PUSH_DEVICE_MAX + 1])
{
	const char *s;
	size_t len;
	json_t *v = json_object_get(root, "site");

	if (v != NULL &&
	    (!json_is_string(v) || strcmp(json_string_value(v), site) != 0))
		return "site";
	s = push_str(root, "device", &len);
	if (s == NULL || !push_device_ok(s, len))
		return "device";
	memcpy(device, s, len + 1);
	return NULL;
}

int push_device_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > PUSH_DEVICE_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-' ||
		      s[i] == '_'))
			return 0;
	return 1;
}

int push_parse(const char *body, size_t len, const char *site,
	       struct push_batch *out, const char **why)
{
	struct push_batch b;
	json_error_t jerr;
	json_t *items;
	size_t i;

	memset(&b, 0, sizeof(b));
	b.root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
			    &jerr);
	*why = "json";
	if (!json_is_object(b.root))
		goto fail;
	*why = push_header(b.root, site, b.device);
	if (*why != NULL)
		goto fail;
	items = json_object_get(b.root, "items");
	*why = "items";
	if (!json_is_array(items))
		goto fail;
	*why = "too_many";
	b.count = json_array_size(items);
	if (b.count > PUSH_ITEMS_MAX)
		goto fail;
	*why = "memory";
	b.entries = calloc(b.count ? b.count : 1, sizeof(*b.entries));
	if (b.entries == NULL)
		goto fail;
	for (i = 0; i < b.count; i++)
		push_entry_read(json_array_get(items, i), site, &b.entries[i]);
	*why = NULL;
	*out = b;
	return 0;

fail:
	push_batch_release(&b);
	return -1;
}

void push_batch_release(struct push_batch *b)
{
	json_decref(b->root);
	free(b->entries);
	memset(b, 0, sizeof(*b));
}

size_t push_count(const struct push_batch *b, enum push_status st)
{
	size_t i, n = 0;

	for (i = 0; i < b->count; i++)
		n += b->entries[i].status == st;
	return n;
}

int push_parse_hello(const char *body, size_t len, const char *site,
		     struct push_hello *out, const char **why)
{
	struct push_hello h;
	json_t *root, *v;

	memset(&h, 0, sizeof(h));
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	*why = "json";
	if (!json_is_object(root))
		goto fail;
	*why = push_header(root, site, h.device);
	if (*why != NULL)
		goto fail;
	v = json_object_get(root, "sent_at");
	*why = "sent_at";
	if (v != NULL && !json_is_integer(v))
		goto fail;
	h.has_sent_at = v != NULL;
	h.sent_at = v ? (int64_t)json_integer_value(v) : 0;
	*why = NULL;
	*out = h;
	json_decref(root);
	return 0;

fail:
	json_decref(root);
	return -1;
}

/* A voter: a keyed hash in lower-case hex, 16 to 128 digits. */
static int push_voter_ok(const char *s, size_t len)
{
	size_t i;

	if (len < 16 || len > 128)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static const char *push_vote_fields(json_t *o, struct push_vote *v)
{
	const char *s;
	json_t *t;
	size_t len;

	s = push_str(o, "id", &len);
	if (s == NULL || !code_is_id(s, len))
		return "id";
	memcpy(v->id, s, len + 1);
	s = push_str(o, "target", &len);
	if (s == NULL || !push_key_ok(s, len))
		return "target";
	v->target = s;
	s = push_str(o, "voter", &len);
	if (s == NULL || !push_voter_ok(s, len))
		return "voter";
	v->voter = s;
	s = push_str(o, "channel", &len);
	if (s == NULL || (v->channel = push_channel(s, len)) == NULL)
		return "channel";
	t = json_object_get(o, "made_at");
	if (!json_is_integer(t))
		return "made_at";
	v->made_at = (int64_t)json_integer_value(t);
	return NULL;
}

static void push_vote_read(json_t *o, struct push_vote *v)
{
	const char *s;
	size_t len;

	memset(v, 0, sizeof(*v));
	if (!json_is_object(o)) {
		v->status = PUSH_REJECTED;
		v->reason = "fields";
		return;
	}
	s = push_str(o, "id", &len);
	if (s != NULL && len <= PUSH_ECHO_MAX && strlen(s) == len) {
		memcpy(v->echo, s, len + 1);
		v->has_echo = 1;
	}
	v->reason = push_vote_fields(o, v);
	v->status = v->reason ? PUSH_REJECTED : PUSH_VALID;
}

int push_parse_votes(const char *body, size_t len, const char *site,
		     struct push_votes *out, const char **why)
{
	struct push_votes b;
	json_t *arr;
	size_t i;

	memset(&b, 0, sizeof(b));
	b.root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	*why = "json";
	if (!json_is_object(b.root))
		goto fail;
	*why = push_header(b.root, site, b.device);
	if (*why != NULL)
		goto fail;
	arr = json_object_get(b.root, "endorsements");
	*why = "endorsements";
	if (!json_is_array(arr))
		goto fail;
	*why = "too_many";
	b.count = json_array_size(arr);
	if (b.count > PUSH_ITEMS_MAX)
		goto fail;
	*why = "memory";
	b.votes = calloc(b.count ? b.count : 1, sizeof(*b.votes));
	if (b.votes == NULL)
		goto fail;
	for (i = 0; i < b.count; i++)
		push_vote_read(json_array_get(arr, i), &b.votes[i]);
	*why = NULL;
	*out = b;
	return 0;

fail:
	push_votes_release(&b);
	return -1;
}

void push_votes_release(struct push_votes *b)
{
	json_decref(b->root);
	free(b->votes);
	memset(b, 0, sizeof(*b));
}
