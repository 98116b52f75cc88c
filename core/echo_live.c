/*
 * echo_live.c: the speaker's echo taken out of the microphone on a live
 * call (see echo.h).
 *
 * A replay's two legs are in one file, sample for sample; a live call's
 * are not: what the speaker plays comes back through the room and the
 * sound devices' buffers, tens to hundreds of milliseconds late, and the
 * devices' latency moves when one of them runs dry. So the delay is found
 * from the call itself (echo_delay_find over the last seconds of both),
 * found again as the call goes on, and the canceller placed there. Until
 * it is first known, the microphone is muted while the speaker talks (a
 * caller cannot barge into the first two seconds of the first prompt):
 * the alternative is the IVR barging in on itself, and hearing its own
 * words as the caller's. So it is again after the devices slip (an
 * under-run plays the rest of the call later, by 15 to 40 ms at each of
 * PulseAudio's), until the delay is found anew: the filter cannot follow
 * a step of the whole echo path before the echo has barged in.
 */
#include "echo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The window searched: the latest WINDOW_S of both directions. One
 * transform needs 2 s of it at 8 kHz (a block and the lags on each
 * side); 4 s gives two blocks. The echo is looked for up to LATEST_MS
 * late: a Bluetooth speaker alone adds 150 to 300 ms. */
#define WINDOW_S 4
#define LATEST_MS 500

/* A frame whose mean power is under -60 dBFS is the speaker silent. */
#define TALK_POWER 1e-6

/* The delay is first looked for after FIRST_S of the speaker talking,
 * then again after each AGAIN_S more of it. */
#define FIRST_S 2.0
#define AGAIN_S 1.0

/* The canceller's double-talk test takes the echo to be at least 6 dB
 * under the far leg (a line's); a speaker next to a microphone can be
 * louder than that. The far leg is scaled so that the echo found lies
 * ECHO_UNDER (12 dB) under it: the filter's step is normalised, so only
 * the test sees the difference, and it then takes only a caller 6 dB
 * louder than the echo for a caller. With the echo as loud as the prompt
 * (test_echo): the echo 42 dB down; a caller 6 dB over it keeps their
 * voice 11 dB over what is left, one as loud 6 dB (a word's quiet edges
 * go with the echo). At 6 dB under instead: the echo 19 dB down, a caller
 * as loud 11 dB over it, and the IVR barged in on itself on the null sink
 * of tests/cmd/live.t. Headphones are still the way to barge in softly. */
#define ECHO_UNDER 0.25

struct echo_live {
    int rate;
    long window;         /* samples of each ring */
    float *played, *heard;   /* the rings, oldest at `at` */
    float *far, *near;       /* the rings unrolled, for a search */
    float *scratch;          /* what the filter makes of a muted frame */
    long at;
    double talked;       /* samples of the speaker talking since the last
                          * search */
    long quiet_for;      /* samples since the speaker last talked */
    int searched;        /* a search has concluded */
    long late;           /* the echo's delay, samples; -1 none found */
    float scale;         /* the far leg's, see ECHO_UNDER */
    echo_canceller *ec;
};

