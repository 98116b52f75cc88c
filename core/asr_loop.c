/*
 * asr_loop.c: the phone loop, the yardstick of a recogniser's confidence
 * (see asr.c: the margin of the grammar's path over the loop's).
 *
 * Every phone is alive in a phone loop, so each frame scores all of the
 * model's Gaussian codebooks, where a grammar scores the few its words
 * use: on 134 s of digits the loop cost as much again as all the rest.
 * The loop is a yardstick, not a transcript, so it scores every other
 * frame in full (pocketsphinx's -ds 2: the frame between rescores the
 * Gaussians the one before chose). Measured when that was chosen
 * (bench/bench_asr.c, thresholds recalibrated to reject as much on the
 * tuning menu as before): on the held-out menu nothing was lost, right
 * answers 94.8 / 95.8 / 89.6% at 16 kHz, 8 kHz and 8 kHz with 15 dB of
 * noise (were 94.8 / 95.8 / 85.4%), speech outside the choices rejected
 * 96.2 / 97.5 / 92.5% (were 96.2 / 95.0 / 93.8%). Every third frame
 * (-ds 3) cost 4 points of that last rejection; fewer Gaussians per
 * codebook as well (-topn 2) 4 points at 16 kHz.
 *
 * The loop was pocketsphinx's allphone search on a decoder of its own; it
 * is now our own code (asr_phone_*.c), which gives the same path score to
 * the integer (test_asr_loop holds them equal) at about a quarter of the
 * cost: on the digits, ivr-asr went from 2.36x pocketsphinx_continuous's
 * CPU to 1.48x. Most of the saving is pocketsphinx's Gaussian scoring, one
 * density at a time, which ours does eight at a time over a batch of
 * frames; and the grammar's search now takes the cepstra the loop's front
 * end computed (ps_process_cep), not its own. Every threshold set on the
 * old loop holds unchanged. A model of another shape, or
 * IVR_ASR_REFERENCE_LOOP in the environment, gets pocketsphinx's loop.
 *
 * A skipped frame rescores the codebook entries the frame before it chose,
 * and a codebook that no phone used on that frame still holds the choice
 * of an older one, as old as the utterance before: the margin then
 * depended on what was decoded before it (by up to 0.4). The loop first
 * hears the same 200 ms of noise before every utterance, which leaves every
 * codebook chosen afresh on the same frames whatever came earlier (100 ms
 * did not: too few frames reach the search). It costs 20 frames an
 * utterance. Ours hears it too, so as to carry what pocketsphinx's
 * carries.
 */
#include "asr_internal.h"
#include "asr_mllr.h"
#include "asr_phone_loop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The band transform's text, as asr_band.c hands it to ps_mllr_read. */
static char *mllr_8k_text(void)
{
    size_t len = 0, i;
    char *text;

    for (i = 0; asr_mllr_8k[i]; i++)
        len += strlen(asr_mllr_8k[i]) + 1;
    if (!(text = malloc(len + 1)))
        return NULL;
    for (len = 0, i = 0; asr_mllr_8k[i]; i++)
        len += (size_t)sprintf(text + len, "%s\n", asr_mllr_8k[i]);
    return text;
}

/* pocketsphinx's own phone loop: the reference, and the loop of a model
 * ours does not serve */
static int reference_ready(asr_recognizer *a)
{
    if (a->loop)
        return 0;
    /* it needs phones, not words: no dictionary to load; and no language
     * model: a pure acoustic yardstick */
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

/* The phone loop, loaded the first time a search needs it (a recogniser
 * that spots words or takes free speech never does): ours when the model
 * is of a shape it serves, else pocketsphinx's; 0 or -1. */
int asr_loop_ready(asr_recognizer *a)
{
    char why[256], *mllr;

    if (a->own_loop || a->loop)
        return 0;
    if (!a->loop_prime && make_loop_prime(a) != 0)
        return -1;
    if (!getenv("IVR_ASR_REFERENCE_LOOP") && (mllr = mllr_8k_text())) {
        a->own_loop = asr_phone_loop_new(ps_get_config(a->ps),
                                         atoi(LOOP_DOWNSAMPLE), mllr,
                                         a->loop_prime, a->loop_prime_n, why,
                                         sizeof why);
        free(mllr);
        if (a->own_loop)
            return 0;
    }
    return reference_ready(a);
}

int asr_loop_score(asr_recognizer *a, const int16_t *pcm, size_t n,
                   int narrow, double *score)
{
    int32_t s;

    if (asr_loop_ready(a) != 0)
        return -1;
    if (!a->own_loop)
        return asr_loop_score_reference(a, pcm, n, narrow, score);
    if (asr_phone_loop_score(a->own_loop, pcm, n, narrow, &s) != 0)
        return -1;
    *score = (double)s;
    return 0;
}

const pl_cepstra *asr_loop_cepstra(asr_recognizer *a, const int16_t *pcm,
                                   size_t n)
{
    if (asr_loop_ready(a) != 0 || !a->own_loop
        || asr_phone_loop_cepstra(a->own_loop, pcm, n) != 0)
        return NULL;
    return asr_phone_loop_cepstra_copy(a->own_loop);
}

int asr_loop_score_cepstra(asr_recognizer *a, int narrow, double *score)
{
    int32_t s;

    if (!a->own_loop || asr_phone_loop_search(a->own_loop, narrow, &s) != 0)
        return -1;
    *score = (double)s;
    return 0;
}

int asr_loop_score_reference(asr_recognizer *a, const int16_t *pcm, size_t n,
                             int narrow, double *score)
{
    if ((!a->loop_prime && make_loop_prime(a) != 0) || reference_ready(a) != 0)
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
    asr_phone_loop_free(a->own_loop);
    a->own_loop = NULL;
    free(a->loop_prime);
    a->loop_prime = NULL;
}
