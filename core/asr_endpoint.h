/* asr_endpoint.h: internal to core/asr: where utterances start and end. */
#ifndef IVR_ASR_ENDPOINT_H
#define IVR_ASR_ENDPOINT_H

#include <stdint.h>

typedef enum asr_ep_event {
    ASR_EP_NONE,
    ASR_EP_START,   /* speech began; it started at start_frame */
    ASR_EP_END      /* speech ended after end_frame */
} asr_ep_event;

/* Works on 10 ms frame energies; knows nothing of samples or rates. */
typedef struct asr_endpoint {
    double floor_db;        /* background level, tracked while silent */
    int in_speech;
    int above;              /* recent frames above the speech threshold */
    uint32_t history;       /* bit i: frame i ago was above */
    int quiet;              /* consecutive quiet frames in speech */
    int end_frames;         /* quiet frames that end an utterance */
    int max_frames;         /* longest utterance */
    int long_frames;        /* an utterance this long (0: none is) ... */
    int short_end_frames;   /* ... ends after this many quiet frames */
    int64_t frame;          /* index of the next frame */
    int64_t start_frame, end_frame, last_loud;
} asr_endpoint;

void asr_endpoint_init(asr_endpoint *ep, double end_silence_ms,
                       double max_speech_ms);

/* An utterance of long_speech_ms or more ends at a pause of
 * short_silence_ms (0, 0, as a zeroed asr_endpoint has it: only at
 * end_silence_ms). asr_endpoint_init leaves it as it is. */
void asr_endpoint_set_long(asr_endpoint *ep, double long_speech_ms,
                           double short_silence_ms);

/* Feeds one frame's energy (dB, full scale 0); says what happened. */
asr_ep_event asr_endpoint_frame(asr_endpoint *ep, double energy_db);

/* A frame that is not to be listened to (a key's tone): time goes on, the
 * background level learns nothing from it, and nothing can start. */
void asr_endpoint_skip(asr_endpoint *ep);

#endif
