/*
 * sip_line.c: SIP calls answered with libre, their audio as G.711 RTP.
 *
 * libre's loop, on the line's thread, does the network: SIP, and the
 * caller's RTP into the call's FIFO. Each established call runs on a
 * thread of its own, where the hooks make its engine (a recogniser takes
 * a second to load) and run it, a frame every 20 ms by the call's own
 * clock, each frame's RTP sent from there: a call decoding speech holds
 * no other call back. A thread late by more than CATCH_UP_MS moves its
 * clock on rather than play fast. What the caller sent waits in the FIFO:
 * packets that come late play late, a FIFO grown past FIFO_MAX_MS (the
 * caller's clock faster than ours) drops its oldest audio, and a frame
 * with no audio in time is silence, as on a phone line.
 *
 * The thread and the loop share the FIFO, the keys, the remote address
 * and the request to stop, under the call's lock; the loop frees the call
 * once its thread is done.
 */
#include "sip_line.h"
#include "g711.h"
#include "libre_api.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* RFC 4733's payload format name (libre's telev_rtpfmt, a variable) */
#define TELEPHONE_EVENT "telephone-event"

#define FRAME 160               /* 20 ms at 8 kHz */
#define FRAME_MS 20
#define FIFO_SIZE 8000          /* 1 s */
#define FIFO_MAX_MS 200
#define CATCH_UP_MS 100
#define WATCH_MS 50
#define MAX_KEYS 64
/* a caller whose audio stops this long is gone (no BYE came) */
#define RTP_TIMEOUT_MS 10000
#define RTP_PORT_MIN 10000
#define RTP_PORT_MAX 30000

struct sip_call {
    sip_line *line;
    sip_call *next;
    int number;
    void *user;                 /* the hooks' own */
    struct sipsess *sess;
    struct sdp_session *sdp;
    struct sdp_media *media;
    struct rtp_sock *rtp;
    struct tmr tick;            /* the loop's look at the call */
    struct sa remote;           /* where the caller wants our RTP */
    int pt, event_pt;           /* payload types: audio, telephone-event */
    int alaw;
    int established, ended, outbound;
    struct tmr ring;            /* a call placed: how long it may ring */
    uint64_t ring_ms;
    uint64_t last_rtp_ms;
    uint32_t last_event_ts;
    int have_event;
    char caller[64], called[64];
    /* the call's thread */
    pthread_t thread;
    int running;                /* started, not yet joined */
    uint32_t ts, ssrc;
    uint16_t seq;
    int marker;
    /* shared with it, under lock */
    pthread_mutex_t lock;
    float fifo[FIFO_SIZE];
    int fifo_head, fifo_len;
    char keys[MAX_KEYS];
    int nkeys;
    int stop_asked, done;
    char stop_why[96];
    char refer_to[256];         /* a transfer's target, for the REFER */
    struct sa peer;             /* where the call's INVITE came from */
    struct sip_request *refer;
};

struct sip_line {
    sip_line_hooks hooks;
    struct sip *sip;
    struct sipsess_sock *sock;
    struct sip_lsnr *lsnr;      /* requests outside the sessions' */
    struct sa laddr;
    struct tmr watch;
    sip_call *calls;
    int ncalls_made;
    volatile sig_atomic_t stop;
    int closing;
    int stop_after_call;        /* a call placed: the line's only job */
    char transfer[256];         /* sip_line_set_transfer's template */
    ivr_error err;
};

static void call_end(sip_call *c, const char *why);

static void fifo_push(sip_call *c, const float *x, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        if (c->fifo_len == FIFO_SIZE) {
            c->fifo_head = (c->fifo_head + 1) % FIFO_SIZE;
            c->fifo_len--;
        }
        c->fifo[(c->fifo_head + c->fifo_len) % FIFO_SIZE] = x[i];
        c->fifo_len++;
    }
    /* keep the delay short: the oldest audio goes first */
    while (c->fifo_len > FIFO_MAX_MS * 8) {
        c->fifo_head = (c->fifo_head + 1) % FIFO_SIZE;
        c->fifo_len--;
    }
}

