/*
 * asr.c: utterances out of a stream, decoded by pocketsphinx, checked
 * against a phone loop.
 *
 * The noise floor. The en-us model was trained on recorded speech, which
 * always carries some background. Synthetic speech has digital silence
 * between words, and telephone speech has nothing above 3.4 kHz: the log
 * energies of the mel filters that see such silence plunge far below
 * anything in training and drag every cepstral coefficient with them. A
 * white noise floor 30 dB under the utterance's level gives every filter a
 * level such as a recording has. Measured on menu phrases spoken by other
 * voices (bench/bench_asr.c, tuning menu, before rejection): 85% right at
 * 16 kHz without it and 99% with it; 90% and 94% over the 8 kHz telephone
 * band. Narrowing the
 * filter bank to the telephone band instead (-upperf 3500) is far worse,
 * 37% at 8 kHz: the cepstra then describe a differently warped spectrum.
 *
 * Telephone band. On top of the floor, band-limited utterances are decoded
 * with the model adapted to the telephone band (asr_band.c).
 *
 * Rejection. A grammar search always returns its best path, so a cough or
 * "pizza" comes back as the nearest menu choice. Each utterance is decoded
 * a second time by an unconstrained phone loop; the grammar's path can
 * never score better than the best phone sequence, and for speech inside
 * the grammar it scores close to it. The gap per frame (the margin) is the
 * evidence: past a threshold calibrated on in- and out-of-grammar speech,
 * the result is no match. The loop and what makes it cheap are in
 * asr_loop.c.
 */
#include "asr.h"
#include "asr_endpoint.h"
#include "asr_band.h"
#include "asr_internal.h"
#include "asr_phone_loop.h"
#include "audio.h"

#include <math.h>
#include <pthread.h>
#include <ckd_alloc.h>
#include <err.h>
#include <pocketsphinx.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define DEFAULT_MODEL "/usr/share/pocketsphinx/model/en-us"
#define PRE_ROLL_FRAMES (ASR_PRE_ROLL_MS / 10)
#define POST_ROLL_FRAMES 20  /* 200 ms after the last loud frame */

/* The noise floor under the utterance's level; see above. */
#define FLOOR_BELOW_DB 30.0
#define FLOOR_SEED 8000

/* The margin (path score per frame of speech against the phone loop, in
 * pocketsphinx's units) at which confidence is one half, and its spread.
 * Each is the loosest at which the tuning menu of bench/bench_asr.c still
 * rejects as much speech outside the choices as it did before the loop
 * skipped frames: 79 of 80 at 16 kHz (keeping 97.5% of the right answers);
 * telephone-band speech, which scores differently against the loop, at
 * least 77 of 80 in both 8 kHz conditions (78 and 79 at -23; 92.5% and 95%
 * right). */
#define MARGIN_AT_HALF (-25.5)
#define MARGIN_SPREAD 6.0
#define MARGIN_AT_HALF_NARROW (-23.0)
/* A choice is one phrase said alone: its words must lie on most of the
 * utterance's sound. A word the menu does not have gets a choice forced
 * onto part of it and the rest put down to silence, a path the margin
 * alone can score well (a human "invalid" taken for "lima" with a margin
 * above every right answer's). Below 60%: no match. Measured on the
 * tuning menus, at 16 kHz, 8 kHz and 8 kHz with 15 dB noise: outside
 * speech rejected 98.8 / 96.2 / 96.2% (was 97.5 / 91.2 / 95.0) with no
 * right answer lost; on the human tuning half, 35 and 40 of 55 off-menu
 * words (was 32 and 38) and all 12 menu words kept (at 75%, one lost). */
#define CHOICE_COVERAGE 0.6


static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int file_exists(const char *dir, const char *name)
{
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}


void asr_set_callback(asr_recognizer *a, asr_result_fn on_result, void *user)
{
    a->on_result = on_result;
    a->user = user;
}

