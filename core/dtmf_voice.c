/*
 * dtmf_voice.c: the talk-off tests that ask whether a tone pair is a
 * voice, or an instrument's notes (whose octaves are probed the same way:
 * see OVERTONE_DB in dtmf_detect.c).
 *
 * The voices that fool a receiver (high female and child-like ones, and
 * prompts saying "press nine") put two harmonics of their fundamental on a
 * row and a column: 764 and 1336 Hz are the 4th and 7th of 191 Hz. The
 * keypad's eight frequencies were chosen so that no pair of them is such a
 * pair: every nominal pair is 0.4% or more away from k:m for any
 * fundamental in a voice's range, while a voice's two partials are k:m to
 * within the phase measure's error (0.1-0.3% on the talk-off set). A
 * voice's other harmonics come with them, between and around the pair; a
 * keypad has nothing there but what speech or noise puts under it. So a
 * pair is a voice when both hold:
 *  - its measured frequencies are k and m times one fundamental between
 *    150 and 500 Hz, to within 0.3%; or to within 0.8% when the measured
 *    ratio is nearer m:k than the keypad's own ratio for the pair, and
 *  - another harmonic of that fundamental in the telephone band stands
 *    within 12 dB of the weaker tone.
 * Measured on tests/talkoff's tuning half: every pair left by the other
 * checks that was a voice matched a fundamental (0.01-0.26% off) and had
 * another harmonic between 11 dB under and 2 dB over the weaker tone;
 * among the 64 keys said over at 5 and 0 dB, no run matched a fundamental
 * at all, so the test takes no key from talk-down.
 * The wider 0.8% is for a voice whose pitch moves during the run: a man's
 * recorded Italian prompts (tests/talkoff/human-speech.sh) put his 4th
 * and 7th harmonics on a 1 twice, measured 0.6% and 0.7% over 7:4. The
 * four diagonal keys (1, 5, 9, D) lie 0.8-0.9% under 7:4, and under
 * speech some of their runs measure within 0.8% of it: 0.8% alone cost
 * three such keys in tests/talkoff's talk-down files (both draws, 256
 * keys), the rule of the nearer ratio none.
 *
 * The harmonics are measured through a Hann window, whose leakage 150 Hz
 * from a tone is 31 dB down: below 150 Hz the probes would sit in the
 * keypad tones' own main lobes, and low voices do not make false digits
 * anyway (their partials near the keypad are too dense to stand 6 dB above
 * the neighbouring bins). It runs only on a run of windows long enough to
 * begin a digit, a few times a minute of speech.
 */
#include "dtmf_voice.h"

#include <math.h>

#define F0_MIN 150.0
#define F0_MAX 500.0
#define MATCH 0.003         /* the harmonics' agreement, as a fraction */
#define MATCH_WIDE 0.008    /* the same, away from the keypad's own ratio */
#define BAND_LOW 300.0      /* the telephone band, Hz */
#define BAND_HIGH 3400.0

void dtmf_voice_window(float *hann, int n)
{
    int i;

    for (i = 0; i < n; i++)
        hann[i] = (float)(0.5 - 0.5 * cos(2.0 * M_PI * i / (n - 1)));
}

/* The power of frequency f over the weighted window, as a tone's power.
 * Two samples a step (goertzel_vector in dtmf_filters.c has the
 * formula), so that each step waits on half as long a chain of the one
 * before: a voice check probes up to a dozen harmonics, one at a time a
 * tenth of the receiver's time on bench-dtmf's keys (its hour: 1.32 ns a
 * sample against 1.35). */
static double probe_power(const float *x, const float *hann, int n, int rate,
                          double f)
{
    double w = 2.0 * M_PI * f / rate, c = 2.0 * cos(w), q = c * c - 1.0;
    double s1 = 0.0, s2 = 0.0, sum_first = 0.0, sum_second = 0.0, sum;
    int i = 0;

    if (n % 2) {   /* the odd sample out, first: from rest, s1 = v */
        s1 = (double)hann[0] * x[0];
        sum_first = hann[0];
        i = 1;
    }
    for (; i + 1 < n; i += 2) {
        double v0 = (double)hann[i] * x[i];
        double v1 = (double)hann[i + 1] * x[i + 1];
        double n0 = c * s1 - s2 + v0;
        double n1 = q * s1 - c * s2 + (c * v0 + v1);
        s2 = n0;
        s1 = n1;
        sum_first += hann[i];
        sum_second += hann[i + 1];
    }
    sum = sum_first + sum_second;
    /* a tone of amplitude A gives |X| = A sum / 2, and power A^2 / 2 */
    return (s1 * s1 + s2 * s2 - c * s1 * s2) * 2.0 / (sum * sum);
}

/* Whether the measured ratio of a pair, ratio, is m:k's: within MATCH, or
 * within MATCH_WIDE and nearer m:k than the keypad's own ratio for the
 * pair, key_ratio (see the header). */
static int ratio_matches(double ratio, int m, int k, double key_ratio)
{
    double harmonic = (double)m / k, off = fabs(ratio / harmonic - 1.0);

    return off <= MATCH ||
           (off <= MATCH_WIDE &&
            fabs(ratio - harmonic) < fabs(ratio - key_ratio));
}

/* The highest frequency a probe may ask for at rate: the telephone band,
 * and below half the rate, past which it would hear an alias (at 4 kHz a
 * column tone's octave folds back onto the keypad's own tones). */
