/*
 * asr_phone_model.c: the phone loop's share of a pocketsphinx acoustic
 * model, read from its files: the context-independent phones (the mdef's
 * first), their transition matrices, every codebook's Gaussians and the
 * context-independent senones' mixture weights.
 *
 * Each value is made as pocketsphinx 5prealpha makes it (tmat_init,
 * gauden_dist_precompute, gauden_mllr_transform, read_sendump), with the
 * same sphinxbase functions and the same float operations in the same
 * order, so that a density's score is the same float to the last bit:
 * the loop's score is then pocketsphinx's, and every threshold set on it
 * stays right.
 *
 * Served: tied mixtures with one codebook per phone ("ptm", as Debian's
 * en-us), 3-state phones, an 8-bit sendump. Anything else is refused with
 * why, and asr_loop.c then runs pocketsphinx's own loop.
 */
#include "asr_phone_loop.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sphinxbase/bio.h>
#include <sphinxbase/logmath.h>

#define SENSCR_SHIFT 10
#define BIN_MDEF_MAGIC 0x46444d42   /* "BMDF" */

/* why a file does not serve: "PATH: WHAT" */
static int fail(char *why, size_t size, const char *path, const char *what)
{
    snprintf(why, size, "%s: %s", path, what);
    return -1;
}

static int read_i32(FILE *f, int32_t *v)
{
    return fread(v, 4, 1, f) == 1 ? 0 : -1;
}

/* The binary mdef (bin_mdef.c's layout, native byte order): the phones'
 * senone sequences and transition matrices, and the silence phone. */
static int read_mdef(asr_phone_model *m, const char *path, int **tmat,
                     char *why, size_t size)
{
    FILE *f = fopen(path, "rb");
    int32_t magic, version, len, h[10], ssid_n;
    long names;
    int i, s, c = 0, ok = -1;
    int32_t (*phone)[3] = NULL;   /* ssid, tmat, attributes */
    uint16_t *sseq = NULL;

    if (!f)
        return fail(why, size, path, "does not open");
    if (read_i32(f, &magic) || magic != BIN_MDEF_MAGIC || read_i32(f, &version)
        || read_i32(f, &len) || fseek(f, len, SEEK_CUR) != 0)
        goto out;
    for (i = 0; i < 10; i++)
        if (read_i32(f, &h[i]))
            goto out;
    /* n_ciphone n_phone n_emit_state n_ci_sen n_sen n_tmat n_sseq n_ctx
     * n_cd_tree sil */
    if (h[2] != PL_STATES || h[0] < 1 || h[0] > 255 || h[6] < 1
        || h[9] < 0 || h[9] >= h[0] || h[3] < 1 || h[3] > h[4]) {
        fail(why, size, path, "not a model of 3-state phones");
        goto out;
    }
    m->n_ci = h[0];
    m->n_ci_sen = h[3];
    m->sil = h[9];
    names = ftell(f);
    for (i = 0; i < m->n_ci; i++)   /* the phones' names, then padding */
        while ((c = fgetc(f)) > 0)
            ;
    if (c < 0 || fseek(f, (ftell(f) - names + 3) / 4 * 4 + names
                       + 8L * h[8], SEEK_SET) != 0)
        goto out;
    phone = malloc((size_t)h[1] * sizeof *phone);
    if (!phone || fread(phone, sizeof *phone, (size_t)h[1], f) != (size_t)h[1]
        || read_i32(f, &ssid_n) || ssid_n != h[6] * PL_STATES)
        goto out;
    sseq = malloc((size_t)ssid_n * sizeof *sseq);
    *tmat = malloc((size_t)m->n_ci * sizeof **tmat);
    m->senone = malloc((size_t)m->n_ci * sizeof *m->senone);
    m->sen2cb = malloc((size_t)m->n_ci_sen * sizeof *m->sen2cb);
    if (!sseq || !*tmat || !m->senone || !m->sen2cb
        || fread(sseq, 2, (size_t)ssid_n, f) != (size_t)ssid_n)
        goto out;
    for (i = 0; i < m->n_ci_sen; i++)
        m->sen2cb[i] = -1;
    for (i = 0; i < m->n_ci; i++) {
        if (phone[i][0] < 0 || phone[i][0] >= h[6] || phone[i][1] < 0
            || phone[i][1] >= h[5])
            goto out;
        (*tmat)[i] = phone[i][1];
        for (s = 0; s < PL_STATES; s++) {
            int sen = sseq[phone[i][0] * PL_STATES + s];
            if (sen >= m->n_ci_sen)
                goto out;
            m->senone[i][s] = sen;
            m->sen2cb[sen] = i;
        }
    }
    ok = 0;
out:
    if (ok != 0 && !*why)
        fail(why, size, path, "not a binary model definition this loop reads");
    free(phone);
    free(sseq);
    fclose(f);
    return ok;
}

