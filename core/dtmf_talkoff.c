/*
 * dtmf_talkoff.c: the receiver's checks against talk-off, the false keys
 * of voices and music (see dtmf_detect.c for the receiver).
 *
 * Voices and music put two partials on a row and a column now and then,
 * steady enough for 40 ms. Before a run of windows becomes a digit, these
 * are asked of it besides its duration:
 *  - each tone within 1.9% of nominal (dtmf_detect.c's phase measure);
 *  - both tones together within 2.2% (root of the summed squares);
 *  - each tone's phase turning at one pace, and its level steady, from
 *    its first window or, for a coder's settling, a few windows on
 *    (less so for a pair that is nearly all of the sound);
 *  - the two tones not two harmonics of one voice (dtmf_voice.c), the
 *    column tone without an instrument's octave above it (OVERTONE_DB),
 *    and the row tone without a steady one (ROW_OCTAVE_DB).
 * On the tuning half of tests/talkoff (23 minutes: 34 voices, an IVR's
 * prompts, vowels, tones and tunes) the receiver before them found 14
 * false digits; the first two checks left 4 (an IVR's prompts saying
 * "press nine", and child-like voices), the third one (a voice steady
 * enough), the fourth none. On the held-out half the first three left one
 * (a grandmotherly voice, its 4th and 7th harmonics on a 5), which the
 * fourth rejects; it was traced there, and the fourth check's limits then
 * read from the tuning half only. In 2 h 11 min of recorded human speech
 * (tests/talkoff/human-speech.sh) the four left two, a man's voice whose
 * moving pitch put its pair 0.7% off a harmonic ratio; the fourth check
 * now allows for that (dtmf_voice.c), at no cost in keys said over.
 * The fourth replaced a check for the column tone's second harmonic
 * (Q.23: a keypad's tones are pure), which the fourth makes redundant on
 * the tuning half and which cost keys said over: loud speech near twice
 * the column's frequency took 3 of that half's 64 keys at 0 dB (40 found
 * with it, 43 without), and 2 of the held-out half's at 5 dB.
 * They cost a copy of each sample, and the fourth a few Goertzel filters
 * over the window when a run is long enough to begin a digit (every key,
 * and a few times a minute of speech); make bench measures both halves
 * and the throughput against spandsp.
 */
#include "dtmf_internal.h"
#include "dtmf_voice.h"

#include <math.h>

/* A keypad's tone turns its phase by the same angle every window and keeps
 * its level; a voice's partial wobbles (jitter, vibrato) and swells. Over
 * the run that begins a digit, the window-to-window rotations must agree
 * (the length of their sum over the sum of their lengths) and each tone's
 * level may vary by so much. Keys under speech 5 and 0 dB below them in
 * the tuning half of tests/talkoff: coherence 0.991 or more, levels within
 * 3.3 dB (and one of test_dtmf's keys under flite's speech between 0.98
 * and 0.985); the false keys left by the checks above in that half (an
 * IVR's prompts, "press nine", and a child-like voice): 0.953, 0.969, and
 * a tone swelling 6.9 dB. */
#define COHERENCE 0.98
#define STEADY_DB 5.0

/* A GSM coder (Asterisk's WAV49 recordings, a call from a mobile) takes a
 * frame or two to settle on a new tone: a key's first windows come out up
 * to 8 dB low and turned by as much as 0.7 rad, and a run judged from its
 * first window was never steady. A key at -37 dB in a replayed mono mix
 * (tests/replay's pharmacy-refill, GSM-coded) wavered 6 dB and 0.3 rad
 * for 50 ms before it held. So a run may leave out its first j windows, j
 * up to SETTLE_WINDOWS, once it has held for j windows more than a digit
 * needs to begin (a voice or a tune that settles must stay settled twice
 * as long). On GSM-coded keys (3 levels, 45 to 100 ms, made for this)
 * that finds 130 of 144 where judging from the first window found 123
 * (spandsp 135); on tests/talkoff's tuning halves GSM-coded, keys under
 * speech 5 dB below them 88 of 128 (was 80) and as loud 70 (was 67); up
 * to 3 windows or up to 6 find the same there, and 6 the replay's key; no
 * false key more in the tuning halves, draw 1 or the game soundtracks,
 * and of the keys said over uncoded none lost (one more found, in draw
 * 2). The runs' spans cost nothing measurable (bench-dtmf: they are kept
 * only until the run begins its digit). */

