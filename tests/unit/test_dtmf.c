/*
 * test_dtmf.c: the DTMF generator and detector against ITU-T Q.24: every
 * case generates real audio and asserts the exact digit string found.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dtmf_filters.h"
#include "tap.h"
#include "signals.h"

#define ALL16 "123A456B789C*0#D"
#define F5 698.46   /* Hz: the notes of a chord on a 2 */
#define E6 1318.51
#define MAXEV 128

typedef struct found {
    char digits[MAXEV + 1];
    dtmf_event ev[MAXEV];   /* END events */
    int n, begins;
} found;

static void collect(const dtmf_event *ev, void *user)
{
    found *f = user;

    if (ev->kind == DTMF_DIGIT_BEGIN) {
        f->begins++;
        return;
    }
    if (f->n < MAXEV) {
        f->ev[f->n] = *ev;
        f->digits[f->n++] = ev->digit;
        f->digits[f->n] = '\0';
    }
}

/* Runs the detector over s in pieces of chunk samples (0: all at once). */
static void detect_p(const sigbuf *s, const dtmf_detector_params *p,
                     size_t chunk, found *f)
{
    dtmf_detector *d;
    size_t i;

    memset(f, 0, sizeof *f);
    d = dtmf_detector_new(s->rate, p, collect, f, NULL);
    if (!d) {
        f->n = -1;
        return;
    }
    if (chunk == 0)
        chunk = s->n;
    for (i = 0; i < s->n; i += chunk)
        dtmf_detector_push(d, s->x + i, s->n - i < chunk ? s->n - i : chunk);
    dtmf_detector_flush(d);
    dtmf_detector_free(d);
}

static const char *detect(const sigbuf *s, found *f)
{
    detect_p(s, NULL, 0, f);
    return f->digits;
}

static void test_all_digits(void)
{
    sigbuf s;
    found f;

    sig_init(&s, 8000);
    sig_digits(&s, ALL16, -7, -2, 0, 100, 100);
    ok(!strcmp(detect(&s, &f), ALL16), "all 16 digits at 8 kHz: got %s",
       f.digits);
    ok(f.begins == 16, "one BEGIN per digit (%d)", f.begins);
    sig_free(&s);
}

static void test_generator_matches(void)
{
    dtmf_gen_params p;
    dtmf_generator *g;
    ivr_error err;
    sigbuf s;
    found f;
    size_t got;

    dtmf_gen_params_default(&p);
    sig_init(&s, 8000);
    g = dtmf_generator_new("12 3,4#", 8000, &p, &err);
    ok(g != NULL, "generator accepts digits, spaces and a pause");
    if (!g)
        return;
    ok(dtmf_generator_length(g) == 8000 * (5 * 0.2 + 0.5),
       "length is 5 x (100+100 ms) + 500 ms pause (%llu)",
       (unsigned long long)dtmf_generator_length(g));
    while ((got = dtmf_generator_read(g, sig_grow(&s, 1000), 1000)) == 1000)
        ;
    s.n -= 1000 - got;
    dtmf_generator_free(g);
    ok(!strcmp(detect(&s, &f), "1234#"), "generated string detected: %s",
       f.digits);
    ok(dtmf_dial_check("12x4", &err) == IVR_EINPUT &&
           strstr(err.message, "'x' at position 3"),
       "bad dial string names the character and position: %s", err.message);
    ok(dtmf_dial_check(" ,, ", &err) == IVR_EINPUT, "no digits is an error");
    {
        char out[8];
        ok(dtmf_dial_digits("555-01,9a", out, sizeof out) == 7 &&
               !strcmp(out, "555019A"), "dial digits alone: %s", out);
        ok(dtmf_dial_digits("123456789", out, 4) == 9 && !strcmp(out, "123"),
           "dial digits truncated to the buffer: %s", out);
    }
    sig_free(&s);
}

static void test_frequency_tolerance(void)
{
    static const double accept[] = {-1.5, -1.0, 1.0, 1.5};
    static const double reject[] = {-5.0, -3.5, 3.5, 5.0};
    sigbuf s;
    found f;
    size_t i;

    for (i = 0; i < 4; i++) {
        sig_init(&s, 8000);
        sig_digits(&s, ALL16, -7, 0, accept[i], 60, 60);
        ok(!strcmp(detect(&s, &f), ALL16), "%+.1f%% off nominal: all found (%s)",
           accept[i], f.digits);
        sig_free(&s);
    }
    for (i = 0; i < 4; i++) {
        sig_init(&s, 8000);
        sig_digits(&s, ALL16, -7, 0, reject[i], 60, 60);
        ok(!strcmp(detect(&s, &f), ""), "%+.1f%% off nominal: none found (%s)",
           reject[i], f.digits);
        sig_free(&s);
    }
}

/* Q.24 judges each tone alone: one tone 3.5% off spoils the digit even
 * when the other is exact. */
static void test_single_tone_offset(void)
{
    static const char digits[] = "15#D";
    sigbuf s;
    found f;
    int which, bad = 0, good = 0;
    size_t i;

    for (which = 0; which < 2; which++) {
        for (i = 0; i < 4; i++) {
            double lo, hi;
            dtmf_digit_freqs(digits[i], &lo, &hi);
            sig_init(&s, 8000);
            sig_pair(&s, lo * (which ? 1.0 : 1.035), -7,
                     hi * (which ? 0.965 : 1.0), -7, 80);
            sig_silence(&s, 50);
            bad += strlen(detect(&s, &f)) != 0;
            sig_free(&s);
            sig_init(&s, 8000);
            sig_pair(&s, lo * (which ? 1.0 : 0.985), -7,
                     hi * (which ? 1.015 : 1.0), -7, 80);
            sig_silence(&s, 50);
            good += !strcmp(detect(&s, &f), (char[]){digits[i], 0});
            sig_free(&s);
        }
    }
    ok(bad == 0, "one tone 3.5%% off, the other exact: rejected (%d of 8 "
       "slipped through)", bad);
    ok(good == 8, "one tone 1.5%% off, the other exact: accepted (%d of 8)",
       good);
}

