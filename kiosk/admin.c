/*
 * admin: the kiosk's protected status screen.  See admin.h.
 */
#include "admin.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "form.h"
#include "html.h"
#include "i18n.h"
#include "store.h"
#include "../sync/sync.h"

#define ADMIN_PAGE_MAX (64 * 1024)

/* True when the request came from this machine. */
static int admin_local(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;
	const struct sockaddr_in6 *s6;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return 0;
	sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)sa)
				      ->sin_addr.s_addr) >>
			24) == 127;
	if (sa->sa_family != AF_INET6)
		return 0;
	s6 = (const struct sockaddr_in6 *)(const void *)sa;
	return IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr) ||
	       (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) &&
		s6->sin6_addr.s6_addr[12] == 127);
}

/* 1 when pin matches the stored hash, 0 when not, -1 when none is set. */
static int admin_pin_ok(sqlite3 *db, const char *pin, size_t len)
{
	char salt[64], want[CRYPTO_SHA256_HEX], got[CRYPTO_SHA256_HEX];
	char msg[200];
	int n;

	if (store_meta_get(db, "admin_pin_salt", salt, sizeof(salt)) != 0 ||
	    store_meta_get(db, "admin_pin_hash", want, sizeof(want)) != 0)
		return -1;
	n = snprintf(msg, sizeof(msg), "%s:%.*s", salt, (int)len, pin);
	if (n < 0 || n >= (int)sizeof(msg) || memchr(pin, '\0', len) != NULL)
		return 0;
	crypto_sha256_hex(msg, (size_t)n, got);
	return crypto_equal(got, strlen(got), want, strlen(want));
}

static void admin_row(struct buf *b, const char *lang, const char *key,
		      json_t *v)
{
	char num[32];
	const char *s = "-";

	snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_integer(v))
		s = num;
	else if (json_is_boolean(v))
		s = i18n_get(lang, json_is_true(v) ? "sync.admin.yes"
						   : "sync.admin.no");
	buf_puts(b, "<tr><th>");
	html_t(b, lang, key);
	buf_puts(b, "</th><td>");
	html_text(b, s);
	buf_puts(b, "</td></tr>\n");
}

static void admin_table(struct buf *b, const char *lang, json_t *st)
{
	json_t *old = json_object_get(st, "oldest_pending");

	buf_puts(b, "<table>\n");
	admin_row(b, lang, "sync.admin.site", json_object_get(st, "site"));
	admin_row(b, lang, "sync.admin.pending",
		  json_object_get(st, "pending"));
	admin_row(b, lang, "sync.admin.pending_votes",
		  json_object_get(st, "pending_endorsements"));
	admin_row(b, lang, "sync.admin.rejected",
		  json_object_get(st, "rejected"));
	admin_row(b, lang, "sync.admin.oldest",
		  json_object_get(old, "made_at"));
	admin_row(b, lang, "sync.admin.oldest_code",
		  json_object_get(old, "code"));
	admin_row(b, lang, "sync.admin.last_push",
		  json_object_get(st, "last_push"));
	admin_row(b, lang, "sync.admin.last_pull",
		  json_object_get(st, "last_pull"));
	admin_row(b, lang, "sync.admin.last_error",
		  json_object_get(st, "last_error"));
	admin_row(b, lang, "sync.admin.clock_ok",
		  json_object_get(st, "clock_ok"));
	admin_row(b, lang, "sync.admin.wal", json_object_get(st, "wal_bytes"));
	buf_puts(b, "</table>\n");
}

static void admin_form(struct buf *b, const char *lang, int wrong)
{
	if (wrong) {
		buf_puts(b, "<p role=\"alert\">");
		html_t(b, lang, "sync.admin.wrong_pin");
		buf_puts(b, "</p>\n");
	}
	buf_puts(b, "<form method=\"post\" action=\"/admin\"><label>");
	html_t(b, lang, "sync.admin.pin");
	buf_puts(b, " <input type=\"password\" name=\"pin\""
		    " inputmode=\"numeric\" autocomplete=\"off\"></label>"
		    " <button>");
	html_t(b, lang, "sync.admin.show");
	buf_puts(b, "</button></form>\n");
}

/* The page for a request that passed the loopback check. */
static unsigned admin_page(struct buf *b, sqlite3 *db, const char *path,
			   struct http_req *req, int post, const char *lang)
{
	const struct form_field *pin = NULL;
	struct form f = {0};
	json_t *st;
	int ok = 0;

	if (post && form_parse(&f, req->body.data ? req->body.data : "",
			       req->body.len, 4) == 0)
		pin = form_get(&f, "pin");
	if (pin != NULL)
		ok = admin_pin_ok(db, pin->value, pin->value_len);
	form_release(&f);
	if (ok < 0 || admin_pin_ok(db, "", 0) < 0) {
		buf_puts(b, "<p>");
		html_t(b, lang, "sync.admin.no_pin");
		buf_puts(b, "</p>\n");
		return 403;
	}
	if (!ok) {
		admin_form(b, lang, post);
		return post ? 403 : 200;
	}
	st = sync_status(db, path);
	if (st == NULL)
		return 503;
	admin_table(b, lang, st);
	json_decref(st);
	return 200;
}

enum MHD_Result kiosk_admin(struct MHD_Connection *c, struct http_req *req,
			    const char *method, const char *path,
			    const char *lang)
{
	char err[256];
	struct buf b;
	sqlite3 *db = NULL;
	unsigned status;

	if (!admin_local(c))
		return http_reply_error(
			c, 403, "local_only",
			"this screen answers this machine only");
	if (store_open(path, STORE_READONLY, &db, err, sizeof(err)) < 0)
		return http_reply_error(c, 503, "storage",
					"cannot read the site database");
	buf_init(&b, ADMIN_PAGE_MAX);
	html_begin(&b, lang, i18n_get(lang, "sync.admin.title"),
		   "/kiosk/kiosk.css", "admin");
	buf_puts(&b, "<main><h1>");
	html_t(&b, lang, "sync.admin.title");
	buf_puts(&b, "</h1>\n");
	status = admin_page(&b, db, path, req, strcmp(method, "POST") == 0,
			    lang);
	buf_puts(&b, "</main>\n");
	html_end(&b);
	store_close(db);
	return http_reply_buf(c, status, "text/html; charset=utf-8", &b);
}
