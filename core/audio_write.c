/*
 * audio_write.c: sound files out. Files are written beside their target
 * under a temporary name and published by rename (or link, when the target
 * must not be replaced) only once complete. Standard output gets a WAV whose
 * header says "length unknown" (the convention of sox and ffmpeg for pipes),
 * patched with the real sizes when standard output turns out to be a file.
 */
#include "audio.h"
#include "audio_format.h"
#include "fs_output.h"

#include <errno.h>
#include <fcntl.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CLIP_CHUNK 4096

struct audio_writer {
    SNDFILE *sf;
    fs_output out;      /* out.path NULL: standard output */
    int channels;
    uint64_t clipped;
    float scratch[CLIP_CHUNK];
};

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void put_le16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

/* The canonical 44-byte WAV header (46 with cbSize for non-PCM tags). */
static size_t wav_header(unsigned char *h, audio_encoding enc, int rate,
                         int channels, uint32_t data_bytes)
{
    unsigned tag = 1, bits = 16;
    size_t fmt_len = 16, len;

    switch (enc) {
    case AUDIO_ENC_PCM24: bits = 24; break;
    case AUDIO_ENC_PCM32: bits = 32; break;
    case AUDIO_ENC_FLOAT: tag = 3; bits = 32; fmt_len = 18; break;
    case AUDIO_ENC_ULAW: tag = 7; bits = 8; fmt_len = 18; break;
    case AUDIO_ENC_ALAW: tag = 6; bits = 8; fmt_len = 18; break;
    case AUDIO_ENC_PCM8: bits = 8; break;
    default: break;
    }
    len = 20 + fmt_len + 8;
    memcpy(h, "RIFF", 4);
    put_le32(h + 4, data_bytes == 0xffffffffu ? data_bytes
                                              : (uint32_t)(len - 8) + data_bytes);
    memcpy(h + 8, "WAVEfmt ", 8);
    put_le32(h + 16, (uint32_t)fmt_len);
    put_le16(h + 20, tag);
    put_le16(h + 22, (unsigned)channels);
    put_le32(h + 24, (uint32_t)rate);
    put_le32(h + 28, (uint32_t)rate * (uint32_t)channels * bits / 8);
    put_le16(h + 32, (unsigned)channels * bits / 8);
    put_le16(h + 34, bits);
    if (fmt_len == 18)
        put_le16(h + 36, 0);
    memcpy(h + 20 + fmt_len, "data", 4);
    put_le32(h + 24 + fmt_len, data_bytes);
    return len;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Audio into fd as it comes: a file libsndfile can seek back in gets a
 * real header; a pipe gets a WAV header that says "as long as it goes"
 * and raw samples after it. name is for messages. */
static int open_stream(audio_writer *w, int fd, int seekable,
                       const char *name, int rate, int channels,
                       audio_encoding enc, ivr_error *err)
{
    unsigned char header[64];
    size_t len;
    SF_INFO info = {0};

    info.samplerate = rate;
    info.channels = channels;
    w->channels = channels;
    if (seekable && lseek(fd, 0, SEEK_CUR) == 0) {
        info.format = SF_FORMAT_WAV | audio_format_subtype(enc);
        if ((w->sf = sf_open_fd(fd, SFM_WRITE, &info, 0)))
            return IVR_OK;
        return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", name,
                             sf_strerror(NULL));
    }
    len = wav_header(header, enc, rate, channels, 0xffffffffu);
    if (write_all(fd, header, len) != 0)
        return ivr_error_set(err, IVR_EOUTPUT, "%s:", name);
    info.format = SF_FORMAT_RAW | audio_format_subtype(enc);
    if (enc != AUDIO_ENC_ULAW && enc != AUDIO_ENC_ALAW)
        info.format |= SF_ENDIAN_LITTLE;
    if (!(w->sf = sf_open_fd(fd, SFM_WRITE, &info, 0)))
        return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", name,
                             sf_strerror(NULL));
    return IVR_OK;
}

