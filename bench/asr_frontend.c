/*
 * asr_frontend.c: the recogniser's front-end, offline, for adaptation data:
 * each input file is read at 16 kHz and given the noise floor that asr.c
 * adds before decoding (the same level, the same generator), then written.
 *
 *   asr_frontend IN.wav OUT.wav [IN.wav OUT.wav]...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"

#define FLOOR_BELOW_DB 30.0 /* as in core/asr.c */

int main(int argc, char **argv)
{
    audio_rng rng;
    int i, status = 0;

    for (i = 1; i + 1 < argc; i += 2) {
        audio_read_opts o = {0};
        audio_reader *r;
        audio_writer *w;
        size_t cap = 1 << 16, n = 0;
        float *x = malloc(cap * sizeof *x), buf[4096];
        long got;

        o.rate = 16000;
        r = audio_reader_open(argv[i], &o, NULL);
        if (!r || !x) {
            fprintf(stderr, "asr_frontend: %s: cannot read\n", argv[i]);
            free(x);
            audio_reader_close(r);
            status = 1;
            continue;
        }
        while ((got = audio_reader_read(r, buf, 4096, NULL)) > 0) {
            if (n + (size_t)got > cap) {
                float *more = realloc(x, 2 * cap * sizeof *x);
                if (!more)
                    return 2;
                x = more;
                cap *= 2;
            }
            memcpy(x + n, buf, (size_t)got * sizeof *x);
            n += (size_t)got;
        }
        audio_reader_close(r);
        audio_rng_seed(&rng, 8000);   /* as asr.c: per utterance */
        audio_add_noise(x, n, audio_level_dbm0(x, n) - FLOOR_BELOW_DB, &rng);
        w = audio_writer_open(argv[i + 1], 16000, 1, AUDIO_ENC_PCM16, 1, NULL);
        if (!w || audio_writer_write(w, x, n, NULL) != IVR_OK ||
            audio_writer_close(w, NULL) != IVR_OK)
            status = 1;
        free(x);
    }
    return status;
}
