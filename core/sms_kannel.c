/*
 * sms_kannel.c: Kannel's HTTP sendsms interface. It takes GET parameters
 * (username, password, from, to, text, charset, coding); its answer is
 * "0: Accepted for delivery" (202) or "3: Queued for later delivery", an
 * error otherwise. It knows no idempotency key, so a timeout after the
 * request went out is not retried.
 *
 * With a dlr_url, Kannel is asked for every report (dlr-mask 31:
 * delivered, undeliverable, buffered, taken and refused by the SMSC) at
 * that URL with the message's key and Kannel's %d, its kind.
 */
#include "sms_backend.h"
#include "curl_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sms_outcome sms_kannel_send(const sms_config *c, const sms_try *m,
                            char *answer, size_t size)
{
    CURL *h = curl_api.easy_init();
    char *to, *from, *text, *user, *pass, *url, *dlr = NULL;
    char report[1024];
    size_t n;
    long code;
    sms_outcome o;

    if (!h) {
        snprintf(answer, size, "libcurl does not start");
        return SMS_TRANSIENT;
    }
    to = curl_api.easy_escape(h, m->to, 0);
    from = curl_api.easy_escape(h, m->from ? m->from : "", 0);
    text = curl_api.easy_escape(h, m->text, 0);
    user = curl_api.easy_escape(h, c->user, 0);
    pass = curl_api.easy_escape(h, c->password, 0);
    if (*c->dlr_url && m->key) {
        char *k = curl_api.easy_escape(h, m->key, 0);
        snprintf(report, sizeof report, "%s%smsg=%s&status=%%d", c->dlr_url,
                 strchr(c->dlr_url, '?') ? "&" : "?", k ? k : "");
        curl_api.free(k);
        dlr = curl_api.easy_escape(h, report, 0);
    }
    n = strlen(c->url) + strlen(to) + strlen(from) + strlen(text) +
        strlen(user) + strlen(pass) + (dlr ? strlen(dlr) : 0) + 160;
    url = malloc(n);
    if (!to || !from || !text || !user || !pass || !url ||
        (*c->dlr_url && m->key && !dlr)) {
        snprintf(answer, size, "out of memory");
        o = SMS_TRANSIENT;
        goto done;
    }
    /* UTF-8 always, and coding=2 (UCS-2) when the text is not GSM 7-bit,
     * or Kannel garbles it */
    snprintf(url, n, "%s?username=%s&password=%s&to=%s%s%s&text=%s"
             "&charset=UTF-8%s%s%s", c->url, user, pass, to,
             *from ? "&from=" : "", from, text,
             m->enc->gsm7 ? "" : "&coding=2",
             dlr ? "&dlr-mask=31&dlr-url=" : "", dlr ? dlr : "");
    curl_api.easy_setopt(h, CURLOPT_URL, url);
    o = sms_perform(h, c, 0, answer, size, &code);
    if (o == SMS_SENT && code == 202 && strstr(answer, " 3:"))
        o = SMS_QUEUED;
    else if (o == SMS_SENT && !strstr(answer, " 0:"))
        o = SMS_REJECTED;
done:
    curl_api.free(to);
    curl_api.free(from);
    curl_api.free(text);
    curl_api.free(user);
    curl_api.free(pass);
    curl_api.free(dlr);
    free(url);
    curl_api.easy_cleanup(h);
    return o;
}
