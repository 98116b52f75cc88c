/*
 * audio.h: sound files in and out, and the level helpers that tones, noise
 * and speech share.
 *
 * Samples are float in [-1, 1], mono, at a rate the caller picks; a reader
 * hides the container (WAV, mu-law/A-law WAV, FLAC, AU, AIFF, raw), the
 * channel layout (mix, or one leg of a stereo PBX recording) and the rate
 * (libsamplerate). Readers and writers stream: memory does not grow with the
 * length of a file.
 *
 * Levels are in dBm0, the telephone convention: 0 dBm0 is the digital
 * milliwatt, a sine 3.17 dB below the full-scale sine (G.711), so a tone at
 * 0 dBm0 has a peak of 0.694 here.
 */
#ifndef IVR_AUDIO_H
#define IVR_AUDIO_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Rates outside this range are refused as absurd rather than passed on to
 * a filter that would misbehave. */
#define AUDIO_RATE_MIN 4000
#define AUDIO_RATE_MAX 384000

/* Sample encodings for headerless input and for output. */
typedef enum audio_encoding {
    AUDIO_ENC_DEFAULT = 0, /* input: from the header; output: PCM16 */
    AUDIO_ENC_PCM16,
    AUDIO_ENC_PCM24,
    AUDIO_ENC_PCM32,
    AUDIO_ENC_FLOAT,
    AUDIO_ENC_ULAW,
    AUDIO_ENC_ALAW,
    AUDIO_ENC_PCM8
} audio_encoding;

/* Parses "s16", "s24", "s32", "f32", "ulaw", "alaw", "u8" (and the
 * aliases "pcm16", "mulaw", "float"); returns AUDIO_ENC_DEFAULT when the
 * name is unknown. */
audio_encoding audio_encoding_parse(const char *name);
const char *audio_encoding_name(audio_encoding enc);

/* ------------------------------------------------------------------------
 * Reading
 */

typedef struct audio_read_opts {
    int channel;        /* 0: mix all channels; 1..n: that channel only */
    int rate;           /* 0: keep the file's rate; else resample to it */
    /* Headerless input. raw_encoding != DEFAULT means "the file is raw",
     * whatever its name; a file named *.raw, *.ul, *.al, *.sln needs only
     * raw_rate (the encoding follows the name). */
    audio_encoding raw_encoding;
    int raw_rate;
    int raw_channels;   /* 0 means 1 */
    /* the option that gives raw_rate, named when a headerless file comes
     * without it; NULL: none (a menu's own sound files) */
    const char *raw_rate_option;
} audio_read_opts;

typedef struct audio_reader audio_reader;

/* Opens path ("-" is standard input) for streaming. On failure returns NULL
 * and fills err with IVR_EINPUT and a message naming the file. */
audio_reader *audio_reader_open(const char *path, const audio_read_opts *opts,
                                ivr_error *err);

/* Reads up to max mono frames at the output rate into out. Returns the
 * number read, 0 at the end, -1 on error (err filled: a truncated file is
 * an error, reported once the frames before the damage have been read). */
long audio_reader_read(audio_reader *r, float *out, size_t max,
                       ivr_error *err);

/* Reads n frames, fewer only at the end of the file: a resampling reader
 * hands out what one chunk of the file gives, so one read may stop short
 * (at 11025 or 44100 Hz, every few calls), and a caller keeping frames
 * or two legs in step must not take that for the end. */
long audio_reader_read_full(audio_reader *r, float *out, size_t n,
                            ivr_error *err);

/* Whether the file holds 16-bit linear mono audio at the output rate:
 * then its samples can be read as they are, without the float pass. */
int audio_reader_is_s16(const audio_reader *r);

/* audio_reader_read for such a file, in its own 16-bit samples (a float
 * read gives each divided by 32768); IVR_EINTERNAL for any other file. */
long audio_reader_read_s16(audio_reader *r, int16_t *out, size_t max,
                           ivr_error *err);

