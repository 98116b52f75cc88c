/*
 * sms_http.c: a generic REST gateway: the message POSTed as a form
 * (Twilio's To/From/Body by default) or as JSON, field names from the
 * configuration, with basic auth and an Idempotency-Key header, which is
 * what lets a timeout be retried.
 */
#include "sms_backend.h"
#include "sms_curl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

sms_outcome sms_http_send(const sms_config *c, const sms_try *m,
                          char *answer, size_t size)
{
    CURL *h = sms_curl.easy_init();
    struct curl_slist *headers = NULL;
    char *post = NULL, key[160];
    size_t len = 0;
    FILE *f;
    long code;
    sms_outcome o;

    if (!h || !(f = open_memstream(&post, &len))) {
        if (h)
            sms_curl.easy_cleanup(h);
        snprintf(answer, size, "out of memory");
        return SMS_TRANSIENT;
    }
    if (!strcmp(c->format, "json")) {
        fprintf(f, "{");
        json_string(f, c->to_field);
        fputc(':', f);
        json_string(f, m->to);
        if (m->from && *m->from) {
            fputc(',', f);
            json_string(f, c->from_field);
            fputc(':', f);
            json_string(f, m->from);
        }
        fputc(',', f);
        json_string(f, c->text_field);
        fputc(':', f);
        json_string(f, m->text);
        fprintf(f, "}");
        headers = sms_curl.slist_append(headers,
                                    "Content-Type: application/json");
    } else {
        char *v = sms_curl.easy_escape(h, m->to, 0);
        fprintf(f, "%s=%s", c->to_field, v);
        sms_curl.free(v);
        if (m->from && *m->from) {
            v = sms_curl.easy_escape(h, m->from, 0);
            fprintf(f, "&%s=%s", c->from_field, v);
            sms_curl.free(v);
        }
        v = sms_curl.easy_escape(h, m->text, 0);
        fprintf(f, "&%s=%s", c->text_field, v);
        sms_curl.free(v);
    }
    fclose(f);
    snprintf(key, sizeof key, "Idempotency-Key: %s", m->key);
    headers = sms_curl.slist_append(headers, key);
    sms_curl.easy_setopt(h, CURLOPT_URL, c->url);
    sms_curl.easy_setopt(h, CURLOPT_POSTFIELDS, post);
    sms_curl.easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (*c->user) {
        sms_curl.easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        sms_curl.easy_setopt(h, CURLOPT_USERNAME, c->user);
        sms_curl.easy_setopt(h, CURLOPT_PASSWORD, c->password);
    }
    o = sms_perform(h, c, 1, answer, size, &code);
    sms_curl.slist_free_all(headers);
    free(post);
    sms_curl.easy_cleanup(h);
    return o;
}
