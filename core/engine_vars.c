/*
 * engine_vars.c: a call's variables, {templates} and `if` conditions.
 */
#include "engine_internal.h"

#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vars_set(engine_vars *v, const char *name, const char *value)
{
    int i;
    char *copy = strdup(value), **n, **val;

    if (!copy)
        return -1;
    for (i = 0; i < v->n; i++)
        if (!strcmp(v->names[i], name)) {
            free(v->values[i]);
            v->values[i] = copy;
            return 0;
        }
    n = realloc(v->names, (size_t)(v->n + 1) * sizeof *n);
    if (n)
        v->names = n;
    val = n ? realloc(v->values, (size_t)(v->n + 1) * sizeof *val) : NULL;
    if (!val) {
        free(copy);
        return -1;
    }
    v->values = val;
    if (!(v->names[v->n] = strdup(name))) {
        free(copy);
        return -1;
    }
    v->values[v->n++] = copy;
    return 0;
}

const char *vars_get(const engine_vars *v, const char *name)
{
    int i;

    for (i = 0; i < v->n; i++)
        if (!strcmp(v->names[i], name))
            return v->values[i];
    return NULL;
}

void vars_free(engine_vars *v)
{
    int i;

    for (i = 0; i < v->n; i++) {
        free(v->names[i]);
        free(v->values[i]);
    }
    free(v->names);
    free(v->values);
    memset(v, 0, sizeof *v);
}

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* {account:digits}: "4 1 2 3", so a voice reads a number character by
 * character; punctuation ("7K2M-Q9XD") becomes a pause. */
static void add_digits(sbuf *b, const char *value)
{
    int first = 1, pause = 0;

    for (; *value; value++) {
        if (!isalnum((unsigned char)*value)) {
            pause = !first;
            continue;
        }
        if (!first)
            sb_add(b, pause ? ", " : " ", pause ? 2 : 1);
        sb_add(b, value, 1);
        first = pause = 0;
    }
}

void vars_clock(const engine_vars *v, calendar_time *out)
{
    time_t t = v->start + (time_t)v->now;

    if (calendar_local(t, v->m ? v->m->timezone : NULL, out) != 0)
        memset(out, 0, sizeof *out);
}

/* {date} "2026-12-24", {time} "18:30", {weekday} "thursday", {holiday}
 * its name (the date when it has none) or "". */
static const char *clock_value(const engine_vars *v, const char *name,
                               char *buf, size_t size)
{
    calendar_time t;
    const menu_holiday *h;

    vars_clock(v, &t);
    if (!strcmp(name, "date"))
        snprintf(buf, size, "%04d-%02d-%02d", t.year, t.month, t.day);
    else if (!strcmp(name, "time"))
        snprintf(buf, size, "%02d:%02d", t.minute / 60, t.minute % 60);
    else if (!strcmp(name, "weekday"))
        snprintf(buf, size, "%s", calendar_weekday_name(t.weekday));
    else if (!strcmp(name, "holiday")) {
        h = v->m ? menu_holiday_on(v->m, &t) : NULL;
        if (h && *h->name)
            snprintf(buf, size, "%s", h->name);
        else if (h)
            snprintf(buf, size, "%04d-%02d-%02d", t.year, t.month, t.day);
        else
            buf[0] = '\0';
    } else
        return NULL;
    return buf;
}

/* RFC 3986's unreserved characters stay; the rest are %XX. */
static void add_url_encoded(sbuf *b, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; *value; value++) {
        unsigned char c = (unsigned char)*value;
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            sb_add(b, value, 1);
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            sb_add(b, esc, 3);
        }
    }
}

static char *render(const engine_vars *v, const char *tmpl, int url);

char *vars_render(const engine_vars *v, const char *tmpl)
{
    return render(v, tmpl, 0);
}

char *vars_render_url(const engine_vars *v, const char *tmpl)
{
    return render(v, tmpl, 1);
}

static char *render(const engine_vars *v, const char *tmpl, int url)
{
    sbuf b = {0};
    const char *p = tmpl;

    sb_add(&b, "", 0);
    while (*p) {
        const char *open = strpbrk(p, "{}");
        if (!open) {
            sb_add(&b, p, strlen(p));
            break;
        }
        sb_add(&b, p, (size_t)(open - p));
        if (open[0] == open[1]) {          /* {{ or }} */
            sb_add(&b, open, 1);
            p = open + 2;
            continue;
        }
        if (*open == '}') {
            sb_add(&b, open, 1);
            p = open + 1;
            continue;
        }
        {
            const char *close = strchr(open, '}'), *colon, *value;
            char name[64], clock[128];
            size_t n;
            if (!close) {
                sb_add(&b, open, strlen(open));
                break;
            }
            colon = memchr(open, ':', (size_t)(close - open));
            n = (size_t)((colon ? colon : close) - open - 1);
            snprintf(name, sizeof name, "%.*s", (int)(n < 63 ? n : 63),
                     open + 1);
            value = vars_get(v, name);
            if (!value && menu_clock_variable(name))
                value = clock_value(v, name, clock, sizeof clock);
            /* a value that starts the URL is its base, taken whole */
            if (value && url && open != tmpl)
                add_url_encoded(&b, value);
            else if (value && url)
                sb_add(&b, value, strlen(value));
            else if (value && colon && !strncmp(colon + 1, "digits", 6))
                add_digits(&b, value);
            else if (value)
                sb_add(&b, value, strlen(value));
            p = close + 1;
        }
    }
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

static int as_number(const char *s, double *out)
{
    char *end;

    if (!*s)
        return 0;
    errno = 0;
    *out = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    return !*end && !errno;
}

int vars_cond(const engine_vars *v, const menu_cond *c)
{
    char *l, *r = NULL;
    double a, b;
    int cmp, result = 0;

    if (c->op == COND_OPEN || c->op == COND_CLOSED ||
        c->op == COND_HOLIDAY) {
        calendar_time t;
        vars_clock(v, &t);
        return menu_cond_at(v->m, c, &t);
    }
    if (!(l = vars_render(v, c->left)))
        return 0;
    if (c->op == COND_MATCHES) {
        result = regexec(c->regex, l, 0, NULL, 0) == 0;
        free(l);
        return result;
    }
    r = vars_render(v, c->right);
    if (r) {
        /* numbers compare as numbers ("10" > "9"), the rest as text */
        if (as_number(l, &a) && as_number(r, &b))
            cmp = a < b ? -1 : a > b;
        else
            cmp = strcmp(l, r);
        switch (c->op) {
        case COND_EQ: result = cmp == 0; break;
        case COND_NE: result = cmp != 0; break;
        case COND_LT: result = cmp < 0; break;
        case COND_GT: result = cmp > 0; break;
        case COND_LE: result = cmp <= 0; break;
        case COND_GE: result = cmp >= 0; break;
        default: break;
        }
    }
    free(l);
    free(r);
    return result;
}
