/*
 * menu.c: loading and freeing menu files, and the small helpers the engine
 * and the lint share (phrase normalisation, nearest-word suggestions).
 */
#include "menu.h"
#include "menu_internal.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

menu_file *menu_load_with(const char *path, const menu_load_opts *o,
                          ivr_error *err)
{
    menu_report *r = o ? o->report : NULL;
    ivr_error local;
    menu_file *m = calloc(1, sizeof *m);

    if (!err)
        err = &local;

    if (!m || !(m->path = strdup(path))) {
        free(m);
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    m->defaults.timeout_ms = m->defaults.interdigit_ms = -1;
    m->defaults.tries_noinput = m->defaults.tries_nomatch = -1;
    m->report = r;
    m->allow_dirs = o ? o->allow_dirs : NULL;
    /* names are resolved only in a file that parsed: what a broken line
     * would have defined is not there to find */
    if (menu_parse(m, path, err) != IVR_OK ||
        (!(r && r->count) && menu_resolve(m, err) != IVR_OK) ||
        (r && r->count)) {
        if (r && r->count && err)
            *err = r->first;
        menu_free(m);
        return NULL;
    }
    m->report = NULL;
    m->allow_dirs = NULL;
    return m;
}

menu_file *menu_load(const char *path, ivr_error *err)
{
    return menu_load_with(path, NULL, err);
}

int menu_report_add(menu_report *r, const ivr_error *err)
{
    if (!r || err->status != IVR_EINPUT)
        return 0;
    if (r->count++ == 0)
        r->first = *err;
    if (r->fn)
        r->fn(err, r->user);
    return r->count < r->max;
}

static void free_actions(menu_action *a)
{
    while (a) {
        menu_action *next = a->next;
        free(a->name);
        free(a->text);
        free(a->to);
        free(a->cond.left);
        free(a->cond.right);
        if (a->cond.regex) {
            regfree(a->cond.regex);
            free(a->cond.regex);
        }
        free_actions(a->then_act);
        free_actions(a->else_act);
        menu_fetch_free(a->fetch);
        free(a);
        a = next;
    }
}

static void free_entries(menu_entry *e, int n)
{
    int i, j;

    for (i = 0; i < n; i++) {
        for (j = 0; j < e[i].nkeys; j++)
            free(e[i].keys[j]);
        for (j = 0; j < e[i].nphrases; j++)
            free(e[i].phrases[j]);
        free(e[i].keys);
        free(e[i].phrases);
        free_actions(e[i].action);
    }
    free(e);
}

static void free_node(menu_node *n)
{
    int i, j, k;

    for (i = 0; i < n->nprompts; i++) {
        menu_prompt *p = &n->prompts[i];
        for (j = 0; j < p->nitems; j++) {
            for (k = 0; k < p->items[j].nduring; k++)
                free_actions(p->items[j].during[k].action);
            free(p->items[j].during);
            free(p->items[j].text);
        }
        free(p->items);
    }
    free(n->prompts);
    free_entries(n->entries, n->nentries);
    free_entries(n->global_off, n->global_off ? 1 : 0);
    if (n->collect) {
        free(n->collect->var);
        free(n->collect->pattern);
        if (n->collect->regex) {
            regfree(n->collect->regex);
            free(n->collect->regex);
        }
        free(n->collect);
    }
    free(n->choices);
    free(n->name);
    free(n);
}

void menu_free(menu_file *m)
{
    int i;

    if (!m)
        return;
    for (i = 0; i < m->nmenus; i++)
        free_node(m->menus[i]);
    free(m->menus);
    free(m->by_name);
    free_entries(m->globals, m->nglobals);
    free_entries(m->global_events, m->nglobal_events);
    for (i = 0; i < m->nvars; i++) {
        free(m->var_names[i]);
        free(m->var_values[i]);
    }
    free(m->var_names);
    free(m->var_values);
    for (i = 0; i < m->nfiles; i++)
        free(m->files[i]);
    free(m->files);
    for (i = 0; i < m->nkept; i++)
        free(m->kept[i]);
    free(m->kept);
    for (i = 0; i < m->nhours; i++) {
        int j;
        for (j = 0; j < m->hours[i].nspans; j++)
            free(m->hours[i].texts[j]);
        free(m->hours[i].texts);
        free(m->hours[i].spans);
        free(m->hours[i].name);
    }
    free(m->hours);
    for (i = 0; i < m->nholidays; i++)
        free(m->holidays[i].name);
    free(m->holidays);
    free(m->timezone);
    for (i = 0; i < m->nlangs; i++)
        free(m->langs[i]);
    free(m->langs);
    free(m->start_name);
    free(m->path);
    free(m);
}

static unsigned hash_name(const char *s)
{
    unsigned h = 2166136261u;   /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

menu_node *menu_find(const menu_file *m, const char *name)
{
    unsigned i;

    if (!m->by_name_cap)
        return NULL;
    for (i = hash_name(name) & (unsigned)(m->by_name_cap - 1);
         m->by_name[i]; i = (i + 1) & (unsigned)(m->by_name_cap - 1))
        if (!strcmp(m->by_name[i]->name, name))
            return m->by_name[i];
    return NULL;
}

static void put_name(menu_node **table, int cap, menu_node *n)
{
    unsigned i = hash_name(n->name) & (unsigned)(cap - 1);

    while (table[i])
        i = (i + 1) & (unsigned)(cap - 1);
    table[i] = n;
}

int menu_add_node(menu_file *m, menu_node *n)
{
    menu_node **menus = realloc(m->menus, (size_t)(m->nmenus + 1) *
                                              sizeof *menus);
    int i;

    if (!menus)
        return -1;
    m->menus = menus;
    if (2 * (m->nmenus + 1) > m->by_name_cap) {
        int cap = m->by_name_cap ? m->by_name_cap * 2 : 64;
        menu_node **table = calloc((size_t)cap, sizeof *table);
        if (!table)
            return -1;
        for (i = 0; i < m->nmenus; i++)
            put_name(table, cap, m->menus[i]);
        free(m->by_name);
        m->by_name = table;
        m->by_name_cap = cap;
    }
    put_name(m->by_name, m->by_name_cap, n);
    n->index = m->nmenus;
    m->menus[m->nmenus++] = n;
    return 0;
}

static int shares_input(const menu_entry *a, const menu_entry *b)
{
    int i, j;

    for (i = 0; i < a->nkeys; i++)
        for (j = 0; j < b->nkeys; j++)
            if (!strcmp(a->keys[i], b->keys[j]))
                return 1;
    for (i = 0; i < a->nphrases; i++)
        for (j = 0; j < b->nphrases; j++)
            if (!strcmp(a->phrases[i], b->phrases[j]))
                return 1;
    return 0;
}

int menu_inputs(const menu_file *m, const menu_node *n,
                const menu_entry **out, int max)
{
    int i, j, k = 0;

    for (i = 0; i < n->nentries && k < max; i++)
        if (n->entries[i].kind == ENTRY_INPUT)
            out[k++] = &n->entries[i];
    for (i = 0; i < m->nglobals && k < max; i++) {
        int shadowed = n->global_off &&
                       shares_input(n->global_off, &m->globals[i]);
        for (j = 0; j < n->nentries; j++)
            if (n->entries[j].kind == ENTRY_INPUT &&
                shares_input(&n->entries[j], &m->globals[i]))
                shadowed = 1;
        if (!shadowed)
            out[k++] = &m->globals[i];
    }
    return k;
}

char *menu_normalise_phrase(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    int space = 0;

    if (!out)
        return NULL;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '\'') {
            if (space && o > out)
                *o++ = ' ';
            space = 0;
            *o++ = (char)tolower(c);
        } else {
            space = 1;
        }
    }
    *o = '\0';
    return out;
}

