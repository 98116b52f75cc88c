/*
 * echo_cancel.c: a normalised LMS echo canceller (see echo.h).
 *
 * The echo path is a filter of tail_ms taps from the far leg to the near
 * one, learned sample by sample: each prediction's error moves the taps
 * towards the far samples that made it, by a step normalised by their
 * power, so that loud and quiet prompts teach it at the same speed.
 * Learning stops while the caller talks (the error is then their voice,
 * not the filter's fault) and while the far leg is silent (nothing to
 * learn from, and nothing to take out).
 */
#include "echo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

/* The step: 1 would cancel the last sample's error entirely and follow
 * the line's noise as readily as the echo. On the replays' tuning voices
 * with an echo 26 dB down over noise 10 dB under it, 0.2 left less echo
 * in the first seconds than 0.5 or 1 (0.1 and 0.05 less later, slower
 * at first); what it leaves goes to the non-linear processor below. */
#define STEP 0.2f

/* The Geigel double-talk test: a line's echo comes back at least 6 dB
 * down (G.168's worst echo return loss), so a near sample above half the
 * loudest far sample of the tail cannot be echo alone: the caller speaks.
 * Learning then pauses for the hangover, as long as a syllable's gap. */
#define GEIGEL 0.5f
#define HANGOVER_MS 60

/* A far tail under this mean power (-60 dBFS) sends back an echo under
 * -66 dBFS, under a line's own noise: nothing worth the filter's work. */
#define SILENT_POWER 1e-6f

/* Speech's spectrum falls with frequency, and a filter learning from
 * it learns its high taps slowly: the taps are learned from both legs
 * whitened by s[n] - 0.9 s[n-1] (the same taps take the one to the
 * other), which left 1 to 2 dB less echo in the first seconds. */
#define WHITEN 0.9f

/* Two sets of taps: one learns, and its errors are not heard;
 * the taps heard are replaced by the learning ones only after a block in
 * which the far leg spoke alone and the learning taps left under half
 * the energy the heard ones did. A caller too quiet for the double-talk
 * test throws the learning taps off, not the caller's voice. */
#define PROVEN 0.5

/* Frames worked on at a time: the output is the canceller's only when it
 * took energy out of the block (a filter still learning, or thrown by a
 * caller too quiet for the double-talk test, must not add the IVR's voice
 * to the caller's). */
#define BLOCK 160

/* A block whose remainder is less than this share of the echo predicted
 * in it is taken for echo the filter has not learned yet (the caller's
 * voice over an echo comes out far above it): G.168's non-linear
 * processor. */
#define RESIDUAL 1.0

typedef void (*predict_fn)(const float *w, const float *v, const float *x,
                           int n, float *pw, float *pv);
typedef void (*learn_fn)(float *w, const float *x, float g, int n);

struct echo_canceller {
    int taps;
    predict_fn predict;
    learn_fn learn;
    const char *kernel;
    float *w;            /* the echo path's taps, as last proven */
    float *learning;     /* the taps as they learn (see PROVEN) */
    float *hist;         /* far samples, newest first, twice over so that
                          * the last taps are contiguous wherever the ring
                          * stands */
    float *white;        /* the same, whitened (see WHITEN) */
    int at;              /* hist + at is the newest sample */
    double far_power;    /* sum of the squares of white's tail */
    float far_last, near_last, y_last;
    int hold;            /* samples of double talk left */
    int hangover;
    double floor;        /* the near leg's noise, energy a block */
    /* the near leg's energy before and after, in blocks the far leg
     * spoke all through and the near one did not (see echo.h) */
    double alone_in, alone_out;
    float *late;         /* the far leg's last delay samples, a ring */
    long delay, late_at;
    /* the far leg's energy in the blocks its tail spans, a ring: the
     * echo in a block comes from any of them */
    double *far_blocks;
    int nblocks, block_at;
};

static void choose_kernel(echo_canceller *ec);

