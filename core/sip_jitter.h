/*
 * sip_jitter.h: the caller's RTP audio put back in time order, losses
 * concealed (sip_jitter.c; internal to the SIP line, which keeps one per
 * call under the call's lock: put by libre's loop, got by the call's
 * thread).
 */
#ifndef IVR_SIP_JITTER_H
#define IVR_SIP_JITTER_H

#include <stdint.h>

#define SIP_FRAME 160           /* 20 ms at 8 kHz */
#define SIP_JITTER_SIZE 8000    /* 1 s of timestamps */
/* the most delay it keeps (a busy machine's stall, measured with four
 * test calls decoding at once on two cores, lost words at 200) */
#define SIP_JITTER_MAX_MS 400

typedef struct sip_jitter {
    float audio[SIP_JITTER_SIZE];
    uint8_t filled[SIP_JITTER_SIZE];
    int started;
    uint32_t play_ts;           /* the timestamp the next sample plays */
    uint32_t newest_end;        /* past the latest sample received */
    uint32_t heard_end;         /* past the latest sample played */
    int32_t hold;               /* samples to wait before play_ts */
    float heard[SIP_FRAME];     /* the last frame played, a ring */
    int heard_at;               /* its oldest sample */
    int missing;                /* samples concealed since the last heard */
    int counting;
    long base_seq, max_seq;     /* extended sequence numbers */
    long received, late;
} sip_jitter;

/* A packet's n samples at 8 kHz, its sequence number and timestamp. */
void sip_jitter_put(sip_jitter *j, uint16_t seq, uint32_t ts, const float *x,
                    int n);
/* A packet of the caller's stream that carries no audio (a telephone
 * event): counted, so that its sequence number is not taken for a loss. */
void sip_jitter_count(sip_jitter *j, uint16_t seq);
/* The next n samples, those that did not come concealed; silence before
 * the first packet. */
void sip_jitter_get(sip_jitter *j, float *out, int n);
/* Packets received, lost on the way (by sequence number), come too late
 * to play. */
void sip_jitter_stats(const sip_jitter *j, long *received, long *lost,
                      long *late);

#endif
