/* audio_filter.c: second-order sections and the telephone band. */
#include "audio.h"

#include <math.h>

static void design(audio_biquad *f, double freq, int rate, int high)
{
    double w = 2.0 * M_PI * freq / rate, c = cos(w);
    double alpha = sin(w) / (2.0 * M_SQRT1_2), a0 = 1.0 + alpha;
    double k = high ? (1.0 + c) / 2.0 : (1.0 - c) / 2.0;

    f->b0 = (float)(k / a0);
    f->b1 = (float)((high ? -2.0 * k : 2.0 * k) / a0);
    f->b2 = (float)(k / a0);
    f->a1 = (float)(-2.0 * c / a0);
    f->a2 = (float)((1.0 - alpha) / a0);
    f->z1 = f->z2 = 0.0f;
}

void audio_biquad_highpass(audio_biquad *f, double freq, int rate)
{
    design(f, freq, rate, 1);
}

void audio_biquad_lowpass(audio_biquad *f, double freq, int rate)
{
    design(f, freq, rate, 0);
}

void audio_biquad_run(audio_biquad *f, float *x, size_t n)
{
    float z1 = f->z1, z2 = f->z2;
    size_t i;

    /* transposed direct form II: one state pair, good in float */
    for (i = 0; i < n; i++) {
        float in = x[i], out = f->b0 * in + z1;
        z1 = f->b1 * in - f->a1 * out + z2;
        z2 = f->b2 * in - f->a2 * out;
        x[i] = out;
    }
    f->z1 = z1;
    f->z2 = z2;
}

void audio_telephone_band(float *x, size_t n, int rate)
{
    audio_biquad f;
    int i;

    /* two sections each side: 24 dB/octave, close to a channel bank */
    for (i = 0; i < 2; i++) {
        audio_biquad_highpass(&f, 300.0, rate);
        audio_biquad_run(&f, x, n);
        if (rate > 7000) {
            audio_biquad_lowpass(&f, 3400.0, rate);
            audio_biquad_run(&f, x, n);
        }
    }
}
