/*
 * engine.c: a call's life: the frame loop, entering menus and playing their
 * prompts. Lines of actions are run by engine_actions.c, input by
 * engine_input.c, speech by engine_speech.c, the prompt queue by
 * engine_play.c.
 *
 * A line of actions runs until one of them plays audio; the rest of the
 * line (e->pc) waits for that audio to end, so "say Goodbye then hangup"
 * hangs up after the goodbye. A line that leaves the menu (goto, back, ...)
 * ends there. A line that ends without leaving continues as e->after says:
 * the prompts again after an input or a failure, listening after `on
 * played`, the end of the call after `on exhausted`.
 */
#include "engine_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Menus entered within one frame before the engine calls it a loop (menus
 * that send the caller on without playing or waiting). */
#define MAX_ENTRIES_PER_FRAME 64
#define MAX_HISTORY 64

static const char *const event_names[EV_KINDS] = {
    [EV_CALL_START] = "call",        [EV_MENU] = "menu",
    [EV_PROMPT_START] = "prompt",    [EV_PROMPT_END] = "prompt_end",
    [EV_DTMF] = "dtmf",              [EV_SPEECH] = "speech",
    [EV_IVR_SPEECH] = "ivr_speech",  [EV_MATCH] = "match",
    [EV_NOINPUT] = "noinput",        [EV_NOMATCH] = "nomatch",
    [EV_EXHAUSTED] = "exhausted",    [EV_SET] = "set",
    [EV_SMS] = "sms",                [EV_COUPON] = "coupon",
    [EV_TRANSFER] = "transfer",      [EV_RECORD] = "record",
    [EV_CONFIRM] = "confirm",        [EV_HANGUP] = "hangup",
    [EV_ERROR] = "error",            [EV_CLOCK] = "clock",
    [EV_BRANCH] = "branch",          [EV_FETCH] = "fetch",
};

const char *engine_event_name(engine_event_kind kind)
{
    return (unsigned)kind < sizeof event_names / sizeof *event_names
               ? event_names[kind] : "?";
}

int64_t engine_now_ms(const engine *e)
{
    return e->frame * ENGINE_FRAME_MS;
}

void engine_emit_full(engine *e, const engine_event *ev)
{
    engine_event copy = *ev;

    copy.t = (double)(e->frame * ENGINE_FRAME + e->emit_offset) / ENGINE_RATE;
    copy.menu = e->cur ? e->cur->name : "";
    if (e->on_event)
        e->on_event(&copy, e->user);
}

void engine_emit(engine *e, engine_event_kind kind, const char *text,
                 const char *name, const char *reason)
{
    engine_event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.text = text;
    ev.name = name;
    ev.reason = reason;
    engine_emit_full(e, &ev);
}

void engine_set_var(engine *e, const char *name, const char *value, int quiet)
{
    if (vars_set(&e->vars, name, value) != 0) {
        ivr_error err;
        ivr_error_set(&err, IVR_EINTERNAL, "out of memory");
        engine_fail(e, &err);
        return;
    }
    if (!quiet)
        engine_emit(e, EV_SET, value, name, NULL);
}

void engine_end_call(engine *e, const char *reason)
{
    engine_event ev;

    if (e->phase == PH_ENDED)
        return;
    if (e->rec.action)
        record_stop(e, reason, 0);
    play_flush(e, reason);
    e->phase = PH_ENDED;
    snprintf(e->hangup_reason, sizeof e->hangup_reason, "%s", reason);
    memset(&ev, 0, sizeof ev);
    ev.kind = EV_HANGUP;
    ev.reason = reason;
    ev.duration = (double)engine_now_ms(e) / 1000.0;
    if (e->m->outbound)
        ev.text = e->confirmed ? "confirmed" : "not confirmed";
    engine_emit_full(e, &ev);
}

void engine_fail(engine *e, const ivr_error *err)
{
    if (e->failed)
        return;
    e->failed = 1;
    e->err = *err;
    engine_emit(e, EV_ERROR, err->message, NULL, NULL);
    engine_end_call(e, ENGINE_END_ERROR);
}

