/*
 * asr_phone_frame.c: a frame's senone scores for the phone loop, as
 * pocketsphinx's ptm_mgau_frame_eval makes them, to the same integers.
 *
 * Where the time goes: a loop keeps every phone alive, so on each frame
 * pocketsphinx evaluates (ds 2: every other frame) all 128 densities of
 * every codebook and stream, one density at a time with an early exit;
 * that was three quarters of ivr-asr's CPU. Here a codebook's densities
 * are scored side by side, eight to a vector, with no early exit (the
 * exit only skips densities that cannot enter the top N, so the list
 * comes out the same), and each density's sum is taken in pocketsphinx's
 * order, one dimension after another, so that every score is the same
 * float (the build does not contract a multiply and a subtraction into
 * one).
 *
 * What it keeps of pocketsphinx's, because the score depends on it: the
 * top-N list of each codebook carried from the frame before (and, at an
 * utterance's start, from the history ring's slot, as old as it is);
 * full evaluation only of codebooks whose phones are active, and only on
 * every downsample-th frame; normalisation over the active codebooks and
 * senones alone.
 */
#include "asr_phone_loop.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define PL_X86 1
#endif

#define SENSCR_SHIFT 10
#define MAX_NEG_ASCR 96
#define WORST_DIST ((int32_t)0x80000000)

/* a bit libgcc's constructor set: cheap to ask each time, and no state of
 * ours shared between the threads that decode */
static int have_avx2(void)
{
#ifdef PL_X86
    return __builtin_cpu_supports("avx2");
#else
    return 0;
#endif
}

/* Densities are computed for PL_BATCH full frames at once, a codebook's
 * Gaussians read once for all of them: one frame's densities read 1.7 MB
 * of means and variances, which the cache does not keep from one full
 * frame to the next, and reading them was most of the loop's time. A
 * density depends on the frame's features alone, so it can be computed
 * before the search reaches its frame. */

/* The densities of block (cb, f) of g for the frames z[0..nz-1] into
 * out[b * stride + codeword]. Portable: one density at a time. */
static void densities_any(const asr_phone_model *m, const pl_gaussians *g,
                          int cb, int f, float *const *z, int nz,
                          float *out, size_t stride)
{
    size_t nd = (size_t)m->n_density,
           off = (size_t)cb * m->cb_size + m->block[f];
    const float *mean = g->mean + off, *var = g->var + off,
                *det = g->det + ((size_t)cb * m->n_feat + f) * nd;
    int len = m->featlen[f], j, b;
    size_t k;

    for (b = 0; b < nz; b++)
        for (k = 0; k < nd; k++) {
            float d = det[k];
            for (j = 0; j < len; j++) {
                float diff = z[b][j] - mean[j * nd + k];
                float sq = diff * diff;
                float c = sq * var[j * nd + k];
                d = d - c;
            }
            out[b * stride + k] = d;
        }
}

#ifdef PL_X86
/* The best of 32 densities (no number if one is none), for the bound
 * candidates_avx2 raises its threshold to. */
__attribute__((target("avx2")))
static float group_top(__m256 d0, __m256 d1, __m256 d2, __m256 d3)
{
    __m256 v = _mm256_max_ps(_mm256_max_ps(d0, d1), _mm256_max_ps(d2, d3)),
           u = _mm256_or_ps(_mm256_or_ps(_mm256_cmp_ps(d0, d0, _CMP_UNORD_Q),
                                         _mm256_cmp_ps(d1, d1, _CMP_UNORD_Q)),
                            _mm256_or_ps(_mm256_cmp_ps(d2, d2, _CMP_UNORD_Q),
                                         _mm256_cmp_ps(d3, d3, _CMP_UNORD_Q)));
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(v),
                          _mm256_extractf128_ps(v, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_shuffle_ps(h, h, 1));
    return _mm256_movemask_ps(u) ? NAN : _mm_cvtss_f32(h);
}

