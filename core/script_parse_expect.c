/*
 * script_parse_expect.c: a call script's `expect` lines.
 */
#include "script_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_op(sparser *P, cmp_op *op)
{
    static const char *const ops[] = {"==", "<", "<=", ">", ">=", NULL};
    const menu_token *t = menu_lex_peek(&P->c);
    int i;

    *op = OP_EQ;
    if (!t || t->kind != TOK_WORD)
        return IVR_OK;
    for (i = 0; ops[i]; i++)
        if (!strcmp(t->text, ops[i])) {
            static const cmp_op map[] = {OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE};
            *op = map[i];
            P->c.pos++;
            return IVR_OK;
        }
    return IVR_OK;
}

/* "is", "contains" or "matches" (taken when there), as kind is, contains or
 * matches; none is "is". */
static expect_kind parse_how(sparser *P, const menu_token *how,
                             expect_kind is, expect_kind contains,
                             expect_kind matches)
{
    if (menu_lex_is_word(how, "contains")) {
        P->c.pos++;
        return contains;
    }
    if (menu_lex_is_word(how, "matches")) {
        P->c.pos++;
        return matches;
    }
    if (menu_lex_is_word(how, "is"))
        P->c.pos++;
    return is;
}

/* Each parser reads what follows its word into x (the word is taken) and
 * sets x->kind; IVR_OK, or an error with the parser's place in the line. */

static int parse_prompt(sparser *P, script_expect *x)
{
    const menu_token *how = menu_lex_peek(&P->c), *v;

    x->kind = parse_how(P, how, EXP_PROMPT_IS, EXP_PROMPT_CONTAINS,
                        EXP_PROMPT_MATCHES);
    v = menu_lex_peek(&P->c);
    if (!(x->a = sp_string_arg(P, "the prompt's \"text\"", 0)))
        return IVR_EINPUT;
    if (x->kind == EXP_PROMPT_MATCHES && !(x->re = menu_lex_regex(&P->c, v)))
        return IVR_EINPUT;
    return IVR_OK;
}

static int parse_menu(sparser *P, script_expect *x)
{
    x->kind = EXP_MENU;
    return (x->a = sp_string_arg(P, "a menu name", 1)) ? IVR_OK : IVR_EINPUT;
}

/* path A, B, C [, ...] */
static int parse_path(sparser *P, script_expect *x)
{
    x->kind = EXP_PATH;
    for (;;) {
        char *name, **p;
        if (menu_lex_is_word(menu_lex_peek(&P->c), "...")) {
            P->c.pos++;
            x->path_prefix = 1;
            return IVR_OK;
        }
        if (!(name = sp_string_arg(P, "a menu name", 1)))
            return IVR_EINPUT;
        p = realloc(x->path, (size_t)(x->npath + 1) * sizeof *p);
        if (!p) {
            free(name);
            return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
        }
        x->path = p;
        x->path[x->npath++] = name;
        if (!menu_lex_peek(&P->c) || menu_lex_peek(&P->c)->kind != TOK_COMMA)
            return IVR_OK;
        P->c.pos++;
    }
}

/* var NAME "v" | var NAME contains|matches "x" */
static int parse_var(sparser *P, script_expect *x)
{
    const menu_token *how, *v;

    if (!(x->a = sp_string_arg(P, "a variable name", 1)))
        return IVR_EINPUT;
    how = menu_lex_peek(&P->c);
    if (menu_lex_is_word(how, "==")) {   /* a variable's own spelling */
        P->c.pos++;
        x->kind = EXP_VAR_IS;
    } else {
        x->kind = parse_how(P, how, EXP_VAR_IS, EXP_VAR_CONTAINS,
                            EXP_VAR_MATCHES);
    }
    v = menu_lex_peek(&P->c);
    if (!(x->b = sp_string_arg(P, "the \"value\"", 1)))
        return IVR_EINPUT;
    if (x->kind == EXP_VAR_MATCHES && !(x->re = menu_lex_regex(&P->c, v)))
        return IVR_EINPUT;
    return IVR_OK;
}

/* sms [to "N"] [contains "x" | matches "re"] */
static int parse_sms(sparser *P, script_expect *x)
{
    static const char *const conditions[] = {"to", "contains", "matches",
                                             NULL};

    x->kind = EXP_SMS;
    while (menu_lex_peek(&P->c)) {
        const menu_token *k = menu_lex_take(&P->c), *v = menu_lex_peek(&P->c);
        /* once each: a second would drop (and leak) the first */
        if ((menu_lex_is_word(k, "to") && x->a) ||
            (menu_lex_is_word(k, "contains") && x->contains) ||
            (menu_lex_is_word(k, "matches") && x->b))
            return menu_lex_error(&P->c, k->col, "'%s' is given twice",
                                  k->text);
        if (menu_lex_is_word(k, "to")) {
            if (!(x->a = sp_string_arg(P, "a number after 'to'", 1)))
                return IVR_EINPUT;
        } else if (menu_lex_is_word(k, "contains")) {
            if (!(x->contains = sp_string_arg(P, "the \"text\"", 0)))
                return IVR_EINPUT;
        } else if (menu_lex_is_word(k, "matches")) {
            if (!(x->b = sp_string_arg(P, "a \"regular expression\"", 0)) ||
                !(x->re = menu_lex_regex(&P->c, v)))
                return IVR_EINPUT;
        } else if (k->kind == TOK_WORD) {
            return menu_lex_unknown(&P->c, k, "sms condition", conditions);
        } else {
            return menu_lex_error(&P->c, k->col,
                                  "expected to, contains or matches");
        }
    }
    return IVR_OK;
}

