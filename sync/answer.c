/*
 * answer: the handshake's and the pull's answers.  See answer.h.
 */
#include "answer.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Status, Content-Type and marker: the frame every answer shares. */
static enum receipt_verdict answer_frame(const struct receipt_answer *a)
{
	size_t n;

	if (a->status == 401 || a->status == 403)
		return RECEIPT_AUTH;
	if (a->status != 200)
		return RECEIPT_HTTP;
	if (a->ctype == NULL || a->marker == NULL)
		return RECEIPT_NOT_CHORUS;
	n = strlen("application/json");
	if (strncasecmp(a->ctype, "application/json", n) != 0 ||
	    (a->ctype[n] != '\0' && a->ctype[n] != ';' && a->ctype[n] != ' '))
		return RECEIPT_NOT_CHORUS;
	if (strcmp(a->marker, "1") != 0)
		return RECEIPT_NOT_CHORUS;
	return RECEIPT_OK;
}

/* The body as a JSON object marked "chorus": "sync/1", or NULL. */
static json_t *answer_body(const struct receipt_answer *a)
{
	json_t *root, *v;

	root = json_loadb(a->body ? a->body : "", a->body_len,
			  JSON_REJECT_DUPLICATES, NULL);
	v = json_object_get(root, "chorus");
	if (!json_is_string(v) || strcmp(json_string_value(v), "sync/1") != 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* o[key] as an integer >= min into *out; -1 when it is not one. */
static int answer_int(json_t *o, const char *key, long long min, long long *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < min)
		return -1;
	*out = (long long)json_integer_value(v);
	return 0;
}

enum receipt_verdict answer_hello(const struct receipt_answer *a,
				  struct answer_hello *out)
{
	struct answer_hello h;
	enum receipt_verdict v = answer_frame(a);
	json_t *root;

	if (v != RECEIPT_OK)
		return v;
	root = answer_body(a);
	v = RECEIPT_MALFORMED;
	if (root != NULL &&
	    answer_int(root, "high_water", 0, &h.high_water) == 0 &&
	    answer_int(root, "items", 0, &h.items) == 0 &&
	    answer_int(root, "endorsements", 0, &h.endorsements) == 0 &&
	    answer_int(root, "seq_block", 0, &h.seq_block) == 0 &&
	    answer_int(root, "batch_max", 1, &h.batch_max) == 0 &&
	    answer_int(root, "body_max", 1, &h.body_max) == 0 &&
	    answer_int(root, "feed_seq", 0, &h.feed_seq) == 0) {
		*out = h;
		v = RECEIPT_OK;
	}
	json_decref(root);
	return v;
}

/* A kind or key: 1 to ANSWER_KEY_MAX printable ASCII bytes. */
static const char *answer_key(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);
	const char *s;
	size_t i, n;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0 || n > ANSWER_KEY_MAX)
		return NULL;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return NULL;
	return s;
}

static int answer_row(json_t *o, long long after, struct answer_row *r)
{
	json_t *del, *data;

	if (!json_is_object(o) || answer_int(o, "seq", after + 1, &r->seq) < 0)
		return -1;
	r->kind = answer_key(o, "kind");
	r->key = answer_key(o, "key");
	del = json_object_get(o, "deleted");
	data = json_object_get(o, "data");
	if (r->kind == NULL || r->key == NULL || !json_is_boolean(del))
		return -1;
	r->deleted = json_is_true(del);
	if (r->deleted ? !json_is_null(data) : !json_is_object(data))
		return -1;
	r->data = r->deleted ? NULL : data;
	return 0;
}

static int answer_rows(json_t *rows, long long since, struct answer_page *p)
{
	long long last = since;
	size_t i;

	p->n = json_array_size(rows);
	p->rows = calloc(p->n ? p->n : 1, sizeof(*p->rows));
	if (p->rows == NULL)
		return -1;
	for (i = 0; i < p->n; i++) {
		if (answer_row(json_array_get(rows, i), last, &p->rows[i]) < 0)
			return -1;
		last = p->rows[i].seq;
	}
	return p->next >= last ? 0 : -1;
}

enum receipt_verdict answer_pull(const struct receipt_answer *a,
				 long long since, struct answer_page *out)
{
	struct answer_page p;
	enum receipt_verdict v = answer_frame(a);
	json_t *rows, *more;

	memset(out, 0, sizeof(*out));
	if (v != RECEIPT_OK)
		return v;
	memset(&p, 0, sizeof(p));
	p.root = answer_body(a);
	rows = json_object_get(p.root, "rows");
	more = json_object_get(p.root, "more");
	if (p.root == NULL || !json_is_array(rows) || !json_is_boolean(more) ||
	    answer_int(p.root, "next", since, &p.next) < 0)
		goto bad;
	p.more = json_is_true(more);
	if (answer_rows(rows, since, &p) < 0)
		goto bad;
	*out = p;
	return RECEIPT_OK;

bad:
	answer_page_release(&p);
	return RECEIPT_MALFORMED;
}

void answer_page_release(struct answer_page *p)
{
	json_decref(p->root);
	free(p->rows);
	memset(p, 0, sizeof(*p));
}
