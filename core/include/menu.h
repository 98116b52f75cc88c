/*
 * menu.h: menu files (ivr-menu(5)) parsed into a validated tree.
 *
 * A menu file is line-oriented: one construct a line, indentation for what
 * belongs to what. menu_load() reads a file and its includes, resolves every
 * name (menu targets, voices, audio files) and returns the tree, or one
 * error "file:line:col: message" with the nearest known word suggested.
 * menu_lint() finds what parses but is probably a mistake: unreachable
 * menus, key collisions and prefix ambiguities, menus with no way out,
 * prompts that mention keys nobody handles.
 *
 * The tree is read-only once loaded; the engine walks it and keeps all the
 * state of a call on its side, so one tree serves any number of calls.
 */
#ifndef IVR_MENU_H
#define IVR_MENU_H

#include <stddef.h>
#include <stdio.h>

#include "calendar.h"
#include "error.h"

/* Where a construct came from, for messages. */
typedef struct menu_loc {
    const char *file;      /* owned by the menu_file */
    int line, col;
} menu_loc;

/* ------------------------------------------------------------------------
 * Actions: what an entry does. A line's actions run in order ("say X then
 * hangup"); an action that plays audio lets the rest wait for it.
 */

typedef enum menu_action_kind {
    ACT_GOTO,      /* target */
    ACT_GOSUB,     /* target; `return` comes back */
    ACT_RETURN,
    ACT_BACK,      /* the menu before this one */
    ACT_TOP,       /* the start menu */
    ACT_REPEAT,    /* this menu's prompt again, counters kept */
    ACT_HANGUP,
    ACT_SAY,       /* text (template) */
    ACT_PLAY,      /* path (resolved) */
    ACT_SET,       /* name = text (template); several in `next` */
    ACT_INCR,      /* name += 1 */
    ACT_SMS,       /* to (template), text (template) */
    ACT_COUPON,    /* name = a new serial of promotion text */
    ACT_TRANSFER,  /* to (template) */
    ACT_RECORD,    /* name; record_* below */
    ACT_CONFIRM,   /* outbound: the callee confirmed */
    ACT_IF,        /* cond; then_act, else_act */
    ACT_FETCH,     /* fetch: a web service's answer into variables */
    ACT_LANGUAGE   /* name: the call's language from now on ({lang}) */
} menu_action_kind;

/* `fetch "URL" [post NAME "v", ...] [timeout T] [set NAME "path", ...]`:
 * a GET (or a POST of a JSON object) whose JSON answer's fields, by path
 * ("balance", "owner.name", "cards[0].last4"), go into variables. */
typedef struct menu_fetch {
    char *url;                  /* template; values are URL-encoded */
    char **post_names, **post_values;   /* templates; npost 0: GET */
    int npost;
    char **set_names, **set_paths;
    int nset;
    double timeout_ms;
} menu_fetch;

typedef enum menu_cond_op {
    COND_EQ, COND_NE, COND_LT, COND_GT, COND_LE, COND_GE, COND_MATCHES,
    COND_OPEN,             /* `if open NAME`: left names the hours */
    COND_CLOSED,           /* `if closed NAME` */
    COND_HOLIDAY           /* `if holiday` */
} menu_cond_op;

struct menu_hours;

typedef struct menu_cond {
    char *left, *right;    /* templates; COND_OPEN: left is the name */
    menu_cond_op op;
    void *regex;           /* COND_MATCHES: a compiled regex_t */
    const struct menu_hours *hours;   /* COND_OPEN, resolved */
} menu_cond;

struct menu_node;

typedef struct menu_action {
    menu_action_kind kind;
    menu_loc loc;
    char *name;            /* SET/INCR/RECORD/COUPON variable; GOTO/GOSUB
                            * target name */
    char *text;            /* SAY/SET/SMS text, PLAY path, COUPON promotion */
    char *to;              /* SMS recipient, TRANSFER target */
    struct menu_node *target;   /* GOTO/GOSUB, resolved */
    double record_max_ms, record_silence_ms;
    char record_terminators[17];
    int record_beep;
    menu_cond cond;             /* IF */
    struct menu_action *then_act, *else_act;   /* IF */
    menu_fetch *fetch;          /* FETCH */
    struct menu_action *next;   /* the rest of the line */
} menu_action;

