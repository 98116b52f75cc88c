/* audio_resample.c: whole-buffer rate conversion (libsamplerate). */
#include "audio.h"

#include <samplerate.h>
#include <stdlib.h>
#include <string.h>

int audio_resample(const float *in, size_t n, int from, int to, float **out,
                   size_t *out_n, ivr_error *err)
{
    SRC_DATA d;
    size_t cap;
    float *buf;
    int rc;

    *out = NULL;
    *out_n = 0;
    if (from < AUDIO_RATE_MIN || from > AUDIO_RATE_MAX || to < AUDIO_RATE_MIN ||
        to > AUDIO_RATE_MAX)
        return ivr_error_set(err, IVR_EUSAGE, "rate %d -> %d Hz: outside "
                             "%d..%d", from, to, AUDIO_RATE_MIN,
                             AUDIO_RATE_MAX);
    cap = (size_t)((double)n * to / from) + 16;
    buf = malloc((cap ? cap : 1) * sizeof *buf);
    if (!buf)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    if (from == to || n == 0) {
        if (n)
            memcpy(buf, in, n * sizeof *buf);
        *out = buf;
        *out_n = n;
        return IVR_OK;
    }
    memset(&d, 0, sizeof d);
    d.data_in = in;
    d.input_frames = (long)n;
    d.data_out = buf;
    d.output_frames = (long)cap;
    d.src_ratio = (double)to / from;
    /* speech prompts are short and heard: the medium sinc costs little */
    rc = src_simple(&d, SRC_SINC_MEDIUM_QUALITY, 1);
    if (rc) {
        free(buf);
        return ivr_error_set(err, IVR_EINTERNAL, "resampler: %s",
                             src_strerror(rc));
    }
    *out = buf;
    *out_n = (size_t)d.output_frames_gen;
    return IVR_OK;
}
