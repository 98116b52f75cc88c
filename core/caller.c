/*
 * caller.c: a scripted and recorded caller, mixed into frames.
 */
#include "caller.h"
#include "asr.h"
#include "menu.h"
#include "dtmf.h"
#include "echo.h"
#include "tts.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What the caller's phone sends: speech a little under the tones' level. */
#define SPEECH_PEAK 0.5f

typedef enum cue_kind { CUE_KEYS, CUE_SAY, CUE_FILE } cue_kind;

typedef struct cue {
    int64_t at;              /* sample the cue starts */
    cue_kind kind;
    char *text;              /* keys, words, or a file */
    /* while it plays (audio mode) */
    dtmf_generator *gen;
    int inband;              /* keys: their tones in the audio */
    int key_next;            /* keys: the next to hand to the sink */
    int64_t key_at;          /* ... at this sample */
    float *samples;
    size_t n, pos;
    int active, done;
} cue;

struct caller {
    const char *voice;
    const char *cache;
    tts_engine *tts;
    audio_reader *input;
    int input_done;
    asr_recognizer *ivr_talk;  /* an end-pointer on the recording's IVR */
    audio_reader *ivr_leg;     /* its leg (NULL: the input is a mix) */
    int ivr_leg_done;
    echo_canceller *echo;      /* its echo in the caller's leg */
    cue *cues;                /* by start time */
    int ncues;
    int first;                /* cues before it are done: a frame looks
                               * only at cues from here that have begun */
    int64_t pos;             /* samples made so far */
    int noise;               /* line noise on */
    double noise_dbm0;
    audio_rng rng;
    caller_key_fn key_sink;  /* keys sent apart from the audio */
    void *key_user;
    dtmf_gen_params keys;    /* their timing */
};

caller *caller_new(const char *voice, const char *tts_cache, ivr_error *err)
{
    caller *c = calloc(1, sizeof *c);

    if (!c) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    c->voice = voice ? voice : CALLER_DEFAULT_VOICE;
    c->cache = tts_cache;
    dtmf_gen_params_default(&c->keys);
    return c;
}

/* Keeps the cues in order of their start (after those that start at the
 * same time), so that a call of many steps costs what its steps do, not
 * their square. */
