/*
 * curl_api.h: the libcurl functions core uses (the SMS gateways, a menu's
 * fetch), loaded on first use (internal to core). Only a call that sends
 * through Kannel or an HTTP gateway, or asks a backend, needs libcurl and
 * its dependencies; everything else starts without them.
 */
#ifndef IVR_CURL_API_H
#define IVR_CURL_API_H

/* calls go through the table below, not curl's type-checking macros */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

#include "error.h"

typedef struct curl_api_table {
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
} curl_api_table;

/* Filled by curl_api_load. */
extern curl_api_table curl_api;

/* Loads libcurl once; IVR_OK, or IVR_EMISSING naming the package. */
int curl_api_load(ivr_error *err);

#endif
