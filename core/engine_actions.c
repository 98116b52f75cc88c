/*
 * engine_actions.c: what a line of actions does. A line runs until one of
 * its actions plays audio; the rest of it (e->pc) waits for that audio to
 * end. A line that leaves the menu ends there; one that ends in the menu
 * goes on as e->after says (see engine.c).
 */
#include "engine_internal.h"
#include "coupon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GOSUB_DEPTH 64

static void chain_done(engine *e, engine_after after)
{
    e->pc = NULL;
    switch (after) {
    case AFTER_NOTHING:
        break;
    case AFTER_PROMPTS:
        engine_start_prompts(e, 1);
        break;
    case AFTER_REPROMPT:
        engine_start_prompts(e, 0);
        break;
    case AFTER_WAIT:
        engine_start_waiting(e);
        break;
    case AFTER_HANGUP:
        engine_end_call(e, ENGINE_END_EXHAUSTED);
        break;
    }
}

static void go_back(engine *e)
{
    if (e->nhist > 0) {
        const menu_node *n = e->hist[--e->nhist];
        engine_enter_menu(e, n, "back", 0);
    } else {
        engine_enter_menu(e, e->m->start, "back (to the start)", 0);
    }
}

static void do_sms(engine *e, const menu_action *a)
{
    char *to = vars_render(&e->vars, a->to);
    char *text = vars_render(&e->vars, a->text);
    char status[256];

    if (!to || !text) {
        free(to);
        free(text);
        return;
    }
    if (!*to)
        snprintf(status, sizeof status, "not sent: no recipient (%s is "
                 "empty)", a->to);
    else if (e->o.send_sms)
        e->o.send_sms(e->o.sms_user, to, text, status, sizeof status);
    else
        snprintf(status, sizeof status, "not sent: no SMS backend");
    engine_emit(e, EV_SMS, text, to, status);
    free(to);
    free(text);
}

