/*
 * signals.h: test signals for the DTMF tests and benchmark: dual tones with
 * any frequency error and twist, speech from flite (a real synthesiser, run
 * once per test program), and music (notes with harmonics, chords and
 * vibrato, as instruments make them).
 */
#ifndef IVR_TEST_SIGNALS_H
#define IVR_TEST_SIGNALS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "dtmf.h"

typedef struct sigbuf {
    float *x;
    size_t n, cap;
    int rate;
} sigbuf;

static inline void sig_init(sigbuf *s, int rate)
{
    memset(s, 0, sizeof *s);
    s->rate = rate;
}

static inline float *sig_grow(sigbuf *s, size_t more)
{
    if (s->n + more > s->cap) {
        size_t cap = (s->n + more) * 2;
        float *x = realloc(s->x, cap * sizeof *x);
        if (!x) {
            fprintf(stderr, "out of memory\n");
            exit(99);
        }
        memset(x + s->cap, 0, (cap - s->cap) * sizeof *x);
        s->x = x;
        s->cap = cap;
    }
    s->n += more;
    return s->x + s->n - more;
}

static inline size_t ms_frames(const sigbuf *s, double ms)
{
    return (size_t)llround(ms * s->rate / 1000.0);
}

static inline void sig_silence(sigbuf *s, double ms)
{
    size_t n = ms_frames(s, ms);

    if (n > 0)
        memset(sig_grow(s, n), 0, n * sizeof(float));
}

/* A dual tone with explicit frequencies and levels. */
static inline void sig_pair(sigbuf *s, double f1, double dbm1, double f2, double dbm2,
                     double ms)
{
    size_t n = ms_frames(s, ms), i;
    float *x = sig_grow(s, n);
    double a1 = audio_dbm0_to_peak(dbm1), a2 = audio_dbm0_to_peak(dbm2);
    double w1 = 2 * M_PI * f1 / s->rate, w2 = 2 * M_PI * f2 / s->rate;
    double p1 = 0.7, p2 = 2.1;

    for (i = 0; i < n; i++)
        x[i] = (float)(a1 * sin(w1 * (double)i + p1) +
                       a2 * sin(w2 * (double)i + p2));
}

/* A digit with a frequency error (percent, both tones) and twist (dB, low
 * minus high). */
static inline void sig_digit(sigbuf *s, char digit, double low_dbm0, double twist_db,
                      double offset_pct, double ms)
{
    double lo, hi, k = 1.0 + offset_pct / 100.0;

    dtmf_digit_freqs(digit, &lo, &hi);
    sig_pair(s, lo * k, low_dbm0, hi * k, low_dbm0 - twist_db, ms);
}

/* Digits of a string, each on_ms long with off_ms of silence after. */
static inline void sig_digits(sigbuf *s, const char *digits, double low_dbm0,
                       double twist_db, double offset_pct, double on_ms,
                       double off_ms)
{
    for (; *digits; digits++) {
        sig_digit(s, *digits, low_dbm0, twist_db, offset_pct, on_ms);
        sig_silence(s, off_ms);
    }
}

/* Music: a melody over two-note chords, each note with decaying harmonics,
 * vibrato and an attack/release envelope; seeded, so reproducible. */
static inline void sig_music(sigbuf *s, double seconds, double dbm0, unsigned seed)
{
    size_t n = (size_t)(seconds * s->rate), i, start = s->n;
    float *x = sig_grow(s, n);
    audio_rng rng;
    double note_len = 0.25 * s->rate, gain;
    int notes[3] = {0, 0, 0}, h, v;
    double sum = 0;

    audio_rng_seed(&rng, seed);
    for (i = 0; i < n; i++) {
        size_t pos = i % (size_t)note_len;
        double t = (double)i / s->rate, env, out = 0;
        if (pos == 0) {
            /* C4 (midi 60) to C7: the range where notes meet DTMF tones */
            notes[0] = 60 + (int)(audio_rng_uniform(&rng) * 36);
            if (i % (size_t)(note_len * 4) == 0) {
                notes[1] = 48 + (int)(audio_rng_uniform(&rng) * 24);
                notes[2] = notes[1] + 4 + (int)(audio_rng_uniform(&rng) * 4);
            }
        }
        env = fmin(1.0, (double)pos / (0.02 * s->rate)) *
              exp(-2.0 * (double)pos / note_len);
        for (v = 0; v < 3; v++) {
            double f0 = 440.0 * pow(2.0, (notes[v] - 69) / 12.0);
            double vib = 1.0 + 0.004 * sin(2 * M_PI * 5.5 * t);
            for (h = 1; h <= 5; h++) {
                double f = f0 * h * vib;
                if (f < s->rate / 2.0)
                    out += (v ? 0.5 : 1.0) / h * sin(2 * M_PI * f * t + h);
            }
        }
        x[i] = (float)(out * env);
        sum += (double)x[i] * x[i];
    }
    gain = sqrt(audio_dbm0_to_power(dbm0) / (sum / (double)n));
    for (i = 0; i < n; i++)
        s->x[start + i] = (float)(s->x[start + i] * gain);
}

/* Reads a whole (small) sound file into s at s->rate. */
static inline int sig_load(sigbuf *s, const char *path)
{
    audio_read_opts o = {0};
    audio_reader *r;
    float buf[4096];
    long got;

    o.rate = s->rate;
    r = audio_reader_open(path, &o, NULL);
    if (!r)
        return -1;
    while ((got = audio_reader_read(r, buf, 4096, NULL)) > 0)
        memcpy(sig_grow(s, (size_t)got), buf, (size_t)got * sizeof(float));
    audio_reader_close(r);
    return got < 0 ? -1 : 0;
}

/* Speech from flite: voice and text into a WAV in dir, loaded into s.
 * Returns -1 when flite is missing. */
static inline int sig_speech(sigbuf *s, const char *dir, const char *voice,
                      const char *text)
{
    char cmd[2048], path[512];
    static int count;

    snprintf(path, sizeof path, "%s/speech%d.wav", dir, count++);
    snprintf(cmd, sizeof cmd, "flite -voice %s -t \"%s\" -o '%s'", voice,
             text, path);
    if (system(cmd) != 0)
        return -1;
    return sig_load(s, path);
}

/* Scales s->x[from..] to level dbm0. */
static inline void sig_set_level(sigbuf *s, size_t from, double dbm0)
{
    double have = audio_level_dbm0(s->x + from, s->n - from);
    float g = (float)pow(10.0, (dbm0 - have) / 20.0);
    size_t i;

    for (i = from; i < s->n; i++)
        s->x[i] *= g;
}

static inline void sig_free(sigbuf *s)
{
    free(s->x);
    s->x = NULL;
    s->n = s->cap = 0;
}

#endif