/* transfer ["target"] and record [NAME]: the name is optional */
static int parse_transfer(sparser *P, script_expect *x)
{
    x->kind = EXP_TRANSFER;
    if (menu_lex_peek(&P->c) && !(x->a = sp_string_arg(P, "a name", 1)))
        return IVR_EINPUT;
    return IVR_OK;
}

static int parse_record(sparser *P, script_expect *x)
{
    int rc = parse_transfer(P, x);

    x->kind = EXP_RECORD;
    return rc;
}

static int parse_end(sparser *P, script_expect *x)
{
    x->kind = EXP_END;
    return (x->a = sp_string_arg(P, "how the call ends (hangup, transfer, "
                                    "\"caller hung up\", ...)", 1))
               ? IVR_OK
               : IVR_EINPUT;
}

static int parse_confirmed(sparser *P, script_expect *x)
{
    (void)P;
    x->kind = EXP_CONFIRMED;
    return IVR_OK;
}

/* duration [OP] TIME */
static int parse_duration(sparser *P, script_expect *x)
{
    x->kind = EXP_DURATION;
    parse_op(P, &x->op);
    if (sp_parse_duration(P, "duration", &x->num) != IVR_OK)
        return IVR_EINPUT;
    x->num /= 1000.0;
    return IVR_OK;
}

/* noinput|nomatch [OP] N */
static int parse_count(sparser *P, script_expect *x, const char *word)
{
    const menu_token *n;
    char *end;

    parse_op(P, &x->op);
    n = menu_lex_take(&P->c);
    if (!n || n->kind != TOK_WORD || (x->num = strtod(n->text, &end), *end))
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, n),
                              "expected a count after '%s'", word);
    return IVR_OK;
}

static int parse_noinput(sparser *P, script_expect *x)
{
    x->kind = EXP_NOINPUT;
    return parse_count(P, x, "noinput");
}

static int parse_nomatch(sparser *P, script_expect *x)
{
    x->kind = EXP_NOMATCH;
    return parse_count(P, x, "nomatch");
}

/* request [GET|POST] "URL" (* matches anything) */
static int parse_request(sparser *P, script_expect *x)
{
    const menu_token *m = menu_lex_peek(&P->c);

    x->kind = EXP_REQUEST;
    if (menu_lex_is_word(m, "GET") || menu_lex_is_word(m, "POST")) {
        if (!(x->b = strdup(m->text)))
            return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
        P->c.pos++;
    }
    return (x->a = sp_string_arg(P, "the \"URL\" of a request (* matches "
                                    "anything)", 0))
               ? IVR_OK
               : IVR_EINPUT;
}

static const struct expectation {
    const char *word;
    int (*parse)(sparser *P, script_expect *x);
} expectations[] = {
    {"prompt", parse_prompt},       {"menu", parse_menu},
    {"path", parse_path},           {"var", parse_var},
    {"sms", parse_sms},             {"transfer", parse_transfer},
    {"record", parse_record},       {"end", parse_end},
    {"confirmed", parse_confirmed}, {"duration", parse_duration},
    {"noinput", parse_noinput},     {"nomatch", parse_nomatch},
    {"request", parse_request},
};
#define NEXPECTATIONS (sizeof expectations / sizeof *expectations)

static const struct expectation *expectation_named(const menu_token *t)
{
    size_t i;

    for (i = 0; i < NEXPECTATIONS; i++)
        if (menu_lex_is_word(t, expectations[i].word))
            return &expectations[i];
    return NULL;
}

void sp_expect_free(script_expect *x)
{
    int i;

    free(x->a);
    free(x->b);
    free(x->contains);
    for (i = 0; i < x->npath; i++)
        free(x->path[i]);
    free(x->path);
    if (x->re) {
        regfree(x->re);
        free(x->re);
    }
}

int sp_parse_expect(sparser *P, const char *text)
{
    call_script *s = P->s;
    script_expect x, *grown;
    const struct expectation *kind;
    const menu_token *t;
    int rc;

    memset(&x, 0, sizeof x);
    x.line = P->c.line;
    snprintf(x.what, sizeof x.what, "%s", text);
    if (menu_lex_is_word(menu_lex_peek(&P->c), "not")) {
        P->c.pos++;
        x.negate = 1;
    }
    t = menu_lex_take(&P->c);
    if (!(kind = expectation_named(t))) {
        const char *words[NEXPECTATIONS + 1];
        size_t i;
        if (!t || t->kind != TOK_WORD)
            return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                                  "expected what to expect (prompt, "
                                  "menu, path, var, sms, ...)");
        for (i = 0; i < NEXPECTATIONS; i++)
            words[i] = expectations[i].word;
        words[i] = NULL;
        return menu_lex_unknown(&P->c, t, "expectation", words);
    }
    if ((rc = kind->parse(P, &x)) != IVR_OK ||
        (rc = menu_lex_expect_end(&P->c)) != IVR_OK)
        goto fail;
    grown = realloc(s->expects, (size_t)(s->nexpects + 1) * sizeof *grown);
    if (!grown) {
        rc = ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
        goto fail;
    }
    s->expects = grown;
    grown[s->nexpects++] = x;
    return IVR_OK;
fail:
    sp_expect_free(&x);
    return P->c.err->status ? P->c.err->status : rc;
}
