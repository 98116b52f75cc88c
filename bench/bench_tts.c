/*
 * bench_tts.c: speech synthesis against the prompt cache, in one run: the
 * cache must make a prompt far cheaper than flite makes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "tts.h"

static const char *prompts[] = {
    "Welcome to Tune Line.",
    "Press one or say samples for this week's music.",
    "Press two or say coupon for a store coupon.",
    "Are you still there?",
    "Sorry, that is not an option.",
    "Please enter your account number, followed by the pound key.",
    "Your call is important to us. Please stay on the line.",
    "Goodbye.",
};
#define NPROMPTS (sizeof prompts / sizeof prompts[0])

/* Speaks every prompt reps times; returns seconds, adds audio seconds. */
static double run(tts_engine *t, int reps, double *audio)
{
    double t0 = now();
    int r;
    size_t i;

    for (r = 0; r < reps; r++)
        for (i = 0; i < NPROMPTS; i++) {
            float *x;
            size_t n;
            if (tts_speak(t, prompts[i], &x, &n, NULL, NULL) == IVR_OK)
                *audio += (double)n / tts_rate(t);
            free(x);
        }
    return now() - t0;
}

int main(void)
{
    char dir[] = "/tmp/ivr-bench-tts.XXXXXX", cmd[128];
    tts_opts o = {0};
    tts_engine *plain, *cached;
    double audio_s = 0, audio_c = 0, ts, tc;
    int reps = 5;

    if (!mkdtemp(dir))
        return 1;
    o.cache_dir = "";
    plain = tts_new(&o, NULL);
    o.cache_dir = dir;
    cached = tts_new(&o, NULL);
    if (!plain || !cached)
        return 1;
    run(cached, 1, &audio_c);      /* fill the cache */
    audio_c = 0;
    ts = run(plain, reps, &audio_s);
    tc = run(cached, reps, &audio_c);
    printf("\nSpeech synthesis (flite, voice slt, 8 kHz), %d prompts x %d\n",
           (int)NPROMPTS, reps);
    printf("  synthesis    %7.3f ms a prompt, %6.0fx real time\n",
           1000 * ts / (reps * NPROMPTS), audio_s / ts);
    printf("  cache hit    %7.3f ms a prompt, %6.0fx real time\n",
           1000 * tc / (reps * NPROMPTS), audio_c / tc);
    printf("  ratio: a cache hit costs 1/%.0f of a synthesis\n", ts / tc);
    tts_free(plain);
    tts_free(cached);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