static void init_endpointer(asr_recognizer *a, int rate, const asr_opts *o,
                            asr_result_fn on_result, void *user)
{
    a->mode = o->mode;
    a->decode_tail = o->decode_tail;
    a->min_confidence = o->min_confidence > 0 ? o->min_confidence
                                               : ASR_DEFAULT_MIN_CONFIDENCE;
    a->rate = rate;
    a->frame_len = rate / 100;
    a->on_result = on_result;
    a->user = user;
    asr_endpoint_init(&a->ep, o->end_silence_ms > 0 ? o->end_silence_ms : 700,
                      o->max_speech_ms > 0 ? o->max_speech_ms : 15000);
    asr_endpoint_set_long(&a->ep, o->long_speech_ms, o->short_silence_ms);
}

/* The same end-pointer with nothing behind it (opts.no_decoder). */
static asr_recognizer *endpointer_new(int rate, const asr_opts *o,
                                      asr_result_fn on_result, void *user,
                                      ivr_error *err)
{
    asr_recognizer *a = calloc(1, sizeof *a);

    if (!a) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    init_endpointer(a, rate, o, on_result, user);
    return a;
}

/* pocketsphinx logs through one FILE of the process's, which a decoder
 * given -logfn opens anew, closing the last one's: recognisers loaded on
 * two threads at once (sim_pool.c's loader and a SIP call's own) could
 * close the FILE another thread was writing to, and each load left a
 * descriptor open. Its log is no user's business: it goes nowhere, set
 * once for the process. */
static void discard_log(void *user, err_lvl_t level, const char *fmt, ...)
{
    (void)user;
    (void)level;
    (void)fmt;
}

static void silence_pocketsphinx(void)
{
    err_set_logfp(NULL);   /* where cmd_ln_init prints its settings */
    err_set_callback(discard_log, NULL);
}

ps_decoder_t *asr_load_decoder(const char *hmm, const char *dict,
                               const char *downsample)
{
    cmd_ln_t *config = cmd_ln_init(NULL, ps_args(), TRUE, "-hmm", hmm,
                                   "-dict", dict, "-ds", downsample,
                                   "-remove_silence", "no",
                                   "-samprate", "16000",
                                   "-allphone_ci", "yes", NULL);
    ps_decoder_t *ps = config ? ps_init(config) : NULL;

    if (config)
        cmd_ln_free_r(config);   /* the decoder holds its own reference */
    return ps;
}

asr_recognizer *asr_new(int rate, const asr_opts *opts, asr_result_fn on_result,
                        void *user, ivr_error *err)
{
    static pthread_once_t silenced = PTHREAD_ONCE_INIT;
    static const asr_opts defaults = {0};
    const asr_opts *o = opts ? opts : &defaults;
    const char *model = o->model_dir ? o->model_dir : getenv("IVR_ASR_MODEL");
    char hmm[4096], dict[4096], phones[4096];
    asr_recognizer *a;
    double t0 = now();

    if (!model || !*model)
        model = DEFAULT_MODEL;
    if (strlen(model) > 3000) {
        ivr_error_set(err, IVR_EUSAGE, "model path too long");
        return NULL;
    }
    if (rate < AUDIO_RATE_MIN || rate > AUDIO_RATE_MAX) {
        ivr_error_set(err, IVR_EUSAGE, "rate %d Hz is outside %d..%d", rate,
                      AUDIO_RATE_MIN, AUDIO_RATE_MAX);
        return NULL;
    }
    if (o->no_decoder)
        return endpointer_new(rate, o, on_result, user, err);
    snprintf(hmm, sizeof hmm, "%s/en-us", model);
    snprintf(dict, sizeof dict, "%s/cmudict-en-us.dict", model);
    snprintf(phones, sizeof phones, "%s/en-us-phone.lm.bin", model);
    if (!file_exists(hmm, "mdef") || !file_exists(model, "cmudict-en-us.dict")
        || !file_exists(model, "en-us-phone.lm.bin")) {
        ivr_error_set(err, IVR_EMISSING, "speech model not found in %s "
                      "(install the Debian package %s)", model,
                      MODEL_PACKAGE);
        return NULL;
    }
    a = calloc(1, sizeof *a);
    if (!a) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    pthread_once(&silenced, silence_pocketsphinx);
    if (!(a->ps = asr_load_decoder(hmm, dict, "1")) ||
        !(a->hmm = strdup(hmm))) {
        ivr_error_set(err, IVR_EMISSING, "speech model in %s does not load "
                      "(reinstall the Debian package %s)", model,
                      MODEL_PACKAGE);
        if (a->ps)
            ps_free(a->ps);
        free(a);
        return NULL;
    }
    init_endpointer(a, rate, o, on_result, user);
    if (asr_band_init(&a->band) != 0) {
        ivr_error_set(err, IVR_EINTERNAL, "the telephone-band transform "
                      "does not load");
        asr_free(a);
        return NULL;
    }
    /* a recogniser that judges its answers loads its yardstick now, so
     * that a model that does not load says so before the first caller */
    if (asr_search_init(a, o, model, err) != IVR_OK ||
        ((o->mode == ASR_CHOICES || o->mode == ASR_GRAMMAR) &&
         asr_loop_ready(a) != 0)) {
        if (err && err->status == IVR_OK)
            ivr_error_set(err, IVR_EMISSING, "%s: cannot load the phone "
                          "model (package %s)", phones, MODEL_PACKAGE);
        asr_free(a);
        return NULL;
    }
    a->load_seconds = now() - t0;
    return a;
}


