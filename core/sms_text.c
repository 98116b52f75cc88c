/*
 * sms_text.c: phone numbers and how a text travels (GSM 7-bit or UCS-2,
 * and in how many parts).
 */
#include "sms.h"

#include <ctype.h>
#include <string.h>

int sms_number(const char *in, char out[SMS_NUMBER_MAX], ivr_error *err)
{
    char digits[64];
    size_t n = 0;
    const char *p = in;
    int plus = 0;

    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+') {
        plus = 1;
        p++;
    } else if (p[0] == '0' && p[1] == '0') {
        plus = 1;
        p += 2;
    }
    for (; *p; p++) {
        if (isdigit((unsigned char)*p)) {
            if (n + 1 >= sizeof digits)
                break;
            digits[n++] = *p;
        } else if (!strchr(" -.()", *p)) {
            n = 0;
            break;
        }
    }
    digits[n] = '\0';
    if (!plus || n < 7 || n > 15 || digits[0] == '0' || *p)
        return ivr_error_set(err, IVR_EINPUT, "'%s' is not an E.164 number "
                             "(+ and 7 to 15 digits, such as +15550104477)",
                             in);
    out[0] = '+';
    memcpy(out + 1, digits, n + 1);
    return IVR_OK;
}

/* The GSM 03.38 default alphabet, and the extension table whose
 * characters take an escape and so two septets. */
static const char *const gsm_basic =
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
static const char *const gsm_extension = "^{}\\[~]|€\f";

/* The next code point of s (UTF-8), its length in *len; -1 when invalid. */
static long next_cp(const unsigned char *s, int *len)
{
    long cp;
    int n, i;

    if (s[0] < 0x80) {
        *len = 1;
        return s[0];
    }
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2;
        cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3;
        cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4;
        cp = s[0] & 0x07;
    } else {
        return -1;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *len = n;
    return cp;
}

/* Whether the character s[0..len) appears in set (itself UTF-8). */
static int in_set(const char *set, const unsigned char *s, int len)
{
    const char *p = set;
    size_t n = strlen(set);

    while ((p = memchr(p, s[0], n - (size_t)(p - set)))) {
        if (!memcmp(p, s, (size_t)len))
            return 1;
        p++;
    }
    return 0;
}

int sms_encoding_of(const char *text, sms_encoding *e, ivr_error *err)
{
    const unsigned char *s = (const unsigned char *)text;
    int septets = 0, utf16 = 0, gsm = 1, len;

    while (*s) {
        long cp = next_cp(s, &len);
        if (cp < 0)
            return ivr_error_set(err, IVR_EINPUT, "the text is not valid "
                                 "UTF-8 (byte %d)",
                                 (int)(s - (const unsigned char *)text) + 1);
        utf16 += cp > 0xFFFF ? 2 : 1;
        if (gsm) {
            if (in_set(gsm_basic, s, len))
                septets++;
            else if (in_set(gsm_extension, s, len))
                septets += 2;
            else
                gsm = 0;
        }
        s += len;
    }
    e->gsm7 = gsm;
    e->units = gsm ? septets : utf16;
    if (gsm)
        e->parts = e->units <= 160 ? 1 : (e->units + 152) / 153;
    else
        e->parts = e->units <= 70 ? 1 : (e->units + 66) / 67;
    return IVR_OK;
}
