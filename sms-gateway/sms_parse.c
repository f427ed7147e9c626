/*
 * sms_parse: turns what a gateway sent into one normalised message
 * (struct sms_msg): Twilio's signed form, Kannel's query or body with
 * its codings, text repair to UTF-8, ids and fingerprints, and the
 * escaping of replies.  No I/O, so the daemon, the unit tests and the
 * fuzz harnesses share it.  See sms_parse.h.
 */
#include "sms_parse.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

/* Room for repairing a whole body: each bad byte may become 3 bytes. */
#define SMS_REPAIR_MAX (3 * SMS_BODY_MAX + 16)
#define SMS_SIGN_MAX (2 * SMS_BODY_MAX + 8192)

void sms_msg_init(struct sms_msg *m)
{
	memset(m, 0, sizeof(*m));
	buf_init(&m->text, SMS_REPAIR_MAX);
}

void sms_msg_release(struct sms_msg *m)
{
	buf_release(&m->text);
	free(m->media);
	m->media = NULL;
}

/* Cuts m->text to STORE_TEXT_MAX bytes at a character boundary. */
static void sms_text_clip(struct sms_msg *m)
{
	size_t n = m->text.len;

	if (n <= STORE_TEXT_MAX)
		return;
	n = STORE_TEXT_MAX;
	while (n > 0 && ((unsigned char)m->text.data[n] & 0xC0) == 0x80)
		n--;
	m->text.len = n;
	m->text.data[n] = '\0';
}

int sms_text_set(struct sms_msg *m, const char *s, size_t len)
{
	buf_clear(&m->text);
	if (len > SMS_BODY_MAX)
		len = SMS_BODY_MAX;
	if (utf8_sanitize(&m->text, s, len) < 0)
		return -1;
	sms_text_clip(m);
	return 0;
}

/* Keeps id as it is when it is short printable ASCII, else hashes it. */
void sms_msg_set_id(struct sms_msg *m, const char *id, size_t len)
{
	char hex[CRYPTO_SHA256_HEX];
	size_t i;
	int plain = len < SMS_ID_MAX - 1;

	for (i = 0; plain && i < len; i++)
		if (id[i] <= ' ' || id[i] > '~')
			plain = 0;
	if (plain) {
		memcpy(m->provider_id, id, len);
		m->provider_id[len] = '\0';
		return;
	}
	crypto_sha256_hex(id, len, hex);
	m->provider_id[0] = 'h';
	m->provider_id[1] = ':';
	memcpy(m->provider_id + 2, hex, CRYPTO_SHA256_HEX);
}

void sms_msg_set_from(struct sms_msg *m, const char *s, size_t len)
{
	if (len >= SMS_FROM_MAX)
		len = SMS_FROM_MAX - 1;
	memcpy(m->from, s, len);
	m->from[len] = '\0';
	m->from_len = len;
}

/* Matches "MediaUrl" followed by 1 to 3 digits; the index into *idx. */
static int sms_media_index(const struct form_field *fl, unsigned *idx)
{
	size_t i;
	unsigned v = 0;

	if (fl->name_len < 9 || fl->name_len > 11 ||
	    memcmp(fl->name, "MediaUrl", 8) != 0)
		return 0;
	for (i = 8; i < fl->name_len; i++) {
		if (!isdigit((unsigned char)fl->name[i]))
			return 0;
		v = v * 10 + (unsigned)(fl->name[i] - '0');
	}
	*idx = v;
	return 1;
}

/* Collects MediaUrl0..N in index order as a JSON array in m->media. */
static int sms_twilio_media(const struct form *f, struct sms_msg *m)
{
	const struct form_field *by[SMS_MEDIA_MAX] = {0};
	json_t *arr;
	size_t i;
	unsigned idx;
	int found = 0;

	for (i = 0; i < f->count; i++)
		if (sms_media_index(&f->fields[i], &idx) &&
		    idx < SMS_MEDIA_MAX && by[idx] == NULL) {
			by[idx] = &f->fields[i];
			found = 1;
		}
	if (!found)
		return 0;
	arr = json_array();
	if (arr == NULL)
		return -1;
	for (i = 0; i < SMS_MEDIA_MAX; i++) {
		struct buf u;

		if (by[i] == NULL)
			continue;
		buf_init(&u, SMS_REPAIR_MAX);
		if (utf8_sanitize(&u, by[i]->value, by[i]->value_len) >= 0)
			json_array_append_new(
				arr, json_stringn(u.data ? u.data : "", u.len));
		buf_release(&u);
	}
	m->media = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return m->media ? 0 : -1;
}