static double probe_limit(int rate)
{
    return fmin(BAND_HIGH, 0.45 * rate);
}

double dtmf_voice_overtone_db(const float *x, const float *hann, int n,
                              int rate, double f_col, double weaker_power)
{
    if (2.0 * f_col > probe_limit(rate))
        return -HUGE_VAL;
    return 10.0 * log10(probe_power(x, hann, n, rate, 2.0 * f_col) /
                        weaker_power);
}

/* The sum of e^{-j d i} over i = 0..n-1 (d radians a sample), in *re,
 * *im: the rectangular window's transform, of which the Hann window's is
 * three (see hann_transform). */
static void dirichlet(double d, int n, double *re, double *im)
{
    /* (1 - e^{-jdn}) / (1 - e^{-jd}) */
    double nr = 1.0 - cos(d * n), ni = sin(d * n);
    double dr = 1.0 - cos(d), di = sin(d), m = dr * dr + di * di;

    if (m < 1e-18) {
        *re = n;
        *im = 0.0;
        return;
    }
    *re = (nr * dr + ni * di) / m;
    *im = (ni * dr - nr * di) / m;
}

/* The transform of dtmf_voice_window's n weights at d radians a sample,
 * in closed form: 0.5 - 0.5 cos(t i) with t = 2 pi / (n - 1) is three
 * rectangular windows, at d and d -+ t. */
static void hann_transform(double d, int n, double *re, double *im)
{
    double t = 2.0 * M_PI / (n - 1), ar, ai, br, bi, cr, ci;

    dirichlet(d, n, &ar, &ai);
    dirichlet(d - t, n, &br, &bi);
    dirichlet(d + t, n, &cr, &ci);
    *re = 0.5 * ar - 0.25 * (br + cr);
    *im = 0.5 * ai - 0.25 * (bi + ci);
}

/* The complex amplitude of frequency f, with the tone at f_near,
 * 58 to 71 Hz away, taken out: through a 12.75 ms Hann window a column
 * tone leaks into its row's octave 4 to 6 dB under itself, as much as the
 * octave it would hide or fake. Both bins are linear in the two tones'
 * complex amplitudes (the images at -f are 2 kHz and more away, 60 dB
 * down), X = (H0 a + G' b) / 2 and Y = (G a + H0 b) / 2 with H0 the
 * window's sum and G its transform at the frequencies' distance, so b
 * comes out exactly (see separate in dtmf_detect.c). */
static void probe_beside(const float *x, const float *hann, int n, int rate,
                         double f, double f_near, double *re, double *im)
{
    double w = 2.0 * M_PI * f / rate, wn = 2.0 * M_PI * f_near / rate;
    double c = cos(w), s = sin(w), cn = cos(wn), sn = sin(wn);
    double pr = 1.0, pi = 0.0, qr = 1.0, qi = 0.0, t;
    double yr = 0.0, yi = 0.0, xr = 0.0, xi = 0.0, gr, gi;
    double h0 = 0.5 * (n - 1), det;   /* the weights' sum */
    int i;

    /* both transforms in one pass, phases from the window's first sample */
    for (i = 0; i < n; i++) {
        double v = (double)hann[i] * x[i];
        yr += v * pr;
        yi -= v * pi;
        xr += v * qr;
        xi -= v * qi;
        t = pr * c - pi * s;
        pi = pr * s + pi * c;
        pr = t;
        t = qr * cn - qi * sn;
        qi = qr * sn + qi * cn;
        qr = t;
    }
    hann_transform(w - wn, n, &gr, &gi);
    det = h0 * h0 - (gr * gr + gi * gi);
    if (det < 0.5 * h0 * h0) {  /* the two too near to tell apart */
        *re = *im = 0.0;
        return;
    }
    /* b = 2 (H0 Y - G X) / det */
    *re = 2.0 * (h0 * yr - (gr * xr - gi * xi)) / det;
    *im = 2.0 * (h0 * yi - (gr * xi + gi * xr)) / det;
}

double dtmf_voice_row_octave(const float *x, const float *hann, int n,
                             int rate, double f_row, double f_col,
                             double *re, double *im)
{
    *re = *im = 0.0;
    if (2.0 * f_row > probe_limit(rate))
        return 0.0;
    probe_beside(x, hann, n, rate, 2.0 * f_row, f_col, re, im);
    /* a tone of complex amplitude b has power |b|^2 / 2 */
    return (*re * *re + *im * *im) / 2.0;
}

double dtmf_voice_harmonic_db(const float *x, const float *hann, int n,
                              int rate, double f_row, double f_col,
                              double key_ratio, double weaker_power)
{
    double best = -HUGE_VAL;
    int k;

    for (k = 2; f_row / k >= F0_MIN; k++) {
        double f0 = f_row / k, strongest = 0.0;
        int m = (int)lround(f_col / f0), j;

        if (f0 > F0_MAX || !ratio_matches(f_col / f_row, m, k, key_ratio))
            continue;
        for (j = 1; j * f0 <= probe_limit(rate) && j <= m + 1; j++) {
            double p;
            if (j == k || j == m || j * f0 < BAND_LOW)
                continue;
            p = probe_power(x, hann, n, rate, j * f0);
            if (p > strongest)
                strongest = p;
        }
        if (strongest > 0.0) {
            double db = 10.0 * log10(strongest / weaker_power);
            if (db > best)
                best = db;
        }
    }
    return best;
}