/* The same, 32 densities at a time in four vectors (four chains of
 * dependent subtractions in flight, not one), their means and variances
 * (3.3 kB) staying in the first-level cache across the frames. Each lane
 * does pocketsphinx's float operations in its order, so each density is
 * the same float. */
__attribute__((target("avx2")))
static void densities_avx2(const asr_phone_model *m, const pl_gaussians *g,
                           int cb, int f, float *const *z, int nz,
                           float *out, size_t stride, float *top,
                           size_t top_stride)
{
    size_t nd = (size_t)m->n_density,
           off = (size_t)cb * m->cb_size + m->block[f];
    const float *mean = g->mean + off, *var = g->var + off,
                *det = g->det + ((size_t)cb * m->n_feat + f) * nd;
    int len = m->featlen[f], j, b;
    size_t k;

    for (k = 0; k < nd; k += 32)
        for (b = 0; b < nz; b++) {
            const float *mu = mean + k, *v = var + k;
            float *o = out + b * stride + k;
            __m256 d0 = _mm256_loadu_ps(det + k),
                   d1 = _mm256_loadu_ps(det + k + 8),
                   d2 = _mm256_loadu_ps(det + k + 16),
                   d3 = _mm256_loadu_ps(det + k + 24), x, e0, e1, e2, e3;
            for (j = 0; j < len; j++, mu += nd, v += nd) {
                x = _mm256_set1_ps(z[b][j]);
                e0 = _mm256_sub_ps(x, _mm256_loadu_ps(mu));
                e1 = _mm256_sub_ps(x, _mm256_loadu_ps(mu + 8));
                e2 = _mm256_sub_ps(x, _mm256_loadu_ps(mu + 16));
                e3 = _mm256_sub_ps(x, _mm256_loadu_ps(mu + 24));
                e0 = _mm256_mul_ps(_mm256_mul_ps(e0, e0), _mm256_loadu_ps(v));
                e1 = _mm256_mul_ps(_mm256_mul_ps(e1, e1),
                                   _mm256_loadu_ps(v + 8));
                e2 = _mm256_mul_ps(_mm256_mul_ps(e2, e2),
                                   _mm256_loadu_ps(v + 16));
                e3 = _mm256_mul_ps(_mm256_mul_ps(e3, e3),
                                   _mm256_loadu_ps(v + 24));
                d0 = _mm256_sub_ps(d0, e0);
                d1 = _mm256_sub_ps(d1, e1);
                d2 = _mm256_sub_ps(d2, e2);
                d3 = _mm256_sub_ps(d3, e3);
            }
            _mm256_storeu_ps(o, d0);
            _mm256_storeu_ps(o + 8, d1);
            _mm256_storeu_ps(o + 16, d2);
            _mm256_storeu_ps(o + 24, d3);
            top[b * top_stride + k / PL_GROUP] =
                group_top(d0, d1, d2, d3);
        }
}
#endif

/* The densities of every block for the full frames from first on (as many
 * as the batch holds, up to n), into l->batch. */
static void batch_densities(asr_phone_loop *l, float ***feats, int n,
                            int first, int band)
{
    const asr_phone_model *m = &l->m;
    size_t stride = (size_t)m->n_ci * m->n_feat * m->n_density;
    float *z[PL_MAX_FEAT][PL_BATCH];
    int nz = 0, t, cb, f;

    for (t = first; t < n && nz < PL_BATCH; t += m->downsample, nz++)
        for (f = 0; f < m->n_feat; f++)
            z[f][nz] = feats[t][f];
    l->batch_tops = 0;
    for (cb = 0; cb < m->n_ci; cb++)
        for (f = 0; f < m->n_feat; f++) {
            size_t block = (size_t)cb * m->n_feat + f;
            float *out = l->batch + block * m->n_density;
#ifdef PL_X86
            if (have_avx2() && m->n_density % PL_GROUP == 0) {
                size_t groups = (size_t)m->n_density / PL_GROUP;
                densities_avx2(m, &m->band[band], cb, f, z[f], nz, out,
                               stride, l->batch_top + block * groups,
                               (size_t)m->n_ci * m->n_feat * groups);
                l->batch_tops = 1;
                continue;
            }
#endif
            densities_any(m, &m->band[band], cb, f, z[f], nz, out, stride);
        }
    l->batch_first = first;
    l->batch_n = nz;
}

