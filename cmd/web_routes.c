/*
 * web_routes.c: what each of ivr-web's addresses does: signing in, a
 * merchant's look-up and redemption, a promoter's figures, and Kannel's
 * redemptions by SMS and delivery reports.
 */
#include "web_http.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The query string's value of name, or NULL. */
static const char *query(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

/* ----------------------------------------------------------------------
 * The pages
 */

static enum MHD_Result sign_in_page(server *S, struct MHD_Connection *c,
                                    const char *message, unsigned status)
{
    char csrf[TOKEN_HEX];
    page body = {0};

    const char *had = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
                                                  "signin");

    /* before a session there is no session's token: the form's token is
     * a cookie's too, and the two must agree (a double-submit token). A
     * browser that loads the page again (a second tab, a prefetch) keeps
     * its token, or the first form would no longer match. */
    if (had && strlen(had) == TOKEN_HEX - 1 &&
        strspn(had, "0123456789abcdef") == TOKEN_HEX - 1)
        snprintf(csrf, sizeof csrf, "%s", had);
    else
        web_random_token(csrf);
    body_sign_in(&body, csrf, message);
    return web_html(S, c, status, "Sign in", NULL, csrf, &body,
                    web_cookie(S, "signin", csrf, 3600));
}

static enum MHD_Result do_sign_in(server *S, struct MHD_Connection *c,
                                  request *rq)
{
    const char *expected = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
                                                       "signin");
    char address[64];
    account_role role;
    ivr_error err;
    session *s;

    if (!expected || !web_same_token(expected, rq->csrf))
        return web_error_page(S, c, MHD_HTTP_FORBIDDEN, "This form has "
                              "expired or did not come from this site. Sign "
                              "in again.");
    web_client_address(c, address, sizeof address);
    if (accounts_sign_in(S->o->accounts, rq->user, rq->password, address,
                         &role, &err) != IVR_OK)
        return sign_in_page(S, c, err.status == IVR_EFAIL
                                      ? err.message
                                      : "The site cannot sign you in now.",
                            MHD_HTTP_UNAUTHORIZED);
    s = web_new_session(S, rq->user, role);
    return web_redirect(S, c, "/", web_cookie(S, "session", s->token,
                        SESSION_MAX_S));
}

static enum MHD_Result home(server *S, struct MHD_Connection *c,
                            session *s)
{
    page body = {0};

    if (s->role == ROLE_PROMOTER) {
        if (body_stats(&body, S->o->store, NULL) != 0)
            body.oom = 1;
        return web_html(S, c, MHD_HTTP_OK, "Promotions", s, s->csrf, &body,
                        NULL);
    }
    body_redeem_form(&body, s->csrf, NULL, "");
    return web_html(S, c, MHD_HTTP_OK, "Redeem a coupon", s, s->csrf, &body,
                    NULL);
}

static enum MHD_Result lookup(server *S, struct MHD_Connection *c,
                              session *s, request *rq)
{
    char address[64];
    coupon_info info;
    ivr_error err;
    page body = {0};

    web_client_address(c, address, sizeof address);
    if (coupon_lookup(S->o->store, rq->serial, s->name, address, &info,
                      &err) != IVR_OK) {
        body_redeem_form(&body, s->csrf, err.message, rq->serial);
        return web_html(S, c, err.status == IVR_EFAIL ? MHD_HTTP_OK
                        : MHD_HTTP_INTERNAL_SERVER_ERROR,
                        "Redeem a coupon", s, s->csrf, &body, NULL);
    }
    body_coupon(&body, s->csrf, &info,
                accounts_accepts(S->o->accounts, s->name, info.promotion));
    return web_html(S, c, MHD_HTTP_OK, "Redeem a coupon", s, s->csrf, &body,
                    NULL);
}

/* Redeems typed for merchant, the form's way and the SMS's alike: looked
 * up again (what was sent is not what was shown), its promotion one the
 * shop takes, and the look-up, the redemption and their log one write.
 * IVR_OK; IVR_EFAIL with *not_taken set when the shop does not take the
 * promotion (info says which); another status with err otherwise. */
