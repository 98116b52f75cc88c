/*
 * menu_time.c: a menu's opening hours and holidays against the call's
 * clock.
 */
#include "menu.h"

#include <string.h>

const menu_hours *menu_find_hours(const menu_file *m, const char *name)
{
    int i;

    for (i = 0; i < m->nhours; i++)
        if (!strcmp(m->hours[i].name, name))
            return &m->hours[i];
    return NULL;
}

const menu_holiday *menu_holiday_on(const menu_file *m,
                                    const calendar_time *t)
{
    int i;

    for (i = 0; i < m->nholidays; i++) {
        const menu_holiday *h = &m->holidays[i];
        if ((h->year == 0 || h->year == t->year) && h->month == t->month &&
            h->day == t->day)
            return h;
    }
    return NULL;
}

int menu_hours_open(const menu_file *m, const menu_hours *h,
                    const calendar_time *t)
{
    int i;

    if (menu_holiday_on(m, t))
        return 0;
    for (i = 0; i < h->nspans; i++)
        if (calendar_span_open(&h->spans[i], t))
            return 1;
    return 0;
}

int menu_clock_variable(const char *name)
{
    static const char *const names[] = {"date", "time", "weekday", "holiday",
                                        NULL};
    int i;

    for (i = 0; names[i]; i++)
        if (!strcmp(name, names[i]))
            return 1;
    return 0;
}

int menu_uses_time(const menu_file *m)
{
    return m->timezone || m->nhours || m->nholidays || m->uses_clock;
}

int menu_cond_at(const menu_file *m, const menu_cond *c,
                 const calendar_time *t)
{
    if (!m)
        return 0;
    switch (c->op) {
    case COND_OPEN:
        return c->hours && menu_hours_open(m, c->hours, t);
    case COND_CLOSED:
        return c->hours && !menu_hours_open(m, c->hours, t);
    case COND_HOLIDAY:
        return menu_holiday_on(m, t) != NULL;
    default:
        return 0;
    }
}
