/*
 * console.c: the designer's console. The same engine as every other mode;
 * what differs is who paces the frames: the wall clock (or the speaker)
 * on a terminal, the commands themselves on a pipe.
 */
#include "console.h"
#include "menu.h"
#include "device.h"
#include "fs.h"
#include "script.h"
#include "transcript.h"

#include <ctype.h>
#include <errno.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#define KEY_FRAMES 10          /* 200 ms a key, as a phone sends them */
#define MAX_CANDIDATES 512

typedef struct console {
    const menu_file *m;
    const console_opts *o;
    engine *e;
    asr_recognizer *asr;       /* kept across restarts */
    call_log log;              /* this call's events, for `log` */
    audio_device *speaker;
    int quit, failed;
    ivr_error err;
} console;

static console *active;        /* for readline's callbacks */

static const char *const commands[] = {
    "say", "wait", "where", "vars", "log", "goto", "restart", "hangup",
    "help", "quit", NULL
};

/* ------------------------------------------------------------------------
 * Output that does not tear the line being typed
 */

static void print_begin(const console *C, char **saved, int *point)
{
    *saved = NULL;
    if (!C->o->interactive || !rl_line_buffer)
        return;
    *point = rl_point;
    *saved = rl_copy_text(0, rl_end);
    rl_save_prompt();
    rl_replace_line("", 0);
    rl_redisplay();
}

static void print_end(const console *C, char *saved, int point)
{
    fflush(stdout);
    if (!C->o->interactive || !saved)
        return;
    rl_restore_prompt();
    rl_replace_line(saved, 0);
    rl_point = point;
    rl_redisplay();
    free(saved);
}

static void on_event(const engine_event *ev, void *user)
{
    console *C = user;
    char *saved;
    int point = 0;

    call_log_add(&C->log, ev);
    if (C->o->transcript)
        transcript_write_json(C->o->transcript, ev);
    print_begin(C, &saved, &point);
    transcript_write_text(stdout, ev, C->o->verbose);
    print_end(C, saved, point);
}

/* ------------------------------------------------------------------------
 * The call
 */

static void end_engine(console *C)
{
    if (!C->e)
        return;
    if (!C->asr)
        C->asr = engine_take_asr(C->e);
    engine_free(C->e);
    C->e = NULL;
}

static int new_call(console *C)
{
    engine_opts eo = C->o->call;

    end_engine(C);
    call_log_clear(&C->log);
    eo.asr = C->asr;
    C->e = engine_new(C->m, &eo, on_event, C, &C->err);
    if (!C->e) {
        C->failed = 1;
        return -1;
    }
    return 0;
}

/* One frame of the call, the caller silent; the IVR's audio to the
 * speaker. Returns 1 while the call goes on. */
static int step(console *C)
{
    float out[ENGINE_FRAME];
    int rc;

    if (!C->e || engine_ended(C->e))
        return 0;
    rc = engine_step(C->e, NULL, out, &C->err);
    if (rc < 0) {
        C->failed = 1;
        return 0;
    }
    if (C->speaker && device_write(C->speaker, out, ENGINE_FRAME, &C->err)
                          != IVR_OK) {
        /* the speaker went away: carry on as text */
        char *saved;
        int point = 0;
        print_begin(C, &saved, &point);
        printf("(no more sound: %s)\n", C->err.message);
        print_end(C, saved, point);
        device_close(C->speaker);
        C->speaker = NULL;
    }
    return rc;
}

static void advance(console *C, int frames)
{
    while (frames-- > 0 && step(C))
        ;
}

/* On the virtual clock: let the prompts play until the menu listens. */
static void run_until_listening(console *C)
{
    while (C->e && !engine_ended(C->e) && !engine_waiting(C->e) && step(C))
        ;
}

/* ------------------------------------------------------------------------
 * Commands
 */

static const menu_node *current_menu(const console *C)
{
    return C->e ? menu_find(C->m, engine_menu(C->e)) : NULL;
}

static void cmd_where(console *C)
{
    const menu_node *n = current_menu(C);
    const menu_entry *in[256];
    int k, i, j;

    if (!C->e || engine_ended(C->e)) {
        printf("the call has ended (restart, or quit)\n");
        return;
    }
    if (!n) {
        printf("the call has not started yet\n");
        return;
    }
    printf("menu %s, %.2fs into the call, %s\n", n->name, engine_time(C->e),
           engine_waiting(C->e) ? "listening" : "playing");
    k = menu_inputs(C->m, n, in, 256);
    printf("  keys:");
    for (i = 0; i < k; i++)
        for (j = 0; j < in[i]->nkeys; j++)
            printf(" %s", in[i]->keys[j]);
    if (n->collect)
        printf(" (or digits into %s, %d to %d)", n->collect->var,
               n->collect->min, n->collect->max);
    printf("\n  words:");
    for (i = 0; i < k; i++)
        for (j = 0; j < in[i]->nphrases; j++)
            printf(" \"%s\"", in[i]->phrases[j]);
    printf("\n");
}

