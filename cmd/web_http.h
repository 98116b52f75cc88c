/*
 * web_http.h: what ivr-web's server (web_server.c: HTTP, sessions, forms)
 * and its routes (web_routes.c: what each address does) share.
 */
#ifndef IVR_WEB_HTTP_H
#define IVR_WEB_HTTP_H

#include "web.h"

#include <microhttpd.h>
#include <time.h>

#define MAX_SESSIONS 1024
#define SESSION_IDLE_S (30 * 60)
#define SESSION_MAX_S (8 * 60 * 60)
#define TOKEN_HEX 65          /* 32 random bytes as hex, and a NUL */
#define MAX_BODY 8192         /* a form is a few fields */
#define MAX_FIELD 256

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

/* 32 random bytes as hex, from libsodium */
void web_random_token(char out[TOKEN_HEX]);
/* a and b are both tokens and the same, compared in constant time */
int web_same_token(const char *a, const char *b);
/* the request's signed-in session, or NULL (expired ones are ended) */
session *web_find_session(server *S, struct MHD_Connection *c);
/* a new session for name, in the oldest or an idle slot */
session *web_new_session(server *S, const char *name, account_role role);
void web_client_address(struct MHD_Connection *c, char *out, size_t size);
/* The headers every answer has (see web_server.c). */
void web_secure_headers(server *S, struct MHD_Response *r);
/* Queues body (whose buffer it takes) with the headers every answer has. */
enum MHD_Result web_answer(server *S, struct MHD_Connection *c,
                           unsigned status, const char *type, page *body,
                           const char *cookie, const char *location);
/* body inside the site's page, titled title, for session s (or NULL) */
enum MHD_Result web_html(server *S, struct MHD_Connection *c,
                         unsigned status, const char *title,
                         const session *s, const char *csrf, page *body,
                         const char *cookie);
enum MHD_Result web_error_page(server *S, struct MHD_Connection *c,
                               unsigned status, const char *what);
enum MHD_Result web_redirect(server *S, struct MHD_Connection *c,
                             const char *to, const char *cookie);
/* A Set-Cookie value (in a static buffer: use it before the next call). */
char *web_cookie(server *S, const char *name, const char *value,
                 int max_age);

/* What the address url (GET, or POST with the form rq) answers. */
enum MHD_Result web_route(server *S, struct MHD_Connection *c,
                          const char *url, int post, request *rq);

#endif
