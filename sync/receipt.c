/*
 * receipt: the site's judge of push answers.  See receipt.h.
 */
#include "receipt.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* True when ctype is application/json, with or without parameters. */
static int receipt_ctype_ok(const char *ctype)
{
	static const char want[] = "application/json";
	size_t n = sizeof(want) - 1;

	if (ctype == NULL)
		return 0;
	while (*ctype == ' ')
		ctype++;
	if (strncasecmp(ctype, want, n) != 0)
		return 0;
	ctype += n;
	while (*ctype == ' ')
		ctype++;
	return *ctype == '\0' || *ctype == ';';
}

static int receipt_marker_ok(const char *marker)
{
	if (marker == NULL)
		return 0;
	while (*marker == ' ')
		marker++;
	return marker[0] == '1' && (marker[1] == '\0' || marker[1] == ' ');
}

/* An http(s) URL of printable ASCII that fits. */
static int receipt_url_ok(json_t *v)
{
	const char *s = json_string_value(v);
	size_t i, n;

	if (s == NULL)
		return 0;
	n = json_string_length(v);
	if (n >= RECEIPT_URL_MAX || n != strlen(s))
		return 0;
	if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

/* Copies a reason, keeping printable ASCII only, cut to fit. */
static void receipt_reason(char out[RECEIPT_REASON_MAX], json_t *v)
{
	const char *s = json_string_value(v);
	size_t i, n = 0, len;

	if (s == NULL) {
		s = "unspecified";
		len = strlen(s);
	} else {
		len = json_string_length(v);
	}
	for (i = 0; i < len && n < RECEIPT_REASON_MAX - 1; i++)
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f)
			out[n++] = s[i];
	out[n] = '\0';
}

/* The index of the item sent with id v, or n when none. */
static size_t receipt_find(const struct receipt_item *items, size_t n,
			   json_t *v)
{
	const char *s = json_string_value(v);
	size_t i, len;

	if (s == NULL)
		return n;
	len = json_string_length(v);
	for (i = 0; i < n; i++)
		if (strlen(items[i].id) == len &&
		    memcmp(items[i].id, s, len) == 0)
			return i;
	return n;
}

/* Reads one result into got[]; a verdict other than OK stops the check. */
static enum receipt_verdict receipt_one(json_t *r,
					const struct receipt_item *items,
					size_t n, struct receipt_item *got)
{
	const char *status;
	size_t i;

	if (!json_is_object(r))
		return RECEIPT_MALFORMED;
	i = receipt_find(items, n, json_object_get(r, "id"));
	if (i == n)
		return RECEIPT_INCOMPLETE;
	if (got[i].outcome != RECEIPT_UNCONFIRMED)
		return RECEIPT_MALFORMED;
	status = json_string_value(json_object_get(r, "status"));
	if (status == NULL)
		return RECEIPT_MALFORMED;
	if (strcmp(status, "stored") == 0 || strcmp(status, "duplicate") == 0) {
		got[i].outcome = RECEIPT_SENT;
	} else if (strcmp(status, "rejected") == 0) {
		got[i].outcome = RECEIPT_REJECTED;
		receipt_reason(got[i].reason, json_object_get(r, "reason"));
	} else {
		return RECEIPT_MALFORMED;
	}
	return RECEIPT_OK;
}

static enum receipt_verdict receipt_body(json_t *root,
					 const struct receipt_item *items,
					 size_t n, struct receipt_item *got)
{
	json_t *results, *r;
	enum receipt_verdict v;
	const char *proto;
	size_t i;

	proto = json_string_value(json_object_get(root, "chorus"));
	if (proto == NULL || strcmp(proto, "sync/1") != 0)
		return RECEIPT_MALFORMED;
	if (!receipt_url_ok(json_object_get(root, "public_url")))
		return RECEIPT_MALFORMED;
	results = json_object_get(root, "results");
	if (!json_is_array(results))
		return RECEIPT_MALFORMED;
	json_array_foreach(results, i, r)
	{
		v = receipt_one(r, items, n, got);
		if (v != RECEIPT_OK)
			return v;
	}
	for (i = 0; i < n; i++)
		if (got[i].outcome == RECEIPT_UNCONFIRMED)
			return RECEIPT_INCOMPLETE;
	return RECEIPT_OK;
}

enum receipt_verdict receipt_check(const struct receipt_answer *a,
				   struct receipt_item *items, size_t n,
				   char public_url[RECEIPT_URL_MAX])
{
	struct receipt_item *got = NULL;
	enum receipt_verdict v;
	json_t *root = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		items[i].outcome = RECEIPT_UNCONFIRMED;
		items[i].reason[0] = '\0';
	}
	if (a->status == 401 || a->status == 403)
		return RECEIPT_AUTH;
	if (a->status != 200)
		return RECEIPT_HTTP;
	if (!receipt_ctype_ok(a->ctype) || !receipt_marker_ok(a->marker))
		return RECEIPT_NOT_CHORUS;
	root = json_loadb(a->body ? a->body : "", a->body_len,
			  JSON_REJECT_DUPLICATES, NULL);
	v = RECEIPT_MALFORMED;
	if (!json_is_object(root))
		goto done;
	got = calloc(n ? n : 1, sizeof(*got));
	if (got == NULL)
		goto done;
	v = receipt_body(root, items, n, got);
	if (v != RECEIPT_OK)
		goto done;
	for (i = 0; i < n; i++) {
		items[i].outcome = got[i].outcome;
		memcpy(items[i].reason, got[i].reason, RECEIPT_REASON_MAX);
	}
	memcpy(public_url,
	       json_string_value(json_object_get(root, "public_url")),
	       json_string_length(json_object_get(root, "public_url")) + 1);

done:
	free(got);
	json_decref(root);
	return v;
}

const char *receipt_word(enum receipt_verdict v)
{
	switch (v) {
	case RECEIPT_OK:
		return "ok";
	case RECEIPT_AUTH:
		return "auth";
	case RECEIPT_HTTP:
		return "http";
	case RECEIPT_NOT_CHORUS:
		return "not_chorus";
	case RECEIPT_MALFORMED:
		return "malformed";
	case RECEIPT_INCOMPLETE:
		return "incomplete";
	}
	return "unknown";
}
