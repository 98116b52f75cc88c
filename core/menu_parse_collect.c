/*
 * menu_parse_collect.c: a menu's `collect` line, the digits it takes into
 * a variable: their number, terminator, keys, pattern, and whether they
 * may be said (ivr-menu(5), collect).
 */
#include "menu_parse.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

int mp_parse_collect(parser *P, const menu_token *kw)
{
    menu_collect *c;
    static const char *const opts[] = {"min", "max", "terminator", "pattern",
                                       "keys", "speech", NULL};

    if (P->menu->collect)
        return menu_lex_error(&P->c, kw->col,
                              "this menu already collects into '%s' "
                              "(line %d)",
                              P->menu->collect->var,
                              P->menu->collect->loc.line);
    c = calloc(1, sizeof *c);
    if (!c)
        return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
    P->menu->collect = c;
    c->loc = mp_loc_of(P, kw);
    c->min = 1;
    c->max = 20;
    strcpy(c->terminators, "#");
    strcpy(c->keys, "0123456789");
    if (mp_parse_name(P, "a variable name after 'collect'", &c->var) != IVR_OK)
        return IVR_EINPUT;
    while (menu_lex_peek(&P->c)) {
        const menu_token *t = menu_lex_take(&P->c);
        if (menu_lex_is_word(t, "min")) {
            if (mp_parse_count(P, "min", 1, 64, &c->min) != IVR_OK)
                return IVR_EINPUT;
        } else if (menu_lex_is_word(t, "max")) {
            if (mp_parse_count(P, "max", 1, 64, &c->max) != IVR_OK)
                return IVR_EINPUT;
        } else if (menu_lex_is_word(t, "terminator")) {
            if (mp_parse_keys(P, "keys after 'terminator' (or none)",
                           c->terminators) != IVR_OK)
                return IVR_EINPUT;
        } else if (menu_lex_is_word(t, "keys")) {
            if (mp_parse_keys(P, "the keys a value is made of after 'keys'",
                              c->keys) != IVR_OK)
                return IVR_EINPUT;
            if (!c->keys[0])
                return menu_lex_error(&P->c, t->col,
                                      "a value needs at least "
                                      "one key after 'keys'");
        } else if (menu_lex_is_word(t, "speech")) {
            /* speech [oh] [double]: digits said as words, and which
             * ways of saying them the designer takes */
            c->speech = MENU_DIGITS_SAID;
            for (;;) {
                const menu_token *w = menu_lex_peek(&P->c);
                if (menu_lex_is_word(w, "oh"))
                    c->speech |= MENU_DIGITS_OH;
                else if (menu_lex_is_word(w, "double"))
                    c->speech |= MENU_DIGITS_DOUBLE;
                else
                    break;
                P->c.pos++;
            }
            if (strspn(c->keys, "0123456789") != strlen(c->keys))
                return menu_lex_error(&P->c, t->col,
                                      "a value said as words is made of "
                                      "digits only (keys %s)",
                                      c->keys);
        } else if (menu_lex_is_word(t, "pattern")) {
            const menu_token *p = menu_lex_take(&P->c);
            void *re;
            if (!p || p->kind != TOK_STRING)
                return menu_lex_error(&P->c, menu_lex_col_of(&P->c, p),
                                      "expected a "
                                      "\"regular expression\" after 'pattern'");
            if (!(re = menu_lex_regex(&P->c, p)))
                return IVR_EINPUT;
            free(c->pattern);
            if (c->regex) {
                regfree(c->regex);
                free(c->regex);
            }
            c->regex = re;
            c->pattern = mp_dup_or_fail(P, p->text);
            if (!c->pattern)
                return IVR_EINTERNAL;
        } else if (t->kind == TOK_WORD) {
            return menu_lex_unknown(&P->c, t, "collect option", opts);
        } else {
            return menu_lex_error(&P->c, t->col,
                                  "unexpected '%s' (collect options: "
                                  "min, max, terminator, keys, pattern, "
                                  "speech)",
                                  t->text);
        }
    }
    if (c->min > c->max)
        return menu_lex_error(&P->c, kw->col,
                              "collect min %d is more than max %d", c->min,
                              c->max);
    return IVR_OK;
}