/* A voice's two partials drifting apart, each within the tolerance alone,
 * are not a key; Q.24's corner, both tones 1.5% off, is. */
static void test_pair_tolerance(void)
{
    static const char digits[] = "15#D";
    sigbuf s;
    found f;
    int i, good = 0, bad = 0;

    for (i = 0; i < 4; i++) {
        double lo, hi;
        dtmf_digit_freqs(digits[i], &lo, &hi);
        sig_init(&s, 8000);
        sig_pair(&s, lo * 1.017, -7, hi * 0.983, -7, 80);
        sig_silence(&s, 50);
        bad += strlen(detect(&s, &f)) != 0;
        sig_free(&s);
        sig_init(&s, 8000);
        sig_pair(&s, lo * 1.015, -7, hi * 0.985, -7, 80);
        sig_silence(&s, 50);
        good += !strcmp(detect(&s, &f), (char[]){digits[i], 0});
        sig_free(&s);
    }
    ok(bad == 0, "both tones 1.7%% off, apart (2.4%% in all): rejected (%d of "
       "4 slipped through)", bad);
    ok(good == 4, "both tones 1.5%% off, apart (Q.24's corner): accepted (%d "
       "of 4)", good);
}

/* A voice that puts its 4th and 7th harmonics (of 191 Hz) on a 5 brings
 * its other harmonics with it; a keypad 0.8% off, which is the same pair
 * of frequencies, brings nothing, or only what speech puts under it. */
/* A sine of hz at dbm0 added to s from sample from on. */
static void add_sine(sigbuf *s, size_t from, double hz, double dbm0,
                     double phase)
{
    double a = audio_dbm0_to_peak(dbm0);
    size_t i;

    for (i = from; i < s->n; i++)
        s->x[i] += (float)(a * sin(2 * M_PI * hz * (double)i / s->rate +
                                   phase));
}

/* s, ended by 50 ms of silence, through the receiver: the digits found,
 * in f; s is freed. */
static const char *detect_once(sigbuf *s, found *f)
{
    sig_silence(s, 50);
    detect(s, f);
    sig_free(s);
    return f->digits;
}

/* The 4th and 7th partials of a voice of fundamental f0 at -10 dBm0 each,
 * the 7th moved by the factor glide (a pitch that moves over the run puts
 * the measured pair off m:k), its 3rd, 5th, 6th and 8th under_db under
 * them (none past 90): the digits found, in f. */
static const char *voice_pair(double f0, double glide, double under_db,
                              found *f)
{
    static const int others[] = {3, 5, 6, 8};
    sigbuf s;
    size_t start;
    int j;

    sig_init(&s, 8000);
    start = s.n;
    sig_pair(&s, 4 * f0, -10, 7 * f0 * glide, -10, 80);
    for (j = 0; j < 4 && under_db < 90; j++)
        add_sine(&s, start, others[j] * f0, -10.0 - under_db, j);
    return detect_once(&s, f);
}

/* A 5 whose tones take first_ms to settle, 8 dB under their level and in
 * another phase (what a GSM coder makes of a new tone's first frame), and
 * then hold for steady_ms: the digits found, in f. */
static const char *settling_key(double first_ms, double steady_ms, found *f)
{
    sigbuf s;

    sig_init(&s, 8000);
    sig_silence(&s, 50);
    sig_pair(&s, 770, -22, 1336, -24, first_ms);
    sig_pair(&s, 770, -14, 1336, -16, steady_ms);
    return detect_once(&s, f);
}

/* A 5 for 200 ms whose level steps down by step_db and back every
 * every_ms, so that it never settles: the digits found, in f. */
static const char *stepping_pair(double step_db, double every_ms, found *f)
{
    sigbuf s;
    size_t start, i, every;

    sig_init(&s, 8000);
    sig_silence(&s, 50);
    start = s.n;
    every = ms_frames(&s, every_ms);
    sig_pair(&s, 770, -14, 1336, -16, 200);
    for (i = start; i < s.n; i++)
        if ((i - start) / every % 2)
            s.x[i] *= (float)pow(10.0, -step_db / 20.0);
    return detect_once(&s, f);
}

/* A 5 for 120 ms whose column tone steps down by step_db and back every
 * 20 ms (a GSM coder's output at a low level): the digits found, in f. */
static const char *wavering_column(double step_db, found *f)
{
    sigbuf s;
    size_t start, i, every;
    double a1 = audio_dbm0_to_peak(-14), a2 = audio_dbm0_to_peak(-16);

    sig_init(&s, 8000);
    sig_silence(&s, 50);
    start = s.n;
    every = ms_frames(&s, 20);
    sig_grow(&s, ms_frames(&s, 120));
    for (i = start; i < s.n; i++) {
        double n = (double)(i - start);
        double g = (i - start) / every % 2 ? pow(10.0, -step_db / 20.0) : 1.0;
        s.x[i] = (float)(a1 * sin(2 * M_PI * 770 * n / s.rate) +
                         g * a2 * sin(2 * M_PI * 1336 * n / s.rate));
    }
    return detect_once(&s, f);
}

static void test_steadiness(void)
{
    found f;

    ok(!strcmp(settling_key(0, 60, &f), "5"), "a steady 60 ms key: "
       "accepted (%s)", f.digits);
    ok(!strcmp(settling_key(13, 60, &f), "5"), "a key whose first 13 ms are "
       "8 dB low and out of phase (a GSM coder settling on it), then 60 ms "
       "steady: accepted (%s)", f.digits);
    ok(!strcmp(settling_key(20, 100, &f), "5"), "... its first 20 ms, then "
       "100 ms: accepted (%s)", f.digits);
    ok(!strcmp(stepping_pair(2, 13, &f), "5"), "a pair stepping 2 dB down "
       "and back every 13 ms: accepted (%s)", f.digits);
    ok(!strcmp(stepping_pair(10, 16, &f), ""), "a pair stepping 10 dB down "
       "and back every 16 ms all through its 200 ms (it never settles): "
       "rejected (%s)", f.digits);
    ok(!strcmp(stepping_pair(8, 19, &f), ""), "... 8 dB every 19 ms: "
       "rejected (%s)", f.digits);
    ok(!strcmp(wavering_column(7, &f), "5"), "a key whose column tone "
       "steps 7 dB down and back every 20 ms, nothing else beside it (a "
       "GSM coder at a low level): accepted (%s)", f.digits);
}

