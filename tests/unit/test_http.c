/*
 * test_http.c: fixture lines for a menu's fetch: what they parse into,
 * which one answers a request, delays against timeouts, and every class of
 * mistake with its exact text.
 */
#include "http.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *add_error(const char *line)
{
    static ivr_error err;
    http_fixtures *f = http_fixtures_new();

    ivr_error_clear(&err);
    if (http_fixtures_add(f, line, "f.http", 3, ".", &err) == IVR_OK)
        snprintf(err.message, sizeof err.message, "(accepted)");
    http_fixtures_free(f);
    return err.message;
}

static void expect_error(const char *line, const char *want)
{
    const char *got = add_error(line);

    if (!ok(!strcmp(got, want), "%s", want))
        diag("got: %s", got);
}

int main(void)
{
    http_fixtures *f = http_fixtures_new();
    http_request rq = {"GET", "https://bank.test/v1/accounts/41234567/balance",
                       NULL, 3000};
    http_response rs;
    ivr_error err;
    char dir[] = "/tmp/ivr-test-http.XXXXXX", path[600];
    FILE *out;

    ok(http_fixtures_add(f, "http GET \"*/accounts/9*\" status 503 answer "
                            "\"{}\"", "f.http", 1, ".", &err) == IVR_OK &&
       http_fixtures_add(f, "  http GET \"*/accounts/4*/balance\" delay 1s "
                            "answer \"{\\\"balance\\\": 12}\"",
                         "f.http", 2, ".", &err) == IVR_OK &&
       http_fixtures_add(f, "http GET \"*/slow\" delay 4s answer \"{}\"",
                         "f.http", 3, ".", &err) == IVR_OK &&
       http_fixtures_add(f, "http POST \"*/block\" fail \"connection "
                            "refused\"", "f.http", 4, ".", &err) == IVR_OK &&
       http_fixtures_add(f, "# a comment", "f.http", 5, ".", &err) == IVR_OK &&
       http_fixtures_count(f) == 4, "four fixture lines and a comment");

    ok(http_fixtures_fetch(f, &rq, &rs, &err) == HTTP_ANSWERED &&
       rs.status == 200 && !strcmp(rs.body, "{\"balance\": 12}") &&
       rs.ms == 1000, "the matching line answers, after its delay");
    http_response_free(&rs);
    rq.url = "https://bank.test/v1/accounts/91234567/balance";
    ok(http_fixtures_fetch(f, &rq, &rs, &err) == HTTP_ANSWERED &&
       rs.status == 503, "the first line that matches answers: a 503");
    http_response_free(&rs);
    rq.url = "https://bank.test/slow";
    ok(http_fixtures_fetch(f, &rq, &rs, &err) == HTTP_NO_ANSWER &&
       !strcmp(err.message, "timeout after 3s") && rs.ms == 3000,
       "a delay past the timeout is a timeout, at the timeout");
    rq.method = "POST";
    rq.url = "https://bank.test/block";
    ok(http_fixtures_fetch(f, &rq, &rs, &err) == HTTP_NO_ANSWER &&
       !strcmp(err.message, "connection refused"), "fail: no answer at all");
    rq.method = "GET";
    ok(http_fixtures_fetch(f, &rq, &rs, &err) == HTTP_NO_FIXTURE &&
       !strcmp(err.message, "no fixture answers GET https://bank.test/block "
               "(add a line such as: http GET \"https://bank.test/block\" "
               "answer \"{}\")"),
       "the method counts: no fixture, and the line to add");
    http_fixtures_free(f);

    /* a number as the menu says it, as the request carries it */
    ok(http_url_matches("*/appointments/+15550002222",
                        "http://h/appointments/%2B15550002222") &&
       http_url_matches("*/appointments/%2B15550002222",
                        "http://h/appointments/%2B15550002222") &&
       http_url_matches("*/find?name=Ann Lee", "http://h/find?name=Ann%20Lee"),
       "a fixture's URL matches the request as written or with its escapes "
       "undone");
    ok(!http_url_matches("*/appointments/+15550002222",
                         "http://h/appointments/%2B15550003333") &&
       !http_url_matches("*/a%2Fb", "http://h/a/b") &&
       !http_url_matches("*/x", "http://h/x%00"),
       "... and nothing else: not another number, not an escape the request "
       "lacks, not a NUL");

    expect_error("http GET \"*\"",
                 "f.http:3:13: a fixture needs an answer \"...\", answer file "
                 "\"...\" or fail \"...\"");
    expect_error("http PUT \"*\" answer \"{}\"",
                 "f.http:3:6: expected GET or POST after 'http'");
    expect_error("http GET * answer \"{}\"",
                 "f.http:3:10: expected the \"URL\" it answers");
    expect_error("http GET \"*\" status 700 answer \"{}\"",
                 "f.http:3:21: expected an HTTP status (100-599) after "
                 "'status'");
    expect_error("http GET \"*\" delay soon answer \"{}\"",
                 "f.http:3:20: expected a time after 'delay' (such as 4s, at "
                 "most 10m)");
    expect_error("http GET \"*\" anwser \"{}\"",
                 "f.http:3:14: unknown fixture option 'anwser' (did you mean "
                 "'answer'?)");
    expect_error("get GET \"*\" answer \"{}\"",
                 "f.http:3:1: a fixture line starts with 'http', not \"get\"");
    expect_error("http GET \"*\" answer file \"nope.json\"",
                 "f.http:3:26: './nope.json' cannot be read (No such file or "
                 "directory)");

    /* an answer given twice: the last counts, nothing leaks (make fuzz) */
    f = http_fixtures_new();
    rq.url = "http://h/twice";
    ok(http_fixtures_add(f, "http GET \"*/twice\" answer \"1\" answer \"2\"",
                         "f.http", 1, ".", &err) == IVR_OK &&
       http_fixtures_fetch(f, &rq, &rs, &err) == HTTP_ANSWERED &&
       !strcmp(rs.body, "2"), "an answer given twice: the last counts");
    http_response_free(&rs);
    http_fixtures_free(f);

    /* a folder: its *.http files in name order, answer files beside them */
    if (mkdtemp(dir)) {
        snprintf(path, sizeof path, "%s/b.http", dir);
        out = fopen(path, "w");
        fputs("http GET \"*\" answer \"second\"\n", out);
        fclose(out);
        snprintf(path, sizeof path, "%s/a.http", dir);
        out = fopen(path, "w");
        fputs("http GET \"*/x\" answer file \"x.json\"\n", out);
        fclose(out);
        snprintf(path, sizeof path, "%s/x.json", dir);
        out = fopen(path, "w");
        fputs("{\"from\": \"a file\"}", out);
        fclose(out);
        f = http_fixtures_new();
        rq.url = "http://h/x";
        ok(http_fixtures_load(f, dir, &err) == IVR_OK &&
           http_fixtures_count(f) == 2 &&
           http_fixtures_fetch(f, &rq, &rs, &err) == HTTP_ANSWERED &&
           !strcmp(rs.body, "{\"from\": \"a file\"}"),
           "a folder's files in name order; an answer from a file beside");
        http_response_free(&rs);
        http_fixtures_free(f);
        snprintf(path, sizeof path, "rm -rf %s", dir);
        if (system(path) != 0)
            diag("could not remove %s", dir);
    }
    return tap_done();
}