/* Optimal string alignment distance: edits with adjacent swaps, the typos
 * people make. */
static int distance(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b), i, j;
    int d[33][33];

    if (la > 32 || lb > 32)
        return 99;
    for (i = 0; i <= la; i++)
        d[i][0] = i;
    for (j = 0; j <= lb; j++)
        d[0][j] = j;
    for (i = 1; i <= la; i++)
        for (j = 1; j <= lb; j++) {
            int cost = tolower((unsigned char)a[i - 1]) !=
                       tolower((unsigned char)b[j - 1]);
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]
                && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

const char *menu_suggest(const char *word, const char *const *known)
{
    const char *best = NULL;
    int best_d = 99, i, limit = (int)strlen(word) / 3;

    /* names are exact: 'Refill' is 'refill' written otherwise */
    for (i = 0; known[i]; i++)
        if (strcmp(word, known[i]) && !strcasecmp(word, known[i]))
            return known[i];
    if (limit < 1)
        limit = 1;
    if (limit > 3)
        limit = 3;
    for (i = 0; known[i]; i++) {
        int d = distance(word, known[i]);
        if (d < best_d) {
            best_d = d;
            best = known[i];
        }
    }
    return best_d <= limit && best_d > 0 ? best : NULL;
}

const char *menu_keep_file(menu_file *m, const char *path)
{
    char **f = realloc(m->files, (size_t)(m->nfiles + 1) * sizeof *f);

    if (!f)
        return NULL;
    m->files = f;
    if (!(f[m->nfiles] = strdup(path)))
        return NULL;
    return f[m->nfiles++];
}

