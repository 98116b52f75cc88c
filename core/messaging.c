/*
 * messaging.c: the engine's SMS and coupon hooks on core/sms and the
 * coupon store.
 */
#include "messaging.h"
#include "coupon.h"
#include "sms.h"

#include <stdio.h>
#include <stdlib.h>

struct messaging {
    sms_sender *sms;
    coupon_store *coupons;
};

static int send_sms(void *user, const char *to, const char *text,
                    char *status, size_t size)
{
    messaging *m = user;
    sms_result r;
    ivr_error err;

    if (sms_send(m->sms, to, NULL, text, NULL, &r, &err) != IVR_OK) {
        snprintf(status, size, "failed: %s", err.message);
        return -1;
    }
    snprintf(status, size, "%s #%ld (%s)", r.status, r.id, r.answer);
    return 0;
}

static int issue_coupon(void *user, const char *promotion,
                        const char *recipient, char *serial, size_t size)
{
    messaging *m = user;
    char s[COUPON_SERIAL_MAX];
    ivr_error err;

    if (coupon_issue(m->coupons, promotion, recipient, 0, s, &err) !=
        IVR_OK) {
        snprintf(serial, size, "%s", err.message);
        return -1;
    }
    snprintf(serial, size, "%s", s);
    return 0;
}

messaging *messaging_open(const char *backend, const char *db,
                          int store_coupons, ivr_error *err)
{
    messaging *m = calloc(1, sizeof *m);
    sms_config c;

    if (!m) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    if (sms_config_load(&c, NULL, err) != IVR_OK)
        goto fail;
    if (backend)
        snprintf(c.backend, sizeof c.backend, "%s", backend);
    if (db)
        snprintf(c.db, sizeof c.db, "%s", db);
    if (!(m->sms = sms_open(&c, err)))
        goto fail;
    if (store_coupons && !(m->coupons = coupon_store_open(c.db, err)))
        goto fail;
    return m;
fail:
    messaging_close(m);
    return NULL;
}

void messaging_attach(messaging *m, engine_opts *eo)
{
    eo->send_sms = send_sms;
    eo->sms_user = m;
    if (m->coupons) {
        eo->issue_coupon = issue_coupon;
        eo->coupon_user = m;
    }
}

void messaging_close(messaging *m)
{
    if (!m)
        return;
    sms_close(m->sms);
    coupon_store_close(m->coupons);
    free(m);
}