/* tmat_init: each row normalised, floored, normalised again, then
 * negated log in the senone scores' units. */
static int read_tmat(asr_phone_model *m, const char *path, const int *tmat,
                     logmath_t *lmath, double floor, char *why, size_t size)
{
    FILE *f = fopen(path, "rb");
    char **name, **val;
    int32_t swap, n_tmat, n_src, n_dst, n, i, j, k;
    uint32_t chk = 0;
    float *tp = NULL;
    int ok = -1;

    if (!f)
        return fail(why, size, path, "does not open");
    if (bio_readhdr(f, &name, &val, &swap) < 0)
        goto out;
    bio_hdrarg_free(name, val);
    if (bio_fread(&n_tmat, 4, 1, f, swap, &chk) != 1
        || bio_fread(&n_src, 4, 1, f, swap, &chk) != 1
        || bio_fread(&n_dst, 4, 1, f, swap, &chk) != 1
        || bio_fread(&n, 4, 1, f, swap, &chk) != 1
        || n_src != PL_STATES || n_dst != PL_STATES + 1 || n_tmat < 1
        || n != n_tmat * n_src * n_dst)
        goto out;
    tp = malloc((size_t)n * sizeof *tp);
    m->tp = malloc((size_t)m->n_ci * sizeof *m->tp);
    if (!tp || !m->tp || bio_fread(tp, 4, n, f, swap, &chk) != n)
        goto out;
    for (i = 0; i < m->n_ci; i++) {
        if (tmat[i] >= n_tmat)
            goto out;
        for (j = 0; j < n_src; j++) {
            float *row = tp + ((size_t)tmat[i] * n_src + j) * n_dst;
            float r[PL_STATES + 1];
            double sum;
            int pass;
            memcpy(r, row, sizeof r);
            for (pass = 0; pass < 2; pass++) {   /* vector_sum_norm */
                for (sum = 0, k = 0; k < n_dst; k++)
                    sum += r[k];
                if (sum != 0.0)
                    for (k = 0; k < n_dst; k++)
                        r[k] = (float)(r[k] * (1.0 / sum));
                if (pass == 0)                   /* vector_nz_floor */
                    for (k = 0; k < n_dst; k++)
                        if (r[k] != 0.0f && r[k] < floor)
                            r[k] = (float)floor;
            }
            for (k = 0; k < n_dst; k++) {
                int ltp = -logmath_log(lmath, r[k]) >> SENSCR_SHIFT;
                m->tp[i][j][k] = (uint8_t)(ltp > 255 ? 255 : ltp);
            }
        }
    }
    ok = 0;
out:
    if (ok != 0)
        fail(why, size, path, "not transition matrices of 3-state phones");
    free(tp);
    fclose(f);
    return ok;
}

/* gauden_param_read: n_mgau x n_feat x n_density vectors; the shape is
 * checked against m's (set by the means). */
