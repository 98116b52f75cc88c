/*
 * tap.h: a two-macro test harness printing TAP (Redis's test_cond, in TAP).
 *
 *   ok(cond, "name %d", x)  one test point
 *   return tap_done();      the plan line; exit status 1 on any failure
 */
#ifndef IVR_TAP_H
#define IVR_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_count, tap_failed;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int ok(int cond, const char *fmt, ...)
{
    va_list ap;

    tap_count++;
    if (!cond)
        tap_failed++;
    printf("%sok %d - ", cond ? "" : "not ", tap_count);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    return cond;
}

/* A diagnostic line, shown by prove on failure or with -v. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static void diag(const char *fmt, ...)
{
    va_list ap;

    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static int tap_done(void)
{
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}

#endif
