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

    for (s = 0; s < PL_STATES; s++)
        h->score[s] = WORST_SCORE;
    h->out = WORST_SCORE;
    h->best = WORST_SCORE;
    h->frame = -1;
}

static void hmm_enter(pl_hmm *h, int32_t score, int frame)
{
    h->score[0] = score;
    h->frame = frame;
}

static int32_t max2(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

/* The best score after one more frame, from the state before it:
 * pocketsphinx's hmm_vit_eval_3st_lr, whose comparisons also decide which
 * history a state keeps where two scores are equal; only the scores are
 * kept here, so each comparison is a maximum. (t2 is kept from the exit
 * to state 2, as there, when the model forbids the skip from 0 to 2.) */
static int32_t hmm_eval(pl_hmm *h, const uint8_t *tpm,
                        const int *sen, const int16_t *senscr)
{
#define TP(i, j) (-(int32_t)tpm[(i) * (PL_STATES + 1) + (j)])
#define FLOOR(x) ((x) < WORST_SCORE ? WORST_SCORE : (x))
    int32_t s2, s1, s0, t2 = INT32_MIN, best = WORST_SCORE;

    s2 = h->score[2] - senscr[sen[2]];
    s1 = h->score[1] - senscr[sen[1]];
    s0 = h->score[0] - senscr[sen[0]];
    if (s1 > WORST_SCORE) {   /* into the exit */
        if (TP(1, 3) > TMAT_WORST_SCORE)
            t2 = s1 + TP(1, 3);
        h->out = best = FLOOR(max2(s2 + TP(2, 3), t2));
    }
    if (TP(0, 2) > TMAT_WORST_SCORE)
        t2 = s0 + TP(0, 2);
    h->score[2] = FLOOR(max2(max2(s2 + TP(2, 2), s1 + TP(1, 2)), t2));
    h->score[1] = FLOOR(max2(s1 + TP(1, 1), s0 + TP(0, 1)));
    h->score[0] = FLOOR(s0 + TP(0, 0));
    for (int s = 0; s < PL_STATES; s++)
        best = max2(best, h->score[s]);
    h->best = best;
    return best;
#undef FLOOR
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
    hmm_enter(&l->hmm[m->sil], 0, 0);
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
                    hmm_enter(&l->hmm[q], s, frame + 1);
        }
    }
    /* allphone_backtrace: the best entry of the last frame with any
     * (entry 0, the first, is never taken: as pocketsphinx) */
    i = l->n_history - 1;
    while (i > 0 && l->history[i].ef > n - 1)
        i--;
    if (i > 0) {
        int32_t ef = l->history[i].ef, top = l->history[i].score;
        for (; i > 0 && l->history[i].ef == ef; i--)
            top = max2(top, l->history[i].score);
        *score = top;
    }
    return 0;
}
