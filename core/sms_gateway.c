/*
 * sms_gateway.c: the two HTTP backends, over libcurl.
 *
 * Kannel's sendsms takes GET parameters (user, pass, from, to, text,
 * charset, coding); its answer is "0: Accepted for delivery" (202) or
 * "3: Queued for later delivery", an error otherwise. The generic backend
 * POSTs the message as a form or as JSON with basic auth and an
 * Idempotency-Key header, which is what lets it retry after a timeout.
 */
#include "sms_backend.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct body {
    char *buf;
    size_t len, size;
} body;

static size_t keep(char *p, size_t sz, size_t n, void *user)
{
    body *b = user;
    size_t m = sz * n, room = b->size - b->len - 1;

    if (m > room)
        m = room;
    memcpy(b->buf + b->len, p, m);
    b->len += m;
    b->buf[b->len] = '\0';
    return sz * n;
}

static void chomp(char *s)
{
    size_t n = strlen(s);

    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

/* Runs a prepared request; classifies what happened. */
static sms_outcome perform(CURL *h, const sms_config *c, int idempotent,
                           char *answer, size_t size, long *code)
{
    char buf[512];
    body b = {buf, 0, sizeof buf};
    CURLcode rc;

    buf[0] = '\0';
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(c->timeout * 1000));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(c->timeout * 1000));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    rc = curl_easy_perform(h);
    *code = 0;
    if (rc != CURLE_OK) {
        snprintf(answer, size, "%s", curl_easy_strerror(rc));
        /* nothing reached the gateway: safe to try again */
        if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST)
            return SMS_TRANSIENT;
        if (rc == CURLE_OPERATION_TIMEDOUT)
            return idempotent ? SMS_TRANSIENT : SMS_AMBIGUOUS;
        return SMS_TRANSIENT;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, code);
    chomp(buf);
    snprintf(answer, size, "%ld %s", *code, buf);
    if (*code >= 500 || *code == 429)
        return SMS_TRANSIENT;
    if (*code >= 400)
        return SMS_REJECTED;
    return SMS_SENT;
}

sms_outcome sms_kannel_send(const sms_config *c, const sms_try *m,
                            char *answer, size_t size)
{
    CURL *h = curl_easy_init();
    char *to, *from, *text, *user, *pass, *url;
    size_t n;
    long code;
    sms_outcome o;

    if (!h) {
        snprintf(answer, size, "libcurl does not start");
        return SMS_TRANSIENT;
    }
    to = curl_easy_escape(h, m->to, 0);
    from = curl_easy_escape(h, m->from ? m->from : "", 0);
    text = curl_easy_escape(h, m->text, 0);
    user = curl_easy_escape(h, c->user, 0);
    pass = curl_easy_escape(h, c->password, 0);
    n = strlen(c->url) + strlen(to) + strlen(from) + strlen(text) +
        strlen(user) + strlen(pass) + 128;
    url = malloc(n);
    if (!to || !from || !text || !user || !pass || !url) {
        snprintf(answer, size, "out of memory");
        o = SMS_TRANSIENT;
        goto done;
    }
    /* UTF-8 always, and coding=2 (UCS-2) when the text is not GSM 7-bit,
     * or Kannel garbles it */
    snprintf(url, n, "%s?username=%s&password=%s&to=%s%s%s&text=%s"
             "&charset=UTF-8%s", c->url, user, pass, to, *from ? "&from=" : "",
             from, text, m->enc->gsm7 ? "" : "&coding=2");
    curl_easy_setopt(h, CURLOPT_URL, url);
    o = perform(h, c, 0, answer, size, &code);
    if (o == SMS_SENT && code == 202 && strstr(answer, " 3:"))
        o = SMS_QUEUED;
    else if (o == SMS_SENT && !strstr(answer, " 0:"))
        o = SMS_REJECTED;
done:
    curl_free(to);
    curl_free(from);
    curl_free(text);
    curl_free(user);
    curl_free(pass);
    free(url);
    curl_easy_cleanup(h);
    return o;
}

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
    CURL *h = curl_easy_init();
    struct curl_slist *headers = NULL;
    char *post = NULL, key[160];
    size_t len = 0;
    FILE *f;
    long code;
    sms_outcome o;

    if (!h || !(f = open_memstream(&post, &len))) {
        if (h)
            curl_easy_cleanup(h);
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
        headers = curl_slist_append(headers,
                                    "Content-Type: application/json");
    } else {
        char *v = curl_easy_escape(h, m->to, 0);
        fprintf(f, "%s=%s", c->to_field, v);
        curl_free(v);
        if (m->from && *m->from) {
            v = curl_easy_escape(h, m->from, 0);
            fprintf(f, "&%s=%s", c->from_field, v);
            curl_free(v);
        }
        v = curl_easy_escape(h, m->text, 0);
        fprintf(f, "&%s=%s", c->text_field, v);
        curl_free(v);
    }
    fclose(f);
    snprintf(key, sizeof key, "Idempotency-Key: %s", m->key);
    headers = curl_slist_append(headers, key);
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (*c->user) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
    }
    o = perform(h, c, 1, answer, size, &code);
    curl_slist_free_all(headers);
    free(post);
    curl_easy_cleanup(h);
    return o;
}
