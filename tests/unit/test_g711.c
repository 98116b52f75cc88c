/*
 * test_g711.c: the SIP line's G.711 against libsndfile's, a codec that
 * many tools have read and written for twenty years: every one of the 256
 * codes decodes to the same sample, and our encoder gives back each code
 * its own decoding makes.
 */
#include "g711.h"
#include "tap.h"

#include <math.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* libsndfile's decoding of the 256 codes of one law, into pcm */
static int sndfile_decode(int law, short pcm[256])
{
    char path[] = "/tmp/ivr-g711-XXXXXX";
    unsigned char codes[256];
    SF_INFO info;
    SNDFILE *f;
    int fd = mkstemp(path), i, n;

    if (fd < 0)
        return -1;
    for (i = 0; i < 256; i++)
        codes[i] = (unsigned char)i;
    n = (int)write(fd, codes, sizeof codes);
    close(fd);
    memset(&info, 0, sizeof info);
    info.samplerate = 8000;
    info.channels = 1;
    info.format = SF_FORMAT_RAW | law;
    if (n != 256 || !(f = sf_open(path, SFM_READ, &info))) {
        unlink(path);
        return -1;
    }
    n = (int)sf_read_short(f, pcm, 256);
    sf_close(f);
    unlink(path);
    return n == 256 ? 0 : -1;
}

static void test_law(const char *name, int law,
                     void (*enc)(const float *, uint8_t *, size_t),
                     void (*dec)(const uint8_t *, float *, size_t))
{
    short ref[256];
    uint8_t codes[256], again[256];
    float x[256];
    int i, same = 0, back = 0;

    if (sndfile_decode(law, ref) != 0) {
        ok(0, "%s: libsndfile decodes the 256 codes", name);
        diag("libsndfile could not read a raw file in /tmp");
        return;
    }
    for (i = 0; i < 256; i++)
        codes[i] = (uint8_t)i;
    dec(codes, x, 256);
    for (i = 0; i < 256; i++)
        same += lrintf(x[i] * 32768.0f) == ref[i];
    ok(same == 256, "%s: every code decodes as libsndfile decodes it "
       "(%d of 256)", name, same);
    enc(x, again, 256);
    for (i = 0; i < 256; i++)
        /* mu-law's two zeros (0x7f, 0xff) are one sample */
        back += again[i] == codes[i] || (x[i] == 0.0f && (again[i] & 0x7f) ==
                                         (codes[i] & 0x7f));
    ok(back == 256, "%s: each code's sample encodes to the code (%d of "
       "256)", name, back);
}

static void test_levels(void)
{
    float x[8000], y[8000];
    uint8_t c[8000];
    double err = 0, sig = 0;
    int i;

    for (i = 0; i < 8000; i++)
        x[i] = 0.3f * sinf(2.0f * 3.14159265f * 1000.0f * (float)i / 8000.0f);
    g711_ulaw_encode(x, c, 8000);
    g711_ulaw_decode(c, y, 8000);
    for (i = 0; i < 8000; i++) {
        err += (x[i] - y[i]) * (x[i] - y[i]);
        sig += x[i] * x[i];
    }
    /* G.711's signal to quantisation noise is about 38 dB at this level */
    ok(10 * log10(sig / err) > 35, "a 1 kHz tone through mu-law keeps its "
       "signal 35 dB over the noise (%.1f dB)", 10 * log10(sig / err));
    x[0] = 4.0f;
    x[1] = -4.0f;
    g711_alaw_encode(x, c, 2);
    g711_alaw_decode(c, y, 2);
    ok(y[0] > 0.96f && y[1] < -0.96f, "samples past full scale clip "
       "(%.3f, %.3f)", y[0], y[1]);
}

int main(void)
{
    test_law("mu-law", SF_FORMAT_ULAW, g711_ulaw_encode, g711_ulaw_decode);
    test_law("A-law", SF_FORMAT_ALAW, g711_alaw_encode, g711_alaw_decode);
    test_levels();
    return tap_done();
}
