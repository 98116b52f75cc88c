/*
 * bench_sim.c: whole calls through a sample menu on the virtual clock.
 *
 *   - a scripted five-minute call in fast mode (goal: under 10 ms);
 *   - the same call with full audio: prompts from the cache, the caller's
 *     tones from the generator and words from flite, the real detector and
 *     recogniser (goal: at least 50 times faster than real time), set
 *     against the DTMF detector alone over the same caller audio, measured
 *     in the same run;
 *   - a one-hour call with full audio: peak memory after 6 minutes and
 *     after the hour (goal: flat).
 */
#include "bench.h"
#include "caller.h"
#include "dtmf.h"
#include "engine.h"
#include "menu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define MENU "menus/tunes.ivr"

/* A caller who stays: "samples", then every 20 s a 9 during the song and
 * a 1 to hear it again, for secs seconds. */
static void script(char *keys, size_t size, double secs)
{
    size_t len = 0;
    double t;

    keys[0] = '\0';
    for (t = 13; t + 10 < secs && len + 40 < size; t += 20)
        len += (size_t)snprintf(keys + len, size - len, "%s9 @%gs, 1 @%gs",
                                len ? ", " : "", t, t + 9);
}

static int events;
static void count(const engine_event *ev, void *user)
{
    (void)ev;
    (void)user;
    events++;
}

typedef struct call_stats {
    double wall;
    long rss_at_6min;
    float *caller_audio;     /* kept when asked: the reference's input */
    size_t n;
} call_stats;

static int call(const menu_file *m, int fast, double secs, asr_recognizer **asr,
                call_stats *st, int keep_audio)
{
    static char keys[65536];
    float in[ENGINE_FRAME], out[ENGINE_FRAME];
    engine_opts eo;
    ivr_error err;
    caller *c;
    engine *e;
    int64_t frames = (int64_t)(secs * 1000 / ENGINE_FRAME_MS), f;
    double t0;

    memset(&eo, 0, sizeof eo);
    eo.fast = fast;
    eo.caller = "+15550104477";
    eo.max_seconds = secs + 1;
    eo.seed = 1;
    eo.asr = *asr;
    script(keys, sizeof keys, secs);
    c = caller_new(NULL, NULL, &err);
    if (!c || caller_add_say(c, "samples @3s", &err) != IVR_OK ||
        caller_add_keys(c, keys, &err) != IVR_OK) {
        fprintf(stderr, "bench-sim: %s\n", err.message);
        return -1;
    }
    if (keep_audio) {
        st->caller_audio = malloc((size_t)frames * ENGINE_FRAME *
                                  sizeof *st->caller_audio);
        st->n = 0;
    }
    t0 = now();
    e = engine_new(m, &eo, count, NULL, &err);
    for (f = 0; f < frames; f++) {
        caller_frame(c, e, in, &err);
        if (engine_step(e, in, out, &err) != 1) {
            fprintf(stderr, "bench-sim: the call ended at %.1f s\n",
                    engine_time(e));
            break;
        }
        if (keep_audio) {
            memcpy(st->caller_audio + st->n, in, sizeof in);
            st->n += ENGINE_FRAME;
        }
        if (f == 6 * 60 * 50)
            st->rss_at_6min = peak_rss_kb();
    }
    engine_hangup(e);
    st->wall = now() - t0;
    if (!fast && !*asr)
        *asr = engine_take_asr(e);
    engine_free(e);
    caller_free(c);
    return 0;
}

static void on_digit(const dtmf_event *ev, void *user)
{
    (void)ev;
    (void)user;
}

int main(void)
{
    ivr_error err;
    menu_file *m;
    asr_recognizer *asr = NULL;
    call_stats st;
    double best = 1e9, secs = 300, ref;
    char cache[] = "/tmp/ivr-bench-sim.XXXXXX";
    int i;

    if (!mkdtemp(cache))
        return 1;
    setenv("XDG_CACHE_HOME", cache, 1);
    m = menu_load(MENU, &err);
    if (!m) {
        fprintf(stderr, "bench-sim: %s\n", err.message);
        return 1;
    }
    printf("Simulated calls through %s (a caller who stays: \"samples\", "
           "then 9 and 1 every 20 s)\n", MENU);

    for (i = 0; i < 50; i++) {
        memset(&st, 0, sizeof st);
        events = 0;
        call(m, 1, secs, &asr, &st, 0);
        if (st.wall < best)
            best = st.wall;
    }
    printf("  fast mode, 5-minute call:  %.2f ms (best of 50; goal < 10 ms), "
           "%d events, %.0fx real time\n", best * 1000, events, secs / best);

    /* full audio: a first call fills the prompt cache and loads the model */
    memset(&st, 0, sizeof st);
    call(m, 0, secs, &asr, &st, 0);
    printf("  full audio, first call:    %.2f s (synthesising prompts, "
           "loading the model)\n", st.wall);
    best = 1e9;
    for (i = 0; i < 3; i++) {
        memset(&st, 0, sizeof st);
        events = 0;
        call(m, 0, secs, &asr, &st, i == 2);
        if (st.wall < best)
            best = st.wall;
    }
    {
        dtmf_detector *d = dtmf_detector_new(ENGINE_RATE, NULL, on_digit,
                                              NULL, &err);
        double t0 = now();
        size_t off;
        for (off = 0; off < st.n; off += ENGINE_FRAME)
            dtmf_detector_push(d, st.caller_audio + off, ENGINE_FRAME);
        ref = now() - t0;
        dtmf_detector_free(d);
        free(st.caller_audio);
    }
    printf("  full audio, 5-minute call: %.3f s (best of 3) = %.0fx real "
           "time (goal >= 50x)\n", best, secs / best);
    printf("    reference, same run: the DTMF detector alone over the "
           "caller's 5 minutes, %.1f ms; the whole call costs %.0f times "
           "that\n", ref * 1000, best / ref);

    memset(&st, 0, sizeof st);
    call(m, 0, 3600, &asr, &st, 0);
    printf("  full audio, 1-hour call:   %.1f s = %.0fx real time; peak "
           "memory %.1f MB after 6 minutes, %.1f MB after the hour\n",
           st.wall, 3600 / st.wall, st.rss_at_6min / 1024.0,
           peak_rss_kb() / 1024.0);
    asr_free(asr);
    menu_free(m);
    {
        char cmd[64];
        snprintf(cmd, sizeof cmd, "rm -rf %s", cache);
        if (system(cmd) != 0)
            return 1;
    }
    return 0;
}
