/*
 * asr_phone_search.c: the phone loop's Viterbi search, as pocketsphinx's
 * allphone search runs it with context-independent phones and no phone
 * language model (allphone_search.c, hmm.c's 3-state left-to-right
 * evaluation), to the same path score.
 *
 * Every phone may follow every phone at the insertion penalty's cost;
 * each frame a phone within pbeam of the frame's best leaves a history
 * entry (its exit score), and the entries enter every phone whose entry
 * they would improve within beam. The path score is the best entry of the
 * last frame that has any. The phones' own order is pocketsphinx's (the
 * mdef's), which decides nothing here: only scores are kept, not which
 * of two equal histories won.
 */
#include "asr_phone_loop.h"

#include <stdlib.h>

#define WORST_SCORE ((int32_t)0xE0000000)
#define TMAT_WORST_SCORE (-255)

static void hmm_clear(pl_hmm *h)
{
    int s;

    for (s = 0; s < PL_STATES; s++) {
        h->score[s] = WORST_SCORE;
        h->hist[s] = -1;
    }
    h->out = WORST_SCORE;
    h->out_hist = -1;
    h->best = WORST_SCORE;
    h->frame = -1;
}

static void hmm_enter(pl_hmm *h, int32_t score, int32_t hist, int frame)
{
    h->score[0] = score;
    h->hist[0] = hist;
    h->frame = frame;
}

/* hmm_vit_eval_3st_lr, step for step (its comparisons decide which score
 * is kept where two are equal; the scores are what matter here) */
static int32_t hmm_eval(pl_hmm *h, const uint8_t *tpm,
                        const int *sen, const int16_t *senscr)
{
#define TP(i, j) (-(int32_t)tpm[(i) * (PL_STATES + 1) + (j)])
    int32_t s3, s2, s1, s0, t2, t1, t0, best = WORST_SCORE;

    s2 = h->score[2] - senscr[sen[2]];
    s1 = h->score[1] - senscr[sen[1]];
    s0 = h->score[0] - senscr[sen[0]];
    t2 = INT32_MIN;
    if (s1 > WORST_SCORE) {
        t1 = s2 + TP(2, 3);
        if (TP(1, 3) > TMAT_WORST_SCORE)
            t2 = s1 + TP(1, 3);
        if (t1 > t2) {
            s3 = t1;
            h->out_hist = h->hist[2];
        } else {
            s3 = t2;
            h->out_hist = h->hist[1];
        }
        if (s3 < WORST_SCORE)
            s3 = WORST_SCORE;
        h->out = s3;
        best = s3;
    }
    t0 = s2 + TP(2, 2);
    t1 = s1 + TP(1, 2);
    if (TP(0, 2) > TMAT_WORST_SCORE)
        t2 = s0 + TP(0, 2);
    if (t0 > t1) {
        if (t2 > t0) {
            s2 = t2;
            h->hist[2] = h->hist[0];
        } else {
            s2 = t0;
        }
    } else {
        if (t2 > t1) {
            s2 = t2;
            h->hist[2] = h->hist[0];
        } else {
            s2 = t1;
            h->hist[2] = h->hist[1];
        }
    }
    if (s2 < WORST_SCORE)
        s2 = WORST_SCORE;
    if (s2 > best)
        best = s2;
    h->score[2] = s2;
    t0 = s1 + TP(1, 1);
    t1 = s0 + TP(0, 1);
    if (t0 > t1) {
        s1 = t0;
    } else {
        s1 = t1;
        h->hist[1] = h->hist[0];
    }
    if (s1 < WORST_SCORE)
        s1 = WORST_SCORE;
    if (s1 > best)
        best = s1;
    h->score[1] = s1;
    s0 = s0 + TP(0, 0);
    if (s0 < WORST_SCORE)
        s0 = WORST_SCORE;
    if (s0 > best)
        best = s0;
    h->score[0] = s0;
    h->best = best;
    return best;
#undef TP
}

static int add_history(asr_phone_loop *l, int32_t ef, int32_t score)
{
    if (l->n_history == l->history_cap) {
        int cap = l->history_cap ? 2 * l->history_cap : 4096;
        pl_history *h = realloc(l->history, (size_t)cap * sizeof *h);
        if (!h)
            return -1;
        l->history = h;
        l->history_cap = cap;
    }
    l->history[l->n_history].ef = ef;
    l->history[l->n_history].score = score;
    return l->n_history++;
}

int asr_phone_search(asr_phone_loop *l, float ***feats, int n, int band,
                     int32_t *score)
{
    const asr_phone_model *m = &l->m;
    int frame, p, q, i, start;

    for (p = 0; p < m->n_ci; p++)
        hmm_clear(&l->hmm[p]);
    l->n_history = 0;
    l->batch_n = 0;   /* densities are of the utterance before */
    hmm_enter(&l->hmm[m->sil], 0, 0, 0);
    for (frame = 0; frame < n; frame++) {
        int32_t best = WORST_SCORE;
        asr_phone_frame_score(l, feats, n, frame, band);
        for (p = 0; p < m->n_ci; p++)
            if (l->hmm[p].frame == frame) {
                int32_t s = hmm_eval(&l->hmm[p], m->tp[p][0], m->senone[p],
                                     l->senscr);
                if (s > best)
                    best = s;
            }
        /* phmm_exit: within pbeam, a history entry and a next frame */
        start = l->n_history;
        for (p = 0; p < m->n_ci; p++) {
            pl_hmm *h = &l->hmm[p];
            if (h->frame != frame)
                continue;
            if (h->best >= best + m->pbeam) {
                if (add_history(l, frame, h->out) < 0)
                    return -1;
                h->frame = frame + 1;
            } else {
                hmm_clear(h);
            }
        }
        /* phmm_trans: every phone may follow */
        for (i = start; i < l->n_history; i++) {
            int32_t s = l->history[i].score + m->inspen;
            if (s <= best + m->beam)
                continue;
            for (q = 0; q < m->n_ci; q++)
                if (s > l->hmm[q].score[0])
                    hmm_enter(&l->hmm[q], s, i, frame + 1);
        }
    }
    /* allphone_backtrace: the best entry of the last frame with any
     * (entry 0, the first, is never taken: as pocketsphinx) */
    i = l->n_history - 1;
    while (i > 0 && l->history[i].ef > n - 1)
        i--;
    if (i > 0) {
        int32_t ef = l->history[i].ef, top = (int32_t)0x80000000;
        int found = 0;
        for (; i > 0 && l->history[i].ef == ef; i--)
            if (l->history[i].score > top) {
                top = l->history[i].score;
                found = 1;
            }
        if (found)
            *score = top;
    }
    return 0;
}
