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

#endif
