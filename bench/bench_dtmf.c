/*
 * bench_dtmf.c: the DTMF receiver against spandsp's dtmf_rx, in one run on
 * the same audio: Q.24 behaviour case by case, throughput on an hour of
 * telephone audio, and memory. Figures are ratios to spandsp measured here,
 * since the machine is shared and absolute times drift.
 */
#include <spandsp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench.h"
#include "signals.h"

#define ALL16 "123A456B789C*0#D"

typedef struct digits {
    char s[256];   /* the first digits, for the Q.24 table */
    size_t n;      /* all of them, for the hour */
} digits;

static void add_digit(digits *d, char c)
{
    if (d->n + 1 < sizeof d->s) {
        d->s[d->n] = c;
        d->s[d->n + 1] = '\0';
    }
    d->n++;
}

static void ours_cb(const dtmf_event *ev, void *user)
{
    if (ev->kind == DTMF_DIGIT_END)
        add_digit(user, ev->digit);
}

static void span_cb(void *user, const char *s, int len)
{
    int i;
    for (i = 0; i < len; i++)
        add_digit(user, s[i]);
}

static int16_t *to_s16(const sigbuf *s)
{
    int16_t *out = malloc(s->n * sizeof *out);
    size_t i;

    for (i = 0; i < s->n; i++) {
        float v = s->x[i] * 32768.0f;
        out[i] = (int16_t)(v > 32767.0f ? 32767 : v < -32768.0f ? -32768 : v);
    }
    return out;
}

static void run_ours(const int16_t *x, size_t n, digits *out)
{
    dtmf_detector *d = dtmf_detector_new(8000, NULL, ours_cb, out, NULL);
    out->n = 0;
    out->s[0] = '\0';
    dtmf_detector_push_s16(d, x, n);
    dtmf_detector_flush(d);
    dtmf_detector_free(d);
}

static void run_span(const int16_t *x, size_t n, digits *out)
{
    dtmf_rx_state_t *s = dtmf_rx_init(NULL, span_cb, out);
    size_t i;
    out->n = 0;
    out->s[0] = '\0';
    for (i = 0; i < n; i += 160)
        dtmf_rx(s, x + i, (int)(n - i < 160 ? n - i : 160));
    /* a trailing silence lets spandsp report a digit still sounding */
    {
        int16_t zero[800] = {0};
        dtmf_rx(s, zero, 800);
    }
    dtmf_rx_free(s);
}

/* One Q.24 row: the expected digit string for the signal, for both. */
static void q24_row(const char *what, sigbuf *s, const char *expect)
{
    int16_t *x = to_s16(s);
    digits a, b;

    run_ours(x, s->n, &a);
    run_span(x, s->n, &b);
    printf("  %-44s %-6s %-6s\n", what, strcmp(a.s, expect) ? "FAIL" : "pass",
           strcmp(b.s, expect) ? "FAIL" : "pass");
    free(x);
    sig_free(s);
}

