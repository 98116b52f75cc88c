/*
 * web_server.c: ivr-web's HTTP(S) side on libmicrohttpd (GnuTLS for TLS):
 * routes, forms, sessions, CSRF tokens and the headers every answer has.
 *
 * One thread serves every connection, so the record is used from one
 * thread; a redemption is exactly once whatever the threads, since the
 * store's UPDATE is (two ivr-web processes on one record included).
 * Sessions live in memory: a restart signs everyone out, which is what a
 * shop expects of a restart.
 */
#include "cli.h"
#include "web.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define MAX_SESSIONS 1024
#define SESSION_IDLE_S (30 * 60)
#define SESSION_MAX_S (8 * 60 * 60)
#define TOKEN_HEX 65          /* 32 random bytes as hex, and a NUL */
#define MAX_BODY 8192         /* a form is a few fields */
#define MAX_FIELD 256
/* connections at once, and from one address: a shopping centre's shops
 * behind one address are many, a flood from one is not */
#define MAX_CONNECTIONS 512u
#define MAX_CONNECTIONS_ADDRESS 128u

typedef struct session {
    char token[TOKEN_HEX], csrf[TOKEN_HEX];
    char name[65];
    account_role role;
    time_t created, seen;
} session;

typedef struct server {
    const web_opts *o;
    session sessions[MAX_SESSIONS];
    int tls;
} server;

/* a request's state between the calls libmicrohttpd makes for it */
typedef struct request {
    struct MHD_PostProcessor *pp;
    char user[MAX_FIELD], password[MAX_FIELD], serial[MAX_FIELD],
        csrf[MAX_FIELD];
    size_t body;
    int too_big;
} request;

static void random_token(char out[TOKEN_HEX])
{
    unsigned char b[32];

    randombytes_buf(b, sizeof b);
    sodium_bin2hex(out, TOKEN_HEX, b, sizeof b);
}

static int same_token(const char *a, const char *b)
{
    return strlen(a) == TOKEN_HEX - 1 && strlen(b) == TOKEN_HEX - 1 &&
           sodium_memcmp(a, b, TOKEN_HEX - 1) == 0;
}

static session *find_session(server *S, struct MHD_Connection *c)
{
    const char *t = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
                                                "session");
    time_t now = time(NULL);
    int i;

    if (!t)
        return NULL;
    for (i = 0; i < MAX_SESSIONS; i++) {
        session *s = &S->sessions[i];
        if (!s->token[0] || !same_token(s->token, t))
            continue;
        if (now - s->seen > SESSION_IDLE_S ||
            now - s->created > SESSION_MAX_S) {
            memset(s, 0, sizeof *s);
            return NULL;
        }
        s->seen = now;
        return s;
    }
    return NULL;
}

static session *new_session(server *S, const char *name, account_role role)
{
    time_t now = time(NULL), oldest = now + 1;
    int i, pick = 0;

    for (i = 0; i < MAX_SESSIONS; i++) {
        session *s = &S->sessions[i];
        if (!s->token[0] || now - s->seen > SESSION_IDLE_S) {
            pick = i;
            break;
        }
        if (s->seen < oldest) {
            oldest = s->seen;
            pick = i;
        }
    }
    memset(&S->sessions[pick], 0, sizeof S->sessions[pick]);
    random_token(S->sessions[pick].token);
    random_token(S->sessions[pick].csrf);
    snprintf(S->sessions[pick].name, sizeof S->sessions[pick].name, "%.64s",
             name);
    S->sessions[pick].role = role;
    S->sessions[pick].created = S->sessions[pick].seen = now;
    return &S->sessions[pick];
}

static void client_address(struct MHD_Connection *c, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    snprintf(out, size, "unknown");
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)
                               ->sin_addr, out, (socklen_t)size);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)
                                ->sin6_addr, out, (socklen_t)size);
}

/* The headers of every answer: nothing from elsewhere, no framing, no
 * guessing of types, nothing kept by caches; HSTS over TLS. */
