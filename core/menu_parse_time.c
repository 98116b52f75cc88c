/*
 * menu_parse_time.c: the lines of a menu file about time: its zone, its
 * opening hours and its holidays (ivr-menu(5), TIME).
 */
#include "menu_parse.h"

#include <stdlib.h>
#include <string.h>

/* timezone "America/New_York" */
int mp_parse_timezone(parser *P, const menu_token *kw)
{
    const menu_token *t = menu_lex_take(&P->c);

    if (!t || t->kind != TOK_STRING)
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                              "expected a \"time zone\" after '%s' (such "
                              "as \"America/New_York\")",
                              kw->text);
    if (!calendar_zone_known(t->text) || !*t->text)
        return menu_lex_error(&P->c, t->col,
                              "unknown time zone \"%s\" (a name from "
                              "/usr/share/zoneinfo, such as "
                              "\"Europe/Paris\")",
                              t->text);
    if (P->m->timezone && strcmp(P->m->timezone, t->text))
        return menu_lex_error(&P->c, kw->col,
                              "the time zone is already \"%s\"; a menu "
                              "file has one",
                              P->m->timezone);
    free(P->m->timezone);
    P->m->timezone = mp_dup_or_fail(P, t->text);
    return P->m->timezone ? menu_lex_expect_end(&P->c) : IVR_EINTERNAL;
}

static int add_span(parser *P, menu_hours *h, const menu_token *t)
{
    char why[CALENDAR_WHY_MAX];
    calendar_span span;
    calendar_span *spans;
    char **texts;

    if (calendar_parse_span(t->text, &span, why) != 0)
        return menu_lex_error(&P->c, t->col, "%s", why);
    spans = realloc(h->spans, (size_t)(h->nspans + 1) * sizeof *spans);
    if (spans)
        h->spans = spans;
    texts = spans ? realloc(h->texts, (size_t)(h->nspans + 1) * sizeof *texts)
                  : NULL;
    if (!texts)
        return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
    h->texts = texts;
    if (!(h->texts[h->nspans] = mp_dup_or_fail(P, t->text)))
        return IVR_EINTERNAL;
    h->spans[h->nspans++] = span;
    return IVR_OK;
}

/* hours NAME "mon-fri 9:00-17:30", "sat 10:00-13:00" */
int mp_parse_hours(parser *P, const menu_token *kw)
{
    const menu_token *n = menu_lex_take(&P->c);
    const menu_hours *old;
    menu_hours *h, *hours;

    if (!n || n->kind != TOK_WORD || !mp_valid_name(n->text))
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, n),
                              "expected a name after '%s' (such as "
                              "office)",
                              kw->text);
    if ((old = menu_find_hours(P->m, n->text)))
        return menu_lex_error(&P->c, n->col,
                              "hours '%s' are already defined at %s:%d",
                              n->text, old->loc.file, old->loc.line);
    hours = mp_grow(P, P->m->hours, P->m->nhours, sizeof *hours);
    if (!hours)
        return IVR_EINTERNAL;
    P->m->hours = hours;
    h = &hours[P->m->nhours++];
    h->loc = mp_loc_of(P, n);
    if (!(h->name = mp_dup_or_fail(P, n->text)))
        return IVR_EINTERNAL;
    for (;;) {
        const menu_token *t = menu_lex_take(&P->c);
        if (!t || t->kind != TOK_STRING)
            return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                                  "expected opening hours in quotes "
                                  "(such as \"mon-fri 9:00-17:30\")");
        if (add_span(P, h, t) != IVR_OK)
            return IVR_EINPUT;
        if (!menu_lex_peek(&P->c) || menu_lex_peek(&P->c)->kind != TOK_COMMA)
            return menu_lex_expect_end(&P->c);
        P->c.pos++;
    }
}

/* holiday "2026-12-25" ["Christmas Day"] */
int mp_parse_holiday(parser *P, const menu_token *kw)
{
    const menu_token *t = menu_lex_take(&P->c), *name;
    char why[CALENDAR_WHY_MAX];
    menu_holiday h, *all;
    int i;

    if (!t || t->kind != TOK_STRING)
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                              "expected a \"date\" after '%s' (such as "
                              "\"2026-12-25\", or \"12-25\" for every "
                              "year)",
                              kw->text);
    memset(&h, 0, sizeof h);
    if (calendar_parse_date(t->text, &h.year, &h.month, &h.day, why) != 0)
        return menu_lex_error(&P->c, t->col, "%s", why);
    for (i = 0; i < P->m->nholidays; i++) {
        const menu_holiday *o = &P->m->holidays[i];
        if (o->year == h.year && o->month == h.month && o->day == h.day)
            return menu_lex_error(&P->c, t->col,
                                  "\"%s\" is already a holiday at %s:%d",
                                  t->text, o->loc.file, o->loc.line);
    }
    name = menu_lex_peek(&P->c);
    if (name && name->kind == TOK_STRING)
        P->c.pos++;
    else
        name = NULL;
    h.loc = mp_loc_of(P, t);
    all = mp_grow(P, P->m->holidays, P->m->nholidays, sizeof *all);
    if (!all)
        return IVR_EINTERNAL;
    P->m->holidays = all;
    if (!(h.name = mp_dup_or_fail(P, name ? name->text : "")))
        return IVR_EINTERNAL;
    all[P->m->nholidays++] = h;
    return menu_lex_expect_end(&P->c);
}
