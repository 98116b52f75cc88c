/*
 * menu_parse.c: menu files into the tree of menu.h, one line at a time.
 *
 * A recursive-descent parser over the tokens of one line: every construct
 * fits on a line, so an error always has a line and a column, and the
 * parser never needs to look beyond the line it is on. What spans lines
 * (a menu's body, a prompt's `during` keys) is carried by indentation and
 * by the parser's notion of the open block. Names that point forward
 * (goto targets, `start`) are resolved once every file is read, in
 * menu_resolve.c.
 */
#include "menu_parse.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static const char *const top_words[] = {
    "menu", "global", "include", "start", "voice", "outbound", "set",
    "timeout", "interdigit", "tries", "bargein", "timezone", "hours",
    "holiday", "languages", NULL
};
static const char *const menu_words[] = {
    "greeting", "prompt", "say", "play", "during", "on", "collect",
    "timeout", "interdigit", "tries", "bargein", "voice", "global", NULL
};
static const char *const on_words[] = {
    "noinput", "nomatch", "exhausted", "enter", "played", "collected",
    "error", NULL
};

/* ------------------------------------------------------------------------
 * Menu lines
 */

static int parse_item(parser *P, menu_item *it)
{
    const menu_token *t = menu_lex_peek(&P->c);

    it->loc = mp_loc_of(P, t);
    if (t && t->kind == TOK_STRING) {
        it->kind = ITEM_SAY;
        return mp_parse_template(P, "text", 0, &it->text);
    }
    if (menu_lex_is_word(t, "say")) {
        P->c.pos++;
        it->kind = ITEM_SAY;
        return mp_parse_template(P, "the \"text\" to say", 0, &it->text);
    }
    if (menu_lex_is_word(t, "play")) {
        P->c.pos++;
        it->kind = ITEM_PLAY;
        return mp_parse_audio_path(P, &it->text);
    }
    if (menu_lex_is_word(t, "silence")) {
        P->c.pos++;
        it->kind = ITEM_SILENCE;
        return mp_parse_duration(P, "silence", &it->ms);
    }
    return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                          "expected a prompt: \"text\", play FILE "
                          "or silence DURATION");
}

static int parse_prompt(parser *P, menu_prompt_kind kind, const menu_token *kw)
{
    menu_node *n = P->menu;
    menu_prompt *pr;

    n->prompts = mp_grow(P, n->prompts, n->nprompts, sizeof *n->prompts);
    if (!n->prompts)
        return IVR_EINTERNAL;
    pr = &n->prompts[n->nprompts++];
    pr->kind = kind;
    pr->attempt = 1;
    pr->loc = mp_loc_of(P, kw);
    if (!strcmp(kw->text, "say") || !strcmp(kw->text, "play"))
        P->c.pos--;   /* the keyword is the item's own */
    else if (kind == PROMPT_EVERY && menu_lex_peek(&P->c) &&
             menu_lex_peek(&P->c)->kind == TOK_WORD &&
             isdigit((unsigned char)menu_lex_peek(&P->c)->text[0]) &&
             mp_parse_count(P, "prompt", 1, 99, &pr->attempt) != IVR_OK)
        return IVR_EINPUT;
    /* prompt es ...: the prompt for callers in that language */
    if (strcmp(kw->text, "say") && strcmp(kw->text, "play") &&
        menu_lex_peek(&P->c) && menu_lex_peek(&P->c)->kind == TOK_WORD &&
        mp_is_language_code(menu_lex_peek(&P->c)->text)) {
        const menu_token *l = menu_lex_take(&P->c);
        if (!menu_has_language(P->m, l->text))
            return menu_lex_error(&P->c, l->col,
                                  "'%s' is not one of the file's languages "
                                  "(add it to a line such as: languages "
                                  "en, %s)",
                                  l->text, l->text);
        if (!strcmp(l->text, menu_default_language(P->m)))
            return menu_lex_error(&P->c, l->col,
                                  "'%s' is the file's first language: its "
                                  "prompts need no tag",
                                  l->text);
        snprintf(pr->lang, sizeof pr->lang, "%s", l->text);
    }
    for (;;) {
        pr->items = mp_grow(P, pr->items, pr->nitems, sizeof *pr->items);
        if (!pr->items)
            return IVR_EINTERNAL;
        if (parse_item(P, &pr->items[pr->nitems++]) != IVR_OK)
            return IVR_EINPUT;
        if (!menu_lex_peek(&P->c) || menu_lex_peek(&P->c)->kind != TOK_COMMA)
            break;
        P->c.pos++;
    }
    if (menu_lex_is_word(menu_lex_peek(&P->c), "bargein")) {
        P->c.pos++;
        if (mp_parse_bargein_value(P, &pr->bargein) != IVR_OK)
            return IVR_EINPUT;
    }
    P->last_prompt = n->nprompts - 1;
    P->last_prompt_indent = P->c.ln->indent;
    return menu_lex_expect_end(&P->c);
}

