/*
 * asr_phone_loop.c: the phone loop of our own: pocketsphinx's front end
 * (sphinxbase's fe and feat, set up and called as its acmod does for a
 * whole utterance), then our senone scores and search.
 */
#include "asr_phone_loop.h"

#include <stdlib.h>
#include <string.h>

#include <sphinxbase/agc.h>
#include <sphinxbase/ckd_alloc.h>
#include <sphinxbase/cmn.h>
#include <sphinxbase/fe.h>
#include <sphinxbase/feat.h>

#define WORST_DIST ((int32_t)0x80000000)

static int cepstra(asr_phone_loop *l, const int16_t *pcm, size_t n,
                   pl_cepstra *c);

/* acmod_init_feat's feature computation, from the decoder's settings */
static feat_t *make_feat(cmd_ln_t *config)
{
    feat_t *fcb = feat_init(cmd_ln_str_r(config, "-feat"),
                            cmn_type_from_str(cmd_ln_str_r(config, "-cmn")),
                            cmd_ln_boolean_r(config, "-varnorm"),
                            agc_type_from_str(cmd_ln_str_r(config, "-agc")),
                            0, cmd_ln_int32_r(config, "-ceplen"));
    const char *sv = cmd_ln_str_r(config, "-svspec"),
               *init = cmd_ln_exists_r(config, "-cmninit")
                           ? cmd_ln_str_r(config, "-cmninit") : NULL;

    if (!fcb)
        return NULL;
    if (cmd_ln_str_r(config, "_lda")) {   /* not served: say so */
        feat_free(fcb);
        return NULL;
    }
    if (sv) {
        int32 **subvecs = parse_subvecs(sv);
        if (!subvecs || feat_set_subvecs(fcb, subvecs) < 0) {
            feat_free(fcb);
            return NULL;
        }
    }
    if (fcb->cmn_struct && init) {
        /* acmod's parse: comma-separated, as many as the vector holds */
        const char *c = init;
        char *end;
        int i;
        for (i = 0; i < fcb->cmn_struct->veclen && *c; i++) {
            fcb->cmn_struct->cmn_mean[i] = (mfcc_t)strtod(c, &end);
            if (*end != ',')
                break;
            c = end + 1;
        }
    }
    return fcb;
}

asr_phone_loop *asr_phone_loop_new(cmd_ln_t *config, int downsample,
                                   const char *mllr_8k, const int16_t *prime,
                                   size_t prime_n, char *why, size_t size)
{
    asr_phone_loop *l = calloc(1, sizeof *l);
    feat_t *fcb;
    size_t slots, i;

    if (!l) {
        snprintf(why, size, "out of memory");
        return NULL;
    }
    if (asr_phone_model_load(&l->m, config, downsample, mllr_8k, why,
                             size) != 0) {
        free(l);
        return NULL;
    }
    l->fe = fe_init_auto_r(config);
    l->feat = make_feat(config);
    slots = (size_t)l->m.n_hist * l->m.n_ci * l->m.n_feat * l->m.topn;
    l->topn = malloc(slots * sizeof *l->topn);
    l->cb_active = malloc((size_t)l->m.n_ci);
    l->senscr = malloc((size_t)l->m.n_ci_sen * sizeof *l->senscr);
    l->hmm = malloc((size_t)l->m.n_ci * sizeof *l->hmm);
    l->batch = malloc((size_t)PL_BATCH * l->m.n_ci * l->m.n_feat
                      * l->m.n_density * sizeof *l->batch);
    l->batch_top = malloc(((size_t)PL_BATCH * l->m.n_ci * l->m.n_feat
                           * l->m.n_density / PL_GROUP + 1)
                          * sizeof *l->batch_top);
    if (!l->fe || !l->feat || !l->topn || !l->cb_active || !l->senscr
        || !l->hmm || !l->batch || !l->batch_top) {
        snprintf(why, size, "the front end does not set up");
        asr_phone_loop_free(l);
        return NULL;
    }
    fcb = l->feat;
    if (feat_dimension1(fcb) != l->m.n_feat) {
        snprintf(why, size, "the features do not fit the model");
        asr_phone_loop_free(l);
        return NULL;
    }
    /* the prime's cepstra are the same each time: made once */
    if (prime_n > 0 && cepstra(l, prime, prime_n, &l->prime) != 0) {
        snprintf(why, size, "the front end does not run");
        asr_phone_loop_free(l);
        return NULL;
    }
    l->avx2 = asr_phone_avx2();
    /* ptm_mgau_init's arbitrary start */
    for (i = 0; i < slots; i++) {
        l->topn[i].cw = (int32_t)(i % (size_t)l->m.topn);
        l->topn[i].score = WORST_DIST;
    }
    return l;
}

