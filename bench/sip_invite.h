/*
 * sip_invite.h: the INVITE both SIP stacks' benchmarks parse (see
 * bench/sip-stacks.sh): what a softphone sends, with its SDP offer.
 */
#ifndef IVR_BENCH_SIP_INVITE_H
#define IVR_BENCH_SIP_INVITE_H

static const char sip_invite[] =
    "INVITE sip:pharmacy@127.0.0.1:5060 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK6a1f0c2d;rport\r\n"
    "Max-Forwards: 70\r\n"
    "To: <sip:pharmacy@127.0.0.1:5060>\r\n"
    "From: \"Caller\" <sip:+15550104477@127.0.0.1>;tag=8e1c5a7b\r\n"
    "Call-ID: 4f2b9d7e1a6c3b58\r\n"
    "CSeq: 12345 INVITE\r\n"
    "Contact: <sip:+15550104477@127.0.0.1:5062;transport=udp>\r\n"
    "User-Agent: baresip v2.9.0 (x86_64/linux)\r\n"
    "Allow: INVITE,ACK,BYE,CANCEL,OPTIONS,NOTIFY,SUBSCRIBE,INFO,MESSAGE,"
    "REFER\r\n"
    "Supported: replaces,norefersub\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 232\r\n"
    "\r\n"
    "v=0\r\n"
    "o=- 1280912537 2831902121 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "c=IN IP4 127.0.0.1\r\n"
    "t=0 0\r\n"
    "m=audio 10000 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n";

#endif
