/*
 * web.h: what ivr-web's files share (ivr-web.c: options and accounts;
 * web_server.c: HTTP, sessions and forms; web_routes.c: what each address
 * does; web_pages.c: the pages).
 */
#ifndef IVR_WEB_H
#define IVR_WEB_H

#include "accounts.h"
#include "coupon.h"
#include "sms.h"

#include <stddef.h>

/* A page being written: text that grows, and whether memory ran out. */
typedef struct page {
    char *s;
    size_t len, cap;
    int oom;
} page;

void page_add(page *p, const char *s);
void page_addf(page *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* s with & < > " ' as entities: every value a page shows goes through it */
void page_escaped(page *p, const char *s);

/* A whole HTML page around body (already escaped), titled title. */
void page_html(page *p, const char *title, const char *who,
               const char *csrf, const char *body);

/* The pages' bodies. csrf goes into every form. */
void body_sign_in(page *p, const char *csrf, const char *message);
void body_redeem_form(page *p, const char *csrf, const char *message,
                      const char *typed);
void body_coupon(page *p, const char *csrf, const coupon_info *c,
                 int accepted);
void body_redeemed(page *p, const char *csrf, const char *serial,
                   const char *message, int ok);
int body_stats(page *p, coupon_store *store, const char *promotion);
int chart_svg(page *p, coupon_store *store, const char *promotion);
int stats_csv(page *p, coupon_store *store, const char *promotion);

extern const char web_style_css[];

/* The server: listens until interrupted. */
typedef struct web_opts {
    const char *host;
    int port;
    const char *cert_pem, *key_pem;   /* contents; NULL: plain HTTP */
    coupon_store *store;
    accounts *accounts;
    const char *sms_key;   /* what Kannel's get-url and dlr-url carry;
                            * NULL: no redemption by SMS, no reports */
    sms_sender *sms;       /* the record's messages, for reports */
    int quiet;
} web_opts;

int web_serve(const web_opts *o);

#endif