int sms_twilio_parse(const struct form *f, struct sms_msg *m)
{
	const struct form_field *body, *from, *sid;

	body = form_get(f, "Body");
	from = form_get(f, "From");
	sid = form_get(f, "MessageSid");
	if (sid == NULL)
		sid = form_get(f, "SmsSid");
	if (sms_text_set(m, body ? body->value : "",
			 body ? body->value_len : 0) < 0)
		return -1;
	if (from != NULL)
		sms_msg_set_from(m, from->value, from->value_len);
	if (sid != NULL)
		sms_msg_set_id(m, sid->value, sid->value_len);
	return sms_twilio_media(f, m);
}

/* Byte order of two (pointer, length) strings. */
static int sms_bytes_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	if (c != 0)
		return c;
	return al < bl ? -1 : al > bl;
}

static int sms_field_cmp(const void *pa, const void *pb)
{
	const struct form_field *a = *(const struct form_field *const *)pa;
	const struct form_field *b = *(const struct form_field *const *)pb;
	int c = sms_bytes_cmp(a->name, a->name_len, b->name, b->name_len);

	if (c != 0)
		return c;
	return sms_bytes_cmp(a->value, a->value_len, b->value, b->value_len);
}

int sms_twilio_signature(const char *url, const char *token,
			 const struct form *f, char out[CRYPTO_SHA1_B64])
{
	const struct form_field **sorted;
	struct buf msg;
	size_t i;
	int ret = -1;

	sorted = calloc(f->count ? f->count : 1, sizeof(*sorted));
	buf_init(&msg, SMS_SIGN_MAX);
	if (sorted == NULL || buf_puts(&msg, url) < 0)
		goto done;
	for (i = 0; i < f->count; i++)
		sorted[i] = &f->fields[i];
	qsort(sorted, f->count, sizeof(*sorted), sms_field_cmp);
	for (i = 0; i < f->count; i++)
		if (buf_append(&msg, sorted[i]->name, sorted[i]->name_len) <
			    0 ||
		    buf_append(&msg, sorted[i]->value, sorted[i]->value_len) <
			    0)
			goto done;
	ret = crypto_hmac_sha1_b64(token, strlen(token),
				   msg.data ? msg.data : "", msg.len, out);

done:
	buf_release(&msg);
	free(sorted);
	return ret;
}

int sms_twilio_verify(const char *url, const char *token, const struct form *f,
		      const char *header)
{
	char want[CRYPTO_SHA1_B64];

	if (header == NULL || sms_twilio_signature(url, token, f, want) < 0)
		return 0;
	return crypto_equal(want, strlen(want), header, strlen(header));
}

static void sms_kannel_field(const struct form *f, const char *name,
			     const char **v, size_t *len)
{
	const struct form_field *fl = form_get(f, name);

	*v = fl ? fl->value : NULL;
	*len = fl ? fl->value_len : 0;
}

void sms_kannel_from_form(const struct form *f, struct sms_kannel_in *in)
{
	memset(in, 0, sizeof(*in));
	sms_kannel_field(f, "from", &in->from, &in->from_len);
	sms_kannel_field(f, "text", &in->text, &in->text_len);
	sms_kannel_field(f, "id", &in->id, &in->id_len);
	sms_kannel_field(f, "coding", &in->coding, &in->coding_len);
	sms_kannel_field(f, "charset", &in->charset, &in->charset_len);
	sms_kannel_field(f, "ts", &in->ts, &in->ts_len);
}

int sms_utf16be_to_utf8(struct buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp, lo;

	while (i + 1 < len) {
		cp = (uint32_t)u[i] << 8 | u[i + 1];
		i += 2;
		if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < len) {
			lo = (uint32_t)u[i] << 8 | u[i + 1];
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				     (lo - 0xDC00);
				i += 2;
			}
		}
		if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
			cp = 0xFFFD;
		if (utf8_put(out, cp) < 0)
			return -1;
	}
	if (i < len && utf8_put(out, 0xFFFD) < 0)
		return -1;
	return 0;
}

/* ISO 8859-1 bytes to UTF-8 (each byte is its own code point). */
static int sms_latin1_to_utf8(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (utf8_put(out, (unsigned char)s[i] ? (unsigned char)s[i]
						      : 0xFFFD) < 0)
			return -1;
	return 0;
}

