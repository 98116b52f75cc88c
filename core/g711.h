/*
 * g711.h: ITU-T G.711 mu-law and A-law, the codecs every SIP phone and
 * PBX speaks (internal to core: the SIP line).
 */
#ifndef IVR_G711_H
#define IVR_G711_H

#include <stddef.h>
#include <stdint.h>

/* Samples are floats in -1..1, as everywhere in core. */
void g711_ulaw_encode(const float *x, uint8_t *out, size_t n);
void g711_ulaw_decode(const uint8_t *in, float *x, size_t n);
void g711_alaw_encode(const float *x, uint8_t *out, size_t n);
void g711_alaw_decode(const uint8_t *in, float *x, size_t n);

#endif
