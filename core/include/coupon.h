/*
 * coupon.h: coupon serial numbers.
 *
 * A serial is 12 characters of Crockford's base 32 (no I, L, O, U, so
 * nothing reads as another character), grouped "XXXX-XXXX-XXXX": 55 random
 * bits and a check character (the Damm algorithm over GF(32)), which
 * catches any single wrong character and any swap of two neighbours, the
 * typos a merchant makes typing a code from a phone screen. Input is forgiving: case, dashes and
 * spaces are ignored, and O, I and L read as 0, 1 and 1.
 */
#ifndef IVR_COUPON_H
#define IVR_COUPON_H

#include <stdint.h>

#define COUPON_SERIAL_MAX 16   /* "XXXX-XXXX-XXXX" and a NUL */

/* The serial of 55 bits of r (the rest are ignored). */
void coupon_format(uint64_t r, char out[COUPON_SERIAL_MAX]);

/* A new serial from the operating system's random source. Returns 0, or -1
 * when the source fails (out is then empty). */
int coupon_new_serial(char out[COUPON_SERIAL_MAX]);

/* Puts a typed serial into its canonical form; returns 1 when it is well
 * formed and its check character is right, 0 otherwise. */
int coupon_normalise(const char *typed, char out[COUPON_SERIAL_MAX]);

/* ------------------------------------------------------------------------
 * The store: serials issued for promotions, redeemed once (SQLite; the
 * same database file as the SMS record).
 */

#include <stdio.h>

#include "error.h"

typedef struct coupon_store coupon_store;

coupon_store *coupon_store_open(const char *db, ivr_error *err);
void coupon_store_close(coupon_store *s);

/* A new serial for promotion, sent to recipient (may be ""), valid for
 * valid_days (0: no end; negative: expired already, for tests). */
int coupon_issue(coupon_store *s, const char *promotion, const char *recipient,
                 int valid_days, char serial[COUPON_SERIAL_MAX],
                 ivr_error *err);

/* Redeems a typed serial for merchant. IVR_OK when this call redeemed it;
 * IVR_EFAIL with the reason in err when it is refused (a typo, unknown,
 * redeemed already and when and by whom, expired). Of several processes
 * redeeming one serial at once, exactly one succeeds. */
int coupon_redeem(coupon_store *s, const char *typed, const char *merchant,
                  ivr_error *err);

/* The same, from a merchant site: address is the client's, and a serial
 * refused too often from one address is throttled as from one merchant. */
int coupon_redeem_from(coupon_store *s, const char *typed,
                       const char *merchant, const char *address,
                       ivr_error *err);

/* Makes the store's next calls one transaction (begin 1), or ends it
 * (begin 0: commit): a site that looks a serial up and redeems it writes
 * the record once, not three times. IVR_EOUTPUT when the record refuses. */
int coupon_store_transaction(coupon_store *s, int begin, ivr_error *err);

/* What a merchant sees before redeeming: the coupon's promotion, when it
 * was issued and until when it holds, and whether and when and by whom it
 * was redeemed. */
typedef struct coupon_info {
    char serial[COUPON_SERIAL_MAX];
    char promotion[128];
    char issued[32], expires[32];        /* "" when it does not expire */
    char redeemed[32], merchant[128];    /* "" when not redeemed */
    char offer[512];       /* the SMS that carried it (the discount), or
                            * "" when the record has none */
} coupon_info;

/* Looks a typed serial up for merchant at address, throttled and logged
 * as a redemption is: IVR_OK and info; IVR_EFAIL with the reason (a typo,
 * which the check character finds before any lookup; unknown; throttled). */
int coupon_lookup(coupon_store *s, const char *typed, const char *merchant,
                  const char *address, coupon_info *info, ivr_error *err);

/* Issued and redeemed counts, for the promoter's pages: by promotion
 * (promotion NULL), or of one promotion by day of issue or by merchant
 * (key: the promotion, the day, or the merchant; "" for those issued but
 * not redeemed when by merchant). */
typedef enum coupon_grouping {
    COUPON_BY_PROMOTION, COUPON_BY_DAY, COUPON_BY_MERCHANT
} coupon_grouping;
int coupon_stats(coupon_store *s, const char *promotion, coupon_grouping by,
                 void (*fn)(const char *key, long issued, long redeemed,
                            void *user),
                 void *user, ivr_error *err);

/* Issued, redeemed and the conversion rate of a promotion, in total and by
 * day of issue; then redemptions by the day they were made, and by how many
 * merchants. IVR_EINPUT when nothing was issued for it. */
int coupon_report(coupon_store *s, const char *promotion, FILE *out,
                  ivr_error *err);

#endif
