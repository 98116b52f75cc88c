/*
 * messaging.h: a call's SMS and coupons through ivr-send-sms's backend and
 * store: the engine's `sms` action sends (and records) the message, its
 * `coupon` action issues a stored serial a merchant can redeem.
 */
#ifndef IVR_MESSAGING_H
#define IVR_MESSAGING_H

#include "engine.h"
#include "error.h"

typedef struct messaging messaging;

/* backend: NULL for the configured one (see sms.h). store_coupons: issue
 * serials into the store (else the engine makes its own, unrecorded). */
messaging *messaging_open(const char *backend, const char *db,
                          int store_coupons, ivr_error *err);

/* Points an engine's hooks at m (which must outlive the engine). */
void messaging_attach(messaging *m, engine_opts *eo);

void messaging_close(messaging *m);

#endif
