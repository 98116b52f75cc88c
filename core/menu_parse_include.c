/*
 * menu_parse_include.c: the files a menu names. An include is read once
 * however often it is named, within a bound on how many files make one
 * menu; an include or an audio file must lie in the menu's own folder tree
 * (or one the caller allows), so that a menu shows nobody a file it should
 * not, not even in an error.
 */
#include "fs.h"
#include "menu_parse.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int mp_parse_include(parser *P, const menu_token *kw)
{
    const menu_token *t = menu_lex_take(&P->c);
    char *path;
    int rc;
    parser sub;

    if (!t)
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, NULL),
                              "expected a file name after 'include'");
    if (P->depth >= MAX_INCLUDE_DEPTH)
        return menu_lex_error(&P->c, kw->col, "includes nested deeper than %d",
                              MAX_INCLUDE_DEPTH);
    if (!(path = fs_join_path(P->dir, t->text)))
        return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
    if (access(path, R_OK) != 0) {
        int e = errno;
        menu_lex_error(&P->c, t->col, "cannot include '%s': %s", path,
                       strerror(e));
        free(path);
        return IVR_EINPUT;
    }
    if (mp_confined(P, path, t, "included file") != IVR_OK) {
        free(path);
        return IVR_EINPUT;
    }
    {
        char real[PATH_MAX];
        int i;
        if (realpath(path, real)) {
            for (i = 0; i <= P->depth; i++)
                if (P->open_files[i] && !strcmp(P->open_files[i], real)) {
                    menu_lex_error(&P->c, t->col,
                                   "'%s' includes itself (through %s)", t->text,
                                   P->c.file);
                    free(path);
                    return IVR_EINPUT;
                }
            /* a file included twice (shared menus) is read once: what it
             * defines is there already, and ten includes of ten files of
             * ten includes stay ten files */
            for (i = 0; i < P->shared->nread; i++)
                if (!strcmp(P->shared->read[i], real)) {
                    free(path);
                    return menu_lex_expect_end(&P->c);
                }
        }
    }
    if (menu_lex_expect_end(&P->c) != IVR_OK) {
        free(path);
        return IVR_EINPUT;
    }
    sub = *P;
    sub.depth = P->depth + 1;
    sub.menu = NULL;
    sub.in_global = 0;
    sub.last_prompt = -1;
    rc = mp_parse_file(&sub, path);
    free(path);
    return rc;
}

int mp_confined(parser *P, const char *path, const menu_token *t,
                const char *what)
{
    char real[PATH_MAX], allowed[PATH_MAX];
    const char *const *a;
    size_t n;

    if (!realpath(path, real))
        return menu_lex_error(&P->c, t->col, "%s '%s' cannot be read (%s)",
                              what, path, strerror(errno));
    n = strlen(P->shared->root);
    if (!strncmp(real, P->shared->root, n) && (real[n] == '/' || !real[n] ||
                                               !strcmp(P->shared->root, "/")))
        return IVR_OK;
    for (a = P->m->allow_dirs; a && *a; a++)
        if (realpath(*a, allowed) && (n = strlen(allowed)) &&
            !strncmp(real, allowed, n) && (real[n] == '/' || !real[n]))
            return IVR_OK;
    return menu_lex_error(
        &P->c, t->col,
        "%s '%s' is outside the menu's folder "
        "%s (ivr-sim --allow-dir DIR lets a menu use files of "
        "DIR)",
        what, t->text, P->shared->root);
}
