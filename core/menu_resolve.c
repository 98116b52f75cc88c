/*
 * menu_resolve.c: what can only be checked once every file is read: menu
 * names used before they are defined, the start menu, inherited settings,
 * and inputs two entries of one menu both claim.
 */
#include "menu.h"
#include "menu_internal.h"
#include "tts.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_TIMEOUT_MS 5000
#define DEFAULT_INTERDIGIT_MS 3000
#define DEFAULT_TRIES 3

static int walk_chain(const menu_file *m, menu_node *n, menu_action *a,
                      menu_action_fn fn, void *user)
{
    int rc;

    for (; a; a = a->next) {
        if ((rc = fn(m, n, a, user)) != 0)
            return rc;
        if (a->kind == ACT_IF &&
            ((rc = walk_chain(m, n, a->then_act, fn, user)) != 0 ||
             (rc = walk_chain(m, n, a->else_act, fn, user)) != 0))
            return rc;
    }
    return 0;
}

int menu_walk_actions(const menu_file *m, menu_action_fn fn, void *user)
{
    int i, j, k, d, rc;

    for (i = 0; i < m->nglobals; i++)
        if ((rc = walk_chain(m, NULL, m->globals[i].action, fn, user)) != 0)
            return rc;
    for (i = 0; i < m->nglobal_events; i++)
        if ((rc = walk_chain(m, NULL, m->global_events[i].action, fn,
                             user)) != 0)
            return rc;
    for (i = 0; i < m->nmenus; i++) {
        menu_node *n = m->menus[i];
        for (j = 0; j < n->nentries; j++)
            if ((rc = walk_chain(m, n, n->entries[j].action, fn, user)) != 0)
                return rc;
        for (j = 0; j < n->nprompts; j++)
            for (k = 0; k < n->prompts[j].nitems; k++)
                for (d = 0; d < n->prompts[j].items[k].nduring; d++)
                    if ((rc = walk_chain(m, n,
                                         n->prompts[j].items[k].during[d].action,
                                         fn, user)) != 0)
                        return rc;
    }
    return 0;
}

static const char **menu_names(const menu_file *m)
{
    const char **names = calloc((size_t)m->nmenus + 1, sizeof *names);
    int i;

    if (names)
        for (i = 0; i < m->nmenus; i++)
            names[i] = m->menus[i]->name;
    return names;
}

static int missing_menu(const menu_file *m, const char *name, menu_loc loc,
                        ivr_error *err)
{
    const char **names = menu_names(m);
    const char *near = names ? menu_suggest(name, names) : NULL;

    if (near)
        ivr_error_set(err, IVR_EINPUT, "%s:%d:%d: no menu named '%s' (did "
                      "you mean '%s'?)", loc.file, loc.line, loc.col, name,
                      near);
    else
        ivr_error_set(err, IVR_EINPUT, "%s:%d:%d: no menu named '%s'",
                      loc.file, loc.line, loc.col, name);
    free(names);
    return IVR_EINPUT;
}

static int resolve_target(const menu_file *m, menu_node *n, menu_action *a,
                          void *user)
{
    (void)n;
    if (a->kind != ACT_GOTO && a->kind != ACT_GOSUB)
        return 0;
    a->target = menu_find(m, a->name);
    if (!a->target && missing_menu(m, a->name, a->loc, user) &&
        !menu_report_add(m->report, user))
        return IVR_EINPUT;
    return 0;
}

/* `if open NAME`: hours of that name, defined anywhere in the files. */
static int resolve_hours(const menu_file *m, menu_node *n, menu_action *a,
                         void *user)
{
    const char *names[64];
    const char *near;
    ivr_error *err = user;
    int i;

    (void)n;
    if (a->kind != ACT_IF ||
        (a->cond.op != COND_OPEN && a->cond.op != COND_CLOSED))
        return 0;
    if ((a->cond.hours = menu_find_hours(m, a->cond.left)))
        return 0;
    for (i = 0; i < m->nhours && i < 63; i++)
        names[i] = m->hours[i].name;
    names[i] = NULL;
    near = menu_suggest(a->cond.left, names);
    ivr_error_set(err, IVR_EINPUT, "%s:%d:%d: no hours named '%s'%s%s%s",
                  a->loc.file, a->loc.line, a->loc.col, a->cond.left,
                  near ? " (did you mean '" : m->nhours ? "" :
                  " (define them with a line such as: hours office "
                  "\"mon-fri 9:00-17:00\")",
                  near ? near : "", near ? "'?)" : "");
    return menu_report_add(m->report, err) ? 0 : IVR_EINPUT;
}

static void inherit(menu_settings *s, const menu_settings *d)
{
    if (s->timeout_ms < 0)
        s->timeout_ms = d->timeout_ms >= 0 ? d->timeout_ms : DEFAULT_TIMEOUT_MS;
    if (s->interdigit_ms < 0)
        s->interdigit_ms = d->interdigit_ms >= 0 ? d->interdigit_ms
                                                 : DEFAULT_INTERDIGIT_MS;
    if (s->tries_noinput < 0)
        s->tries_noinput = d->tries_noinput > 0 ? d->tries_noinput
                                                : DEFAULT_TRIES;
    if (s->tries_nomatch < 0)
        s->tries_nomatch = d->tries_nomatch > 0 ? d->tries_nomatch
                                                : DEFAULT_TRIES;
    if (s->bargein == BARGEIN_DEFAULT)
        s->bargein = d->bargein ? d->bargein : BARGEIN_BOTH;
    if (!s->voice)
        s->voice = d->voice ? d->voice : TTS_DEFAULT_VOICE;
}

