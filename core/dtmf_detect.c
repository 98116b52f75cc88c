/*
 * dtmf_detect.c: a streaming DTMF receiver meeting ITU-T Q.24.
 *
 * Eight Goertzel filters run over sub-blocks of 6.375 ms (51 samples at
 * 8 kHz). Two neighbouring sub-blocks combine into a 12.75 ms window (the
 * 102-sample block of spandsp and Asterisk, whose main lobe is wide enough
 * to keep a tone 1.5% off nominal) evaluated every sub-block, so decisions
 * come twice as often as with plain 102-sample blocks: that resolution is
 * what separates a 40 ms tone (accepted) from a 20 ms one (rejected).
 *
 * Magnitude alone cannot meet Q.24's frequency rule: a 102-sample window
 * passes a 697 Hz tone 3.5% off (must reject) almost as well as one 1.5% off
 * (must accept). The filters' phase can: a tone f Hz off nominal turns the
 * phase of consecutive windows by 2*pi*f*hop/rate, and with a 51-sample hop
 * that is unambiguous up to 78 Hz, beyond the 57 Hz of 3.5% at 1633 Hz. The
 * receiver measures each tone's frequency this way, averaged over the
 * windows of the tone, and rejects it past freq_tolerance_pct.
 *
 * A window holds a candidate digit when
 *  - both tones reach the minimum level,
 *  - the twist is within the normal and reverse limits,
 *  - each tone stands above the other three of its group (speech and music
 *    spread energy over neighbouring bins; a keypad does not), and
 *  - the two tones carry most of the window's energy, or, for a key said
 *    over, most of the keypad band's (SPOKEN_OVER_SHARE);
 * or, for a window that continues a run and fails the last two, when a
 * window twice as long passes them (long_window_holds).
 * A digit begins after enough consecutive windows agree (from the minimum
 * duration) and ends after a few windows without its two tones, which
 * bridges the drop-outs of a noisy line without merging two presses of one
 * key; a window that fails the tests above with both tones still at their
 * level (speech over the key) does not count as one without them.
 *
 * Samples reach the windows through dtmf_stream.c, which settles most of
 * them (quiet, or plainly no key) before they come here.
 *
 * Talk-off. Voices and music put two partials on a row and a column now
 * and then, steady enough for 40 ms: a run of windows long enough to
 * begin a digit must also pass the checks of dtmf_talkoff.c.
 */
#include "dtmf_internal.h"
#include "audio.h"
#include "dtmf_voice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const double dtmf_freqs[NFILT] = {697.0,  770.0,  852.0,  941.0,
                                  1209.0, 1336.0, 1477.0, 1633.0};
static const char keypad[16] = "123A456B789C*0#D";

/* Each tone must stand this far above the other tones of its group. Speech
 * formants are broad: their energy reaches the neighbouring bin, 10% away,
 * within a few dB. A keypad tone 1.5% off still leaks 12 dB below its own
 * peak there, so 6 dB keeps every valid digit with room for noise. */
#define RELATIVE_PEAK_DB 6.0

/* The two tones must carry this share of the window's energy. A digit over
 * speech 5 dB quieter (talk-down) still holds 76% of it, less the 1.4 dB a
 * tone 1.5% off loses in the window: 0.55 keeps those and rejects most of
 * what speech and music put near a tone pair. */
#define TONE_SHARE 0.55

