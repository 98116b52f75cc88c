/*
 * engine_internal.h: the call's state, shared by the engine's files
 * (engine.c: the frame loop, menus and prompts; engine_input.c: keys,
 * speech, timers; engine_speech.c: the recogniser and its results;
 * engine_actions.c: lines of actions; engine_play.c: the prompt queue;
 * engine_synth.c: prompts synthesised in the background; engine_vars.c:
 * variables and templates; engine_record.c: recording the caller). Not
 * public.
 */
#ifndef IVR_ENGINE_INTERNAL_H
#define IVR_ENGINE_INTERNAL_H

#include "audio.h"
#include "dtmf.h"
#include "engine.h"
#include "tts.h"

typedef struct engine_vars {
    char **names, **values;
    int n;
    /* the call's clock, for {date}, {time}, {weekday}, {holiday} and
     * `if open`: the menu (its zone, hours and holidays), the clock when
     * the call began, and the seconds since (the engine moves it) */
    const menu_file *m;
    time_t start;
    double now;
} engine_vars;

/* The call's local date and time now. */
void vars_clock(const engine_vars *v, calendar_time *out);

int vars_set(engine_vars *v, const char *name, const char *value);
const char *vars_get(const engine_vars *v, const char *name);
void vars_free(engine_vars *v);
/* The template with {name} and {name:digits} filled in; malloc'ed. */
char *vars_render(const engine_vars *v, const char *tmpl);
/* The same for a URL: each value percent-encoded, so an account number
 * of "12/34?x" stays one path segment; a value that starts the URL (a
 * base such as {bank_api}) is taken as it is. */
char *vars_render_url(const engine_vars *v, const char *tmpl);
/* 1 when the condition holds. */
int vars_cond(const engine_vars *v, const menu_cond *c);

typedef enum play_kind { PLAY_SAY, PLAY_FILE, PLAY_SILENCE, PLAY_BEEP } play_kind;

/* engine_synth.c: a prompt synthesised on a thread of its own. */
typedef struct synth_job synth_job;
#define SYNTH_PENDING (-1)
/* Starts synthesising text in voice (into the cache at cache_dir, NULL
 * for none); NULL with err when no thread could be started. */
synth_job *synth_start(const char *text, const char *voice,
                       const char *cache_dir, ivr_error *err);
/* SYNTH_PENDING while it runs; else its status, with the samples
 * (malloc'ed) on IVR_OK; the job is gone either way. */
int synth_take(synth_job *j, float **samples, size_t *n, ivr_error *err);
/* Lets go of a job still running (the item will not play). */
void synth_abandon(synth_job *j);

typedef struct play_item {
    play_kind kind;
    char *label;              /* the words said, or the file */
    const char *voice;
    float *samples;           /* SAY and BEEP with audio */
    audio_reader *reader;     /* FILE with audio */
    int64_t total;            /* samples; -1 until the item starts */
    int64_t pos;
    const menu_item *src;     /* a menu prompt item (its `during` keys) */
    menu_bargein bargein;     /* BARGEIN_NONE for an action's audio */
    int started;
    synth_job *synth;         /* real time: its audio on the way */
} play_item;

typedef struct play_queue {
    play_item *items;
    int head, n, cap;
} play_queue;

typedef enum engine_phase {
    PH_START,      /* before the first frame */
    PH_PROMPTS,    /* the menu's prompts are playing */
    PH_ACTIONS,    /* an action's audio is playing; the rest of its line
                    * waits */
    PH_WAITING,    /* listening for the caller */
    PH_RECORDING,
    PH_ENDED
} engine_phase;

/* What follows when a line of actions ends without leaving the menu. */
typedef enum engine_after {
    AFTER_NOTHING,   /* a key pressed during a message */
    AFTER_PROMPTS,   /* `on enter`: the prompts, greeting included */
    AFTER_REPROMPT,  /* an input or a failure: the prompts again */
    AFTER_WAIT,      /* `on played`: listen */
    AFTER_HANGUP     /* `on exhausted`: the call ends */
} engine_after;

#define MAX_PENDING 16
#define MAX_VOICES 8

typedef struct pending_speech {
    char *text, *choice;
    double confidence, threshold;
    int rejected;
    double coverage;          /* asr_result.coverage */
    int64_t start_ms;         /* when it began */
    int over_ivr;             /* it began while the IVR spoke */
    int64_t ivr_ms;           /* a mono mix: the recorded IVR's speech
                               * that came first in the same utterance */
    int64_t due_ms;           /* injected speech: when it "ends" */
} pending_speech;

typedef struct recording {
    const menu_action *action;
    int64_t start_ms, silent_ms;
    audio_writer *writer;
    char *path;
} recording;

