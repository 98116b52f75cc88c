/*
 * device.c: portaudio's blocking streams, converted to the caller's rate
 * with libsamplerate.
 */
#include "device.h"
#include "lazy.h"

#include <alsa/asoundlib.h>
#include <fcntl.h>
#include <portaudio.h>
#include <samplerate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 20 ms at 48 kHz is 960: blocks of this many device samples at most. */
#define BLOCK 4096

typedef struct leg {
    PaStream *stream;
    int rate;                 /* the device's */
    SRC_STATE *src;
    double ratio;             /* output rate / input rate of the resampler */
    float dev[BLOCK];         /* device-rate samples */
    float *pending;           /* converted samples not yet handed over */
    size_t npending, cap;
    char name[160];
} leg;

struct audio_device {
    int rate;
    leg in, out;
    int has_in, has_out;
    long overruns, underruns;
};

static int initialised;

/* ALSA prints its probing of every card to stderr when portaudio starts:
 * keep a command's error output to what it has to say. */
static int hush_begin(void)
{
    int saved;
    int null = open("/dev/null", O_WRONLY);

    fflush(stderr);
    saved = dup(STDERR_FILENO);
    if (null >= 0) {
        dup2(null, STDERR_FILENO);
        close(null);
    }
    return saved;
}

static void hush_end(int saved)
{
    if (saved >= 0) {
        dup2(saved, STDERR_FILENO);
        close(saved);
    }
}

/* ALSA reports under-runs and the like on stderr by itself; they are
 * counted here and reported once instead. */
static void alsa_quiet(const char *file, int line, const char *function,
                       int err, const char *fmt, ...)
{
    (void)file;
    (void)line;
    (void)function;
    (void)err;
    (void)fmt;
}

/* portaudio (with ALSA and JACK under it) costs a command 1.5 ms to load:
 * it is loaded when a device is first used, so that a command that never
 * opens one (ivr-sim --check, every --version) starts without it. */
static struct portaudio_api {
    PaError (*Initialize)(void);
    const char *(*GetErrorText)(PaError e);
    PaDeviceIndex (*GetDeviceCount)(void);
    const PaDeviceInfo *(*GetDeviceInfo)(PaDeviceIndex i);
    const PaHostApiInfo *(*GetHostApiInfo)(PaHostApiIndex i);
    PaDeviceIndex (*GetDefaultInputDevice)(void);
    PaDeviceIndex (*GetDefaultOutputDevice)(void);
    PaError (*IsFormatSupported)(const PaStreamParameters *in,
                                const PaStreamParameters *out, double rate);
    PaError (*OpenStream)(PaStream **s, const PaStreamParameters *in,
                         const PaStreamParameters *out, double rate,
                         unsigned long frames, PaStreamFlags flags,
                         PaStreamCallback *cb, void *user);
    PaError (*StartStream)(PaStream *s);
    PaError (*StopStream)(PaStream *s);
    PaError (*AbortStream)(PaStream *s);
    PaError (*CloseStream)(PaStream *s);
    PaError (*ReadStream)(PaStream *s, void *buf, unsigned long n);
    PaError (*WriteStream)(PaStream *s, const void *buf,
                          unsigned long n);
} pa;

static struct alsa_api {
    int (*set_error_handler)(snd_lib_error_handler_t handler);
} alsa;

static int load_libraries(ivr_error *err)
{
#define PA(name) {"Pa_" #name, offsetof(struct portaudio_api, name)}
    static const lazy_symbol pa_syms[] = {
        PA(Initialize),
        PA(GetErrorText),
        PA(GetDeviceCount),
        PA(GetDeviceInfo),
        PA(GetHostApiInfo),
        PA(GetDefaultInputDevice),
        PA(GetDefaultOutputDevice),
        PA(IsFormatSupported),
        PA(OpenStream),
        PA(StartStream),
        PA(StopStream),
        PA(AbortStream),
        PA(CloseStream),
        PA(ReadStream),
        PA(WriteStream),
    };
#undef PA
    static const lazy_symbol alsa_syms[] = {
        {"snd_lib_error_set_handler",
         offsetof(struct alsa_api, set_error_handler)},
    };

    if (lazy_load("libportaudio.so.2", "libportaudio2", pa_syms,
                  sizeof pa_syms / sizeof *pa_syms, &pa, err) != IVR_OK ||
        lazy_load("libasound.so.2", "libasound2", alsa_syms, 1, &alsa,
                  err) != IVR_OK)
        return IVR_EMISSING;
    return IVR_OK;
}

static int init(ivr_error *err)
{
    PaError e;
    int saved;

    if (initialised)
        return IVR_OK;
    if (load_libraries(err) != IVR_OK)
        return IVR_EMISSING;
    alsa.set_error_handler(alsa_quiet);
    saved = hush_begin();
    e = pa.Initialize();
    hush_end(saved);
    if (e != paNoError)
        return ivr_error_set(err, IVR_EMISSING, "sound system: %s",
                             pa.GetErrorText(e));
    initialised = 1;
    return IVR_OK;
}

