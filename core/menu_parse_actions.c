/*
 * menu_parse_actions.c: actions ("say X then hangup"), conditions, and the
 * check that keys pressed during a message do not play audio.
 */
#include "menu_parse.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const action_words[] = {
    "goto", "gosub", "return", "back", "top", "repeat", "hangup", "say",
    "play", "set", "incr", "sms", "coupon", "transfer", "record", "confirm",
    "if", "fetch", "language", NULL
};

static menu_action *new_action(parser *P, menu_action_kind kind,
                               const menu_token *t)
{
    menu_action *a = calloc(1, sizeof *a);

    if (!a) {
        ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    a->kind = kind;
    a->loc = mp_loc_of(P, t);
    return a;
}

static int parse_cond(parser *P, menu_cond *c)
{
    static const char *const ops[] = {"==", "!=", "<", ">", "<=", ">=",
                                      "matches", NULL};
    const menu_token *op, *first = menu_lex_peek(&P->c);
    int i;

    /* if open HOURS / if holiday: the call's clock */
    if (menu_lex_is_word(first, "open") || menu_lex_is_word(first,
                                                           "closed")) {
        P->c.pos++;
        c->op = first->text[0] == 'o' ? COND_OPEN : COND_CLOSED;
        return mp_parse_name(P, first->text[0] == 'o'
                                ? "the name of opening hours after 'open' "
                                  "(from an 'hours' line)"
                                : "the name of opening hours after "
                                  "'closed' (from an 'hours' line)",
                             &c->left);
    }
    if (menu_lex_is_word(first, "holiday")) {
        P->c.pos++;
        c->op = COND_HOLIDAY;
        return IVR_OK;
    }
    if (mp_parse_template(P, "a value to compare after 'if' (a \"string\" or "
                       "{variable})", 1, &c->left) != IVR_OK)
        return IVR_EINPUT;
    op = menu_lex_take(&P->c);
    if (!op || op->kind != TOK_WORD)
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, op),
                              "expected a comparison (== != < > "
                              "<= >= matches)");
    for (i = 0; ops[i]; i++)
        if (!strcmp(op->text, ops[i]))
            break;
    if (!ops[i])
        return menu_lex_unknown(&P->c, op, "comparison", ops);
    c->op = (menu_cond_op)i;
    if (c->op == COND_MATCHES) {
        const menu_token *t = menu_lex_peek(&P->c);
        void *re;
        if (!t || t->kind != TOK_STRING)
            return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                                  "expected a "
                                  "\"regular expression\" after 'matches'");
        if (!(re = menu_lex_regex(&P->c, t)))
            return IVR_EINPUT;
        c->regex = re;
        c->right = mp_dup_or_fail(P, t->text);
        P->c.pos++;
        return c->right ? IVR_OK : IVR_EINTERNAL;
    }
    return mp_parse_template(P, "a value to compare with", 1, &c->right);
}

static int parse_record(parser *P, menu_action *a)
{
    a->record_max_ms = 30000;
    a->record_silence_ms = 3000;
    strcpy(a->record_terminators, "#");
    if (mp_parse_name(P, "a variable name after 'record'", &a->name) != IVR_OK)
        return IVR_EINPUT;
    for (;;) {
        const menu_token *t = menu_lex_peek(&P->c);
        static const char *const opts[] = {"max", "silence", "beep",
                                           "terminator", NULL};
        if (!t || t->kind != TOK_WORD || !strcmp(t->text, "then") ||
            !strcmp(t->text, "else"))
            return IVR_OK;
        P->c.pos++;
        if (!strcmp(t->text, "max")) {
            if (mp_parse_duration(P, "max", &a->record_max_ms) != IVR_OK)
                return IVR_EINPUT;
        } else if (!strcmp(t->text, "silence")) {
            if (mp_parse_duration(P, "silence", &a->record_silence_ms) != IVR_OK)
                return IVR_EINPUT;
        } else if (!strcmp(t->text, "beep")) {
            a->record_beep = 1;
        } else if (!strcmp(t->text, "terminator")) {
            if (mp_parse_keys(P, "keys after 'terminator'",
                           a->record_terminators) != IVR_OK)
                return IVR_EINPUT;
        } else {
            return menu_lex_unknown(&P->c, t, "record option", opts);
        }
    }
}

