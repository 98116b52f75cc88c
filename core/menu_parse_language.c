/*
 * menu_parse_language.c: the languages a menu file speaks, and the action
 * that changes a call's (ivr-menu(5), LANGUAGES).
 */
#include "menu_parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* "en", "es", "fil", "pt-BR": ISO 639 letters, a region after a dash */
int mp_is_language_code(const char *s)
{
    size_t n = 0;

    while (islower((unsigned char)s[n]))
        n++;
    if (n < 2 || n > 3)
        return 0;
    if (!s[n])
        return 1;
    return s[n] == '-' && isupper((unsigned char)s[n + 1]) &&
           isupper((unsigned char)s[n + 2]) && !s[n + 3];
}

/* languages en, es, fr */
int mp_parse_languages(parser *P, const menu_token *kw)
{
    menu_file *m = P->m;

    if (m->nlangs)
        return menu_lex_error(&P->c, kw->col,
                              "the languages are already given (%s, ...); "
                              "a menu file has one such line",
                              m->langs[0]);
    for (;;) {
        const menu_token *t = menu_lex_take(&P->c);
        char **grown;
        if (!t || t->kind != TOK_WORD || !mp_is_language_code(t->text))
            return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                                  "expected a language code after '%s' "
                                  "(such as en, es or pt-BR)",
                                  m->nlangs ? "," : "languages");
        if (m->nlangs && menu_has_language(m, t->text))
            return menu_lex_error(&P->c, t->col, "'%s' is given twice",
                                  t->text);
        if (!(grown = realloc(m->langs, (size_t)(m->nlangs + 1) *
                                            sizeof *grown)))
            return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
        m->langs = grown;
        if (!(m->langs[m->nlangs] = mp_dup_or_fail(P, t->text)))
            return IVR_EINTERNAL;
        m->nlangs++;
        if (!menu_lex_peek(&P->c) || menu_lex_peek(&P->c)->kind != TOK_COMMA)
            return menu_lex_expect_end(&P->c);
        P->c.pos++;
    }
}

/* language es */
int mp_parse_language_action(parser *P, menu_action *a)
{
    const menu_token *t = menu_lex_take(&P->c);

    if (!t || t->kind != TOK_WORD || !mp_is_language_code(t->text))
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                              "expected a language code after 'language' "
                              "(such as es)");
    if (!menu_has_language(P->m, t->text))
        return menu_lex_error(&P->c, t->col,
                              "'%s' is not one of the file's languages "
                              "(add it to a line such as: languages en, %s)",
                              t->text, t->text);
    a->name = mp_dup_or_fail(P, t->text);
    return a->name ? IVR_OK : IVR_EINTERNAL;
}