static void test_voice_partials(void)
{
    found f;

    ok(!strcmp(voice_pair(191.0, 1.0, 8, &f), ""), "two harmonics of a "
       "191 Hz voice on a 5, its 3rd, 5th, 6th and 8th 8 dB under them: "
       "rejected (%s)", f.digits);
    ok(!strcmp(voice_pair(191.0, 1.0, 20, &f), "5"), "... 20 dB under them "
       "(speech under a key): accepted (%s)", f.digits);
    ok(!strcmp(voice_pair(191.0, 1.0, 99, &f), "5"), "the same pair alone "
       "(a keypad 0.8%% off): accepted (%s)", f.digits);
    /* Carlo's Italian "vm-dialout" (asterisk-core-sounds-it) on a 1 */
    ok(!strcmp(voice_pair(171.3, 1.006, 8, &f), ""), "a 171 Hz voice on a 1, "
       "its pair measured 0.6%% over 7:4 as its pitch moves (further from "
       "the keypad's 1.735): rejected (%s)", f.digits);
    ok(!strcmp(voice_pair(171.3, 1.006, 99, &f), "1"), "the same pair alone "
       "(a keypad 1.7%% off): accepted (%s)", f.digits);
}

/* Two notes of a chord, F5 and E6 (698.5 and 1318.5 Hz: a 2 within
 * Q.24's tolerance; music plays them together in F major 7) at f5_dbm0
 * and e6_dbm0, and one partial of partial_hz at partial_dbm0 (none under
 * -90): the digits found, in f. */
static const char *chord(double f5_dbm0, double e6_dbm0, double partial_hz,
                         double partial_dbm0, found *f)
{
    sigbuf s;
    size_t start;

    sig_init(&s, 8000);
    start = s.n;
    sig_pair(&s, F5, f5_dbm0, E6, e6_dbm0, 120);
    if (partial_dbm0 > -90)
        add_sine(&s, start, partial_hz, partial_dbm0, 1);
    return detect_once(&s, f);
}

/* The chord as a game soundtrack played it, E6 2 dB over F5, with F5's
 * octave (or a partial off_hz from it: a voice's near the octave, not the
 * note's own, which stays on twice F5) under_db under F5. The soundtrack
 * had it 0 to 6 dB under (see ROW_OCTAVE_DB); nearer, it leaks into the
 * column's bins and no candidate begins. */
static const char *chord_row_octave(double under_db, double off_hz,
                                    found *f)
{
    return chord(-33, -31, 2 * F5 + off_hz, -33 - under_db, f);
}

static void test_instrument_notes(void)
{
    found f;

    ok(!strcmp(chord(-10, -10, 2 * E6, -16, &f), ""), "a chord's F5 and E6 "
       "on a 2, E6's octave 6 dB under it (an instrument): rejected (%s)",
       f.digits);
    ok(!strcmp(chord(-10, -10, 2 * E6, -30, &f), "2"), "... the octave 20 dB "
       "under it (a keypad's distortion): accepted (%s)", f.digits);
    ok(!strcmp(chord(-10, -10, 0, -99, &f), "2"), "the same two pure tones "
       "(a keypad 1.3%% off): accepted (%s)", f.digits);

    ok(!strcmp(chord_row_octave(6, 0, &f), ""), "F5's octave 6 dB under F5 "
       "(an instrument): rejected (%s)", f.digits);
    ok(!strcmp(chord_row_octave(8, 0, &f), ""), "... 8 dB under F5: "
       "rejected (%s)", f.digits);
    ok(!strcmp(chord_row_octave(15, 0, &f), "2"), "... 15 dB under F5 "
       "(a keypad's distortion): accepted (%s)", f.digits);
    ok(!strcmp(chord_row_octave(6, 15, &f), "2"), "... a partial 6 dB under "
       "F5 15 Hz off its octave (speech's, not the note's): accepted (%s)",
       f.digits);
}

static void test_twist(void)
{
    sigbuf s;
    found f;

    sig_init(&s, 8000);
    sig_digits(&s, ALL16, -6, 8, 0, 60, 60);
    ok(!strcmp(detect(&s, &f), ALL16), "8 dB twist (high group weaker): %s",
       f.digits);
    sig_free(&s);
    sig_init(&s, 8000);
    sig_digits(&s, ALL16, -10, -4, 0, 60, 60);
    ok(!strcmp(detect(&s, &f), ALL16),
       "4 dB reverse twist (high group stronger): %s", f.digits);
    sig_free(&s);
    sig_init(&s, 8000);
    sig_digits(&s, ALL16, -6, 10, 0, 60, 60);
    ok(!strcmp(detect(&s, &f), ""), "10 dB twist rejected: %s", f.digits);
    sig_free(&s);
    sig_init(&s, 8000);
    sig_digits(&s, ALL16, -12, -6, 0, 60, 60);
    ok(!strcmp(detect(&s, &f), ""), "6 dB reverse twist rejected: %s",
       f.digits);
    sig_free(&s);
}