static int parse_during(parser *P, const menu_token *kw)
{
    menu_prompt *pr;
    menu_item *it;
    menu_during *d;
    char keys[17];
    const menu_token *k;

    if (P->last_prompt < 0 || P->c.ln->indent <= P->last_prompt_indent)
        return menu_lex_error(&P->c, kw->col,
                              "'during' must be indented under the "
                              "say, play or prompt line it belongs to");
    pr = &P->menu->prompts[P->last_prompt];
    it = &pr->items[pr->nitems - 1];
    k = menu_lex_peek(&P->c);
    if (mp_parse_keys(P, "a key after 'during'", keys) != IVR_OK)
        return IVR_EINPUT;
    if (strlen(keys) != 1)
        return menu_lex_error(&P->c, k->col,
                              "'during' takes a single key, not '%s'", k->text);
    it->during = mp_grow(P, it->during, it->nduring, sizeof *it->during);
    if (!it->during)
        return IVR_EINTERNAL;
    d = &it->during[it->nduring++];
    d->key = keys[0];
    d->loc = mp_loc_of(P, k);
    if (mp_parse_chain(P, &d->action, 0) != IVR_OK)
        return IVR_EINPUT;
    return mp_check_silent_chain(P, d->action);
}

/* on KEY|"phrase", ... ACTIONS  |  on noinput [N] ACTIONS  | ... */
/* t as one of e's inputs: a "phrase" or a string of keys. IVR_OK when it
 * is one, -1 when it is neither, or an error status. */
static int add_input(parser *P, menu_entry *e, const menu_token *t)
{
    if (t && t->kind == TOK_STRING) {
        char *norm = menu_normalise_phrase(t->text);
        char **grown;
        if (!norm)
            return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
        if (!*norm) {
            free(norm);
            return menu_lex_error(&P->c, t->col, "an empty phrase");
        }
        if (!(grown = mp_grow(P, e->phrases, e->nphrases,
                              sizeof *e->phrases))) {
            free(norm);
            return IVR_EINTERNAL;
        }
        e->phrases = grown;
        e->phrases[e->nphrases++] = norm;
        return IVR_OK;
    }
    if (t && t->kind == TOK_WORD && mp_is_dtmf_string(t->text)) {
        char **grown = mp_grow(P, e->keys, e->nkeys, sizeof *e->keys);
        if (!grown)
            return IVR_EINTERNAL;
        e->keys = grown;
        if (!(e->keys[e->nkeys] = mp_dup_or_fail(P, t->text)))
            return IVR_EINTERNAL;
        e->nkeys++;
        return IVR_OK;
    }
    return -1;
}