/* Nor does a GSM coder keep a tone at a low level steady: its keys
 * waver by up to 8.7 dB and their turns cohere down to 0.958 all through
 * (tests/replay's mono mixes GSM-coded, keys about -37 dB). But a key's
 * two tones are nearly all of its sound, and what makes a run that is not
 * steady is not: over the tuning halves of tests/talkoff and the game
 * soundtracks, every run that reached a digit's length and failed here
 * had its pair carry at most 85% of a window's energy; GSM-coded keys
 * that failed, 92% or more in 9 of 10. A run whose pair carries
 * PURE_SHARE of every window of the span is held to the looser limits
 * below: on the GSM-coded keys made for SETTLE_WINDOWS 136 of 144 found
 * (was 130; spandsp 135), no false key more anywhere. */
#define PURE_SHARE 0.9
#define PURE_COHERENCE 0.95
#define PURE_STEADY_DB 9.0

/* A pair whose tones are two harmonics of one voice's fundamental is that
 * voice when another of its harmonics stands this close to the weaker tone
 * (dtmf_voice.c). The voices of the tuning half that made such pairs: from
 * 11 dB under the weaker tone to 2 dB over it; a keypad pair never matches
 * a fundamental unless it is off nominal, and then has nothing there. */
#define VOICE_HARMONIC_DB (-12.0)

/* A keypad's tones are pure (Q.23 wants everything else 20 dB under
 * them); an instrument's note comes with its octave. Over the window that
 * begins a digit, the column tone's octave (2418-3266 Hz, clear of the
 * keypad; the row's falls among the column tones) must stay this far
 * under the weaker tone. In real music (game soundtracks of Debian
 * packages, tests/talkoff/music.sh) the notes of chords such as F5 and E6
 * (a 2) gave 5 false keys in the 70 minutes traced, 2 with this check
 * (on a first cut of the tracks: 7 before, 5 at -6 dB, 2 at -12 and
 * -15 dB); the 30 minutes kept out gave 1 before and after. Of the 512
 * keys said over in tests/talkoff's two draws it costs one at 0 dB (the
 * check is asked again each window, and the speech moves on); the old
 * second-harmonic check, at -20 dB over every window of the run, cost 5
 * in draw 0 alone. */
#define OVERTONE_DB (-12.0)

/* The row tone's octave (1394-1882 Hz) falls among the column tones, 58
 * to 71 Hz from the column of keys 2, 6 and C, so it is measured with the
 * column tone taken out (dtmf_voice_row_octave) over every window from the
 * one before a run may begin a digit. A note's octave is as loud as the
 * tones and stays on its frequency; speech puts energy there too, but it
 * moves. So the row's octave marks a note when it is within ROW_OCTAVE_DB
 * of the weaker tone and turned since the window before by what a partial
 * on twice the row's frequency turns, to within ROW_OCTAVE_TURN radians
 * (0.3 rad a hop is 7.5 Hz). In the tuning half of the game soundtracks a
 * chord of G5 and F#6 (a 6) had G5's octave 5 dB under the weaker tone;
 * the held-out false key (F5 and E6, a 2, traced while building this
 * check, so no longer held out) had F5's 0 to 6 dB under it, turning 0.10
 * rad or less; 27 minutes of rock songs added to the held-out half after
 * that gave none with or without the check. Of the 512 keys said over in
 * tests/talkoff's two draws, the level alone at -12 dB took 5 (espeak
 * voices with a partial near the octave), at -6 dB none but with 0.6 dB to
 * spare against that 2; with the turn, none at -9 dB (one at -12, said
 * over as loud). */
#define ROW_OCTAVE_DB (-9.0)
#define ROW_OCTAVE_TURN 0.3

void dtmf_talkoff_init(dtmf_detector *d)
{
    d->steady = db_to_ratio(STEADY_DB);
    d->pure_steady = db_to_ratio(PURE_STEADY_DB);
    d->row_octave = db_to_ratio(ROW_OCTAVE_DB);
}

/* A new run: no window in any of its spans yet. */
void dtmf_run_restart(dtmf_detector *d)
{
    int j, k;

    for (j = 0; j <= SETTLE_WINDOWS; j++)
        for (k = 0; k < 2; k++) {
            d->settle[j].turn[k].re = d->settle[j].turn[k].im = 0.0;
            d->settle[j].length[k] = 0.0;
            d->settle[j].lo[k] = HUGE_VAL;
            d->settle[j].hi[k] = 0.0;
            d->settle[j].share = HUGE_VAL;
        }
}

/* The run's next window (its run_len-th, counted from 0; the first has no
 * rotation and its power is partial), to every span it falls in. */
