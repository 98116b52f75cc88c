/*
 * asr_input.c: what the recogniser hears of its input: each 10 ms
 * frame's level for the end-pointer, and the audio kept for decoding,
 * both taken about the input's DC offset.
 */
#include "asr_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Four sums side by side: one running sum would wait on each add, and the
 * end-pointer runs over every sample of a call, in fast mode too. The
 * samples' own sum comes with them, for the offset. */
void asr_input_frame_add(asr_recognizer *a, const float *x, size_t n)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0;
    size_t i;

    for (i = 0; i + 4 <= n; i += 4) {
        s0 += (double)x[i] * x[i];
        s1 += (double)x[i + 1] * x[i + 1];
        s2 += (double)x[i + 2] * x[i + 2];
        s3 += (double)x[i + 3] * x[i + 3];
        t0 += (double)x[i] + x[i + 2];
        t1 += (double)x[i + 1] + x[i + 3];
    }
    for (; i < n; i++) {
        s0 += (double)x[i] * x[i];
        t0 += x[i];
    }
    a->frame_sum += t0 + t1;
    a->frame_energy += (s0 + s1) + (s2 + s3);
}

/* A recording made through a sound card can carry a DC offset, and an
 * offset as loud as the speech's quiet parts kept the end-pointer's floor
 * over the speech and the recogniser from the words (a quiet mono mix
 * with an offset of 1% of full scale: all of it one 15 s utterance, or
 * "balance" rejected). The offset is what the quiet frames sit on: a
 * frame whose mean carries as much as its swing, or that is nearly
 * silent, moves the estimate (over about a second of such frames); speech
 * never does, since a voice's own mean (flite's is 0.1% of full scale)
 * is not in its pauses. Once the estimate is an offset (DC_MIN) it is
 * taken out of what is heard and decoded; audio without one is heard
 * exactly as it was. */
#define DC_FOLLOW 0.01
#define DC_MIN 2e-3
#define DC_QUIET 1e-6       /* a frame's variance: -60 dB of full scale */

static double offset_in_effect(const asr_recognizer *a)
{
    return fabs(a->dc) >= DC_MIN ? a->dc : 0.0;
}

double asr_input_frame_level(asr_recognizer *a)
{
    double n = a->frame_len, dc = offset_in_effect(a);
    double mean = a->frame_sum / n;
    double variance = a->frame_energy / n - mean * mean;
    double energy = a->frame_energy - 2.0 * dc * a->frame_sum + n * dc * dc;

    if (variance <= mean * mean || variance <= DC_QUIET)
        a->dc += DC_FOLLOW * (mean - a->dc);
    if (energy < 0.0)
        energy = 0.0;
    return 10.0 * log10(energy / n + 1e-12);
}

int asr_input_keep(asr_recognizer *a, const float *x, size_t n,
                   ivr_error *err)
{
    float dc;
    size_t i;

    if (a->len + n > a->cap) {
        size_t cap = (a->len + n) * 2;
        float *b = realloc(a->buf, cap * sizeof *b);
        if (!b)
            return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        a->buf = b;
        a->cap = cap;
    }
    dc = (float)offset_in_effect(a);
    if (dc == 0.0f) {
        memcpy(a->buf + a->len, x, n * sizeof *x);
    } else {
        for (i = 0; i < n; i++)
            a->buf[a->len + i] = x[i] - dc;
    }
    a->len += n;
    return IVR_OK;
}
