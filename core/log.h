/*
 * log: the one place Chorus daemons write diagnostics.
 *
 * Every line goes to standard error as "chorus[pid] LEVEL: message".
 * Levels have fixed meanings:
 *   error  something failed and a person must act (disk full, bad config);
 *   warn   something odd happened that Chorus recovered from;
 *   info   one line per notable event (start, stop, sync summary);
 *   debug  tracing for developers, off by default.
 * The level is read once from CHORUS_LOG (error, warn, info, debug).
 *
 * Untrusted text (message bodies, form fields, headers) must pass through
 * log_escape() before it is formatted into a line, and personal data
 * (phone numbers, message text) is never logged at all.  No log function
 * changes errno.
 */
#ifndef CHORUS_LOG_H
#define CHORUS_LOG_H

#include <stddef.h>

enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG
};

/* Reads CHORUS_LOG.  Safe to call more than once. */
void log_init(void);

/* True when lines of this level are written. */
int log_enabled(enum log_level level);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Like log_error, with ": " and strerror(errno) appended. */
void log_syserr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Writes src (srclen bytes, may hold NUL) into dst as printable ASCII:
 * bytes outside 0x20..0x7e and the backslash become \xNN.  dst always
 * ends with a NUL; output that does not fit is cut and ends with "...".
 * Returns dst, so the call can sit inside a log argument list.
 */
char *log_escape(char *dst, size_t dstlen, const char *src, size_t srclen);

#endif