static float *read_gauden(asr_phone_model *m, const char *path, int set,
                          char *why, size_t size)
{
    FILE *f = fopen(path, "rb");
    char **name, **val;
    int32_t swap, n_mgau, n_feat, n_density, len[PL_MAX_FEAT], n, i, blk = 0;
    uint32_t chk = 0;
    float *buf = NULL;

    if (!f) {
        fail(why, size, path, "does not open");
        return NULL;
    }
    if (bio_readhdr(f, &name, &val, &swap) < 0)
        goto bad;
    bio_hdrarg_free(name, val);
    if (bio_fread(&n_mgau, 4, 1, f, swap, &chk) != 1
        || bio_fread(&n_feat, 4, 1, f, swap, &chk) != 1
        || bio_fread(&n_density, 4, 1, f, swap, &chk) != 1
        || n_feat < 1 || n_feat > PL_MAX_FEAT || n_density < 1
        || n_density > 256
        || bio_fread(len, 4, n_feat, f, swap, &chk) != n_feat)
        goto bad;
    for (i = 0; i < n_feat; i++) {
        if (len[i] < 1 || len[i] > 64)
            goto bad;
        blk += len[i];
    }
    if (set) {
        m->n_feat = n_feat;
        m->n_density = n_density;
        for (i = 0; i < n_feat; i++)
            m->featlen[i] = len[i];
    } else if (n_feat != m->n_feat || n_density != m->n_density) {
        goto bad;
    }
    if (n_mgau != m->n_ci) {
        fail(why, size, path, "not one codebook a phone (a ptm model)");
        fclose(f);
        return NULL;
    }
    for (i = 0; i < n_feat; i++)
        if (len[i] != m->featlen[i])
            goto bad;
    if (bio_fread(&n, 4, 1, f, swap, &chk) != 1
        || n != n_mgau * n_density * blk
        || !(buf = malloc((size_t)n * sizeof *buf))
        || bio_fread(buf, 4, n, f, swap, &chk) != n)
        goto bad;
    fclose(f);
    return buf;
bad:
    free(buf);
    fail(why, size, path, "not Gaussians of the shape this loop serves");
    fclose(f);
    return NULL;
}

/* One band's Gaussians from the files' means and variances, moved by
 * mllr (A, b, h as ps_mllr_read holds them) when given: as
 * gauden_mllr_transform, then gauden_dist_precompute. */
static int make_band(asr_phone_model *m, pl_gaussians *g, const float *mean,
                     const float *var, const float *mllr, logmath_t *lmath,
                     float varfloor)
{
    int c, f, d, i, k, nd = m->n_density;
    const float *mp = mean, *vp = var;
    size_t mllr_off = 0;

    g->mean = malloc((size_t)m->n_ci * m->cb_size * sizeof *g->mean);
    g->var = malloc((size_t)m->n_ci * m->cb_size * sizeof *g->var);
    g->mean_d = malloc((size_t)m->n_ci * m->cb_size * sizeof *g->mean_d);
    g->var_d = malloc((size_t)m->n_ci * m->cb_size * sizeof *g->var_d);
    g->det = malloc((size_t)m->n_ci * m->n_feat * nd * sizeof *g->det);
    if (!g->mean || !g->var || !g->mean_d || !g->var_d || !g->det)
        return -1;
    for (c = 0; c < m->n_ci; c++) {
        mllr_off = 0;
        for (f = 0; f < m->n_feat; f++) {
            int len = m->featlen[f];
            size_t off = c * m->cb_size + m->block[f];
            float *bm = g->mean + off, *bv = g->var + off,
                  *dm = g->mean_d + off, *dv = g->var_d + off;
            float *det = g->det + ((size_t)c * m->n_feat + f) * nd;
            const float *A = mllr ? mllr + mllr_off : NULL;
            const float *b = A ? A + len * len : NULL, *h = b ? b + len : NULL;
            for (d = 0; d < nd; d++, mp += len, vp += len) {
                float mu[64], v[64], dt = 0;
                for (i = 0; i < len; i++) {
                    mu[i] = mp[i];
                    v[i] = vp[i];
                }
                if (A) {
                    for (i = 0; i < len; i++) {
                        double t = 0.0;
                        for (k = 0; k < len; k++)
                            t += A[i * len + k] * mp[k];   /* in float */
                        t += b[i];
                        mu[i] = (float)t;
                        v[i] *= h[i];
                    }
                }
                for (i = 0; i < len; i++) {
                    if (v[i] < varfloor)
                        v[i] = varfloor;
                    dt += (float)logmath_log(lmath,
                                             1.0 / sqrt(v[i] * 2.0 * M_PI));
                    bm[i * nd + d] = dm[d * len + i] = mu[i];
                    bv[i * nd + d] = dv[d * len + i] =
                        (float)logmath_ln_to_log(lmath, 1.0 / (v[i] * 2.0));
                }
                det[d] = dt;
            }
            if (mllr)
                mllr_off += (size_t)len * len + 2 * len;
        }
    }
    return 0;
}

