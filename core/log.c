/*
 * log: levelled lines on standard error.  See log.h for the contract.
 */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum log_level log_max = LOG_LEVEL_INFO;

static const char *const log_names[] = {"error", "warn", "info", "debug"};

void log_init(void)
{
	const char *env = getenv("CHORUS_LOG");
	int i;

	if (env == NULL)
		return;
	for (i = 0; i <= LOG_LEVEL_DEBUG; i++)
		if (strcmp(env, log_names[i]) == 0)
			log_max = (enum log_level)i;
}

int log_enabled(enum log_level level)
{
	return level <= log_max;
}

/* Formats one whole line and writes it with a single write(2). */
static void log_line(enum log_level level, const char *fmt, va_list ap,
		     int with_errno, int saved)
{
	char line[1024];
	int n, m;

	n = snprintf(line, sizeof(line), "chorus[%ld] %s: ", (long)getpid(),
		     log_names[level]);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n >= sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	if (with_errno) {
		m = snprintf(line + n, sizeof(line) - (size_t)n, ": %s",
			     strerror(saved));
		if (m > 0)
			n += m;
		if ((size_t)n >= sizeof(line) - 1)
			n = (int)sizeof(line) - 2;
	}
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

#define LOG_BODY(level, with_errno)                                            \
	do {                                                                   \
		int saved = errno;                                             \
		va_list ap;                                                    \
		if (!log_enabled(level))                                       \
			return;                                                \
		va_start(ap, fmt);                                             \
		log_line(level, fmt, ap, with_errno, saved);                   \
		va_end(ap);                                                    \
		errno = saved;                                                 \
	} while (0)

void log_error(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_ERROR, 0);
}

void log_warn(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_WARN, 0);
}

void log_info(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_INFO, 0);
}

void log_debug(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_DEBUG, 0);
}

void log_syserr(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_ERROR, 1);
}

char *log_escape(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	if (dstlen == 0)
		return dst;
	for (i = 0; i < srclen; i++) {
		unsigned char c = (unsigned char)src[i];
		size_t need = (c >= 0x20 && c < 0x7f && c != '\\') ? 1 : 4;

		/* Keep room for "..." and the NUL. */
		if (o + need + 4 > dstlen) {
			if (dstlen >= 4) {
				o = o < dstlen - 4 ? o : dstlen - 4;
				memcpy(dst + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (need == 1) {
			dst[o++] = (char)c;
			continue;
		}
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hex[c >> 4];
		dst[o++] = hex[c & 15];
	}
	dst[o] = '\0';
	return dst;
}