/* ------------------------------------------------------------------------
 * Menus and prompts
 */

void engine_enter_menu(engine *e, const menu_node *n, const char *reason,
                       int push_history)
{
    const menu_entry *enter;
    const menu_node **h;

    if (++e->entries_this_frame > MAX_ENTRIES_PER_FRAME) {
        ivr_error err;
        ivr_error_set(&err, IVR_EINPUT, "%s:%d:%d: menus go round in a loop "
                      "without playing or waiting (through menu '%s')",
                      n->loc.file, n->loc.line, n->loc.col, n->name);
        engine_fail(e, &err);
        return;
    }
    if (e->cur && push_history) {
        /* `back` needs the last few menus, not a whole hour of them */
        if (e->nhist == MAX_HISTORY) {
            memmove(e->hist, e->hist + 1, (MAX_HISTORY - 1) * sizeof *e->hist);
            e->nhist--;
        }
        h = realloc(e->hist, (size_t)(e->nhist + 1) * sizeof *h);
        if (h) {
            e->hist = h;
            e->hist[e->nhist++] = e->cur;
        }
    }
    play_flush(e, "left the menu");
    if (e->rec.action)
        record_stop(e, "left the menu", 0);
    engine_forget_speech(e);
    if (e->cur)
        engine_set_var(e, "last_menu", e->cur->name, 1);
    e->cur = n;
    e->visits[n->index]++;
    e->visit_id++;
    e->noinput_count = e->nomatch_count = 0;
    e->ndigits = 0;
    e->digits[0] = '\0';
    e->deadline_ms = -1;
    e->pc = NULL;
    engine_set_var(e, "menu", n->name, 1);
    engine_emit(e, EV_MENU, n->name, NULL, reason);
    if (engine_listen(e, n) != 0)
        return;
    enter = menu_event_entry(e->m, n, ENTRY_ENTER, 1);
    if (enter)
        engine_run_chain(e, enter->action, AFTER_PROMPTS);
    else
        engine_start_prompts(e, 1);
}

/* The language tag the call's prompts of a kind have in menu n: the
 * call's language when the menu has a prompt of that kind in it, else
 * "" (the file's first language, which a caller hears instead). */
static const char *prompt_language(const engine *e, const menu_node *n,
                                   menu_prompt_kind kind)
{
    const char *lang = vars_get(&e->vars, "lang");
    int i;

    if (!lang || !strcmp(lang, menu_default_language(e->m)))
        return "";
    for (i = 0; i < n->nprompts; i++)
        if (n->prompts[i].kind == kind && !strcmp(n->prompts[i].lang, lang))
            return lang;
    return "";
}

void engine_start_prompts(engine *e, int with_greeting)
{
    const menu_node *n = e->cur;
    int attempt = e->noinput_count + e->nomatch_count + 1, best = 1, i, j;
    int first = with_greeting && e->visits[n->index] == 1;
    const char *greeting_lang = prompt_language(e, n, PROMPT_GREETING);
    const char *every_lang = prompt_language(e, n, PROMPT_EVERY);

    e->phase = PH_PROMPTS;
    e->deadline_ms = -1;
    /* prompts for attempt n replace the ordinary ones from that attempt on */
    for (i = 0; i < n->nprompts; i++)
        if (n->prompts[i].kind == PROMPT_EVERY &&
            !strcmp(n->prompts[i].lang, every_lang) &&
            n->prompts[i].attempt <= attempt && n->prompts[i].attempt > best)
            best = n->prompts[i].attempt;
    for (i = 0; i < n->nprompts; i++) {
        const menu_prompt *p = &n->prompts[i];
        menu_bargein b = p->bargein ? p->bargein : n->settings.bargein;
        if (strcmp(p->lang, p->kind == PROMPT_GREETING ? greeting_lang
                                                       : every_lang))
            continue;
        if (p->kind == PROMPT_GREETING ? !first : p->attempt != best)
            continue;
        for (j = 0; j < p->nitems; j++) {
            const menu_item *it = &p->items[j];
            char *text = it->kind == ITEM_SAY ? vars_render(&e->vars, it->text)
                                              : NULL;
            int rc = play_push(e, it->kind == ITEM_SAY ? PLAY_SAY :
                                  it->kind == ITEM_PLAY ? PLAY_FILE :
                                  PLAY_SILENCE,
                               text ? text : it->text,
                               e->o.voice ? e->o.voice : n->settings.voice, it,
                               b, it->ms);
            free(text);
            if (rc != 0) {
                ivr_error err;
                ivr_error_set(&err, IVR_EINTERNAL, "out of memory");
                engine_fail(e, &err);
                return;
            }
        }
    }
    if (!play_busy(e))
        engine_prompts_done(e);
}

