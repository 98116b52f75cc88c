/*
 * menu_lint.c: what parses but is probably a mistake.
 *
 * The loader refuses what cannot run (missing targets, missing audio, two
 * entries for one key); the lint warns about what runs but strands or
 * confuses a caller: menus nobody reaches, menus nobody leaves, a key that
 * is the prefix of another (the caller who means "1" waits out the
 * inter-digit timeout), prompts that say "press 4" where 4 does nothing,
 * and variables no line ever sets. The checks of a menu's keys and
 * phrases are menu_lint_keys.c's.
 */
#include "menu.h"
#include "menu_internal.h"
#include "menu_lint_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void lint_warn(lint *L, menu_loc loc, const char *fmt, ...)
{
    va_list ap;

    fprintf(L->out, "%s:%d:%d: warning: ", loc.file, loc.line, loc.col);
    va_start(ap, fmt);
    vfprintf(L->out, fmt, ap);
    va_end(ap);
    fputc('\n', L->out);
    L->count++;
}

/* ------------------------------------------------------------------------
 * Reachability and ways out: breadth-first over the menu graph, so that a
 * file of thousands of menus is checked in linear time.
 */

typedef struct edges {
    int *from, *to;       /* from -1: the global block (any menu) */
    int n, cap;
    char *exits;          /* per menu: a hangup, transfer, back, top or
                           * return in its own lines */
    int global_exit;
} edges;

static int is_exit(const menu_action *a)
{
    /* back, top and return lead to a menu that was reached, which the
     * caller entered from somewhere: count them as ways out rather than
     * guess where they land */
    return a->kind == ACT_HANGUP || a->kind == ACT_TRANSFER ||
           a->kind == ACT_BACK || a->kind == ACT_RETURN || a->kind == ACT_TOP;
}

static int add_edge(const menu_file *m, menu_node *n, menu_action *a,
                    void *user)
{
    edges *g = user;
    int from = n ? n->index : -1;
    const menu_node *to = a->kind == ACT_TOP ? m->start : a->target;

    if (is_exit(a)) {
        if (n)
            g->exits[from] = 1;
        else
            g->global_exit = 1;
    }
    if (!to)
        return 0;
    if (g->n == g->cap) {
        int cap = g->cap ? g->cap * 2 : 256;
        int *f = realloc(g->from, (size_t)cap * sizeof *f), *t;
        if (!f)
            return -1;
        g->from = f;
        t = realloc(g->to, (size_t)cap * sizeof *t);
        if (!t)
            return -1;
        g->to = t;
        g->cap = cap;
    }
    g->from[g->n] = from;
    g->to[g->n++] = to->index;
    return 0;
}

/* Marks what can be reached from the marked menus, following edges
 * forward (or backward); adjacency in compressed rows. */
static int spread(int nmenus, const edges *g, int backward, char *mark)
{
    int *first = calloc((size_t)nmenus + 1, sizeof *first);
    int *adj = malloc(((size_t)g->n + 1) * sizeof *adj);
    int *queue = malloc(((size_t)nmenus + 1) * sizeof *queue);
    int i, head = 0, tail = 0;

    if (!first || !adj || !queue) {
        free(first);
        free(adj);
        free(queue);
        return -1;
    }
    for (i = 0; i < g->n; i++)
        if (g->from[i] >= 0)
            first[(backward ? g->to[i] : g->from[i]) + 1]++;
    for (i = 0; i < nmenus; i++)
        first[i + 1] += first[i];
    {
        int *fill = queue;   /* borrowed as a cursor per row */
        memcpy(fill, first, (size_t)nmenus * sizeof *fill);
        for (i = 0; i < g->n; i++)
            if (g->from[i] >= 0) {
                int u = backward ? g->to[i] : g->from[i];
                adj[fill[u]++] = backward ? g->from[i] : g->to[i];
            }
    }
    for (i = 0; i < nmenus; i++)
        if (mark[i])
            queue[tail++] = i;
    while (head < tail) {
        int u = queue[head++], k;
        for (k = first[u]; k < first[u + 1]; k++)
            if (!mark[adj[k]]) {
                mark[adj[k]] = 1;
                queue[tail++] = adj[k];
            }
    }
    free(first);
    free(adj);
    free(queue);
    return 0;
}

