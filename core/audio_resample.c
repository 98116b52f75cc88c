/* audio_resample.c: whole-buffer rate conversion (libsamplerate), and a
 * halving of the rate of its own. */
#include "audio.h"

#include <math.h>
#include <pthread.h>
#include <samplerate.h>
#include <stdlib.h>
#include <string.h>

/* Halving the rate is what every prompt needs (flite speaks at 16 kHz, a
 * phone line carries 8), and libsamplerate's medium sinc, made for any
 * ratio, cost 14% of a synthesis. A half-band filter does it with a fifth
 * of the work: every other tap is zero, and the others are symmetric.
 * Kaiser-windowed sinc, 95 taps, beta 7: flat to within 0.01 dB up to
 * 0.45 of the output rate (3.6 kHz at 8 kHz, libsamplerate's medium
 * bandwidth), 70 dB down from 0.55 of it, zero phase (no delay). */
#define HALFBAND_TAPS 95
#define HALFBAND_SIDE ((HALFBAND_TAPS - 1) / 2)   /* 47 */
#define HALFBAND_BETA 7.0

static double bessel_i0(double x)
{
    double sum = 1.0, term = 1.0;
    int k;

    for (k = 1; k < 50; k++) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
    }
    return sum;
}

/* h[j] for the odd offsets j = 1, 3, ..., 47 (h[0] is 1/2, the even ones
 * zero), computed once: SIP calls resample on threads of their own */
static float taps[(HALFBAND_SIDE + 1) / 2];

static void compute_taps(void)
{
    int i;

    for (i = 0; i < (HALFBAND_SIDE + 1) / 2; i++) {
        int j = 2 * i + 1;
        double r = (double)j / HALFBAND_SIDE;
        double w = bessel_i0(HALFBAND_BETA * sqrt(1.0 - r * r)) /
                   bessel_i0(HALFBAND_BETA);
        taps[i] = (float)(sin(M_PI * j / 2.0) / (M_PI * j) * w);
    }
}

static const float *halfband_taps(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;

    pthread_once(&once, compute_taps);
    return taps;
}

static void halve_rate(const float *x, size_t n, float *y, size_t *out_n)
{
    const float *h = halfband_taps();
    size_t m, outs = (n + 1) / 2;
    int i;

    for (m = 0; m < outs; m++) {
        size_t c = 2 * m;
        float acc = 0.5f * x[c];
        for (i = 0; i < (HALFBAND_SIDE + 1) / 2; i++) {
            size_t j = (size_t)(2 * i + 1);
            float left = c >= j ? x[c - j] : 0.0f;
            float right = c + j < n ? x[c + j] : 0.0f;
            acc += h[i] * (left + right);
        }
        y[m] = acc;
    }
    *out_n = outs;
}

int audio_resample(const float *in, size_t n, int from, int to, float **out,
                   size_t *out_n, ivr_error *err)
{
    SRC_DATA d;
    size_t cap;
    float *buf;
    int rc;

    *out = NULL;
    *out_n = 0;
    if (from < AUDIO_RATE_MIN || from > AUDIO_RATE_MAX || to < AUDIO_RATE_MIN ||
        to > AUDIO_RATE_MAX)
        return ivr_error_set(err, IVR_EUSAGE, "rate %d -> %d Hz: outside "
                             "%d..%d", from, to, AUDIO_RATE_MIN,
                             AUDIO_RATE_MAX);
    cap = (size_t)((double)n * to / from) + 16;
    buf = malloc((cap ? cap : 1) * sizeof *buf);
    if (!buf)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    if (from == to || n == 0) {
        if (n)
            memcpy(buf, in, n * sizeof *buf);
        *out = buf;
        *out_n = n;
        return IVR_OK;
    }
    if (from == 2 * to) {
        halve_rate(in, n, buf, out_n);
        *out = buf;
        return IVR_OK;
    }
    memset(&d, 0, sizeof d);
    d.data_in = in;
    d.input_frames = (long)n;
    d.data_out = buf;
    d.output_frames = (long)cap;
    d.src_ratio = (double)to / from;
    /* speech prompts are short and heard: the medium sinc costs little */
    rc = src_simple(&d, SRC_SINC_MEDIUM_QUALITY, 1);
    if (rc) {
        free(buf);
        return ivr_error_set(err, IVR_EINTERNAL, "resampler: %s",
                             src_strerror(rc));
    }
    *out = buf;
    *out_n = (size_t)d.output_frames_gen;
    return IVR_OK;
}
