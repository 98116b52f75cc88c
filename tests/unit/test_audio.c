/* test_audio.c: core/audio reading, writing, resampling and levels. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "audio.h"

static char dir[] = "/tmp/ivr-test-audio.XXXXXX";

static const char *path_in(const char *name)
{
    static char buf[4][256];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
    return buf[i];
}

/* Writes channels of sines (freq[c] Hz, amplitude 0.5) for seconds. */
static int write_sines(const char *path, int rate, int channels,
                       const double *freq, double seconds, audio_encoding enc)
{
    size_t n = (size_t)(rate * seconds), i;
    float *x = malloc(n * (size_t)channels * sizeof *x);
    audio_writer *w = audio_writer_open(path, rate, channels, enc, 1, NULL);
    int c, status;

    if (!x || !w) {
        free(x);
        audio_writer_abort(w);
        return -1;
    }
    for (i = 0; i < n; i++)
        for (c = 0; c < channels; c++)
            x[i * (size_t)channels + (size_t)c] =
                (float)(0.5 * sin(2 * M_PI * freq[c] * (double)i / rate));
    status = audio_writer_write(w, x, n, NULL);
    free(x);
    if (status != IVR_OK) {
        audio_writer_abort(w);
        return -1;
    }
    return audio_writer_close(w, NULL) == IVR_OK ? 0 : -1;
}

/* Reads all of path; returns frames, fills *rms and the zero-crossing
 * frequency estimate *hz. */
static long read_all(const char *path, const audio_read_opts *o, double *rms,
                     double *hz)
{
    audio_reader *r = audio_reader_open(path, o, NULL);
    float buf[1000], last = 0;
    long got, total = 0, crossings = 0;
    double sum = 0;

    if (!r)
        return -1;
    while ((got = audio_reader_read(r, buf, 1000, NULL)) > 0) {
        for (long i = 0; i < got; i++) {
            sum += (double)buf[i] * buf[i];
            if ((last < 0) != (buf[i] < 0))
                crossings++;
            last = buf[i];
        }
        total += got;
    }
    if (rms)
        *rms = total ? sqrt(sum / (double)total) : 0;
    if (hz)
        *hz = (double)crossings / 2.0 / ((double)total / audio_reader_rate(r));
    audio_reader_close(r);
    return got < 0 ? -1 : total;
}

static void test_round_trips(void)
{
    static const struct {
        const char *name;
        audio_encoding enc;
    } cases[] = {
        {"a.wav", AUDIO_ENC_PCM16}, {"b.wav", AUDIO_ENC_PCM24},
        {"c.wav", AUDIO_ENC_PCM32}, {"d.wav", AUDIO_ENC_FLOAT},
        {"e.wav", AUDIO_ENC_ULAW},  {"f.wav", AUDIO_ENC_ALAW},
        {"g.flac", AUDIO_ENC_PCM16}, {"h.au", AUDIO_ENC_ULAW},
        {"i.aiff", AUDIO_ENC_PCM16},
    };
    double f = 1000, rms, hz;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long n;
        write_sines(path_in(cases[i].name), 8000, 1, &f, 0.5, cases[i].enc);
        n = read_all(path_in(cases[i].name), NULL, &rms, &hz);
        ok(n == 4000 && fabs(rms - 0.3536) < 0.01 && fabs(hz - 1000) < 5,
           "%s %s: %ld frames, rms %.3f, %.0f Hz", cases[i].name,
           audio_encoding_name(cases[i].enc), n, rms, hz);
    }
}

static void test_channels(void)
{
    double f[2] = {500, 1500}, rms, hz;
    audio_read_opts o = {0};
    audio_reader *r;
    ivr_error err;

    write_sines(path_in("st.wav"), 8000, 2, f, 1.0, AUDIO_ENC_ULAW);
    o.channel = 1;
    read_all(path_in("st.wav"), &o, &rms, &hz);
    ok(fabs(hz - 500) < 5, "channel 1 of a stereo file: %.0f Hz", hz);
    o.channel = 2;
    read_all(path_in("st.wav"), &o, &rms, &hz);
    ok(fabs(hz - 1500) < 5, "channel 2: %.0f Hz", hz);
    o.channel = 0;
    read_all(path_in("st.wav"), &o, &rms, &hz);
    ok(fabs(rms - 0.25) < 0.01, "mix of two legs halves each: rms %.3f", rms);
    o.channel = 3;
    r = audio_reader_open(path_in("st.wav"), &o, &err);
    ok(!r && err.status == IVR_EINPUT &&
           strstr(err.message, "has 2 channels, there is no channel 3"),
       "channel 3 refused: %s", err.message);
    r = audio_reader_open(path_in("st.wav"), NULL, &err);
    ok(r && audio_reader_channels(r) == 2 && audio_reader_file_rate(r) == 8000
           && audio_reader_file_frames(r) == 8000 &&
           strstr(audio_reader_describe(r), "8000 Hz, stereo"),
       "describe: %s", r ? audio_reader_describe(r) : "-");
    audio_reader_close(r);
}

