/* utf8.c: a strict decoder (RFC 3629). */
#include "utf8.h"

#include <string.h>

long utf8_next(const unsigned char *s, int *len)
{
    static const long least[5] = {0, 0, 0x80, 0x800, 0x10000};
    long cp;
    int n, i;

    if (s[0] < 0x80) {
        *len = 1;
        return s[0];
    }
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2;
        cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3;
        cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4;
        cp = s[0] & 0x07;
    } else {
        return -1;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)   /* a NUL ends here too */
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    /* the shortest form only, and no UTF-16 halves */
    if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = n;
    return cp;
}

size_t utf8_text_check(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    int len;

    while (*s) {
        long cp = utf8_next(s, &len);
        if (cp < 0 || (cp < 0x20 && cp != '\t' && cp != '\r' && cp != '\n') ||
            cp == 0x7F)
            return (size_t)(s - (const unsigned char *)text) + 1;
        s += len;
    }
    return 0;
}