static void fifo_pop(sip_call *c, float *out, int n)
{
    int i, take = c->fifo_len < n ? c->fifo_len : n;

    for (i = 0; i < take; i++)
        out[i] = c->fifo[(c->fifo_head + i) % FIFO_SIZE];
    for (; i < n; i++)
        out[i] = 0.0f;
    c->fifo_head = (c->fifo_head + take) % FIFO_SIZE;
    c->fifo_len -= take;
}

static char event_key(int event)
{
    static const char keys[] = "0123456789*#ABCD";

    return event >= 0 && event < 16 ? keys[event] : 0;
}

static void on_rtp(const struct sa *src, const struct rtp_header *hdr,
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
        float x[FIFO_SIZE];
        if (n > FIFO_SIZE)
            n = FIFO_SIZE;
        if (c->alaw)
            g711_alaw_decode(p, x, n);
        else
            g711_ulaw_decode(p, x, n);
        pthread_mutex_lock(&c->lock);
        fifo_push(c, x, (int)n);
        pthread_mutex_unlock(&c->lock);
    } else if (hdr->pt == c->event_pt && n >= 4) {
        /* one event is many packets with one timestamp (RFC 4733 2.5.1.2):
         * the key is the first of them */
        char key = event_key(p[0]);
        if (key && (!c->have_event || hdr->ts != c->last_event_ts)) {
            c->have_event = 1;
            c->last_event_ts = hdr->ts;
            pthread_mutex_lock(&c->lock);
            if (c->nkeys < MAX_KEYS)
                c->keys[c->nkeys++] = key;
            pthread_mutex_unlock(&c->lock);
        }
    }
}

/* Asks the call's thread to end the call (the loop's side). */
static void ask_stop(sip_call *c, const char *why)
{
    pthread_mutex_lock(&c->lock);
    if (!c->stop_asked) {
        c->stop_asked = 1;
        snprintf(c->stop_why, sizeof c->stop_why, "%s", why);
    }
    pthread_mutex_unlock(&c->lock);
}

/* One frame of the IVR's audio as an RTP packet, sent from the call's
 * thread straight on the RTP socket (RFC 3550 5.1's fixed header). */
static void send_frame(sip_call *c, const struct sa *to, const float *out)
{
    uint8_t pkt[RTP_HEADER_SIZE + FRAME];
    int fd = libre.udp_sock_fd(libre.rtp_sock(c->rtp), libre.sa_af(to));

    pkt[0] = 0x80;                              /* version 2 */
    pkt[1] = (uint8_t)((c->marker ? 0x80 : 0) | (c->pt & 0x7f));
    pkt[2] = (uint8_t)(c->seq >> 8);
    pkt[3] = (uint8_t)c->seq;
    pkt[4] = (uint8_t)(c->ts >> 24);
    pkt[5] = (uint8_t)(c->ts >> 16);
    pkt[6] = (uint8_t)(c->ts >> 8);
    pkt[7] = (uint8_t)c->ts;
    pkt[8] = (uint8_t)(c->ssrc >> 24);
    pkt[9] = (uint8_t)(c->ssrc >> 16);
    pkt[10] = (uint8_t)(c->ssrc >> 8);
    pkt[11] = (uint8_t)c->ssrc;
    if (c->alaw)
        g711_alaw_encode(out, pkt + RTP_HEADER_SIZE, FRAME);
    else
        g711_ulaw_encode(out, pkt + RTP_HEADER_SIZE, FRAME);
    if (fd >= 0)
        (void)sendto(fd, pkt, sizeof pkt, 0, &to->u.sa, to->len);
    c->marker = 0;
    c->seq++;
    c->ts += FRAME;
}

static uint64_t clock_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

