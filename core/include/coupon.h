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

/* Issued, redeemed and the conversion rate of a promotion, in total and by
 * day of issue; then redemptions by the day they were made, and by how many
 * merchants. IVR_EINPUT when nothing was issued for it. */
int coupon_report(coupon_store *s, const char *promotion, FILE *out,
                  ivr_error *err);

#endif