audio_writer *audio_writer_open(const char *path, int rate, int channels,
                                audio_encoding enc, int overwrite,
                                ivr_error *err)
{
    audio_writer *w;
    SF_INFO info = {0};

    if (enc == AUDIO_ENC_DEFAULT)
        enc = AUDIO_ENC_PCM16;
    if (rate < AUDIO_RATE_MIN || rate > AUDIO_RATE_MAX) {
        ivr_error_set(err, IVR_EUSAGE, "rate %d Hz is outside %d..%d", rate,
                      AUDIO_RATE_MIN, AUDIO_RATE_MAX);
        return NULL;
    }
    info.samplerate = rate;
    info.channels = channels;
    info.format = audio_format_major_for_name(path) | audio_format_subtype(enc);
    if (strcmp(path, "-") && !sf_format_check(&info)) {
        ivr_error_set(err, IVR_EUSAGE, "%s: this container cannot hold %s "
                      "samples", path, audio_encoding_name(enc));
        return NULL;
    }
    if (!(w = calloc(1, sizeof *w))) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    w->out.fd = -1;
    w->channels = channels;
    if (!strcmp(path, "-")) {
        if (open_stream(w, STDOUT_FILENO, 1, "standard output", rate,
                        channels, enc, err) != IVR_OK) {
            free(w);
            return NULL;
        }
        return w;
    }
    if (fs_output_open(&w->out, path, overwrite, err) != IVR_OK) {
        free(w);
        return NULL;
    }
    if (w->out.tmp) {
        /* a file of our own: the container its name asks for */
        w->sf = sf_open_fd(w->out.fd, SFM_WRITE, &info, 0);
        if (!w->sf)
            ivr_error_set(err, IVR_EOUTPUT, "%s: %s", path,
                          sf_strerror(NULL));
    } else {
        open_stream(w, w->out.fd, w->out.seekable, path, rate, channels, enc,
                    err);
    }
    if (!w->sf) {
        audio_writer_abort(w);
        return NULL;
    }
    return w;
}

int audio_writer_write(audio_writer *w, const float *frames, size_t count,
                       ivr_error *err)
{
    size_t per = CLIP_CHUNK / (size_t)w->channels;

    while (count > 0) {
        size_t n = count < per ? count : per;
        size_t samples = n * (size_t)w->channels, i;

        for (i = 0; i < samples; i++) {
            float v = frames[i];
            if (v > 1.0f) {
                v = 1.0f;
                w->clipped++;
            } else if (v < -1.0f) {
                v = -1.0f;
                w->clipped++;
            }
            w->scratch[i] = v;
        }
        if (sf_writef_float(w->sf, w->scratch, (sf_count_t)n) !=
            (sf_count_t)n)
            return ivr_error_set(err, IVR_EOUTPUT, "%s: write failed: %s",
                                 w->out.path ? w->out.path
                                             : "standard output",
                                 sf_strerror(w->sf));
        frames += samples;
        count -= n;
    }
    return IVR_OK;
}

uint64_t audio_writer_clipped(const audio_writer *w)
{
    return w->clipped;
}

int audio_writer_close(audio_writer *w, ivr_error *err)
{
    int status = IVR_OK;

    if (!w)
        return IVR_OK;
    if (w->sf && sf_close(w->sf) != 0)
        status = ivr_error_set(err, IVR_EOUTPUT, "%s: cannot finish file",
                               w->out.path ? w->out.path : "standard output");
    w->sf = NULL;
    if (w->out.fd >= 0 && close(w->out.fd) != 0 && status == IVR_OK)
        status = ivr_error_set(err, IVR_EOUTPUT, "%s:", w->out.path);
    w->out.fd = -1;
    if (w->out.path && status == IVR_OK)
        status = fs_output_commit(&w->out, err);
    audio_writer_abort(w);
    return status;
}

void audio_writer_abort(audio_writer *w)
{
    if (!w)
        return;
    if (w->sf)
        sf_close(w->sf);
    fs_output_abort(&w->out, 1);
    free(w);
}
