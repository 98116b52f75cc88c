/*
 * menu_duration.c: the one duration grammar (menu.h), in a file of its own
 * so that a command reading only durations (ivr-dtmf --max-duration) does
 * not link the menu parser, and with it flite's voices.
 */
#include "menu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int menu_duration(const char *s, double *ms)
{
    double total = 0;
    const char *p = s;

    while (*p) {
        char *end;
        double v;
        errno = 0;
        v = strtod(p, &end);
        if (end == p || errno || v < 0 || v != v)
            return -1;
        if (!strncmp(end, "ms", 2)) {
            total += v;
            end += 2;
        } else if (!strncmp(end, "min", 3)) {
            total += v * 60000;
            end += 3;
        } else if (*end == 's') {
            total += v * 1000;
            end++;
        } else if (*end == 'm') {
            total += v * 60000;
            end++;
        } else if (*end == 'h') {
            total += v * 3600000;
            end++;
        } else if (!*end) {
            if (p != s)
                return -1;
            *ms = v;
            return -2;
        } else {
            return -1;
        }
        p = end;
    }
    if (p == s)
        return -1;
    *ms = total;
    return 0;
}
