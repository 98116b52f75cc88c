/*
 * sms_http.c: a generic REST gateway: the message POSTed as a form
 * (Twilio's To/From/Body by default) or as JSON, field names from the
 * configuration, with basic auth and an Idempotency-Key header, which is
 * what lets a timeout be retried.
 */
#include "sms_backend.h"
#include "curl_api.h"
#include "transcript.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sms_outcome sms_http_send(const sms_config *c, const sms_try *m,
                          char *answer, size_t size)
{
    CURL *h = curl_api.easy_init();
    struct curl_slist *headers = NULL;
    char *post = NULL, key[160];
    size_t len = 0;
    FILE *f;
    long code;
    sms_outcome o;

    if (!h || !(f = open_memstream(&post, &len))) {
        if (h)
            curl_api.easy_cleanup(h);
        snprintf(answer, size, "out of memory");
        return SMS_TRANSIENT;
    }
    if (!strcmp(c->format, "json")) {
        fprintf(f, "{");
        transcript_json_string(f, c->to_field);
        fputc(':', f);
        transcript_json_string(f, m->to);
        if (m->from && *m->from) {
            fputc(',', f);
            transcript_json_string(f, c->from_field);
            fputc(':', f);
            transcript_json_string(f, m->from);
        }
        fputc(',', f);
        transcript_json_string(f, c->text_field);
        fputc(':', f);
        transcript_json_string(f, m->text);
        fprintf(f, "}");
        headers = curl_api.slist_append(headers,
                                    "Content-Type: application/json");
    } else {
        char *v = curl_api.easy_escape(h, m->to, 0);
        fprintf(f, "%s=%s", c->to_field, v);
        curl_api.free(v);
        if (m->from && *m->from) {
            v = curl_api.easy_escape(h, m->from, 0);
            fprintf(f, "&%s=%s", c->from_field, v);
            curl_api.free(v);
        }
        v = curl_api.easy_escape(h, m->text, 0);
        fprintf(f, "&%s=%s", c->text_field, v);
        curl_api.free(v);
    }
    fclose(f);
    snprintf(key, sizeof key, "Idempotency-Key: %s", m->key);
    headers = curl_api.slist_append(headers, key);
    curl_api.easy_setopt(h, CURLOPT_URL, c->url);
    curl_api.easy_setopt(h, CURLOPT_POSTFIELDS, post);
    curl_api.easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (*c->user) {
        curl_api.easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_api.easy_setopt(h, CURLOPT_USERNAME, c->user);
        curl_api.easy_setopt(h, CURLOPT_PASSWORD, c->password);
    }
    o = sms_perform(h, c, 1, answer, size, &code);
    curl_api.slist_free_all(headers);
    free(post);
    curl_api.easy_cleanup(h);
    return o;
}