echo_canceller *echo_canceller_new(int rate, int tail_ms, ivr_error *err)
{
    echo_canceller *ec;
    int taps = (int)((long)rate * tail_ms / 1000);

    if (taps < 8 || taps > 16384) {
        ivr_error_set(err, IVR_EUSAGE, "an echo tail of %d ms at %d Hz is "
                      "outside 8..16384 taps", tail_ms, rate);
        return NULL;
    }
    taps = (taps + 7) & ~7;
    ec = calloc(1, sizeof *ec);
    if (!ec || !(ec->w = calloc((size_t)taps, sizeof *ec->w)) ||
        !(ec->learning = calloc((size_t)taps, sizeof *ec->learning)) ||
        !(ec->hist = calloc(2 * (size_t)taps, sizeof *ec->hist)) ||
        !(ec->white = calloc(2 * (size_t)taps, sizeof *ec->white))) {
        echo_canceller_free(ec);
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    ec->nblocks = (taps + BLOCK - 1) / BLOCK + 1;
    if (!(ec->far_blocks = calloc((size_t)ec->nblocks,
                                  sizeof *ec->far_blocks))) {
        echo_canceller_free(ec);
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    ec->taps = taps;
    ec->at = taps;
    ec->hangover = rate * HANGOVER_MS / 1000;
    choose_kernel(ec);
    return ec;
}

/* The two predictions (heard taps and learning ones) of one set of far
 * samples, and the learning step: nearly all the canceller's time, in
 * three versions chosen once (as the DTMF filters are): portable C, the
 * reference; 4-lane vectors; 8 lanes with fused multiply-add where the
 * CPU has AVX2 and FMA. Taps come in multiples of 8. */
static void predict_portable(const float *w, const float *v, const float *x,
                             int n, float *pw, float *pv)
{
    float a = 0.0f, b = 0.0f;
    int i;

    for (i = 0; i < n; i++) {
        a += w[i] * x[i];
        b += v[i] * x[i];
    }
    *pw = a;
    *pv = b;
}

static void learn_portable(float *w, const float *x, float g, int n)
{
    int i;

    for (i = 0; i < n; i++)
        w[i] += g * x[i];
}

#if defined(__GNUC__)
typedef float v4f __attribute__((vector_size(16)));

static void predict_vector(const float *w, const float *v, const float *x,
                           int n, float *pw, float *pv)
{
    v4f a = {0, 0, 0, 0}, b = a, c = a, d = a, x0, x1, t;
    int i;

    for (i = 0; i < n; i += 8) {
        memcpy(&x0, x + i, sizeof x0);
        memcpy(&x1, x + i + 4, sizeof x1);
        memcpy(&t, w + i, sizeof t);
        a += t * x0;
        memcpy(&t, w + i + 4, sizeof t);
        c += t * x1;
        memcpy(&t, v + i, sizeof t);
        b += t * x0;
        memcpy(&t, v + i + 4, sizeof t);
        d += t * x1;
    }
    a += c;
    b += d;
    *pw = (a[0] + a[2]) + (a[1] + a[3]);
    *pv = (b[0] + b[2]) + (b[1] + b[3]);
}

static void learn_vector(float *w, const float *x, float g, int n)
{
    v4f a, b;
    int i;

    for (i = 0; i < n; i += 4) {
        memcpy(&a, w + i, sizeof a);
        memcpy(&b, x + i, sizeof b);
        a += g * b;
        memcpy(w + i, &a, sizeof a);
    }
}
#endif

#if defined(__GNUC__) && defined(__x86_64__)
__attribute__((target("avx2,fma")))
static float sum8(__m256 a)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(a),
                          _mm256_extractf128_ps(a, 1));

    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma")))
static void predict_avx2(const float *w, const float *v, const float *x,
                         int n, float *pw, float *pv)
{
    __m256 a = _mm256_setzero_ps(), b = a, c = a, d = a;
    int i;

    for (i = 0; i + 15 < n; i += 16) {
        __m256 x0 = _mm256_loadu_ps(x + i), x1 = _mm256_loadu_ps(x + i + 8);
        a = _mm256_fmadd_ps(_mm256_loadu_ps(w + i), x0, a);
        c = _mm256_fmadd_ps(_mm256_loadu_ps(w + i + 8), x1, c);
        b = _mm256_fmadd_ps(_mm256_loadu_ps(v + i), x0, b);
        d = _mm256_fmadd_ps(_mm256_loadu_ps(v + i + 8), x1, d);
    }
    for (; i < n; i += 8) {
        __m256 x0 = _mm256_loadu_ps(x + i);
        a = _mm256_fmadd_ps(_mm256_loadu_ps(w + i), x0, a);
        b = _mm256_fmadd_ps(_mm256_loadu_ps(v + i), x0, b);
    }
    *pw = sum8(_mm256_add_ps(a, c));
    *pv = sum8(_mm256_add_ps(b, d));
}

__attribute__((target("avx2,fma")))
static void learn_avx2(float *w, const float *x, float g, int n)
{
    __m256 gg = _mm256_set1_ps(g);
    int i;

    for (i = 0; i < n; i += 8)
        _mm256_storeu_ps(w + i, _mm256_fmadd_ps(gg, _mm256_loadu_ps(x + i),
                                                _mm256_loadu_ps(w + i)));
}
#endif

/* IVR_ECHO_KERNEL=portable|vector forces a version (tests/cmd/replay.t
 * runs test_echo with each). */
static void choose_kernel(echo_canceller *ec)
{
    const char *want = getenv("IVR_ECHO_KERNEL");

    ec->predict = predict_portable;
    ec->learn = learn_portable;
    ec->kernel = "portable";
    if (want && !strcmp(want, "portable"))
        return;
#if defined(__GNUC__)
    ec->predict = predict_vector;
    ec->learn = learn_vector;
    ec->kernel = "vector";
    if (want && !strcmp(want, "vector"))
        return;
#endif
#if defined(__GNUC__) && defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        ec->predict = predict_avx2;
        ec->learn = learn_avx2;
        ec->kernel = "avx2";
    }
#endif
}