void engine_start_waiting(engine *e)
{
    e->phase = PH_WAITING;
    if (e->in_speech)
        e->deadline_ms = -1;
    else
        e->deadline_ms = engine_now_ms(e) +
                         (int64_t)(e->ndigits ? e->cur->settings.interdigit_ms
                                              : e->cur->settings.timeout_ms);
}

void engine_prompts_done(engine *e)
{
    const menu_entry *played = menu_event_entry(e->m, e->cur, ENTRY_PLAYED, 1);

    if (played)
        engine_run_chain(e, played->action, AFTER_WAIT);
    else
        engine_start_waiting(e);
}

/* The queue ran dry: what was waiting for it goes on. */
void engine_audio_done(engine *e)
{
    if (e->phase == PH_PROMPTS)
        engine_prompts_done(e);
    else if (e->phase == PH_ACTIONS)
        engine_run_chain(e, e->pc, e->after);
}

/* ------------------------------------------------------------------------
 * The call
 */

static void on_digit(const dtmf_event *ev, void *user)
{
    engine *e = user;

    e->tone_on = ev->kind == DTMF_DIGIT_BEGIN;
    if (e->asr)
        asr_set_tone(e->asr, e->tone_on);
    if (ev->kind == DTMF_DIGIT_BEGIN && e->nkeys < MAX_PENDING)
        e->keys[e->nkeys++] = ev->digit;
}

/* The call's clock as it starts, so that a transcript says when the call
 * was (and a replay of it can be run at that time again). */
static void emit_clock(engine *e)
{
    calendar_time t;
    char when[32];

    vars_clock(&e->vars, &t);
    calendar_format(&t, when, sizeof when);
    engine_emit(e, EV_CLOCK, when, e->m->timezone ? e->m->timezone : "local",
                calendar_weekday_name(t.weekday));
}