/* ps_mllr_read's text (one class): n_class, n_feat, then for each
 * stream its length, A's rows, b and h; into [f]{A, b, h} floats. */
static float *parse_mllr(const asr_phone_model *m, const char *text)
{
    size_t n = 0, need = 0;
    int f, i, nclass, nfeat;
    char *end;
    float *out;

    for (f = 0; f < m->n_feat; f++)
        need += (size_t)m->featlen[f] * m->featlen[f] + 2 * m->featlen[f];
    if (!(out = malloc(need * sizeof *out)))
        return NULL;
    nclass = (int)strtol(text, &end, 10);
    nfeat = (int)strtol(end, &end, 10);
    if (nclass != 1 || nfeat != m->n_feat)
        goto bad;
    for (f = 0; f < m->n_feat; f++) {
        int len = m->featlen[f];
        if ((int)strtol(end, &end, 10) != len)
            goto bad;
        for (i = 0; i < len * len + 2 * len; i++) {
            char *p = end;
            out[n++] = strtof(p, &end);
            if (end == p)
                goto bad;
        }
    }
    return out;
bad:
    free(out);
    return NULL;
}

/* read_sendump: the context-independent senones' columns of each stream
 * and codeword's row of 8-bit negated log weights. */
static int read_sendump(asr_phone_model *m, const char *path, char *why,
                        size_t size)
{
    FILE *f = fopen(path, "rb");
    char line[1000];
    int32_t n, r = 0, c = 0;
    int first = 1, clustered = 0, ok = -1, ft, cw;
    uint8_t *row = NULL;

    if (!f)
        return fail(why, size, path, "does not open");
    for (;;) {   /* title, header, then strings until an empty one */
        if (read_i32(f, &n) || n < 0 || n >= (int32_t)sizeof line)
            goto out;
        if (n == 0 && !first)
            break;
        if (fread(line, 1, (size_t)n, f) != (size_t)n)
            goto out;
        line[n] = '\0';
        if (!strncmp(line, "cluster_count ", 14) && atoi(line + 14) != 0)
            clustered = 1;
        first = 0;
    }
    if (clustered) {
        fail(why, size, path, "4-bit mixture weights are not served");
        goto out;
    }
    if (read_i32(f, &r) || read_i32(f, &c) || r != m->n_density
        || c < m->n_ci_sen)
        goto out;
    m->mixw = malloc((size_t)m->n_feat * r * m->n_ci_sen);
    row = malloc((size_t)c);
    if (!m->mixw || !row)
        goto out;
    for (ft = 0; ft < m->n_feat; ft++)
        for (cw = 0; cw < r; cw++) {
            if (fread(row, 1, (size_t)c, f) != (size_t)c)
                goto out;
            memcpy(m->mixw + ((size_t)ft * r + cw) * m->n_ci_sen, row,
                   (size_t)m->n_ci_sen);
        }
    ok = 0;
out:
    if (ok != 0 && !*why)
        fail(why, size, path, "not a sendump this loop reads");
    free(row);
    fclose(f);
    return ok;
}

static const char *config_path(cmd_ln_t *config, const char *name)
{
    return cmd_ln_exists_r(config, name) ? cmd_ln_str_r(config, name) : NULL;
}

