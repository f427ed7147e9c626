/*
 * buf: a growable byte buffer with a ceiling fixed when it is made.
 *
 * data always ends with a NUL byte that len does not count, so text can
 * be handed to C string functions, but len is the truth: the contents may
 * hold NUL bytes of their own.  An append that would pass max fails and
 * leaves the buffer as it was.  A zeroed struct buf is not usable; call
 * buf_init() first.
 */
#ifndef CHORUS_BUF_H
#define CHORUS_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

/* Makes an empty buffer that may grow to max bytes.  Allocates nothing. */
void buf_init(struct buf *b, size_t max);

/* Each returns 0, or -1 when the result would pass max or memory ran out. */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Empties the buffer but keeps its memory. */
void buf_clear(struct buf *b);

/* Frees the memory; the buffer is empty and may be used again. */
void buf_release(struct buf *b);

/*
 * Hands the memory to the caller (free() it) and empties the buffer.
 * Returns an allocated empty string for an empty buffer, NULL on OOM.
 */
char *buf_detach(struct buf *b, size_t *len);

#endif
