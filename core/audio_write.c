/*
 * audio_write.c: sound files out. Files are written beside their target
 * under a temporary name and published by rename (or link, when the target
 * must not be replaced) only once complete. Standard output gets a WAV whose
 * header says "length unknown" (the convention of sox and ffmpeg for pipes),
 * patched with the real sizes when standard output turns out to be a file.
 */
#include "audio.h"
#include "audio_format.h"

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
    char *path;         /* the target; NULL for standard output */
    char *tmp_path;     /* where it is written until closed */
    int overwrite;
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

static audio_writer *open_stdout(int rate, int channels, audio_encoding enc,
                                 ivr_error *err)
{
    audio_writer *w = calloc(1, sizeof *w);
    unsigned char header[64];
    size_t len;
    SF_INFO info = {0};

    if (!w) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    info.samplerate = rate;
    info.channels = channels;
    w->channels = channels;
    if (lseek(STDOUT_FILENO, 0, SEEK_CUR) == 0) {
        /* redirected to a new file: libsndfile can seek back and write
         * the real header itself */
        info.format = SF_FORMAT_WAV | audio_format_subtype(enc);
        w->sf = sf_open_fd(STDOUT_FILENO, SFM_WRITE, &info, 0);
        if (w->sf)
            return w;
        ivr_error_set(err, IVR_EOUTPUT, "standard output: %s",
                      sf_strerror(NULL));
        free(w);
        return NULL;
    }
    len = wav_header(header, enc, rate, channels, 0xffffffffu);
    if (write_all(STDOUT_FILENO, header, len) != 0) {
        ivr_error_set(err, IVR_EOUTPUT, "standard output:");
        free(w);
        return NULL;
    }
    info.format = SF_FORMAT_RAW | audio_format_subtype(enc);
    if (enc != AUDIO_ENC_ULAW && enc != AUDIO_ENC_ALAW)
        info.format |= SF_ENDIAN_LITTLE;
    w->sf = sf_open_fd(STDOUT_FILENO, SFM_WRITE, &info, 0);
    if (!w->sf) {
        ivr_error_set(err, IVR_EOUTPUT, "standard output: %s",
                      sf_strerror(NULL));
        free(w);
        return NULL;
    }
    return w;
}

audio_writer *audio_writer_open(const char *path, int rate, int channels,
                                audio_encoding enc, int overwrite,
                                ivr_error *err)
{
    audio_writer *w;
    SF_INFO info = {0};
    struct stat st;
    const char *slash;
    size_t dirlen;
    int fd;

    if (enc == AUDIO_ENC_DEFAULT)
        enc = AUDIO_ENC_PCM16;
    if (rate < AUDIO_RATE_MIN || rate > AUDIO_RATE_MAX) {
        ivr_error_set(err, IVR_EUSAGE, "rate %d Hz is outside %d..%d", rate,
                      AUDIO_RATE_MIN, AUDIO_RATE_MAX);
        return NULL;
    }
    if (!strcmp(path, "-"))
        return open_stdout(rate, channels, enc, err);
    if (!overwrite && lstat(path, &st) == 0) {
        ivr_error_set(err, IVR_EOUTPUT, "%s: exists; not replacing it", path);
        return NULL;
    }
    info.samplerate = rate;
    info.channels = channels;
    info.format = audio_format_major_for_name(path) | audio_format_subtype(enc);
    if (!sf_format_check(&info)) {
        ivr_error_set(err, IVR_EUSAGE, "%s: this container cannot hold %s "
                      "samples", path, audio_encoding_name(enc));
        return NULL;
    }
    w = calloc(1, sizeof *w);
    if (!w) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    w->overwrite = overwrite;
    w->channels = channels;
    w->path = strdup(path);
    slash = strrchr(path, '/');
    dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    w->tmp_path = malloc(strlen(path) + 16);
    if (!w->path || !w->tmp_path) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        goto fail;
    }
    sprintf(w->tmp_path, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
    fd = mkstemp(w->tmp_path);
    if (fd < 0) {
        ivr_error_set(err, IVR_EOUTPUT, "%s:", path);
        free(w->tmp_path);
        w->tmp_path = NULL;
        goto fail;
    }
    fchmod(fd, 0644);
    w->sf = sf_open_fd(fd, SFM_WRITE, &info, 1);
    if (!w->sf) {
        ivr_error_set(err, IVR_EOUTPUT, "%s: %s", path, sf_strerror(NULL));
        close(fd);
        goto fail;
    }
    return w;
fail:
    audio_writer_abort(w);
    return NULL;
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
                                 w->path ? w->path : "standard output",
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
                               w->path ? w->path : "standard output");
    w->sf = NULL;
    if (w->path && status == IVR_OK) {
        if (w->overwrite) {
            if (rename(w->tmp_path, w->path) != 0)
                status = ivr_error_set(err, IVR_EOUTPUT, "%s:", w->path);
        } else if (link(w->tmp_path, w->path) != 0) {
            /* link() refuses to replace a file that appeared meanwhile */
            status = ivr_error_set(err, IVR_EOUTPUT, "%s:", w->path);
        }
    }
    audio_writer_abort(w);
    return status;
}

void audio_writer_abort(audio_writer *w)
{
    if (!w)
        return;
    if (w->sf)
        sf_close(w->sf);
    if (w->tmp_path)
        unlink(w->tmp_path);
    free(w->tmp_path);
    free(w->path);
    free(w);
}