/* room in c for n frames of cepstra of width w: 0 or -1 */
static int cep_room(pl_cepstra *c, int n, int w)
{
    if (c->alloc >= n)
        return 0;
    if (c->x)
        ckd_free_2d(c->x);
    c->x = ckd_calloc_2d((size_t)n, (size_t)w, sizeof **c->x);
    c->alloc = c->x ? n : 0;
    return c->x ? 0 : -1;
}

/* acmod_process_full_raw's front end, after ps_start_stream and
 * ps_start_utt: the cepstra of the whole utterance into c */
static int cepstra(asr_phone_loop *l, const int16_t *pcm, size_t n,
                   pl_cepstra *c)
{
    fe_t *fe = l->fe;
    const int16 *p = pcm;
    size_t left = n;
    int32 nfr = 0, tail = 0;

    fe_start_stream(fe);
    fe_start_utt(fe);
    if (fe_process_frames(fe, NULL, &left, NULL, &nfr, NULL) < 0
        || cep_room(c, nfr + 1, fe_get_output_size(fe)) != 0)
        return -1;
    fe_start_utt(fe);
    if (fe_process_frames(fe, &p, &left, c->x, &nfr, NULL) < 0)
        return -1;
    fe_end_utt(fe, c->x[nfr], &tail);
    c->n = nfr + tail;
    return 0;
}

/* acmod_process_full_cep and the search: features with the utterance's
 * own mean (computed over c's cepstra, in place), then the loop */
static int search_cepstra(asr_phone_loop *l, pl_cepstra *c, int narrow,
                          int32_t *score)
{
    feat_t *fcb = l->feat;
    int32 nfr = c->n, tail = 0;

    *score = 0;
    if (l->n_feat_alloc < nfr) {
        if (l->feats)
            feat_array_free(l->feats);
        l->feats = feat_array_alloc(fcb, nfr);
        l->n_feat_alloc = l->feats ? nfr : 0;
        if (!l->feats)
            return -1;
    }
    nfr = feat_s2mfc2feat_live(fcb, c->x, &nfr, TRUE, TRUE, l->feats);
    /* acmod_end_utt: what is left of the front end, and the stats */
    fe_end_utt(l->fe, c->x[0], &tail);
    feat_update_stats(fcb);
    return asr_phone_search(l, l->feats, nfr, narrow ? 1 : 0, score);
}

int asr_phone_loop_cepstra(asr_phone_loop *l, const int16_t *pcm, size_t n)
{
    return cepstra(l, pcm, n, &l->utt);
}

/* from into l->copy, which a search may spend */
static pl_cepstra *copy_cepstra(asr_phone_loop *l, const pl_cepstra *from)
{
    int i, w = fe_get_output_size(l->fe);

    if (cep_room(&l->copy, from->n + 1, w) != 0)
        return NULL;
    for (i = 0; i < from->n; i++)
        memcpy(l->copy.x[i], from->x[i], (size_t)w * sizeof **from->x);
    l->copy.n = from->n;
    return &l->copy;
}

const pl_cepstra *asr_phone_loop_cepstra_copy(asr_phone_loop *l)
{
    return copy_cepstra(l, &l->utt);
}

int asr_phone_loop_search(asr_phone_loop *l, int narrow, int32_t *score)
{
    pl_cepstra *prime;

    if (l->prime.n > 0
        && (!(prime = copy_cepstra(l, &l->prime))
            || search_cepstra(l, prime, narrow, score) != 0))
        return -1;
    return search_cepstra(l, &l->utt, narrow, score);
}

int asr_phone_loop_score(asr_phone_loop *l, const int16_t *pcm, size_t n,
                         int narrow, int32_t *score)
{
    *score = 0;
    if (cepstra(l, pcm, n, &l->utt) != 0)
        return -1;
    return asr_phone_loop_search(l, narrow, score);
}

void asr_phone_loop_free(asr_phone_loop *l)
{
    if (!l)
        return;
    if (l->fe)
        fe_free(l->fe);
    if (l->feat)
        feat_free(l->feat);
    if (l->prime.x)
        ckd_free_2d(l->prime.x);
    if (l->utt.x)
        ckd_free_2d(l->utt.x);
    if (l->copy.x)
        ckd_free_2d(l->copy.x);
    if (l->feats)
        feat_array_free(l->feats);
    free(l->topn);
    free(l->cb_active);
    free(l->senscr);
    free(l->hmm);
    free(l->batch);
    free(l->batch_top);
    free(l->history);
    asr_phone_model_free(&l->m);
    free(l);
}
