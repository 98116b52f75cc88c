/*
 * http_live.c: a menu's fetch asked of the real web service, through
 * libcurl (loaded on first use).
 */
#include "http.h"
#include "curl_api.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* an answer bigger than this is not a menu's data */
#define MAX_ANSWER_BYTES (1 << 20)

typedef struct answer {
    char *buf;
    size_t len;
    int too_big;
} answer;

static size_t keep(char *p, size_t size, size_t n, void *user)
{
    answer *a = user;
    size_t add = size * n;
    char *grown;

    if (a->len + add > MAX_ANSWER_BYTES) {
        a->too_big = 1;
        return 0;
    }
    if (!(grown = realloc(a->buf, a->len + add + 1)))
        return 0;
    a->buf = grown;
    memcpy(a->buf + a->len, p, add);
    a->len += add;
    a->buf[a->len] = '\0';
    return add;
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

int http_fetch_live(const http_request *rq, http_response *rs,
                    ivr_error *err)
{
    struct curl_slist *headers = NULL;
    answer a = {NULL, 0, 0};
    double start = now_ms();
    long code = 0;
    CURLcode rc;
    CURL *h;

    memset(rs, 0, sizeof *rs);
    if (curl_api_load(err) != IVR_OK)
        return HTTP_NO_ANSWER;
    if (!(h = curl_api.easy_init())) {
        ivr_error_set(err, IVR_EINTERNAL, "libcurl: cannot start a request");
        return HTTP_NO_ANSWER;
    }
    headers = curl_api.slist_append(headers, "Accept: application/json");
    if (rq->body) {
        headers = curl_api.slist_append(headers,
                                        "Content-Type: application/json");
        curl_api.easy_setopt(h, CURLOPT_POSTFIELDS, rq->body);
    }
    curl_api.easy_setopt(h, CURLOPT_URL, rq->url);
    curl_api.easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_api.easy_setopt(h, CURLOPT_WRITEFUNCTION, keep);
    curl_api.easy_setopt(h, CURLOPT_WRITEDATA, &a);
    curl_api.easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)rq->timeout_ms);
    curl_api.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    /* a menu asks its own services: no redirects to elsewhere, no other
     * schemes than the two a URL of it may have */
    curl_api.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    rc = curl_api.easy_perform(h);
    rs->ms = now_ms() - start;
    if (rc == CURLE_OK)
        curl_api.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_api.slist_free_all(headers);
    curl_api.easy_cleanup(h);
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        ivr_error_set(err, IVR_EFAIL, "timeout after %gs",
                      rq->timeout_ms / 1000.0);
    } else if (a.too_big) {
        ivr_error_set(err, IVR_EFAIL, "an answer over 1 MB");
    } else if (rc != CURLE_OK) {
        ivr_error_set(err, IVR_EFAIL, "%s", curl_api.easy_strerror(rc));
    } else {
        rs->status = (int)code;
        rs->body = a.buf ? a.buf : strdup("");
        return rs->body ? HTTP_ANSWERED : HTTP_NO_ANSWER;
    }
    free(a.buf);
    return HTTP_NO_ANSWER;
}
