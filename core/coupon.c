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

/* Luhn mod N over the values, the check character appended last. */
static int check_value(const int *v, int n)
{
    int factor = 2, sum = 0, i;

    for (i = n - 1; i >= 0; i--) {
        int a = factor * v[i];
        sum += a / 32 + a % 32;
        factor = factor == 2 ? 1 : 2;
    }
    return (32 - sum % 32) % 32;
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
    if (n != 12 || check_value(v, 11) != v[11])
        return 0;
    write_serial(v, out);
    return 1;
}