static void do_coupon(engine *e, const menu_action *a)
{
    char serial[COUPON_SERIAL_MAX];
    char *promo = vars_render(&e->vars, a->text);

    if (!promo)
        return;
    if (e->o.issue_coupon) {
        if (e->o.issue_coupon(e->o.coupon_user, promo,
                              vars_get(&e->vars, "caller"), serial,
                              sizeof serial) != 0) {
            ivr_error err;
            ivr_error_set(&err, IVR_EOUTPUT, "coupon: %s", serial);
            free(promo);
            engine_fail(e, &err);
            return;
        }
    } else if (e->o.seed) {
        /* splitmix64: reproducible serials for tests */
        uint64_t z = (e->rng += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        coupon_format(z ^ (z >> 31), serial);
    } else {
        coupon_new_serial(serial);
    }
    engine_set_var(e, a->name, serial, 0);
    engine_emit(e, EV_COUPON, serial, promo, NULL);
    free(promo);
}

static void do_incr(engine *e, const char *name)
{
    const char *v = vars_get(&e->vars, name);
    char buf[32];

    snprintf(buf, sizeof buf, "%ld", (v ? strtol(v, NULL, 10) : 0) + 1);
    engine_set_var(e, name, buf, 0);
}

/* Runs one action; returns 1 when the line must stop here (audio to wait
 * for, the menu left, the call ended). */
static int run_action(engine *e, const menu_action *a, int visit)
{
    char *text;

    switch (a->kind) {
    case ACT_GOTO:
        engine_enter_menu(e, a->target, "goto", 1);
        break;
    case ACT_GOSUB: {
        const menu_node **s;
        if (e->nsubs == MAX_GOSUB_DEPTH) {
            ivr_error err;
            ivr_error_set(&err, IVR_EINPUT, "%s:%d:%d: gosub nested deeper "
                          "than %d (a gosub without return?)", a->loc.file,
                          a->loc.line, a->loc.col, MAX_GOSUB_DEPTH);
            engine_fail(e, &err);
            return 1;
        }
        s = realloc(e->subs, (size_t)(e->nsubs + 1) * sizeof *s);
        if (s) {
            e->subs = s;
            e->subs[e->nsubs++] = e->cur;
        }
        engine_enter_menu(e, a->target, "gosub", 1);
        break;
    }
    case ACT_RETURN:
        if (e->nsubs > 0)
            engine_enter_menu(e, e->subs[--e->nsubs], "return", 1);
        else
            go_back(e);
        break;
    case ACT_BACK:
        go_back(e);
        break;
    case ACT_TOP:
        e->nhist = e->nsubs = 0;
        engine_enter_menu(e, e->m->start, "top", 0);
        break;
    case ACT_REPEAT:
        engine_start_prompts(e, 0);
        return 1;
    case ACT_HANGUP:
        engine_end_call(e, ENGINE_END_HANGUP);
        break;
    case ACT_SAY:
    case ACT_PLAY:
        text = a->kind == ACT_SAY ? vars_render(&e->vars, a->text) : NULL;
        if (play_push(e, a->kind == ACT_SAY ? PLAY_SAY : PLAY_FILE,
                      text ? text : a->text,
                      e->o.voice ? e->o.voice : e->cur->settings.voice, NULL,
                      BARGEIN_NONE, 0) != 0) {
            ivr_error err;
            ivr_error_set(&err, IVR_EINTERNAL, "out of memory");
            engine_fail(e, &err);
        }
        free(text);
        e->pc = a->next;
        e->phase = PH_ACTIONS;
        return 1;
    case ACT_SET:
        text = vars_render(&e->vars, a->text);
        if (text)
            engine_set_var(e, a->name, text, 0);
        free(text);
        break;
    case ACT_INCR:
        do_incr(e, a->name);
        break;
    case ACT_SMS:
        do_sms(e, a);
        break;
    case ACT_COUPON:
        do_coupon(e, a);
        break;
    case ACT_TRANSFER:
        text = vars_render(&e->vars, a->to);
        engine_emit(e, EV_TRANSFER, text ? text : a->to, NULL, NULL);
        free(text);
        engine_end_call(e, ENGINE_END_TRANSFER);
        break;
    case ACT_RECORD:
        if (a->record_beep && !e->beeped) {
            play_push(e, PLAY_BEEP, "beep", NULL, NULL, BARGEIN_NONE, 0);
            e->beeped = 1;
            e->pc = a;   /* the recording starts when the beep ends */
            e->phase = PH_ACTIONS;
            return 1;
        }
        e->beeped = 0;
        e->pc = a->next;
        record_start(e, a);
        return 1;
    case ACT_CONFIRM:
        e->confirmed = 1;
        engine_set_var(e, "confirmed", "yes", 0);
        engine_emit(e, EV_CONFIRM, NULL, NULL, NULL);
        break;
    case ACT_LANGUAGE:
        engine_set_var(e, "lang", a->name, 0);
        break;
    case ACT_IF:
    case ACT_FETCH:
        break;   /* run_chain takes the branch, or the answer */
    }
    return e->phase == PH_ENDED || e->visit_id != visit;
}

void engine_run_chain(engine *e, const menu_action *a, engine_after after)
{
    int visit = e->visit_id;

    e->after = after;
    while (a) {
        if (e->phase == PH_ENDED)
            return;
        if (a->kind == ACT_IF) {
            /* an if ends its line: its branches hold the rest */
            int holds = vars_cond(&e->vars, &a->cond);
            char cond[160], where[160];
            menu_cond_describe(&a->cond, cond, sizeof cond);
            snprintf(where, sizeof where, "%s:%d", a->loc.file, a->loc.line);
            engine_emit(e, EV_BRANCH, cond, holds ? "then" : "else", where);
            a = holds ? a->then_act : a->else_act;
            continue;
        }
        if (a->kind == ACT_FETCH) {
            if (engine_fetch(e, a, &a) != 0 || e->visit_id != visit)
                return;
            continue;
        }
        if (run_action(e, a, visit))
            return;
        a = a->next;
    }
    if (e->phase != PH_ENDED && e->visit_id == visit)
        chain_done(e, after);
}