static void test_resample(void)
{
    static const int to[] = {8000, 16000, 44100};
    double f = 1000, rms, hz;
    audio_read_opts o = {0};
    size_t i;

    write_sines(path_in("r48.wav"), 48000, 1, &f, 1.0, AUDIO_ENC_PCM16);
    for (i = 0; i < 3; i++) {
        long n;
        o.rate = to[i];
        n = read_all(path_in("r48.wav"), &o, &rms, &hz);
        ok(labs(n - to[i]) <= 2 && fabs(hz - 1000) < 5 &&
               fabs(rms - 0.3536) < 0.01,
           "48000 -> %d Hz: %ld frames, %.0f Hz, rms %.3f", to[i], n, hz, rms);
    }
    write_sines(path_in("r8.wav"), 8000, 1, &f, 1.0, AUDIO_ENC_ULAW);
    o.rate = 16000;
    ok(labs(read_all(path_in("r8.wav"), &o, &rms, &hz) - 16000) <= 2 &&
           fabs(hz - 1000) < 5,
       "8000 mu-law -> 16000 Hz: %.0f Hz", hz);
}

/* Halving the rate (every prompt: flite's 16 kHz to the line's 8): the
 * telephone band passes flat, what would fold back into it is gone. */
static double halved_gain_db(double hz)
{
    size_t n = 16000, i, m;
    float *x = malloc(n * sizeof *x), *y = NULL;
    double in = 0, out = 0;

    for (i = 0; i < n; i++)
        x[i] = (float)(0.5 * sin(2 * M_PI * hz * (double)i / 16000));
    if (audio_resample(x, n, 16000, 8000, &y, &m, NULL) != IVR_OK) {
        free(x);
        return 99;
    }
    /* away from the edges, which see the zeros outside the signal */
    for (i = 1000; i < 15000; i++)
        in += (double)x[i] * x[i];
    for (i = 500; i < 7500; i++)
        out += (double)y[i] * y[i];
    free(x);
    free(y);
    return 10 * log10((out / 7000) / (in / 14000) + 1e-30);
}

static void test_halving(void)
{
    float x[9] = {0}, *y = NULL;
    size_t m = 0;
    int rc;

    ok(fabs(halved_gain_db(300)) < 0.01 && fabs(halved_gain_db(1000)) < 0.01
           && fabs(halved_gain_db(3400)) < 0.01,
       "16 -> 8 kHz: 300, 1000, 3400 Hz within 0.01 dB (%.3f, %.3f, %.3f)",
       halved_gain_db(300), halved_gain_db(1000), halved_gain_db(3400));
    ok(halved_gain_db(4400) < -70 && halved_gain_db(6000) < -70,
       "16 -> 8 kHz: 4400 and 6000 Hz (which would fold to 3600 and 2000) "
       "70 dB down (%.1f, %.1f)", halved_gain_db(4400), halved_gain_db(6000));
    x[4] = 1.0f;
    rc = audio_resample(x, 9, 16000, 8000, &y, &m, NULL);
    ok(rc == IVR_OK && m == 5 && fabs(y[2] - 0.5f) < 1e-6 &&
           fabs(y[1] - y[3]) < 1e-7,
       "16 -> 8 kHz: zero phase, an impulse stays centred (%zu samples)", m);
    free(y);
}

static int temp_files_left(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    while ((e = readdir(d)))
        if (e->d_name[0] == '.' && strlen(e->d_name) > 2)
            n++;
    closedir(d);
    return n;
}

