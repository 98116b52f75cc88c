/*
 * script_internal.h: a parsed call script (shared by script_parse.c,
 * script_run.c and script_check.c; not public).
 */
#ifndef IVR_SCRIPT_INTERNAL_H
#define IVR_SCRIPT_INTERNAL_H

#include "script.h"
#include "caller.h"
#include "http.h"

#include <regex.h>
#include <stdint.h>

typedef enum step_kind { STEP_PRESS, STEP_SAY, STEP_PLAY, STEP_HANGUP } step_kind;

typedef struct script_step {
    step_kind kind;
    double at_ms;             /* from the start of the call */
    char *text;               /* keys, words, or a file (resolved) */
    int line;
} script_step;

typedef enum when_kind {
    WHEN_PROMPT_IS, WHEN_PROMPT_CONTAINS, WHEN_PROMPT_MATCHES, WHEN_MENU
} when_kind;

typedef struct script_rule {
    when_kind trigger;
    char *pattern;            /* the text, the regex, or the menu */
    regex_t *re;
    double after_ms;          /* delay after the trigger */
    int nth;                  /* fires the nth time only (1: the first);
                               * 0: every time */
    step_kind action;
    char *text;
    double takes_ms;          /* how long the step keeps the caller busy */
    int line;
} script_rule;

typedef enum expect_kind {
    EXP_PROMPT_IS, EXP_PROMPT_CONTAINS, EXP_PROMPT_MATCHES, EXP_MENU,
    EXP_PATH, EXP_VAR_IS, EXP_VAR_CONTAINS, EXP_VAR_MATCHES, EXP_SMS,
    EXP_TRANSFER, EXP_RECORD, EXP_END, EXP_CONFIRMED, EXP_DURATION,
    EXP_NOINPUT, EXP_NOMATCH, EXP_REQUEST
} expect_kind;

typedef enum cmp_op { OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE } cmp_op;

typedef struct script_expect {
    expect_kind kind;
    int negate;
    char *a, *b;              /* the text, menu, variable, recipient... */
    char *contains;           /* sms: contains */
    regex_t *re;              /* PROMPT_MATCHES, VAR_MATCHES, sms matches */
    char **path;
    int npath;
    int path_prefix;          /* the path ends in "...": it starts so */
    cmp_op op;
    double num;               /* duration in seconds, or a count */
    int line;
    char what[256];           /* the line as written */
} script_expect;

struct call_script {
    char *path, *menu_path;
    char *caller, *called;
    char **vars;              /* "name=value", NULL-terminated */
    int nvars;
    uint64_t seed;
    http_fixtures *fixtures;  /* `http` lines: the backend's answers */
    char *at;                 /* the call's clock at its start, local to
                               * the menu's zone ("2026-12-24 18:30") */
    int at_line;
    double limit_ms;          /* 0: the runner's default */
    int noise;                /* line noise at noise_dbm0 */
    double noise_dbm0;
    script_step *steps;
    int nsteps;
    script_rule *rules;
    int nrules;
    script_expect *expects;
    int nexpects;
};

/* The caller's side of a scripted call, shared by a run through a menu
 * here (script_run) and one against an IVR over SIP (script_remote.c):
 * the timed steps handed to the caller up front, the rules fired by the
 * events the call logs (script_runner_event, an engine_event_fn). */
typedef struct script_runner {
    const call_script *s;
    call_log *log;
    caller *c;
    int *seen;                /* per rule: how often it has triggered */
    double busy_until_ms;     /* the caller's last reactive step ends */
    double hangup_at_ms;      /* a hangup step's time (1e300: none) */
    int failed;
    ivr_error err;
} script_runner;

int script_runner_init(script_runner *R, const call_script *s,
                       call_log *log, const char *tts_cache,
                       ivr_error *err);
void script_runner_event(const engine_event *ev, void *user);
void script_runner_free(script_runner *R);

/* How long a call of s may last, in seconds: its `limit`, else the
 * runner's default, else 600. */
double script_limit_seconds(const call_script *s, double default_limit);

/* 1 when a prompt's text names a sound file ("es/tarjeta.wav"): what is
 * played, not words to listen for. */
int script_names_file(const char *text);

#endif