/* Talk-down. Speech said over a key is loudest below 600 Hz (its
 * fundamental, its first harmonics and first formant): espeak voices "5 dB
 * below" the keys on average are as loud as them in their vowels, and the
 * pair then carries 30-50% of a window's energy, failing TONE_SHARE in
 * every window of some keys. Between BAND_LOW_HZ and BAND_HIGH_HZ (the
 * keypad's tones and a lobe around them) the same windows leave the pair
 * 80-100%. So a window whose pair carries SPOKEN_OVER_SHARE of its energy
 * or more passes when it carries BAND_SHARE of the band's, and its run is
 * spoken over (run_spoken_over).
 * What this buys and costs was measured on tests/talkoff, draws 0 (tuning
 * half), 1 and 2 for setting it, then once on draw 0's test half and a
 * draw 3 made for the purpose. Keys found under speech 5 / 0 dB below
 * them, before -> after: draw 0 tuning half 86 -> 88% / 67 -> 69%, draw 1
 * 88 -> 91% / 73 -> 80%, draw 2 84 -> 88% / 67 -> 74%; held out, draw 0's
 * test half 91 -> 92% / 77 -> 84%, draw 3 90 -> 93% / 69 -> 77%. No false
 * key more on any of them, in the recorded human speech or the music.
 * The band share is the bound that talk-off sets: at 0.8, 0.7 and 0.6 it
 * let through 1, 4 and 4 false keys in those (a Spanish voice's 4th and 7th
 * harmonics on a 5, its louder low harmonics out of the band; a melody's
 * two notes over a bass line), at no more than 1% more keys found. Under
 * 0.25 of the whole (0.15) a voice's pair passed; over it (0.35) keys are
 * lost, 2 points at 5 dB in draw 2. A run spoken over is held to
 * PAIR_MIXED.
 * The band's energy is the window's DFT over the band's bins, by Parseval,
 * through the Goertzel kernel (two banks of eight bins): it runs only for a
 * window that passes every other test and fails TONE_SHARE, 0.6% of the
 * windows of the talk-off set's speech and 1.3% of its music. */
#define SPOKEN_OVER_SHARE 0.25
#define BAND_SHARE 0.85
#define BAND_LOW_HZ 600.0
#define BAND_HIGH_HZ 1750.0

/* A run mixed with other sound, spoken over or whose pair carried under
 * MIXED_SHARE of a window's energy after its first, must have its two
 * tones together within PAIR_MIXED of nominal (percent, root of the summed
 * squares) where a clean one may reach PAIR_TOLERANCE: a keypad's tones
 * are within 1% (Q.24's 1.5% is a limit for the receiver, not a keypad's
 * usual error), and keys said over in the sets measure 0.5% or less. The
 * false keys left in the game soundtracks (tests/talkoff/music.sh), one
 * uncoded and three GSM-coded (one of them in the held-out half), had
 * pairs 1.86% to 2.18% off and carried 56% to 64% of their windows; at
 * 0.7 and 0.8 all four go and not one key is lost, said over or alone,
 * uncoded or GSM-coded. Of the false keys the band share let through at
 * the lower bounds tried, 10 of 16 were 1.5% to 2.2% off too. */
#define MIXED_SHARE 0.7
#define PAIR_MIXED 1.0

/* window_fails_cheaply's bounds (dtmf_stream.c) are window_candidate's
 * moved by this, far more than float's rounding of a bin's power (a few
 * parts in 10^7): a window that fails there fails the exact tests too,
 * and one near a bound is left to them. */
#define CHEAP_SLACK 1e-5

/* see dtmf_detector_new: the two tones' errors together, in percent */
#define PAIR_TOLERANCE 2.2

/* Twist is measured to within a few tenths of a dB (see separate), so a
 * tone pair exactly at a limit would pass in half the windows only; the
 * limits are widened by this much so that what is promised is accepted. */
#define TWIST_ALLOWANCE_DB 1.0

/* Q.24 lets an administration ask that tones of 23 ms not register (20 ms
 * elsewhere), and that 40 ms ones do. Consecutive windows alone cannot
 * tell them apart: a partly filled window passes every test in silence,
 * and 23 ms tones touch five or six windows, 40 ms ones seven or eight;
 * 10 of 112 tones of 23 ms registered (16 keys at 7 alignments), 0 of 20
 * ms. A tone D samples long fills a window of N to 71% or more (a level
 * within FULL_DB of a full window's) for D - 0.42 N samples of window
 * starts: at 8 kHz, 23 ms gives at most 3 such windows and 40 ms at least
 * 5. So a run must have windows_to_begin (4) windows within FULL_DB of its
 * loudest (full_windows). At 16 alignments each, with 15 dB of noise,
 * 1.5% off, 8 dB of twist, at -30 dBm0 and at 16 kHz: 0 of 1,536 tones of
 * 23 ms register, all 768 of 40 ms do. What it costs is keys whose level
 * wavers over the few windows they have: in tests/talkoff, GSM-coded keys
 * of 45 ms alone lost 5 of 144 in the tuning half (the coder's first
 * frames are low, 8 dB at most) and none in the held-out half; of the keys
 * said over, 1 in 64 in some sets (draw 3 at 5 dB 93 -> 92%). Asking
 * the run's last window to be within 3 dB instead cost more and let 2 of
 * 256 tones 23 ms long 1.5% off through; asking 5 windows within 6 dB
 * cost 4 to 9 points of keys said over. */