static int parse_on(parser *P, menu_entry **entries, int *nentries,
                    const menu_token *kw)
{
    menu_entry *e;
    const menu_token *t = menu_lex_peek(&P->c);
    int i;

    *entries = mp_grow(P, *entries, *nentries, sizeof **entries);
    if (!*entries)
        return IVR_EINTERNAL;
    e = &(*entries)[(*nentries)++];
    e->loc = mp_loc_of(P, kw);
    e->count = 1;
    if (!t)
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, NULL),
                              "expected a key, a \"phrase\" or one "
                              "of noinput, nomatch, exhausted, enter, played, "
                              "collected, error after 'on'");
    for (i = 0; on_words[i]; i++)
        if (menu_lex_is_word(t, on_words[i]))
            break;
    if (on_words[i]) {
        if (P->in_global && ENTRY_NOINPUT + i > ENTRY_EXHAUSTED &&
            ENTRY_NOINPUT + i != ENTRY_ERROR)
            return menu_lex_error(&P->c, t->col,
                                  "'on %s' belongs in a menu; a global "
                                  "block holds keys, phrases, noinput, "
                                  "nomatch, exhausted and error",
                                  t->text);
        P->c.pos++;
        e->kind = (menu_entry_kind)(ENTRY_NOINPUT + i);
        if ((e->kind == ENTRY_NOINPUT || e->kind == ENTRY_NOMATCH) &&
            menu_lex_peek(&P->c) &&
            isdigit((unsigned char)menu_lex_peek(&P->c)->text[0]) &&
            menu_lex_peek(&P->c)->kind == TOK_WORD &&
            mp_parse_count(P, t->text, 1, 99, &e->count) != IVR_OK)
            return IVR_EINPUT;
    } else {
        e->kind = ENTRY_INPUT;
        for (;;) {
            int rc;
            t = menu_lex_take(&P->c);
            if ((rc = add_input(P, e, t)) >= 0) {
                if (rc != IVR_OK)
                    return rc;
            } else if (t && t->kind == TOK_WORD && (e->nkeys || e->nphrases)) {
                P->c.pos--;
                break;
            } else if (t && t->kind == TOK_WORD) {
                const char *near = menu_suggest(t->text, on_words);
                return menu_lex_error(
                    &P->c, t->col,
                    "expected a key (0-9 * # A-D), a "
                    "\"phrase\" or one of noinput, nomatch, "
                    "exhausted, enter, played, collected, error; not "
                    "'%s'%s%s%s",
                    t->text, near ? " (did you mean '" : "", near ? near : "",
                    near ? "'?)" : "");
            } else {
                return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                                      "expected a key or a "
                                      "\"phrase\" after 'on'");
            }
            if (!menu_lex_peek(&P->c) ||
                menu_lex_peek(&P->c)->kind != TOK_COMMA)
                break;
            P->c.pos++;
        }
    }
    return mp_parse_chain(P, &e->action, 0);
}

/* "global off 0, \"operator\"": the global entries that take any of these
 * inputs are not heard in this menu (a number that may start with 0). */
static int parse_global_off(parser *P, const menu_token *kw)
{
    menu_entry *e;
    const menu_token *t = menu_lex_take(&P->c);

    if (!t || !menu_lex_is_word(t, "off"))
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                              "expected 'off' after "
                              "'global' in a menu ('global off 0' turns the "
                              "global key 0 off here)");
    if (!P->menu->global_off &&
        !(P->menu->global_off = calloc(1, sizeof *P->menu->global_off)))
        return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
    e = P->menu->global_off;
    e->kind = ENTRY_INPUT;
    e->loc = mp_loc_of(P, kw);
    for (;;) {
        int rc;
        t = menu_lex_take(&P->c);
        if ((rc = add_input(P, e, t)) < 0)
            return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                                  "expected a key "
                                  "or a \"phrase\" of a global entry after "
                                  "'global off'");
        if (rc != IVR_OK)
            return rc;
        if (!menu_lex_peek(&P->c) || menu_lex_peek(&P->c)->kind != TOK_COMMA)
            break;
        P->c.pos++;
    }
    return menu_lex_expect_end(&P->c);
}

