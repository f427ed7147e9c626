/*
 * sync_qrfit: how big a QR code an item link needs.
 *
 *   sync_qrfit PUBLIC_URL SITE SEQ [SVG_FILE]
 *
 * Makes the code of item SEQ at SITE, its link under PUBLIC_URL (as
 * qr_item_url() writes it), and the QR code of that link (qr_svg(), ECC
 * M).  Prints "URL version N" and writes the SVG to SVG_FILE when given.
 * Exits 0 when the symbol is version 3 or smaller, 1 when larger.
 */
#include <stdio.h>
#include <stdlib.h>

#include "code.h"
#include "qr.h"

int main(int argc, char **argv)
{
	char code[CODE_MAX], url[1024];
	struct buf b;
	FILE *f;
	int version = 0, ret = 1;

	if (argc < 4) {
		fprintf(stderr, "usage: sync_qrfit URL SITE SEQ [SVG_FILE]\n");
		return 2;
	}
	buf_init(&b, 1 << 20);
	if (code_make(code, argv[2], strtoull(argv[3], NULL, 10)) < 0 ||
	    qr_item_url(url, sizeof(url), argv[1], code) < 0 ||
	    qr_svg(&b, url, url, &version) < 0) {
		fprintf(stderr, "sync_qrfit: cannot encode\n");
		goto done;
	}
	printf("%s version %d\n", url, version);
	if (argc > 4) {
		f = fopen(argv[4], "w");
		if (f == NULL || fwrite(b.data, 1, b.len, f) != b.len ||
		    fclose(f) != 0) {
			fprintf(stderr, "sync_qrfit: cannot write %s\n",
				argv[4]);
			goto done;
		}
	}
	ret = version <= 3 ? 0 : 1;

done:
	buf_release(&b);
	return ret;
}
