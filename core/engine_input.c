/*
 * engine_input.c: what the caller does: keys, speech, and the timers that
 * run out when the caller does nothing.
 *
 * Keys and speech arrive from the detector and the recogniser during a
 * frame (or are injected) and are handled here, after the audio of the
 * frame has been heard, in the order they came.
 */
#include "engine_internal.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUTS 256
/* A key's tone starts the recogniser's end-pointer too, and the DTMF
 * detector needs about 50 ms to be sure of it: speech stops a prompt only
 * once it has lasted this long with no key heard, so that a key pressed
 * during a message reaches its `during` action. */
#define SPEECH_BARGEIN_MS 160

static int allows(menu_bargein b, int dtmf)
{
    return b == BARGEIN_BOTH || b == (dtmf ? BARGEIN_DTMF : BARGEIN_SPEECH);
}

static void fire(engine *e, const menu_entry *entry, const char *input,
                 const char *var)
{
    char label[256];

    menu_entry_label(entry, label, sizeof label);
    engine_emit(e, EV_MATCH, input, label,
                !strcmp(var, "heard") ? "speech" : "key");
    engine_set_var(e, var, input, 0);
    e->ndigits = 0;
    e->digits[0] = '\0';
    e->deadline_ms = -1;
    engine_run_chain(e, entry->action, AFTER_REPROMPT);
}

static void exhausted(engine *e, const char *which)
{
    const menu_entry *x = menu_event_entry(e->m, e->cur, ENTRY_EXHAUSTED, 1);

    engine_emit(e, EV_EXHAUSTED, NULL, NULL, which);
    if (x)
        engine_run_chain(e, x->action, AFTER_HANGUP);
    else
        engine_end_call(e, ENGINE_END_EXHAUSTED);
}

static void failure(engine *e, menu_entry_kind kind, int count, int limit)
{
    const menu_entry *h;

    e->ndigits = 0;
    e->digits[0] = '\0';
    e->deadline_ms = -1;
    if (count >= limit) {
        exhausted(e, kind == ENTRY_NOINPUT ? "noinput" : "nomatch");
        return;
    }
    h = menu_event_entry(e->m, e->cur, kind, count);
    if (h)
        engine_run_chain(e, h->action, AFTER_REPROMPT);
    else
        engine_start_prompts(e, 0);
}

void engine_noinput(engine *e)
{
    engine_event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = EV_NOINPUT;
    ev.count = ++e->noinput_count;
    engine_emit_full(e, &ev);
    failure(e, ENTRY_NOINPUT, e->noinput_count,
            e->cur->settings.tries_noinput);
}

void engine_nomatch(engine *e, const char *input, const char *reason)
{
    engine_event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = EV_NOMATCH;
    ev.text = input;
    ev.reason = reason;
    ev.count = ++e->nomatch_count;
    engine_emit_full(e, &ev);
    failure(e, ENTRY_NOMATCH, e->nomatch_count,
            e->cur->settings.tries_nomatch);
}

/* ------------------------------------------------------------------------
 * Keys
 */

/* The entry whose key is exactly s, and whether s starts a longer key. */
static const menu_entry *key_entry(engine *e, const char *s, int *is_prefix)
{
    const menu_entry *in[MAX_INPUTS], *exact = NULL;
    int n = menu_inputs(e->m, e->cur, in, MAX_INPUTS), i, j;
    size_t len = strlen(s);

    *is_prefix = 0;
    for (i = 0; i < n; i++)
        for (j = 0; j < in[i]->nkeys; j++) {
            if (!strcmp(in[i]->keys[j], s)) {
                if (!exact)
                    exact = in[i];
            } else if (!strncmp(in[i]->keys[j], s, len)) {
                *is_prefix = 1;
            }
        }
    return exact;
}

