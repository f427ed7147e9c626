/*
 * Fuzzes http_split_listen(): "HOST:PORT" from the command line.
 *
 * Invariants: on success the port is 1..65535 and the host is a
 * NUL-terminated string shorter than the buffer, copied from the start of
 * the input (inside the brackets for "[V6]:PORT"); the out-arguments are
 * never written past their sizes (ASan watches a host buffer of exactly
 * the size passed).
 */
#include "fuzz.h"

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *listen, *host;
	size_t hostlen, n;
	unsigned port = 0;

	if (size < 1)
		return 0;
	hostlen = data[0] % 64 + 1;
	listen = fuzz_cstring(data + 1, size - 1);
	host = malloc(hostlen);
	if (listen == NULL || host == NULL)
		goto done;
	if (http_split_listen(listen, host, hostlen, &port) == 0) {
		fuzz_check(port >= 1 && port <= 65535);
		fuzz_check(strnlen(host, hostlen) < hostlen);
		n = strlen(host);
		fuzz_check(strncmp(listen, host, n) == 0 ||
			   (listen[0] == '[' && listen[n + 1] == ']' &&
			    strncmp(listen + 1, host, n) == 0));
	}

done:
	free(listen);
	free(host);
	return 0;
}