/* Two entries of one menu claiming the same key or phrase. */
static int check_collisions(menu_node *n, ivr_error *err)
{
    int i, j, a, b;

    for (i = 0; i < n->nentries; i++) {
        menu_entry *e = &n->entries[i];
        for (j = 0; j <= i; j++) {
            menu_entry *f = &n->entries[j];
            if (e->kind != ENTRY_INPUT || f->kind != ENTRY_INPUT)
                continue;
            for (a = 0; a < e->nkeys; a++)
                for (b = 0; b < (j == i ? a : f->nkeys); b++)
                    if (!strcmp(e->keys[a], f->keys[b]))
                        return ivr_error_set(err, IVR_EINPUT, "%s:%d:%d: key "
                                             "'%s' is already handled in "
                                             "menu '%s' (line %d)",
                                             e->loc.file, e->loc.line,
                                             e->loc.col, e->keys[a], n->name,
                                             f->loc.line);
            for (a = 0; a < e->nphrases; a++)
                for (b = 0; b < (j == i ? a : f->nphrases); b++)
                    if (!strcmp(e->phrases[a], f->phrases[b]))
                        return ivr_error_set(err, IVR_EINPUT, "%s:%d:%d: "
                                             "phrase \"%s\" is already handled "
                                             "in menu '%s' (line %d)",
                                             e->loc.file, e->loc.line,
                                             e->loc.col, e->phrases[a],
                                             n->name, f->loc.line);
        }
    }
    return IVR_OK;
}

static int check_collect(menu_node *n, ivr_error *err)
{
    int i, has_collected = 0;

    for (i = 0; i < n->nentries; i++)
        if (n->entries[i].kind == ENTRY_COLLECTED) {
            if (!n->collect)
                return ivr_error_set(err, IVR_EINPUT, "%s:%d:%d: 'on "
                                     "collected' needs a 'collect' line in "
                                     "menu '%s'", n->entries[i].loc.file,
                                     n->entries[i].loc.line,
                                     n->entries[i].loc.col, n->name);
            has_collected = 1;
        }
    if (n->collect && !has_collected)
        return ivr_error_set(err, IVR_EINPUT, "%s:%d:%d: menu '%s' collects "
                             "into '%s' but has no 'on collected' line to say "
                             "what comes next", n->collect->loc.file,
                             n->collect->loc.line, n->collect->loc.col,
                             n->name, n->collect->var);
    return IVR_OK;
}

/* "a,b|c": the recogniser's choices for a menu, or NULL. */
static int build_choices(const menu_file *m, menu_node *n, ivr_error *err)
{
    const menu_entry *in[256];
    int k = menu_inputs(m, n, in, 256), i, j;
    size_t len = 1;
    char *s;

    int said = n->collect ? n->collect->speech : 0;

    for (i = 0; i < k; i++)
        for (j = 0; j < in[i]->nphrases; j++)
            len += strlen(in[i]->phrases[j]) + 1;
    if (len == 1 && !said)
        return IVR_OK;
    s = malloc(len + 32);
    if (!s)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    s[0] = '\0';
    for (i = 0; i < k; i++)
        for (j = 0; j < in[i]->nphrases; j++) {
            if (*s)
                strcat(s, j ? "," : "|");
            strcat(s, in[i]->phrases[j]);
        }
    /* a value said: the recogniser's digit rule, with its words */
    if (said)
        sprintf(s + strlen(s), "%s<digits%s%s>", *s ? "|" : "",
                said & MENU_DIGITS_OH ? " oh" : "",
                said & MENU_DIGITS_DOUBLE ? " double" : "");
    n->choices = s;
    return IVR_OK;
}

int menu_resolve(menu_file *m, ivr_error *err)
{
    int i;

    if (m->nmenus == 0)
        return ivr_error_set(err, IVR_EINPUT, "%s:1:1: no menu in this file "
                             "(a menu starts with a line 'menu NAME')",
                             m->path);
    if (m->start_name) {
        m->start = menu_find(m, m->start_name);
        if (!m->start &&
            (missing_menu(m, m->start_name, m->start_loc, err),
             !menu_report_add(m->report, err)))
            return IVR_EINPUT;
    }
    if (!m->start)
        m->start = m->menus[0];
    if (menu_walk_actions(m, resolve_target, err) != 0 ||
        menu_walk_actions(m, resolve_hours, err) != 0)
        return IVR_EINPUT;
    for (i = 0; i < m->nmenus; i++) {
        menu_node *n = m->menus[i];
        inherit(&n->settings, &m->defaults);
        /* a reported mistake leaves this menu for the next */
        if ((check_collisions(n, err) != IVR_OK ||
             check_collect(n, err) != IVR_OK ||
             build_choices(m, n, err) != IVR_OK) &&
            !menu_report_add(m->report, err))
            return err ? err->status : IVR_EINPUT;
    }
    return IVR_OK;
}
