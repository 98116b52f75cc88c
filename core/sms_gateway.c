/*
 * sms_gateway.c: one HTTP request to a gateway over libcurl, and what its
 * outcome means for a retry (shared by the kannel and http backends).
 */
#include "sms_backend.h"

#include <curl/curl.h>
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
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(c->timeout * 1000));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(c->timeout * 1000));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    rc = curl_easy_perform(h);
    *code = 0;
    if (rc != CURLE_OK) {
        snprintf(answer, size, "%s", curl_easy_strerror(rc));
        /* nothing reached the gateway: safe to try again */
        if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST)
            return SMS_TRANSIENT;
        if (rc == CURLE_OPERATION_TIMEDOUT)
            return idempotent ? SMS_TRANSIENT : SMS_AMBIGUOUS;
        return SMS_TRANSIENT;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, code);
    chomp(buf);
    snprintf(answer, size, "%ld %s", *code, buf);
    if (*code >= 500 || *code == 429)
        return SMS_TRANSIENT;
    if (*code >= 400)
        return SMS_REJECTED;
    return SMS_SENT;
}