/* `set a "x", b "y"`: one SET action a variable, chained. */
static int parse_set(parser *P, menu_action *a)
{
    for (;;) {
        if (mp_parse_name(P, "a variable name after 'set'", &a->name) != IVR_OK ||
            mp_parse_template(P, "a \"value\" for the variable", 1, &a->text)
                != IVR_OK)
            return IVR_EINPUT;
        if (!menu_lex_peek(&P->c) || menu_lex_peek(&P->c)->kind != TOK_COMMA)
            return IVR_OK;
        P->c.pos++;
        a->next = new_action(P, ACT_SET, menu_lex_peek(&P->c));
        if (!a->next)
            return IVR_EINTERNAL;
        a = a->next;
    }
}

/* Whether t can be an entry's input: a phrase, or keys (1, 12, *, #). */
static int is_input(const menu_token *t)
{
    return t->kind == TOK_STRING ||
           (t->kind == TOK_WORD && mp_is_dtmf_string(t->text));
}

/* Whether the line so far (before the token just taken) is "on" and a
 * list of inputs: a phrase now is one whose comma was left out. */
static int inputs_before(const menu_lex_cursor *c)
{
    int i;

    if (c->pos < 3 || c->ln->tok[0].kind != TOK_WORD ||
        strcmp(c->ln->tok[0].text, "on"))
        return 0;
    for (i = 1; i < c->pos - 1; i++)
        if (c->ln->tok[i].kind != TOK_COMMA && !is_input(&c->ln->tok[i]))
            return 0;
    return 1;
}

static int parse_action(parser *P, menu_action **out)
{
    const menu_token *t = menu_lex_take(&P->c);
    menu_action *a;
    int i, rc = IVR_OK;

    if (!t)
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, NULL),
                              "expected an action (goto, say, "
                              "hangup, ...)");
    if (t->kind == TOK_STRING && inputs_before(&P->c)) {
        /* on 1 "sales" goto sales: a phrase after the keys, its comma
         * left out */
        const menu_token *before = &P->c.ln->tok[P->c.pos - 2];
        int quoted = before->kind == TOK_STRING;
        return menu_lex_error(&P->c, t->col,
                              "expected an action (goto, say, hangup, "
                              "...), not \"%s\" (a comma goes between the "
                              "keys and phrases of an entry: %s%s%s, \"%s\")",
                              t->text, quoted ? "\"" : "", before->text,
                              quoted ? "\"" : "", t->text);
    }
    if (t->kind == TOK_STRING)
        /* on noinput "Are you there?": the text meant to be said */
        return menu_lex_error(&P->c, t->col,
                              "expected an action (goto, say, hangup, "
                              "...), not \"%s\" (to speak it: say \"%s\")",
                              t->text, t->text);
    if (t->kind != TOK_WORD)
        return menu_lex_error(&P->c, t->col,
                              "expected an action (goto, say, hangup, "
                              "...), not \"%s\"",
                              t->text);
    for (i = 0; action_words[i]; i++)
        if (!strcmp(t->text, action_words[i]))
            break;
    if (!action_words[i])
        return menu_lex_unknown(&P->c, t, "action", action_words);
    a = new_action(P, (menu_action_kind)i, t);
    if (!a)
        return IVR_EINTERNAL;
    *out = a;
    switch (a->kind) {
    case ACT_GOTO:
    case ACT_GOSUB: {
        const menu_token *n = menu_lex_take(&P->c);
        if (!n || n->kind != TOK_WORD)
            return menu_lex_error(&P->c, menu_lex_col_of(&P->c, n),
                                  "expected a menu name after "
                                  "'%s'",
                                  t->text);
        a->name = mp_dup_or_fail(P, n->text);
        a->loc = mp_loc_of(P, n);   /* a missing target points at the name */
        return a->name ? IVR_OK : IVR_EINTERNAL;
    }
    case ACT_SAY:
        return mp_parse_template(P, "the \"text\" to say", 0, &a->text);
    case ACT_PLAY:
        return mp_parse_audio_path(P, &a->text);
    case ACT_SET:
        return parse_set(P, a);
    case ACT_INCR:
        return mp_parse_name(P, "a variable name after 'incr'", &a->name);
    case ACT_SMS:
        rc = mp_parse_template(P, "a recipient after 'sms' (a number or "
                            "{caller})", 1, &a->to);
        if (rc == IVR_OK)
            rc = mp_parse_template(P, "the \"text\" of the SMS", 0, &a->text);
        return rc;
    case ACT_COUPON:
        rc = mp_parse_name(P, "a variable name after 'coupon'", &a->name);
        if (rc == IVR_OK)
            rc = mp_parse_template(P, "a promotion name after the variable", 1,
                                &a->text);
        return rc;
    case ACT_TRANSFER:
        return mp_parse_template(P, "a target after 'transfer'", 1, &a->to);
    case ACT_RECORD:
        return parse_record(P, a);
    case ACT_FETCH:
        return mp_parse_fetch(P, a);
    case ACT_LANGUAGE:
        return mp_parse_language_action(P, a);
    case ACT_IF:
        if (parse_cond(P, &a->cond) != IVR_OK)
            return IVR_EINPUT;
        if (mp_parse_chain(P, &a->then_act, 1) != IVR_OK)
            return IVR_EINPUT;
        if (menu_lex_is_word(menu_lex_peek(&P->c), "else")) {
            P->c.pos++;
            return mp_parse_chain(P, &a->else_act, 0);
        }
        return IVR_OK;
    default:
        return IVR_OK;
    }
}

