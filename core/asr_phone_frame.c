/*
 * asr_phone_frame.c: a frame's senone scores for the phone loop, as
 * pocketsphinx's ptm_mgau_frame_eval makes them, to the same integers.
 *
 * Where the time goes: a loop keeps every phone alive, so on each frame
 * pocketsphinx evaluates (ds 2: every other frame) all 128 densities of
 * every codebook and stream, one density at a time with an early exit;
 * that was three quarters of ivr-asr's CPU. Here a codebook's densities
 * come from asr_phone_dens.c, computed side by side for a batch of
 * frames, with no early exit (the exit only skips densities that cannot
 * enter the top N, so the list comes out the same).
 *
 * What it keeps of pocketsphinx's, because the score depends on it: the
 * top-N list of each codebook carried from the frame before (and, at an
 * utterance's start, from the history ring's slot, as old as it is);
 * full evaluation only of codebooks whose phones are active, and only on
 * every downsample-th frame; normalisation over the active codebooks and
 * senones alone.
 */
#include "asr_phone_loop.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define PL_X86 1
#endif

#define SENSCR_SHIFT 10
#define MAX_NEG_ASCR 96
#define WORST_DIST ((int32_t)0x80000000)

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
    for (k = 0; k < len && !dist; k++)
        for (i = 0; i < n; i++) {
            float diff = z[k] - mean[i][k];
            float sq = diff * diff;
            float c = sq * var[i][k];
            d[i] = d[i] - c;
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
        float bound = asr_phone_bound(top, m->n_density / PL_GROUP, m->topn);
        if (bound > offer)
            offer = bound;
    }

    /* a codeword in the list is passed over: left out at once, which
     * leaves none to find there later (the list only takes codewords
     * offered, each once) */
    for (i = 0; i < m->topn; i++)
        member[topn[i].cw / 8] |= (uint8_t)(1u << (topn[i].cw % 8));
    n = asr_phone_candidates(dist, m->n_density, offer, member, l->avx2,
                             idx);
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
            asr_phone_batch(l, feats, n, frame, band);
            b = 0;
        }
        dist = l->batch + (size_t)b * m->n_ci * m->n_feat * m->n_density;
        if (l->batch_tops)
            tops = l->batch_top + (size_t)b * m->n_ci * m->n_feat
                                  * (size_t)(m->n_density / PL_GROUP);
    }
#ifdef PL_X86
    if (!full && l->avx2 && (size_t)m->n_ci * m->topn <= PL_MAX_LISTS) {
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
