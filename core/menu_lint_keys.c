/*
 * menu_lint_keys.c: the lint's checks of what a caller can press and say
 * in a menu (see menu_lint.c): keys that are the start of others or of a
 * value being collected, keys a prompt promises and nothing takes,
 * 'global off' naming nothing, an SMS to a number that may be withheld.
 */
#include "menu.h"
#include "menu_internal.h"
#include "menu_lint_internal.h"

#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_INPUTS 256

/* Whether a record action of the chain ends on key k ("press pound when
 * you are done" before a message is recorded). */
static int chain_records_until(const menu_action *a, char k)
{
    for (; a; a = a->next)
        if ((a->kind == ACT_RECORD && k &&
             strchr(a->record_terminators, k)) ||
            chain_records_until(a->then_act, k) ||
            chain_records_until(a->else_act, k))
            return 1;
    return 0;
}

static int handles_key(const menu_file *m, const menu_node *n, const char *k)
{
    const menu_entry *in[MAX_INPUTS];
    int count = menu_inputs(m, n, in, MAX_INPUTS), i, j, p;

    if (n->collect && (strchr(n->collect->keys, k[0]) ||
                       strchr(n->collect->terminators, k[0])))
        return 1;
    for (i = 0; i < n->nentries && !k[1]; i++)
        if (chain_records_until(n->entries[i].action, k[0]))
            return 1;
    for (i = 0; i < count; i++)
        for (j = 0; j < in[i]->nkeys; j++)
            if (!strcmp(in[i]->keys[j], k))
                return 1;
    for (p = 0; p < n->nprompts; p++)
        for (i = 0; i < n->prompts[p].nitems; i++)
            for (j = 0; j < n->prompts[p].items[i].nduring; j++)
                if (n->prompts[p].items[i].during[j].key == k[0] && !k[1])
                    return 1;
    return 0;
}

/* Whether e is one of the file's global entries (== only: < between
 * pointers into different arrays is undefined). */
static int is_global(const menu_file *m, const menu_entry *e)
{
    int g;

    for (g = 0; g < m->nglobals; g++)
        if (e == &m->globals[g])
            return 1;
    return 0;
}

static int same_file(menu_loc a, menu_loc b)
{
    return a.file == b.file || (a.file && b.file && !strcmp(a.file, b.file));
}

/* Whether some value the collection accepts starts with key k: with a
 * pattern such as "^[1-9]", a 0 key cannot clash with a value. A regex
 * cannot be asked this, so values are tried: counting runs first, then
 * seeded random ones of every allowed length and key, which find values
 * of a structured pattern (a date of birth, MMDDYYYY: one 8-digit string
 * in 180 starting with 0 is one) that counting runs miss. */
#define START_TRIES 4000

static int collect_can_start(const menu_collect *c, char k)
{
    char value[72];
    int d, i, t, len, nkeys = (int)strlen(c->keys), top;
    uint32_t x = 2463534242u;   /* xorshift32: the same tries every run */

    if (!c->regex)
        return 1;
    top = c->max < 70 ? c->max : 70;
    for (d = 0; d < 10; d++) {
        value[0] = k;
        for (i = 1; i < top; i++)
            value[i] = (char)('0' + (d + i) % 10);
        for (i = c->min; i <= top; i++) {
            char save = value[i];
            value[i] = '\0';
            if (regexec(c->regex, value, 0, NULL, 0) == 0)
                return 1;
            value[i] = save;
        }
    }
    if (nkeys == 0 || c->min > top)
        return 0;
    for (t = 0; t < START_TRIES; t++) {
        len = c->min + t % (top - c->min + 1);
        value[0] = k;
        for (i = 1; i < len; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            value[i] = c->keys[x % (uint32_t)nkeys];
        }
        value[len] = '\0';
        if (len > 0 && regexec(c->regex, value, 0, NULL, 0) == 0)
            return 1;
    }
    return 0;
}

void lint_check_keys(lint *L, const menu_node *n)
{
    const menu_entry *in[MAX_INPUTS];
    int count = menu_inputs(L->m, n, in, MAX_INPUTS), a, b, i, j, here;

    for (a = 0; a < count; a++)
        for (i = 0; i < in[a]->nkeys; i++) {
            const char *k = in[a]->keys[i];
            for (b = 0; b < count; b++)
                for (j = 0; j < in[b]->nkeys; j++) {
                    const char *l = in[b]->keys[j];
                    if (strlen(k) < strlen(l) && !strncmp(k, l, strlen(k)))
                        lint_warn(L, in[a]->loc, "in menu '%s', key '%s' is the "
                                "start of key '%s': a caller who means '%s' "
                                "waits out the inter-digit timeout (%gs)",
                                n->name, k, l, k,
                                n->settings.interdigit_ms / 1000.0);
                }
            if (!n->collect || !strchr(n->collect->keys, k[0]) ||
                !collect_can_start(n->collect, k[0]))
                continue;
            if (!is_global(L->m, in[a])) {
                lint_warn(L, in[a]->loc, "in menu '%s', key '%s' is taken as "
                        "the key, so no value collected into '%s' can start "
                        "with it", n->name, k, n->collect->var);
                continue;
            }
            /* a global key: the fix goes in the menu, so the warning
             * points there, and at the global line too */
            here = same_file(in[a]->loc, n->collect->loc);
            lint_warn(L, n->collect->loc, "in menu '%s', the global key '%s' "
                    "(%s%sline %d) is taken as the key, so no value "
                    "collected into '%s' can start with it: 'global off %s' "
                    "in the menu lets it", n->name, k,
                    here ? "" : in[a]->loc.file, here ? "" : " ",
                    in[a]->loc.line, n->collect->var, k);
        }
}