const char *menu_keep_string(menu_file *m, char *s)
{
    char **k = realloc(m->kept, (size_t)(m->nkept + 1) * sizeof *k);

    if (!k) {
        free(s);
        return NULL;
    }
    m->kept = k;
    k[m->nkept++] = s;
    return s;
}

const char *menu_set_start(menu_file *m, const char *name, menu_loc loc)
{
    free(m->start_name);
    m->start_name = strdup(name);
    m->start_loc = loc;
    return m->start_name;
}

int menu_add_var(menu_file *m, char *name, char *value)
{
    char **n = realloc(m->var_names, (size_t)(m->nvars + 1) * sizeof *n), **v;

    if (n)
        m->var_names = n;
    v = n ? realloc(m->var_values, (size_t)(m->nvars + 1) * sizeof *v) : NULL;
    if (!v) {
        free(name);
        free(value);
        return -1;
    }
    m->var_values = v;
    m->var_names[m->nvars] = name;
    m->var_values[m->nvars++] = value;
    return 0;
}

void menu_entry_label(const menu_entry *e, char *buf, size_t size)
{
    static const char *const kinds[] = {"input",     "noinput", "nomatch",
                                        "exhausted", "enter",   "played",
                                        "collected", "error"};
    size_t len = 0;
    int i;

    buf[0] = '\0';
    if (e->kind != ENTRY_INPUT) {
        if ((e->kind == ENTRY_NOINPUT || e->kind == ENTRY_NOMATCH) &&
            e->count > 1)
            snprintf(buf, size, "%s %d", kinds[e->kind], e->count);
        else
            snprintf(buf, size, "%s", kinds[e->kind]);
        return;
    }
    for (i = 0; i < e->nkeys && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
                                e->keys[i]);
    for (i = 0; i < e->nphrases && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s\"%s\"",
                                len ? ", " : "", e->phrases[i]);
}

static const menu_entry *best_entry(const menu_entry *entries, int n,
                                    menu_entry_kind kind, int count)
{
    const menu_entry *best = NULL;
    int i;

    for (i = 0; i < n; i++)
        if (entries[i].kind == kind && entries[i].count <= count &&
            (!best || entries[i].count > best->count))
            best = &entries[i];
    return best;
}

