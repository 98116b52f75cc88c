/*
 * audio_read.c: streaming reader over libsndfile, with channel selection and
 * resampling (libsamplerate). Memory is a few fixed chunks whatever the
 * length of the file.
 */
#include "audio.h"
#include "audio_format.h"

#include <errno.h>
#include <samplerate.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK_FRAMES 4096

struct audio_reader {
    SNDFILE *sf;
    SF_INFO info;
    char *path;
    int channel;            /* 0 mix, else 1-based */
    int out_rate;
    float *interleaved;     /* CHUNK_FRAMES * channels */
    float *mono;            /* CHUNK_FRAMES, resampler input */
    SRC_STATE *src;
    size_t mono_len, mono_pos;
    int input_done;
    int finished;           /* end reported (or error reported) */
    int64_t frames_in;      /* frames read from the file */
    long long promised_bytes, present_bytes; /* from libsndfile's log */
    char describe[128];
};

static int is_raw_name(const char *path, audio_encoding *enc)
{
    const char *dot = strrchr(path, '.');

    if (!dot)
        return 0;
    if (!strcmp(dot, ".ul") || !strcmp(dot, ".ulaw") || !strcmp(dot, ".mu")) {
        *enc = AUDIO_ENC_ULAW;
        return 1;
    }
    if (!strcmp(dot, ".al") || !strcmp(dot, ".alaw")) {
        *enc = AUDIO_ENC_ALAW;
        return 1;
    }
    if (!strcmp(dot, ".raw") || !strcmp(dot, ".sln") || !strcmp(dot, ".pcm")) {
        *enc = AUDIO_ENC_PCM16;
        return 1;
    }
    return 0;
}

/* A headerless file whose rate nobody gave: say how to give it. */
static int no_raw_rate(const char *path, const audio_read_opts *o,
                       ivr_error *err)
{
    if (o->raw_rate_option)
        return ivr_error_set(err, IVR_EINPUT, "%s: headerless audio: give "
                             "its sample rate with %s", path,
                             o->raw_rate_option);
    return ivr_error_set(err, IVR_EINPUT, "%s: headerless audio: its sample "
                         "rate is not known (use a WAV file)", path);
}

/* libsndfile reads a WAV whose data chunk is cut short without complaint and
 * only notes it in its log ("data : 16000 (should be 8956)"). A recording cut
 * off by a crash is damaged input, so the reader reports it once the frames
 * that are there have been delivered. */
static void note_truncation(audio_reader *r)
{
    char log[4096];
    const char *line;

    sf_command(r->sf, SFC_GET_LOG_INFO, log, sizeof log);
    line = strstr(log, "\ndata : ");
    if (!line)
        return;
    if (sscanf(line, "\ndata : %lld (should be %lld)", &r->promised_bytes,
               &r->present_bytes) != 2 ||
        r->promised_bytes >= 0xffffffffLL)
        /* all ones is how a WAV streamed to a pipe says "length unknown" */
        r->promised_bytes = r->present_bytes = 0;
}

static int open_sndfile(audio_reader *r, const char *path,
                        const audio_read_opts *o, ivr_error *err)
{
    audio_encoding raw = o->raw_encoding;
    int is_stdin = !strcmp(path, "-"), piped;
    struct stat st;

    if (!is_stdin) {
        if (stat(path, &st) != 0)
            return ivr_error_set(err, IVR_EINPUT, "%s:", path);
        if (S_ISDIR(st.st_mode))
            return ivr_error_set(err, IVR_EINPUT, "%s: is a directory", path);
        if (S_ISREG(st.st_mode) && st.st_size == 0)
            return ivr_error_set(err, IVR_EINPUT, "%s: empty file", path);
        if (raw == AUDIO_ENC_DEFAULT && o->raw_rate > 0)
            is_raw_name(path, &raw);
        else if (raw == AUDIO_ENC_DEFAULT && is_raw_name(path, &raw))
            return no_raw_rate(path, o, err);
    }
    memset(&r->info, 0, sizeof r->info);
    if (raw != AUDIO_ENC_DEFAULT) {
        int sub = audio_format_subtype(raw);
        if (o->raw_rate <= 0)
            return no_raw_rate(path, o, err);
        r->info.samplerate = o->raw_rate;
        r->info.channels = o->raw_channels > 0 ? o->raw_channels : 1;
        r->info.format = SF_FORMAT_RAW | sub;
        if (sub != SF_FORMAT_ULAW && sub != SF_FORMAT_ALAW)
            r->info.format |= SF_ENDIAN_LITTLE;
        if (r->info.samplerate < AUDIO_RATE_MIN ||
            r->info.samplerate > AUDIO_RATE_MAX)
            return ivr_error_set(err, IVR_EINPUT,
                                 "%s: sample rate %d Hz is outside %d..%d",
                                 path, r->info.samplerate, AUDIO_RATE_MIN,
                                 AUDIO_RATE_MAX);
    }
    /* libsndfile streams most formats from a pipe, but FLAC and GSM 06.10
     * in WAV (Asterisk's WAV49) it reads only from a file it can seek;
     * asked first, as a failed sf_open_fd closes the descriptor */
    piped = is_stdin && fstat(STDIN_FILENO, &st) == 0 && !S_ISREG(st.st_mode);
    if (is_stdin)
        r->sf = sf_open_fd(STDIN_FILENO, SFM_READ, &r->info, 0);
    else
        r->sf = sf_open(path, SFM_READ, &r->info);
    if (!r->sf && piped)
        return ivr_error_set(err, IVR_EINPUT,
                             "standard input: not a sound file that can be "
                             "read from a pipe (%s); FLAC and GSM WAV files "
                             "must be named, not piped", sf_strerror(NULL));
    if (!r->sf)
        return ivr_error_set(err, IVR_EINPUT,
                             "%s: not a sound file that can be read (%s)",
                             is_stdin ? "standard input" : path,
                             sf_strerror(NULL));
    return IVR_OK;
}

