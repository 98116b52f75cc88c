/*
 * echo.h: the IVR's echo taken out of the caller's leg of a recording.
 *
 * A PBX records the caller's leg as it comes back from the line, and a
 * line returns part of what it was sent: a hybrid's echo on an analogue
 * trunk, a speakerphone's. On a stereo recording the IVR's prompts are
 * then in the caller's leg too, 10 to 30 dB down and a few to tens of
 * milliseconds late, and a replay hears them as the caller barging in.
 * The IVR's own leg is in the same file, sample for sample: the canceller
 * learns the path from it to the caller's leg, as the PBX's own canceller
 * would have (G.168), and subtracts what it predicts.
 */
#ifndef IVR_ECHO_H
#define IVR_ECHO_H

#include <stddef.h>

#include "error.h"

typedef struct echo_canceller echo_canceller;

/* The echo path a replay is cleaned of: a hybrid's echo on the PBX's own
 * trunk comes back within a few milliseconds, one from the far side of a
 * network within tens (G.168's shortest tail). Longer ones are left. */
#define ECHO_TAIL_MS 64

/* A canceller for echo paths up to tail_ms long at rate Hz. */
echo_canceller *echo_canceller_new(int rate, int tail_ms, ivr_error *err);

/* n samples: far is what was sent down the line (the IVR's leg), near
 * what came back (the caller's leg), rewritten in place without the echo.
 * far and near must not overlap. */
void echo_canceller_process(echo_canceller *ec, const float *far,
                            float *near, size_t n);

/* Forgets the far samples it holds and keeps what it learned of the echo
 * path: a recording's opening, run through once, teaches the canceller
 * before the replay runs it from the start again. */
void echo_canceller_rewind(echo_canceller *ec);

/* How much the filter takes out of the near leg where only the far leg
 * speaks, in dB: the echo it has found (0 when none; a clean leg, all
 * line noise, comes out within a fraction of a dB of what went in). */
double echo_canceller_found_db(const echo_canceller *ec);

/* The version of the inner loops in use: "portable", "vector", "avx2". */
const char *echo_canceller_kernel(const echo_canceller *ec);

void echo_canceller_free(echo_canceller *ec);

/* An echo later than the tail: a network's round trip (a call carried
 * over VoIP or a satellite to the line that echoes) sends the echo back
 * 100 to 500 ms late. The canceller then hears the far leg delay samples
 * late, so that its tail covers the echo from delay on. Forgets the far
 * samples it holds, as echo_canceller_rewind does. 0 or -1 (no memory). */
int echo_canceller_set_delay(echo_canceller *ec, long delay);

/* Where each leg of two repeats the other, found by cross-correlating
 * them (echo_delay.c): a lag in samples, -1 where no echo stands out. */
typedef struct echo_delays {
    int in_b;            /* b holds a's echo this late */
    int in_a;            /* a holds b's echo this late */
    double in_b_sigmas;  /* how far each peak stood out, in standard */
    double in_a_sigmas;  /* deviations of the correlation */
    int blocks;          /* blocks of the legs heard (not silent) */
} echo_delays;

/* Where a canceller's tail begins, in samples, for an echo whose peak
 * comes back late samples late (echo_delay_find's lags): ECHO_LEAD_MS
 * before it, for the spread of an echo path on either side of its peak (a
 * hybrid's response rises within a few milliseconds and dies away over
 * tens); 0 for no echo. */
#define ECHO_LEAD_MS 16
long echo_tail_start(int rate, long late);

/* The legs a and b, n samples each at rate Hz, searched for echoes
 * min_ms to max_ms late. IVR_OK, or IVR_EUSAGE for a search too long for
 * one transform. */
int echo_delay_find(const float *a, const float *b, size_t n, int rate,
                    int min_ms, int max_ms, echo_delays *out,
                    ivr_error *err);

/* The speaker's echo in the microphone of a live call: its delay (the
 * sound devices' latency, and the room) found from the call itself and
 * found again as the call goes on (echo_live.c). */
typedef struct echo_live echo_live;

echo_live *echo_live_new(int rate, ivr_error *err);

/* n samples (a frame; at most 4 s): played is what went to the speaker
 * most recently, heard what the microphone gave since, cleaned in place
 * of the speaker's echo. Until the echo's delay is first known, heard is
 * muted while the speaker talks. */
void echo_live_process(echo_live *el, const float *played, float *heard,
                       size_t n);

/* The sound devices slipped (an over-run or an under-run): the echo's
 * delay is no longer known, and heard is muted again while the speaker
 * talks until it is found anew. */
void echo_live_slipped(echo_live *el);

/* How late the speaker comes back in the microphone, in samples: -1 when
 * it has not been heard there (headphones). */
long echo_live_late(const echo_live *el);

void echo_live_free(echo_live *el);

#endif
