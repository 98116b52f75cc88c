/*
 * asr_endpoint.c: an energy end-pointer with an adaptive floor.
 *
 * Telephone lines carry hiss and hum at levels that vary from call to call,
 * so "speech" is measured against the background, not against a fixed
 * level: the floor follows the quietest frames quickly and louder ones
 * slowly, and only while nobody talks.
 */
#include "asr_endpoint.h"

/* Speech is this far above the floor; below START_DB + fades do not count,
 * and the absolute minimum keeps digital silence from starting anything. */
#define START_DB 12.0
#define STAY_DB 7.0
#define MIN_SPEECH_DB -55.0
#define INITIAL_FLOOR_MAX_DB -40.0
/* below the quietest a line is: mu-law's smallest step is -78 dB */
#define DIGITAL_SILENCE_DB -90.0
/* 4 of the last 6 frames loud: a click is not speech, a syllable is */
#define START_OF 6
#define START_NEED 4

void asr_endpoint_init(asr_endpoint *ep, double end_silence_ms,
                       double max_speech_ms)
{
    ep->floor_db = 1.0;   /* above 0 dB: not measured yet */
    ep->in_speech = 0;
    ep->above = 0;
    ep->history = 0;
    ep->quiet = 0;
    ep->end_frames = (int)(end_silence_ms / 10.0);
    if (ep->end_frames < 5)
        ep->end_frames = 5;
    ep->max_frames = (int)(max_speech_ms / 10.0);
    ep->frame = 0;
    ep->start_frame = ep->end_frame = ep->last_loud = 0;
}

static int popcount6(uint32_t h)
{
    int n = 0, i;
    for (i = 0; i < START_OF; i++)
        n += (h >> i) & 1;
    return n;
}

void asr_endpoint_set_long(asr_endpoint *ep, double long_speech_ms,
                           double short_silence_ms)
{
    ep->long_frames = (int)(long_speech_ms / 10.0);
    ep->short_end_frames = (int)(short_silence_ms / 10.0);
    if (ep->short_end_frames < 5)
        ep->short_end_frames = 5;
}

void asr_endpoint_skip(asr_endpoint *ep)
{
    ep->frame++;
    ep->history <<= 1;
}

asr_ep_event asr_endpoint_frame(asr_endpoint *ep, double e)
{
    int64_t f = ep->frame++;
    double start_at;
    asr_ep_event ev = ASR_EP_NONE;

    /* the first frame with a signal sets the floor, capped so that a
     * stream which starts with speech does not take the speech for the
     * background. Digital silence measures no line (a SIP call's first
     * frames, before the caller's RTP comes; the gaps where a phone sends
     * its keys as RFC 4733 events instead of audio): a floor set or
     * lowered there would take the line's own hiss, when it is back, for
     * speech that never ends (a caller's -45 dBm0 of noise barged into
     * every prompt after a key) */
    if (ep->floor_db > 0.0 && e <= DIGITAL_SILENCE_DB) {
        ep->history <<= 1;
        return ASR_EP_NONE;
    }
    if (ep->floor_db > 0.0)
        ep->floor_db = e < INITIAL_FLOOR_MAX_DB ? e : INITIAL_FLOOR_MAX_DB;
    start_at = ep->floor_db + START_DB;
    if (start_at < MIN_SPEECH_DB)
        start_at = MIN_SPEECH_DB;
    ep->history = (ep->history << 1) | (e > start_at);
    if (!ep->in_speech) {
        /* the floor falls at once and rises 0.1 dB a frame (10 dB/s) */
        if (e <= DIGITAL_SILENCE_DB)
            ;
        else if (e < ep->floor_db)
            ep->floor_db = e;
        else if (e < ep->floor_db + START_DB)
            ep->floor_db += 0.1;
        if (popcount6(ep->history) >= START_NEED) {
            ep->in_speech = 1;
            ep->quiet = 0;
            ep->start_frame = f - START_OF + 1;
            if (ep->start_frame < 0)
                ep->start_frame = 0;
            ep->last_loud = f;
            ev = ASR_EP_START;
        }
        return ev;
    }
    if (e > ep->floor_db + STAY_DB && e > MIN_SPEECH_DB) {
        ep->quiet = 0;
        ep->last_loud = f;
    } else {
        ep->quiet++;
    }
    if (ep->quiet >= ep->end_frames ||
        (ep->long_frames > 0 && f - ep->start_frame >= ep->long_frames &&
         ep->quiet >= ep->short_end_frames) ||
        (ep->max_frames > 0 && f - ep->start_frame >= ep->max_frames)) {
        ep->in_speech = 0;
        ep->end_frame = ep->last_loud + 1;
        ep->history = 0;
        ev = ASR_EP_END;
    }
    return ev;
}