int device_list(device_info **list, int *n, ivr_error *err)
{
    int count, i;

    *list = NULL;
    *n = 0;
    if (init(err) != IVR_OK)
        return err ? err->status : IVR_EMISSING;
    count = pa.GetDeviceCount();
    if (count <= 0)
        return IVR_OK;
    *list = calloc((size_t)count, sizeof **list);
    if (!*list)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    for (i = 0; i < count; i++) {
        const PaDeviceInfo *info = pa.GetDeviceInfo(i);
        const PaHostApiInfo *api = info ? pa.GetHostApiInfo(info->hostApi)
                                        : NULL;
        device_info *d = &(*list)[*n];
        if (!info)
            continue;
        d->index = i;
        snprintf(d->name, sizeof d->name, "%s", info->name);
        snprintf(d->api, sizeof d->api, "%s", api ? api->name : "?");
        d->inputs = info->maxInputChannels;
        d->outputs = info->maxOutputChannels;
        d->rate = info->defaultSampleRate;
        d->default_input = i == pa.GetDefaultInputDevice();
        d->default_output = i == pa.GetDefaultOutputDevice();
        (*n)++;
    }
    return IVR_OK;
}

/* The device asked for: its index, a name, a part of a name; -1 when
 * there is none. */
static int find(const char *name, int input)
{
    int count = pa.GetDeviceCount(), i;
    char *end;
    long idx;

    if (!name)
        return input ? pa.GetDefaultInputDevice()
                     : pa.GetDefaultOutputDevice();
    idx = strtol(name, &end, 10);
    if (!*end && end != name)
        return idx >= 0 && idx < count ? (int)idx : -1;
    for (i = 0; i < count; i++) {
        const PaDeviceInfo *info = pa.GetDeviceInfo(i);
        if (info && (input ? info->maxInputChannels : info->maxOutputChannels)
                        > 0 && !strcmp(info->name, name))
            return i;
    }
    for (i = 0; i < count; i++) {
        const PaDeviceInfo *info = pa.GetDeviceInfo(i);
        if (info && (input ? info->maxInputChannels : info->maxOutputChannels)
                        > 0 && strstr(info->name, name))
            return i;
    }
    return -1;
}

static int open_leg(audio_device *d, leg *l, int input, const char *name,
                    ivr_error *err)
{
    const char *what = input ? "input" : "output";
    int idx = find(name, input), saved, src_err;
    const PaDeviceInfo *info;
    PaStreamParameters p;
    PaError e;
    double rate;

    if (idx < 0 || idx == paNoDevice)
        return name ? ivr_error_set(err, IVR_EMISSING, "no sound %s device "
                                    "'%s' (--list-devices lists them)", what,
                                    name)
                    : ivr_error_set(err, IVR_EMISSING, "no sound %s device "
                                    "on this machine", what);
    info = pa.GetDeviceInfo(idx);
    if (!info || (input ? info->maxInputChannels : info->maxOutputChannels)
                     < 1)
        return ivr_error_set(err, IVR_EMISSING, "'%s' is not a sound %s "
                             "device", info ? info->name : "?", what);
    memset(&p, 0, sizeof p);
    p.device = idx;
    p.channelCount = 1;
    p.sampleFormat = paFloat32;
    p.suggestedLatency = input ? info->defaultLowInputLatency
                               : info->defaultLowOutputLatency;
    /* the engine's own rate when the device takes it, else the device's */
    rate = pa.IsFormatSupported(input ? &p : NULL, input ? NULL : &p,
                                d->rate) == paFormatIsSupported
               ? d->rate : info->defaultSampleRate;
    saved = hush_begin();
    e = pa.OpenStream(&l->stream, input ? &p : NULL, input ? NULL : &p,
                      rate, paFramesPerBufferUnspecified, paNoFlag, NULL,
                      NULL);
    if (e == paNoError)
        e = pa.StartStream(l->stream);
    hush_end(saved);
    if (e != paNoError) {
        l->stream = NULL;
        return ivr_error_set(err, IVR_EMISSING, "sound %s device '%s' does "
                             "not open: %s", what, info->name,
                             pa.GetErrorText(e));
    }
    l->rate = (int)rate;
    snprintf(l->name, sizeof l->name, "%s", info->name);
    if (l->rate != d->rate) {
        l->src = src_new(SRC_SINC_FASTEST, 1, &src_err);
        if (!l->src)
            return ivr_error_set(err, IVR_EINTERNAL, "resampler: %s",
                                 src_strerror(src_err));
        l->ratio = input ? (double)d->rate / l->rate
                         : (double)l->rate / d->rate;
    }
    return IVR_OK;
}

