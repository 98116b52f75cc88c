/*
 * engine_play.c: the IVR's side of the call, a queue of things to play.
 *
 * Items are prepared when they start, not when queued: text is synthesised
 * (or fetched from the prompt cache) and files are opened at that moment,
 * and files stream, so a long message costs no memory. In fast mode an item
 * only has a length, the one it has with audio: spoken text as long as
 * flite says it (tts_length: remembered, or read from the cache), files
 * from their headers. On a real-time line, text not in the cache is
 * synthesised in the background (engine_synth.c) and the item starts
 * when its audio is there.
 */
#include "engine_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BEEP_MS 200.0
#define BEEP_HZ 1000.0

int play_push(engine *e, play_kind kind, const char *label, const char *voice,
              const menu_item *src, menu_bargein bargein, double ms)
{
    play_queue *q = &e->q;
    play_item *it;

    if (q->head > 0 && q->head == q->n)
        q->head = q->n = 0;
    if (q->n == q->cap) {
        int cap = q->cap ? q->cap * 2 : 8;
        play_item *items = realloc(q->items, (size_t)cap * sizeof *items);
        if (!items)
            return -1;
        q->items = items;
        q->cap = cap;
    }
    it = &q->items[q->n];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->label = strdup(label ? label : "");
    if (!it->label)
        return -1;
    it->voice = voice;
    it->src = src;
    it->bargein = bargein;
    it->total = kind == PLAY_SILENCE ? (int64_t)(ms * ENGINE_RATE / 1000.0)
                                     : -1;
    q->n++;
    return 0;
}

static tts_engine *voice_engine(engine *e, const char *voice, ivr_error *err)
{
    tts_opts o;
    int i;

    for (i = 0; i < e->nvoices; i++)
        if (!strcmp(e->voices[i].voice, voice))
            return e->voices[i].t;
    if (e->nvoices == MAX_VOICES) {
        ivr_error_set(err, IVR_EINPUT, "more than %d voices in one call",
                      MAX_VOICES);
        return NULL;
    }
    memset(&o, 0, sizeof o);
    o.voice = voice;
    o.rate = ENGINE_RATE;
    o.cache_dir = e->o.tts_cache;
    e->voices[e->nvoices].t = tts_new(&o, err);
    if (!e->voices[e->nvoices].t)
        return NULL;
    e->voices[e->nvoices].voice = voice;
    return e->voices[e->nvoices++].t;
}

/* Spoken text on a real-time line: from the cache at once, else from a
 * synthesis in the background, started now and taken when it is done. */
static int prepare_real_time(tts_engine *t, play_item *it, ivr_error *err)
{
    size_t n = 0;
    int status;

    if (!it->synth) {
        if (tts_recall(t, it->label, &it->samples, &n)) {
            it->total = (int64_t)n;
            return IVR_OK;
        }
        if (!(it->synth = synth_start(it->label, it->voice,
                                      tts_cache_dir(t), err)))
            return err->status;
    }
    status = synth_take(it->synth, &it->samples, &n, err);
    if (status == SYNTH_PENDING)
        return SYNTH_PENDING;
    it->synth = NULL;
    it->total = (int64_t)n;
    return status;
}

/* Gives an item its audio (or, in fast mode, its length); SYNTH_PENDING
 * while it is being synthesised. */
static int prepare(engine *e, play_item *it, ivr_error *err)
{
    size_t n, i;

    switch (it->kind) {
    case PLAY_SILENCE:
        return IVR_OK;
    case PLAY_BEEP:
        it->total = (int64_t)(BEEP_MS * ENGINE_RATE / 1000.0);
        if (e->o.fast)
            return IVR_OK;
        it->samples = malloc((size_t)it->total * sizeof *it->samples);
        if (!it->samples)
            return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        for (i = 0; i < (size_t)it->total; i++)
            it->samples[i] = (float)(audio_dbm0_to_peak(-10.0) *
                                     sin(2.0 * M_PI * BEEP_HZ * (double)i /
                                         ENGINE_RATE));
        return IVR_OK;
    case PLAY_SAY: {
        tts_engine *t;
        if (!(t = voice_engine(e, it->voice, err)))
            return err->status;
        if (e->o.fast) {
            if (tts_length(t, it->label, &n, err) != IVR_OK)
                return err->status;
            it->total = (int64_t)n;
            return IVR_OK;
        }
        if (e->o.real_time)
            return prepare_real_time(t, it, err);
        if (tts_speak(t, it->label, &it->samples, &n, NULL, err) != IVR_OK)
            return err->status;
        it->total = (int64_t)n;
        return IVR_OK;
    }
    case PLAY_FILE: {
        audio_read_opts ro;
        audio_reader *r;
        memset(&ro, 0, sizeof ro);
        ro.rate = ENGINE_RATE;
        r = audio_reader_open(it->label, &ro, err);
        if (!r)
            return err->status;
        if (e->o.fast) {
            int64_t frames = audio_reader_file_frames(r);
            it->total = frames < 0 ? 0 : frames * ENGINE_RATE /
                                         audio_reader_file_rate(r);
            audio_reader_close(r);
            return IVR_OK;
        }
        it->reader = r;
        it->total = INT64_MAX;   /* until the reader says it is done */
        return IVR_OK;
    }
    }
    return IVR_OK;
}

