/*
 * bench_sip_libre.c: libre, the SIP stack ivr-sim uses, measured as
 * bench/sip-stacks.sh compares it with sofia-sip: the CPU to parse an
 * INVITE with its SDP (the SIP message and the offer, as a call's answer
 * needs both), and the time to bring a stack up listening on UDP and TCP
 * and take it down.
 *
 *   bench-sip-libre PORT N
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <re.h>   /* after what it takes for granted */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "sip_invite.h"

/* The INVITE's offer (the body msg->mb is left at): whether it takes
 * mu-law. */
static int parse_offer(const struct sip_msg *msg, struct sdp_session *sdp,
                       struct sdp_media *m)
{
    size_t pos = msg->mb->pos;
    int err = sdp_decode(sdp, msg->mb, true);

    msg->mb->pos = pos;
    return err || !sdp_media_rformat(m, "PCMU") ? EPROTO : 0;
}

int main(int argc, char **argv)
{
    struct mbuf *mb;
    struct sip *sip = NULL;
    struct sdp_session *sdp = NULL;
    struct sdp_media *m = NULL;
    struct sa laddr;
    double t0;
    long i, n;
    int port;

    if (argc != 3 || (port = atoi(argv[1])) <= 0 || (n = atol(argv[2])) <= 0) {
        fprintf(stderr, "usage: bench-sip-libre PORT N\n");
        return 2;
    }
    t0 = now();
    if (libre_init() != 0 || sa_set_str(&laddr, "127.0.0.1", port) != 0 ||
        sip_alloc(&sip, NULL, 32, 32, 32, "bench", NULL, NULL) != 0 ||
        sip_transp_add(sip, SIP_TRANSP_UDP, &laddr) != 0 ||
        sip_transp_add(sip, SIP_TRANSP_TCP, &laddr) != 0) {
        fprintf(stderr, "bench-sip-libre: no stack on 127.0.0.1:%d\n", port);
        return 1;
    }
    sip_close(sip, true);
    sip = mem_deref(sip);
    printf("up_down_ms %.3f\n", (now() - t0) * 1e3);

    mb = mbuf_alloc(sizeof sip_invite);
    if (!mb || sdp_session_alloc(&sdp, &laddr) != 0 ||
        sdp_media_add(&m, sdp, "audio", 10000, "RTP/AVP") != 0 ||
        sdp_format_add(NULL, m, false, "0", "PCMU", 8000, 1, NULL, NULL,
                       NULL, false, NULL) != 0)
        return 1;
    mbuf_write_mem(mb, (const uint8_t *)sip_invite, sizeof sip_invite - 1);
    t0 = cpu_now();
    for (i = 0; i < n; i++) {
        struct sip_msg *msg = NULL;
        mb->pos = 0;
        if (sip_msg_decode(&msg, mb) != 0 || parse_offer(msg, sdp, m) != 0) {
            fprintf(stderr, "bench-sip-libre: the INVITE did not parse\n");
            return 1;
        }
        mem_deref(msg);
    }
    printf("parse_ns %.0f\n", (cpu_now() - t0) * 1e9 / n);
    printf("rss_kb %ld\n", peak_rss_kb());
    mem_deref(mb);
    mem_deref(sdp);
    libre_close();
    return 0;
}
