/*
 * sms_gateway.c: one HTTP request to a gateway over libcurl, and what its
 * outcome means for a retry (shared by the kannel and http backends).
 */
#include "sms_backend.h"
#include "curl_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct body {
    char *buf;
    size_t len, size;
} body;

static size_t keep(char *p, size_t sz, size_t n, void *user)
{
    body *b = user;
    size_t m = sz * n, room = b->size - b->len - 1;

    if (m > room)
        m = room;
    memcpy(b->buf + b->len, p, m);
    b->len += m;
    b->buf[b->len] = '\0';
    return sz * n;
}

static void chomp(char *s)
{
    size_t n = strlen(s);

    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

/* Runs a prepared request; classifies what happened. */
sms_outcome sms_perform(void *curl, const sms_config *c, int idempotent,
                        char *answer, size_t size, long *code)
{
    CURL *h = curl;
    char buf[512];
    body b = {buf, 0, sizeof buf};
    CURLcode rc;

    buf[0] = '\0';
    curl_api.easy_setopt(h, CURLOPT_WRITEFUNCTION, keep);
    curl_api.easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_api.easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(c->timeout * 1000));
    curl_api.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(c->timeout * 1000));
    curl_api.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    rc = curl_api.easy_perform(h);
    *code = 0;
    if (rc != CURLE_OK) {
        snprintf(answer, size, "%s", curl_api.easy_strerror(rc));
        switch (rc) {
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            /* nothing reached the gateway: safe to try again */
            return SMS_TRANSIENT;
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
            /* nothing was sent, and trying again will not change that */
            return SMS_REJECTED;
        default:
            /* a timeout, a reset, an empty or cut-off reply: the request
             * may have reached the gateway, which may have sent the SMS.
             * Only a gateway that knows the idempotency key can be asked
             * again without the risk of a second SMS. */
            return idempotent ? SMS_TRANSIENT : SMS_AMBIGUOUS;
        }
    }
    curl_api.easy_getinfo(h, CURLINFO_RESPONSE_CODE, code);
    chomp(buf);
    snprintf(answer, size, "%ld %s", *code, buf);
    if (*code >= 500 || *code == 429)
        return SMS_TRANSIENT;
    /* a redirect is not followed: the gateway lives at another address,
     * and nothing was sent */
    if (*code >= 300)
        return SMS_REJECTED;
    return SMS_SENT;
}