static void finish_collect(engine *e, const char *how)
{
    const menu_collect *c = e->cur->collect;
    const menu_entry *done;
    char value[68], reason[96];
    int n = e->ndigits;

    snprintf(value, sizeof value, "%s", e->digits);
    e->ndigits = 0;
    e->digits[0] = '\0';
    e->deadline_ms = -1;
    if (n < c->min || n > c->max) {
        snprintf(reason, sizeof reason, "%d digit%s (%s), %s %d wanted",
                 n, n == 1 ? "" : "s", how, n < c->min ? "at least"
                 : "at most", n < c->min ? c->min : c->max);
        engine_nomatch(e, value, reason);
        return;
    }
    if (c->regex && regexec(c->regex, value, 0, NULL, 0) != 0) {
        engine_nomatch(e, value, "does not match the pattern");
        return;
    }
    engine_set_var(e, c->var, value, 0);
    engine_set_var(e, "collected_by", strcmp(how, "speech") ? "keys"
                                                             : "speech", 0);
    if (!strcmp(how, "max digits") && c->terminators[0]) {
        /* the caller who types the whole number and then # must not have
         * the # land in the next menu */
        e->swallow_until_ms = engine_now_ms(e) +
                              (int64_t)e->cur->settings.interdigit_ms;
        strcpy(e->swallow_keys, c->terminators);
    }
    done = menu_event_entry(e->m, e->cur, ENTRY_COLLECTED, 1);
    engine_emit(e, EV_MATCH, value, "collected", how);
    engine_run_chain(e, done->action, AFTER_REPROMPT);
}

static void key_input(engine *e, char k)
{
    const menu_collect *c = e->cur->collect;
    const menu_entry *exact;
    char one[2] = {k, 0};
    int prefix;

    if (c) {
        int terminator = strchr(c->terminators, k) != NULL;
        int digit = strchr(c->keys, k) != NULL;
        /* a key an entry binds is that entry when it comes first, and at
         * any point when the value is not made of it ("star returns to the
         * main menu from anywhere", also half way through a number) */
        exact = key_entry(e, one, &prefix);
        if (exact && (e->ndigits == 0 || (!terminator && !digit))) {
            fire(e, exact, one, "key");
        } else if (terminator) {
            finish_collect(e, "terminator");
        } else if (!digit) {
            char keys[70];
            snprintf(keys, sizeof keys, "%s%c", e->digits, k);
            engine_nomatch(e, keys, "a key that is not part of the value");
        } else {
            e->digits[e->ndigits++] = k;
            e->digits[e->ndigits] = '\0';
            if (e->ndigits >= c->max)
                finish_collect(e, "max digits");
            else
                engine_start_waiting(e);
        }
        return;
    }
    e->digits[e->ndigits++] = k;
    e->digits[e->ndigits] = '\0';
    exact = key_entry(e, e->digits, &prefix);
    if (exact && !prefix) {
        char keys[68];
        snprintf(keys, sizeof keys, "%s", e->digits);
        fire(e, exact, keys, "key");
    } else if (prefix) {
        engine_start_waiting(e);   /* the inter-digit timer */
    } else {
        char keys[68];
        snprintf(keys, sizeof keys, "%s", e->digits);
        engine_nomatch(e, keys, "no entry for this key");
    }
}

static const menu_during *during_for(const play_item *it, char k)
{
    int i;

    if (!it || !it->src)
        return NULL;
    for (i = 0; i < it->src->nduring; i++)
        if (it->src->during[i].key == k)
            return &it->src->during[i];
    return NULL;
}

static void handle_key(engine *e, char k)
{
    char one[2] = {k, 0};
    const play_item *it;
    const menu_during *d;

    engine_forget_speech(e);
    if (e->phase == PH_RECORDING) {
        const char *t = e->rec.action->record_terminators;
        engine_emit(e, EV_DTMF, one, NULL, strchr(t, k) ? NULL
                    : "recording");
        if (strchr(t, k)) {
            char why[16];
            snprintf(why, sizeof why, "key %c", k);
            record_stop(e, why, 1);
        }
        return;
    }
    if (engine_now_ms(e) <= e->swallow_until_ms && strchr(e->swallow_keys, k)) {
        e->swallow_until_ms = -1;
        engine_emit(e, EV_DTMF, one, NULL, "terminator after a complete "
                    "value");
        return;
    }
    if (e->phase == PH_PROMPTS) {
        it = play_current(e);
        if ((d = during_for(it, k))) {
            engine_emit(e, EV_DTMF, one, NULL, NULL);
            engine_emit(e, EV_MATCH, one, "during", "key");
            engine_run_chain(e, d->action, AFTER_NOTHING);
            return;
        }
        if (!it || !allows(it->bargein, 1)) {
            engine_emit(e, EV_DTMF, one, NULL, "no barge-in");
            return;
        }
        play_flush(e, "barge-in");
        e->phase = PH_WAITING;
    }
    if (e->phase != PH_WAITING) {
        engine_emit(e, EV_DTMF, one, NULL, "message playing");
        return;
    }
    engine_emit(e, EV_DTMF, one, NULL, NULL);
    key_input(e, k);
}