static void test_writer_safety(void)
{
    double f = 700, rms;
    audio_writer *w;
    ivr_error err;
    float x[100] = {0};

    write_sines(path_in("keep.wav"), 8000, 1, &f, 0.25, AUDIO_ENC_PCM16);
    w = audio_writer_open(path_in("keep.wav"), 8000, 1, AUDIO_ENC_PCM16, 0,
                          &err);
    ok(!w && err.status == IVR_EOUTPUT && strstr(err.message, "exists"),
       "an existing file is refused: %s", err.message);
    w = audio_writer_open(path_in("keep.wav"), 8000, 1, AUDIO_ENC_PCM16, 1,
                          &err);
    audio_writer_write(w, x, 100, &err);
    audio_writer_abort(w);
    ok(read_all(path_in("keep.wav"), NULL, &rms, NULL) == 2000 && rms > 0.3,
       "an aborted overwrite leaves the old file whole");
    ok(temp_files_left() == 0, "and no temporary file behind");
    w = audio_writer_open(path_in("new.wav"), 8000, 1, AUDIO_ENC_PCM16, 0,
                          &err);
    ok(w && access(path_in("new.wav"), F_OK) != 0,
       "the target does not exist until the writer closes");
    x[0] = 3.0f;
    x[1] = -2.0f;
    audio_writer_write(w, x, 100, &err);
    ok(audio_writer_clipped(w) == 2, "two samples clipped and counted");
    ok(audio_writer_close(w, &err) == IVR_OK &&
           read_all(path_in("new.wav"), NULL, NULL, NULL) == 100,
       "published on close");
    ok(audio_writer_open(path_in("x.wav"), 100, 1, AUDIO_ENC_PCM16, 0, &err)
           == NULL && err.status == IVR_EUSAGE,
       "absurd output rate refused: %s", err.message);
}

static void test_levels(void)
{
    float x[8000];
    audio_rng a, b;
    int i, same = 1;

    ok(fabs(audio_dbm0_to_peak(3.17) - 1.0) < 1e-9,
       "+3.17 dBm0 is the full-scale sine");
    ok(fabs(audio_power_to_dbm0(audio_dbm0_to_power(-13)) + 13) < 1e-9,
       "dBm0 -> power -> dBm0");
    for (i = 0; i < 8000; i++)
        x[i] = (float)(audio_dbm0_to_peak(-10) * sin(i * 0.3));
    ok(fabs(audio_level_dbm0(x, 8000) + 10) < 0.05,
       "a -10 dBm0 sine measures %.2f", audio_level_dbm0(x, 8000));
    memset(x, 0, sizeof x);
    audio_rng_seed(&a, 5);
    audio_add_noise(x, 8000, -20, &a);
    ok(fabs(audio_level_dbm0(x, 8000) + 20) < 0.2,
       "noise at -20 dBm0 measures %.2f", audio_level_dbm0(x, 8000));
    audio_rng_seed(&a, 9);
    audio_rng_seed(&b, 9);
    for (i = 0; i < 100; i++)
        same &= audio_rng_uniform(&a) == audio_rng_uniform(&b);
    ok(same, "the same seed gives the same noise");
    audio_rng_seed(&b, 10);
    ok(audio_rng_uniform(&a) != audio_rng_uniform(&b),
       "another seed gives other noise");
}

/* The file's own samples, for a receiver that takes integers: the same
 * values as the float read, scaled by 32768, and only for 16-bit mono
 * audio at its own rate. */
