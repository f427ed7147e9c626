/*
 * qr: SVG rendering over libqrencode.  See qr.h.
 */
#include "qr.h"

#include <ctype.h>
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "html.h"

/* base_url without trailing slashes, then path, then "?S=" and site
 * when there is one, all upper-cased into out.  0 or -1. */
static int qr_url(char *out, size_t outlen, const char *base_url,
		  const char *path, const char *site)
{
	size_t i, n = strlen(base_url);
	int w;

	while (n > 0 && base_url[n - 1] == '/')
		n--;
	w = snprintf(out, outlen, "%.*s%s%s%s", (int)n, base_url, path,
		     site && site[0] ? "?S=" : "", site ? site : "");
	if (w < 0 || (size_t)w >= outlen)
		return -1;
	for (i = 0; out[i] != '\0'; i++)
		out[i] = (char)toupper((unsigned char)out[i]);
	return 0;
}

int qr_item_url(char *out, size_t outlen, const char *base_url,
		const char *code)
{
	char path[128];

	if ((size_t)snprintf(path, sizeof(path), "/I/%s", code) >= sizeof(path))
		return -1;
	return qr_url(out, outlen, base_url, path, NULL);
}

int qr_prompt_url(char *out, size_t outlen, const char *base_url,
		  const char *id, const char *site)
{
	char path[128];

	if ((size_t)snprintf(path, sizeof(path), "/Q/%s", id) >= sizeof(path))
		return -1;
	return qr_url(out, outlen, base_url, path, site);
}

/* One "M x y h1v1h-1z" square per dark module, rows merged into runs. */
static int qr_path(struct buf *out, const QRcode *q)
{
	int x, y, run, rc = 0;

	for (y = 0; y < q->width; y++) {
		for (x = 0; x < q->width; x++) {
			if (!(q->data[y * q->width + x] & 1))
				continue;
			run = 1;
			while (x + run < q->width &&
			       (q->data[y * q->width + x + run] & 1))
				run++;
			rc |= buf_printf(out, "M%d %dh%dv1h-%dz", x + QR_QUIET,
					 y + QR_QUIET, run, run);
			x += run - 1;
		}
	}
	return rc;
}

int qr_svg(struct buf *out, const char *text, const char *label, int *version)
{
	QRcode *q;
	int size, rc = 0;

	q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (q == NULL)
		return -1;
	size = q->width + 2 * QR_QUIET;
	rc |= buf_printf(out,
			 "<svg xmlns=\"http://www.w3.org/2000/svg\""
			 " viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\""
			 " role=\"img\"",
			 size, size);
	if (label != NULL) {
		rc |= buf_puts(out, " aria-label=\"");
		rc |= html_text(out, label);
		rc |= buf_puts(out, "\"");
	}
	rc |= buf_printf(out,
			 "><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
			 "<path fill=\"#000\" d=\"",
			 size, size);
	rc |= qr_path(out, q);
	rc |= buf_puts(out, "\"/></svg>\n");
	if (version != NULL)
		*version = q->version;
	QRcode_free(q);
	return rc ? -1 : 0;
}
