/*
 * libre_api.h: libre, the SIP stack under baresip, loaded on first use
 * (internal to core: the SIP line). It brings OpenSSL with it, which
 * ivr-sim's other modes, and its start-up, do without: every call into it
 * goes through the table below, as libcurl's through curl_api.h.
 */
#ifndef IVR_LIBRE_API_H
#define IVR_LIBRE_API_H

#include "error.h"

/* what re.h takes for granted */
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <re.h>
/* libre's debug header wants its module and level named */
#define DEBUG_MODULE "sip_line"
#define DEBUG_LEVEL 3
#include <re_dbg.h>

#define LIBRE_FUNCTIONS(X) \
    X(dbg_init) X(libre_close) X(libre_init) X(mem_deref) \
    X(net_default_source_addr_get) X(pl_set_str) X(pl_strcasecmp) \
    X(rand_u16) X(rand_u32) X(re_cancel) X(re_main) X(re_snprintf) \
    X(rtp_listen) X(rtp_local) X(rtp_sock) X(sa_af) X(sa_decode) \
    X(sa_isset) X(sa_port) X(sa_set_port) X(sdp_decode) X(sdp_encode) \
    X(sdp_format_add) X(sdp_media_add) X(sdp_media_raddr) \
    X(sdp_media_rformat) X(sdp_session_alloc) X(sip_alloc) X(sip_close) \
    X(sip_transp_add) X(sip_treply) X(sipsess_accept) X(sipsess_connect) \
    X(sipsess_listen) X(tmr_cancel) X(tmr_init) X(tmr_jiffies) \
    X(tmr_start) X(udp_sock_fd) X(uri_decode) X(sip_drequestf) \
    X(sipsess_dialog) X(sip_listen) X(pl_strcmp) \
    X(sip_msg_hdr) X(sipreg_register) X(str_dup)

typedef struct libre_table {
#define LIBRE_MEMBER(f) __typeof__(&f) f;
    LIBRE_FUNCTIONS(LIBRE_MEMBER)
#undef LIBRE_MEMBER
} libre_table;

/* Filled by libre_api_load. */
extern libre_table libre;

/* Loads libre once; IVR_OK, or IVR_EMISSING naming the package. */
int libre_api_load(ivr_error *err);

#endif