static int sms_is(const char *v, size_t len, const char *want)
{
	return v != NULL && strlen(want) == len &&
	       strncasecmp(v, want, len) == 0;
}

/* Epoch seconds (Kannel %T) as ISO UTC; anything else leaves "". */
static void sms_kannel_time(const char *ts, size_t len, struct sms_msg *m)
{
	size_t i;
	int64_t v = 0;

	if (ts == NULL || len == 0)
		return;
	if (len >= sizeof(m->ts))
		len = sizeof(m->ts) - 1;
	memcpy(m->ts, ts, len);
	m->ts[len] = '\0';
	if (len > 12)
		return;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)ts[i]))
			return;
		v = v * 10 + (ts[i] - '0');
	}
	store_format_time(v * 1000, m->provider_time);
}

int sms_kannel_parse(const struct sms_kannel_in *in, struct sms_msg *m)
{
	struct buf wide;
	const char *t = in->text ? in->text : "";
	size_t tl = in->text ? in->text_len : 0;
	int rc;

	if (sms_is(in->coding, in->coding_len, "2") ||
	    sms_is(in->charset, in->charset_len, "UTF-16BE") ||
	    sms_is(in->charset, in->charset_len, "UCS-2")) {
		buf_init(&wide, SMS_REPAIR_MAX);
		rc = sms_utf16be_to_utf8(&wide, t, tl);
		if (rc == 0)
			rc = sms_text_set(m, wide.data ? wide.data : "",
					  wide.len);
		buf_release(&wide);
	} else if (sms_is(in->charset, in->charset_len, "ISO-8859-1") ||
		   sms_is(in->charset, in->charset_len, "LATIN1")) {
		buf_init(&wide, SMS_REPAIR_MAX);
		rc = sms_latin1_to_utf8(&wide, t, tl);
		if (rc == 0)
			rc = sms_text_set(m, wide.data ? wide.data : "",
					  wide.len);
		buf_release(&wide);
	} else {
		rc = sms_text_set(m, t, tl);
	}
	if (rc < 0)
		return -1;
	if (in->from != NULL)
		sms_msg_set_from(m, in->from, in->from_len);
	if (in->id != NULL && in->id_len > 0)
		sms_msg_set_id(m, in->id, in->id_len);
	sms_kannel_time(in->ts, in->ts_len, m);
	return 0;
}

int sms_fingerprint(const char *from_hash, const char *ts,
		    const struct buf *text, char out[SMS_ID_MAX])
{
	char th[CRYPTO_SHA256_HEX], hex[CRYPTO_SHA256_HEX];
	struct buf b;
	int rc;

	crypto_sha256_hex(text->data ? text->data : "", text->len, th);
	buf_init(&b, 1024);
	rc = buf_append(&b, from_hash, strlen(from_hash) + 1);
	if (rc == 0)
		rc = buf_append(&b, ts, strlen(ts) + 1);
	if (rc == 0)
		rc = buf_append(&b, th, strlen(th) + 1);
	if (rc == 0)
		crypto_sha256_hex(b.data, b.len, hex);
	buf_release(&b);
	if (rc != 0)
		return -1;
	out[0] = 'f';
	out[1] = ':';
	memcpy(out + 2, hex, CRYPTO_SHA256_HEX);
	return 0;
}

int sms_xml_escape(struct buf *out, const char *s, size_t len)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < len && rc == 0; i++) {
		switch (s[i]) {
		case '&':
			rc = buf_puts(out, "&amp;");
			break;
		case '<':
			rc = buf_puts(out, "&lt;");
			break;
		case '>':
			rc = buf_puts(out, "&gt;");
			break;
		case '"':
			rc = buf_puts(out, "&quot;");
			break;
		case '\'':
			rc = buf_puts(out, "&apos;");
			break;
		default:
			rc = buf_putc(out, s[i]);
		}
	}
	return rc;
}

int sms_url_escape(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	int rc = 0;

	for (i = 0; i < len && rc == 0; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isalnum(c) || c == '-' || c == '_' || c == '.' ||
		    c == '~') {
			rc = buf_putc(out, (char)c);
			continue;
		}
		rc = buf_putc(out, '%');
		rc |= buf_putc(out, hex[c >> 4]);
		rc |= buf_putc(out, hex[c & 15]);
	}
	return rc;
}
