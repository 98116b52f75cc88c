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

#endif