#ifdef PL_X86
/* candidates, eight at a time: few pass, and which is not predictable */
__attribute__((target("avx2")))
static int candidates_avx2(const float *dist, int nd, float thresh,
                           const uint8_t *member, uint8_t *idx)
{
    __m256 t = _mm256_set1_ps(thresh);
    int k, n = 0;

    for (k = 0; k < nd; k += 8) {
        unsigned bits = (unsigned)_mm256_movemask_ps(
            _mm256_cmp_ps(_mm256_loadu_ps(dist + k), t, _CMP_NLT_UQ))
                        & ~(unsigned)member[k / 8];
        while (bits) {
            idx[n++] = (uint8_t)(k + __builtin_ctz(bits));
            bits &= bits - 1;
        }
    }
    return n;
}
#endif

/* The codewords of dist (n_density of them) not below thresh, or no
 * number, and not in the list (member: a bit each), in order, into idx;
 * how many. */
static int candidates(const float *dist, int nd, float thresh,
                      const uint8_t *member, uint8_t *idx)
{
    int k, n = 0;

#ifdef PL_X86
    if (nd % 8 == 0 && have_avx2())
        return candidates_avx2(dist, nd, thresh, member, idx);
#endif
    for (k = 0; k < nd; k++)
        if (!(dist[k] < thresh) && !(member[k / 8] >> (k % 8) & 1))
            idx[n++] = (uint8_t)k;
    return n;
}

/* pocketsphinx's float-to-score conversion of a density (not a number,
 * which digital silence's features make, converts as x86 does) */
static int32_t density_score(float d)
{
    return d < (float)WORST_DIST || d != d ? WORST_DIST : (int32_t)d;
}

/* Whether eval_cb takes a density whose score is not a number: it tests
 * the partial sum against the threshold before each dimension of the
 * first len % 4 and before each group of four after them, and the whole
 * sum last, and a comparison with no number fails. (A sum of numbers
 * only falls, so for them only the whole sum decides.) */
static int nan_enters(const asr_phone_model *m, const pl_gaussians *g,
                      int cb, int f, const float *z, int cw, float thresh)
{
    size_t nd = (size_t)m->n_density, off = (size_t)cb * m->cb_size
                                            + m->block[f];
    int len = m->featlen[f], j, k;
    float d = g->det[((size_t)cb * m->n_feat + f) * nd + cw];

    for (j = 0; j < len; j = k) {
        int step = j < len % 4 ? 1 : 4;
        if (!(d >= thresh))
            return 0;
        for (k = j; k < j + step; k++) {
            float diff = z[k] - g->mean[off + (size_t)k * nd + cw];
            float sq = diff * diff;
            float c = sq * g->var[off + (size_t)k * nd + cw];
            d = d - c;
        }
    }
    return !(d < thresh);
}

/* The list's new scores (d, as floats) given, and it sorted by an
 * insertion sort, stable as pocketsphinx's */
static void sort_topn(pl_topn *topn, int n, const float *d)
{
    int i, j;

    for (i = 0; i < n; i++) {
        pl_topn t;
        topn[i].score = density_score(d[i]);
        t = topn[i];
        for (j = i - 1; j >= 0 && t.score > topn[j].score; j--)
            topn[j + 1] = topn[j];
        topn[j + 1] = t;
    }
}

/* eval_topn: the list's densities rescored on this frame (from dist on a
 * full frame; else their sums taken side by side, each in pocketsphinx's
 * order), then sorted by an insertion sort, stable as pocketsphinx's */