echo_live *echo_live_new(int rate, ivr_error *err)
{
    echo_live *el = calloc(1, sizeof *el);

    if (!el) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    el->rate = rate;
    el->window = (long)rate * WINDOW_S;
    el->late = -1;
    el->scale = 1.0f;
    el->quiet_for = (long)rate;
    if (!(el->played = calloc((size_t)el->window, sizeof *el->played)) ||
        !(el->heard = calloc((size_t)el->window, sizeof *el->heard)) ||
        !(el->far = malloc((size_t)el->window * sizeof *el->far)) ||
        !(el->near = malloc((size_t)el->window * sizeof *el->near)) ||
        !(el->scratch = malloc((size_t)el->window * sizeof *el->scratch))) {
        echo_live_free(el);
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    return el;
}

static void unroll(const float *ring, long at, long n, float *out)
{
    memcpy(out, ring + at, (size_t)(n - at) * sizeof *out);
    memcpy(out + (n - at), ring, (size_t)at * sizeof *out);
}

/* How loud the echo is against what made it, by least squares at its
 * delay over the window. */
static double echo_gain(const float *far, const float *near, long n,
                        long late)
{
    double fn = 0, ff = 0;
    long i;

    for (i = late; i < n; i++) {
        fn += (double)near[i] * far[i - late];
        ff += (double)far[i - late] * far[i - late];
    }
    return ff > 0 ? fabs(fn / ff) : 0;
}

/* The tail: a room's echo lasts longer than a line's, and a device that
 * runs dry plays the rest of the call later (39 ms more at one under-run
 * of PulseAudio's): it reaches LIVE_TAIL_MS - ECHO_LEAD_MS past the echo's
 * peak, so that the filter still covers such a step. */
#define LIVE_TAIL_MS 128

/* The filter's taps describe the echo path from where its tail begins,
 * so a step in the delay moves the tail and keeps them. The filter then
 * hears the window's last REFILL_S again, to fill its far samples; the
 * first time it learns from the last LEARN_S. Both stay short: this runs
 * inside a 20 ms frame of a live call, and the devices run dry when it
 * takes longer (a 128 ms filter over 4 s took 40 ms). */
#define LEARN_S 1.5
#define REFILL_S 0.5

/* Looks for the echo in the window; moves the canceller to it when it is
 * somewhere new. 1 when it did, and then the window's last samples are
 * cleaned in el->near. */
static int search(echo_live *el)
{
    echo_delays found;
    long late, i, from;
    double gain;

    el->talked = 0;
    unroll(el->played, el->at, el->window, el->far);
    unroll(el->heard, el->at, el->window, el->near);
    if (echo_delay_find(el->far, el->near, (size_t)el->window, el->rate, 0,
                        LATEST_MS, &found, NULL) != IVR_OK)
        return 0;
    /* concluded, echo or none (a microphone too quiet to hear the
     * speaker has no block worth a search: no echo either) */
    el->searched = 1;
    late = found.in_b;
    if (late < 0 || late == el->late)
        return 0;
    gain = echo_gain(el->far, el->near, el->window, late);
    /* a window straddling a step in the delay holds half of each: the
     * scale only grows */
    if (gain / ECHO_UNDER > el->scale)
        el->scale = (float)(gain / ECHO_UNDER);
    from = el->window - (long)((el->ec ? REFILL_S : LEARN_S) * el->rate);
    if (!el->ec && !(el->ec = echo_canceller_new(el->rate, LIVE_TAIL_MS,
                                                 NULL)))
        return 0;
    if (echo_canceller_set_delay(el->ec, echo_tail_start(el->rate, late))
        != 0)
        return 0;
    el->late = late;
    for (i = from; i < el->window; i++)
        el->far[i] *= el->scale;
    echo_canceller_process(el->ec, el->far + from, el->near + from,
                           (size_t)(el->window - from));
    return 1;
}

void echo_live_process(echo_live *el, const float *played, float *heard,
                       size_t n)
{
    float far[256];
    double power = 0;
    size_t i, j, k;

    for (i = 0; i < n; i++) {
        power += (double)played[i] * played[i];
        el->played[el->at] = played[i];
        el->heard[el->at] = heard[i];
        if (++el->at == el->window)
            el->at = 0;
    }
    if (n && power / n > TALK_POWER) {
        el->talked += (double)n;
        el->quiet_for = 0;
    } else {
        el->quiet_for += (long)n;
    }
    if (n > (size_t)el->window)
        return;   /* more than the window at once: not a live call's */
    if (el->talked >= (el->searched ? AGAIN_S : FIRST_S) * el->rate &&
        search(el)) {
        /* this frame was cleaned with the window's end */
        memcpy(heard, el->near + el->window - (long)n, n * sizeof *heard);
        return;
    }
    if (el->ec) {
        /* muted or not, the filter hears the call go on */
        float *clean = el->searched ? heard : el->scratch;
        if (clean != heard)
            memcpy(clean, heard, n * sizeof *clean);
        for (i = 0; i < n; i += k) {
            k = n - i < 256 ? n - i : 256;
            for (j = 0; j < k; j++)
                far[j] = played[i + j] * el->scale;
            echo_canceller_process(el->ec, far, clean + i, k);
        }
    }
    if (!el->searched && el->quiet_for < (long)el->rate * LATEST_MS / 1000)
        memset(heard, 0, n * sizeof *heard);
}

void echo_live_slipped(echo_live *el)
{
    /* without an echo (headphones) there is nothing to lose */
    if (el->late >= 0) {
        el->searched = 0;
        el->talked = 0;
    }
}

long echo_live_late(const echo_live *el)
{
    return el->late;
}

void echo_live_free(echo_live *el)
{
    if (!el)
        return;
    free(el->played);
    free(el->heard);
    free(el->far);
    free(el->near);
    free(el->scratch);
    echo_canceller_free(el->ec);
    free(el);
}