static void test_durations(void)
{
    sigbuf s;
    found f;
    size_t i;

    for (i = 0; i < 5; i++) {
        /* shift the start across a window so every alignment is tried */
        sig_init(&s, 8000);
        sig_silence(&s, 1.3 * (double)i);
        sig_digits(&s, ALL16, -7, -2, 0, 40, 40);
        ok(!strcmp(detect(&s, &f), ALL16),
           "40 ms tones, 40 ms gaps, offset %.1f ms: %s", 1.3 * (double)i,
           f.digits);
        sig_free(&s);
        sig_init(&s, 8000);
        sig_silence(&s, 1.3 * (double)i);
        sig_digits(&s, ALL16, -7, -2, 0, 20, 40);
        ok(!strcmp(detect(&s, &f), ""), "20 ms tones rejected, offset %.1f ms:"
           " %s", 1.3 * (double)i, f.digits);
        sig_free(&s);
    }
    /* Q.24's 23 ms non-operate limit (FULL_DB), 16 alignments across a
     * sub-block, at nominal and 1.5% off */
    for (i = 0; i < 16; i++) {
        sig_init(&s, 8000);
        sig_silence(&s, 0.4 * (double)i);
        sig_digits(&s, ALL16, -7, -2, i % 2 ? 1.5 : 0, 23, 40);
        ok(!strcmp(detect(&s, &f), ""), "23 ms tones rejected, offset %.1f "
           "ms%s: %s", 0.4 * (double)i, i % 2 ? ", 1.5% off" : "",
           f.digits);
        sig_free(&s);
    }
    sig_init(&s, 8000);
    sig_digits(&s, "5555", -7, -2, 0, 40, 40);
    ok(!strcmp(detect(&s, &f), "5555"),
       "one key pressed four times with 40 ms gaps: %s", f.digits);
    sig_free(&s);
    /* a 10 ms break inside one press is a drop-out, not two presses */
    sig_init(&s, 8000);
    sig_digit(&s, '7', -7, -2, 0, 80);
    sig_silence(&s, 10);
    sig_digit(&s, '7', -7, -2, 0, 80);
    sig_silence(&s, 100);
    ok(!strcmp(detect(&s, &f), "7"), "10 ms break does not split a digit: %s",
       f.digits);
    sig_free(&s);
    /* a lost 20 ms packet that a recorder wrote as silence (Wireshark's
     * RTP player, a recorder without concealment) is not a second press,
     * at any alignment; a 40 ms pause between presses of one key still is */
    for (i = 0; i < 7; i++) {
        sig_init(&s, 8000);
        sig_silence(&s, 0.9 * (double)i);
        sig_digit(&s, '7', -7, -2, 0, 60);
        sig_silence(&s, 20);
        sig_digit(&s, '7', -7, -2, 0, 60);
        sig_silence(&s, 100);
        ok(!strcmp(detect(&s, &f), "7"), "a 20 ms hole does not split a "
           "digit, offset %.1f ms: %s", 0.9 * (double)i, f.digits);
        sig_free(&s);
        sig_init(&s, 8000);
        sig_silence(&s, 0.9 * (double)i);
        sig_digits(&s, "5555", -7, -2, 0, 40, 40);
        ok(!strcmp(detect(&s, &f), "5555"), "one key four times with 40 ms "
           "gaps, offset %.1f ms: %s", 0.9 * (double)i, f.digits);
        sig_free(&s);
    }
}

static void test_levels(void)
{
    static const double levels[] = {0, -10, -20, -30};
    sigbuf s;
    found f;
    size_t i;

    for (i = 0; i < 4; i++) {
        sig_init(&s, 8000);
        sig_digits(&s, ALL16, levels[i], 0, 0, 60, 60);
        /* 0 dBm0 per tone peaks above full scale: clip as a codec would */
        for (size_t j = 0; j < s.n; j++)
            s.x[j] = fmaxf(-1.0f, fminf(1.0f, s.x[j]));
        ok(!strcmp(detect(&s, &f), ALL16), "%.0f dBm0 per tone: %s",
           levels[i], f.digits);
        sig_free(&s);
    }
    sig_init(&s, 8000);
    sig_digits(&s, ALL16, -45, 0, 0, 60, 60);
    ok(!strcmp(detect(&s, &f), ""), "-45 dBm0, below the minimum level: %s",
       f.digits);
    sig_free(&s);
}

static void test_noise(void)
{
    audio_rng rng;
    sigbuf s;
    found f;
    unsigned seed;
    int good = 0;

    for (seed = 1; seed <= 10; seed++) {
        sig_init(&s, 8000);
        sig_silence(&s, 30);
        sig_digits(&s, ALL16, -10, 0, 0, 50, 50);
        audio_rng_seed(&rng, seed);
        /* two tones at -10 dBm0 are -7 dBm0 together: noise at -22 dBm0
         * is 15 dB below */
        audio_add_noise(s.x, s.n, -22, &rng);
        if (!strcmp(detect(&s, &f), ALL16))
            good++;
        else
            diag("seed %u: %s", seed, f.digits);
        sig_free(&s);
    }
    ok(good == 10, "15 dB SNR white noise, 50 ms tones: %d of 10 runs exact",
       good);
    sig_init(&s, 8000);
    sig_silence(&s, 60000);
    audio_rng_seed(&rng, 7);
    audio_add_noise(s.x, s.n, -10, &rng);
    ok(!strcmp(detect(&s, &f), ""), "a minute of loud noise: no digit (%s)",
       f.digits);
    sig_free(&s);
}

static void test_timing(void)
{
    sigbuf s;
    found f;
    int i, worst = 0;

    sig_init(&s, 8000);
    sig_silence(&s, 333);
    for (i = 0; i < 10; i++) {
        sig_digit(&s, '0' + (char)i, -7, -2, 0, 70 + 7 * i);
        sig_silence(&s, 55 + 3 * i);
    }
    detect(&s, &f);
    ok(f.n == 10, "ten digits of varied length found (%s)", f.digits);
    {
        double t = 0.333;
        for (i = 0; i < f.n && i < 10; i++) {
            double len = (70 + 7 * i) / 1000.0;
            double es = (double)f.ev[i].start / 8000 - t;
            double ee = (double)f.ev[i].end / 8000 - (t + len);
            int e = (int)lround(1000 * fmax(fabs(es), fabs(ee)));
            if (e > worst)
                worst = e;
            t += len + (55 + 3 * i) / 1000.0;
        }
    }
    ok(worst <= 6, "start and end within 6 ms of the truth (worst %d ms)",
       worst);
    ok(f.n > 0 && fabs(f.ev[0].low_dbm0 + 7) < 1.0 &&
           fabs(f.ev[0].high_dbm0 + 5) < 1.0,
       "levels measured: %.1f / %.1f dBm0 for -7 / -5", f.ev[0].low_dbm0,
       f.ev[0].high_dbm0);
    sig_free(&s);
}

