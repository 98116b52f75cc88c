/*
 * dtmf_stream.c: samples into the receiver's windows (see dtmf_detect.c,
 * which decides each window). Pushed samples fill sub-blocks of a ring;
 * each full sub-block and the one before it make a window, settled by its
 * energy when it is quiet, by the cheap tests on its filters' float
 * outputs when it is speech or music, and otherwise handed to
 * dtmf_window_decide with its DFT values.
 */
#include "dtmf_internal.h"

#include <string.h>

/* Digital silence (either zero): the bits, ored, so that it vectorises. */
static int all_zero(const float *x, int n)
{
    uint32_t acc = 0, b;
    int i;

    for (i = 0; i < n; i++) {
        memcpy(&b, &x[i], sizeof b);
        acc |= b & 0x7fffffffu;
    }
    return acc == 0;
}

/* The cheap tests of window_candidate on the window's bins as they come
 * (float, unscaled), for a window that is not quiet: most are speech or
 * music and fail here, before the bins are turned into double. Each bound
 * is moved by CHEAP_SLACK (see its definition in dtmf_detect.c).
 * Under speech and music which row and column are strongest, and which
 * test fails, change from window to window, and branches on them cannot
 * be predicted: with vectors (GCC 12's or clang's shuffles) the tests take
 * the strongest of each group and count the bins over it without
 * branching (bench-dtmf's hour: 1.50 ns a sample against 1.73, every
 * decision the same). */
#if defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 12)
typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));

/* each lane's larger of a and b (GCC's C has no ?: on vectors) */
static v4f larger(v4f a, v4f b)
{
    v4i a_wins = (v4i)(a > b), ai, bi;

    memcpy(&ai, &a, sizeof ai);
    memcpy(&bi, &b, sizeof bi);
    ai = (ai & a_wins) | (bi & ~a_wins);
    memcpy(&a, &ai, sizeof a);
    return a;
}

/* the lanes' largest, in every lane */
static v4f lanes_max(v4f q)
{
    q = larger(q, __builtin_shufflevector(q, q, 1, 0, 3, 2));
    return larger(q, __builtin_shufflevector(q, q, 2, 3, 0, 1));
}

static int window_fails_cheaply(const dtmf_detector *d, const float *vr,
                                const float *vi, double energy)
{
    v4f rr, ri, cr, ci, qr, qc, mr, mc;
    v4i over;

    memcpy(&rr, vr, sizeof rr);
    memcpy(&ri, vi, sizeof ri);
    memcpy(&cr, vr + 4, sizeof cr);
    memcpy(&ci, vi + 4, sizeof ci);
    qr = rr * rr + ri * ri;
    qc = cr * cr + ci * ci;
    mr = lanes_max(qr);
    mc = lanes_max(qc);
    if ((mr[0] < d->cheap_min) | (mc[0] < d->cheap_min) |
        (mr[0] + mc[0] < d->cheap_share * energy))
        return 1;
    /* the strongest tone is over its own power times cheap_peak (above
     * 1), so it counts itself once: any other lane counted fails */
    over = (mr < d->cheap_peak * qr) + (mc < d->cheap_peak * qc);
    return over[0] + over[1] + over[2] + over[3] < -2;
}
#else
static int window_fails_cheaply(const dtmf_detector *d, const float *vr,
                                const float *vi, double energy)
{
    float q[NFILT];
    int k, r = 0, c = 4;

    for (k = 0; k < NFILT; k++)
        q[k] = vr[k] * vr[k] + vi[k] * vi[k];
    for (k = 1; k < 4; k++)
        if (q[k] > q[r])
            r = k;
    for (k = 5; k < 8; k++)
        if (q[k] > q[c])
            c = k;
    if (q[r] < d->cheap_min || q[c] < d->cheap_min ||
        q[r] + q[c] < d->cheap_share * energy)
        return 1;
    for (k = 0; k < 4; k++)
        if ((k != r && q[r] < d->cheap_peak * q[k]) ||
            (k + 4 != c && q[c] < d->cheap_peak * q[k + 4]))
            return 1;
    return 0;
}
#endif

/* The filters over one sub-block of the window's samples (0: the previous,
 * 1: the running one), as its DFT values turned by e^{jw(hop-1)}. The
 * pointers are restrict: GCC otherwise leaves the loop scalar, since yr
 * might be the bank's own state (1.43 ns a sample against 1.50). */
static void subblock_filter(dtmf_detector *restrict d, int which,
                            float *restrict yr, float *restrict yi)
{
    int k;

    d->run_filters(&d->bank, d->samples + which * d->hop, d->hop);
    for (k = 0; k < NFILT; k++) {
        yr[k] = d->bank.s1[k] - d->cosw[k] * d->bank.s2[k];
        yi[k] = d->sinw[k] * d->bank.s2[k];
    }
}

