/*
 * sip_line.h: a telephone line for the engine. It answers SIP calls (UDP
 * and TCP, through libre, the stack under baresip), carries each call's
 * audio as G.711 RTP (mu-law or A-law, whichever the caller offers first)
 * in 20 ms packets, and the caller's keys sent as RFC 4733 events; key
 * tones sent in the audio stay in it, for the engine's own receiver.
 *
 * Each call runs on a thread of its own, paced by its own clock, a frame
 * every 20 ms; the hooks below are called on the call's thread (one call's
 * hooks never run at the same time, two calls' may).
 */
#ifndef IVR_SIP_LINE_H
#define IVR_SIP_LINE_H

#include <stddef.h>

#include "error.h"

typedef struct sip_line sip_line;
typedef struct sip_call sip_call;

typedef struct sip_line_hooks {
    /* A call was answered (or a call placed was): the call's own pointer,
     * given back to the hooks below, or NULL to hang up at once. */
    void *(*incoming)(sip_call *c, void *user);
    /* 20 ms of a call: in holds the caller's 160 samples at 8 kHz (zeros
     * where no packet came in time), out gets the IVR's. 1 to go on, 0 to
     * hang up (the line sends BYE). */
    int (*frame)(void *call, const float *in, float *out);
    /* A key the caller pressed, sent as a telephone event. */
    void (*key)(void *call, char key);
    /* The call is over (why: "caller hung up", or what was lost); its
     * pointer is not given again. */
    void (*ended)(void *call, const char *why);
    /* A call placed was not answered (why: "486 Busy Here", "no answer
     * after 30 s"). Called on the line's thread: there is no call's. */
    void (*unanswered)(const char *why, void *user);
    /* sip_line_register's news, on the line's thread: ok 1, the address
     * is registered at registrar (first, and again after a loss); ok 0,
     * a refresh failed for why and the line goes on trying. */
    void (*registration)(int ok, const char *aor, const char *detail,
                         void *user);
    void *user;
} sip_line_hooks;

/* Listens on listen ("127.0.0.1:5060"; port 0: one the system picks;
 * address 0.0.0.0: the one this machine reaches others from). IVR_EUSAGE
 * for an address that will not do, IVR_EOUTPUT when it cannot be
 * listened on. */
sip_line *sip_line_open(const char *listen, const sip_line_hooks *hooks,
                        ivr_error *err);

/* 1 when the SIP URI's host names no port, or a port of 1 to 65535; 0 for
 * one that is out of range or not a number (a SIP stack reads a port as
 * 16 bits: 99999 would be 34463). */
int sip_uri_port_ok(const char *uri);

/* Places a call to uri ("sip:+15550104477@pbx.example") from the user
 * from (NULL: a withheld number, RFC 3323's "Anonymous"
 * <sip:anonymous@anonymous.invalid>), ringing it for at most
 * ring_seconds. The hooks' incoming is
 * called when it is answered and ended when it is over, or unanswered.
 * The line stops when the call is over. IVR_EUSAGE for a URI that will
 * not do. */
int sip_line_dial(sip_line *l, const char *uri, const char *from,
                  double ring_seconds, ivr_error *err);

/* At most n calls at once (0: no limit): a call beyond them is answered
 * 486 Busy Here, as a PBX's trunk full, rather than slowing every call
 * in progress. */
void sip_line_set_max_calls(sip_line *l, int n);

/* Registers the line as aor ("sip:pharmacy@pbx.example", its host the
 * registrar) and keeps it registered, answering a digest challenge with
 * the address's user and password (NULL: none). The registrar answers
 * while the line runs: a refusal before the first success stops it, and
 * sip_line_run returns IVR_EFAIL naming the status and the registrar.
 * IVR_EUSAGE for an address that will not do. */
int sip_line_register(sip_line *l, const char *aor, const char *password,
                      ivr_error *err);

/* Where a menu's `transfer "TARGET"` sends the caller: a SIP URI with
 * {target} in it ("sip:{target}@pbx.example"). Without one, a target
 * that is a SIP URI is used as it is, and any other is a user at the
 * caller's own address (the PBX that sent the call). */
void sip_line_set_transfer(sip_line *l, const char *uri_template);

/* Answers calls until sip_line_stop, then ends those in progress (BYE)
 * and returns. IVR_OK, or an error. */
int sip_line_run(sip_line *l, ivr_error *err);

/* Asks the line to stop: safe in a signal handler. */
void sip_line_stop(sip_line *l);

void sip_line_close(sip_line *l);

/* The caller's number or name (the From header's user part; "" for a
 * withheld number: none, or RFC 3323's anonymous), the number called (the
 * request URI's user), the codec. */
const char *sip_call_caller(const sip_call *c);
const char *sip_call_called(const sip_call *c);
const char *sip_call_codec(const sip_call *c);
/* The call's number on this line: 1, 2, ... */
int sip_call_number(const sip_call *c);
/* 1 once the call was answered (a call placed may end before). */
int sip_call_answered(const sip_call *c);
/* From the call's hooks: when the call ends, the caller is referred to
 * target (a SIP REFER, RFC 3515) before the BYE. */
void sip_call_transfer(sip_call *c, const char *target);

/* From the call's hooks: key (0-9 * # A-D) goes out as an RFC 4733
 * telephone event lasting ms, after any still going; the call's audio
 * pauses while it does. -1 when the peer takes no telephone events (send
 * the tone in the audio instead) or too many wait. */
int sip_call_send_key(sip_call *c, char key, int ms);

/* How the call's RTP kept time so far: frames sent, those sent more than
 * 2 ms after their 20 ms slot, and the latest one (ms). From the call's
 * hooks. */
void sip_call_rtp_timing(const sip_call *c, long *frames, long *late,
                         double *worst_ms);

/* What came of the caller's RTP so far: packets received, lost on the
 * way (missing sequence numbers), come too late to play. */
void sip_call_rtp_received(sip_call *c, long *packets, long *lost,
                           long *late);

/* The target of a REFER the peer sent ("sip:agent@pbx"; "" for none):
 * an IVR that was called transferred the call. */
void sip_call_referred_to(sip_call *c, char *out, size_t size);

#endif
