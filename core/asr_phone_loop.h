/*
 * asr_phone_loop.h: internal to core/asr: the phone loop, the yardstick of
 * a recogniser's confidence, scored by our own code from the acoustic
 * model's files: the same path score pocketsphinx's allphone search gives
 * (it is tested equal, utterance by utterance of real speech), at about a
 * quarter of the cost. See asr_loop.c for why it exists and
 * asr_phone_model.c for what it reads.
 */
#ifndef IVR_ASR_PHONE_LOOP_H
#define IVR_ASR_PHONE_LOOP_H

#include <stddef.h>
#include <stdint.h>

#include <pocketsphinx.h>

/* the model shapes served: tied mixtures of 3-state phones */
#define PL_STATES 3
#define PL_MAX_FEAT 4
#define PL_MAX_TOPN 16
#define PL_MAX_LISTS 1024   /* phones x top-N, served eight at a time */
/* fast_logmath_add's table: a density's negated score (at most 96) plus a
 * mixture weight (at most 255) never differ by more */
#define PL_LOGADD_N 512
/* full frames whose densities are computed together (asr_phone_frame.c) */
#define PL_BATCH 8
/* densities whose best is kept (for the threshold of asr_phone_frame.c) */
#define PL_GROUP 32

/* A band's Gaussians, laid out twice: for scoring a codebook's densities
 * side by side (block (c, f), of codebook c and stream f, holds featlen[f]
 * rows of n_density means, and of precomputed inverse variances), and for
 * scoring a few alone (the same block, a density's vector after
 * another's); det holds the densities' log normalisers. */
typedef struct pl_gaussians {
    float *mean, *var;          /* dimension-major */
    float *mean_d, *var_d;      /* density-major */
    float *det;
} pl_gaussians;

/* What the loop needs of the model: the context-independent phones, their
 * senones, transitions and codebooks. */
typedef struct asr_phone_model {
    int n_ci, n_ci_sen, n_density, n_feat, sil;
    int featlen[PL_MAX_FEAT];
    size_t block[PL_MAX_FEAT];  /* offset of stream f's block in a
                                 * codebook's, in floats */
    size_t cb_size;             /* a codebook's floats, all streams */
    int (*senone)[PL_STATES];   /* each phone's senones, in order */
    uint8_t (*tp)[PL_STATES][PL_STATES + 1];   /* each phone's negated
                                                * log transitions */
    int *sen2cb;                /* senone -> its phone's codebook */
    uint8_t *mixw;              /* [f][codeword][senone], negated log */
    uint8_t logadd[PL_LOGADD_N];
    pl_gaussians band[2];       /* 0: as shipped; 1: telephone band */
    int topn, downsample, n_hist;
    int32_t beam, pbeam, inspen;
} asr_phone_model;

/* A density and its score, as pocketsphinx's top-N lists hold them. */
typedef struct pl_topn {
    int32_t cw, score;
} pl_topn;

/* One 3-state phone of the loop, as pocketsphinx's hmm_t without the
 * histories (the loop's score needs none). */
typedef struct pl_hmm {
    int32_t score[PL_STATES], out, best;
    int frame;
} pl_hmm;

typedef struct pl_history {
    int32_t ef, score;
} pl_history;

/* cepstra of an utterance: n frames */
typedef struct pl_cepstra {
    float **x;
    int n, alloc;
} pl_cepstra;

typedef struct asr_phone_loop {
    asr_phone_model m;
    int avx2;                   /* the vector code serves (else the
                                 * portable, which a test runs too) */
    /* the front end: pocketsphinx's own, run as its decoder runs it */
    void *fe, *feat;
    pl_cepstra prime;           /* of the noise heard before each
                                 * utterance (see asr_loop.c) */
    pl_cepstra utt, copy;       /* of the utterance; a copy to spend */
    float ***feats;             /* an utterance's feature frames */
    int n_feat_alloc;
    /* top-N densities of each codebook and stream, for the last n_hist
     * frames: a frame between full evaluations rescores the last one's */
    pl_topn *topn;              /* [hist][cb][f][topn] */
    uint8_t *cb_active;
    int16_t *senscr;            /* this frame's senone scores */
    float *batch;               /* densities of PL_BATCH full frames:
                                 * [frame][cb][f][codeword] */
    float *batch_top;           /* the best of each PL_GROUP of them */
    int batch_tops;             /* batch_top was filled */
    int batch_first, batch_n;   /* the first's frame number, how many */
    pl_hmm *hmm;
    pl_history *history;
    int n_history, history_cap;
} asr_phone_loop;

/* asr_phone_model.c: loads what config (a decoder's) names; 0, or -1
 * with why in why when the model is not of a shape served or does not
 * read. mllr_8k is the telephone band's transform as text. */
int asr_phone_model_load(asr_phone_model *m, cmd_ln_t *config,
                         int downsample, const char *mllr_8k,
                         char *why, size_t size);
void asr_phone_model_free(asr_phone_model *m);

/* asr_phone_dens.c: whether this machine has AVX2 (a bit libgcc's
 * constructor set); the densities of every
 * codebook for the full frames from first on (as many as PL_BATCH, up to
 * frame n) into l->batch (and each PL_GROUP's best into l->batch_top,
 * when it can); the codewords of dist (nd of them) not below thresh, or no
 * number, and not in member (a bit each), in order, into idx: how many;
 * and the bound a list's worst will at least reach, from its groups'
 * bests (-infinity when there is none to trust). */
int asr_phone_avx2(void);
void asr_phone_batch(asr_phone_loop *l, float ***feats, int n, int first,
                     int band);
int asr_phone_candidates(const float *dist, int nd, float thresh,
                         const uint8_t *member, int avx2, uint8_t *idx);
float asr_phone_bound(const float *top, int groups, int topn);

/* asr_phone_frame.c: the senone scores of frame (of the n of feats) for
 * the phones active: l->senscr. Frames come in order from 0. */
void asr_phone_frame_score(asr_phone_loop *l, float ***feats, int n,
                           int frame, int band);

/* asr_phone_search.c: the loop's Viterbi search over n frames; its path
 * score (0 when there is none, as pocketsphinx). */
int asr_phone_search(asr_phone_loop *l, float ***feats, int n, int band,
                     int32_t *score);

/* asr_phone_loop.c: the loop of the model config names, scoring every
 * downsample-th frame in full, hearing prime (16 kHz) before each
 * utterance; NULL with why. */
asr_phone_loop *asr_phone_loop_new(cmd_ln_t *config, int downsample,
                                   const char *mllr_8k, const int16_t *prime,
                                   size_t prime_n, char *why, size_t size);
/* The path score of pcm (16 kHz), heard after the prime, as pocketsphinx's
 * allphone search of the same model gives it after ps_start_stream: 0, or
 * -1. In two steps: the utterance's cepstra (kept in l->utt, the same a
 * decoder of the same settings computes, which may take a copy of them),
 * then the search. */
int asr_phone_loop_score(asr_phone_loop *l, const int16_t *pcm, size_t n,
                         int narrow, int32_t *score);
int asr_phone_loop_cepstra(asr_phone_loop *l, const int16_t *pcm, size_t n);
const pl_cepstra *asr_phone_loop_cepstra_copy(asr_phone_loop *l);
int asr_phone_loop_search(asr_phone_loop *l, int narrow, int32_t *score);
void asr_phone_loop_free(asr_phone_loop *l);

#endif