static void rescore_topn(const asr_phone_model *m, const pl_gaussians *g,
                         int cb, int f, const float *z, const float *dist,
                         pl_topn *topn)
{
    int len = m->featlen[f], n = m->topn, i, k;
    size_t off = (size_t)cb * m->cb_size + m->block[f];
    const float *det = g->det + ((size_t)cb * m->n_feat + f) * m->n_density;
    const float *mean[PL_MAX_TOPN], *var[PL_MAX_TOPN];
    float d[PL_MAX_TOPN];

    for (i = 0; i < n; i++) {
        mean[i] = g->mean_d + off + (size_t)topn[i].cw * len;
        var[i] = g->var_d + off + (size_t)topn[i].cw * len;
        d[i] = dist ? dist[topn[i].cw] : det[topn[i].cw];
    }
    if (!dist && n == 4) {
        /* the usual list, its four sums in registers, not memory */
        float d0 = d[0], d1 = d[1], d2 = d[2], d3 = d[3];
        for (k = 0; k < len; k++) {
            float e0 = z[k] - mean[0][k], e1 = z[k] - mean[1][k],
                  e2 = z[k] - mean[2][k], e3 = z[k] - mean[3][k];
            e0 = e0 * e0;
            e1 = e1 * e1;
            e2 = e2 * e2;
            e3 = e3 * e3;
            e0 = e0 * var[0][k];
            e1 = e1 * var[1][k];
            e2 = e2 * var[2][k];
            e3 = e3 * var[3][k];
            d0 = d0 - e0;
            d1 = d1 - e1;
            d2 = d2 - e2;
            d3 = d3 - e3;
        }
        d[0] = d0;
        d[1] = d1;
        d[2] = d2;
        d[3] = d3;
    } else {
        for (k = 0; k < len && !dist; k++)
            for (i = 0; i < n; i++) {
                float diff = z[k] - mean[i][k];
                float sq = diff * diff;
                float c = sq * var[i][k];
                d[i] = d[i] - c;
            }
    }
    sort_topn(topn, n, d);
}

#ifdef PL_X86
/* On a frame between full ones, every list of stream f rescored eight
 * densities at a time, each lane's sum in pocketsphinx's order (the lists'
 * densities are scattered: gathered from the density-major tables). */
__attribute__((target("avx2")))
static void rescore_stream_avx2(const asr_phone_model *m,
                                const pl_gaussians *g, int f, const float *z,
                                pl_topn *lists, size_t per)
{
    int len = m->featlen[f], n = m->n_ci * m->topn, i, k;
    int32_t off[PL_MAX_LISTS + 8], at[PL_MAX_LISTS + 8];
    float d[PL_MAX_LISTS + 8];

    for (i = 0; i < n; i++) {
        int cb = i / m->topn, cw = lists[cb * per + (size_t)(i % m->topn)].cw;
        off[i] = (int32_t)((size_t)cb * m->cb_size + m->block[f]
                           + (size_t)cw * len);
        at[i] = (int32_t)(((size_t)cb * m->n_feat + f) * m->n_density + cw);
    }
    for (; i % 8; i++) {   /* a last group's spare lanes: any density */
        off[i] = off[0];
        at[i] = at[0];
    }
    for (i = 0; i < n; i += 8) {
        __m256i o = _mm256_loadu_si256((const __m256i *)(off + i));
        __m256 sum = _mm256_i32gather_ps(g->det,
                         _mm256_loadu_si256((const __m256i *)(at + i)), 4);
        for (k = 0; k < len; k++) {
            __m256i ok = _mm256_add_epi32(o, _mm256_set1_epi32(k));
            __m256 e = _mm256_sub_ps(_mm256_set1_ps(z[k]),
                                     _mm256_i32gather_ps(g->mean_d, ok, 4));
            e = _mm256_mul_ps(e, e);
            e = _mm256_mul_ps(e, _mm256_i32gather_ps(g->var_d, ok, 4));
            sum = _mm256_sub_ps(sum, e);
        }
        _mm256_storeu_ps(d + i, sum);
    }
    for (i = 0; i < m->n_ci; i++)
        sort_topn(lists + (size_t)i * per, m->topn, d + i * m->topn);
}
#endif