audio_reader *audio_reader_open(const char *path, const audio_read_opts *opts,
                                ivr_error *err)
{
    static const audio_read_opts defaults = {0};
    const audio_read_opts *o = opts ? opts : &defaults;
    const char *name = strcmp(path, "-") ? path : "standard input";
    audio_reader *r = calloc(1, sizeof *r);
    int sfstatus;

    if (!r) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    r->path = strdup(name);
    if (!r->path) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        goto fail;
    }
    if (open_sndfile(r, path, o, err) != IVR_OK)
        goto fail;
    if (r->info.samplerate < AUDIO_RATE_MIN ||
        r->info.samplerate > AUDIO_RATE_MAX) {
        ivr_error_set(err, IVR_EINPUT, "%s: sample rate %d Hz is outside %d..%d",
                      name, r->info.samplerate, AUDIO_RATE_MIN, AUDIO_RATE_MAX);
        goto fail;
    }
    if (r->info.channels < 1 || r->info.channels > 64) {
        ivr_error_set(err, IVR_EINPUT, "%s: %d channels is not plausible",
                      name, r->info.channels);
        goto fail;
    }
    if (r->info.frames == 0) {
        ivr_error_set(err, IVR_EINPUT, "%s: no audio in file (zero frames)",
                      name);
        goto fail;
    }
    if (o->channel < 0 || o->channel > r->info.channels) {
        ivr_error_set(err, IVR_EINPUT,
                      "%s: has %d channel%s, there is no channel %d", name,
                      r->info.channels, r->info.channels == 1 ? "" : "s",
                      o->channel);
        goto fail;
    }
    if (o->rate && (o->rate < AUDIO_RATE_MIN || o->rate > AUDIO_RATE_MAX)) {
        ivr_error_set(err, IVR_EUSAGE, "rate %d Hz is outside %d..%d",
                      o->rate, AUDIO_RATE_MIN, AUDIO_RATE_MAX);
        goto fail;
    }
    r->channel = o->channel;
    r->out_rate = o->rate ? o->rate : r->info.samplerate;
    r->interleaved = malloc(sizeof(float) * CHUNK_FRAMES *
                            (size_t)r->info.channels);
    r->mono = malloc(sizeof(float) * CHUNK_FRAMES);
    if (!r->interleaved || !r->mono) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        goto fail;
    }
    if (r->out_rate != r->info.samplerate) {
        r->src = src_new(SRC_SINC_FASTEST, 1, &sfstatus);
        if (!r->src) {
            ivr_error_set(err, IVR_EINTERNAL, "resampler: %s",
                          src_strerror(sfstatus));
            goto fail;
        }
    }
    note_truncation(r);
    audio_format_describe(r->info.format, r->info.samplerate,
                          r->info.channels, r->describe, sizeof r->describe);
    return r;
fail:
    audio_reader_close(r);
    return NULL;
}

/* Reads up to want (at most one chunk) frames of the file as mono into dst;
 * returns frames, 0 at the end, -1 on error. */
