/*
 * script_parse.h: what the two files of the call-script parser share
 * (internal): script_parse.c reads the file, the call and its steps;
 * script_parse_expect.c the expectations.
 */
#ifndef IVR_SCRIPT_PARSE_H
#define IVR_SCRIPT_PARSE_H

#include "menu_lex.h"
#include "script_internal.h"

typedef struct sparser {
    menu_lex_cursor c;
    call_script *s;
    char *dir;
    double clock_ms;
} sparser;

int sp_parse_duration(sparser *P, const char *what, double *ms);
/* A "string" argument (or a word, with allow_word), malloc'ed. */
char *sp_string_arg(sparser *P, const char *what, int allow_word);
/* expect ...: text is the line after "expect ", kept for reports. */
int sp_parse_expect(sparser *P, const char *text);
/* Frees what an expectation owns (not x itself). */
void sp_expect_free(script_expect *x);

#endif
