/*
 * asr_loop.c: the phone loop, the yardstick of a recogniser's confidence
 * (see asr.c: the margin of the grammar's path over the loop's).
 *
 * Every phone is alive in a phone loop, so each frame scores all of the
 * model's Gaussian codebooks, where a grammar scores the few its words
 * use: on 134 s of digits the loop cost as much again as all the rest.
 * The loop is a yardstick, not a transcript, so it runs on a decoder of its
 * own that scores every other frame (-ds 2: the frame between rescores the
 * Gaussians the one before chose) and loads no dictionary.
 * Measured (bench/bench_asr.c, thresholds recalibrated to reject as much
 * on the tuning menu as before): ivr-asr on 134 s of digits takes 5.66 s
 * of CPU, was 7.03 (medians of 9; pocketsphinx_continuous 2.76, and 3.89
 * with no loop at all), and on the held-out menu nothing is lost: right
 * answers 94.8 / 95.8 / 89.6% at 16 kHz, 8 kHz and 8 kHz with 15 dB of
 * noise (were 94.8 / 95.8 / 85.4%), speech outside the choices rejected
 * 96.2 / 97.5 / 92.5% (were 96.2 / 95.0 / 93.8%). Every third frame
 * (-ds 3) costs 4 points of that last rejection; fewer Gaussians per
 * codebook as well (-topn 2) 4 points at 16 kHz. The second
 * model costs 7 MB and, with no dictionary, no start-up time that shows
 * (ivr-asr on one short utterance: the same CPU as before); a recogniser
 * that spots words or takes free speech never loads it.
 *
 * A skipped frame rescores the codebook entries the frame before it chose,
 * and a codebook that no phone used on that frame still holds the choice
 * of an older one, as old as the utterance before: the margin then
 * depended on what was decoded before it (by up to 0.4). The loop first
 * hears the same 200 ms of noise before every utterance, which leaves every
 * codebook chosen afresh on the same frames whatever came earlier (100 ms
 * did not: too few frames reach the search). It costs 20 frames an
 * utterance.
 */
#include "asr_internal.h"

#include <stdlib.h>

/* The loop scores every LOOP_DOWNSAMPLE-th frame, after LOOP_PRIME_MS of
 * noise; see above. */
#define LOOP_DOWNSAMPLE "2"
#define LOOP_PRIME_MS 200
#define LOOP_PRIME_DBM0 (-40.0)
#define LOOP_PRIME_SEED 8000

/* The noise the phone loop hears before each utterance (see above). */
static int make_loop_prime(asr_recognizer *a)
{
    size_t n = (size_t)DECODE_RATE * LOOP_PRIME_MS / 1000, i;
    float *x = calloc(n, sizeof *x);
    audio_rng rng;

    a->loop_prime = malloc(n * sizeof *a->loop_prime);
    if (!x || !a->loop_prime) {
        free(x);
        return -1;
    }
    audio_rng_seed(&rng, LOOP_PRIME_SEED);
    audio_add_noise(x, n, LOOP_PRIME_DBM0, &rng);
    for (i = 0; i < n; i++)
        a->loop_prime[i] = (int16_t)(x[i] * 32767.0f);
    a->loop_prime_n = n;
    free(x);
    return 0;
}

/* The phone loop, loaded the first time a search needs it (a recogniser
 * that spots words or takes free speech never does): 0 or -1. */
int asr_loop_ready(asr_recognizer *a)
{
    if (a->loop)
        return 0;
    /* it needs phones, not words: no dictionary to load; and no language
     * model: a pure acoustic yardstick */
    if (!a->loop_prime && make_loop_prime(a) != 0)
        return -1;
    if (!(a->loop = asr_load_decoder(a->hmm, "/dev/null", LOOP_DOWNSAMPLE)))
        return -1;
    a->band.active[1] = 0;   /* a new decoder has the model as it came */
    if (ps_set_allphone(a->loop, "phones", NULL) != 0) {
        ps_free(a->loop);
        a->loop = NULL;
        return -1;
    }
    return 0;
}

int asr_loop_score(asr_recognizer *a, const int16_t *pcm, size_t n,
                   int narrow, double *score)
{
    if (asr_loop_ready(a) != 0)
        return -1;
    asr_band_select(&a->band, 1, a->loop, narrow);
    asr_run_search(a->loop, "phones", a->loop_prime, a->loop_prime_n, NULL, 0,
                   NULL);
    *score = asr_run_search(a->loop, "phones", pcm, n, NULL, 0, NULL);
    return 0;
}

void asr_loop_free(asr_recognizer *a)
{
    if (a->loop)
        ps_free(a->loop);
    a->loop = NULL;
    free(a->loop_prime);
    a->loop_prime = NULL;
}