#define FULL_DB 3.0

/* Windows without the digit that end it. Q.24 asks that a 10 ms break
 * not split a digit and that a 40 ms pause be seen; between the two is
 * the receiver's choice. A recording of a VoIP call holds a third kind:
 * a lost 20 ms packet written as silence (Wireshark's RTP player, a
 * recorder without concealment), which split every key it fell in at 3
 * windows (ivr-dtmf on ten keys of 120 ms with a 20 ms hole each: twenty
 * digits). A hole of g ms fails about (g + 12.75) / 6.375 windows: a
 * 20 ms one at most 5 less the one a partly filled window still passes,
 * a 40 ms pause at least 6. So 5: 20 ms holes are bridged at every
 * alignment and 40 ms pauses between presses of one key are all seen
 * (test_dtmf); at 6 a 30 ms hole is bridged too, but with no window to
 * spare before the pause. On the talk-off and talk-down sets, the GSM
 * sets and the soundtracks no digit changed; only a digit's end is
 * known two windows later. */
#define MISSES_TO_END 5

/* A window that fails the tests still holds the digit being reported when
 * both its tones are within this much of their level at its start (see
 * still_sounding): speech takes 6 dB off a tone's bin only with half the
 * tone's amplitude in it, in opposite phase; a key let go drops both bins
 * by tens of dB. */
#define HOLD_DB 6.0

void dtmf_detector_params_default(dtmf_detector_params *p)
{
    p->max_twist_db = 8.0;
    p->max_reverse_twist_db = 4.0;
    p->min_level_dbm0 = -36.0;
    p->min_duration_ms = 40.0;
    /* Q.24: accept 1.5% off, reject 3.5% off. The phase measure is good
     * to 0.2% with speech under the tones, so 1.9% accepts every tone
     * 1.5% off; wider only helps speech through (8 of the 10 false keys
     * of the talk-off tuning half were 1.8% to 2.5% off). */
    p->freq_tolerance_pct = 1.9;
}

int dtmf_detector_params_check(const dtmf_detector_params *p, ivr_error *err)
{
    if (!(p->max_twist_db >= 0 && p->max_twist_db <= 20))
        return ivr_error_set(err, IVR_EUSAGE, "twist must be 0..20 dB");
    if (!(p->max_reverse_twist_db >= 0 && p->max_reverse_twist_db <= 20))
        return ivr_error_set(err, IVR_EUSAGE,
                             "reverse twist must be 0..20 dB");
    if (!(p->min_level_dbm0 >= -60 && p->min_level_dbm0 <= 0))
        return ivr_error_set(err, IVR_EUSAGE,
                             "minimum level must be -60..0 dBm0");
    if (!(p->min_duration_ms >= 20 && p->min_duration_ms <= 1000))
        return ivr_error_set(err, IVR_EUSAGE,
                             "minimum duration must be 20..1000 ms");
    if (!(p->freq_tolerance_pct >= 0.5 && p->freq_tolerance_pct <= 5))
        return ivr_error_set(err, IVR_EUSAGE,
                             "frequency tolerance must be 0.5..5%%");
    return IVR_OK;
}

/* The DFT bins of an n-sample window between BAND_LOW_HZ and BAND_HIGH_HZ
 * as the coefficients of banks of filters (a bank's unused lanes stay 0),
 * at most as many as the banks hold: fifteen bins of the window at 8 kHz
 * (78 Hz apart at any rate), 29 of the long window. Returns how many. */
static int band_init(dtmf_filter_bank *banks, int nbanks, int n, int rate)
{
    int first = (int)ceil(BAND_LOW_HZ * n / rate);
    int last = (int)floor(BAND_HIGH_HZ * n / rate), k;

    if (last - first + 1 > nbanks * DTMF_FILTERS)
        last = first + nbanks * DTMF_FILTERS - 1;
    for (k = 0; k <= last - first; k++)
        banks[k / DTMF_FILTERS].coef[k % DTMF_FILTERS] =
            (float)(2.0 * cos(2.0 * M_PI * (first + k) / n));
    return last - first + 1;
}

/* |X|^2 of filter i of bank b after a run: the Goertzel filter's power at
 * the end of its samples. */
static double filter_power(const dtmf_filter_bank *b, int i)
{
    return (double)b->s1[i] * b->s1[i] + (double)b->s2[i] * b->s2[i] -
           (double)b->coef[i] * b->s1[i] * b->s2[i];
}

