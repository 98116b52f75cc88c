/*
 * menu_lex.c: one line of a menu file into tokens.
 */
#include "menu_lex.h"

#include <stdlib.h>
#include <string.h>

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
