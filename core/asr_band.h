/* asr_band.h: internal to core/asr: telephone band found, and the model
 * adapted to it. */
#ifndef IVR_ASR_BAND_H
#define IVR_ASR_BAND_H

#include <pocketsphinx.h>
#include <stddef.h>

typedef struct asr_band {
    ps_mllr_t *narrow;   /* the telephone-band transform */
    ps_mllr_t *none;     /* identity, to switch back */
    int active[2];       /* which of the two each decoder's model has
                          * now: the grammar's and the phone loop's */
} asr_band;

/* Loads both transforms; 0 or -1. */
int asr_band_init(asr_band *b);

/* 1 when x (n samples at rate) has next to nothing above 4 kHz. */
int asr_band_is_narrow(const float *x, size_t n, int rate);

/* Gives decoder ps (0: the grammar's, 1: the phone loop's) the model for
 * the band (narrow or not), if it has another. */
void asr_band_select(asr_band *b, int decoder, ps_decoder_t *ps, int narrow);

void asr_band_free(asr_band *b);

#endif
