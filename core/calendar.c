/*
 * calendar.c: local times in a named zone, opening-hour spans and dates.
 *
 * The C library converts between the epoch and local time only in the
 * zone TZ names, so a menu's zone is put in TZ for the moment of the
 * conversion and the old value put back: one conversion at a time, which
 * is what a call (one thread; suites fork) needs.
 */
#include "calendar.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const day_names[7] = {
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday"
};

int calendar_zone_known(const char *zone)
{
    const char *dirs[2] = {getenv("TZDIR"), "/usr/share/zoneinfo"};
    char path[512];
    struct stat sb;
    int i;

    if (!zone || !*zone)
        return 1;
    /* a name, not a path: nothing outside the zone database is read */
    if (zone[0] == '/' || zone[0] == '.' || strstr(zone, "..") ||
        strlen(zone) > 128)
        return 0;
    for (i = 0; i < 2; i++) {
        if (!dirs[i] || !*dirs[i])
            continue;
        snprintf(path, sizeof path, "%s/%s", dirs[i], zone);
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
            return 1;
    }
    return 0;
}

/* Puts zone in TZ; returns what to give zone_restore. */
static char *zone_enter(const char *zone, int *swapped)
{
    const char *old = getenv("TZ");
    char *saved = old ? strdup(old) : NULL;

    *swapped = zone && *zone;
    if (*swapped) {
        setenv("TZ", zone, 1);
        tzset();
    }
    return saved;
}

static void zone_restore(char *saved, int swapped)
{
    if (swapped) {
        if (saved)
            setenv("TZ", saved, 1);
        else
            unsetenv("TZ");
        tzset();
    }
    free(saved);
}

static void from_tm(const struct tm *tm, calendar_time *out)
{
    out->year = tm->tm_year + 1900;
    out->month = tm->tm_mon + 1;
    out->day = tm->tm_mday;
    out->weekday = tm->tm_wday;
    out->minute = tm->tm_hour * 60 + tm->tm_min;
    out->second = tm->tm_sec > 59 ? 59 : tm->tm_sec;
}

int calendar_local(time_t t, const char *zone, calendar_time *out)
{
    int swapped;
    char *saved = zone_enter(zone, &swapped);
    struct tm tm;
    int ok = localtime_r(&t, &tm) != NULL;

    zone_restore(saved, swapped);
    if (!ok)
        return -1;
    from_tm(&tm, out);
    return 0;
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

static const char *const month_names[12] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"
};

/* n digits exactly, into *v; advances *p */
static int digits(const char **p, int n, int *v)
{
    int i;

    *v = 0;
    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        *v = *v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return 0;
}

/* H:MM or HH:MM, 0:00 to 24:00, into minutes; advances *p */
static int time_of_day(const char **p, int *minutes)
{
    int h, m;

    if (digits(p, 2, &h) != 0 && digits(p, 1, &h) != 0)
        return -1;
    if (**p != ':')
        return -1;
    (*p)++;
    if (digits(p, 2, &m) != 0 || m > 59 || h > 24 || (h == 24 && m > 0))
        return -1;
    *minutes = h * 60 + m;
    return 0;
}

int calendar_parse_date(const char *s, int *year, int *month, int *day,
                        char why[CALENDAR_WHY_MAX])
{
    const char *p = s;
    int y = 0, m, d;

    if (strlen(s) == 10) {
        if (digits(&p, 4, &y) != 0 || *p++ != '-')
            goto bad;
    }
    if (digits(&p, 2, &m) != 0 || *p++ != '-' || digits(&p, 2, &d) != 0 ||
        *p)
        goto bad;
    if (m < 1 || m > 12) {
        snprintf(why, CALENDAR_WHY_MAX, "'%s' has no month %d", s, m);
        return -1;
    }
    /* every year: 29 February is a date (of leap years) */
    if (d < 1 || d > days_in_month(y ? y : 2000, m)) {
        snprintf(why, CALENDAR_WHY_MAX, "'%s': %s has no day %d", s,
                 month_names[m - 1], d);
        return -1;
    }
    *year = y;
    *month = m;
    *day = d;
    return 0;
bad:
    snprintf(why, CALENDAR_WHY_MAX,
             "'%s' is not a date (2026-12-25, or 12-25 for every year)", s);
    return -1;
}

