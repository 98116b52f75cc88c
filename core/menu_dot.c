/*
 * menu_dot.c: the menu graph in Graphviz DOT. A node a menu, an edge each
 * way of leaving it, labelled with what the caller does; hang-ups and
 * transfers end in their own shapes.
 */
#include "menu.h"
#include "menu_internal.h"

#include <string.h>

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

static void edges(FILE *out, const char *from, const menu_action *a,
                  const char *label, int *ends)
{
    for (; a; a = a->next) {
        const char *style = NULL;
        char to[160];

        to[0] = '\0';
        switch (a->kind) {
        case ACT_GOTO:
            snprintf(to, sizeof to, "%s", a->target->name);
            break;
        case ACT_GOSUB:
            snprintf(to, sizeof to, "%s", a->target->name);
            style = "dashed";
            break;
        case ACT_HANGUP:
            snprintf(to, sizeof to, "(hangup)");
            *ends = 1;
            break;
        case ACT_TRANSFER:
            snprintf(to, sizeof to, "(transfer %s)", a->to);
            break;
        case ACT_IF:
            edges(out, from, a->then_act, label, ends);
            edges(out, from, a->else_act, label, ends);
            break;
        default:
            break;
        }
        if (!to[0])
            continue;
        fputs("  ", out);
        dot_string(out, from);
        fputs(" -> ", out);
        dot_string(out, to);
        fputs(" [label=", out);
        dot_string(out, label);
        if (style)
            fprintf(out, ", style=%s", style);
        fputs("];\n", out);
    }
}

void menu_write_dot(const menu_file *m, FILE *out)
{
    int i, j, k, d, ends = 0;
    char label[256];

    fputs("digraph ivr {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n",
          out);
    for (i = 0; i < m->nmenus; i++) {
        fputs("  ", out);
        dot_string(out, m->menus[i]->name);
        if (m->menus[i] == m->start)
            fputs(" [penwidth=2]", out);
        fputs(";\n", out);
    }
    for (i = 0; i < m->nmenus; i++) {
        const menu_node *n = m->menus[i];
        int exhausted = 0;
        for (j = 0; j < n->nentries; j++) {
            menu_entry_label(&n->entries[j], label, sizeof label);
            edges(out, n->name, n->entries[j].action, label, &ends);
            if (n->entries[j].kind == ENTRY_EXHAUSTED)
                exhausted = 1;
        }
        for (j = 0; j < n->nprompts; j++)
            for (k = 0; k < n->prompts[j].nitems; k++)
                for (d = 0; d < n->prompts[j].items[k].nduring; d++) {
                    snprintf(label, sizeof label, "during %c",
                             n->prompts[j].items[k].during[d].key);
                    edges(out, n->name, n->prompts[j].items[k].during[d].action,
                          label, &ends);
                }
        if (!exhausted) {
            /* the file's default, else the call ends */
            const menu_entry *x = menu_event_entry(m, n, ENTRY_EXHAUSTED, 1);
            edges(out, n->name, x ? x->action
                                  : &(menu_action){.kind = ACT_HANGUP},
                  "exhausted", &ends);
        }
    }
    if (m->nglobals) {
        fputs("  \"(any menu)\" [shape=plaintext];\n", out);
        for (j = 0; j < m->nglobals; j++) {
            menu_entry_label(&m->globals[j], label, sizeof label);
            edges(out, "(any menu)", m->globals[j].action, label, &ends);
        }
    }
    if (ends)
        fputs("  \"(hangup)\" [shape=doublecircle, label=\"hang up\"];\n", out);
    fputs("}\n", out);
}