/* ------------------------------------------------------------------------
 * Prompts: a sequence of items, spoken text, audio files and silences.
 */

typedef enum menu_item_kind { ITEM_SAY, ITEM_PLAY, ITEM_SILENCE } menu_item_kind;

typedef struct menu_during {
    char key;              /* a DTMF key pressed while the item plays */
    menu_action *action;   /* runs at once; the item keeps playing */
    menu_loc loc;
} menu_during;

typedef struct menu_item {
    menu_item_kind kind;
    char *text;            /* SAY: template; PLAY: resolved path */
    double ms;             /* SILENCE */
    menu_during *during;
    int nduring;
    menu_loc loc;
} menu_item;

/* Which input stops a prompt that is playing. */
typedef enum menu_bargein {
    BARGEIN_DEFAULT = 0,   /* inherit (menu, then file: BARGEIN_BOTH) */
    BARGEIN_NONE,
    BARGEIN_DTMF,
    BARGEIN_SPEECH,
    BARGEIN_BOTH
} menu_bargein;

typedef enum menu_prompt_kind {
    PROMPT_GREETING,       /* first visit of the menu only */
    PROMPT_EVERY           /* every visit, from attempt `attempt` on */
} menu_prompt_kind;

typedef struct menu_prompt {
    menu_prompt_kind kind;
    int attempt;           /* 1: always; n: from the n-th attempt on */
    char lang[16];         /* "prompt es ...": for callers in that language
                            * ("" for the file's first language) */
    menu_item *items;
    int nitems;
    menu_bargein bargein;
    menu_loc loc;
} menu_prompt;

/* ------------------------------------------------------------------------
 * Entries: what the menu listens for, and what to do about it.
 */

typedef enum menu_entry_kind {
    ENTRY_INPUT,           /* keys and/or phrases */
    ENTRY_NOINPUT,
    ENTRY_NOMATCH,
    ENTRY_EXHAUSTED,
    ENTRY_ENTER,           /* runs on entering the menu, before prompts */
    ENTRY_PLAYED,          /* runs when the prompts have finished */
    ENTRY_COLLECTED,       /* a `collect` got a valid value */
    ENTRY_ERROR            /* a fetch got no usable answer ({error}) */
} menu_entry_kind;

typedef struct menu_entry {
    menu_entry_kind kind;
    char **keys;           /* INPUT: DTMF key strings ("1", "12", "#") */
    int nkeys;
    char **phrases;        /* INPUT: normalised phrases; phrases[0] names
                            * the choice */
    int nphrases;
    int count;             /* NOINPUT/NOMATCH: from the count-th on (1) */
    menu_action *action;
    menu_loc loc;
} menu_entry;

/* A value said as words (`collect ... speech [oh] [double]`): zero to
 * nine; "oh" for zero; "double four", "triple one". */
#define MENU_DIGITS_SAID 1
#define MENU_DIGITS_OH 2
#define MENU_DIGITS_DOUBLE 4

/* The recogniser's choice that stands for a value said as digits (in
 * menu_node.choices, "<digits>", "<digits oh double>", ...). */
#define MENU_DIGITS_CHOICE "<digits>"

/* Digits said as words ("four one double two oh") into out ("41220"),
 * the ways the flags allow; 0, or -1 when a word is not one. */
int menu_digits_from_words(const char *words, int flags, char *out,
                           size_t size);

/* Digits into a variable. */
typedef struct menu_collect {
    char *var;
    int min, max;
    char terminators[17];  /* "" for none */
    char keys[17];         /* what a value is made of ("0123456789"); a
                            * key outside them that an entry binds ends
                            * the collection and runs the entry */
    char *pattern;         /* POSIX extended regex the value must match */
    void *regex;           /* compiled */
    int speech;            /* MENU_DIGITS_*: the value may be said */
    menu_loc loc;
} menu_collect;

/* Settings a file gives as defaults and a menu can override; < 0 (or 0 for
 * bargein and voice NULL) means "inherit". */