const menu_entry *menu_event_entry(const menu_file *m, const menu_node *n,
                                   menu_entry_kind kind, int count)
{
    const menu_entry *own = best_entry(n->entries, n->nentries, kind, count);

    return own ? own : best_entry(m->global_events, m->nglobal_events, kind,
                                  count);
}

int menu_chain_leaves(const menu_action *a)
{
    for (; a; a = a->next)
        switch (a->kind) {
        case ACT_GOTO: case ACT_GOSUB: case ACT_RETURN: case ACT_BACK:
        case ACT_TOP: case ACT_REPEAT: case ACT_HANGUP: case ACT_TRANSFER:
            return 1;
        case ACT_IF:
            if (menu_chain_leaves(a->then_act) &&
                menu_chain_leaves(a->else_act))
                return 1;
            break;
        default:
            break;
        }
    return 0;
}

int menu_waits(const menu_file *m, const menu_node *n)
{
    const menu_entry *enter = menu_event_entry(m, n, ENTRY_ENTER, 1);
    const menu_entry *played = menu_event_entry(m, n, ENTRY_PLAYED, 1);

    return !(enter && menu_chain_leaves(enter->action)) &&
           !(played && menu_chain_leaves(played->action));
}

void menu_cond_describe(const menu_cond *c, char *buf, size_t size)
{
    static const char *const ops[] = {"==", "!=", "<", ">", "<=", ">=",
                                      "matches"};

    if (c->op == COND_OPEN || c->op == COND_CLOSED)
        snprintf(buf, size, "%s %s", c->op == COND_OPEN ? "open" : "closed",
                 c->left);
    else if (c->op == COND_HOLIDAY)
        snprintf(buf, size, "holiday");
    else
        snprintf(buf, size, "%s %s \"%s\"", c->left, ops[c->op], c->right);
}

void menu_fetch_free(menu_fetch *f)
{
    int i;

    if (!f)
        return;
    for (i = 0; i < f->npost; i++) {
        free(f->post_names[i]);
        free(f->post_values[i]);
    }
    for (i = 0; i < f->nset; i++) {
        free(f->set_names[i]);
        free(f->set_paths[i]);
    }
    free(f->post_names);
    free(f->post_values);
    free(f->set_names);
    free(f->set_paths);
    free(f->url);
    free(f);
}

int menu_digits_from_words(const char *words, int flags, char *out,
                           size_t size)
{
    static const char *const names[] = {"zero", "one", "two", "three",
                                        "four", "five", "six", "seven",
                                        "eight", "nine"};
    char word[32];
    size_t len = 0;
    int repeat = 1;

    while (*words) {
        size_t n = strcspn(words, " ");
        int d, k;
        if (n == 0) {
            words++;
            continue;
        }
        if (n >= sizeof word)
            return -1;
        memcpy(word, words, n);
        word[n] = '\0';
        words += n;
        if ((flags & MENU_DIGITS_DOUBLE) && repeat == 1 &&
            (!strcmp(word, "double") || !strcmp(word, "triple"))) {
            repeat = word[0] == 'd' ? 2 : 3;
            continue;
        }
        for (d = 0; d < 10 && strcmp(word, names[d]); d++)
            ;
        if (d == 10 && (flags & MENU_DIGITS_OH) && !strcmp(word, "oh"))
            d = 0;
        if (d == 10)
            return -1;
        for (k = 0; k < repeat; k++) {
            if (len + 1 >= size)
                return -1;
            out[len++] = (char)('0' + d);
        }
        repeat = 1;
    }
    out[len] = '\0';
    /* "double" with nothing after it, or no digit at all */
    return repeat == 1 && len > 0 ? 0 : -1;
}

const char *menu_default_language(const menu_file *m)
{
    return m->nlangs ? m->langs[0] : "en";
}

int menu_has_language(const menu_file *m, const char *lang)
{
    int i;

    for (i = 0; i < m->nlangs; i++)
        if (!strcmp(m->langs[i], lang))
            return 1;
    return !m->nlangs && !strcmp(lang, "en");
}
