/*
 * dtmf.h: touch tones (DTMF, ITU-T Q.23) generated and detected.
 *
 * The generator turns a dial string into samples. The detector is streaming:
 * push any number of samples at a time and digit events arrive through a
 * callback with their start and end in samples. Both work at any rate in
 * AUDIO_RATE_MIN..AUDIO_RATE_MAX; 8000 Hz is the native telephone rate.
 *
 * Digits are 0-9, *, #, A-D.
 */
#ifndef IVR_DTMF_H
#define IVR_DTMF_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Row (low group) and column (high group) frequencies of a digit; returns 0
 * when c is not a DTMF digit (lower-case a-d count as A-D). */
int dtmf_digit_freqs(char c, double *low_hz, double *high_hz);

/* ------------------------------------------------------------------------
 * Generator
 */

typedef struct dtmf_gen_params {
    double on_ms;          /* tone length (default 100) */
    double off_ms;         /* silence after each tone (default 100) */
    double pause_ms;       /* what ',' in a dial string lasts (default 500) */
    double level_dbm0;     /* low-group tone level (default -7) */
    double twist_db;       /* low-group level minus high-group level: > 0
                            * is normal twist (high weaker); default -2,
                            * the high group 2 dB stronger, as phones send */
    double freq_offset_pct;/* both tones moved by this percentage (0) */
    double lead_ms;        /* silence before the first digit (0) */
    double snr_db;         /* white noise this far below the tone pair, over
                            * the whole output; < 0: none (default -1) */
    uint64_t seed;         /* of the noise (1), so output is reproducible */
} dtmf_gen_params;

void dtmf_gen_params_default(dtmf_gen_params *p);

/* Checks a dial string: DTMF digits, ',' for a pause, and spaces, '-' and
 * '.' which are ignored for readability. On a bad character returns
 * IVR_EINPUT with a message giving its position. */
int dtmf_dial_check(const char *dial, ivr_error *err);

/* The digits of a dial string alone, upper-case, as the detector reports
 * them ("555-01,9a" -> "555019A"): for comparing what was dialled with what
 * was found. Writes at most size - 1 digits and a NUL; returns the number
 * of digits in dial (which may exceed what was written). */
size_t dtmf_dial_digits(const char *dial, char *out, size_t size);

typedef struct dtmf_generator dtmf_generator;

/* A streaming generator of dial at rate; NULL (err filled) on a bad dial
 * string, rate or parameter. */
dtmf_generator *dtmf_generator_new(const char *dial, int rate,
                                   const dtmf_gen_params *p, ivr_error *err);

/* Writes up to max samples; returns how many, 0 when the string is done. */
size_t dtmf_generator_read(dtmf_generator *g, float *out, size_t max);

/* Total samples the whole string produces. */
uint64_t dtmf_generator_length(const dtmf_generator *g);

void dtmf_generator_free(dtmf_generator *g);

/* ------------------------------------------------------------------------
 * Detector
 */

typedef struct dtmf_detector_params {
    double max_twist_db;         /* high group weaker than low by at most
                                  * this (default 8, Q.24's normal twist) */
    double max_reverse_twist_db; /* high group stronger by at most this
                                  * (default 4) */
    double min_level_dbm0;       /* weakest tone accepted (default -36) */
    double min_duration_ms;      /* shortest tone reported (default 40);
                                  * tones of half this or less are
                                  * rejected */
    double freq_tolerance_pct;   /* largest frequency error accepted
                                  * (default 2.5: Q.24 wants 1.5% accepted
                                  * and 3.5% rejected) */
} dtmf_detector_params;

void dtmf_detector_params_default(dtmf_detector_params *p);

/* Checks ranges; IVR_EUSAGE with a message naming the field otherwise. */
int dtmf_detector_params_check(const dtmf_detector_params *p, ivr_error *err);

typedef enum dtmf_event_kind {
    DTMF_DIGIT_BEGIN,  /* a digit was recognised; end is not known yet */
    DTMF_DIGIT_END     /* the digit ended; start and end are final */
} dtmf_event_kind;

typedef struct dtmf_event {
    dtmf_event_kind kind;
    char digit;
    int64_t start;        /* first sample of the tone */
    int64_t end;          /* one past its last sample (END only) */
    double low_dbm0;      /* measured level of the low-group tone */
    double high_dbm0;     /* and of the high-group tone */
    double low_error_pct; /* measured frequency error of each tone */
    double high_error_pct;
} dtmf_event;

typedef void (*dtmf_event_fn)(const dtmf_event *ev, void *user);

typedef struct dtmf_detector dtmf_detector;

/* A detector for audio at rate; on_event is called from inside push and
 * flush. NULL params means the defaults. */
dtmf_detector *dtmf_detector_new(int rate, const dtmf_detector_params *p,
                                 dtmf_event_fn on_event, void *user,
                                 ivr_error *err);

/* Feeds n samples in [-1, 1]. */
void dtmf_detector_push(dtmf_detector *d, const float *x, size_t n);

/* The same for 16-bit linear samples (the form telephony code holds). */
void dtmf_detector_push_s16(dtmf_detector *d, const int16_t *x, size_t n);

/* Ends the stream: a digit still sounding gets its END event. The detector
 * can be used again afterwards, as if for a new stream. */
void dtmf_detector_flush(dtmf_detector *d);

/* Samples pushed so far. */
int64_t dtmf_detector_position(const dtmf_detector *d);

int dtmf_detector_rate(const dtmf_detector *d);

/* Which filter kernel runs: "avx2" (8 lanes with FMA, chosen where the CPU
 * has them), "vector" (4 lanes) or "portable" (plain C, the reference).
 * The environment variable IVR_DTMF_KERNEL forces one, to compare them. */
const char *dtmf_detector_kernel(const dtmf_detector *d);

void dtmf_detector_free(dtmf_detector *d);

#endif