/* ------------------------------------------------------------------------
 * Speech
 */

/* What the caller was saying is dropped unheard: a key's tone is not a
 * word (and a key pressed while talking wins over the words), and an
 * utterance begun in one menu is no answer in the next. */
void engine_forget_speech(engine *e)
{
    int i;

    e->in_speech = 0;
    e->bargein_pending = 0;
    if (e->asr)
        asr_drop_utterance(e->asr);
    for (i = 0; i < e->nspeech; i++) {
        free(e->speech[i].text);
        free(e->speech[i].choice);
    }
    e->nspeech = 0;
}

void engine_speech_started(engine *e)
{
    if (e->phase == PH_PROMPTS && e->speech_ok) {
        play_flush(e, "barge-in");
        e->phase = PH_WAITING;
    }
    if (e->phase == PH_WAITING)
        e->deadline_ms = -1;
}

static const menu_entry *phrase_entry(engine *e, const char *choice)
{
    const menu_entry *in[MAX_INPUTS];
    int n = menu_inputs(e->m, e->cur, in, MAX_INPUTS), i, j;

    for (i = 0; i < n; i++)
        for (j = 0; j < in[i]->nphrases; j++)
            if (!strcmp(in[i]->phrases[j], choice))
                return in[i];
    return NULL;
}

/* A mono mix holds the IVR's prompts as well as the caller, and the
 * recording's IVR need not sound like this one (another voice, a person),
 * nor keep its timing: its prompts are recognised by what they are, not by
 * their audio. Speech that begins while this IVR is speaking is the
 * recording's IVR unless it is a whole answer: the words of a choice
 * covering most of what was heard (asr_result.coverage). Speech after the
 * prompts is the caller's unless it is a sentence the choices explain
 * little of (the recording's IVR still speaking, slower than this one).
 * Measured on the tuning voices of bench/replay.sh: the recorded IVR's
 * stretches are 2.2 to 14 s long with coverage 0.02 to 0.29; callers'
 * answers 0.7 to 1.4 s with 0.76 to 1.00 (a caller's words outside the
 * menu: 1.7 to 1.8 s, 0.23 to 1.00, which the 2 s bound keeps the
 * caller's). Returns why it was taken for the IVR, or NULL. */
#define ANSWER_COVERAGE 0.6
#define SENTENCE_COVERAGE 0.6
#define SENTENCE_MS 2000

static int is_answer(int rejected, double coverage)
{
    return !rejected && coverage >= ANSWER_COVERAGE;
}

/* A value said as digits is an answer when it could be the value: a
 * prompt ("... your eight digit account number ...") is heard by a digit
 * rule as a string of twenty digits, which no collection of at most eight
 * takes (the mono mixes of tests/replay: 20 and 39). */
static int digits_could_be_value(const engine *e, const pending_speech *p)
{
    const menu_collect *c = e->cur ? e->cur->collect : NULL;
    char value[68];
    int n;

    if (!p->choice || strcmp(p->choice, ASR_DIGITS_CHOICE))
        return 1;
    if (!c || menu_digits_from_words(p->text, c->speech, value,
                                     sizeof value) != 0)
        return 0;
    n = (int)strlen(value);
    return n >= c->min && n <= c->max;
}

static const char *recorded_ivr(const engine *e, const pending_speech *p)
{
    int answer = is_answer(p->rejected, p->coverage) &&
                 digits_could_be_value(e, p);

    if (p->over_ivr)
        return answer ? NULL : "it began while the IVR spoke";
    if (p->coverage < SENTENCE_COVERAGE &&
        engine_now_ms(e) - p->start_ms >= SENTENCE_MS)
        return "a sentence, not an answer";
    if (!digits_could_be_value(e, p) &&
        engine_now_ms(e) - p->start_ms >= SENTENCE_MS)
        return "more digits than any value";
    return NULL;
}

/* An utterance that began over the recorded IVR's prompt and ends, after
 * a pause, with a whole answer: the caller answered the instant the prompt
 * ended, and the end-pointer heard no end between the two voices. The
 * answer is the caller's. A prompt's own last words ("... press 0 or say
 * agent.", "Goodbye.") are such a part too, and a short one fits a choice
 * word as well as a caller's answer does: the part must begin after this
 * IVR's own prompt ended (the recorded one runs roughly in step), and the
 * recogniser must be sure of it. Measured on the tuning voices of
 * bench/replay.sh: callers' answers after a prompt 0.87 to 0.98, prompts'
 * endings at most 0.74. */