/* One search of ps over an utterance given as pcm (16 kHz), or as its
 * cepstra when cep is given (computed by the same front end: the same
 * decoding, without computing them twice); see asr_run_search. */
static double run_search(ps_decoder_t *ps, const char *name,
                         const int16_t *pcm, size_t n, float **cep, int ncep,
                         char *text, size_t size, int *frames)
{
    const char *hyp;
    int32 score = 0;

    ps_set_search(ps, name);
    /* the front end's noise removal keeps its estimate for a whole stream,
     * and a stream would otherwise be every utterance since the model
     * loaded: each search starts one of its own, so that a result depends
     * on its audio alone, not on the files or calls decoded before it */
    ps_start_stream(ps);
    ps_start_utt(ps);
    if (cep)
        ps_process_cep(ps, cep, ncep, FALSE, TRUE);
    else
        ps_process_raw(ps, pcm, n, FALSE, TRUE);
    ps_end_utt(ps);
    hyp = ps_get_hyp(ps, &score);
    if (text)
        snprintf(text, size, "%s", hyp ? hyp : "");
    if (frames) {
        /* frames of speech only: silence fits the phone loop and the
         * grammar alike, and padding must not dilute the margin */
        ps_seg_t *it;
        int speech = 0;
        for (it = ps_seg_iter(ps); it; it = ps_seg_next(it)) {
            const char *w = ps_seg_word(it);
            int sf, ef;
            if (w[0] == '<' || w[0] == '[' || w[0] == '+')
                continue;
            ps_seg_frames(it, &sf, &ef);
            speech += ef - sf + 1;
        }
        *frames = speech > 0 ? speech : ps_get_n_frames(ps);
    }
    /* pocketsphinx's own units: only differences per frame are used */
    return (double)score;
}

double asr_run_search(ps_decoder_t *ps, const char *name,
                      const int16_t *pcm, size_t n, char *text, size_t size,
                      int *frames)
{
    return run_search(ps, name, pcm, n, NULL, 0, text, size, frames);
}

/* A result to the callback, or, on the decoding thread, kept for the
 * caller's (asr_async.c). */
static void emit(asr_recognizer *a, const asr_result *r)
{
    if (a->holding)
        asr_async_hold(a, r);
    else if (a->on_result)
        a->on_result(r, a->user);
}

typedef struct keyword_hit {
    int start, end;   /* frames of 10 ms into the utterance */
    char words[256];
} keyword_hit;

static int hit_order(const void *x, const void *y)
{
    const keyword_hit *a = x, *b = y;
    return (a->start > b->start) - (a->start < b->start);
}

/* Keyword spotting: each keyword found is a result of its own, with its
 * own time, in the order it was said (pocketsphinx's hypothesis lists them
 * latest first, under one span for the whole utterance). */
