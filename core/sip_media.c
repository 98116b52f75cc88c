/*
 * sip_media.c: a SIP call's audio, on the call's own thread.
 *
 * libre's loop, on the line's thread, does the network: SIP, and the
 * caller's RTP into the call's jitter buffer. Each established call runs
 * on a thread of its own, where the hooks make its engine (loading what
 * takes long before the clock starts) and run it, a frame every 20 ms by
 * the call's own clock, each frame's RTP sent from there; its speech is
 * decoded, and its prompts synthesised, on other threads (the engine's
 * real_time). A thread late by more than CATCH_UP_MS moves its clock on
 * rather than play fast. What the caller sent waits in the
 * jitter buffer (sip_jitter.c), in time order, a frame that did not come
 * concealed.
 *
 * Keys go out as RFC 4733 telephone events in place of the audio while
 * they last, as phones send them: the receiver hears a key once, not a
 * tone it must detect again.
 */
#include "sip_internal.h"
#include "g711.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define CATCH_UP_MS 100
/* RFC 4733 2.3.4: the level of the tone the event stands for, -10 dBm0
 * (what the DTMF generator makes) */
#define EVENT_VOLUME 10
/* RFC 4733 2.5.1.4: the final packet is sent three times */
#define EVENT_END_PACKETS 3

static const char event_keys[] = "0123456789*#ABCD";

static char event_key(int event)
{
    return event >= 0 && event < 16 ? event_keys[event] : 0;
}

void sip_media_on_rtp(const struct sa *src, const struct rtp_header *hdr,
                      struct mbuf *mb, void *arg)
{
    sip_call *c = arg;
    const uint8_t *p = mbuf_buf(mb);
    size_t n = mbuf_get_left(mb);

    (void)src;
    if (c->ended || !c->established)
        return;
    c->last_rtp_ms = libre.tmr_jiffies();
    if (hdr->pt == c->pt && n > 0) {
        float x[SIP_JITTER_SIZE / 2];
        if (n > sizeof x / sizeof *x)
            n = sizeof x / sizeof *x;
        if (c->alaw)
            g711_alaw_decode(p, x, n);
        else
            g711_ulaw_decode(p, x, n);
        pthread_mutex_lock(&c->lock);
        sip_jitter_put(&c->jitter, hdr->seq, hdr->ts, x, (int)n);
        pthread_mutex_unlock(&c->lock);
    } else if (hdr->pt == c->event_pt && n >= 4) {
        /* one event is many packets with one timestamp (RFC 4733 2.5.1.2):
         * the key is the first of them */
        char key = event_key(p[0]);
        pthread_mutex_lock(&c->lock);
        sip_jitter_count(&c->jitter, hdr->seq);
        pthread_mutex_unlock(&c->lock);
        if (key && (!c->have_event || hdr->ts != c->last_event_ts)) {
            c->have_event = 1;
            c->last_event_ts = hdr->ts;
            pthread_mutex_lock(&c->lock);
            if (c->nkeys < SIP_MAX_KEYS)
                c->keys[c->nkeys++] = key;
            pthread_mutex_unlock(&c->lock);
        }
    }
}

void sip_media_ask_stop(sip_call *c, const char *why)
{
    pthread_mutex_lock(&c->lock);
    if (!c->stop_asked) {
        c->stop_asked = 1;
        snprintf(c->stop_why, sizeof c->stop_why, "%s", why);
    }
    pthread_mutex_unlock(&c->lock);
}

/* RFC 3550 5.1's fixed header, then the payload, straight on the RTP
 * socket from the call's thread. */
static void send_packet(sip_call *c, const struct sa *to, int pt, int marker,
                        uint32_t ts, const uint8_t *payload, size_t n)
{
    uint8_t pkt[RTP_HEADER_SIZE + SIP_FRAME];
    int fd = libre.udp_sock_fd(libre.rtp_sock(c->rtp), libre.sa_af(to));

    pkt[0] = 0x80;                              /* version 2 */
    pkt[1] = (uint8_t)((marker ? 0x80 : 0) | (pt & 0x7f));
    pkt[2] = (uint8_t)(c->seq >> 8);
    pkt[3] = (uint8_t)c->seq;
    pkt[4] = (uint8_t)(ts >> 24);
    pkt[5] = (uint8_t)(ts >> 16);
    pkt[6] = (uint8_t)(ts >> 8);
    pkt[7] = (uint8_t)ts;
    pkt[8] = (uint8_t)(c->ssrc >> 24);
    pkt[9] = (uint8_t)(c->ssrc >> 16);
    pkt[10] = (uint8_t)(c->ssrc >> 8);
    pkt[11] = (uint8_t)c->ssrc;
    memcpy(pkt + RTP_HEADER_SIZE, payload, n);
    if (fd >= 0)
        (void)sendto(fd, pkt, RTP_HEADER_SIZE + n, 0, &to->u.sa, to->len);
    c->seq++;
}

static void send_audio(sip_call *c, const struct sa *to, const float *out)
{
    uint8_t payload[SIP_FRAME];

    if (c->alaw)
        g711_alaw_encode(out, payload, SIP_FRAME);
    else
        g711_ulaw_encode(out, payload, SIP_FRAME);
    send_packet(c, to, c->pt, c->marker, c->ts, payload, SIP_FRAME);
    c->marker = 0;
}