struct engine {
    const menu_file *m;
    engine_opts o;
    engine_event_fn on_event;
    void *user;
    engine_vars vars;
    int64_t frame;
    int emit_offset;          /* samples into the frame an event happens */
    engine_phase phase;
    int failed;
    ivr_error err;

    const menu_node *cur;
    int visit_id;             /* changes each time a menu is entered */
    int *visits;              /* per menu index */
    const menu_node **hist;   /* for `back` */
    int nhist;
    const menu_node **subs;   /* for `return` */
    int nsubs;
    int entries_this_frame;   /* menus entered without a frame passing */

    int noinput_count, nomatch_count;
    char digits[68];
    int ndigits;
    int64_t deadline_ms;      /* -1: no timer */
    int64_t swallow_until_ms; /* a terminator after a full value */
    int64_t audio_end_ms;     /* when the IVR's audio last ran out */
    char swallow_keys[17];

    const menu_action *pc;    /* the rest of a line waiting for audio */
    engine_after after;
    int beeped;               /* the record action's beep has played */

    play_queue q;
    dtmf_detector *dtmf;
    asr_recognizer *asr;
    int own_asr;
    int listening;            /* the menu takes speech */
    int in_speech, speech_ok;
    int tone_on;              /* a key's tone is sounding: the recogniser
                               * hears none of it */
    int64_t speech_start_ms;  /* when the recogniser heard sound start */
    int speech_over_ivr;      /* and the IVR was speaking then */
    int recorded_ivr_talking; /* a replay's own IVR talks now */
    int bargein_pending;      /* speech may stop the prompt once it lasts */

    char keys[MAX_PENDING];
    int nkeys;
    pending_speech speech[MAX_PENDING];
    int nspeech;
    char *said[MAX_PENDING];  /* fast mode: words the caller began to say,
                               * for the utterances the end-pointer finds */
    int nsaid;

    struct { const char *voice; tts_engine *t; } voices[MAX_VOICES];
    int nvoices;

    recording rec;
    int record_done;          /* the recording ended with the last frame */
    int nrecordings;
    uint64_t rng;
    int confirmed;
    char hangup_reason[64];
};

int64_t engine_now_ms(const engine *e);
void engine_emit(engine *e, engine_event_kind kind, const char *text,
                 const char *name, const char *reason);
void engine_emit_full(engine *e, const engine_event *ev);
void engine_fail(engine *e, const ivr_error *err);
/* The fetch action (engine_fetch.c). *next is what to go on with: the
 * rest of the line, or the menu's `on error`. Returns 0 to go on now, 1
 * when the call waits for the backend's time first (e->pc is *next), -1
 * when the call has failed. */
int engine_fetch(engine *e, const menu_action *a, const menu_action **next);
void engine_end_call(engine *e, const char *reason);

/* engine.c: flow */
void engine_enter_menu(engine *e, const menu_node *n, const char *reason,
                       int push_history);
void engine_run_chain(engine *e, const menu_action *a, engine_after after);
void engine_start_prompts(engine *e, int with_greeting);
void engine_start_waiting(engine *e);
void engine_prompts_done(engine *e);
void engine_audio_done(engine *e);

void engine_set_var(engine *e, const char *name, const char *value, int quiet);

/* engine_input.c */
void engine_speech_started(engine *e);
void engine_forget_speech(engine *e);

/* A mono mix: whole (text not yet set) is the recorded IVR's speech, and
 * tail, its last part, is a whole answer: the caller's (1). */
int engine_answer_after_ivr(const engine *e, const pending_speech *whole,
                            const asr_result *tail, int64_t tail_ms);
void engine_handle_inputs(engine *e);
void engine_check_timers(engine *e);
void engine_noinput(engine *e);
void engine_nomatch(engine *e, const char *input, const char *reason);

/* engine_speech.c */

/* Listens with n's choices (a recogniser loaded on the first menu that
 * takes speech), or stops listening when n takes none; -1 after
 * engine_fail. */
int engine_listen(engine *e, const menu_node *n);
/* The recogniser's result, queued as input. */
void engine_on_speech(const asr_result *r, void *user);

/* engine_play.c */
int play_push(engine *e, play_kind kind, const char *label, const char *voice,
              const menu_item *src, menu_bargein bargein, double ms);
/* Plays the next n samples into out (may be NULL); returns 1 when the
 * queue ran dry in this frame. */
int play_render(engine *e, float *out, size_t n);
void play_flush(engine *e, const char *reason);
int play_busy(const engine *e);
const play_item *play_current(const engine *e);
void play_free(engine *e);

/* engine_record.c */
void record_start(engine *e, const menu_action *a);
void record_frame(engine *e, const float *in, size_t n);
/* Ends the recording; with resume, the rest of the record action's line
 * runs (not when the call or the menu is being left). */
void record_stop(engine *e, const char *reason, int resume);

#endif
