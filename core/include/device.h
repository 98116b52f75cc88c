/*
 * device.h: the microphone and the speaker (portaudio).
 *
 * A device is opened at whatever rate it takes and converted to and from
 * the rate the caller works at (8 kHz for the engine), so the rest of the
 * library never sees a device's rate. Reads and writes block: a loop that
 * reads 20 ms and writes 20 ms is paced by the device's clock, which is
 * how the engine runs live. Input overruns and output underruns are
 * counted, never fatal; a device that fails or disappears is an error with
 * a message, never a hang.
 */
#ifndef IVR_DEVICE_H
#define IVR_DEVICE_H

#include <stddef.h>

#include "error.h"

typedef struct device_info {
    int index;
    char name[160];
    char api[32];            /* ALSA, OSS, JACK, ... */
    int inputs, outputs;     /* channels */
    double rate;             /* the device's default rate */
    int default_input, default_output;
} device_info;

/* The devices portaudio sees; *list is malloc'ed. A machine without
 * devices gives n == 0 and IVR_OK. */
int device_list(device_info **list, int *n, ivr_error *err);

typedef struct audio_device audio_device;

/* Opens an input (in != 0) and/or an output (out != 0) device for mono
 * audio at rate. name: a device name, a part of one, or an index; NULL for
 * the default. No such device is IVR_EMISSING naming what was asked for. */
audio_device *device_open(int in, const char *in_name, int out,
                          const char *out_name, int rate, ivr_error *err);

/* n samples at the open rate; blocks until the device has them. */
int device_read(audio_device *d, float *x, size_t n, ivr_error *err);
/* n samples; blocks while the device's buffer is full. */
int device_write(audio_device *d, const float *x, size_t n, ivr_error *err);
/* Waits until what was written has been played. */
int device_drain(audio_device *d, ivr_error *err);

/* Input overruns and output underruns so far. */
void device_xruns(const audio_device *d, long *overruns, long *underruns);
const char *device_input_name(const audio_device *d);
const char *device_output_name(const audio_device *d);

void device_close(audio_device *d);

#endif
