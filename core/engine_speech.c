/*
 * engine_speech.c: what the caller says: the recogniser each menu listens
 * with, and its results (or, in fast mode, the caller's own words) queued
 * as input for engine_input.c to weigh.
 */
#include "engine_internal.h"

#include <stdlib.h>
#include <string.h>

/* Fast mode: the words of the utterance the end-pointer just closed are
 * the last the caller began to say before now; words said before them
 * never made an utterance of their own (said where nobody listened). */
static char *take_caller_words(engine *e)
{
    char *words = NULL;
    int i;

    for (i = 0; i < e->nsaid; i++) {
        free(words);
        words = e->said[i];
    }
    e->nsaid = 0;
    return words ? words : strdup("");
}

void engine_on_speech(const asr_result *r, void *user)
{
    engine *e = user;
    pending_speech *p;

    if (e->nspeech == MAX_PENDING)
        return;
    p = &e->speech[e->nspeech];
    memset(p, 0, sizeof *p);
    p->start_ms = e->speech_start_ms;
    p->over_ivr = e->speech_over_ivr;
    if (r->undecoded) {
        p->text = take_caller_words(e);
        p->choice = p->text ? strdup(p->text) : NULL;
        p->confidence = 1.0;
        p->rejected = -1;   /* matched against the menu's phrases */
        p->threshold = 0;
    } else {
        /* a mono mix: the caller's answer may end what the recorded IVR
         * began (see engine_input.c) */
        int64_t head_ms = r->tail ? (r->tail->start - r->start) * 1000 /
                                    ENGINE_RATE - ASR_PRE_ROLL_MS : 0;
        p->coverage = r->coverage;
        p->rejected = r->rejected;
        if (e->o.input_has_ivr && r->tail &&
            engine_answer_after_ivr(e, p, r->tail, p->start_ms + head_ms)) {
            p->ivr_ms = head_ms > 0 ? head_ms : 1;
            p->start_ms += p->ivr_ms;
            r = r->tail;
        }
        p->text = strdup(r->text);
        p->choice = strdup(r->choice ? r->choice : r->text);
        p->confidence = r->confidence;
        p->rejected = r->rejected;
        p->threshold = r->threshold;
        p->coverage = r->coverage;
    }
    if (!p->text || !p->choice) {
        free(p->text);
        free(p->choice);
        return;
    }
    p->due_ms = -1;
    e->nspeech++;
}

void engine_caller_says(engine *e, const char *words)
{
    char *norm;

    /* with audio the recogniser decides what was said */
    if (!e->o.fast)
        return;
    if (!(norm = menu_normalise_phrase(words)))
        return;
    if (e->nsaid == MAX_PENDING) {
        free(e->said[0]);
        memmove(e->said, e->said + 1, (MAX_PENDING - 1) * sizeof *e->said);
        e->nsaid--;
    }
    e->said[e->nsaid++] = norm;
}

int engine_listen(engine *e, const menu_node *n)
{
    ivr_error err;
    asr_opts ao;

    if (!n->choices) {
        e->listening = 0;
        return 0;
    }
    ivr_error_clear(&err);
    if (!e->asr) {
        memset(&ao, 0, sizeof ao);
        ao.mode = ASR_CHOICES;
        ao.spec = n->choices;
        ao.min_confidence = e->o.min_confidence;
        /* fast mode finds utterances as the recogniser would, and takes
         * the words the caller said for what it would have heard */
        ao.no_decoder = e->o.fast;
        ao.decode_tail = e->o.input_has_ivr;
        e->asr = asr_new(ENGINE_RATE, &ao, engine_on_speech, e, &err);
        if (!e->asr)
            goto fail;
        e->own_asr = 1;
        if (asr_set_background(e->asr, e->o.real_time, &err)
                != IVR_OK)
            goto fail;
    } else if (asr_set_choices(e->asr, n->choices, &err) != IVR_OK) {
        goto fail;
    }
    e->listening = 1;
    return 0;
fail:
    {
        ivr_error located;
        ivr_error_set(&located, err.status, "%s:%d:%d: menu '%s': %s",
                      n->loc.file, n->loc.line, n->loc.col, n->name,
                      err.message);
        engine_fail(e, &located);
    }
    return -1;
}
