/*
 * engine_record.c: the `record` action: the caller's audio into a file
 * until a terminator key, a stretch of silence, or the maximum length.
 */
#include "engine_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Quieter than this is silence: well above a line's noise floor (around
 * -60 dBm0), well below speech (around -20). */
#define SILENCE_DBM0 (-45.0)

void record_start(engine *e, const menu_action *a)
{
    ivr_error err;

    memset(&e->rec, 0, sizeof e->rec);
    e->rec.action = a;
    /* record_frame() runs after inputs are handled: the frame under way
     * is the first one recorded */
    e->rec.start_ms = engine_now_ms(e);
    e->phase = PH_RECORDING;
    /* the recogniser hears none of it: what it was in the middle of ends */
    if (e->asr)
        asr_reset(e->asr);
    e->in_speech = e->bargein_pending = 0;
    if (e->o.record_dir && !e->o.fast) {
        size_t n = strlen(e->o.record_dir) + strlen(a->name) +
                   strlen(e->cur->name) + 32;
        e->rec.path = malloc(n);
        if (!e->rec.path) {
            ivr_error_set(&err, IVR_EINTERNAL, "out of memory");
            engine_fail(e, &err);
            return;
        }
        /* the next free name: a rerun into the same folder keeps what
         * earlier runs recorded */
        do
            snprintf(e->rec.path, n, "%s/%s-%s-%d.wav", e->o.record_dir,
                     e->cur->name, a->name, ++e->nrecordings);
        while (access(e->rec.path, F_OK) == 0 && e->nrecordings < 100000);
        ivr_error_clear(&err);
        e->rec.writer = audio_writer_open(e->rec.path, ENGINE_RATE, 1,
                                          AUDIO_ENC_PCM16, e->o.overwrite,
                                          &err);
        if (!e->rec.writer)
            engine_fail(e, &err);
    }
}

void record_frame(engine *e, const float *in, size_t n)
{
    const menu_action *a = e->rec.action;
    int64_t elapsed;
    ivr_error err;

    if (!a)
        return;
    if (e->rec.writer && in) {
        ivr_error_clear(&err);
        if (audio_writer_write(e->rec.writer, in, n, &err) != IVR_OK) {
            engine_fail(e, &err);
            return;
        }
    }
    if (!in || audio_level_dbm0(in, n) < SILENCE_DBM0)
        e->rec.silent_ms += ENGINE_FRAME_MS;
    else
        e->rec.silent_ms = 0;
    elapsed = engine_now_ms(e) + ENGINE_FRAME_MS - e->rec.start_ms;
    /* this frame is in the recording: it ends with the frame, and the
     * rest of the line goes on from the next one (engine_step) */
    e->emit_offset = ENGINE_FRAME;
    if (elapsed >= (int64_t)a->record_max_ms)
        record_stop(e, "max length", 0);
    else if (e->rec.silent_ms >= (int64_t)a->record_silence_ms)
        record_stop(e, "silence", 0);
    else
        elapsed = -1;
    e->emit_offset = 0;
    if (elapsed >= 0)
        e->record_done = 1;
}

void record_stop(engine *e, const char *reason, int resume)
{
    const menu_action *a = e->rec.action;
    engine_event ev;
    ivr_error err;
    char secs[32];
    int written = 0;

    if (!a)
        return;
    e->rec.action = NULL;
    if (e->rec.writer) {
        ivr_error_clear(&err);
        written = audio_writer_close(e->rec.writer, &err) == IVR_OK;
        e->rec.writer = NULL;
        if (!written)
            engine_fail(e, &err);
    }
    memset(&ev, 0, sizeof ev);
    ev.kind = EV_RECORD;
    ev.name = a->name;
    ev.text = written ? e->rec.path : "";
    ev.reason = reason;
    ev.duration = (double)(engine_now_ms(e) + e->emit_offset * ENGINE_FRAME_MS
                           / ENGINE_FRAME - e->rec.start_ms) / 1000.0;
    if (ev.duration < 0)
        ev.duration = 0;
    snprintf(secs, sizeof secs, "%.1f", ev.duration);
    engine_set_var(e, a->name, secs, 0);
    engine_emit_full(e, &ev);
    free(e->rec.path);
    e->rec.path = NULL;
    if (resume && e->phase == PH_RECORDING) {
        e->phase = PH_ACTIONS;
        engine_run_chain(e, e->pc, e->after);
    }
}
