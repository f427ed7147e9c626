/*
 * http: libmicrohttpd plumbing.  See http.h.
 */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "log.h"

static const char http_csp[] =
	"default-src 'none'; img-src 'self' data:; style-src 'self';"
	" script-src 'self'; connect-src 'self'; form-action 'self';"
	" base-uri 'none'; frame-ancestors 'none'";

/* Called once per request with the raw target: makes the request state. */
static void *http_uri_cb(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct http_req *req;
	size_t n;

	(void)cls;
	(void)c;
	req = calloc(1, sizeof(*req));
	if (req == NULL)
		return NULL;
	n = strnlen(uri, HTTP_URI_MAX);
	req->uri = strndup(uri, n);
	buf_init(&req->body, 0);
	return req;
}

static void http_done_cb(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_req *req = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (req == NULL)
		return;
	if (req->app != NULL && req->app_free != NULL)
		req->app_free(req->app);
	buf_release(&req->body);
	free(req->uri);
	free(req);
	*con_cls = NULL;
}

int http_split_listen(const char *listen, char *host, size_t hostlen,
		      unsigned *port)
{
	const char *colon, *h = listen;
	size_t hl;
	char *end;
	unsigned long p;

	colon = strrchr(listen, ':');
	if (colon == NULL)
		return -1;
	hl = (size_t)(colon - listen);
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
		h++;
		hl -= 2;
	}
	if (hl >= hostlen)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	p = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || colon[1] == '\0' || p == 0 || p > 65535)
		return -1;
	*port = (unsigned)p;
	return 0;
}

/* Fills ss from "HOST:PORT".  0 or -1. */
static int http_addr(const char *listen, struct sockaddr_storage *ss)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	char host[128];
	unsigned port;

	memset(ss, 0, sizeof(*ss));
	if (http_split_listen(listen, host, sizeof(host), &port) < 0)
		return -1;
	if (host[0] == '\0' || strcmp(host, "*") == 0)
		snprintf(host, sizeof(host), "0.0.0.0");
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		return 0;
	}
	return -1;
}

/* libmicrohttpd's own complaints, escaped, as warnings of ours. */
static void http_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512], safe[600];
	int n;

	(void)cls;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	while (n > 0 && line[n - 1] == '\n')
		n--;
	log_warn("http: %s", log_escape(safe, sizeof(safe), line, (size_t)n));
}

struct MHD_Daemon *http_start(const struct http_config *cfg, char *err,
			      size_t errlen)
{
	struct sockaddr_storage ss;
	struct MHD_Daemon *d;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	struct MHD_OptionItem opts[] = {
		/* The logger must come first to catch every message. */
		{MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)http_mhd_log, NULL},
		{MHD_OPTION_SOCK_ADDR, 0, &ss},
		{MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)http_uri_cb, NULL},
		{MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)http_done_cb, NULL},
		{MHD_OPTION_CONNECTION_TIMEOUT,
		 cfg->timeout_s ? cfg->timeout_s : 15, NULL},
		{MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		 cfg->per_ip ? cfg->per_ip : 128, NULL},
		{MHD_OPTION_CONNECTION_LIMIT,
		 cfg->conn_max ? cfg->conn_max : 1000, NULL},
		{MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		 (intptr_t)(cfg->conn_mem ? cfg->conn_mem : 32 * 1024), NULL},
		/* A thread pool only when one is wanted: else the list ends. */
		{cfg->threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE
				  : MHD_OPTION_END,
		 cfg->threads, NULL},
		{MHD_OPTION_END, 0, NULL},
	};

	if (http_addr(cfg->listen, &ss) < 0) {
		snprintf(err, errlen,
			 "bad listen address '%s': expected HOST:PORT",
			 cfg->listen);
		return NULL;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (cfg->suspend)
		flags |= MHD_ALLOW_SUSPEND_RESUME;
	if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
		flags |= MHD_USE_EPOLL;
	errno = 0;
	d = MHD_start_daemon(flags, 0, NULL, NULL, cfg->handler,
			     cfg->handler_cls, MHD_OPTION_ARRAY, opts,
			     MHD_OPTION_END);
	if (d == NULL)
		snprintf(err, errlen, "cannot listen on '%s': %s", cfg->listen,
			 errno ? strerror(errno) : "refused by libmicrohttpd");
	return d;
}