typedef struct menu_settings {
    double timeout_ms;     /* first input after the prompt (5000) */
    double interdigit_ms;  /* between digits (3000) */
    int tries_noinput;     /* failures allowed (3) */
    int tries_nomatch;     /* (3) */
    menu_bargein bargein;  /* BARGEIN_BOTH */
    const char *voice;     /* the IVR's flite voice (slt) */
} menu_settings;

typedef struct menu_node {
    char *name;
    int index;             /* in menu_file.menus */
    menu_loc loc;
    menu_prompt *prompts;
    int nprompts;
    menu_entry *entries;
    int nentries;
    menu_collect *collect; /* NULL when the menu takes no digit string */
    menu_entry *global_off;/* keys and phrases of global entries turned
                            * off in this menu (`global off`), or NULL */
    menu_settings settings;/* resolved: every field set */
    char *choices;         /* for the recogniser: "a,b|c" or NULL when the
                            * menu takes no speech (globals included) */
} menu_node;

/* Opening hours: `hours NAME "mon-fri 9:00-17:30", "sat 10:00-13:00"`. */
typedef struct menu_hours {
    char *name;
    calendar_span *spans;
    char **texts;          /* each span as written, for messages */
    int nspans;
    menu_loc loc;
} menu_hours;

/* `holiday "2026-12-25" "Christmas Day"`: closed in every set of hours. */
typedef struct menu_holiday {
    int year, month, day;  /* year 0: the date of every year */
    char *name;            /* "" when the menu gives none */
    menu_loc loc;
} menu_holiday;

typedef struct menu_file {
    char *path;            /* the top file */
    char **files;          /* every file read, for locations */
    int nfiles;
    menu_node **menus;
    int nmenus;
    menu_node *start;
    menu_entry *globals;   /* input entries active in every menu */
    int nglobals;
    menu_entry *global_events; /* on noinput, nomatch, exhausted in the
                                * global block: what a menu without its own
                                * entry does */
    int nglobal_events;
    char **var_names, **var_values;   /* `set` at the top level */
    int nvars;
    int outbound;          /* the call is placed by the IVR */
    char *timezone;        /* IANA name, or NULL: the machine's */
    menu_hours *hours;
    int nhours;
    menu_holiday *holidays;
    int nholidays;
    int uses_clock;        /* a template names a clock variable */
    char **langs;          /* `languages en, es`: the first is a call's
                            * own until a `language` action; none: en */
    int nlangs;
    menu_settings defaults;
    /* the loader's own */
    struct menu_report *report;
    const char *const *allow_dirs;
    char *start_name;
    menu_loc start_loc;
    char **kept;           /* strings owned by the file (voice paths) */
    int nkept;
    menu_node **by_name;   /* open addressing on the name */
    int by_name_cap;
} menu_file;

/* Loads path and its includes. On error returns NULL and fills err with
 * IVR_EINPUT and "file:line:col: message" (IVR_EINPUT "file: ..." when the
 * file itself cannot be read). */
menu_file *menu_load(const char *path, ivr_error *err);

/* The one duration grammar of menus, call scripts and every command-line
 * option: numbers with units that add up, ms, s, m or min, h ("500ms",
 * "5s", "1m5s", "2min", "1h30m"). Milliseconds into *ms; returns 0, -1
 * when s is not a duration, -2 for a number without a unit (*ms the
 * number). */
int menu_duration(const char *s, double *ms);

/* Where a loader that goes on past a mistake reports each one (a line is
 * skipped, a name left unresolved), so that a file's mistakes show in one
 * run: fn gets each error; after max of them the loader stops. */
typedef struct menu_report {
    void (*fn)(const ivr_error *e, void *user);
    void *user;
    int max;
    int count;               /* reported so far */
    ivr_error first;
} menu_report;

typedef struct menu_load_opts {
    /* every mistake (up to report->max) through report; when there were
     * any, NULL with err holding the first. NULL: stop at the first. */
    menu_report *report;
    /* Folders (NULL-terminated) that includes and audio files may come
     * from besides the menu file's own folder and those below it: a menu
     * names no file outside them, so that `include "/etc/shadow"` shows
     * nobody a line of it. */
    const char *const *allow_dirs;
} menu_load_opts;

