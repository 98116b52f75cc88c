/*
 * dtmf_internal.h: the receiver's state, shared by its decision
 * (dtmf_detect.c) and its talk-off checks (dtmf_talkoff.c); internal to
 * core/dtmf.
 */
#ifndef IVR_DTMF_INTERNAL_H
#define IVR_DTMF_INTERNAL_H

#include "dtmf.h"
#include "dtmf_filters.h"

#include <math.h>
#include <stdint.h>

#define NFILT DTMF_FILTERS

/* The keypad's nominal frequencies, rows then columns (Hz). */
extern const double dtmf_freqs[NFILT];

typedef struct cplx {
    double re, im;
} cplx;

/* The first windows of a run its steadiness may leave out (see
 * dtmf_run_is_steady): 38 ms, the frames a GSM coder takes to settle on a
 * new tone (longer at a low level, see dtmf_talkoff.c). */
#define SETTLE_WINDOWS 6

/* The latest windows of a run whose levels are kept (see full_windows in
 * dtmf_detect.c): a key begins within its first ten or so. */
#define RUN_LEVELS 16

/* A run's tones over its windows from one on: their window-to-window
 * rotations summed, the rotations' lengths summed, each tone's lowest and
 * highest power. */
typedef struct dtmf_span {
    cplx turn[2];
    double length[2], lo[2], hi[2];
    double share;            /* the least of the window's energy the two
                              * tones carried */
} dtmf_span;

struct dtmf_detector {
    dtmf_filter_bank bank;   /* the filters, run a sub-block at a time */
    int fill;                /* samples of the running sub-block so far */
    float fill_energy;       /* the sum of their squares */

    int rate, hop, window;   /* hop = sub-block length, window = 2 * hop */
    cplx to_start[NFILT];    /* e^{-jw(hop-1)}: filter output to DFT */
    cplx advance[NFILT];     /* e^{-jw hop}: shift of the second half */
    /* per sub-block, in float and by part, so that the compiler makes
     * vectors of the eight bins: cos w and sin w, the advance's parts */
    float cosw[NFILT], sinw[NFILT], adv_re[NFILT], adv_im[NFILT];

    /* leakage of a column tone into a row bin over one window, for each
     * row r and column c: sum over n of e^{j(wc - wr)n} (see separate) */
    cplx leak[4][4];

    float prev_re[NFILT], prev_im[NFILT];  /* the last sub-block's
                                            * filter outputs, when ... */
    int prev_filtered;       /* ... its filters ran (they run only for a
                              * window that is not quiet: subblock_done) */
    double prev_energy;
    int have_prev;
    int history;             /* sub-blocks of this stream up to the
                              * window's end, counted to LONG_SUBBLOCKS */
    cplx prev_amp[2];        /* separated tone amplitudes, last window */

    /* thresholds in the units of the window values */
    double min_power, twist, reverse_twist, rel_peak, freq_tolerance;
    double quiet_energy;     /* a window's energy under it: quiet */
    float cheap_min, cheap_peak;   /* window_fails_cheaply's bounds */
    double cheap_share;
    double hold;             /* HOLD_DB as a power ratio, below 1 */
    double full;             /* FULL_DB as one */
    /* the DFT bins between BAND_LOW_HZ and BAND_HIGH_HZ, as Goertzel
     * filters (band_mean_power): of the window, and of the long window
     * (long_window_holds), whose bins are half as far apart */
    dtmf_filter_bank band[2], long_band[4];
    int band_bins, long_band_bins;
    double pair_mixed;       /* pair_tolerance for a run mixed with other
                              * sound (PAIR_MIXED) */
    int windows_to_begin;

    /* the current run of windows that agree on one candidate */
    int run_digit;           /* -1: none */
    int run_len;
    int64_t run_start;
    cplx run_phase[2];       /* accumulated window-to-window rotation */
    double run_power[2];
    int run_spoken_over;     /* a window of it passed by BAND_SHARE only */
    double run_level[RUN_LEVELS];  /* its latest windows' pair power, a
                                    * ring (full_windows) */

    /* the digit being reported */
    int active;              /* -1: none */
    int misses;
    int64_t active_start, active_end;
    double active_power[2];  /* its tones' mean power when it began */
    dtmf_event begin;

