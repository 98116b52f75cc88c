/* audio_level.c: dBm0 levels, seeded noise and mixing. */
#include "audio.h"

#include <math.h>

/* G.711: the full-scale sine is +3.17 dBm0, so 0 dBm0 peaks 3.17 dB lower. */
#define FULL_SCALE_SINE_DBM0 3.17

double audio_dbm0_to_peak(double dbm0)
{
    return pow(10.0, (dbm0 - FULL_SCALE_SINE_DBM0) / 20.0);
}

double audio_dbm0_to_power(double dbm0)
{
    double peak = audio_dbm0_to_peak(dbm0);
    return peak * peak / 2.0;
}

double audio_power_to_dbm0(double mean_square)
{
    if (mean_square <= 1e-20)
        return -200.0;
    return 10.0 * log10(mean_square * 2.0) + FULL_SCALE_SINE_DBM0;
}

double audio_level_dbm0(const float *x, size_t n)
{
    double sum = 0.0;
    size_t i;

    if (n == 0)
        return -200.0;
    for (i = 0; i < n; i++)
        sum += (double)x[i] * x[i];
    return audio_power_to_dbm0(sum / (double)n);
}

void audio_rng_seed(audio_rng *rng, uint64_t seed)
{
    /* xorshift must not start at zero; splitmix the seed so that nearby
     * seeds give unrelated streams */
    uint64_t z = seed + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    rng->state = z ? z : 1;
}

static uint64_t rng_next(audio_rng *rng)
{
    uint64_t x = rng->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng->state = x;
    return x * 0x2545f4914f6cdd1dull;
}

double audio_rng_uniform(audio_rng *rng)
{
    return (double)(rng_next(rng) >> 11) * (1.0 / 9007199254740992.0);
}

double audio_rng_gauss(audio_rng *rng)
{
    /* Box-Muller; the second value is dropped to keep the state simple */
    double u1 = audio_rng_uniform(rng), u2 = audio_rng_uniform(rng);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

void audio_add_noise(float *x, size_t n, double dbm0, audio_rng *rng)
{
    double sigma = sqrt(audio_dbm0_to_power(dbm0));
    size_t i;

    for (i = 0; i < n; i++)
        x[i] += (float)(sigma * audio_rng_gauss(rng));
}

void audio_mix(float *dst, const float *src, size_t n, double gain_db)
{
    float g = (float)pow(10.0, gain_db / 20.0);
    size_t i;

    for (i = 0; i < n; i++)
        dst[i] += g * src[i];
}