static void cmd_vars(console *C)
{
    int i, n = C->e ? engine_var_count(C->e) : 0;

    for (i = 0; i < n; i++) {
        const char *name, *value;
        engine_var_at(C->e, i, &name, &value);
        printf("  %s = \"%s\"\n", name, value);
    }
}

static void cmd_log(console *C)
{
    char line[1024];
    int i;

    for (i = 0; i < C->log.n; i++) {
        call_log_format(&C->log.ev[i], line, sizeof line);
        printf("%s\n", line);
    }
}

static void cmd_help(void)
{
    printf("  1, 123#         press keys\n"
           "  say WORDS       say something (as if recognised)\n"
           "  wait TIME       let TIME pass (5s, 500ms)\n"
           "  where           the menu, what it listens for\n"
           "  vars            the variables\n"
           "  log             the call so far\n"
           "  goto MENU       jump to a menu\n"
           "  restart         a new call\n"
           "  hangup          hang up\n"
           "  quit            leave\n");
}

static int is_keys(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!strchr("0123456789*#ABCDabcd", *s))
            return 0;
    return 1;
}

/* seconds, or -1; a bare number is seconds */
static double parse_wait(const char *s)
{
    double ms;

    switch (menu_duration(s, &ms)) {
    case 0:
        return ms / 1000.0;
    case -2:
        return ms;
    }
    return -1;
}

static void execute(console *C, char *line)
{
    char *cmd, *arg;
    size_t n;

    while (isspace((unsigned char)*line))
        line++;
    n = strlen(line);
    while (n && isspace((unsigned char)line[n - 1]))
        line[--n] = '\0';
    /* "# note" is a comment; "#" and "12#" are keys */
    if (!*line || (line[0] == '#' && !is_keys(line)))
        return;
    cmd = line;
    arg = cmd + strcspn(cmd, " \t");
    if (*arg) {
        *arg++ = '\0';
        while (isspace((unsigned char)*arg))
            arg++;
    }
    if (is_keys(cmd) && !*arg) {
        if (!C->e || engine_ended(C->e)) {
            printf("the call has ended (restart, or quit)\n");
            return;
        }
        for (; *cmd; cmd++) {
            engine_press(C->e, (char)toupper((unsigned char)*cmd));
            if (!C->o->interactive)
                advance(C, KEY_FRAMES);
        }
    } else if (!strcmp(cmd, "say")) {
        if (!*arg) {
            printf("say what? (say billing)\n");
        } else if (C->e && !engine_ended(C->e)) {
            engine_say(C->e, arg);
            if (!C->o->interactive)   /* as long as the words take */
                advance(C, (int)((70.0 * (double)strlen(arg) + 700.0) /
                                 ENGINE_FRAME_MS) + 1);
        } else {
            printf("the call has ended (restart, or quit)\n");
        }
    } else if (!strcmp(cmd, "wait")) {
        double secs = parse_wait(arg);
        if (secs < 0)
            printf("wait how long? (wait 5s)\n");
        else if (!C->o->interactive)
            advance(C, (int)(secs * 1000.0 / ENGINE_FRAME_MS + 0.5));
    } else if (!strcmp(cmd, "where")) {
        cmd_where(C);
    } else if (!strcmp(cmd, "vars")) {
        cmd_vars(C);
    } else if (!strcmp(cmd, "log")) {
        cmd_log(C);
    } else if (!strcmp(cmd, "goto")) {
        if (!C->e || engine_goto(C->e, arg, &C->err) != IVR_OK)
            printf("%s\n", C->e ? C->err.message : "no call");
    } else if (!strcmp(cmd, "restart")) {
        printf("-- a new call --\n");
        new_call(C);
    } else if (!strcmp(cmd, "hangup")) {
        if (C->e)
            engine_hangup(C->e);
    } else if (!strcmp(cmd, "help") || !strcmp(cmd, "?")) {
        cmd_help();
    } else if (!strcmp(cmd, "quit") || !strcmp(cmd, "exit")) {
        C->quit = 1;
    } else {
        const char *near = menu_suggest(cmd, commands);
        printf("unknown command '%s'%s%s%s; keys, say WORDS, or help\n", cmd,
               near ? " (did you mean '" : "", near ? near : "",
               near ? "'?)" : "");
    }
    fflush(stdout);
}

/* ------------------------------------------------------------------------
 * Piped: line by line on the virtual clock
 */

static int run_piped(console *C)
{
    char *line = NULL;
    size_t cap = 0;

    while (!C->quit && !C->failed) {
        run_until_listening(C);
        if (C->failed || getline(&line, &cap, stdin) < 0)
            break;
        execute(C, line);
    }
    /* the end of the commands: the caller stays silent, the call goes on
     * to its end */
    while (!C->quit && !C->failed && step(C))
        ;
    free(line);
    return C->failed ? C->err.status : IVR_OK;
}

