/*
 * menu_lex.c: one line of a menu file into tokens.
 */
#include "menu_lex.h"
#include "menu.h"

#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int push(menu_line *l, menu_tok_kind kind, const char *s, size_t n,
                int col)
{
    menu_token *t = realloc(l->tok, (size_t)(l->n + 1) * sizeof *t);
    char *text;

    if (!t)
        return -1;
    l->tok = t;
    text = malloc(n + 1);
    if (!text)
        return -1;
    memcpy(text, s, n);
    text[n] = '\0';
    t[l->n].kind = kind;
    t[l->n].text = text;
    t[l->n].col = col;
    l->n++;
    return 0;
}

/* Reads a string starting at the quote s[*i]; the text with escapes undone
 * goes to buf. */
static int lex_string(const char *s, size_t *i, char *buf, size_t *len,
                      const char *file, int line, ivr_error *err)
{
    size_t start = *i, j = *i + 1;

    *len = 0;
    for (;;) {
        char c = s[j];
        if (c == '\0' || c == '\r')
            return ivr_error_set(err, IVR_EINPUT, "%s:%d:%zu: this string has "
                                 "no closing quote", file, line, start + 1);
        if (c == '"')
            break;
        if (c == '\\') {
            char e = s[j + 1];
            if (e != '"' && e != '\\')
                return ivr_error_set(err, IVR_EINPUT, "%s:%d:%zu: unknown "
                                     "escape '\\%c' (only \\\" and \\\\ "
                                     "exist)", file, line, j + 1,
                                     e ? e : ' ');
            c = e;
            j++;
        }
        buf[(*len)++] = c;
        j++;
    }
    *i = j + 1;
    return IVR_OK;
}

int menu_lex_line(const char *s, const char *file, int line, menu_line *out,
                  ivr_error *err)
{
    size_t i = 0, n = strlen(s);
    char *buf;

    memset(out, 0, sizeof *out);
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    out->indent = (int)i;
    if (s[i] == '#' || s[i] == '\0' || s[i] == '\r')
        return IVR_OK;
    buf = malloc(n + 1);
    if (!buf)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    while (i < n) {
        size_t start = i, len;
        int rc = 0;
        char c = s[i];

        if (c == ' ' || c == '\t' || c == '\r') {
            i++;
            continue;
        }
        if (c == ',') {
            rc = push(out, TOK_COMMA, ",", 1, (int)i + 1);
            i++;
        } else if (c == '"') {
            if (lex_string(s, &i, buf, &len, file, line, err) != IVR_OK) {
                free(buf);
                menu_line_free(out);
                return IVR_EINPUT;
            }
            rc = push(out, TOK_STRING, buf, len, (int)start + 1);
        } else {
            while (i < n && !strchr(" \t\r,\"", s[i]))
                i++;
            rc = push(out, TOK_WORD, s + start, i - start, (int)start + 1);
        }
        if (rc != 0) {
            free(buf);
            menu_line_free(out);
            return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        }
    }
    free(buf);
    return IVR_OK;
}

void menu_line_free(menu_line *l)
{
    int i;

    for (i = 0; i < l->n; i++)
        free(l->tok[i].text);
    free(l->tok);
    l->tok = NULL;
    l->n = 0;
}

const menu_token *menu_lex_peek(const menu_lex_cursor *c)
{
    return c->pos < c->ln->n ? &c->ln->tok[c->pos] : NULL;
}

const menu_token *menu_lex_take(menu_lex_cursor *c)
{
    return c->pos < c->ln->n ? &c->ln->tok[c->pos++] : NULL;
}

int menu_lex_col_of(const menu_lex_cursor *c, const menu_token *t)
{
    if (t)
        return t->col;
    if (c->ln->n == 0)
        return 1;
    t = &c->ln->tok[c->ln->n - 1];
    return t->col + (int)strlen(t->text) + (t->kind == TOK_STRING ? 2 : 0);
}

int menu_lex_is_word(const menu_token *t, const char *w)
{
    return t && t->kind == TOK_WORD && !strcmp(t->text, w);
}

