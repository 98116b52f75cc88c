/*
 * bench_sip_sofia.c: sofia-sip, the other SIP stack Debian has, measured
 * as bench_sip_libre.c measures libre (see bench/sip-stacks.sh).
 *
 *   bench-sip-sofia PORT N
 */
#include <sofia-sip/msg.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/sdp.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "sip_invite.h"

static void on_event(nua_event_t event, int status, char const *phrase,
                     nua_t *nua, nua_magic_t *magic, nua_handle_t *nh,
                     nua_hmagic_t *hmagic, sip_t const *sip, tagi_t tags[])
{
    (void)status; (void)phrase; (void)nua; (void)nh; (void)hmagic;
    (void)sip; (void)tags;
    if (event == nua_r_shutdown && status >= 200)
        su_root_break((su_root_t *)magic);
}

/* The INVITE's offer: whether it takes mu-law. */
static int parse_offer(su_home_t *home, const sip_t *sip)
{
    sdp_parser_t *p;
    sdp_session_t *s;
    sdp_rtpmap_t *r;
    int found = 0;

    if (!sip->sip_payload)
        return -1;
    p = sdp_parse(home, sip->sip_payload->pl_data, sip->sip_payload->pl_len,
                  0);
    s = sdp_session(p);
    for (r = s && s->sdp_media ? s->sdp_media->m_rtpmaps : NULL; r;
         r = r->rm_next)
        found |= !strcmp(r->rm_encoding, "PCMU");
    sdp_parser_free(p);
    return found ? 0 : -1;
}

int main(int argc, char **argv)
{
    su_root_t *root;
    su_home_t home[1] = {SU_HOME_INIT(home)};
    nua_t *nua;
    char url[64];
    double t0;
    long i, n;
    int port;

    if (argc != 3 || (port = atoi(argv[1])) <= 0 || (n = atol(argv[2])) <= 0) {
        fprintf(stderr, "usage: bench-sip-sofia PORT N\n");
        return 2;
    }
    snprintf(url, sizeof url, "sip:127.0.0.1:%d", port);
    t0 = now();
    su_init();
    root = su_root_create(NULL);
    nua = root ? nua_create(root, on_event, (nua_magic_t *)root,
                            NUTAG_URL(url), TAG_END())
               : NULL;
    if (!nua) {
        fprintf(stderr, "bench-sip-sofia: no stack on 127.0.0.1:%d\n", port);
        return 1;
    }
    nua_shutdown(nua);
    su_root_run(root);
    nua_destroy(nua);
    su_root_destroy(root);
    printf("up_down_ms %.3f\n", (now() - t0) * 1e3);

    t0 = cpu_now();
    for (i = 0; i < n; i++) {
        msg_t *msg = msg_make(sip_default_mclass(), 0, sip_invite,
                              sizeof sip_invite - 1);
        sip_t *sip = msg ? sip_object(msg) : NULL;
        if (!sip || !sip->sip_request || parse_offer(home, sip) != 0) {
            fprintf(stderr, "bench-sip-sofia: the INVITE did not parse\n");
            return 1;
        }
        msg_destroy(msg);
    }
    printf("parse_ns %.0f\n", (cpu_now() - t0) * 1e9 / n);
    printf("rss_kb %ld\n", peak_rss_kb());
    su_home_deinit(home);
    su_deinit();
    return 0;
}