static void q24_table(const char *speech_wav)
{
    static const double ok_off[] = {-1.5, 1.5}, bad_off[] = {-3.5, 3.5};
    sigbuf s;
    char what[64];
    int i;
    audio_rng rng;

    printf("Q.24 receiver behaviour (16 digits each; pass = exact string)\n");
    printf("  %-44s %-6s %-6s\n", "case", "ivrkit", "spandsp");
    for (i = 0; i < 2; i++) {
        sig_init(&s, 8000);
        sig_digits(&s, ALL16, -7, 0, ok_off[i], 60, 60);
        snprintf(what, sizeof what, "frequency %+.1f%%: accept", ok_off[i]);
        q24_row(what, &s, ALL16);
    }
    for (i = 0; i < 2; i++) {
        sig_init(&s, 8000);
        sig_digits(&s, ALL16, -7, 0, bad_off[i], 60, 60);
        snprintf(what, sizeof what, "frequency %+.1f%%: reject", bad_off[i]);
        q24_row(what, &s, "");
    }
    sig_init(&s, 8000);
    for (i = 0; i < 16; i++) {
        double lo, hi;
        dtmf_digit_freqs(ALL16[i], &lo, &hi);
        sig_pair(&s, lo * 1.035, -7, hi, -7, 60);
        sig_silence(&s, 60);
    }
    q24_row("low tone alone 3.5% off: reject", &s, "");
    sig_init(&s, 8000);
    sig_digits(&s, ALL16, -6, 8, 0, 60, 60);
    q24_row("twist 8 dB (high weaker): accept", &s, ALL16);
    sig_init(&s, 8000);
    sig_digits(&s, ALL16, -10, -4, 0, 60, 60);
    q24_row("reverse twist 4 dB: accept", &s, ALL16);
    sig_init(&s, 8000);
    sig_digits(&s, ALL16, -7, -2, 0, 40, 40);
    q24_row("40 ms tones, 40 ms gaps: accept", &s, ALL16);
    sig_init(&s, 8000);
    sig_digits(&s, ALL16, -7, -2, 0, 20, 40);
    q24_row("20 ms tones: reject", &s, "");
    /* 23 ms, each key 0.4 ms later in its sub-block than the one before */
    sig_init(&s, 8000);
    for (i = 0; i < 16; i++) {
        sig_digit(&s, ALL16[i], -7, -2, 0, 23);
        sig_silence(&s, 40.0 + 0.4 * (double)i);
    }
    q24_row("23 ms tones (16 alignments): reject", &s, "");
    sig_init(&s, 8000);
    sig_digits(&s, "5555", -7, -2, 0, 40, 40);
    q24_row("one key 4 times, 40 ms gaps", &s, "5555");
    for (i = 0; i <= 30; i += 10) {
        sig_init(&s, 8000);
        sig_digits(&s, ALL16, -(double)i, 0, 0, 60, 60);
        snprintf(what, sizeof what, "level %d dBm0 per tone: accept", -i);
        q24_row(what, &s, ALL16);
    }
    sig_init(&s, 8000);
    sig_digits(&s, ALL16, -10, 0, 0, 50, 50);
    audio_rng_seed(&rng, 1);
    audio_add_noise(s.x, s.n, -22, &rng);
    q24_row("white noise at 15 dB SNR: accept", &s, ALL16);
    sig_init(&s, 8000);
    sig_music(&s, 120, -12, 42);
    q24_row("talk-off: 2 min of music", &s, "");
    if (speech_wav) {
        sigbuf sp, t;
        size_t start;
        sig_init(&s, 8000);
        sig_load(&s, speech_wav);
        sig_set_level(&s, 0, -6);
        q24_row("talk-off: speech (flite, 4 voices)", &s, "");
        sig_init(&sp, 8000);
        sig_load(&sp, speech_wav);
        sig_init(&t, 8000);
        sig_silence(&t, 200);
        start = t.n;
        sig_digits(&t, ALL16, -7, -2, 0, 60, 80);
        sig_set_level(&t, start, -4);
        sig_set_level(&sp, 0, -9);
        audio_mix(t.x, sp.x, sp.n < t.n ? sp.n : t.n, 0.0);
        sig_free(&sp);
        q24_row("talk-down: speech 5 dB under the digits", &t, ALL16);
    }
}

/* The clock the core runs at now, in GHz, from a chain of dependent
 * additions (one a cycle on every x86-64): the issue's goal is in cycles
 * a sample, and a shared machine's clock moves with its load and turbo.
 * The best of five short runs; 0 where there is no such chain to time. */
static double measured_ghz(void)
{
    double best = 0.0;
#if defined(__GNUC__) && defined(__x86_64__)
    int round;

    for (round = 0; round < 5; round++) {
        uint64_t x = 0, i, n = 100000000;
        double t0 = now(), t1;
        for (i = 0; i < n; i++)
            __asm__ volatile("add $1, %0" : "+r"(x));
        t1 = now();
        if (x == n && n / (t1 - t0) / 1e9 > best)
            best = n / (t1 - t0) / 1e9;
    }
#endif
    return best;
}

/* A minute of mixed telephone audio: dialling, quiet line noise, music on
 * hold, speech; the hour is this minute sixty times, pushed in 20 ms
 * frames as a call delivers it, so memory cannot grow with the length. */