static void check_graph(lint *L)
{
    const menu_file *m = L->m;
    edges g;
    int i;

    memset(&g, 0, sizeof g);
    g.exits = calloc((size_t)m->nmenus, 1);
    if (!g.exits || menu_walk_actions(m, add_edge, &g) != 0)
        goto done;
    /* the global block works in every menu, and the start menu is one */
    L->reached[m->start->index] = 1;
    for (i = 0; i < g.n; i++)
        if (g.from[i] < 0)
            L->reached[g.to[i]] = 1;
    if (spread(m->nmenus, &g, 0, L->reached) != 0)
        goto done;
    /* without 'on exhausted' a menu hangs up when tries run out */
    for (i = 0; i < m->nmenus; i++) {
        int has_exhausted = menu_event_entry(m, m->menus[i], ENTRY_EXHAUSTED,
                                             1) != NULL;
        L->ends[i] = !has_exhausted || g.exits[i] || g.global_exit;
    }
    if (spread(m->nmenus, &g, 1, L->ends) != 0)
        goto done;
    for (i = 0; i < g.n; i++)
        if (g.from[i] < 0 && L->ends[g.to[i]])
            memset(L->ends, 1, (size_t)m->nmenus);
    for (i = 0; i < m->nmenus; i++) {
        if (!L->reached[i])
            lint_warn(L, m->menus[i]->loc, "menu '%s' is never reached from "
                    "the start menu '%s'", m->menus[i]->name, m->start->name);
        else if (!L->ends[i])
            lint_warn(L, m->menus[i]->loc, "menu '%s' has no way out: no path "
                    "from it reaches a hangup or a transfer",
                    m->menus[i]->name);
    }
done:
    free(g.from);
    free(g.to);
    free(g.exits);
}

/* ------------------------------------------------------------------------
 * Variables
 */

static const char *const builtin_vars[] = {
    "caller", "called", "menu", "last_menu", "key", "heard", "confidence",
    "confirmed", "error", "collected_by", "lang", NULL
};

static void note_set(lint *L, const char *name)
{
    const char **s;

    if (!name)
        return;
    s = realloc(L->set_names, (size_t)(L->nset + 1) * sizeof *s);
    if (!s)
        return;
    L->set_names = s;
    s[L->nset++] = name;
}

static int collect_sets(const menu_file *m, menu_node *n, menu_action *a,
                        void *user)
{
    (void)m;
    (void)n;
    if (a->kind == ACT_SET || a->kind == ACT_INCR || a->kind == ACT_COUPON ||
        a->kind == ACT_RECORD)
        note_set(user, a->name);
    if (a->kind == ACT_FETCH) {
        int i;
        for (i = 0; i < a->fetch->nset; i++)
            note_set(user, a->fetch->set_names[i]);
    }
    return 0;
}

static int is_set(const lint *L, const char *name)
{
    int i;

    for (i = 0; builtin_vars[i]; i++)
        if (!strcmp(builtin_vars[i], name))
            return 1;
    if (menu_clock_variable(name))
        return 1;
    for (i = 0; i < L->nset; i++)
        if (!strcmp(L->set_names[i], name))
            return 1;
    return 0;
}

static void check_template(lint *L, const char *t, menu_loc loc)
{
    const char *p;

    if (!t)
        return;
    for (p = t; (p = strchr(p, '{')); p++) {
        char name[64];
        size_t n;
        if (p[1] == '{') {
            p++;
            continue;
        }
        n = strcspn(p + 1, ":}");
        if (n >= sizeof name)
            continue;
        memcpy(name, p + 1, n);
        name[n] = '\0';
        if (!is_set(L, name))
            lint_warn(L, loc, "variable '%s' is never set in the menu (give it "
                    "with --var %s=VALUE)", name, name);
    }
}

