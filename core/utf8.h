/*
 * utf8: checking and repairing text that arrives from outside.
 *
 * Chorus stores only valid UTF-8 with no NUL bytes.  Intake that can
 * refuse (the kiosk API) checks with utf8_valid() and answers 400; intake
 * that must never drop a message (SMS) repairs with utf8_sanitize().
 */
#ifndef CHORUS_UTF8_H
#define CHORUS_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * True when s[0..len) is well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF) and holds no NUL byte.
 */
bool utf8_valid(const char *s, size_t len);

/*
 * True when s[0..len) is text a person may have meant: utf8_valid(), and
 * no control character but tab, line feed and carriage return (no C0,
 * DEL or C1 code), and no bidirectional embedding, override or isolate
 * (U+202A..U+202E, U+2066..U+2069), which could make text on a page read
 * differently from what was stored.
 */
bool utf8_text_valid(const char *s, size_t len);

/* True when code point cp is one that utf8_text_valid() refuses. */
bool utf8_is_unwanted(uint32_t cp);

/*
 * Appends a repaired copy of s[0..len) to out:
 *  - a CESU-8 surrogate pair (as old modem stacks send emoji) becomes
 *    the one four-byte character it stands for;
 *  - every other invalid sequence, every NUL and every character that
 *    utf8_text_valid() refuses becomes U+FFFD;
 *  - CR LF becomes LF.
 * Returns the number of replacements made, or -1 when out is full.
 */
int utf8_sanitize(struct buf *out, const char *s, size_t len);

/* Number of code points in valid UTF-8 s[0..len). */
size_t utf8_count(const char *s, size_t len);

/*
 * Decodes the code point at s[0..len) into *cp and returns its length in
 * bytes, or 0 when the bytes there are not a valid sequence.
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Appends code point cp as UTF-8.  Returns 0 or -1 when out is full. */
int utf8_put(struct buf *out, uint32_t cp);

#endif