const char *echo_canceller_kernel(const echo_canceller *ec)
{
    return ec->kernel;
}

/* The loudest far sample in the tail, for the double-talk test. */
static float far_peak(const echo_canceller *ec)
{
    const float *x = ec->hist + ec->at;
    float m = 0.0f;
    int i;

    for (i = 0; i < ec->taps; i++) {
        float a = fabsf(x[i]);
        if (a > m)
            m = a;
    }
    return m;
}

static void push_far(echo_canceller *ec, float v)
{
    int oldest = ec->at + ec->taps - 1;
    float u = v - WHITEN * ec->far_last;

    ec->far_last = v;
    ec->far_power -= (double)ec->white[oldest] * ec->white[oldest];
    if (ec->far_power < 0)
        ec->far_power = 0;
    if (--ec->at < 0) {
        /* the ring wraps: the newest taps - 1 samples move to the top */
        memmove(ec->hist + ec->taps + 1, ec->hist, (size_t)(ec->taps - 1) *
                sizeof *ec->hist);
        memmove(ec->white + ec->taps + 1, ec->white,
                (size_t)(ec->taps - 1) * sizeof *ec->white);
        ec->at = ec->taps;
    }
    ec->hist[ec->at] = v;
    ec->white[ec->at] = u;
    ec->far_power += (double)u * u;
}

/* The near leg's noise, a block's energy: the quietest blocks, followed
 * down at once and up by FLOOR_RISE a block (half a dB a second). */
#define FLOOR_RISE 1.0023

static void follow_floor(echo_canceller *ec, double e, int n)
{
    e *= (double)BLOCK / n;
    if (ec->floor <= 0 || e < ec->floor)
        ec->floor = e;
    else
        ec->floor *= FLOOR_RISE;
}