/* The end of a sub-block: combine it with the previous one into a window
 * and decide it. A filter's output y is the sub-block's DFT turned by
 * e^{jw(hop-1)}; the window's DFT is (y_prev + y advance) turned back by
 * the same angle, which only the two bins of a candidate need (one complex
 * product a bin saved on the hot path: 14% of the receiver's time).
 *
 * The filters run only for a window that is not quiet, when it is decided,
 * on the samples kept for it: a quiet window is settled by its energy, and
 * 42% of the windows bench-dtmf decides are quiet (its hour of dialling,
 * music, speech and line noise: 2.30x spandsp's throughput, was 1.98x;
 * 2.9x with window_fails_cheaply and 16-bit samples converted in place,
 * 3.17x with the ring; 3.8x with that and the sub-block's filters and
 * energy as dtmf_filters.h and window_fails_cheaply say).
 * A sub-block whose first window was quiet is filtered when its second is
 * not. The decisions are those of filtering every sub-block: each digit,
 * time and level of the talk-off sets is unchanged. */
static void subblock_done(dtmf_detector *d)
{
    float yr[NFILT], yi[NFILT];
    cplx V[NFILT];
    double e = d->fill_energy;
    int filtered = 0, silent, k;

    silent = e == 0.0 && d->prev_energy == 0.0 &&
             all_zero(d->samples, d->window);
    d->fill = 0;
    d->fill_energy = 0.0f;
    if (d->history < LONG_SUBBLOCKS)
        d->history++;
    if (d->have_prev && dtmf_window_is_quiet(d, d->prev_energy + e)) {
        dtmf_window_without(d, d->prev_energy + e, d->pos - d->window);
    } else if (d->have_prev) {
        float vr[NFILT], vi[NFILT];
        if (!d->prev_filtered)
            subblock_filter(d, 0, d->prev_re, d->prev_im);
        subblock_filter(d, 1, yr, yi);
        filtered = 1;
        for (k = 0; k < NFILT; k++) {
            vr[k] = d->prev_re[k] + yr[k] * d->adv_re[k] -
                    yi[k] * d->adv_im[k];
            vi[k] = d->prev_im[k] + yr[k] * d->adv_im[k] +
                    yi[k] * d->adv_re[k];
        }
        /* a window of a run may fail the purity tests and still hold
         * its digit over the long window (window_candidate): only the
         * exact tests know */
        if (d->active < 0 && d->run_digit < 0 &&
            window_fails_cheaply(d, vr, vi, d->prev_energy + e)) {
            dtmf_window_without(d, d->prev_energy + e, d->pos - d->window);
        } else {
            for (k = 0; k < NFILT; k++) {
                V[k].re = vr[k];
                V[k].im = vi[k];
            }
            dtmf_window_decide(d, V, d->prev_energy + e, d->pos - d->window);
        }
    }
    /* the next window begins where this one's second half does: the
     * window moves along the ring, and its first half, with the long
     * window's history, is copied back to the ring's start only when the
     * ring runs out */
    d->samples += d->hop;
    if (d->samples + d->window > d->ring + RING_SUBBLOCKS * d->hop) {
        memcpy(d->ring, d->samples - LONG_HISTORY * d->hop,
               (size_t)(LONG_HISTORY + 1) * d->hop * sizeof *d->ring);
        d->samples = d->ring + LONG_HISTORY * d->hop;
    }
    if (filtered) {
        memcpy(d->prev_re, yr, sizeof yr);
        memcpy(d->prev_im, yi, sizeof yi);
    }
    d->prev_filtered = filtered;
    d->prev_energy = e;
    d->at_rest = d->have_prev && silent && d->run_digit < 0 && d->active < 0;
    d->have_prev = 1;
}

/* The take samples just written after the running sub-block's: the
 * sub-block ends when it is full. A scripted caller is digitally silent
 * most of a call, and fast mode runs the receiver over all of it: silence
 * at rest decides a silent window again, changing nothing but the clock. */
static void samples_taken(dtmf_detector *d, int take)
{
    const float *x = d->samples + d->hop + d->fill;

    d->fill += take;
    d->pos += take;
    if (d->at_rest && d->fill_silent && all_zero(x, take)) {
        if (d->fill == d->hop)
            d->fill = 0;
        return;
    }
    d->fill_silent = 0;
    if (d->fill == d->hop) {
        subblock_done(d);
        d->fill_silent = 1;
    }
}

void dtmf_detector_push(dtmf_detector *d, const float *x, size_t n)
{
    while (n > 0) {
        int want = d->hop - d->fill;
        int take = n < (size_t)want ? (int)n : want;

        d->fill_energy += dtmf_copy_samples(x, d->samples + d->hop + d->fill,
                                            take);
        samples_taken(d, take);
        x += take;
        n -= (size_t)take;
    }
}

/* Converted straight into the window's samples: one pass, not two. */
void dtmf_detector_push_s16(dtmf_detector *d, const int16_t *x, size_t n)
{
    while (n > 0) {
        int want = d->hop - d->fill;
        int take = n < (size_t)want ? (int)n : want;

        d->fill_energy += dtmf_s16_to_float(x, d->samples + d->hop + d->fill,
                                            take);
        samples_taken(d, take);
        x += take;
        n -= (size_t)take;
    }
}
