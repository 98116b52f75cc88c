/*
 * menu_dot.c: the menu graph in Graphviz DOT. A node a menu, an edge each
 * way the engine can leave it, labelled with what the caller does; hang-ups
 * and transfers end in their own shapes.
 *
 * The graph is what designers review, so it draws what the engine does and
 * nothing else: `back` and `return` lead to every menu the caller can have
 * come from (the menus that go, or gosub, there), `top` to the start menu,
 * `repeat` to the menu itself; a global key is drawn from each menu that
 * hears it (not from one that has its own entry or turns it off); tries
 * running out lead where `on exhausted` (the menu's, else the file's) leads,
 * and to a hang-up when its line does not leave.
 */
#include "menu.h"
#include "menu_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_INPUTS 256

/* A goto or gosub found in the first pass: where back and return go. */
typedef struct arrow {
    int from, to, gosub;
} arrow;

typedef struct graph {
    const menu_file *m;
    FILE *out;
    arrow *arrows;
    int n, cap;
    int ends;                /* some edge hangs up */
} graph;

static void dot_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void edge(graph *G, const char *from, const char *to,
                 const char *label, const char *style)
{
    fputs("  ", G->out);
    dot_string(G->out, from);
    fputs(" -> ", G->out);
    dot_string(G->out, to);
    fputs(" [label=", G->out);
    dot_string(G->out, label);
    if (style)
        fprintf(G->out, ", style=%s", style);
    fputs("];\n", G->out);
}

static void note_arrows(graph *G, const menu_node *n, const menu_action *a)
{
    for (; a; a = a->next) {
        if (a->kind == ACT_IF) {
            note_arrows(G, n, a->then_act);
            note_arrows(G, n, a->else_act);
        }
        if ((a->kind != ACT_GOTO && a->kind != ACT_GOSUB) || !a->target)
            continue;
        if (G->n == G->cap) {
            int cap = G->cap ? G->cap * 2 : 64;
            arrow *grown = realloc(G->arrows, (size_t)cap * sizeof *grown);
            if (!grown)
                return;   /* the graph then lacks some back edges */
            G->arrows = grown;
            G->cap = cap;
        }
        G->arrows[G->n].from = n->index;
        G->arrows[G->n].to = a->target->index;
        G->arrows[G->n].gosub = a->kind == ACT_GOSUB;
        G->n++;
    }
}

/* Where `back` (gosub_only 0) or `return` (1) from n can lead. */
static void back_edges(graph *G, const menu_node *n, const char *label,
                       int gosub_only)
{
    char l[300];
    int i, j, dup;

    snprintf(l, sizeof l, "%s (%s)", label, gosub_only ? "return" : "back");
    for (i = 0; i < G->n; i++) {
        if (G->arrows[i].to != n->index || (gosub_only && !G->arrows[i].gosub))
            continue;
        for (dup = 0, j = 0; j < i && !dup; j++)
            dup = G->arrows[j].to == n->index &&
                  G->arrows[j].from == G->arrows[i].from &&
                  (!gosub_only || G->arrows[j].gosub);
        if (!dup)
            edge(G, n->name, G->m->menus[G->arrows[i].from]->name, l,
                 "dotted");
    }
}

/* Draws the ways a line of actions leaves n; 1 when some path of it does
 * (a line that does not leave goes on in the menu). */
static int edges(graph *G, const menu_node *n, const menu_action *a,
                 const char *label)
{
    int leaves = 0;

    for (; a; a = a->next) {
        char to[160];
        to[0] = '\0';
        switch (a->kind) {
        case ACT_GOTO:
            edge(G, n->name, a->target->name, label, NULL);
            return 1;
        case ACT_GOSUB:
            edge(G, n->name, a->target->name, label, "dashed");
            return 1;
        case ACT_BACK:
            back_edges(G, n, label, 0);
            return 1;
        case ACT_RETURN:
            back_edges(G, n, label, 1);
            return 1;
        case ACT_TOP:
            snprintf(to, sizeof to, "%s (top)", label);
            edge(G, n->name, G->m->start->name, to, "dotted");
            return 1;
        case ACT_REPEAT:
            snprintf(to, sizeof to, "%s (repeat)", label);
            edge(G, n->name, n->name, to, NULL);
            return 1;
        case ACT_HANGUP:
            edge(G, n->name, "(hangup)", label, NULL);
            G->ends = 1;
            return 1;
        case ACT_TRANSFER:
            snprintf(to, sizeof to, "(transfer %s)", a->to);
            edge(G, n->name, to, label, NULL);
            return 1;
        case ACT_IF:
            /* either branch; the line goes on after an if that stays */
            leaves |= edges(G, n, a->then_act, label);
            leaves |= edges(G, n, a->else_act, label);
            break;
        default:
            break;
        }
    }
    return leaves;
}

