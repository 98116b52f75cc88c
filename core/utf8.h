/*
 * utf8.h: strict UTF-8, as text from users and files must be before it is
 * spoken or sent: no overlong forms, no surrogates, nothing past U+10FFFF.
 */
#ifndef IVR_UTF8_H
#define IVR_UTF8_H

#include <stddef.h>

/* The code point at s (a NUL-terminated string) and its length in *len;
 * -1 when s does not start a valid sequence. */
long utf8_next(const unsigned char *s, int *len);

/* 0 when text is valid UTF-8 with no control characters but tab, CR and
 * LF; else the 1-based byte where it goes wrong. */
size_t utf8_text_check(const char *text);

#endif
