/* audio_format.c: names and libsndfile codes of containers and encodings. */
#include "audio_format.h"

#include <sndfile.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    audio_encoding enc;
    int subtype;
} encodings[] = {
    {"s16", AUDIO_ENC_PCM16, SF_FORMAT_PCM_16},
    {"pcm16", AUDIO_ENC_PCM16, SF_FORMAT_PCM_16},
    {"s24", AUDIO_ENC_PCM24, SF_FORMAT_PCM_24},
    {"s32", AUDIO_ENC_PCM32, SF_FORMAT_PCM_32},
    {"f32", AUDIO_ENC_FLOAT, SF_FORMAT_FLOAT},
    {"float", AUDIO_ENC_FLOAT, SF_FORMAT_FLOAT},
    {"ulaw", AUDIO_ENC_ULAW, SF_FORMAT_ULAW},
    {"mulaw", AUDIO_ENC_ULAW, SF_FORMAT_ULAW},
    {"alaw", AUDIO_ENC_ALAW, SF_FORMAT_ALAW},
    {"u8", AUDIO_ENC_PCM8, SF_FORMAT_PCM_U8},
};

audio_encoding audio_encoding_parse(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof encodings / sizeof encodings[0]; i++)
        if (!strcasecmp(name, encodings[i].name))
            return encodings[i].enc;
    return AUDIO_ENC_DEFAULT;
}

const char *audio_encoding_name(audio_encoding enc)
{
    size_t i;

    for (i = 0; i < sizeof encodings / sizeof encodings[0]; i++)
        if (encodings[i].enc == enc)
            return encodings[i].name;
    return "s16";
}

int audio_format_subtype(audio_encoding enc)
{
    size_t i;

    for (i = 0; i < sizeof encodings / sizeof encodings[0]; i++)
        if (encodings[i].enc == enc)
            return encodings[i].subtype;
    return SF_FORMAT_PCM_16;
}

int audio_format_major_for_name(const char *path)
{
    const char *dot = strrchr(path, '.');

    if (!dot)
        return SF_FORMAT_WAV;
    if (!strcasecmp(dot, ".flac"))
        return SF_FORMAT_FLAC;
    if (!strcasecmp(dot, ".au") || !strcasecmp(dot, ".snd"))
        return SF_FORMAT_AU;
    if (!strcasecmp(dot, ".aif") || !strcasecmp(dot, ".aiff"))
        return SF_FORMAT_AIFF;
    if (!strcasecmp(dot, ".raw"))
        return SF_FORMAT_RAW;
    return SF_FORMAT_WAV;
}

void audio_format_describe(int sf_format, int rate, int channels, char *buf,
                           size_t size)
{
    SF_FORMAT_INFO major = {0}, sub = {0};
    char chans[16];

    major.format = sf_format & SF_FORMAT_TYPEMASK;
    sub.format = sf_format & SF_FORMAT_SUBMASK;
    if (sf_command(NULL, SFC_GET_FORMAT_INFO, &major, sizeof major) != 0)
        major.name = "audio";
    if (sf_command(NULL, SFC_GET_FORMAT_INFO, &sub, sizeof sub) != 0)
        sub.name = "";
    if (channels == 1)
        snprintf(chans, sizeof chans, "mono");
    else if (channels == 2)
        snprintf(chans, sizeof chans, "stereo");
    else
        snprintf(chans, sizeof chans, "%d channels", channels);
    snprintf(buf, size, "%s, %s, %d Hz, %s", major.name, sub.name, rate,
             chans);
}