/* The mean power between BAND_LOW_HZ and BAND_HIGH_HZ of the n samples x,
 * through band_init's banks: by Parseval, the window's energy is the sum
 * of its n bins' |X|^2 over n, and a real signal has each bin twice (at
 * +f and -f). */
static double band_mean_power(const dtmf_detector *d, dtmf_filter_bank *banks,
                              int bins, const float *x, int n)
{
    double sum = 0.0;
    int k;

    for (k = 0; k < bins; k++) {
        dtmf_filter_bank *b = &banks[k / DTMF_FILTERS];
        int i = k % DTMF_FILTERS;
        if (i == 0)
            d->run_filters(b, x, n);
        sum += filter_power(b, i);
    }
    return 2.0 * sum / ((double)n * n);
}

dtmf_detector *dtmf_detector_new(int rate, const dtmf_detector_params *p,
                                 dtmf_event_fn on_event, void *user,
                                 ivr_error *err)
{
    dtmf_detector_params defaults;
    dtmf_detector *d;
    double min_samples;
    int k;

    if (!p) {
        dtmf_detector_params_default(&defaults);
        p = &defaults;
    }
    if (dtmf_detector_params_check(p, err) != IVR_OK)
        return NULL;
    if (rate < AUDIO_RATE_MIN || rate > AUDIO_RATE_MAX) {
        ivr_error_set(err, IVR_EUSAGE, "rate %d Hz is outside %d..%d", rate,
                      AUDIO_RATE_MIN, AUDIO_RATE_MAX);
        return NULL;
    }
    d = calloc(1, sizeof *d);
    if (!d) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    d->rate = rate;
    d->hop = (int)lround(51.0 * rate / 8000.0);
    d->window = 2 * d->hop;
    for (k = 0; k < NFILT; k++) {
        double w = 2.0 * M_PI * dtmf_freqs[k] / rate;
        d->bank.coef[k] = (float)(2.0 * cos(w));
        d->cosw[k] = (float)cos(w);
        d->sinw[k] = (float)sin(w);
        d->to_start[k].re = cos(w * (d->hop - 1));
        d->to_start[k].im = -sin(w * (d->hop - 1));
        d->advance[k].re = cos(w * d->hop);
        d->advance[k].im = -sin(w * d->hop);
        d->adv_re[k] = (float)d->advance[k].re;
        d->adv_im[k] = (float)d->advance[k].im;
    }
    for (k = 0; k < 16; k++) {
        int r = k / 4, c = k % 4;
        double dw = 2.0 * M_PI * (dtmf_freqs[4 + c] - dtmf_freqs[r]) / rate;
        double mag = sin(dw * d->window / 2.0) / sin(dw / 2.0);
        d->leak[r][c].re = mag * cos(dw * (d->window - 1) / 2.0);
        d->leak[r][c].im = mag * sin(dw * (d->window - 1) / 2.0);
    }
    d->freq_tolerance = p->freq_tolerance_pct / 100.0;
    /* Both tones at once: a keypad at Q.24's limit on both is 1.5% off
     * on each, 2.1% in all; the tones of a pair that is further off in
     * all (each within the limit) are a voice's two partials drifting
     * apart. The 2 false keys left in the talk-off tuning half after the
     * checks above were 2.3% and 2.5% off in all. 2.2% keeps a measured
     * Q.24 corner (1.45% and 1.40%: 2.0%). Scaled with the tolerance. */
    d->pair_tolerance = pow(PAIR_TOLERANCE * p->freq_tolerance_pct / 1.9 /
                            100.0, 2);
    d->pair_mixed = pow(PAIR_MIXED * p->freq_tolerance_pct / 1.9 / 100.0,
                        2);
    d->band_bins = band_init(d->band, 2, d->window, rate);
    d->long_band_bins = band_init(d->long_band, 4, LONG_SUBBLOCKS * d->hop,
                                  rate);
    /* window value |W|^2 of a tone of mean power P on its bin is
     * P * window^2 / 2; thresholds are kept in tone power */
    d->min_power = audio_dbm0_to_power(p->min_level_dbm0);
    d->quiet_energy = 0.25 * d->min_power * d->window;   /* window_is_quiet */
    d->twist = db_to_ratio(p->max_twist_db + TWIST_ALLOWANCE_DB);
    d->reverse_twist = db_to_ratio(p->max_reverse_twist_db +
                                   TWIST_ALLOWANCE_DB);
    d->rel_peak = db_to_ratio(RELATIVE_PEAK_DB);
    {   /* window_fails_cheaply: window_candidate's bounds on |V|^2 */
        double scale = 2.0 / ((double)d->window * d->window);
        d->cheap_min = (float)(0.5 * d->min_power / scale *
                               (1.0 - CHEAP_SLACK));
        d->cheap_share = 0.5 * SPOKEN_OVER_SHARE / d->window / scale *
                         (1.0 - CHEAP_SLACK);
        d->cheap_peak = (float)(d->rel_peak * (1.0 - CHEAP_SLACK));
    }
    d->hold = db_to_ratio(-HOLD_DB);
    d->full = db_to_ratio(-FULL_DB);
    /* A tone of D samples fills, by at least 60%, about (D - 20) / hop
     * windows at 8 kHz; asking for round(D / hop) - 2 agreeing windows
     * takes every tone of the minimum duration and none of half of it. */
    min_samples = p->min_duration_ms * rate / 1000.0;
    d->windows_to_begin = (int)lround(min_samples / d->hop) - 2;
    if (d->windows_to_begin < 2)
        d->windows_to_begin = 2;
    dtmf_talkoff_init(d);
    d->ring = calloc(RING_SUBBLOCKS * (size_t)d->hop + (size_t)d->window,
                     sizeof *d->ring);
    if (!d->ring) {
        free(d);
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    d->samples = d->ring + LONG_HISTORY * d->hop;
    d->hann = d->ring + RING_SUBBLOCKS * d->hop;
    dtmf_voice_window(d->hann, d->window);
    d->on_event = on_event;
    d->user = user;
    d->run_filters = dtmf_filters_choose(&d->kernel);
    d->run_digit = -1;
    d->octave_at = -1;
    d->active = -1;
    return d;
}

static void emit(dtmf_detector *d, const dtmf_event *ev)
{
    if (d->on_event)
        d->on_event(ev, d->user);
}

static void end_active(dtmf_detector *d)
{
    dtmf_event ev = d->begin;

    ev.kind = DTMF_DIGIT_END;
    /* the last window that held the digit ends past the tone by about a
     * quarter window on average (it needs 60% or more of the tone) */
    ev.end = d->active_end - d->window / 4;
    if (ev.end <= ev.start)
        ev.end = ev.start + 1;
    d->active = -1;
    emit(d, &ev);
}

/* Returns the frequency error of a run's tone as a fraction of nominal. */
static double run_freq_error(const dtmf_detector *d, int idx, int which)
{
    cplx z = cmul(d->run_phase[which], d->advance[idx]);
    /* the rotation is measured against e^{+jw hop}; advance is its
     * conjugate, so the product's angle is the deviation per hop */
    double step = atan2(z.im, z.re);
    return step * d->rate / (2.0 * M_PI * d->hop) / dtmf_freqs[idx];
}

/* Splits the two tones of a candidate apart. Over 12.75 ms a tone leaks
 * into the other group's bin at up to 9% of its amplitude, and with 8 dB of
 * twist that is 22% of the weak tone: its level, and so the twist, would be
 * off by up to 2 dB, and its phase (the frequency measure) bent. Both bins
 * are linear in the two tones' complex amplitudes,
 *     Wr = N Ar + L Ac,   Wc = conj(L) Ar + N Ac,
 * with L the known leakage of one nominal frequency into the other's bin,
 * so solving this 2x2 system gives each tone as if it were alone. */
static void separate(const dtmf_detector *d, int r, int c, cplx wr, cplx wc,
                     cplx *ar, cplx *ac)
{
    cplx L = d->leak[r][c - 4], Lc = {L.re, -L.im};
    double n = d->window, det = n * n - (L.re * L.re + L.im * L.im);
    cplx a = cmul(wc, L), b = cmul(wr, Lc);

    ar->re = (wr.re * n - a.re) / det;
    ar->im = (wr.im * n - a.im) / det;
    ac->re = (wc.re * n - b.re) / det;
    ac->im = (wc.im * n - b.im) / det;
}

/* Whether each of tones r and c stands RELATIVE_PEAK_DB above the other
 * tones of its group, in the bin powers P. */
static int tones_stand_out(const dtmf_detector *d, const double *P, int r,
                           int c)
{
    int k;

    for (k = 0; k < 4; k++)
        if ((k != r && P[r] < d->rel_peak * P[k]) ||
            (k + 4 != c && P[c] < d->rel_peak * P[k + 4]))
            return 0;
    return 1;
}

/* Whether the long window, the window and the two sub-blocks before it
 * (25.5 ms at 8 kHz), holds the pair r, c as a window must: its tones
 * stand out, and carry TONE_SHARE of its energy or BAND_SHARE of its band.
 * A voice said over a key puts harmonics between the keypad's tones, and a
 * window's bins are 78 Hz apart where two row tones are 73 to 89 Hz apart:
 * a harmonic midway leaks into both neighbours at two thirds of its
 * amplitude, and one 2 dB under the row tone fails the row's 6 dB in the
 * windows where it beats against the row tone (test_dtmf). Bins twice as
 * fine leak it at under a tenth. The long window is asked only of a window
 * of a run that fails tones_stand_out or the shares, so a run must begin
 * on windows that pass them: it carries a key on through a voice, it
 * finds none in one.
 * Measured on tests/talkoff (keys under speech 5 / 0 dB below them, before
 * -> after), on the sets it was set on: draw 0's tuning half 56 -> 57 /
 * 44 -> 46 of 64, draw 1 116 -> 116 / 100 -> 101 of 128, draw 2 112 ->
 * 114 / 94 -> 98; held out: draw 0's test half 59 -> 61 / 54 -> 54 of 64,
 * draw 3 118 -> 120 / 97 -> 99, GSM-coded keys said over 47 -> 50 of 64
 * at 5 dB. No false key on any key-free set, in the recorded human speech
 * or the music, uncoded or GSM-coded; no key lost anywhere, and 11 begun
 * earlier, nearer their start. Costs 2% of bench-dtmf's throughput (2.96x
 * spandsp against 3.03x, interleaved): a window of a run skips the cheap
 * tests (dtmf_stream.c), and the ring keeps two sub-blocks more.
 * Tried: asking it of every window, not only a run's, gave a key more in
 * draw 1 and at 0 dB but left the cheap tests unable to settle any window
 * whose tones only fail to stand out; a band share of 0.8 over the long
 * window a key more in draw 2, and 0.75 a false key in the human speech;
 * holding a run it carried to PAIR_MIXED changed nothing on the sets but
 * lost keys under a steady partial (test_dtmf). */
static int long_window_holds(dtmf_detector *d, int r, int c)
{
    int n = LONG_SUBBLOCKS * d->hop, k;
    const float *x = d->samples - LONG_HISTORY * d->hop;
    double P[NFILT], scale = 2.0 / ((double)n * n), mean_power, pair;
    dtmf_filter_bank b;

    if (d->history < LONG_SUBBLOCKS)
        return 0;
    memcpy(b.coef, d->bank.coef, sizeof b.coef);
    d->run_filters(&b, x, n);
    for (k = 0; k < NFILT; k++)
        P[k] = filter_power(&b, k) * scale;
    if (!tones_stand_out(d, P, r, c))
        return 0;
    mean_power = dtmf_energy(x, n) / n;
    pair = P[r] + P[c];
    return pair >= TONE_SHARE * mean_power ||
           (pair >= SPOKEN_OVER_SHARE * mean_power &&
            pair >= BAND_SHARE * band_mean_power(d, d->long_band,
                                                 d->long_band_bins, x, n));
}

/* The digit a window holds (0..15), or -1; amp and power get the separated
 * tones of the strongest row and column, *spoken_over whether it passed by
 * BAND_SHARE only. V is the window's DFT turned by each bin's
 * e^{jw(hop-1)}: the same powers, and the turn is undone for the two bins
 * of a candidate only. */
static int window_candidate(dtmf_detector *d, const cplx *V, double energy,
                            cplx *amp, double *power, int *spoken_over)
{
    double P[NFILT], scale = 2.0 / ((double)d->window * d->window);
    double mean_power = energy / d->window;
    int k, r = 0, c = 4, digit, pure;

    power[0] = power[1] = 0.0;
    *spoken_over = 0;
    if (dtmf_window_is_quiet(d, energy))
        return -1;

    for (k = 0; k < NFILT; k++)
        P[k] = (V[k].re * V[k].re + V[k].im * V[k].im) * scale;
    for (k = 1; k < 4; k++)
        if (P[k] > P[r])
            r = k;
    for (k = 5; k < 8; k++)
        if (P[k] > P[c])
            c = k;
    digit = r * 4 + (c - 4);
    /* Cheap tests first, on the raw bins: most windows of a call are
     * silence, speech or music and stop here. Within the twist limits the
     * other tone moves a bin by under 3 dB, hence the factor 0.5. */
    if (P[r] < 0.5 * d->min_power || P[c] < 0.5 * d->min_power ||
        P[r] + P[c] < 0.5 * SPOKEN_OVER_SHARE * mean_power)
        return -1;
    pure = tones_stand_out(d, P, r, c);
    if (!pure && digit != d->run_digit)
        return -1;
    separate(d, r, c, cmul(V[r], d->to_start[r]), cmul(V[c], d->to_start[c]),
             &amp[0], &amp[1]);
    /* a real tone of mean power P has complex amplitude sqrt(P/2) */
    power[0] = 2.0 * (amp[0].re * amp[0].re + amp[0].im * amp[0].im);
    power[1] = 2.0 * (amp[1].re * amp[1].re + amp[1].im * amp[1].im);
    if (power[0] < d->min_power || power[1] < d->min_power ||
        power[0] > d->twist * power[1] ||
        power[1] > d->reverse_twist * power[0] ||
        power[0] + power[1] < SPOKEN_OVER_SHARE * mean_power)
        return -1;
    if (pure && power[0] + power[1] >= TONE_SHARE * mean_power)
        return digit;
    if (pure && power[0] + power[1] >=
                    BAND_SHARE * band_mean_power(d, d->band, d->band_bins,
                                                 d->samples, d->window)) {
        *spoken_over = 1;
        return digit;
    }
    /* a window that fails a purity test may still hold the digit of a run
     * that has not begun it yet over the long window (a digit begun is
     * held by still_sounding, and the long window would stretch its end by
     * the two sub-blocks it reaches back) */
    if (digit == d->run_digit && d->active < 0 && long_window_holds(d, r, c))
        return digit;
    return -1;
}

/* Whether the digit being reported still sounds in a window that failed
 * its tests: both of its bins within HOLD_DB of the level its tones began
 * at. Speech over a key adds to the other bins and fails the tests for a
 * few windows without taking the key's own tones away (a 90 ms key over
 * speech 5 dB below it was split in two by 32 ms of that, a false second
 * digit); a key let go drops its bins by 40 dB or more, and the 40 ms
 * between two presses of one key are still seen, since speech would have
 * to fill both bins at the key's own level through all of them. */
static int still_sounding(const dtmf_detector *d, const cplx *V)
{
    double scale = 2.0 / ((double)d->window * d->window), P[2];
    int bin[2] = {d->active / 4, 4 + d->active % 4}, k;

    if (!V)   /* a quiet window (see dtmf_window_decide): no bin reaches the
               * minimum */
        return 0;
    for (k = 0; k < 2; k++) {
        P[k] = (V[bin[k]].re * V[bin[k]].re + V[bin[k]].im * V[bin[k]].im) *
               scale;
        if (P[k] < d->min_power || P[k] < d->hold * d->active_power[k])
            return 0;
    }
    return 1;
}

/* How many of the run's latest windows (up to RUN_LEVELS) have their pair
 * within FULL_DB of the loudest of them: windows the tone fills. */
static int full_windows(const dtmf_detector *d)
{
    int n = d->run_len < RUN_LEVELS ? d->run_len : RUN_LEVELS, i, full = 0;
    double loudest = 0.0;

    for (i = 0; i < n; i++)
        if (d->run_level[i] > loudest)
            loudest = d->run_level[i];
    for (i = 0; i < n; i++)
        if (d->run_level[i] >= d->full * loudest)
            full++;
    return full;
}

/* One window, from dtmf_stream.c (see dtmf_internal.h). */
void dtmf_window_decide(dtmf_detector *d, const cplx *V, double energy,
                        int64_t start)
{
    cplx amp[2] = {{0, 0}, {0, 0}};
    double power[2] = {0, 0};
    int spoken_over = 0;
    int cand = V ? window_candidate(d, V, energy, amp, power, &spoken_over)
                 : -1;
    double pr = power[0], pc = power[1];

    if (cand >= 0 && cand == d->run_digit && cand == d->active) {
        d->run_len++;   /* the run has begun its digit: nothing more is
                         * asked of it */
    } else if (cand >= 0 && cand == d->run_digit) {
        cplx a = cmul_conj(amp[0], d->prev_amp[0]);
        cplx b = cmul_conj(amp[1], d->prev_amp[1]);
        dtmf_run_add(d, a, b, power, (pr + pc) * d->window / energy);
        d->run_phase[0].re += a.re;
        d->run_phase[0].im += a.im;
        d->run_phase[1].re += b.re;
        d->run_phase[1].im += b.im;
        d->run_power[0] += pr;
        d->run_power[1] += pc;
        d->run_level[d->run_len % RUN_LEVELS] = pr + pc;
        d->run_len++;
        d->run_spoken_over |= spoken_over;
    } else {
        d->run_digit = cand;
        d->run_len = cand >= 0;
        d->run_start = start;
        d->run_spoken_over = spoken_over;
        d->run_level[0] = pr + pc;
        memset(d->run_phase, 0, sizeof d->run_phase);
        /* the first window of a run is usually partly filled: it counts
         * for timing but not for the level */
        d->run_power[0] = d->run_power[1] = 0.0;
        if (cand >= 0)   /* most windows begin no run */
            dtmf_run_restart(d);
    }
    d->prev_amp[0] = amp[0];
    d->prev_amp[1] = amp[1];

    if (d->active >= 0) {
        if (cand == d->active || still_sounding(d, V)) {
            d->misses = 0;
            d->active_end = start + d->window;
        } else if (++d->misses >= MISSES_TO_END) {
            end_active(d);
        }
    }
    /* the row's octave is measured from the window before the first that
     * may begin a digit, to see how it turns */
    if (d->active < 0 && d->run_digit >= 0 && d->run_len >= 2 &&
        d->run_len >= d->windows_to_begin - 1) {
        int row = d->run_digit / 4, col = 4 + d->run_digit % 4;
        double el = run_freq_error(d, row, 0);
        double eh = run_freq_error(d, col, 1);
        int note = dtmf_run_row_octave_is_note(d, el, eh, start,
                                          energy / d->window - pr - pc);
        double pair_limit = d->run_spoken_over ||
                                    d->settle[0].share < MIXED_SHARE
                                ? d->pair_mixed
                                : d->pair_tolerance;
        if (d->run_len >= d->windows_to_begin &&
            fabs(el) <= d->freq_tolerance && fabs(eh) <= d->freq_tolerance &&
            el * el + eh * eh <= pair_limit &&
            full_windows(d) >= d->windows_to_begin &&
            dtmf_run_is_steady(d) && !note &&
            !dtmf_run_is_voice_or_note(d, el, eh)) {
            dtmf_event *ev = &d->begin;
            d->active = d->run_digit;
            d->misses = 0;
            d->active_end = start + d->window;
            ev->kind = DTMF_DIGIT_BEGIN;
            ev->digit = keypad[d->run_digit];
            /* the first window of the run started before the tone by
             * about a quarter window (see end_active) */
            ev->start = d->run_start + d->window / 4;
            ev->end = 0;
            d->active_power[0] = d->run_power[0] / (d->run_len - 1);
            d->active_power[1] = d->run_power[1] / (d->run_len - 1);
            ev->low_dbm0 = audio_power_to_dbm0(d->active_power[0]);
            ev->high_dbm0 = audio_power_to_dbm0(d->active_power[1]);
            ev->low_error_pct = el * 100.0;
            ev->high_error_pct = eh * 100.0;
            emit(d, ev);
        }
    }
}

const char *dtmf_detector_kernel(const dtmf_detector *d)
{
    return d->kernel;
}

void dtmf_detector_flush(dtmf_detector *d)
{
    if (d->active >= 0)
        end_active(d);
    d->fill = 0;
    d->fill_energy = 0.0f;
    d->have_prev = 0;
    d->history = 0;
    d->at_rest = 0;
    d->run_digit = -1;
    d->run_len = 0;
    d->octave_at = -1;
}

int64_t dtmf_detector_position(const dtmf_detector *d)
{
    return d->pos;
}

int dtmf_detector_rate(const dtmf_detector *d)
{
    return d->rate;
}

void dtmf_detector_free(dtmf_detector *d)
{
    if (d)
        free(d->ring);
    free(d);
}
