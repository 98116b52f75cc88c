/*
 * dtmf_filters.c: the receiver's hot loop, the Goertzel recursion
 * s[n] = x[n] + c s[n-1] - s[n-2] of all eight filters and the block's
 * energy. Three versions, chosen once per detector: portable C, the
 * reference the others are tested against; 4-lane vectors (SSE2 on every
 * x86-64, NEON elsewhere); 8 lanes with fused multiply-add where the CPU
 * has AVX2 and FMA, chosen at run time so that one binary serves every
 * x86-64.
 */
#include "dtmf_filters.h"

#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

static void goertzel_portable(dtmf_filter_bank *b, const float *x, int n)
{
    float e = b->energy;
    int i, k;

    for (i = 0; i < n; i++) {
        float v = x[i];
        e += v * v;
        for (k = 0; k < DTMF_FILTERS; k++) {
            float s0 = b->coef[k] * b->s1[k] - b->s2[k] + v;
            b->s2[k] = b->s1[k];
            b->s1[k] = s0;
        }
    }
    b->energy = e;
}

#if defined(__GNUC__)
/* Run as written the recursion is bound by latency, each sample waiting on
 * the multiply and add of the one before. Two samples at a time,
 *     s[n]   = c s[n-1] - s[n-2] + x[n]
 *     s[n+1] = (c^2 - 1) s[n-1] - c s[n-2] + (c x[n] + x[n+1]),
 * both come straight from the older pair, halving the chain; the four rows
 * and four columns are one vector each. */
typedef float v4f __attribute__((vector_size(16)));

static void goertzel_vector(dtmf_filter_bank *b, const float *x, int n)
{
    v4f c_lo, c_hi, q_lo, q_hi, a1, a2, b1, b2;
    float e = b->energy;
    int i = 0;

    memcpy(&c_lo, b->coef, sizeof c_lo);
    memcpy(&c_hi, b->coef + 4, sizeof c_hi);
    memcpy(&a1, b->s1, sizeof a1);
    memcpy(&b1, b->s1 + 4, sizeof b1);
    memcpy(&a2, b->s2, sizeof a2);
    memcpy(&b2, b->s2 + 4, sizeof b2);
    q_lo = c_lo * c_lo - 1.0f;
    q_hi = c_hi * c_hi - 1.0f;
    for (; i + 1 < n; i += 2) {
        float x0 = x[i], x1 = x[i + 1];
        v4f na = c_lo * a1 - a2 + x0;
        v4f nb = c_hi * b1 - b2 + x0;
        v4f ma = q_lo * a1 - c_lo * a2 + (c_lo * x0 + x1);
        v4f mb = q_hi * b1 - c_hi * b2 + (c_hi * x0 + x1);
        e += x0 * x0 + x1 * x1;
        a2 = na;
        b2 = nb;
        a1 = ma;
        b1 = mb;
    }
    if (i < n) {
        float x0 = x[i];
        v4f na = c_lo * a1 - a2 + x0;
        v4f nb = c_hi * b1 - b2 + x0;
        e += x0 * x0;
        a2 = a1;
        b2 = b1;
        a1 = na;
        b1 = nb;
    }
    memcpy(b->s1, &a1, sizeof a1);
    memcpy(b->s1 + 4, &b1, sizeof b1);
    memcpy(b->s2, &a2, sizeof a2);
    memcpy(b->s2 + 4, &b2, sizeof b2);
    b->energy = e;
}
#endif

#if defined(__GNUC__) && defined(__x86_64__)
/* All eight filters in one 8-lane vector, four samples a step. With
 * U2 = c^2 - 1, U3 = c U2 - c, U4 = c U3 - U2 (the recursion's own
 * polynomials in c),
 *     s[n+2] = U3 s[n-1] - U2 s[n-2] + (U2 x[n] + c x[n+1] + x[n+2])
 *     s[n+3] = U4 s[n-1] - U3 s[n-2] + (U3 x[n] + U2 x[n+1] + c x[n+2]
 *              + x[n+3]):
 * the chain from one step to the next is two fused multiply-adds for four
 * samples, and the input terms, off the chain, fill the FMA units' other
 * slots. The energy is summed eight samples a lane, off the chain too. */
__attribute__((target("avx2,fma")))
static void goertzel_avx2(dtmf_filter_bank *b, const float *x, int n)
{
    __m256 c = _mm256_loadu_ps(b->coef), s1 = _mm256_loadu_ps(b->s1);
    __m256 s2 = _mm256_loadu_ps(b->s2), one = _mm256_set1_ps(1.0f);
    __m256 u2 = _mm256_fmsub_ps(c, c, one);
    __m256 u3 = _mm256_fmsub_ps(c, u2, c);
    __m256 u4 = _mm256_fmsub_ps(c, u3, u2);
    __m256 acc = _mm256_setzero_ps();
    float lanes[8], e = 0.0f;
    int i = 0;

    for (; i + 3 < n; i += 4) {
        __m256 x0 = _mm256_set1_ps(x[i]), x1 = _mm256_set1_ps(x[i + 1]);
        __m256 x2 = _mm256_set1_ps(x[i + 2]), x3 = _mm256_set1_ps(x[i + 3]);
        __m256 in2 = _mm256_fmadd_ps(u2, x0, _mm256_fmadd_ps(c, x1, x2));
        __m256 in3 = _mm256_fmadd_ps(u3, x0, _mm256_fmadd_ps(u2, x1,
                                     _mm256_fmadd_ps(c, x2, x3)));
        __m256 n3 = _mm256_fmadd_ps(u4, s1, _mm256_fnmadd_ps(u3, s2, in3));
        __m256 n2 = _mm256_fmadd_ps(u3, s1, _mm256_fnmadd_ps(u2, s2, in2));
        s1 = n3;
        s2 = n2;
    }
    for (; i < n; i++) {
        __m256 n0 = _mm256_add_ps(_mm256_fmsub_ps(c, s1, s2),
                                  _mm256_set1_ps(x[i]));
        s2 = s1;
        s1 = n0;
    }
    _mm256_storeu_ps(b->s1, s1);
    _mm256_storeu_ps(b->s2, s2);
    for (i = 0; i + 7 < n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        acc = _mm256_fmadd_ps(v, v, acc);
    }
    _mm256_storeu_ps(lanes, acc);
    for (; i < n; i++)
        e += x[i] * x[i];
    e += ((lanes[0] + lanes[4]) + (lanes[1] + lanes[5])) +
         ((lanes[2] + lanes[6]) + (lanes[3] + lanes[7]));
    b->energy += e;
}
#endif

dtmf_filters_fn dtmf_filters_choose(const char **name)
{
    const char *want = getenv("IVR_DTMF_KERNEL");
    dtmf_filters_fn fn = goertzel_portable;

    *name = "portable";
    if (want && !strcmp(want, "portable"))
        return fn;
#if defined(__GNUC__)
    fn = goertzel_vector;
    *name = "vector";
    if (want && !strcmp(want, "vector"))
        return fn;
#endif
#if defined(__GNUC__) && defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        fn = goertzel_avx2;
        *name = "avx2";
    }
#endif
    return fn;
}