/* timeout, interdigit, tries, bargein, voice: in a menu or at the top. */
static int parse_setting(parser *P, const menu_token *kw, menu_settings *s,
                         int *handled)
{
    *handled = 1;
    if (menu_lex_is_word(kw, "timeout"))
        return mp_parse_duration(P, "timeout", &s->timeout_ms);
    if (menu_lex_is_word(kw, "interdigit"))
        return mp_parse_duration(P, "interdigit", &s->interdigit_ms);
    if (menu_lex_is_word(kw, "bargein"))
        return mp_parse_bargein_value(P, &s->bargein);
    if (menu_lex_is_word(kw, "voice"))
        return mp_parse_voice(P, &s->voice);
    if (menu_lex_is_word(kw, "tries")) {
        const menu_token *t = menu_lex_peek(&P->c);
        int n;
        if (menu_lex_is_word(t, "noinput") || menu_lex_is_word(t, "nomatch")) {
            while (menu_lex_is_word(menu_lex_peek(&P->c), "noinput") ||
                   menu_lex_is_word(menu_lex_peek(&P->c), "nomatch")) {
                t = menu_lex_take(&P->c);
                if (mp_parse_count(P, t->text, 1, 99, &n) != IVR_OK)
                    return IVR_EINPUT;
                if (!strcmp(t->text, "noinput"))
                    s->tries_noinput = n;
                else
                    s->tries_nomatch = n;
            }
            return IVR_OK;
        }
        if (mp_parse_count(P, "tries", 1, 99, &n) != IVR_OK)
            return IVR_EINPUT;
        s->tries_noinput = s->tries_nomatch = n;
        return IVR_OK;
    }
    *handled = 0;
    return IVR_OK;
}

static int parse_menu_line(parser *P)
{
    const menu_token *kw = menu_lex_take(&P->c);
    int handled, rc;

    if (kw->kind != TOK_WORD)
        return menu_lex_error(&P->c, kw->col,
                              "a line starts with a word (say, play, "
                              "on, ...), not \"%s\"",
                              kw->text);
    if (P->in_global) {
        if (!menu_lex_is_word(kw, "on"))
            return menu_lex_error(&P->c, kw->col,
                                  "a global block holds 'on' lines only, "
                                  "not '%s'",
                                  kw->text);
        {
            /* failures go to defaults a menu's own entries override;
             * keys and phrases are heard in every menu */
            const menu_token *t = menu_lex_peek(&P->c);
            if (t && (menu_lex_is_word(t, "noinput") ||
                      menu_lex_is_word(t, "nomatch") ||
                      menu_lex_is_word(t, "exhausted") ||
                      menu_lex_is_word(t, "error")))
                return parse_on(P, &P->m->global_events,
                                &P->m->nglobal_events, kw);
        }
        return parse_on(P, &P->m->globals, &P->m->nglobals, kw);
    }
    rc = parse_setting(P, kw, &P->menu->settings, &handled);
    if (handled)
        return rc == IVR_OK ? menu_lex_expect_end(&P->c) : rc;
    if (menu_lex_is_word(kw, "greeting"))
        return parse_prompt(P, PROMPT_GREETING, kw);
    if (menu_lex_is_word(kw, "global"))
        return parse_global_off(P, kw);
    if (menu_lex_is_word(kw, "prompt") || menu_lex_is_word(kw, "say") ||
        menu_lex_is_word(kw, "play"))
        return parse_prompt(P, PROMPT_EVERY, kw);
    if (menu_lex_is_word(kw, "during"))
        return parse_during(P, kw);
    if (menu_lex_is_word(kw, "on"))
        return parse_on(P, &P->menu->entries, &P->menu->nentries, kw);
    if (menu_lex_is_word(kw, "collect"))
        return mp_parse_collect(P, kw);
    if (menu_lex_is_word(kw, "menu"))
        return menu_lex_error(&P->c, kw->col,
                              "'menu' starts at the beginning of a line "
                              "(it cannot be indented)");
    return menu_lex_unknown(&P->c, kw, "word", menu_words);
}

/* ------------------------------------------------------------------------
 * Top-level lines and files
 */