/* action (then action)*; stops before `else` when stop_at_else. */
int mp_parse_chain(parser *P, menu_action **out, int stop_at_else)
{
    menu_action **tail = out;

    for (;;) {
        const menu_token *t;
        if (parse_action(P, tail) != IVR_OK)
            return P->c.err ? P->c.err->status : IVR_EINPUT;
        while (*tail)
            tail = &(*tail)->next;
        t = menu_lex_peek(&P->c);
        if (!t)
            return IVR_OK;
        if (menu_lex_is_word(t, "then")) {
            P->c.pos++;
            continue;
        }
        if (stop_at_else && menu_lex_is_word(t, "else"))
            return IVR_OK;
        if (t->kind == TOK_WORD) {
            const char *near = menu_suggest(t->text, action_words);
            int i;
            for (i = 0; action_words[i]; i++)
                if (!strcmp(t->text, action_words[i]))
                    near = action_words[i];
            if (near || !strcmp(t->text, "else"))
                return menu_lex_error(
                    &P->c, t->col, "expected 'then' before '%s'%s", t->text,
                    !strcmp(t->text, "else") ? " ('else' belongs to an 'if')"
                                             : "");
        }
        return menu_lex_error(&P->c, t->col,
                              "unexpected '%s' after the action (join "
                              "actions with 'then')",
                              t->text);
    }
}

/* Audio actions wait for their audio; keys pressed during a message must
 * not, so they may not speak. */
int mp_check_silent_chain(parser *P, const menu_action *a)
{
    for (; a; a = a->next) {
        if (a->kind == ACT_SAY || a->kind == ACT_PLAY ||
            a->kind == ACT_RECORD || a->kind == ACT_FETCH)
            return ivr_error_set(P->c.err, IVR_EINPUT,
                                 "%s:%d:%d: a key pressed "
                                 "during a message cannot '%s' (the message "
                                 "keeps playing); use 'on' for that",
                                 a->loc.file, a->loc.line, a->loc.col,
                                 action_words[a->kind]);
        if (a->kind == ACT_IF && (mp_check_silent_chain(P, a->then_act) != IVR_OK
                                  || mp_check_silent_chain(P, a->else_act)
                                         != IVR_OK))
            return IVR_EINPUT;
    }
    return IVR_OK;
}

