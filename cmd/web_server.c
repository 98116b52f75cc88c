/*
 * web_server.c: ivr-web's HTTP(S) side on libmicrohttpd (GnuTLS for TLS):
 * forms, sessions, CSRF tokens and the headers every answer has; what each
 * address does is web_routes.c's.
 *
 * One thread serves every connection, so the record is used from one
 * thread; a redemption is exactly once whatever the threads, since the
 * store's UPDATE is (two ivr-web processes on one record included).
 * Sessions live in memory: a restart signs everyone out, which is what a
 * shop expects of a restart.
 */
#include "cli.h"
#include "web_http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* connections at once, and from one address: a shopping centre's shops
 * behind one address are many, a flood from one is not */
#define MAX_CONNECTIONS 512u
#define MAX_CONNECTIONS_ADDRESS 128u

void web_random_token(char out[TOKEN_HEX])
{
    unsigned char b[32];

    randombytes_buf(b, sizeof b);
    sodium_bin2hex(out, TOKEN_HEX, b, sizeof b);
}

int web_same_token(const char *a, const char *b)
{
    return strlen(a) == TOKEN_HEX - 1 && strlen(b) == TOKEN_HEX - 1 &&
           sodium_memcmp(a, b, TOKEN_HEX - 1) == 0;
}

session *web_find_session(server *S, struct MHD_Connection *c)
{
    const char *t = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
                                                "session");
    time_t now = time(NULL);
    int i;

    if (!t)
        return NULL;
    for (i = 0; i < MAX_SESSIONS; i++) {
        session *s = &S->sessions[i];
        if (!s->token[0] || !web_same_token(s->token, t))
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

session *web_new_session(server *S, const char *name, account_role role)
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
    web_random_token(S->sessions[pick].token);
    web_random_token(S->sessions[pick].csrf);
    snprintf(S->sessions[pick].name, sizeof S->sessions[pick].name, "%.64s",
             name);
    S->sessions[pick].role = role;
    S->sessions[pick].created = S->sessions[pick].seen = now;
    return &S->sessions[pick];
}

void web_client_address(struct MHD_Connection *c, char *out, size_t size)
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
void web_secure_headers(server *S, struct MHD_Response *r)
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

enum MHD_Result web_answer(server *S, struct MHD_Connection *c,
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
    web_secure_headers(S, r);
    MHD_add_response_header(r, "Content-Type", type);
    if (cookie)
        MHD_add_response_header(r, "Set-Cookie", cookie);
    if (location)
        MHD_add_response_header(r, "Location", location);
    rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

enum MHD_Result web_html(server *S, struct MHD_Connection *c,
                         unsigned status, const char *title,
                         const session *s, const char *csrf, page *body,
                         const char *cookie)
{
    page whole = {0};

    page_html(&whole, title, s ? s->name : NULL, csrf,
              body->s ? body->s : "");
    whole.oom |= body->oom;
    free(body->s);
    return web_answer(S, c, status, "text/html; charset=utf-8", &whole, cookie,
                      NULL);
}

enum MHD_Result web_error_page(server *S, struct MHD_Connection *c,
                               unsigned status, const char *what)
{
    page body = {0};

    page_add(&body, "<p class=\"error\" role=\"alert\">");
    page_escaped(&body, what);
    page_add(&body, "</p><p><a href=\"/\">Start again</a></p>");
    return web_html(S, c, status, "ivrkit merchant site", NULL, "", &body,
                    NULL);
}

enum MHD_Result web_redirect(server *S, struct MHD_Connection *c,
                             const char *to, const char *cookie)
{
    page empty = {0};

    return web_answer(S, c, MHD_HTTP_SEE_OTHER, "text/plain", &empty, cookie,
                      to);
}

char *web_cookie(server *S, const char *name, const char *value,
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
        return web_error_page(S, c, MHD_HTTP_METHOD_NOT_ALLOWED,
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
        return web_error_page(S, c, MHD_HTTP_CONTENT_TOO_LARGE,
                              "That form is too large.");
    if (rq->too_big < 0)
        return web_error_page(S, c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                              "Send the site's own forms.");
    return web_route(S, c, url, post, rq);
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
