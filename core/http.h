/*
 * http: what every Chorus HTTP server shares, on libmicrohttpd.
 *
 * Request handlers follow libmicrohttpd's shape: the first call for a
 * request finds its struct http_req (made when the request line arrived,
 * holding the raw request target), the middle calls feed the upload into
 * req->body through http_take_body(), and the last call answers.  The
 * completion callback frees the request and whatever the handler hung on
 * it (req->app, freed with req->app_free).
 *
 * Every answer made through http_reply*() carries the same safety
 * headers: a Content-Security-Policy that allows nothing from outside,
 * nosniff, no referrer, and no caching.
 */
#ifndef CHORUS_HTTP_H
#define CHORUS_HTTP_H

#include <jansson.h>
#include <microhttpd.h>
#include <stddef.h>

#include "buf.h"

#define HTTP_URI_MAX 16384 /* a Kannel get-url of 1600 UCS-2 characters */

struct http_req {
	char *uri;	 /* raw request target as received, NUL-ended */
	struct buf body; /* the upload, up to the server's body limit */
	int too_large;	 /* the upload passed the limit; body is partial */
	int started;	 /* the handler has seen this request before */
	void *app;
	void (*app_free)(void *app);
};

struct http_config {
	const char *listen; /* "HOST:PORT", "[V6]:PORT" or ":PORT" */
	MHD_AccessHandlerCallback handler;
	void *handler_cls;
	size_t body_max;    /* bytes of upload kept per request */
	unsigned threads;   /* 0: one polling thread */
	unsigned timeout_s; /* idle connection timeout */
	unsigned per_ip;    /* connections per client address */
	unsigned conn_max;  /* connections in all */
	size_t conn_mem;    /* bytes per connection for the request line,
			     * headers and read buffer (0: 32 KiB); a
			     * request target longer than about this gets
			     * 414 from libmicrohttpd */
	int suspend;	    /* handlers may suspend connections */
};

/*
 * Starts a server.  On failure writes a one-line reason into err and
 * returns NULL.
 */
struct MHD_Daemon *http_start(const struct http_config *cfg, char *err,
			      size_t errlen);

/*
 * Feeds one upload chunk into req.  Returns 1 while the upload is going
 * on (answer MHD_YES and wait), 0 once it is complete.
 */
int http_take_body(struct http_req *req, size_t body_max, const char *data,
		   size_t *size);

/* Answers with a copy of body.  Returns an MHD result. */
enum MHD_Result http_reply(struct MHD_Connection *c, unsigned status,
			   const char *ctype, const void *body, size_t len);

/* Answers with b's contents and releases b, whatever happens. */
enum MHD_Result http_reply_buf(struct MHD_Connection *c, unsigned status,
			       const char *ctype, struct buf *b);

/*
 * Answers with a body of unknown length that read() writes a block at a
 * time (libmicrohttpd's content reader; chunked on HTTP/1.1), with a
 * Content-Disposition header when disposition is not NULL.  done(cls)
 * runs exactly once: when the answer is sent or abandoned (the client
 * went away), or before this returns when it fails.
 */
enum MHD_Result http_reply_stream(struct MHD_Connection *c, unsigned status,
				  const char *ctype, const char *disposition,
				  MHD_ContentReaderCallback read, void *cls,
				  MHD_ContentReaderFreeCallback done);

/* Answers with j encoded as JSON and drops the caller's reference. */
enum MHD_Result http_reply_json(struct MHD_Connection *c, unsigned status,
				json_t *j);

/*
 * Answers {"error": code, "message": message} with status.  code is a
 * stable word for programs; message is for people.
 */
enum MHD_Result http_reply_error(struct MHD_Connection *c, unsigned status,
				 const char *code, const char *message);

/*
 * Like http_reply_buf(), with a Location header when location is not
 * NULL (for a 303), and one Set-Cookie header for each string of
 * cookies[0..ncookies) that is neither NULL nor "".
 */
enum MHD_Result http_reply_extra(struct MHD_Connection *c, unsigned status,
				 const char *ctype, struct buf *b,
				 const char *location,
				 const char *const *cookies, size_t ncookies);

/* Answers 303 See Other to location. */
enum MHD_Result http_redirect(struct MHD_Connection *c, const char *location);

/* A request header, or NULL. */
const char *http_header(struct MHD_Connection *c, const char *name);

/*
 * True when the request's Content-Type is type (compared without case
 * and without parameters such as charset).
 */
int http_ctype_is(struct MHD_Connection *c, const char *type);

/*
 * The query string of req's raw target (after '?'), or "" when none.
 * *len gets its length.
 */
const char *http_query(const struct http_req *req, size_t *len);

/* Parses "HOST:PORT" for tests and clients; 0 or -1. */
int http_split_listen(const char *listen, char *host, size_t hostlen,
		      unsigned *port);

#endif