/* The next key waiting, begun at this frame's timestamp. */
static int start_event(sip_call *c)
{
    sip_event_out *ev = &c->event;
    if (ev->key || c->nkeys_out == 0 || c->event_pt < 0)
        return ev->key != 0;
    ev->key = c->keys_out[0].key;
    ev->ts = c->ts;
    ev->sent = 0;
    ev->length = c->keys_out[0].ms * 8;
    ev->ends_left = EVENT_END_PACKETS;
    memmove(c->keys_out, c->keys_out + 1,
            (size_t)--c->nkeys_out * sizeof *c->keys_out);
    return 1;
}

/* One packet of the key going out (RFC 4733 2.3): the event, the end bit
 * and volume, the duration so far; the first has the marker bit. */
static void send_event(sip_call *c, const struct sa *to)
{
    sip_event_out *ev = &c->event;
    uint8_t payload[4];
    int first = ev->sent == 0, end;

    if (ev->sent < ev->length)
        ev->sent += SIP_FRAME;
    end = ev->sent >= ev->length;
    payload[0] = (uint8_t)(strchr(event_keys, ev->key) - event_keys);
    payload[1] = (uint8_t)((end ? 0x80 : 0) | EVENT_VOLUME);
    payload[2] = (uint8_t)(ev->sent >> 8);
    payload[3] = (uint8_t)ev->sent;
    send_packet(c, to, c->event_pt, first, ev->ts, payload, sizeof payload);
    if (end && --ev->ends_left == 0)
        ev->key = 0;
}

int sip_call_send_key(sip_call *c, char key, int ms)
{
    if (!key || !strchr(event_keys, key) || c->event_pt < 0 ||
        c->nkeys_out == SIP_MAX_KEYS)
        return -1;
    if (ms < SIP_FRAME_MS)
        ms = SIP_FRAME_MS;
    c->keys_out[c->nkeys_out].key = key;
    c->keys_out[c->nkeys_out].ms = ms;
    c->nkeys_out++;
    return 0;
}

static uint64_t clock_us(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

static void sleep_us(uint64_t us)
{
    struct timespec t = {(time_t)(us / 1000000),
                         (long)(us % 1000000) * 1000L};

    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

/* A frame sent this long after its 20 ms slot is off the line's clock:
 * the far end's jitter buffer takes a little, not a frame's worth */
#define RTP_SLACK_US 2000

static void time_frame(sip_call *c, uint64_t slot, uint64_t sent)
{
    double late_ms = sent > slot ? (double)(sent - slot) / 1000.0 : 0.0;

    c->rtp_frames++;
    if (sent > slot + RTP_SLACK_US)
        c->rtp_late++;
    if (late_ms > c->rtp_worst_ms)
        c->rtp_worst_ms = late_ms;
}

void sip_call_rtp_timing(const sip_call *c, long *frames, long *late,
                         double *worst_ms)
{
    *frames = c->rtp_frames;
    *late = c->rtp_late;
    *worst_ms = c->rtp_worst_ms;
}

void sip_call_rtp_received(sip_call *c, long *packets, long *lost,
                           long *late)
{
    pthread_mutex_lock(&c->lock);
    sip_jitter_stats(&c->jitter, packets, lost, late);
    pthread_mutex_unlock(&c->lock);
}

/* The call's clock before everything else on the machine, as PBXs run
 * theirs (Asterisk's -p): a frame's work is a fraction of a millisecond,
 * and what takes long (decoding, synthesis) is on other, niced, threads.
 * Without the right to (no CAP_SYS_NICE), the clock keeps the ordinary
 * priority. */
static void keep_time_first(void)
{
    struct sched_param sp;

    memset(&sp, 0, sizeof sp);
    sp.sched_priority = sched_get_priority_min(SCHED_RR);
    (void)pthread_setschedparam(pthread_self(), SCHED_RR, &sp);
}

void *sip_media_run(void *arg)
{
    sip_call *c = arg;
    const sip_line_hooks *h = &c->line->hooks;
    char why[96] = "";
    int stopped = 0;
    uint64_t next;

    c->user = h->incoming(c, h->user);
    keep_time_first();
    next = clock_us();
    while (c->user) {
        float in[SIP_FRAME], out[SIP_FRAME];
        char keys[SIP_MAX_KEYS];
        struct sa to;
        int nkeys, i, going;
        uint64_t now;

        pthread_mutex_lock(&c->lock);
        if ((stopped = c->stop_asked))
            snprintf(why, sizeof why, "%s", c->stop_why);
        sip_jitter_get(&c->jitter, in, SIP_FRAME);
        nkeys = c->nkeys;
        memcpy(keys, c->keys, (size_t)nkeys);
        c->nkeys = 0;
        to = c->remote;
        pthread_mutex_unlock(&c->lock);
        if (stopped)
            break;
        for (i = 0; i < nkeys && h->key; i++)
            h->key(c->user, keys[i]);
        memset(out, 0, sizeof out);
        going = h->frame(c->user, in, out);
        if (start_event(c))
            send_event(c, &to);
        else
            send_audio(c, &to, out);
        time_frame(c, next, clock_us());
        c->ts += SIP_FRAME;
        if (!going)
            break;
        next += SIP_FRAME_MS * 1000;
        now = clock_us();
        if (now > next + CATCH_UP_MS * 1000)
            next = now;
        else if (next > now)
            sleep_us(next - now);
    }
    if (c->user && h->ended)
        h->ended(c->user, stopped ? why : NULL);
    pthread_mutex_lock(&c->lock);
    c->done = 1;
    c->user = NULL;
    pthread_mutex_unlock(&c->lock);
    return NULL;
}