audio_device *device_open(int in, const char *in_name, int out,
                          const char *out_name, int rate, ivr_error *err)
{
    audio_device *d;

    if (init(err) != IVR_OK)
        return NULL;
    d = calloc(1, sizeof *d);
    if (!d) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    d->rate = rate;
    if ((in && open_leg(d, &d->in, 1, in_name, err) != IVR_OK) ||
        (out && open_leg(d, &d->out, 0, out_name, err) != IVR_OK)) {
        device_close(d);
        return NULL;
    }
    d->has_in = in;
    d->has_out = out;
    return d;
}

static int keep(leg *l, const float *x, size_t n, ivr_error *err)
{
    if (l->npending + n > l->cap) {
        size_t cap = (l->npending + n) * 2;
        float *p = realloc(l->pending, cap * sizeof *p);
        if (!p)
            return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        l->pending = p;
        l->cap = cap;
    }
    memcpy(l->pending + l->npending, x, n * sizeof *x);
    l->npending += n;
    return IVR_OK;
}

/* Converts n samples through the leg's resampler into pending. */
static int convert(leg *l, const float *x, size_t n, ivr_error *err)
{
    float out[BLOCK * 8];
    SRC_DATA s;
    int e;

    if (!l->src)
        return keep(l, x, n, err);
    memset(&s, 0, sizeof s);
    s.data_in = x;
    s.input_frames = (long)n;
    s.src_ratio = l->ratio;
    while (s.input_frames > 0) {
        s.data_out = out;
        s.output_frames = (long)(sizeof out / sizeof *out);
        if ((e = src_process(l->src, &s)) != 0)
            return ivr_error_set(err, IVR_EINTERNAL, "resampler: %s",
                                 src_strerror(e));
        if (keep(l, out, (size_t)s.output_frames_gen, err) != IVR_OK)
            return IVR_EINTERNAL;
        s.data_in += s.input_frames_used;
        s.input_frames -= s.input_frames_used;
        if (s.input_frames_used == 0 && s.output_frames_gen == 0)
            break;
    }
    return IVR_OK;
}

static void take(leg *l, float *x, size_t n)
{
    memcpy(x, l->pending, n * sizeof *x);
    memmove(l->pending, l->pending + n, (l->npending - n) * sizeof *x);
    l->npending -= n;
}

int device_read(audio_device *d, float *x, size_t n, ivr_error *err)
{
    leg *l = &d->in;

    if (!d->has_in)
        return ivr_error_set(err, IVR_EUSAGE, "no input device open");
    while (l->npending < n) {
        /* enough device samples for what is missing, give or take */
        size_t want = (size_t)((double)(n - l->npending) *
                               (l->src ? 1.0 / l->ratio : 1.0)) + 1;
        PaError e;
        if (want > BLOCK)
            want = BLOCK;
        e = pa.ReadStream(l->stream, l->dev, (unsigned long)want);
        if (e == paInputOverflowed)
            d->overruns++;
        else if (e != paNoError)
            return ivr_error_set(err, IVR_EMISSING, "sound input '%s': %s",
                                 l->name, pa.GetErrorText(e));
        if (convert(l, l->dev, want, err) != IVR_OK)
            return IVR_EINTERNAL;
    }
    take(l, x, n);
    return IVR_OK;
}

int device_write(audio_device *d, const float *x, size_t n, ivr_error *err)
{
    leg *l = &d->out;

    if (!d->has_out)
        return ivr_error_set(err, IVR_EUSAGE, "no output device open");
    if (convert(l, x, n, err) != IVR_OK)
        return IVR_EINTERNAL;
    while (l->npending > 0) {
        size_t m = l->npending < BLOCK ? l->npending : BLOCK;
        PaError e;
        take(l, l->dev, m);
        e = pa.WriteStream(l->stream, l->dev, (unsigned long)m);
        if (e == paOutputUnderflowed)
            d->underruns++;
        else if (e != paNoError)
            return ivr_error_set(err, IVR_EMISSING, "sound output '%s': %s",
                                 l->name, pa.GetErrorText(e));
    }
    return IVR_OK;
}

int device_drain(audio_device *d, ivr_error *err)
{
    PaError e;

    if (!d->has_out || !d->out.stream)
        return IVR_OK;
    e = pa.StopStream(d->out.stream);
    if (e != paNoError)
        return ivr_error_set(err, IVR_EMISSING, "sound output '%s': %s",
                             d->out.name, pa.GetErrorText(e));
    return IVR_OK;
}

void device_xruns(const audio_device *d, long *overruns, long *underruns)
{
    *overruns = d->overruns;
    *underruns = d->underruns;
}

const char *device_input_name(const audio_device *d)
{
    return d->has_in ? d->in.name : "";
}

const char *device_output_name(const audio_device *d)
{
    return d->has_out ? d->out.name : "";
}

static void close_leg(leg *l)
{
    if (l->stream) {
        pa.AbortStream(l->stream);
        pa.CloseStream(l->stream);
    }
    if (l->src)
        src_delete(l->src);
    free(l->pending);
}

void device_close(audio_device *d)
{
    if (!d)
        return;
    close_leg(&d->in);
    close_leg(&d->out);
    free(d);
}
