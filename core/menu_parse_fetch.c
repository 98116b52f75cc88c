/*
 * menu_parse_fetch.c: the fetch action, a menu's question to a web
 * service (ivr-menu(5), BACKEND DATA).
 */
#include "menu_parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_FETCH_TIMEOUT_MS 5000
#define MAX_FETCH_TIMEOUT_MS 60000

/* "balance", "owner.name", "cards[0].last4", optionally after "$.": one
 * or more names, each with indexes. */
int menu_json_path_valid(const char *p)
{
    if (!strncmp(p, "$.", 2))
        p += 2;
    for (;;) {
        const char *name = p;
        while (isalnum((unsigned char)*p) || *p == '_' || *p == '-')
            p++;
        if (p == name)
            return 0;
        while (*p == '[') {
            const char *digits = ++p;
            while (isdigit((unsigned char)*p))
                p++;
            if (p == digits || *p++ != ']')
                return 0;
        }
        if (!*p)
            return 1;
        if (*p++ != '.')
            return 0;
    }
}

/* Appends a pair to names/values (taking both); -1: no memory. */
static int add_pair(char ***names, char ***values, int *n, char *name,
                    char *value)
{
    char **nn = realloc(*names, (size_t)(*n + 1) * sizeof *nn), **vv;

    if (nn)
        *names = nn;
    vv = nn ? realloc(*values, (size_t)(*n + 1) * sizeof *vv) : NULL;
    if (!vv) {
        free(name);
        free(value);
        return -1;
    }
    *values = vv;
    (*names)[*n] = name;
    (*values)[(*n)++] = value;
    return 0;
}

/* NAME "value" {, NAME "value"} */
static int parse_pairs(parser *P, const char *after, int paths,
                       char ***names, char ***values, int *n)
{
    for (;;) {
        char *name = NULL, *value = NULL;
        const menu_token *v;
        if (mp_parse_name(P, after, &name) != IVR_OK)
            return IVR_EINPUT;
        v = menu_lex_peek(&P->c);
        if (paths && v && v->kind == TOK_STRING &&
            !menu_json_path_valid(v->text)) {
            free(name);
            return menu_lex_error(&P->c, v->col,
                                  "\"%s\" is not a path in a JSON answer "
                                  "(such as \"balance\", \"owner.name\" "
                                  "or \"cards[0].last4\")",
                                  v->text);
        }
        if (mp_parse_template(P, paths ? "a \"path\" in the answer (such as "
                                         "\"owner.name\")"
                                       : "a \"value\" to send",
                              0, &value) != IVR_OK) {
            free(name);
            return IVR_EINPUT;
        }
        if (add_pair(names, values, n, name, value) != 0)
            return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
        if (!menu_lex_peek(&P->c) || menu_lex_peek(&P->c)->kind != TOK_COMMA)
            return IVR_OK;
        P->c.pos++;
    }
}

int mp_parse_fetch(parser *P, menu_action *a)
{
    static const char *const opts[] = {"post", "timeout", "set", NULL};
    const menu_token *u = menu_lex_peek(&P->c);
    menu_fetch *f = calloc(1, sizeof *f);

    if (!f)
        return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
    a->fetch = f;
    f->timeout_ms = DEFAULT_FETCH_TIMEOUT_MS;
    if (!u || u->kind != TOK_STRING ||
        (strncmp(u->text, "http://", 7) && strncmp(u->text, "https://", 8) &&
         u->text[0] != '{'))
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, u),
                              "expected a \"URL\" after 'fetch' (http:// "
                              "or https://)");
    if (mp_parse_template(P, "a \"URL\"", 0, &f->url) != IVR_OK)
        return IVR_EINPUT;
    for (;;) {
        const menu_token *t = menu_lex_peek(&P->c);
        if (!t || menu_lex_is_word(t, "then") || menu_lex_is_word(t, "else"))
            return IVR_OK;
        if (t->kind != TOK_WORD)
            return menu_lex_error(&P->c, t->col,
                                  "expected post, timeout or set after the "
                                  "URL, not \"%s\"",
                                  t->text);
        P->c.pos++;
        if (menu_lex_is_word(t, "post") && !f->npost) {
            if (parse_pairs(P, "a field name after 'post'", 0,
                            &f->post_names, &f->post_values,
                            &f->npost) != IVR_OK)
                return IVR_EINPUT;
        } else if (menu_lex_is_word(t, "set") && !f->nset) {
            if (parse_pairs(P, "a variable name after 'set'", 1,
                            &f->set_names, &f->set_paths,
                            &f->nset) != IVR_OK)
                return IVR_EINPUT;
        } else if (menu_lex_is_word(t, "timeout")) {
            if (mp_parse_duration(P, "timeout", &f->timeout_ms) != IVR_OK)
                return IVR_EINPUT;
            if (f->timeout_ms <= 0 || f->timeout_ms > MAX_FETCH_TIMEOUT_MS)
                return menu_lex_error(&P->c, t->col,
                                      "a fetch's timeout is more than 0 "
                                      "and at most 60s");
        } else if (menu_lex_is_word(t, "post") || menu_lex_is_word(t, "set")) {
            return menu_lex_error(&P->c, t->col,
                                  "'%s' is given twice (list its fields "
                                  "with commas)",
                                  t->text);
        } else {
            return menu_lex_unknown(&P->c, t, "fetch option", opts);
        }
    }
}
