/*
 * engine.h: one call through a menu, on a virtual clock.
 *
 * The call advances in 20 ms frames. Each engine_step() takes one frame of
 * the caller's audio (8 kHz) and gives back one frame of what the IVR plays;
 * nothing sleeps, so a file or a script runs as fast as the CPU allows, and
 * a sound device paces the same steps in real time. Everything that happens
 * is an event with its time (menu entered, prompt started and stopped, key
 * heard, speech recognised, no-input, no-match, variable set, SMS, transfer,
 * hang-up): the timeline, the JSON transcript and test expectations all read
 * that one stream.
 *
 * Caller input comes as audio through the real DTMF detector and recogniser,
 * or is injected (engine_press, engine_say): a fast mode skips audio
 * altogether (prompts are timed, not synthesised) for logic-only runs.
 *
 * The timing rules (ivr-menu(5) has them in full): a prompt that allows
 * barge-in stops in the frame a key or speech begins; the no-input timer
 * starts when the prompts end; after a key, the inter-digit timer runs; a
 * terminator ends a collection at once; no-input and no-match are counted
 * apart and each has its own limit; reaching a limit runs `on exhausted`.
 */
#ifndef IVR_ENGINE_H
#define IVR_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "asr.h"
#include "error.h"
#include "http.h"
#include "menu.h"

#define ENGINE_RATE 8000
#define ENGINE_FRAME 160            /* samples in a frame: 20 ms */
#define ENGINE_FRAME_MS 20

typedef enum engine_event_kind {
    EV_CALL_START,   /* text: caller, name: called */
    EV_MENU,         /* text: the menu; reason: how the caller got there */
    EV_PROMPT_START, /* text: what is said, or the file played */
    EV_PROMPT_END,   /* text as above; reason: done, barge-in, ...;
                      * duration: seconds played */
    EV_DTMF,         /* text: the key; reason set when it was ignored */
    EV_SPEECH,       /* text: words; name: the choice; confidence;
                      * reason set when rejected or ignored */
    EV_IVR_SPEECH,   /* a replayed mono mix: speech taken for the IVR's
                      * own prompts, not the caller's. text: when it
                      * began (seconds); duration; reason: why */
    EV_MATCH,        /* text: the input (key string or choice); name: the
                      * entry's label */
    EV_NOINPUT,      /* count: how many so far in this menu */
    EV_NOMATCH,      /* text: what was entered; count; reason */
    EV_EXHAUSTED,    /* reason: noinput or nomatch */
    EV_SET,          /* name = text */
    EV_SMS,          /* name: to; text; reason: the send status */
    EV_COUPON,       /* name: promotion; text: serial */
    EV_TRANSFER,     /* text: target */
    EV_RECORD,       /* name: variable; text: file or ""; duration;
                      * reason: why it stopped */
    EV_CONFIRM,      /* the callee confirmed (outbound) */
    EV_HANGUP,       /* reason: who ended the call; duration: its length */
    EV_ERROR,        /* text: what went wrong at run time */
    EV_CLOCK,        /* the call's clock at its start, for a menu that
                      * depends on time: text "2026-12-24 18:30:00";
                      * name: the zone ("local": the machine's); reason:
                      * the weekday */
    EV_BRANCH,       /* an `if` decided: text: the condition; name: then
                      * or else; reason: where it is ("bank.ivr:12") */
    EV_FETCH,        /* a fetch: text: the URL; name: GET or POST;
                      * reason: the HTTP status, or why there was no
                      * usable answer; duration: how long it took */
    EV_KINDS         /* how many kinds there are */
} engine_event_kind;

typedef struct engine_event {
    engine_event_kind kind;
    double t;                 /* seconds since the call started */
    const char *menu;         /* the menu the call is in ("" before one) */
    const char *text;
    const char *name;
    const char *reason;
    double confidence;
    double duration;
    int count;
} engine_event;

/* The name of a kind, as the JSON transcript writes it. */
const char *engine_event_name(engine_event_kind kind);

typedef void (*engine_event_fn)(const engine_event *ev, void *user);

/* Sends an SMS for the `sms` action; writes a short status ("sent",
 * "queued id 12", "failed: ...") and returns 0 when it went out. Without
 * one, the SMS is an event only ("not sent: no SMS backend"). */
typedef int (*engine_sms_fn)(void *user, const char *to, const char *text,
                             char *status, size_t size);

/* Issues a coupon serial of promotion for recipient (the `coupon`
 * action); returns 0, or -1 with a reason in serial's place. Without one,
 * serials come from the seed or the operating system, unrecorded. */
typedef int (*engine_coupon_fn)(void *user, const char *promotion,
                                const char *recipient, char *serial,
                                size_t size);

/* Asks a web service for the `fetch` action (http_fetch_live, or fixtures):
 * HTTP_ANSWERED, HTTP_NO_ANSWER (err: why; the menu's `on error` runs) or
 * HTTP_NO_FIXTURE (err: which request; the call ends with an error).
 * Without one, fetch asks the web service itself. */
typedef int (*engine_fetch_fn)(void *user, const http_request *rq,
                               http_response *rs, ivr_error *err);