static int add_cue(caller *c, int64_t at, cue_kind kind, const char *text,
                   ivr_error *err)
{
    cue *cues = realloc(c->cues, (size_t)(c->ncues + 1) * sizeof *cues);
    char *copy = strdup(text);
    int lo = c->first, hi = c->ncues;

    if (cues)
        c->cues = cues;
    if (!cues || !copy) {
        free(copy);
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    }
    if (at < c->pos)
        at = c->pos;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (cues[mid].at <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(&cues[lo + 1], &cues[lo], (size_t)(c->ncues - lo) * sizeof *cues);
    memset(&cues[lo], 0, sizeof *cues);
    cues[lo].at = at;
    cues[lo].kind = kind;
    cues[lo].text = copy;
    c->ncues++;
    return IVR_OK;
}

int caller_press_at(caller *c, const char *keys, double ms, ivr_error *err)
{
    if (dtmf_dial_check(keys, err) != IVR_OK)
        return ivr_error_set(err, IVR_EUSAGE, "'%s' is not a string of keys "
                             "(0-9 * # A-D)", keys);
    return add_cue(c, (int64_t)(ms * ENGINE_RATE / 1000.0), CUE_KEYS, keys,
                   err);
}

int caller_say_at(caller *c, const char *words, double ms, ivr_error *err)
{
    return add_cue(c, (int64_t)(ms * ENGINE_RATE / 1000.0), CUE_SAY, words,
                   err);
}

int caller_play_at(caller *c, const char *path, double ms, ivr_error *err)
{
    return add_cue(c, (int64_t)(ms * ENGINE_RATE / 1000.0), CUE_FILE, path,
                   err);
}

void caller_set_noise(caller *c, double dbm0, uint64_t seed)
{
    c->noise = 1;
    c->noise_dbm0 = dbm0;
    audio_rng_seed(&c->rng, seed ? seed : 1);
}

double caller_time_ms(const caller *c)
{
    return (double)c->pos * 1000.0 / ENGINE_RATE;
}

/* "2s", "1500ms", "1m5s", or "2.5" (seconds): milliseconds. */
static int parse_time(const char *s, double *ms)
{
    switch (menu_duration(s, ms)) {
    case 0:
        return 0;
    case -2:
        *ms *= 1000.0;
        return 0;
    }
    return -1;
}

static int add_cues(caller *c, const char *spec, int speech, ivr_error *err)
{
    const char *opt = speech ? "--say" : "--keys";
    const char *p = spec;

    while (*p) {
        size_t n = strcspn(p, ",");
        char part[512], *at, *what, *end;
        double ms;

        if (n >= sizeof part)
            return ivr_error_set(err, IVR_EUSAGE, "%s: '%.40s...' is too "
                                 "long", opt, p);
        memcpy(part, p, n);
        part[n] = '\0';
        p += n + (p[n] == ',');
        at = strrchr(part, '@');
        if (!at)
            return ivr_error_set(err, IVR_EUSAGE, "%s: '%s' needs a time, "
                                 "such as '%s @2s'", opt, part, part);
        /* "1 @3s 42 @9s": two entries, the comma between them left out */
        if (strchr(part, '@') != at)
            return ivr_error_set(err, IVR_EUSAGE, "%s: '%s' has two times: "
                                 "a comma goes between entries, as in "
                                 "'%s'", opt, part,
                                 speech ? "billing @3s, yes @9s"
                                        : "1 @3s, 94110# @9s");
        *at = '\0';
        for (what = part; isspace((unsigned char)*what); what++)
            ;
        for (end = at; end > what && isspace((unsigned char)end[-1]); end--)
            end[-1] = '\0';
        while (isspace((unsigned char)at[1]))
            at++;
        {
            char *t = at + 1, *te = t + strlen(t);
            while (te > t && isspace((unsigned char)te[-1]))
                *--te = '\0';
            if (parse_time(t, &ms) != 0)
                return ivr_error_set(err, IVR_EUSAGE, "%s: '%s' is not a time "
                                     "(such as 2s, 1500ms, 1m5s or 1h)", opt,
                                     t);
        }
        if (!*what)
            return ivr_error_set(err, IVR_EUSAGE, "%s: nothing before '@'",
                                 opt);
        if (!speech && dtmf_dial_check(what, err) != IVR_OK)
            return ivr_error_set(err, IVR_EUSAGE, "--keys: '%s' is not a "
                                 "string of keys (0-9 * # A-D)", what);
        if (add_cue(c, (int64_t)(ms * ENGINE_RATE / 1000.0),
                    speech ? CUE_SAY : CUE_KEYS, what, err) != IVR_OK)
            return err->status;
        while (*p == ' ')
            p++;
    }
    return IVR_OK;
}

int caller_add_keys(caller *c, const char *spec, ivr_error *err)
{
    return add_cues(c, spec, 0, err);
}

int caller_add_say(caller *c, const char *spec, ivr_error *err)
{
    return add_cues(c, spec, 1, err);
}

void caller_set_input(caller *c, audio_reader *r)
{
    if (c->input)
        audio_reader_close(c->input);
    c->input = r;
}

int caller_set_recorded_ivr(caller *c, audio_reader *r, ivr_error *err)
{
    asr_opts o;

    memset(&o, 0, sizeof o);
    o.no_decoder = 1;
    if (!c->ivr_talk && !(c->ivr_talk = asr_new(ENGINE_RATE, &o, NULL, NULL,
                                                err))) {
        if (r)
            audio_reader_close(r);
        return err->status;
    }
    if (r && !c->echo &&
        !(c->echo = echo_canceller_new(ENGINE_RATE, ECHO_TAIL_MS, err))) {
        audio_reader_close(r);
        return err->status;
    }
    if (c->ivr_leg)
        audio_reader_close(c->ivr_leg);
    c->ivr_leg = r;
    return IVR_OK;
}

echo_canceller *caller_echo(caller *c)
{
    return c->ivr_leg ? c->echo : NULL;
}

/* A whole frame of r into out, short only at the end of the file (a
 * short read taken for the end would hang the caller up early). */
static long read_frame(audio_reader *r, float *out, ivr_error *err)
{
    return audio_reader_read_full(r, out, ENGINE_FRAME, err);
}

/* Hears the recording's IVR in this frame of the input (or of its leg,
 * whose echo then leaves the caller's). */
static int follow_recorded_ivr(caller *c, engine *e, float *in,
                               ivr_error *err)
{
    float leg[ENGINE_FRAME];

    if (c->ivr_leg && !c->ivr_leg_done) {
        long got = read_frame(c->ivr_leg, leg, err);
        if (got < 0)
            return -1;
        if (got < ENGINE_FRAME) {
            memset(leg + got, 0, (size_t)(ENGINE_FRAME - got) * sizeof *leg);
            c->ivr_leg_done = 1;
        }
        echo_canceller_process(c->echo, leg, in, ENGINE_FRAME);
        in = leg;
    } else if (c->ivr_leg) {
        memset(leg, 0, sizeof leg);
        in = leg;
    }
    if (asr_push(c->ivr_talk, in, ENGINE_FRAME, err) != IVR_OK)
        return -1;
    engine_recorded_ivr(e, asr_in_speech(c->ivr_talk));
    return 0;
}

static int open_voice(caller *c, ivr_error *err)
{
    tts_opts o;

    if (c->tts)
        return IVR_OK;
    memset(&o, 0, sizeof o);
    o.voice = c->voice;
    o.rate = ENGINE_RATE;
    o.cache_dir = c->cache;
    return (c->tts = tts_new(&o, err)) ? IVR_OK : err->status;
}

int caller_prepare_words(caller *c, const char *words, ivr_error *err)
{
    float *x = NULL;
    size_t n;

    if (open_voice(c, err) != IVR_OK ||
        tts_speak(c->tts, words, &x, &n, NULL, err) != IVR_OK)
        return err->status;
    free(x);
    return IVR_OK;
}

static int start_cue(caller *c, cue *q, ivr_error *err)
{
    if (q->kind == CUE_FILE) {
        audio_read_opts ro;
        audio_reader *r;
        float *buf = NULL;
        size_t n = 0, cap = 0;
        long got;
        memset(&ro, 0, sizeof ro);
        ro.rate = ENGINE_RATE;
        if (!(r = audio_reader_open(q->text, &ro, err)))
            return err->status;
        do {
            if (n + 4096 > cap) {
                float *b = realloc(buf, (cap = (n + 4096) * 2) * sizeof *b);
                if (!b) {
                    free(buf);
                    audio_reader_close(r);
                    return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
                }
                buf = b;
            }
            got = audio_reader_read(r, buf + n, 4096, err);
            if (got > 0)
                n += (size_t)got;
        } while (got > 0);
        audio_reader_close(r);
        if (got < 0) {
            free(buf);
            return err->status;
        }
        q->samples = buf;
        q->n = n;
        return IVR_OK;
    }
    if (q->kind == CUE_KEYS) {
        /* the generator times the keys even when they go apart */
        q->gen = dtmf_generator_new(q->text, ENGINE_RATE, &c->keys, err);
        q->inband = !c->key_sink;
        q->key_at = q->at;
        return q->gen ? IVR_OK : err->status;
    }
    if (open_voice(c, err) != IVR_OK)
        return err->status;
    if (tts_speak(c->tts, q->text, &q->samples, &q->n, NULL, err) != IVR_OK)
        return err->status;
    {
        /* the words as the IVR hears them: through the telephone band, at
         * a caller's level */
        float peak = 0;
        size_t i;
        audio_telephone_band(q->samples, q->n, ENGINE_RATE);
        for (i = 0; i < q->n; i++)
            if (fabsf(q->samples[i]) > peak)
                peak = fabsf(q->samples[i]);
        if (peak > 0)
            for (i = 0; i < q->n; i++)
                q->samples[i] *= SPEECH_PEAK / peak;
    }
    return IVR_OK;
}

void caller_set_key_sink(caller *c, caller_key_fn fn, void *user)
{
    c->key_sink = fn;
    c->key_user = user;
}

/* Hands the sink the keys of q that begin before sample end, as the
 * generator would have begun their tones; a key the sink will not take
 * and the rest of q sound in the audio. */
static void send_keys(caller *c, cue *q, int64_t end)
{
    const int64_t per_ms = ENGINE_RATE / 1000;

    while (!q->inband && q->text[q->key_next] && q->key_at < end) {
        char k = q->text[q->key_next];
        if (k == ',') {
            q->key_at += (int64_t)(c->keys.pause_ms * per_ms);
        } else if (c->key_sink(k, (int)c->keys.on_ms, c->key_user) != 0) {
            q->inband = 1;
            break;
        } else {
            q->key_at += (int64_t)((c->keys.on_ms + c->keys.off_ms) * per_ms);
        }
        q->key_next++;
    }
}

int caller_frame(caller *c, engine *e, float *out, ivr_error *err)
{
    int i, on_line = 1;

    memset(out, 0, ENGINE_FRAME * sizeof *out);
    if (c->input && !c->input_done) {
        long got = read_frame(c->input, out, err);
        if (got < 0)
            return -1;
        if (got < ENGINE_FRAME)
            c->input_done = 1;
        /* the recording's last, partial frame is still the caller on the
         * line (resampled from 44.1 kHz, a file that held the whole call
         * ends a few samples short of its last frame) */
        on_line = got > 0;
    } else if (c->input) {
        on_line = 0;
    }
    if (c->ivr_talk && e && follow_recorded_ivr(c, e, out, err) != 0)
        return -1;
    for (i = c->first; i < c->ncues && c->cues[i].at < c->pos + ENGINE_FRAME;
         i++) {
        cue *q = &c->cues[i];
        float buf[ENGINE_FRAME];
        size_t off, n, j;
        if (q->done)
            continue;
        if (!q->active) {
            if (start_cue(c, q, err) != IVR_OK)
                return -1;
            q->active = 1;
            if (q->kind == CUE_SAY && e)
                engine_caller_says(e, q->text);
        }
        off = q->at > c->pos ? (size_t)(q->at - c->pos) : 0;
        if (q->gen) {
            send_keys(c, q, c->pos + ENGINE_FRAME);
            n = dtmf_generator_read(q->gen, buf, ENGINE_FRAME - off);
            if (!q->inband)
                memset(buf, 0, n * sizeof *buf);
        } else {
            n = q->n - q->pos < ENGINE_FRAME - off ? q->n - q->pos
                                                    : ENGINE_FRAME - off;
            memcpy(buf, q->samples + q->pos, n * sizeof *buf);
            q->pos += n;
        }
        for (j = 0; j < n; j++)
            out[off + j] += buf[j];
        if (n < ENGINE_FRAME - off) {
            q->done = 1;
            dtmf_generator_free(q->gen);
            q->gen = NULL;
            free(q->samples);
            q->samples = NULL;
        }
    }
    while (c->first < c->ncues && c->cues[c->first].done)
        c->first++;
    if (c->noise)
        audio_add_noise(out, ENGINE_FRAME, c->noise_dbm0, &c->rng);
    c->pos += ENGINE_FRAME;
    return on_line;
}

void caller_free(caller *c)
{
    int i;

    if (!c)
        return;
    for (i = 0; i < c->ncues; i++) {
        free(c->cues[i].text);
        free(c->cues[i].samples);
        dtmf_generator_free(c->cues[i].gen);
    }
    free(c->cues);
    if (c->input)
        audio_reader_close(c->input);
    if (c->ivr_leg)
        audio_reader_close(c->ivr_leg);
    asr_free(c->ivr_talk);
    echo_canceller_free(c->echo);
    tts_free(c->tts);
    free(c);
}