static void process_block(echo_canceller *ec, const float *far, float *near,
                          int n)
{
    float out[BLOCK], trial[BLOCK], pred[BLOCK], peak = 0.0f;
    double e_in = 0, e_out = 0, e_trial = 0, e_echo = 0, e_far = 0;
    double e_tail = 0;
    int i, alone = 1, echo_only;

    for (i = 0; i < n; i++) {
        const float *x;
        float y, y_last, e, wn, ew;

        push_far(ec, far[i]);
        x = ec->hist + ec->at;
        if (ec->far_power < SILENT_POWER * ec->taps) {
            out[i] = trial[i] = near[i];
            pred[i] = 0.0f;
            ec->near_last = near[i];
            ec->y_last = 0.0f;
            alone = 0;
            continue;
        }
        /* the peak of the tail, found again every 32 samples for the
         * loud ones that have left it */
        if ((i & 31) == 0)
            peak = far_peak(ec);
        else if (fabsf(far[i]) > peak)
            peak = fabsf(far[i]);
        ec->predict(ec->w, ec->learning, x, ec->taps, &pred[i], &y);
        out[i] = near[i] - pred[i];
        y_last = ec->y_last;
        ec->y_last = y;
        e = near[i] - y;
        trial[i] = e;
        wn = near[i] - WHITEN * ec->near_last;
        ec->near_last = near[i];
        if (fabsf(near[i]) > GEIGEL * peak)
            ec->hold = ec->hangover;
        if (ec->hold > 0) {
            ec->hold--;
            alone = 0;
            continue;
        }
        /* the same taps take the whitened far leg to the whitened near
         * one: learning from those is learning from a flatter spectrum
         * (the whitened prediction is the prediction whitened, the one
         * before it made with taps a step older) */
        ew = wn - (y - WHITEN * y_last);
        ec->learn(ec->learning, ec->white + ec->at,
                   STEP * ew / (float)(ec->far_power + 1e-6), ec->taps);
    }
    for (i = 0; i < n; i++) {
        e_in += (double)near[i] * near[i];
        e_out += (double)out[i] * out[i];
        e_trial += (double)trial[i] * trial[i];
        e_far += (double)far[i] * far[i];
    }
    /* Geigel's test on the block's energy: more than an echo can be is
     * the caller, however quiet each sample was against the far peak.
     * The taps learn only from blocks no louder than this one's far
     * leg allows. The echo itself can be as loud as the loudest far
     * block of the tail, though: when the prompt stops, its echo goes on
     * for the echo path's delay (a live call's, a hundred milliseconds
     * and more), and the non-linear processor must take that too. */
    ec->far_blocks[ec->block_at] = e_far * BLOCK / n;
    if (++ec->block_at == ec->nblocks)
        ec->block_at = 0;
    for (i = 0; i < ec->nblocks; i++)
        if (ec->far_blocks[i] * n / BLOCK > e_tail)
            e_tail = ec->far_blocks[i] * n / BLOCK;
    echo_only = alone && e_in <= GEIGEL * GEIGEL * e_tail;
    if (e_in > GEIGEL * GEIGEL * e_far)
        alone = 0;
    if (alone && e_trial < PROVEN * e_out && e_trial < e_in) {
        memcpy(ec->w, ec->learning, (size_t)ec->taps * sizeof *ec->w);
        memcpy(out, trial, (size_t)n * sizeof *out);
        e_out = e_trial;
        for (i = 0; i < n; i++)
            pred[i] = near[i] - trial[i];
    }
    for (i = 0; i < n; i++)
        e_echo += (double)pred[i] * pred[i];
    if (alone) {
        ec->alone_in += e_in;
        ec->alone_out += e_out;
    }
    follow_floor(ec, e_out < e_in ? e_out : e_in, n);
    if (echo_only && e_out < RESIDUAL * e_echo && e_out > ec->floor) {
        /* what is left is the echo the filter has not yet learned: the
         * block becomes the line's own noise */
        float g = (float)sqrt(ec->floor / e_out);
        for (i = 0; i < n; i++)
            out[i] *= g;
        e_out = ec->floor;
    }
    if (e_out < e_in)
        memcpy(near, out, (size_t)n * sizeof *near);
}

/* The far leg delay samples late (see echo_canceller_set_delay). */
static void delay_far(echo_canceller *ec, const float *far, float *out,
                      int n)
{
    int i;

    for (i = 0; i < n; i++) {
        out[i] = ec->late[ec->late_at];
        ec->late[ec->late_at] = far[i];
        if (++ec->late_at == ec->delay)
            ec->late_at = 0;
    }
}

void echo_canceller_process(echo_canceller *ec, const float *far,
                            float *near, size_t n)
{
    float late[BLOCK];

    while (n > 0) {
        int k = n < BLOCK ? (int)n : BLOCK;
        if (ec->delay > 0) {
            delay_far(ec, far, late, k);
            process_block(ec, late, near, k);
        } else {
            process_block(ec, far, near, k);
        }
        far += k;
        near += k;
        n -= (size_t)k;
    }
}

void echo_canceller_rewind(echo_canceller *ec)
{
    memset(ec->hist, 0, 2 * (size_t)ec->taps * sizeof *ec->hist);
    memset(ec->white, 0, 2 * (size_t)ec->taps * sizeof *ec->white);
    ec->at = ec->taps;
    ec->far_power = 0;
    ec->far_last = ec->near_last = ec->y_last = 0.0f;
    ec->hold = 0;
    if (ec->late)
        memset(ec->late, 0, (size_t)ec->delay * sizeof *ec->late);
    ec->late_at = 0;
    memset(ec->far_blocks, 0, (size_t)ec->nblocks * sizeof *ec->far_blocks);
}

int echo_canceller_set_delay(echo_canceller *ec, long delay)
{
    float *late = NULL;

    if (delay > 0 && !(late = calloc((size_t)delay, sizeof *late)))
        return -1;
    free(ec->late);
    ec->late = late;
    ec->delay = delay > 0 ? delay : 0;
    echo_canceller_rewind(ec);
    return 0;
}

double echo_canceller_found_db(const echo_canceller *ec)
{
    if (ec->alone_out <= 0 || ec->alone_in <= ec->alone_out)
        return 0.0;
    return 10.0 * log10(ec->alone_in / ec->alone_out);
}

void echo_canceller_free(echo_canceller *ec)
{
    if (!ec)
        return;
    free(ec->w);
    free(ec->learning);
    free(ec->hist);
    free(ec->white);
    free(ec->late);
    free(ec->far_blocks);
    free(ec);
}