static void test_rates_and_chunks(void)
{
    /* 4 and 5 kHz: the octave of a column tone and a voice's upper
     * harmonics lie past half the rate, where a probe hears aliases */
    static const int rates[] = {4000, 5000, 8000, 11025, 16000, 22050,
                                44100, 48000};
    static const size_t chunks[] = {1, 7, 160, 4096};
    sigbuf s;
    found f, whole;
    size_t i;

    for (i = 0; i < sizeof rates / sizeof *rates; i++) {
        sig_init(&s, rates[i]);
        sig_digits(&s, ALL16, -7, -2, 1.2, 45, 45);
        ok(!strcmp(detect(&s, &f), ALL16), "%d Hz: %s", rates[i], f.digits);
        sig_free(&s);
    }
    sig_init(&s, 8000);
    sig_digits(&s, "2580", -7, -2, 0, 60, 60);
    detect(&s, &whole);
    for (i = 0; i < 4; i++) {
        int same = 1, k;
        detect_p(&s, NULL, chunks[i], &f);
        same = f.n == whole.n;
        for (k = 0; same && k < f.n; k++)
            same = f.ev[k].start == whole.ev[k].start &&
                   f.ev[k].end == whole.ev[k].end;
        ok(same, "pushing %zu samples at a time gives the same events",
           chunks[i]);
    }
    sig_free(&s);

    /* long digital silences, where whole silent sub-blocks are skipped,
     * against one sample at a time, where none can be */
    sig_init(&s, 8000);
    sig_digits(&s, "159#D", -7, -2, 0, 45, 1300);
    detect(&s, &whole);
    detect_p(&s, NULL, 1, &f);
    {
        int same = f.n == whole.n && f.n == 5 && f.begins == whole.begins, k;
        for (k = 0; same && k < f.n; k++)
            same = f.ev[k].start == whole.ev[k].start &&
                   f.ev[k].end == whole.ev[k].end &&
                   f.ev[k].digit == whole.ev[k].digit;
        ok(same, "skipping silent sub-blocks changes no event (%s)",
           whole.digits);
    }
    sig_free(&s);
}

/* Runs the detector over s as 16-bit samples, in pieces of chunk. */
static void detect_s16(const int16_t *x, size_t n, size_t chunk, found *f)
{
    dtmf_detector *d;
    size_t i;

    memset(f, 0, sizeof *f);
    d = dtmf_detector_new(8000, NULL, collect, f, NULL);
    if (!d) {
        f->n = -1;
        return;
    }
    for (i = 0; i < n; i += chunk)
        dtmf_detector_push_s16(d, x + i, n - i < chunk ? n - i : chunk);
    dtmf_detector_flush(d);
    dtmf_detector_free(d);
}

static int same_events(const found *a, const found *b)
{
    int k, same = a->n == b->n && a->begins == b->begins;

    for (k = 0; same && k < a->n; k++)
        same = a->ev[k].digit == b->ev[k].digit &&
               a->ev[k].start == b->ev[k].start &&
               a->ev[k].end == b->ev[k].end &&
               a->ev[k].low_dbm0 == b->ev[k].low_dbm0 &&
               a->ev[k].high_dbm0 == b->ev[k].high_dbm0;
    return same;
}

/* The filters run only for windows that are not quiet, on the samples
 * kept for them, and the first tests run on float bins (dtmf_detect.c):
 * keys between quiet line noise and music, pushed as 16-bit samples in
 * pieces of any size, give exactly the events of their float values
 * pushed whole (every level to the bit). */
static void test_s16_and_quiet_windows(void)
{
    static const size_t chunks[] = {1, 7, 51, 160, 4096};
    audio_rng rng;
    sigbuf s;
    found whole, f;
    int16_t *x;
    size_t i;

    sig_init(&s, 8000);
    sig_digits(&s, "147*", -7, -2, 0, 45, 300);
    sig_music(&s, 2, -20, 5);
    sig_digits(&s, "2580", -10, 3, 0, 60, 60);
    sig_silence(&s, 500);
    audio_rng_seed(&rng, 7);
    audio_add_noise(s.x, s.n, -45, &rng);
    x = malloc(s.n * sizeof *x);
    for (i = 0; i < s.n; i++) {
        float v = s.x[i] * 32768.0f;
        x[i] = (int16_t)(v > 32767.0f ? 32767 : v < -32768.0f ? -32768 : v);
        s.x[i] = (float)x[i] * (1.0f / 32768.0f);
    }
    detect(&s, &whole);
    ok(!strcmp(whole.digits, "147*2580"), "keys between line noise and "
       "music: %s", whole.digits);
    for (i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        detect_s16(x, s.n, chunks[i], &f);
        ok(same_events(&f, &whole), "16-bit samples %zu at a time give the "
           "float events to the bit (%s)", chunks[i], f.digits);
    }
    free(x);
    sig_free(&s);
}

/* Nothing of a key reaches past a quiet gap, where the filters do not run:
 * the next key is heard exactly as when nothing came before it. */