int menu_lex_error(menu_lex_cursor *c, int col, const char *fmt, ...)
{
    char msg[IVR_ERROR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ivr_error_set(c->err, IVR_EINPUT, "%s:%d:%d: %s", c->file,
                         c->line, col, msg);
}

/* The known words an unknown one's error lists whole, at most. */
#define SHORT_LIST 8

int menu_lex_unknown(menu_lex_cursor *c, const menu_token *t, const char *what,
                     const char *const *known)
{
    const char *near = menu_suggest(t->text, known);
    const menu_token *next = c->ln && t + 1 < c->ln->tok + c->ln->n ? t + 1
                                                                    : NULL;
    int i;

    /* "hang up" for hangup: the word and the next one written apart */
    if (next && next->kind == TOK_WORD &&
        strlen(t->text) + strlen(next->text) < 64) {
        char joined[64];
        size_t la = strlen(t->text);
        memcpy(joined, t->text, la);
        memcpy(joined + la, next->text, strlen(next->text) + 1);
        for (i = 0; known[i]; i++)
            if (!strcasecmp(joined, known[i]))
                return menu_lex_error(c, t->col,
                                      "unknown %s '%s %s' (did you "
                                      "mean '%s'?)",
                                      what, t->text, next->text, known[i]);
    }
    if (near)
        return menu_lex_error(c, t->col, "unknown %s '%s' (did you mean '%s'?)",
                              what, t->text, near);
    /* a word like none of them ("collect zip 5 digits"): a short list is
     * worth reading whole, where the man page would be opened for it */
    for (i = 0; known[i]; i++)
        ;
    if (i <= SHORT_LIST) {
        char list[256] = "";
        size_t used = 0;
        for (i = 0; known[i] && used < sizeof list; i++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                     i ? ", " : "", known[i]);
        return menu_lex_error(c, t->col, "unknown %s '%s' (one of: %s)", what,
                              t->text, list);
    }
    return menu_lex_error(c, t->col, "unknown %s '%s'", what, t->text);
}

int menu_lex_expect_end(menu_lex_cursor *c)
{
    const menu_token *t = menu_lex_peek(c);

    if (!t)
        return IVR_OK;
    return menu_lex_error(c, t->col, "unexpected '%s' at the end of the line",
                          t->text);
}

/* glibc compiles an interval {m,n} by copying what it repeats, and x+ as
 * xx*, so nested repetitions multiply: "((a{255}){255}){255}" and
 * "v+++...+" take minutes and gigabytes to compile (found by make fuzz).
 * Patterns that validate an account number need a few small ones; what
 * could copy past a few thousand times is refused. 0, or -1. */
#define REGEX_MAX_LENGTH 256
#define REGEX_MAX_COPIES 4096

static int regex_bounded(const char *p)
{
    double copies = 1;

    if (strlen(p) > REGEX_MAX_LENGTH)
        return -1;
    for (; *p; p++) {
        long m, n;
        char *end;
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == '[') {   /* a bracket expression holds no operators */
            p += p[1] == '^' ? 2 : 1;
            if (*p == ']')
                p++;
            while (*p && *p != ']')
                p++;
            if (!*p)
                return 0;   /* regcomp says what is wrong with it */
            continue;
        }
        /* as if every repetition held all the others */
        if (*p == '+' && (copies *= 2) > REGEX_MAX_COPIES)
            return -1;
        if (*p != '{' || !isdigit((unsigned char)p[1]))
            continue;
        m = strtol(p + 1, &end, 10);
        n = m;
        if (*end == ',')
            n = isdigit((unsigned char)end[1]) ? strtol(end + 1, &end, 10)
                                               : m + 1;
        /* as if every interval held all the others */
        copies *= (double)(n > m ? n : m) + 1;
        if (copies > REGEX_MAX_COPIES)
            return -1;
    }
    return 0;
}

void *menu_lex_regex(menu_lex_cursor *c, const menu_token *t)
{
    regex_t *re;
    int rc;

    if (regex_bounded(t->text) != 0) {
        menu_lex_error(c, t->col,
                       "regular expression too large (at most %d "
                       "characters, and repetitions such as {8} and + that "
                       "together copy it at most %d times)",
                       REGEX_MAX_LENGTH, REGEX_MAX_COPIES);
        return NULL;
    }
    re = malloc(sizeof *re);
    if (!re) {
        ivr_error_set(c->err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    rc = regcomp(re, t->text, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char msg[128];
        regerror(rc, re, msg, sizeof msg);
        free(re);
        menu_lex_error(c, t->col, "bad regular expression: %s", msg);
        return NULL;
    }
    return re;
}
