/*
 * console.h: a menu designer's console: the call runs, each prompt's text is
 * shown (and played when there is a speaker), and the designer answers by
 * typing keys ("1", "123#") or words ("say billing").
 *
 * On a terminal the clock is real: timeouts run while the designer thinks,
 * lines are edited with readline (history kept across sessions, tab
 * completion of the menu's keys, phrases and the commands). Anywhere else
 * the same commands are read line by line on a virtual clock: before each
 * command the call runs until the menu listens, and only `wait` lets time
 * pass while it does, so a piped session is reproducible.
 *
 * Commands: KEYS, say WORDS, wait TIME, where, vars, log, goto MENU,
 * restart, hangup, help, quit.
 */
#ifndef IVR_CONSOLE_H
#define IVR_CONSOLE_H

#include <stdio.h>

#include "engine.h"
#include "error.h"
#include "menu.h"

typedef struct console_opts {
    int interactive;        /* a terminal: readline and real time */
    int speaker;            /* play the IVR's audio (interactive only) */
    const char *device;     /* output device for the speaker (NULL: the
                             * default) */
    engine_opts call;       /* for each call */
    int verbose;            /* every event in the timeline */
    FILE *transcript;       /* JSON Lines of every event, or NULL */
    const char *history;    /* readline history file (NULL: none) */
} console_opts;

/* Runs the console until `quit` or the end of input. Returns an exit
 * status (errors are reported through err). */
int console_run(const menu_file *m, const console_opts *o, ivr_error *err);

#endif