int http_take_body(struct http_req *req, size_t body_max, const char *data,
		   size_t *size)
{
	if (*size == 0)
		return 0;
	req->body.max = body_max;
	if (!req->too_large && buf_append(&req->body, data, *size) < 0)
		req->too_large = 1;
	*size = 0;
	return 1;
}

static void http_common_headers(struct MHD_Response *r, const char *ctype)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(r, "Content-Security-Policy", http_csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
}

static enum MHD_Result http_queue(struct MHD_Connection *c, unsigned status,
				  const char *ctype, struct MHD_Response *r)
{
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	http_common_headers(r, ctype);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result http_reply(struct MHD_Connection *c, unsigned status,
			   const char *ctype, const void *body, size_t len)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(len, (void *)body,
					    MHD_RESPMEM_MUST_COPY);
	return http_queue(c, status, ctype, r);
}

enum MHD_Result http_reply_buf(struct MHD_Connection *c, unsigned status,
			       const char *ctype, struct buf *b)
{
	struct MHD_Response *r;
	size_t len;
	char *p = buf_detach(b, &len);

	if (p == NULL)
		return MHD_NO;
	r = MHD_create_response_from_buffer(len, p, MHD_RESPMEM_MUST_FREE);
	if (r == NULL)
		free(p);
	return http_queue(c, status, ctype, r);
}

enum MHD_Result http_reply_extra(struct MHD_Connection *c, unsigned status,
				 const char *ctype, struct buf *b,
				 const char *location,
				 const char *const *cookies, size_t ncookies)
{
	struct MHD_Response *r;
	size_t len, i;
	char *p = buf_detach(b, &len);

	if (p == NULL)
		return MHD_NO;
	r = MHD_create_response_from_buffer(len, p, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(p);
		return MHD_NO;
	}
	if (location != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, location);
	for (i = 0; i < ncookies; i++)
		if (cookies[i] != NULL && cookies[i][0] != '\0')
			MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE,
						cookies[i]);
	return http_queue(c, status, ctype, r);
}

/* Blocks of a streamed answer: what libmicrohttpd asks read() for. */
#define HTTP_STREAM_BLOCK (32u * 1024)

enum MHD_Result http_reply_stream(struct MHD_Connection *c, unsigned status,
				  const char *ctype, const char *disposition,
				  MHD_ContentReaderCallback read, void *cls,
				  MHD_ContentReaderFreeCallback done)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_callback(
		MHD_SIZE_UNKNOWN, HTTP_STREAM_BLOCK, read, cls, done);
	if (r == NULL) {
		done(cls);
		return MHD_NO;
	}
	if (disposition != NULL)
		MHD_add_response_header(r, "Content-Disposition", disposition);
	return http_queue(c, status, ctype, r);
}

enum MHD_Result http_reply_json(struct MHD_Connection *c, unsigned status,
				json_t *j)
{
	struct MHD_Response *r;
	char *s;

	s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (s == NULL)
		return MHD_NO;
	r = MHD_create_response_from_buffer(strlen(s), s,
					    MHD_RESPMEM_MUST_FREE);
	if (r == NULL)
		free(s);
	return http_queue(c, status, "application/json; charset=utf-8", r);
}

enum MHD_Result http_reply_error(struct MHD_Connection *c, unsigned status,
				 const char *code, const char *message)
{
	return http_reply_json(
		c, status,
		json_pack("{s:s, s:s}", "error", code, "message", message));
}

enum MHD_Result http_redirect(struct MHD_Connection *c, const char *location)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, location);
	return http_queue(c, MHD_HTTP_SEE_OTHER, "text/plain", r);
}

const char *http_header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

int http_ctype_is(struct MHD_Connection *c, const char *type)
{
	const char *v = http_header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
	size_t n = strlen(type);

	if (v == NULL)
		return 0;
	while (*v == ' ')
		v++;
	if (strncasecmp(v, type, n) != 0)
		return 0;
	v += n;
	while (*v == ' ')
		v++;
	return *v == '\0' || *v == ';';
}

const char *http_query(const struct http_req *req, size_t *len)
{
	const char *q = req->uri ? strchr(req->uri, '?') : NULL;

	if (q == NULL) {
		*len = 0;
		return "";
	}
	q++;
	*len = strcspn(q, "#");
	return q;
}
