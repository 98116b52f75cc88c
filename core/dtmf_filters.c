/*
 * dtmf_filters.c: the receiver's hot loop, the Goertzel recursion
 * s[n] = x[n] + c s[n-1] - s[n-2] of all eight filters, and the block's
 * energy. The filters come in three versions, chosen once per detector:
 * portable C, the reference the others are tested against; 4-lane vectors
 * (SSE2 on every x86-64, NEON elsewhere); 8 lanes with fused multiply-add
 * where the CPU has AVX2 and FMA, chosen at run time so that one binary
 * serves every x86-64.
 */
#include "dtmf_filters.h"

#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

#if defined(__GNUC__)
typedef float v4f __attribute__((vector_size(16)));

/* Four vectors of running sums, so that the additions need not wait on
 * each other, and the sums added up once, in float: a sub-block is only
 * 51 samples, and the set-up and the final sums cost as much as the
 * squares (bench-dtmf in interleaved runs: 2.46x spandsp, against 2.30x
 * with sixteen sums in an array and 2.06x with eight). */
double dtmf_energy(const float *x, int n)
{
    v4f a = {0, 0, 0, 0}, b = a, c = a, d = a, x0, x1, x2, x3;
    float e = 0.0f;
    int i = 0;

    for (; i + 15 < n; i += 16) {
        memcpy(&x0, x + i, sizeof x0);
        memcpy(&x1, x + i + 4, sizeof x1);
        memcpy(&x2, x + i + 8, sizeof x2);
        memcpy(&x3, x + i + 12, sizeof x3);
        a += x0 * x0;
        b += x1 * x1;
        c += x2 * x2;
        d += x3 * x3;
    }
    for (; i + 3 < n; i += 4) {
        memcpy(&x0, x + i, sizeof x0);
        a += x0 * x0;
    }
    for (; i < n; i++)
        e += x[i] * x[i];
    a = (a + b) + (c + d);
    return e + ((a[0] + a[2]) + (a[1] + a[3]));
}
#else
double dtmf_energy(const float *x, int n)
{
    float e = 0.0f;
    int i;

    for (i = 0; i < n; i++)
        e += x[i] * x[i];
    return e;
}
#endif

float dtmf_s16_to_float(const int16_t *x, float *to, int n)
{
    float e = 0.0f;
    int i = 0;

#if defined(__GNUC__) && defined(__x86_64__)
    const __m128 scale = _mm_set1_ps(1.0f / 32768.0f);
    __m128 ea = _mm_setzero_ps(), eb = ea;

    for (; i + 7 < n; i += 8) {
        __m128i h = _mm_loadu_si128((const __m128i *)(const void *)(x + i));
        /* each short to the top of a 32-bit lane, shifted back with its
         * sign */
        __m128i lo = _mm_srai_epi32(_mm_unpacklo_epi16(h, h), 16);
        __m128i hi = _mm_srai_epi32(_mm_unpackhi_epi16(h, h), 16);
        __m128 a = _mm_mul_ps(_mm_cvtepi32_ps(lo), scale);
        __m128 b = _mm_mul_ps(_mm_cvtepi32_ps(hi), scale);
        _mm_storeu_ps(to + i, a);
        _mm_storeu_ps(to + i + 4, b);
        ea = _mm_add_ps(ea, _mm_mul_ps(a, a));
        eb = _mm_add_ps(eb, _mm_mul_ps(b, b));
    }
    {
        float lane[4];
        _mm_storeu_ps(lane, _mm_add_ps(ea, eb));
        e = (lane[0] + lane[2]) + (lane[1] + lane[3]);
    }
#endif
    for (; i < n; i++) {
        to[i] = (float)x[i] * (1.0f / 32768.0f);
        e += to[i] * to[i];
    }
    return e;
}

float dtmf_copy_samples(const float *x, float *to, int n)
{
    memcpy(to, x, (size_t)n * sizeof *x);
    return (float)dtmf_energy(to, n);
}

static void goertzel_portable(dtmf_filter_bank *b, const float *x, int n)
{
    int i, k;

    memset(b->s1, 0, sizeof b->s1);
    memset(b->s2, 0, sizeof b->s2);
    for (i = 0; i < n; i++) {
        float v = x[i];
        for (k = 0; k < DTMF_FILTERS; k++) {
            float s0 = b->coef[k] * b->s1[k] - b->s2[k] + v;
            b->s2[k] = b->s1[k];
            b->s1[k] = s0;
        }
    }
}

#if defined(__GNUC__)
/* Run as written the recursion is bound by latency, each sample waiting on
 * the multiply and add of the one before. Two samples at a time,
 *     s[n]   = c s[n-1] - s[n-2] + x[n]
 *     s[n+1] = (c^2 - 1) s[n-1] - c s[n-2] + (c x[n] + x[n+1]),
 * both come straight from the older pair, halving the chain; the four rows
 * and four columns are one vector each. */