static void finish(engine *e, play_item *it, const char *reason)
{
    engine_event ev;

    if (it->started) {
        memset(&ev, 0, sizeof ev);
        ev.kind = EV_PROMPT_END;
        ev.text = it->label;
        ev.reason = reason;
        ev.duration = (double)it->pos / ENGINE_RATE;
        engine_emit_full(e, &ev);
    }
    free(it->label);
    free(it->samples);
    synth_abandon(it->synth);
    if (it->reader)
        audio_reader_close(it->reader);
    memset(it, 0, sizeof *it);
    e->q.head++;
}

int play_render(engine *e, float *out, size_t n)
{
    play_queue *q = &e->q;
    size_t done = 0;
    int emptied = 0;
    ivr_error err;
    float scratch[ENGINE_FRAME];

    if (!out && !e->o.fast) {   /* the audio is made even if nobody hears it */
        out = scratch;
        if (n > ENGINE_FRAME)
            n = ENGINE_FRAME;
    }
    if (out)
        memset(out, 0, n * sizeof *out);
    while (done < n && q->head < q->n) {
        play_item *it = &q->items[q->head];
        size_t want = n - done, got = 0;
        e->emit_offset = (int)done;
        if (!it->started) {
            int status;
            ivr_error_clear(&err);
            /* its audio is on the way: the line is silent meanwhile */
            if ((status = prepare(e, it, &err)) == SYNTH_PENDING)
                break;
            if (status != IVR_OK) {
                finish(e, it, "failed");
                engine_fail(e, &err);
                e->emit_offset = 0;
                return 0;
            }
            it->started = 1;
            engine_emit(e, EV_PROMPT_START, it->label,
                        it->kind == PLAY_FILE ? "file" :
                        it->kind == PLAY_SAY ? "say" :
                        it->kind == PLAY_BEEP ? "beep" : "silence", NULL);
        }
        if (it->reader) {
            long r;
            ivr_error_clear(&err);
            r = audio_reader_read(it->reader, out ? out + done : NULL, want,
                                  &err);
            if (r < 0) {
                finish(e, it, "failed");
                engine_fail(e, &err);
                e->emit_offset = 0;
                return 0;
            }
            got = (size_t)r;
            if (got == 0)
                it->total = it->pos;
        } else {
            int64_t left = it->total - it->pos;
            got = left < (int64_t)want ? (size_t)left : want;
            if (out && it->samples)
                memcpy(out + done, it->samples + it->pos, got * sizeof *out);
        }
        it->pos += (int64_t)got;
        done += got;
        if (it->pos >= it->total) {
            e->emit_offset = (int)done;
            finish(e, it, "done");
            if (q->head == q->n)
                emptied = 1;
        }
    }
    e->emit_offset = 0;
    return emptied;
}

void play_flush(engine *e, const char *reason)
{
    while (e->q.head < e->q.n)
        finish(e, &e->q.items[e->q.head], reason);
    e->q.head = e->q.n = 0;
}

int play_busy(const engine *e)
{
    return e->q.head < e->q.n;
}

const play_item *play_current(const engine *e)
{
    return play_busy(e) ? &e->q.items[e->q.head] : NULL;
}

void play_free(engine *e)
{
    play_flush(e, "ended");
    free(e->q.items);
    e->q.items = NULL;
    e->q.cap = 0;
}