static void report_keywords(asr_recognizer *a, asr_result *r)
{
    keyword_hit hits[64];
    int n = 0, i;
    ps_seg_t *it;
    int64_t start = r->start;

    for (it = ps_seg_iter(a->ps); it && n < 64; it = ps_seg_next(it)) {
        const char *w = ps_seg_word(it);
        if (w[0] == '<' || w[0] == '[' || w[0] == '+')
            continue;
        ps_seg_frames(it, &hits[n].start, &hits[n].end);
        size_t len = strlen(w);
        /* pocketsphinx pads a keyword with a space */
        while (len > 0 && w[len - 1] == ' ')
            len--;
        snprintf(hits[n].words, sizeof hits[n].words, "%.*s", (int)len, w);
        n++;
    }
    if (it)
        ps_seg_free(it);
    if (n == 0) {
        r->text = r->choice = "";
        r->rejected = 1;
        emit(a, r);
        return;
    }
    qsort(hits, (size_t)n, sizeof *hits, hit_order);
    for (i = 0; i < n; i++) {
        r->text = r->choice = hits[i].words;
        r->rejected = 0;
        r->confidence = 1.0;
        r->start = start + (int64_t)hits[i].start * a->frame_len;
        r->end = start + (int64_t)(hits[i].end + 1) * a->frame_len;
        emit(a, r);
    }
}

/* Decodes frames [from, end) of an utterance whose audio is x at the input
 * rate and pcm (floored) at the model's, into r and text. */
static void score_part(asr_recognizer *a, const int16_t *pcm, size_t pn,
                       const span_levels *lv, size_t from, int narrow,
                       char *text, size_t size, asr_result *r)
{
    size_t skip = from * (DECODE_RATE / 100);
    int frames = 0, judged;
    double s_main, s_loop = 0;
    const pl_cepstra *cep;

    pcm += skip < pn ? skip : pn;
    pn -= skip < pn ? skip : pn;
    judged = a->mode == ASR_CHOICES || a->mode == ASR_GRAMMAR;
    /* a judged answer's search and the phone loop's hear the same
     * cepstra: computed once, by the loop's front end */
    cep = judged ? asr_loop_cepstra(a, pcm, pn) : NULL;
    s_main = run_search(a->ps, "main", pcm, pn, cep ? cep->x : NULL,
                        cep ? cep->n : 0, text, size, &frames);
    r->text = text;
    r->narrowband = narrow;
    r->coverage = *text ? asr_word_coverage(a, lv, from) : 0.0;
    if (judged) {
        double half = narrow ? MARGIN_AT_HALF_NARROW : MARGIN_AT_HALF;
        if ((cep ? asr_loop_score_cepstra(a, narrow, &s_loop)
                 : asr_loop_score(a, pcm, pn, narrow, &s_loop)) != 0)
            frames = 0;   /* out of memory: nothing to judge it by */
        r->margin = frames > 0 ? (s_main - s_loop) / frames : -1000.0;
        r->confidence = *text ? 1.0 / (1.0 + exp(-(r->margin - half) /
                                                 MARGIN_SPREAD))
                              : 0.0;
        r->rejected = !*text || r->confidence < a->min_confidence ||
                      (a->mode == ASR_CHOICES &&
                       r->coverage < CHOICE_COVERAGE);
        r->threshold = a->min_confidence;
    } else {
        r->rejected = !*text;
        r->confidence = *text ? 1.0 : 0.0;
        if (a->mode == ASR_WORDS) {
            asr_note_word_ends(a, text, from);
            r->word_end = a->word_end;
            r->nwords = a->nwords;
        }
        if (a->mode == ASR_WORDS && a->nlisten > 0) {
            int i;
            asr_check_phrases(a, pcm, pn, text);
            for (i = 0; i < a->nlisten; i++)
                a->listen_end[i] += (int64_t)from * a->frame_len;
            r->phrases_said = a->listen_said;
            r->phrases_end = a->listen_end;
        }
    }
    r->choice = a->mode == ASR_CHOICES ? asr_choice_of(a, text) : text;
}

