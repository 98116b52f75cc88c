/*
 * sms.h: sending SMS through a backend, and the record of every send.
 *
 * Backends: "outbox" (a local SQLite table, the default, so everything
 * works on a laptop with no gateway), "kannel" (Kannel's HTTP sendsms
 * interface), "http" (a generic REST gateway: form or JSON POST with basic
 * auth, Twilio-style, its field names set by configuration). Each is a
 * small file behind the same function.
 *
 * Every message is recorded in the database with an idempotency key before
 * it is sent, and its status after: a retry with the same key never sends
 * it twice. Transient failures (no connection, 5xx, 429) are retried with
 * backoff; a timeout after the request went out is retried only where the
 * gateway honours an Idempotency-Key header (http), and is otherwise
 * recorded as "unknown" rather than risk a second copy.
 */
#ifndef IVR_SMS_H
#define IVR_SMS_H

#include <stddef.h>

#include "error.h"

#define SMS_NUMBER_MAX 20      /* "+" and at most 15 digits, and a NUL */
#define SMS_MAX_PARTS 10

/* Normalises a phone number to E.164 ("+15550104477"): spaces, dashes,
 * dots and brackets are dropped, a leading 00 becomes +. IVR_EINPUT when
 * it is not a number (+ and 7 to 15 digits, no leading zero). */
int sms_number(const char *in, char out[SMS_NUMBER_MAX], ivr_error *err);

typedef struct sms_encoding {
    int gsm7;                  /* fits the GSM 7-bit alphabet */
    int units;                 /* septets (GSM) or UTF-16 units (UCS-2) */
    int parts;                 /* SMS it takes */
} sms_encoding;

/* How text (UTF-8) travels: GSM 7-bit when every character is in the
 * default alphabet or its extension (which counts two), else UCS-2; 160
 * or 70 units in one SMS, 153 or 67 a part beyond. IVR_EINPUT on invalid
 * UTF-8. */
int sms_encoding_of(const char *text, sms_encoding *e, ivr_error *err);

typedef struct sms_config {
    char backend[16];          /* outbox, kannel, http */
    char db[1024];             /* the SQLite file */
    char url[512];             /* kannel: .../cgi-bin/sendsms; http: POST */
    char user[256], password[1024];   /* long API tokens fit */
    char from[SMS_NUMBER_MAX + 16];   /* default sender */
    char format[8];            /* http: form or json */
    char to_field[32], from_field[32], text_field[32];   /* http */
    char dlr_url[512];         /* kannel: where delivery reports go (an
                                * ivr-web's /dlr?key=...), "" for none */
    int retries;               /* after the first try (2) */
    double timeout;            /* seconds per try (10) */
    double backoff;            /* seconds before the first retry (0.5) */
} sms_config;

/* Defaults, then the config file (path, or $IVR_SMS_CONFIG, or
 * $XDG_CONFIG_HOME/ivrkit/sms.conf: "key = value" lines), then the
 * environment (IVR_SMS_BACKEND, IVR_SMS_DB, IVR_SMS_URL, IVR_SMS_USER,
 * IVR_SMS_PASSWORD, IVR_SMS_FROM, IVR_SMS_DLR_URL). A bad line is IVR_EINPUT with
 * "file:line: ...". */
int sms_config_load(sms_config *c, const char *path, ivr_error *err);

/* Sets one setting by its configuration key ("url", "password", ...),
 * named in errors as where ("--password", "IVR_SMS_PASSWORD"): a value too
 * long is IVR_EUSAGE, never cut short. */
int sms_config_set(sms_config *c, const char *key, const char *value,
                   const char *where, ivr_error *err);

/* The default database: $XDG_DATA_HOME/ivrkit/ivrkit.sqlite (or
 * ~/.local/share/...), its folder made. */
void sms_default_db(char *out, size_t size);

typedef struct sms_result {
    long id;                   /* in the record */
    char status[16];           /* stored, sent, queued, failed, unknown */
    char answer[256];          /* the gateway's words, or why */
    int attempts;
    int duplicate;             /* the key was sent before: nothing new */
    sms_encoding enc;
} sms_result;

typedef struct sms_sender sms_sender;

sms_sender *sms_open(const sms_config *c, ivr_error *err);

/* Sends text to to (from: NULL for the configured sender). key: the
 * idempotency key (NULL: a new random one). IVR_OK when the message went
 * out or is stored; a status otherwise, r filled either way. */
/* What sms_send checks before it touches the record: the numbers, the
 * sender, the key and the text (its encoding into enc). IVR_EINPUT with
 * the reason. */
int sms_check(const char *to, const char *from, const char *text,
              const char *key, sms_encoding *enc, ivr_error *err);

int sms_send(sms_sender *s, const char *to, const char *from,
             const char *text, const char *key, sms_result *r,
             ivr_error *err);

/* A delivery report for the message of key (Kannel's kind: 1 delivered,
 * 2 undeliverable, 4 buffered, 8 taken by the SMSC, 16 refused by it):
 * its status becomes delivered, failed, buffered or "smsc accepted"; a
 * report that arrives after the final one changes nothing. IVR_EINPUT
 * when there is no such message or kind. */
int sms_report(sms_sender *s, const char *key, int kind, ivr_error *err);

/* Writes the latest limit records, newest first, one a line. */
int sms_list(sms_sender *s, int limit, int json, ivr_error *err);

void sms_close(sms_sender *s);

#endif