/* menu_load with options (o may be NULL). */
menu_file *menu_load_with(const char *path, const menu_load_opts *o,
                          ivr_error *err);

/* Counts err as a mistake of the file: 1 when the loader can go on past it
 * (r is set and has room), 0 when it must stop there. */
int menu_report_add(menu_report *r, const ivr_error *err);

void menu_free(menu_file *m);

menu_node *menu_find(const menu_file *m, const char *name);

/* Writes lint findings "file:line:col: warning: ..." to out; returns how
 * many. */
int menu_lint(const menu_file *m, FILE *out);

/* Writes the menu graph in Graphviz DOT. */
void menu_write_dot(const menu_file *m, FILE *out);

/* Writes a starter call script (ivr-call(5)) for every path through the
 * menu file into dir: the caller's inputs as reactive steps ("when menu X
 * press K"), the path and its end as expectations; and one for a silent
 * caller. menu_path is how the scripts name the menu file (made relative
 * to dir; dir is created when missing). Existing files are refused unless
 * overwrite. Returns the number
 * of scripts, or -1 (err filled). */
int menu_gen_tests(const menu_file *m, const char *menu_path, const char *dir,
                   int overwrite, ivr_error *err);

/* The entry of kind that runs in menu n at the count-th failure of that
 * kind (count 1 for the uncounted kinds): of the entries with a count not
 * above it, the one with the highest (VoiceXML's rule for count="n"); the
 * menu's own, else the file's global default. NULL when there is none. */
const menu_entry *menu_event_entry(const menu_file *m, const menu_node *n,
                                   menu_entry_kind kind, int count);

/* 1 when every path through the line of actions leaves the menu (goto,
 * gosub, return, back, top, repeat, hangup, transfer). */
int menu_chain_leaves(const menu_action *a);

/* 1 when a call in menu n can come to wait for the caller: no `on enter`
 * or `on played` line that always leaves first. A menu that never waits
 * has no no-input, no-match or exhausted branch to take. */
int menu_waits(const menu_file *m, const menu_node *n);

/* The key and phrase entries a menu listens to, its own before the global
 * ones it does not override. Returns the number written (at most max). */
int menu_inputs(const menu_file *m, const menu_node *n,
                const menu_entry **out, int max);

/* Time: the hours named name, or NULL. */
const menu_hours *menu_find_hours(const menu_file *m, const char *name);

/* The holiday t falls on, or NULL. */
const menu_holiday *menu_holiday_on(const menu_file *m,
                                    const calendar_time *t);

/* 1 when hours h are open at t: one of its spans is, and t is no
 * holiday. */
int menu_hours_open(const menu_file *m, const menu_hours *h,
                    const calendar_time *t);

/* 1 for a condition on the clock (open, closed, holiday) that holds at t;
 * 0 for every other condition. */
int menu_cond_at(const menu_file *m, const menu_cond *c,
                 const calendar_time *t);

/* The language a call starts in: the first of `languages`, else "en". */
const char *menu_default_language(const menu_file *m);

/* 1 when lang is one of the file's languages. */
int menu_has_language(const menu_file *m, const char *lang);

/* 1 for the variables the call's clock gives: date, time, weekday,
 * holiday. */
int menu_clock_variable(const char *name);

/* 1 when the menu's calls depend on the date or the time: it has hours,
 * holidays or a zone, or a template names {date}, {time}, {weekday} or
 * {holiday}. Such a call's clock is shown in its transcript. */
int menu_uses_time(const menu_file *m);

/* An `if`'s condition as a menu writes it: open office, holiday,
 * {account} matches "^4". */
void menu_cond_describe(const menu_cond *c, char *buf, size_t size);

/* A short label for an entry: 1, "samples" / noinput 2 / enter. */
void menu_entry_label(const menu_entry *e, char *buf, size_t size);

/* Lower case, punctuation dropped, single spaces: how phrases compare. The
 * result is malloc'ed. */
char *menu_normalise_phrase(const char *s);

/* The word among known (NULL-terminated) nearest to word, or NULL when none
 * is close enough to be a likely typo. */
const char *menu_suggest(const char *word, const char *const *known);

#endif
