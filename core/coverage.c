/*
 * coverage.c: the coverage report of a suite.
 */
#include "coverage.h"
#include "menu.h"
#include "menu_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct tally {
    int taken, total;
} tally;

static int has_hit(char *const *hits, int n, const char *key)
{
    int i;

    for (i = 0; i < n; i++)
        if (!strcmp(hits[i], key))
            return 1;
    return 0;
}

/* An entry hit in menu (or, with menu NULL, in any menu: global keys). */
static int entry_hit(char *const *hits, int n, const char *file,
                     const char *menu, const char *label, const char *how)
{
    size_t lf = strlen(file);
    int i;

    for (i = 0; i < n; i++) {
        const char *h = hits[i], *m, *rest;
        if (strncmp(h, "entry\t", 6) || strncmp(h + 6, file, lf) ||
            h[6 + lf] != '\t')
            continue;
        m = h + 6 + lf + 1;
        rest = strchr(m, '\t');
        if (!rest || (menu && (strncmp(m, menu, (size_t)(rest - m)) ||
                               strlen(menu) != (size_t)(rest - m))))
            continue;
        rest++;
        if (!strncmp(rest, label, strlen(label)) &&
            rest[strlen(label)] == '\t' &&
            !strcmp(rest + strlen(label) + 1, how))
            return 1;
    }
    return 0;
}

static void item(FILE *out, const char *prefix, tally *t, int taken,
                 const char *what)
{
    fprintf(out, "%s    %s  %s\n", prefix, taken ? "yes" : " no", what);
    t->total++;
    t->taken += taken;
}

static void entry_items(FILE *out, const char *prefix, tally *t,
                        char *const *hits, int n, const char *file,
                        const char *menu, const menu_entry *e)
{
    char label[256], what[400];

    menu_entry_label(e, label, sizeof label);
    if (e->nkeys) {
        snprintf(what, sizeof what, "%s (key)", label);
        item(out, prefix, t, entry_hit(hits, n, file, menu, label, "key"),
             what);
    }
    if (e->nphrases) {
        snprintf(what, sizeof what, "%s (speech)", label);
        item(out, prefix, t, entry_hit(hits, n, file, menu, label, "speech"),
             what);
    }
}

/* 1 when a line of menu n's entries asks a backend: its `on error` is a
 * branch to take. */
static int asks_backend(const menu_action *a)
{
    for (; a; a = a->next)
        if (a->kind == ACT_FETCH ||
            (a->kind == ACT_IF && (asks_backend(a->then_act) ||
                                   asks_backend(a->else_act))))
            return 1;
    return 0;
}

static int menu_asks_backend(const menu_node *n)
{
    int i;

    for (i = 0; i < n->nentries; i++)
        if (asks_backend(n->entries[i].action))
            return 1;
    return 0;
}

/* The ifs on the clock (after hours, holidays): each way is a branch. */
typedef struct clock_items {
    FILE *out;
    const char *prefix, *file;
    tally *t;
    char *const *hits;
    int n, shown;
} clock_items;

static int clock_if_items(const menu_file *m, menu_node *node,
                          menu_action *a, void *user)
{
    clock_items *c = user;
    char cond[160], key[1024], what[256];
    int way;

    (void)m;
    (void)node;
    if (a->kind != ACT_IF || (a->cond.op != COND_OPEN &&
                              a->cond.op != COND_CLOSED &&
                              a->cond.op != COND_HOLIDAY))
        return 0;
    if (!c->shown++)
        fprintf(c->out, "%s  (the clock)\n", c->prefix);
    menu_cond_describe(&a->cond, cond, sizeof cond);
    for (way = 0; way < 2; way++) {
        const char *took = way ? "else" : "then";
        snprintf(key, sizeof key, "if\t%s\t%s:%d\t%s", c->file, a->loc.file,
                 a->loc.line, took);
        snprintf(what, sizeof what, "if %s, line %d (%s)", cond, a->loc.line,
                 took);
        item(c->out, c->prefix, c->t, has_hit(c->hits, c->n, key), what);
    }
    return 0;
}