static int parse_top_line(parser *P)
{
    const menu_token *kw = menu_lex_take(&P->c);
    menu_file *m = P->m;
    int handled, rc;

    P->menu = NULL;
    P->in_global = 0;
    P->last_prompt = -1;
    if (kw->kind != TOK_WORD)
        return menu_lex_error(&P->c, kw->col,
                              "a line starts with a word (menu, start, "
                              "...), not \"%s\"",
                              kw->text);
    if (menu_lex_is_word(kw, "menu")) {
        const menu_token *t = menu_lex_take(&P->c);
        menu_node *n, *old;
        if (!t || t->kind != TOK_WORD)
            return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                                  "expected a name after 'menu'");
        if (!mp_valid_name(t->text))
            return menu_lex_error(&P->c, t->col,
                                  "'%s' is not a valid menu name "
                                  "(lower-case letters, digits and _)",
                                  t->text);
        if ((old = menu_find(m, t->text)))
            return menu_lex_error(&P->c, t->col,
                                  "menu '%s' is already defined at "
                                  "%s:%d",
                                  t->text, old->loc.file, old->loc.line);
        n = calloc(1, sizeof *n);
        if (!n || !(n->name = strdup(t->text)) || menu_add_node(m, n) != 0) {
            if (n)
                free(n->name);
            free(n);
            return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
        }
        n->loc = mp_loc_of(P, t);
        n->settings.timeout_ms = n->settings.interdigit_ms = -1;
        n->settings.tries_noinput = n->settings.tries_nomatch = -1;
        P->menu = n;
        return menu_lex_expect_end(&P->c);
    }
    if (menu_lex_is_word(kw, "global")) {
        P->in_global = 1;
        return menu_lex_expect_end(&P->c);
    }
    if (menu_lex_is_word(kw, "include"))
        return mp_parse_include(P, kw);
    if (menu_lex_is_word(kw, "start")) {
        const menu_token *t = menu_lex_take(&P->c);
        if (!t || t->kind != TOK_WORD)
            return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                                  "expected a menu name after "
                                  "'start'");
        if (!menu_set_start(m, t->text, mp_loc_of(P, t)))
            return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
        return menu_lex_expect_end(&P->c);
    }
    if (menu_lex_is_word(kw, "languages"))
        return mp_parse_languages(P, kw);
    if (menu_lex_is_word(kw, "timezone"))
        return mp_parse_timezone(P, kw);
    if (menu_lex_is_word(kw, "hours"))
        return mp_parse_hours(P, kw);
    if (menu_lex_is_word(kw, "holiday"))
        return mp_parse_holiday(P, kw);
    if (menu_lex_is_word(kw, "outbound")) {
        m->outbound = 1;
        return menu_lex_expect_end(&P->c);
    }
    if (menu_lex_is_word(kw, "set")) {
        for (;;) {
            char *name = NULL, *value = NULL;
            if (mp_parse_name(P, "a variable name after 'set'", &name) !=
                    IVR_OK ||
                mp_parse_template(P, "a \"value\" for the variable", 1, &value) !=
                    IVR_OK) {
                free(name);
                return IVR_EINPUT;
            }
            if (menu_add_var(m, name, value) != 0)
                return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
            if (!menu_lex_peek(&P->c) ||
                menu_lex_peek(&P->c)->kind != TOK_COMMA)
                break;
            P->c.pos++;
        }
        return menu_lex_expect_end(&P->c);
    }
    rc = parse_setting(P, kw, &m->defaults, &handled);
    if (handled)
        return rc == IVR_OK ? menu_lex_expect_end(&P->c) : rc;
    {
        int i;
        for (i = 0; menu_words[i]; i++)
            if (!strcmp(kw->text, menu_words[i]))
                return menu_lex_error(&P->c, kw->col,
                                      "'%s' belongs inside a menu "
                                      "(indent it under a 'menu NAME' line)",
                                      kw->text);
    }
    return menu_lex_unknown(&P->c, kw, "word", top_words);
}

static int parse_line(parser *P, const char *text)
{
    menu_line ln;
    int rc;

    if (menu_lex_line(text, P->c.file, P->c.line, &ln, P->c.err) != IVR_OK)
        return IVR_EINPUT;
    if (ln.n == 0)
        return IVR_OK;
    P->c.ln = &ln;
    P->c.pos = 0;
    if (ln.indent == 0)
        rc = parse_top_line(P);
    else if (!P->menu && !P->in_global)
        rc = menu_lex_error(&P->c, ln.tok[0].col,
                            "this line is indented but no 'menu' "
                            "or 'global' block is open");
    else
        rc = parse_menu_line(P);
    menu_line_free(&ln);
    P->c.ln = NULL;
    return rc;
}