static int is_global(const menu_file *m, const menu_entry *e)
{
    return m->nglobals && e >= m->globals && e < m->globals + m->nglobals;
}

static void menu_edges(graph *G, const menu_node *n)
{
    const menu_entry *in[MAX_INPUTS], *x;
    const menu_entry *enter = menu_event_entry(G->m, n, ENTRY_ENTER, 1);
    char label[256];
    int j, k, d, count, waits = menu_waits(G->m, n);

    /* a menu whose `on enter` always leaves is nothing else */
    if (enter && menu_chain_leaves(enter->action)) {
        edges(G, n, enter->action, "enter");
        return;
    }
    for (j = 0; j < n->nentries; j++) {
        menu_entry_kind kind = n->entries[j].kind;
        if (kind == ENTRY_EXHAUSTED ||
            (!waits && (kind == ENTRY_NOINPUT || kind == ENTRY_NOMATCH)))
            continue;
        menu_entry_label(&n->entries[j], label, sizeof label);
        edges(G, n, n->entries[j].action, label);
    }
    /* the global keys and words this menu hears */
    count = menu_inputs(G->m, n, in, MAX_INPUTS);
    for (j = 0; j < count; j++)
        if (is_global(G->m, in[j])) {
            menu_entry_label(in[j], label, sizeof label);
            edges(G, n, in[j]->action, label);
        }
    for (j = 0; j < n->nprompts; j++)
        for (k = 0; k < n->prompts[j].nitems; k++)
            for (d = 0; d < n->prompts[j].items[k].nduring; d++) {
                snprintf(label, sizeof label, "during %c",
                         n->prompts[j].items[k].during[d].key);
                edges(G, n, n->prompts[j].items[k].during[d].action, label);
            }
    if (!waits)
        return;
    /* the file's no-input and no-match lines, where the menu has none */
    for (j = 0; j < G->m->nglobal_events; j++) {
        const menu_entry *g = &G->m->global_events[j];
        if (g->kind != ENTRY_EXHAUSTED &&
            menu_event_entry(G->m, n, g->kind, g->count) == g) {
            menu_entry_label(g, label, sizeof label);
            edges(G, n, g->action, label);
        }
    }
    /* when tries run out: the menu's line or the file's, and the call ends
     * where that line does not leave */
    x = menu_event_entry(G->m, n, ENTRY_EXHAUSTED, 1);
    if (!x || !edges(G, n, x->action, "exhausted")) {
        edge(G, n->name, "(hangup)", "exhausted", NULL);
        G->ends = 1;
    }
}

void menu_write_dot(const menu_file *m, FILE *out)
{
    graph G;
    int i, j, k, d;

    memset(&G, 0, sizeof G);
    G.m = m;
    G.out = out;
    for (i = 0; i < m->nmenus; i++) {
        const menu_node *n = m->menus[i];
        const menu_entry *in[MAX_INPUTS];
        int count = menu_inputs(m, n, in, MAX_INPUTS);
        for (j = 0; j < n->nentries; j++)
            note_arrows(&G, n, n->entries[j].action);
        for (j = 0; j < count; j++)
            if (is_global(m, in[j]))
                note_arrows(&G, n, in[j]->action);
        for (j = 0; j < n->nprompts; j++)
            for (k = 0; k < n->prompts[j].nitems; k++)
                for (d = 0; d < n->prompts[j].items[k].nduring; d++)
                    note_arrows(&G, n,
                                n->prompts[j].items[k].during[d].action);
    }
    for (i = 0; i < m->nglobal_events; i++)
        for (j = 0; j < m->nmenus; j++)
            if (menu_event_entry(m, m->menus[j], m->global_events[i].kind,
                                 m->global_events[i].count) ==
                &m->global_events[i])
                note_arrows(&G, m->menus[j], m->global_events[i].action);

    fputs("digraph ivr {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n",
          out);
    for (i = 0; i < m->nmenus; i++) {
        fputs("  ", out);
        dot_string(out, m->menus[i]->name);
        if (m->menus[i] == m->start)
            fputs(" [penwidth=2]", out);
        fputs(";\n", out);
    }
    for (i = 0; i < m->nmenus; i++)
        menu_edges(&G, m->menus[i]);
    if (G.ends)
        fputs("  \"(hangup)\" [shape=doublecircle, label=\"hang up\"];\n", out);
    fputs("}\n", out);
    free(G.arrows);
}
