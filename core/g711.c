/*
 * g711.c: mu-law and A-law (ITU-T G.711), by their segment definitions:
 * a sign bit, three bits of segment (the power of two the magnitude lies
 * under) and four of mantissa.
 */
#include "g711.h"

#include <math.h>

/* a float to 16-bit linear, clipped */
static int to_linear(float v)
{
    long s = lrintf(v * 32768.0f);

    return s > 32767 ? 32767 : s < -32768 ? -32768 : (int)s;
}

static uint8_t ulaw_from_linear(int pcm)
{
    /* mu-law works on 14 bits with a bias of 33 (0x84 in 16-bit units) */
    int sign = pcm < 0 ? 0x80 : 0, seg, mag;

    mag = pcm < 0 ? -pcm : pcm;
    if (mag > 32635)
        mag = 32635;
    mag += 0x84;
    for (seg = 7; seg > 0 && !(mag & (0x4000 >> (7 - seg))); seg--)
        ;
    return (uint8_t)~(sign | (seg << 4) | ((mag >> (seg + 3)) & 0x0f));
}

static int ulaw_to_linear(uint8_t u)
{
    int v = ~u & 0xff, mag;

    mag = (((v & 0x0f) << 3) + 0x84) << ((v & 0x70) >> 4);
    return (v & 0x80) ? 0x84 - mag : mag - 0x84;
}

static uint8_t alaw_from_linear(int pcm)
{
    int sign = pcm >= 0 ? 0x80 : 0, mag, seg;

    mag = pcm < 0 ? -pcm - 1 : pcm;
    if (mag > 32767)
        mag = 32767;
    mag >>= 3;                        /* 13 bits */
    if (mag < 32) {
        seg = 0;
        mag >>= 1;
    } else {
        for (seg = 1; seg < 7 && mag >= (32 << seg); seg++)
            ;
        mag = (mag >> seg) & 0x0f;
    }
    /* even bits inverted on the line (0x55) */
    return (uint8_t)((sign | (seg << 4) | (mag & 0x0f)) ^ 0x55);
}

static int alaw_to_linear(uint8_t a)
{
    int v = a ^ 0x55, seg = (v & 0x70) >> 4, mag = (v & 0x0f) << 4;

    mag += 8;
    if (seg)
        mag = (mag + 0x100) << (seg - 1);
    return (v & 0x80) ? mag : -mag;
}

static void encode(uint8_t (*law)(int), const float *x, uint8_t *out,
                   size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        out[i] = law(to_linear(x[i]));
}

static void decode(int (*law)(uint8_t), const uint8_t *in, float *x,
                   size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        x[i] = (float)law(in[i]) / 32768.0f;
}

void g711_ulaw_encode(const float *x, uint8_t *out, size_t n)
{
    encode(ulaw_from_linear, x, out, n);
}

void g711_ulaw_decode(const uint8_t *in, float *x, size_t n)
{
    decode(ulaw_to_linear, in, x, n);
}

void g711_alaw_encode(const float *x, uint8_t *out, size_t n)
{
    encode(alaw_from_linear, x, out, n);
}

void g711_alaw_decode(const uint8_t *in, float *x, size_t n)
{
    decode(alaw_to_linear, in, x, n);
}