static int redeem_serial(server *S, const char *typed, const char *merchant,
                         const char *address, coupon_info *info,
                         int *not_taken, ivr_error *err)
{
    int rc;

    *not_taken = 0;
    memset(info, 0, sizeof *info);
    if ((rc = coupon_store_transaction(S->o->store, 1, err)) != IVR_OK)
        return rc;
    rc = coupon_lookup(S->o->store, typed, merchant, address, info, err);
    if (rc == IVR_OK &&
        !accounts_accepts(S->o->accounts, merchant, info->promotion)) {
        *not_taken = 1;
        rc = IVR_EFAIL;
    }
    if (rc == IVR_OK)
        rc = coupon_redeem_from(S->o->store, typed, merchant, address, err);
    if (coupon_store_transaction(S->o->store, 0, rc == IVR_OK ? err : NULL)
            != IVR_OK && rc == IVR_OK)
        rc = err->status;
    return rc;
}

static enum MHD_Result redeem(server *S, struct MHD_Connection *c,
                              session *s, request *rq)
{
    char address[64];
    coupon_info info;
    ivr_error err;
    page body = {0};
    int rc, not_taken;

    web_client_address(c, address, sizeof address);
    rc = redeem_serial(S, rq->serial, s->name, address, &info, &not_taken,
                       &err);
    if (not_taken)
        ivr_error_set(&err, IVR_EFAIL, "Your shop does not take the "
                      "promotion '%s'.", info.promotion);
    body_redeemed(&body, s->csrf, info.serial, err.message, rc == IVR_OK);
    return web_html(S, c, MHD_HTTP_OK, "Redeem a coupon", s, s->csrf, &body,
                    NULL);
}

static enum MHD_Result stats(server *S, struct MHD_Connection *c, session *s,
                             const char *what)
{
    const char *promotion = query(c, "promotion");
    page body = {0};

    if (!strcmp(what, "/stats") && !promotion)
        return home(S, c, s);
    if (!promotion || !*promotion || strlen(promotion) > 128)
        return web_error_page(S, c, MHD_HTTP_BAD_REQUEST, "Which promotion?");
    if (!strcmp(what, "/chart.svg")) {
        if (chart_svg(&body, S->o->store, promotion) != 0)
            body.oom = 1;
        return web_answer(S, c, MHD_HTTP_OK, "image/svg+xml", &body, NULL,
                          NULL);
    }
    if (!strcmp(what, "/stats.csv")) {
        struct MHD_Response *r;
        enum MHD_Result rc;
        if (stats_csv(&body, S->o->store, promotion) != 0 || body.oom) {
            free(body.s);
            return web_error_page(S, c, MHD_HTTP_INTERNAL_SERVER_ERROR,
                                  "The record cannot be read now.");
        }
        r = MHD_create_response_from_buffer(body.len, body.s,
                                            MHD_RESPMEM_MUST_COPY);
        free(body.s);
        if (!r)
            return MHD_NO;
        web_secure_headers(S, r);
        MHD_add_response_header(r, "Content-Type", "text/csv; charset=utf-8");
        MHD_add_response_header(r, "Content-Disposition",
                                "attachment; filename=\"promotion.csv\"");
        rc = MHD_queue_response(c, MHD_HTTP_OK, r);
        MHD_destroy_response(r);
        return rc;
    }
    if (body_stats(&body, S->o->store, promotion) != 0)
        body.oom = 1;
    return web_html(S, c, MHD_HTTP_OK, "Promotions", s, s->csrf, &body, NULL);
}

/* Kannel's requests (its sms-service, its delivery reports) carry the key
 * the site was started with; without --sms-key there are none. */
static int carries_sms_key(const server *S, const char *key)
{
    return S->o->sms_key && key && strlen(key) == strlen(S->o->sms_key) &&
           sodium_memcmp(key, S->o->sms_key, strlen(key)) == 0;
}

/* Kannel's sms-service: a merchant's "REDEEM 7K2M-Q9XD-4TB8" from its
 * registered number; the answer's text is the reply SMS. The request must
 * carry the key the site was started with (Kannel's get-url holds it), and
 * the serials a number sends are throttled as an address's are. */
static enum MHD_Result sms_redeem(server *S, struct MHD_Connection *c)
{
    const char *key = query(c, "key");
    const char *from = query(c, "from");
    const char *text = query(c, "text");
    char merchant[128], address[64];
    coupon_info info;
    ivr_error err;
    page reply = {0};
    int not_taken;