int audio_reader_rate(const audio_reader *r);      /* output rate */
int audio_reader_file_rate(const audio_reader *r); /* rate in the file */
int audio_reader_channels(const audio_reader *r);  /* channels in the file */
/* Frames in the file at its own rate, or -1 when unknown (a pipe). */
int64_t audio_reader_file_frames(const audio_reader *r);
/* A short description such as "WAV mu-law 8000 Hz stereo". */
const char *audio_reader_describe(const audio_reader *r);
void audio_reader_close(audio_reader *r);

/* ------------------------------------------------------------------------
 * Writing
 */

typedef struct audio_writer audio_writer;

/* Creates path ("-" is standard output, always WAV) for rate and channels.
 * The container follows the name: .wav (and anything unknown), .flac, .au,
 * .aif/.aiff, .raw. A file is written under a temporary name beside the
 * target and renamed on a successful close, so a failed run never leaves a
 * half-written file and never damages an existing one. An existing path is
 * refused (IVR_EOUTPUT) unless overwrite is non-zero. */
audio_writer *audio_writer_open(const char *path, int rate, int channels,
                                audio_encoding enc, int overwrite,
                                ivr_error *err);

/* Writes frames interleaved frames (channels floats each); values beyond
 * [-1, 1] are clipped and counted. Returns IVR_OK or a status. */
int audio_writer_write(audio_writer *w, const float *frames, size_t count,
                       ivr_error *err);

/* Samples clipped so far. */
uint64_t audio_writer_clipped(const audio_writer *w);

/* Finishes the file and renames it into place; frees w in every case. */
int audio_writer_close(audio_writer *w, ivr_error *err);

/* Drops a writer without publishing its file (used on error paths). */
void audio_writer_abort(audio_writer *w);

/* ------------------------------------------------------------------------
 * Resampling a buffer in memory
 */

/* Converts n samples at rate from to rate to; *out is malloc'ed (owned by
 * the caller, free() it) and *out_n set. With from == to it copies. */
int audio_resample(const float *in, size_t n, int from, int to, float **out,
                   size_t *out_n, ivr_error *err);

/* ------------------------------------------------------------------------
 * Filters
 */

/* A second-order section (RBJ cookbook), run in place over a stream. */
typedef struct audio_biquad {
    float b0, b1, b2, a1, a2;
    float z1, z2;
} audio_biquad;

/* Butterworth-Q high-pass and low-pass sections at freq Hz. */
void audio_biquad_highpass(audio_biquad *f, double freq, int rate);
void audio_biquad_lowpass(audio_biquad *f, double freq, int rate);
void audio_biquad_run(audio_biquad *f, float *x, size_t n);

/* Band-limits x to the telephone band, 300-3400 Hz (G.712), in place: what
 * a call's path through the network does to speech. */
void audio_telephone_band(float *x, size_t n, int rate);

/* ------------------------------------------------------------------------
 * Levels, noise and mixing
 */

/* Peak amplitude of a sine at level dbm0. */
double audio_dbm0_to_peak(double dbm0);
/* Mean power (mean square) of a signal at level dbm0, and back. */
double audio_dbm0_to_power(double dbm0);
double audio_power_to_dbm0(double mean_square);
/* Level of a block of samples in dBm0 (-inf dB is returned as -200). */
double audio_level_dbm0(const float *x, size_t n);

/* A small seeded generator (xorshift64*), so noise and jitter are the same
 * on every run with the same seed. */
typedef struct audio_rng {
    uint64_t state;
} audio_rng;

void audio_rng_seed(audio_rng *rng, uint64_t seed);
double audio_rng_uniform(audio_rng *rng);  /* [0, 1) */
double audio_rng_gauss(audio_rng *rng);    /* mean 0, variance 1 */

/* Adds white Gaussian noise at level dbm0 to x. */
void audio_add_noise(float *x, size_t n, double dbm0, audio_rng *rng);

/* dst[i] += gain_db-scaled src[i]. */
void audio_mix(float *dst, const float *src, size_t n, double gain_db);

#endif
