/*
 * prompt_words.c: a prompt's text as a voice reads it aloud, in the
 * recogniser's dictionary words (see prompt_spot.h): what a phrase a call
 * script listens for sounds like on a line.
 */
#include "prompt_spot.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct out_buf {
    char *p;
    size_t size, len;
    int full;
} out_buf;

static void put_word(out_buf *o, const char *w)
{
    size_t n = strlen(w);

    if (!n)
        return;
    if (o->len + n + 2 > o->size) {
        o->full = 1;
        return;
    }
    if (o->len)
        o->p[o->len++] = ' ';
    memcpy(o->p + o->len, w, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static const char *const ones[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
    "sixteen", "seventeen", "eighteen", "nineteen"};
static const char *const tens[] = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety"};
static const char *const ordinal_ones[] = {
    "zeroth", "first", "second", "third", "fourth", "fifth", "sixth",
    "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
    "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth"};
static const char *const ordinal_tens[] = {
    "", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth",
    "seventieth", "eightieth", "ninetieth"};

/* Below a hundred; the last word an ordinal when asked ("thirty first"). */
static void say_below_100(out_buf *o, unsigned n, int ordinal)
{
    if (n < 20) {
        put_word(o, ordinal ? ordinal_ones[n] : ones[n]);
    } else if (n % 10 == 0) {
        put_word(o, ordinal ? ordinal_tens[n / 10] : tens[n / 10]);
    } else {
        put_word(o, tens[n / 10]);
        put_word(o, ordinal ? ordinal_ones[n % 10] : ones[n % 10]);
    }
}

/* A cardinal as flite reads one: "one thousand two hundred four", no
 * "and". */
static void say_number(out_buf *o, unsigned long n, int ordinal)
{
    static const struct {
        unsigned long unit;
        const char *name;
    } scales[] = {{1000000000ul, "billion"}, {1000000ul, "million"},
                  {1000ul, "thousand"}};
    size_t i;

    for (i = 0; i < sizeof scales / sizeof *scales; i++)
        if (n >= scales[i].unit) {
            say_number(o, n / scales[i].unit, 0);
            n %= scales[i].unit;
            put_word(o, scales[i].name);
            if (n == 0)   /* "thousandth": rare enough to leave */
                return;
        }
    if (n >= 100) {
        say_below_100(o, (unsigned)(n / 100), 0);
        n %= 100;
        put_word(o, n || !ordinal ? "hundred" : "hundredth");
        if (n == 0)
            return;
    }
    say_below_100(o, (unsigned)n, ordinal);
}

/* Digits (with thousands' commas) at *s: read as a number, or one by one
 * when they begin with 0 or run past nine digits (account numbers). */
static const char *say_digits(out_buf *o, const char *s)
{
    char digits[32];
    size_t n = 0;
    int ordinal = 0;

    while (isdigit((unsigned char)*s) ||
           (*s == ',' && n && isdigit((unsigned char)s[1]) &&
            isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
            !isdigit((unsigned char)s[4]))) {
        if (*s != ',' && n < sizeof digits - 1)
            digits[n++] = *s;
        s++;
    }
    digits[n] = '\0';
    if ((!strncmp(s, "st", 2) || !strncmp(s, "nd", 2) ||
         !strncmp(s, "rd", 2) || !strncmp(s, "th", 2)) &&
        !isalnum((unsigned char)s[2])) {
        ordinal = 1;
        s += 2;
    }
    if ((digits[0] == '0' && n > 1) || n > 9) {
        size_t i;
        for (i = 0; i < n; i++)
            put_word(o, ones[digits[i] - '0']);
    } else {
        say_number(o, strtoul(digits, NULL, 10), ordinal);
    }
    if (*s == '%') {
        put_word(o, "percent");
        s++;
    }
    return s;
}

int prompt_spot_words(const char *text, char *out, size_t size)
{
    out_buf o = {out, size, 0, 0};
    const char *s = text;

    if (size == 0)
        return -1;
    out[0] = '\0';
    while (*s && !o.full) {
        unsigned char c = (unsigned char)*s;
        if (isdigit(c)) {
            s = say_digits(&o, s);
        } else if (isalpha(c) || c == '\'') {
            char w[64];
            size_t n = 0, i;
            int caps = 1;
            while ((isalnum((unsigned char)*s) || *s == '\'') &&
                   !isdigit((unsigned char)*s)) {
                caps &= isupper((unsigned char)*s) != 0;
                if (n < sizeof w - 1)
                    w[n++] = (char)tolower((unsigned char)*s);
                s++;
            }
            w[n] = '\0';
            /* "AM", "SMS": a voice spells them, letter by letter */
            if (caps && n >= 2 && n <= 4)
                for (i = 0; i < n; i++)
                    put_word(&o, (char[2]){w[i], '\0'});
            else
                put_word(&o, w);
        } else {
            if (c == '&')
                put_word(&o, "and");
            s++;
        }
    }
    return o.full ? -1 : 0;
}