int mp_parse_file(parser *P, const char *path)
{
    FILE *f;
    char *text = NULL, *slash, real[PATH_MAX];
    size_t cap = 0;
    ssize_t len;
    int rc = IVR_OK;

    f = fopen(path, "r");
    if (!f)
        return ivr_error_set(P->c.err, IVR_EINPUT, "%s:", path);
    P->c.file = menu_keep_file(P->m, path);
    P->dir = strdup(path);
    if (!P->c.file || !P->dir) {
        fclose(f);
        free(P->dir);
        return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
    }
    slash = strrchr(P->dir, '/');
    if (slash)
        *slash = '\0';
    else
        P->dir[0] = '\0';
    P->open_files[P->depth] = realpath(path, real) ? strdup(real) : NULL;
    if (P->open_files[P->depth]) {
        char **read;
        if (P->shared->nread >= MAX_INCLUDED_FILES) {
            fclose(f);
            free(P->dir);
            P->dir = NULL;
            free(P->open_files[P->depth]);
            P->open_files[P->depth] = NULL;
            return ivr_error_set(P->c.err, IVR_EINPUT, "%s: a menu of more "
                                 "than %d files", path, MAX_INCLUDED_FILES);
        }
        read = realloc(P->shared->read, (size_t)(P->shared->nread + 1) *
                                            sizeof *read);
        if (read) {
            P->shared->read = read;
            read[P->shared->nread] = strdup(real);
            if (read[P->shared->nread])
                P->shared->nread++;
        }
    }
    P->c.line = 0;
    while ((len = getline(&text, &cap, f)) >= 0) {
        P->c.line++;
        if (len > 0 && text[len - 1] == '\n')
            text[--len] = '\0';
        if (memchr(text, '\0', (size_t)len)) {
            rc =
                menu_lex_error(&P->c, 1, "a NUL byte: this is not a menu file");
            break;
        }
        if (P->c.line == 1 && !strncmp(text, "\xEF\xBB\xBF", 3))
            memmove(text, text + 3, (size_t)len - 2);
        if ((rc = parse_line(P, text)) != IVR_OK) {
            menu_report *r = P->m->report;
            /* with a report the line is skipped and the next one read;
             * one that is full already (an include filled it) stops */
            if (rc == IVR_EINPUT && r && r->count < r->max &&
                menu_report_add(r, P->c.err)) {
                rc = IVR_OK;
                continue;
            }
            break;
        }
    }
    if (rc == IVR_OK && ferror(f))
        rc = ivr_error_set(P->c.err, IVR_EINPUT, "%s:", path);
    free(text);
    fclose(f);
    free(P->dir);
    P->dir = NULL;
    free(P->open_files[P->depth]);
    P->open_files[P->depth] = NULL;
    return rc;
}

int menu_parse(menu_file *m, const char *path, ivr_error *err)
{
    parser P;
    parse_shared shared;
    char *open_files[MAX_INCLUDE_DEPTH + 1] = {0}, top[PATH_MAX], *slash;
    ivr_error local;
    int rc, i;

    memset(&P, 0, sizeof P);
    memset(&shared, 0, sizeof shared);
    P.m = m;
    P.c.err = err ? err : &local;
    P.last_prompt = -1;
    P.open_files = open_files;
    P.shared = &shared;
    /* the folder the menu may draw files from */
    if (realpath(path, top) && (slash = strrchr(top, '/'))) {
        *slash = '\0';
        snprintf(shared.root, sizeof shared.root, "%s", *top ? top : "/");
    }
    rc = mp_parse_file(&P, path);
    for (i = 0; i < shared.nread; i++)
        free(shared.read[i]);
    free(shared.read);
    return rc;
}
