/*
 * script_run.c: a call script played through the engine.
 *
 * Timed steps are handed to the caller up front, at the times the parser
 * laid out. Reactive rules watch the event stream: a rule on a prompt
 * fires when that prompt has played to its end (a caller who listens),
 * a rule on a menu when the call enters it (the start menu too); it fires
 * the first time, the nth, or every time, and what it does is handed to
 * the caller at that moment (plus its `after`). Rules that fire together
 * act in the order they are written, each when the one before has done:
 * one caller does not press two keys at once.
 */
#include "script_internal.h"
#include "caller.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT_S 600.0

static int schedule(script_runner *R, step_kind kind, const char *text, double at)
{
    switch (kind) {
    case STEP_PRESS:
        return caller_press_at(R->c, text, at, &R->err);
    case STEP_SAY:
        return caller_say_at(R->c, text, at, &R->err);
    case STEP_PLAY:
        return caller_play_at(R->c, text, at, &R->err);
    case STEP_HANGUP:
        if (at < R->hangup_at_ms)
            R->hangup_at_ms = at;
        return IVR_OK;
    }
    return IVR_OK;
}

static int triggers(const script_rule *r, const engine_event *ev)
{
    if (r->trigger == WHEN_MENU)
        return ev->kind == EV_MENU && !strcmp(ev->text, r->pattern);
    if (ev->kind != EV_PROMPT_END || !ev->reason ||
        strcmp(ev->reason, "done") != 0 || !ev->text)
        return 0;
    switch (r->trigger) {
    case WHEN_PROMPT_IS:
        return !strcmp(ev->text, r->pattern);
    case WHEN_PROMPT_CONTAINS:
        return strstr(ev->text, r->pattern) != NULL;
    case WHEN_PROMPT_MATCHES:
        return regexec(r->re, ev->text, 0, NULL, 0) == 0;
    case WHEN_MENU:
        break;
    }
    return 0;
}

void script_runner_event(const engine_event *ev, void *user)
{
    script_runner *R = user;
    int i;

    if (call_log_add(R->log, ev) != 0 && !R->failed) {
        R->failed = 1;
        ivr_error_set(&R->err, IVR_EINTERNAL, "out of memory");
    }
    for (i = 0; i < R->s->nrules; i++) {
        const script_rule *r = &R->s->rules[i];
        double at;
        if (!triggers(r, ev))
            continue;
        R->seen[i]++;
        if (r->nth && R->seen[i] != r->nth)
            continue;
        at = ev->t * 1000.0 + r->after_ms;
        /* an event heard after it happened (a remote IVR's prompt, known
         * once its stretch is decoded) is acted on now at the earliest */
        if (at < caller_time_ms(R->c))
            at = caller_time_ms(R->c);
        if (at < R->busy_until_ms)
            at = R->busy_until_ms;
        R->busy_until_ms = at + r->takes_ms;
        if (schedule(R, r->action, r->text, at) != IVR_OK && !R->failed)
            R->failed = 1;
    }
}

int script_runner_init(script_runner *R, const call_script *s,
                       call_log *log, const char *tts_cache, ivr_error *err)
{
    int i;

    memset(R, 0, sizeof *R);
    R->s = s;
    R->log = log;
    R->hangup_at_ms = 1e300;
    R->seen = calloc((size_t)s->nrules + 1, sizeof *R->seen);
    R->c = caller_new(NULL, tts_cache, err);
    if (!R->seen || !R->c) {
        script_runner_free(R);
        return err && err->status ? err->status
                                  : ivr_error_set(err, IVR_EINTERNAL,
                                                  "out of memory");
    }
    if (s->noise)
        caller_set_noise(R->c, s->noise_dbm0, s->seed ? s->seed : 1);
    for (i = 0; i < s->nsteps; i++)
        if (schedule(R, s->steps[i].kind, s->steps[i].text,
                     s->steps[i].at_ms) != IVR_OK) {
            ivr_error_set(err, R->err.status, "%s:%d: %s", s->path,
                          s->steps[i].line, R->err.message);
            script_runner_free(R);
            return err ? err->status : IVR_EINPUT;
        }
    return IVR_OK;
}

double script_limit_seconds(const call_script *s, double default_limit)
{
    return s->limit_ms > 0 ? s->limit_ms / 1000.0
           : default_limit > 0 ? default_limit
           : DEFAULT_LIMIT_S;
}

void script_runner_free(script_runner *R)
{
    caller_free(R->c);
    free(R->seen);
    R->c = NULL;
    R->seen = NULL;
}

int script_run(const call_script *s, const menu_file *m,
               const script_run_opts *o, call_log *log, ivr_error *err)
{
    script_runner R;
    engine_opts eo;
    engine *e = NULL;
    float in[ENGINE_FRAME];
    int rc, on_line = 1, step;

    if ((rc = script_runner_init(&R, s, log, o->tts_cache, err)) != IVR_OK)
        return rc;
    memset(&eo, 0, sizeof eo);
    eo.fast = o->fast;
    eo.caller = s->caller;
    eo.called = s->called;
    eo.vars = (const char *const *)s->vars;
    eo.tts_cache = o->tts_cache;
    eo.asr = o->asr ? *o->asr : NULL;
    eo.seed = s->seed ? s->seed : 1;
    if (http_fixtures_count(s->fixtures)) {
        eo.fetch = http_fixtures_hook;
        eo.fetch_user = s->fixtures;
    }
    if (s->at) {
        char why[CALENDAR_WHY_MAX];
        if (calendar_parse_local(s->at, m->timezone, &eo.start_time, why)
                != 0) {
            rc = ivr_error_set(err, IVR_EINPUT, "%s:%d: %s", s->path,
                               s->at_line, why);
            goto done;
        }
    }
    eo.max_seconds = script_limit_seconds(s, o->default_limit);
    e = engine_new(m, &eo, script_runner_event, &R, err);
    if (!e) {
        rc = err ? err->status : IVR_EINTERNAL;
        goto done;
    }
    do {
        if (on_line) {
            on_line = caller_frame(R.c, e, in, &R.err);
            if (on_line < 0) {
                rc = ivr_error_set(err, R.err.status, "%s: %s", s->path,
                                   R.err.message);
                break;
            }
            if (caller_time_ms(R.c) > R.hangup_at_ms) {
                engine_hangup(e);
                on_line = 0;
            }
        }
        step = engine_step(e, in, NULL, err);
        if (step < 0)
            rc = err ? err->status : IVR_EINTERNAL;
        if (R.failed) {
            rc = ivr_error_set(err, R.err.status ? R.err.status
                                                 : IVR_EINTERNAL,
                               "%s: %s", s->path, R.err.message);
            break;
        }
    } while (step == 1);
done:
    if (e && o->asr && !o->fast && !*o->asr)
        *o->asr = engine_take_asr(e);
    engine_free(e);
    script_runner_free(&R);
    return rc;
}