static int decode_span(asr_recognizer *a, const float *x, size_t n,
                       int64_t start, ivr_error *err)
{
    float *w;
    size_t wn, i, tail_at;
    int16_t *pcm;
    int narrow;
    span_levels lv;
    asr_result r, tail;

    if (audio_resample(x, n, a->rate, DECODE_RATE, &w, &wn, err) != IVR_OK)
        return err ? err->status : IVR_EINTERNAL;
    narrow = a->rate < DECODE_RATE || asr_band_is_narrow(w, wn, DECODE_RATE);
    asr_band_select(&a->band, 0, a->ps, narrow);
    /* the same floor for the same utterance, whatever came before it: a
     * result must not depend on the history of the stream */
    audio_rng_seed(&a->rng, FLOOR_SEED);
    audio_add_noise(w, wn, audio_level_dbm0(w, wn) - FLOOR_BELOW_DB, &a->rng);
    pcm = malloc((wn ? wn : 1) * sizeof *pcm);
    if (!pcm || asr_span_levels(a, x, n, &lv) != 0) {
        free(w);
        free(pcm);
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    }
    for (i = 0; i < wn; i++) {
        float v = w[i] * 32768.0f;
        pcm[i] = (int16_t)(v > 32767.0f ? 32767 : v < -32768.0f ? -32768 : v);
    }
    free(w);
    memset(&r, 0, sizeof r);
    score_part(a, pcm, wn, &lv, 0, narrow, a->text, sizeof a->text, &r);
    r.start = start;
    r.end = start + (int64_t)n;
    if (a->decode_tail && a->mode == ASR_CHOICES &&
        (tail_at = asr_tail_frame(&lv)) > 0) {
        memset(&tail, 0, sizeof tail);
        score_part(a, pcm, wn, &lv, tail_at, narrow, a->tail_text,
                   sizeof a->tail_text, &tail);
        tail.start = start + (int64_t)(tail_at * (size_t)a->frame_len);
        tail.end = r.end;
        r.tail = &tail;
    }
    free(pcm);
    free(lv.db);
    if (a->mode == ASR_KEYWORDS)
        report_keywords(a, &r);
    else
        emit(a, &r);
    return IVR_OK;
}

int asr_decode_held(asr_recognizer *a, const float *x, size_t n,
                    int64_t start, ivr_error *err)
{
    int status;

    a->holding = 1;
    status = decode_span(a, x, n, start, err);
    a->holding = 0;
    return status;
}

int asr_decode(asr_recognizer *a, const float *x, size_t n, ivr_error *err)
{
    int status;

    if (!a->ps)
        return ivr_error_set(err, IVR_EUSAGE, "an end-pointer alone decodes "
                             "nothing");
    asr_async_wait(a);
    if ((status = asr_async_deliver(a, err)) != IVR_OK)
        return status;
    return decode_span(a, x, n, a->pos, err);
}

/* Keeps a little audio while nobody talks, for the pre-roll. */
static void trim_silence(asr_recognizer *a)
{
    size_t keep = (size_t)(PRE_ROLL_FRAMES + 10) * (size_t)a->frame_len;

    if (a->ep.in_speech || a->len <= 2 * keep)
        return;
    memmove(a->buf, a->buf + a->len - keep, keep * sizeof *a->buf);
    a->buf_start += (int64_t)(a->len - keep);
    a->len = keep;
}

/* The utterance [utt_start, end) is complete: decode it and drop it. */
static int finish_utterance(asr_recognizer *a, int64_t end, ivr_error *err)
{
    int64_t from = a->utt_start - a->buf_start, to = end - a->buf_start;
    int status;

    if (!a->ps) {
        asr_result r;
        memset(&r, 0, sizeof r);
        r.text = r.choice = "";
        r.rejected = 1;
        r.undecoded = 1;
        r.start = a->utt_start < 0 ? 0 : a->utt_start;
        r.end = end;
        if (a->on_result)
            a->on_result(&r, a->user);
        return IVR_OK;
    }
    if (from < 0)
        from = 0;
    if (to > (int64_t)a->len)
        to = (int64_t)a->len;
    if (to <= from)
        status = IVR_OK;
    else if (a->async)
        status = asr_async_submit(a, a->buf + from, (size_t)(to - from),
                                  a->buf_start + from, err);
    else
        status = decode_span(a, a->buf + from, (size_t)(to - from),
                             a->buf_start + from, err);
    if (to > 0) {
        memmove(a->buf, a->buf + to, (a->len - (size_t)to) * sizeof *a->buf);
        a->len -= (size_t)to;
        a->buf_start += to;
    }
    return status;
}