static void secure_headers(server *S, struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; style-src 'self'; img-src "
                            "'self'; form-action 'self'; frame-ancestors "
                            "'none'; base-uri 'none'");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (S->tls)
        MHD_add_response_header(r, "Strict-Transport-Security",
                                "max-age=31536000");
}

static char no_body[1];

static enum MHD_Result answer(server *S, struct MHD_Connection *c,
                              unsigned status, const char *type, page *body,
                              const char *cookie, const char *location)
{
    struct MHD_Response *r;
    enum MHD_Result rc;

    if (body->oom) {
        free(body->s);
        body->s = NULL;
        body->len = 0;
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
    /* the page's buffer goes with the response */
    r = body->s ? MHD_create_response_from_buffer(body->len, body->s,
                                                  MHD_RESPMEM_MUST_FREE)
                : MHD_create_response_from_buffer(0, no_body,
                                                  MHD_RESPMEM_PERSISTENT);
    if (!r)
        free(body->s);
    if (!r)
        return MHD_NO;
    secure_headers(S, r);
    MHD_add_response_header(r, "Content-Type", type);
    if (cookie)
        MHD_add_response_header(r, "Set-Cookie", cookie);
    if (location)
        MHD_add_response_header(r, "Location", location);
    rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result html(server *S, struct MHD_Connection *c,
                            unsigned status, const char *title,
                            const session *s, const char *csrf, page *body,
                            const char *cookie)
{
    page whole = {0};

    page_html(&whole, title, s ? s->name : NULL, csrf,
              body->s ? body->s : "");
    whole.oom |= body->oom;
    free(body->s);
    return answer(S, c, status, "text/html; charset=utf-8", &whole, cookie,
                  NULL);
}

static enum MHD_Result error_page(server *S, struct MHD_Connection *c,
                                  unsigned status, const char *what)
{
    page body = {0};

    page_add(&body, "<p class=\"error\" role=\"alert\">");
    page_escaped(&body, what);
    page_add(&body, "</p><p><a href=\"/\">Start again</a></p>");
    return html(S, c, status, "ivrkit merchant site", NULL, "", &body, NULL);
}

static enum MHD_Result redirect(server *S, struct MHD_Connection *c,
                                const char *to, const char *cookie)
{
    page empty = {0};

    return answer(S, c, MHD_HTTP_SEE_OTHER, "text/plain", &empty, cookie,
                  to);
}

static char *cookie_for(server *S, const char *name, const char *value,
                        int max_age)
{
    static char buf[256];

    snprintf(buf, sizeof buf, "%s=%s; Path=/; Max-Age=%d; HttpOnly; "
             "SameSite=Strict%s", name, value, max_age,
             S->tls ? "; Secure" : "");
    return buf;
}

static enum MHD_Result field(void *cls, enum MHD_ValueKind kind,
                             const char *key, const char *filename,
                             const char *type, const char *encoding,
                             const char *data, uint64_t off, size_t size)
{
    request *rq = cls;
    char *to = !strcmp(key, "user") ? rq->user
             : !strcmp(key, "password") ? rq->password
             : !strcmp(key, "serial") ? rq->serial
             : !strcmp(key, "csrf") ? rq->csrf : NULL;

    (void)kind;
    (void)filename;
    (void)type;
    (void)encoding;
    if (!to)
        return MHD_YES;
    if (off + size >= MAX_FIELD) {
        rq->too_big = 1;
        return MHD_YES;
    }
    memcpy(to + off, data, size);
    to[off + size] = '\0';
    return MHD_YES;
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
        random_token(csrf);
    body_sign_in(&body, csrf, message);
    return html(S, c, status, "Sign in", NULL, csrf, &body,
                cookie_for(S, "signin", csrf, 3600));
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

    if (!expected || !same_token(expected, rq->csrf))
        return error_page(S, c, MHD_HTTP_FORBIDDEN, "This form has expired "
                          "or did not come from this site. Sign in again.");
    client_address(c, address, sizeof address);
    if (accounts_sign_in(S->o->accounts, rq->user, rq->password, address,
                         &role, &err) != IVR_OK)
        return sign_in_page(S, c, err.status == IVR_EFAIL
                                      ? err.message
                                      : "The site cannot sign you in now.",
                            MHD_HTTP_UNAUTHORIZED);
    s = new_session(S, rq->user, role);
    return redirect(S, c, "/", cookie_for(S, "session", s->token,
                                          SESSION_MAX_S));
}

static enum MHD_Result home(server *S, struct MHD_Connection *c,
                            session *s)
{
    page body = {0};

    if (s->role == ROLE_PROMOTER) {
        if (body_stats(&body, S->o->store, NULL) != 0)
            body.oom = 1;
        return html(S, c, MHD_HTTP_OK, "Promotions", s, s->csrf, &body,
                    NULL);
    }
    body_redeem_form(&body, s->csrf, NULL, "");
    return html(S, c, MHD_HTTP_OK, "Redeem a coupon", s, s->csrf, &body,
                NULL);
}

static enum MHD_Result lookup(server *S, struct MHD_Connection *c,
                              session *s, request *rq)
{
    char address[64];
    coupon_info info;
    ivr_error err;
    page body = {0};

    client_address(c, address, sizeof address);
    if (coupon_lookup(S->o->store, rq->serial, s->name, address, &info,
                      &err) != IVR_OK) {
        body_redeem_form(&body, s->csrf, err.message, rq->serial);
        return html(S, c, err.status == IVR_EFAIL ? MHD_HTTP_OK
                                                  : MHD_HTTP_INTERNAL_SERVER_ERROR,
                    "Redeem a coupon", s, s->csrf, &body, NULL);
    }
    body_coupon(&body, s->csrf, &info,
                accounts_accepts(S->o->accounts, s->name, info.promotion));
    return html(S, c, MHD_HTTP_OK, "Redeem a coupon", s, s->csrf, &body,
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

    client_address(c, address, sizeof address);
    rc = redeem_serial(S, rq->serial, s->name, address, &info, &not_taken,
                       &err);
    if (not_taken)
        ivr_error_set(&err, IVR_EFAIL, "Your shop does not take the "
                      "promotion '%s'.", info.promotion);
    body_redeemed(&body, s->csrf, info.serial, err.message, rc == IVR_OK);
    return html(S, c, MHD_HTTP_OK, "Redeem a coupon", s, s->csrf, &body,
                NULL);
}

static enum MHD_Result stats(server *S, struct MHD_Connection *c, session *s,
                             const char *what)
{
    const char *promotion = MHD_lookup_connection_value(
        c, MHD_GET_ARGUMENT_KIND, "promotion");
    page body = {0};

    if (!strcmp(what, "/stats") && !promotion)
        return home(S, c, s);
    if (!promotion || !*promotion || strlen(promotion) > 128)
        return error_page(S, c, MHD_HTTP_BAD_REQUEST, "Which promotion?");
    if (!strcmp(what, "/chart.svg")) {
        if (chart_svg(&body, S->o->store, promotion) != 0)
            body.oom = 1;
        return answer(S, c, MHD_HTTP_OK, "image/svg+xml", &body, NULL, NULL);
    }
    if (!strcmp(what, "/stats.csv")) {
        struct MHD_Response *r;
        enum MHD_Result rc;
        if (stats_csv(&body, S->o->store, promotion) != 0 || body.oom) {
            free(body.s);
            return error_page(S, c, MHD_HTTP_INTERNAL_SERVER_ERROR,
                              "The record cannot be read now.");
        }
        r = MHD_create_response_from_buffer(body.len, body.s,
                                            MHD_RESPMEM_MUST_COPY);
        free(body.s);
        if (!r)
            return MHD_NO;
        secure_headers(S, r);
        MHD_add_response_header(r, "Content-Type", "text/csv; charset=utf-8");
        MHD_add_response_header(r, "Content-Disposition",
                                "attachment; filename=\"promotion.csv\"");
        rc = MHD_queue_response(c, MHD_HTTP_OK, r);
        MHD_destroy_response(r);
        return rc;
    }
    if (body_stats(&body, S->o->store, promotion) != 0)
        body.oom = 1;
    return html(S, c, MHD_HTTP_OK, "Promotions", s, s->csrf, &body, NULL);
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
    const char *key = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
                                                  "key");
    const char *from = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
                                                   "from");
    const char *text = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
                                                   "text");
    char merchant[128], address[64];
    coupon_info info;
    ivr_error err;
    page reply = {0};
    int not_taken;

    if (!carries_sms_key(S, key))
        return error_page(S, c, MHD_HTTP_FORBIDDEN, "No.");
    if (!from || !text)
        return error_page(S, c, MHD_HTTP_BAD_REQUEST, "from and text, please");
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
    return answer(S, c, MHD_HTTP_OK, "text/plain; charset=utf-8", &reply,
                  NULL, NULL);
}

