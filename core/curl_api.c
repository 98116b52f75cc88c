/*
 * curl_api.c: libcurl, loaded on first use.
 */
#include "curl_api.h"
#include "lazy.h"

curl_api_table curl_api;

int curl_api_load(ivr_error *err)
{
#define SYM(name, member) {name, offsetof(curl_api_table, member)}
    static const lazy_symbol syms[] = {
        SYM("curl_easy_init", easy_init),
        SYM("curl_easy_setopt", easy_setopt),
        SYM("curl_easy_perform", easy_perform),
        SYM("curl_easy_getinfo", easy_getinfo),
        SYM("curl_easy_strerror", easy_strerror),
        SYM("curl_easy_escape", easy_escape),
        SYM("curl_easy_cleanup", easy_cleanup),
        SYM("curl_free", free),
        SYM("curl_slist_append", slist_append),
        SYM("curl_slist_free_all", slist_free_all),
    };
#undef SYM
    static int status = -1;

    return lazy_load_once(&status, "libcurl.so.4", "libcurl4", syms,
                          sizeof syms / sizeof *syms, &curl_api, err);
}
