/*
 * sms_backend.h: what a backend does with one try of one message (internal
 * to core/sms).
 */
#ifndef IVR_SMS_BACKEND_H
#define IVR_SMS_BACKEND_H

#include "sms.h"

typedef enum sms_outcome {
    SMS_SENT,        /* the gateway took it */
    SMS_QUEUED,      /* taken, delivered later (Kannel: no SMSC yet) */
    SMS_TRANSIENT,   /* it did not take it: try again */
    SMS_AMBIGUOUS,   /* it may have taken it (a timeout after sending) */
    SMS_REJECTED     /* it refused it: trying again will not help */
} sms_outcome;

typedef struct sms_try {
    const char *to, *from, *text, *key;
    const sms_encoding *enc;
} sms_try;

/* sms_gateway.c: performs a prepared libcurl request (a CURL *, kept as
 * void * here so that only the gateway files see libcurl); idempotent:
 * whether a timeout may be retried. */
sms_outcome sms_perform(void *curl, const sms_config *c, int idempotent,
                        char *answer, size_t size, long *code);

/* answer: what the gateway said (or the transport error). */
sms_outcome sms_kannel_send(const sms_config *c, const sms_try *m,
                            char *answer, size_t size);
sms_outcome sms_http_send(const sms_config *c, const sms_try *m,
                          char *answer, size_t size);

#endif