void dtmf_run_add(dtmf_detector *d, cplx turn_low, cplx turn_high,
                  const double *power, double share)
{
    cplx turn[2] = {turn_low, turn_high};
    double length[2] = {hypot(turn_low.re, turn_low.im),
                        hypot(turn_high.re, turn_high.im)};
    int j, k;

    for (j = 0; j <= SETTLE_WINDOWS && j < d->run_len; j++) {
        dtmf_span *s = &d->settle[j];
        if (share < s->share)
            s->share = share;
        for (k = 0; k < 2; k++) {
            s->turn[k].re += turn[k].re;
            s->turn[k].im += turn[k].im;
            s->length[k] += length[k];
            if (power[k] < s->lo[k])
                s->lo[k] = power[k];
            if (power[k] > s->hi[k])
                s->hi[k] = power[k];
        }
    }
}

static int span_is_steady(const dtmf_detector *d, const dtmf_span *s)
{
    int pure = s->share >= PURE_SHARE, k;
    double coherence = pure ? PURE_COHERENCE : COHERENCE;
    double steady = pure ? d->pure_steady : d->steady;

    for (k = 0; k < 2; k++)
        if (hypot(s->turn[k].re, s->turn[k].im) < coherence * s->length[k] ||
            s->hi[k] > steady * s->lo[k])
            return 0;
    return 1;
}

/* The run's two tones kept their phase's pace and their level (see
 * COHERENCE and STEADY_DB, or PURE_SHARE) from its first window, or from
 * one of the next SETTLE_WINDOWS. */
int dtmf_run_is_steady(const dtmf_detector *d)
{
    /* the windows after the j left out: as many as begin a digit, and j
     * more (see SETTLE_WINDOWS) */
    int last = (d->run_len - d->windows_to_begin) / 2, j;

    if (last > SETTLE_WINDOWS)
        last = SETTLE_WINDOWS;
    for (j = 0; j <= last; j++)
        if (span_is_steady(d, &d->settle[j]))
            return 1;
    return 0;
}

/* The run's pair is two partials of a voice (see VOICE_HARMONIC_DB) or an
 * instrument's notes, its column tone's octave beside it (OVERTONE_DB);
 * its tones are el and eh off nominal. */
int dtmf_run_is_voice_or_note(const dtmf_detector *d, double el, double eh)
{
    int row = d->run_digit / 4, col = 4 + d->run_digit % 4;
    double weaker = fmin(d->run_power[0], d->run_power[1]) / (d->run_len - 1);

    return dtmf_voice_harmonic_db(d->samples, d->hann, d->window, d->rate,
                                  dtmf_freqs[row] * (1.0 + el),
                                  dtmf_freqs[col] * (1.0 + eh),
                                  dtmf_freqs[col] / dtmf_freqs[row],
                                  weaker) >= VOICE_HARMONIC_DB ||
           dtmf_voice_overtone_db(d->samples, d->hann, d->window, d->rate,
                                  dtmf_freqs[col] * (1.0 + eh),
                                  weaker) >= OVERTONE_DB;
}

/* Measures the row tone's octave over this window (which starts at start)
 * and returns whether it is a note's: ROW_OCTAVE_DB or louder, and turned
 * since the window before as a steady partial turns (ROW_OCTAVE_TURN). */
int dtmf_run_row_octave_is_note(dtmf_detector *d, double el, double eh,
                                int64_t start, double rest)
{
    int row = d->run_digit / 4, col = 4 + d->run_digit % 4;
    double weaker = fmin(d->run_power[0], d->run_power[1]) / (d->run_len - 1);
    double f_row = dtmf_freqs[row] * (1.0 + el);
    double w = 2.0 * M_PI * 2.0 * f_row * d->hop / d->rate;
    int follows = d->octave_at == start - d->hop;
    cplx now, z, turn;
    double p;

    /* A window whose two tones leave less power than half an octave loud
     * enough (a keypad's, nearly always) holds no such octave: it is not
     * measured, and the next window, not following one that was, is no
     * note either. Measuring every run cost 20% of make bench's
     * throughput, 10% with both transforms in one pass; this keeps it off
     * most keys. */
    if (rest < 0.5 * d->row_octave * weaker)
        return 0;
    p = dtmf_voice_row_octave(d->samples, d->hann, d->window, d->rate,
                              f_row, dtmf_freqs[col] * (1.0 + eh),
                              &now.re, &now.im);

    /* a partial at the octave turns by w a hop (its phase is read at each
     * window's start): what is left is its frequency's error */
    z = cmul_conj(now, d->octave_prev);
    turn.re = z.re * cos(w) + z.im * sin(w);
    turn.im = z.im * cos(w) - z.re * sin(w);
    d->octave_prev = now;
    d->octave_at = start;
    return follows && p > 0.0 && p >= d->row_octave * weaker &&
           fabs(atan2(turn.im, turn.re)) < ROW_OCTAVE_TURN;
}