/* About a third of a codebook's densities are above its list's worst as
 * rescored (the list is two frames old), and offering each in turn cost
 * more than computing them; so the threshold for being offered is first
 * raised to what the list's worst will at least become: B, the topn-th
 * best of its groups' bests (topn distinct codewords reach it, so the
 * final worst is at least B's score). A codeword more than 2 below B
 * scores below that final worst (pocketsphinx truncates a density toward
 * zero, which merges scores less than 2 apart around 0), so it neither
 * stays in the list nor decides what does: passing it over leaves the
 * list as it would be. With a group's best no number (a density in it is
 * none) the bound is not to be trusted: -infinity. */
static float raised_threshold(const float *top, int groups, int topn)
{
    float best[PL_MAX_TOPN];
    int g, i, n = 0;

    if (groups < topn)
        return -INFINITY;
    for (g = 0; g < groups; g++) {
        float x = top[g];
        if (x != x)
            return -INFINITY;
        /* best[] keeps the topn largest, in falling order */
        if (n < topn)
            n++;
        else if (x <= best[n - 1])
            continue;
        for (i = n - 1; i > 0 && best[i - 1] < x; i--)
            best[i] = best[i - 1];
        best[i] = x;
    }
    return best[topn - 1] - 2.0f;
}

/* eval_cb: every density offered to the list, in codeword order; one
 * below the list's worst (as a float) or already in it is passed over,
 * and one taken goes before those of equal score. */
static void full_topn(asr_phone_loop *l, int cb, int f, const float *z,
                      const float *dist, const float *top, int band,
                      pl_topn *topn)
{
    const asr_phone_model *m = &l->m;
    pl_topn *worst = topn + m->topn - 1;
    float thresh = (float)worst->score, offer = thresh;
    uint8_t idx[256], member[32] = {0};
    int n, c, i;

    if (top) {
        float bound = raised_threshold(top, m->n_density / PL_GROUP, m->topn);
        if (bound > offer)
            offer = bound;
    }

    /* a codeword in the list is passed over: left out at once, which
     * leaves none to find there later (the list only takes codewords
     * offered, each once) */
    for (i = 0; i < m->topn; i++)
        member[topn[i].cw / 8] |= (uint8_t)(1u << (topn[i].cw % 8));
    n = candidates(dist, m->n_density, offer, member, idx);
    /* the list's worst only rises, so a codeword below it at the start
     * stays below it */
    for (c = 0; c < n; c++) {
        int cw = idx[c];
        float d = dist[cw];
        pl_topn *cur;
        int32_t s;
        if (d != d ? !nan_enters(m, &m->band[band], cb, f, z, cw, thresh)
                   : d < thresh)
            continue;
        s = density_score(d);
        for (cur = worst - 1; cur >= topn && s >= cur->score; cur--)
            cur[1] = cur[0];
        cur[1].cw = cw;
        cur[1].score = s;
        thresh = (float)worst->score;
    }
}

