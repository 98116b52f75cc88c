/*
 * menu_lex.h: a menu file's lines cut into tokens (internal to core/menu).
 *
 * A line is words, "strings" and commas. A word runs to the next blank,
 * comma or quote, so keys (#, *), durations (5s), file names and {templates}
 * are all words. A line whose first non-blank character is '#' is a
 * comment: '#' elsewhere is the pound key.
 */
#ifndef IVR_MENU_LEX_H
#define IVR_MENU_LEX_H

#include "error.h"

typedef enum menu_tok_kind { TOK_WORD, TOK_STRING, TOK_COMMA } menu_tok_kind;

typedef struct menu_token {
    menu_tok_kind kind;
    char *text;        /* a string's text without quotes, escapes undone */
    int col;           /* 1-based */
} menu_token;

typedef struct menu_line {
    menu_token *tok;
    int n;
    int indent;        /* column of the first token, 0-based */
} menu_line;

/* Cuts s (one line, no newline) into tokens; a blank line or a comment
 * gives n == 0. An unterminated string or a bad escape is IVR_EINPUT with
 * "file:line:col: message". */
int menu_lex_line(const char *s, const char *file, int line, menu_line *out,
                  ivr_error *err);

void menu_line_free(menu_line *l);

/* ------------------------------------------------------------------------
 * A parser's place in a line, shared by the menu and call-script parsers:
 * reading tokens, and errors that point at them.
 */

typedef struct menu_lex_cursor {
    const char *file;
    int line;
    menu_line *ln;
    int pos;
    ivr_error *err;
} menu_lex_cursor;

const menu_token *menu_lex_peek(const menu_lex_cursor *c);
const menu_token *menu_lex_take(menu_lex_cursor *c);
/* t's column, or just past the last token when t is NULL: where
 * "expected ..." points at the end of a line. */
int menu_lex_col_of(const menu_lex_cursor *c, const menu_token *t);
int menu_lex_is_word(const menu_token *t, const char *w);

/* Sets IVR_EINPUT "file:line:col: message"; returns IVR_EINPUT. */
int menu_lex_error(menu_lex_cursor *c, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* "unknown WHAT 'x' (did you mean 'y'?)" with y from known. */
int menu_lex_unknown(menu_lex_cursor *c, const menu_token *t, const char *what,
                     const char *const *known);
/* An error unless the line has no more tokens. */
int menu_lex_expect_end(menu_lex_cursor *c);
/* t's text as a POSIX extended regex (malloc'ed), or NULL with an error. */
void *menu_lex_regex(menu_lex_cursor *c, const menu_token *t);
/* menu_duration (menu.h) is the lexer's too. */

#endif
