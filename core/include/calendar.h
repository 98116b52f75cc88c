/*
 * calendar.h: the call's clock in a menu's time zone, and the texts a menu
 * and a call script write times in.
 *
 * A menu's opening hours are local: "mon-fri 9:00-17:30" in the zone the
 * menu names (an IANA name such as "America/New_York"; none: the zone of
 * the machine). Times are read and shown in that zone; the engine keeps
 * the call's clock as seconds since the epoch, so a call that crosses a
 * change of daylight saving time is still timed right.
 */
#ifndef IVR_CALENDAR_H
#define IVR_CALENDAR_H

#include <stddef.h>
#include <time.h>

/* A local date and time, as the hours and holidays of a menu compare it. */
typedef struct calendar_time {
    int year, month, day;     /* 2026, 1..12, 1..31 */
    int weekday;              /* 0 sunday .. 6 saturday */
    int minute;               /* of the day, 0..1439 */
    int second;               /* 0..59 */
} calendar_time;

/* A span of opening hours: the days it opens on (bit 0 sunday .. bit 6
 * saturday) and from..to in minutes of the day; to is above 1440 for
 * hours that run past midnight ("22:00-2:00": 1320..1560). */
typedef struct calendar_span {
    unsigned days;
    int from, to;
} calendar_span;

#define CALENDAR_WHY_MAX 160

/* 1 when zone names a time zone this machine knows (a file of its zone
 * database, TZDIR or /usr/share/zoneinfo); NULL and "" are the machine's
 * own zone. glibc takes an unknown name for UTC without a word, so a
 * menu's zone is checked here before any call runs on it. */
int calendar_zone_known(const char *zone);

/* The local date and time of t in zone (NULL: the machine's). */
int calendar_local(time_t t, const char *zone, calendar_time *out);

/* "2026-12-24 18:30" (or with seconds, or a T between date and time) as a
 * local time in zone, into *out. Returns 0, or -1 with why set ("no 31st
 * in November", "the clocks skip 02:30 that night"). */
int calendar_parse_local(const char *s, const char *zone, time_t *out,
                         char why[CALENDAR_WHY_MAX]);

/* "mon-fri 9:00-17:30", "sat,sun 10:00-14:00", "daily 22:00-6:00": one
 * span. Returns 0, or -1 with why set. */
int calendar_parse_span(const char *s, calendar_span *out,
                        char why[CALENDAR_WHY_MAX]);

/* "2026-12-25" (that day) or "12-25" (every year): year is 0 for every
 * year. Returns 0, or -1 with why set. */
int calendar_parse_date(const char *s, int *year, int *month, int *day,
                        char why[CALENDAR_WHY_MAX]);

/* 1 when the span is open at t. */
int calendar_span_open(const calendar_span *s, const calendar_time *t);

/* The day of the week of a date (0 sunday), for any Gregorian date. */
int calendar_weekday(int year, int month, int day);

/* The lower-case English name of a weekday (0 sunday). */
const char *calendar_weekday_name(int weekday);

/* "2026-12-24 18:30:00" */
void calendar_format(const calendar_time *t, char *buf, size_t size);

#endif