static void test_key_after_quiet_gap(void)
{
    audio_rng rng;
    sigbuf a, b;
    found fa, fb;
    int same;

    sig_init(&a, 8000);
    sig_silence(&a, 60);
    sig_init(&b, 8000);
    sig_digits(&b, "1", -7, -2, 0, 60, 0);
    sig_silence(&a, 203);
    sig_silence(&b, 203);
    sig_digits(&a, "5", -7, -2, 0, 60, 100);
    sig_digits(&b, "5", -7, -2, 0, 60, 100);
    audio_rng_seed(&rng, 11);
    audio_add_noise(a.x, a.n, -50, &rng);
    audio_rng_seed(&rng, 11);
    audio_add_noise(b.x, b.n, -50, &rng);
    detect(&a, &fa);
    detect(&b, &fb);
    same = fa.n == 1 && fb.n == 2 && fa.ev[0].start == fb.ev[1].start &&
           fa.ev[0].end == fb.ev[1].end &&
           fa.ev[0].low_dbm0 == fb.ev[1].low_dbm0 &&
           fa.ev[0].high_dbm0 == fb.ev[1].high_dbm0;
    ok(same, "a key after a quiet gap is heard as if nothing came before "
       "(%s: %.4f s, %s: %.4f s)", fa.digits,
       fa.n > 0 ? fa.ev[0].start / 8000.0 : -1.0, fb.digits,
       fb.n > 1 ? fb.ev[1].start / 8000.0 : -1.0);
    sig_free(&a);
    sig_free(&b);
}

static void test_params(void)
{
    dtmf_detector_params p;
    ivr_error err;
    sigbuf s;
    found f;

    dtmf_detector_params_default(&p);
    p.max_twist_db = 30;
    ok(dtmf_detector_params_check(&p, &err) == IVR_EUSAGE &&
           strstr(err.message, "twist"), "out-of-range twist refused: %s",
       err.message);
    dtmf_detector_params_default(&p);
    p.min_duration_ms = 80;
    sig_init(&s, 8000);
    sig_digits(&s, "12", -7, -2, 0, 50, 50);
    sig_digits(&s, "34", -7, -2, 0, 100, 50);
    detect_p(&s, &p, 0, &f);
    ok(!strcmp(f.digits, "34"), "--min-duration 80 drops 50 ms tones: %s",
       f.digits);
    dtmf_detector_params_default(&p);
    p.max_twist_db = 14;
    sig_free(&s);
    sig_init(&s, 8000);
    sig_digits(&s, "99", -6, 12, 0, 60, 60);
    detect_p(&s, &p, 0, &f);
    ok(!strcmp(f.digits, "99"), "a wider twist limit takes 12 dB: %s",
       f.digits);
    dtmf_detector_params_default(&p);
    p.min_level_dbm0 = -20;
    sig_free(&s);
    sig_init(&s, 8000);
    sig_digits(&s, "1", -25, 0, 0, 60, 60);
    sig_digits(&s, "2", -15, 0, 0, 60, 60);
    detect_p(&s, &p, 0, &f);
    ok(!strcmp(f.digits, "2"), "a higher minimum level drops -25 dBm0: %s",
       f.digits);
    sig_free(&s);
}

static const char *speech_lines[] = {
    "Thank you for calling. Your call is important to us. Please stay on "
    "the line and the next available agent will answer.",
    "For billing, press one. For technical support, press two. To hear "
    "these options again, press nine.",
    "Please say or enter your account number, followed by the pound key.",
    "I am sorry, I did not understand that. Let us try again. You can say "
    "billing, technical support, or agent.",
};
static const char *voices[] = {"kal", "slt", "awb", "rms"};

static void test_talk_off(const char *dir)
{
    sigbuf s;
    found f;
    size_t v, l;
    int spoken = 0;

    sig_init(&s, 8000);
    for (v = 0; v < 4; v++)
        for (l = 0; l < 4; l++)
            spoken += sig_speech(&s, dir, voices[v], speech_lines[l]) == 0;
    ok(spoken == 16, "flite spoke %d of 16 passages (%.0f s)", spoken,
       (double)s.n / 8000);
    sig_set_level(&s, 0, -15);
    ok(!strcmp(detect(&s, &f), ""), "talk-off: no digit in speech: %s",
       f.digits);
    sig_set_level(&s, 0, -3);
    ok(!strcmp(detect(&s, &f), ""), "talk-off: no digit in loud speech: %s",
       f.digits);
    sig_free(&s);
    sig_init(&s, 8000);
    sig_music(&s, 120, -12, 42);
    ok(!strcmp(detect(&s, &f), ""), "talk-off: no digit in two minutes of "
       "music: %s", f.digits);
    sig_free(&s);
}

/* Digits pressed while the caller (or a prompt) talks, 5 dB under them. */
static void test_talk_down(const char *dir)
{
    sigbuf speech, tones;
    found f;
    size_t start;

    sig_init(&speech, 8000);
    sig_speech(&speech, dir, "slt", speech_lines[1]);
    sig_speech(&speech, dir, "rms", speech_lines[2]);
    sig_init(&tones, 8000);
    sig_silence(&tones, 300);
    start = tones.n;
    while (tones.n < speech.n - 8000)
        sig_digits(&tones, ALL16, -7, -2, 0, 60, 80);
    sig_set_level(&tones, start, -4);
    sig_set_level(&speech, 0, -9);
    if (speech.n > tones.n)
        speech.n = tones.n;
    audio_mix(tones.x, speech.x, speech.n, 0.0);
    detect(&tones, &f);
    {
        size_t want = 0;
        char expect[MAXEV + 1] = "";
        while (strlen(expect) + 16 <= MAXEV &&
               want < (tones.n - start) / (size_t)(16 * 140 * 8))
            strcat(expect, ALL16), want++;
        ok(!strcmp(f.digits, expect), "talk-down: digits under speech 5 dB "
           "quieter: %d found, %zu expected", f.n, strlen(expect));
    }
    sig_free(&speech);
    sig_free(&tones);
}

/* Adds a tone at f Hz and dbm0 over the whole of s. */
static void add_tone(sigbuf *s, double f, double dbm0)
{
    double a = audio_dbm0_to_peak(dbm0), w = 2 * M_PI * f / s->rate;
    size_t i;

    for (i = 0; i < s->n; i++)
        s->x[i] += (float)(a * sin(w * (double)i + 0.3));
}

/* The sixteen keys, each of its tones at -10 dBm0 (the pair at -7), both
 * tones offset_pct off, under a voice's low harmonics (200 and 400 Hz,
 * below the keypad's band) at hum_dbm0 each, or none (hum_dbm0 > 0). */
