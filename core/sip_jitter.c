/*
 * sip_jitter.c: the caller's RTP put back in time order for the call's
 * clock to take, a frame at a time.
 *
 * Each packet's samples go where its timestamp says, so packets that a
 * network delivers out of order play in order. The buffer starts with no
 * delay and earns what the network needs. A packet that comes after its
 * place was played makes the playout wait as long as it was late, so that
 * one as late next time plays in its place: when only concealment was
 * played since its place, the playout goes back to it and it is heard;
 * when later audio was played, it is dropped (loopback settles at one
 * frame; 100 ms of jitter at about 100 ms).
 * The delay never grows past SIP_JITTER_MAX_MS: beyond that the oldest
 * audio goes, as when the caller's clock runs faster than ours.
 *
 * A frame that did not come (lost, or dropped late) is concealed: the
 * last 20 ms heard is played again, whole for the first 20 ms of a gap
 * and at half level for the next, then silence. A key tone with a packet
 * missing then stays one tone for the DTMF receiver rather than two, and
 * speech keeps its shape across a lost syllable fragment (the idea of
 * G.711 Appendix I, without its pitch search).
 */
#include "sip_jitter.h"

#include <string.h>

#define CONCEAL_FULL SIP_FRAME          /* samples played again whole */
#define CONCEAL_HALF (2 * SIP_FRAME)    /* then at half level */

static void forget(sip_jitter *j, uint32_t from, uint32_t to)
{
    uint32_t t;

    for (t = from; t != to; t++)
        j->filled[t % SIP_JITTER_SIZE] = 0;
}

/* The caller's sequence numbers: received and expected (RFC 3550 A.3),
 * with a wrap of the 16-bit number counted. */
static void count_packet(sip_jitter *j, uint16_t seq)
{
    if (!j->counting) {
        j->counting = 1;
        j->base_seq = j->max_seq = seq;
    } else {
        int16_t ahead = (int16_t)(uint16_t)(seq - (uint16_t)j->max_seq);
        if (ahead > 0)
            j->max_seq += ahead;
    }
    j->received++;
}

void sip_jitter_count(sip_jitter *j, uint16_t seq)
{
    count_packet(j, seq);
}

void sip_jitter_put(sip_jitter *j, uint16_t seq, uint32_t ts, const float *x,
                    int n)
{
    int32_t off, span;
    int i;

    if (n <= 0 || n > SIP_JITTER_SIZE / 2)
        return;
    count_packet(j, seq);
    if (!j->started) {
        j->started = 1;
        j->play_ts = j->newest_end = j->heard_end = ts;
    }
    off = (int32_t)(ts - j->play_ts);
    /* a timestamp far from the playout (a new source, a jump) starts the
     * buffer again there */
    if (off < -(int32_t)(SIP_JITTER_SIZE / 2) ||
        off + n > (int32_t)SIP_JITTER_SIZE - SIP_FRAME) {
        memset(j->filled, 0, sizeof j->filled);
        j->play_ts = j->newest_end = j->heard_end = ts;
        j->hold = 0;
        off = 0;
    }
    if (off < 0 && (int32_t)(ts - j->heard_end) >= 0) {
        /* nothing was heard since its place: play it now */
        j->play_ts = ts;
        off = 0;
    }
    if (off < 0) {
        /* later audio was heard: wait as long as it was late, next time */
        j->late++;
        j->hold += -off;
        if (j->hold > SIP_JITTER_MAX_MS * 8)
            j->hold = SIP_JITTER_MAX_MS * 8;
        return;
    }
    for (i = 0; i < n; i++) {
        j->audio[(ts + (uint32_t)i) % SIP_JITTER_SIZE] = x[i];
        j->filled[(ts + (uint32_t)i) % SIP_JITTER_SIZE] = 1;
    }
    if ((int32_t)(ts + (uint32_t)n - j->newest_end) > 0)
        j->newest_end = ts + (uint32_t)n;
    /* the delay kept short: the oldest audio goes first */
    span = (int32_t)(j->newest_end - j->play_ts) + j->hold;
    if (span > SIP_JITTER_MAX_MS * 8) {
        int32_t drop = span - SIP_JITTER_MAX_MS * 8;
        int32_t from_hold = drop < j->hold ? drop : j->hold;
        j->hold -= from_hold;
        drop -= from_hold;
        forget(j, j->play_ts, j->play_ts + (uint32_t)drop);
        j->play_ts += (uint32_t)drop;
    }
}

/* A sample that did not come: the last frame heard, again, from its
 * oldest sample on. */
static float conceal(sip_jitter *j)
{
    float g = j->missing < CONCEAL_FULL   ? 1.0f
              : j->missing < CONCEAL_HALF ? 0.5f
                                          : 0.0f;
    float y = g * j->heard[(j->heard_at + j->missing) % SIP_FRAME];

    if (j->missing < CONCEAL_HALF)
        j->missing++;
    return y;
}

void sip_jitter_get(sip_jitter *j, float *out, int n)
{
    int i = 0;

    if (!j->started) {
        memset(out, 0, (size_t)n * sizeof *out);
        return;
    }
    /* the wait a late packet asked for */
    for (; i < n && j->hold > 0; i++, j->hold--)
        out[i] = conceal(j);
    for (; i < n; i++, j->play_ts++) {
        size_t at = j->play_ts % SIP_JITTER_SIZE;
        if (j->filled[at]) {
            out[i] = j->audio[at];
            j->filled[at] = 0;
            j->missing = 0;
            j->heard_end = j->play_ts + 1;
            j->heard[j->heard_at] = out[i];
            j->heard_at = (j->heard_at + 1) % SIP_FRAME;
        } else {
            out[i] = conceal(j);
        }
    }
}

void sip_jitter_stats(const sip_jitter *j, long *received, long *lost,
                      long *late)
{
    long expected = j->counting ? (long)(j->max_seq - j->base_seq) + 1 : 0;

    *received = j->received;
    *lost = expected > j->received ? expected - j->received : 0;
    *late = j->late;
}
