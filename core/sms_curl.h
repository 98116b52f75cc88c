/*
 * sms_curl.h: the libcurl functions the gateway backends use, loaded when a
 * gateway is first configured (internal to core/sms). Only ivr-send-sms
 * and ivr-sim sending through Kannel or an HTTP gateway need libcurl and
 * its dependencies; everything else starts without them.
 */
#ifndef IVR_SMS_CURL_H
#define IVR_SMS_CURL_H

/* calls go through the table below, not curl's type-checking macros */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

#include "error.h"

typedef struct sms_curl_api {
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
    CURLcode (*easy_perform)(CURL *h);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode rc);
    char *(*easy_escape)(CURL *h, const char *s, int length);
    void (*easy_cleanup)(CURL *h);
    void (*free)(void *p);
    struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
    void (*slist_free_all)(struct curl_slist *l);
} sms_curl_api;

/* Filled by sms_curl_load. */
extern sms_curl_api sms_curl;

/* Loads libcurl once; IVR_OK, or IVR_EMISSING naming the package. */
int sms_curl_load(ivr_error *err);

#endif
