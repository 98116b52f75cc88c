/*
 * asr_band.c: telephone-band speech, found and served.
 *
 * Band-limited utterances (8 kHz input, or 16 kHz input with next to
 * nothing above 4 kHz, as a telephone recording resampled) are decoded with
 * the model's means and variances moved by a global MLLR transform,
 * estimated by bench/adapt-8k.sh on 22 minutes of human telephone prompts
 * (Asterisk's) passed through asr.c's front-end, in two passes. On the
 * held-out menu of bench/bench_asr.c it takes the 8 kHz band from 90.6% to
 * 94.8% right, and from 77% to 85% with 15 dB of noise; Asterisk's human
 * digits (not in the adaptation data) from 8 to 10 of 10. The transform is switched per utterance,
 * so a stream that changes band is still served (a switch makes the decoder
 * reload the model's Gaussians: milliseconds, and only when the band
 * changes).
 */
#include "asr_band.h"
#include "asr_mllr.h"
#include "audio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A 16 kHz utterance with less than this share of its energy above 4.2 kHz
 * is band-limited (speech has 1% to 10% there). */
#define WIDEBAND_SHARE 3e-4

/* Reads a transform from its text lines. ps_mllr_read() wants a file; a
 * pipe read through /dev/fd is one, and leaves nothing on disk. */
static ps_mllr_t *mllr_from_text(const char *text)
{
    char path[32];
    size_t len = strlen(text);
    ps_mllr_t *m = NULL;
    int fd[2];

    /* 64 kB of pipe buffer hold a 3x13 transform (5 kB) whole */
    if (len > 60000 || pipe(fd) != 0)
        return NULL;
    if (write(fd[1], text, len) == (ssize_t)len) {
        close(fd[1]);
        fd[1] = -1;
        snprintf(path, sizeof path, "/dev/fd/%d", fd[0]);
        m = ps_mllr_read(path);
    }
    if (fd[1] >= 0)
        close(fd[1]);
    close(fd[0]);
    return m;
}

/* The shipped transform, and an identity one of the same shape. */
int asr_band_init(asr_band *b)
{
    char *text = malloc(16384);
    size_t len = 0;
    int i, f, r, c;

    if (!text)
        return -1;
    for (i = 0; asr_mllr_8k[i]; i++)
        len += (size_t)snprintf(text + len, 16384 - len, "%s\n",
                                asr_mllr_8k[i]);
    b->narrow = mllr_from_text(text);
    len = (size_t)snprintf(text, 16384, "1\n3\n");
    for (f = 0; f < 3; f++) {
        len += (size_t)snprintf(text + len, 16384 - len, "13\n");
        for (r = 0; r < 14; r++) {   /* 13 rows of A, then b */
            for (c = 0; c < 13; c++)
                len += (size_t)snprintf(text + len, 16384 - len, "%s ",
                                        r == c ? "1.0" : "0.0");
            text[len - 1] = '\n';
        }
        for (c = 0; c < 13; c++)
            len += (size_t)snprintf(text + len, 16384 - len, "1.0 ");
        text[len - 1] = '\n';
    }
    b->none = mllr_from_text(text);
    free(text);
    b->active[0] = b->active[1] = 0;
    return b->narrow && b->none ? 0 : -1;
}

int asr_band_is_narrow(const float *x, size_t n, int rate)
{
    float *y = malloc((n ? n : 1) * sizeof *y);
    audio_biquad f;
    double hi = 0, all = 0;
    size_t i;
    int k;

    if (!y)
        return 0;
    memcpy(y, x, n * sizeof *y);
    for (k = 0; k < 2; k++) {
        audio_biquad_highpass(&f, 4200.0, rate);
        audio_biquad_run(&f, y, n);
    }
    for (i = 0; i < n; i++) {
        hi += (double)y[i] * y[i];
        all += (double)x[i] * x[i];
    }
    free(y);
    return all > 0 && hi / all < WIDEBAND_SHARE;
}

void asr_band_select(asr_band *b, int decoder, ps_decoder_t *ps, int narrow)
{
    if (narrow == b->active[decoder])
        return;
    /* the decoder takes a reference and drops the one it had */
    ps_update_mllr(ps, ps_mllr_retain(narrow ? b->narrow : b->none));
    b->active[decoder] = narrow;
}

void asr_band_free(asr_band *b)
{
    if (b->narrow)
        ps_mllr_free(b->narrow);
    if (b->none)
        ps_mllr_free(b->none);
    b->narrow = b->none = NULL;
}

