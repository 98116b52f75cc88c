/*
 * asr_phone_dens.c: the phone loop's densities, a batch of frames at a
 * time, and the codewords a codebook's top-N list is offered (see
 * asr_phone_frame.c for the lists). Every density is the float
 * pocketsphinx's ptm_mgau computes: its dimensions' terms are taken in its
 * order, one after another (the build does not fuse a multiply and a
 * subtraction).
 */
#include "asr_phone_loop.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define PL_X86 1
#endif

int asr_phone_avx2(void)
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

void asr_phone_batch(asr_phone_loop *l, float ***feats, int n, int first,
                     int band)
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
            if (l->avx2 && m->n_density % PL_GROUP == 0) {
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

int asr_phone_candidates(const float *dist, int nd, float thresh,
                         const uint8_t *member, int avx2, uint8_t *idx)
{
    int k, n = 0;

#ifdef PL_X86
    if (nd % 8 == 0 && avx2)
        return candidates_avx2(dist, nd, thresh, member, idx);
#endif
    for (k = 0; k < nd; k++)
        if (!(dist[k] < thresh) && !(member[k / 8] >> (k % 8) & 1))
            idx[n++] = (uint8_t)k;
    return n;
}

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
float asr_phone_bound(const float *top, int groups, int topn)
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

