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

#endif
