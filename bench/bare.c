/*
 * bare: the HTTP ceiling for the kiosk benchmark.
 *
 * A libmicrohttpd server set up the way the kiosk sets up its own (the
 * same http_start() with the same limits: one internal polling thread,
 * epoll where available, the same body limit, timeouts and connection
 * caps) that answers POST /api/items with a 201 JSON answer of the same
 * size as the kiosk's, without parsing or storing anything.  The ratio
 * kiosk/bare in bench/run.sh is then what parsing, validation and the
 * durable commit cost.
 *
 *   bare --listen HOST:PORT
 *
 * Runs until SIGINT or SIGTERM.
 */
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "http.h"

/* Keep these equal to the kiosk's http_config. */
#define BARE_BODY_MAX (16 * 1024)
#define BARE_TIMEOUT_S 15
#define BARE_PER_IP 256
#define BARE_CONN_MAX 1000

/* An answer shaped like the kiosk's: a 26-character id, a code, a URL. */
#define BARE_ID "01KBN6ZQ4R8S3T5V7W9XAYBZC0"
#define BARE_CODE "K70001X"
#define BARE_URL "http://127.0.0.1:8080/I/" BARE_CODE

static enum MHD_Result bare_handler(void *cls, struct MHD_Connection *c,
				    const char *url, const char *method,
				    const char *version, const char *data,
				    size_t *size, void **con_cls)
{
	struct http_req *req = *con_cls;

	(void)cls;
	(void)version;
	if (req == NULL)
		return MHD_NO;
	if (!req->started) {
		req->started = 1;
		return MHD_YES;
	}
	if (http_take_body(req, BARE_BODY_MAX, data, size))
		return MHD_YES;
	if (strcmp(method, "POST") != 0 || strcmp(url, "/api/items") != 0)
		return http_reply_error(c, MHD_HTTP_NOT_FOUND, "not_found",
					"no such page");
	if (req->too_large)
		return http_reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
					"too_large", "body too large");
	return http_reply_json(c, MHD_HTTP_CREATED,
			       json_pack("{s:s, s:s, s:s}", "id", BARE_ID,
					 "code", BARE_CODE, "url", BARE_URL));
}

int main(int argc, char **argv)
{
	const char *listen = NULL;
	struct cli_opt opts[] = {
		{"listen", &listen, 0, 1},
		{NULL, NULL, 0, 0},
	};
	struct http_config cfg;
	struct MHD_Daemon *d;
	char err[256];
	sigset_t stop;
	int rc, sig;

	rc = cli_parse("bare", "usage: bare --listen HOST:PORT\n", opts,
		       argc - 1, argv + 1);
	if (rc != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	memset(&cfg, 0, sizeof(cfg));
	cfg.listen = listen;
	cfg.handler = bare_handler;
	cfg.body_max = BARE_BODY_MAX;
	cfg.timeout_s = BARE_TIMEOUT_S;
	cfg.per_ip = BARE_PER_IP;
	cfg.conn_max = BARE_CONN_MAX;
	cfg.suspend = 1;

	/* Blocked before the server's thread starts, so it inherits it. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	d = http_start(&cfg, err, sizeof(err));
	if (d == NULL) {
		cli_fail("bare: %s", err);
		return CLI_FAIL;
	}
	fprintf(stderr, "bare: listening on %s\n", listen);
	sigwait(&stop, &sig);
	MHD_stop_daemon(d);
	return CLI_OK;
}
