/*
 * menu_parse.h: what the three files of the menu parser share (internal):
 * menu_parse.c reads files and lines, menu_parse_values.c the values on
 * them (durations, names, templates, keys, files, voices),
 * menu_parse_actions.c the actions.
 */
#ifndef IVR_MENU_PARSE_H
#define IVR_MENU_PARSE_H

#include "menu.h"
#include "menu_internal.h"
#include "menu_lex.h"

/* includes within includes, and files one menu may be made of: bounds on
 * what a load reads */
#define MAX_INCLUDE_DEPTH 16
#define MAX_INCLUDED_FILES 256

/* What the files of one load share. */
typedef struct parse_shared {
    char root[4096];         /* the top file's folder, resolved */
    char **read;             /* every file read, resolved: each once */
    int nread;
} parse_shared;

typedef struct parser {
    menu_lex_cursor c; /* c.file is owned by m->files */
    menu_file *m;
    char *dir;               /* the file's directory, for relative paths */
    menu_node *menu;         /* the open block, or NULL */
    int in_global;
    int last_prompt;         /* index in menu->prompts for `during`, or -1 */
    int last_prompt_indent;
    int depth;
    char **open_files;       /* the include chain, for cycles */
    parse_shared *shared;
} parser;

char *mp_dup_or_fail(parser *P, const char *s);
/* Grows an array of n elements to n + 1, zeroing the new one. */
void *mp_grow(parser *P, void *arr, int n, size_t size);
menu_loc mp_loc_of(const parser *P, const menu_token *t);
int mp_parse_duration(parser *P, const char *what, double *ms);
int mp_parse_count(parser *P, const char *what, int min, int max, int *out);
int mp_valid_name(const char *s);
int mp_parse_name(parser *P, const char *what, char **out);
/* A template argument: a "string", or (allow_word) a word like {caller}. */
int mp_parse_template(parser *P, const char *what, int allow_word,
                      char **out);
int mp_is_dtmf_string(const char *s);
/* path (a file the menu names, at token t) lies in the menu's folder tree
 * or an allowed one; else an error that names the path, never its
 * content. */
int mp_confined(parser *P, const char *path, const menu_token *t,
                const char *what);
/* Reads one file of the menu into P (menu_parse.c); an `include` line
 * (menu_parse_include.c) reads another through it. */
int mp_parse_file(parser *P, const char *path);
int mp_parse_include(parser *P, const menu_token *kw);
int mp_parse_keys(parser *P, const char *what, char out[17]);
/* An audio file beside the menu; it must be readable now. */
int mp_parse_audio_path(parser *P, char **out);
int mp_parse_bargein_value(parser *P, menu_bargein *out);
int mp_parse_voice(parser *P, const char **out);

/* languages en, es (menu_parse_language.c); 1 when s looks like a
 * language code ("es", "pt-BR"); the language action. */
int mp_parse_languages(parser *P, const menu_token *kw);
int mp_is_language_code(const char *s);
int mp_parse_language_action(parser *P, menu_action *a);

/* fetch "URL" [post ...] [timeout T] [set ...] (menu_parse_fetch.c). */
int mp_parse_fetch(parser *P, menu_action *a);

/* collect NAME [options] (menu_parse_collect.c). */
int mp_parse_collect(parser *P, const menu_token *kw);

/* The lines about time (menu_parse_time.c): timezone, hours, holiday. */
int mp_parse_timezone(parser *P, const menu_token *kw);
int mp_parse_hours(parser *P, const menu_token *kw);
int mp_parse_holiday(parser *P, const menu_token *kw);

/* action (then action)*; stops before `else` when stop_at_else. */
int mp_parse_chain(parser *P, menu_action **out, int stop_at_else);
/* Keys pressed during a message may not play audio. */
int mp_check_silent_chain(parser *P, const menu_action *a);

#endif