int asr_push(asr_recognizer *a, const float *x, size_t n, ivr_error *err)
{
    size_t i;
    int status;

    if (a->async && (status = asr_async_deliver(a, err)) != IVR_OK)
        return status;
    /* without a decoder the audio need not be kept */
    if (a->ps && asr_input_keep(a, x, n, err) != IVR_OK)
        return IVR_EINTERNAL;
    for (i = 0; i < n;) {
        asr_ep_event ev;
        /* the samples up to the end of the 10 ms frame */
        size_t take = (size_t)(a->frame_len - a->frame_fill);
        if (take > n - i)
            take = n - i;
        asr_input_frame_add(a, x + i, take);
        a->frame_fill += (int)take;
        i += take;
        if (a->frame_fill < a->frame_len)
            continue;
        if (a->tone) {
            asr_endpoint_skip(&a->ep);
            ev = ASR_EP_NONE;
        } else {
            ev = asr_endpoint_frame(&a->ep, asr_input_frame_level(a));
        }
        switch (ev) {
        case ASR_EP_START:
            a->utt_start = (a->ep.start_frame - PRE_ROLL_FRAMES) *
                           a->frame_len;
            if (a->utt_start < a->tone_end)
                a->utt_start = a->tone_end;
            break;
        case ASR_EP_END: {
            int64_t end = (a->ep.end_frame + POST_ROLL_FRAMES) * a->frame_len;
            status = finish_utterance(a, end, err);
            if (status != IVR_OK)
                return status;
            break;
        }
        case ASR_EP_NONE:
            break;
        }
        a->frame_energy = a->frame_sum = 0;
        a->frame_fill = 0;
    }
    a->pos += (int64_t)n;
    trim_silence(a);
    return IVR_OK;
}

void asr_drop_utterance(asr_recognizer *a)
{
    a->ep.in_speech = 0;
    a->ep.history = 0;
    a->ep.quiet = 0;
    trim_silence(a);
}

void asr_set_tone(asr_recognizer *a, int sounding)
{
    if (sounding && !a->tone)
        asr_drop_utterance(a);
    if (!sounding && a->tone)
        a->tone_end = a->pos;
    a->tone = sounding;
}

int asr_set_rate(asr_recognizer *a, int rate, ivr_error *err)
{
    if (rate < AUDIO_RATE_MIN || rate > AUDIO_RATE_MAX)
        return ivr_error_set(err, IVR_EUSAGE, "rate %d Hz is outside "
                             "%d..%d", rate, AUDIO_RATE_MIN, AUDIO_RATE_MAX);
    a->rate = rate;
    a->frame_len = rate / 100;
    asr_reset(a);
    return IVR_OK;
}

void asr_reset(asr_recognizer *a)
{
    asr_async_drop(a);
    asr_endpoint_init(&a->ep, a->ep.end_frames * 10.0, a->ep.max_frames * 10.0);
    a->len = 0;
    a->buf_start = 0;
    a->pos = 0;
    a->utt_start = 0;
    a->tone = 0;
    a->tone_end = 0;
    a->frame_energy = a->frame_sum = 0;
    a->dc = 0.0;
    a->frame_fill = 0;
}

int asr_flush(asr_recognizer *a, ivr_error *err)
{
    int status = IVR_OK;

    if (a->ep.in_speech)
        status = finish_utterance(a, a->buf_start + (int64_t)a->len, err);
    /* the stream's last results come now, whichever thread decodes */
    asr_async_wait(a);
    if (status == IVR_OK)
        status = asr_async_deliver(a, err);
    /* the next push starts a new stream at sample 0 */
    asr_reset(a);
    return status;
}

int asr_in_speech(const asr_recognizer *a)
{
    return a->ep.in_speech || asr_async_pending(a);
}

int asr_set_background(asr_recognizer *a, int on, ivr_error *err)
{
    if (!on) {
        asr_async_stop(a);
        return IVR_OK;
    }
    /* an end-pointer alone has nothing to decode */
    return a->ps ? asr_async_start(a, err) : IVR_OK;
}

int asr_poll(asr_recognizer *a, ivr_error *err)
{
    return a->async ? asr_async_deliver(a, err) : IVR_OK;
}

double asr_load_seconds(const asr_recognizer *a)
{
    return a->load_seconds;
}

void asr_free(asr_recognizer *a)
{
    if (!a)
        return;
    asr_async_stop(a);
    if (a->ps)
        ps_free(a->ps);
    asr_loop_free(a);
    free(a->hmm);
    asr_band_free(&a->band);
    asr_search_free(a);
    free(a->buf);
    free(a);
}
