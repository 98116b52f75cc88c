/*
 * http.h: the questions a menu's fetch asks a web service, answered live
 * (libcurl, loaded on first use) or from fixtures (files of canned
 * answers, so tests and replays get the same answer every run).
 *
 * A fixture is a line:
 *
 *   http GET "http://bank.test/accounts/41234567" answer "{\"balance\": 12}"
 *   http GET "http://bank.test/accounts/9*" status 404 answer "{}"
 *   http POST "http://bank.test/cards/block" answer file "blocked.json"
 *   http GET "http://bank.test/slow" delay 4s answer "{}"
 *   http GET "http://bank.test/down" fail "connection refused"
 *
 * matched by method and URL (* matches any characters); the first line
 * that matches answers. A request no line matches is an error that names
 * it: a test must say what its backend answers.
 */
#ifndef IVR_HTTP_H
#define IVR_HTTP_H

#include <stddef.h>

#include "error.h"

typedef struct http_request {
    const char *method;      /* "GET" or "POST" */
    const char *url;
    const char *body;        /* POST: a JSON object; NULL for GET */
    double timeout_ms;
} http_request;

typedef struct http_response {
    int status;              /* 200, 404, ... */
    char *body;              /* malloc'ed, NUL-terminated */
    double ms;               /* how long the answer took */
} http_response;

/* How a fetch went: an answer (of any status), no answer (a timeout, a
 * refused connection: the menu's `on error` decides), or no fixture for
 * the request (the test is incomplete: the call ends with an error). */
enum { HTTP_ANSWERED = 0, HTTP_NO_ANSWER = -1, HTTP_NO_FIXTURE = -2 };

void http_response_free(http_response *rs);

/* Asks the web service. err says why there was no answer ("timeout after
 * 3s", "cannot connect: Connection refused"); IVR_EMISSING in err when
 * libcurl cannot be loaded. */
int http_fetch_live(const http_request *rq, http_response *rs,
                    ivr_error *err);

typedef struct http_fixtures http_fixtures;

http_fixtures *http_fixtures_new(void);
/* Reads fixture lines from a file, or from every *.http file of a folder
 * in name order. IVR_EINPUT "file:line:col: message" on a bad line. */
int http_fixtures_load(http_fixtures *f, const char *path, ivr_error *err);
/* One fixture line ("http GET ..."), at file:line_no (a call script's own
 * fixtures); dir is where `answer file` names are found. */
int http_fixtures_add(http_fixtures *f, const char *line, const char *file,
                      int line_no, const char *dir, ivr_error *err);
int http_fixtures_count(const http_fixtures *f);
/* 1 when url, or url with its %XX escapes undone, matches pattern (*
 * matches any characters): a fixture or an expectation may name a caller
 * "+15550102020" as written, where the request carries "%2B15550102020". */
int http_url_matches(const char *pattern, const char *url);
/* Answers rq from the first fixture that matches. A delay beyond the
 * request's timeout is a timeout. */
int http_fixtures_fetch(const http_fixtures *f, const http_request *rq,
                        http_response *rs, ivr_error *err);
/* http_fixtures_fetch for the engine's fetch hook (user: the fixtures). */
int http_fixtures_hook(void *user, const http_request *rq, http_response *rs,
                       ivr_error *err);
void http_fixtures_free(http_fixtures *f);

#endif
