/*
 * sip_line.c: SIP calls answered and placed with libre: the sessions, the
 * SDP, REFERs either way. A call's audio is sip_media.c's, on the call's
 * own thread; the loop frees the call once that thread is done.
 */
#include "sip_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define WATCH_MS 50
/* a caller whose audio stops this long is gone (no BYE came) */
#define RTP_TIMEOUT_MS 10000
#define RTP_PORT_MIN 10000
#define RTP_PORT_MAX 30000

static void call_end(sip_call *c, const char *why);

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
        sip_media_ask_stop(c, "no audio from the caller for 10 s");
    libre.tmr_start(&c->tick, WATCH_MS, on_watch_call, c);
}

/* The peer refers us elsewhere (an IVR we called transfers us): taken
 * (202) and kept for the hooks, the call ends with the peer's BYE that
 * follows. The target is not called: the test is over there. */
static void on_peer_refer(struct sip *sip, const struct sip_msg *msg,
                          void *arg)
{
    sip_call *c = arg;
    const struct sip_hdr *h = libre.sip_msg_hdr(msg, SIP_HDR_REFER_TO);
    struct pl v;

    if (!h) {
        (void)libre.sip_treply(NULL, sip, msg, 400, "Missing Refer-To");
        return;
    }
    v = h->val;
    /* <sip:agent@pbx>;params: the URI inside the brackets */
    if (v.l && v.p[0] == '<') {
        const char *end = memchr(v.p, '>', v.l);
        v.p++;
        v.l = end ? (size_t)(end - v.p) : v.l - 1;
    }
    pthread_mutex_lock(&c->lock);
    snprintf(c->referred_to, sizeof c->referred_to, "%.*s", (int)v.l, v.p);
    pthread_mutex_unlock(&c->lock);
    (void)libre.sip_treply(NULL, sip, msg, 202, "Accepted");
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
    if (pthread_create(&c->thread, NULL, sip_media_run, c) != 0) {
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
        sip_media_ask_stop(c, why);
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
        sip_media_ask_stop(c, "interrupted");
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
                           RTP_PORT_MAX, false, sip_media_on_rtp, NULL, c);
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

/* The caller's number from the From header's URI: "" when it is withheld,
 * as RFC 3323 withholds it (sip:anonymous@anonymous.invalid; a PBX may keep
 * its own host) or with no user at all, so that a menu's {caller} is empty
 * as on a call with no --caller. */
static void caller_of(const struct uri *from, char *out, size_t size)
{
    if (!libre.pl_strcasecmp(&from->user, "anonymous") ||
        !libre.pl_strcasecmp(&from->host, "anonymous.invalid"))
        out[0] = '\0';
    else
        pl_copy(&from->user, out, size, "");
}

static int calls_in_progress(const sip_line *l)
{
    const sip_call *c;
    int n = 0;

    for (c = l->calls; c; c = c->next)
        n += !c->ended;
    return n;
}

void sip_line_set_max_calls(sip_line *l, int n)
{
    l->max_calls = n;
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
    if (l->max_calls > 0 && calls_in_progress(l) >= l->max_calls) {
        (void)libre.sip_treply(NULL, l->sip, msg, 486, "Busy Here");
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
    caller_of(&msg->from.uri, c->caller, sizeof c->caller);
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
                                   NULL, on_peer_refer, on_closed, c, NULL);
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

/* libre reads a port as 16 bits and wraps what is larger: 99999 would
 * listen on or call 34463 and say 99999. 1 when [from, end) is a number of
 * lowest to 65535. */
static int port_text_ok(const char *from, const char *end, long lowest)
{
    char *stop;
    long port = strtol(from, &stop, 10);

    return stop > from && stop == end && port >= lowest && port <= 65535;
}

int sip_uri_port_ok(const char *uri)
{
    const char *host = strchr(uri, '@'), *end, *colon;

    host = host ? host + 1 : strchr(uri, ':') ? strchr(uri, ':') + 1 : uri;
    end = host + strcspn(host, ";?>");
    if (*host == '[') {   /* [v6]:port */
        const char *close = memchr(host, ']', (size_t)(end - host));
        colon = close && close + 1 < end && close[1] == ':' ? close + 1
                                                             : NULL;
    } else {
        colon = memchr(host, ':', (size_t)(end - host));
    }
    return !colon || port_text_ok(colon + 1, end, 1);
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
    if (!sip_uri_port_ok(uri))
        return ivr_error_set(err, IVR_EUSAGE, "--dial %s: the port is not 1 "
                             "to 65535", uri);
    if (!(c = calloc(1, sizeof *c)))
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    c->line = l;
    c->number = ++l->ncalls_made;
    c->outbound = 1;
    c->pt = c->event_pt = -1;
    libre.tmr_init(&c->tick);
    libre.tmr_init(&c->ring);
    pthread_mutex_init(&c->lock, NULL);
    snprintf(c->caller, sizeof c->caller, "%s", from ? from : "");
    pl_copy(&u.user, c->called, sizeof c->called, "");
    c->next = l->calls;
    l->calls = c;
    l->stop_after_call = 1;
    if (from)
        libre.re_snprintf(from_uri, sizeof from_uri, "sip:%s@%J", from,
                          &l->laddr);
    else
        snprintf(from_uri, sizeof from_uri, "sip:anonymous@anonymous.invalid");
    e = call_media(c);
    if (!e)
        e = libre.sdp_encode(&desc, c->sdp, true);
    if (!e)
        e = libre.sipsess_connect(&c->sess, l->sock, uri,
                                  from ? from : "Anonymous", from_uri,
                                  from ? from : "anonymous",
                                  NULL, 0, "application/sdp", desc, NULL, NULL,
                                  false, on_offer, on_answer, on_progress,
                                  on_established, NULL, on_peer_refer,
                                  on_closed, c, NULL);
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
        sip_registration_end(l);
        /* the BYEs' and the unregistering's transactions finish (libre then calls on_sip_closed),
         * or the wait ends: the loop ends either way */
        libre.sip_close(l->sip, false);
        libre.tmr_start(&l->watch, CLOSE_WAIT_MS, on_give_up, l);
        return;
    }
    libre.tmr_start(&l->watch, 50, on_watch, l);
}

/* ADDR:PORT's port, or [V6]:PORT's: 0 (any: what --dial listens on) to
 * 65535. */
static int port_in_range(const char *addr)
{
    const char *colon = strrchr(addr, ':');

    if (!colon || (strchr(addr, '[') && !strstr(addr, "]:")))
        return 0;
    return port_text_ok(colon + 1, colon + 1 + strlen(colon + 1), 0);
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
    if (!port_in_range(listen) ||
        libre.sa_decode(&l->laddr, listen, strlen(listen)) != 0) {
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
    if (l->err.status != IVR_OK) {
        if (err)
            *err = l->err;
        return l->err.status;
    }
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
    sip_registration_end(l);
    libre.tmr_cancel(&l->watch);
    libre.mem_deref(l->sock);
    libre.mem_deref(l->lsnr);
    /* the transports' sockets go now, not with the last transaction */
    if (l->sip)
        libre.sip_close(l->sip, true);
    libre.mem_deref(l->sip);
    sip_registration_free(l);
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

void sip_call_referred_to(sip_call *c, char *out, size_t size)
{
    pthread_mutex_lock(&c->lock);
    snprintf(out, size, "%s", c->referred_to);
    pthread_mutex_unlock(&c->lock);
}