static void throughput(const char *speech_wav)
{
    sigbuf s;
    audio_rng rng;
    int16_t *x;
    static const char *const kernels[] = {"portable", "vector", "avx2"};
    enum { NKERNELS = 3 };
    double best_kernel[NKERNELS] = {1e9, 1e9, 1e9};
    char chosen[16] = "";
    size_t k;
    int round, rep;
    double best_ours = 1e9, best_span = 1e9;
    digits a, b;
    long rss_before, rss_after;
    const size_t frame = 160;
    int sent = 0;

    sig_init(&s, 8000);
    while (s.n < 8000 * 15) {
        sig_digits(&s, "0123456789*#", -8, -2, 0, 80, 80);
        sent += 12;
    }
    sig_music(&s, 15, -14, 7);
    if (speech_wav) {
        size_t start = s.n;
        while (s.n - start < 8000 * 15)
            sig_load(&s, speech_wav);
        s.n = start + 8000 * 15;
        sig_set_level(&s, start, -14);
    }
    while (s.n < 8000 * 60)
        sig_silence(&s, 100);
    s.n = 8000 * 60;
    audio_rng_seed(&rng, 3);
    audio_add_noise(s.x, s.n, -45, &rng);
    x = to_s16(&s);

    rss_before = peak_rss_kb();
    for (round = 0; round < 3; round++) {
        double t0, t1;
        dtmf_rx_state_t *sp;
        /* each kernel, the chosen one last so that its count is kept */
        for (k = 0; k < NKERNELS; k++) {
            dtmf_detector *d;
            setenv("IVR_DTMF_KERNEL", kernels[k], 1);
            t0 = now();
            d = dtmf_detector_new(8000, NULL, ours_cb, &a, NULL);
            a.n = 0;
            for (rep = 0; rep < 60; rep++)
                for (size_t i = 0; i < s.n; i += frame)
                    dtmf_detector_push_s16(d, x + i, frame);
            dtmf_detector_flush(d);
            dtmf_detector_free(d);
            t1 = now();
            if (t1 - t0 < best_kernel[k])
                best_kernel[k] = t1 - t0;
        }
        unsetenv("IVR_DTMF_KERNEL");
        {
            dtmf_detector *d = dtmf_detector_new(8000, NULL, ours_cb, &a,
                                                 NULL);
            snprintf(chosen, sizeof chosen, "%s", dtmf_detector_kernel(d));
            dtmf_detector_free(d);
        }
        for (k = 0; k < NKERNELS; k++)
            if (!strcmp(kernels[k], chosen))
                best_ours = best_kernel[k];
        t0 = now();
        sp = dtmf_rx_init(NULL, span_cb, &b);
        b.n = 0;
        for (rep = 0; rep < 60; rep++)
            for (size_t i = 0; i < s.n; i += frame)
                dtmf_rx(sp, x + i, (int)frame);
        dtmf_rx_free(sp);
        t1 = now();
        if (t1 - t0 < best_span)
            best_span = t1 - t0;
    }
    rss_after = peak_rss_kb();
    printf("\nThroughput: one hour of 8 kHz audio (dialling, music, speech, "
           "line noise) in 20 ms frames, best of 3\n");
    for (k = 0; k < NKERNELS; k++)
        printf("  ivrkit, %-8s %6.3f s  %8.0fx real time  %4.2f ns a sample%s\n",
               kernels[k], best_kernel[k], 3600.0 / best_kernel[k],
               best_kernel[k] * 1e9 / (3600.0 * 8000),
               strcmp(kernels[k], chosen) ? "" : "  (this CPU's)");
    printf("  %-16s %6.3f s  %8.0fx real time  %5zu of %d digits\n",
           "ivrkit", best_ours, 3600.0 / best_ours, a.n, 60 * sent);
    printf("  %-16s %6.3f s  %8.0fx real time  %5zu of %d digits\n",
           "spandsp", best_span, 3600.0 / best_span, b.n, 60 * sent);
    printf("  ratio: ivrkit runs %.2fx the throughput of spandsp (goal 5x%s)\n",
           best_span / best_ours, best_span / best_ours >= 5 ? "" : ": MISSED");
    {
        double ghz = measured_ghz(),
               cycles = best_ours * 1e9 / (3600.0 * 8000) * ghz;
        if (ghz > 0.0)
            printf("  ivrkit: %.1f cycles a sample, the clock measured in "
                   "this run at %.2f GHz (goal 3%s)\n", cycles, ghz,
                   cycles <= 3.0 ? "" : ": MISSED");
    }
    printf("  peak RSS %ld kB before the hour, %ld kB after (flat: the "
           "receiver keeps no history)\n", rss_before, rss_after);
    free(x);
    sig_free(&s);
}

/* --detect FILE...: the digits each receiver finds in each file (8 kHz),
 * a line a file: FILE OURS SPANDSP ("-" for none). For bench/talkoff.sh. */
static int detect_files(int n, char **paths)
{
    int i;

    for (i = 0; i < n; i++) {
        sigbuf s;
        int16_t *x;
        digits a, b;

        sig_init(&s, 8000);
        if (sig_load(&s, paths[i]) != 0) {
            fprintf(stderr, "bench-dtmf: %s: cannot read it\n", paths[i]);
            return 3;
        }
        x = to_s16(&s);
        run_ours(x, s.n, &a);
        run_span(x, s.n, &b);
        printf("%s %s %s\n", paths[i], a.n ? a.s : "-", b.n ? b.s : "-");
        free(x);
        sig_free(&s);
    }
    return 0;
}

int main(int argc, char **argv)
{
    char dir[] = "/tmp/ivr-bench-dtmf.XXXXXX", path[256], cmd[512];
    const char *speech = NULL;
    sigbuf sp;
    static const char *voices[] = {"kal", "slt", "awb", "rms"};
    int v;

    if (argc > 1 && !strcmp(argv[1], "--detect"))
        return detect_files(argc - 2, argv + 2);
    if (mkdtemp(dir)) {
        sig_init(&sp, 8000);
        for (v = 0; v < 4; v++)
            sig_speech(&sp, dir, voices[v],
                       "Thank you for calling. For billing, press one. For "
                       "technical support, press two. Please say or enter "
                       "your account number, followed by the pound key.");
        snprintf(path, sizeof path, "%s/all.wav", dir);
        if (sp.n > 0) {
            audio_writer *w = audio_writer_open(path, 8000, 1, AUDIO_ENC_PCM16,
                                                1, NULL);
            if (w && audio_writer_write(w, sp.x, sp.n, NULL) == IVR_OK &&
                audio_writer_close(w, NULL) == IVR_OK)
                speech = path;
        }
        sig_free(&sp);
    }
    if (!speech)
        printf("(flite not found: speech cases skipped)\n");
    q24_table(speech);
    throughput(speech);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