/* A delivery report from Kannel (the dlr-url ivr-send-sms gives it):
 * /dlr?key=KEY&msg=MESSAGE-KEY&status=%d. */
static enum MHD_Result delivery_report(server *S, struct MHD_Connection *c)
{
    const char *key = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
                                                  "key");
    const char *msg = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
                                                  "msg");
    const char *kind = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
                                                   "status");
    ivr_error err;
    page reply = {0};
    char *end;
    long k;

    if (!carries_sms_key(S, key))
        return error_page(S, c, MHD_HTTP_FORBIDDEN, "No.");
    k = kind ? strtol(kind, &end, 10) : 0;
    if (!msg || !kind || *end ||
        sms_report(S->o->sms, msg, (int)k, &err) != IVR_OK) {
        page_add(&reply, msg && kind && !*end ? err.message
                                              : "msg and status, please");
        return answer(S, c, MHD_HTTP_BAD_REQUEST, "text/plain", &reply,
                      NULL, NULL);
    }
    page_add(&reply, "ok");
    return answer(S, c, MHD_HTTP_OK, "text/plain", &reply, NULL, NULL);
}

/* ----------------------------------------------------------------------
 * Dispatch
 */

static enum MHD_Result route(server *S, struct MHD_Connection *c,
                             const char *url, int post, request *rq)
{
    session *s = find_session(S, c);

    if (!post && !strcmp(url, "/style.css")) {
        page css = {0};
        page_add(&css, web_style_css);
        return answer(S, c, MHD_HTTP_OK, "text/css", &css, NULL, NULL);
    }
    if (!strcmp(url, "/login"))
        return post ? do_sign_in(S, c, rq)
                    : sign_in_page(S, c, NULL, MHD_HTTP_OK);
    if (!post && !strcmp(url, "/sms"))
        return sms_redeem(S, c);
    if (!post && !strcmp(url, "/dlr"))
        return delivery_report(S, c);
    if (!s)
        return post ? error_page(S, c, MHD_HTTP_FORBIDDEN, "You are signed "
                                 "out. Sign in again.")
                    : redirect(S, c, "/login", NULL);
    /* every form of a session carries its token: a page elsewhere cannot
     * make the browser post one */
    if (post && !same_token(s->csrf, rq->csrf))
        return error_page(S, c, MHD_HTTP_FORBIDDEN, "This form has expired "
                          "or did not come from this site.");
    if (post && !strcmp(url, "/logout")) {
        memset(s, 0, sizeof *s);
        return redirect(S, c, "/login", cookie_for(S, "session", "", 0));
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
    return error_page(S, c, MHD_HTTP_NOT_FOUND, "There is no such page.");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_size, void **state)
{
    server *S = cls;
    request *rq = *state;
    int post = !strcmp(method, "POST");

    (void)version;
    if (!post && strcmp(method, "GET") && strcmp(method, "HEAD"))
        return error_page(S, c, MHD_HTTP_METHOD_NOT_ALLOWED,
                          "This site takes GET and POST only.");
    if (!rq) {
        if (!(rq = calloc(1, sizeof *rq)))
            return MHD_NO;
        *state = rq;
        if (post && !(rq->pp = MHD_create_post_processor(c, 4096, field,
                                                         rq)))
            rq->too_big = -1;   /* not a form: answered once it is read */
        return MHD_YES;
    }
    if (post && *upload_size) {
        rq->body += *upload_size;
        if (rq->body > MAX_BODY)
            rq->too_big = 1;
        else if (rq->pp)
            MHD_post_process(rq->pp, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->too_big > 0)
        return error_page(S, c, MHD_HTTP_CONTENT_TOO_LARGE,
                          "That form is too large.");
    if (rq->too_big < 0)
        return error_page(S, c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                          "Send the site's own forms.");
    return route(S, c, url, post, rq);
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
                    enum MHD_RequestTerminationCode why)
{
    request *rq = *state;

    (void)cls;
    (void)c;
    (void)why;
    if (!rq)
        return;
    if (rq->pp)
        MHD_destroy_post_processor(rq->pp);
    sodium_memzero(rq->password, sizeof rq->password);
    free(rq);
    *state = NULL;
}

int web_serve(const web_opts *o)
{
    server *S = calloc(1, sizeof *S);
    struct MHD_Daemon *d;
    struct sockaddr_in6 a6;
    struct sockaddr_in a4;
    const struct sockaddr *sa;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;

    if (!S) {
        cli_error("out of memory");
        return IVR_EINTERNAL;
    }
    S->o = o;
    S->tls = o->cert_pem != NULL;
    memset(&a4, 0, sizeof a4);
    memset(&a6, 0, sizeof a6);
    if (inet_pton(AF_INET, o->host, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((unsigned short)o->port);
        sa = (const struct sockaddr *)&a4;
    } else if (inet_pton(AF_INET6, o->host, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((unsigned short)o->port);
        sa = (const struct sockaddr *)&a6;
        flags |= MHD_USE_IPv6;
    } else {
        free(S);
        return cli_usage_error("--listen: '%s' is not an IP address",
                               o->host);
    }
    if (S->tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
        free(S);
        cli_error("this libmicrohttpd has no TLS (install Debian's "
                  "libmicrohttpd12, built with GnuTLS)");
        return IVR_EMISSING;
    }
    if (S->tls)
        flags |= MHD_USE_TLS;
    d = S->tls
        ? MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, on_request,
                           S, MHD_OPTION_SOCK_ADDR, sa,
                           MHD_OPTION_NOTIFY_COMPLETED, on_done, S,
                           MHD_OPTION_CONNECTION_LIMIT, MAX_CONNECTIONS,
                           MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                           MAX_CONNECTIONS_ADDRESS,
                           MHD_OPTION_CONNECTION_TIMEOUT, 15u,
                           MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                           (size_t)65536,
                           MHD_OPTION_HTTPS_MEM_KEY, o->key_pem,
                           MHD_OPTION_HTTPS_MEM_CERT, o->cert_pem,
                           MHD_OPTION_END)
        : MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, on_request,
                           S, MHD_OPTION_SOCK_ADDR, sa,
                           MHD_OPTION_NOTIFY_COMPLETED, on_done, S,
                           MHD_OPTION_CONNECTION_LIMIT, MAX_CONNECTIONS,
                           MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                           MAX_CONNECTIONS_ADDRESS,
                           MHD_OPTION_CONNECTION_TIMEOUT, 15u,
                           MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                           (size_t)65536, MHD_OPTION_END);
    if (!d) {
        free(S);
        cli_error("cannot listen on %s port %d (in use, or the certificate "
                  "and key do not go together)", o->host, o->port);
        return IVR_EOUTPUT;
    }
    if (!o->quiet)
        printf("ivr-web: listening on %s://%s:%d/\n", S->tls ? "https"
                                                             : "http",
               o->host, o->port);
    fflush(stdout);
    cli_catch_interrupts();
    while (!cli_interrupted())
        pause();
    MHD_stop_daemon(d);
    sodium_memzero(S, sizeof *S);
    free(S);
    return IVR_OK;
}
