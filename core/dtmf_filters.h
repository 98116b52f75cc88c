/*
 * dtmf_filters.h: the receiver's filter bank and its kernels (internal to
 * core/dtmf).
 */
#ifndef IVR_DTMF_FILTERS_H
#define IVR_DTMF_FILTERS_H

#include <stdint.h>

#define DTMF_FILTERS 8

/* The eight Goertzel filters of one sub-block, kept as float: 51 samples
 * of recursion lose nothing that matters in single precision, and float
 * halves the width of the vector work. */
typedef struct dtmf_filter_bank {
    float coef[DTMF_FILTERS];   /* 2 cos(w) of each tone */
    float s1[DTMF_FILTERS], s2[DTMF_FILTERS];
} dtmf_filter_bank;

/* Runs n samples through the bank's filters from rest (s1 and s2 are
 * written, not read): every window starts its filters afresh, and a
 * kernel that knows so takes the samples that do not fill a vector step
 * first, in closed form, since from rest they wait on no state. */
typedef void (*dtmf_filters_fn)(dtmf_filter_bank *b, const float *x, int n);

/* The sum of the n samples' squares, the same whichever kernel runs (the
 * receiver settles a quiet window by it before any filter runs). */
double dtmf_energy(const float *x, int n);

/* n 16-bit samples as float, over 32768, returning the sum of their
 * squares: eight at a time with SSE2 on x86-64 (GCC's -O2 leaves the
 * plain loop scalar once it is not inlined where the lengths are known:
 * bench-dtmf 2.3x spandsp against 3.1x). The squares are summed as the
 * samples are made, sparing the sub-block a second pass for its energy
 * (bench-dtmf's hour: 1.73 ns a sample against 1.79). */
float dtmf_s16_to_float(const int16_t *x, float *to, int n);

/* n float samples copied to to, returning the sum of their squares:
 * dtmf_s16_to_float's work for samples that come as float. */
float dtmf_copy_samples(const float *x, float *to, int n);

/* The kernel for this CPU ("avx2", "vector" or "portable" in *name), or
 * the one the environment variable IVR_DTMF_KERNEL names, which the tests
 * use to hold the fast ones to the portable reference. */
dtmf_filters_fn dtmf_filters_choose(const char **name);

#endif