static void goertzel_vector(dtmf_filter_bank *b, const float *x, int n)
{
    v4f c_lo, c_hi, q_lo, q_hi, a1, a2, b1, b2;
    int i = 0;

    memcpy(&c_lo, b->coef, sizeof c_lo);
    memcpy(&c_hi, b->coef + 4, sizeof c_hi);
    a1 = a2 = b1 = b2 = (v4f){0, 0, 0, 0};
    if (n % 2) {
        /* an odd sample out, first: from rest, s[0] = x[0] */
        a1 = b1 = a1 + x[0];
        i = 1;
    }
    q_lo = c_lo * c_lo - 1.0f;
    q_hi = c_hi * c_hi - 1.0f;
    for (; i + 1 < n; i += 2) {
        float x0 = x[i], x1 = x[i + 1];
        v4f na = c_lo * a1 - a2 + x0;
        v4f nb = c_hi * b1 - b2 + x0;
        v4f ma = q_lo * a1 - c_lo * a2 + (c_lo * x0 + x1);
        v4f mb = q_hi * b1 - c_hi * b2 + (c_hi * x0 + x1);
        a2 = na;
        b2 = nb;
        a1 = ma;
        b1 = mb;
    }
    memcpy(b->s1, &a1, sizeof a1);
    memcpy(b->s1 + 4, &b1, sizeof b1);
    memcpy(b->s2, &a2, sizeof a2);
    memcpy(b->s2 + 4, &b2, sizeof b2);
}
#endif

#if defined(__GNUC__) && defined(__x86_64__)
/* All eight filters in one 8-lane vector, eight samples a step. With the
 * recursion's own polynomials in c, U0 = 1, U1 = c, Uk = c Uk-1 - Uk-2,
 * m samples on from s[n-1], s[n-2] are
 *     s[n+m-1] = Um s[n-1] - Um-1 s[n-2] + sum over j < m of Um-1-j x[n+j],
 * so the chain from one step to the next is two fused multiply-adds for
 * eight samples; the inputs' sums (13 multiply-adds a step) do not wait on
 * it and fill the FMA units' other slot. Four samples a step left the
 * chain the limit (2 cycles a sample); eight leave the units' throughput
 * (about 1.2). */
__attribute__((target("avx2,fma")))
static void goertzel_avx2(dtmf_filter_bank *b, const float *x, int n)
{
    __m256 u[9], s1 = _mm256_setzero_ps(), s2 = s1;
    int i = 0, k;

    /* made here, in registers: loaded from a table made once they were
     * slower (bench-dtmf: 3.0x spandsp against 3.6x) */
    u[0] = _mm256_set1_ps(1.0f);
    u[1] = _mm256_loadu_ps(b->coef);
    for (k = 2; k <= 8; k++)
        u[k] = _mm256_fmsub_ps(u[1], u[k - 1], u[k - 2]);
    if ((i = n % 8) > 0) {
        /* the n % 8 samples that do not fill a step, first: from rest
         * (dtmf_filters_fn), the formula above with s1 = s2 = 0, a few
         * independent multiply-adds. At 8 kHz that is three samples,
         * which one at a time made a chain of six operations (bench-
         * dtmf's hour: 1.79 ns a sample against 1.84), and as a step of
         * eight with zeros before them 17 multiply-adds for 3 (1.36 ns
         * against 1.41). */
        s1 = _mm256_set1_ps(x[i - 1]);
        s2 = i > 1 ? _mm256_set1_ps(x[i - 2]) : s2;
        for (k = 0; k < i - 1; k++)
            s1 = _mm256_fmadd_ps(u[i - 1 - k], _mm256_set1_ps(x[k]), s1);
        for (k = 0; k < i - 2; k++)
            s2 = _mm256_fmadd_ps(u[i - 2 - k], _mm256_set1_ps(x[k]), s2);
    }
    for (; i + 7 < n; i += 8) {
        __m256 in7 = _mm256_set1_ps(x[i + 7]);
        __m256 in6 = _mm256_set1_ps(x[i + 6]);
        for (k = 0; k < 7; k++) {
            __m256 xk = _mm256_set1_ps(x[i + k]);
            in7 = _mm256_fmadd_ps(u[7 - k], xk, in7);
            if (k < 6)
                in6 = _mm256_fmadd_ps(u[6 - k], xk, in6);
        }
        __m256 n7 = _mm256_fmadd_ps(u[8], s1, _mm256_fnmadd_ps(u[7], s2, in7));
        __m256 n6 = _mm256_fmadd_ps(u[7], s1, _mm256_fnmadd_ps(u[6], s2, in6));
        s1 = n7;
        s2 = n6;
    }
    _mm256_storeu_ps(b->s1, s1);
    _mm256_storeu_ps(b->s2, s2);
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