#define TAIL_CONFIDENCE 0.85

int engine_answer_after_ivr(const engine *e, const pending_speech *whole,
                            const asr_result *tail, int64_t tail_ms)
{
    /* begun while this IVR still spoke, it is most likely the recorded
     * IVR's own ending, in step with it */
    if (play_current(e) || tail_ms < e->audio_end_ms)
        return 0;
    return recorded_ivr(e, whole) &&
           is_answer(tail->rejected, tail->coverage) &&
           tail->confidence >= TAIL_CONFIDENCE;
}

static void ivr_stretch(engine *e, int64_t from_ms, int64_t ms,
                        const char *why)
{
    engine_event ev;
    char from[32];

    memset(&ev, 0, sizeof ev);
    ev.kind = EV_IVR_SPEECH;
    snprintf(from, sizeof from, "%.2f", from_ms / 1000.0);
    ev.text = from;
    ev.duration = ms / 1000.0;
    ev.reason = why;
    engine_emit_full(e, &ev);
}

/* A mono mix: speech the recording's IVR said is told as such and goes no
 * further (1); the caller's words over a prompt barge in now that they
 * are known to be the caller's (0). */
static int heard_recorded_ivr(engine *e, const pending_speech *p)
{
    const char *why;

    if (p->ivr_ms > 0)
        ivr_stretch(e, p->start_ms - p->ivr_ms, p->ivr_ms, "it began while "
                    "the IVR spoke; the caller's answer follows it");
    if (!(why = recorded_ivr(e, p))) {
        /* whether the caller may barge in is a matter of now, when the
         * words are known to be the caller's, not of when the sound that
         * carried them began */
        e->speech_ok = e->phase == PH_WAITING ||
                       (e->phase == PH_PROMPTS && play_current(e) &&
                        allows(play_current(e)->bargein, 0));
        if (e->phase == PH_PROMPTS && e->speech_ok) {
            play_flush(e, "barge-in");
            e->phase = PH_WAITING;
        }
        return 0;
    }
    ivr_stretch(e, p->start_ms, engine_now_ms(e) - p->start_ms, why);
    if (e->phase == PH_WAITING && e->deadline_ms < 0)
        engine_start_waiting(e);
    return 1;
}

static void handle_speech(engine *e, pending_speech *p)
{
    const menu_entry *entry = NULL;
    engine_event ev;
    const char *ignored = NULL;
    char conf[16], why[96], said[68];
    int digits = 0, injected = p->rejected < 0;
    /* words of the menu heard without enough confidence are not words
     * outside it, and the designer tuning a menu must see which it was */
    int unsure = p->rejected > 0 && p->confidence < p->threshold &&
                 *p->text && phrase_entry(e, p->text);

    e->in_speech = 0;
    if (e->o.input_has_ivr && p->rejected >= 0 && heard_recorded_ivr(e, p))
        return;
    if (!e->listening)
        ignored = "ignored: this menu takes no speech";
    else if (!e->speech_ok || e->phase != PH_WAITING)
        ignored = "ignored: no barge-in";
    if (!ignored && p->rejected < 0) {     /* injected words */
        entry = phrase_entry(e, p->text);
        p->rejected = !entry;
        if (entry) {
            free(p->choice);
            p->choice = strdup(entry->phrases[0]);
        }
    } else if (!ignored && !p->rejected) {
        entry = phrase_entry(e, p->choice);
    }
    /* a value said digit by digit, in a menu that takes one so */
    if (!ignored && !entry && e->cur->collect && e->cur->collect->speech &&
        (injected || (!p->rejected && p->choice &&
                      !strcmp(p->choice, ASR_DIGITS_CHOICE))) &&
        menu_digits_from_words(p->text, e->cur->collect->speech, said,
                               sizeof said) == 0 &&
        e->ndigits == 0) {
        p->rejected = 0;
        free(p->choice);
        p->choice = strdup(MENU_DIGITS_CHOICE);
        digits = 1;
    }
    memset(&ev, 0, sizeof ev);
    ev.kind = EV_SPEECH;
    ev.text = p->text;
    ev.name = p->rejected ? NULL : p->choice;
    ev.confidence = p->confidence;
    ev.reason = ignored ? ignored : unsure ? "low confidence"
              : p->rejected ? "no match" : NULL;
    engine_emit_full(e, &ev);
    if (ignored) {
        if (e->phase == PH_WAITING && e->deadline_ms < 0)
            engine_start_waiting(e);
        return;
    }
    engine_set_var(e, "heard", p->text, 0);
    snprintf(conf, sizeof conf, "%.2f", p->confidence);
    engine_set_var(e, "confidence", conf, 0);
    if (unsure) {
        snprintf(why, sizeof why, "confidence %.2f, under the %.2f needed",
                 p->confidence, p->threshold);
        engine_nomatch(e, p->text, why);
    } else if (digits) {
        snprintf(e->digits, sizeof e->digits, "%s", said);
        e->ndigits = (int)strlen(e->digits);
        finish_collect(e, "speech");
    } else if (p->rejected || !entry) {
        engine_nomatch(e, p->text, "not one of the choices");
    } else {
        fire(e, entry, p->choice ? p->choice : p->text, "heard");
    }
}

