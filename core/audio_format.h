/* audio_format.h: internal to core/audio: libsndfile format codes. */
#ifndef IVR_AUDIO_FORMAT_H
#define IVR_AUDIO_FORMAT_H

#include <stddef.h>

#include "audio.h"

/* libsndfile subtype for an encoding (PCM16 for DEFAULT). */
int audio_format_subtype(audio_encoding enc);

/* libsndfile major format for a file name's extension (WAV by default). */
int audio_format_major_for_name(const char *path);

/* "WAV mu-law 8000 Hz stereo" into buf. */
void audio_format_describe(int sf_format, int rate, int channels, char *buf,
                           size_t size);

#endif