/* ------------------------------------------------------------------------
 * A terminal: readline, real time
 */

static char *candidates[MAX_CANDIDATES];
static int ncandidates, next_candidate;

static void add_candidate(const char *s)
{
    if (ncandidates < MAX_CANDIDATES && (candidates[ncandidates] = strdup(s)))
        ncandidates++;
}

static char *generate(const char *text, int state)
{
    size_t len = strlen(text);

    if (!state)
        next_candidate = 0;
    while (next_candidate < ncandidates) {
        const char *c = candidates[next_candidate++];
        if (!strncmp(c, text, len))
            return strdup(c);
    }
    return NULL;
}

/* Keys and commands first on a line, the menu's words after "say", menu
 * names after "goto". */
static char **complete(const char *text, int start, int end)
{
    const console *C = active;
    const menu_node *n = current_menu(C);
    int i, j, k;

    (void)end;
    while (ncandidates)
        free(candidates[--ncandidates]);
    rl_attempted_completion_over = 1;
    if (start >= 4 && !strncmp(rl_line_buffer, "say ", 4) && n) {
        const menu_entry *in[256];
        k = menu_inputs(C->m, n, in, 256);
        for (i = 0; i < k; i++)
            for (j = 0; j < in[i]->nphrases; j++)
                add_candidate(in[i]->phrases[j]);
    } else if (start >= 5 && !strncmp(rl_line_buffer, "goto ", 5)) {
        for (i = 0; i < C->m->nmenus; i++)
            add_candidate(C->m->menus[i]->name);
    } else if (start == 0) {
        for (i = 0; commands[i]; i++)
            add_candidate(commands[i]);
        if (n) {
            const menu_entry *in[256];
            k = menu_inputs(C->m, n, in, 256);
            for (i = 0; i < k; i++)
                for (j = 0; j < in[i]->nkeys; j++)
                    add_candidate(in[i]->keys[j]);
        }
    }
    return rl_completion_matches(text, generate);
}

static void on_line(char *line)
{
    console *C = active;

    if (!line) {            /* Ctrl-D */
        C->quit = 1;
        printf("\n");
        return;
    }
    if (*line)
        add_history(line);
    execute(C, line);
    free(line);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int run_terminal(console *C)
{
    double next = now();

    if (C->o->speaker) {
        C->speaker = device_open(0, NULL, 1, C->o->device, ENGINE_RATE,
                                 &C->err);
        if (!C->speaker)
            printf("(no sound: %s; the prompts are shown as text)\n",
                   C->err.message);
    }
    if (C->o->history)
        read_history(C->o->history);
    rl_attempted_completion_function = complete;
    rl_callback_handler_install("ivr> ", on_line);
    printf("type keys (1, 123#), say WORDS, or help\n");
    while (!C->quit && !C->failed) {
        double t = now();
        fd_set in;
        struct timeval tv;
        if (C->speaker) {
            step(C);            /* the write blocks: the speaker's clock */
        } else {
            /* frames that are due, a synthesis that took long included;
             * after a suspension (seconds behind), start again from now */
            int due = 0;
            if (t - next > 5.0)
                next = t;
            while (t >= next && due++ < 50) {
                step(C);
                next += ENGINE_FRAME_MS / 1000.0;
            }
        }
        t = now();
        FD_ZERO(&in);
        FD_SET(STDIN_FILENO, &in);
        /* the speaker paces the frames by itself: do not wait as well */
        t = C->speaker || next <= t ? 0 : next - t;
        tv.tv_sec = (time_t)t;
        tv.tv_usec = (suseconds_t)((t - (double)tv.tv_sec) * 1e6);
        if (select(STDIN_FILENO + 1, &in, NULL, NULL, &tv) > 0)
            rl_callback_read_char();
    }
    rl_callback_handler_remove();
    if (C->speaker) {
        long over, under;
        device_xruns(C->speaker, &over, &under);
        if (under)
            printf("(%s: %ld output under-runs: some audio was late)\n",
                   device_output_name(C->speaker), under);
    }
    if (C->o->history) {
        fs_make_parents(C->o->history);
        write_history(C->o->history);
    }
    while (ncandidates)
        free(candidates[--ncandidates]);
    return C->failed ? C->err.status : IVR_OK;
}

int console_run(const menu_file *m, const console_opts *o, ivr_error *err)
{
    console C;
    int rc;

    memset(&C, 0, sizeof C);
    C.m = m;
    C.o = o;
    active = &C;
    if (new_call(&C) != 0) {
        *err = C.err;
        return C.err.status;
    }
    rc = o->interactive ? run_terminal(&C) : run_piped(&C);
    if (C.failed && err)
        *err = C.err;
    end_engine(&C);
    asr_free(C.asr);
    device_close(C.speaker);
    call_log_clear(&C.log);
    active = NULL;
    return rc;
}