engine *engine_new(const menu_file *m, const engine_opts *opts,
                   engine_event_fn on_event, void *user, ivr_error *err)
{
    engine *e = calloc(1, sizeof *e);
    int i;

    if (!e || !(e->visits = calloc((size_t)m->nmenus, sizeof *e->visits))) {
        free(e);
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    e->m = m;
    if (opts)
        e->o = *opts;
    e->on_event = on_event;
    e->user = user;
    e->phase = PH_START;
    e->deadline_ms = -1;
    e->swallow_until_ms = -1;
    e->rng = e->o.seed;
    e->vars.m = m;
    e->vars.start = e->o.start_time ? e->o.start_time : time(NULL);
    e->asr = e->o.asr;
    if (e->asr) {
        asr_reset(e->asr);   /* nothing of the last call carries over */
        asr_set_callback(e->asr, engine_on_speech, e);
        if (asr_set_background(e->asr, e->o.real_time, err)
                != IVR_OK) {
            engine_free(e);
            return NULL;
        }
    }
    if (!(e->dtmf = dtmf_detector_new(ENGINE_RATE, NULL, on_digit, e, err))) {
        engine_free(e);
        return NULL;
    }
    for (i = 0; i < m->nvars; i++) {
        char *v = vars_render(&e->vars, m->var_values[i]);
        if (!v || vars_set(&e->vars, m->var_names[i], v) != 0) {
            free(v);
            engine_free(e);
            ivr_error_set(err, IVR_EINTERNAL, "out of memory");
            return NULL;
        }
        free(v);
    }
    if (vars_set(&e->vars, "lang", menu_default_language(m)) ||
        vars_set(&e->vars, "caller", e->o.caller ? e->o.caller : "") ||
        vars_set(&e->vars, "called", e->o.called ? e->o.called : "") ||
        vars_set(&e->vars, "confirmed", "no")) {
        engine_free(e);
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    for (i = 0; e->o.vars && e->o.vars[i]; i++) {
        const char *eq = strchr(e->o.vars[i], '=');
        char name[64];
        if (!eq || eq == e->o.vars[i] || eq - e->o.vars[i] >= 64) {
            ivr_error_set(err, IVR_EUSAGE, "variable '%s' is not NAME=VALUE",
                          e->o.vars[i]);
            engine_free(e);
            return NULL;
        }
        snprintf(name, sizeof name, "%.*s", (int)(eq - e->o.vars[i]),
                 e->o.vars[i]);
        if (vars_set(&e->vars, name, eq + 1) != 0) {
            engine_free(e);
            ivr_error_set(err, IVR_EINTERNAL, "out of memory");
            return NULL;
        }
    }
    return e;
}

int engine_step(engine *e, const float *in, float *out, ivr_error *err)
{
    static const float silence[ENGINE_FRAME];
    int emptied;

    if (e->phase == PH_ENDED) {
        if (out)
            memset(out, 0, ENGINE_FRAME * sizeof *out);
        goto ended;
    }
    e->entries_this_frame = 0;
    if (e->phase == PH_START) {
        engine_emit(e, EV_CALL_START, vars_get(&e->vars, "caller"),
                    vars_get(&e->vars, "called"),
                    e->m->outbound ? "outbound" : "inbound");
        if (menu_uses_time(e->m) || e->o.start_time)
            emit_clock(e);
        engine_enter_menu(e, e->m->start, "start", 0);
    }
    if (e->phase != PH_ENDED) {
        ivr_error aerr;
        dtmf_detector_push(e->dtmf, in ? in : silence, ENGINE_FRAME);
        /* what the caller says into a recording is not an answer (a key's
         * tone is not speech either: the recogniser knows it sounds) */
        if (e->listening && e->asr && e->phase != PH_RECORDING) {
            ivr_error_clear(&aerr);
            if (asr_push(e->asr, in ? in : silence, ENGINE_FRAME, &aerr)
                    != IVR_OK)
                engine_fail(e, &aerr);
        }
        /* what was decoded in the background, listening or not now */
        ivr_error_clear(&aerr);
        if (e->asr && e->phase != PH_ENDED &&
            asr_poll(e->asr, &aerr) != IVR_OK)
            engine_fail(e, &aerr);
    }
    engine_handle_inputs(e);
    engine_check_timers(e);
    if (e->phase == PH_RECORDING)
        record_frame(e, in ? in : silence, ENGINE_FRAME);
    emptied = e->phase != PH_ENDED && play_render(e, out, ENGINE_FRAME);
    if (out && e->phase == PH_ENDED)
        memset(out, 0, ENGINE_FRAME * sizeof *out);
    /* what waited for the audio starts with the next frame, and its time
     * is the end of this one */
    e->frame++;
    e->vars.now = (double)e->frame * ENGINE_FRAME_MS / 1000.0;
    if (emptied) {
        e->audio_end_ms = engine_now_ms(e);
        engine_audio_done(e);
    }
    if (e->record_done) {
        e->record_done = 0;
        if (e->phase == PH_RECORDING) {
            e->phase = PH_ACTIONS;
            engine_run_chain(e, e->pc, e->after);
        }
    }
    if (e->phase != PH_ENDED && e->o.max_seconds > 0 &&
        (double)engine_now_ms(e) >= e->o.max_seconds * 1000.0)
        engine_end_call(e, ENGINE_END_TIME_LIMIT);
ended:
    if (e->failed) {
        if (err)
            *err = e->err;
        return -1;
    }
    return e->phase != PH_ENDED;
}

void engine_press(engine *e, char key)
{
    if (e->nkeys < MAX_PENDING)
        e->keys[e->nkeys++] = key;
}

void engine_say(engine *e, const char *text)
{
    pending_speech *p;
    char *norm;

    if (e->nspeech == MAX_PENDING)
        return;
    norm = menu_normalise_phrase(text);
    if (!norm)
        return;
    p = &e->speech[e->nspeech];
    p->text = norm;
    p->choice = strdup(norm);
    if (!p->choice) {
        free(norm);
        return;
    }
    p->confidence = 1.0;
    p->rejected = -1;   /* matched against the menu when it is due */
    p->threshold = 0;
    /* as long as the words take to say, plus the end-pointer's silence */
    p->due_ms = engine_now_ms(e) + 70 * (int64_t)strlen(text) + 700;
    e->nspeech++;
    if (!e->in_speech) {
        e->in_speech = 1;
        e->speech_ok = e->phase == PH_WAITING ||
                       (e->phase == PH_PROMPTS && play_current(e) &&
                        (play_current(e)->bargein == BARGEIN_SPEECH ||
                         play_current(e)->bargein == BARGEIN_BOTH));
        engine_speech_started(e);
    }
}

void engine_hangup(engine *e)
{
    engine_end_call(e, ENGINE_END_CALLER);
}

void engine_end(engine *e, const char *reason)
{
    engine_end_call(e, reason);
}

int engine_ended(const engine *e)
{
    return e->phase == PH_ENDED;
}

double engine_time(const engine *e)
{
    return (double)engine_now_ms(e) / 1000.0;
}

const char *engine_menu(const engine *e)
{
    return e->cur ? e->cur->name : "";
}

const char *engine_var(const engine *e, const char *name)
{
    return vars_get(&e->vars, name);
}

asr_recognizer *engine_asr(const engine *e)
{
    return e->asr;
}

asr_recognizer *engine_take_asr(engine *e)
{
    asr_recognizer *a = e->asr;

    if (a)
        asr_set_callback(a, NULL, NULL);
    e->own_asr = 0;
    e->asr = NULL;
    return a;
}

void engine_free(engine *e)
{
    int i;

    if (!e)
        return;
    if (e->rec.writer)
        audio_writer_abort(e->rec.writer);
    free(e->rec.path);
    play_free(e);
    if (e->own_asr)
        asr_free(e->asr);
    else if (e->asr)
        asr_set_callback(e->asr, NULL, NULL);
    dtmf_detector_free(e->dtmf);
    for (i = 0; i < e->nvoices; i++)
        tts_free(e->voices[i].t);
    for (i = 0; i < e->nspeech; i++) {
        free(e->speech[i].text);
        free(e->speech[i].choice);
    }
    for (i = 0; i < e->nsaid; i++)
        free(e->said[i]);
    vars_free(&e->vars);
    free(e->visits);
    free(e->hist);
    free(e->subs);
    free(e);
}

int engine_waiting(const engine *e)
{
    return e->phase == PH_WAITING && !e->in_speech;
}

int engine_goto(engine *e, const char *menu, ivr_error *err)
{
    const menu_node *n = menu_find(e->m, menu);

    if (!n)
        return ivr_error_set(err, IVR_EINPUT, "no menu named '%s'", menu);
    if (e->phase == PH_ENDED)
        return ivr_error_set(err, IVR_EINPUT, "the call has ended");
    e->entries_this_frame = 0;
    engine_enter_menu(e, n, "jump", 1);
    return IVR_OK;
}

int engine_var_count(const engine *e)
{
    return e->vars.n;
}

void engine_var_at(const engine *e, int i, const char **name,
                   const char **value)
{
    *name = e->vars.names[i];
    *value = e->vars.values[i];
}