int calendar_parse_local(const char *s, const char *zone, time_t *out,
                         char why[CALENDAR_WHY_MAX])
{
    char date[11];
    const char *p = s;
    int y, mo, d, minutes, sec = 0, swapped;
    struct tm tm;
    char *saved;
    time_t t;

    if (strlen(s) < 16 || (s[10] != ' ' && s[10] != 'T')) {
        snprintf(why, CALENDAR_WHY_MAX, "'%s' is not a date and time "
                 "(such as 2026-12-24 18:30)", s);
        return -1;
    }
    memcpy(date, s, 10);
    date[10] = '\0';
    if (calendar_parse_date(date, &y, &mo, &d, why) != 0)
        return -1;
    if (!y) {
        snprintf(why, CALENDAR_WHY_MAX, "'%s' needs a year "
                 "(such as 2026-12-24 18:30)", s);
        return -1;
    }
    p = s + 11;
    if (time_of_day(&p, &minutes) != 0 || minutes >= 24 * 60 ||
        (*p == ':' && (p++, digits(&p, 2, &sec) != 0 || sec > 59)) || *p) {
        snprintf(why, CALENDAR_WHY_MAX, "'%s' is not a date and time "
                 "(such as 2026-12-24 18:30)", s);
        return -1;
    }
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = minutes / 60;
    tm.tm_min = minutes % 60;
    tm.tm_sec = sec;
    tm.tm_isdst = -1;
    saved = zone_enter(zone, &swapped);
    t = mktime(&tm);
    zone_restore(saved, swapped);
    /* mktime moves a time the clocks skip to one that exists */
    if (t == (time_t)-1 || tm.tm_hour * 60 + tm.tm_min != minutes ||
        tm.tm_mday != d) {
        snprintf(why, CALENDAR_WHY_MAX, "'%s' does not exist in %s (the "
                 "clocks skip it)", s, zone && *zone ? zone : "this zone");
        return -1;
    }
    *out = t;
    return 0;
}

/* "mon", "monday", ..., into 0..6; -1 */
static int day_index(const char *s, size_t n)
{
    int i;

    for (i = 0; i < 7; i++)
        if ((n == 3 || n == strlen(day_names[i])) &&
            !strncmp(s, day_names[i], n))
            return i;
    return -1;
}

/* "mon-fri,sat" into a set of days; -1 */
static int parse_days(const char *s, size_t n, unsigned *days,
                      char why[CALENDAR_WHY_MAX])
{
    const char *p = s, *end = s + n;

    *days = 0;
    if (n == 5 && !strncmp(s, "daily", 5)) {
        *days = 0x7f;
        return 0;
    }
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *item_end = comma ? comma : end;
        const char *dash = memchr(p, '-', (size_t)(item_end - p));
        int a = day_index(p, (size_t)((dash ? dash : item_end) - p));
        int b = dash ? day_index(dash + 1, (size_t)(item_end - dash - 1)) : a;
        if (a < 0 || b < 0) {
            snprintf(why, CALENDAR_WHY_MAX, "'%.*s' is not a day or days "
                     "(mon, tue, ..., sun, mon-fri, sat,sun or daily)",
                     (int)(item_end - p), p);
            return -1;
        }
        /* fri-mon wraps past the end of the week */
        for (;;) {
            *days |= 1u << a;
            if (a == b)
                break;
            a = (a + 1) % 7;
        }
        p = comma ? comma + 1 : end;
    }
    return 0;
}

int calendar_parse_span(const char *s, calendar_span *out,
                        char why[CALENDAR_WHY_MAX])
{
    const char *space = strchr(s, ' '), *p;
    int from, to;

    if (!space) {
        snprintf(why, CALENDAR_WHY_MAX, "'%s' is not opening hours (days "
                 "and times, such as \"mon-fri 9:00-17:30\")", s);
        return -1;
    }
    if (parse_days(s, (size_t)(space - s), &out->days, why) != 0)
        return -1;
    p = space;
    while (*p == ' ')
        p++;
    if (time_of_day(&p, &from) != 0 || from == 24 * 60 || *p++ != '-' ||
        time_of_day(&p, &to) != 0 || *p) {
        snprintf(why, CALENDAR_WHY_MAX, "'%s' is not a time of day span "
                 "(such as 9:00-17:30; 24:00 ends at midnight)",
                 space + strspn(space, " "));
        return -1;
    }
    out->from = from;
    /* past midnight: open into the next day */
    out->to = to < from ? to + 24 * 60 : to;
    return 0;
}

int calendar_span_open(const calendar_span *s, const calendar_time *t)
{
    int yesterday = (t->weekday + 6) % 7;

    if ((s->days >> t->weekday & 1) && t->minute >= s->from &&
        t->minute < s->to)
        return 1;
    return (s->days >> yesterday & 1) && t->minute + 24 * 60 < s->to;
}

int calendar_weekday(int year, int month, int day)
{
    /* Sakamoto's method */
    static const int t[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};

    if (month < 3)
        year -= 1;
    return (year + year / 4 - year / 100 + year / 400 + t[month - 1] + day) %
           7;
}

const char *calendar_weekday_name(int weekday)
{
    return day_names[((weekday % 7) + 7) % 7];
}

void calendar_format(const calendar_time *t, char *buf, size_t size)
{
    snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d", t->year, t->month,
             t->day, t->minute / 60, t->minute % 60, t->second);
}