static int check_uses(const menu_file *m, menu_node *n, menu_action *a,
                      void *user)
{
    /* a backend that does not answer needs somewhere to send the call */
    if (a->kind == ACT_FETCH &&
        !(n ? menu_event_entry(m, n, ENTRY_ERROR, 1)
            : menu_event_entry(m, m->start, ENTRY_ERROR, 1)))
        lint_warn(user, a->loc, "fetch without 'on error' (in %s or the "
                "global block): a backend that does not answer ends the "
                "call", n ? n->name : "the menus");
    check_template(user, a->kind == ACT_PLAY ? NULL : a->text, a->loc);
    check_template(user, a->to, a->loc);
    if (a->kind == ACT_FETCH) {
        int i;
        check_template(user, a->fetch->url, a->loc);
        for (i = 0; i < a->fetch->npost; i++)
            check_template(user, a->fetch->post_values[i], a->loc);
    }
    if (a->kind == ACT_IF) {
        check_template(user, a->cond.left, a->loc);
        if (a->cond.op != COND_MATCHES)
            check_template(user, a->cond.right, a->loc);
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Time
 */

typedef struct time_uses {
    char *hours_used;        /* per hours set: an `if open` names it */
    int holiday_asked;       /* an `if holiday` */
} time_uses;

static int note_time_use(const menu_file *m, menu_node *n, menu_action *a,
                         void *user)
{
    time_uses *u = user;

    (void)n;
    if (a->kind == ACT_IF && a->cond.hours)
        u->hours_used[a->cond.hours - m->hours] = 1;
    if (a->kind == ACT_IF && a->cond.op == COND_HOLIDAY)
        u->holiday_asked = 1;
    return 0;
}

/* Hours that never open send every call the same way; hours nobody asks
 * about are likely a name mistyped in an `if`. */
static void check_hours(lint *L)
{
    const menu_file *m = L->m;
    time_uses u = {calloc((size_t)m->nhours + 1, 1), 0};
    int i, j, used = 0;

    if (!u.hours_used)
        return;
    menu_walk_actions(m, note_time_use, &u);
    for (i = 0; i < m->nhours; i++) {
        const menu_hours *h = &m->hours[i];
        int open = 0;
        for (j = 0; j < h->nspans; j++) {
            if (h->spans[j].from == h->spans[j].to)
                lint_warn(L, h->loc, "hours '%s': \"%s\" never opens (its "
                        "times are the same)", h->name, h->texts[j]);
            else
                open = 1;
        }
        if (!open)
            lint_warn(L, h->loc, "hours '%s' never open: 'if open %s' always "
                    "takes its else branch", h->name, h->name);
        if (!u.hours_used[i])
            lint_warn(L, h->loc, "hours '%s' are never asked about (no 'if "
                    "open %s' or 'if closed %s')", h->name, h->name, h->name);
        used |= u.hours_used[i];
    }
    if (m->nholidays && !used && !u.holiday_asked)
        lint_warn(L, m->holidays[0].loc, "holidays are listed, but no 'if "
                "open' or 'if holiday' asks about them");
    free(u.hours_used);
}

/* ------------------------------------------------------------------------
 * Languages
 */

static int note_language_chosen(const menu_file *m, menu_node *n,
                                menu_action *a, void *user)
{
    char *chosen = user;
    int i;

    (void)n;
    if (a->kind == ACT_LANGUAGE)
        for (i = 0; i < m->nlangs; i++)
            if (!strcmp(m->langs[i], a->name))
                chosen[i] = 1;
    return 0;
}

static int has_prompt(const menu_node *n, const menu_prompt *like,
                      const char *lang)
{
    int i;

    for (i = 0; i < n->nprompts; i++)
        if (n->prompts[i].kind == like->kind &&
            n->prompts[i].attempt == like->attempt &&
            !strcmp(n->prompts[i].lang, lang))
            return 1;
    return 0;
}

/* A prompt missing in a language (its callers hear the first language's
 * instead), text in a language no voice speaks (Debian's flite voices are
 * English: such text is read in English), a language nothing chooses. */
static void check_languages(lint *L)
{
    const menu_file *m = L->m;
    char *chosen = calloc((size_t)m->nlangs + 1, 1);
    int l, i, p, k;

    if (!chosen)
        return;
    menu_walk_actions(m, note_language_chosen, chosen);
    for (l = 1; l < m->nlangs; l++) {
        if (!chosen[l])
            lint_warn(L, m->menus[0]->loc, "language '%s' is never chosen (no "
                    "'language %s' action)", m->langs[l], m->langs[l]);
        for (i = 0; i < m->nmenus; i++)
            for (p = 0; p < m->menus[i]->nprompts; p++) {
                const menu_prompt *pr = &m->menus[i]->prompts[p];
                if (!pr->lang[0] && !has_prompt(m->menus[i], pr, m->langs[l]))
                    lint_warn(L, pr->loc, "menu '%s': this %s has none in '%s' "
                            "(a caller in '%s' hears it as it is)",
                            m->menus[i]->name, pr->kind == PROMPT_GREETING
                            ? "greeting" : "prompt", m->langs[l],
                            m->langs[l]);
            }
    }
    for (i = 0; i < m->nmenus; i++)
        for (p = 0; p < m->menus[i]->nprompts; p++) {
            const menu_prompt *pr = &m->menus[i]->prompts[p];
            if (!pr->lang[0] || !strncmp(pr->lang, "en", 2))
                continue;
            for (k = 0; k < pr->nitems; k++)
                if (pr->items[k].kind == ITEM_SAY) {
                    lint_warn(L, pr->items[k].loc, "text in '%s', but the "
                            "voices speak English: record it and play the "
                            "file", pr->lang);
                    break;
                }
        }
    free(chosen);
}

static void check_vars(lint *L)
{
    const menu_file *m = L->m;
    int i, p, k;

    for (i = 0; i < m->nvars; i++)
        note_set(L, m->var_names[i]);
    for (i = 0; i < m->nmenus; i++)
        if (m->menus[i]->collect)
            note_set(L, m->menus[i]->collect->var);
    menu_walk_actions(m, collect_sets, L);
    menu_walk_actions(m, check_uses, L);
    for (i = 0; i < m->nmenus; i++)
        for (p = 0; p < m->menus[i]->nprompts; p++)
            for (k = 0; k < m->menus[i]->prompts[p].nitems; k++) {
                const menu_item *it = &m->menus[i]->prompts[p].items[k];
                if (it->kind == ITEM_SAY)
                    check_template(L, it->text, it->loc);
            }
}

int menu_lint(const menu_file *m, FILE *out)
{
    lint L;
    int i;

    memset(&L, 0, sizeof L);
    L.m = m;
    L.out = out;
    L.reached = calloc((size_t)m->nmenus, 1);
    L.ends = calloc((size_t)m->nmenus, 1);
    if (!L.reached || !L.ends) {
        free(L.reached);
        free(L.ends);
        return -1;
    }
    check_graph(&L);
    for (i = 0; i < m->nmenus; i++) {
        lint_check_keys(&L, m->menus[i]);
        lint_check_prompt_keys(&L, m->menus[i]);
        lint_check_global_off(&L, m->menus[i]);
        lint_check_sms_numbers(&L, m->menus[i]);
    }
    check_vars(&L);
    check_hours(&L);
    check_languages(&L);
    free(L.reached);
    free(L.ends);
    free((void *)L.set_names);
    return L.count;
}