void asr_phone_frame_score(asr_phone_loop *l, float ***feats, int n,
                           int frame, int band)
{
    float **z = feats[frame];
    const float *dist = NULL, *tops = NULL;
    const asr_phone_model *m = &l->m;
    size_t per = (size_t)m->n_feat * m->topn,
           slot = (size_t)m->n_ci * per;
    pl_topn *now = l->topn + (size_t)(frame % m->n_hist) * slot,
            *last = l->topn + (size_t)((frame + m->n_hist - 1) % m->n_hist)
                              * slot;
    int cb, f, k, p, s, best, full;

    if (now != last)
        memcpy(now, last, slot * sizeof *now);
    memset(l->cb_active, 0, (size_t)m->n_ci);
    for (p = 0; p < m->n_ci; p++)   /* a phone's codebook is its own */
        if (l->hmm[p].frame == frame)
            l->cb_active[m->sen2cb[m->senone[p][0]]] = 1;
    /* eval_topn for every codebook, then eval_cb for the active ones on a
     * full frame (each codebook's on its own, so one after the other) */
    full = frame % m->downsample == 0;
    if (full) {
        int b = (frame - l->batch_first) / m->downsample;
        if (frame < l->batch_first || b >= l->batch_n) {
            batch_densities(l, feats, n, frame, band);
            b = 0;
        }
        dist = l->batch + (size_t)b * m->n_ci * m->n_feat * m->n_density;
        if (l->batch_tops)
            tops = l->batch_top + (size_t)b * m->n_ci * m->n_feat
                                  * (size_t)(m->n_density / PL_GROUP);
    }
#ifdef PL_X86
    if (!full && have_avx2() && (size_t)m->n_ci * m->topn <= PL_MAX_LISTS) {
        for (f = 0; f < m->n_feat; f++)
            rescore_stream_avx2(m, &m->band[band], f, z[f],
                                now + (size_t)f * m->topn, per);
    } else
#endif
    for (cb = 0; cb < m->n_ci; cb++)
        for (f = 0; f < m->n_feat; f++) {
            pl_topn *t = now + cb * per + (size_t)f * m->topn;
            const float *bd = dist ? dist + ((size_t)cb * m->n_feat + f)
                                            * m->n_density : NULL;
            rescore_topn(m, &m->band[band], cb, f, z[f], bd, t);
            if (bd && l->cb_active[cb])
                full_topn(l, cb, f, z[f], bd,
                          tops ? tops + ((size_t)cb * m->n_feat + f)
                                        * (size_t)(m->n_density / PL_GROUP)
                               : NULL,
                          band, t);
        }
    /* ptm_mgau_codebook_norm: per stream, against the best density of
     * the active codebooks, negated, clamped for fast_logmath_add */
    for (f = 0; f < m->n_feat; f++) {
        int32_t norm = (int32_t)0xE0000000;
        for (cb = 0; cb < m->n_ci; cb++)
            if (l->cb_active[cb]) {
                int32_t top = now[cb * per + (size_t)f * m->topn].score
                              >> SENSCR_SHIFT;
                if (norm < top)
                    norm = top;
            }
        for (cb = 0; cb < m->n_ci; cb++)
            if (l->cb_active[cb])
                for (k = 0; k < m->topn; k++) {
                    pl_topn *t = now + cb * per + (size_t)f * m->topn + k;
                    t->score = -((t->score >> SENSCR_SHIFT) - norm);
                    if (t->score > MAX_NEG_ASCR)
                        t->score = MAX_NEG_ASCR;
                }
    }
    /* ptm_mgau_senone_eval over the active phones' senones */
    best = 0x7fffffff;
    memset(l->senscr, 0, (size_t)m->n_ci_sen * sizeof *l->senscr);
    for (p = 0; p < m->n_ci; p++) {
        if (l->hmm[p].frame != frame)
            continue;
        for (s = 0; s < PL_STATES; s++) {
            int sen = m->senone[p][s], ascore = 0;
            cb = m->sen2cb[sen];
            for (f = 0; f < m->n_feat; f++) {
                const pl_topn *t = now + cb * per + (size_t)f * m->topn;
                int fden = 0;
                for (k = 0; k < m->topn; k++) {
                    int v = m->mixw[((size_t)f * m->n_density + t[k].cw)
                                    * m->n_ci_sen + sen] + t[k].score;
                    if (k == 0) {
                        fden = v;
                    } else {
                        int d = fden > v ? fden - v : v - fden,
                            r = fden > v ? v : fden;
                        fden = r - m->logadd[d < PL_LOGADD_N ? d
                                                             : PL_LOGADD_N - 1];
                    }
                }
                ascore += fden;
            }
            if (ascore < best)
                best = ascore;
            l->senscr[sen] = (int16_t)ascore;
        }
    }
    for (s = 0; s < m->n_ci_sen; s++)
        l->senscr[s] = (int16_t)(l->senscr[s] - best);
}
