/*
 * sip_internal.h: a SIP call's state, shared by the signalling
 * (sip_line.c, on libre's loop) and the media (sip_media.c, on the call's
 * own thread); not public.
 *
 * The loop owns the session, the RTP socket and the call's memory; the
 * thread owns the clock and what it sends. What both touch (the jitter
 * buffer of audio received, the keys received, where to send, the request
 * to stop, a REFER's target) is under the call's lock.
 */
#ifndef IVR_SIP_INTERNAL_H
#define IVR_SIP_INTERNAL_H

#include "sip_line.h"
#include "libre_api.h"
#include "sip_jitter.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>

/* RFC 4733's payload format name (libre's telev_rtpfmt, a variable) */
#define TELEPHONE_EVENT "telephone-event"

#define SIP_FRAME_MS 20
#define SIP_MAX_KEYS 64

/* A key being sent as a telephone event (RFC 4733 2.5.1). */
typedef struct sip_event_out {
    char key;                   /* 0: none */
    uint32_t ts;                /* the event's timestamp: where it began */
    int sent, length;           /* samples told so far, samples in all */
    int ends_left;              /* end packets still to send (three) */
} sip_event_out;

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
    sip_event_out event;        /* the key going out now */
    long rtp_frames, rtp_late;  /* sent, and sent off their slot */
    double rtp_worst_ms;
    struct {
        char key;
        int ms;
    } keys_out[SIP_MAX_KEYS];   /* keys waiting to go out */
    int nkeys_out;
    /* shared with it, under lock */
    pthread_mutex_t lock;
    sip_jitter jitter;
    char keys[SIP_MAX_KEYS];
    int nkeys;
    int stop_asked, done;
    char stop_why[96];
    char refer_to[256];         /* a transfer's target, for the REFER */
    char referred_to[256];      /* the target of a REFER the peer sent */
    struct sa peer;             /* where the call's INVITE came from */
    struct sip_request *refer;
};

typedef struct sip_registration sip_registration;

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
    int max_calls;              /* busy beyond this many (0: no limit) */
    char transfer[256];         /* sip_line_set_transfer's template */
    sip_registration *registration;
    ivr_error err;              /* why the line stopped by itself */
};

/* sip_register.c */

/* Unregisters, as the line stops. */
void sip_registration_end(sip_line *l);
/* Forgets the credentials, once the stack is closed. */
void sip_registration_free(sip_line *l);

/* sip_media.c */

/* libre's RTP handler: the caller's audio into the jitter buffer, its
 * keys. */
void sip_media_on_rtp(const struct sa *src, const struct rtp_header *hdr,
                      struct mbuf *mb, void *arg);
/* The call's thread (pthread_create's start). */
void *sip_media_run(void *arg);
/* Asks the call's thread to end the call, for why (the first asking
 * wins). */
void sip_media_ask_stop(sip_call *c, const char *why);

#endif