static void test_s16(void)
{
    double f[2] = {700, 1300};
    audio_read_opts o = {0};
    audio_reader *r, *rf;
    ivr_error err;
    int16_t s[1000];
    float x[1000];
    long got, gotf, total = 0;
    int same = 1, i;

    write_sines(path_in("s16.wav"), 8000, 1, f, 0.5, AUDIO_ENC_PCM16);
    r = audio_reader_open(path_in("s16.wav"), NULL, &err);
    rf = audio_reader_open(path_in("s16.wav"), NULL, &err);
    ok(r && rf && audio_reader_is_s16(r), "16-bit mono at its own rate is "
       "read as it is");
    while (r && rf && (got = audio_reader_read_s16(r, s, 1000, &err)) > 0) {
        gotf = audio_reader_read(rf, x, (size_t)got, &err);
        same = same && gotf == got;
        for (i = 0; same && i < got; i++)
            same = (float)s[i] / 32768.0f == x[i];
        total += got;
    }
    ok(same && total == 4000, "its samples are the float read's times "
       "32768: %ld frames", total);
    audio_reader_close(r);
    audio_reader_close(rf);

    write_sines(path_in("s16st.wav"), 8000, 2, f, 0.5, AUDIO_ENC_PCM16);
    r = audio_reader_open(path_in("s16st.wav"), NULL, &err);
    ok(r && !audio_reader_is_s16(r) &&
           audio_reader_read_s16(r, s, 1000, &err) == -1 &&
           err.status == IVR_EINTERNAL &&
           strstr(err.message, "not 16-bit mono at its own rate"),
       "a 16-bit stereo file is not read as it is: %s", err.message);
    audio_reader_close(r);
    write_sines(path_in("s16u.wav"), 8000, 1, f, 0.5, AUDIO_ENC_ULAW);
    r = audio_reader_open(path_in("s16u.wav"), NULL, &err);
    ok(r && !audio_reader_is_s16(r), "a mu-law file is not read as it is");
    audio_reader_close(r);
    o.rate = 16000;
    r = audio_reader_open(path_in("s16.wav"), &o, &err);
    ok(r && !audio_reader_is_s16(r), "a 16-bit file read at another rate "
       "is not read as it is");
    audio_reader_close(r);

    /* cut in the middle of its audio: the frames before the damage, then
     * the error, as the float read gives them */
    if (truncate(path_in("s16.wav"), 44 + 4000) != 0)
        diag("could not truncate");
    r = audio_reader_open(path_in("s16.wav"), NULL, &err);
    total = 0;
    while (r && (got = audio_reader_read_s16(r, s, 1000, &err)) > 0)
        total += got;
    ok(r && got == -1 && total == 2000 && strstr(err.message, "truncated"),
       "a truncated 16-bit file read as it is: %ld frames, then: %s", total,
       err.message);
    audio_reader_close(r);
}

static void test_bad_input(void)
{
    ivr_error err;
    FILE *f;
    audio_read_opts o = {0};

    ok(!audio_reader_open(path_in("nope.wav"), NULL, &err) &&
           err.status == IVR_EINPUT && strstr(err.message, "No such file"),
       "missing: %s", err.message);
    f = fopen(path_in("zero.wav"), "w");
    fclose(f);
    ok(!audio_reader_open(path_in("zero.wav"), NULL, &err) &&
           strstr(err.message, "empty file"), "empty: %s", err.message);
    f = fopen(path_in("junk.wav"), "w");
    fputs("RIFF\x10\0\0\0WAVEjunkjunkjunk", f);
    fclose(f);
    ok(!audio_reader_open(path_in("junk.wav"), NULL, &err) &&
           strstr(err.message, "not a sound file"), "junk: %s", err.message);
    f = fopen(path_in("x.raw"), "w");
    fputs("abcdabcd", f);
    fclose(f);
    ok(!audio_reader_open(path_in("x.raw"), NULL, &err) &&
           strstr(err.message, "x.raw: headerless audio: its sample rate "
                               "is not known (use a WAV file)"),
       "raw without rate, nothing to give it with: %s", err.message);
    {
        audio_read_opts ro = {.raw_rate_option = "--raw-rate"};
        ok(!audio_reader_open(path_in("x.raw"), &ro, &err) &&
               strstr(err.message, "x.raw: headerless audio: give its "
                                   "sample rate with --raw-rate"),
           "raw without rate names the command's option: %s", err.message);
    }
    o.raw_rate = 8000;
    o.raw_encoding = AUDIO_ENC_PCM16;
    ok(read_all(path_in("x.raw"), &o, NULL, NULL) == 4,
       "raw s16 at 8000 Hz: 4 frames");
    o.raw_rate = 100;
    ok(!audio_reader_open(path_in("x.raw"), &o, &err) &&
           strstr(err.message, "100 Hz is outside"), "raw at 100 Hz: %s",
       err.message);
}

int main(void)
{
    char cmd[300];

    if (!mkdtemp(dir))
        return 99;
    test_round_trips();
    test_channels();
    test_resample();
    test_halving();
    test_writer_safety();
    test_levels();
    test_s16();
    test_bad_input();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        diag("could not remove %s", dir);
    return tap_done();
}
