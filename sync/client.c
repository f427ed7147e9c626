/*
 * client: one push over HTTP with libcurl.  See sync.h.
 *
 * The transfer is bounded every way a slow or hostile network can stall
 * it: a connect timeout, a total timeout, a low-speed limit, a ceiling
 * on the answer's size, and no redirects (a captive portal's redirect
 * is an answer like any other, and receipt_check() refuses it).
 */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sync.h"

#define CLIENT_CONNECT_S 10
#define CLIENT_TOTAL_S 60
#define CLIENT_LOW_SPEED 64 /* bytes per second ... */
#define CLIENT_LOW_TIME 20  /* ... for this many seconds ends it */
#define CLIENT_ANSWER_MAX (1024 * 1024)

static size_t client_write(char *p, size_t size, size_t n, void *arg)
{
	struct client_answer *a = arg;

	if (buf_append(&a->body, p, size * n) < 0)
		return 0;
	return size * n;
}

/* Copies the value of header line p (name n bytes) into out. */
static void client_header_value(const char *p, size_t len, size_t n, char *out,
				size_t outlen)
{
	size_t i = n + 1, end = len;

	while (i < len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	while (end > i &&
	       (p[end - 1] == '\r' || p[end - 1] == '\n' || p[end - 1] == ' '))
		end--;
	if (end - i >= outlen)
		end = i + outlen - 1;
	memcpy(out, p + i, end - i);
	out[end - i] = '\0';
}

static size_t client_header(char *p, size_t size, size_t n, void *arg)
{
	struct client_answer *a = arg;
	size_t len = size * n;

	/* A new status line starts a new set of headers. */
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		a->ctype[0] = '\0';
		a->marker[0] = '\0';
		a->date[0] = '\0';
	} else if (len > 13 && strncasecmp(p, "Content-Type:", 13) == 0) {
		client_header_value(p, len, 12, a->ctype, sizeof(a->ctype));
	} else if (len > 14 && strncasecmp(p, "X-Chorus-Sync:", 14) == 0) {
		client_header_value(p, len, 13, a->marker, sizeof(a->marker));
	} else if (len > 5 && strncasecmp(p, "Date:", 5) == 0) {
		client_header_value(p, len, 4, a->date, sizeof(a->date));
	}
	return len;
}

/* Carries the caller's stop test into the progress callback. */
struct client_stop {
	client_stop_fn fn;
};

static int client_progress(void *arg, curl_off_t dt, curl_off_t dn,
			   curl_off_t ut, curl_off_t un)
{
	const struct client_stop *stop = arg;

	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return stop->fn != NULL && stop->fn();
}

/* The request headers: JSON in and out, the token, no 100-continue. */
static struct curl_slist *client_headers(const char *token)
{
	struct curl_slist *h = NULL, *t;
	char auth[SYNC_TOKEN_MAX + 32];

	/* A token cut short would only ever be refused: send none. */
	if (snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token) >=
	    (int)sizeof(auth))
		return NULL;
	h = curl_slist_append(h, "Content-Type: application/json");
	if (h != NULL && (t = curl_slist_append(h, "Accept: application/json")))
		h = t;
	if (h != NULL && (t = curl_slist_append(h, "Expect:")))
		h = t;
	if (h != NULL && (t = curl_slist_append(h, auth)))
		h = t;
	return h;
}

/*
 * TLS: the system's CAs, or a pinned public key.  A pinned key is the
 * whole trust decision (a self-signed centre is fine), so the CA check
 * is then off and libcurl refuses any other key.
 */
static void client_tls(CURL *curl, const struct sync_setup *s)
{
	if (s->pin[0] == '\0')
		return;
	curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, s->pin);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
}

static void client_options(CURL *curl, const char *body, size_t len,
			   struct client_stop *stop, struct client_answer *a)
{
	if (body != NULL) {
		curl_easy_setopt(curl, CURLOPT_POST, 1L);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)len);
	}
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)CLIENT_CONNECT_S);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)CLIENT_TOTAL_S);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, (long)CLIENT_LOW_SPEED);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, (long)CLIENT_LOW_TIME);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "chorus-sync/1");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, client_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, client_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, a);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, client_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, stop);
}

int client_push(const struct sync_setup *s, const struct sync_batch *b,
		client_stop_fn stop, struct client_answer *a)
{
	return client_request(s, "/sync/push", b->body, b->body_len, stop, a);
}

int client_request(const struct sync_setup *s, const char *path,
		   const char *body, size_t len, client_stop_fn stop,
		   struct client_answer *a)
{
	char url[RECEIPT_URL_MAX + 64], cerr[CURL_ERROR_SIZE] = "";
	struct client_stop halt = {stop};
	struct curl_slist *h = NULL;
	size_t n = strlen(s->central_url);
	CURL *curl = NULL;
	CURLcode cc = CURLE_OUT_OF_MEMORY;

	memset(a, 0, sizeof(*a));
	buf_init(&a->body, CLIENT_ANSWER_MAX);
	while (n > 0 && s->central_url[n - 1] == '/')
		n--;
	if (snprintf(url, sizeof(url), "%.*s%s", (int)n, s->central_url,
		     path) >= (int)sizeof(url)) {
		snprintf(a->error, sizeof(a->error),
			 "the central URL is too"
			 " long");
		return -1;
	}
	curl = curl_easy_init();
	h = client_headers(s->token);
	if (curl == NULL || h == NULL)
		goto done;
	client_options(curl, body, len, &halt, a);
	client_tls(curl, s);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, cerr);
	cc = curl_easy_perform(curl);
	if (cc == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &a->status);

done:
	if (cc != CURLE_OK)
		snprintf(a->error, sizeof(a->error), "%s",
			 cerr[0] ? cerr : curl_easy_strerror(cc));
	curl_slist_free_all(h);
	curl_easy_cleanup(curl);
	return cc == CURLE_OK ? 0 : -1;
}