void engine_handle_inputs(engine *e)
{
    char keys[MAX_PENDING];
    int nkeys = e->nkeys, i;

    if (e->listening && e->asr && !e->in_speech &&
        asr_in_speech(e->asr)) {
        e->in_speech = 1;
        e->speech_ok = e->phase == PH_WAITING ||
                       (e->phase == PH_PROMPTS && play_current(e) &&
                        allows(play_current(e)->bargein, 0));
        e->speech_start_ms = engine_now_ms(e);
        e->speech_over_ivr = play_current(e) != NULL;
        /* in a mono mix, whose speech it is is known once it is decoded */
        e->bargein_pending = !e->o.input_has_ivr;
        if (e->phase == PH_WAITING)
            e->deadline_ms = -1;
    }
    if (e->bargein_pending && !e->in_speech)
        e->bargein_pending = 0;
    if (e->bargein_pending &&
        engine_now_ms(e) - e->speech_start_ms >= SPEECH_BARGEIN_MS) {
        e->bargein_pending = 0;
        engine_speech_started(e);
    }
    if (e->in_speech && e->asr && !asr_in_speech(e->asr) &&
        e->nspeech == 0 && e->nkeys == 0) {
        /* the end-pointer dropped what it took for speech (a click): no
         * result will come, and the timer must run again (a key's tone
         * dropped it: the key decides what happens) */
        e->in_speech = 0;
        if (e->phase == PH_WAITING && e->deadline_ms < 0)
            engine_start_waiting(e);
    }
    memcpy(keys, e->keys, (size_t)nkeys);
    e->nkeys = 0;
    for (i = 0; i < nkeys && e->phase != PH_ENDED; i++)
        handle_key(e, keys[i]);
    i = 0;
    while (i < e->nspeech) {
        pending_speech p = e->speech[i];
        if (p.due_ms >= 0 && p.due_ms > engine_now_ms(e)) {
            i++;
            continue;
        }
        memmove(&e->speech[i], &e->speech[i + 1],
                (size_t)(e->nspeech - i - 1) * sizeof *e->speech);
        e->nspeech--;
        if (e->phase != PH_ENDED)
            handle_speech(e, &p);
        free(p.text);
        free(p.choice);
    }
}

void engine_recorded_ivr(engine *e, int talking)
{
    e->recorded_ivr_talking = talking;
}

void engine_check_timers(engine *e)
{
    const menu_entry *exact;
    int prefix;

    if (e->phase == PH_WAITING && e->deadline_ms >= 0 &&
        e->recorded_ivr_talking) {
        engine_start_waiting(e);   /* from the top once it stops */
        return;
    }
    if (e->phase != PH_WAITING || e->deadline_ms < 0 ||
        engine_now_ms(e) < e->deadline_ms)
        return;
    e->deadline_ms = -1;
    if (e->ndigits == 0) {
        engine_noinput(e);
    } else if (e->cur->collect) {
        finish_collect(e, "inter-digit timeout");
    } else if ((exact = key_entry(e, e->digits, &prefix))) {
        char keys[68];
        snprintf(keys, sizeof keys, "%s", e->digits);
        fire(e, exact, keys, "key");
    } else {
        char keys[68];
        snprintf(keys, sizeof keys, "%s", e->digits);
        engine_nomatch(e, keys, "incomplete: the inter-digit timeout ran "
                       "out");
    }
}