static long read_mono(audio_reader *r, float *dst, size_t want,
                      ivr_error *err)
{
    int ch = r->info.channels;
    sf_count_t got, i;

    if (want > CHUNK_FRAMES)
        want = CHUNK_FRAMES;
    got = sf_readf_float(r->sf, r->interleaved, (sf_count_t)want);

    if (got < 0 || (got == 0 && sf_error(r->sf) != SF_ERR_NO_ERROR)) {
        ivr_error_set(err, IVR_EINPUT, "%s: read error: %s", r->path,
                      sf_strerror(r->sf));
        return -1;
    }
    if (ch == 1) {
        memcpy(dst, r->interleaved, sizeof(float) * (size_t)got);
    } else if (r->channel > 0) {
        for (i = 0; i < got; i++)
            dst[i] = r->interleaved[i * ch + r->channel - 1];
    } else {
        float scale = 1.0f / (float)ch;
        for (i = 0; i < got; i++) {
            float sum = 0.0f;
            int c;
            for (c = 0; c < ch; c++)
                sum += r->interleaved[i * ch + c];
            dst[i] = sum * scale;
        }
    }
    r->frames_in += got;
    return (long)got;
}

/* Called once at the end of the input: damaged or empty streams are errors
 * only now, after every good frame went out. */
static long finish(audio_reader *r, ivr_error *err)
{
    r->finished = 1;
    if (r->frames_in == 0) {
        ivr_error_set(err, IVR_EINPUT, "%s: no audio in file", r->path);
        return -1;
    }
    if (r->promised_bytes > r->present_bytes) {
        ivr_error_set(err, IVR_EINPUT,
                      "%s: truncated: the header promises %lld bytes of audio, "
                      "the file holds %lld", r->path, r->promised_bytes,
                      r->present_bytes);
        return -1;
    }
    return 0;
}

long audio_reader_read(audio_reader *r, float *out, size_t max,
                       ivr_error *err)
{
    SRC_DATA d;
    int rc;

    if (r->finished || max == 0)
        return 0;
    if (!r->src) {
        long got = read_mono(r, out, max, err);
        return got == 0 ? finish(r, err) : got;
    }
    for (;;) {
        if (r->mono_pos == r->mono_len && !r->input_done) {
            long got = read_mono(r, r->mono, CHUNK_FRAMES, err);
            if (got < 0)
                return -1;
            r->mono_len = (size_t)got;
            r->mono_pos = 0;
            if (got == 0)
                r->input_done = 1;
        }
        d.data_in = r->mono + r->mono_pos;
        d.input_frames = (long)(r->mono_len - r->mono_pos);
        d.data_out = out;
        d.output_frames = (long)max;
        d.src_ratio = (double)r->out_rate / r->info.samplerate;
        d.end_of_input = r->input_done;
        rc = src_process(r->src, &d);
        if (rc) {
            ivr_error_set(err, IVR_EINTERNAL, "%s: resampler: %s", r->path,
                          src_strerror(rc));
            return -1;
        }
        r->mono_pos += (size_t)d.input_frames_used;
        if (d.output_frames_gen > 0)
            return d.output_frames_gen;
        if (r->input_done)
            return finish(r, err);
    }
}

long audio_reader_read_full(audio_reader *r, float *out, size_t n,
                            ivr_error *err)
{
    size_t done = 0;
    long got;

    while (done < n &&
           (got = audio_reader_read(r, out + done, n - done, err)) != 0) {
        if (got < 0)
            return -1;
        done += (size_t)got;
    }
    return (long)done;
}

int audio_reader_is_s16(const audio_reader *r)
{
    return r->info.channels == 1 && !r->src &&
           (r->info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16;
}

long audio_reader_read_s16(audio_reader *r, int16_t *out, size_t max,
                           ivr_error *err)
{
    sf_count_t got;

    if (!audio_reader_is_s16(r)) {
        ivr_error_set(err, IVR_EINTERNAL, "%s: not 16-bit mono at its own "
                      "rate", r->path);
        return -1;
    }
    if (r->finished || max == 0)
        return 0;
    got = sf_readf_short(r->sf, out, (sf_count_t)max);
    if (got < 0 || (got == 0 && sf_error(r->sf) != SF_ERR_NO_ERROR)) {
        ivr_error_set(err, IVR_EINPUT, "%s: read error: %s", r->path,
                      sf_strerror(r->sf));
        return -1;
    }
    r->frames_in += got;
    return got == 0 ? finish(r, err) : (long)got;
}

int audio_reader_rate(const audio_reader *r) { return r->out_rate; }
int audio_reader_file_rate(const audio_reader *r) { return r->info.samplerate; }
int audio_reader_channels(const audio_reader *r) { return r->info.channels; }

int64_t audio_reader_file_frames(const audio_reader *r)
{
    /* libsndfile reports SF_COUNT_MAX for a pipe it cannot measure */
    return r->info.frames >= INT64_MAX / 2 ? -1 : (int64_t)r->info.frames;
}

const char *audio_reader_describe(const audio_reader *r)
{
    return r->describe;
}

void audio_reader_close(audio_reader *r)
{
    if (!r)
        return;
    if (r->sf)
        sf_close(r->sf);
    if (r->src)
        src_delete(r->src);
    free(r->interleaved);
    free(r->mono);
    free(r->path);
    free(r);
}