int asr_phone_model_load(asr_phone_model *m, cmd_ln_t *config,
                         int downsample, const char *mllr_8k,
                         char *why, size_t size)
{
    const char *mdef = config_path(config, "_mdef"),
               *tmat_path = config_path(config, "_tmat"),
               *means = config_path(config, "_mean"),
               *vars = config_path(config, "_var"),
               *sendump = config_path(config, "_sendump");
    float base = cmd_ln_float32_r(config, "-logbase");
    logmath_t *lmath = NULL, *lmath_8b = NULL;
    float *mean = NULL, *var = NULL, *mllr = NULL;
    int *tmat = NULL, ok = -1, f, d;

    memset(m, 0, sizeof *m);
    *why = '\0';
    if (!mdef || !tmat_path || !means || !vars || !sendump)
        return fail(why, size, "the model", "has no sendump (not ptm)");
    if (!(lmath = logmath_init(base, 0, FALSE))
        || !(lmath_8b = logmath_init(base, SENSCR_SHIFT, TRUE))) {
        fail(why, size, "the phone loop", "out of memory");
        goto out;
    }
    if (read_mdef(m, mdef, &tmat, why, size) != 0
        || read_tmat(m, tmat_path, tmat, lmath,
                     cmd_ln_float32_r(config, "-tmatfloor"), why, size) != 0
        || !(mean = read_gauden(m, means, 1, why, size))
        || !(var = read_gauden(m, vars, 0, why, size)))
        goto out;
    for (f = 0; f < m->n_feat; f++) {
        m->block[f] = m->cb_size;
        m->cb_size += (size_t)m->featlen[f] * m->n_density;
    }
    if (read_sendump(m, sendump, why, size) != 0)
        goto out;
    if (!(mllr = parse_mllr(m, mllr_8k))) {
        fail(why, size, "the telephone-band transform", "does not fit the model");
        goto out;
    }
    if (make_band(m, &m->band[0], mean, var, NULL, lmath,
                  cmd_ln_float32_r(config, "-varfloor")) != 0
        || make_band(m, &m->band[1], mean, var, mllr, lmath,
                     cmd_ln_float32_r(config, "-varfloor")) != 0) {
        fail(why, size, "the phone loop", "out of memory");
        goto out;
    }
    /* fast_logmath_add's table, read through logmath_add: r + table[d] */
    for (d = 0; d < PL_LOGADD_N; d++)
        m->logadd[d] = (uint8_t)logmath_add(lmath_8b, 0, -d);
    m->topn = cmd_ln_int32_r(config, "-topn");
    m->downsample = downsample;
    m->n_hist = cmd_ln_int32_r(config, "-pl_window") + 2;
    if (m->topn < 1 || m->topn > PL_MAX_TOPN || m->topn > m->n_density
        || m->downsample < 1 || m->n_hist < 2) {
        fail(why, size, "the model's settings", "-topn, -ds or -pl_window out of range");
        goto out;
    }
    /* allphone_search_init's, with no phone language model */
    m->beam = logmath_log(lmath, cmd_ln_float64_r(config, "-beam"))
              >> SENSCR_SHIFT;
    m->pbeam = logmath_log(lmath, cmd_ln_float64_r(config, "-pbeam"))
               >> SENSCR_SHIFT;
    m->inspen = (int32_t)(logmath_log(lmath, cmd_ln_float32_r(config, "-pip"))
                          * cmd_ln_float32_r(config, "-lw")) >> SENSCR_SHIFT;
    ok = 0;
out:
    if (lmath)
        logmath_free(lmath);
    if (lmath_8b)
        logmath_free(lmath_8b);
    free(tmat);
    free(mean);
    free(var);
    free(mllr);
    if (ok != 0)
        asr_phone_model_free(m);
    return ok;
}

void asr_phone_model_free(asr_phone_model *m)
{
    int b;

    free(m->senone);
    free(m->tp);
    free(m->sen2cb);
    free(m->mixw);
    for (b = 0; b < 2; b++) {
        free(m->band[b].mean);
        free(m->band[b].var);
        free(m->band[b].mean_d);
        free(m->band[b].var_d);
        free(m->band[b].det);
    }
    memset(m, 0, sizeof *m);
}