static int report_file(FILE *out, const char *prefix, const char *file,
                       char *const *hits, int n,
                       const char *const *allow_dirs)
{
    ivr_error err;
    menu_load_opts lo = {NULL, allow_dirs};
    menu_file *m = menu_load_with(file, &lo, &err);
    tally t = {0, 0};
    char key[1024];
    int i, j, k, d;

    if (!m) {
        fprintf(out, "%s%s\n", prefix, err.message);
        return -1;
    }
    fprintf(out, "%scoverage of %s:\n", prefix, file);
    for (i = 0; i < m->nmenus; i++) {
        const menu_node *node = m->menus[i];
        const menu_entry *enter = menu_event_entry(m, node, ENTRY_ENTER, 1);
        const menu_entry *in[256];
        int entered;
        snprintf(key, sizeof key, "menu\t%s\t%s", file, node->name);
        entered = has_hit(hits, n, key);
        fprintf(out, "%s  %s%s\n", prefix, node->name,
                entered ? "" : " (never entered)");
        t.total++;
        t.taken += entered;
        /* each of its other languages is a way to hear it */
        for (j = 1; j < m->nlangs; j++) {
            char what[64];
            snprintf(key, sizeof key, "lang\t%s\t%s\t%s", file, node->name,
                     m->langs[j]);
            snprintf(what, sizeof what, "in %s", m->langs[j]);
            item(out, prefix, &t, has_hit(hits, n, key), what);
        }
        if (menu_asks_backend(node)) {
            snprintf(key, sizeof key, "branch\t%s\t%s\terror", file,
                     node->name);
            item(out, prefix, &t, has_hit(hits, n, key), "error (backend)");
        }
        /* only branches that can be taken count: a menu whose `on enter`
         * always leaves hears nothing, and one that never waits has no
         * no-input, no-match or exhausted to take */
        if (enter && menu_chain_leaves(enter->action))
            continue;
        for (j = 0; j < node->nentries; j++) {
            const menu_entry *e = &node->entries[j];
            if (e->kind == ENTRY_INPUT)
                entry_items(out, prefix, &t, hits, n, file, node->name, e);
            else if (e->kind == ENTRY_COLLECTED)
                item(out, prefix, &t, entry_hit(hits, n, file, node->name,
                                                "collected", "key"),
                     "collected (key)");
        }
        for (j = 0; j < node->nprompts; j++)
            for (k = 0; k < node->prompts[j].nitems; k++)
                for (d = 0; d < node->prompts[j].items[k].nduring; d++) {
                    char what[64];
                    snprintf(what, sizeof what, "during %c (key)",
                             node->prompts[j].items[k].during[d].key);
                    item(out, prefix, &t, entry_hit(hits, n, file,
                                                    node->name, "during",
                                                    "key"), what);
                }
        {
            static const char *const branches[] = {"noinput", "nomatch",
                                                   "exhausted"};
            int takes_input = menu_waits(m, node) &&
                              (node->collect != NULL ||
                               menu_inputs(m, node, in, 256) > 0);
            for (j = 0; takes_input && j < 3; j++) {
                snprintf(key, sizeof key, "branch\t%s\t%s\t%s", file,
                         node->name, branches[j]);
                item(out, prefix, &t, has_hit(hits, n, key), branches[j]);
            }
        }
    }
    if (m->nglobals) {
        fprintf(out, "%s  (any menu)\n", prefix);
        for (j = 0; j < m->nglobals; j++)
            entry_items(out, prefix, &t, hits, n, file, NULL, &m->globals[j]);
    }
    {
        clock_items c = {out, prefix, file, &t, hits, n, 0};
        menu_walk_actions(m, clock_if_items, &c);
    }
    fprintf(out, "%s%s: %d of %d taken (%.0f%%)\n", prefix, file, t.taken,
            t.total, t.total ? 100.0 * t.taken / t.total : 100.0);
    menu_free(m);
    return t.total - t.taken;
}

int coverage_report(FILE *out, const char *prefix, char *const *hits,
                    int nhits, const char *const *allow_dirs)
{
    char **files = NULL;
    int nfiles = 0, i, j, missing = 0;

    for (i = 0; i < nhits; i++) {
        const char *f = strchr(hits[i], '\t'), *e;
        char *name, **grown;
        if (!f)
            continue;
        f++;
        e = strchr(f, '\t');
        if (!e)
            continue;
        for (j = 0; j < nfiles; j++)
            if (!strncmp(files[j], f, (size_t)(e - f)) &&
                files[j][e - f] == '\0')
                break;
        if (j < nfiles)
            continue;
        name = strndup(f, (size_t)(e - f));
        grown = name ? realloc(files, (size_t)(nfiles + 1) * sizeof *grown)
                     : NULL;
        if (!grown) {
            free(name);
            break;
        }
        files = grown;
        files[nfiles++] = name;
    }
    for (i = 0; i < nfiles; i++) {
        int r = report_file(out, prefix, files[i], hits, nhits, allow_dirs);
        if (r < 0)
            missing = -1;
        else if (missing >= 0)
            missing += r;
        free(files[i]);
    }
    free(files);
    return missing;
}