    int64_t pos;             /* samples pushed */
    int at_rest;             /* the last two sub-blocks were digital
                              * silence and nothing is running: more
                              * silence changes only the clock */
    int fill_silent;         /* the running sub-block is silent so far */
    float *samples;          /* the window's samples: the previous
                              * sub-block, then the running one, after
                              * the two before them (the long window), in
                              * ... */
    float *ring;             /* ... RING_SUBBLOCKS sub-blocks (and then
                              * the weights of hann) */
    float *hann;             /* the window's weights for dtmf_voice */
    dtmf_span settle[SETTLE_WINDOWS + 1];   /* the run after its j-th
                                             * window, for each j */
    cplx octave_prev;        /* the row's octave in the window ... */
    int64_t octave_at;       /* ... that began here (-1: none yet) */
    double row_octave;       /* ROW_OCTAVE_DB as a power ratio */
    double steady;           /* STEADY_DB as a power ratio */
    double pure_steady;      /* PURE_STEADY_DB as one */
    double pair_tolerance;   /* the two errors' squares, summed, at most */
    dtmf_event_fn on_event;
    void *user;
    dtmf_filters_fn run_filters;   /* the kernel for this CPU */
    const char *kernel;
};

static inline cplx cmul(cplx a, cplx b)
{
    cplx r = {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
    return r;
}

static inline cplx cmul_conj(cplx a, cplx b)
{
    cplx r = {a.re * b.re + a.im * b.im, a.im * b.re - a.re * b.im};
    return r;
}

static inline double db_to_ratio(double db)
{
    return pow(10.0, db / 10.0);
}

/* Sub-blocks of samples the window moves along before it is copied back
 * (subblock_done in dtmf_stream.c): one copy of a sub-block in fifteen,
 * not every time. */
#define RING_SUBBLOCKS 16

/* The long window (long_window_holds in dtmf_detect.c, where its purpose
 * and cost are measured): the window and the two sub-blocks before it,
 * which the ring keeps behind the window. */
#define LONG_SUBBLOCKS 4
#define LONG_HISTORY (LONG_SUBBLOCKS - 2)

/* A bin's power is at most twice the window's mean power (Cauchy-
 * Schwarz), and each tone must reach half the minimum below: a quiet
 * window (the gaps between keys, a line's hiss, the pauses of speech) is
 * settled by its energy alone, before any filter runs (subblock_done). */
static inline int dtmf_window_is_quiet(const dtmf_detector *d,
                                       double energy)
{
    return energy < d->quiet_energy;
}

/* Decides one window, in dtmf_detect.c: V (8 turned DFT values, see
 * subblock_done; NULL for a window that holds no candidate: a quiet one,
 * or one the cheap tests settled while no digit sounds), its energy and
 * start sample. */
void dtmf_window_decide(dtmf_detector *d, const cplx *V, double energy,
                        int64_t start);

/* The same for a window without a candidate: most windows of a call, and
 * while nothing runs and nothing sounds they leave it so, without a call
 * (bench-dtmf: 4% of the receiver's time). */
static inline void dtmf_window_without(dtmf_detector *d, double energy,
                                       int64_t start)
{
    if (d->run_digit >= 0 || d->active >= 0)
        dtmf_window_decide(d, NULL, energy, start);
}

/* Sets the talk-off checks' limits in d (at its creation). */
void dtmf_talkoff_init(dtmf_detector *d);

/* The checks a run of windows long enough to begin a digit must pass
 * besides the tones' frequencies (el and eh: each tone's error, as a
 * fraction of nominal), in dtmf_talkoff.c: */
/* its two tones kept their phase's pace and their level, over the
 * windows given to it since the run began (each tone's turn from the
 * window before and its power) */
void dtmf_run_restart(dtmf_detector *d);
void dtmf_run_add(dtmf_detector *d, cplx turn_low, cplx turn_high,
                  const double *power, double share);
int dtmf_run_is_steady(const dtmf_detector *d);
/* its pair is two partials of a voice, or notes with the column's octave */
int dtmf_run_is_voice_or_note(const dtmf_detector *d, double el, double eh);
/* measures the row tone's octave over the window that starts at start
 * (rest: the window's power besides the two tones) and returns whether
 * it is a note's; called for every window from the one before a digit
 * may begin, to see how the octave turns */
int dtmf_run_row_octave_is_note(dtmf_detector *d, double el, double eh,
                                int64_t start, double rest);

#endif