/* `global off X` names an input of some global entry; anything else is a
 * typo that leaves the global key on. */
void lint_check_global_off(lint *L, const menu_node *n)
{
    const menu_entry *off = n->global_off;
    int i, g, j, found;

    if (!off)
        return;
    for (i = 0; i < off->nkeys + off->nphrases; i++) {
        const char *in = i < off->nkeys ? off->keys[i]
                                        : off->phrases[i - off->nkeys];
        found = 0;
        for (g = 0; g < L->m->nglobals; g++) {
            const menu_entry *e = &L->m->globals[g];
            for (j = 0; j < e->nkeys; j++)
                found |= i < off->nkeys && !strcmp(e->keys[j], in);
            for (j = 0; j < e->nphrases; j++)
                found |= i >= off->nkeys && !strcmp(e->phrases[j], in);
        }
        if (!found)
            lint_warn(L, off->loc, "in menu '%s', 'global off' names '%s', "
                    "which no global entry takes", n->name, in);
    }
}

/* The number a call may not have: an inbound caller can withhold theirs
 * (an outbound call knows the number it dials). */
static const char *const maybe_empty[] = {"{caller}", NULL};

static int chain_tests(const menu_action *a, const char *var)
{
    for (; a; a = a->next)
        if (a->kind == ACT_IF &&
            ((a->cond.left && strstr(a->cond.left, var)) ||
             (a->cond.right && strstr(a->cond.right, var)) ||
             chain_tests(a->then_act, var) || chain_tests(a->else_act, var)))
            return 1;
    return 0;
}

/* An `sms` to a number that may be empty, outside any `if` on it (in its
 * line, or in the menu's `on enter`): the text a prompt promised is never
 * sent, and the caller is not told. */
static void check_sms_chain(lint *L, const menu_node *n, const menu_action *a,
                            int guarded_from)
{
    int v;

    for (; a; a = a->next) {
        if (a->kind == ACT_IF) {
            for (v = 0; maybe_empty[v]; v++)
                if ((a->cond.left && strstr(a->cond.left, maybe_empty[v])) ||
                    (a->cond.right && strstr(a->cond.right, maybe_empty[v])))
                    guarded_from |= 1 << v;
            check_sms_chain(L, n, a->then_act, guarded_from);
            check_sms_chain(L, n, a->else_act, guarded_from);
        }
        if (a->kind != ACT_SMS || !a->to)
            continue;
        for (v = 0; maybe_empty[v]; v++)
            if (strstr(a->to, maybe_empty[v]) && !(guarded_from & 1 << v))
                lint_warn(L, a->loc, "in menu '%s', the SMS goes to %s, which "
                        "is empty when the number is withheld or unknown: "
                        "test it first (if %s == \"\" ...)", n->name,
                        maybe_empty[v], maybe_empty[v]);
    }
}

void lint_check_sms_numbers(lint *L, const menu_node *n)
{
    const menu_entry *enter = menu_event_entry(L->m, n, ENTRY_ENTER, 1);
    int guarded = 0, v, i, p, k;

    if (L->m->outbound)
        return;
    for (v = 0; maybe_empty[v]; v++)
        if (enter && chain_tests(enter->action, maybe_empty[v]))
            guarded |= 1 << v;
    for (i = 0; i < n->nentries; i++)
        check_sms_chain(L, n, n->entries[i].action, guarded);
    for (p = 0; p < n->nprompts; p++)
        for (i = 0; i < n->prompts[p].nitems; i++)
            for (k = 0; k < n->prompts[p].items[i].nduring; k++)
                check_sms_chain(L, n, n->prompts[p].items[i].during[k].action,
                                guarded);
}

/* "press 4", "press star", "dial 0": keys a prompt promises. */
void lint_check_prompt_keys(lint *L, const menu_node *n)
{
    int p, i;

    for (p = 0; p < n->nprompts; p++)
        for (i = 0; i < n->prompts[p].nitems; i++) {
            const menu_item *it = &n->prompts[p].items[i];
            const char *s;
            if (it->kind != ITEM_SAY)
                continue;
            for (s = it->text; *s; s++) {
                char key[2] = {0, 0};
                const char *w;
                if (strncasecmp(s, "press ", 6) && strncasecmp(s, "dial ", 5))
                    continue;
                w = s + (tolower((unsigned char)*s) == 'p' ? 6 : 5);
                if (isdigit((unsigned char)*w) && !isdigit((unsigned char)w[1]))
                    key[0] = *w;
                else if (!strncasecmp(w, "star", 4))
                    key[0] = '*';
                else if (!strncasecmp(w, "pound", 5) ||
                         !strncasecmp(w, "hash", 4))
                    key[0] = '#';
                if (key[0] && !handles_key(L->m, n, key))
                    lint_warn(L, it->loc, "the prompt says \"%.*s\" but menu "
                            "'%s' has no entry for key %s",
                            (int)strcspn(s, ",.;!?"), s, n->name, key);
            }
        }
}
