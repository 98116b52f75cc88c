/*
 * sms_text.c: phone numbers and how a text travels (GSM 7-bit or UCS-2,
 * and in how many parts).
 */
#include "sms.h"
#include "utf8.h"

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

/* The septets (GSM) or UTF-16 units the character at s takes; 0 when GSM
 * cannot carry it. */
static int units_of(const unsigned char *s, int len, long cp, int gsm)
{
    if (!gsm)
        return cp > 0xFFFF ? 2 : 1;
    return in_set(gsm_basic, s, len) ? 1 : in_set(gsm_extension, s, len) ? 2
                                                                         : 0;
}

int sms_encoding_of(const char *text, sms_encoding *e, ivr_error *err)
{
    const unsigned char *s = (const unsigned char *)text;
    int units = 0, gsm = 1, len, room, cap, u;
    long cp;

    size_t bad = utf8_text_check(text);

    if (bad)
        return ivr_error_set(err, IVR_EINPUT, "the text is not UTF-8 text "
                             "(byte %zu)", bad);
    /* which alphabet: GSM 7-bit when every character has a septet */
    for (s = (const unsigned char *)text; *s; s += len) {
        cp = utf8_next(s, &len);
        if (gsm && !units_of(s, len, cp, 1))
            gsm = 0;
    }
    for (s = (const unsigned char *)text; *s; s += len) {
        cp = utf8_next(s, &len);
        units += units_of(s, len, cp, gsm);
    }
    e->gsm7 = gsm;
    e->units = units;
    if (units <= (gsm ? 160 : 70)) {
        e->parts = 1;
        return IVR_OK;
    }
    /* parts of 153 septets or 67 units, the rest of each holding the
     * concatenation header; an escape (two septets) or a surrogate pair
     * (two units) is never split between two parts */
    cap = gsm ? 153 : 67;
    e->parts = 1;
    room = cap;
    for (s = (const unsigned char *)text; *s; s += len) {
        cp = utf8_next(s, &len);
        u = units_of(s, len, cp, gsm);
        if (u > room) {
            e->parts++;
            room = cap;
        }
        room -= u;
    }
    return IVR_OK;
}