static void sleep_ms(uint64_t ms)
{
    struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

/* The call's thread: the engine, a frame every 20 ms. */
static void *call_run(void *arg)
{
    sip_call *c = arg;
    const sip_line_hooks *h = &c->line->hooks;
    char why[96] = "";
    int stopped = 0;
    uint64_t next;

    c->user = h->incoming(c, h->user);
    next = clock_ms();
    while (c->user) {
        float in[FRAME], out[FRAME];
        char keys[MAX_KEYS];
        struct sa to;
        int nkeys, i, going;
        uint64_t now;

        pthread_mutex_lock(&c->lock);
        if ((stopped = c->stop_asked))
            snprintf(why, sizeof why, "%s", c->stop_why);
        fifo_pop(c, in, FRAME);
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
        send_frame(c, &to, out);
        if (!going)
            break;
        next += FRAME_MS;
        now = clock_ms();
        if (now > next + CATCH_UP_MS)
            next = now;
        else if (next > now)
            sleep_ms(next - now);
    }
    if (c->user && h->ended)
        h->ended(c->user, stopped ? why : NULL);
    pthread_mutex_lock(&c->lock);
    c->done = 1;
    c->user = NULL;
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* The answer to a REFER: accepted or not, the call ends now (BYE). */
static void on_refer_answered(int err, const struct sip_msg *msg, void *arg)
{
    sip_call *c = arg;

    (void)err;
    if (msg && msg->scode < 200)
        return;
    c->refer = NULL;
    call_end(c, NULL);
}

/* The transfer's target as a SIP URI, into out. */
static void refer_uri(const sip_call *c, char *out, size_t size)
{
    const char *tpl = c->line->transfer, *at;

    if (!strncmp(c->refer_to, "sip:", 4) || !strncmp(c->refer_to, "sips:", 5))
        snprintf(out, size, "%s", c->refer_to);
    else if (*tpl && (at = strstr(tpl, "{target}")) != NULL)
        snprintf(out, size, "%.*s%s%s", (int)(at - tpl), tpl, c->refer_to,
                 at + 8);
    else
        libre.re_snprintf(out, size, "sip:%s@%J", c->refer_to, &c->peer);
}

/* A call whose menu transferred it: the caller is referred to the target,
 * and the call ends when the REFER is answered (or is not, in 4 s). */
static int send_refer(sip_call *c)
{
    char uri[512];

    if (!*c->refer_to || !c->sess)
        return -1;
    refer_uri(c, uri, sizeof uri);
    if (libre.sip_drequestf(&c->refer, c->line->sip, true, "REFER",
                            libre.sipsess_dialog(c->sess), 0, NULL, NULL,
                            on_refer_answered, c, "Refer-To: <%s>\r\n"
                            "Content-Length: 0\r\n\r\n", uri) != 0)
        return -1;
    *c->refer_to = '\0';
    return 0;
}

/* The loop's look at an established call: its thread done (the call is
 * freed, with a BYE unless the caller sent one, after a REFER when the
 * menu transferred it), or its caller silent for too long. */
static void on_watch_call(void *arg)
{
    sip_call *c = arg;
    int done;

    pthread_mutex_lock(&c->lock);
    done = c->done;
    pthread_mutex_unlock(&c->lock);
    if (done && c->refer) {
        /* the REFER's answer ends the call; this, a stalled one */
        call_end(c, NULL);
        return;
    }
    if (done && send_refer(c) == 0) {
        libre.tmr_start(&c->tick, 4000, on_watch_call, c);
        return;
    }
    if (done) {
        call_end(c, NULL);
        return;
    }
    if (libre.tmr_jiffies() - c->last_rtp_ms > RTP_TIMEOUT_MS)
        ask_stop(c, "no audio from the caller for 10 s");
    libre.tmr_start(&c->tick, WATCH_MS, on_watch_call, c);
}

static void on_established(const struct sip_msg *msg, void *arg)
{
    sip_call *c = arg;

    (void)msg;
    libre.tmr_cancel(&c->ring);
    if (c->established)
        return;
    c->established = 1;
    c->marker = 1;
    c->ssrc = libre.rand_u32();
    c->seq = libre.rand_u16();
    c->ts = libre.rand_u32();
    c->last_rtp_ms = libre.tmr_jiffies();
    if (pthread_create(&c->thread, NULL, call_run, c) != 0) {
        call_end(c, "no thread for the call");
        return;
    }
    c->running = 1;
    libre.tmr_start(&c->tick, WATCH_MS, on_watch_call, c);
}

static void on_closed(int err, const struct sip_msg *msg, void *arg)
{
    sip_call *c = arg;
    char why[96];

    /* libre tells a BYE from the caller as ECONNRESET */
    if (err == ECONNRESET)
        snprintf(why, sizeof why, "caller hung up");
    else if (err)
        snprintf(why, sizeof why, "the call was lost (%s)", strerror(err));
    else if (msg && msg->req)
        snprintf(why, sizeof why, "caller hung up");
    else if (msg)
        snprintf(why, sizeof why, "%u %.*s", msg->scode,
                 (int)msg->reason.l, msg->reason.p);
    else
        snprintf(why, sizeof why, "caller hung up");
    /* the session is ours to free, with the call; a call's thread ends
     * it first */
    if (c->running)
        ask_stop(c, why);
    else
        call_end(c, why);
}

static int choose_codecs(sip_call *c);

/* The answer to our offer: an INVITE that came without SDP, or a call we
 * placed. */
static int on_answer(const struct sip_msg *msg, void *arg)
{
    sip_call *c = arg;
    int err = libre.sdp_decode(c->sdp, msg->mb, false);

    if (!err && choose_codecs(c) != 0)
        err = EPROTO;
    return err;
}

static int on_offer(struct mbuf **descp, const struct sip_msg *msg,
                    void *arg)
{
    sip_call *c = arg;
    int err;

    /* a re-INVITE (hold, a new address): the same codecs, answered */
    const struct sa *raddr;

    if (mbuf_get_left(msg->mb) &&
        (err = libre.sdp_decode(c->sdp, msg->mb, true)))
        return err;
    raddr = libre.sdp_media_raddr(c->media);
    if (raddr && libre.sa_isset(raddr, SA_ALL)) {
        pthread_mutex_lock(&c->lock);   /* the call's thread sends there */
        c->remote = *raddr;
        pthread_mutex_unlock(&c->lock);
    }
    return libre.sdp_encode(descp, c->sdp, !mbuf_get_left(msg->mb));
}

static void call_free(sip_call *c)
{
    sip_call **p;

    if (c->running) {
        ask_stop(c, "interrupted");
        pthread_join(c->thread, NULL);
        c->running = 0;
    }

    for (p = &c->line->calls; *p; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            break;
        }
    libre.tmr_cancel(&c->tick);
    libre.tmr_cancel(&c->ring);
    libre.mem_deref(c->refer);
    libre.mem_deref(c->sess);
    libre.mem_deref(c->rtp);
    libre.mem_deref(c->sdp);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* Ends a call once: the hooks hear why (NULL: the IVR hung up), the
 * caller gets a BYE unless it sent one, and the call's parts go. */
static void call_end(sip_call *c, const char *why)
{
    sip_line *l = c->line;

    if (c->ended)
        return;
    c->ended = 1;
    if (c->running)
        ;   /* its thread told the hooks (call_free joins it) */
    else if (c->outbound && !c->established && l->hooks.unanswered)
        l->hooks.unanswered(why ? why : "no answer", l->hooks.user);
    call_free(c);
    if (l->stop_after_call && !l->calls)
        sip_line_stop(l);
}

/* The codecs offered: G.711 in the order the caller gave, and
 * telephone-events. 0 with the choice made, or a SIP status. */
static int choose_codecs(sip_call *c)
{
    const struct sdp_format *f = libre.sdp_media_rformat(c->media, NULL);
    const struct sdp_format *ev = libre.sdp_media_rformat(c->media,
                                                          TELEPHONE_EVENT);

    if (!f || (strcmp(f->name, "PCMU") && strcmp(f->name, "PCMA")))
        return 488;
    c->pt = f->pt;
    c->alaw = !strcmp(f->name, "PCMA");
    c->event_pt = ev ? ev->pt : -1;
    if (!libre.sdp_media_raddr(c->media) ||
        !libre.sa_isset(libre.sdp_media_raddr(c->media), SA_ALL))
        return 488;
    c->remote = *libre.sdp_media_raddr(c->media);
    return 0;
}

static int call_media(sip_call *c)
{
    sip_line *l = c->line;
    int err;

    err = libre.rtp_listen(&c->rtp, IPPROTO_UDP, &l->laddr, RTP_PORT_MIN,
                           RTP_PORT_MAX, false, on_rtp, NULL, c);
    err = err ? err : libre.sdp_session_alloc(&c->sdp, &l->laddr);
    err = err ? err
              : libre.sdp_media_add(&c->media, c->sdp, "audio",
                                    libre.sa_port(libre.rtp_local(c->rtp)),
                                    "RTP/AVP");
    err = err ? err
              : libre.sdp_format_add(NULL, c->media, false, "0", "PCMU", 8000,
                                     1, NULL, NULL, NULL, false, NULL);
    err = err ? err
              : libre.sdp_format_add(NULL, c->media, false, "8", "PCMA", 8000,
                                     1, NULL, NULL, NULL, false, NULL);
    /* 101: the telephone-event type most phones and PBXs use */
    err = err ? err
              : libre.sdp_format_add(NULL, c->media, false, "101",
                                     TELEPHONE_EVENT, 8000, 1, NULL, NULL,
                                     NULL, false, "0-15");
    return err;
}

static void pl_copy(const struct pl *pl, char *out, size_t size,
                    const char *none)
{
    if (!pl || !pl->p || pl->l == 0)
        snprintf(out, size, "%s", none);
    else
        snprintf(out, size, "%.*s", (int)pl->l, pl->p);
}

static void on_invite(const struct sip_msg *msg, void *arg)
{
    sip_line *l = arg;
    sip_call *c;
    struct mbuf *desc = NULL;
    int offered = mbuf_get_left(msg->mb) > 0, status = 0, err;

    if (l->stop || l->closing) {
        (void)libre.sip_treply(NULL, l->sip, msg, 503, "Service Unavailable");
        return;
    }
    if (!(c = calloc(1, sizeof *c))) {
        (void)libre.sip_treply(NULL, l->sip, msg, 500, "Out of Memory");
        return;
    }
    c->line = l;
    c->number = ++l->ncalls_made;
    c->pt = c->event_pt = -1;
    libre.tmr_init(&c->tick);
    libre.tmr_init(&c->ring);
    pthread_mutex_init(&c->lock, NULL);
    pl_copy(&msg->from.uri.user, c->caller, sizeof c->caller, "anonymous");
    pl_copy(&msg->uri.user, c->called, sizeof c->called, "");
    c->peer = msg->src;
    c->next = l->calls;
    l->calls = c;
    if (call_media(c) != 0)
        status = 500;
    else if (offered && libre.sdp_decode(c->sdp, msg->mb, true) != 0)
        status = 400;
    else if (offered)
        status = choose_codecs(c);
    if (!status && libre.sdp_encode(&desc, c->sdp, !offered) != 0)
        status = 500;
    if (!status) {
        err = libre.sipsess_accept(&c->sess, l->sock, msg, 200, "OK", "ivrkit",
                                   "application/sdp", desc, NULL, NULL, false,
                                   on_offer, on_answer, on_established,
                                   NULL, NULL, on_closed, c, NULL);
        if (err)
            status = 500;
    }
    libre.mem_deref(desc);
    if (status) {
        (void)libre.sip_treply(NULL, l->sip, msg, (uint16_t)status,
                               status == 488 ? "Not Acceptable Here"
                               : status == 400 ? "Bad Request"
                               : "Server Internal Error");
        c->ended = 1;
        call_free(c);
    }
}

static void on_progress(const struct sip_msg *msg, void *arg)
{
    (void)msg;
    (void)arg;
}

static void on_ring_timeout(void *arg)
{
    sip_call *c = arg;
    char why[64];

    /* freeing an unanswered session sends CANCEL */
    snprintf(why, sizeof why, "no answer after %.0f s",
             (double)c->ring_ms / 1000.0);
    call_end(c, why);
}

int sip_line_dial(sip_line *l, const char *uri, const char *from,
                  double ring_seconds, ivr_error *err)
{
    sip_call *c;
    struct mbuf *desc = NULL;
    struct uri u;
    struct pl pl;
    char from_uri[256];
    int e;

    libre.pl_set_str(&pl, uri);
    if (libre.uri_decode(&u, &pl) != 0 ||
        libre.pl_strcasecmp(&u.scheme, "sip"))
        return ivr_error_set(err, IVR_EUSAGE, "--dial %s: a SIP URI, such as "
                             "sip:+15550104477@pbx.example", uri);
    if (!(c = calloc(1, sizeof *c)))
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    c->line = l;
    c->number = ++l->ncalls_made;
    c->outbound = 1;
    c->pt = c->event_pt = -1;
    libre.tmr_init(&c->tick);
    libre.tmr_init(&c->ring);
    pthread_mutex_init(&c->lock, NULL);
    snprintf(c->caller, sizeof c->caller, "%s", from);
    pl_copy(&u.user, c->called, sizeof c->called, "");
    c->next = l->calls;
    l->calls = c;
    l->stop_after_call = 1;
    libre.re_snprintf(from_uri, sizeof from_uri, "sip:%s@%J", from, &l->laddr);
    e = call_media(c);
    if (!e)
        e = libre.sdp_encode(&desc, c->sdp, true);
    if (!e)
        e = libre.sipsess_connect(&c->sess, l->sock, uri, from, from_uri, from,
                                  NULL, 0, "application/sdp", desc, NULL, NULL,
                                  false, on_offer, on_answer, on_progress,
                                  on_established, NULL, NULL, on_closed, c,
                                  NULL);
    libre.mem_deref(desc);
    if (e) {
        c->ended = 1;
        call_free(c);
        return ivr_error_set(err, IVR_EOUTPUT, "--dial %s: %s", uri,
                             strerror(e));
    }
    c->ring_ms = (uint64_t)(ring_seconds * 1000.0);
    libre.tmr_start(&c->ring, c->ring_ms, on_ring_timeout, c);
    return IVR_OK;
}

/* A REFER's progress comes back as NOTIFYs (RFC 3515 2.4.4): taken, and
 * not followed (the call ends when the REFER is answered). */
static bool on_request(const struct sip_msg *msg, void *arg)
{
    sip_line *l = arg;

    if (libre.pl_strcmp(&msg->met, "NOTIFY"))
        return false;
    (void)libre.sip_treply(NULL, l->sip, msg, 200, "OK");
    return true;
}

static void on_sip_closed(void *arg)
{
    (void)arg;
    libre.re_cancel();
}

static void on_give_up(void *arg)
{
    (void)arg;
    libre.re_cancel();
}

/* How long the BYEs of calls ended by a stop may take to be answered. */
#define CLOSE_WAIT_MS 2000

static void on_watch(void *arg)
{
    sip_line *l = arg;

    if (l->stop && !l->closing) {
        l->closing = 1;
        while (l->calls)
            call_end(l->calls, "interrupted");
        /* the BYEs' transactions finish (libre then calls on_sip_closed),
         * or the wait ends: the loop ends either way */
        libre.sip_close(l->sip, false);
        libre.tmr_start(&l->watch, CLOSE_WAIT_MS, on_give_up, l);
        return;
    }
    libre.tmr_start(&l->watch, 50, on_watch, l);
}

sip_line *sip_line_open(const char *listen, const sip_line_hooks *hooks,
                        ivr_error *err)
{
    sip_line *l;
    int e;

    if (libre_api_load(err) != IVR_OK)
        return NULL;
    if ((e = libre.libre_init()) != 0) {
        ivr_error_set(err, IVR_EINTERNAL, "libre: %s", strerror(e));
        return NULL;
    }
    /* libre's own warnings are not the user's business: the line
     * reports what matters, once */
    libre.dbg_init(DBG_ERR, 0);
    if (!(l = calloc(1, sizeof *l))) {
        libre.libre_close();
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    l->hooks = *hooks;
    libre.tmr_init(&l->watch);
    if (libre.sa_decode(&l->laddr, listen, strlen(listen)) != 0) {
        ivr_error_set(err, IVR_EUSAGE, "--sip-listen %s: an address and "
                      "port, such as 127.0.0.1:5060", listen);
        sip_line_close(l);
        return NULL;
    }
    e = libre.sip_alloc(&l->sip, NULL, 32, 32, 32, "ivrkit ivr-sim",
                        on_sip_closed, l);
    /* any address: the one this machine reaches others from, which the
     * SDP and the Contact header must name */
    if (!e && !libre.sa_isset(&l->laddr, SA_ADDR)) {
        uint16_t port = libre.sa_port(&l->laddr);
        e = libre.net_default_source_addr_get(AF_INET, &l->laddr);
        libre.sa_set_port(&l->laddr, port);
    }
    if (!e)
        e = libre.sip_transp_add(l->sip, SIP_TRANSP_UDP, &l->laddr);
    if (!e)
        e = libre.sip_transp_add(l->sip, SIP_TRANSP_TCP, &l->laddr);
    if (!e)
        e = libre.sip_listen(&l->lsnr, l->sip, true, on_request, l);
    if (!e)
        e = libre.sipsess_listen(&l->sock, l->sip, 32, on_invite, l);
    if (e) {
        ivr_error_set(err, IVR_EOUTPUT, "--sip-listen %s: %s", listen,
                      strerror(e));
        sip_line_close(l);
        return NULL;
    }
    return l;
}

int sip_line_run(sip_line *l, ivr_error *err)
{
    int e;

    libre.tmr_start(&l->watch, 50, on_watch, l);
    e = libre.re_main(NULL);
    if (e && !l->stop)
        return ivr_error_set(err, IVR_EOUTPUT, "the SIP line stopped: %s",
                             strerror(e));
    return IVR_OK;
}

void sip_line_stop(sip_line *l)
{
    l->stop = 1;
}

void sip_line_close(sip_line *l)
{
    if (!l)
        return;
    while (l->calls)
        call_end(l->calls, "interrupted");
    libre.tmr_cancel(&l->watch);
    libre.mem_deref(l->sock);
    libre.mem_deref(l->lsnr);
    /* the transports' sockets go now, not with the last transaction */
    if (l->sip)
        libre.sip_close(l->sip, true);
    libre.mem_deref(l->sip);
    free(l);
    libre.libre_close();
}

const char *sip_call_caller(const sip_call *c)
{
    return c->caller;
}

const char *sip_call_called(const sip_call *c)
{
    return c->called;
}

const char *sip_call_codec(const sip_call *c)
{
    return c->alaw ? "PCMA" : "PCMU";
}

int sip_call_number(const sip_call *c)
{
    return c->number;
}

int sip_call_answered(const sip_call *c)
{
    return c->established;
}

void sip_call_transfer(sip_call *c, const char *target)
{
    pthread_mutex_lock(&c->lock);
    snprintf(c->refer_to, sizeof c->refer_to, "%s", target);
    pthread_mutex_unlock(&c->lock);
}

void sip_line_set_transfer(sip_line *l, const char *uri_template)
{
    snprintf(l->transfer, sizeof l->transfer, "%s",
             uri_template ? uri_template : "");
}