static const char *keys_over_hum(double offset_pct, double hum_dbm0,
                                 found *f)
{
    sigbuf s;

    sig_init(&s, 8000);
    sig_silence(&s, 200);
    sig_digits(&s, ALL16, -10, 0, offset_pct, 60, 80);
    if (hum_dbm0 <= 0) {
        add_tone(&s, 200, hum_dbm0);
        add_tone(&s, 400, hum_dbm0);
    }
    detect(&s, f);
    sig_free(&s);
    return f->digits;
}

/* Speech said over a key is loudest below 600 Hz: a key whose pair carries
 * under TONE_SHARE of the window but BAND_SHARE of the keypad's band is
 * found, within PAIR_MIXED of nominal; under SPOKEN_OVER_SHARE of the
 * window it is not. A pair under MIXED_SHARE is held to PAIR_MIXED too. */
static void test_spoken_over_key(void)
{
    found f;

    ok(!strcmp(keys_over_hum(0, -8, &f), ALL16),
       "keys whose pair is 39%% of the sound, the rest below 600 Hz, are "
       "found: %s", f.digits);
    ok(!strcmp(keys_over_hum(0.8, 1, &f), ALL16),
       "keys 0.8%% off alone are found: %s", f.digits);
    ok(!strcmp(keys_over_hum(0.8, -8, &f), ""),
       "keys 0.8%% off (1.1%% as a pair) under the same are not: %s",
       f.digits);
    ok(!strcmp(keys_over_hum(0, -3, &f), ""),
       "keys whose pair is 17%% of the sound are not: %s", f.digits);
    ok(!strcmp(keys_over_hum(0, -12.1, &f), ALL16),
       "keys whose pair is 62%% of the sound are found: %s", f.digits);
    ok(!strcmp(keys_over_hum(0.8, -12.1, &f), ""),
       "... and not 0.8%% off: %s", f.digits);
}

/* The sixteen keys, 90 ms each with tones at -10 dBm0, and from after_ms
 * into each key a partial under_db under its row tone, midway between
 * that row and the next (the one before, for the last row): what a voice's
 * harmonic between two row tones does to a 12.75 ms window, whose bins are
 * 78 Hz apart. */
static const char *keys_under_partial(double under_db, double after_ms,
                                      found *f)
{
    static const double rows[4] = {697, 770, 852, 941};
    static const double cols[4] = {1209, 1336, 1477, 1633};
    sigbuf s;
    int k;

    sig_init(&s, 8000);
    sig_silence(&s, 200);
    for (k = 0; k < 16; k++) {
        int r = k / 4;
        double partial = (rows[r] + rows[r < 3 ? r + 1 : r - 1]) / 2;
        size_t from = s.n + ms_frames(&s, after_ms);
        sig_pair(&s, rows[r], -10, cols[k % 4], -10, 90);
        add_sine(&s, from, partial, -10 - under_db, 0.5);
        sig_silence(&s, 100);
    }
    detect(&s, f);
    sig_free(&s);
    return f->digits;
}

/* A window whose tones fail to stand out may still hold the digit of the
 * run it continues over the long window (LONG_SUBBLOCKS), whose bins are
 * half as far apart; it never begins one. */
static void test_long_window(void)
{
    found f;

    ok(!strcmp(keys_under_partial(2, 25, &f), ALL16),
       "keys with a partial 2 dB under the row tone from 25 ms into them, "
       "between two rows, are found: %s", f.digits);
    ok(!strcmp(keys_under_partial(0, 0, &f), ""),
       "... none with the partial there from their start: %s", f.digits);
}

/* Speech over a key fails a window's tests for a while without taking the
 * key's tones away: a voice's harmonic beside the column tone, as loud as
 * it, for 32 ms in the middle of a 120 ms key (what split a 90 ms * in two
 * under an espeak-ng voice). A key let go is seen all the same: the same
 * key pressed again 40 ms later, with the speech under both presses. */
static void test_masked_key(const char *dir)
{
    sigbuf s, burst, speech;
    found f;

    sig_init(&s, 8000);
    sig_silence(&s, 100);
    sig_digit(&s, '*', -7, -2, 0, 120);
    sig_silence(&s, 100);
    sig_init(&burst, 8000);
    sig_silence(&burst, 144);
    sig_pair(&burst, 1336.0, -5, 1336.0, -90, 32);
    audio_mix(s.x, burst.x, burst.n, 0.0);
    ok(!strcmp(detect(&s, &f), "*"), "a key hidden by a harmonic beside its "
       "column for 32 ms is one digit: %s", f.digits);
    sig_free(&s);
    sig_free(&burst);

    sig_init(&speech, 8000);
    sig_speech(&speech, dir, "slt", speech_lines[0]);
    sig_set_level(&speech, 0, -12);
    sig_init(&s, 8000);
    sig_silence(&s, 200);
    while (s.n + 8000 < speech.n)
        sig_digits(&s, "5555", -7, -2, 0, 60, 40);
    if (speech.n > s.n)
        speech.n = s.n;
    audio_mix(s.x, speech.x, speech.n, 0.0);
    detect(&s, &f);
    {
        int fives = 0, i;
        for (i = 0; i < f.n; i++)
            fives += f.digits[i] == '5';
        /* 100 ms a press: every press whose gap speech could fill */
        ok(fives == f.n && f.n >= (int)((s.n - 1600) / 800) * 9 / 10,
           "presses of one key 40 ms apart under speech 5 dB below stay "
           "apart: %d of %zu", f.n, (s.n - 1600) / 800);
    }
    sig_free(&s);
    sig_free(&speech);
}

/* Each kernel runs its filters from rest, whatever a bank held before
 * (a kernel may take the samples that do not fill a vector step in closed
 * form, which only rest allows): its outputs against a Goertzel recursion
 * in double, for lengths with every remainder of a step of eight. */