typedef struct engine_opts {
    int fast;                 /* no audio: prompts timed, inputs injected */
    const char *caller;       /* {caller} */
    const char *called;       /* {called} */
    const char *const *vars;  /* "name=value" strings, NULL-terminated */
    const char *tts_cache;    /* prompt cache (NULL: the default) */
    const char *voice;        /* every prompt in this flite voice (NULL:
                               * the menu's own) */
    asr_recognizer *asr;      /* a recogniser to reuse (NULL: the engine
                               * loads one when a menu takes speech) */
    double min_confidence;    /* for speech (0: the recogniser's default) */
    int real_time;            /* a line's 20 ms clock (a SIP call): what
                               * takes long is done on other threads, so
                               * that engine_step keeps it: speech is
                               * decoded in the background (asr.h) and a
                               * prompt not in the cache is synthesised
                               * there while the line is silent; each then
                               * counts some frames late, as on a real
                               * IVR. 0: at the frame, as files and tests
                               * need */
    const char *record_dir;   /* where `record` writes (NULL: measured,
                               * not written) */
    int overwrite;            /* recordings may replace files */
    double max_seconds;       /* the call ends here (0: no limit) */
    int input_has_ivr;        /* the input is a mono mix of both legs (a
                               * PBX recording replayed): the IVR's own
                               * prompts are in it, and speech is told
                               * apart from them before it counts */
    uint64_t seed;            /* coupon serials in tests; 0: from the OS */
    time_t start_time;        /* the call's clock at its start, for hours
                               * and {date} (0: now) */
    engine_sms_fn send_sms;
    void *sms_user;
    engine_coupon_fn issue_coupon;
    void *coupon_user;
    engine_fetch_fn fetch;
    void *fetch_user;
} engine_opts;

typedef struct engine engine;

/* Prepares a call of menu m (which must outlive the engine). Nothing is
 * played until the first step. */
engine *engine_new(const menu_file *m, const engine_opts *opts,
                   engine_event_fn on_event, void *user, ivr_error *err);

/* Runs one frame: in is ENGINE_FRAME caller samples (NULL: silence), out
 * receives ENGINE_FRAME samples of IVR audio (may be NULL). Returns 1 while
 * the call goes on, 0 once it has ended, -1 on an error (err filled; the
 * call has ended with an EV_ERROR). */
int engine_step(engine *e, const float *in, float *out, ivr_error *err);

/* Replays: the recording's own IVR is talking (1) or not (0) in this
 * frame. While it talks the call waits for it: no-input and inter-digit
 * timers start again when it stops, as they did on the recorded call. */
void engine_recorded_ivr(engine *e, int talking);

/* Caller input without audio, taken at the current time: a key, or words
 * as if recognised with full confidence (matched against the menu's
 * phrases; anything else is a no-match). */
void engine_press(engine *e, char key);
void engine_say(engine *e, const char *text);

/* The caller begins to say words (their audio starts in this frame). In
 * fast mode, where nothing is decoded, they are what the recogniser takes
 * the next utterance it finds for; with audio, the recogniser decides. */
void engine_caller_says(engine *e, const char *words);

/* How a call ends: the reason of its EV_HANGUP, which call scripts'
 * `expect end` and the transcripts name. */
#define ENGINE_END_HANGUP "hangup"              /* the menu hung up */
#define ENGINE_END_TRANSFER "transfer"          /* the menu transferred */
#define ENGINE_END_EXHAUSTED "tries exhausted"  /* no handler left */
#define ENGINE_END_CALLER "caller hung up"      /* the caller did */
#define ENGINE_END_TIME_LIMIT "time limit"      /* max_seconds reached */
#define ENGINE_END_ERROR "error"                /* a run-time error */
#define ENGINE_END_INTERRUPTED "interrupted"    /* Ctrl-C on the run */

/* The caller hangs up (end of the recording, end of a script). */
void engine_hangup(engine *e);

/* The call ends now for reason (ENGINE_END_INTERRUPTED), as a
 * hang-up at that moment: every event and output is complete. */
void engine_end(engine *e, const char *reason);

int engine_ended(const engine *e);
double engine_time(const engine *e);     /* seconds */
const char *engine_menu(const engine *e);
/* A variable's value, or NULL. */
const char *engine_var(const engine *e, const char *name);
/* 1 while the menu listens for the caller (its prompts have played). */
int engine_waiting(const engine *e);
/* Sends the call to a menu, as a designer jumping around (an EV_MENU with
 * reason "jump"). IVR_EINPUT when there is no such menu. */
int engine_goto(engine *e, const char *menu, ivr_error *err);
/* The variables: count, and name and value of the i-th. */
int engine_var_count(const engine *e);
void engine_var_at(const engine *e, int i, const char **name,
                   const char **value);

/* The recogniser the engine used, if any (to reuse for the next call). */
asr_recognizer *engine_asr(const engine *e);

/* Frees the engine; a recogniser it loaded itself goes with it unless it
 * was taken with engine_take_asr(). */
asr_recognizer *engine_take_asr(engine *e);
void engine_free(engine *e);

#endif
