/*
 * script_parse_expect.c: a call script's `expect` lines.
 */
#include "script_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const expect_words[] = {
    "prompt", "menu", "path", "var", "sms", "transfer", "record", "end",
    "confirmed", "duration", "noinput", "nomatch", NULL
};

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

int sp_parse_expect(sparser *P, const char *text)
{
    call_script *s = P->s;
    script_expect x;
    const menu_token *t;
    int i;

    memset(&x, 0, sizeof x);
    x.line = P->c.line;
    snprintf(x.what, sizeof x.what, "%s", text);
    if (menu_lex_is_word(menu_lex_peek(&P->c), "not")) {
        P->c.pos++;
        x.negate = 1;
    }
    t = menu_lex_take(&P->c);
    for (i = 0; expect_words[i]; i++)
        if (menu_lex_is_word(t, expect_words[i]))
            break;
    if (!expect_words[i]) {
        if (t && t->kind == TOK_WORD)
            return menu_lex_unknown(&P->c, t, "expectation", expect_words);
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                              "expected what to expect (prompt, "
                              "menu, path, var, sms, ...)");
    }
    switch (i) {
    case 0: {   /* prompt */
        const menu_token *how = menu_lex_peek(&P->c), *v;
        x.kind = EXP_PROMPT_IS;
        if (menu_lex_is_word(how, "contains") ||
            menu_lex_is_word(how, "matches") || menu_lex_is_word(how, "is")) {
            P->c.pos++;
            x.kind = menu_lex_is_word(how, "contains")  ? EXP_PROMPT_CONTAINS
                     : menu_lex_is_word(how, "matches") ? EXP_PROMPT_MATCHES
                                                        : EXP_PROMPT_IS;
        }
        v = menu_lex_peek(&P->c);
        if (!(x.a = sp_string_arg(P, "the prompt's \"text\"", 0)))
            goto fail;
        if (x.kind == EXP_PROMPT_MATCHES && !(x.re = menu_lex_regex(&P->c, v)))
            goto fail;
        break;
    }
    case 1:     /* menu */
        x.kind = EXP_MENU;
        if (!(x.a = sp_string_arg(P, "a menu name", 1)))
            goto fail;
        break;
    case 2:     /* path */
        x.kind = EXP_PATH;
        for (;;) {
            char *name, **p;
            if (menu_lex_is_word(menu_lex_peek(&P->c), "...")) {
                P->c.pos++;
                x.path_prefix = 1;
                break;
            }
            if (!(name = sp_string_arg(P, "a menu name", 1)))
                goto fail;
            p = realloc(x.path, (size_t)(x.npath + 1) * sizeof *p);
            if (!p) {
                free(name);
                goto fail;
            }
            x.path = p;
            x.path[x.npath++] = name;
            if (!menu_lex_peek(&P->c) ||
                menu_lex_peek(&P->c)->kind != TOK_COMMA)
                break;
            P->c.pos++;
        }
        break;
    case 3: {   /* var NAME "v" | var NAME contains|matches "x" */
        const menu_token *how, *v;
        x.kind = EXP_VAR_IS;
        if (!(x.a = sp_string_arg(P, "a variable name", 1)))
            goto fail;
        how = menu_lex_peek(&P->c);
        if (menu_lex_is_word(how, "contains") ||
            menu_lex_is_word(how, "matches") || menu_lex_is_word(how, "is") ||
            menu_lex_is_word(how, "==")) {
            P->c.pos++;
            x.kind = menu_lex_is_word(how, "contains")  ? EXP_VAR_CONTAINS
                     : menu_lex_is_word(how, "matches") ? EXP_VAR_MATCHES
                                                        : EXP_VAR_IS;
        }
        v = menu_lex_peek(&P->c);
        if (!(x.b = sp_string_arg(P, "the \"value\"", 1)))
            goto fail;
        if (x.kind == EXP_VAR_MATCHES && !(x.re = menu_lex_regex(&P->c, v)))
            goto fail;
        break;
    }
    case 4:     /* sms [to "N"] [contains "x" | matches "re"] */
        x.kind = EXP_SMS;
        while (menu_lex_peek(&P->c)) {
            const menu_token *k = menu_lex_take(&P->c),
                             *v = menu_lex_peek(&P->c);
            /* once each: a second would drop (and leak) the first */
            if ((menu_lex_is_word(k, "to") && x.a) ||
                (menu_lex_is_word(k, "contains") && x.contains) ||
                (menu_lex_is_word(k, "matches") && x.b)) {
                menu_lex_error(&P->c, k->col, "'%s' is given twice", k->text);
                goto fail;
            }
            if (menu_lex_is_word(k, "to")) {
                if (!(x.a = sp_string_arg(P, "a number after 'to'", 1)))
                    goto fail;
            } else if (menu_lex_is_word(k, "contains")) {
                if (!(x.contains = sp_string_arg(P, "the \"text\"", 0)))
                    goto fail;
            } else if (menu_lex_is_word(k, "matches")) {
                if (!(x.b = sp_string_arg(P, "a \"regular expression\"", 0)) ||
                    !(x.re = menu_lex_regex(&P->c, v)))
                    goto fail;
            } else {
                static const char *const o[] = {"to", "contains", "matches",
                                                NULL};
                if (k->kind == TOK_WORD)
                    menu_lex_unknown(&P->c, k, "sms condition", o);
                else
                    menu_lex_error(&P->c, k->col,
                                   "expected to, contains or matches");
                goto fail;
            }
        }
        break;
    case 5:     /* transfer ["target"] */
    case 6:     /* record [NAME] */
        x.kind = i == 5 ? EXP_TRANSFER : EXP_RECORD;
        if (menu_lex_peek(&P->c) && !(x.a = sp_string_arg(P, "a name", 1)))
            goto fail;
        break;
    case 7:     /* end "reason" */
        x.kind = EXP_END;
        if (!(x.a = sp_string_arg(P, "how the call ends (hangup, transfer, "
                               "\"caller hung up\", ...)", 1)))
            goto fail;
        break;
    case 8:
        x.kind = EXP_CONFIRMED;
        break;
    case 9:     /* duration OP TIME */
        x.kind = EXP_DURATION;
        parse_op(P, &x.op);
        if (sp_parse_duration(P, "duration", &x.num) != IVR_OK)
            goto fail;
        x.num /= 1000.0;
        break;
    default: {  /* noinput / nomatch [OP] N */
        const menu_token *n;
        char *end;
        x.kind = i == 10 ? EXP_NOINPUT : EXP_NOMATCH;
        parse_op(P, &x.op);
        n = menu_lex_take(&P->c);
        if (!n || n->kind != TOK_WORD || (x.num = strtod(n->text, &end), *end))
            return menu_lex_error(&P->c, menu_lex_col_of(&P->c, n),
                                  "expected a count after '%s'",
                                  expect_words[i]);
        break;
    }
    }
    if (menu_lex_expect_end(&P->c) != IVR_OK)
        goto fail;
    {
        script_expect *e = realloc(s->expects, (size_t)(s->nexpects + 1) *
                                                   sizeof *e);
        if (!e) {
            ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
            goto fail;
        }
        s->expects = e;
        e[s->nexpects++] = x;
    }
    return IVR_OK;
fail:
    free(x.a);
    free(x.b);
    free(x.contains);
    for (i = 0; i < x.npath; i++)
        free(x.path[i]);
    free(x.path);
    if (x.re) {
        regfree(x.re);
        free(x.re);
    }
    return P->c.err->status ? P->c.err->status : IVR_EINPUT;
}