static void test_kernels_from_rest(void)
{
    static const char *const kernels[] = {"portable", "vector", "avx2"};
    static const int lengths[] = {1, 2, 3, 5, 7, 8, 9, 13, 16, 50, 51, 102,
                                  204};
    const char *saved = getenv("IVR_DTMF_KERNEL"), *name;
    float x[204];
    size_t k, l;
    int i, j;

    for (i = 0; i < 204; i++)
        x[i] = (float)(0.3 * sin(0.37 * i) + 0.2 * sin(1.91 * i + 0.5) +
                       0.05 * ((i * 7919) % 13 - 6) / 6.0);
    for (k = 0; k < sizeof kernels / sizeof *kernels; k++) {
        double worst = 0.0;
        dtmf_filters_fn run;

        setenv("IVR_DTMF_KERNEL", kernels[k], 1);
        run = dtmf_filters_choose(&name);
        for (l = 0; l < sizeof lengths / sizeof *lengths; l++) {
            dtmf_filter_bank b;
            int n = lengths[l];

            for (j = 0; j < DTMF_FILTERS; j++) {
                b.coef[j] = (float)(2.0 * cos(2 * M_PI * (600.0 + 110 * j) /
                                              8000.0));
                b.s1[j] = 1e3f;   /* what a bank held before */
                b.s2[j] = -1e3f;
            }
            run(&b, x, n);
            for (j = 0; j < DTMF_FILTERS; j++) {
                double s1 = 0.0, s2 = 0.0;
                for (i = 0; i < n; i++) {
                    double s0 = (double)b.coef[j] * s1 - s2 + x[i];
                    s2 = s1;
                    s1 = s0;
                }
                if (fabs(b.s1[j] - s1) > worst)
                    worst = fabs(b.s1[j] - s1);
                if (fabs(b.s2[j] - s2) > worst)
                    worst = fabs(b.s2[j] - s2);
            }
        }
        ok(worst < 1e-3, "the %s kernel runs its filters from rest whatever "
           "the bank held (%s ran; largest error %.2g)", kernels[k], name,
           worst);
    }
    if (saved)
        setenv("IVR_DTMF_KERNEL", saved, 1);
    else
        unsetenv("IVR_DTMF_KERNEL");
}

/* The 16-bit conversion gives each sample over 32768 exactly, and the sum
 * of their squares that a quiet window is settled by. */
static void test_s16_conversion_energy(void)
{
    static const int lengths[] = {0, 1, 7, 8, 15, 51, 160};
    int16_t x[160];
    float to[160];
    size_t l;
    int i, exact = 1;
    double worst = 0.0;

    for (i = 0; i < 160; i++)
        x[i] = (int16_t)(i % 3 ? 32767 - 409 * i : -32768 + 311 * i);
    for (l = 0; l < sizeof lengths / sizeof *lengths; l++) {
        int n = lengths[l];
        double want = 0.0;
        float e = dtmf_s16_to_float(x, to, n);

        for (i = 0; i < n; i++) {
            exact &= to[i] == (float)x[i] / 32768.0f;
            want += ((double)x[i] / 32768.0) * ((double)x[i] / 32768.0);
        }
        double error = fabs(e - want) / (want > 1 ? want : 1);

        if (error > worst)
            worst = error;
    }
    ok(exact && worst < 1e-5, "16-bit samples convert exactly, with the sum "
       "of their squares (relative error %.2g)", worst);
}

/* The fast kernels against the portable reference: the same digits at
 * the same times (to the sample), over digits at many levels and twists,
 * in noise and after music. */
static void test_kernels(void)
{
    static const char *const kernels[] = {"portable", "vector", "avx2"};
    const char *saved = getenv("IVR_DTMF_KERNEL");
    found ref, f;
    audio_rng rng;
    sigbuf s;
    dtmf_detector *d;
    size_t k;
    int i, same;

    sig_init(&s, 8000);
    sig_music(&s, 3, -15, 3);
    for (i = 0; i < 6; i++) {
        sig_silence(&s, 40 + 7 * i);
        sig_digits(&s, ALL16, -5 - 4 * i, i % 2 ? 3 : -2, 0, 45 + 5 * i,
                   45 + 3 * i);
    }
    audio_rng_seed(&rng, 11);
    audio_add_noise(s.x, s.n, -35, &rng);
    setenv("IVR_DTMF_KERNEL", "portable", 1);
    detect_p(&s, NULL, 160, &ref);
    for (k = 0; k < sizeof kernels / sizeof *kernels; k++) {
        setenv("IVR_DTMF_KERNEL", kernels[k], 1);
        d = dtmf_detector_new(8000, NULL, NULL, NULL, NULL);
        diag("kernel %s asked, %s runs", kernels[k],
             d ? dtmf_detector_kernel(d) : "none");
        dtmf_detector_free(d);
        detect_p(&s, NULL, 160, &f);
        same = f.n == ref.n && !strcmp(f.digits, ref.digits);
        for (i = 0; same && i < f.n; i++)
            same = f.ev[i].start == ref.ev[i].start &&
                   f.ev[i].end == ref.ev[i].end;
        ok(same && ref.n == 6 * 16,
           "the %s kernel finds what the portable one does (%d digits)",
           kernels[k], f.n);
    }
    if (saved)
        setenv("IVR_DTMF_KERNEL", saved, 1);
    else
        unsetenv("IVR_DTMF_KERNEL");
    sig_free(&s);
}

int main(void)
{
    char dir[] = "/tmp/ivr-test-dtmf.XXXXXX";
    char cmd[256];

    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 99;
    }
    test_all_digits();
    test_generator_matches();
    test_frequency_tolerance();
    test_single_tone_offset();
    test_pair_tolerance();
    test_voice_partials();
    test_steadiness();
    test_instrument_notes();
    test_twist();
    test_durations();
    test_levels();
    test_noise();
    test_timing();
    test_rates_and_chunks();
    test_s16_and_quiet_windows();
    test_key_after_quiet_gap();
    test_params();
    test_kernels();
    test_kernels_from_rest();
    test_s16_conversion_energy();
    test_talk_off(dir);
    test_talk_down(dir);
    test_masked_key(dir);
    test_spoken_over_key();
    test_long_window();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        diag("could not remove %s", dir);
    return tap_done();
}