    if (!carries_sms_key(S, key))
        return web_error_page(S, c, MHD_HTTP_FORBIDDEN, "No.");
    if (!from || !text)
        return web_error_page(S, c, MHD_HTTP_BAD_REQUEST,
                              "from and text, please");
    while (*text == ' ')
        text++;
    if (!strncasecmp(text, "redeem", 6))
        text += 6;
    snprintf(address, sizeof address, "sms:%.58s", from);
    if (accounts_merchant_by_phone(S->o->accounts, from, merchant,
                                   sizeof merchant, &err) != IVR_OK) {
        page_add(&reply, "This number is not a shop's. Ask the promoter to "
                         "register it.");
    } else if (redeem_serial(S, text, merchant, address, &info, &not_taken,
                             &err) == IVR_OK) {
        page_addf(&reply, "Redeemed %s (%s). Give the discount.",
                  info.serial, info.promotion);
    } else if (not_taken) {
        page_addf(&reply, "%s is for %s, which your shop does not take.",
                  info.serial, info.promotion);
    } else {
        page_add(&reply, err.message);
    }
    return web_answer(S, c, MHD_HTTP_OK, "text/plain; charset=utf-8", &reply,
                      NULL, NULL);
}

/* A delivery report from Kannel (the dlr-url ivr-send-sms gives it):
 * /dlr?key=KEY&msg=MESSAGE-KEY&status=%d. */
static enum MHD_Result delivery_report(server *S, struct MHD_Connection *c)
{
    const char *key = query(c, "key");
    const char *msg = query(c, "msg");
    const char *kind = query(c, "status");
    ivr_error err;
    page reply = {0};
    char *end;
    long k;

    if (!carries_sms_key(S, key))
        return web_error_page(S, c, MHD_HTTP_FORBIDDEN, "No.");
    k = kind ? strtol(kind, &end, 10) : 0;
    if (!msg || !kind || *end ||
        sms_report(S->o->sms, msg, (int)k, &err) != IVR_OK) {
        page_add(&reply, msg && kind && !*end ? err.message
                                              : "msg and status, please");
        return web_answer(S, c, MHD_HTTP_BAD_REQUEST, "text/plain", &reply,
                          NULL, NULL);
    }
    page_add(&reply, "ok");
    return web_answer(S, c, MHD_HTTP_OK, "text/plain", &reply, NULL, NULL);
}

/* ----------------------------------------------------------------------
 * Dispatch
 */

enum MHD_Result web_route(server *S, struct MHD_Connection *c,
                          const char *url, int post, request *rq)
{
    session *s = web_find_session(S, c);

    if (!post && !strcmp(url, "/style.css")) {
        page css = {0};
        page_add(&css, web_style_css);
        return web_answer(S, c, MHD_HTTP_OK, "text/css", &css, NULL, NULL);
    }
    if (!strcmp(url, "/login"))
        return post ? do_sign_in(S, c, rq)
                    : sign_in_page(S, c, NULL, MHD_HTTP_OK);
    if (!post && !strcmp(url, "/sms"))
        return sms_redeem(S, c);
    if (!post && !strcmp(url, "/dlr"))
        return delivery_report(S, c);
    if (!s)
        return post ? web_error_page(S, c, MHD_HTTP_FORBIDDEN, "You are "
                                     "signed out. Sign in again.")
                    : web_redirect(S, c, "/login", NULL);
    /* every form of a session carries its token: a page elsewhere cannot
     * make the browser post one */
    if (post && !web_same_token(s->csrf, rq->csrf))
        return web_error_page(S, c, MHD_HTTP_FORBIDDEN, "This form has "
                              "expired or did not come from this site.");
    if (post && !strcmp(url, "/logout")) {
        memset(s, 0, sizeof *s);
        return web_redirect(S, c, "/login", web_cookie(S, "session", "", 0));
    }
    if (!post && !strcmp(url, "/"))
        return home(S, c, s);
    if (s->role == ROLE_MERCHANT && post && !strcmp(url, "/lookup"))
        return lookup(S, c, s, rq);
    if (s->role == ROLE_MERCHANT && post && !strcmp(url, "/redeem"))
        return redeem(S, c, s, rq);
    if (s->role == ROLE_PROMOTER && !post &&
        (!strcmp(url, "/stats") || !strcmp(url, "/chart.svg") ||
         !strcmp(url, "/stats.csv")))
        return stats(S, c, s, url);
    return web_error_page(S, c, MHD_HTTP_NOT_FOUND, "There is no such page.");
}

