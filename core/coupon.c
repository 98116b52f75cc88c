/*
 * coupon.c: serial numbers with a check character.
 */
#include "coupon.h"

#include <ctype.h>
#include <string.h>
#include <sys/random.h>

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int value_of(char c)
{
    const char *p;

    c = (char)toupper((unsigned char)c);
    if (c == 'O')
        c = '0';
    else if (c == 'I' || c == 'L')
        c = '1';
    p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

/* The Damm algorithm over GF(32): x o y = 2x + y in the field (x^5 + x^2
 * + 1), a totally anti-symmetric quasigroup, so a check character that
 * brings the chain back to 0 catches every single wrong character and
 * every swap of two neighbours (Luhn mod 32 misses some swaps). */
static int gf_double(int v)
{
    v <<= 1;
    return v & 32 ? (v ^ 0x25) & 31 : v;
}

static int damm(const int *v, int n)
{
    int interim = 0, i;

    for (i = 0; i < n; i++)
        interim = gf_double(interim) ^ v[i];
    return interim;
}

/* The character that makes damm() of all twelve zero. */
static int check_value(const int *v, int n)
{
    return gf_double(damm(v, n));
}

static void write_serial(const int v[12], char out[COUPON_SERIAL_MAX])
{
    int i, o = 0;

    for (i = 0; i < 12; i++) {
        if (i == 4 || i == 8)
            out[o++] = '-';
        out[o++] = alphabet[v[i]];
    }
    out[o] = '\0';
}

void coupon_format(uint64_t r, char out[COUPON_SERIAL_MAX])
{
    int v[12], i;

    for (i = 0; i < 11; i++) {
        v[i] = (int)(r & 31);
        r >>= 5;
    }
    v[11] = check_value(v, 11);
    write_serial(v, out);
}

int coupon_new_serial(char out[COUPON_SERIAL_MAX])
{
    uint64_t r;

    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r) {
        out[0] = '\0';
        return -1;
    }
    coupon_format(r, out);
    return 0;
}

int coupon_normalise(const char *typed, char out[COUPON_SERIAL_MAX])
{
    int v[12], n = 0;

    out[0] = '\0';
    for (; *typed; typed++) {
        int x;
        if (*typed == '-' || isspace((unsigned char)*typed))
            continue;
        if (n == 12 || (x = value_of(*typed)) < 0)
            return 0;
        v[n++] = x;
    }
    if (n != 12 || damm(v, 12) != 0)
        return 0;
    write_serial(v, out);
    return 1;
}
